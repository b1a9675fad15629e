/* relay-store-private.h — test hooks, and (under RELAY_STORE_COMPILATION) what the store's files share
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdarg.h>

#include "relay-store.h"

G_BEGIN_DECLS

/* Called inside a transition's transaction after each write, with a name such
 * as "finish_delivery:order". Crash-safety tests kill the process there. */
typedef void (*RelayStoreStepHook) (RelayStore *store,
                                    const char *step,
                                    gpointer    user_data);

void     relay_store_set_step_hook   (RelayStore         *self,
                                      RelayStoreStepHook  hook,
                                      gpointer            user_data);
char    *relay_store_explain_query   (RelayStore         *self,
                                      int                 stage,
                                      const char         *search,
                                      gboolean            with_cursor,
                                      GError            **error);
char    *relay_store_explain_order_keys (RelayStore     *self,
                                         RelayOrderSort  sort,
                                         gboolean        descending,
                                         GError        **error);
RelayStore *relay_store_open_at_version (const char         *path,
                                         int                 version,
                                         GError            **error);

/* ------------------------------------------------------------------------ */
/* Shared by the store's own files (relay-store*.c), nothing else            */

#ifdef RELAY_STORE_COMPILATION

#include <sqlite3.h>

/* The state file. Every transition runs in one IMMEDIATE transaction that
 * also appends the order's event, so a process killed at any point leaves
 * either the old state or the new one, never half of each. Signals are
 * emitted after the commit. */

/* A transaction that rolls back when it goes out of scope uncommitted. */
typedef struct
{
  RelayStore *store; /* (nullable): set while the transaction is open */
} StoreTransaction;

struct _RelayStore
{
  GObject             parent_instance;

  /* Owned */
  char               *path;
  sqlite3            *db;
  int                 schema_version;

  GHashTable         *statements; /* SQL text → prepared statement (not checked out) */
  StoreTransaction    group;      /* relay_store_begin_group(): open while in_group */
  gboolean            in_group;
  GPtrArray          *group_changed; /* orders changed in the group, told after its commit */

  /* Borrowed */
  RelayStoreStepHook  step_hook;
  gpointer            step_hook_data;
};

#define STAGE_BIT(stage) (1u << (stage))

/* The order list's sort keys that are expressions: the indexes of version 5 and
 * the list query (relay-store-queries.c) must spell them alike for SQLite to use the index. */
#define SORT_NUMBER_VALUE "CAST (order_number AS INTEGER)"
#define SORT_STAGE_RANK \
  "CASE stage WHEN 'rejected' THEN 0 WHEN 'new' THEN 1 WHEN 'at_tradegecko' THEN 2 " \
  "WHEN 'shipped' THEN 3 WHEN 'confirmed' THEN 4 WHEN 'skipped' THEN 5 ELSE 6 END"

#define ORDER_COLUMNS \
  "squarespace_id, order_number, cust_po_no, cust_ref, stage, stage_reason, customer_name, " \
  "customer_email, created_on, modified_on, item_count, grand_total_minor, currency, testmode, " \
  "tradegecko_order_id, tradegecko_order_number, in_flight, idempotency_key, last_error, " \
  "error_kind, retry_count, updated_at, claim_pid, claimed_at, cancel_pending, " \
  "(SELECT group_concat (tracking_number, ', ') FROM shipments " \
  " WHERE shipments.squarespace_id = orders.squarespace_id AND tracking_number IS NOT NULL)"
/* How many ORDER_COLUMNS there are: a column selected after them has this index. */
#define ORDER_N_COLUMNS 26

G_GNUC_INTERNAL gint64         store_now_ms             (void);
G_GNUC_INTERNAL gint64         store_datetime_to_ms     (GDateTime     *time);
G_GNUC_INTERNAL void           store_set_db_error       (RelayStore    *self,
                                                         GError       **error);
G_GNUC_INTERNAL gboolean       store_exec_sql           (RelayStore    *self,
                                                         const char    *sql,
                                                         GError       **error);
G_GNUC_INTERNAL void           store_release_statement  (sqlite3_stmt  *stmt);
G_GNUC_INTERNAL void           store_statement_cache_clear (RelayStore *self);
G_GNUC_INTERNAL sqlite3_stmt  *store_prepare_once       (RelayStore    *self,
                                                         const char    *sql,
                                                         GError       **error);
G_GNUC_INTERNAL sqlite3_stmt  *store_prepare_valist     (RelayStore    *self,
                                                         GError       **error,
                                                         const char    *sql,
                                                         const char    *types,
                                                         va_list        args);
G_GNUC_INTERNAL sqlite3_stmt  *store_prepare            (RelayStore    *self,
                                                         GError       **error,
                                                         const char    *sql,
                                                         const char    *types,
                                                         ...);
G_GNUC_INTERNAL gboolean       store_run                (RelayStore    *self,
                                                         GError       **error,
                                                         const char    *sql,
                                                         const char    *types,
                                                         ...);
G_GNUC_INTERNAL gboolean       store_step_row           (RelayStore    *self,
                                                         sqlite3_stmt  *stmt,
                                                         gboolean      *found,
                                                         GError       **error);
G_GNUC_INTERNAL char          *store_column_dup_text    (sqlite3_stmt  *stmt,
                                                         int            column);
#define STORE_TRANSACTION_INIT { NULL }

G_GNUC_INTERNAL gboolean       store_transaction_begin  (StoreTransaction  *tx,
                                                         RelayStore        *self,
                                                         GError           **error);
G_GNUC_INTERNAL gboolean       store_transaction_commit (StoreTransaction  *tx,
                                                         GError           **error);
G_GNUC_INTERNAL void           store_transaction_clear  (StoreTransaction  *tx);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoreTransaction, store_transaction_clear)

G_GNUC_INTERNAL void           store_step_done          (RelayStore    *self,
                                                         const char    *step);
G_GNUC_INTERNAL void           store_emit_order_changed (RelayStore    *self,
                                                         const char    *squarespace_id);
G_GNUC_INTERNAL void           store_emit_maps_changed  (RelayStore    *self);
G_GNUC_INTERNAL RelayOrderRow *store_order_row_from_stmt (sqlite3_stmt *stmt);
G_GNUC_INTERNAL RelayOrderRow *store_find_order_where   (RelayStore    *self,
                                                         const char    *where,
                                                         const char    *types,
                                                         const char    *text,
                                                         gint64         number,
                                                         gboolean      *failed,
                                                         GError       **error);
G_GNUC_INTERNAL RelayOrderRow *store_find_order_or_fail (RelayStore    *self,
                                                         const char    *squarespace_id,
                                                         GError       **error);
G_GNUC_INTERNAL void           store_order_row_free_cb  (gpointer       key,
                                                         gpointer       value,
                                                         gpointer       user_data);
G_GNUC_INTERNAL GPtrArray     *store_collect_order_rows (RelayStore    *self,
                                                         sqlite3_stmt  *stmt,
                                                         GError       **error);
G_GNUC_INTERNAL gboolean       store_append_event       (RelayStore    *self,
                                                         const char    *squarespace_id,
                                                         const char    *kind,
                                                         const char    *detail,
                                                         GError       **error);
G_GNUC_INTERNAL RelayOrderRow *store_begin_transition   (RelayStore        *self,
                                                         StoreTransaction  *tx,
                                                         const char        *squarespace_id,
                                                         guint              allowed,
                                                         const char        *refusal,
                                                         GError           **error);
G_GNUC_INTERNAL gboolean       store_finish_transition  (RelayStore        *self,
                                                         StoreTransaction  *tx,
                                                         const char        *squarespace_id,
                                                         const char        *kind,
                                                         const char        *detail,
                                                         GError           **error);
G_GNUC_INTERNAL gboolean       store_transition_run     (RelayStore    *self,
                                                         const char    *squarespace_id,
                                                         guint          allowed,
                                                         const char    *refusal,
                                                         const char    *step,
                                                         const char    *kind,
                                                         const char    *detail,
                                                         GError       **error,
                                                         const char    *sql,
                                                         const char    *types,
                                                         ...);
G_GNUC_INTERNAL gboolean       store_set_stage          (RelayStore    *self,
                                                         const char    *squarespace_id,
                                                         RelayStage     stage,
                                                         const char    *reason,
                                                         GError       **error);
G_GNUC_INTERNAL gboolean       store_insert_lines       (RelayStore    *self,
                                                         RelayOrder    *order,
                                                         GError       **error);
G_GNUC_INTERNAL RelayStore    *store_open_at_version    (const char    *path,
                                                         int            target,
                                                         GError       **error);

/* Statements from store_prepare() go back to the cache when released. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, store_release_statement)

#endif /* RELAY_STORE_COMPILATION */

G_END_DECLS
