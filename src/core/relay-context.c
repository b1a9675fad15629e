/* relay-context.c — what every front end shares: settings, keyring, store, clients, engine
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
 * GcalContext, so no front end wires a client by hand: it also owns the
 * order database and the sync engine made from both clients, and checks a
 * new key for the setup and `order-relay connect`. Front ends see the
 * clients only as a #RelayOrderSource and a #RelayOrderDestination.
 */

struct _RelayContext
{
  GObject           parent_instance;

  GSettings        *settings;
  RelayCredentials *credentials;
  gboolean          use_environment;

  char             *state_path;      /* NULL: the default database */
  RelayStore       *store;           /* opened on first use */
  RelaySyncEngine  *engine;          /* once both clients have their keys */
  RelaySquarespace *squarespace;     /* the engine's source */
  RelayTradegecko  *tradegecko;      /* the engine's destination */
};

G_DEFINE_FINAL_TYPE (RelayContext, relay_context, G_TYPE_OBJECT)

static void
relay_context_finalize (GObject *object)
{
  RelayContext *self = RELAY_CONTEXT (object);

  relay_context_close_engine (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->state_path, g_free);
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
/* The order database                                                        */

/**
 * relay_context_set_state_path:
 * @self: a #RelayContext
 * @path: (nullable): the order database to use, %NULL for the default one
 *
 * Chooses the database before it is first opened (the demo and the tests use
 * their own).
 */
void
relay_context_set_state_path (RelayContext *self,
                              const char   *path)
{
  g_return_if_fail (RELAY_IS_CONTEXT (self));
  g_return_if_fail (self->store == NULL);

  g_free (self->state_path);
  self->state_path = g_strdup (path);
}

/**
 * relay_context_get_state_path:
 * @self: a #RelayContext
 *
 * Returns: (nullable): the database chosen with relay_context_set_state_path()
 */
const char *
relay_context_get_state_path (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  return self->state_path;
}

/**
 * relay_context_get_store:
 * @self: a #RelayContext
 * @error: return location for a #GError
 *
 * Opens the order database on first use.
 *
 * Returns: (transfer none) (nullable): the store, %NULL if it cannot be opened
 */
RelayStore *
relay_context_get_store (RelayContext  *self,
                         GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  if (self->store != NULL)
    return self->store;

  path = self->state_path != NULL ? g_strdup (self->state_path) : relay_store_get_default_path ();
  self->store = relay_store_open (path, error);
  return self->store;
}

/**
 * relay_context_take_store_from:
 * @self: a #RelayContext, its store not yet opened
 * @other: the context it replaces
 *
 * Carries the database choice, and the database if it is open, over to a
 * context made for other settings (the demo's), so one file stays open once.
 */
void
relay_context_take_store_from (RelayContext *self,
                               RelayContext *other)
{
  g_return_if_fail (RELAY_IS_CONTEXT (self));
  g_return_if_fail (RELAY_IS_CONTEXT (other));
  g_return_if_fail (self->store == NULL);

  g_free (self->state_path);
  self->state_path = g_strdup (other->state_path);
  self->store = g_steal_pointer (&other->store);
}

/* ------------------------------------------------------------------------ */
/* Checking a new key                                                        */

typedef struct
{
  RelaySquarespace *squarespace;
  RelayTradegecko  *tradegecko;
  RelayVerifyFlags  flags;
  char             *name;
  gboolean          can_write_inventory;
} VerifyKey;

static void
verify_key_free (gpointer data)
{
  VerifyKey *verify = data;

  g_clear_object (&verify->squarespace);
  g_clear_object (&verify->tradegecko);
  g_free (verify->name);
  g_free (verify);
}

static void
inventory_checked_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyKey *verify = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Only stock sync needs it: an unclear answer is no answer, never a failed key. */
  verify->can_write_inventory = relay_squarespace_check_inventory_write_finish (RELAY_SQUARESPACE (object), result,
                                                                                &error);
  if (error != NULL)
    g_debug ("Inventory permission unknown: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
website_verified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyKey *verify = g_task_get_task_data (task);
  g_autoptr(JsonObject) website = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  website = relay_squarespace_verify_finish (verify->squarespace, result, &error);
  if (website == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  verify->name = relay_squarespace_dup_site_name (website);
  if ((verify->flags & RELAY_VERIFY_INVENTORY_WRITE) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Read before the steal below: argument order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  relay_squarespace_check_inventory_write_async (verify->squarespace, cancellable, inventory_checked_cb,
                                                 g_steal_pointer (&task));
}

static void
account_verified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyKey *verify = g_task_get_task_data (task);
  g_autoptr(JsonObject) account = NULL;
  GError *error = NULL;

  account = relay_tradegecko_verify_finish (verify->tradegecko, result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  verify->name = relay_tradegecko_dup_account_name (account);
  g_task_return_boolean (task, TRUE);
}

/**
 * relay_context_verify_key_async:
 * @self: a #RelayContext
 * @service: which API the key is for
 * @url: the API's base URL
 * @key: the key to check (not stored)
 * @flags: how to check it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Asks the service who the key belongs to, before it is kept.
 */
void
relay_context_verify_key_async (RelayContext        *self,
                                RelayService         service,
                                const char          *url,
                                const char          *key,
                                RelayVerifyFlags     flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyKey *verify = g_new0 (VerifyKey, 1);
  GError *error = NULL;
  RelayHttp *http;

  g_return_if_fail (RELAY_IS_CONTEXT (self));
  g_return_if_fail (url != NULL && key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_verify_key_async);
  verify->flags = flags;
  g_task_set_task_data (task, verify, verify_key_free);

  if (service == RELAY_SERVICE_SQUARESPACE)
    verify->squarespace = relay_squarespace_new_for_url (url, &error);
  else
    verify->tradegecko = relay_tradegecko_new_for_url (url, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  http = verify->squarespace != NULL ? relay_squarespace_get_http (verify->squarespace)
                                     : relay_tradegecko_get_http (verify->tradegecko);
  relay_http_set_key (http, key);
  if (flags & RELAY_VERIFY_ONE_ATTEMPT)
    relay_http_set_max_attempts (http, 1);

  if (verify->squarespace != NULL)
    relay_squarespace_verify_async (verify->squarespace, cancellable, website_verified_cb, g_steal_pointer (&task));
  else
    relay_tradegecko_verify_async (verify->tradegecko, cancellable, account_verified_cb, g_steal_pointer (&task));
}

/**
 * relay_context_verify_key_finish:
 * @self: a #RelayContext
 * @result: the result
 * @out_can_write_inventory: (out) (optional): whether the key may change
 *   stock, when %RELAY_VERIFY_INVENTORY_WRITE asked
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the site's or account's name; %NULL
 *   with @error unset when the service gave none
 */
char *
relay_context_verify_key_finish (RelayContext  *self,
                                 GAsyncResult  *result,
                                 gboolean      *out_can_write_inventory,
                                 GError       **error)
{
  VerifyKey *verify;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  verify = g_task_get_task_data (G_TASK (result));
  if (out_can_write_inventory != NULL)
    *out_can_write_inventory = verify->can_write_inventory;
  return g_steal_pointer (&verify->name);
}

/* ------------------------------------------------------------------------ */
/* Which stores are connected                                                */

typedef struct
{
  guint    pending;
  gboolean has_key[2];     /* by RelayService */
  GError  *error;          /* the first keyring error */
} CheckKeys;

static void
check_keys_free (gpointer data)
{
  CheckKeys *check = data;

  g_clear_error (&check->error);
  g_free (check);
}

typedef struct
{
  GTask        *task;
  RelayService  service;
} CheckOne;

static void
key_checked_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CheckOne *one = user_data;
  g_autoptr(GTask) task = one->task;
  CheckKeys *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *key;

  key = relay_credentials_lookup_finish (RELAY_CREDENTIALS (object), result, &error);
  /* Only whether it is there: the key itself is wiped at once. */
  check->has_key[one->service == RELAY_SERVICE_SQUARESPACE ? 0 : 1] = key != NULL;
  if (key != NULL)
    {
      memset (key, 0, strlen (key));
      g_free (key);
    }
  if (error != NULL && check->error == NULL)
    check->error = g_steal_pointer (&error);
  g_free (one);

  if (--check->pending > 0)
    return;
  if (check->error != NULL)
    g_task_return_error (task, g_steal_pointer (&check->error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * relay_context_check_keys_async:
 * @self: a #RelayContext
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Looks in the keyring for both keys, filed under relay_context_dup_url()'s
 * addresses: whether each store is connected (the application opens the
 * setup when one is not; `order-relay status` says so).
 */
void
relay_context_check_keys_async (RelayContext        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  static const RelayService services[] = { RELAY_SERVICE_SQUARESPACE, RELAY_SERVICE_TRADEGECKO };
  g_autoptr(GTask) task = NULL;
  CheckKeys *check = g_new0 (CheckKeys, 1);

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_check_keys_async);
  check->pending = G_N_ELEMENTS (services);
  g_task_set_task_data (task, check, check_keys_free);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *url = relay_context_dup_url (self, services[i]);
      CheckOne *one = g_new0 (CheckOne, 1);

      one->task = g_object_ref (task);
      one->service = services[i];
      relay_credentials_lookup_async (self->credentials, services[i], url, cancellable, key_checked_cb, one);
    }
}

/**
 * relay_context_check_keys_finish:
 * @self: a #RelayContext
 * @result: the result
 * @out_squarespace: (out) (optional): whether the Squarespace key is there
 * @out_tradegecko: (out) (optional): whether the TradeGecko key is there
 * @error: return location for a keyring error
 *
 * Returns: %TRUE when the keyring answered
 */
gboolean
relay_context_check_keys_finish (RelayContext  *self,
                                 GAsyncResult  *result,
                                 gboolean      *out_squarespace,
                                 gboolean      *out_tradegecko,
                                 GError       **error)
{
  CheckKeys *check;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  check = g_task_get_task_data (G_TASK (result));
  if (out_squarespace != NULL)
    *out_squarespace = check->has_key[0];
  if (out_tradegecko != NULL)
    *out_tradegecko = check->has_key[1];
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Clients with their keys                                                   */

typedef struct
{
  char             *squarespace_url;  /* NULL: TradeGecko alone */
  char             *tradegecko_url;
  RelaySquarespace *squarespace;
  RelayTradegecko  *tradegecko;
} OpenClients;

static void
open_clients_free (gpointer data)
{
  OpenClients *open = data;

  g_clear_object (&open->squarespace);
  g_clear_object (&open->tradegecko);
  g_free (open->squarespace_url);
  g_free (open->tradegecko_url);
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
  OpenClients *open = g_task_get_task_data (task);
  GError *error = NULL;

  open->tradegecko = relay_tradegecko_new_for_url (open->tradegecko_url, &error);
  if (open->tradegecko == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  relay_credentials_lookup_async (self->credentials, RELAY_SERVICE_TRADEGECKO, open->tradegecko_url,
                                  g_task_get_cancellable (task), tradegecko_key_cb, task);
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

/* Both clients (or TradeGecko's alone when @squarespace_url is NULL), each with its key. */
static void
open_async (RelayContext        *self,
            const char          *squarespace_url,
            const char          *tradegecko_url,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  OpenClients *open = g_new0 (OpenClients, 1);
  GError *error = NULL;

  open->squarespace_url = g_strdup (squarespace_url);
  open->tradegecko_url = g_strdup (tradegecko_url);
  g_task_set_task_data (task, open, open_clients_free);
  if (squarespace_url == NULL)
    {
      lookup_tradegecko_key (task);
      return;
    }

  open->squarespace = relay_squarespace_new_for_url (squarespace_url, &error);
  if (open->squarespace == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  relay_credentials_lookup_async (self->credentials, RELAY_SERVICE_SQUARESPACE, squarespace_url, cancellable,
                                  squarespace_key_cb, task);
}

/**
 * relay_context_open_clients_async:
 * @self: a #RelayContext
 * @squarespace_url: (nullable): the Squarespace address, %NULL for relay_context_dup_url()'s
 * @tradegecko_url: (nullable): the TradeGecko address, %NULL for relay_context_dup_url()'s
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when both clients are ready
 * @user_data: data for @callback
 *
 * Makes the order source (Squarespace) and destination (TradeGecko), each
 * with its key from the keyring, filed under its address.
 */
void
relay_context_open_clients_async (RelayContext        *self,
                                  const char          *squarespace_url,
                                  const char          *tradegecko_url,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *default_squarespace = NULL;
  g_autofree char *default_tradegecko = NULL;

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  if (squarespace_url == NULL)
    squarespace_url = default_squarespace = relay_context_dup_url (self, RELAY_SERVICE_SQUARESPACE);
  if (tradegecko_url == NULL)
    tradegecko_url = default_tradegecko = relay_context_dup_url (self, RELAY_SERVICE_TRADEGECKO);
  open_async (self, squarespace_url, tradegecko_url, cancellable, callback, user_data);
}

/**
 * relay_context_open_clients_finish:
 * @self: a #RelayContext
 * @result: the result
 * @out_source: (out) (transfer full): the Squarespace client
 * @out_destination: (out) (transfer full): the TradeGecko client
 * @error: return location for a #GError: %RELAY_ERROR_NOT_CONNECTED when a
 *   key is missing
 *
 * Returns: %TRUE with both clients set
 */
gboolean
relay_context_open_clients_finish (RelayContext           *self,
                                   GAsyncResult           *result,
                                   RelayOrderSource      **out_source,
                                   RelayOrderDestination **out_destination,
                                   GError                **error)
{
  OpenClients *open;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  open = g_task_get_task_data (G_TASK (result));
  *out_source = RELAY_ORDER_SOURCE (g_steal_pointer (&open->squarespace));
  *out_destination = RELAY_ORDER_DESTINATION (g_steal_pointer (&open->tradegecko));
  return TRUE;
}

/**
 * relay_context_open_destination_async:
 * @self: a #RelayContext
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the client is ready
 * @user_data: data for @callback
 *
 * Like relay_context_open_clients_async(), for TradeGecko alone (look-ups
 * that need no Squarespace key).
 */
void
relay_context_open_destination_async (RelayContext        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *url = NULL;

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  url = relay_context_dup_url (self, RELAY_SERVICE_TRADEGECKO);
  open_async (self, NULL, url, cancellable, callback, user_data);
}

/**
 * relay_context_open_destination_finish:
 * @self: a #RelayContext
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the TradeGecko client with its key
 */
RelayOrderDestination *
relay_context_open_destination_finish (RelayContext  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  OpenClients *open;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  open = g_task_get_task_data (G_TASK (result));
  return RELAY_ORDER_DESTINATION (g_steal_pointer (&open->tradegecko));
}

/* ------------------------------------------------------------------------ */
/* The engine                                                                */

static void
engine_clients_opened_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayContext *self = RELAY_CONTEXT (object);
  g_autoptr(RelayOrderSource) source = NULL;
  g_autoptr(RelayOrderDestination) destination = NULL;
  RelayStore *store;
  GError *error = NULL;

  if (!relay_context_open_clients_finish (self, result, &source, &destination, &error) ||
      (store = relay_context_get_store (self, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Two requests crossed: the first engine stays, one engine per context. */
  if (self->engine == NULL)
    {
      self->engine = relay_sync_engine_new (store, source, destination, self->settings);
      self->squarespace = RELAY_SQUARESPACE (g_steal_pointer (&source));
      self->tradegecko = RELAY_TRADEGECKO (g_steal_pointer (&destination));
    }
  g_task_return_pointer (task, g_object_ref (self->engine), g_object_unref);
}

/**
 * relay_context_open_engine_async:
 * @self: a #RelayContext
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the engine is made
 * @user_data: data for @callback
 *
 * Opens the store and both clients with their keys, and makes the sync
 * engine over them (idle until started), kept until
 * relay_context_close_engine(). With an engine already made, that one.
 */
void
relay_context_open_engine_async (RelayContext        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_context_open_engine_async);
  if (self->engine != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->engine), g_object_unref);
      g_object_unref (task);
      return;
    }

  relay_context_open_clients_async (self, NULL, NULL, cancellable, engine_clients_opened_cb, task);
}

/**
 * relay_context_open_engine_finish:
 * @self: a #RelayContext
 * @result: the result
 * @error: return location for a #GError: %RELAY_ERROR_NOT_CONNECTED when a
 *   key is missing
 *
 * Returns: (transfer none) (nullable): the context's engine
 */
RelaySyncEngine *
relay_context_open_engine_finish (RelayContext  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(RelaySyncEngine) engine = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  engine = g_task_propagate_pointer (G_TASK (result), error);
  if (engine == NULL)
    return NULL;
  /* The context holds it; an engine closed meanwhile is not handed out. */
  if (engine != self->engine)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The sync engine was closed");
      return NULL;
    }
  return engine;
}

/**
 * relay_context_get_engine:
 * @self: a #RelayContext
 *
 * Returns: (transfer none) (nullable): the engine, once opened
 */
RelaySyncEngine *
relay_context_get_engine (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  return self->engine;
}

/**
 * relay_context_get_source:
 * @self: a #RelayContext
 *
 * Returns: (transfer none) (nullable): the engine's order source, for look-ups
 */
RelayOrderSource *
relay_context_get_source (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  return self->squarespace != NULL ? RELAY_ORDER_SOURCE (self->squarespace) : NULL;
}

/**
 * relay_context_get_destination:
 * @self: a #RelayContext
 *
 * Returns: (transfer none) (nullable): the engine's order destination, for look-ups
 */
RelayOrderDestination *
relay_context_get_destination (RelayContext *self)
{
  g_return_val_if_fail (RELAY_IS_CONTEXT (self), NULL);

  return self->tradegecko != NULL ? RELAY_ORDER_DESTINATION (self->tradegecko) : NULL;
}

/**
 * relay_context_close_engine:
 * @self: a #RelayContext
 *
 * Stops the engine and forgets it and its clients: a key may have changed
 * (a store reconnected), so the next relay_context_open_engine_async()
 * reads the keyring again.
 */
void
relay_context_close_engine (RelayContext *self)
{
  g_return_if_fail (RELAY_IS_CONTEXT (self));

  if (self->engine != NULL)
    relay_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->squarespace);
  g_clear_object (&self->tradegecko);
}
