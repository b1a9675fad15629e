/* relay-credentials.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relay-credentials.h"
#include "relay-error.h"

/* Keys live in the Secret Service (gnome-keyring) and nowhere else. `account` is the
 * API base URL, so a sandbox key and the real store's key never mix. */
static const SecretSchema relay_credentials_schema = {
  APP_ID, SECRET_SCHEMA_NONE,
  {
    { "store", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "NULL", 0 },
  }
};

struct _RelayCredentials
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (RelayCredentials, relay_credentials, G_TYPE_OBJECT)

/* Trailing slashes do not make another account. */
static char *
normalize_account (const char *account)
{
  char *normalized = g_strstrip (g_strdup (account));
  gsize length = strlen (normalized);

  while (length > 0 && normalized[length - 1] == '/')
    normalized[--length] = '\0';

  return normalized;
}

/* Cancellation stays G_IO_ERROR_CANCELLED; any other failure becomes RELAY_ERROR_KEYRING
 * with @message, which names the action and what to do. */
static GError *
keyring_error (GError     *error,
               const char *message)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("Secret Service failed: %s", error->message);
  mapped = g_error_new (RELAY_ERROR, RELAY_ERROR_KEYRING, "%s (%s)", message, error->message);
  g_error_free (error);

  return mapped;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, keyring_error (error,
                                                _("The key could not be saved in the keyring. Make sure the login keyring is unlocked and try again.")));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error,
                                                _("The key could not be read from the keyring. Make sure the login keyring is unlocked and try again.")));
      return;
    }

  /* No key is not an error: the store is simply not connected yet. */
  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to remove: that is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, keyring_error (error,
                                                _("The key could not be removed from the keyring. Make sure the login keyring is unlocked and try again.")));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
relay_credentials_class_init (RelayCredentialsClass *klass)
{
}

static void
relay_credentials_init (RelayCredentials *self)
{
}

/**
 * relay_service_get_name:
 * @service: a #RelayService
 *
 * Returns: the service's name for people ("Squarespace")
 */
const char *
relay_service_get_name (RelayService service)
{
  switch (service)
    {
    case RELAY_SERVICE_SQUARESPACE:
      return "Squarespace";
    case RELAY_SERVICE_TRADEGECKO:
      return "TradeGecko";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * relay_service_get_id:
 * @service: a #RelayService
 *
 * Returns: the keyring's `store` attribute ("squarespace" or "tradegecko")
 */
const char *
relay_service_get_id (RelayService service)
{
  switch (service)
    {
    case RELAY_SERVICE_SQUARESPACE:
      return "squarespace";
    case RELAY_SERVICE_TRADEGECKO:
      return "tradegecko";
    default:
      g_return_val_if_reached (NULL);
    }
}

RelayCredentials *
relay_credentials_new (void)
{
  return g_object_new (RELAY_TYPE_CREDENTIALS, NULL);
}

/**
 * relay_credentials_store_async:
 * @self: a #RelayCredentials
 * @service: whose key
 * @account: the API base URL the key is for
 * @key: the key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Saves @key in the default keyring, replacing the key stored for the same
 * service and account.
 */
void
relay_credentials_store_async (RelayCredentials    *self,
                               RelayService         service,
                               const char          *account,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *normalized = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_CREDENTIALS (self));
  g_return_if_fail (relay_service_get_id (service) != NULL);
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (key != NULL && *key != '\0');

  normalized = normalize_account (account);
  /* Translators: the label of the key in Passwords and Keys; %s is "Squarespace" or "TradeGecko" */
  label = g_strdup_printf (_("Order Relay: %s API key"), relay_service_get_name (service));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credentials_store_async);
  secret_password_store (&relay_credentials_schema, SECRET_COLLECTION_DEFAULT, label, key,
                         cancellable, stored_cb, task,
                         "store", relay_service_get_id (service),
                         "account", normalized,
                         NULL);
}

gboolean
relay_credentials_store_finish (RelayCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_credentials_lookup_async:
 * @self: a #RelayCredentials
 * @service: whose key
 * @account: the API base URL the key is for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
relay_credentials_lookup_async (RelayCredentials    *self,
                                RelayService         service,
                                const char          *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *normalized = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_CREDENTIALS (self));
  g_return_if_fail (relay_service_get_id (service) != NULL);
  g_return_if_fail (account != NULL && *account != '\0');

  normalized = normalize_account (account);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credentials_lookup_async);
  secret_password_lookup (&relay_credentials_schema, cancellable, looked_up_cb, task,
                          "store", relay_service_get_id (service),
                          "account", normalized,
                          NULL);
}

/**
 * relay_credentials_lookup_finish:
 * @self: a #RelayCredentials
 * @result: the result
 * @error: return location for a #GError (%RELAY_ERROR_KEYRING)
 *
 * Returns: (transfer full) (nullable): the key, or %NULL without an error
 *   when none is stored
 */
char *
relay_credentials_lookup_finish (RelayCredentials  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_credentials_clear_async:
 * @self: a #RelayCredentials
 * @service: whose key
 * @account: the API base URL the key is for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the key, if there is one (disconnecting a store).
 */
void
relay_credentials_clear_async (RelayCredentials    *self,
                               RelayService         service,
                               const char          *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *normalized = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_CREDENTIALS (self));
  g_return_if_fail (relay_service_get_id (service) != NULL);
  g_return_if_fail (account != NULL && *account != '\0');

  normalized = normalize_account (account);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credentials_clear_async);
  secret_password_clear (&relay_credentials_schema, cancellable, cleared_cb, task,
                         "store", relay_service_get_id (service),
                         "account", normalized,
                         NULL);
}

/**
 * relay_credentials_clear_finish:
 *
 * Returns: %TRUE when no key is stored any more (also if there was none)
 */
gboolean
relay_credentials_clear_finish (RelayCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
