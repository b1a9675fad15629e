/* relay-stock-window.c — stock, the SKU check and the stock timeline
 *
 * The Stock page lists what the stock flow recorded for each Squarespace variant (SKU,
 * product, TradeGecko available, Squarespace count, last set, problem), searchable and
 * paged like the order list. The SKU Check page matches every Squarespace variant before
 * the first order needs it, with a fix in place (the item alias dialog). The Timeline page
 * lists each push.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-alias-dialog.h"
#include "relay-sku-check.h"
#include "relay-stock-window.h"
#include "relay-ui-utils.h"

/* Rows per page, like the order list's pages. */
#define PAGE_ROWS 200

struct _RelayStockWindow
{
  AdwWindow         parent_instance;

  AdwViewStack     *view_stack;
  GtkSearchEntry   *search_entry;
  GtkListBox       *stock_list;
  GtkButton        *more_button;
  GtkLabel         *skus_summary;
  GtkListBox       *skus_list;
  GtkListBox       *timeline_list;

  RelayStore       *store;
  RelayOrderSource *source;
  RelayOrderDestination *destination;
  GCancellable     *cancellable;
  guint             shown;
  gboolean          checking;
};

G_DEFINE_FINAL_TYPE (RelayStockWindow, relay_stock_window, ADW_TYPE_WINDOW)

static void check_skus (RelayStockWindow *self);

static char *
count_text (gint64 value)
{
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
append_stock_page (RelayStockWindow *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

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
reload_timeline (RelayStockWindow *self)
{
  g_autoptr(GPtrArray) batches = relay_store_dup_stock_batches (self->store, FALSE, 100, NULL);

  clear_list (self->timeline_list);
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
}

/**
 * relay_stock_window_reload:
 *
 * Shows the stock rows and the timeline as the state file has them now.
 */
void
relay_stock_window_reload (RelayStockWindow *self)
{
  g_return_if_fail (RELAY_IS_STOCK_WINDOW (self));

  clear_list (self->stock_list);
  self->shown = 0;
  append_stock_page (self);
  reload_timeline (self);
}

/* SKU check */

static void
alias_response_cb (RelayAliasDialog *dialog,
                   const char       *response,
                   RelayStockWindow *self)
{
  g_autofree char *store_sku = NULL;
  g_autofree char *tradegecko_sku = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  store_sku = relay_alias_dialog_dup_store_sku (dialog);
  tradegecko_sku = relay_alias_dialog_dup_tradegecko_sku (dialog);
  if (!relay_store_set_item_alias (self->store, store_sku, tradegecko_sku, &error))
    {
      gtk_label_set_text (self->skus_summary, error->message);
      return;
    }
  check_skus (self);
}

static void
fix_clicked_cb (GtkButton        *button,
                RelayStockWindow *self)
{
  RelayAliasDialog *dialog = relay_alias_dialog_new (GTK_WINDOW (self), self->destination,
                                                     g_object_get_data (G_OBJECT (button), "store-sku"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (alias_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
match_label (RelaySkuMatch match)
{
  switch (match)
    {
    case RELAY_SKU_MATCH_EXACT:
      return _("Same SKU");
    case RELAY_SKU_MATCH_ALIAS:
      return _("Through an item alias");
    case RELAY_SKU_MATCH_AMBIGUOUS:
      return _("Ambiguous");
    case RELAY_SKU_MATCH_NONE:
    default:
      return _("No match");
    }
}

static GtkWidget *
sku_row_new (RelayStockWindow       *self,
             const RelaySkuCheckRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s — %s", row->store_sku ? row->store_sku : _("no SKU"),
                                            row->product ? row->product : "");
  g_autofree char *subtitle = g_strdup_printf ("%s%s%s", match_label (row->match), row->detail ? ": " : "",
                                               row->detail ? row->detail : "");
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped = g_markup_escape_text (subtitle, -1);
  gboolean fine = row->match == RELAY_SKU_MATCH_EXACT || row->match == RELAY_SKU_MATCH_ALIAS;
  GtkWidget *icon = gtk_image_new_from_icon_name (fine ? "emblem-ok-symbolic" : "dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, fine ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, match_label (row->match), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), escaped);
  adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);

  /* An alias fixes a missing match in place; a SKU two variants share is fixed in Squarespace. */
  if (row->match == RELAY_SKU_MATCH_NONE && row->store_sku != NULL && *row->store_sku != '\0')
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Add Item _Alias…"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "store-sku", g_strdup (row->store_sku), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (fix_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), button);
    }
  return widget;
}

static void
skus_checked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelayStockWindow) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint unmatched = 0;

  rows = relay_sku_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stock.check-skus", TRUE);
  if (rows == NULL)
    {
      gtk_label_set_text (self->skus_summary, error->message);
      return;
    }

  clear_list (self->skus_list);
  for (guint i = 0; i < rows->len; i++)
    {
      RelaySkuCheckRow *row = g_ptr_array_index (rows, i);

      if (row->match == RELAY_SKU_MATCH_NONE || row->match == RELAY_SKU_MATCH_AMBIGUOUS)
        unmatched++;
      gtk_list_box_append (self->skus_list, sku_row_new (self, row));
    }
  summary = unmatched == 0
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Squarespace variant, every one matched.",
                                            "%u Squarespace variants, every one matched.", rows->len), rows->len)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Squarespace variants; %u needs attention before its orders can go to TradeGecko.",
                                            "%u Squarespace variants; %u need attention before their orders can go to TradeGecko.",
                                            unmatched), rows->len, unmatched);
  gtk_label_set_text (self->skus_summary, summary);
}

static void
check_skus (RelayStockWindow *self)
{
  if (self->source == NULL || self->destination == NULL || self->checking)
    return;

  self->checking = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stock.check-skus", FALSE);
  gtk_label_set_text (self->skus_summary, _("Reading both catalogues…"));
  relay_sku_check_async (self->store, self->source, self->destination, self->cancellable,
                         skus_checked_cb, g_object_ref (self));
}

static void
check_skus_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  check_skus (RELAY_STOCK_WINDOW (widget));
}

static void
search_changed_cb (RelayStockWindow *self)
{
  relay_stock_window_reload (self);
}

static void
more_clicked_cb (RelayStockWindow *self)
{
  append_stock_page (self);
}

/* GObject */

static void
relay_stock_window_dispose (GObject *object)
{
  RelayStockWindow *self = RELAY_STOCK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->source);
  g_clear_object (&self->destination);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_STOCK_WINDOW);

  G_OBJECT_CLASS (relay_stock_window_parent_class)->dispose (object);
}

static void
relay_stock_window_class_init (RelayStockWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_stock_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-stock-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, stock_list);
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, more_button);
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, skus_summary);
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, skus_list);
  gtk_widget_class_bind_template_child (widget_class, RelayStockWindow, timeline_list);
  gtk_widget_class_install_action (widget_class, "stock.check-skus", NULL, check_skus_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
relay_stock_window_init (RelayStockWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->more_button, "clicked", G_CALLBACK (more_clicked_cb), self);
}

/**
 * relay_stock_window_new:
 * @parent: (nullable): the main window
 * @store: the state file
 * @source: (nullable): the store's client, for the SKU check
 * @destination: (nullable): the TradeGecko client, for the SKU check and its alias dialog
 */
RelayStockWindow *
relay_stock_window_new (GtkWindow             *parent,
                        RelayStore            *store,
                        RelayOrderSource      *source,
                        RelayOrderDestination *destination)
{
  RelayStockWindow *self = g_object_new (RELAY_TYPE_STOCK_WINDOW, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  g_set_object (&self->source, source);
  g_set_object (&self->destination, destination);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stock.check-skus", source != NULL && destination != NULL);
  relay_stock_window_reload (self);
  return self;
}

gboolean
relay_stock_window_get_checking (RelayStockWindow *self)
{
  g_return_val_if_fail (RELAY_IS_STOCK_WINDOW (self), FALSE);

  return self->checking;
}

/* For tests: the rows on @page ("stock", "skus" or "timeline"). */
guint
relay_stock_window_count_rows (RelayStockWindow *self,
                               const char       *page)
{
  GtkListBox *list = g_str_equal (page, "stock") ? self->stock_list
                     : g_str_equal (page, "skus") ? self->skus_list : self->timeline_list;
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/**
 * relay_stock_window_show_sku_check:
 *
 * Shows the SKU Check page and starts the check.
 */
void
relay_stock_window_show_sku_check (RelayStockWindow *self)
{
  g_return_if_fail (RELAY_IS_STOCK_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "skus");
  check_skus (self);
}
