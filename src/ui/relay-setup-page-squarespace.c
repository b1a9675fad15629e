/* relay-setup-page-squarespace.c — connect Squarespace: a developer API key
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-setup-key-page.h"
#include "relay-setup-page-squarespace.h"
#include "relay-setup-wizard-private.h"

struct _RelaySetupPageSquarespace
{
  RelaySetupKeyPage parent_instance;

  /* Whether the key last verified may change stock (stock sync needs it) */
  gboolean          can_write_inventory;
};

G_DEFINE_FINAL_TYPE (RelaySetupPageSquarespace, relay_setup_page_squarespace, RELAY_TYPE_SETUP_KEY_PAGE)

static const char *
relay_setup_page_squarespace_get_url (RelaySetupKeyPage *page)
{
  return relay_setup_wizard_get_squarespace_url (relay_setup_page_get_wizard (RELAY_SETUP_PAGE (page)));
}

static void
key_verified_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySetupPageSquarespace *self = g_task_get_source_object (task);
  g_autofree char *title = NULL;
  GError *error = NULL;

  title = relay_context_verify_key_finish (RELAY_CONTEXT (object), result, &self->can_write_inventory, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, title != NULL ? g_steal_pointer (&title) : g_strdup (_("your Squarespace site")),
                         g_free);
}

static void
relay_setup_page_squarespace_verify_key_async (RelaySetupKeyPage   *page,
                                               const char          *key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  RelaySetupWizard *wizard = relay_setup_page_get_wizard (RELAY_SETUP_PAGE (page));
  GTask *task = g_task_new (page, cancellable, callback, user_data);

  g_task_set_source_tag (task, relay_setup_page_squarespace_verify_key_async);
  /* The merchant is waiting for an answer: one attempt, no backoff. Stock
   * sync needs the inventory permission, so the page asks for it too. */
  relay_context_verify_key_async (_relay_setup_wizard_get_context (wizard), RELAY_SERVICE_SQUARESPACE,
                                  relay_setup_page_squarespace_get_url (page), key,
                                  RELAY_VERIFY_ONE_ATTEMPT | RELAY_VERIFY_INVENTORY_WRITE, cancellable,
                                  key_verified_cb, task);
}

static char *
relay_setup_page_squarespace_verify_key_finish (RelaySetupKeyPage  *page,
                                                GAsyncResult       *result,
                                                GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
relay_setup_page_squarespace_describe_error (RelaySetupKeyPage *page,
                                             const GError      *error)
{
  if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN))
    return g_strdup (_("This key is read-only for Orders, or does not include Orders at all. Order Relay "
                       "needs Orders with Read and Write to send tracking back. Squarespace does not let "
                       "you change a key's permissions: generate a new key with Orders set to Read and "
                       "Write, paste it here, and delete the old one."));

  if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED))
    return g_strdup (_("Squarespace refused this key. Check that you copied all of it. A key is shown only "
                       "once: if it is lost or was deleted, generate a new one. If you cannot find Developer "
                       "API Keys in Settings, your plan does not include API access."));

  if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_SITE_EXPIRED))
    return g_strdup (_("The subscription of this Squarespace site has lapsed, so its API is closed. Renew "
                       "the site’s plan, then press Verify again."));

  return relay_setup_key_page_describe_common_error (page, error);
}

static char *
relay_setup_page_squarespace_describe_success (RelaySetupKeyPage *page)
{
  if (RELAY_SETUP_PAGE_SQUARESPACE (page)->can_write_inventory)
    return g_strdup (_("It may also change stock: stock sync can be turned on in Preferences."));

  return g_strdup (_("It cannot change stock, so stock sync stays off. To let Order Relay set Squarespace "
                     "stock from TradeGecko, generate a new key with Orders and Inventory both set to Read "
                     "and Write (a key’s permissions cannot be edited), and connect that one instead."));
}

static void
relay_setup_page_squarespace_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_SETUP_PAGE_SQUARESPACE);

  G_OBJECT_CLASS (relay_setup_page_squarespace_parent_class)->dispose (object);
}

static void
relay_setup_page_squarespace_class_init (RelaySetupPageSquarespaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RelaySetupKeyPageClass *key_page_class = RELAY_SETUP_KEY_PAGE_CLASS (klass);

  object_class->dispose = relay_setup_page_squarespace_dispose;

  key_page_class->store = "squarespace";
  key_page_class->display_name = "Squarespace";
  key_page_class->demo_key = "sandbox-squarespace-key";
  key_page_class->get_url = relay_setup_page_squarespace_get_url;
  key_page_class->verify_key_async = relay_setup_page_squarespace_verify_key_async;
  key_page_class->verify_key_finish = relay_setup_page_squarespace_verify_key_finish;
  key_page_class->describe_error = relay_setup_page_squarespace_describe_error;
  key_page_class->describe_success = relay_setup_page_squarespace_describe_success;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-page-squarespace.ui");
}

static void
relay_setup_page_squarespace_init (RelaySetupPageSquarespace *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
