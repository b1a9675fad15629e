/* relay-store-maps.c — the merchant's maps: item aliases, shipping methods, carriers
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

/* The three merchant maps share one shape: key → value. Table and column
 * names are constants of this file, never input. */
typedef struct
{
  const char *table;
  const char *key;
  const char *value;
  const char *what;
} MapTable;

static const MapTable item_aliases = { "item_aliases", "store_sku", "tradegecko_sku", N_("item alias") };
static const MapTable shipping_methods = { "shipping_methods", "squarespace_method", "tradegecko_label", N_("shipping method") };
static const MapTable carriers = { "carriers", "tradegecko_carrier", "squarespace_carrier", N_("carrier") };

static gboolean
map_set (RelayStore      *self,
         const MapTable  *map,
         const char      *key,
         const char      *value,
         GError         **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *key_stripped = g_strstrip (g_strdup (key));
  g_autofree char *value_stripped = g_strstrip (g_strdup (value));

  if (*key_stripped == '\0' || *value_stripped == '\0')
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("A %s needs both sides filled in"), _(map->what));
      return FALSE;
    }

  sql = g_strdup_printf ("INSERT INTO %s (%s, %s, updated_at) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT (%s) DO UPDATE SET %s = excluded.%s, updated_at = excluded.updated_at",
                         map->table, map->key, map->value, map->key, map->value, map->value);
  if (!store_run (self, error, sql, "ssx", key_stripped, value_stripped, store_now_ms ()))
    return FALSE;

  store_emit_maps_changed (self);
  return TRUE;
}

static gboolean
map_remove (RelayStore      *self,
            const MapTable  *map,
            const char      *key,
            GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", map->table, map->key);

  if (!store_run (self, error, sql, "s", key))
    return FALSE;

  if (sqlite3_changes (self->db) > 0)
    store_emit_maps_changed (self);
  return TRUE;
}

static GHashTable *
map_dup (RelayStore      *self,
         const MapTable  *map,
         GError         **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *sql = g_strdup_printf ("SELECT %s, %s FROM %s", map->key, map->value, map->table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  stmt = store_prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (found)
        g_hash_table_insert (table, store_column_dup_text (stmt, 0), store_column_dup_text (stmt, 1));
    }

  return g_steal_pointer (&table);
}

/**
 * relay_store_set_item_alias:
 * @self: a #RelayStore
 * @store_sku: the SKU in Squarespace
 * @tradegecko_sku: the SKU to look up in TradeGecko instead
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_set_item_alias (RelayStore  *self,
                            const char  *store_sku,
                            const char  *tradegecko_sku,
                            GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (store_sku != NULL && tradegecko_sku != NULL, FALSE);

  return map_set (self, &item_aliases, store_sku, tradegecko_sku, error);
}

gboolean
relay_store_remove_item_alias (RelayStore  *self,
                               const char  *store_sku,
                               GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (store_sku != NULL, FALSE);

  return map_remove (self, &item_aliases, store_sku, error);
}

/**
 * relay_store_lookup_item_alias:
 * @self: a #RelayStore
 * @store_sku: a Squarespace SKU
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the TradeGecko SKU, or %NULL without error
 *   when there is no alias
 */
char *
relay_store_lookup_item_alias (RelayStore  *self,
                               const char  *store_sku,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  char *value = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (store_sku != NULL, NULL);

  stmt = store_prepare (self, error, "SELECT tradegecko_sku FROM item_aliases WHERE store_sku = ?1", "s", store_sku);
  if (stmt == NULL)
    return NULL;
  if (store_step_row (self, stmt, &found, error) && found)
    value = store_column_dup_text (stmt, 0);

  return value;
}

/**
 * relay_store_dup_item_aliases:
 * @self: a #RelayStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8 utf8): store SKU → TradeGecko SKU
 */
GHashTable *
relay_store_dup_item_aliases (RelayStore  *self,
                              GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return map_dup (self, &item_aliases, error);
}

gboolean
relay_store_set_shipping_method (RelayStore  *self,
                                 const char  *squarespace_method,
                                 const char  *tradegecko_label,
                                 GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_method != NULL && tradegecko_label != NULL, FALSE);

  return map_set (self, &shipping_methods, squarespace_method, tradegecko_label, error);
}

gboolean
relay_store_remove_shipping_method (RelayStore  *self,
                                    const char  *squarespace_method,
                                    GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_method != NULL, FALSE);

  return map_remove (self, &shipping_methods, squarespace_method, error);
}

/**
 * relay_store_dup_shipping_methods:
 * @self: a #RelayStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8 utf8): Squarespace method → TradeGecko label
 */
GHashTable *
relay_store_dup_shipping_methods (RelayStore  *self,
                                  GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return map_dup (self, &shipping_methods, error);
}

gboolean
relay_store_set_carrier (RelayStore  *self,
                         const char  *tradegecko_carrier,
                         const char  *squarespace_carrier,
                         GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (tradegecko_carrier != NULL && squarespace_carrier != NULL, FALSE);

  return map_set (self, &carriers, tradegecko_carrier, squarespace_carrier, error);
}

gboolean
relay_store_remove_carrier (RelayStore  *self,
                            const char  *tradegecko_carrier,
                            GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (tradegecko_carrier != NULL, FALSE);

  return map_remove (self, &carriers, tradegecko_carrier, error);
}

/**
 * relay_store_dup_carriers:
 * @self: a #RelayStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8 utf8): TradeGecko carrier → Squarespace carrier
 */
GHashTable *
relay_store_dup_carriers (RelayStore  *self,
                          GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return map_dup (self, &carriers, error);
}
