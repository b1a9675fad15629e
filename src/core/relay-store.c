/* relay-store.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/* The state file. Every transition runs in one IMMEDIATE transaction that
 * also appends the order's event, so a process killed at any point leaves
 * either the old state or the new one, never half of each. Signals are
 * emitted after the commit. */

struct _RelayStore
{
  GObject             parent_instance;

  /* Owned */
  char               *path;
  sqlite3            *db;
  int                 schema_version;

  /* Borrowed */
  RelayStoreStepHook  step_hook;
  gpointer            step_hook_data;
};

G_DEFINE_FINAL_TYPE (RelayStore, relay_store, G_TYPE_OBJECT)

enum {
  ORDER_CHANGED,
  MAPS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *stage_names[RELAY_N_STAGES] = {
  "new", "rejected", "at_tradegecko", "shipped", "confirmed", "skipped", "canceled",
};

#define STAGE_BIT(stage) (1u << (stage))

/* ------------------------------------------------------------------------ */
/* Schema                                                                    */

typedef gboolean (*Migration) (RelayStore *self, GError **error);

static gboolean exec_sql (RelayStore *self, const char *sql, GError **error);

static gboolean
migrate_to_1 (RelayStore  *self,
              GError     **error)
{
  return exec_sql (self,
    "CREATE TABLE orders ("
    "  squarespace_id TEXT PRIMARY KEY NOT NULL,"
    "  order_number TEXT NOT NULL,"
    "  cust_po_no TEXT,"
    "  cust_ref TEXT UNIQUE,"
    "  stage TEXT NOT NULL CHECK (stage IN ('new','rejected','at_tradegecko','shipped','confirmed','skipped','canceled')),"
    "  stage_reason TEXT,"
    "  customer_name TEXT,"
    "  customer_email TEXT,"
    "  created_on INTEGER NOT NULL,"
    "  modified_on INTEGER NOT NULL,"
    "  fulfillment_status TEXT,"
    "  item_count INTEGER NOT NULL DEFAULT 0,"
    "  grand_total_minor INTEGER NOT NULL,"
    "  currency TEXT NOT NULL,"
    "  testmode INTEGER NOT NULL DEFAULT 0,"
    "  squarespace_json TEXT NOT NULL,"
    "  tradegecko_order_id INTEGER,"
    "  tradegecko_order_number TEXT,"
    "  in_flight TEXT CHECK (in_flight IS NULL OR in_flight IN ('deliver','post_tracking')),"
    "  idempotency_key TEXT,"
    "  last_error TEXT,"
    "  error_kind TEXT,"
    "  retry_count INTEGER NOT NULL DEFAULT 0,"
    "  pulled_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX orders_by_created ON orders (created_on, squarespace_id);"
    "CREATE INDEX orders_by_stage ON orders (stage, created_on, squarespace_id);"
    "CREATE INDEX orders_by_number ON orders (order_number);"
    "CREATE INDEX orders_by_customer_name ON orders (customer_name COLLATE NOCASE);"
    "CREATE INDEX orders_by_customer_email ON orders (customer_email COLLATE NOCASE);"
    "CREATE INDEX orders_by_tradegecko_id ON orders (tradegecko_order_id);"
    "CREATE INDEX orders_in_flight ON orders (in_flight) WHERE in_flight IS NOT NULL;"
    ""
    "CREATE TABLE order_lines ("
    "  squarespace_id TEXT NOT NULL REFERENCES orders (squarespace_id) ON DELETE CASCADE,"
    "  line_id TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  sku TEXT COLLATE NOCASE,"
    "  product_name TEXT,"
    "  quantity INTEGER NOT NULL,"
    "  unit_price_minor INTEGER NOT NULL,"
    "  is_physical INTEGER NOT NULL,"
    "  tradegecko_sku TEXT COLLATE NOCASE,"
    "  tradegecko_variant_id INTEGER,"
    "  PRIMARY KEY (squarespace_id, line_id)"
    ");"
    "CREATE INDEX order_lines_by_sku ON order_lines (sku);"
    "CREATE INDEX order_lines_by_tradegecko_sku ON order_lines (tradegecko_sku);"
    ""
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  squarespace_id TEXT NOT NULL REFERENCES orders (squarespace_id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  detail TEXT"
    ");"
    "CREATE INDEX events_by_order ON events (squarespace_id, id);"
    ""
    "CREATE TABLE shipments ("
    "  fulfillment_id INTEGER PRIMARY KEY NOT NULL,"
    "  squarespace_id TEXT NOT NULL REFERENCES orders (squarespace_id) ON DELETE CASCADE,"
    "  tradegecko_order_id INTEGER NOT NULL,"
    "  status TEXT,"
    "  carrier TEXT,"
    "  service TEXT,"
    "  tracking_number TEXT COLLATE NOCASE,"
    "  tracking_url TEXT,"
    "  shipped_at INTEGER,"
    "  lines_summary TEXT,"
    "  posted_to_squarespace_at INTEGER,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX shipments_by_order ON shipments (squarespace_id);"
    "CREATE INDEX shipments_by_tracking ON shipments (tracking_number);"
    ""
    "CREATE TABLE item_aliases ("
    "  store_sku TEXT PRIMARY KEY NOT NULL,"
    "  tradegecko_sku TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE shipping_methods ("
    "  squarespace_method TEXT PRIMARY KEY NOT NULL,"
    "  tradegecko_label TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE carriers ("
    "  tradegecko_carrier TEXT PRIMARY KEY NOT NULL,"
    "  squarespace_carrier TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE checkpoints ("
    "  key TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT,"
    "  updated_at INTEGER NOT NULL"
    ");",
    error);
}

/* Version 1 kept the engine's TradeGecko customer cache in checkpoints, as
 * `customer:<folded e-mail>` → company id and
 * `address:<company id>:<fingerprint>` → address id. Version 2 gives it typed
 * tables and moves those rows there. Rows whose ids are not positive integers
 * were never usable (the engine ignored them) and are dropped: the engine
 * fetches the customers again. */
static gboolean
migrate_to_2 (RelayStore  *self,
              GError     **error)
{
  return exec_sql (self,
    "CREATE TABLE customers ("
    "  email TEXT PRIMARY KEY NOT NULL,"
    "  company_id INTEGER NOT NULL CHECK (company_id > 0),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE customer_addresses ("
    "  company_id INTEGER NOT NULL CHECK (company_id > 0),"
    "  fingerprint TEXT NOT NULL,"
    "  address_id INTEGER NOT NULL CHECK (address_id > 0),"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (company_id, fingerprint)"
    ");"
    ""
    "INSERT INTO customers (email, company_id, updated_at)"
    "  SELECT substr (key, 10), CAST (value AS INTEGER), updated_at FROM checkpoints"
    "  WHERE substr (key, 1, 9) = 'customer:' AND length (key) > 9"
    "    AND CAST (value AS INTEGER) > 0;"
    ""
    /* rest = `<company id>:<fingerprint>` */
    "INSERT INTO customer_addresses (company_id, fingerprint, address_id, updated_at)"
    "  SELECT CAST (substr (rest, 1, instr (rest, ':') - 1) AS INTEGER),"
    "         substr (rest, instr (rest, ':') + 1), address_id, updated_at"
    "  FROM (SELECT substr (key, 9) AS rest, CAST (value AS INTEGER) AS address_id, updated_at"
    "        FROM checkpoints WHERE substr (key, 1, 8) = 'address:')"
    "  WHERE instr (rest, ':') > 1 AND length (rest) > instr (rest, ':')"
    "    AND CAST (substr (rest, 1, instr (rest, ':') - 1) AS INTEGER) > 0"
    "    AND address_id > 0;"
    ""
    "DELETE FROM checkpoints"
    "  WHERE substr (key, 1, 9) = 'customer:' OR substr (key, 1, 8) = 'address:';",
    error);
}

/* Version 3: who holds an order's in-flight claim (process id, since when),
 * so a second process never takes over a claim that is still live; and the
 * cancellations seen after delivery that TradeGecko has not been told about. */
static gboolean
migrate_to_3 (RelayStore  *self,
              GError     **error)
{
  return exec_sql (self,
    "ALTER TABLE orders ADD COLUMN claim_pid INTEGER;"
    "ALTER TABLE orders ADD COLUMN claimed_at INTEGER;"
    "ALTER TABLE orders ADD COLUMN cancel_pending INTEGER NOT NULL DEFAULT 0;",
    error);
}

/* Version 4 remembers which delivered orders are to be marked paid in
 * TradeGecko and which are: a row is written ('due') before the sales order
 * is sent, so a crash anywhere after leaves it to the next cycle, which sends
 * the same idempotency key again; 'paid' when TradeGecko has the payment. */
static gboolean
migrate_to_4 (RelayStore  *self,
              GError     **error)
{
  return exec_sql (self,
    "CREATE TABLE payments ("
    "  squarespace_id TEXT PRIMARY KEY NOT NULL REFERENCES orders (squarespace_id) ON DELETE CASCADE,"
    "  idempotency_key TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('due','paid')),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX payments_due ON payments (state) WHERE state = 'due';",
    error);
}

/* The order list's sort keys that are expressions: the indexes of version 5 and
 * list_order_by() must spell them alike for SQLite to use the index. */
#define SORT_NUMBER_VALUE "CAST (order_number AS INTEGER)"
#define SORT_STAGE_RANK \
  "CASE stage WHEN 'rejected' THEN 0 WHEN 'new' THEN 1 WHEN 'at_tradegecko' THEN 2 " \
  "WHEN 'shipped' THEN 3 WHEN 'confirmed' THEN 4 WHEN 'skipped' THEN 5 ELSE 6 END"

/* Version 5: an index for every sort of the order list, so that sorting 100,000
 * orders is an index scan rather than a sort of the whole table (~0.5–0.9 s).
 * Each index ends with the sort's tie-breakers; the row id is in every index. */
static gboolean
migrate_to_5_sort_indexes (RelayStore  *self,
                           GError     **error)
{
  return exec_sql (self,
    "CREATE INDEX orders_by_number_value ON orders (" SORT_NUMBER_VALUE ", order_number);"
    "CREATE INDEX orders_by_item_count ON orders (item_count, created_on);"
    "CREATE INDEX orders_by_total ON orders (currency, grand_total_minor, created_on);"
    /* stage itself too: without it SQLite reads every row to check the expression. */
    "CREATE INDEX orders_by_stage_rank ON orders (" SORT_STAGE_RANK ", created_on, stage);"
    "CREATE INDEX orders_by_tradegecko_number ON orders (tradegecko_order_number);",
    error);
}

/* Version 6: stock sync. Each batch of stock adjustments is kept with its
 * Idempotency-Key before it is sent, so a resend after a crash reuses the key
 * and the body; the Stock view's rows say what each store variant matched and
 * what was last set. */
static gboolean
migrate_to_6_stock (RelayStore  *self,
                    GError     **error)
{
  return exec_sql (self,
    "CREATE TABLE stock_batches ("
    "  idempotency_key TEXT PRIMARY KEY NOT NULL,"
    "  operations TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  pushed_at INTEGER"
    ");"
    "CREATE INDEX stock_batches_pending ON stock_batches (created_at) WHERE pushed_at IS NULL;"
    "CREATE TABLE stock_items ("
    "  store_variant_id TEXT PRIMARY KEY NOT NULL,"
    "  store_sku TEXT COLLATE NOCASE,"
    "  product TEXT,"
    "  tradegecko_variant_id INTEGER,"
    "  tradegecko_available INTEGER,"
    "  store_quantity INTEGER,"
    "  target INTEGER,"
    "  pushed_quantity INTEGER,"
    "  pushed_at INTEGER,"
    "  problem TEXT,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX stock_items_by_sku ON stock_items (store_sku, store_variant_id);",
    error);
}

/* Index i migrates from version i to version i + 1. Adding a version is one
 * function here and RELAY_STORE_SCHEMA_VERSION bumped. */
static const Migration migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
  migrate_to_4,
  migrate_to_5_sort_indexes,
  migrate_to_6_stock,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RELAY_STORE_SCHEMA_VERSION);

/* ------------------------------------------------------------------------ */
/* SQLite helpers                                                            */

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static gint64
datetime_to_ms (GDateTime *time)
{
  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}

static void
set_db_error (RelayStore  *self,
              GError     **error)
{
  g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
               _("The order database %s failed: %s"),
               self->path, sqlite3_errmsg (self->db));
}

static gboolean
exec_sql (RelayStore  *self,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* Binds parameters by type letter: 's' text (may be NULL), 'i' int,
 * 'x' gint64, 'X' gint64 stored as NULL when 0. */
static sqlite3_stmt *
prepare_valist (RelayStore  *self,
                GError     **error,
                const char  *sql,
                const char  *types,
                va_list      args)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }

  for (int i = 0; types != NULL && types[i] != '\0'; i++)
    {
      int rc = SQLITE_OK;

      switch (types[i])
        {
        case 's':
          {
            const char *text = va_arg (args, const char *);
            rc = text != NULL ? sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_TRANSIENT)
                              : sqlite3_bind_null (stmt, i + 1);
          }
          break;

        case 'i':
          rc = sqlite3_bind_int (stmt, i + 1, va_arg (args, int));
          break;

        case 'x':
          rc = sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;

        case 'X':
          {
            gint64 value = va_arg (args, gint64);
            rc = value != 0 ? sqlite3_bind_int64 (stmt, i + 1, value) : sqlite3_bind_null (stmt, i + 1);
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (rc != SQLITE_OK)
        {
          set_db_error (self, error);
          sqlite3_finalize (stmt);
          return NULL;
        }
    }

  return stmt;
}

static sqlite3_stmt *
prepare (RelayStore  *self,
         GError     **error,
         const char  *sql,
         const char  *types,
         ...)
{
  sqlite3_stmt *stmt;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (self, error, sql, types, args);
  va_end (args);

  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
run (RelayStore  *self,
     GError     **error,
     const char  *sql,
     const char  *types,
     ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  int rc;

  va_start (args, types);
  stmt = prepare_valist (self, error, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    set_db_error (self, error);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

/* Steps once: TRUE with *found set, or FALSE on error. */
static gboolean
step_row (RelayStore    *self,
          sqlite3_stmt  *stmt,
          gboolean      *found,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *found = FALSE;
      return TRUE;
    }

  set_db_error (self, error);
  return FALSE;
}

static char *
column_dup_text (sqlite3_stmt *stmt,
                 int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
begin (RelayStore  *self,
       GError     **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (RelayStore  *self,
        GError     **error)
{
  return exec_sql (self, "COMMIT", error);
}

static void
rollback (RelayStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
step_done (RelayStore *self,
           const char *step)
{
  if (self->step_hook != NULL)
    self->step_hook (self, step, self->step_hook_data);
}

static void
emit_order_changed (RelayStore *self,
                    const char *squarespace_id)
{
  g_signal_emit (self, signals[ORDER_CHANGED], 0, squarespace_id);
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                      */

#define ORDER_COLUMNS \
  "squarespace_id, order_number, cust_po_no, cust_ref, stage, stage_reason, customer_name, " \
  "customer_email, created_on, modified_on, item_count, grand_total_minor, currency, testmode, " \
  "tradegecko_order_id, tradegecko_order_number, in_flight, idempotency_key, last_error, " \
  "error_kind, retry_count, updated_at, claim_pid, claimed_at, cancel_pending, " \
  "(SELECT group_concat (tracking_number, ', ') FROM shipments " \
  " WHERE shipments.squarespace_id = orders.squarespace_id AND tracking_number IS NOT NULL)"
/* How many ORDER_COLUMNS there are: a column selected after them has this index. */
#define ORDER_N_COLUMNS 26

static RelayInFlight
in_flight_from_string (const char *text)
{
  if (g_strcmp0 (text, "deliver") == 0)
    return RELAY_IN_FLIGHT_DELIVER;
  if (g_strcmp0 (text, "post_tracking") == 0)
    return RELAY_IN_FLIGHT_POST_TRACKING;
  return RELAY_IN_FLIGHT_NONE;
}

static RelayOrderRow *
order_row_from_stmt (sqlite3_stmt *stmt)
{
  RelayOrderRow *row = g_new0 (RelayOrderRow, 1);
  const char *currency = (const char *) sqlite3_column_text (stmt, 12);

  row->squarespace_id = column_dup_text (stmt, 0);
  row->order_number = column_dup_text (stmt, 1);
  row->cust_po_no = column_dup_text (stmt, 2);
  row->cust_ref = column_dup_text (stmt, 3);
  if (!relay_stage_from_string ((const char *) sqlite3_column_text (stmt, 4), &row->stage))
    row->stage = RELAY_STAGE_NEW;
  row->stage_reason = column_dup_text (stmt, 5);
  row->customer_name = column_dup_text (stmt, 6);
  row->customer_email = column_dup_text (stmt, 7);
  row->created_on = sqlite3_column_int64 (stmt, 8);
  row->modified_on = sqlite3_column_int64 (stmt, 9);
  row->item_count = (guint) sqlite3_column_int64 (stmt, 10);
  relay_money_init (&row->grand_total, sqlite3_column_int64 (stmt, 11),
                    relay_money_is_valid_currency (currency) ? currency : "XXX");
  row->testmode = sqlite3_column_int (stmt, 13) != 0;
  row->tradegecko_order_id = sqlite3_column_int64 (stmt, 14);
  row->tradegecko_order_number = column_dup_text (stmt, 15);
  row->in_flight = in_flight_from_string ((const char *) sqlite3_column_text (stmt, 16));
  row->idempotency_key = column_dup_text (stmt, 17);
  row->last_error = column_dup_text (stmt, 18);
  row->error_kind = column_dup_text (stmt, 19);
  row->retry_count = (guint) sqlite3_column_int (stmt, 20);
  row->updated_at = sqlite3_column_int64 (stmt, 21);
  row->claim_pid = sqlite3_column_int64 (stmt, 22);
  row->claimed_at = sqlite3_column_int64 (stmt, 23);
  row->cancel_pending = sqlite3_column_int (stmt, 24) != 0;
  row->tracking_numbers = column_dup_text (stmt, 25);

  return row;
}

/* One order by a column, or %NULL without error when there is none. */
static RelayOrderRow *
find_order_where (RelayStore  *self,
                  const char  *where,
                  const char  *types,
                  const char  *text,
                  gint64       number,
                  gboolean    *failed,
                  GError     **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " ORDER_COLUMNS " FROM orders WHERE ", where, " LIMIT 1", NULL);
  sqlite3_stmt *stmt;
  RelayOrderRow *row = NULL;
  gboolean found = FALSE;

  *failed = TRUE;
  stmt = types[0] == 's' ? prepare (self, error, sql, "s", text) : prepare (self, error, sql, "x", number);
  if (stmt == NULL)
    return NULL;

  if (step_row (self, stmt, &found, error))
    {
      *failed = FALSE;
      if (found)
        row = order_row_from_stmt (stmt);
    }
  sqlite3_finalize (stmt);

  return row;
}

static RelayOrderRow *
find_order_or_fail (RelayStore  *self,
                    const char  *squarespace_id,
                    GError     **error)
{
  gboolean failed;
  RelayOrderRow *row;

  row = find_order_where (self, "squarespace_id = ?1", "s", squarespace_id, 0, &failed, error);
  if (row == NULL && !failed)
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND,
                 _("There is no order %s in the order database"), squarespace_id);
  return row;
}

static void
relay_order_row_free_cb (gpointer key,
                         gpointer value,
                         gpointer user_data)
{
  relay_order_row_free (value);
}

static GPtrArray *
collect_order_rows (RelayStore    *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  gboolean found = TRUE;

  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (found)
        g_ptr_array_add (rows, order_row_from_stmt (stmt));
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&rows);
}

static gboolean
append_event (RelayStore  *self,
              const char  *squarespace_id,
              const char  *kind,
              const char  *detail,
              GError     **error)
{
  return run (self, error,
              "INSERT INTO events (squarespace_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
              "sxss", squarespace_id, now_ms (), kind, detail);
}

/* Starts a transition: opens the transaction and checks the order is in one
 * of @allowed stages. On failure the transaction is rolled back. */
static RelayOrderRow *
begin_transition (RelayStore  *self,
                  const char  *squarespace_id,
                  guint        allowed,
                  const char  *action,
                  GError     **error)
{
  RelayOrderRow *row;

  if (!begin (self, error))
    return NULL;

  row = find_order_or_fail (self, squarespace_id, error);
  if (row == NULL)
    {
      rollback (self);
      return NULL;
    }

  if ((STAGE_BIT (row->stage) & allowed) == 0)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s cannot be %s: it is %s"),
                   row->order_number, action, relay_stage_to_string (row->stage));
      relay_order_row_free (row);
      rollback (self);
      return NULL;
    }

  return row;
}

/* Appends the event, commits and tells the views. */
static gboolean
finish_transition (RelayStore  *self,
                   const char  *squarespace_id,
                   const char  *kind,
                   const char  *detail,
                   GError     **error)
{
  if (!append_event (self, squarespace_id, kind, detail, error))
    goto fail;
  step_done (self, "event");

  if (!commit (self, error))
    goto fail;

  emit_order_changed (self, squarespace_id);
  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static gboolean
set_stage (RelayStore  *self,
           const char  *squarespace_id,
           RelayStage   stage,
           const char  *reason,
           GError     **error)
{
  return run (self, error,
              "UPDATE orders SET stage = ?2, stage_reason = ?3, updated_at = ?4 WHERE squarespace_id = ?1",
              "sssx", squarespace_id, relay_stage_to_string (stage), reason, now_ms ());
}

static gboolean
insert_lines (RelayStore  *self,
              RelayOrder  *order,
              GError     **error)
{
  GPtrArray *lines = relay_order_get_lines (order);
  const char *id = relay_order_get_squarespace_id (order);

  if (!run (self, error, "DELETE FROM order_lines WHERE squarespace_id = ?1", "s", id))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);

      if (!run (self, error,
                "INSERT OR REPLACE INTO order_lines (squarespace_id, line_id, position, sku, product_name, "
                "quantity, unit_price_minor, is_physical) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                "ssissxxi", id, line->id, (int) i, line->sku, line->product_name,
                line->quantity, line->unit_price.minor, line->is_physical ? 1 : 0))
        return FALSE;
    }

  return TRUE;
}

/* What changed in Squarespace that matters to the merchant, for the timeline. */
static char *
describe_changes (RelayOrder *before,
                  RelayOrder *after)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new ();
  GPtrArray *lines_before;
  GPtrArray *lines_after;
  gboolean lines_changed = FALSE;

  if (before == NULL)
    return g_strdup (_("details"));

  if (g_strcmp0 (relay_order_get_fulfillment_status (before), relay_order_get_fulfillment_status (after)) != 0)
    g_ptr_array_add (changes, (gpointer) _("fulfillment status"));
  if (g_strcmp0 (relay_order_get_customer_email (before), relay_order_get_customer_email (after)) != 0)
    g_ptr_array_add (changes, (gpointer) _("e-mail"));
  if (!relay_address_equal (relay_order_get_shipping_address (before), relay_order_get_shipping_address (after)))
    g_ptr_array_add (changes, (gpointer) _("shipping address"));
  if (!relay_address_equal (relay_order_get_billing_address (before), relay_order_get_billing_address (after)))
    g_ptr_array_add (changes, (gpointer) _("billing address"));

  lines_before = relay_order_get_lines (before);
  lines_after = relay_order_get_lines (after);
  lines_changed = lines_before->len != lines_after->len;
  for (guint i = 0; !lines_changed && i < lines_after->len; i++)
    {
      RelayOrderLine *a = g_ptr_array_index (lines_before, i);
      RelayOrderLine *b = g_ptr_array_index (lines_after, i);

      lines_changed = g_strcmp0 (a->sku, b->sku) != 0 || a->quantity != b->quantity;
    }
  if (lines_changed)
    g_ptr_array_add (changes, (gpointer) _("items"));
  if (!relay_money_equal (relay_order_get_refunded_total (before), relay_order_get_refunded_total (after)))
    g_ptr_array_add (changes, (gpointer) _("refund"));

  if (changes->len == 0)
    return NULL;

  g_ptr_array_add (changes, NULL);
  return g_strjoinv (", ", (char **) changes->pdata);
}

static RelayOrder *
load_order_locked (RelayStore  *self,
                   const char  *squarespace_id,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  g_autoptr(RelayOrder) order = NULL;

  stmt = prepare (self, error,
                  "SELECT squarespace_json, cust_po_no, cust_ref FROM orders WHERE squarespace_id = ?1",
                  "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  if (!step_row (self, stmt, &found, error))
    goto out;

  if (!found)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND,
                   _("There is no order %s in the order database"), squarespace_id);
      goto out;
    }

  order = relay_order_new_from_json_string ((const char *) sqlite3_column_text (stmt, 0), error);
  if (order != NULL)
    relay_order_set_references (order,
                                (const char *) sqlite3_column_text (stmt, 1),
                                (const char *) sqlite3_column_text (stmt, 2));

out:
  sqlite3_finalize (stmt);
  return g_steal_pointer (&order);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
relay_store_finalize (GObject *object)
{
  RelayStore *self = (RelayStore *) object;

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (relay_store_parent_class)->finalize (object);
}

static void
relay_store_class_init (RelayStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_store_finalize;

  /**
   * RelayStore::order-changed:
   * @self: the store
   * @squarespace_id: the order that changed
   *
   * Emitted after every committed change to an order (its stage, its data,
   * its shipments or its timeline).
   */
  signals[ORDER_CHANGED] =
    g_signal_new ("order-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * RelayStore::maps-changed:
   * @self: the store
   *
   * Emitted after an item alias, shipping method or carrier was set or removed.
   */
  signals[MAPS_CHANGED] =
    g_signal_new ("maps-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
relay_store_init (RelayStore *self)
{
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

const char *
relay_stage_to_string (RelayStage stage)
{
  g_return_val_if_fail (stage < RELAY_N_STAGES, NULL);
  return stage_names[stage];
}

/**
 * relay_stage_from_string:
 * @text: (nullable): a stage name, e.g. `at_tradegecko`
 * @out: (out): the stage
 *
 * Returns: %TRUE if @text names a stage
 */
gboolean
relay_stage_from_string (const char *text,
                         RelayStage *out)
{
  for (guint i = 0; text != NULL && i < RELAY_N_STAGES; i++)
    {
      if (strcmp (text, stage_names[i]) == 0)
        {
          *out = (RelayStage) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * relay_stage_is_delivered:
 * @stage: a stage
 *
 * Returns: %TRUE if a TradeGecko sales order exists for orders in @stage
 */
gboolean
relay_stage_is_delivered (RelayStage stage)
{
  return stage == RELAY_STAGE_AT_TRADEGECKO || stage == RELAY_STAGE_SHIPPED || stage == RELAY_STAGE_CONFIRMED;
}

void
relay_order_row_free (RelayOrderRow *row)
{
  if (row == NULL)
    return;

  g_free (row->squarespace_id);
  g_free (row->order_number);
  g_free (row->cust_po_no);
  g_free (row->cust_ref);
  g_free (row->stage_reason);
  g_free (row->customer_name);
  g_free (row->customer_email);
  g_free (row->tradegecko_order_number);
  g_free (row->idempotency_key);
  g_free (row->last_error);
  g_free (row->error_kind);
  g_free (row->tracking_numbers);
  g_free (row);
}

void
relay_event_free (RelayEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->squarespace_id);
  g_free (event->kind);
  g_free (event->detail);
  g_free (event);
}

void
relay_shipment_free (RelayShipment *shipment)
{
  if (shipment == NULL)
    return;

  g_free (shipment->squarespace_id);
  g_free (shipment->status);
  g_free (shipment->carrier);
  g_free (shipment->service);
  g_free (shipment->tracking_number);
  g_free (shipment->tracking_url);
  g_free (shipment->lines_summary);
  g_free (shipment);
}

/**
 * relay_store_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/order-relay/state.db`
 */
char *
relay_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "order-relay", "state.db", NULL);
}

/* The schema version of the file, -1 on failure. */
static int
read_schema_version (RelayStore  *self,
                     GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, error, "SELECT COALESCE (MAX (version), 0) FROM schema_version", NULL);
  gboolean found = FALSE;
  int version;

  if (stmt == NULL)
    return -1;
  if (!step_row (self, stmt, &found, error))
    {
      sqlite3_finalize (stmt);
      return -1;
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (RelayStore  *self,
         int          target,
         GError     **error)
{
  int version = 0;

  if (!exec_sql (self,
                 "CREATE TABLE IF NOT EXISTS schema_version ("
                 "  version INTEGER PRIMARY KEY NOT NULL,"
                 "  applied_at INTEGER NOT NULL)",
                 error))
    return FALSE;

  version = read_schema_version (self, error);
  if (version < 0)
    return FALSE;

  if (version > RELAY_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("The order database %s was written by a newer Order Relay (schema %d, this one knows %d). "
                     "Update Order Relay to open it."),
                   self->path, version, RELAY_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < target)
    {
      if (!begin (self, error))
        return FALSE;

      /* Another process (the window and a cron sync starting together) may
       * have migrated meanwhile: under the write lock, read again. */
      version = read_schema_version (self, error);
      if (version < 0)
        {
          rollback (self);
          return FALSE;
        }
      if (version >= target)
        {
          rollback (self);
          break;
        }

      if (!migrations[version] (self, error) ||
          !run (self, error, "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
                "ix", version + 1, now_ms ()) ||
          !commit (self, error))
        {
          rollback (self);
          return FALSE;
        }
      g_debug ("Order database %s migrated to schema %d", self->path, version + 1);
      version++;
    }

  self->schema_version = version;
  return TRUE;
}

/* Orders hold customers' names and addresses: the folder is 0700 and the
 * database 0600 whatever was there before (an older version, a copied file, a
 * wide umask). SQLite gives its -wal and -shm files the database's mode, but
 * ones left from before keep theirs, so they are tightened too. */
static gboolean
make_private (const char  *folder,
              const char  *path,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  int fd;

  if (g_chmod (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Cannot make the folder %s private: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Cannot open the order database %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_chmod (file, 0600) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                       _("Cannot make %s private: %s"), file, g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

/* Opens the file and migrates it up to @target (at most
 * RELAY_STORE_SCHEMA_VERSION; lower only for the migration tests). */
static RelayStore *
open_at_version (const char  *path,
                 int          target,
                 GError     **error)
{
  g_autoptr(RelayStore) self = NULL;
  g_autofree char *folder = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  gboolean is_wal = FALSE;

  g_assert (path != NULL);
  g_assert (target >= 1 && target <= RELAY_STORE_SCHEMA_VERSION);

  self = g_object_new (RELAY_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Cannot create the folder %s for the order database: %s"),
                   folder, g_strerror (saved_errno));
      return NULL;
    }

  if (!make_private (folder, path, error))
    return NULL;

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* journal_mode answers with a row; the first read also tells a file that
   * is not a database apart. */
  stmt = prepare (self, NULL, "PRAGMA journal_mode = WAL", NULL);
  if (stmt != NULL && step_row (self, stmt, &found, NULL) && found)
    is_wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  if (!is_wal)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("%s is not an Order Relay database, or it cannot be written: %s"),
                   path, sqlite3_errmsg (self->db));
      return NULL;
    }

  if (!exec_sql (self,
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA synchronous = FULL;",
                 error))
    return NULL;

  if (!migrate (self, target, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * relay_store_open:
 * @path: the database file; created with its folder when missing
 * @error: return location for a #GError
 *
 * Opens (and creates or migrates) the state file.
 *
 * Returns: (transfer full): the store, or %NULL with %RELAY_ERROR_STATE
 */
RelayStore *
relay_store_open (const char  *path,
                  GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_at_version (path, RELAY_STORE_SCHEMA_VERSION, error);
}

const char *
relay_store_get_path (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return self->path;
}

/**
 * relay_store_get_schema_version:
 * @self: a #RelayStore
 *
 * Returns: the schema version of the open file (always %RELAY_STORE_SCHEMA_VERSION
 *   once opened)
 */
int
relay_store_get_schema_version (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), 0);
  return self->schema_version;
}

static char *
stored_fulfillment_status (RelayStore *self,
                           const char *squarespace_id)
{
  sqlite3_stmt *stmt = prepare (self, NULL, "SELECT fulfillment_status FROM orders WHERE squarespace_id = ?1",
                                "s", squarespace_id);
  gboolean found = FALSE;
  char *status = NULL;

  if (stmt == NULL)
    return NULL;
  if (step_row (self, stmt, &found, NULL) && found)
    status = column_dup_text (stmt, 0);
  sqlite3_finalize (stmt);
  return status;
}

/**
 * relay_store_upsert_order:
 * @self: a #RelayStore
 * @order: an order as pulled from Squarespace
 * @skip_reason: (nullable): when set, a new order is stored as `skipped` with this reason
 * @out_result: (out) (optional): what happened
 * @error: return location for a #GError
 *
 * Stores a pulled order. A new order becomes `new` (or `skipped` with
 * @skip_reason, `skipped` when it is already fulfilled, `canceled` when it
 * is canceled). A known order takes the newer data only while it has not been
 * delivered: cancellation, address and e-mail edits are applied; after
 * delivery the change is only noted in the timeline and the stage never
 * moves backwards. Data not newer than the stored modifiedOn is ignored.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_upsert_order (RelayStore         *self,
                          RelayOrder         *order,
                          const char         *skip_reason,
                          RelayUpsertResult  *out_result,
                          GError            **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *json = NULL;
  g_autofree char *detail = NULL;
  const char *id;
  const char *kind = NULL;
  RelayUpsertResult result;
  gboolean failed = FALSE;
  gint64 modified_on;
  gint64 now = now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (RELAY_IS_ORDER (order), FALSE);

  id = relay_order_get_squarespace_id (order);
  modified_on = datetime_to_ms (relay_order_get_modified_on (order));
  json = relay_order_dup_json (order);

  if (!begin (self, error))
    return FALSE;

  row = find_order_where (self, "squarespace_id = ?1", "s", id, 0, &failed, error);
  if (failed)
    goto fail;

  if (row == NULL)
    {
      RelayStage stage = RELAY_STAGE_NEW;
      const char *reason = NULL;

      if (relay_order_is_canceled (order))
        {
          stage = RELAY_STAGE_CANCELED;
          reason = _("Canceled in Squarespace");
        }
      else if (skip_reason != NULL)
        {
          stage = RELAY_STAGE_SKIPPED;
          reason = skip_reason;
        }
      else if (relay_order_is_fulfilled (order))
        {
          stage = RELAY_STAGE_SKIPPED;
          reason = _("Already fulfilled in Squarespace");
        }

      if (!run (self, error,
                "INSERT INTO orders (squarespace_id, order_number, cust_po_no, cust_ref, stage, stage_reason, "
                "customer_name, customer_email, created_on, modified_on, fulfillment_status, item_count, "
                "grand_total_minor, currency, testmode, squarespace_json, pulled_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
                "ssssssssxxsxxsisx",
                id, relay_order_get_order_number (order),
                relay_order_get_cust_po_no (order), relay_order_get_cust_ref (order),
                relay_stage_to_string (stage), reason,
                relay_order_get_customer_name (order), relay_order_get_customer_email (order),
                datetime_to_ms (relay_order_get_created_on (order)), modified_on,
                relay_order_get_fulfillment_status (order),
                (gint64) relay_order_get_item_count (order),
                relay_order_get_grand_total (order)->minor, relay_order_get_currency (order),
                relay_order_get_testmode (order) ? 1 : 0, json, now))
        goto fail;
      step_done (self, "upsert:order");

      if (!insert_lines (self, order, error))
        goto fail;
      step_done (self, "upsert:lines");

      kind = "pulled";
      detail = reason != NULL
        ? g_strdup_printf (_("Pulled from Squarespace; %s: %s"), relay_stage_to_string (stage), reason)
        : g_strdup (_("Pulled from Squarespace"));
      result = RELAY_UPSERT_INSERTED;
    }
  else if (modified_on <= row->modified_on)
    {
      rollback (self);
      if (out_result != NULL)
        *out_result = RELAY_UPSERT_UNCHANGED;
      return TRUE;
    }
  else if (relay_stage_is_delivered (row->stage) || row->in_flight != RELAY_IN_FLIGHT_NONE ||
           row->tradegecko_order_id != 0)
    {
      g_autoptr(RelayOrder) before = load_order_locked (self, id, NULL);
      g_autofree char *changes = describe_changes (before, order);

      /* The TradeGecko order was made from the stored data: keep it, and
       * only remember that Squarespace moved on. */
      g_autofree char *was = stored_fulfillment_status (self, id);
      gboolean newly_canceled = relay_order_is_canceled (order) && g_strcmp0 (was, "CANCELED") != 0;

      /* The fulfillment status is kept up to date (the stored JSON is not), so
       * a cancellation is seen once and remembered until it is settled. */
      if (!run (self, error,
                "UPDATE orders SET modified_on = ?2, updated_at = ?3, fulfillment_status = ?4, "
                "cancel_pending = CASE WHEN ?5 THEN 1 ELSE cancel_pending END WHERE squarespace_id = ?1",
                "sxxsx", id, modified_on, now, relay_order_get_fulfillment_status (order),
                (gint64) (newly_canceled ? 1 : 0)))
        goto fail;
      step_done (self, "upsert:order");

      result = RELAY_UPSERT_UPDATED;
      if (newly_canceled)
        {
          kind = "canceled-after-delivery";
          detail = g_strdup_printf (_("Canceled in Squarespace after delivery (TradeGecko order %s)"),
                                    row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?");
          result = RELAY_UPSERT_CANCELED_AFTER_DELIVERY;
        }
      else if (changes != NULL && !relay_order_is_fulfilled (order))
        {
          kind = "changed-after-delivery";
          detail = g_strdup_printf (_("Changed in Squarespace after delivery (%s); TradeGecko order %s was not changed"),
                                    changes,
                                    row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?");
          result = RELAY_UPSERT_CHANGED_AFTER_DELIVERY;
        }
    }
  else
    {
      g_autoptr(RelayOrder) before = load_order_locked (self, id, NULL);
      g_autofree char *changes = describe_changes (before, order);
      RelayStage stage = row->stage;
      const char *reason = row->stage_reason;

      result = RELAY_UPSERT_UPDATED;
      if (relay_order_is_canceled (order))
        {
          if (stage != RELAY_STAGE_CANCELED)
            {
              stage = RELAY_STAGE_CANCELED;
              reason = _("Canceled in Squarespace");
              kind = "canceled";
              detail = g_strdup (reason);
              result = RELAY_UPSERT_CANCELED;
            }
        }
      else if (stage == RELAY_STAGE_CANCELED)
        {
          stage = RELAY_STAGE_NEW;
          reason = NULL;
          kind = "reopened";
          detail = g_strdup (_("No longer canceled in Squarespace"));
        }
      else if (relay_order_is_fulfilled (order) &&
               (stage == RELAY_STAGE_NEW || stage == RELAY_STAGE_REJECTED))
        {
          stage = RELAY_STAGE_SKIPPED;
          reason = _("Fulfilled in Squarespace before it was delivered");
          kind = "skipped";
          detail = g_strdup (reason);
        }

      if (kind == NULL && changes != NULL)
        {
          kind = "updated";
          detail = g_strdup_printf (_("Updated from Squarespace: %s"), changes);
        }

      if (!run (self, error,
                "UPDATE orders SET order_number = ?2, stage = ?3, stage_reason = ?4, customer_name = ?5, "
                "customer_email = ?6, modified_on = ?7, fulfillment_status = ?8, item_count = ?9, "
                "grand_total_minor = ?10, currency = ?11, testmode = ?12, squarespace_json = ?13, "
                "updated_at = ?14 WHERE squarespace_id = ?1",
                "ssssssxsxxsisx",
                id, relay_order_get_order_number (order), relay_stage_to_string (stage), reason,
                relay_order_get_customer_name (order), relay_order_get_customer_email (order),
                modified_on, relay_order_get_fulfillment_status (order),
                (gint64) relay_order_get_item_count (order),
                relay_order_get_grand_total (order)->minor, relay_order_get_currency (order),
                relay_order_get_testmode (order) ? 1 : 0, json, now))
        goto fail;
      step_done (self, "upsert:order");

      if (!insert_lines (self, order, error))
        goto fail;
      step_done (self, "upsert:lines");
    }

  if (out_result != NULL)
    *out_result = result;

  if (kind == NULL)
    {
      if (!commit (self, error))
        goto fail;
      emit_order_changed (self, id);
      return TRUE;
    }

  return finish_transition (self, id, kind, detail, error);

fail:
  rollback (self);
  return FALSE;
}

/**
 * relay_store_load_order:
 * @self: a #RelayStore
 * @squarespace_id: an order id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stored order with its references, or %NULL
 *   with %RELAY_ERROR_NOT_FOUND
 */
RelayOrder *
relay_store_load_order (RelayStore  *self,
                        const char  *squarespace_id,
                        GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  return load_order_locked (self, squarespace_id, error);
}

/**
 * relay_store_dup_cust_ref_owner:
 * @self: a #RelayStore
 * @cust_ref: a short reference
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the id of the order using @cust_ref, or
 *   %NULL (without error) when it is free
 */
char *
relay_store_dup_cust_ref_owner (RelayStore  *self,
                                const char  *cust_ref,
                                GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  gboolean failed;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (cust_ref != NULL, NULL);

  row = find_order_where (self, "cust_ref = ?1", "s", cust_ref, 0, &failed, error);
  return row != NULL ? g_strdup (row->squarespace_id) : NULL;
}

/**
 * relay_store_set_references:
 * @self: a #RelayStore
 * @squarespace_id: an order id
 * @cust_po_no: the full reference
 * @cust_ref: the short unique reference
 * @error: return location for a #GError
 *
 * Records the references the order will carry in TradeGecko. They cannot
 * change once the order was delivered, and @cust_ref must be unused.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_set_references (RelayStore  *self,
                            const char  *squarespace_id,
                            const char  *cust_po_no,
                            const char  *cust_ref,
                            GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && cust_po_no != NULL && cust_ref != NULL, FALSE);

  row = begin_transition (self, squarespace_id,
                          STAGE_BIT (RELAY_STAGE_NEW) | STAGE_BIT (RELAY_STAGE_REJECTED) |
                          STAGE_BIT (RELAY_STAGE_SKIPPED) | STAGE_BIT (RELAY_STAGE_CANCELED),
                          _("given new references"), error);
  if (row == NULL)
    return FALSE;

  if (g_strcmp0 (row->cust_ref, cust_ref) == 0 && g_strcmp0 (row->cust_po_no, cust_po_no) == 0)
    {
      rollback (self);
      return TRUE;
    }

  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s is being delivered; its references cannot change"), row->order_number);
      goto fail;
    }

  owner = relay_store_dup_cust_ref_owner (self, cust_ref, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (owner != NULL && g_strcmp0 (owner, squarespace_id) != 0)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("The reference %s is already used by another order"), cust_ref);
      goto fail;
    }

  if (!run (self, error,
            "UPDATE orders SET cust_po_no = ?2, cust_ref = ?3, updated_at = ?4 WHERE squarespace_id = ?1",
            "sssx", squarespace_id, cust_po_no, cust_ref, now_ms ()))
    goto fail;
  step_done (self, "set_references:order");

  detail = g_strdup_printf (_("References %s / %s"), cust_ref, cust_po_no);
  return finish_transition (self, squarespace_id, "references", detail, error);

fail:
  rollback (self);
  return FALSE;
}

static void
set_claimed_error (const RelayOrderRow  *row,
                   GError              **error)
{
  if (row->claim_pid > 0 && row->claim_pid != getpid ())
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                 _("Order %s is being sent by another Order Relay (process %" G_GINT64_FORMAT ")"),
                 row->order_number, row->claim_pid);
  else
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                 _("Order %s has a call under way whose outcome is not known yet; it is checked at the next sync"),
                 row->order_number);
}

/**
 * relay_store_begin_delivery:
 * @self: a #RelayStore
 * @squarespace_id: a `new` order
 * @idempotency_key: the key the POST will carry
 * @error: return location for a #GError
 *
 * Marks the order in flight before the TradeGecko POST. Calling it again
 * with the same key (a retry after a crash) succeeds and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_begin_delivery (RelayStore  *self,
                            const char  *squarespace_id,
                            const char  *idempotency_key,
                            GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && idempotency_key != NULL, FALSE);

  row = begin_transition (self, squarespace_id, STAGE_BIT (RELAY_STAGE_NEW), _("delivered"), error);
  if (row == NULL)
    return FALSE;

  if (row->in_flight == RELAY_IN_FLIGHT_DELIVER && g_strcmp0 (row->idempotency_key, idempotency_key) == 0)
    {
      rollback (self);
      return TRUE;
    }

  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      set_claimed_error (row, error);
      rollback (self);
      return FALSE;
    }

  if (!run (self, error,
            "UPDATE orders SET in_flight = 'deliver', idempotency_key = ?2, updated_at = ?3, "
            "claim_pid = ?4, claimed_at = ?3 WHERE squarespace_id = ?1",
            "ssxx", squarespace_id, idempotency_key, now_ms (), (gint64) getpid ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "begin_delivery:order");

  return finish_transition (self, squarespace_id, "delivering", _("Sending to TradeGecko"), error);
}

/**
 * relay_store_finish_delivery:
 * @self: a #RelayStore
 * @squarespace_id: an order being delivered
 * @tradegecko_order_id: the id of the sales order TradeGecko created (or found)
 * @tradegecko_order_number: (nullable): its order number
 * @resolved_lines: (nullable) (element-type RelayResolvedLine): what each line became
 * @error: return location for a #GError
 *
 * Records the delivered order: stage `at_tradegecko`, in-flight marker and
 * error cleared.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_finish_delivery (RelayStore  *self,
                             const char  *squarespace_id,
                             gint64       tradegecko_order_id,
                             const char  *tradegecko_order_number,
                             GPtrArray   *resolved_lines,
                             GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);
  g_return_val_if_fail (tradegecko_order_id > 0, FALSE);

  row = begin_transition (self, squarespace_id, STAGE_BIT (RELAY_STAGE_NEW), _("marked delivered"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error,
            "UPDATE orders SET stage = 'at_tradegecko', stage_reason = NULL, tradegecko_order_id = ?2, "
            "tradegecko_order_number = ?3, in_flight = NULL, last_error = NULL, error_kind = NULL, "
            "retry_count = 0, updated_at = ?4 WHERE squarespace_id = ?1",
            "sxsx", squarespace_id, tradegecko_order_id, tradegecko_order_number, now_ms ()))
    goto fail;
  step_done (self, "finish_delivery:order");

  for (guint i = 0; resolved_lines != NULL && i < resolved_lines->len; i++)
    {
      RelayResolvedLine *line = g_ptr_array_index (resolved_lines, i);

      if (!run (self, error,
                "UPDATE order_lines SET tradegecko_sku = ?3, tradegecko_variant_id = ?4 "
                "WHERE squarespace_id = ?1 AND line_id = ?2",
                "sssX", squarespace_id, line->line_id, line->tradegecko_sku, line->variant_id))
        goto fail;
    }
  step_done (self, "finish_delivery:lines");

  detail = g_strdup_printf (_("Delivered to TradeGecko as %s"),
                            tradegecko_order_number != NULL ? tradegecko_order_number : "?");
  return finish_transition (self, squarespace_id, "delivered", detail, error);

fail:
  rollback (self);
  return FALSE;
}

/**
 * relay_store_clear_in_flight:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @detail: (nullable): why, for the timeline (e.g. "not found in TradeGecko")
 * @error: return location for a #GError
 *
 * Clears the in-flight marker once reconciliation showed the remote call did
 * not happen. The stage does not change.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_clear_in_flight (RelayStore  *self,
                             const char  *squarespace_id,
                             const char  *detail,
                             GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id, ~0u, _("changed"), error);
  if (row == NULL)
    return FALSE;

  if (row->in_flight == RELAY_IN_FLIGHT_NONE)
    {
      rollback (self);
      return TRUE;
    }

  if (!run (self, error, "UPDATE orders SET in_flight = NULL, updated_at = ?2 WHERE squarespace_id = ?1",
            "sx", squarespace_id, now_ms ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "clear_in_flight:order");

  return finish_transition (self, squarespace_id, "reconciled",
                            detail != NULL ? detail : _("The interrupted call did not happen"), error);
}

/**
 * relay_store_reject:
 * @self: a #RelayStore
 * @squarespace_id: an order not yet delivered
 * @reason: what the merchant must fix, e.g. "Unknown SKU MUG-RED"
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_reject (RelayStore  *self,
                    const char  *squarespace_id,
                    const char  *reason,
                    GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && reason != NULL, FALSE);

  row = begin_transition (self, squarespace_id,
                          STAGE_BIT (RELAY_STAGE_NEW) | STAGE_BIT (RELAY_STAGE_REJECTED),
                          _("rejected"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error,
            "UPDATE orders SET stage = 'rejected', stage_reason = ?2, in_flight = NULL, updated_at = ?3 "
            "WHERE squarespace_id = ?1",
            "ssx", squarespace_id, reason, now_ms ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "reject:order");

  return finish_transition (self, squarespace_id, "rejected", reason, error);
}

static const char *
error_kind (const GError *failure)
{
  static const char *kinds[] = {
    "network", "unauthorized", "forbidden", "site-expired", "not-found", "invalid-request",
    "rate-limited", "server", "malformed-response", "not-connected", "insecure-url", "state",
    "rejected", "keyring", "conflict",
  };

  if (failure->domain == RELAY_ERROR && failure->code >= 0 && (guint) failure->code < G_N_ELEMENTS (kinds))
    return kinds[failure->code];
  return g_quark_to_string (failure->domain);
}

/**
 * relay_store_record_error:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @failure: what went wrong
 * @error: return location for a #GError
 *
 * Records a failed attempt: the stage and any in-flight marker stay (an
 * interrupted call must be reconciled), the error is shown, the retry count
 * goes up.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_record_error (RelayStore    *self,
                          const char    *squarespace_id,
                          const GError  *failure,
                          GError       **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && failure != NULL, FALSE);

  row = begin_transition (self, squarespace_id, ~0u, _("changed"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error,
            "UPDATE orders SET last_error = ?2, error_kind = ?3, retry_count = retry_count + 1, "
            "updated_at = ?4 WHERE squarespace_id = ?1",
            "sssx", squarespace_id, failure->message, error_kind (failure), now_ms ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "record_error:order");

  return finish_transition (self, squarespace_id, "error", failure->message, error);
}

/**
 * relay_store_requeue:
 * @self: a #RelayStore
 * @squarespace_id: a `rejected` or `skipped` order
 * @error: return location for a #GError
 *
 * Sends the order back to `new` (after the merchant fixed the reason), with
 * its error and retry count cleared.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_requeue (RelayStore  *self,
                     const char  *squarespace_id,
                     GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id,
                          STAGE_BIT (RELAY_STAGE_REJECTED) | STAGE_BIT (RELAY_STAGE_SKIPPED),
                          _("retried"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error,
            "UPDATE orders SET stage = 'new', stage_reason = NULL, last_error = NULL, error_kind = NULL, "
            "retry_count = 0, updated_at = ?2 WHERE squarespace_id = ?1",
            "sx", squarespace_id, now_ms ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "requeue:order");

  return finish_transition (self, squarespace_id, "requeued", _("Queued again for delivery"), error);
}

static gboolean
leave_pipeline (RelayStore  *self,
                const char  *squarespace_id,
                RelayStage   stage,
                const char  *action,
                const char  *reason,
                GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  row = begin_transition (self, squarespace_id,
                          STAGE_BIT (RELAY_STAGE_NEW) | STAGE_BIT (RELAY_STAGE_REJECTED) |
                          STAGE_BIT (RELAY_STAGE_SKIPPED) | STAGE_BIT (RELAY_STAGE_CANCELED),
                          action, error);
  if (row == NULL)
    return FALSE;

  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s is being delivered; wait until that is settled"), row->order_number);
      rollback (self);
      return FALSE;
    }

  if (!set_stage (self, squarespace_id, stage, reason, error))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "leave:order");

  return finish_transition (self, squarespace_id, relay_stage_to_string (stage), reason, error);
}

/**
 * relay_store_skip:
 * @self: a #RelayStore
 * @squarespace_id: an order not yet delivered
 * @reason: why, e.g. "Test order"
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_skip (RelayStore  *self,
                  const char  *squarespace_id,
                  const char  *reason,
                  GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && reason != NULL, FALSE);

  return leave_pipeline (self, squarespace_id, RELAY_STAGE_SKIPPED, _("skipped"), reason, error);
}

/**
 * relay_store_cancel:
 * @self: a #RelayStore
 * @squarespace_id: an order not yet delivered
 * @reason: why
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_cancel (RelayStore  *self,
                    const char  *squarespace_id,
                    const char  *reason,
                    GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && reason != NULL, FALSE);

  return leave_pipeline (self, squarespace_id, RELAY_STAGE_CANCELED, _("canceled"), reason, error);
}

/**
 * relay_store_mark_shipped:
 * @self: a #RelayStore
 * @squarespace_id: an order at TradeGecko
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_mark_shipped (RelayStore  *self,
                          const char  *squarespace_id,
                          GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id, STAGE_BIT (RELAY_STAGE_AT_TRADEGECKO),
                          _("marked shipped"), error);
  if (row == NULL)
    return FALSE;

  if (!set_stage (self, squarespace_id, RELAY_STAGE_SHIPPED, NULL, error))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "mark_shipped:order");

  return finish_transition (self, squarespace_id, "shipped", _("Shipped from TradeGecko"), error);
}

/**
 * relay_store_begin_post_tracking:
 * @self: a #RelayStore
 * @squarespace_id: an order at TradeGecko or shipped
 * @error: return location for a #GError
 *
 * Marks the order in flight before the Squarespace fulfillment POST, which
 * has no idempotency key: an order found in this state must be re-read from
 * Squarespace before posting again.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_begin_post_tracking (RelayStore  *self,
                                 const char  *squarespace_id,
                                 GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id,
                          STAGE_BIT (RELAY_STAGE_AT_TRADEGECKO) | STAGE_BIT (RELAY_STAGE_SHIPPED),
                          _("have its tracking posted"), error);
  if (row == NULL)
    return FALSE;

  /* A claim is exclusive: the post may already be under way elsewhere. */
  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      set_claimed_error (row, error);
      rollback (self);
      return FALSE;
    }

  if (!run (self, error,
            "UPDATE orders SET in_flight = 'post_tracking', updated_at = ?2, claim_pid = ?3, claimed_at = ?2 "
            "WHERE squarespace_id = ?1",
            "sxx", squarespace_id, now_ms (), (gint64) getpid ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "begin_post_tracking:order");

  return finish_transition (self, squarespace_id, "posting-tracking", _("Sending tracking to Squarespace"), error);
}

/**
 * relay_store_mark_shipments_posted:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @fulfillment_ids: (array length=n_fulfillment_ids): the shipments now on Squarespace
 * @n_fulfillment_ids: how many
 * @error: return location for a #GError
 *
 * Records posted shipments and clears the in-flight marker. The stage is
 * unchanged: relay_store_mark_confirmed() ends the order.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_mark_shipments_posted (RelayStore    *self,
                                   const char    *squarespace_id,
                                   const gint64  *fulfillment_ids,
                                   guint          n_fulfillment_ids,
                                   GError       **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  gint64 now = now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);
  g_return_val_if_fail (fulfillment_ids != NULL || n_fulfillment_ids == 0, FALSE);

  row = begin_transition (self, squarespace_id,
                          STAGE_BIT (RELAY_STAGE_AT_TRADEGECKO) | STAGE_BIT (RELAY_STAGE_SHIPPED) |
                          STAGE_BIT (RELAY_STAGE_CONFIRMED),
                          _("have its tracking posted"), error);
  if (row == NULL)
    return FALSE;

  for (guint i = 0; i < n_fulfillment_ids; i++)
    {
      sqlite3_stmt *stmt;
      gboolean found = FALSE;
      g_autofree char *tracking = NULL;

      stmt = prepare (self, error,
                      "UPDATE shipments SET posted_to_squarespace_at = COALESCE (posted_to_squarespace_at, ?3), "
                      "updated_at = ?3 WHERE fulfillment_id = ?2 AND squarespace_id = ?1 RETURNING tracking_number",
                      "sxx", squarespace_id, fulfillment_ids[i], now);
      if (stmt == NULL || !step_row (self, stmt, &found, error))
        {
          if (stmt != NULL)
            sqlite3_finalize (stmt);
          goto fail;
        }
      if (found)
        tracking = column_dup_text (stmt, 0);
      sqlite3_finalize (stmt);

      if (!found)
        {
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                       _("Order %s has no shipment %" G_GINT64_FORMAT),
                       row->order_number, fulfillment_ids[i]);
          goto fail;
        }
      g_string_append_printf (detail, "%s%s", detail->len > 0 ? ", " : "", tracking != NULL ? tracking : "?");
    }
  step_done (self, "mark_shipments_posted:shipments");

  if (!run (self, error,
            "UPDATE orders SET in_flight = NULL, last_error = NULL, error_kind = NULL, retry_count = 0, "
            "updated_at = ?2 WHERE squarespace_id = ?1",
            "sx", squarespace_id, now))
    goto fail;
  step_done (self, "mark_shipments_posted:order");

  g_string_prepend (detail, _("Tracking posted to Squarespace: "));
  return finish_transition (self, squarespace_id, "tracking-posted", detail->str, error);

fail:
  rollback (self);
  return FALSE;
}

/**
 * relay_store_mark_confirmed:
 * @self: a #RelayStore
 * @squarespace_id: a shipped order whose tracking is on Squarespace
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_mark_confirmed (RelayStore  *self,
                            const char  *squarespace_id,
                            GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id, STAGE_BIT (RELAY_STAGE_SHIPPED), _("confirmed"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error,
            "UPDATE orders SET stage = 'confirmed', stage_reason = NULL, in_flight = NULL, updated_at = ?2 "
            "WHERE squarespace_id = ?1",
            "sx", squarespace_id, now_ms ()))
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "mark_confirmed:order");

  return finish_transition (self, squarespace_id, "confirmed", _("Tracking confirmed in Squarespace"), error);
}

/**
 * relay_store_settle_cancel:
 * @self: a #RelayStore
 * @squarespace_id: an order with `cancel_pending`
 * @voided: %TRUE when the TradeGecko order is void (the order becomes `canceled`);
 *   %FALSE when the merchant must act (the order keeps its stage and needs attention)
 * @detail: what happened, for the timeline (and the error shown when not @voided)
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_settle_cancel (RelayStore  *self,
                           const char  *squarespace_id,
                           gboolean     voided,
                           const char  *detail,
                           GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  gboolean done;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && detail != NULL, FALSE);

  row = begin_transition (self, squarespace_id, ~0u, _("changed"), error);
  if (row == NULL)
    return FALSE;

  if (voided)
    done = run (self, error,
                "UPDATE orders SET cancel_pending = 0, stage = 'canceled', stage_reason = ?2, last_error = NULL, "
                "error_kind = NULL, updated_at = ?3 WHERE squarespace_id = ?1",
                "ssx", squarespace_id, detail, now_ms ());
  else
    done = run (self, error,
                "UPDATE orders SET cancel_pending = 0, last_error = ?2, error_kind = 'canceled-after-delivery', "
                "updated_at = ?3 WHERE squarespace_id = ?1",
                "ssx", squarespace_id, detail, now_ms ());
  if (!done)
    {
      rollback (self);
      return FALSE;
    }
  step_done (self, "settle_cancel:order");

  return finish_transition (self, squarespace_id, voided ? "voided" : "needs-attention", detail, error);
}

/**
 * relay_store_add_event:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @kind: a short machine-readable kind, e.g. `note`
 * @detail: (nullable): text for the merchant
 * @error: return location for a #GError
 *
 * Appends to the order's timeline without changing its state.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_add_event (RelayStore  *self,
                       const char  *squarespace_id,
                       const char  *kind,
                       const char  *detail,
                       GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && kind != NULL, FALSE);

  row = begin_transition (self, squarespace_id, ~0u, _("changed"), error);
  if (row == NULL)
    return FALSE;

  return finish_transition (self, squarespace_id, kind, detail, error);
}

/**
 * relay_store_upsert_shipment:
 * @self: a #RelayStore
 * @shipment: a TradeGecko fulfillment; @squarespace_id and @posted_at are ignored
 * @out_changed: (out) (optional): whether anything was new
 * @error: return location for a #GError
 *
 * Stores or updates a shipment of a delivered order, found by its
 * TradeGecko order id. Never clears the "posted" time.
 *
 * Returns: %TRUE on success; %RELAY_ERROR_NOT_FOUND when no delivered order
 *   has that TradeGecko id
 */
gboolean
relay_store_upsert_shipment (RelayStore           *self,
                             const RelayShipment  *shipment,
                             gboolean             *out_changed,
                             GError              **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayShipment) old = NULL;
  g_autofree char *detail = NULL;
  gboolean failed;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (shipment != NULL && shipment->fulfillment_id > 0, FALSE);

  if (out_changed != NULL)
    *out_changed = FALSE;

  if (!begin (self, error))
    return FALSE;

  row = find_order_where (self, "tradegecko_order_id = ?1", "x", NULL, shipment->tradegecko_order_id,
                          &failed, error);
  if (failed)
    goto fail;
  if (row == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND,
                   _("No order was delivered as TradeGecko order %" G_GINT64_FORMAT),
                   shipment->tradegecko_order_id);
      goto fail;
    }

  stmt = prepare (self, error,
                  "SELECT status, carrier, service, tracking_number, tracking_url, shipped_at, lines_summary "
                  "FROM shipments WHERE fulfillment_id = ?1",
                  "x", shipment->fulfillment_id);
  if (stmt == NULL || !step_row (self, stmt, &found, error))
    {
      if (stmt != NULL)
        sqlite3_finalize (stmt);
      goto fail;
    }
  if (found)
    {
      old = g_new0 (RelayShipment, 1);
      old->status = column_dup_text (stmt, 0);
      old->carrier = column_dup_text (stmt, 1);
      old->service = column_dup_text (stmt, 2);
      old->tracking_number = column_dup_text (stmt, 3);
      old->tracking_url = column_dup_text (stmt, 4);
      old->shipped_at = sqlite3_column_int64 (stmt, 5);
      old->lines_summary = column_dup_text (stmt, 6);
    }
  sqlite3_finalize (stmt);

  if (old != NULL &&
      g_strcmp0 (old->status, shipment->status) == 0 &&
      g_strcmp0 (old->carrier, shipment->carrier) == 0 &&
      g_strcmp0 (old->service, shipment->service) == 0 &&
      g_strcmp0 (old->tracking_number, shipment->tracking_number) == 0 &&
      g_strcmp0 (old->tracking_url, shipment->tracking_url) == 0 &&
      old->shipped_at == shipment->shipped_at &&
      g_strcmp0 (old->lines_summary, shipment->lines_summary) == 0)
    {
      rollback (self);
      return TRUE;
    }

  if (!run (self, error,
            "INSERT INTO shipments (fulfillment_id, squarespace_id, tradegecko_order_id, status, carrier, "
            "service, tracking_number, tracking_url, shipped_at, lines_summary, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
            "ON CONFLICT (fulfillment_id) DO UPDATE SET status = excluded.status, carrier = excluded.carrier, "
            "service = excluded.service, tracking_number = excluded.tracking_number, "
            "tracking_url = excluded.tracking_url, shipped_at = excluded.shipped_at, "
            "lines_summary = excluded.lines_summary, updated_at = excluded.updated_at",
            "xsxsssssXsx",
            shipment->fulfillment_id, row->squarespace_id, shipment->tradegecko_order_id,
            shipment->status, shipment->carrier, shipment->service, shipment->tracking_number,
            shipment->tracking_url, shipment->shipped_at, shipment->lines_summary, now_ms ()))
    goto fail;
  step_done (self, "upsert_shipment:shipment");

  if (out_changed != NULL)
    *out_changed = TRUE;

  detail = g_strdup_printf (_("Shipment %s in TradeGecko: %s %s %s"),
                            old == NULL ? _("read") : _("changed"),
                            shipment->status != NULL ? shipment->status : "",
                            shipment->carrier != NULL ? shipment->carrier : "",
                            shipment->tracking_number != NULL ? shipment->tracking_number : _("(no tracking number)"));
  return finish_transition (self, row->squarespace_id, "shipment", detail, error);

fail:
  rollback (self);
  return FALSE;
}

/**
 * relay_store_dup_shipments:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayShipment): the order's shipments,
 *   oldest fulfillment first
 */
GPtrArray *
relay_store_dup_shipments (RelayStore  *self,
                           const char  *squarespace_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) shipments = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_shipment_free);
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  stmt = prepare (self, error,
                  "SELECT fulfillment_id, squarespace_id, tradegecko_order_id, status, carrier, service, "
                  "tracking_number, tracking_url, shipped_at, lines_summary, posted_to_squarespace_at "
                  "FROM shipments WHERE squarespace_id = ?1 ORDER BY fulfillment_id",
                  "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      RelayShipment *shipment;

      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (!found)
        break;

      shipment = g_new0 (RelayShipment, 1);
      shipment->fulfillment_id = sqlite3_column_int64 (stmt, 0);
      shipment->squarespace_id = column_dup_text (stmt, 1);
      shipment->tradegecko_order_id = sqlite3_column_int64 (stmt, 2);
      shipment->status = column_dup_text (stmt, 3);
      shipment->carrier = column_dup_text (stmt, 4);
      shipment->service = column_dup_text (stmt, 5);
      shipment->tracking_number = column_dup_text (stmt, 6);
      shipment->tracking_url = column_dup_text (stmt, 7);
      shipment->shipped_at = sqlite3_column_int64 (stmt, 8);
      shipment->lines_summary = column_dup_text (stmt, 9);
      shipment->posted_at = sqlite3_column_int64 (stmt, 10);
      g_ptr_array_add (shipments, shipment);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&shipments);
}

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

  return find_order_where (self, "squarespace_id = ?1", "s", squarespace_id, 0, &failed, error);
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

  return find_order_where (self, "order_number = ?1", "s", order_number, 0, &failed, error);
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

  return find_order_where (self, "tradegecko_order_id = ?1", "x", NULL, tradegecko_order_id, &failed, error);
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

  return collect_order_rows (self,
                             prepare (self, error,
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

  return collect_order_rows (self,
                             prepare (self, error,
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

  return collect_order_rows (self,
                             prepare (self, error,
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

  return collect_order_rows (self,
                             prepare (self, error,
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

  return collect_order_rows (self,
                             prepare (self, error,
                                      "SELECT " ORDER_COLUMNS " FROM orders WHERE stage = 'shipped' AND in_flight IS NULL "
                                      "AND NOT EXISTS (SELECT 1 FROM shipments WHERE shipments.squarespace_id = orders.squarespace_id "
                                      "AND posted_to_squarespace_at IS NULL "
                                      "AND (status = 'fulfilled' OR (?1 AND status = 'packed'))) "
                                      "ORDER BY created_on, squarespace_id LIMIT ?2",
                                      "xx", (gint64) (count_packed ? 1 : 0),
                                      limit > 0 ? (gint64) limit : (gint64) -1),
                             error);
}

/* The list view's WHERE clause. Parameters: ?1 stage, ?2 search text,
 * ?3 LIKE pattern, ?4/?5 the keyset cursor. */
static char *
build_query_where (int         stage,
                   const char *search,
                   gboolean    with_cursor)
{
  g_autoptr(GString) where = g_string_new ("1");

  if (stage >= 0)
    g_string_append (where, " AND stage = ?1");
  if (search != NULL && *search != '\0')
    g_string_append (where,
                     " AND (order_number LIKE ?3 ESCAPE '\\' OR cust_ref = ?2 COLLATE NOCASE"
                     " OR customer_name LIKE ?3 ESCAPE '\\' OR customer_email LIKE ?3 ESCAPE '\\'"
                     " OR squarespace_id IN (SELECT squarespace_id FROM order_lines WHERE sku = ?2 OR tradegecko_sku = ?2)"
                     " OR squarespace_id IN (SELECT squarespace_id FROM shipments WHERE tracking_number = ?2))");
  if (with_cursor)
    g_string_append (where, " AND (created_on, squarespace_id) < (?4, ?5)");

  return g_string_free (g_steal_pointer (&where), FALSE);
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
  g_autofree char *where = build_query_where (stage, search, after != NULL);
  g_autofree char *sql = g_strdup_printf ("%s FROM orders WHERE %s %s", select, where, tail);
  g_autofree char *pattern = like_pattern (search);

  return prepare (self, error, sql, "sssxsx",
                  stage >= 0 ? relay_stage_to_string ((RelayStage) stage) : NULL,
                  search, pattern,
                  after != NULL ? after->created_on : (gint64) 0,
                  after != NULL ? after->squarespace_id : NULL,
                  limit > 0 ? (gint64) limit : (gint64) -1);
}

/**
 * relay_store_query_orders:
 * @self: a #RelayStore
 * @stage: a #RelayStage, or -1 for every stage
 * @search: (nullable): text to look for: part of an order number, customer
 *   name or e-mail; a whole short reference, SKU or tracking number
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

  return collect_order_rows (self,
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
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  gint64 count = -1;

  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (stage < RELAY_N_STAGES, -1);

  stmt = prepare_query (self, "SELECT COUNT (*)", stage, search, NULL, "AND ?6 = ?6", 0, error);
  if (stmt == NULL)
    return -1;
  if (step_row (self, stmt, &found, error) && found)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

/* The WHERE clause of the order list; stage names and flags are ours, the
 * search text is bound as ?1 (exact) and ?2 (LIKE pattern). */
static char *
build_list_where (guint       stage_mask,
                  const char *search)
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
    g_string_append (where,
                     /* Every field matches a part of what is typed: "RED" finds MUG-RED, the
                      * last digits find a tracking number. */
                     " AND (order_number LIKE ?2 ESCAPE '\\' OR cust_ref LIKE ?2 ESCAPE '\\'"
                     " OR customer_name LIKE ?2 ESCAPE '\\' OR customer_email LIKE ?2 ESCAPE '\\'"
                     " OR tradegecko_order_number LIKE ?2 ESCAPE '\\'"
                     " OR squarespace_id IN (SELECT squarespace_id FROM order_lines"
                     "                       WHERE sku LIKE ?2 ESCAPE '\\' OR tradegecko_sku LIKE ?2 ESCAPE '\\')"
                     " OR squarespace_id IN (SELECT squarespace_id FROM shipments WHERE tracking_number LIKE ?2 ESCAPE '\\'))");

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

/* The order list's key query; the search text, if any, binds as ?1 and ?2. */
static char *
order_keys_sql (guint           stage_mask,
                const char     *search,
                RelayOrderSort  sort,
                gboolean        descending)
{
  g_autofree char *where = build_list_where (stage_mask, search);

  return g_strdup_printf ("SELECT rowid FROM orders WHERE %s ORDER BY %s", where, list_order_by (sort, descending));
}

/**
 * relay_store_dup_order_keys:
 * @self: a #RelayStore
 * @stage_mask: RELAY_STAGE_MASK() bits (and %RELAY_STAGE_MASK_ERRORS), 0 for every order
 * @search: (nullable): as for relay_store_query_orders(), and a whole TradeGecko order number
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
  g_autoptr(GArray) keys = NULL;
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  sql = order_keys_sql (stage_mask, search, sort, descending);
  pattern = like_pattern (search);

  /* Without search text the statement has no parameters to bind. */
  if (search != NULL && *search != '\0')
    stmt = prepare (self, error, sql, "ss", search, pattern);
  else
    stmt = prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return NULL;

  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 256);
  while (found)
    {
      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (found)
        {
          gint64 key = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (keys, key);
        }
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&keys);
}

/* What a worker thread needs to run the key query on its own connection. */
typedef struct
{
  char *path;
  char *sql;
  char *search;
  char *pattern;
} KeyQuery;

static void
key_query_free (KeyQuery *query)
{
  g_free (query->path);
  g_free (query->sql);
  g_free (query->search);
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
      sqlite3_prepare_v2 (db, query->sql, -1, &stmt, NULL) != SQLITE_OK ||
      (query->search != NULL &&
       (sqlite3_bind_text (stmt, 1, query->search, -1, SQLITE_STATIC) != SQLITE_OK ||
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
  g_autoptr(GTask) task = NULL;
  KeyQuery *query;

  g_return_if_fail (RELAY_IS_STORE (self));

  /* No source object: a query still running holds neither the store nor, through
   * @user_data, whoever asked (the worker needs only the path). */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_store_dup_order_keys_async);
  query = g_new0 (KeyQuery, 1);
  query->path = g_strdup (self->path);
  query->sql = order_keys_sql (stage_mask, search, sort, descending);
  if (search != NULL && *search != '\0')
    {
      query->search = g_strdup (search);
      query->pattern = like_pattern (search);
    }
  g_task_set_task_data (task, query, (GDestroyNotify) key_query_free);
  g_task_run_in_thread (task, dup_order_keys_thread);
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
  sqlite3_stmt *stmt;
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

  stmt = prepare (self, error, sql->str, NULL);
  if (stmt == NULL)
    return NULL;

  by_key = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while (found)
    {
      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          g_hash_table_foreach (by_key, relay_order_row_free_cb, NULL);
          return NULL;
        }
      if (found)
        {
          gint64 *key = g_new (gint64, 1);

          *key = sqlite3_column_int64 (stmt, ORDER_N_COLUMNS);
          g_hash_table_replace (by_key, key, order_row_from_stmt (stmt));
        }
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < n_keys; i++)
    {
      gpointer row = NULL;
      gpointer stolen_key = NULL;

      /* A key asked for twice gets its row once; later copies are NULL. */
      if (g_hash_table_steal_extended (by_key, &keys[i], &stolen_key, &row))
        g_free (stolen_key);
      g_ptr_array_add (rows, row);
    }
  g_hash_table_foreach (by_key, relay_order_row_free_cb, NULL);

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
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  gint64 count = -1;

  g_return_val_if_fail (RELAY_IS_STORE (self), -1);

  where = build_list_where (stage_mask, NULL);
  sql = g_strdup_printf ("SELECT COUNT (*) FROM orders WHERE %s", where);
  stmt = prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return -1;
  if (step_row (self, stmt, &found, error) && found)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
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
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  memset (latest, 0, sizeof (gint64) * RELAY_N_STAGES);

  stmt = prepare (self, error, "SELECT stage, MAX (updated_at) FROM orders GROUP BY stage", NULL);
  if (stmt == NULL)
    return FALSE;

  while (found)
    {
      RelayStage stage;

      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (found && relay_stage_from_string ((const char *) sqlite3_column_text (stmt, 0), &stage))
        latest[stage] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);

  return TRUE;
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
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  memset (counts, 0, sizeof (guint64) * RELAY_N_STAGES);

  stmt = prepare (self, error, "SELECT stage, COUNT (*) FROM orders GROUP BY stage", NULL);
  if (stmt == NULL)
    return FALSE;

  while (found)
    {
      RelayStage stage;

      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (found && relay_stage_from_string ((const char *) sqlite3_column_text (stmt, 0), &stage))
        counts[stage] = (guint64) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);

  return TRUE;
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
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  stmt = prepare (self, error,
                  "SELECT id, squarespace_id, at, kind, detail FROM events WHERE squarespace_id = ?1 ORDER BY id",
                  "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      RelayEvent *event;

      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (!found)
        break;

      event = g_new0 (RelayEvent, 1);
      event->id = sqlite3_column_int64 (stmt, 0);
      event->squarespace_id = column_dup_text (stmt, 1);
      event->at = sqlite3_column_int64 (stmt, 2);
      event->kind = column_dup_text (stmt, 3);
      event->detail = column_dup_text (stmt, 4);
      g_ptr_array_add (events, event);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&events);
}

/**
 * relay_store_dup_resolved_lines:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @error: return location for a #GError
 *
 * The order's lines with what they became in TradeGecko (store SKU →
 * TradeGecko SKU and variant id), in order. Before delivery the TradeGecko
 * fields are empty and the status says whether the line is digital.
 *
 * Returns: (transfer full) (element-type RelayResolvedLine): the lines
 */
GPtrArray *
relay_store_dup_resolved_lines (RelayStore  *self,
                                const char  *squarespace_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  stmt = prepare (self, error,
                  "SELECT line_id, sku, tradegecko_sku, tradegecko_variant_id, quantity, is_physical "
                  "FROM order_lines WHERE squarespace_id = ?1 ORDER BY position",
                  "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      gint64 variant_id;
      RelayLineStatus status;

      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (!found)
        break;

      variant_id = sqlite3_column_int64 (stmt, 3);
      if (sqlite3_column_int (stmt, 5) == 0)
        status = RELAY_LINE_DIGITAL;
      else if (variant_id != 0)
        status = RELAY_LINE_RESOLVED;
      else if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        status = RELAY_LINE_NO_SKU;
      else
        status = RELAY_LINE_UNKNOWN_SKU;

      g_ptr_array_add (lines, relay_resolved_line_new ((const char *) sqlite3_column_text (stmt, 0),
                                                       (const char *) sqlite3_column_text (stmt, 1),
                                                       (const char *) sqlite3_column_text (stmt, 2),
                                                       variant_id,
                                                       sqlite3_column_int64 (stmt, 4),
                                                       status));
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&lines);
}

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
  if (!run (self, error, sql, "ssx", key_stripped, value_stripped, now_ms ()))
    return FALSE;

  g_signal_emit (self, signals[MAPS_CHANGED], 0);
  return TRUE;
}

static gboolean
map_remove (RelayStore      *self,
            const MapTable  *map,
            const char      *key,
            GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?1", map->table, map->key);

  if (!run (self, error, sql, "s", key))
    return FALSE;

  if (sqlite3_changes (self->db) > 0)
    g_signal_emit (self, signals[MAPS_CHANGED], 0);
  return TRUE;
}

static GHashTable *
map_dup (RelayStore      *self,
         const MapTable  *map,
         GError         **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *sql = g_strdup_printf ("SELECT %s, %s FROM %s", map->key, map->value, map->table);
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  stmt = prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (found)
        g_hash_table_insert (table, column_dup_text (stmt, 0), column_dup_text (stmt, 1));
    }
  sqlite3_finalize (stmt);

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
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  char *value = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (store_sku != NULL, NULL);

  stmt = prepare (self, error, "SELECT tradegecko_sku FROM item_aliases WHERE store_sku = ?1", "s", store_sku);
  if (stmt == NULL)
    return NULL;
  if (step_row (self, stmt, &found, error) && found)
    value = column_dup_text (stmt, 0);
  sqlite3_finalize (stmt);

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
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  char *value = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = prepare (self, error, "SELECT value FROM checkpoints WHERE key = ?1", "s", key);
  if (stmt == NULL)
    return NULL;
  if (step_row (self, stmt, &found, error) && found)
    value = column_dup_text (stmt, 0);
  sqlite3_finalize (stmt);

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
    return run (self, error, "DELETE FROM checkpoints WHERE key = ?1", "s", key);

  return run (self, error,
              "INSERT INTO checkpoints (key, value, updated_at) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
              "ssx", key, value, now_ms ());
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
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || (keys != NULL && values != NULL), FALSE);

  if (n == 0)
    return TRUE;
  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!relay_store_set_checkpoint (self, keys[i], values[i], error))
        {
          rollback (self);
          return FALSE;
        }
    }
  return commit (self, error);
}

/* ------------------------------------------------------------------------ */
/* The TradeGecko customer cache                                             */

static gint64
lookup_id (RelayStore  *self,
           GError     **error,
           const char  *sql,
           const char  *types,
           ...)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  gint64 id = 0;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (self, error, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return -1;
  if (!step_row (self, stmt, &found, error))
    id = -1;
  else if (found)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return id;
}

/**
 * relay_store_lookup_customer:
 * @self: a #RelayStore
 * @email: the customer's e-mail, as the caller normalises it (the engine case-folds it)
 * @error: return location for a #GError
 *
 * Returns: the TradeGecko company id remembered for @email, 0 when none, or
 *   -1 with @error set
 */
gint64
relay_store_lookup_customer (RelayStore  *self,
                             const char  *email,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (email != NULL, -1);

  return lookup_id (self, error, "SELECT company_id FROM customers WHERE email = ?1", "s", email);
}

/**
 * relay_store_lookup_customer_address:
 * @self: a #RelayStore
 * @company_id: the TradeGecko company id
 * @fingerprint: the address's fingerprint (the engine's digest of name, street, postcode, country)
 * @error: return location for a #GError
 *
 * Returns: the TradeGecko address id remembered for that company and address,
 *   0 when none, or -1 with @error set
 */
gint64
relay_store_lookup_customer_address (RelayStore  *self,
                                     gint64       company_id,
                                     const char  *fingerprint,
                                     GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (fingerprint != NULL, -1);

  return lookup_id (self, error,
                    "SELECT address_id FROM customer_addresses WHERE company_id = ?1 AND fingerprint = ?2",
                    "xs", company_id, fingerprint);
}

/**
 * relay_store_remember_customers:
 * @self: a #RelayStore
 * @emails: (array length=n): the customers' e-mails
 * @company_ids: (array length=n): their TradeGecko company ids, all > 0
 * @n: how many
 * @error: return location for a #GError
 *
 * Remembers (or replaces) many customers in one transaction.
 *
 * Returns: %TRUE on success; on failure nothing is changed
 */
gboolean
relay_store_remember_customers (RelayStore         *self,
                                const char * const *emails,
                                const gint64       *company_ids,
                                guint               n,
                                GError            **error)
{
  gint64 now = now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || (emails != NULL && company_ids != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      if (emails[i] == NULL || emails[i][0] == '\0' || company_ids[i] <= 0)
        {
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                       _("Cannot remember the TradeGecko customer “%s” with company id %" G_GINT64_FORMAT
                         ": the e-mail must not be empty and the id must be positive"),
                       emails[i] != NULL ? emails[i] : "", company_ids[i]);
          return FALSE;
        }
    }

  if (n == 0)
    return TRUE;
  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!run (self, error,
                "INSERT INTO customers (email, company_id, updated_at) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (email) DO UPDATE SET company_id = excluded.company_id, updated_at = excluded.updated_at",
                "sxx", emails[i], company_ids[i], now))
        {
          rollback (self);
          return FALSE;
        }
    }
  return commit (self, error);
}

/**
 * relay_store_remember_customer_addresses:
 * @self: a #RelayStore
 * @company_ids: (array length=n): TradeGecko company ids, all > 0
 * @fingerprints: (array length=n): the addresses' fingerprints
 * @address_ids: (array length=n): their TradeGecko address ids, all > 0
 * @n: how many
 * @error: return location for a #GError
 *
 * Remembers (or replaces) many customer addresses in one transaction.
 *
 * Returns: %TRUE on success; on failure nothing is changed
 */
gboolean
relay_store_remember_customer_addresses (RelayStore         *self,
                                         const gint64       *company_ids,
                                         const char * const *fingerprints,
                                         const gint64       *address_ids,
                                         guint               n,
                                         GError            **error)
{
  gint64 now = now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || (company_ids != NULL && fingerprints != NULL && address_ids != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      if (company_ids[i] <= 0 || fingerprints[i] == NULL || fingerprints[i][0] == '\0' || address_ids[i] <= 0)
        {
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                       _("Cannot remember the TradeGecko address %" G_GINT64_FORMAT " of company %" G_GINT64_FORMAT
                         ": the ids must be positive and the fingerprint must not be empty"),
                       address_ids[i], company_ids[i]);
          return FALSE;
        }
    }

  if (n == 0)
    return TRUE;
  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!run (self, error,
                "INSERT INTO customer_addresses (company_id, fingerprint, address_id, updated_at) "
                "VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT (company_id, fingerprint) DO UPDATE SET address_id = excluded.address_id, "
                "updated_at = excluded.updated_at",
                "xsxx", company_ids[i], fingerprints[i], address_ids[i], now))
        {
          rollback (self);
          return FALSE;
        }
    }
  return commit (self, error);
}

/**
 * relay_store_forget_customer:
 * @self: a #RelayStore
 * @email: the customer's e-mail, normalised as for relay_store_lookup_customer()
 * @error: return location for a #GError
 *
 * Forgets the company id remembered for @email (e.g. TradeGecko refused it
 * because the company was archived or merged); unknown e-mails are fine.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_forget_customer (RelayStore  *self,
                             const char  *email,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);

  return run (self, error, "DELETE FROM customers WHERE email = ?1", "s", email);
}

/* ------------------------------------------------------------------------ */
/* Private                                                                   */

/* Opens @path migrated only up to @version, so tests can build the files an
 * older Order Relay left behind. */
RelayStore *
relay_store_open_at_version (const char  *path,
                             int          version,
                             GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && version <= RELAY_STORE_SCHEMA_VERSION, NULL);

  return open_at_version (path, version, error);
}

void
relay_store_set_step_hook (RelayStore         *self,
                           RelayStoreStepHook  hook,
                           gpointer            user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  self->step_hook = hook;
  self->step_hook_data = user_data;
}

/* The steps of an EXPLAIN QUERY PLAN statement, one a line. */
static char *
explain (RelayStore  *self,
         const char  *sql,
         GError     **error)
{
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = prepare (self, error, sql, NULL);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (found)
        g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/* ------------------------------------------------------------------------ */
/* Payments (schema 3)                                                       */

void
relay_due_payment_free (RelayDuePayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->squarespace_id);
  g_free (payment->idempotency_key);
  g_free (payment);
}

/**
 * relay_store_set_payment_due:
 * @self: a #RelayStore
 * @squarespace_id: a stored order
 * @idempotency_key: the key its payment is always sent with
 * @error: return location for a #GError
 *
 * Remembers that the order is to be marked paid in TradeGecko once it is
 * there. A second call changes nothing (the first key stays).
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_set_payment_due (RelayStore  *self,
                             const char  *squarespace_id,
                             const char  *idempotency_key,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && idempotency_key != NULL, FALSE);

  return run (self, error,
              "INSERT OR IGNORE INTO payments (squarespace_id, idempotency_key, state, updated_at) "
              "VALUES (?1, ?2, 'due', ?3)",
              "ssx", squarespace_id, idempotency_key, now_ms ());
}

/**
 * relay_store_dup_due_payments:
 * @self: a #RelayStore
 * @limit: the most to return
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayDuePayment): payments still to
 *   send for orders that are in TradeGecko, oldest first; %NULL on error
 */
GPtrArray *
relay_store_dup_due_payments (RelayStore  *self,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_due_payment_free);
  sqlite3_stmt *stmt;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = prepare (self, error,
                  "SELECT p.squarespace_id, p.idempotency_key, o.tradegecko_order_id FROM payments p "
                  "JOIN orders o ON o.squarespace_id = p.squarespace_id "
                  "WHERE p.state = 'due' AND o.tradegecko_order_id IS NOT NULL "
                  "ORDER BY p.updated_at, p.squarespace_id LIMIT ?1",
                  "i", (int) MIN (limit, G_MAXINT));
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      RelayDuePayment *payment;

      if (!step_row (self, stmt, &found, error))
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (!found)
        break;
      payment = g_new0 (RelayDuePayment, 1);
      payment->squarespace_id = column_dup_text (stmt, 0);
      payment->idempotency_key = column_dup_text (stmt, 1);
      payment->tradegecko_order_id = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (payments, payment);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&payments);
}

/**
 * relay_store_finish_payment:
 * @self: a #RelayStore
 * @squarespace_id: an order whose payment is due
 * @detail: (nullable): what the timeline says
 * @error: return location for a #GError
 *
 * Marks the payment sent, with a `paid` event on the order's timeline, in
 * one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_finish_payment (RelayStore  *self,
                            const char  *squarespace_id,
                            const char  *detail,
                            GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id, ~0u, _("paid"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error, "UPDATE payments SET state = 'paid', updated_at = ?2 WHERE squarespace_id = ?1",
            "sx", squarespace_id, now_ms ()))
    {
      rollback (self);
      return FALSE;
    }
  return finish_transition (self, squarespace_id, "paid", detail, error);
}

/**
 * relay_store_drop_payment:
 * @self: a #RelayStore
 * @squarespace_id: an order whose payment is due
 * @reason: why TradeGecko will not take it, for the timeline
 * @error: return location for a #GError
 *
 * Forgets a payment TradeGecko refused for good (a voided order, say), with a
 * `payment-refused` event, so it is not sent again every cycle.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_drop_payment (RelayStore  *self,
                          const char  *squarespace_id,
                          const char  *reason,
                          GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = begin_transition (self, squarespace_id, ~0u, _("changed"), error);
  if (row == NULL)
    return FALSE;

  if (!run (self, error, "DELETE FROM payments WHERE squarespace_id = ?1", "s", squarespace_id))
    {
      rollback (self);
      return FALSE;
    }
  return finish_transition (self, squarespace_id, "payment-refused", reason, error);
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
  g_autofree char *where = build_query_where (stage, search, with_cursor);
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
  gint64 now = now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStockRow *row = g_ptr_array_index (rows, i);

      if (!run (self, error,
                "INSERT INTO stock_items (store_variant_id, store_sku, product, tradegecko_variant_id, "
                "  tradegecko_available, store_quantity, target, problem, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                "ON CONFLICT (store_variant_id) DO UPDATE SET store_sku = excluded.store_sku, "
                "  product = excluded.product, tradegecko_variant_id = excluded.tradegecko_variant_id, "
                "  tradegecko_available = excluded.tradegecko_available, store_quantity = excluded.store_quantity, "
                "  target = excluded.target, problem = excluded.problem, updated_at = excluded.updated_at",
                "sssXxxxsx", row->store_variant_id, row->store_sku, row->product, row->tradegecko_variant_id,
                row->tradegecko_available, row->store_quantity, row->target, row->problem, now))
        {
          rollback (self);
          return FALSE;
        }
    }
  return commit (self, error);
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
  GPtrArray *rows;
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (search != NULL && *search != '\0')
    pattern = g_strdup_printf ("%%%s%%", search);
  stmt = prepare (self, error,
                  "SELECT store_variant_id, store_sku, product, tradegecko_variant_id, tradegecko_available, "
                  "  store_quantity, target, pushed_quantity, pushed_at, problem FROM stock_items "
                  "WHERE ?1 IS NULL OR store_sku LIKE ?1 OR product LIKE ?1 "
                  "ORDER BY store_sku, store_variant_id LIMIT ?2 OFFSET ?3",
                  "sii", pattern, (int) MIN (limit, G_MAXINT), (int) MIN (offset, G_MAXINT));
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_row_free);
  while (step_row (self, stmt, &found, error) && found)
    {
      RelayStockRow *row = g_new0 (RelayStockRow, 1);

      row->store_variant_id = column_dup_text (stmt, 0);
      row->store_sku = column_dup_text (stmt, 1);
      row->product = column_dup_text (stmt, 2);
      row->tradegecko_variant_id = column_int_or (stmt, 3, 0);
      row->tradegecko_available = column_int_or (stmt, 4, -1);
      row->store_quantity = column_int_or (stmt, 5, -1);
      row->target = column_int_or (stmt, 6, -1);
      row->pushed_quantity = column_int_or (stmt, 7, -1);
      row->pushed_at = column_int_or (stmt, 8, 0);
      row->problem = column_dup_text (stmt, 9);
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (stmt);
  if (error != NULL && *error != NULL)
    g_clear_pointer (&rows, g_ptr_array_unref);
  return rows;
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

  return run (self, error,
              "INSERT INTO stock_batches (idempotency_key, operations, created_at) VALUES (?1, ?2, ?3)",
              "ssx", idempotency_key, operations, now_ms ());
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
  GPtrArray *batches;
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = prepare (self, error,
                  pending_only
                  ? "SELECT idempotency_key, operations, created_at, pushed_at FROM stock_batches "
                    "WHERE pushed_at IS NULL ORDER BY created_at, rowid LIMIT ?1"
                  : "SELECT idempotency_key, operations, created_at, pushed_at FROM stock_batches "
                    "ORDER BY created_at DESC, rowid DESC LIMIT ?1",
                  "i", (int) MIN (limit, G_MAXINT));
  if (stmt == NULL)
    return NULL;

  batches = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_batch_free);
  while (step_row (self, stmt, &found, error) && found)
    {
      RelayStockBatch *batch = g_new0 (RelayStockBatch, 1);

      batch->idempotency_key = column_dup_text (stmt, 0);
      batch->operations = column_dup_text (stmt, 1);
      batch->created_at = sqlite3_column_int64 (stmt, 2);
      batch->pushed_at = column_int_or (stmt, 3, 0);
      g_ptr_array_add (batches, batch);
    }
  sqlite3_finalize (stmt);
  if (error != NULL && *error != NULL)
    g_clear_pointer (&batches, g_ptr_array_unref);
  return batches;
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
  gint64 now = now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!run (self, error, "UPDATE stock_batches SET pushed_at = ?2 WHERE idempotency_key = ?1",
            "sx", idempotency_key, now))
    goto failed;
  for (guint i = 0; i < sets->len; i++)
    {
      RelayStockSet *set = g_ptr_array_index (sets, i);

      if (!run (self, error,
                "INSERT INTO stock_items (store_variant_id, store_quantity, pushed_quantity, pushed_at, updated_at) "
                "VALUES (?1, ?2, ?2, ?3, ?3) "
                "ON CONFLICT (store_variant_id) DO UPDATE SET store_quantity = excluded.store_quantity, "
                "  pushed_quantity = excluded.pushed_quantity, pushed_at = excluded.pushed_at, "
                "  updated_at = excluded.updated_at",
                "sxx", set->variant_id, set->quantity, now))
        goto failed;
    }
  return commit (self, error);

failed:
  rollback (self);
  return FALSE;
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
  gboolean found;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = prepare (self, error,
                  "SELECT order_lines.sku, SUM (order_lines.quantity) FROM order_lines "
                  "JOIN orders ON orders.squarespace_id = order_lines.squarespace_id "
                  "WHERE orders.stage IN ('new', 'rejected') AND orders.testmode = 0 "
                  "  AND order_lines.sku IS NOT NULL AND order_lines.is_physical "
                  "GROUP BY order_lines.sku",
                  NULL);
  if (stmt == NULL)
    return NULL;

  units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while (step_row (self, stmt, &found, error) && found)
    {
      gint64 *count = g_new (gint64, 1);
      g_autofree char *sku = column_dup_text (stmt, 0);

      *count = sqlite3_column_int64 (stmt, 1);
      g_hash_table_insert (units, g_utf8_casefold (sku, -1), count);
    }
  sqlite3_finalize (stmt);
  if (error != NULL && *error != NULL)
    g_clear_pointer (&units, g_hash_table_unref);
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
      sqlite3_stmt *stmt = prepare (self, error, "SELECT store_variant_id FROM stock_items WHERE tradegecko_variant_id = ?1",
                                    "x", tradegecko_ids[i]);
      gboolean found = FALSE;
      guint before = ids->len;

      if (stmt == NULL)
        return NULL;
      while (step_row (self, stmt, &found, error) && found)
        g_ptr_array_add (ids, column_dup_text (stmt, 0));
      sqlite3_finalize (stmt);
      if (ids->len == before)
        {
          g_debug ("TradeGecko variant %" G_GINT64_FORMAT " was never matched to a store variant", tradegecko_ids[i]);
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}
