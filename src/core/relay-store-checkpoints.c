/* relay-store-checkpoints.c — checkpoints (pull watermarks and the like)
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/**
 * relay_store_dup_checkpoint:
 * @self: a #RelayStore
 * @key: a checkpoint name, e.g. `squarespace.pull-watermark`
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the value, or %NULL without error when unset
 */
char *
relay_store_dup_checkpoint (RelayStore  *self,
                            const char  *key,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  char *value = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = store_prepare (self, error, "SELECT value FROM checkpoints WHERE key = ?1", "s", key);
  if (stmt == NULL)
    return NULL;
  if (store_step_row (self, stmt, &found, error) && found)
    value = store_column_dup_text (stmt, 0);

  return value;
}

/**
 * relay_store_set_checkpoint:
 * @self: a #RelayStore
 * @key: a checkpoint name
 * @value: (nullable): the value; %NULL removes it
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_set_checkpoint (RelayStore  *self,
                            const char  *key,
                            const char  *value,
                            GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    return store_run (self, error, "DELETE FROM checkpoints WHERE key = ?1", "s", key);

  return store_run (self, error,
                    "INSERT INTO checkpoints (key, value, updated_at) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    "ssx", key, value, store_now_ms ());
}

/**
 * relay_store_set_checkpoints:
 * @self: a #RelayStore
 * @keys: (array length=n): checkpoint names
 * @values: (array length=n): their values (%NULL removes one)
 * @n: how many
 * @error: return location for a #GError
 *
 * Sets many checkpoints in one transaction (one write to disk instead of @n),
 * so related watermarks move together or not at all.
 *
 * Returns: %TRUE on success; on failure nothing is changed
 */
gboolean
relay_store_set_checkpoints (RelayStore         *self,
                             const char * const *keys,
                             const char * const *values,
                             guint               n,
                             GError            **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || (keys != NULL && values != NULL), FALSE);

  if (n == 0)
    return TRUE;
  if (!store_transaction_begin (&tx, self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!relay_store_set_checkpoint (self, keys[i], values[i], error))
        return FALSE;
    }
  return store_transaction_commit (&tx, error);
}
