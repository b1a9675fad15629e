/* relay-sync-stock.c — the stock flow
 *
 * Once per sync cycle (or every N minutes): the TradeGecko variants whose stock changed since
 * the stock checkpoint are matched to the store's variants by SKU or item alias (an alias
 * store SKU → TradeGecko SKU carries stock back the other way), and each matched store variant
 * is set to
 *
 *     available (chosen location or all) − units on pulled orders not yet at TradeGecko − buffer
 *
 * never below 0, capped by `max_online`. Counts go out as set-finite adjustments in batches of
 * at most 50; each batch is stored with its Idempotency-Key before it is sent, so a resend after
 * a crash carries the same key and body and the store applies it once. The checkpoint moves
 * only when every batch is accepted. Unlimited store variants, TradeGecko variants that do not
 * track stock, and store variants without a match are left alone.
 *
 * The flow speaks relay-stock.h's types; the services' JSON stays in their adapters.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "relay-error.h"
#include "relay-sync-cycle-private.h"
#include "relay-sync-engine.h"
#include "relay-sync-stock.h"

typedef struct
{
  RelayStore            *store;
  RelayOrderSource      *source;
  RelayOrderDestination *destination;
  RelayStockOptions      options;

  GPtrArray             *pending;      /* RelayStockBatch left by earlier runs */
  guint                  pending_index;

  char                  *aliases;      /* the item aliases' digest when the cycle began */
  gboolean               aliases_changed; /* since the last complete cycle: read everything */
  char                  *since;        /* checkpoint read */
  GHashTable            *since_ids;    /* variant ids (as text) already seen at @since */
  GPtrArray             *levels;       /* RelayStockLevel changed */
  guint                  page;
  char                  *newest;       /* the newest change read */

  GPtrArray             *items;        /* RelayStoreItem */
  GPtrArray             *known;        /* store variant ids to read by id, or NULL: read all */
  guint                  known_index;
  char                  *cursor;

  GPtrArray             *sets;         /* RelayStockSet to push */
  guint                  set_index;
  GPtrArray             *batch;        /* RelayStockSet in flight (borrowed from sets or pending) */
  char                  *batch_key;

  RelayStockReport      *report;
} StockRun;

static void push_next_batch (GTask *task);
static void resend_next (GTask *task);

void
relay_stock_report_free (RelayStockReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_free (report);
}

static void
stock_run_free (gpointer data)
{
  StockRun *run = data;

  g_object_unref (run->store);
  g_object_unref (run->source);
  g_object_unref (run->destination);
  g_clear_pointer (&run->pending, g_ptr_array_unref);
  g_free (run->aliases);
  g_free (run->since);
  g_clear_pointer (&run->since_ids, g_hash_table_unref);
  g_clear_pointer (&run->levels, g_ptr_array_unref);
  g_free (run->newest);
  g_clear_pointer (&run->items, g_ptr_array_unref);
  g_clear_pointer (&run->known, g_ptr_array_unref);
  g_free (run->cursor);
  g_clear_pointer (&run->sets, g_ptr_array_unref);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_free (run->batch_key);
  relay_stock_report_free (run->report);
  g_free (run);
}

/* The engine's crash-test hook (relay_sync_engine_set_crash_point()): `stock-before-post`,
 * `stock-after-post`. */
static void
crash_point (const char *step)
{
  relay_sync_crash_point (step);
}

static void
finish (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000);

  if (!run->options.dry_run)
    relay_store_set_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_LAST_RUN, stamp, NULL);
  g_debug ("Stock cycle: %u changed, %u planned, %u set in %u batches (%u resent)",
           run->report->changed, run->report->planned, run->report->pushed, run->report->batches,
           run->report->resent);
  g_task_return_pointer (task, g_steal_pointer (&run->report), (GDestroyNotify) relay_stock_report_free);
  g_object_unref (task);
}

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* ------------------------------------------------------------------------ */
/* Checkpoint                                                                */

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : G_MININT64;
}

/* The checkpoint is the newest change read and the variants changed at that instant: the
 * next query starts at it (inclusive), and those variants are not taken for changes again. */
static gboolean
save_checkpoint (StockRun  *run,
                 GError   **error)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  const char *keys[] = { RELAY_SYNC_STOCK_CHECKPOINT_SINCE, RELAY_SYNC_STOCK_CHECKPOINT_SINCE_IDS };
  const char *values[2];
  gint64 newest = parse_time (run->newest);

  if (!relay_store_set_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_ALIASES, run->aliases, error))
    return FALSE;
  if (run->newest == NULL)
    return TRUE;

  if (run->since != NULL && parse_time (run->since) == newest)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, run->since_ids);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_string_append_printf (ids, "%s%s", ids->len ? "," : "", (const char *) id);
    }
  for (guint i = 0; i < run->levels->len; i++)
    {
      RelayStockLevel *level = g_ptr_array_index (run->levels, i);

      if (parse_time (level->changed_at) == newest)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len ? "," : "", level->variant_id);
    }

  values[0] = run->newest;
  values[1] = ids->str;
  return relay_store_set_checkpoints (run->store, keys, values, 2, error);
}

static void
read_checkpoint (StockRun *run)
{
  g_autofree char *ids = relay_store_dup_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_SINCE_IDS, NULL);
  g_auto(GStrv) parts = g_strsplit (ids != NULL ? ids : "", ",", -1);

  run->since = relay_store_dup_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_SINCE, NULL);
  run->since_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_hash_table_add (run->since_ids, g_strdup (parts[i]));
}

/* ------------------------------------------------------------------------ */
/* Plan                                                                      */

static const char *
problem_for (RelayStoreItem  *item,
             gboolean         own_alias,
             GPtrArray       *candidates,
             GHashTable      *store_sku_counts,
             GHashTable      *made_unlimited)
{
  RelayStockLevel *level = g_ptr_array_index (candidates, 0);

  if (!own_alias && GPOINTER_TO_UINT (g_hash_table_lookup (store_sku_counts, item->sku)) > 1)
    return _("Another Squarespace variant has the same SKU: left alone");
  if (candidates->len > 1)
    return _("More than one TradeGecko variant has this SKU: left alone");
  if (!level->managed)
    return _("TradeGecko does not track its stock: left alone");
  /* Unlimited by the merchant's choice stays so; unlimited because TradeGecko kept selling
   * (set by an earlier cycle) follows TradeGecko again. */
  if (item->unlimited && !level->keep_selling && !g_hash_table_contains (made_unlimited, item->variant_id))
    return _("Unlimited in Squarespace: left alone");
  return NULL;
}

/* What the store should show. A variant TradeGecko keeps selling at zero or negative stock
 * (`keep_selling`, tradegecko-api.md §5.2) is not held back by its stock: the store shows
 * `max_online` when TradeGecko caps the figure, else it sells it without limit. */
static gint64
target_for (StockRun        *run,
            RelayStoreItem  *item,
            RelayStockLevel *level,
            GHashTable      *pending_units)
{
  g_autofree char *folded = NULL;
  gint64 *pending;
  gint64 target;

  if (level->keep_selling)
    return level->max_online >= 0 ? level->max_online : RELAY_STOCK_UNLIMITED;

  folded = g_utf8_casefold (item->sku != NULL ? item->sku : "", -1);
  pending = g_hash_table_lookup (pending_units, folded);
  target = relay_stock_level_available_at (level, run->options.location_id)
           - (pending != NULL ? *pending : 0) - run->options.buffer;
  target = MAX (target, 0);
  if (level->max_online >= 0)
    target = MIN (target, level->max_online);
  return target;
}

/* Whether the store already shows @target. */
static gboolean
store_shows (RelayStoreItem *item,
             gint64          target)
{
  if (target == RELAY_STOCK_UNLIMITED)
    return item->unlimited;
  return !item->unlimited && item->quantity == target;
}

static RelayStockRow *
row_new (RelayStoreItem *item)
{
  RelayStockRow *row = g_new0 (RelayStockRow, 1);

  row->store_variant_id = g_strdup (item->variant_id);
  row->store_sku = g_strdup (item->sku);
  row->product = g_strdup (item->descriptor);
  row->store_quantity = item->unlimited ? -1 : item->quantity;
  row->tradegecko_available = -1;
  row->target = -1;
  row->pushed_quantity = -1;
  return row;
}

/* Matches every store variant to the changed TradeGecko variants and decides its count. */
static gboolean
plan (StockRun  *run,
      GError   **error)
{
  g_autoptr(GHashTable) aliases = relay_store_dup_item_aliases (run->store, error);
  g_autoptr(GHashTable) pending_units = NULL;
  g_autoptr(GHashTable) made_unlimited = NULL;
  g_autoptr(GHashTable) by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) store_sku_counts = g_hash_table_new (g_str_hash, g_str_equal);

  if (aliases == NULL)
    return FALSE;
  pending_units = relay_store_dup_pending_units (run->store, error);
  if (pending_units == NULL)
    return FALSE;
  made_unlimited = relay_store_dup_stock_made_unlimited (run->store, error);
  if (made_unlimited == NULL)
    return FALSE;

  for (guint i = 0; i < run->levels->len; i++)
    {
      RelayStockLevel *level = g_ptr_array_index (run->levels, i);
      GPtrArray *same;

      if (level->sku == NULL || *level->sku == '\0')
        continue;
      same = g_hash_table_lookup (by_sku, level->sku);
      if (same == NULL)
        g_hash_table_insert (by_sku, level->sku, (same = g_ptr_array_new ()));
      g_ptr_array_add (same, level);
    }
  for (guint i = 0; i < run->items->len; i++)
    {
      RelayStoreItem *item = g_ptr_array_index (run->items, i);

      if (item->sku != NULL && *item->sku != '\0')
        g_hash_table_insert (store_sku_counts, item->sku,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (store_sku_counts, item->sku)) + 1));
    }

  run->sets = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_set_free);
  for (guint i = 0; i < run->items->len; i++)
    {
      RelayStoreItem *item = g_ptr_array_index (run->items, i);
      gboolean own_alias = FALSE;
      const char *alias = relay_store_item_lookup_alias (item, aliases, &own_alias);
      GPtrArray *candidates = g_hash_table_lookup (by_sku, alias != NULL ? alias : (item->sku ? item->sku : ""));
      RelayStockLevel *level;
      RelayStockRow *row;

      /* No changed TradeGecko variant: nothing new for it (or no match at all: never touched). */
      if (candidates == NULL)
        continue;

      level = g_ptr_array_index (candidates, 0);
      row = row_new (item);
      row->tradegecko_variant_id = candidates->len == 1 ? level->variant_id : 0;
      row->tradegecko_available = relay_stock_level_available_at (level, run->options.location_id);
      row->problem = g_strdup (problem_for (item, own_alias, candidates, store_sku_counts, made_unlimited));
      if (row->problem == NULL)
        {
          row->target = target_for (run, item, level, pending_units);
          if (!store_shows (item, row->target))
            g_ptr_array_add (run->sets, relay_stock_set_new (item->variant_id, row->target));
        }
      g_ptr_array_add (run->report->rows, row);
    }

  run->report->planned = run->sets->len;
  return run->options.dry_run || relay_store_save_stock_rows (run->store, run->report->rows, error);
}

/* ------------------------------------------------------------------------ */
/* Push                                                                      */

static void
batch_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  StockRun *run = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean resend = run->pending != NULL && run->pending_index < run->pending->len;

  /* The batch stays pending on any failure (409 in flight, 429 past the pauses, the network):
   * the next cycle sends it again with the same key. */
  if (!relay_order_source_set_stock_finish (RELAY_ORDER_SOURCE (object), result, &error))
    {
      fail (task, error);
      return;
    }

  crash_point ("stock-after-post");
  if (!relay_store_finish_stock_batch (run->store, run->batch_key, run->batch, &error))
    {
      fail (task, error);
      return;
    }

  run->report->batches++;
  run->report->pushed += run->batch->len;
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->batch_key, g_free);
  if (resend)
    {
      run->report->resent++;
      run->pending_index++;
      resend_next (task);
    }
  else
    push_next_batch (task);
}

static void
send_batch (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);

  relay_order_source_set_stock_async (run->source, run->batch, run->batch_key, g_task_get_cancellable (task),
                                      batch_sent_cb, task);
}

static void
push_next_batch (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);
  g_autofree char *uuid = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  if (run->set_index >= run->sets->len)
    {
      if (!save_checkpoint (run, &error))
        {
          fail (task, error);
          return;
        }
      finish (task);
      return;
    }

  run->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_set_free);
  for (; run->set_index < run->sets->len && run->batch->len < RELAY_SYNC_STOCK_BATCH_SIZE; run->set_index++)
    {
      RelayStockSet *set = g_ptr_array_index (run->sets, run->set_index);

      g_ptr_array_add (run->batch, relay_stock_set_new (set->variant_id, set->quantity));
    }

  uuid = g_uuid_string_random ();
  run->batch_key = g_strconcat ("stock-", uuid, NULL);
  text = relay_stock_sets_to_text (run->batch);
  if (!relay_store_add_stock_batch (run->store, run->batch_key, text, &error))
    {
      fail (task, error);
      return;
    }
  crash_point ("stock-before-post");
  send_batch (task);
}

/* ------------------------------------------------------------------------ */
/* Read                                                                      */

static void plan_and_push (GTask *task);
static void read_known_items (GTask *task);
static void items_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* A full read of the store's items at least once a day, and whenever the aliases changed:
 * a new store variant or alias only shows up there. */
#define FULL_READ_EVERY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))
/* Beyond this many changed variants the paged list is no more requests than reading by id. */
#define MAX_CHANGED_FOR_IDS 500

/* The item aliases as one text (sorted "store\ttradegecko" lines), hashed: any alias added,
 * edited or removed changes it, which a count would miss when one is edited. */
static char *
alias_digest (RelayStore *store)
{
  g_autoptr(GHashTable) aliases = relay_store_dup_item_aliases (store, NULL);
  g_autoptr(GList) keys = aliases != NULL ? g_hash_table_get_keys (aliases) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (text, "%s\t%s\n", (const char *) l->data, (const char *) g_hash_table_lookup (aliases, l->data));
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

static void
remember_full_read (StockRun *run)
{
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000);

  if (!run->options.dry_run)
    relay_store_set_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_FULL_READ, now, NULL);
}

/* The store variants to read by id, or NULL when the whole list must be read: a changed
 * TradeGecko variant never matched before, new aliases, or an old full read. */
static GPtrArray *
known_store_variants (StockRun *run)
{
  g_autofree char *full_read = relay_store_dup_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_FULL_READ, NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (full_read == NULL || g_get_real_time () / 1000 - g_ascii_strtoll (full_read, NULL, 10) > FULL_READ_EVERY_MS ||
      run->aliases_changed || run->levels->len > MAX_CHANGED_FOR_IDS)
    {
      g_debug ("Stock: the store's whole list is read (last full read %s, aliases changed %d, %u changed)",
               full_read ? full_read : "never", run->aliases_changed, run->levels->len);
      return NULL;
    }

  for (guint i = 0; i < run->levels->len; i++)
    g_array_append_val (ids, ((RelayStockLevel *) g_ptr_array_index (run->levels, i))->variant_id);
  return relay_store_dup_stock_variants_of (run->store, (const gint64 *) (gpointer) ids->data, ids->len, NULL);
}

static void
read_all_items (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);

  g_clear_pointer (&run->items, g_ptr_array_unref);
  g_clear_pointer (&run->known, g_ptr_array_unref);
  run->items = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_item_free);
  relay_order_source_list_stock_items_async (run->source, NULL, g_task_get_cancellable (task), items_page_cb, task);
}

static void
known_items_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  StockRun *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;

  items = relay_order_source_get_stock_items_finish (RELAY_ORDER_SOURCE (object), result, &error);
  if (items == NULL)
    {
      /* A store variant deleted since: the full list says what is left. */
      if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          read_all_items (task);
          return;
        }
      fail (task, error);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (run->items, g_steal_pointer (&items->pdata[i]));
  read_known_items (task);
}

static void
read_known_items (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) chunk = g_ptr_array_new ();

  if (run->known_index >= run->known->len)
    {
      plan_and_push (task);
      return;
    }
  for (; run->known_index < run->known->len && chunk->len < RELAY_ORDER_SOURCE_MAX_STOCK_IDS; run->known_index++)
    g_ptr_array_add (chunk, g_ptr_array_index (run->known, run->known_index));
  g_ptr_array_add (chunk, NULL);
  relay_order_source_get_stock_items_async (run->source, (const char * const *) chunk->pdata,
                                            g_task_get_cancellable (task), known_items_cb, task);
}

static void
items_page_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  StockRun *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  GError *error = NULL;

  g_clear_pointer (&run->cursor, g_free);
  page = relay_order_source_list_stock_items_finish (RELAY_ORDER_SOURCE (object), result, &run->cursor, &error);
  if (page == NULL)
    {
      fail (task, error);
      return;
    }
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (run->items, g_steal_pointer (&page->pdata[i]));

  if (run->cursor != NULL)
    {
      relay_order_source_list_stock_items_async (run->source, run->cursor, g_task_get_cancellable (task),
                                                 items_page_cb, task);
      return;
    }

  remember_full_read (run);
  plan_and_push (task);
}

/* After the store's items are read (all of them, or those the changes concern). */
static void
plan_and_push (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!plan (run, &error))
    {
      fail (task, error);
      return;
    }
  if (run->options.dry_run)
    {
      finish (task);
      return;
    }
  push_next_batch (task);
}

static gboolean
already_seen (StockRun        *run,
              RelayStockLevel *level)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, level->variant_id);

  return run->since != NULL && parse_time (level->changed_at) == parse_time (run->since) &&
         g_hash_table_contains (run->since_ids, id);
}

static void
levels_page_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  StockRun *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  GError *error = NULL;
  gboolean has_more = FALSE;

  page = relay_order_destination_list_stock_finish (RELAY_ORDER_DESTINATION (object), result, &has_more, &error);
  if (page == NULL)
    {
      fail (task, error);
      return;
    }
  for (guint i = 0; i < page->len; i++)
    {
      RelayStockLevel *level = g_ptr_array_index (page, i);

      if (already_seen (run, level))
        continue;
      if (run->newest == NULL || parse_time (level->changed_at) > parse_time (run->newest))
        {
          g_free (run->newest);
          run->newest = g_strdup (level->changed_at);
        }
      g_ptr_array_add (run->levels, g_steal_pointer (&page->pdata[i]));
    }

  if (has_more)
    {
      relay_order_destination_list_stock_async (run->destination, run->since, ++run->page,
                                                g_task_get_cancellable (task), levels_page_cb, task);
      return;
    }

  run->report->changed = run->levels->len;
  /* Idle: nothing changed at TradeGecko, so the store is not read at all. */
  if (run->levels->len == 0)
    {
      finish (task);
      return;
    }

  run->known = known_store_variants (run);
  if (run->known == NULL)
    {
      read_all_items (task);
      return;
    }
  run->items = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_item_free);
  read_known_items (task);
}

/* An alias added, edited or removed since the last complete cycle re-matches variants whose
 * stock did not change: this cycle reads every TradeGecko variant and the store's whole
 * list, so each SKU the alias concerns gets its count now (not at the daily full read). */
static void
check_aliases (StockRun *run)
{
  g_autofree char *saved = relay_store_dup_checkpoint (run->store, RELAY_SYNC_STOCK_CHECKPOINT_ALIASES, NULL);

  run->aliases = alias_digest (run->store);
  run->aliases_changed = run->since != NULL && g_strcmp0 (saved, run->aliases) != 0;
  if (run->aliases_changed)
    {
      g_debug ("Stock: the item aliases changed; every TradeGecko variant is read");
      g_clear_pointer (&run->since, g_free);
      g_hash_table_remove_all (run->since_ids);
    }
}

static void
read_levels (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);

  read_checkpoint (run);
  check_aliases (run);
  run->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_level_free);
  run->page = 1;
  relay_order_destination_list_stock_async (run->destination, run->since, run->page, g_task_get_cancellable (task),
                                            levels_page_cb, task);
}

/* Batches an earlier run stored and did not see accepted go first, with their own keys. */
static void
resend_next (GTask *task)
{
  StockRun *run = g_task_get_task_data (task);
  RelayStockBatch *batch;

  if (run->pending == NULL || run->pending_index >= run->pending->len)
    {
      read_levels (task);
      return;
    }

  batch = g_ptr_array_index (run->pending, run->pending_index);
  run->batch = relay_stock_sets_from_text (batch->operations);
  run->batch_key = g_strdup (batch->idempotency_key);
  g_debug ("Resending stock batch %s (%u sets)", batch->idempotency_key, run->batch->len);
  send_batch (task);
}

/**
 * relay_sync_stock_run_async:
 * @store: the state file
 * @source: the store (Squarespace)
 * @destination: the inventory system (TradeGecko)
 * @options: location, buffer, dry run
 *
 * Runs one stock cycle; see the file's comment.
 */
void
relay_sync_stock_run_async (RelayStore               *store,
                            RelayOrderSource         *source,
                            RelayOrderDestination    *destination,
                            const RelayStockOptions  *options,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  StockRun *run = g_new0 (StockRun, 1);
  GError *error = NULL;

  g_return_if_fail (RELAY_IS_STORE (store));
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (source));
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (destination));

  run->store = g_object_ref (store);
  run->source = g_object_ref (source);
  run->destination = g_object_ref (destination);
  run->options = *options;
  run->report = g_new0 (RelayStockReport, 1);
  run->report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_row_free);
  g_task_set_source_tag (task, relay_sync_stock_run_async);
  g_task_set_task_data (task, run, stock_run_free);

  if (!options->dry_run)
    {
      run->pending = relay_store_dup_stock_batches (store, TRUE, G_MAXINT, &error);
      if (run->pending == NULL)
        {
          fail (task, error);
          return;
        }
    }
  resend_next (task);
}

/**
 * relay_sync_stock_run_finish:
 *
 * Returns: (transfer full): what the cycle did, or %NULL with @error set (batches sent and
 *   not seen accepted stay pending and go first next time)
 */
RelayStockReport *
relay_sync_stock_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_sync_stock_is_due:
 * @every_minutes: the schedule; 0 runs with every sync cycle
 *
 * Returns: whether a stock cycle should run now
 */
gboolean
relay_sync_stock_is_due (RelayStore *store,
                         guint       every_minutes)
{
  g_autofree char *last = relay_store_dup_checkpoint (store, RELAY_SYNC_STOCK_CHECKPOINT_LAST_RUN, NULL);
  gint64 now_ms = g_get_real_time () / 1000;

  if (every_minutes == 0 || last == NULL)
    return TRUE;
  return now_ms - g_ascii_strtoll (last, NULL, 10) >= (gint64) every_minutes * 60 * 1000;
}

/* The stock-* settings (a dry run is the command line's choice, never a setting). */
void
relay_stock_options_from_settings (GSettings         *settings,
                                   RelayStockOptions *options)
{
  options->location_id = g_settings_get_int64 (settings, "stock-sync-location-id");
  options->buffer = g_settings_get_uint (settings, "stock-buffer");
  options->dry_run = FALSE;
}

/**
 * relay_sync_stock_wanted:
 *
 * Returns: whether a sync cycle should run a stock cycle now: stock sync is on and due
 */
gboolean
relay_sync_stock_wanted (GSettings  *settings,
                         RelayStore *store)
{
  return g_settings_get_boolean (settings, "stock-sync") &&
         relay_sync_stock_is_due (store, g_settings_get_uint (settings, "stock-sync-every-minutes"));
}

static void
stock_access_checked_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean allowed = relay_order_source_can_set_stock_finish (RELAY_ORDER_SOURCE (object), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, allowed);
}

/**
 * relay_sync_engine_check_stock_access_async:
 * @engine: the engine whose store the stock flow would set
 *
 * Asks the store, changing nothing, whether its key lets the stock flow set stock: what
 * turning stock sync on needs (a Squarespace key with Inventory "Read and Write").
 */
void
relay_sync_engine_check_stock_access_async (RelaySyncEngine     *engine,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SYNC_ENGINE (engine));

  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_sync_engine_check_stock_access_async);
  relay_order_source_can_set_stock_async (engine->source, cancellable, stock_access_checked_cb, task);
}

/**
 * relay_sync_engine_check_stock_access_finish:
 * @error: set when the store gave no clear answer (the network, a refused key …)
 *
 * Returns: %TRUE when stock may be set; %FALSE with @error unset when the key lacks it
 */
gboolean
relay_sync_engine_check_stock_access_finish (RelaySyncEngine  *engine,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
