/* relay-context.c — what every front end shares: settings, keyring, addresses, clients
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-context.h"
#include "relay-error.h"
#include "relay-squarespace.h"
#include "relay-tradegecko.h"

/*
 * The command line and the application both reach the two services the same
 * way: the address from the environment (ORDER_RELAY_*_URL, for tests and the
 * sandbox), else the settings; the key from the keyring, filed under that
 * address. One object holds that rule, in the spirit of gnome-calendar 43's
 * GcalContext, so no front end wires a client by hand.
 */

struct _RelayContext
{
  GObject           parent_instance;

  GSettings        *settings;
  RelayCredentials *credentials;
  gboolean          use_environment;
};

G_DEFINE_FINAL_TYPE (RelayContext, relay_context, G_TYPE_OBJECT)

static void
relay_context_finalize (GObject *object)
{
  RelayContext *self = RELAY_CONTEXT (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (relay_context_parent_class)->finalize (object);
}

static void
relay_context_class_init (RelayContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_context_finalize;
}

static void
relay_context_init (RelayContext *self)
{
  self->credentials = relay_credentials_new ();
}

/**
 * relay_context_new:
 * @settings: the settings the addresses and preferences come from
 * @use_environment: whether `ORDER_RELAY_SQUARESPACE_URL` and
 *   `ORDER_RELAY_TRADEGECKO_URL` override the settings (not in the demo, whose
 *   settings name its own sandbox)
 *
 * Returns: (transfer full): a new context
 */
RelayContext *
relay_context_new (GSettings *settings,
                   gboolean   use_environment)
{
  RelayContext *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RELAY_TYPE_CONTEXT, NULL);
  self->settings = g_object_ref (settings);
  self->use_environment = use_environment;

  return self;
}

/**
 * relay_context_get_settings:
 * @self: a #RelayContext
 *
 * Returns: (transfer none): the settings
 */
GSettings *
relay_context_get_settings (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  return self->settings;
}

/**
 * relay_context_get_credentials:
 * @self: a #RelayContext
 *
 * Returns: (transfer none): the keyring the API keys live in
 */
RelayCredentials *
relay_context_get_credentials (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  return self->credentials;
}

/**
 * relay_context_dup_url:
 * @self: a #RelayContext
 * @service: which API
 *
 * Returns: (transfer full): the API's base URL: the environment's override,
 *   else the setting
 */
char *
relay_context_dup_url (RelayContext *self,
                       RelayService  service)
{
  const char *env;

  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  env = g_getenv (service == RELAY_SERVICE_SQUARESPACE ? "ORDER_RELAY_SQUARESPACE_URL" : "ORDER_RELAY_TRADEGECKO_URL");
  if (self->use_environment && env != NULL && *env != '\0')
    return g_strdup (env);

  return g_settings_get_string (self->settings, service == RELAY_SERVICE_SQUARESPACE ? "squarespace-url"
                                                                                     : "tradegecko-url");
}

/* ------------------------------------------------------------------------ */
/* Clients with their keys                                                   */

typedef struct
{
  gboolean          want_squarespace;
  RelaySquarespace *squarespace;
  RelayTradegecko  *tradegecko;
} OpenClients;

static void
open_clients_free (gpointer data)
{
  OpenClients *open = data;

  g_clear_object (&open->squarespace);
  g_clear_object (&open->tradegecko);
  g_free (open);
}

/* The key is wiped from our copy once the client holds it. */
static gboolean
take_key (RelayHttp    *http,
          RelayService  service,
          char         *key,
          GError      **error)
{
  if (key == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_CONNECTED,
                   _("%s is not connected: run “order-relay connect %s”"),
                   relay_service_get_name (service), relay_service_get_id (service));
      return FALSE;
    }

  relay_http_set_key (http, key);
  memset (key, 0, strlen (key));
  g_free (key);
  return TRUE;
}

static void
tradegecko_key_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenClients *open = g_task_get_task_data (task);
  GError *error = NULL;
  char *key;

  key = relay_credentials_lookup_finish (RELAY_CREDENTIALS (object), result, &error);
  if (error != NULL || !take_key (relay_tradegecko_get_http (open->tradegecko), RELAY_SERVICE_TRADEGECKO, key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
lookup_tradegecko_key (GTask *task)
{
  RelayContext *self = g_task_get_source_object (task);
  g_autofree char *url = relay_context_dup_url (self, RELAY_SERVICE_TRADEGECKO);
  OpenClients *open = g_task_get_task_data (task);
  GError *error = NULL;

  open->tradegecko = relay_tradegecko_new_for_url (url, &error);
  if (open->tradegecko == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  relay_credentials_lookup_async (self->credentials, RELAY_SERVICE_TRADEGECKO, url, g_task_get_cancellable (task),
                                  tradegecko_key_cb, task);
}

static void
squarespace_key_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  OpenClients *open = g_task_get_task_data (task);
  GError *error = NULL;
  char *key;

  key = relay_credentials_lookup_finish (RELAY_CREDENTIALS (object), result, &error);
  if (error != NULL || !take_key (relay_squarespace_get_http (open->squarespace), RELAY_SERVICE_SQUARESPACE, key, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  lookup_tradegecko_key (task);
}

static void
open_async (RelayContext        *self,
            gboolean             want_squarespace,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  OpenClients *open = g_new0 (OpenClients, 1);
  g_autofree char *url = NULL;
  GError *error = NULL;

  open->want_squarespace = want_squarespace;
  g_task_set_task_data (task, open, open_clients_free);
  if (!want_squarespace)
    {
      lookup_tradegecko_key (task);
      return;
    }

  url = relay_context_dup_url (self, RELAY_SERVICE_SQUARESPACE);
  open->squarespace = relay_squarespace_new_for_url (url, &error);
  if (open->squarespace == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  relay_credentials_lookup_async (self->credentials, RELAY_SERVICE_SQUARESPACE, url, cancellable,
                                  squarespace_key_cb, task);
}

/**
 * relay_context_open_clients_async:
 * @self: a #RelayContext
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when both clients are ready
 * @user_data: data for @callback
 *
 * Makes the Squarespace and TradeGecko clients for the addresses
 * relay_context_dup_url() gives, each with its key from the keyring.
 */
void
relay_context_open_clients_async (RelayContext        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_CONTEXT (self));

  open_async (self, TRUE, cancellable, callback, user_data);
}

/**
 * relay_context_open_clients_finish:
 * @self: a #RelayContext
 * @result: the result
 * @out_squarespace: (out) (transfer full): the Squarespace client
 * @out_tradegecko: (out) (transfer full): the TradeGecko client
 * @error: return location for a #GError: %RELAY_ERROR_NOT_CONNECTED when a
 *   key is missing
 *
 * Returns: %TRUE with both clients set
 */
gboolean
relay_context_open_clients_finish (RelayContext      *self,
                                   GAsyncResult      *result,
                                   RelaySquarespace **out_squarespace,
                                   RelayTradegecko  **out_tradegecko,
                                   GError           **error)
{
  OpenClients *open;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  open = g_task_get_task_data (G_TASK (result));
  *out_squarespace = g_steal_pointer (&open->squarespace);
  *out_tradegecko = g_steal_pointer (&open->tradegecko);
  return TRUE;
}

/**
 * relay_context_open_tradegecko_async:
 * @self: a #RelayContext
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the client is ready
 * @user_data: data for @callback
 *
 * Like relay_context_open_clients_async(), for TradeGecko alone (look-ups
 * that need no Squarespace key).
 */
void
relay_context_open_tradegecko_async (RelayContext        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_CONTEXT (self));

  open_async (self, FALSE, cancellable, callback, user_data);
}

/**
 * relay_context_open_tradegecko_finish:
 * @self: a #RelayContext
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the TradeGecko client with its key
 */
RelayTradegecko *
relay_context_open_tradegecko_finish (RelayContext  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  OpenClients *open;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  open = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&open->tradegecko);
}
