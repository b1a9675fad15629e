/* relay-window.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-sync-alias.h"
#include "relay-sync-engine.h"
#include "relay-ui-utils.h"
#include "relay-window-private.h"

typedef struct
{
  const char *name;   /* the win.filter target */
  guint       mask;
} Flow;

static const Flow flows[RELAY_WINDOW_N_FLOWS] = {
  { "all", 0 },
  { "new", RELAY_STAGE_MASK (RELAY_STAGE_NEW) },
  { "at_tradegecko", RELAY_STAGE_MASK (RELAY_STAGE_AT_TRADEGECKO) },
  { "shipped", RELAY_STAGE_MASK (RELAY_STAGE_SHIPPED) },
  { "confirmed", RELAY_STAGE_MASK (RELAY_STAGE_CONFIRMED) },
  { "attention", RELAY_STAGE_MASK (RELAY_STAGE_REJECTED) | RELAY_STAGE_MASK_ERRORS },
  { "closed", RELAY_STAGE_MASK (RELAY_STAGE_SKIPPED) | RELAY_STAGE_MASK (RELAY_STAGE_CANCELED) },
};


G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------------ */
/* The order list                                                            */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  column)
{
  relay_order_cell_setup (list_item, GPOINTER_TO_UINT (column));
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  column)
{
  relay_order_cell_set_item (relay_order_cell_get (list_item), gtk_list_item_get_item (list_item));
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  column)
{
  relay_order_cell_set_item (relay_order_cell_get (list_item), NULL);
}

/* A new sort or search gives the list's positions other orders (see
 * RelayOrderListModel::rows-replaced): the selection follows its order to its
 * new position, and after a sort or search the view scrolls there (not after
 * the store's changes: the merchant may have scrolled away on purpose); an
 * order no longer listed is unselected (and stays in the pane). The list's own
 * selection changes are not the merchant's: they neither reopen the pane nor
 * unfold it.
 *
 * Until the new keys are known nothing is selected, rather than a row now
 * showing another order. While the list grows to them (a few frames), the
 * order is selected as soon as its row is listed; a row the merchant picks
 * meanwhile stays picked. */
static void
set_selected_quietly (RelayWindow *self,
                      guint        position)
{
  self->keeping_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->keeping_selection = FALSE;
}

static void
replacing_rows_cb (RelayWindow *self)
{
  RelayOrderItem *selected;

  /* The window is going away, or its new list has no selection yet. */
  if (self->selection == NULL)
    return;

  /* Said again when a change interrupts another: the order noted first stays
   * noted unless one is selected now (listed early, or the merchant's pick). */
  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected != NULL)
    self->kept_order = relay_order_item_get_key (selected);
  set_selected_quietly (self, GTK_INVALID_LIST_POSITION);
  self->listed_early = NULL;
}

/* The list grows to its new keys: the kept order is selected once its row is
 * listed, not only when the list is whole. */
static void
select_kept_order_once_listed (RelayWindow *self)
{
  guint position;

  if (self->kept_order == 0 || relay_order_list_model_is_querying (self->orders) ||
      gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    return;

  if (!relay_order_list_model_find_key (self->orders, self->kept_order, &position))
    return;

  set_selected_quietly (self, position);
  self->listed_early = gtk_single_selection_get_selected_item (self->selection);
}

/* GTK 4.8's column view keeps its rows in an inner list view, with no API for it. */
static GtkWidget *
inner_list_view (RelayWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  return NULL;
}

/* The rows the list shows at its present height (0 before it is laid out), so
 * a search's first screenful fills a tall window and no more than a short one. */
static guint
rows_on_screen (RelayWindow *self)
{
  GtkWidget *list = inner_list_view (self);
  int height = list != NULL ? gtk_widget_get_height (list) : 0;

  for (GtkWidget *row = list != NULL ? gtk_widget_get_first_child (list) : NULL;
       row != NULL && height > 0;
       row = gtk_widget_get_next_sibling (row))
    {
      int row_height = gtk_widget_get_height (row);

      /* One row cut at the top, one at the bottom. */
      if (gtk_widget_get_child_visible (row) && row_height > 0)
        return height / row_height + 2;
    }

  return 0;
}

/* Before each sort or search, and whenever the list's height changes (the
 * window resized): the list's growth to the store's changes uses it too. */
static void
tell_list_rows_on_screen (RelayWindow *self)
{
  guint rows = self->orders != NULL ? rows_on_screen (self) : 0;

  if (rows > 0)
    relay_order_list_model_set_screen_rows (self->orders, rows);
}

static void
scroll_to_position (RelayWindow *self,
                    guint        position)
{
  GtkWidget *list = inner_list_view (self);

  /* GTK 4.8's column view has no scroll_to(): its inner list view has the action. */
  if (list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
}

static void
rows_replaced_cb (RelayWindow *self,
                  gboolean     new_order)
{
  guint position;

  if (self->selection == NULL)
    return;

  if (self->kept_order != 0 && relay_order_list_model_find_key (self->orders, self->kept_order, &position))
    {
      set_selected_quietly (self, position);
      if (new_order)
        scroll_to_position (self, position);
    }

  self->kept_order = 0;
}

/* GTK 4.8 cannot say which column the view is sorted by: every column's sorter
 * answers "larger" and names itself in the window's probe, so one comparison
 * through the view's sorter tells the column and, by the sign, the direction. */
static int
column_sort_probe (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  SortProbe *probe = user_data;

  probe->window->probed_sort = probe->sort;
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

  self->probed_sort = -1;
  /* Two different objects: a sorter answers "equal" for one item with itself. */
  ordering = gtk_sorter_compare (sorter, self, self->column_view);
  tell_list_rows_on_screen (self);
  if (self->probed_sort < 0)
    relay_order_list_model_set_sort (self->orders, RELAY_ORDER_SORT_CREATED, TRUE);
  else
    relay_order_list_model_set_sort (self->orders, (RelayOrderSort) self->probed_sort, ordering == GTK_ORDERING_SMALLER);
}

/* The widest stage badge as the stylesheet draws it, in the language shown
 * (“Needs attention”, “Braucht Aufmerksamkeit”): the Stage column never cuts
 * one short. */
static int
measure_widest_stage_badge (void)
{
  int widest = 0;

  for (guint i = 0; i <= RELAY_N_STAGES; i++)
    {
      /* One more than the stages: a waiting order whose last try failed says “Retrying”. */
      g_autoptr(GtkWidget) badge = g_object_ref_sink (relay_stage_badge_new ());
      int natural = 0;

      relay_stage_badge_update (badge, i < RELAY_N_STAGES ? i : RELAY_STAGE_NEW, i == RELAY_N_STAGES);
      gtk_widget_measure (badge, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      widest = MAX (widest, natural);
    }
  return widest;
}

static void
add_columns (RelayWindow *self)
{
  static const struct { const char *title; int sort; gboolean expand; int width; } columns[RELAY_N_ORDER_COLUMNS] = {
    [RELAY_ORDER_COLUMN_NUMBER] = { N_("Order"), RELAY_ORDER_SORT_NUMBER, FALSE, 70 },
    [RELAY_ORDER_COLUMN_CUSTOMER] = { N_("Customer"), RELAY_ORDER_SORT_CUSTOMER, TRUE, 120 },
    [RELAY_ORDER_COLUMN_STAGE] = { N_("Stage"), RELAY_ORDER_SORT_STAGE, FALSE, 160 },
    [RELAY_ORDER_COLUMN_DATE] = { N_("Date"), RELAY_ORDER_SORT_CREATED, FALSE, 130 },
    [RELAY_ORDER_COLUMN_ITEMS] = { N_("Items"), RELAY_ORDER_SORT_ITEMS, FALSE, 50 },
    [RELAY_ORDER_COLUMN_TOTAL] = { N_("Total"), RELAY_ORDER_SORT_TOTAL, FALSE, 90 },
    [RELAY_ORDER_COLUMN_TRADEGECKO] = { N_("TradeGecko"), RELAY_ORDER_SORT_TRADEGECKO, FALSE, 100 },
    [RELAY_ORDER_COLUMN_TRACKING] = { N_("Tracking"), -1, FALSE, 110 },
  };
  GtkColumnViewColumn *date_column = NULL;

  for (guint i = 0; i < RELAY_N_ORDER_COLUMNS; i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), GUINT_TO_POINTER (i));

      column = gtk_column_view_column_new (_(columns[i].title), g_object_ref (factory));
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* The cell's own padding beside the badge: 8 px on each side in Adwaita. */
      gtk_column_view_column_set_fixed_width (column, i == RELAY_ORDER_COLUMN_STAGE
                                                      ? MAX (columns[i].width, measure_widest_stage_badge () + 16)
                                                      : columns[i].width);
      if (columns[i].sort >= 0)
        {
          g_autoptr(GtkSorter) sorter = NULL;

          self->sort_probes[i].window = self;
          self->sort_probes[i].sort = columns[i].sort;
          sorter = GTK_SORTER (gtk_custom_sorter_new (column_sort_probe, &self->sort_probes[i], NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->column_view, column);
      if (i == RELAY_ORDER_COLUMN_DATE)
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

void
relay_window_apply_filter (RelayWindow *self)
{
  if (self->orders == NULL)
    return;

  tell_list_rows_on_screen (self);
  relay_order_list_model_set_filter (self->orders, flows[self->flow_index].mask,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_list_page (self);
}

/* The flow named by a `win.filter` target becomes the list's filter. */
gboolean
relay_window_select_flow (RelayWindow *self,
                          const char  *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    {
      if (g_strcmp0 (flows[i].name, name) != 0)
        continue;

      self->flow_index = i;
      relay_window_apply_filter (self);
      return TRUE;
    }

  return FALSE;
}

static void
search_changed_cb (RelayWindow *self)
{
  relay_window_apply_filter (self);
}

/* ------------------------------------------------------------------------ */
/* Flow header and detail, refreshed together after a burst of changes       */


static void
refresh_detail (RelayWindow *self)
{
  if (self->store == NULL || self->shown_order == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      relay_window_update_order_actions (self);
      return;
    }

  relay_order_detail_show_order (self->order_detail, self->store, self->shown_order);
  gtk_stack_set_visible_child_name (self->detail_stack, "order");
  relay_window_update_order_actions (self);
}

/* The first label of the counter that is neither the count nor the time: its title. */
static const char *
find_flow_title (GtkWidget *widget,
                 GtkWidget *count,
                 GtkWidget *latest)
{
  if (GTK_IS_LABEL (widget) && widget != count && widget != latest)
    return gtk_label_get_label (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      const char *title = find_flow_title (child, count, latest);

      if (title != NULL)
        return title;
    }

  return NULL;
}

/* A counter is announced as one phrase: "Needs Attention, 2, just now". */
static void
name_flow_button (RelayWindow *self,
                  guint        flow,
                  const char  *count,
                  const char  *when)
{
  GtkWidget *button = gtk_widget_get_ancestor (GTK_WIDGET (self->flow_counts[flow]), GTK_TYPE_TOGGLE_BUTTON);
  const char *title;
  g_autofree char *name = NULL;

  if (button == NULL)
    return;

  title = find_flow_title (button, GTK_WIDGET (self->flow_counts[flow]), GTK_WIDGET (self->flow_latest[flow]));
  name = when != NULL ? g_strdup_printf ("%s, %s, %s", title, count, when) : g_strdup_printf ("%s, %s", title, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
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
      name_flow_button (self, i, count, when);
    }
}

void
relay_window_refresh_now (RelayWindow *self)
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
  relay_window_refresh_now (self);

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

  if (self->keeping_selection)
    return;
  /* The kept order selected as it was listed: GtkSingleSelection says so only
   * once it thaws its notifications, after set_selected_quietly(). */
  if (item != NULL && item == self->listed_early)
    {
      self->listed_early = NULL;
      return;
    }
  self->listed_early = NULL;

  /* An order that leaves the filtered list stays in the pane. */
  if (item != NULL)
    {
      /* Picked while a new list was coming: it is not replaced by the one selected before. */
      self->kept_order = 0;
      relay_window_show_order (self, relay_order_item_get_squarespace_id (item));
      /* Folded, the order takes the window; Back returns to the list. */
      adw_leaflet_set_visible_child_name (self->leaflet, "detail");
    }
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
/* Syncing that had stopped                                                  */

/* The end of the last successful cycle of any process (this one, the background
 * app, the command line, the service units), Unix seconds; 0 never. */
static gint64
read_last_successful_cycle (RelayWindow *self)
{
  g_autofree char *text = relay_store_dup_checkpoint (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS, NULL);

  return text != NULL ? MAX (g_ascii_strtoll (text, NULL, 10), 0) : 0;
}

static gboolean
store_has_orders (RelayWindow *self)
{
  guint64 stages[RELAY_N_STAGES];

  if (!relay_store_count_stages (self->store, stages, NULL))
    return FALSE;
  for (guint i = 0; i < RELAY_N_STAGES; i++)
    if (stages[i] > 0)
      return TRUE;

  return FALSE;
}

/* Whether syncing has not succeeded for longer than the setting; a store that
 * never synced counts only once it has orders (not on a fresh install). */
static gboolean
sync_is_stale (RelayWindow *self,
               gint64      *last)
{
  guint hours = g_settings_get_uint (self->settings, "stale-sync-warning-hours");

  *last = read_last_successful_cycle (self);
  if (hours == 0)
    return FALSE;
  if (*last == 0)
    return store_has_orders (self);

  return g_get_real_time () / G_USEC_PER_SEC - *last > (gint64) hours * 3600;
}

static char *
format_stale_sync_message (gint64 last)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *when = NULL;

  if (last == 0)
    return g_strdup (_("Order Relay has no finished sync on record — orders are being fetched now."));

  time = g_date_time_new_from_unix_local (last);
  /* Translators: the date and time of the last sync, see g_date_time_format(); “March 14, 2026 09:30” */
  when = g_date_time_format (time, C_("last sync", "%B %-e, %Y %H:%M"));
  /* Translators: %s is a date and time, “March 14, 2026 09:30” */
  return g_strdup_printf (_("Order Relay had not synced since %s — orders placed meanwhile are being fetched now."), when);
}

/* Checked once each time the window opens with its stores connected, so a
 * merchant learns that the shop went unsynced while nothing was open; once
 * shown, it stays until a cycle succeeds (or the setting no longer warns). */
static void
update_stale_sync (RelayWindow *self)
{
  gboolean shown = gtk_revealer_get_reveal_child (self->stale_sync_revealer);
  gint64 last = 0;
  gboolean stale;

  if (self->store == NULL || self->settings == NULL || !self->connected)
    return;
  if (!shown && (self->stale_sync_checked || !gtk_widget_get_mapped (GTK_WIDGET (self))))
    return;

  stale = sync_is_stale (self, &last);
  if (!self->stale_sync_checked)
    {
      self->stale_sync_checked = TRUE;
      if (stale)
        {
          g_autofree char *message = format_stale_sync_message (last);

          g_debug ("Syncing had stopped: last successful cycle %" G_GINT64_FORMAT, last);
          self->stale_sync_since = last;
          gtk_label_set_label (self->stale_sync_label, message);
          gtk_revealer_set_reveal_child (self->stale_sync_revealer, TRUE);
        }
      return;
    }

  if (!stale || last != self->stale_sync_since)
    {
      g_debug ("Syncing again: the stale-sync banner is withdrawn");
      gtk_revealer_set_reveal_child (self->stale_sync_revealer, FALSE);
    }
}

static void
relay_window_map (GtkWidget *widget)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  GTK_WIDGET_CLASS (relay_window_parent_class)->map (widget);
  update_stale_sync (self);
}

static void
relay_window_unmap (GtkWidget *widget)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  /* Shown again later is opened again: checked again. */
  self->stale_sync_checked = FALSE;
  GTK_WIDGET_CLASS (relay_window_parent_class)->unmap (widget);
}

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
  g_clear_object (&self->settings);
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
    {
      g_clear_pointer (&self->health[i].message, g_free);
      g_clear_pointer (&self->health[i].action, g_free);
    }

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
  widget_class->map = relay_window_map;
  widget_class->unmap = relay_window_unmap;

  g_type_ensure (RELAY_TYPE_ORDER_DETAIL);
  g_type_ensure (RELAY_TYPE_STOCK_VIEW);
  g_type_ensure (RELAY_TYPE_SKU_CHECK_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, view_switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, stock_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sku_check_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, health_box);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, stale_sync_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, stale_sync_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sync_status_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, not_connected_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, leaflet);
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

/* GTK 4.8 gives the column view's inner list and its header row no names of
 * their own (and no API for them): a screen reader would announce them by
 * their class names. */
static void
name_order_list (RelayWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    GTK_IS_LIST_VIEW (child) ? _("Orders") : _("Order list columns"), -1);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);

  relay_window_install_actions (self);
  relay_window_init_views (self);

  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  add_columns (self);
  name_order_list (self);
  /* The scrolled window gave the column view its adjustment: its page is the list's height. */
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)), "notify::page-size",
                           G_CALLBACK (tell_list_rows_on_screen), self, G_CONNECT_SWAPPED);
  relay_label_unnamed_parts (GTK_WIDGET (self));
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
  self->settings = g_object_ref (relay_application_get_settings (application));
  relay_window_bind_size_to_settings (self, self->settings);
  g_signal_connect_object (self->settings, "changed::stale-sync-warning-hours",
                           G_CALLBACK (update_stale_sync), self, G_CONNECT_SWAPPED);

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
  self->listed_early = NULL;

  self->orders = relay_order_list_model_new (store);
  relay_order_list_model_set_filter (self->orders, flows[self->flow_index].mask,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  view_sorter_changed_cb (self, GTK_SORTER_CHANGE_DIFFERENT, gtk_column_view_get_sorter (self->column_view));
  g_signal_connect_object (self->orders, "notify::n-items", G_CALLBACK (n_orders_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "items-changed", G_CALLBACK (n_orders_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "replacing-rows", G_CALLBACK (replacing_rows_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "rows-replaced", G_CALLBACK (rows_replaced_cb), self, G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->orders)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  /* After the selection and the view took the list's change in, not during it. */
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (select_kept_order_once_listed),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  update_list_page (self);
  relay_window_refresh_now (self);
  update_stale_sync (self);
  relay_window_views_update (self);
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
  update_stale_sync (self);
  relay_window_views_update (self);
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
 * Saves the alias, then sends exactly the rejected orders waiting on
 * @store_sku back for delivery (relay_store_add_item_alias_retry()) and asks
 * for a sync.
 *
 * Returns: how many orders were retried (0 with @error set on failure)
 */
guint
relay_window_add_item_alias (RelayWindow  *self,
                             const char   *store_sku,
                             const char   *tradegecko_sku,
                             GError      **error)
{
  GtkApplication *app;
  RelaySyncEngine *engine = NULL;
  GError *local_error = NULL;
  guint retried;

  g_return_val_if_fail (RELAY_IS_WINDOW (self), 0);
  g_return_val_if_fail (self->store != NULL, 0);

  /* The engine's retry path forgets its cached variants; a store no engine
   * reads (no account connected yet) has none to forget. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (RELAY_IS_APPLICATION (app))
    engine = relay_application_get_engine (RELAY_APPLICATION (app));
  if (engine != NULL && relay_sync_engine_get_store (engine) != self->store)
    engine = NULL;

  retried = relay_store_add_item_alias_retry (self->store, engine, store_sku, tradegecko_sku, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return 0;
    }

  if (retried > 0 && app != NULL && g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync-now"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  relay_window_refresh_now (self);

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

  /* Only the line at the foot says it, at every width: a wide window's title
   * has the view switcher, and a narrow one's subtitle would say it twice. */
  gtk_label_set_text (self->sync_status_label, status != NULL ? status : _("Not syncing"));
  /* One line that never grows: what an ellipsis cuts is in the tooltip. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_status_label), status);
  /* Said after every cycle: the last success may be new, and so may the stock. */
  update_stale_sync (self);
  relay_window_views_cycle_ended (self);
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
  /* No progress: a cycle ended, perhaps the first success for a while. */
  if (text == NULL)
    update_stale_sync (self);
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
  g_free (health->action);
  health->action = g_strdup (action_name);

  gtk_widget_set_visible (GTK_WIDGET (health->button), message != NULL && button_label != NULL);
  if (button_label != NULL)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;

      gtk_button_set_label (health->button, button_label);
      /* The target before the name: GTK checks the action against the target it has. */
      if (action_name != NULL && !g_action_parse_detailed_name (action_name, &name, &target, NULL))
        g_return_if_reached ();
      gtk_actionable_set_action_name (GTK_ACTIONABLE (health->button), NULL);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (health->button), target);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (health->button), name);
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
                   ? health->action : NULL;

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

/**
 * relay_window_set_demo:
 * @self: a #RelayWindow
 * @demo: whether the window shows `order-relay --demo`
 *
 * Says so in the title and in a line above the orders, so demo orders are
 * never taken for a real shop's.
 */
void
relay_window_set_demo (RelayWindow *self,
                       gboolean     demo)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  if (self->demo == !!demo)
    return;
  self->demo = !!demo;

  adw_view_switcher_title_set_title (self->window_title, demo ? _("Order Relay Demo") : _("Order Relay"));
  gtk_window_set_title (GTK_WINDOW (self), demo ? _("Order Relay Demo") : _("Order Relay"));
  if (demo && self->demo_banner == NULL)
    {
      self->demo_banner = gtk_label_new (_("Demo: the orders come from a built-in test store. Nothing here reaches a real shop."));
      gtk_label_set_wrap (GTK_LABEL (self->demo_banner), TRUE);
      gtk_widget_add_css_class (self->demo_banner, "demo-banner");
      gtk_box_prepend (self->health_box, self->demo_banner);
    }
  if (self->demo_banner != NULL)
    gtk_widget_set_visible (self->demo_banner, demo);
}

gboolean
relay_window_get_demo (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), FALSE);

  return self->demo;
}

/**
 * relay_window_get_stale_sync_warning:
 * @self: a #RelayWindow
 *
 * Returns: (nullable): what the banner says about syncing that had stopped,
 *   %NULL while it is not shown
 */
const char *
relay_window_get_stale_sync_warning (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->stale_sync_revealer))
    return NULL;

  return gtk_label_get_label (self->stale_sync_label);
}
