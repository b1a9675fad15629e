/* relay-sync-cycle-private.h
 *
 * Private to the sync engine: the engine's fields, one cycle's state (one struct
 * per flow) and the steps the flows hand each other. Not for the UI or the command line.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-error.h"
#include "relay-mapping.h"
#include "relay-sync-engine-private.h"

G_BEGIN_DECLS

typedef enum
{
  SIDE_SOURCE,
  SIDE_DESTINATION,
} Side;

#define CHECKPOINT_PULL       "source.pulled-until"
#define CHECKPOINT_FULFILL    "destination.shipments-since"
#define CHECKPOINT_CUSTOMERS  "destination.customers-since"
#define CHECKPOINT_LAST_SYNC  "last-sync."
#define CHECKPOINT_SWEPT      "source.swept-at"
#define CHECKPOINT_DESTINATION_CLOCK "destination.clock-offset-ms"

/* How often a window waiting for another process's cycle tries again. */
#define LOCK_RETRY_S          5
/* A claim by a live process older than this is taken to be a reused process id. */
#define CLAIM_MAX_AGE_MS      (60 * 60 * 1000)

#define MAX_BACKOFF_MINUTES   60

struct _RelaySyncEngine
{
  GObject           parent_instance;

  /* Owned */
  RelayStore       *store;
  RelayOrderSource *source;
  RelayOrderDestination *destination;
  GSettings        *settings;
  RelayMapping     *mapping;
  GTask            *cycle;
  GCancellable     *loop_cancellable;
  guint             timeout_id;
  gboolean          running;
  gboolean          again;
  guint             failures;
  gint64            next_sync;
  gint64            cycle_started_us; /* monotonic: when the loop's last cycle started */
  gulong            order_changed_id;
  RelayAccountFacts *account;   /* the destination account as last read: for previews */
  int               lock_fd;
  gint64            other_sync_pid;
  gboolean          sweep_on_start;
};
/* Flow 0: orders a crash or timeout left in flight. */
typedef struct
{
  GPtrArray       *in_flight;
  guint            index;
  gint64           reread_sent_ms;
} ReconcileState;

/* Flow 1: the pull window and where the paging has got to. */
typedef struct
{
  GDateTime       *pull_after;
  GDateTime       *pull_before;
  gboolean         initial_pull;
  char            *cursor;
  gboolean         pull_failed;
  gint64           pull_sent_ms;    /* local clock, when the first page was asked for */
  gint64           pull_answered_ms; /* Squarespace's clock then; 0 while unknown */
  gint64           max_modified_ms;
  gboolean         sweeping;
  gboolean         paging;          /* pages still to read: the post lane leaves it Squarespace's budget */
} PullState;

/* Flow 1b: delivered orders Squarespace has since cancelled. */
typedef struct
{
  GPtrArray       *orders;
  guint            index;
} CancelState;

/* Flow 2: what delivering the current batch needs, read once per cycle. */
typedef struct
{
  GHashTable      *aliases;
  GHashTable      *shipping_methods;
  RelayAccountFacts *account;   /* read once per cycle */
  GPtrArray       *variants;   /* RelayVariant */
  gboolean         customers_fresh;
  guint            customer_page;
  char            *customer_collection;
  GDateTime       *customers_started;
  gint64           customers_sent_ms;
  RelayResolution *resolution;
  char            *totals;      /* both totals, for the timeline once delivered */
  char            *key;
  guint            delivered;
  guint            rejected;
  gint64           to_deliver;
} DeliverState;

/* Payments: paid orders still to be invoiced and paid in TradeGecko. */
typedef struct
{
  GPtrArray       *orders;
  gboolean         done;
} PaymentsState;

/* Flow 3: the fulfilment pages and the orders they touched. */
typedef struct
{
  gint64           tracking_sent_ms;
  GDateTime       *tracking_started;
  GDateTime       *tracking_since;
  guint            page;
  GArray          *touched;
  gboolean         more_shipments;
  GHashTable      *touched_set;
  guint            touched_index;
  gboolean         reading;         /* the read lane is still reading pages */
} TrackingState;

/* Flow 4: the orders whose shipments are being posted, up to
 * RELAY_SYNC_POSTS_IN_FLIGHT at once (each with its own in-flight marker). */
typedef struct
{
  GHashTable      *carriers;
  guint            in_flight;   /* posts sent and not yet answered */
  gboolean         drained;     /* the store had nothing more while posts were in flight */
  GHashTable      *attempted;   /* tried this cycle and still waiting: skipped until the next */
  gboolean         parked;      /* out of work while the read lane reads: waiting to be woken */
  guint            taken;       /* orders taken into batches this cycle (progress) */
  guint            finished;    /* of those, answered or passed over */
} PostState;

/* One cycle. The fields at the top are shared: the first error, which service
 * is down, the lanes still running and the keys reconcile hands to deliver.
 * After reconciling the cycle runs three lanes at once (relay_sync_cycle_start_lanes()):
 * pull → deliver → payments, with `batch`, `attempted` and `progressed`;
 * read tracking (TradeGecko); post tracking, Squarespace-bound, with `batch_rows`
 * and its own PostState, taking each page of shipments as the read lane settles
 * it. Each lane waits only for its own API's pacing. */
typedef struct
{
  RelaySyncEngine *self;
  GError          *problem;
  gboolean         source_down;
  gboolean         destination_down;
  gboolean         stock_done;    /* the stock flow ran at this cycle's end */
  guint            lanes;         /* lanes running; each holds its own reference on the task */

  GHashTable      *resume_keys; /* squarespace id → idempotency key found in flight */
  GPtrArray       *batch;
  GPtrArray       *batch_rows;
  GHashTable      *attempted;   /* deliver: tried this cycle and still waiting, skipped until the next */
  gboolean         progressed;

  ReconcileState   reconcile;
  PullState        pull;
  CancelState      cancel;
  DeliverState     deliver;
  PaymentsState    pay;
  TrackingState    tracking;
  PostState        post;
} Cycle;

/* Signals the flows raise on the engine (relay-sync-engine.c owns them). */
void relay_sync_engine_emit_progress (RelaySyncEngine *self,
                                      const char      *step,
                                      guint            done,
                                      guint            total);
void relay_sync_engine_emit_connection_problem (RelaySyncEngine *self,
                                                const char      *store_id,
                                                const GError    *error);


/* relay-sync-cancel.c */
void relay_sync_cycle_settle_cancels (GTask *task);

/* relay-sync-cycle.c */
char *relay_sync_address_fingerprint (const char *first_name, const char *last_name, const char *address1, const char *postal_code, const char *country_code);
gint64 relay_sync_checkpoint_int (RelayStore *store, const char *key, gint64 fallback);
GDateTime *relay_sync_checkpoint_time (RelayStore *store, const char *key);
void relay_sync_crash_point (const char *step);
char *relay_sync_customer_key (const char *email);
void relay_sync_cycle_free (gpointer data);
void relay_sync_cycle_lane_done (GTask *task);
void relay_sync_cycle_start_lanes (GTask *task);
gboolean relay_sync_cycle_stopped (GTask *task);
GDateTime *relay_sync_datetime_from_ms (gint64 ms);
GDateTime *relay_sync_destination_time_at (RelaySyncEngine *self, gint64 sent_ms);
gboolean relay_sync_is_connection_error (const GError *error);
gint64 relay_sync_local_now_ms (void);
gboolean relay_sync_outcome_unknown (const GError *error);
void relay_sync_record_order_error (RelaySyncEngine *self, const char *squarespace_id, const GError *error);
void relay_sync_service_failed (Cycle *cycle, Side side, const GError *error);
void relay_sync_set_checkpoint_int (RelayStore *store, const char *key, gint64 value);
void relay_sync_set_checkpoint_time (RelayStore *store, const char *key, GDateTime *when, GError **error);
gboolean relay_sync_shipment_counts (const char *status, gboolean count_packed);
gint64 relay_sync_source_clock_offset_ms (RelaySyncEngine *self, gboolean *known);
void relay_sync_store_failed (Cycle *cycle, const GError *error);

/* relay-sync-deliver.c */
void relay_sync_cycle_deliver (GTask *task);
RelaySalesOrder *relay_sync_prepare_sales_order (RelaySyncEngine *self, RelayOrder *order, GHashTable *aliases, GHashTable *shipping_methods, GPtrArray *variants, const RelayAccountFacts *account, gboolean use_cache, RelayResolution **out_resolution, char **out_totals, GError **error);
void relay_sync_remember_account (RelaySyncEngine *self, const RelayAccountFacts *account);
void relay_sync_fill_order_options (RelaySyncEngine *self, RelayOrder *order, GHashTable *shipping_methods, const RelayAccountFacts *account, RelaySalesOrderOptions *options, RelayTaxSettings *tax);

/* relay-sync-engine.c */
void relay_sync_cycle_finish (GTask *task);

/* relay-sync-payments.c */
void relay_sync_cycle_pay (GTask *task);

/* relay-sync-post.c */
void relay_sync_cycle_post_after_pull (GTask *task);
void relay_sync_cycle_post_tracking (GTask *task);
void relay_sync_cycle_wake_post (GTask *task);

/* relay-sync-pull.c */
void relay_sync_cycle_pull (GTask *task);

/* relay-sync-reconcile.c */
void relay_sync_cycle_reconcile (GTask *task);

/* relay-sync-tracking.c */
void relay_sync_cycle_read_tracking (GTask *task);

G_END_DECLS
