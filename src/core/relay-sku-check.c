/* relay-sku-check.c — every store variant (from the store's product catalogue) with its
 * TradeGecko match: exact SKU, through an item alias, none, or ambiguous (two store variants
 * share a SKU, or two TradeGecko variants have the one looked up). The integration guides'
 * "test orders verify item codes", done before the first order.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "relay-sku-check.h"

typedef struct
{
  RelayStore            *store;
  RelayOrderSource      *source;
  RelayOrderDestination *destination;
  GPtrArray             *variants;   /* RelayStoreItem */
  char                  *cursor;
  GPtrArray             *levels;     /* RelayStockLevel: every active TradeGecko variant */
  guint                  page;
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_object_unref (check->store);
  g_object_unref (check->source);
  g_object_unref (check->destination);
  g_ptr_array_unref (check->variants);
  g_free (check->cursor);
  g_ptr_array_unref (check->levels);
  g_free (check);
}

void
relay_sku_check_row_free (RelaySkuCheckRow *row)
{
  if (row == NULL)
    return;
  g_free (row->store_variant_id);
  g_free (row->store_sku);
  g_free (row->product);
  g_free (row->tradegecko_sku);
  g_free (row->detail);
  g_free (row);
}

const char *
relay_sku_match_to_string (RelaySkuMatch match)
{
  static const char *names[] = { "exact", "alias", "none", "ambiguous" };

  g_return_val_if_fail (match <= RELAY_SKU_MATCH_AMBIGUOUS, "none");
  return names[match];
}

static void
count_sku (GHashTable *counts,
           const char *sku,
           gpointer    level)
{
  GPtrArray *same;

  if (sku == NULL || *sku == '\0')
    return;
  same = g_hash_table_lookup (counts, sku);
  if (same == NULL)
    g_hash_table_insert (counts, (gpointer) sku, (same = g_ptr_array_new ()));
  g_ptr_array_add (same, level);
}

static RelaySkuCheckRow *
check_one (RelayStoreItem *item,
           GHashTable     *aliases,
           GHashTable     *tradegecko_by_sku,
           GHashTable     *store_by_sku)
{
  RelaySkuCheckRow *row = g_new0 (RelaySkuCheckRow, 1);
  gboolean own_alias = FALSE;
  const char *alias = relay_store_item_lookup_alias (item, aliases, &own_alias);
  GPtrArray *same_store = item->sku != NULL ? g_hash_table_lookup (store_by_sku, item->sku) : NULL;
  GPtrArray *matches;

  row->store_variant_id = g_strdup (item->variant_id);
  row->store_sku = g_strdup (item->sku);
  row->product = g_strdup (item->descriptor);
  row->has_price = item->has_price;
  row->price = item->price;
  row->tradegecko_sku = g_strdup (alias != NULL ? alias : item->sku);
  matches = row->tradegecko_sku != NULL ? g_hash_table_lookup (tradegecko_by_sku, row->tradegecko_sku) : NULL;

  if ((item->sku == NULL || *item->sku == '\0') && alias == NULL)
    {
      row->match = RELAY_SKU_MATCH_NONE;
      row->detail = g_strdup (_("The Squarespace variant has no SKU"));
    }
  else if (!own_alias && same_store != NULL && same_store->len > 1)
    {
      row->match = RELAY_SKU_MATCH_AMBIGUOUS;
      row->detail = g_strdup (_("Another Squarespace variant has the same SKU"));
    }
  else if (matches != NULL && matches->len > 1)
    {
      row->match = RELAY_SKU_MATCH_AMBIGUOUS;
      row->detail = g_strdup_printf (_("%u TradeGecko variants have the SKU %s"), matches->len, row->tradegecko_sku);
    }
  else if (matches != NULL)
    {
      row->match = alias != NULL ? RELAY_SKU_MATCH_ALIAS : RELAY_SKU_MATCH_EXACT;
      row->tradegecko_variant_id = ((RelayStockLevel *) g_ptr_array_index (matches, 0))->variant_id;
    }
  else
    {
      row->match = RELAY_SKU_MATCH_NONE;
      row->detail = g_strdup_printf (_("No TradeGecko variant has the SKU %s"), row->tradegecko_sku);
    }
  return row;
}

static void
report (GTask *task)
{
  Check *check = g_task_get_task_data (task);
  g_autoptr(GHashTable) aliases = NULL;
  g_autoptr(GHashTable) tradegecko_by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) store_by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  GPtrArray *rows;
  GError *error = NULL;

  aliases = relay_store_dup_item_aliases (check->store, &error);
  if (aliases == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < check->levels->len; i++)
    count_sku (tradegecko_by_sku, ((RelayStockLevel *) g_ptr_array_index (check->levels, i))->sku,
               g_ptr_array_index (check->levels, i));
  for (guint i = 0; i < check->variants->len; i++)
    count_sku (store_by_sku, ((RelayStoreItem *) g_ptr_array_index (check->variants, i))->sku,
               g_ptr_array_index (check->variants, i));

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sku_check_row_free);
  for (guint i = 0; i < check->variants->len; i++)
    g_ptr_array_add (rows, check_one (g_ptr_array_index (check->variants, i), aliases, tradegecko_by_sku, store_by_sku));

  g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
levels_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  GError *error = NULL;
  gboolean has_more = FALSE;

  page = relay_order_destination_list_stock_finish (RELAY_ORDER_DESTINATION (object), result, &has_more, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (check->levels, g_steal_pointer (&page->pdata[i]));

  if (has_more)
    relay_order_destination_list_stock_async (check->destination, NULL, ++check->page,
                                              g_task_get_cancellable (task), levels_cb, task);
  else
    report (task);
}

static void
variants_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  GError *error = NULL;

  g_clear_pointer (&check->cursor, g_free);
  page = relay_order_source_list_variants_finish (RELAY_ORDER_SOURCE (object), result, &check->cursor, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (check->variants, g_steal_pointer (&page->pdata[i]));

  if (check->cursor != NULL)
    relay_order_source_list_variants_async (check->source, check->cursor, g_task_get_cancellable (task),
                                            variants_cb, task);
  else
    relay_order_destination_list_stock_async (check->destination, NULL, (check->page = 1),
                                              g_task_get_cancellable (task), levels_cb, task);
}

/**
 * relay_sku_check_async:
 *
 * Reads every store variant and every TradeGecko variant, and matches them with the
 * item aliases the way orders are matched.
 */
void
relay_sku_check_async (RelayStore             *store,
                       RelayOrderSource       *source,
                       RelayOrderDestination  *destination,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Check *check = g_new0 (Check, 1);

  check->store = g_object_ref (store);
  check->source = g_object_ref (source);
  check->destination = g_object_ref (destination);
  check->variants = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_item_free);
  check->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_level_free);
  g_task_set_source_tag (task, relay_sku_check_async);
  g_task_set_task_data (task, check, check_free);
  relay_order_source_list_variants_async (source, NULL, cancellable, variants_cb, task);
}

/**
 * relay_sku_check_finish:
 *
 * Returns: (transfer container) (element-type RelaySkuCheckRow): one row per store variant,
 *   in the store's order, or %NULL with @error set
 */
GPtrArray *
relay_sku_check_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
