/* relay-setup-page-tradegecko.c — connect TradeGecko: a privileged access token
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-setup-key-page.h"
#include "relay-setup-page-tradegecko.h"
#include "relay-setup-wizard-private.h"

struct _RelaySetupPageTradegecko
{
  RelaySetupKeyPage parent_instance;
};

G_DEFINE_FINAL_TYPE (RelaySetupPageTradegecko, relay_setup_page_tradegecko, RELAY_TYPE_SETUP_KEY_PAGE)

static const char *
relay_setup_page_tradegecko_get_url (RelaySetupKeyPage *page)
{
  return relay_setup_wizard_get_tradegecko_url (relay_setup_page_get_wizard (RELAY_SETUP_PAGE (page)));
}

static void
key_verified_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *name = NULL;
  GError *error = NULL;

  name = relay_context_verify_key_finish (RELAY_CONTEXT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, name != NULL ? g_steal_pointer (&name) : g_strdup (_("your TradeGecko account")),
                         g_free);
}

static void
relay_setup_page_tradegecko_verify_key_async (RelaySetupKeyPage   *page,
                                              const char          *key,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  RelaySetupWizard *wizard = relay_setup_page_get_wizard (RELAY_SETUP_PAGE (page));
  GTask *task = g_task_new (page, cancellable, callback, user_data);

  g_task_set_source_tag (task, relay_setup_page_tradegecko_verify_key_async);
  /* The merchant is waiting for an answer: one attempt, no backoff. */
  relay_context_verify_key_async (_relay_setup_wizard_get_context (wizard), RELAY_SERVICE_TRADEGECKO,
                                  relay_setup_page_tradegecko_get_url (page), key, RELAY_VERIFY_ONE_ATTEMPT,
                                  cancellable, key_verified_cb, task);
}

static char *
relay_setup_page_tradegecko_verify_key_finish (RelaySetupKeyPage  *page,
                                               GAsyncResult       *result,
                                               GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
relay_setup_page_tradegecko_describe_error (RelaySetupKeyPage *page,
                                            const GError      *error)
{
  if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED))
    return g_strdup (_("TradeGecko refused this token. Check that you copied all of it. If the token was "
                       "revoked, or the user who created it was removed, create a new privileged token in "
                       "the app list and paste that one."));

  if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN) ||
      g_error_matches (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND))
    return g_strdup (_("TradeGecko accepted the token but would not show the account. The user who created "
                       "it may have been removed: create a new privileged token as an active user."));

  return relay_setup_key_page_describe_common_error (page, error);
}

static void
relay_setup_page_tradegecko_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_SETUP_PAGE_TRADEGECKO);

  G_OBJECT_CLASS (relay_setup_page_tradegecko_parent_class)->dispose (object);
}

static void
relay_setup_page_tradegecko_class_init (RelaySetupPageTradegeckoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RelaySetupKeyPageClass *key_page_class = RELAY_SETUP_KEY_PAGE_CLASS (klass);

  object_class->dispose = relay_setup_page_tradegecko_dispose;

  key_page_class->store = "tradegecko";
  key_page_class->display_name = "TradeGecko";
  key_page_class->demo_key = "sandbox-tradegecko-token";
  key_page_class->get_url = relay_setup_page_tradegecko_get_url;
  key_page_class->verify_key_async = relay_setup_page_tradegecko_verify_key_async;
  key_page_class->verify_key_finish = relay_setup_page_tradegecko_verify_key_finish;
  key_page_class->describe_error = relay_setup_page_tradegecko_describe_error;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-page-tradegecko.ui");
}

static void
relay_setup_page_tradegecko_init (RelaySetupPageTradegecko *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
