/* relay-store-schema.c — opening the file: folder and file permissions, schema and migrations
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/* ------------------------------------------------------------------------ */
/* Schema                                                                    */

typedef gboolean (*Migration) (RelayStore *self, GError **error);


static gboolean
migrate_to_1 (RelayStore  *self,
              GError     **error)
{
  return store_exec_sql (self,
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
  return store_exec_sql (self,
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
  return store_exec_sql (self,
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
  return store_exec_sql (self,
    "CREATE TABLE payments ("
    "  squarespace_id TEXT PRIMARY KEY NOT NULL REFERENCES orders (squarespace_id) ON DELETE CASCADE,"
    "  idempotency_key TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('due','paid')),"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX payments_due ON payments (state) WHERE state = 'due';",
    error);
}

/* Version 5: an index for every sort of the order list, so that sorting 100,000
 * orders is an index scan rather than a sort of the whole table (~0.5–0.9 s).
 * Each index ends with the sort's tie-breakers; the row id is in every index. */
static gboolean
migrate_to_5_sort_indexes (RelayStore  *self,
                           GError     **error)
{
  return store_exec_sql (self,
    "CREATE INDEX orders_by_number_value ON orders (" SORT_NUMBER_VALUE ", order_number);"
    "CREATE INDEX orders_by_item_count ON orders (item_count, created_on);"
    "CREATE INDEX orders_by_total ON orders (currency, grand_total_minor, created_on);"
    /* stage itself too: without it SQLite reads every row to check the expression. */
    "CREATE INDEX orders_by_stage_rank ON orders (" SORT_STAGE_RANK ", created_on, stage);"
    "CREATE INDEX orders_by_tradegecko_number ON orders (tradegecko_order_number);",
    error);
}

/* Version 6: how many times an order has been sent to TradeGecko, the number in
 * its idempotency key, kept with the order instead of counted from the
 * timeline's "delivering" events (which is what it starts from). */
static gboolean
migrate_to_6_delivery_attempts (RelayStore  *self,
                                GError     **error)
{
  return store_exec_sql (self,
    "ALTER TABLE orders ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;"
    "UPDATE orders SET delivery_attempts = (SELECT COUNT (*) FROM events "
    "  WHERE events.squarespace_id = orders.squarespace_id AND events.kind = 'delivering');",
    error);
}

/* Version 7: stock sync. Each batch of stock adjustments is kept with its
 * Idempotency-Key before it is sent, so a resend after a crash reuses the key
 * and the body; the Stock view's rows say what each store variant matched and
 * what was last set. */
static gboolean
migrate_to_7_stock (RelayStore  *self,
                    GError     **error)
{
  return store_exec_sql (self,
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

/* The text the search index holds for one order of `orders` (in scope as
 * "orders"): every field the order list's search looks in, a line each. */
#define SEARCH_TEXT \
  "coalesce (orders.order_number, '') || char (10) || coalesce (orders.cust_ref, '') || char (10)" \
  " || coalesce (orders.customer_name, '') || char (10) || coalesce (orders.customer_email, '')" \
  " || char (10) || coalesce (orders.tradegecko_order_number, '')" \
  " || char (10) || coalesce ((SELECT group_concat (coalesce (l.sku, '') || char (10) || coalesce (l.tradegecko_sku, ''), char (10))" \
  "                          FROM order_lines l WHERE l.squarespace_id = orders.squarespace_id), '')" \
  " || char (10) || coalesce ((SELECT group_concat (s.tracking_number, char (10))" \
  "                          FROM shipments s WHERE s.squarespace_id = orders.squarespace_id), '')"

/* Writes the index entry of the order whose id is @id again (SQL statements for a trigger body). */
#define REINDEX_ORDER(id) \
  "DELETE FROM orders_search WHERE rowid = (SELECT rowid FROM orders WHERE squarespace_id = " id ");" \
  "INSERT INTO orders_search (rowid, body) SELECT rowid, " SEARCH_TEXT " FROM orders WHERE squarespace_id = " id ";"

/* Version 8: a trigram index of each order's searched text, so a search of three
 * characters or more reads the orders that can match instead of every row of
 * orders, order_lines and shipments (>= 200 ms for 100,000 orders). Triggers keep
 * it in step with every write, whichever function makes it. detail=none keeps it
 * small: the index only narrows the rows down, the search's own LIKE still
 * decides (see append_search_where()). */
static gboolean
migrate_to_8_search_index (RelayStore  *self,
                           GError     **error)
{
  return store_exec_sql (self,
    "CREATE VIRTUAL TABLE orders_search USING fts5 (body, tokenize = 'trigram', detail = 'none');"
    "INSERT INTO orders_search (rowid, body) SELECT rowid, " SEARCH_TEXT " FROM orders;"
    "CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN "
    REINDEX_ORDER ("new.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_update AFTER UPDATE OF squarespace_id, order_number, cust_ref, "
    "  customer_name, customer_email, tradegecko_order_number ON orders BEGIN "
    "  DELETE FROM orders_search WHERE rowid = old.rowid;"
    REINDEX_ORDER ("new.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN "
    "  DELETE FROM orders_search WHERE rowid = old.rowid; END;"
    "CREATE TRIGGER orders_search_line_insert AFTER INSERT ON order_lines BEGIN "
    REINDEX_ORDER ("new.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_line_update AFTER UPDATE OF squarespace_id, sku, tradegecko_sku ON order_lines BEGIN "
    REINDEX_ORDER ("old.squarespace_id") REINDEX_ORDER ("new.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_line_delete AFTER DELETE ON order_lines BEGIN "
    REINDEX_ORDER ("old.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_shipment_insert AFTER INSERT ON shipments BEGIN "
    REINDEX_ORDER ("new.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_shipment_update AFTER UPDATE OF squarespace_id, tracking_number ON shipments BEGIN "
    REINDEX_ORDER ("old.squarespace_id") REINDEX_ORDER ("new.squarespace_id") " END;"
    "CREATE TRIGGER orders_search_shipment_delete AFTER DELETE ON shipments BEGIN "
    REINDEX_ORDER ("old.squarespace_id") " END;",
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
  migrate_to_6_delivery_attempts,
  migrate_to_7_stock,
  migrate_to_8_search_index,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RELAY_STORE_SCHEMA_VERSION);

/* The schema version of the file, -1 on failure. */
static int
read_schema_version (RelayStore  *self,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = store_prepare (self, error, "SELECT COALESCE (MAX (version), 0) FROM schema_version", NULL);
  gboolean found = FALSE;
  int version;

  if (stmt == NULL)
    return -1;
  if (!store_step_row (self, stmt, &found, error))
      return -1;
  version = sqlite3_column_int (stmt, 0);
  return version;
}

static gboolean
migrate (RelayStore  *self,
         int          target,
         GError     **error)
{
  int version = 0;

  if (!store_exec_sql (self,
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
      g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;

      if (!store_transaction_begin (&tx, self, error))
        return FALSE;

      /* Another process (the window and a cron sync starting together) may
       * have migrated meanwhile: under the write lock, read again. */
      version = read_schema_version (self, error);
      if (version < 0)
        return FALSE;
      if (version >= target)
        break;

      if (!migrations[version] (self, error) ||
          !store_run (self, error, "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
                      "ix", version + 1, store_now_ms ()) ||
          !store_transaction_commit (&tx, error))
        return FALSE;
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

/* How long a first open waits for another process switching the same new
 * file to WAL; the same as the busy timeout every statement gets. */
#define WAL_SWITCH_WAIT_USEC (5 * G_USEC_PER_SEC)

/* Puts the file in WAL mode and says whether it is in it. journal_mode
 * answers with a row; that first read also tells a file that is not a
 * database apart. Switching a new file needs its exclusive lock, and SQLite
 * answers SQLITE_BUSY at once, without the busy handler, when two processes
 * holding shared locks both ask for it (two `sync --once` on a fresh state
 * file, or the window and the command line on first start): the one refused
 * retries until the other has switched, instead of failing to open. */
static gboolean
switch_to_wal (RelayStore *self)
{
  gint64 deadline = g_get_monotonic_time () + WAL_SWITCH_WAIT_USEC;

  for (;;)
    {
      sqlite3_stmt *stmt = NULL;
      gboolean is_wal = FALSE;
      int rc;

      rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        is_wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
      sqlite3_finalize (stmt);

      if (rc == SQLITE_ROW)
        return is_wal;
      if ((rc & 0xff) != SQLITE_BUSY || g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (10 * 1000);
    }
}

/* Opens the file and migrates it up to @target (at most
 * RELAY_STORE_SCHEMA_VERSION; lower only for the migration tests). */
RelayStore *
store_open_at_version (const char  *path,
                       int          target,
                       GError     **error)
{
  g_autoptr(RelayStore) self = NULL;
  g_autofree char *folder = NULL;

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
      store_set_db_error (self, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!switch_to_wal (self))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("%s is not an Order Relay database, or it cannot be written: %s"),
                   path, sqlite3_errmsg (self->db));
      return NULL;
    }

  if (!store_exec_sql (self,
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

  return store_open_at_version (path, RELAY_STORE_SCHEMA_VERSION, error);
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

  return store_open_at_version (path, version, error);
}
