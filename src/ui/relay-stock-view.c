/* relay-stock-view.c — the main window's Stock view and its stock timeline
 *
 * Lists what the stock flow recorded for each Squarespace variant (SKU, product, TradeGecko
 * available, Squarespace count, last set, problem), searchable and paged like the order list.
 * "Timeline" (stock.show-timeline) swaps the list for each push the flow made, newest first.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-stock-view.h"
#include "relay-ui-utils.h"

/* Rows per page, like the order list's pages. */
#define PAGE_ROWS 200
/* Pushes the timeline shows. */
#define TIMELINE_ROWS 100

struct _RelayStockView
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkStack       *content_stack;
  GtkListBox     *stock_list;
  GtkButton      *more_button;
  GtkListBox     *timeline_list;

  RelayStore     *store;
  guint           shown;
  gboolean        show_timeline;
};

enum
{
  PROP_0,
  PROP_SHOW_TIMELINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (RelayStockView, relay_stock_view, ADW_TYPE_BIN)

/* A count as people read it: "unlimited" for a variant the store sells without a count. */
static char *
count_text (gint64 value)
{
  if (value == RELAY_STOCK_UNLIMITED)
    return g_strdup (_("unlimited"));
  return value < 0 ? g_strdup ("—") : g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
stock_row_new (const RelayStockRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *available = count_text (row->tradegecko_available);
  g_autofree char *quantity = count_text (row->store_quantity);
  g_autofree char *pushed = row->pushed_at > 0 ? relay_format_time (row->pushed_at) : g_strdup (_("never"));
  g_autofree char *title = g_strdup_printf ("%s — %s", row->store_sku ? row->store_sku : _("no SKU"),
                                            row->product ? row->product : "");
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped = NULL;

  /* Translators: the figures of one variant in the Stock view. */
  subtitle = g_strdup_printf (_("TradeGecko available %s · Squarespace %s · last set %s%s%s"), available, quantity,
                              pushed, row->problem ? " · " : "", row->problem ? row->problem : "");
  escaped = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), escaped);
  if (row->problem != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Left alone"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);
    }
  return widget;
}

static void
append_stock_page (RelayStockView *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  rows = relay_store_dup_stock_rows (self->store, search, self->shown, PAGE_ROWS + 1, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot read stock: %s", error->message);
      return;
    }
  for (guint i = 0; i < rows->len && i < PAGE_ROWS; i++)
    gtk_list_box_append (self->stock_list, stock_row_new (g_ptr_array_index (rows, i)));
  self->shown += MIN (rows->len, PAGE_ROWS);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), rows->len > PAGE_ROWS);

  if (self->shown == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty),
                                     *search ? _("No variant matches") : _("No stock set yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (empty),
                                   _("Stock sync lists each matched Squarespace variant here once it has run."));
      gtk_list_box_append (self->stock_list, empty);
    }
}

static void
reload_timeline (RelayStockView *self)
{
  g_autoptr(GPtrArray) batches = NULL;

  clear_list (self->timeline_list);
  if (self->store == NULL)
    return;
  batches = relay_store_dup_stock_batches (self->store, FALSE, TIMELINE_ROWS, NULL);
  for (guint i = 0; batches != NULL && i < batches->len; i++)
    {
      RelayStockBatch *batch = g_ptr_array_index (batches, i);
      g_autoptr(GPtrArray) sets = relay_stock_sets_from_text (batch->operations);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = relay_format_time (batch->pushed_at > 0 ? batch->pushed_at : batch->created_at);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u count set", "%u counts set",
                                                             sets->len), sets->len);
      g_autofree char *subtitle = g_strdup_printf (batch->pushed_at > 0 ? _("%s · accepted by Squarespace")
                                                                        : _("%s · waiting to be sent again"), when);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->timeline_list, row);
    }
  if (batches != NULL && batches->len == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("Nothing pushed yet"));
      gtk_list_box_append (self->timeline_list, empty);
    }
}

/**
 * relay_stock_view_reload:
 *
 * Shows the stock rows and the timeline as the state file has them now.
 */
void
relay_stock_view_reload (RelayStockView *self)
{
  g_return_if_fail (RELAY_IS_STOCK_VIEW (self));

  clear_list (self->stock_list);
  self->shown = 0;
  append_stock_page (self);
  reload_timeline (self);
}

void
relay_stock_view_set_store (RelayStockView *self,
                            RelayStore     *store)
{
  g_return_if_fail (RELAY_IS_STOCK_VIEW (self));

  if (g_set_object (&self->store, store))
    relay_stock_view_reload (self);
}

/* For tests: the rows of @list ("stock" or "timeline"). */
guint
relay_stock_view_count_rows (RelayStockView *self,
                             const char     *list)
{
  GtkWidget *box = GTK_WIDGET (g_str_equal (list, "stock") ? self->stock_list : self->timeline_list);
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
set_show_timeline (RelayStockView *self,
                   gboolean        show)
{
  if (self->show_timeline == !!show)
    return;
  self->show_timeline = !!show;
  gtk_stack_set_visible_child_name (self->content_stack, show ? "timeline" : "list");
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), !show);
  if (show)
    reload_timeline (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TIMELINE]);
}

static void
search_changed_cb (RelayStockView *self)
{
  relay_stock_view_reload (self);
}

static void
more_clicked_cb (RelayStockView *self)
{
  append_stock_page (self);
}

/* GObject */

static void
relay_stock_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayStockView *self = RELAY_STOCK_VIEW (object);

  if (prop_id == PROP_SHOW_TIMELINE)
    g_value_set_boolean (value, self->show_timeline);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
relay_stock_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RelayStockView *self = RELAY_STOCK_VIEW (object);

  if (prop_id == PROP_SHOW_TIMELINE)
    set_show_timeline (self, g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
relay_stock_view_dispose (GObject *object)
{
  RelayStockView *self = RELAY_STOCK_VIEW (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_STOCK_VIEW);

  G_OBJECT_CLASS (relay_stock_view_parent_class)->dispose (object);
}

static void
relay_stock_view_class_init (RelayStockViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = relay_stock_view_get_property;
  object_class->set_property = relay_stock_view_set_property;
  object_class->dispose = relay_stock_view_dispose;

  properties[PROP_SHOW_TIMELINE] =
    g_param_spec_boolean ("show-timeline", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-stock-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayStockView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayStockView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayStockView, stock_list);
  gtk_widget_class_bind_template_child (widget_class, RelayStockView, more_button);
  gtk_widget_class_bind_template_child (widget_class, RelayStockView, timeline_list);
  gtk_widget_class_install_property_action (widget_class, "stock.show-timeline", "show-timeline");
}

static void
relay_stock_view_init (RelayStockView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->more_button, "clicked", G_CALLBACK (more_clicked_cb), self);
}
