/* relay-store-queries.c — the order list, the command line's and the window's queries, timelines
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
 * relay_store_find_order:
 * @self: a #RelayStore
 * @squarespace_id: an order id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the order, or %NULL without error when unknown
 */
RelayOrderRow *
relay_store_find_order (RelayStore  *self,
                        const char  *squarespace_id,
                        GError     **error)
{
  gboolean failed;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  return store_find_order_where (self, "squarespace_id = ?1", "s", squarespace_id, 0, &failed, error);
}

/**
 * relay_store_find_order_by_number:
 * @self: a #RelayStore
 * @order_number: a Squarespace order number
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the order, or %NULL without error when unknown
 */
RelayOrderRow *
relay_store_find_order_by_number (RelayStore  *self,
                                  const char  *order_number,
                                  GError     **error)
{
  gboolean failed;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (order_number != NULL, NULL);

  return store_find_order_where (self, "order_number = ?1", "s", order_number, 0, &failed, error);
}

/**
 * relay_store_find_order_by_tradegecko_id:
 * @self: a #RelayStore
 * @tradegecko_order_id: a TradeGecko sales order id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the order, or %NULL without error when unknown
 */
RelayOrderRow *
relay_store_find_order_by_tradegecko_id (RelayStore  *self,
                                         gint64       tradegecko_order_id,
                                         GError     **error)
{
  gboolean failed;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return store_find_order_where (self, "tradegecko_order_id = ?1", "x", NULL, tradegecko_order_id, &failed, error);
}

/**
 * relay_store_dup_orders_in_flight:
 * @self: a #RelayStore
 * @error: return location for a #GError
 *
 * The orders whose remote call was started and not settled: at start-up,
 * these need reconciling before anything is sent again.
 *
 * Returns: (transfer full) (element-type RelayOrderRow): the orders
 */
GPtrArray *
relay_store_dup_orders_in_flight (RelayStore  *self,
                                  GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return store_collect_order_rows (self,
                                   store_prepare (self, error,
                                      "SELECT " ORDER_COLUMNS " FROM orders WHERE in_flight IS NOT NULL "
                                      "ORDER BY created_on, squarespace_id", NULL),
                                   error);
}

/**
 * relay_store_dup_orders_cancel_pending:
 * @self: a #RelayStore
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayOrderRow): the orders canceled in
 *   Squarespace whose cancellation is not yet settled, oldest first
 */
GPtrArray *
relay_store_dup_orders_cancel_pending (RelayStore  *self,
                                       GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return store_collect_order_rows (self,
                                   store_prepare (self, error,
                                      "SELECT " ORDER_COLUMNS " FROM orders WHERE cancel_pending = 1 "
                                      "ORDER BY created_on, squarespace_id", NULL),
                                   error);
}

/**
 * relay_store_dup_orders_in_stage:
 * @self: a #RelayStore
 * @stage: a stage
 * @limit: at most this many, 0 for all
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayOrderRow): the orders in @stage,
 *   oldest first (the order the engine works through them)
 */
GPtrArray *
relay_store_dup_orders_in_stage (RelayStore  *self,
                                 RelayStage   stage,
                                 guint        limit,
                                 GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (stage < RELAY_N_STAGES, NULL);

  return store_collect_order_rows (self,
                                   store_prepare (self, error,
                                      "SELECT " ORDER_COLUMNS " FROM orders WHERE stage = ?1 "
                                      "ORDER BY created_on, squarespace_id LIMIT ?2",
                                      "sx", relay_stage_to_string (stage), limit > 0 ? (gint64) limit : (gint64) -1),
                                   error);
}

/**
 * relay_store_dup_orders_to_post:
 * @self: a #RelayStore
 * @include_unshipped: also orders still `at_tradegecko` (posting each shipment as it ships);
 *   otherwise only `shipped` orders (posting once everything shipped)
 * @count_packed: whether `packed` shipments count as shipped
 * @limit: at most this many, 0 for all
 * @error: return location for a #GError
 *
 * The orders that have shipments (tracked or not) not yet posted to
 * Squarespace and no remote call under way, oldest first.
 *
 * Returns: (transfer full) (element-type RelayOrderRow): the orders
 */
GPtrArray *
relay_store_dup_orders_to_post (RelayStore  *self,
                                gboolean     include_unshipped,
                                gboolean     count_packed,
                                guint        limit,
                                GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return store_collect_order_rows (self,
                                   store_prepare (self, error,
                                      "SELECT " ORDER_COLUMNS " FROM orders WHERE "
                                      "(stage = 'shipped' OR (?1 AND stage = 'at_tradegecko')) AND in_flight IS NULL "
                                      "AND squarespace_id IN (SELECT squarespace_id FROM shipments "
                                      "WHERE posted_to_squarespace_at IS NULL "
                                      "AND (status = 'fulfilled' OR (?2 AND status = 'packed'))) "
                                      "ORDER BY created_on, squarespace_id LIMIT ?3",
                                      "xxx", (gint64) (include_unshipped ? 1 : 0), (gint64) (count_packed ? 1 : 0),
                                      limit > 0 ? (gint64) limit : (gint64) -1),
                                   error);
}

/**
 * relay_store_dup_orders_to_confirm:
 * @self: a #RelayStore
 * @count_packed: whether `packed` shipments count as shipped
 * @limit: at most this many, 0 for all
 * @error: return location for a #GError
 *
 * The `shipped` orders with no remote call under way whose counted shipments
 * are all posted: what is left to mark `confirmed` (after a crash between the
 * two steps, or when the last shipment was posted before the order was shipped).
 *
 * Returns: (transfer full) (element-type RelayOrderRow): the orders, oldest first
 */
GPtrArray *
relay_store_dup_orders_to_confirm (RelayStore  *self,
                                   gboolean     count_packed,
                                   guint        limit,
                                   GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return store_collect_order_rows (self,
                                   store_prepare (self, error,
                                      "SELECT " ORDER_COLUMNS " FROM orders WHERE stage = 'shipped' AND in_flight IS NULL "
                                      "AND NOT EXISTS (SELECT 1 FROM shipments WHERE shipments.squarespace_id = orders.squarespace_id "
                                      "AND posted_to_squarespace_at IS NULL "
                                      "AND (status = 'fulfilled' OR (?1 AND status = 'packed'))) "
                                      "ORDER BY created_on, squarespace_id LIMIT ?2",
                                      "xx", (gint64) (count_packed ? 1 : 0),
                                      limit > 0 ? (gint64) limit : (gint64) -1),
                                   error);
}

/* Searches of at least this many characters are narrowed down by the trigram
 * index (orders_search, schema 8); shorter ones have no trigram to look up. */
#define SEARCH_INDEX_MIN_CHARS 3
#define SEARCH_INDEX_SCHEMA_VERSION 8

/* Whether the search text goes through the trigram index: the store has one and
 * the text is long enough (and valid UTF-8, so it can be counted in characters). */
static gboolean
search_uses_index (RelayStore *self,
                   const char *search)
{
  return self->schema_version >= SEARCH_INDEX_SCHEMA_VERSION && search != NULL &&
         g_utf8_validate (search, -1, NULL) && g_utf8_strlen (search, -1) >= SEARCH_INDEX_MIN_CHARS;
}

/* The one search of the order lists (the window's and the command line's):
 * every field matches a part of what is typed, so "RED" finds MUG-RED and the
 * last digits find a tracking number or a TradeGecko order number. The LIKE
 * pattern (see like_pattern()) is bound as parameter @like, the index terms
 * (see index_terms()) as @text.
 *
 * With @indexed, the trigram index first picks the orders whose text has every
 * three characters of what is typed (anywhere, the fields run together: only
 * ever more orders, never fewer), and the same LIKE tests as without it
 * decide, order by order, so both give the same orders. */
static void
append_search_where (GString  *where,
                     int       text,
                     int       like,
                     gboolean  indexed,
                     gboolean  walk_sort_index)
{
  /* `+rowid` cannot look orders up by row id: the query walks the sort's index. */
  if (indexed)
    g_string_append_printf (where,
                            " AND %srowid IN (SELECT rowid FROM orders_search WHERE orders_search MATCH ?%d)",
                            walk_sort_index ? "+" : "", text);
  g_string_append_printf (where,
                          " AND (order_number LIKE ?%1$d ESCAPE '\\' OR cust_ref LIKE ?%1$d ESCAPE '\\'"
                          " OR customer_name LIKE ?%1$d ESCAPE '\\' OR customer_email LIKE ?%1$d ESCAPE '\\'"
                          " OR tradegecko_order_number LIKE ?%1$d ESCAPE '\\'",
                          like);
  /* For a few orders, a look-up of each one's lines; for all of them, one pass over the lines. */
  if (indexed)
    g_string_append_printf (where,
                            " OR EXISTS (SELECT 1 FROM order_lines l WHERE l.squarespace_id = orders.squarespace_id"
                            "            AND (l.sku LIKE ?%1$d ESCAPE '\\' OR l.tradegecko_sku LIKE ?%1$d ESCAPE '\\'))"
                            " OR EXISTS (SELECT 1 FROM shipments s WHERE s.squarespace_id = orders.squarespace_id"
                            "            AND s.tracking_number LIKE ?%1$d ESCAPE '\\'))",
                            like);
  else
    g_string_append_printf (where,
                            " OR squarespace_id IN (SELECT squarespace_id FROM order_lines"
                            "                       WHERE sku LIKE ?%1$d ESCAPE '\\' OR tradegecko_sku LIKE ?%1$d ESCAPE '\\')"
                            " OR squarespace_id IN (SELECT squarespace_id FROM shipments"
                            "                       WHERE tracking_number LIKE ?%1$d ESCAPE '\\'))",
                            like);
}

/* The list view's WHERE clause. Parameters: ?1 stage, ?2 search text,
 * ?3 LIKE pattern, ?4/?5 the keyset cursor. */
static char *
build_query_where (RelayStore *self,
                   int         stage,
                   const char *search,
                   gboolean    with_cursor)
{
  g_autoptr(GString) where = g_string_new ("1");

  if (stage >= 0)
    g_string_append (where, " AND stage = ?1");
  if (search != NULL && *search != '\0')
    append_search_where (where, 2, 3, search_uses_index (self, search), FALSE);
  if (with_cursor)
    g_string_append (where, " AND (created_on, squarespace_id) < (?4, ?5)");

  return g_string_free (g_steal_pointer (&where), FALSE);
}

/* The trigram index's query for @search: each three characters of it, as a
 * string ("" for a quote), all of them: `"CB-" AND "B-E" AND …`. Only the
 * index's lists of orders are merged; the index's own LIKE would also read
 * every candidate's text (30 ms of 47 for a search that 20,000 orders match),
 * which the LIKE tests after it read anyway. */
static char *
index_terms (const char *search)
{
  g_autoptr(GString) terms = g_string_new (NULL);
  glong n_chars;

  if (search == NULL || !g_utf8_validate (search, -1, NULL))
    return g_strdup ("");

  n_chars = g_utf8_strlen (search, -1);
  for (const char *start = search; n_chars >= SEARCH_INDEX_MIN_CHARS; start = g_utf8_next_char (start), n_chars--)
    {
      const char *end = g_utf8_offset_to_pointer (start, SEARCH_INDEX_MIN_CHARS);

      g_string_append (terms, terms->len > 0 ? " AND \"" : "\"");
      for (const char *p = start; p < end; p++)
        {
          if (*p == '"')
            g_string_append_c (terms, '"');
          g_string_append_c (terms, *p);
        }
      g_string_append_c (terms, '"');
    }

  return g_string_free (g_steal_pointer (&terms), FALSE);
}

static char *
like_pattern (const char *search)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *p = search != NULL ? search : ""; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

static sqlite3_stmt *
prepare_query (RelayStore           *self,
               const char           *select,
               int                   stage,
               const char           *search,
               const RelayOrderRow  *after,
               const char           *tail,
               guint                 limit,
               GError              **error)
{
  g_autofree char *where = build_query_where (self, stage, search, after != NULL);
  g_autofree char *sql = g_strdup_printf ("%s FROM orders WHERE %s %s", select, where, tail);
  g_autofree char *pattern = like_pattern (search);
  g_autofree char *terms = index_terms (search);

  return store_prepare (self, error, sql, "sssxsx",
                        stage >= 0 ? relay_stage_to_string ((RelayStage) stage) : NULL,
                        terms, pattern,
                        after != NULL ? after->created_on : (gint64) 0,
                        after != NULL ? after->squarespace_id : NULL,
                        limit > 0 ? (gint64) limit : (gint64) -1);
}

/**
 * relay_store_query_orders:
 * @self: a #RelayStore
 * @stage: a #RelayStage, or -1 for every stage
 * @search: (nullable): text to look for: part of an order number, short
 *   reference, customer name or e-mail, TradeGecko order number, SKU or
 *   tracking number (the same search as relay_store_dup_order_keys())
 * @after: (nullable): the last row of the previous page, %NULL for the first page
 * @limit: the page size (0 for no limit)
 * @error: return location for a #GError
 *
 * One page of the order list, newest first. Pages are keyed on the last row
 * seen (created_on, id), so every page costs the same with 100,000 orders.
 *
 * Returns: (transfer full) (element-type RelayOrderRow): the rows
 */
GPtrArray *
relay_store_query_orders (RelayStore           *self,
                          int                   stage,
                          const char           *search,
                          const RelayOrderRow  *after,
                          guint                 limit,
                          GError              **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (stage < RELAY_N_STAGES, NULL);

  return store_collect_order_rows (self,
                                   prepare_query (self, "SELECT " ORDER_COLUMNS, stage, search, after,
                                            "ORDER BY created_on DESC, squarespace_id DESC LIMIT ?6",
                                            limit, error),
                                   error);
}

/**
 * relay_store_count_orders:
 * @self: a #RelayStore
 * @stage: a #RelayStage, or -1 for every stage
 * @search: (nullable): as for relay_store_query_orders()
 * @error: return location for a #GError
 *
 * Returns: how many orders match, or -1 on error
 */
gint64
relay_store_count_orders (RelayStore  *self,
                          int          stage,
                          const char  *search,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  gint64 count = -1;

  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (stage < RELAY_N_STAGES, -1);

  stmt = prepare_query (self, "SELECT COUNT (*)", stage, search, NULL, "AND ?6 = ?6", 0, error);
  if (stmt == NULL)
    return -1;
  if (store_step_row (self, stmt, &found, error) && found)
    count = sqlite3_column_int64 (stmt, 0);

  return count;
}

/* The WHERE clause of the order list; stage names and flags are ours, the
 * search text is bound as ?1 (exact) and ?2 (LIKE pattern). */
static char *
build_list_where (RelayStore *self,
                  guint       stage_mask,
                  const char *search,
                  gboolean    walk_sort_index)
{
  g_autoptr(GString) where = g_string_new ("1");

  if ((stage_mask & ~RELAY_STAGE_MASK_ERRORS) != 0 || (stage_mask & RELAY_STAGE_MASK_ERRORS) != 0)
    {
      gboolean first = TRUE;

      g_string_append (where, " AND (");
      if ((stage_mask & ~RELAY_STAGE_MASK_ERRORS) != 0)
        {
          g_string_append (where, "stage IN (");
          for (guint i = 0; i < RELAY_N_STAGES; i++)
            {
              if ((stage_mask & RELAY_STAGE_MASK (i)) == 0)
                continue;
              g_string_append_printf (where, "%s'%s'", first ? "" : ", ", relay_stage_to_string (i));
              first = FALSE;
            }
          g_string_append (where, ")");
        }
      if ((stage_mask & RELAY_STAGE_MASK_ERRORS) != 0)
        g_string_append_printf (where, "%slast_error IS NOT NULL",
                                first ? "" : " OR ");
      g_string_append (where, ")");
    }

  if (search != NULL && *search != '\0')
    append_search_where (where, 1, 2, search_uses_index (self, search), walk_sort_index);

  return g_string_free (g_steal_pointer (&where), FALSE);
}

/* Ties are broken by what the sort key's index already holds (squarespace_id in
 * orders_by_created, the row id in every index), so every sort is a covering-index
 * scan: ~50 ms for 100,000 orders instead of ~1 s. */
static const char *
list_order_by (RelayOrderSort sort,
               gboolean       descending)
{
  static const char *ascending_terms[] = {
    [RELAY_ORDER_SORT_CREATED] = "created_on, squarespace_id",
    [RELAY_ORDER_SORT_NUMBER] = SORT_NUMBER_VALUE ", order_number, rowid",
    [RELAY_ORDER_SORT_CUSTOMER] = "customer_name COLLATE NOCASE, rowid",
    [RELAY_ORDER_SORT_ITEMS] = "item_count, created_on, rowid",
    [RELAY_ORDER_SORT_TOTAL] = "currency, grand_total_minor, created_on, rowid",
    [RELAY_ORDER_SORT_STAGE] = SORT_STAGE_RANK ", created_on, stage, rowid",
    [RELAY_ORDER_SORT_TRADEGECKO] = "tradegecko_order_number, rowid",
  };
  static const char *descending_terms[] = {
    [RELAY_ORDER_SORT_CREATED] = "created_on DESC, squarespace_id DESC",
    [RELAY_ORDER_SORT_NUMBER] = SORT_NUMBER_VALUE " DESC, order_number DESC, rowid DESC",
    [RELAY_ORDER_SORT_CUSTOMER] = "customer_name COLLATE NOCASE DESC, rowid DESC",
    [RELAY_ORDER_SORT_ITEMS] = "item_count DESC, created_on DESC, rowid DESC",
    [RELAY_ORDER_SORT_TOTAL] = "currency DESC, grand_total_minor DESC, created_on DESC, rowid DESC",
    [RELAY_ORDER_SORT_STAGE] = SORT_STAGE_RANK " DESC, created_on DESC, stage DESC, rowid DESC",
    [RELAY_ORDER_SORT_TRADEGECKO] = "tradegecko_order_number DESC, rowid DESC",
  };

  if ((guint) sort > RELAY_ORDER_SORT_TRADEGECKO)
    sort = RELAY_ORDER_SORT_CREATED;

  return descending ? descending_terms[sort] : ascending_terms[sort];
}

/* The order list's key query; with search text, its index terms bind as ?1 and its LIKE pattern as ?2.
 * With @first, only the first so many, found by walking the sort's index: when thousands of
 * orders match, the first of them come in a few milliseconds, where sorting all takes 80. */
static char *
order_keys_sql (RelayStore     *self,
                guint           stage_mask,
                const char     *search,
                RelayOrderSort  sort,
                gboolean        descending,
                guint           first)
{
  g_autofree char *where = build_list_where (self, stage_mask, search, first > 0);

  if (first > 0)
    return g_strdup_printf ("SELECT rowid FROM orders WHERE %s ORDER BY %s LIMIT %u",
                            where, list_order_by (sort, descending), first);
  return g_strdup_printf ("SELECT rowid FROM orders WHERE %s ORDER BY %s", where, list_order_by (sort, descending));
}

/**
 * relay_store_dup_order_keys:
 * @self: a #RelayStore
 * @stage_mask: RELAY_STAGE_MASK() bits (and %RELAY_STAGE_MASK_ERRORS), 0 for every order
 * @search: (nullable): as for relay_store_query_orders()
 * @sort: the sort key
 * @descending: whether the largest comes first
 * @error: return location for a #GError
 *
 * The keys (SQLite row ids) of the matching orders in display order. Only the
 * keys: 100,000 orders cost 800 kB, and the rows are read a page at a time
 * with relay_store_dup_orders_by_keys() as the list scrolls.
 *
 * Returns: (transfer full) (element-type gint64): the keys, or %NULL on error
 */
GArray *
relay_store_dup_order_keys (RelayStore     *self,
                            guint           stage_mask,
                            const char     *search,
                            RelayOrderSort  sort,
                            gboolean        descending,
                            GError        **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *terms = NULL;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  sql = order_keys_sql (self, stage_mask, search, sort, descending, 0);
  pattern = like_pattern (search);
  terms = index_terms (search);

  /* Without search text the statement has no parameters to bind. */
  if (search != NULL && *search != '\0')
    stmt = store_prepare (self, error, sql, "ss", terms, pattern);
  else
    stmt = store_prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return NULL;

  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 256);
  while (found)
    {
      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (found)
        {
          gint64 key = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (keys, key);
        }
    }

  return g_steal_pointer (&keys);
}

/* What a worker thread needs to run the key query on its own connection. */
typedef struct
{
  char *path;
  char *sql;
  char *terms;
  char *pattern;
  guint first;   /* only the first so many (see order_keys_sql()) */
} KeyQuery;

static void
key_query_free (KeyQuery *query)
{
  g_free (query->path);
  g_free (query->sql);
  g_free (query->terms);
  g_free (query->pattern);
  g_free (query);
}

static gboolean
key_query_failed (sqlite3  *db,
                  GError  **error)
{
  g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE, "Could not list the orders: %s",
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

/* A connection of the worker's own, read-only: with WAL it reads a snapshot
 * while the main connection writes, and its cache is freed with it. */
static GArray *
run_key_query (KeyQuery      *query,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 256);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_open_v2 (query->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (db, 5000) != SQLITE_OK ||
      /* Beside the whole query, a first screenful runs in a second thread: a small
       * cache kept the window's memory as without it (2 MB by default). */
      (query->first > 0 && sqlite3_exec (db, "PRAGMA cache_size = -256", NULL, NULL, NULL) != SQLITE_OK) ||
      sqlite3_prepare_v2 (db, query->sql, -1, &stmt, NULL) != SQLITE_OK ||
      (query->terms != NULL &&
       (sqlite3_bind_text (stmt, 1, query->terms, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text (stmt, 2, query->pattern, -1, SQLITE_STATIC) != SQLITE_OK)))
    {
      key_query_failed (db, error);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return NULL;
    }

  /* A newer query makes this one moot: stop reading early. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (keys, key);
      if (keys->len % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    key_query_failed (db, error);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return rc == SQLITE_DONE ? g_steal_pointer (&keys) : NULL;
}

static void
dup_order_keys_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  GArray *keys = run_key_query (task_data, cancellable, &error);

  if (keys == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, keys, (GDestroyNotify) g_array_unref);
}

static void
start_key_query (RelayStore          *self,
                 guint                stage_mask,
                 const char          *search,
                 RelayOrderSort       sort,
                 gboolean             descending,
                 guint                first,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyQuery *query;

  /* No source object: a query still running holds neither the store nor, through
   * @user_data, whoever asked (the worker needs only the path). */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_store_dup_order_keys_async);
  query = g_new0 (KeyQuery, 1);
  query->path = g_strdup (self->path);
  query->sql = order_keys_sql (self, stage_mask, search, sort, descending, first);
  query->first = first;
  if (search != NULL && *search != '\0')
    {
      query->terms = index_terms (search);
      query->pattern = like_pattern (search);
    }
  g_task_set_task_data (task, query, (GDestroyNotify) key_query_free);
  g_task_run_in_thread (task, dup_order_keys_thread);
}

/**
 * relay_store_dup_order_keys_async:
 * @self: a #RelayStore
 * @stage_mask: as for relay_store_dup_order_keys()
 * @search: (nullable): as for relay_store_dup_order_keys()
 * @sort: the sort key
 * @descending: whether the largest comes first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context with the keys (with a %NULL
 *   source object)
 * @user_data: data for @callback
 *
 * relay_store_dup_order_keys() in a worker thread, on a connection of its
 * own: a search of 100,000 orders reads every row, and the window must not
 * wait for it.
 */
void
relay_store_dup_order_keys_async (RelayStore          *self,
                                  guint                stage_mask,
                                  const char          *search,
                                  RelayOrderSort       sort,
                                  gboolean             descending,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  start_key_query (self, stage_mask, search, sort, descending, 0, cancellable, callback, user_data);
}

/**
 * relay_store_dup_first_order_keys_async:
 * @self: a #RelayStore
 * @stage_mask: as for relay_store_dup_order_keys()
 * @search: (nullable): as for relay_store_dup_order_keys()
 * @sort: the sort key
 * @descending: whether the largest comes first
 * @first: how many keys at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: as for relay_store_dup_order_keys_async(); finish with
 *   relay_store_dup_order_keys_finish()
 * @user_data: data for @callback
 *
 * The first @first of the keys relay_store_dup_order_keys_async() gives,
 * found by walking the sort's index: a search that thousands of orders match
 * has its first screenful in a few milliseconds, before all of them are
 * sorted. (When few orders match, the walk may take longer than the whole
 * query.)
 */
void
relay_store_dup_first_order_keys_async (RelayStore          *self,
                                        guint                stage_mask,
                                        const char          *search,
                                        RelayOrderSort       sort,
                                        gboolean             descending,
                                        guint                first,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (first > 0);

  start_key_query (self, stage_mask, search, sort, descending, first, cancellable, callback, user_data);
}

/**
 * relay_store_dup_order_keys_finish:
 * @self: a #RelayStore
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type gint64): the keys, or %NULL on error
 */
GArray *
relay_store_dup_order_keys_finish (RelayStore    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_store_dup_orders_by_keys:
 * @self: a #RelayStore
 * @keys: (array length=n_keys): keys from relay_store_dup_order_keys()
 * @n_keys: how many
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayOrderRow): one entry per key, in
 *   the same order, %NULL where the order no longer exists; %NULL on error
 */
GPtrArray *
relay_store_dup_orders_by_keys (RelayStore    *self,
                                const gint64  *keys,
                                guint          n_keys,
                                GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);

  rows = g_ptr_array_new_full (n_keys, (GDestroyNotify) relay_order_row_free);
  if (n_keys == 0)
    return g_steal_pointer (&rows);

  /* The keys are integers, so printing them into the statement is safe. */
  sql = g_string_new ("SELECT " ORDER_COLUMNS ", rowid FROM orders WHERE rowid IN (");
  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", keys[i]);
  g_string_append (sql, ")");

  stmt = store_prepare_once (self, sql->str, error);
  if (stmt == NULL)
    return NULL;

  by_key = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while (found)
    {
      if (!store_step_row (self, stmt, &found, error))
        {
          g_hash_table_foreach (by_key, store_order_row_free_cb, NULL);
          return NULL;
        }
      if (found)
        {
          gint64 *key = g_new (gint64, 1);

          *key = sqlite3_column_int64 (stmt, ORDER_N_COLUMNS);
          g_hash_table_replace (by_key, key, store_order_row_from_stmt (stmt));
        }
    }

  for (guint i = 0; i < n_keys; i++)
    {
      gpointer row = NULL;
      gpointer stolen_key = NULL;

      /* A key asked for twice gets its row once; later copies are NULL. */
      if (g_hash_table_steal_extended (by_key, &keys[i], &stolen_key, &row))
        g_free (stolen_key);
      g_ptr_array_add (rows, row);
    }
  g_hash_table_foreach (by_key, store_order_row_free_cb, NULL);

  return g_steal_pointer (&rows);
}

/**
 * relay_store_count_matching:
 * @self: a #RelayStore
 * @stage_mask: as for relay_store_dup_order_keys()
 * @error: return location for a #GError
 *
 * Returns: how many orders match, or -1 on error
 */
gint64
relay_store_count_matching (RelayStore  *self,
                            guint        stage_mask,
                            GError     **error)
{
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  gint64 count = -1;

  g_return_val_if_fail (RELAY_IS_STORE (self), -1);

  where = build_list_where (self, stage_mask, NULL, FALSE);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM orders WHERE %s", where);
  stmt = store_prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return -1;
  if (store_step_row (self, stmt, &found, error) && found)
    count = sqlite3_column_int64 (stmt, 0);

  return count;
}

/**
 * relay_store_get_delivery_attempts:
 * @self: a #RelayStore
 * @squarespace_id: the order
 * @error: return location for a #GError
 *
 * Returns: how many times relay_store_begin_delivery() has sent the order on
 *   its way to TradeGecko (0 for none or an unknown order), or -1 on error
 */
gint64
relay_store_get_delivery_attempts (RelayStore  *self,
                                   const char  *squarespace_id,
                                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  gint64 attempts = -1;

  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (squarespace_id != NULL, -1);

  stmt = store_prepare (self, error, "SELECT delivery_attempts FROM orders WHERE squarespace_id = ?1",
                        "s", squarespace_id);
  if (stmt == NULL)
    return -1;
  if (store_step_row (self, stmt, &found, error))
    attempts = found ? sqlite3_column_int64 (stmt, 0) : 0;

  return attempts;
}

/* Runs @sql, "SELECT stage, <one aggregate> FROM orders GROUP BY stage", into
 * @values per #RelayStage (0 for a stage without orders). */
static gboolean
store_aggregate_per_stage (RelayStore  *self,
                           const char  *sql,
                           gint64       values[RELAY_N_STAGES],
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  memset (values, 0, sizeof (gint64) * RELAY_N_STAGES);

  stmt = store_prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return FALSE;

  while (found)
    {
      RelayStage stage;

      if (!store_step_row (self, stmt, &found, error))
          return FALSE;
      if (found && relay_stage_from_string ((const char *) sqlite3_column_text (stmt, 0), &stage))
        values[stage] = sqlite3_column_int64 (stmt, 1);
    }

  return TRUE;
}

/**
 * relay_store_get_stage_activity:
 * @self: a #RelayStore
 * @latest: (out caller-allocates) (array fixed-size=7): per #RelayStage, the last
 *   time (Unix ms) an order in it changed, 0 when none
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_get_stage_activity (RelayStore  *self,
                                gint64       latest[RELAY_N_STAGES],
                                GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  return store_aggregate_per_stage (self, "SELECT stage, MAX (updated_at) FROM orders GROUP BY stage",
                                    latest, error);
}

/**
 * relay_store_count_stages:
 * @self: a #RelayStore
 * @counts: (out caller-allocates) (array fixed-size=7): orders per #RelayStage
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_count_stages (RelayStore  *self,
                          guint64      counts[RELAY_N_STAGES],
                          GError     **error)
{
  gint64 values[RELAY_N_STAGES];
  gboolean ok;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  ok = store_aggregate_per_stage (self, "SELECT stage, COUNT (*) FROM orders GROUP BY stage", values, error);
  for (guint i = 0; i < RELAY_N_STAGES; i++)
    counts[i] = ok ? (guint64) values[i] : 0;
  return ok;
}

/**
 * relay_store_dup_events:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayEvent): the order's timeline, oldest first
 */
GPtrArray *
relay_store_dup_events (RelayStore  *self,
                        const char  *squarespace_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_event_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  stmt = store_prepare (self, error,
                        "SELECT id, squarespace_id, at, kind, detail FROM events WHERE squarespace_id = ?1 ORDER BY id",
                        "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      RelayEvent *event;

      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (!found)
        break;

      event = g_new0 (RelayEvent, 1);
      event->id = sqlite3_column_int64 (stmt, 0);
      event->squarespace_id = store_column_dup_text (stmt, 1);
      event->at = sqlite3_column_int64 (stmt, 2);
      event->kind = store_column_dup_text (stmt, 3);
      event->detail = store_column_dup_text (stmt, 4);
      g_ptr_array_add (events, event);
    }

  return g_steal_pointer (&events);
}

/* The steps of an EXPLAIN QUERY PLAN statement, one a line. */
static char *
explain (RelayStore  *self,
         const char  *sql,
         GError     **error)
{
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = store_prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (found)
        g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
    }

  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/* The query plan of the list view's query, one line per step, so tests can
 * check it walks an index instead of sorting the whole table. */
char *
relay_store_explain_query (RelayStore  *self,
                           int          stage,
                           const char  *search,
                           gboolean     with_cursor,
                           GError     **error)
{
  g_autofree char *where = build_query_where (self, stage, search, with_cursor);
  g_autofree char *sql = g_strdup_printf ("EXPLAIN QUERY PLAN SELECT " ORDER_COLUMNS " FROM orders WHERE %s "
                                          "ORDER BY created_on DESC, squarespace_id DESC LIMIT ?6", where);

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return explain (self, sql, error);
}

/* The plan of the order list's key query, one step a line (tests: every sort is an index scan). */
char *
relay_store_explain_order_keys (RelayStore     *self,
                                RelayOrderSort  sort,
                                gboolean        descending,
                                GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("EXPLAIN QUERY PLAN SELECT rowid FROM orders ORDER BY %s",
                                          list_order_by (sort, descending));

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return explain (self, sql, error);
}
