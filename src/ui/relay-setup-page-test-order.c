/* relay-setup-page-test-order.c — preview an order as the sales order it would become
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-order-preview.h"
#include "relay-sync-engine.h"
#include "relay-setup-page-test-order.h"
#include "relay-sku-check-view.h"
#include "relay-setup-wizard-private.h"
#include "relay-store.h"
#include "relay-alias-dialog.h"
#include "relay-ui-utils.h"

struct _RelaySetupPageTestOrder
{
  RelaySetupPage    parent_instance;

  /* Template widgets */
  AdwComboRow      *order_row;
  GtkStringList    *order_labels;
  AdwComboRow      *tax_type_row;
  GtkStringList    *tax_type_labels;
  AdwActionRow     *status_row;
  GtkImage         *status_icon;
  RelayOrderPreview *order_preview;

  /* Owned */
  GCancellable     *cancellable;
  RelayOrderSource *source;        /* Squarespace, with the key the wizard stored */
  RelayOrderDestination *destination; /* TradeGecko, likewise */
  RelaySyncEngine  *engine;        /* over the wizard's store and this page's clients: for previews */
  GPtrArray        *orders;        /* RelayOrder, oldest first */
  RelayAccountFacts *account;      /* TradeGecko's currencies and tax types, once read */
  char             *preview;       /* the preview shown, as text */
  char             *status;
  gboolean          loaded;
  gboolean          populating;
  gboolean          reselected;
  gboolean          disposed;
};

G_DEFINE_FINAL_TYPE (RelaySetupPageTestOrder, relay_setup_page_test_order, RELAY_TYPE_SETUP_PAGE)

typedef enum
{
  STATUS_NONE,
  STATUS_INFO,
  STATUS_ERROR,
} Status;

static void preview_selected_order (RelaySetupPageTestOrder *self);

static RelaySetupWizard *
get_wizard (RelaySetupPageTestOrder *self)
{
  return relay_setup_page_get_wizard (RELAY_SETUP_PAGE (self));
}

/* An answer may arrive after the wizard was closed. */
static gboolean
is_gone (RelaySetupPageTestOrder *self)
{
  return self->disposed || get_wizard (self) == NULL;
}

static void
show_status (RelaySetupPageTestOrder *self,
             Status                   status,
             const char              *title,
             const char              *detail)
{
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped_detail = NULL;

  g_clear_pointer (&self->status, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), status != STATUS_NONE);
  if (status == STATUS_NONE)
    return;

  self->status = g_strdup_printf ("%s\n%s", title, detail ? detail : "");
  escaped_title = g_markup_escape_text (title, -1);
  escaped_detail = g_markup_escape_text (detail ? detail : "", -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), escaped_title);
  adw_action_row_set_subtitle (self->status_row, escaped_detail);
  gtk_image_set_from_icon_name (self->status_icon,
                                status == STATUS_ERROR ? "dialog-warning-symbolic" : "dialog-information-symbolic");
  if (status == STATUS_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
}

static void
clear_preview (RelaySetupPageTestOrder *self)
{
  relay_order_preview_set_preview (self->order_preview, NULL);
  g_clear_pointer (&self->preview, g_free);
}

/* Returns: (nullable): who placed the order, as the merchant knows them */
static const char *
get_customer_label (RelayOrder *order)
{
  const char *name = relay_order_get_customer_name (order);
  const char *email = relay_order_get_customer_email (order);

  if (name != NULL && *name != '\0')
    return name;
  if (email != NULL && *email != '\0')
    return email;
  return NULL;
}

/* Resolving the selected order's SKUs */

/* The application's store, handed to the wizard: the page never opens a
 * database of its own, so the demo's aliases stay in the demo's file and the
 * main window and the wizard share one connection. */
static RelayStore *
ensure_store (RelaySetupPageTestOrder  *self,
              GError                  **error)
{
  RelayStore *store = relay_setup_wizard_get_store (get_wizard (self));

  if (store == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_STATE,
                           _("Order Relay’s database is not open. Restart Order Relay and try again."));
      return NULL;
    }

  return store;
}

/* The engine's preview, with this page's clients: the same lines, tax and
 * body a sync would send. */
static RelaySyncEngine *
ensure_engine (RelaySetupPageTestOrder  *self,
               GError                  **error)
{
  RelayStore *store = ensure_store (self, error);

  if (store == NULL)
    return NULL;
  if (self->engine == NULL)
    self->engine = relay_sync_engine_new (store, self->source, self->destination,
                                          relay_setup_wizard_get_settings (get_wizard (self)));
  return self->engine;
}

static void
show_preview (RelaySetupPageTestOrder *self,
              RelayPreview            *preview)
{
  relay_order_preview_set_preview (self->order_preview, preview);
  g_free (self->preview);
  self->preview = relay_preview_dup_text (preview);

  /* The preview says what a sync would do; the page's own row is for the look-ups. */
  show_status (self, STATUS_NONE, NULL, NULL);
  self->status = g_strdup (relay_order_preview_get_status (self->order_preview));
}

static void
preview_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelaySetupPageTestOrder) self = user_data;
  g_autoptr(RelayPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = relay_sync_engine_preview_finish (RELAY_SYNC_ENGINE (object), result, &error);
  if (is_gone (self))
    return;

  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);
  if (self->reselected)
    preview_selected_order (self);
  else if (preview != NULL)
    show_preview (self, preview);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_status (self, STATUS_ERROR, _("The order cannot be previewed"), error->message);
}

static void
preview_selected_order (RelaySetupPageTestOrder *self)
{
  guint position = adw_combo_row_get_selected (self->order_row);
  g_autoptr(GError) error = NULL;
  RelaySyncEngine *engine;

  self->reselected = FALSE;
  if (self->orders == NULL || position >= self->orders->len)
    return;

  if ((engine = ensure_engine (self, &error)) == NULL)
    {
      show_status (self, STATUS_ERROR, _("Order Relay’s records could not be opened"), error->message);
      return;
    }

  show_status (self, STATUS_INFO, _("Looking up the items in TradeGecko…"), NULL);
  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), TRUE);
  relay_sync_engine_preview_async (engine, g_ptr_array_index (self->orders, position), self->cancellable,
                                   preview_ready_cb, g_object_ref (self));
}

/* Finding the open orders */

static int
compare_orders_by_creation (gconstpointer a,
                            gconstpointer b)
{
  RelayOrder *order_a = *(RelayOrder **) a;
  RelayOrder *order_b = *(RelayOrder **) b;

  return g_date_time_compare (relay_order_get_created_on (order_a), relay_order_get_created_on (order_b));
}

static void
orders_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelaySetupPageTestOrder) self = user_data;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree char *next_cursor = NULL;
  guint n_unreadable = 0;

  orders = relay_order_source_list_orders_finish (RELAY_ORDER_SOURCE (object), result, &next_cursor, &n_unreadable,
                                                  &error);
  if (is_gone (self))
    return;

  if (orders == NULL)
    {
      relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, STATUS_ERROR, _("Squarespace’s orders could not be read"), error->message);
      return;
    }

  if (n_unreadable > 0)
    g_debug ("%u orders left out of the preview list: they could not be read", n_unreadable);
  for (guint i = 0; i < orders->len; i++)
    {
      RelayOrder *order = g_ptr_array_index (orders, i);

      if (!relay_order_is_canceled (order) && !relay_order_is_fulfilled (order))
        g_ptr_array_add (self->orders, g_object_ref (order));
    }

  /* Every page of the look-back window, then the list. */
  if (next_cursor != NULL)
    {
      relay_order_source_list_orders_async (self->source, NULL, NULL, TRUE, next_cursor, self->cancellable,
                                            orders_listed_cb, g_object_ref (self));
      return;
    }

  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);
  g_ptr_array_sort (self->orders, compare_orders_by_creation);

  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->orders->len; i++)
    {
      RelayOrder *order = g_ptr_array_index (self->orders, i);
      const char *customer = get_customer_label (order);
      guint items = relay_order_get_item_count (order);
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", items), items);

      if (customer != NULL)
        g_ptr_array_add (labels, g_strdup_printf ("%s — %s — %s", relay_order_get_order_number (order), customer, count));
      else
        g_ptr_array_add (labels, g_strdup_printf ("%s — %s", relay_order_get_order_number (order), count));
    }
  g_ptr_array_add (labels, NULL);

  self->populating = TRUE;
  gtk_string_list_splice (self->order_labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->order_labels)),
                          (const char * const *) labels->pdata);
  self->populating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->order_row), self->orders->len > 0);

  if (self->orders->len == 0)
    {
      show_status (self, STATUS_INFO, _("No open orders yet"),
                   _("There is nothing to try right now. You can skip this step."));
      return;
    }

  /* The next order the engine would deliver is the oldest open one. */
  self->populating = TRUE;
  adw_combo_row_set_selected (self->order_row, 0);
  self->populating = FALSE;
  preview_selected_order (self);
}

static void
list_orders (RelaySetupPageTestOrder *self)
{
  GSettings *settings = relay_setup_wizard_get_settings (get_wizard (self));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_days (now, -(int) g_settings_get_uint (settings, "initial-lookback-days"));

  show_status (self, STATUS_INFO, _("Looking for open orders…"), NULL);
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  self->orders = g_ptr_array_new_with_free_func (g_object_unref);
  relay_order_source_list_orders_async (self->source, since, now, TRUE, NULL, self->cancellable,
                                        orders_listed_cb, g_object_ref (self));
}

/* The tax type choice: TradeGecko's default first, then the account's types. */
static void
fill_tax_types (RelaySetupPageTestOrder *self)
{
  GSettings *settings = relay_setup_wizard_get_settings (get_wizard (self));
  gint64 chosen = g_settings_get_int64 (settings, "tax-type-id");
  const RelayTaxType *fallback = relay_account_facts_find_tax_type (self->account, self->account->default_tax_type_id);
  g_autofree char *first = g_strdup_printf (_("TradeGecko’s default (%s)"),
                                            fallback != NULL && fallback->name != NULL ? fallback->name : _("none"));
  guint selected = 0;

  self->populating = TRUE;
  gtk_string_list_splice (self->tax_type_labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tax_type_labels)), NULL);
  gtk_string_list_append (self->tax_type_labels, first);
  for (guint i = 0; i < self->account->tax_types->len; i++)
    {
      const RelayTaxType *type = g_ptr_array_index (self->account->tax_types, i);
      g_autofree char *rate = relay_tax_format_rate (type->rate);
      g_autofree char *label = g_strdup_printf ("%s (%s %%)", type->name != NULL ? type->name : "?", rate);

      gtk_string_list_append (self->tax_type_labels, label);
      if (type->id == chosen)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->tax_type_row, selected);
  self->populating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->tax_type_row), TRUE);
}

static void
account_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelaySetupPageTestOrder) self = user_data;
  g_autoptr(RelayAccountFacts) account = NULL;
  g_autoptr(GError) error = NULL;

  account = relay_order_destination_get_account_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (is_gone (self) || account == NULL)
    {
      if (account == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("TradeGecko's tax types could not be read: %s", error->message);
      return;
    }

  g_clear_pointer (&self->account, relay_account_facts_free);
  self->account = g_steal_pointer (&account);
  fill_tax_types (self);
  if (!relay_setup_page_get_busy (RELAY_SETUP_PAGE (self)))
    preview_selected_order (self);
}

/* Written at once, like the aliases this page adds: the preview shows its effect. */
static void
tax_type_selected_cb (RelaySetupPageTestOrder *self)
{
  GSettings *settings = relay_setup_wizard_get_settings (get_wizard (self));
  guint selected = adw_combo_row_get_selected (self->tax_type_row);
  gint64 id = 0;

  if (self->populating || self->account == NULL)
    return;
  if (selected > 0 && selected <= self->account->tax_types->len)
    id = ((RelayTaxType *) g_ptr_array_index (self->account->tax_types, selected - 1))->id;
  g_settings_set_int64 (settings, "tax-type-id", id);

  if (relay_setup_page_get_busy (RELAY_SETUP_PAGE (self)))
    self->reselected = TRUE;
  else
    preview_selected_order (self);
}

/* The clients, with the keys the earlier pages stored in the keyring. */
static void
clients_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RelaySetupPageTestOrder) self = user_data;
  g_autoptr(RelayOrderSource) source = NULL;
  g_autoptr(RelayOrderDestination) destination = NULL;
  g_autoptr(GError) error = NULL;

  relay_context_open_clients_finish (RELAY_CONTEXT (object), result, &source, &destination, &error);
  if (is_gone (self) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);
      if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_NOT_CONNECTED))
        show_status (self, STATUS_ERROR, _("A store is not connected"),
                     _("Go back and connect both TradeGecko and Squarespace to try an order."));
      else if (error->domain == RELAY_ERROR)
        show_status (self, STATUS_ERROR, _("The stores cannot be reached"), error->message);
      else
        show_status (self, STATUS_ERROR, _("The keyring cannot be read"), error->message);
      return;
    }

  /* New clients: the preview's engine is made again over them. */
  g_clear_object (&self->engine);
  g_set_object (&self->source, source);
  g_set_object (&self->destination, destination);
  relay_order_destination_get_account_async (self->destination, self->cancellable, account_read_cb,
                                             g_object_ref (self));
  list_orders (self);
}

static void
load (RelaySetupPageTestOrder *self)
{
  RelaySetupWizard *wizard = get_wizard (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_connect (_relay_setup_wizard_get_cancellable (wizard), G_CALLBACK (g_cancellable_cancel),
                         g_object_ref (self->cancellable), g_object_unref);

  clear_preview (self);
  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), TRUE);
  show_status (self, STATUS_INFO, _("Looking for open orders…"), NULL);

  relay_context_open_clients_async (_relay_setup_wizard_get_context (wizard),
                                    relay_setup_wizard_get_squarespace_url (wizard),
                                    relay_setup_wizard_get_tradegecko_url (wizard), self->cancellable,
                                    clients_opened_cb, g_object_ref (self));
}

static void
relay_setup_page_test_order_shown (RelaySetupPage *page)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (page);

  if (self->loaded)
    return;

  self->loaded = TRUE;
  load (self);
}

static void
relay_setup_page_test_order_stop (RelaySetupPage *page)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (page);

  g_cancellable_cancel (self->cancellable);
}

/* Actions */

static void
testorder_refresh_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (widget);

  if (relay_setup_page_get_busy (RELAY_SETUP_PAGE (self)))
    return;

  self->loaded = TRUE;
  load (self);
}

static void
alias_dialog_responded_cb (RelayAliasDialog *dialog,
                           const char       *response,
                           gpointer          user_data)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (user_data);
  g_autofree char *store_sku = relay_alias_dialog_dup_store_sku (dialog);
  g_autofree char *tradegecko_sku = relay_alias_dialog_dup_tradegecko_sku (dialog);
  g_autoptr(GError) error = NULL;
  RelayStore *store;

  if (g_strcmp0 (response, "add") != 0 || *store_sku == '\0' || *tradegecko_sku == '\0' || is_gone (self))
    return;

  if ((store = ensure_store (self, &error)) == NULL ||
      !relay_store_set_item_alias (store, store_sku, tradegecko_sku, &error))
    {
      show_status (self, STATUS_ERROR, _("The alias could not be saved"), error->message);
      return;
    }

  relay_order_destination_forget_variants (self->destination);
  preview_selected_order (self);
}

/* The same dialog as the main window's: the SKU is checked in TradeGecko as it
 * is typed, and a line's variant can have an alias of its own. */
static void
open_alias_dialog (RelaySetupPageTestOrder *self,
                   const char              *store_sku,
                   const char              *variant_id,
                   const char              *variant_label)
{
  RelayAliasDialog *dialog = relay_alias_dialog_new (GTK_WINDOW (get_wizard (self)), self->destination, store_sku);

  if (variant_id != NULL && *variant_id != '\0')
    relay_alias_dialog_set_variant (dialog, variant_id, variant_label);

  g_signal_connect_object (dialog, "response", G_CALLBACK (alias_dialog_responded_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The line's own Add Alias button, by the line's index: the dialog then also offers an
 * alias for the line's variant alone, whichever way it was asked for. */
static void
testorder_add_alias_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (widget);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->order_preview), "preview.add-alias", parameter);
}

static void
order_selected_cb (RelaySetupPageTestOrder *self)
{
  g_assert (RELAY_IS_SETUP_PAGE_TEST_ORDER (self));

  if (self->populating || self->orders == NULL || self->orders->len == 0)
    return;

  /* One look-up at a time: the latest choice is previewed when it answers. */
  if (relay_setup_page_get_busy (RELAY_SETUP_PAGE (self)))
    self->reselected = TRUE;
  else
    preview_selected_order (self);
}

static void
relay_setup_page_test_order_dispose (GObject *object)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SETUP_PAGE_TEST_ORDER);

  G_OBJECT_CLASS (relay_setup_page_test_order_parent_class)->dispose (object);
}

static void
relay_setup_page_test_order_finalize (GObject *object)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->source);
  g_clear_object (&self->destination);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  g_clear_pointer (&self->account, relay_account_facts_free);
  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (relay_setup_page_test_order_parent_class)->finalize (object);
}

/* The SKU check (the main window's view) alone in a window, over the clients this page reads
 * the test order with: the wizard has no main window yet. */
static void
testorder_check_skus_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  RelaySetupPageTestOrder *self = RELAY_SETUP_PAGE_TEST_ORDER (widget);
  RelayStore *store = relay_setup_wizard_get_store (get_wizard (self));

  if (store == NULL || self->source == NULL || self->destination == NULL)
    return;
  relay_sku_check_view_present_window (GTK_WINDOW (gtk_widget_get_root (widget)), store,
                                       self->source, self->destination);
}

static void
relay_setup_page_test_order_class_init (RelaySetupPageTestOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RelaySetupPageClass *page_class = RELAY_SETUP_PAGE_CLASS (klass);

  object_class->dispose = relay_setup_page_test_order_dispose;
  object_class->finalize = relay_setup_page_test_order_finalize;

  page_class->shown = relay_setup_page_test_order_shown;
  page_class->stop = relay_setup_page_test_order_stop;

  g_type_ensure (RELAY_TYPE_ORDER_PREVIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-page-test-order.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, order_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, order_labels);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, tax_type_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, tax_type_labels);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, status_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, status_icon);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageTestOrder, order_preview);

  gtk_widget_class_install_action (widget_class, "testorder.refresh", NULL, testorder_refresh_action);
  gtk_widget_class_install_action (widget_class, "testorder.check-skus", NULL, testorder_check_skus_action);
  gtk_widget_class_install_action (widget_class, "testorder.add-alias", "u", testorder_add_alias_action);
}

static void
relay_setup_page_test_order_init (RelaySetupPageTestOrder *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->order_preview, "add-alias", G_CALLBACK (open_alias_dialog), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->order_row, "notify::selected", G_CALLBACK (order_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tax_type_row, "notify::selected", G_CALLBACK (tax_type_selected_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * relay_setup_page_test_order_get_n_orders:
 * @self: a #RelaySetupPageTestOrder
 *
 * Returns: how many open orders the merchant can pick from
 */
guint
relay_setup_page_test_order_get_n_orders (RelaySetupPageTestOrder *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_PAGE_TEST_ORDER (self), 0);

  return self->orders != NULL ? self->orders->len : 0;
}

/**
 * relay_setup_page_test_order_select:
 * @self: a #RelaySetupPageTestOrder
 * @position: which open order to preview, oldest first
 */
void
relay_setup_page_test_order_select (RelaySetupPageTestOrder *self,
                                    guint                    position)
{
  g_return_if_fail (RELAY_IS_SETUP_PAGE_TEST_ORDER (self));
  g_return_if_fail (position < relay_setup_page_test_order_get_n_orders (self));

  adw_combo_row_set_selected (self->order_row, position);
}

/**
 * relay_setup_page_test_order_get_preview:
 * @self: a #RelaySetupPageTestOrder
 *
 * Returns: (nullable): the preview shown, as text (relay_preview_dup_text()),
 *   or %NULL when none is shown
 */
const char *
relay_setup_page_test_order_get_preview (RelaySetupPageTestOrder *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_PAGE_TEST_ORDER (self), NULL);

  return self->preview;
}

/**
 * relay_setup_page_test_order_get_status:
 * @self: a #RelaySetupPageTestOrder
 *
 * Returns: (nullable): the status shown, title and detail on two lines
 */
const char *
relay_setup_page_test_order_get_status (RelaySetupPageTestOrder *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_PAGE_TEST_ORDER (self), NULL);

  return self->status;
}
