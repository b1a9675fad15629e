/* relay-store-stock.c — what the stock flow keeps: batches of stock adjustments with their
 * Idempotency-Keys, each store variant's match and figures, units on orders not yet sent
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/* ------------------------------------------------------------------------ */
/* Stock                                                                     */

void
relay_stock_row_free (RelayStockRow *row)
{
  if (row == NULL)
    return;
  g_free (row->store_variant_id);
  g_free (row->store_sku);
  g_free (row->product);
  g_free (row->problem);
  g_free (row);
}

void
relay_stock_batch_free (RelayStockBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->idempotency_key);
  g_free (batch->operations);
  g_free (batch);
}

static gint64
column_int_or (sqlite3_stmt *stmt,
               int           column,
               gint64        fallback)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? fallback : sqlite3_column_int64 (stmt, column);
}

typedef gpointer (*RowReader) (sqlite3_stmt *stmt);

/* Every row of @stmt through @read, then the statement released; NULL on error (no partial
 * result, whether or not the caller asked for the error). */
static GPtrArray *
collect_rows (RelayStore      *self,
              sqlite3_stmt    *stmt,
              RowReader        read,
              GDestroyNotify   free_func,
              GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  GError *local_error = NULL;
  gboolean found = FALSE;

  while (store_step_row (self, stmt, &found, &local_error) && found)
    g_ptr_array_add (rows, read (stmt));
  store_release_statement (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gpointer
read_stock_row (sqlite3_stmt *stmt)
{
  RelayStockRow *row = g_new0 (RelayStockRow, 1);

  row->store_variant_id = store_column_dup_text (stmt, 0);
  row->store_sku = store_column_dup_text (stmt, 1);
  row->product = store_column_dup_text (stmt, 2);
  row->tradegecko_variant_id = column_int_or (stmt, 3, 0);
  row->tradegecko_available = column_int_or (stmt, 4, -1);
  row->store_quantity = column_int_or (stmt, 5, -1);
  row->target = column_int_or (stmt, 6, -1);
  row->pushed_quantity = column_int_or (stmt, 7, -1);
  row->pushed_at = column_int_or (stmt, 8, 0);
  row->problem = store_column_dup_text (stmt, 9);
  return row;
}

static gpointer
read_stock_batch (sqlite3_stmt *stmt)
{
  RelayStockBatch *batch = g_new0 (RelayStockBatch, 1);

  batch->idempotency_key = store_column_dup_text (stmt, 0);
  batch->operations = store_column_dup_text (stmt, 1);
  batch->created_at = sqlite3_column_int64 (stmt, 2);
  batch->pushed_at = column_int_or (stmt, 3, 0);
  return batch;
}

/**
 * relay_store_save_stock_rows:
 * @rows: (element-type RelayStockRow): what the flow found for each store variant
 *
 * Records matches, figures and problems in one transaction; what was pushed and when
 * is kept (only relay_store_finish_stock_batch() writes it).
 */
gboolean
relay_store_save_stock_rows (RelayStore  *self,
                             GPtrArray   *rows,
                             GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  gint64 now = store_now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!store_transaction_begin (&tx, self, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStockRow *row = g_ptr_array_index (rows, i);

      if (!store_run (self, error,
                "INSERT INTO stock_items (store_variant_id, store_sku, product, tradegecko_variant_id, "
                "  tradegecko_available, store_quantity, target, problem, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                "ON CONFLICT (store_variant_id) DO UPDATE SET store_sku = excluded.store_sku, "
                "  product = excluded.product, tradegecko_variant_id = excluded.tradegecko_variant_id, "
                "  tradegecko_available = excluded.tradegecko_available, store_quantity = excluded.store_quantity, "
                "  target = excluded.target, problem = excluded.problem, updated_at = excluded.updated_at",
                "sssXxxxsx", row->store_variant_id, row->store_sku, row->product, row->tradegecko_variant_id,
                row->tradegecko_available, row->store_quantity, row->target, row->problem, now))
        return FALSE;
    }
  return store_transaction_commit (&tx, error);
}

/**
 * relay_store_dup_stock_rows:
 * @search: (nullable): part of a SKU or product name
 * @offset: rows to skip
 * @limit: at most this many rows
 *
 * Returns: (transfer container) (element-type RelayStockRow): rows by SKU, or %NULL on error
 */
GPtrArray *
relay_store_dup_stock_rows (RelayStore  *self,
                            const char  *search,
                            guint        offset,
                            guint        limit,
                            GError     **error)
{
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (search != NULL && *search != '\0')
    pattern = g_strdup_printf ("%%%s%%", search);
  stmt = store_prepare (self, error,
                  "SELECT store_variant_id, store_sku, product, tradegecko_variant_id, tradegecko_available, "
                  "  store_quantity, target, pushed_quantity, pushed_at, problem FROM stock_items "
                  "WHERE ?1 IS NULL OR store_sku LIKE ?1 OR product LIKE ?1 "
                  "ORDER BY store_sku, store_variant_id LIMIT ?2 OFFSET ?3",
                  "sii", pattern, (int) MIN (limit, G_MAXINT), (int) MIN (offset, G_MAXINT));
  if (stmt == NULL)
    return NULL;

  return collect_rows (self, stmt, read_stock_row, (GDestroyNotify) relay_stock_row_free, error);
}

/**
 * relay_store_add_stock_batch:
 * @idempotency_key: the key the batch will be sent with, now and on every resend
 * @operations: the batch's sets (relay_stock_sets_to_text())
 *
 * Written before the batch is sent: a crash after that leaves it pending, and the next
 * cycle sends it again with the same key, so the store applies it at most once.
 */
gboolean
relay_store_add_stock_batch (RelayStore  *self,
                             const char  *idempotency_key,
                             const char  *operations,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  return store_run (self, error,
              "INSERT INTO stock_batches (idempotency_key, operations, created_at) VALUES (?1, ?2, ?3)",
              "ssx", idempotency_key, operations, store_now_ms ());
}

/**
 * relay_store_dup_stock_batches:
 * @pending_only: only batches not yet accepted, oldest first; else every batch, newest first
 *   (the stock timeline)
 *
 * Returns: (transfer container) (element-type RelayStockBatch): the batches, or %NULL on error
 */
GPtrArray *
relay_store_dup_stock_batches (RelayStore  *self,
                               gboolean     pending_only,
                               guint        limit,
                               GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = store_prepare (self, error,
                  pending_only
                  ? "SELECT idempotency_key, operations, created_at, pushed_at FROM stock_batches "
                    "WHERE pushed_at IS NULL ORDER BY created_at, rowid LIMIT ?1"
                  : "SELECT idempotency_key, operations, created_at, pushed_at FROM stock_batches "
                    "ORDER BY created_at DESC, rowid DESC LIMIT ?1",
                  "i", (int) MIN (limit, G_MAXINT));
  if (stmt == NULL)
    return NULL;

  return collect_rows (self, stmt, read_stock_batch, (GDestroyNotify) relay_stock_batch_free, error);
}

/**
 * relay_store_finish_stock_batch:
 * @sets: (element-type RelayStockSet): the batch's sets
 *
 * The store accepted the batch: it is no longer pending, and each variant's row says what
 * was set and when. One transaction.
 */
gboolean
relay_store_finish_stock_batch (RelayStore  *self,
                                const char  *idempotency_key,
                                GPtrArray   *sets,
                                GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  gint64 now = store_now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!store_transaction_begin (&tx, self, error))
    return FALSE;
  if (!store_run (self, error, "UPDATE stock_batches SET pushed_at = ?2 WHERE idempotency_key = ?1",
            "sx", idempotency_key, now))
    return FALSE;
  for (guint i = 0; i < sets->len; i++)
    {
      RelayStockSet *set = g_ptr_array_index (sets, i);

      if (!store_run (self, error,
                "INSERT INTO stock_items (store_variant_id, store_quantity, pushed_quantity, pushed_at, updated_at) "
                "VALUES (?1, ?2, ?2, ?3, ?3) "
                "ON CONFLICT (store_variant_id) DO UPDATE SET store_quantity = excluded.store_quantity, "
                "  pushed_quantity = excluded.pushed_quantity, pushed_at = excluded.pushed_at, "
                "  updated_at = excluded.updated_at",
                "sxx", set->variant_id, set->quantity, now))
        return FALSE;
    }
  return store_transaction_commit (&tx, error);
}

/**
 * relay_store_dup_pending_units:
 *
 * Units on orders already pulled from the store but not yet at TradeGecko (new or waiting
 * for a fix; test orders, skipped and canceled ones do not count): TradeGecko has not
 * committed them, so the store must not offer them again.
 *
 * Returns: (transfer full) (element-type utf8 gint64): case-folded store SKU → units
 *   (values are `gint64 *`), or %NULL on error
 */
GHashTable *
relay_store_dup_pending_units (RelayStore  *self,
                               GError     **error)
{
  GHashTable *units;
  sqlite3_stmt *stmt;
  GError *local_error = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = store_prepare (self, error,
                  "SELECT order_lines.sku, SUM (order_lines.quantity) FROM order_lines "
                  "JOIN orders ON orders.squarespace_id = order_lines.squarespace_id "
                  "WHERE orders.stage IN ('new', 'rejected') AND orders.testmode = 0 "
                  "  AND order_lines.sku IS NOT NULL AND order_lines.is_physical "
                  "GROUP BY order_lines.sku",
                  NULL);
  if (stmt == NULL)
    return NULL;

  units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while (store_step_row (self, stmt, &found, &local_error) && found)
    {
      gint64 *count = g_new (gint64, 1);
      g_autofree char *sku = store_column_dup_text (stmt, 0);

      *count = sqlite3_column_int64 (stmt, 1);
      g_hash_table_insert (units, g_utf8_casefold (sku, -1), count);
    }
  store_release_statement (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_clear_pointer (&units, g_hash_table_unref);
    }
  return units;
}

/**
 * relay_store_dup_stock_variants_of:
 * @tradegecko_ids: (array length=n): TradeGecko variant ids
 *
 * The store variants an earlier stock cycle matched to @tradegecko_ids, so a cycle can
 * read just those from the store.
 *
 * Returns: (transfer container) (element-type utf8): store variant ids, or %NULL when one of
 *   @tradegecko_ids was never matched (or on error)
 */
GPtrArray *
relay_store_dup_stock_variants_of (RelayStore    *self,
                                   const gint64  *tradegecko_ids,
                                   guint          n,
                                   GError       **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  for (guint i = 0; i < n; i++)
    {
      sqlite3_stmt *stmt = store_prepare (self, error, "SELECT store_variant_id FROM stock_items WHERE tradegecko_variant_id = ?1",
                                    "x", tradegecko_ids[i]);
      gboolean found = FALSE;
      guint before = ids->len;

      if (stmt == NULL)
        return NULL;
      while (store_step_row (self, stmt, &found, error) && found)
        g_ptr_array_add (ids, store_column_dup_text (stmt, 0));
      store_release_statement (stmt);
      if (ids->len == before)
        {
          g_debug ("TradeGecko variant %" G_GINT64_FORMAT " was never matched to a store variant", tradegecko_ids[i]);
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

/**
 * relay_store_dup_stock_made_unlimited:
 *
 * The store variants the stock flow itself last made unlimited (a TradeGecko variant that
 * keeps selling when out of stock), so it can make them finite again when TradeGecko stops;
 * a variant the merchant made unlimited is not among them and is left alone.
 *
 * Returns: (transfer full) (element-type utf8): a set of store variant ids, or %NULL on error
 */
GHashTable *
relay_store_dup_stock_made_unlimited (RelayStore  *self,
                                      GError     **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  GError *local_error = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = store_prepare (self, error, "SELECT store_variant_id FROM stock_items WHERE pushed_quantity = ?1",
                        "x", RELAY_STOCK_UNLIMITED);
  if (stmt == NULL)
    return NULL;
  while (store_step_row (self, stmt, &found, &local_error) && found)
    g_hash_table_add (ids, store_column_dup_text (stmt, 0));
  store_release_statement (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}
