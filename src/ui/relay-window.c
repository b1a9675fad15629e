/* relay-window.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-order-detail.h"
#include "relay-ui-utils.h"
#include "relay-window.h"

typedef enum
{
  COLUMN_NUMBER,
  COLUMN_CUSTOMER,
  COLUMN_DATE,
  COLUMN_ITEMS,
  COLUMN_TOTAL,
  COLUMN_STAGE,
  COLUMN_TRADEGECKO,
  COLUMN_TRACKING,
  N_COLUMNS
} Column;

typedef struct
{
  const char *name;   /* the win.filter target */
  guint       mask;
} Flow;

static const Flow flows[] = {
  { "all", 0 },
  { "new", RELAY_STAGE_MASK (RELAY_STAGE_NEW) },
  { "at_tradegecko", RELAY_STAGE_MASK (RELAY_STAGE_AT_TRADEGECKO) },
  { "shipped", RELAY_STAGE_MASK (RELAY_STAGE_SHIPPED) },
  { "confirmed", RELAY_STAGE_MASK (RELAY_STAGE_CONFIRMED) },
  { "attention", RELAY_STAGE_MASK (RELAY_STAGE_REJECTED) | RELAY_STAGE_MASK_ERRORS },
  { "closed", RELAY_STAGE_MASK (RELAY_STAGE_SKIPPED) | RELAY_STAGE_MASK (RELAY_STAGE_CANCELED) },
};

/* A store's health, shown in one persistent place until it is resolved. */
typedef struct
{
  const char  *store_id;
  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *button;
  char        *message;
} StoreHealth;

#define N_HEALTH_STORES 2

struct _RelayWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkBox               *health_box;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *main_stack;
  AdwStatusPage        *not_connected_page;
  GtkButton            *connect_button;
  GtkStack             *list_stack;
  GtkColumnView        *column_view;
  GtkStack             *detail_stack;
  GtkScrolledWindow    *detail_scroller;
  RelayOrderDetail     *order_detail;
  GtkLabel             *flow_counts[G_N_ELEMENTS (flows)];
  GtkLabel             *flow_latest[G_N_ELEMENTS (flows)];

  /* Built in init: one health banner per store */
  StoreHealth           health[N_HEALTH_STORES];

  /* Owned */
  RelayStore           *store;
  RelayOrderListModel  *orders;
  GtkSingleSelection   *selection;
  GSimpleActionGroup   *order_actions;
  char                 *shown_order;
  char                 *last_toast;
  char                 *last_toast_action;
  guint64               counts[G_N_ELEMENTS (flows)];
  guint                 refresh_source;
  guint                 n_toasts;
  guint                 flow_index;
  gboolean              connected;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------------ */
/* The order list                                                            */

static char *
dup_tracking (RelayWindow         *self,
              const RelayOrderRow *row)
{
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GString) text = NULL;

  /* Only orders that reached TradeGecko can have shipments. */
  if (self->store == NULL ||
      (row->stage != RELAY_STAGE_AT_TRADEGECKO && row->stage != RELAY_STAGE_SHIPPED && row->stage != RELAY_STAGE_CONFIRMED))
    return NULL;

  shipments = relay_store_dup_shipments (self->store, row->squarespace_id, NULL);
  if (shipments == NULL || shipments->len == 0)
    return NULL;

  text = g_string_new (NULL);
  for (guint i = 0; i < shipments->len; i++)
    {
      const RelayShipment *shipment = g_ptr_array_index (shipments, i);

      if (shipment->tracking_number == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, shipment->tracking_number);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
render_cell (GtkListItem *list_item)
{
  RelayWindow *self = g_object_get_data (G_OBJECT (list_item), "relay-window");
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list_item), "relay-column"));
  RelayOrderItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  const RelayOrderRow *row;
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  row = relay_order_item_get_row (item);

  switch (column)
    {
    case COLUMN_NUMBER:
      text = g_strdup_printf ("#%s", row->order_number);
      break;

    case COLUMN_CUSTOMER:
      text = g_strdup (row->customer_name != NULL ? row->customer_name : row->customer_email);
      break;

    case COLUMN_DATE:
      text = relay_format_time (row->created_on);
      break;

    case COLUMN_ITEMS:
      text = g_strdup_printf ("%u", row->item_count);
      break;

    case COLUMN_TOTAL:
      text = relay_money_format_display (&row->grand_total);
      break;

    case COLUMN_STAGE:
      relay_stage_badge_update (child, row->stage, row->last_error != NULL);
      gtk_widget_set_tooltip_text (child, row->stage == RELAY_STAGE_REJECTED ? row->stage_reason : row->last_error);
      return;

    case COLUMN_TRADEGECKO:
      text = g_strdup (row->tradegecko_order_number);
      break;

    case COLUMN_TRACKING:
      text = dup_tracking (self, row);
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (GTK_LABEL (child), text != NULL ? text : "");
}

static void
row_notified_cb (RelayOrderItem *item,
                 GParamSpec     *pspec,
                 GtkListItem    *list_item)
{
  render_cell (list_item);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               RelayWindow              *self)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "relay-column"));
  GtkWidget *child;

  if (column == COLUMN_STAGE)
    child = relay_stage_badge_new ();
  else
    {
      child = gtk_label_new (NULL);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (child), column == COLUMN_ITEMS || column == COLUMN_TOTAL ? 1 : 0);
      if (column == COLUMN_ITEMS || column == COLUMN_TOTAL || column == COLUMN_NUMBER)
        gtk_widget_add_css_class (child, "numeric");
    }

  g_object_set_data (G_OBJECT (list_item), "relay-window", self);
  g_object_set_data (G_OBJECT (list_item), "relay-column", GUINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, child);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              RelayWindow              *self)
{
  GObject *item = gtk_list_item_get_item (list_item);

  render_cell (list_item);
  if (item != NULL)
    g_signal_connect (item, "notify::row", G_CALLBACK (row_notified_cb), list_item);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                RelayWindow              *self)
{
  GObject *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, row_notified_cb, list_item);
}

/* GTK 4.8 cannot say which column the view is sorted by: every column's sorter
 * answers "larger" and names itself, so one comparison through the view's
 * sorter tells the column and, by the sign, the direction. */
static int probed_sort = -1;

static int
column_sort_probe (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  probed_sort = GPOINTER_TO_INT (user_data);
  return GTK_ORDERING_LARGER;
}

static void
view_sorter_changed_cb (RelayWindow    *self,
                        GtkSorterChange change,
                        GtkSorter      *sorter)
{
  GtkOrdering ordering;

  /* Nothing to sort before a store is set or while the window goes away. */
  if (self->orders == NULL || self->column_view == NULL)
    return;

  probed_sort = -1;
  /* Two different objects: a sorter answers "equal" for one item with itself. */
  ordering = gtk_sorter_compare (sorter, self, self->column_view);
  if (probed_sort < 0)
    relay_order_list_model_set_sort (self->orders, RELAY_ORDER_SORT_CREATED, TRUE);
  else
    relay_order_list_model_set_sort (self->orders, (RelayOrderSort) probed_sort, ordering == GTK_ORDERING_SMALLER);
}

static void
add_columns (RelayWindow *self)
{
  static const struct { const char *title; int sort; gboolean expand; int width; } columns[N_COLUMNS] = {
    [COLUMN_NUMBER] = { N_("Order"), RELAY_ORDER_SORT_NUMBER, FALSE, 80 },
    [COLUMN_CUSTOMER] = { N_("Customer"), RELAY_ORDER_SORT_CUSTOMER, TRUE, 130 },
    [COLUMN_DATE] = { N_("Date"), RELAY_ORDER_SORT_CREATED, FALSE, 140 },
    [COLUMN_ITEMS] = { N_("Items"), RELAY_ORDER_SORT_ITEMS, FALSE, 50 },
    [COLUMN_TOTAL] = { N_("Total"), RELAY_ORDER_SORT_TOTAL, FALSE, 90 },
    [COLUMN_STAGE] = { N_("Stage"), RELAY_ORDER_SORT_STAGE, FALSE, 170 },
    [COLUMN_TRADEGECKO] = { N_("TradeGecko"), RELAY_ORDER_SORT_TRADEGECKO, FALSE, 100 },
    [COLUMN_TRACKING] = { N_("Tracking"), -1, FALSE, 110 },
  };
  GtkColumnViewColumn *date_column = NULL;

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "relay-column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), self);

      column = gtk_column_view_column_new (_(columns[i].title), g_object_ref (factory));
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      if (columns[i].sort >= 0)
        {
          g_autoptr(GtkSorter) sorter =
            GTK_SORTER (gtk_custom_sorter_new (column_sort_probe, GINT_TO_POINTER (columns[i].sort), NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->column_view, column);
      if (i == COLUMN_DATE)
        date_column = column;
    }

  gtk_column_view_sort_by_column (self->column_view, date_column, GTK_SORT_DESCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (view_sorter_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
update_list_page (RelayWindow *self)
{
  const char *name;

  if (self->orders == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->orders)) > 0)
    name = "list";
  else if (relay_order_list_model_get_search (self->orders) == NULL && self->flow_index == 0)
    name = "no-orders";
  else
    name = "no-results";

  gtk_stack_set_visible_child_name (self->list_stack, name);
}

static void
n_orders_changed_cb (RelayWindow *self)
{
  update_list_page (self);
}

static void
apply_filter (RelayWindow *self)
{
  if (self->orders == NULL)
    return;

  relay_order_list_model_set_filter (self->orders, flows[self->flow_index].mask,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_list_page (self);
}

static void
search_changed_cb (RelayWindow *self)
{
  apply_filter (self);
}

/* ------------------------------------------------------------------------ */
/* Flow header and detail, refreshed together after a burst of changes       */

static void
update_order_actions (RelayWindow *self)
{
  g_autoptr(RelayOrderRow) row = NULL;
  gboolean rejected = FALSE;
  gboolean fixable = FALSE;

  if (self->store != NULL && self->shown_order != NULL)
    row = relay_store_find_order (self->store, self->shown_order, NULL);
  if (row != NULL)
    {
      rejected = row->stage == RELAY_STAGE_REJECTED;
      fixable = rejected || (row->stage == RELAY_STAGE_NEW && row->last_error != NULL);
    }

#define SET_ENABLED(name, enabled) \
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->order_actions), name)), enabled)
  SET_ENABLED ("add-alias", fixable);
  SET_ENABLED ("map-shipping", fixable);
  SET_ENABLED ("retry", rejected || (row != NULL && row->stage == RELAY_STAGE_SKIPPED));
  SET_ENABLED ("skip", fixable);
  SET_ENABLED ("preview", row != NULL && !relay_stage_is_delivered (row->stage));
#undef SET_ENABLED
}

static void
refresh_detail (RelayWindow *self)
{
  if (self->store == NULL || self->shown_order == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      update_order_actions (self);
      return;
    }

  relay_order_detail_show_order (self->order_detail, self->store, self->shown_order);
  gtk_stack_set_visible_child_name (self->detail_stack, "order");
  update_order_actions (self);
}

static void
refresh_flows (RelayWindow *self)
{
  guint64 stages[RELAY_N_STAGES];
  gint64 latest[RELAY_N_STAGES];
  gint64 now = g_get_real_time () / 1000;
  g_autoptr(GError) error = NULL;
  gint64 attention;

  if (self->store == NULL)
    return;

  if (!relay_store_count_stages (self->store, stages, &error) ||
      !relay_store_get_stage_activity (self->store, latest, &error) ||
      (attention = relay_store_count_matching (self->store, flows[5].mask, &error)) < 0)
    {
      g_warning ("Could not count the orders: %s", error->message);
      return;
    }

  self->counts[0] = 0;
  for (guint i = 0; i < RELAY_N_STAGES; i++)
    self->counts[0] += stages[i];
  self->counts[1] = stages[RELAY_STAGE_NEW];
  self->counts[2] = stages[RELAY_STAGE_AT_TRADEGECKO];
  self->counts[3] = stages[RELAY_STAGE_SHIPPED];
  self->counts[4] = stages[RELAY_STAGE_CONFIRMED];
  self->counts[5] = (guint64) attention;
  self->counts[6] = stages[RELAY_STAGE_SKIPPED] + stages[RELAY_STAGE_CANCELED];

  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, self->counts[i]);
      g_autofree char *when = NULL;
      gint64 last = 0;

      for (guint stage = 0; stage < RELAY_N_STAGES; stage++)
        if ((flows[i].mask == 0 || (flows[i].mask & RELAY_STAGE_MASK (stage)) != 0) && latest[stage] > last)
          last = latest[stage];

      gtk_label_set_label (self->flow_counts[i], count);
      when = last > 0 ? relay_format_relative_time (last, now) : NULL;
      gtk_label_set_label (self->flow_latest[i], when != NULL ? when : "");
    }
}

static void
refresh_now (RelayWindow *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  refresh_flows (self);
  refresh_detail (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  RelayWindow *self = user_data;

  self->refresh_source = 0;
  refresh_now (self);

  return G_SOURCE_REMOVE;
}

static void
order_changed_cb (RelayWindow *self,
                  const char  *squarespace_id,
                  RelayStore  *store)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (150, refresh_cb, self);
}

static void
selection_changed_cb (RelayWindow *self)
{
  RelayOrderItem *item = gtk_single_selection_get_selected_item (self->selection);

  /* An order that leaves the filtered list stays in the pane. */
  if (item != NULL)
    relay_window_show_order (self, relay_order_item_get_squarespace_id (item));
}

/* ------------------------------------------------------------------------ */
/* Store health                                                              */

static void
add_health_banners (RelayWindow *self)
{
  static const char *store_ids[N_HEALTH_STORES] = { "squarespace", "tradegecko" };

  for (guint i = 0; i < N_HEALTH_STORES; i++)
    {
      StoreHealth *health = &self->health[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      health->store_id = store_ids[i];
      health->revealer = GTK_REVEALER (gtk_revealer_new ());
      health->label = GTK_LABEL (gtk_label_new (NULL));
      health->button = GTK_BUTTON (gtk_button_new ());

      gtk_widget_add_css_class (box, "health-banner");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_label_set_wrap (health->label, TRUE);
      gtk_label_set_xalign (health->label, 0);
      gtk_widget_set_hexpand (GTK_WIDGET (health->label), TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (health->label));
      gtk_button_set_use_underline (health->button, TRUE);
      gtk_widget_set_valign (GTK_WIDGET (health->button), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (health->button), "suggested-action");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (health->button));

      gtk_revealer_set_transition_type (health->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
      gtk_revealer_set_child (health->revealer, box);
      gtk_box_append (self->health_box, GTK_WIDGET (health->revealer));
    }
}

static StoreHealth *
find_health (RelayWindow *self,
             const char  *store_id)
{
  for (guint i = 0; i < N_HEALTH_STORES; i++)
    if (g_strcmp0 (self->health[i].store_id, store_id) == 0)
      return &self->health[i];

  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                   */

static void
filter_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RelayWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    {
      if (g_strcmp0 (flows[i].name, name) != 0)
        continue;

      self->flow_index = i;
      g_simple_action_set_state (action, parameter);
      apply_filter (self);
      return;
    }

  g_warning ("No such order filter: %s", name);
}

static void
show_all_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RelayWindow *self = user_data;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (self), "filter", g_variant_new_string ("all"));
  apply_filter (self);
}

static void
search_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RelayWindow *self = user_data;

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sync_now_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RelayWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
}

static void
retry_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  GtkApplication *app;

  if (self->shown_order == NULL)
    return;

  if (!relay_store_requeue (self->store, self->shown_order, &error))
    {
      relay_window_add_toast (self, error->message, NULL, NULL);
      return;
    }

  relay_window_add_toast (self, _("The order is queued for delivery again"), NULL, NULL);
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL && g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync-now"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  refresh_now (self);
}

static void
skip_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->shown_order == NULL)
    return;

  if (!relay_store_skip (self->store, self->shown_order, _("Skipped by the merchant"), &error))
    relay_window_add_toast (self, error->message, NULL, NULL);
  else
    relay_window_add_toast (self, _("The order will not be sent to TradeGecko"), _("Undo"), "order.retry");
  refresh_now (self);
}

static GtkWidget *
labeled_entry (GtkWidget  *box,
               const char *label_text,
               const char *name,
               const char *text)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_widget_set_name (entry, name);
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);

  return entry;
}

/* The first SKU of the order that TradeGecko did not know. */
static char *
dup_unresolved_sku (RelayWindow *self)
{
  g_autoptr(RelayOrder) order = relay_store_load_order (self->store, self->shown_order, NULL);
  g_autoptr(GPtrArray) resolved = relay_store_dup_resolved_lines (self->store, self->shown_order, NULL);
  g_autoptr(RelayOrderRow) row = relay_store_find_order (self->store, self->shown_order, NULL);
  GPtrArray *lines;

  if (order == NULL)
    return NULL;

  lines = relay_order_get_lines (order);
  /* The rejection names the SKU: prefer a line whose SKU it mentions. */
  for (guint i = 0; row != NULL && row->stage_reason != NULL && i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);
      if (line->sku != NULL && strstr (row->stage_reason, line->sku) != NULL)
        return g_strdup (line->sku);
    }
  for (guint i = 0; i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);
      gboolean matched = FALSE;

      for (guint j = 0; resolved != NULL && j < resolved->len; j++)
        {
          const RelayResolvedLine *candidate = g_ptr_array_index (resolved, j);
          if (g_strcmp0 (candidate->line_id, line->id) == 0 && candidate->variant_id != 0)
            matched = TRUE;
        }
      if (line->is_physical && line->sku != NULL && !matched)
        return g_strdup (line->sku);
    }

  return NULL;
}

static void
alias_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   RelayWindow      *self)
{
  GtkWidget *store_entry = g_object_get_data (G_OBJECT (dialog), "store-sku");
  GtkWidget *tradegecko_entry = g_object_get_data (G_OBJECT (dialog), "tradegecko-sku");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint retried;

  if (g_strcmp0 (response, "add") != 0)
    return;

  retried = relay_window_add_item_alias (self,
                                         gtk_editable_get_text (GTK_EDITABLE (store_entry)),
                                         gtk_editable_get_text (GTK_EDITABLE (tradegecko_entry)),
                                         &error);
  if (error != NULL)
    {
      relay_window_add_toast (self, error->message, NULL, NULL);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Alias added; %u waiting order is retried",
                                          "Alias added; %u waiting orders are retried", retried), retried);
  relay_window_add_toast (self, message, NULL, NULL);
}

/* The alias dialog checks the TradeGecko SKU as it is typed. */
typedef struct
{
  AdwMessageDialog *dialog;   /* weak */
  GtkLabel         *status;
  char             *sku;
} SkuCheck;

static void
sku_check_free (SkuCheck *check)
{
  g_clear_weak_pointer (&check->dialog);
  g_free (check->sku);
  g_free (check);
}

static void
variants_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SkuCheck *check = user_data;
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  GtkEditable *entry;
  guint n_active = 0;

  variants = relay_tradegecko_find_variants_by_skus_finish (RELAY_TRADEGECKO (object), result, &error);
  if (check->dialog == NULL)
    {
      sku_check_free (check);
      return;
    }

  /* Only the answer for what the entry says now counts. */
  entry = g_object_get_data (G_OBJECT (check->dialog), "tradegecko-sku");
  if (g_strcmp0 (gtk_editable_get_text (entry), check->sku) != 0)
    {
      sku_check_free (check);
      return;
    }

  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);
      const char *status = json_object_get_string_member_with_default (variant, "status", "active");

      if (g_strcmp0 (status, "active") != 0)
        continue;
      n_active++;
      g_string_append_printf (found, "%s%s%s%s (variant %" G_GINT64_FORMAT ")",
                              found->len > 0 ? "; " : "",
                              json_object_get_string_member_with_default (variant, "product_name", ""),
                              json_object_get_string_member_with_default (variant, "name", NULL) != NULL ? " — " : "",
                              json_object_get_string_member_with_default (variant, "name", ""),
                              json_object_get_int_member_with_default (variant, "id", 0));
    }

  gtk_widget_remove_css_class (GTK_WIDGET (check->status), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (check->status), "success");
  if (variants == NULL)
    {
      /* TradeGecko cannot be asked now: the merchant may still save the alias. */
      g_autofree char *text = g_strdup_printf (_("Could not check in TradeGecko: %s"), error->message);
      gtk_label_set_label (check->status, text);
      adw_message_dialog_set_response_enabled (check->dialog, "add", TRUE);
    }
  else if (n_active == 1)
    {
      g_autofree char *text = g_strdup_printf (_("TradeGecko: %s"), found->str);
      gtk_label_set_label (check->status, text);
      gtk_widget_add_css_class (GTK_WIDGET (check->status), "success");
      adw_message_dialog_set_response_enabled (check->dialog, "add", TRUE);
    }
  else
    {
      gtk_label_set_label (check->status, n_active == 0 ? _("No active TradeGecko variant has exactly this SKU")
                                                        : _("Several active TradeGecko variants have this SKU"));
      gtk_widget_add_css_class (GTK_WIDGET (check->status), "error");
      adw_message_dialog_set_response_enabled (check->dialog, "add", FALSE);
    }

  sku_check_free (check);
}

/* The alias dialog also searches TradeGecko as the merchant types, and offers
 * the first matches to pick from. */
#define ALIAS_SEARCH_DELAY_MS 300
#define ALIAS_SEARCH_MAX_ROWS 8

typedef struct
{
  AdwMessageDialog *dialog;        /* weak */
  GtkListBox       *matches;       /* weak */
  GCancellable     *cancellable;
  guint             timeout_id;
} AliasSearch;

static void
alias_search_free (AliasSearch *search)
{
  g_clear_handle_id (&search->timeout_id, g_source_remove);
  if (search->cancellable != NULL)
    g_cancellable_cancel (search->cancellable);
  g_clear_object (&search->cancellable);
  g_clear_weak_pointer (&search->dialog);
  g_clear_weak_pointer (&search->matches);
  g_free (search);
}

/* "48.0" → "48": stock is a decimal string. */
static char *
format_stock (const char *stock)
{
  char *text = g_strdup (stock);
  char *point = strchr (text, '.');

  if (point != NULL)
    {
      char *end = text + strlen (text);

      while (end > point + 1 && end[-1] == '0')
        *--end = '\0';
      if (end == point + 1)
        *point = '\0';
    }

  return text;
}

static void
clear_matches (GtkListBox *matches)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (matches))) != NULL)
    gtk_list_box_remove (matches, child);
  gtk_widget_set_visible (GTK_WIDGET (matches), FALSE);
}

typedef struct
{
  GtkListBox   *matches;       /* weak */
  GCancellable *cancellable;
} SearchRequest;

static void
search_request_free (SearchRequest *request)
{
  g_clear_weak_pointer (&request->matches);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
variants_searched_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SearchRequest *request = user_data;
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = 0;

  variants = relay_tradegecko_search_variants_finish (RELAY_TRADEGECKO (object), result, &error);
  /* A newer search replaced this one, or the dialog is gone. */
  if (g_cancellable_is_cancelled (request->cancellable) || request->matches == NULL)
    {
      search_request_free (request);
      return;
    }

  clear_matches (request->matches);
  if (variants == NULL)
    {
      /* The exact-SKU check below the entry says what is wrong with TradeGecko. */
      g_debug ("TradeGecko variant search failed: %s", error->message);
      search_request_free (request);
      return;
    }

  for (guint i = 0; i < json_array_get_length (variants) && n_rows < ALIAS_SEARCH_MAX_ROWS; i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);
      const char *sku = variant != NULL ? json_object_get_string_member_with_default (variant, "sku", "") : "";
      const char *product, *name, *stock;
      g_autofree char *stock_text = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      /* A variant without a SKU cannot be the target of an alias. */
      if (sku == NULL || *sku == '\0')
        continue;

      product = json_object_get_string_member_with_default (variant, "product_name", "");
      name = json_object_get_string_member_with_default (variant, "name", NULL);
      stock = json_object_get_string_member_with_default (variant, "available_stock", NULL);
      stock_text = stock != NULL ? format_stock (stock) : NULL;
      if (name != NULL && *name != '\0')
        subtitle = g_strdup_printf ("%s — %s", product, name);
      else
        subtitle = g_strdup (product);
      if (stock_text != NULL)
        {
          /* Translators: a TradeGecko variant's product — variant name, then its available stock. */
          g_autofree char *with_stock = g_strdup_printf (_("%s · %s available"), subtitle, stock_text);

          g_free (subtitle);
          subtitle = g_steal_pointer (&with_stock);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sku);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "sku", g_strdup (sku), g_free);
      gtk_list_box_append (request->matches, row);
      n_rows++;
    }
  gtk_widget_set_visible (GTK_WIDGET (request->matches), n_rows > 0);

  search_request_free (request);
}

static gboolean
alias_search_timeout_cb (gpointer user_data)
{
  AliasSearch *search = user_data;
  RelayWindow *self;
  GtkApplication *app;
  RelayTradegecko *tradegecko;
  GtkEditable *entry;
  g_autofree char *query = NULL;
  SearchRequest *request;

  search->timeout_id = 0;
  if (search->dialog == NULL || search->matches == NULL)
    return G_SOURCE_REMOVE;

  self = RELAY_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (search->dialog)));
  app = gtk_window_get_application (GTK_WINDOW (self));
  tradegecko = app != NULL ? relay_application_get_tradegecko (RELAY_APPLICATION (app)) : NULL;
  entry = g_object_get_data (G_OBJECT (search->dialog), "tradegecko-sku");
  query = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (tradegecko == NULL || *query == '\0')
    {
      clear_matches (search->matches);
      return G_SOURCE_REMOVE;
    }

  search->cancellable = g_cancellable_new ();
  request = g_new0 (SearchRequest, 1);
  g_set_weak_pointer (&request->matches, search->matches);
  request->cancellable = g_object_ref (search->cancellable);
  relay_tradegecko_search_variants_async (tradegecko, query, search->cancellable, variants_searched_cb, request);

  return G_SOURCE_REMOVE;
}

/* Restarts the search for what the entry says now, after a pause in typing. */
static void
alias_search_restart (AdwMessageDialog *dialog)
{
  AliasSearch *search = g_object_get_data (G_OBJECT (dialog), "tradegecko-search");

  g_clear_handle_id (&search->timeout_id, g_source_remove);
  if (search->cancellable != NULL)
    g_cancellable_cancel (search->cancellable);
  g_clear_object (&search->cancellable);
  /* The rows shown stay until the new answer replaces them: this may run while one is activated. */
  search->timeout_id = g_timeout_add (ALIAS_SEARCH_DELAY_MS, alias_search_timeout_cb, search);
}

static void
variant_match_activated_cb (GtkListBox       *matches,
                            GtkListBoxRow    *row,
                            AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "tradegecko-sku");
  g_autofree char *sku = g_strdup (g_object_get_data (G_OBJECT (row), "sku"));

  /* The entry's change checks the SKU exactly, as if it was typed. */
  gtk_editable_set_text (entry, sku);
  gtk_editable_set_position (entry, -1);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
}

static void
tradegecko_sku_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  RelayWindow *self = RELAY_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkLabel *status = g_object_get_data (G_OBJECT (dialog), "tradegecko-status");
  RelayTradegecko *tradegecko = app != NULL ? relay_application_get_tradegecko (RELAY_APPLICATION (app)) : NULL;
  g_autofree char *sku = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *skus[] = { sku, NULL };
  SkuCheck *check;

  alias_search_restart (dialog);
  adw_message_dialog_set_response_enabled (dialog, "add", *sku != '\0');
  if (*sku == '\0' || tradegecko == NULL)
    {
      gtk_label_set_label (status, tradegecko == NULL ? _("Not checked: TradeGecko is not connected") : "");
      return;
    }

  gtk_label_set_label (status, _("Looking the SKU up in TradeGecko…"));
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);
  check = g_new0 (SkuCheck, 1);
  g_set_weak_pointer (&check->dialog, dialog);
  check->status = status;
  check->sku = g_strdup (gtk_editable_get_text (entry));
  relay_tradegecko_find_variants_by_skus_async (tradegecko, skus, NULL, variants_found_cb, check);
}

static void
add_alias_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autofree char *sku = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;

  if (self->shown_order == NULL)
    return;

  sku = dup_unresolved_sku (self);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Item Alias"),
                                   _("Orders with this store SKU will use the TradeGecko variant with the other SKU. "
                                     "Every waiting order that uses it is retried."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = labeled_entry (box, _("_Squarespace SKU"), "store-sku", sku);
  g_object_set_data (G_OBJECT (dialog), "store-sku", entry);
  entry = labeled_entry (box, _("_TradeGecko SKU"), "tradegecko-sku", NULL);
  g_object_set_data (G_OBJECT (dialog), "tradegecko-sku", entry);
  {
    GtkWidget *status = gtk_label_new (NULL);

    gtk_label_set_wrap (GTK_LABEL (status), TRUE);
    gtk_label_set_xalign (GTK_LABEL (status), 0);
    gtk_widget_add_css_class (status, "caption");
    gtk_box_append (GTK_BOX (box), status);
    g_object_set_data (G_OBJECT (dialog), "tradegecko-status", status);
  }
  {
    GtkWidget *matches = gtk_list_box_new ();
    AliasSearch *search = g_new0 (AliasSearch, 1);

    gtk_list_box_set_selection_mode (GTK_LIST_BOX (matches), GTK_SELECTION_NONE);
    gtk_widget_add_css_class (matches, "boxed-list");
    gtk_widget_set_visible (matches, FALSE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (matches),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("TradeGecko variants that match"),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Activate a variant to use its SKU"),
                                    -1);
    gtk_box_append (GTK_BOX (box), matches);
    g_signal_connect_object (matches, "row-activated", G_CALLBACK (variant_match_activated_cb), dialog, 0);
    g_object_set_data (G_OBJECT (dialog), "tradegecko-matches", matches);

    g_set_weak_pointer (&search->dialog, ADW_MESSAGE_DIALOG (dialog));
    g_set_weak_pointer (&search->matches, GTK_LIST_BOX (matches));
    g_object_set_data_full (G_OBJECT (dialog), "tradegecko-search", search, (GDestroyNotify) alias_search_free);
  }
  g_signal_connect_object (entry, "changed", G_CALLBACK (tradegecko_sku_changed_cb), dialog, 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add Alias"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (alias_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
shipping_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RelayWindow      *self)
{
  GtkWidget *method_entry = g_object_get_data (G_OBJECT (dialog), "squarespace-method");
  GtkWidget *label_entry = g_object_get_data (G_OBJECT (dialog), "tradegecko-label");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "map") != 0)
    return;

  if (!relay_store_set_shipping_method (self->store,
                                        gtk_editable_get_text (GTK_EDITABLE (method_entry)),
                                        gtk_editable_get_text (GTK_EDITABLE (label_entry)),
                                        &error))
    {
      relay_window_add_toast (self, error->message, NULL, NULL);
      return;
    }

  relay_window_add_toast (self, _("Shipping method mapped"), _("Retry Now"), "order.retry");
}

static void
map_shipping_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(RelayOrder) order = NULL;
  const char *method = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;

  if (self->shown_order == NULL)
    return;

  order = relay_store_load_order (self->store, self->shown_order, NULL);
  if (order != NULL && relay_order_get_shipping_lines (order)->len > 0)
    method = ((RelayShippingLine *) g_ptr_array_index (relay_order_get_shipping_lines (order), 0))->method;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Map Shipping Method"),
                                   _("Orders with this Squarespace shipping method get the TradeGecko shipping label you choose."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = labeled_entry (box, _("_Squarespace method"), "squarespace-method", method);
  g_object_set_data (G_OBJECT (dialog), "squarespace-method", entry);
  entry = labeled_entry (box, _("_TradeGecko shipping label"), "tradegecko-label", NULL);
  g_object_set_data (G_OBJECT (dialog), "tradegecko-label", entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "map", _("_Map"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "map", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "map");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (shipping_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
preview_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  RelayWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->shown_order == NULL || app == NULL)
    return;

  /* The preview needs TradeGecko's variants: the application owns the connection. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preview-order", g_variant_new_string (self->shown_order));
}

static const GActionEntry win_actions[] = {
  { "filter", NULL, "s", "'all'", filter_action_cb },
  { "show-all", show_all_action_cb },
  { "search", search_action_cb },
  { "sync-now", sync_now_action_cb },
};

static const GActionEntry order_actions[] = {
  { "add-alias", add_alias_action_cb },
  { "map-shipping", map_shipping_action_cb },
  { "retry", retry_action_cb },
  { "skip", skip_action_cb },
  { "preview", preview_action_cb },
};

/* ------------------------------------------------------------------------ */

static void
relay_window_bind_size_to_settings (RelayWindow *self,
                                    GSettings   *settings)
{
  /* Restored before the window is shown so it does not visibly jump. */
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
relay_window_dispose (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->orders);
  g_clear_object (&self->store);
  g_clear_object (&self->order_actions);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_WINDOW);

  G_OBJECT_CLASS (relay_window_parent_class)->dispose (object);
}

static void
relay_window_finalize (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  g_clear_pointer (&self->shown_order, g_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->last_toast_action, g_free);
  for (guint i = 0; i < N_HEALTH_STORES; i++)
    g_clear_pointer (&self->health[i].message, g_free);

  G_OBJECT_CLASS (relay_window_parent_class)->finalize (object);
}

static void
relay_window_class_init (RelayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *flow_ids[] = { "all", "new", "at_tradegecko", "shipped", "confirmed", "attention", "closed" };

  object_class->dispose = relay_window_dispose;
  object_class->finalize = relay_window_finalize;

  g_type_ensure (RELAY_TYPE_ORDER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, health_box);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, not_connected_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, order_detail);

  for (guint i = 0; i < G_N_ELEMENTS (flow_ids); i++)
    {
      g_autofree char *count = g_strdup_printf ("flow_%s_count", flow_ids[i]);
      g_autofree char *latest = g_strdup_printf ("flow_%s_latest", flow_ids[i]);

      gtk_widget_class_bind_template_child_full (widget_class, count, FALSE,
                                                 G_STRUCT_OFFSET (RelayWindow, flow_counts) + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, latest, FALSE,
                                                 G_STRUCT_OFFSET (RelayWindow, flow_latest) + i * sizeof (gpointer));
    }

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  self->order_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->order_actions), order_actions, G_N_ELEMENTS (order_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "order", G_ACTION_GROUP (self->order_actions));
  update_order_actions (self);

  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  add_columns (self);
  add_health_banners (self);
  relay_window_set_connected (self, FALSE);
}

RelayWindow *
relay_window_new (RelayApplication *application)
{
  RelayWindow *self;

  g_return_val_if_fail (RELAY_IS_APPLICATION (application), NULL);

  self = g_object_new (RELAY_TYPE_WINDOW,
                       "application", application,
                       NULL);
  relay_window_bind_size_to_settings (self, relay_application_get_settings (application));

  return self;
}

/**
 * relay_window_get_visible_page_name:
 * @self: a #RelayWindow
 *
 * Which of the window's states is shown: `not-connected` until both stores
 * are connected, then `list`, `no-orders` or `no-results`.
 *
 * Returns: (transfer none): the name of the visible page
 */
const char *
relay_window_get_visible_page_name (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "orders") == 0)
    return gtk_stack_get_visible_child_name (self->list_stack);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * relay_window_set_store:
 * @self: a #RelayWindow
 * @store: the state store whose orders are shown
 */
void
relay_window_set_store (RelayWindow *self,
                        RelayStore  *store)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (RELAY_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_signal_connect_object (store, "order-changed", G_CALLBACK (order_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->orders);

  self->orders = relay_order_list_model_new (store);
  relay_order_list_model_set_filter (self->orders, flows[self->flow_index].mask,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  view_sorter_changed_cb (self, GTK_SORTER_CHANGE_DIFFERENT, gtk_column_view_get_sorter (self->column_view));
  g_signal_connect_object (self->orders, "notify::n-items", G_CALLBACK (n_orders_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "items-changed", G_CALLBACK (n_orders_changed_cb), self, G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->orders)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  update_list_page (self);
  refresh_now (self);
}

RelayStore *
relay_window_get_store (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * relay_window_set_connected:
 * @self: a #RelayWindow
 * @connected: whether both stores are connected
 *
 * Shows the orders once both stores are connected, the invitation to connect
 * them before.
 */
void
relay_window_set_connected (RelayWindow *self,
                            gboolean     connected)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  self->connected = !!connected;
  gtk_stack_set_visible_child_name (self->main_stack, connected ? "orders" : "not-connected");
  /* Nothing to sync until both stores are connected. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now")), connected);
}

gboolean
relay_window_get_connected (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), FALSE);

  return self->connected;
}

/**
 * relay_window_get_order_list:
 * @self: a #RelayWindow
 *
 * Returns: (transfer none) (nullable): the list shown, %NULL before a store is set
 */
RelayOrderListModel *
relay_window_get_order_list (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->orders;
}

/**
 * relay_window_get_order_actions:
 * @self: a #RelayWindow
 *
 * Returns: (transfer none): the `order.*` actions on the order shown
 */
GActionGroup *
relay_window_get_order_actions (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return G_ACTION_GROUP (self->order_actions);
}

/**
 * relay_window_show_order:
 * @self: a #RelayWindow
 * @squarespace_id: (nullable): the order to show in the side pane
 */
void
relay_window_show_order (RelayWindow *self,
                         const char  *squarespace_id)
{
  guint position;

  g_return_if_fail (RELAY_IS_WINDOW (self));

  if (g_strcmp0 (self->shown_order, squarespace_id) != 0)
    {
      g_free (self->shown_order);
      self->shown_order = g_strdup (squarespace_id);
      /* Another order starts at its top, where the problem and its fix are. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
    }

  if (squarespace_id != NULL && self->orders != NULL &&
      relay_order_list_model_find (self->orders, squarespace_id, &position) &&
      gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);

  refresh_detail (self);
}

const char *
relay_window_get_shown_order (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->shown_order;
}

/**
 * relay_window_get_flow_count:
 * @self: a #RelayWindow
 * @flow: a `win.filter` target: `all`, `new`, `at_tradegecko`, `shipped`,
 *   `confirmed`, `attention` or `closed`
 *
 * Returns: the count the flow header shows
 */
guint64
relay_window_get_flow_count (RelayWindow *self,
                             const char  *flow)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    if (g_strcmp0 (flows[i].name, flow) == 0)
      return g_ascii_strtoull (gtk_label_get_label (self->flow_counts[i]), NULL, 10);

  g_return_val_if_reached (0);
}

/**
 * relay_window_add_item_alias:
 * @self: a #RelayWindow
 * @store_sku: the SKU in Squarespace
 * @tradegecko_sku: the SKU of the TradeGecko variant to use
 * @error: return location for a #GError
 *
 * Saves the alias, then sends every rejected order that uses @store_sku back
 * for delivery and asks for a sync.
 *
 * Returns: how many orders were retried (0 with @error set on failure)
 */
guint
relay_window_add_item_alias (RelayWindow  *self,
                             const char   *store_sku,
                             const char   *tradegecko_sku,
                             GError      **error)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *sku = NULL;
  GtkApplication *app;
  guint retried = 0;

  g_return_val_if_fail (RELAY_IS_WINDOW (self), 0);
  g_return_val_if_fail (self->store != NULL, 0);

  sku = g_strstrip (g_strdup (store_sku != NULL ? store_sku : ""));
  if (!relay_store_set_item_alias (self->store, sku, tradegecko_sku, error))
    return 0;

  keys = relay_store_dup_order_keys (self->store, RELAY_STAGE_MASK (RELAY_STAGE_REJECTED), sku,
                                     RELAY_ORDER_SORT_CREATED, FALSE, error);
  if (keys == NULL)
    return 0;
  rows = relay_store_dup_orders_by_keys (self->store, (const gint64 *) (gpointer) keys->data, keys->len, error);
  if (rows == NULL)
    return 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const RelayOrderRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) local_error = NULL;

      if (row == NULL)
        continue;
      if (relay_store_requeue (self->store, row->squarespace_id, &local_error))
        retried++;
      else
        g_warning ("Could not retry order %s: %s", row->order_number, local_error->message);
    }

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (retried > 0 && app != NULL && g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync-now"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  refresh_now (self);

  return retried;
}

/**
 * relay_window_add_toast:
 * @self: a #RelayWindow
 * @title: the message
 * @button_label: (nullable): a button on the toast
 * @action_name: (nullable): what the button does
 */
void
relay_window_add_toast (RelayWindow *self,
                        const char  *title,
                        const char  *button_label,
                        const char  *action_name)
{
  AdwToast *toast;

  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  g_free (self->last_toast_action);
  self->last_toast_action = g_strdup (action_name);

  self->n_toasts++;
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, button_label != NULL ? 10 : 5);
  /* A problem with a way out stays until dismissed and goes before other news. */
  if (button_label != NULL && g_str_has_prefix (action_name, "app."))
    {
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  if (button_label != NULL && action_name != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
relay_window_get_last_toast (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->last_toast;
}

/**
 * relay_window_get_last_toast_action:
 * @self: a #RelayWindow
 *
 * Returns: (nullable): the action of the last toast's button
 */
const char *
relay_window_get_last_toast_action (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->last_toast_action;
}

/**
 * relay_window_set_sync_status:
 * @self: a #RelayWindow
 * @status: (nullable): e.g. “Synced 2 min ago · next in 3 min”
 */
void
relay_window_set_sync_status (RelayWindow *self,
                              const char  *status)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  adw_window_title_set_subtitle (self->window_title, status);
}

/**
 * relay_window_set_progress:
 * @self: a #RelayWindow
 * @text: (nullable): what the running cycle does (“Delivering to TradeGecko: 3 of 7”),
 *   %NULL when no cycle runs
 * @fraction: how far it is, from 0 to 1
 */
void
relay_window_set_progress (RelayWindow *self,
                           const char  *text,
                           double       fraction)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  gtk_revealer_set_reveal_child (self->progress_revealer, text != NULL);
  if (text != NULL)
    {
      gtk_label_set_label (self->progress_label, text);
      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
    }
}

/**
 * relay_window_set_store_health:
 * @self: a #RelayWindow
 * @store_id: `squarespace` or `tradegecko`
 * @message: (nullable): what is wrong with the store, %NULL once resolved
 * @button_label: (nullable): the one action that fixes it
 * @action_name: (nullable): what the button does
 *
 * Shows (or withdraws) the store's banner. Saying the same again changes
 * nothing on screen, so a store that stays down is not announced every cycle.
 */
void
relay_window_set_store_health (RelayWindow *self,
                               const char  *store_id,
                               const char  *message,
                               const char  *button_label,
                               const char  *action_name)
{
  StoreHealth *health;

  g_return_if_fail (RELAY_IS_WINDOW (self));

  health = find_health (self, store_id);
  g_return_if_fail (health != NULL);

  if (message != NULL && g_strcmp0 (health->message, message) != 0)
    gtk_label_set_label (health->label, message);
  g_free (health->message);
  health->message = g_strdup (message);

  gtk_widget_set_visible (GTK_WIDGET (health->button), message != NULL && button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (health->button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (health->button), action_name);
    }
  gtk_revealer_set_reveal_child (health->revealer, message != NULL);
}

/**
 * relay_window_get_store_health:
 * @self: a #RelayWindow
 * @store_id: `squarespace` or `tradegecko`
 * @action_name: (out) (optional) (transfer none): the banner's action, %NULL for none
 *
 * Returns: (nullable): the problem the store's banner shows, %NULL when healthy
 */
const char *
relay_window_get_store_health (RelayWindow  *self,
                               const char   *store_id,
                               const char  **action_name)
{
  StoreHealth *health;

  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  health = find_health (self, store_id);
  g_return_val_if_fail (health != NULL, NULL);

  if (action_name != NULL)
    *action_name = health->message != NULL && gtk_widget_get_visible (GTK_WIDGET (health->button))
                   ? gtk_actionable_get_action_name (GTK_ACTIONABLE (health->button)) : NULL;

  return health->message;
}

/**
 * relay_window_get_n_toasts:
 * @self: a #RelayWindow
 *
 * Returns: how many toasts were added since the window opened
 */
guint
relay_window_get_n_toasts (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), 0);

  return self->n_toasts;
}
