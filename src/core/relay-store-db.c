/* relay-store-db.c — SQLite helpers shared by the store's files: statements, transactions, order rows
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <stdarg.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/* ------------------------------------------------------------------------ */
/* SQLite helpers                                                            */

gint64
store_now_ms (void)
{
  return g_get_real_time () / 1000;
}

gint64
store_datetime_to_ms (GDateTime *time)
{
  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}

void
store_set_db_error (RelayStore  *self,
                    GError     **error)
{
  g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
               _("The order database %s failed: %s"),
               self->path, sqlite3_errmsg (self->db));
}

gboolean
store_exec_sql (RelayStore  *self,
                const char  *sql,
                GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      store_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The statement cache                                                       */

/* Preparing is a large share of the engine's CPU (≈ 20 % on the benchmark):
 * every connection keeps its statements, keyed by SQL text, prepared once
 * with SQLITE_PREPARE_PERSISTENT. A statement handed out is "checked out"
 * until its g_autoptr releases it, which resets it for the next user instead
 * of finalizing it; a statement asked for while its cached copy is checked
 * out (a nested use) is prepared afresh and finalized on release. */

static GMutex checked_out_lock;
static GHashTable *checked_out; /* (owned) set of cached statements in use */

/* Past this many statements the connection prepares without caching, so SQL
 * that should have been bound rather than printed cannot grow it unbounded. */
#define STATEMENT_CACHE_MAX 256

static void
check_out (sqlite3_stmt *stmt)
{
  g_mutex_lock (&checked_out_lock);
  if (checked_out == NULL)
    checked_out = g_hash_table_new (NULL, NULL);
  g_hash_table_add (checked_out, stmt);
  g_mutex_unlock (&checked_out_lock);
}

static gboolean
is_checked_out (sqlite3_stmt *stmt)
{
  gboolean found;

  g_mutex_lock (&checked_out_lock);
  found = checked_out != NULL && g_hash_table_contains (checked_out, stmt);
  g_mutex_unlock (&checked_out_lock);
  return found;
}

/**
 * store_release_statement:
 * @stmt: (transfer full) (nullable): a statement from store_prepare()
 *
 * The cleanup of `g_autoptr (sqlite3_stmt)`: a cached statement is reset and
 * its bindings cleared for its next use; any other is finalized.
 */
void
store_release_statement (sqlite3_stmt *stmt)
{
  gboolean cached;

  if (stmt == NULL)
    return;

  g_mutex_lock (&checked_out_lock);
  cached = checked_out != NULL && g_hash_table_remove (checked_out, stmt);
  g_mutex_unlock (&checked_out_lock);

  if (cached)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  else
    sqlite3_finalize (stmt);
}

void
store_statement_cache_clear (RelayStore *self)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
}

static sqlite3_stmt *
cached_statement (RelayStore  *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (self->statements == NULL)
    self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) sqlite3_finalize);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL && !is_checked_out (stmt))
    {
      check_out (stmt);
      return stmt;
    }

  if (stmt != NULL || g_hash_table_size (self->statements) >= STATEMENT_CACHE_MAX)
    return store_prepare_once (self, sql, error);

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      store_set_db_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  check_out (stmt);
  return stmt;
}

/* A statement that is not cached (SQL printed with values, run once). */
sqlite3_stmt *
store_prepare_once (RelayStore  *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      store_set_db_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Binds parameters by type letter: 's' text (may be NULL), 'i' int,
 * 'x' gint64, 'X' gint64 stored as NULL when 0. */
sqlite3_stmt *
store_prepare_valist (RelayStore  *self,
                      GError     **error,
                      const char  *sql,
                      const char  *types,
                      va_list      args)
{
  g_autoptr(sqlite3_stmt) stmt = cached_statement (self, sql, error);

  if (stmt == NULL)
    return NULL;

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
          store_set_db_error (self, error);
          return NULL;
        }
    }

  return g_steal_pointer (&stmt);
}

sqlite3_stmt *
store_prepare (RelayStore  *self,
               GError     **error,
               const char  *sql,
               const char  *types,
               ...)
{
  sqlite3_stmt *stmt;
  va_list args;

  va_start (args, types);
  stmt = store_prepare_valist (self, error, sql, types, args);
  va_end (args);

  return stmt;
}

static gboolean
store_run_valist (RelayStore  *self,
                  GError     **error,
                  const char  *sql,
                  const char  *types,
                  va_list      args)
{
  g_autoptr(sqlite3_stmt) stmt = store_prepare_valist (self, error, sql, types, args);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    store_set_db_error (self, error);

  return rc == SQLITE_DONE;
}

/* Runs a statement that returns no rows. */
gboolean
store_run (RelayStore  *self,
           GError     **error,
           const char  *sql,
           const char  *types,
           ...)
{
  va_list args;
  gboolean ok;

  va_start (args, types);
  ok = store_run_valist (self, error, sql, types, args);
  va_end (args);

  return ok;
}

/* Steps once: TRUE with *found set, or FALSE on error. */
gboolean
store_step_row (RelayStore    *self,
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

  store_set_db_error (self, error);
  return FALSE;
}

char *
store_column_dup_text (sqlite3_stmt *stmt,
                       int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* The transaction guard: g_auto (StoreTransaction) rolls back what
 * store_transaction_begin() opened unless store_transaction_commit() succeeded,
 * so no early return can leave a transaction open. */
gboolean
store_transaction_begin (StoreTransaction  *tx,
                         RelayStore        *self,
                         GError           **error)
{
  g_assert (tx->store == NULL);

  /* Inside a write group (relay_store_begin_group()) each transaction is a
   * savepoint of the group's: it stays all-or-nothing, and the group commits once. */
  if (!store_exec_sql (self, self->in_group ? "SAVEPOINT relay_transaction" : "BEGIN IMMEDIATE", error))
    return FALSE;
  tx->store = self;
  return TRUE;
}

gboolean
store_transaction_commit (StoreTransaction  *tx,
                          GError           **error)
{
  g_assert (tx->store != NULL);

  if (!store_exec_sql (tx->store, tx->store->in_group ? "RELEASE relay_transaction" : "COMMIT", error))
    return FALSE;
  tx->store = NULL;
  return TRUE;
}

void
store_transaction_clear (StoreTransaction *tx)
{
  /* A failed COMMIT may already have ended the transaction; nothing to report here. */
  if (tx->store != NULL && tx->store->in_group)
    store_exec_sql (tx->store, "ROLLBACK TO relay_transaction; RELEASE relay_transaction", NULL);
  else if (tx->store != NULL && !sqlite3_get_autocommit (tx->store->db))
    store_exec_sql (tx->store, "ROLLBACK", NULL);
  tx->store = NULL;
}

/**
 * relay_store_begin_group:
 * @self: a #RelayStore
 *
 * Starts a write group: the transitions until relay_store_commit_group() are
 * committed together, one sync of the file instead of one each. A process
 * killed before the group's commit keeps none of them, so a group must hold
 * only writes that may be lost together (the results of one remote call), and
 * never an in-flight marker a remote call waits for: that must be committed
 * before the call. Groups do not nest. When the group cannot start, each write
 * commits on its own as usual.
 */
void
relay_store_begin_group (RelayStore *self)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (!self->in_group);

  if (!store_transaction_begin (&self->group, self, NULL))
    return;
  self->in_group = TRUE;
  self->group_changed = g_ptr_array_new_with_free_func (g_free);
}

/**
 * relay_store_commit_group:
 * @self: a #RelayStore
 * @error: return location for a #GError
 *
 * Commits the writes since relay_store_begin_group() (none: nothing to do),
 * then tells the views which orders changed.
 *
 * Returns: %TRUE on success; on failure none of the group's writes are kept
 */
gboolean
relay_store_commit_group (RelayStore  *self,
                          GError     **error)
{
  g_autoptr(GPtrArray) changed = NULL;
  gboolean committed;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!self->in_group)
    return TRUE;
  self->in_group = FALSE;
  changed = g_steal_pointer (&self->group_changed);
  committed = store_transaction_commit (&self->group, error);
  if (!committed)
    store_transaction_clear (&self->group);
  /* Rolled back, the views re-read what they had: no harm in telling them. */
  for (guint i = 0; i < changed->len; i++)
    store_emit_order_changed (self, g_ptr_array_index (changed, i));
  return committed;
}


void
store_step_done (RelayStore *self,
                 const char *step)
{
  if (self->step_hook != NULL)
    self->step_hook (self, step, self->step_hook_data);
}

/* ------------------------------------------------------------------------ */
/* Rows                                                                      */


static RelayInFlight
store_in_flight_from_string (const char *text)
{
  if (g_strcmp0 (text, "deliver") == 0)
    return RELAY_IN_FLIGHT_DELIVER;
  if (g_strcmp0 (text, "post_tracking") == 0)
    return RELAY_IN_FLIGHT_POST_TRACKING;
  return RELAY_IN_FLIGHT_NONE;
}

RelayOrderRow *
store_order_row_from_stmt (sqlite3_stmt *stmt)
{
  RelayOrderRow *row = g_new0 (RelayOrderRow, 1);
  const char *currency = (const char *) sqlite3_column_text (stmt, 12);

  row->squarespace_id = store_column_dup_text (stmt, 0);
  row->order_number = store_column_dup_text (stmt, 1);
  row->cust_po_no = store_column_dup_text (stmt, 2);
  row->cust_ref = store_column_dup_text (stmt, 3);
  if (!relay_stage_from_string ((const char *) sqlite3_column_text (stmt, 4), &row->stage))
    row->stage = RELAY_STAGE_NEW;
  row->stage_reason = store_column_dup_text (stmt, 5);
  row->customer_name = store_column_dup_text (stmt, 6);
  row->customer_email = store_column_dup_text (stmt, 7);
  row->created_on = sqlite3_column_int64 (stmt, 8);
  row->modified_on = sqlite3_column_int64 (stmt, 9);
  row->item_count = (guint) sqlite3_column_int64 (stmt, 10);
  relay_money_init (&row->grand_total, sqlite3_column_int64 (stmt, 11),
                    relay_money_is_valid_currency (currency) ? currency : "XXX");
  row->testmode = sqlite3_column_int (stmt, 13) != 0;
  row->tradegecko_order_id = sqlite3_column_int64 (stmt, 14);
  row->tradegecko_order_number = store_column_dup_text (stmt, 15);
  row->in_flight = store_in_flight_from_string ((const char *) sqlite3_column_text (stmt, 16));
  row->idempotency_key = store_column_dup_text (stmt, 17);
  row->last_error = store_column_dup_text (stmt, 18);
  row->error_kind = store_column_dup_text (stmt, 19);
  row->retry_count = (guint) sqlite3_column_int (stmt, 20);
  row->updated_at = sqlite3_column_int64 (stmt, 21);
  row->claim_pid = sqlite3_column_int64 (stmt, 22);
  row->claimed_at = sqlite3_column_int64 (stmt, 23);
  row->cancel_pending = sqlite3_column_int (stmt, 24) != 0;
  row->tracking_numbers = store_column_dup_text (stmt, 25);

  return row;
}

/* One order by a column, or %NULL without error when there is none. */
RelayOrderRow *
store_find_order_where (RelayStore  *self,
                        const char  *where,
                        const char  *types,
                        const char  *text,
                        gint64       number,
                        gboolean    *failed,
                        GError     **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " ORDER_COLUMNS " FROM orders WHERE ", where, " LIMIT 1", NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RelayOrderRow *row = NULL;
  gboolean found = FALSE;

  *failed = TRUE;
  stmt = types[0] == 's' ? store_prepare (self, error, sql, "s", text) : store_prepare (self, error, sql, "x", number);
  if (stmt == NULL)
    return NULL;

  if (store_step_row (self, stmt, &found, error))
    {
      *failed = FALSE;
      if (found)
        row = store_order_row_from_stmt (stmt);
    }

  return row;
}

RelayOrderRow *
store_find_order_or_fail (RelayStore  *self,
                          const char  *squarespace_id,
                          GError     **error)
{
  gboolean failed;
  RelayOrderRow *row;

  row = store_find_order_where (self, "squarespace_id = ?1", "s", squarespace_id, 0, &failed, error);
  if (row == NULL && !failed)
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND,
                 _("There is no order %s in the order database"), squarespace_id);
  return row;
}

void
store_order_row_free_cb (gpointer key,
                         gpointer value,
                         gpointer user_data)
{
  relay_order_row_free (value);
}

GPtrArray *
store_collect_order_rows (RelayStore    *self,
                          sqlite3_stmt  *statement,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = statement;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  gboolean found = TRUE;

  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (found)
        g_ptr_array_add (rows, store_order_row_from_stmt (stmt));
    }

  return g_steal_pointer (&rows);
}

gboolean
store_append_event (RelayStore  *self,
                    const char  *squarespace_id,
                    const char  *kind,
                    const char  *detail,
                    GError     **error)
{
  return store_run (self, error,
                    "INSERT INTO events (squarespace_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
                    "sxss", squarespace_id, store_now_ms (), kind, detail);
}

/* Starts a transition: opens the transaction in @tx and checks the order is in
 * one of @allowed stages, failing with @refusal ("Order %s cannot be delivered:
 * it is %s") when it is not. On failure @tx rolls back when it is cleared. */
RelayOrderRow *
store_begin_transition (RelayStore        *self,
                        StoreTransaction  *tx,
                        const char        *squarespace_id,
                        guint              allowed,
                        const char        *refusal,
                        GError           **error)
{
  g_autoptr(RelayOrderRow) row = NULL;

  if (!store_transaction_begin (tx, self, error))
    return NULL;

  row = store_find_order_or_fail (self, squarespace_id, error);
  if (row == NULL)
    return NULL;

  if ((STAGE_BIT (row->stage) & allowed) == 0)
    {
      /* @refusal is a caller's whole translated sentence, never input: two
       * %s, the order number and its stage. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE, refusal,
                   row->order_number, relay_stage_to_string (row->stage));
#pragma GCC diagnostic pop
      return NULL;
    }

  return g_steal_pointer (&row);
}

/* Appends the event, commits @tx and tells the views. */
gboolean
store_finish_transition (RelayStore        *self,
                         StoreTransaction  *tx,
                         const char        *squarespace_id,
                         const char        *kind,
                         const char        *detail,
                         GError           **error)
{
  if (!store_append_event (self, squarespace_id, kind, detail, error))
    return FALSE;
  store_step_done (self, "event");

  if (!store_transaction_commit (tx, error))
    return FALSE;

  store_emit_order_changed (self, squarespace_id);
  return TRUE;
}

/* The whole of a transition that is one statement: begins it (the order in one of @allowed
 * stages, else @refusal), runs @sql with its @types and arguments, marks @step (nullable) for
 * the crash tests and finishes with the @kind event. */
gboolean
store_transition_run (RelayStore  *self,
                      const char  *squarespace_id,
                      guint        allowed,
                      const char  *refusal,
                      const char  *step,
                      const char  *kind,
                      const char  *detail,
                      GError     **error,
                      const char  *sql,
                      const char  *types,
                      ...)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;
  va_list args;
  gboolean ok;

  row = store_begin_transition (self, &tx, squarespace_id, allowed, refusal, error);
  if (row == NULL)
    return FALSE;

  va_start (args, types);
  ok = store_run_valist (self, error, sql, types, args);
  va_end (args);
  if (!ok)
    return FALSE;
  if (step != NULL)
    store_step_done (self, step);

  return store_finish_transition (self, &tx, squarespace_id, kind, detail, error);
}

gboolean
store_set_stage (RelayStore  *self,
                 const char  *squarespace_id,
                 RelayStage   stage,
                 const char  *reason,
                 GError     **error)
{
  return store_run (self, error,
                    "UPDATE orders SET stage = ?2, stage_reason = ?3, updated_at = ?4 WHERE squarespace_id = ?1",
                    "sssx", squarespace_id, relay_stage_to_string (stage), reason, store_now_ms ());
}

gboolean
store_insert_lines (RelayStore  *self,
                    RelayOrder  *order,
                    GError     **error)
{
  GPtrArray *lines = relay_order_get_lines (order);
  const char *id = relay_order_get_squarespace_id (order);

  if (!store_run (self, error, "DELETE FROM order_lines WHERE squarespace_id = ?1", "s", id))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);

      if (!store_run (self, error,
                      "INSERT OR REPLACE INTO order_lines (squarespace_id, line_id, position, sku, product_name, "
                      "quantity, unit_price_minor, is_physical) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      "ssissxxi", id, line->id, (int) i, line->sku, line->product_name,
                      line->quantity, line->unit_price.minor, line->is_physical ? 1 : 0))
        return FALSE;
    }

  return TRUE;
}
