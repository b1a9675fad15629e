/* relay-sku-check-view.c — the SKU check: every Squarespace variant with its TradeGecko match
 *
 * Shown as a view of the main window and, from the setup wizard's test step, in a window of
 * its own. A variant without a match is fixed in place: its row opens the item alias dialog
 * (sku-check.add-alias), and one matched through an alias can have the alias changed there.
 * The host saves the alias ("alias-chosen", so the main window also retries the orders that
 * waited on it); the check then runs again.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-alias-dialog.h"
#include "relay-error.h"
#include "relay-sku-check-view.h"
#include "relay-sku-check.h"
#include "relay-ui-utils.h"

struct _RelaySkuCheckView
{
  AdwBin            parent_instance;

  /* Template widgets */
  GtkLabel         *summary;
  GtkListBox       *list;

  RelayStore       *store;
  RelayOrderSource *source;
  RelayOrderDestination *destination;
  GCancellable     *cancellable;
  gboolean          checking;
};

enum
{
  SIGNAL_ALIAS_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelaySkuCheckView, relay_sku_check_view, ADW_TYPE_BIN)

static void
update_actions (RelaySkuCheckView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sku-check.run",
                                 !self->checking && self->store != NULL && self->source != NULL &&
                                 self->destination != NULL);
}

static void
set_summary (RelaySkuCheckView *self,
             const char        *text,
             gboolean           is_error)
{
  gtk_label_set_text (self->summary, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary), "error");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
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
alias_button_new (const char *label,
                  const char *store_sku)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sku-check.add-alias");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (store_sku));
  return button;
}

static GtkWidget *
sku_row_new (const RelaySkuCheckRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s — %s", row->store_sku ? row->store_sku : _("no SKU"),
                                            row->product ? row->product : "");
  g_autofree char *price = row->has_price ? relay_format_money (&row->price) : NULL;
  g_autofree char *subtitle = g_strdup_printf ("%s%s%s%s%s", match_label (row->match), row->detail ? ": " : "",
                                               row->detail ? row->detail : "", price ? " · " : "", price ? price : "");
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped = g_markup_escape_text (subtitle, -1);
  gboolean fine = row->match == RELAY_SKU_MATCH_EXACT || row->match == RELAY_SKU_MATCH_ALIAS;
  gboolean has_sku = row->store_sku != NULL && *row->store_sku != '\0';
  GtkWidget *icon = gtk_image_new_from_icon_name (fine ? "emblem-ok-symbolic" : "dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, fine ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, match_label (row->match), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), escaped);
  adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);

  /* An alias fixes a missing match in place; a SKU two variants share is fixed in Squarespace. */
  if (row->match == RELAY_SKU_MATCH_NONE && has_sku)
    adw_action_row_add_suffix (ADW_ACTION_ROW (widget), alias_button_new (_("Add Item _Alias…"), row->store_sku));
  else if (row->match == RELAY_SKU_MATCH_ALIAS && has_sku)
    adw_action_row_add_suffix (ADW_ACTION_ROW (widget), alias_button_new (_("Change Item _Alias…"), row->store_sku));
  return widget;
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelaySkuCheckView) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint unmatched = 0;

  rows = relay_sku_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  update_actions (self);
  if (rows == NULL)
    {
      /* The key without the Products permission says so, and how to get one that has it;
       * rows from an earlier check would no longer be true. */
      clear_list (self->list);
      set_summary (self, error->message, TRUE);
      return;
    }

  clear_list (self->list);
  for (guint i = 0; i < rows->len; i++)
    {
      RelaySkuCheckRow *row = g_ptr_array_index (rows, i);

      if (row->match == RELAY_SKU_MATCH_NONE || row->match == RELAY_SKU_MATCH_AMBIGUOUS)
        unmatched++;
      gtk_list_box_append (self->list, sku_row_new (row));
    }
  summary = unmatched == 0
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Squarespace variant, every one matched.",
                                            "%u Squarespace variants, every one matched.", rows->len), rows->len)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Squarespace variants; %u needs attention before its orders can go to TradeGecko.",
                                            "%u Squarespace variants; %u need attention before their orders can go to TradeGecko.",
                                            unmatched), rows->len, unmatched);
  set_summary (self, summary, FALSE);
}

/**
 * relay_sku_check_view_run:
 *
 * Reads both catalogues and shows every Squarespace variant's match.
 */
void
relay_sku_check_view_run (RelaySkuCheckView *self)
{
  g_return_if_fail (RELAY_IS_SKU_CHECK_VIEW (self));

  if (self->store == NULL || self->source == NULL || self->destination == NULL || self->checking)
    return;
  self->checking = TRUE;
  update_actions (self);
  set_summary (self, _("Reading both catalogues…"), FALSE);
  relay_sku_check_async (self->store, self->source, self->destination, self->cancellable,
                         checked_cb, g_object_ref (self));
}

static void
alias_response_cb (RelayAliasDialog  *dialog,
                   const char        *response,
                   RelaySkuCheckView *self)
{
  g_autofree char *store_sku = NULL;
  g_autofree char *tradegecko_sku = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE;

  if (g_strcmp0 (response, "add") != 0)
    return;
  store_sku = relay_alias_dialog_dup_store_sku (dialog);
  tradegecko_sku = relay_alias_dialog_dup_tradegecko_sku (dialog);
  g_signal_emit (self, signals[SIGNAL_ALIAS_CHOSEN], 0, store_sku, tradegecko_sku, &saved);
  if (!saved && !relay_store_set_item_alias (self->store, store_sku, tradegecko_sku, &error))
    {
      set_summary (self, error->message, TRUE);
      return;
    }
  relay_sku_check_view_run (self);
}

static void
add_alias_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelaySkuCheckView *self = RELAY_SKU_CHECK_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  RelayAliasDialog *dialog;

  if (self->store == NULL)
    return;
  dialog = relay_alias_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->destination,
                                   g_variant_get_string (parameter, NULL));
  g_signal_connect_object (dialog, "response", G_CALLBACK (alias_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  relay_sku_check_view_run (RELAY_SKU_CHECK_VIEW (widget));
}

/**
 * relay_sku_check_view_set_clients:
 * @store: (nullable): the state file, where aliases are kept
 * @source: (nullable): the store's client
 * @destination: (nullable): the TradeGecko client, also for the alias dialog
 */
void
relay_sku_check_view_set_clients (RelaySkuCheckView *self,
                                  RelayStore        *store,
                                  RelayOrderSource  *source,
                                  RelayOrderDestination *destination)
{
  g_return_if_fail (RELAY_IS_SKU_CHECK_VIEW (self));

  /* A check under way reads the clients it was started with; a new one reads these. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->checking = FALSE;
  g_set_object (&self->store, store);
  g_set_object (&self->source, source);
  g_set_object (&self->destination, destination);
  update_actions (self);
}

gboolean
relay_sku_check_view_get_checking (RelaySkuCheckView *self)
{
  g_return_val_if_fail (RELAY_IS_SKU_CHECK_VIEW (self), FALSE);

  return self->checking;
}

/* For tests: the rows shown. */
guint
relay_sku_check_view_count_rows (RelaySkuCheckView *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/**
 * relay_sku_check_view_present_window:
 * @parent: (nullable): the window it belongs to (the setup wizard)
 *
 * The SKU check alone in a window, started at once: the setup wizard's test step has no
 * main window to show it in. Aliases are saved to @store.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
relay_sku_check_view_present_window (GtkWindow        *parent,
                                     RelayStore       *store,
                                     RelayOrderSource *source,
                                     RelayOrderDestination *destination)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *view = g_object_new (RELAY_TYPE_SKU_CHECK_VIEW, "vexpand", TRUE, NULL);
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_widget_set_name (view, "sku-check-view");
  gtk_window_set_title (GTK_WINDOW (window), _("SKU Check"));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 680, 560);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>w"),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);

  relay_sku_check_view_set_clients (RELAY_SKU_CHECK_VIEW (view), store, source, destination);
  gtk_window_present (GTK_WINDOW (window));
  relay_sku_check_view_run (RELAY_SKU_CHECK_VIEW (view));
  return GTK_WINDOW (window);
}

/* GObject */

static void
relay_sku_check_view_dispose (GObject *object)
{
  RelaySkuCheckView *self = RELAY_SKU_CHECK_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->source);
  g_clear_object (&self->destination);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SKU_CHECK_VIEW);

  G_OBJECT_CLASS (relay_sku_check_view_parent_class)->dispose (object);
}

static void
relay_sku_check_view_class_init (RelaySkuCheckViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_sku_check_view_dispose;

  /**
   * RelaySkuCheckView::alias-chosen:
   * @store_sku: the Squarespace SKU
   * @tradegecko_sku: the TradeGecko SKU it stands for
   *
   * The merchant chose an alias in the dialog. A handler that saves it returns %TRUE;
   * without one the view saves it in its store.
   */
  signals[SIGNAL_ALIAS_CHOSEN] =
    g_signal_new ("alias-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-sku-check-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySkuCheckView, summary);
  gtk_widget_class_bind_template_child (widget_class, RelaySkuCheckView, list);
  gtk_widget_class_install_action (widget_class, "sku-check.run", NULL, run_action_cb);
  gtk_widget_class_install_action (widget_class, "sku-check.add-alias", "s", add_alias_action_cb);
}

static void
relay_sku_check_view_init (RelaySkuCheckView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}
