/* relay-sync-alias.c — a new item alias retries the orders waiting on it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-mapping.h"
#include "relay-sync-alias.h"

/**
 * relay_order_waits_on_alias:
 * @order: an order
 * @store_sku: an alias key: a Squarespace SKU, or `variant:` and a
 *   Squarespace variant id (%RELAY_ALIAS_VARIANT_PREFIX)
 *
 * Whether an alias for @store_sku changes what one of the order's physical
 * lines is looked up as. It compares the lines themselves, as the mapping
 * does, never the free text a list search matches (a customer named
 * Mugford does not wait on alias `MUG`).
 *
 * Returns: %TRUE if a physical line has that SKU or that variant
 */
gboolean
relay_order_waits_on_alias (RelayOrder *order,
                            const char *store_sku)
{
  GPtrArray *lines;
  const char *variant_key = NULL;

  g_return_val_if_fail (RELAY_IS_ORDER (order), FALSE);
  g_return_val_if_fail (store_sku != NULL, FALSE);

  if (g_str_has_prefix (store_sku, RELAY_ALIAS_VARIANT_PREFIX))
    variant_key = store_sku + strlen (RELAY_ALIAS_VARIANT_PREFIX);

  lines = relay_order_get_lines (order);
  for (guint i = 0; i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);

      if (!line->is_physical)
        continue;
      if (variant_key != NULL ? g_strcmp0 (line->variant_id, variant_key) == 0
                              : g_strcmp0 (line->sku, store_sku) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The rejected orders with a line @store_sku names, oldest first. */
static GPtrArray *
dup_waiting_orders (RelayStore  *store,
                    const char  *store_sku,
                    GError     **error)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  keys = relay_store_dup_order_keys (store, RELAY_STAGE_MASK (RELAY_STAGE_REJECTED), NULL,
                                     RELAY_ORDER_SORT_CREATED, FALSE, error);
  if (keys == NULL)
    return NULL;
  rows = relay_store_dup_orders_by_keys (store, (const gint64 *) (gpointer) keys->data, keys->len, error);
  if (rows == NULL)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const RelayOrderRow *row = g_ptr_array_index (rows, i);
      g_autoptr(RelayOrder) order = NULL;
      g_autoptr(GError) local_error = NULL;

      if (row == NULL)
        continue;
      order = relay_store_load_order (store, row->squarespace_id, &local_error);
      if (order == NULL)
        g_warning ("Could not read order %s: %s", row->order_number, local_error->message);
      else if (relay_order_waits_on_alias (order, store_sku))
        g_ptr_array_add (waiting, g_strdup (row->squarespace_id));
    }

  return g_steal_pointer (&waiting);
}

/**
 * relay_store_add_item_alias_retry:
 * @store: the state store
 * @engine: (nullable): the engine that reads @store, or %NULL when none does
 *   (no account connected yet)
 * @store_sku: the Squarespace SKU (or variant alias key)
 * @tradegecko_sku: the TradeGecko SKU it means
 * @error: return location for a #GError
 *
 * Saves the alias, then queues again exactly the rejected orders waiting on
 * @store_sku. With an engine they go through its retry path, which forgets
 * the cached variant look-ups so the new alias is seen.
 *
 * Returns: how many orders were retried (0 with @error set on failure)
 */
guint
relay_store_add_item_alias_retry (RelayStore       *store,
                                  RelaySyncEngine  *engine,
                                  const char       *store_sku,
                                  const char       *tradegecko_sku,
                                  GError          **error)
{
  g_autofree char *sku = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  guint retried = 0;

  g_return_val_if_fail (RELAY_IS_STORE (store), 0);
  g_return_val_if_fail (engine == NULL || relay_sync_engine_get_store (engine) == store, 0);

  /* The store keeps the key stripped; the orders are matched against that key. */
  sku = g_strstrip (g_strdup (store_sku != NULL ? store_sku : ""));
  if (!relay_store_set_item_alias (store, sku, tradegecko_sku != NULL ? tradegecko_sku : "", error))
    return 0;

  waiting = dup_waiting_orders (store, sku, error);
  if (waiting == NULL)
    return 0;

  for (guint i = 0; i < waiting->len; i++)
    {
      const char *squarespace_id = g_ptr_array_index (waiting, i);
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      ok = engine != NULL ? relay_sync_engine_retry_order (engine, squarespace_id, &local_error)
                          : relay_store_requeue (store, squarespace_id, &local_error);
      if (ok)
        retried++;
      else
        g_warning ("Could not retry order %s: %s", squarespace_id, local_error->message);
    }

  return retried;
}

/**
 * relay_sync_engine_add_item_alias:
 * @self: a #RelaySyncEngine
 * @store_sku: the Squarespace SKU (or variant alias key)
 * @tradegecko_sku: the TradeGecko SKU it means
 * @error: return location for a #GError
 *
 * relay_store_add_item_alias_retry() on the engine's store.
 *
 * Returns: how many orders were retried (0 with @error set on failure)
 */
guint
relay_sync_engine_add_item_alias (RelaySyncEngine  *self,
                                  const char       *store_sku,
                                  const char       *tradegecko_sku,
                                  GError          **error)
{
  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), 0);

  return relay_store_add_item_alias_retry (relay_sync_engine_get_store (self), self, store_sku, tradegecko_sku, error);
}
