/* relay-sync-engine.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relay-error.h"
#include "relay-mapping.h"
#include "relay-sync-engine.h"
#include "relay-sync-stock.h"

/* One cycle runs the four flows in order, each as a chain of async steps on the
 * main loop: reconcile in-flight work → pull → deliver → read tracking → post
 * tracking. The engine knows the two services only as a RelayOrderSource (the
 * store: Squarespace) and a RelayOrderDestination (the inventory: TradeGecko). Work is taken from
 * the database in bounded batches so memory does not grow with the backlog.
 *
 * Exactly once: every remote write is preceded by a committed in-flight marker
 * (with the idempotency key for TradeGecko) and followed by a committed result.
 * An order found in flight is reconciled against the service before anything
 * is sent again.
 *
 * Across processes (the window and `order-relay sync` from cron): a cycle runs
 * only while holding an advisory lock next to the state database, and every
 * in-flight claim names the process that made it.
 *
 * Time: Squarespace stamps modifiedOn with its own clock, so pull windows and the
 * checkpoint are in its time (its Date header), never the desktop's. */

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
  gulong            order_changed_id;
  RelayAccountFacts *account;   /* the destination account as last read: for previews */
  int               lock_fd;
  gint64            other_sync_pid;
  gboolean          sweep_on_start;
};

G_DEFINE_FINAL_TYPE (RelaySyncEngine, relay_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_LAST_SOURCE_SYNC,
  PROP_LAST_DESTINATION_SYNC,
  PROP_NEXT_SYNC,
  PROP_OTHER_SYNC_PID,
  PROP_CLOCK_OFFSET,
  N_PROPS
};

enum {
  CYCLE_STARTED,
  CYCLE_FINISHED,
  PROGRESS,
  ORDER_CHANGED,
  CONNECTION_PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  RelaySyncEngine *self;
  GError          *problem;
  gboolean         source_down;
  gboolean         destination_down;
  gboolean         stock_done;

  /* Reconcile */
  GPtrArray       *in_flight;
  guint            index;
  GHashTable      *resume_keys;

  /* Pull */
  GDateTime       *pull_after;
  GDateTime       *pull_before;
  gboolean         initial_pull;
  char            *cursor;
  gboolean         pull_failed;
  gint64           pull_sent_ms;    /* local clock, when the first page was asked for */
  gint64           pull_answered_ms; /* Squarespace's clock then; 0 while unknown */
  gint64           max_modified_ms;
  gboolean         sweeping;

  /* Cancellations after delivery */
  GPtrArray       *cancels;

  /* Deliver */
  GPtrArray       *batch;
  GPtrArray       *batch_rows;
  GHashTable      *aliases;
  GHashTable      *shipping_methods;
  RelayAccountFacts *account;   /* read once per cycle */
  JsonArray       *variants;
  GHashTable      *attempted;   /* tried this cycle and still waiting: skipped until the next */
  gboolean         progressed;
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

  /* Payments */
  GPtrArray       *payments;
  gboolean         payments_done;

  /* Tracking */
  gint64           tracking_sent_ms;
  GDateTime       *tracking_started;
  GDateTime       *tracking_since;
  guint            page;
  GArray          *touched;
  gboolean         more_shipments;
  GHashTable      *touched_set;
  guint            touched_index;

  gint64           reread_sent_ms;

  /* Post tracking */
  GHashTable      *carriers;
  GArray          *posting_ids;
  char            *posting_order;
} Cycle;

static void cycle_pull (GTask *task);
static void cycle_settle_cancels (GTask *task);
static void release_lock (RelaySyncEngine *self);
static void pull_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void cycle_deliver (GTask *task);
static void cycle_read_tracking (GTask *task);
static void cycle_post_tracking (GTask *task);
static void cycle_finish (GTask *task);
static void deliver_next (GTask *task);
static void post_next (GTask *task);
static void reconcile_next (GTask *task);
static void deliver_one (GTask *task, RelayOrder *order);

static void
cycle_free (gpointer data)
{
  Cycle *cycle = data;

  g_clear_error (&cycle->problem);
  g_clear_pointer (&cycle->in_flight, g_ptr_array_unref);
  g_clear_pointer (&cycle->resume_keys, g_hash_table_unref);
  g_clear_pointer (&cycle->pull_after, g_date_time_unref);
  g_clear_pointer (&cycle->pull_before, g_date_time_unref);
  g_clear_pointer (&cycle->cancels, g_ptr_array_unref);
  g_free (cycle->cursor);
  g_clear_pointer (&cycle->batch, g_ptr_array_unref);
  g_clear_pointer (&cycle->batch_rows, g_ptr_array_unref);
  g_clear_pointer (&cycle->aliases, g_hash_table_unref);
  g_clear_pointer (&cycle->shipping_methods, g_hash_table_unref);
  g_clear_pointer (&cycle->variants, json_array_unref);
  g_clear_pointer (&cycle->account, relay_account_facts_free);
  g_clear_pointer (&cycle->attempted, g_hash_table_unref);
  g_free (cycle->customer_collection);
  g_clear_pointer (&cycle->customers_started, g_date_time_unref);
  g_clear_pointer (&cycle->resolution, relay_resolution_free);
  g_free (cycle->totals);
  g_free (cycle->key);
  g_clear_pointer (&cycle->payments, g_ptr_array_unref);
  g_clear_pointer (&cycle->tracking_started, g_date_time_unref);
  g_clear_pointer (&cycle->tracking_since, g_date_time_unref);
  g_clear_pointer (&cycle->touched, g_array_unref);
  g_clear_pointer (&cycle->touched_set, g_hash_table_unref);
  g_clear_pointer (&cycle->carriers, g_hash_table_unref);
  g_clear_pointer (&cycle->posting_ids, g_array_unref);
  g_free (cycle->posting_order);
  g_free (cycle);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

/* The crash-test hook: see ORDER_RELAY_TEST_CRASH_AT in the header. */
static void
crash_point (const char *step)
{
  const char *wanted = g_getenv (RELAY_SYNC_ENGINE_CRASH_ENV);

  if (wanted != NULL && g_str_equal (wanted, step))
    _exit (137);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Failures after which the remote call may still have happened (409: the
 * service is still working on an earlier request for the record). */
static gboolean
outcome_unknown (const GError *error)
{
  return relay_error_is_transient (error) || is_cancelled (error) ||
         g_error_matches (error, RELAY_ERROR, RELAY_ERROR_CONFLICT);
}

/* Keeps the error with the order, unless the engine was just being stopped. */
static void
record_order_error (RelaySyncEngine *self,
                    const char      *squarespace_id,
                    const GError    *error)
{
  if (!is_cancelled (error))
    relay_store_record_error (self->store, squarespace_id, error, NULL);
}

static gboolean
is_connection_error (const GError *error)
{
  return relay_error_is_transient (error) || relay_error_needs_attention (error);
}

/* A failure of a whole service for this cycle: its remaining calls are skipped,
 * the cycle ends with the first such error. */
static void
service_failed (Cycle        *cycle,
                Side          side,
                const GError *error)
{
  gboolean *down = side == SIDE_SOURCE ? &cycle->source_down : &cycle->destination_down;
  const char *store_id = side == SIDE_SOURCE ? relay_order_source_get_id (cycle->self->source)
                                             : relay_order_destination_get_id (cycle->self->destination);

  if (*down)
    return;
  *down = TRUE;

  /* Stopping is not a problem with the service. */
  if (is_cancelled (error))
    return;

  g_debug ("%s failed this cycle: %s", store_id, error->message);
  if (cycle->problem == NULL)
    cycle->problem = g_error_copy (error);
  g_signal_emit (cycle->self, signals[CONNECTION_PROBLEM], 0, store_id, error);
}

static void
store_failed (Cycle        *cycle,
              const GError *error)
{
  g_warning ("Order database: %s", error->message);
  if (cycle->problem == NULL)
    cycle->problem = g_error_copy (error);
}

static GDateTime *
checkpoint_time (RelayStore *store,
                 const char *key)
{
  g_autofree char *text = relay_store_dup_checkpoint (store, key, NULL);

  return text != NULL ? relay_parse_iso8601 (text) : NULL;
}

static void
set_checkpoint_time (RelayStore *store,
                     const char *key,
                     GDateTime  *when,
                     GError    **error)
{
  g_autofree char *text = relay_format_iso8601_millis (when);

  relay_store_set_checkpoint (store, key, text, error);
}

static gint64
local_now_ms (void)
{
  return g_get_real_time () / 1000;
}

static GDateTime *
datetime_from_ms (gint64 ms)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_add (seconds, (ms % 1000) * G_TIME_SPAN_MILLISECOND);
}

static gint64
checkpoint_int (RelayStore *store,
                const char *key,
                gint64      fallback)
{
  g_autofree char *text = relay_store_dup_checkpoint (store, key, NULL);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : fallback;
}

static void
set_checkpoint_int (RelayStore *store,
                    const char *key,
                    gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  relay_store_set_checkpoint (store, key, text, NULL);
}

/* A service's clock minus ours: what it said this session, else what it said
 * last time; @known is FALSE when it never said (0 then). */
static gint64
source_clock_offset_ms (RelaySyncEngine *self,
                        gboolean        *known)
{
  gint64 offset;

  *known = TRUE;
  if (relay_order_source_get_clock_offset (self->source, &offset))
    return offset;
  offset = checkpoint_int (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, G_MININT64);
  *known = offset != G_MININT64;
  return *known ? offset : 0;
}

static gint64
destination_clock_offset_ms (RelaySyncEngine *self)
{
  gint64 offset;

  if (relay_order_destination_get_clock_offset (self->destination, &offset))
    return offset;
  return checkpoint_int (self->store, CHECKPOINT_DESTINATION_CLOCK, 0);
}

/* The destination's time when a request sent at @sent_ms (local) was answered:
 * the checkpoints of its windows are in its clock, not ours. */
static GDateTime *
destination_time_at (RelaySyncEngine *self,
                     gint64           sent_ms)
{
  return datetime_from_ms (sent_ms + destination_clock_offset_ms (self));
}

static char *
fold (const char *text)
{
  return text != NULL ? g_utf8_casefold (text, -1) : g_strdup ("");
}

static char *
address_fingerprint (const char *first_name,
                     const char *last_name,
                     const char *address1,
                     const char *postal_code,
                     const char *country_code)
{
  g_autofree char *a = fold (first_name);
  g_autofree char *b = fold (last_name);
  g_autofree char *c = fold (address1);
  g_autofree char *d = fold (postal_code);
  g_autofree char *e = fold (country_code);
  g_autofree char *joined = g_strjoin ("\x1f", a, b, c, d, e, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA1, joined, -1);
}

/* The customer cache's key: TradeGecko matches e-mails without case. */
static char *
customer_key (const char *email)
{
  return fold (email);
}

static gint64
json_int (JsonObject *object,
          const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return 0;
}

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
json_array (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
shipment_counts (const char *status,
                 gboolean    count_packed)
{
  return g_strcmp0 (status, "fulfilled") == 0 || (count_packed && g_strcmp0 (status, "packed") == 0);
}

/* ------------------------------------------------------------------------ */
/* Cycle: finish                                                             */

/* Stored for the next process (which has not heard the services yet) and for
 * `order-relay status`. */
static void
remember_clocks (RelaySyncEngine *self)
{
  gint64 offset;

  if (relay_order_source_get_clock_offset (self->source, &offset))
    {
      gint64 before = checkpoint_int (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, G_MININT64);

      set_checkpoint_int (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, offset);
      if (before / 1000 != offset / 1000)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
    }
  if (relay_order_destination_get_clock_offset (self->destination, &offset))
    set_checkpoint_int (self->store, CHECKPOINT_DESTINATION_CLOCK, offset);
}

static void
stock_cycle_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* A stock failure leaves its batch pending for the next cycle; orders are not held up. */
  report = relay_sync_stock_run_finish (result, &error);
  if (report == NULL)
    g_debug ("Stock cycle failed: %s", error->message);
  cycle_finish (user_data);
}

static void
cycle_finish (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));

  /* The stock flow (relay-sync-stock.c) runs last, with both services reachable. */
  if (!cycle->stock_done && !cycle->source_down && !cycle->destination_down &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)) &&
      relay_sync_stock_wanted (self->settings, self->store))
    {
      RelayStockOptions options;

      cycle->stock_done = TRUE;
      relay_stock_options_from_settings (self->settings, &options);
      relay_sync_stock_run_async (self->store, self->source, self->destination, &options,
                                  g_task_get_cancellable (task), stock_cycle_done_cb, task);
      return;
    }

  if (!cycle->source_down)
    {
      g_autofree char *key = g_strconcat (CHECKPOINT_LAST_SYNC, relay_order_source_get_id (self->source), NULL);

      relay_store_set_checkpoint (self->store, key, stamp, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SOURCE_SYNC]);
    }
  if (!cycle->destination_down)
    {
      g_autofree char *key = g_strconcat (CHECKPOINT_LAST_SYNC, relay_order_destination_get_id (self->destination), NULL);

      relay_store_set_checkpoint (self->store, key, stamp, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_DESTINATION_SYNC]);
    }

  remember_clocks (self);
  if (cycle->problem == NULL)
    relay_store_set_checkpoint (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS, stamp, NULL);

  g_debug ("Cycle done: %u delivered, %u rejected%s%s", cycle->delivered, cycle->rejected,
           cycle->problem ? "; " : "", cycle->problem ? cycle->problem->message : "");

  if (cycle->problem != NULL)
    g_task_return_error (task, g_error_copy (cycle->problem));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ------------------------------------------------------------------------ */
/* Flow 0: reconcile what a crash or timeout left in flight                  */

static void
reconcile_done_one (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->index++;
  reconcile_next (task);
}

static void
reconcile_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayOrderRow *row = g_ptr_array_index (cycle->in_flight, cycle->index);
  g_autoptr(JsonArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *found = NULL;

  orders = relay_order_destination_find_orders_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (orders == NULL)
    {
      service_failed (cycle, SIDE_DESTINATION, error);
      record_order_error (self, row->squarespace_id, error);
      reconcile_done_one (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (orders) && found == NULL; i++)
    {
      JsonObject *candidate = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_string (candidate, "reference_number"), row->cust_po_no) == 0 &&
          g_strcmp0 (json_string (candidate, "status"), "void") != 0 &&
          g_strcmp0 (json_string (candidate, "status"), "deleted") != 0)
        found = candidate;
    }

  if (found != NULL && json_int (found, "id") > 0)
    {
      g_autofree char *detail = g_strdup_printf (_("Found in %s after an interrupted delivery; not sent again"),
                                                 relay_order_destination_get_name (self->destination));

      g_debug ("Order %s was already delivered", row->order_number);
      if (!relay_store_finish_delivery (self->store, row->squarespace_id, json_int (found, "id"),
                                        json_string (found, "order_number"), NULL, &error))
        store_failed (cycle, error);
      else
        relay_store_add_event (self->store, row->squarespace_id, "reconciled",
                               detail, NULL);
    }
  else
    {
      g_autofree char *detail = g_strdup_printf (_("Not found in %s after an interrupted delivery; sending again"),
                                                 relay_order_destination_get_name (self->destination));

      /* Not there: send it again, with the same key, in the deliver flow. */
      g_hash_table_insert (cycle->resume_keys, g_strdup (row->squarespace_id), g_strdup (row->idempotency_key));
      if (!relay_store_clear_in_flight (self->store, row->squarespace_id,
                                        detail,
                                        &error))
        store_failed (cycle, error);
    }

  reconcile_done_one (task);
}

static void
reconcile_read_order_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayOrderRow *row = g_ptr_array_index (cycle->in_flight, cycle->index);
  g_autoptr(RelayOrder) remote = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GArray) posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  remote = relay_order_source_get_order_finish (RELAY_ORDER_SOURCE (object), result, &error);
  if (remote == NULL)
    {
      if (is_connection_error (error))
        service_failed (cycle, SIDE_SOURCE, error);
      record_order_error (self, row->squarespace_id, error);
      reconcile_done_one (task);
      return;
    }

  shipments = relay_store_dup_shipments (self->store, row->squarespace_id, &error);
  for (guint i = 0; shipments != NULL && i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      if (shipment->posted_at != 0)
        continue;
      /* An untracked shipment leaves no parcel on Squarespace, only the fulfilled order. */
      if (shipment->tracking_number != NULL ? relay_order_has_tracking_number (remote, shipment->tracking_number)
                                            : relay_order_is_fulfilled (remote))
        g_array_append_val (posted, shipment->fulfillment_id);
    }

  if (posted->len > 0)
    {
      if (!relay_store_mark_shipments_posted (self->store, row->squarespace_id,
                                              (const gint64 *) posted->data, posted->len, &error))
        store_failed (cycle, error);
    }
  else if (cycle->reread_sent_ms - row->claimed_at < RELAY_SYNC_ENGINE_POST_SETTLE_S * 1000)
    {
      /* The interrupted post may still be landing: absent now proves nothing. */
      g_debug ("Order %s: tracking not on %s yet, the post may still be in progress; checking later",
               row->order_number, relay_order_source_get_name (self->source));
    }
  else
    {
      g_autofree char *detail = g_strdup_printf (_("The tracking is not on %s after an interrupted post; sending again"),
                                                 relay_order_source_get_name (self->source));

      if (!relay_store_clear_in_flight (self->store, row->squarespace_id, detail, &error))
        store_failed (cycle, error);
    }

  reconcile_done_one (task);
}

/* Whether another process that is still running made the claim: that process
 * owns the outcome. A very old claim is taken to be a reused process id. */
static gboolean
claim_held_elsewhere (const RelayOrderRow *row)
{
  if (row->claim_pid <= 0 || row->claim_pid == getpid () || row->claim_pid > G_MAXINT)
    return FALSE;
  if (kill ((pid_t) row->claim_pid, 0) != 0 && errno != EPERM)
    return FALSE;
  return local_now_ms () - row->claimed_at < CLAIM_MAX_AGE_MS;
}

static void
reconcile_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  GCancellable *cancellable = g_task_get_cancellable (task);
  RelayOrderRow *row;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->index >= cycle->in_flight->len)
    {
      cycle_pull (task);
      return;
    }

  row = g_ptr_array_index (cycle->in_flight, cycle->index);
  if (claim_held_elsewhere (row))
    {
      g_debug ("Order %s is claimed by process %" G_GINT64_FORMAT ", which is running: left alone",
               row->order_number, row->claim_pid);
      reconcile_done_one (task);
    }
  else if (row->in_flight == RELAY_IN_FLIGHT_DELIVER && !cycle->destination_down && row->cust_po_no != NULL)
    relay_order_destination_find_orders_async (self->destination, row->cust_po_no, cancellable,
                                               reconcile_found_cb, task);
  else if (row->in_flight == RELAY_IN_FLIGHT_POST_TRACKING && !cycle->source_down)
    {
      cycle->reread_sent_ms = local_now_ms ();
      relay_order_source_get_order_async (self->source, row->squarespace_id, cancellable,
                                          reconcile_read_order_cb, task);
    }
  else
    reconcile_done_one (task);
}

static void
cycle_reconcile (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cycle->in_flight = relay_store_dup_orders_in_flight (cycle->self->store, &error);
  if (cycle->in_flight == NULL)
    {
      store_failed (cycle, error);
      cycle->in_flight = g_ptr_array_new ();
    }
  cycle->index = 0;
  reconcile_next (task);
}

/* ------------------------------------------------------------------------ */
/* Flow 1: pull orders from Squarespace                                      */

/* TradeGecko's API has no refunds (issue 14): the timeline says what
 * Squarespace refunded, so whoever reads it can record it in TradeGecko. */
static void
note_refund (RelaySyncEngine *self,
             RelayOrder      *order,
             gint64           refunded_before)
{
  RelayMoney now = *relay_order_get_refunded_total (order);
  RelayMoney added = now;
  g_autofree char *added_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *detail = NULL;

  added.minor -= refunded_before;
  added_text = relay_money_format_display (&added);
  total_text = relay_money_format_display (&now);
  detail = g_strdup_printf (_("Squarespace refunded %s (%s in all). TradeGecko’s API has no refunds: "
                              "record it in TradeGecko if the sales order should show it."),
                            added_text, total_text);
  relay_store_add_event (self->store, relay_order_get_squarespace_id (order), "refunded", detail, NULL);
}

static gboolean
store_pulled_order (Cycle       *cycle,
                    RelayOrder  *order,
                    GError     **error)
{
  RelaySyncEngine *self = cycle->self;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *skip_reason = NULL;
  RelayUpsertResult result;
  gint64 refunded_before = 0;

  row = relay_store_find_order (self->store, relay_order_get_squarespace_id (order), error);
  if (row == NULL)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      if (!relay_mapping_assign_references (self->mapping, order, error))
        return FALSE;
      if (relay_order_get_testmode (order) && g_settings_get_enum (self->settings, "test-orders") == 0)
        skip_reason = g_strdup (_("Test order (the test-orders setting is “skip”)"));
    }
  else
    {
      g_autoptr(RelayOrder) stored = relay_store_load_order (self->store, row->squarespace_id, NULL);

      if (stored != NULL)
        refunded_before = relay_order_get_refunded_total (stored)->minor;
    }

  if (!relay_store_upsert_order (self->store, order, skip_reason, &result, error))
    return FALSE;
  if (result != RELAY_UPSERT_UNCHANGED && relay_order_get_refunded_total (order)->minor > refunded_before)
    note_refund (self, order, refunded_before);
  if (relay_order_get_modified_on (order) != NULL)
    cycle->max_modified_ms = MAX (cycle->max_modified_ms,
                                  g_date_time_to_unix (relay_order_get_modified_on (order)) * 1000 +
                                  g_date_time_get_microsecond (relay_order_get_modified_on (order)) / 1000);
  return TRUE;
}

/* Whether the reconciliation sweep is due: on start, then every
 * `reconcile-interval-minutes` (measured on our clock; a clock set back counts as due). */
static gboolean
sweep_due (RelaySyncEngine *self)
{
  gint64 swept = checkpoint_int (self->store, CHECKPOINT_SWEPT, 0);
  gint64 interval_ms = (gint64) g_settings_get_uint (self->settings, "reconcile-interval-minutes") * 60000;
  gint64 now = local_now_ms ();

  return self->sweep_on_start || swept <= 0 || now < swept || now - swept >= interval_ms;
}

/* The sweep: every open order of the look-back window, for what the pull windows
 * missed (a change that became visible long after its modifiedOn). */
static void
start_sweep (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) after = g_date_time_add_days (cycle->pull_before,
                                                     -(int) g_settings_get_uint (self->settings,
                                                                                 "initial-lookback-days"));
  g_autofree char *since = g_date_time_format_iso8601 (after);

  g_debug ("Reconciliation sweep of the open orders since %s", since);
  cycle->sweeping = TRUE;
  cycle->pull_failed = FALSE;
  g_clear_pointer (&cycle->cursor, g_free);
  relay_order_source_list_orders_async (self->source, after, cycle->pull_before, TRUE, NULL,
                                        g_task_get_cancellable (task), pull_page_cb, task);
}

/* The new pull checkpoint, in Squarespace's time: when it answered the first
 * page (its Date), never past the window's end; without a Date, the newest
 * modifiedOn read; with neither, the checkpoint stays (%NULL). */
static GDateTime *
pull_watermark (Cycle *cycle)
{
  gint64 before_ms = g_date_time_to_unix (cycle->pull_before) * 1000 +
                     g_date_time_get_microsecond (cycle->pull_before) / 1000;

  if (cycle->pull_answered_ms > 0)
    return datetime_from_ms (MIN (cycle->pull_answered_ms, before_ms));
  if (cycle->max_modified_ms > 0)
    return datetime_from_ms (cycle->max_modified_ms);
  return NULL;
}

static void
pull_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  guint unreadable = 0;
  gint64 offset;

  orders = relay_order_source_list_orders_finish (RELAY_ORDER_SOURCE (object), result, &next, &unreadable, &error);
  if (orders == NULL)
    {
      service_failed (cycle, SIDE_SOURCE, error);
      cycle_settle_cancels (task);
      return;
    }

  /* The first answer tells Squarespace's time: everything it stamped before
   * then (and made visible) was in this window. */
  if (!cycle->sweeping && cycle->cursor == NULL &&
      relay_order_source_get_clock_offset (self->source, &offset))
    cycle->pull_answered_ms = cycle->pull_sent_ms + offset;

  /* An order that cannot be read or stored keeps the window where it is: it is
   * read again next cycle, never lost. */
  if (unreadable > 0)
    cycle->pull_failed = TRUE;
  for (guint i = 0; i < orders->len; i++)
    {
      g_autoptr(GError) order_error = NULL;
      RelayOrder *order = g_ptr_array_index (orders, i);

      if (!store_pulled_order (cycle, order, &order_error))
        {
          cycle->pull_failed = TRUE;
          g_warning ("Order %s from %s could not be stored (it is read again next cycle): %s",
                     relay_order_get_order_number (order), relay_order_source_get_name (self->source),
                     order_error->message);
          if (cycle->problem == NULL)
            g_set_error (&cycle->problem, order_error->domain, order_error->code,
                         _("Order %s from %s could not be saved; it will be read again next time: %s"),
                         relay_order_get_order_number (order), relay_order_source_get_name (self->source),
                         order_error->message);
          if (order_error->domain == RELAY_ERROR && order_error->code == RELAY_ERROR_STATE)
            store_failed (cycle, order_error);
        }
    }

  crash_point ("after-pull-page");
  g_signal_emit (self, signals[PROGRESS], 0, "pull", orders->len, 0);

  if (next != NULL)
    {
      g_free (cycle->cursor);
      cycle->cursor = g_steal_pointer (&next);
      relay_order_source_list_orders_async (self->source, NULL, NULL, FALSE, cycle->cursor,
                                            g_task_get_cancellable (task), pull_page_cb, task);
      return;
    }

  if (cycle->pull_failed && cycle->problem == NULL)
    g_set_error (&cycle->problem, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                 _("%s sent an order that could not be read; it will be read again next time"),
                 relay_order_source_get_name (self->source));

  if (cycle->sweeping || cycle->initial_pull)
    {
      /* The first pull is a sweep too: open orders of the whole look-back window. */
      if (!cycle->pull_failed)
        {
          set_checkpoint_int (self->store, CHECKPOINT_SWEPT, local_now_ms ());
          self->sweep_on_start = FALSE;
        }
    }

  if (!cycle->sweeping && !cycle->pull_failed)
    {
      g_autoptr(GDateTime) mark = pull_watermark (cycle);

      if (mark != NULL)
        set_checkpoint_time (self->store, CHECKPOINT_PULL, mark, &error);
      if (error != NULL)
        store_failed (cycle, error);
    }

  if (!cycle->sweeping && !cycle->initial_pull && sweep_due (self))
    {
      start_sweep (task);
      return;
    }

  cycle_settle_cancels (task);
}

static void
cycle_pull (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) checkpoint = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean offset_known;

  if (cycle->source_down)
    {
      cycle_settle_cancels (task);
      return;
    }

  g_signal_emit (self, signals[PROGRESS], 0, "pull", 0, 0);

  /* Squarespace's now, from what its clock said last. A little ahead: it
   * stamps a burst of changes a few milliseconds apart, so the newest may lie
   * just past its Date. Before it ever said, far ahead: the desktop clock may
   * be hours behind, and the checkpoint comes from its answer anyway. */
  cycle->pull_sent_ms = local_now_ms ();
  now = datetime_from_ms (cycle->pull_sent_ms + source_clock_offset_ms (self, &offset_known));
  cycle->pull_before = g_date_time_add_seconds (now, offset_known ? 5 : 24 * 60 * 60);
  checkpoint = checkpoint_time (self->store, CHECKPOINT_PULL);
  if (checkpoint == NULL)
    {
      /* First sync: only open orders of the look-back window are work. */
      cycle->initial_pull = TRUE;
      cycle->pull_after = g_date_time_add_days (now,
                                                -(int) g_settings_get_uint (self->settings, "initial-lookback-days"));
    }
  else
    cycle->pull_after = g_date_time_add_seconds (checkpoint,
                                                 -60.0 * g_settings_get_uint (self->settings, "pull-overlap-minutes"));

  /* A checkpoint ahead of Squarespace's now (written from a desktop clock that
   * ran ahead, by an older version) is read as now. */
  if (g_date_time_compare (cycle->pull_after, now) > 0)
    {
      g_date_time_unref (cycle->pull_after);
      cycle->pull_after = g_date_time_add_seconds (now,
                                                   -60.0 * g_settings_get_uint (self->settings, "pull-overlap-minutes"));
    }

  relay_order_source_list_orders_async (self->source, cycle->pull_after, cycle->pull_before,
                                        cycle->initial_pull, NULL,
                                        g_task_get_cancellable (task), pull_page_cb, task);
}

/* ------------------------------------------------------------------------ */
/* Flow 1b: cancellations Squarespace reported after delivery                */

static void cancel_next (GTask *task);

static void
cancel_done_one (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->index++;
  cancel_next (task);
}

static void
settle_cancel (Cycle               *cycle,
               const RelayOrderRow *row,
               gboolean             voided,
               const char          *detail)
{
  g_autoptr(GError) error = NULL;

  if (!relay_store_settle_cancel (cycle->self->store, row->squarespace_id, voided, detail, &error))
    store_failed (cycle, error);
}

static void
order_voided_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayOrderRow *row = g_ptr_array_index (cycle->cancels, cycle->index);
  const char *name = relay_order_destination_get_name (self->destination);
  const char *number = row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?";
  g_autoptr(GError) error = NULL;

  if (relay_order_destination_void_order_finish (RELAY_ORDER_DESTINATION (object), result, &error))
    {
      g_autofree char *detail = g_strdup_printf (_("Canceled in Squarespace after delivery; %s order %s voided"),
                                                 name, number);

      settle_cancel (cycle, row, TRUE, detail);
    }
  else if (outcome_unknown (error) || relay_error_needs_attention (error))
    {
      /* Still pending: voided at the next cycle (voiding twice is refused, not repeated). */
      service_failed (cycle, SIDE_DESTINATION, error);
    }
  else
    {
      g_autofree char *detail = g_strdup_printf (_("Canceled in Squarespace after delivery, but %s did not void order %s (%s): "
                                                   "cancel it there"),
                                                 name, number, error->message);

      settle_cancel (cycle, row, FALSE, detail);
    }

  cancel_done_one (task);
}

/* Whether TradeGecko has shipped (or packed) any of the order. */
static gboolean
has_shipments (RelaySyncEngine *self,
               const char      *squarespace_id)
{
  g_autoptr(GPtrArray) shipments = relay_store_dup_shipments (self->store, squarespace_id, NULL);

  for (guint i = 0; shipments != NULL && i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      if (shipment_counts (shipment->status, TRUE))
        return TRUE;
    }
  return FALSE;
}

static void
cancel_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  const char *name = relay_order_destination_get_name (self->destination);
  RelayOrderRow *row;
  g_autofree char *detail = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->index >= cycle->cancels->len)
    {
      cycle_deliver (task);
      return;
    }

  row = g_ptr_array_index (cycle->cancels, cycle->index);
  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      /* Settled once the call under way is reconciled. */
      cancel_done_one (task);
      return;
    }

  if (!relay_stage_is_delivered (row->stage))
    {
      /* The delivery turned out not to have happened: never send it. */
      settle_cancel (cycle, row, TRUE, _("Canceled in Squarespace before delivery; not sent"));
      cancel_done_one (task);
      return;
    }

  if (row->stage == RELAY_STAGE_AT_TRADEGECKO && !has_shipments (self, row->squarespace_id))
    {
      if (g_settings_get_enum (self->settings, "canceled-after-delivery") == 0)
        {
          if (cycle->destination_down)
            {
              cancel_done_one (task);
              return;
            }
          relay_order_destination_void_order_async (self->destination, row->tradegecko_order_id,
                                                    g_task_get_cancellable (task), order_voided_cb, task);
          return;
        }
      detail = g_strdup_printf (_("Canceled in Squarespace after delivery; %s order %s is still open: void it there"),
                                name, row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?");
    }
  else
    detail = g_strdup_printf (_("Canceled in Squarespace after %s shipped order %s: "
                                "arrange a return or refund with the buyer"),
                              name, row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?");

  settle_cancel (cycle, row, FALSE, detail);
  cancel_done_one (task);
}

static void
cycle_settle_cancels (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cycle->cancels = relay_store_dup_orders_cancel_pending (cycle->self->store, &error);
  if (cycle->cancels == NULL)
    {
      store_failed (cycle, error);
      cycle->cancels = g_ptr_array_new ();
    }
  cycle->index = 0;
  cancel_next (task);
}

/* ------------------------------------------------------------------------ */
/* Flow 2: deliver orders to TradeGecko                                      */

static void customers_page (GTask *task);

static void
deliver_advance (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  /* Only orders still waiting are remembered, so memory does not grow with the backlog. */
  if (!cycle->progressed)
    g_hash_table_add (cycle->attempted,
                      g_strdup (relay_order_get_squarespace_id (g_ptr_array_index (cycle->batch, 0))));
  cycle->progressed = FALSE;
  g_clear_pointer (&cycle->resolution, relay_resolution_free);
  g_clear_pointer (&cycle->key, g_free);
  g_clear_pointer (&cycle->totals, g_free);
  g_ptr_array_remove_index (cycle->batch, 0);
  deliver_next (task);
}

/* TradeGecko refused an order made with a cached customer (archived or merged
 * since): look the customer up afresh next time. */
static void
forget_customer (RelaySyncEngine *self,
                 RelayOrder      *order)
{
  const char *email = relay_order_get_customer_email (order);
  g_autofree char *key = NULL;

  if (email == NULL)
    return;
  key = customer_key (email);
  relay_store_forget_customer (self->store, key, NULL);
}

static void
remember_customer (RelaySyncEngine *self,
                   RelayOrder      *order,
                   JsonObject      *created)
{
  gint64 company_id = json_int (created, "company_id");
  gint64 address_id = json_int (created, "shipping_address_id");
  const RelayAddress *address = relay_order_get_shipping_address (order);
  const char *email = relay_order_get_customer_email (order);
  g_autofree char *fingerprint = NULL;
  g_autofree char *key = NULL;

  if (company_id <= 0 || email == NULL)
    return;

  key = customer_key (email);
  if (key[0] == '\0')
    return;
  relay_store_remember_customers (self->store, (const char * const *) &key, &company_id, 1, NULL);

  if (address_id <= 0)
    return;
  fingerprint = address_fingerprint (address->first_name, address->last_name, address->address1,
                                     address->postal_code, address->country_code);
  relay_store_remember_customer_addresses (self->store, &company_id, (const char * const *) &fingerprint,
                                           &address_id, 1, NULL);
}

static void
order_created_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayOrder *order = g_ptr_array_index (cycle->batch, 0);
  const char *id = relay_order_get_squarespace_id (order);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GError) error = NULL;

  created = relay_order_destination_create_order_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (created != NULL && json_int (created, "id") <= 0)
    {
      g_clear_pointer (&created, json_object_unref);
      g_set_error (&error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("%s answered without the new order’s id"), relay_order_destination_get_name (self->destination));
    }

  if (created != NULL)
    {
      g_autoptr(GError) store_error = NULL;

      crash_point ("after-deliver-post");
      if (!relay_store_finish_delivery (self->store, id, json_int (created, "id"),
                                        json_string (created, "order_number"),
                                        cycle->resolution->lines, &store_error))
        store_failed (cycle, store_error);
      else
        cycle->delivered++, cycle->progressed = TRUE;
      if (cycle->totals != NULL)
        relay_store_add_event (self->store, id, "totals", cycle->totals, NULL);
      remember_customer (self, order, created);
      deliver_advance (task);
      return;
    }

  if (outcome_unknown (error))
    {
      /* The POST may have happened: stay in flight, reconcile next cycle. */
      record_order_error (self, id, error);
      service_failed (cycle, SIDE_DESTINATION, error);
    }
  else if (relay_error_needs_attention (error))
    {
      relay_store_clear_in_flight (self->store, id, error->message, NULL);
      relay_store_record_error (self->store, id, error, NULL);
      service_failed (cycle, SIDE_DESTINATION, error);
    }
  else
    {
      /* Refused: nothing was created. A retry gets a new key. */
      g_autofree char *reason = g_strdup_printf (_("%s refused the order: %s"),
                                                 relay_order_destination_get_name (self->destination), error->message);

      relay_store_clear_in_flight (self->store, id, error->message, NULL);
      cycle->progressed = relay_store_reject (self->store, id, reason, NULL);
      cycle->rejected++;
      forget_customer (self, order);
    }
  deliver_advance (task);
}

static char *
next_idempotency_key (RelaySyncEngine *self,
                      const char      *squarespace_id)
{
  g_autoptr(GPtrArray) events = relay_store_dup_events (self->store, squarespace_id, NULL);
  guint attempts = 0;

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      RelayEvent *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->kind, "delivering") == 0)
        attempts++;
    }
  return g_strdup_printf ("order-relay-%s-%u", squarespace_id, attempts + 1);
}

static void
fill_customer_options (RelaySyncEngine        *self,
                       RelayOrder             *order,
                       RelaySalesOrderOptions *options)
{
  const RelayAddress *address = relay_order_get_shipping_address (order);
  const char *email = relay_order_get_customer_email (order);
  g_autofree char *key = NULL;
  g_autofree char *fingerprint = NULL;

  if (email == NULL)
    return;
  key = customer_key (email);
  options->company_id = relay_store_lookup_customer (self->store, key, NULL);
  if (options->company_id <= 0)
    {
      options->company_id = 0;
      return;
    }
  fingerprint = address_fingerprint (address->first_name, address->last_name, address->address1,
                                     address->postal_code, address->country_code);
  options->shipping_address_id = MAX (relay_store_lookup_customer_address (self->store, options->company_id,
                                                                          fingerprint, NULL), 0);
}

/* Builds the sales order body, or returns NULL after dealing with the order
 * (rejected, skipped, error recorded). */
static JsonNode *
prepare_sales_order (RelaySyncEngine          *self,
                     RelayOrder               *order,
                     GHashTable               *aliases,
                     GHashTable               *shipping_methods,
                     JsonArray                *variants,
                     const RelayAccountFacts  *account,
                     gboolean                  use_cache,
                     RelayResolution         **out_resolution,
                     char                    **out_totals,
                     GError                  **error)
{
  g_autoptr(RelayResolution) resolution = NULL;
  RelaySalesOrderOptions options = { 0 };
  RelayTaxSettings tax = { 0 };
  JsonNode *body;

  resolution = relay_mapping_resolve_lines (order, aliases, variants, error);
  if (resolution == NULL)
    return NULL;
  if (resolution->rejection != NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED, resolution->rejection);
      return NULL;
    }

  if (use_cache)
    fill_customer_options (self, order, &options);
  options.draft = g_settings_get_enum (self->settings, "tradegecko-order-status") == 1 ||
                  relay_order_get_testmode (order);
  options.shipping_methods = shipping_methods;
  options.account = account;
  options.stock_location_id = g_settings_get_int64 (self->settings, "stock-location-id");
  relay_tax_settings_load (&tax, self->settings);
  options.tax = &tax;

  body = relay_order_destination_build_order (self->destination, resolution, &options, error);
  if (body != NULL && out_totals != NULL && account != NULL)
    {
      g_autoptr(RelayTaxPlan) plan = relay_mapping_plan_tax (resolution, &options, NULL);

      *out_totals = plan != NULL ? relay_mapping_dup_totals_summary (resolution, plan) : NULL;
    }
  relay_tax_settings_clear (&tax);
  if (body == NULL)
    return NULL;

  *out_resolution = g_steal_pointer (&resolution);
  return body;
}

static void
deliver_one (GTask      *task,
             RelayOrder *order)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  const char *id = relay_order_get_squarespace_id (order);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *resume;

  g_clear_pointer (&cycle->totals, g_free);
  body = prepare_sales_order (self, order, cycle->aliases, cycle->shipping_methods, cycle->variants,
                              cycle->account, TRUE, &cycle->resolution, &cycle->totals, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_REJECTED))
        {
          if (relay_order_has_physical_lines (order))
            {
              cycle->progressed = relay_store_reject (self->store, id, error->message, NULL);
              cycle->rejected++;
            }
          else
            cycle->progressed = relay_store_skip (self->store, id, error->message, NULL);
        }
      else
        relay_store_record_error (self->store, id, error, NULL);
      deliver_advance (task);
      return;
    }

  /* Written before the sales order is sent: a crash anywhere after it
   * leaves the payment to the next cycle, never forgotten. */
  if (g_settings_get_boolean (self->settings, "mark-paid-orders") && relay_order_is_paid (order) &&
      !relay_order_get_testmode (order))
    {
      g_autofree char *pay_key = g_strdup_printf ("order-relay-pay-%s", id);

      if (!relay_store_set_payment_due (self->store, id, pay_key, &error))
        {
          store_failed (cycle, error);
          deliver_advance (task);
          return;
        }
    }

  resume = g_hash_table_lookup (cycle->resume_keys, id);
  cycle->key = resume != NULL ? g_strdup (resume) : next_idempotency_key (self, id);

  if (!relay_store_begin_delivery (self->store, id, cycle->key, &error))
    {
      store_failed (cycle, error);
      deliver_advance (task);
      return;
    }

  crash_point ("before-deliver-post");
  g_signal_emit (self, signals[PROGRESS], 0, "deliver", cycle->delivered + cycle->rejected + 1,
                 (guint) MAX (cycle->to_deliver, 0));
  relay_order_destination_create_order_async (self->destination, body, cycle->key, g_task_get_cancellable (task),
                                       order_created_cb, task);
}

static void
deliver_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->destination_down)
    {
      cycle_read_tracking (task);
      return;
    }

  if (cycle->batch->len == 0)
    {
      cycle_deliver (task);
      return;
    }

  deliver_one (task, g_ptr_array_index (cycle->batch, 0));
}

static void
variants_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&cycle->variants, json_array_unref);
  cycle->variants = relay_order_destination_find_variants_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (cycle->variants == NULL)
    {
      service_failed (cycle, SIDE_DESTINATION, error);
      cycle_read_tracking (task);
      return;
    }

  deliver_next (task);
}

static void
lookup_batch_variants (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < cycle->batch->len; i++)
    {
      g_auto(GStrv) skus = relay_mapping_dup_needed_skus (g_ptr_array_index (cycle->batch, i), cycle->aliases);

      for (guint j = 0; skus[j] != NULL; j++)
        if (!g_hash_table_contains (wanted, skus[j]))
          {
            char *copy = g_strdup (skus[j]);

            g_ptr_array_add (all, copy);
            g_hash_table_add (wanted, copy);
          }
    }

  g_ptr_array_add (all, NULL);
  relay_order_destination_find_variants_async (cycle->self->destination, (const char * const *) all->pdata,
                                                g_task_get_cancellable (task), variants_found_cb, task);
}

/* The customer cache: companies and addresses changed since the last look, paged. */
static void
customers_page_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean companies = g_str_equal (cycle->customer_collection, "companies");
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) company_ids = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gboolean stored;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;

  if (companies)
    records = relay_order_destination_list_customers_finish (RELAY_ORDER_DESTINATION (object), result, &more, &error);
  else
    records = relay_order_destination_list_addresses_finish (RELAY_ORDER_DESTINATION (object), result, &more, &error);
  if (records == NULL)
    {
      service_failed (cycle, SIDE_DESTINATION, error);
      cycle_read_tracking (task);
      return;
    }

  /* keys are folded e-mails (companies) or address fingerprints (addresses) */
  keys = g_ptr_array_new_with_free_func (g_free);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  company_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      g_autofree char *key = NULL;
      gint64 id = json_int (record, "id");
      gint64 company_id = 0;

      if (record == NULL || id <= 0)
        continue;
      if (companies)
        {
          if (json_string (record, "email") == NULL || g_strcmp0 (json_string (record, "status"), "active") != 0)
            continue;
          key = customer_key (json_string (record, "email"));
          if (key[0] == '\0')
            continue;
          /* E-mails are not unique in TradeGecko: keep the customer we already use
           * (or the oldest one). */
          if (!g_hash_table_add (seen, g_strdup (key)) || relay_store_lookup_customer (self->store, key, NULL) > 0)
            continue;
        }
      else
        {
          g_autofree char *fingerprint = address_fingerprint (json_string (record, "first_name"),
                                                              json_string (record, "last_name"),
                                                              json_string (record, "address1"),
                                                              json_string (record, "zip_code"),
                                                              json_string (record, "country_code"));

          company_id = json_int (record, "company_id");
          if (company_id <= 0 || g_strcmp0 (json_string (record, "status"), "active") != 0)
            continue;
          key = g_steal_pointer (&fingerprint);
        }
      g_ptr_array_add (keys, g_steal_pointer (&key));
      g_array_append_val (ids, id);
      g_array_append_val (company_ids, company_id);
    }
  /* One transaction per page. */
  if (companies)
    stored = relay_store_remember_customers (self->store, (const char * const *) keys->pdata,
                                             (const gint64 *) (gpointer) ids->data, keys->len, &error);
  else
    stored = relay_store_remember_customer_addresses (self->store, (const gint64 *) (gpointer) company_ids->data,
                                                      (const char * const *) keys->pdata,
                                                      (const gint64 *) (gpointer) ids->data, keys->len, &error);
  if (!stored)
    {
      store_failed (cycle, error);
      g_clear_error (&error);
    }

  if (more)
    {
      cycle->customer_page++;
      customers_page (task);
      return;
    }

  if (companies)
    {
      g_free (cycle->customer_collection);
      cycle->customer_collection = g_strdup ("addresses");
      cycle->customer_page = 1;
      customers_page (task);
      return;
    }

  /* In TradeGecko's time: its clock stamps updated_at. */
  g_clear_pointer (&cycle->customers_started, g_date_time_unref);
  cycle->customers_started = destination_time_at (self, cycle->customers_sent_ms);
  set_checkpoint_time (self->store, CHECKPOINT_CUSTOMERS, cycle->customers_started, NULL);
  cycle->customers_fresh = TRUE;
  lookup_batch_variants (task);
}

static void
customers_page (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) since = checkpoint_time (self->store, CHECKPOINT_CUSTOMERS);
  g_autoptr(GDateTime) overlap = NULL;

  if (since != NULL)
    overlap = g_date_time_add_seconds (since, -RELAY_SYNC_ENGINE_TRACKING_OVERLAP_S);
  if (g_str_equal (cycle->customer_collection, "companies"))
    relay_order_destination_list_customers_async (self->destination, overlap, cycle->customer_page,
                                                  g_task_get_cancellable (task), customers_page_cb, task);
  else
    relay_order_destination_list_addresses_async (self->destination, overlap, cycle->customer_page,
                                                  g_task_get_cancellable (task), customers_page_cb, task);
}

static void account_read_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void deliver_batch (GTask *task);

/* A copy for previews between cycles. */
static void
remember_account (RelaySyncEngine         *self,
                  const RelayAccountFacts *account)
{
  g_clear_pointer (&self->account, relay_account_facts_free);
  self->account = relay_account_facts_copy (account);
}

static void
cycle_deliver (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->destination_down)
    {
      cycle_read_tracking (task);
      return;
    }

  if (cycle->aliases == NULL)
    {
      cycle->aliases = relay_store_dup_item_aliases (self->store, NULL);
      cycle->shipping_methods = relay_store_dup_shipping_methods (self->store, NULL);
      cycle->to_deliver = relay_store_count_orders (self->store, RELAY_STAGE_NEW, NULL, NULL);
      g_signal_emit (self, signals[PROGRESS], 0, "deliver", 0, (guint) MAX (cycle->to_deliver, 0));
    }

  /* The next bounded batch of waiting orders, oldest first; each order is
   * tried at most once per cycle. */
  g_ptr_array_set_size (cycle->batch, 0);
  rows = relay_store_dup_orders_in_stage (self->store, RELAY_STAGE_NEW,
                                          RELAY_SYNC_ENGINE_BATCH_SIZE + g_hash_table_size (cycle->attempted),
                                          &error);
  if (rows == NULL)
    {
      store_failed (cycle, error);
      cycle_read_tracking (task);
      return;
    }

  for (guint i = 0; i < rows->len && cycle->batch->len < RELAY_SYNC_ENGINE_BATCH_SIZE; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);
      g_autoptr(RelayOrder) order = NULL;

      if (g_hash_table_contains (cycle->attempted, row->squarespace_id))
        continue;
      if (row->in_flight != RELAY_IN_FLIGHT_NONE)
        {
          /* Not reconciled (its service failed): it waits for the next cycle. */
          g_hash_table_add (cycle->attempted, g_strdup (row->squarespace_id));
          continue;
        }

      order = relay_store_load_order (self->store, row->squarespace_id, &error);
      if (order == NULL)
        {
          store_failed (cycle, error);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (cycle->batch, g_steal_pointer (&order));
    }

  if (cycle->batch->len == 0)
    {
      cycle_read_tracking (task);
      return;
    }

  if (cycle->account == NULL)
    {
      relay_order_destination_get_account_async (self->destination, g_task_get_cancellable (task),
                                                 account_read_cb, task);
      return;
    }

  deliver_batch (task);
}

/* Currencies, tax types and the time zone, once per cycle: every order of the
 * cycle is checked against the same account (tradegecko-api.md §12 step 2). */
static void
account_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GError) error = NULL;

  cycle->account = relay_order_destination_get_account_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (cycle->account == NULL)
    {
      service_failed (cycle, SIDE_DESTINATION, error);
      cycle_read_tracking (task);
      return;
    }
  remember_account (self, cycle->account);
  deliver_batch (task);
}

static void
deliver_batch (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (!cycle->customers_fresh)
    {
      g_free (cycle->customer_collection);
      cycle->customer_collection = g_strdup ("companies");
      cycle->customer_page = 1;
      cycle->customers_sent_ms = local_now_ms ();
      customers_page (task);
      return;
    }

  lookup_batch_variants (task);
}

/* ------------------------------------------------------------------------ */
/* Flow 3: read shipments from TradeGecko                                    */

static void check_touched_orders (GTask *task);

static void
tracking_done (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  crash_point ("after-tracking-read");
  /* In TradeGecko's time, now that it has answered and told it. */
  g_clear_pointer (&cycle->tracking_started, g_date_time_unref);
  cycle->tracking_started = destination_time_at (cycle->self, cycle->tracking_sent_ms);
  set_checkpoint_time (cycle->self->store, CHECKPOINT_FULFILL, cycle->tracking_started, &error);
  if (error != NULL)
    store_failed (cycle, error);
  cycle_post_tracking (task);
}

static void
touched_orders_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(JsonArray) orders = NULL;
  g_autoptr(GError) error = NULL;

  orders = relay_order_destination_get_orders_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (orders == NULL)
    {
      service_failed (cycle, SIDE_DESTINATION, error);
      cycle_post_tracking (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *remote = json_array_get_object_element (orders, i);
      g_autoptr(RelayOrderRow) row = NULL;
      gboolean shipped;

      if (remote == NULL)
        continue;
      shipped = g_strcmp0 (json_string (remote, "fulfillment_status"), "shipped") == 0 ||
                (count_packed && g_strcmp0 (json_string (remote, "packed_status"), "packed") == 0);
      if (!shipped)
        continue;

      row = relay_store_find_order_by_tradegecko_id (self->store, json_int (remote, "id"), NULL);
      if (row != NULL && row->stage == RELAY_STAGE_AT_TRADEGECKO &&
          !relay_store_mark_shipped (self->store, row->squarespace_id, &error))
        {
          store_failed (cycle, error);
          g_clear_error (&error);
        }
    }

  check_touched_orders (task);
}

static void fulfillments_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Whether the destination considers the orders with shipments fully shipped:
 * one request per RELAY_ORDER_DESTINATION_MAX_IDS orders, not one per order. */
static void
check_touched_orders (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  guint n;

  if (cycle->touched_index >= cycle->touched->len)
    {
      g_array_set_size (cycle->touched, 0);
      g_hash_table_remove_all (cycle->touched_set);
      if (cycle->more_shipments)
        {
          cycle->page++;
          relay_order_destination_list_shipments_async (cycle->self->destination, cycle->tracking_since,
                                                        cycle->page, g_task_get_cancellable (task),
                                                        fulfillments_page_cb, task);
          return;
        }
      tracking_done (task);
      return;
    }

  n = MIN (cycle->touched->len - cycle->touched_index, RELAY_ORDER_DESTINATION_MAX_IDS);
  relay_order_destination_get_orders_async (cycle->self->destination,
                                            &g_array_index (cycle->touched, gint64, cycle->touched_index), n,
                                            g_task_get_cancellable (task), touched_orders_cb, task);
  cycle->touched_index += n;
}

static void
fulfillments_page_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *fulfillments;
  JsonArray *items;
  gboolean has_more = FALSE;

  page = relay_order_destination_list_shipments_finish (RELAY_ORDER_DESTINATION (object), result, &has_more, &error);
  if (page == NULL)
    {
      service_failed (cycle, SIDE_DESTINATION, error);
      cycle_post_tracking (task);
      return;
    }

  fulfillments = json_array (page, "fulfillments");
  items = json_array (page, "fulfillment_line_items");
  for (guint i = 0; fulfillments != NULL && i < json_array_get_length (fulfillments); i++)
    {
      JsonObject *fulfillment = json_array_get_object_element (fulfillments, i);
      g_autoptr(RelayOrderRow) row = NULL;
      g_autoptr(GDateTime) shipped_at = NULL;
      g_autofree char *summary = NULL;
      RelayShipment shipment = { 0 };
      gboolean changed = FALSE;
      gint64 order_id;

      if (fulfillment == NULL || json_int (fulfillment, "id") <= 0)
        continue;
      order_id = json_int (fulfillment, "order_id");
      row = relay_store_find_order_by_tradegecko_id (self->store, order_id, NULL);
      if (row == NULL || !relay_stage_is_delivered (row->stage))
        continue;

      if (json_string (fulfillment, "shipped_at") != NULL)
        shipped_at = relay_parse_iso8601 (json_string (fulfillment, "shipped_at"));
      summary = relay_mapping_dup_lines_summary (fulfillment, items);

      shipment.fulfillment_id = json_int (fulfillment, "id");
      shipment.tradegecko_order_id = order_id;
      shipment.status = (char *) json_string (fulfillment, "status");
      shipment.carrier = (char *) json_string (fulfillment, "tracking_company");
      shipment.service = (char *) (json_string (fulfillment, "service") ?: json_string (fulfillment, "delivery_type"));
      shipment.tracking_number = (char *) json_string (fulfillment, "tracking_number");
      shipment.tracking_url = (char *) json_string (fulfillment, "tracking_url");
      shipment.shipped_at = shipped_at != NULL ? g_date_time_to_unix (shipped_at) * 1000 : 0;
      shipment.lines_summary = summary;

      if (!relay_store_upsert_shipment (self->store, &shipment, &changed, &error))
        {
          store_failed (cycle, error);
          g_clear_error (&error);
          continue;
        }
      /* Whether the order is now complete is TradeGecko's to say: ask for every order
       * still waiting that has a counted shipment in the window (changed or not, so a
       * failed check is simply done again next cycle). */
      if (row->stage == RELAY_STAGE_AT_TRADEGECKO &&
          shipment_counts (shipment.status, g_settings_get_boolean (self->settings, "count-packed-shipments")) &&
          g_hash_table_add (cycle->touched_set, g_memdup2 (&order_id, sizeof order_id)))
        g_array_append_val (cycle->touched, order_id);
    }

  g_signal_emit (self, signals[PROGRESS], 0, "read-tracking",
                 fulfillments != NULL ? json_array_get_length (fulfillments) : 0, 0);

  /* Settle this page's orders before reading the next: memory stays one page. */
  cycle->more_shipments = has_more;
  cycle->touched_index = 0;
  check_touched_orders (task);
}

/* ------------------------------------------------------------------------ */
/* Payments: paid Squarespace orders invoiced and paid in TradeGecko         */

static void pay_next (GTask *task);

static void
order_paid_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayDuePayment *payment = g_ptr_array_index (cycle->payments, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  const char *detail = NULL;

  if (relay_order_destination_pay_order_finish (RELAY_ORDER_DESTINATION (object), result, &error))
    {
      crash_point ("after-pay-post");
      detail = _("Invoiced and marked paid in TradeGecko");
    }
  else if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_REJECTED) && strstr (error->message, "already paid") != NULL)
    /* A payment sent before a crash, whose key TradeGecko no longer keeps. */
    detail = _("TradeGecko already has the order paid");

  if (detail == NULL)
    {
      if (outcome_unknown (error) || relay_error_needs_attention (error))
        {
          record_order_error (self, payment->squarespace_id, error);
          service_failed (cycle, SIDE_DESTINATION, error);
          cycle->payments_done = TRUE;
          cycle_read_tracking (task);
          return;
        }
      /* Refused for good (the order was voided, say): said once, not sent again. */
      if (!relay_store_drop_payment (self->store, payment->squarespace_id, error->message, &store_error))
        store_failed (cycle, store_error);
    }
  else if (!relay_store_finish_payment (self->store, payment->squarespace_id, detail, &store_error))
    store_failed (cycle, store_error);

  g_ptr_array_remove_index (cycle->payments, 0);
  pay_next (task);
}

static void
pay_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayDuePayment *payment;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->payments->len == 0)
    {
      cycle->payments_done = TRUE;
      cycle_read_tracking (task);
      return;
    }

  payment = g_ptr_array_index (cycle->payments, 0);
  order = relay_store_load_order (self->store, payment->squarespace_id, &error);
  if (order == NULL)
    {
      store_failed (cycle, error);
      g_ptr_array_remove_index (cycle->payments, 0);
      pay_next (task);
      return;
    }

  crash_point ("before-pay-post");
  /* Squarespace does not say when the card was charged; the order was paid
   * when it was placed. The key is the same every time (tradegecko-api.md §10.2). */
  relay_order_destination_pay_order_async (self->destination, payment->tradegecko_order_id,
                                           relay_order_get_created_on (order), payment->idempotency_key,
                                           g_task_get_cancellable (task), order_paid_cb, task);
}

/* Before reading tracking: the payments due for orders now in TradeGecko,
 * including ones a crash interrupted. */
static gboolean
start_payments (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GError) error = NULL;

  if (cycle->payments_done || cycle->destination_down ||
      !g_settings_get_boolean (self->settings, "mark-paid-orders"))
    return FALSE;

  g_clear_pointer (&cycle->payments, g_ptr_array_unref);
  cycle->payments = relay_store_dup_due_payments (self->store, RELAY_SYNC_ENGINE_BATCH_SIZE, &error);
  if (cycle->payments == NULL)
    {
      store_failed (cycle, error);
      cycle->payments_done = TRUE;
      return FALSE;
    }
  pay_next (task);
  return TRUE;
}

static void
cycle_read_tracking (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) since = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (start_payments (task))
    return;

  g_clear_pointer (&cycle->batch, g_ptr_array_unref);
  cycle->batch = g_ptr_array_new_with_free_func (g_object_unref);

  if (cycle->destination_down)
    {
      cycle_post_tracking (task);
      return;
    }

  cycle->tracking_sent_ms = local_now_ms ();
  cycle->tracking_started = destination_time_at (self, cycle->tracking_sent_ms);
  since = checkpoint_time (self->store, CHECKPOINT_FULFILL);
  if (since == NULL)
    since = g_date_time_add_days (cycle->tracking_started,
                                  -(int) g_settings_get_uint (self->settings, "initial-lookback-days"));
  cycle->tracking_since = g_date_time_add_seconds (since, -RELAY_SYNC_ENGINE_TRACKING_OVERLAP_S);
  cycle->page = 1;
  cycle->touched = g_array_new (FALSE, FALSE, sizeof (gint64));
  cycle->touched_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_signal_emit (self, signals[PROGRESS], 0, "read-tracking", 0, 0);
  relay_order_destination_list_shipments_async (self->destination, cycle->tracking_since, 1,
                                            g_task_get_cancellable (task), fulfillments_page_cb, task);
}

/* ------------------------------------------------------------------------ */
/* Flow 4: post tracking to Squarespace                                      */

static void
post_advance (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (!cycle->progressed)
    g_hash_table_add (cycle->attempted,
                      g_strdup (((RelayOrderRow *) g_ptr_array_index (cycle->batch_rows, 0))->squarespace_id));
  cycle->progressed = FALSE;
  g_ptr_array_remove_index (cycle->batch_rows, 0);
  g_clear_pointer (&cycle->posting_order, g_free);
  post_next (task);
}

static void
maybe_confirm (Cycle      *cycle,
               const char *squarespace_id)
{
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(RelayOrderRow) row = relay_store_find_order (self->store, squarespace_id, NULL);
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GError) error = NULL;
  gboolean any_posted = FALSE;

  if (row == NULL || row->stage != RELAY_STAGE_SHIPPED || row->in_flight != RELAY_IN_FLIGHT_NONE)
    return;

  shipments = relay_store_dup_shipments (self->store, squarespace_id, NULL);
  for (guint i = 0; shipments != NULL && i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      if (!shipment_counts (shipment->status, count_packed))
        continue;
      if (shipment->posted_at == 0)
        return;
      any_posted = TRUE;
    }

  if (any_posted && !relay_store_mark_confirmed (self->store, squarespace_id, &error))
    store_failed (cycle, error);
}

static void
shipments_posted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GError) error = NULL;

  if (relay_order_source_post_shipments_finish (RELAY_ORDER_SOURCE (object), result, &error))
    {
      crash_point ("after-tracking-post");
      if (!relay_store_mark_shipments_posted (self->store, cycle->posting_order,
                                              (const gint64 *) cycle->posting_ids->data,
                                              cycle->posting_ids->len, &error))
        store_failed (cycle, error);
      else
        {
          cycle->progressed = TRUE;
          maybe_confirm (cycle, cycle->posting_order);
        }
    }
  else if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_CONFLICT))
    {
      /* 409: Squarespace is still working on a post for this order. Stay in
       * flight: the order is re-read once that had time to land. */
      relay_store_add_event (self->store, cycle->posting_order, "tracking-in-progress",
                             _("Squarespace is still processing an earlier tracking post; checking again later"),
                             NULL);
    }
  else if (outcome_unknown (error))
    {
      /* It may have been recorded: stay in flight, re-read the order next cycle. */
      record_order_error (self, cycle->posting_order, error);
      service_failed (cycle, SIDE_SOURCE, error);
    }
  else
    {
      relay_store_clear_in_flight (self->store, cycle->posting_order, error->message, NULL);
      relay_store_record_error (self->store, cycle->posting_order, error, NULL);
      if (relay_error_needs_attention (error))
        service_failed (cycle, SIDE_SOURCE, error);
    }

  post_advance (task);
}

static void
post_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  RelayOrderRow *row;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) to_post = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->source_down)
    {
      cycle_finish (task);
      return;
    }

  if (cycle->batch_rows->len == 0)
    {
      cycle_post_tracking (task);
      return;
    }

  row = g_ptr_array_index (cycle->batch_rows, 0);

  shipments = relay_store_dup_shipments (self->store, row->squarespace_id, &error);
  if (shipments == NULL)
    {
      store_failed (cycle, error);
      post_advance (task);
      return;
    }

  to_post = g_ptr_array_new ();
  g_array_set_size (cycle->posting_ids, 0);
  for (guint i = 0; i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      /* Untracked shipments (pickup, local delivery) are posted too: they close the order. */
      if (shipment->posted_at != 0 || !shipment_counts (shipment->status, count_packed))
        continue;
      g_ptr_array_add (to_post, shipment);
      g_array_append_val (cycle->posting_ids, shipment->fulfillment_id);
    }

  order = to_post->len > 0 ? relay_store_load_order (self->store, row->squarespace_id, &error) : NULL;
  if (order == NULL)
    {
      if (error != NULL)
        store_failed (cycle, error);
      post_advance (task);
      return;
    }

  if (!relay_store_begin_post_tracking (self->store, row->squarespace_id, &error))
    {
      store_failed (cycle, error);
      post_advance (task);
      return;
    }

  crash_point ("before-tracking-post");
  cycle->posting_order = g_strdup (row->squarespace_id);
  relay_order_source_post_shipments_async (self->source, order, to_post, cycle->carriers,
                                           g_settings_get_boolean (self->settings, "notify-customer"),
                                           g_task_get_cancellable (task), shipments_posted_cb, task);
}

static void
cycle_post_tracking (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean each = g_settings_get_enum (self->settings, "shipment-posting") == 1;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (cycle->source_down)
    {
      cycle_finish (task);
      return;
    }

  if (cycle->carriers == NULL)
    {
      g_autoptr(GPtrArray) shipped = NULL;

      cycle->carriers = relay_store_dup_carriers (self->store, NULL);
      cycle->posting_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_remove_all (cycle->attempted);

      /* Shipped orders whose tracking is all posted (a crash between the two steps,
       * or the last shipment posted before the order was shipped). */
      shipped = relay_store_dup_orders_to_confirm (self->store, count_packed, RELAY_SYNC_ENGINE_BATCH_SIZE, NULL);
      for (guint i = 0; shipped != NULL && i < shipped->len; i++)
        maybe_confirm (cycle, ((RelayOrderRow *) g_ptr_array_index (shipped, i))->squarespace_id);
    }

  g_clear_pointer (&cycle->batch_rows, g_ptr_array_unref);
  rows = relay_store_dup_orders_to_post (self->store, each, count_packed,
                                         RELAY_SYNC_ENGINE_BATCH_SIZE + g_hash_table_size (cycle->attempted),
                                         &error);
  if (rows == NULL)
    {
      store_failed (cycle, error);
      cycle_finish (task);
      return;
    }

  cycle->batch_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);

      if (!g_hash_table_contains (cycle->attempted, row->squarespace_id))
        g_ptr_array_add (cycle->batch_rows, g_steal_pointer (&rows->pdata[i]));
    }

  if (cycle->batch_rows->len == 0)
    {
      cycle_finish (task);
      return;
    }

  g_signal_emit (self, signals[PROGRESS], 0, "post-tracking", 0, cycle->batch_rows->len);
  post_next (task);
}

/* ------------------------------------------------------------------------ */
/* Scheduler                                                                 */

static void schedule_next (RelaySyncEngine *self, guint seconds);

static void
loop_cycle_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RelaySyncEngine *self = RELAY_SYNC_ENGINE (object);
  g_autoptr(GError) error = NULL;
  guint interval;

  if (!relay_sync_engine_run_cycle_finish (self, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (!self->running)
    return;

  /* Another process is syncing the same state: not a failure, look again soon. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY) && self->other_sync_pid != 0)
    {
      schedule_next (self, LOCK_RETRY_S);
      return;
    }

  interval = g_settings_get_uint (self->settings, "poll-interval-minutes") * 60;
  if (error != NULL)
    {
      guint minutes;

      self->failures = MIN (self->failures + 1, 8);
      /* Back off: an outage or a revoked key is not helped by asking more often. */
      minutes = MIN (g_settings_get_uint (self->settings, "poll-interval-minutes") << self->failures,
                     MAX_BACKOFF_MINUTES);
      interval = MAX (interval, minutes * 60);
      interval += g_random_int_range (0, MAX (interval / 10, 1));
    }
  else
    self->failures = 0;

  if (self->again)
    {
      self->again = FALSE;
      interval = 0;
    }
  schedule_next (self, interval);
}

static gboolean
scheduled_cb (gpointer user_data)
{
  RelaySyncEngine *self = user_data;

  self->timeout_id = 0;
  if (self->cycle != NULL)
    {
      self->again = TRUE;
      return G_SOURCE_REMOVE;
    }
  relay_sync_engine_run_cycle_async (self, self->loop_cancellable, loop_cycle_done_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_next (RelaySyncEngine *self,
               guint            seconds)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_sync = g_get_real_time () / G_USEC_PER_SEC + seconds;
  if (seconds == 0)
    self->timeout_id = g_idle_add (scheduled_cb, self);
  else
    self->timeout_id = g_timeout_add_seconds (seconds, scheduled_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_SYNC]);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
store_order_changed_cb (RelayStore      *store,
                        const char      *squarespace_id,
                        RelaySyncEngine *self)
{
  g_signal_emit (self, signals[ORDER_CHANGED], 0, squarespace_id);
}

static void
relay_sync_engine_dispose (GObject *object)
{
  RelaySyncEngine *self = RELAY_SYNC_ENGINE (object);

  relay_sync_engine_stop (self);
  if (self->cycle == NULL)
    release_lock (self);
  if (self->order_changed_id != 0 && self->store != NULL)
    g_clear_signal_handler (&self->order_changed_id, self->store);

  G_OBJECT_CLASS (relay_sync_engine_parent_class)->dispose (object);
}

static void
relay_sync_engine_finalize (GObject *object)
{
  RelaySyncEngine *self = RELAY_SYNC_ENGINE (object);

  g_clear_object (&self->loop_cancellable);
  g_clear_object (&self->mapping);
  g_clear_object (&self->store);
  g_clear_object (&self->source);
  g_clear_object (&self->destination);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->account, relay_account_facts_free);

  G_OBJECT_CLASS (relay_sync_engine_parent_class)->finalize (object);
}

static void
relay_sync_engine_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelaySyncEngine *self = RELAY_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, relay_sync_engine_get_busy (self));
      break;

    case PROP_LAST_SOURCE_SYNC:
      g_value_set_int64 (value, relay_sync_engine_get_last_sync (self, relay_order_source_get_id (self->source)));
      break;

    case PROP_LAST_DESTINATION_SYNC:
      g_value_set_int64 (value, relay_sync_engine_get_last_sync (self,
                                                                 relay_order_destination_get_id (self->destination)));
      break;

    case PROP_NEXT_SYNC:
      g_value_set_int64 (value, relay_sync_engine_get_next_sync (self));
      break;

    case PROP_OTHER_SYNC_PID:
      g_value_set_int64 (value, relay_sync_engine_get_other_sync_pid (self));
      break;

    case PROP_CLOCK_OFFSET:
      g_value_set_int64 (value, relay_sync_engine_get_clock_offset (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_sync_engine_class_init (RelaySyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_sync_engine_dispose;
  object_class->finalize = relay_sync_engine_finalize;
  object_class->get_property = relay_sync_engine_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Unix times of the last cycle that reached each service (0: never). */
  properties[PROP_LAST_SOURCE_SYNC] =
    g_param_spec_int64 ("last-source-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_DESTINATION_SYNC] =
    g_param_spec_int64 ("last-destination-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_SYNC] =
    g_param_spec_int64 ("next-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The process syncing the same state while this engine waits (1: one whose id
   * is unknown), 0 when none. */
  properties[PROP_OTHER_SYNC_PID] =
    g_param_spec_int64 ("other-sync-pid", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Squarespace's clock minus the desktop's, in seconds, as last seen. */
  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CYCLE_STARTED] =
    g_signal_new ("cycle-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The error (nullable) is why the cycle did not fully run. */
  signals[CYCLE_FINISHED] =
    g_signal_new ("cycle-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* flow ("pull", "deliver", "read-tracking", "post-tracking"), n done, m known total (0: unknown) */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
  signals[ORDER_CHANGED] =
    g_signal_new ("order-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* the service's id ("squarespace", "tradegecko"), the error to show */
  signals[CONNECTION_PROBLEM] =
    g_signal_new ("connection-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
relay_sync_engine_init (RelaySyncEngine *self)
{
  self->lock_fd = -1;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * relay_sync_engine_new:
 * @store: the state database
 * @source: where orders come from (a #RelaySquarespace), with its key set
 * @destination: where they go (a #RelayTradegecko), with its key set
 * @settings: the app's settings (`io.github.orderrelay.OrderRelay`)
 *
 * Returns: (transfer full): a new engine, idle until started or asked to run a cycle
 */
RelaySyncEngine *
relay_sync_engine_new (RelayStore       *store,
                       RelayOrderSource      *source,
                       RelayOrderDestination *destination,
                       GSettings        *settings)
{
  RelaySyncEngine *self;
  g_autofree char *prefix = NULL;
  g_autofree char *charset = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (store), NULL);
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (source), NULL);
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (destination), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RELAY_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->source = g_object_ref (source);
  self->destination = g_object_ref (destination);
  self->settings = g_object_ref (settings);
  self->mapping = relay_mapping_new (store);

  prefix = g_settings_get_string (settings, "cust-ref-prefix");
  charset = g_settings_get_string (settings, "cust-ref-charset");
  if (!relay_mapping_set_cust_ref_rules (self->mapping, prefix, g_settings_get_uint (settings, "cust-ref-max-length"),
                                         charset, &error))
    g_warning ("Keeping the default short reference rules: %s", error->message);

  self->order_changed_id = g_signal_connect (store, "order-changed", G_CALLBACK (store_order_changed_cb), self);

  return self;
}

/**
 * relay_sync_engine_get_store:
 *
 * Returns: (transfer none): the state database
 */
RelayStore *
relay_sync_engine_get_store (RelaySyncEngine *self)
{
  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), NULL);

  return self->store;
}

/* ------------------------------------------------------------------------ */
/* One sync at a time, across processes                                     */

static char *
lock_path (RelayStore *store)
{
  g_autofree char *dir = g_path_get_dirname (relay_store_get_path (store));

  return g_build_filename (dir, RELAY_SYNC_ENGINE_LOCK_FILE, NULL);
}

static gint64
read_lock_pid (int fd)
{
  char text[32] = { 0 };
  ssize_t n = pread (fd, text, sizeof text - 1, 0);

  return n > 0 ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* Takes the lock without waiting. Returns the open file, or -1 with @holder
 * set to the process that has it (0 when unknown) or @error set. The lock goes
 * with the process: a crash or kill -9 frees it. */
static int
try_lock (RelayStore  *store,
          gint64      *holder,
          GError     **error)
{
  g_autofree char *path = lock_path (store);
  g_autofree char *pid = NULL;
  int fd;

  *holder = 0;
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE, _("The sync lock %s could not be opened: %s"),
                   path, g_strerror (saved));
      return -1;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      if (saved == EWOULDBLOCK)
        *holder = MAX (read_lock_pid (fd), 0);
      else
        g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE, _("The sync lock %s could not be taken: %s"),
                     path, g_strerror (saved));
      close (fd);
      return -1;
    }

  pid = g_strdup_printf ("%d\n", (int) getpid ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, pid, strlen (pid), 0) < 0)
    g_debug ("The sync lock %s does not name this process: %s", path, g_strerror (errno));
  return fd;
}

static void
release_lock (RelaySyncEngine *self)
{
  if (self->lock_fd < 0)
    return;
  /* Emptied first, so a reader never sees a stale process id in a free lock. */
  if (ftruncate (self->lock_fd, 0) != 0)
    g_debug ("The sync lock could not be emptied: %s", g_strerror (errno));
  flock (self->lock_fd, LOCK_UN);
  close (self->lock_fd);
  self->lock_fd = -1;
}

static void
set_other_sync_pid (RelaySyncEngine *self,
                    gint64           pid)
{
  if (self->other_sync_pid == pid)
    return;
  self->other_sync_pid = pid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTHER_SYNC_PID]);
}

static void
cycle_task_done_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  RelaySyncEngine *self = user_data;
  GTask *task = G_TASK (object);

  if (self->cycle == task)
    {
      g_autoptr(GError) error = NULL;
      Cycle *cycle = g_task_get_task_data (task);

      g_clear_object (&self->cycle);
      release_lock (self);
      error = cycle->problem != NULL ? g_error_copy (cycle->problem) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      g_signal_emit (self, signals[CYCLE_FINISHED], 0, error);
    }
}

/**
 * relay_sync_engine_run_cycle_async:
 * @self: a #RelaySyncEngine
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the cycle is over
 * @user_data: data for @callback
 *
 * Runs one cycle of all four flows. Cycles never overlap: while one runs,
 * here or in another process using the same state, this fails with
 * %G_IO_ERROR_BUSY (then #RelaySyncEngine:other-sync-pid names the other
 * process, when it is one).
 */
void
relay_sync_engine_run_cycle_async (RelaySyncEngine     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Cycle *cycle;

  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_sync_engine_run_cycle_async);

  if (self->cycle != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("A sync is already running"));
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    gint64 holder = 0;

    self->lock_fd = try_lock (self->store, &holder, &error);
    if (self->lock_fd < 0)
      {
        if (error != NULL)
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        set_other_sync_pid (self, MAX (holder, 1));
        if (holder > 0)
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                                   _("Another Order Relay is syncing (process %" G_GINT64_FORMAT ")"), holder);
        else
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                                   _("Another Order Relay is syncing"));
        return;
      }
    set_other_sync_pid (self, 0);
  }

  cycle = g_new0 (Cycle, 1);
  cycle->self = self;
  cycle->resume_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cycle->attempted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cycle->batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, cycle, cycle_free);

  self->cycle = g_object_ref (task);
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (cycle_task_done_cb), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[CYCLE_STARTED], 0);

  cycle_reconcile (g_steal_pointer (&task));
}

/**
 * relay_sync_engine_run_cycle_finish:
 *
 * Returns: %TRUE when both services were reached and every flow ran; %FALSE
 *   with the first connection problem otherwise. Rejected orders are a normal outcome.
 */
gboolean
relay_sync_engine_run_cycle_finish (RelaySyncEngine  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_sync_engine_start:
 * @self: a #RelaySyncEngine
 *
 * Runs a cycle now and then every `poll-interval-minutes`, backing off after errors.
 */
void
relay_sync_engine_start (RelaySyncEngine *self)
{
  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->sweep_on_start = TRUE;
  g_clear_object (&self->loop_cancellable);
  self->loop_cancellable = g_cancellable_new ();
  schedule_next (self, 0);
}

/**
 * relay_sync_engine_stop:
 * @self: a #RelaySyncEngine
 *
 * Stops the periodic loop and cancels a running cycle (it stops between steps;
 * a request under way is cancelled and reconciled on the next start).
 */
void
relay_sync_engine_stop (RelaySyncEngine *self)
{
  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));

  self->running = FALSE;
  self->again = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->loop_cancellable != NULL)
    g_cancellable_cancel (self->loop_cancellable);
  self->next_sync = 0;
}

/**
 * relay_sync_engine_sync_now:
 * @self: a #RelaySyncEngine
 *
 * Runs a cycle as soon as possible: now, or right after the one running.
 */
void
relay_sync_engine_sync_now (RelaySyncEngine *self)
{
  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));

  if (!self->running)
    {
      relay_sync_engine_start (self);
      return;
    }
  if (self->cycle != NULL)
    self->again = TRUE;
  else
    schedule_next (self, 0);
}

gboolean
relay_sync_engine_get_busy (RelaySyncEngine *self)
{
  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), FALSE);

  return self->cycle != NULL;
}

/**
 * relay_sync_engine_get_last_sync:
 * @self: a #RelaySyncEngine
 * @store_id: a service's id (relay_order_source_get_id(), relay_order_destination_get_id())
 *
 * Returns: the Unix time of the last cycle that reached the store, 0 for never
 */
gint64
relay_sync_engine_get_last_sync (RelaySyncEngine *self,
                                 const char      *store_id)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), 0);
  g_return_val_if_fail (store_id != NULL, 0);

  key = g_strconcat (CHECKPOINT_LAST_SYNC, store_id, NULL);
  value = relay_store_dup_checkpoint (self->store, key, NULL);
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/**
 * relay_sync_engine_get_next_sync:
 *
 * Returns: the Unix time of the next scheduled cycle, 0 when the loop is stopped
 */
gint64
relay_sync_engine_get_next_sync (RelaySyncEngine *self)
{
  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), 0);

  return self->running ? self->next_sync : 0;
}

/**
 * relay_sync_engine_get_other_sync_pid:
 *
 * Returns: the process syncing the same state when this engine last tried
 *   (1 when its id is unknown), 0 when none
 */
gint64
relay_sync_engine_get_other_sync_pid (RelaySyncEngine *self)
{
  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), 0);

  return self->other_sync_pid;
}

/**
 * relay_sync_engine_get_clock_offset:
 *
 * Returns: Squarespace's clock minus the desktop's, in seconds, as last seen
 *   (by any process); 0 when never seen
 */
gint64
relay_sync_engine_get_clock_offset (RelaySyncEngine *self)
{
  gint64 offset = 0;

  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), 0);

  relay_sync_engine_dup_clock_offset (self->store, &offset);
  return offset;
}

/**
 * relay_sync_engine_dup_clock_offset:
 * @store: the state database
 * @offset_s: (out): Squarespace's clock minus the desktop's, in seconds
 *
 * Returns: %TRUE when a sync has seen Squarespace's clock
 */
gboolean
relay_sync_engine_dup_clock_offset (RelayStore *store,
                                    gint64     *offset_s)
{
  gint64 offset_ms;

  g_return_val_if_fail (RELAY_IS_STORE (store), FALSE);
  g_return_val_if_fail (offset_s != NULL, FALSE);

  offset_ms = checkpoint_int (store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, G_MININT64);
  *offset_s = offset_ms != G_MININT64 ? offset_ms / 1000 : 0;
  return offset_ms != G_MININT64;
}

/**
 * relay_sync_engine_find_lock_holder:
 * @store: the state database
 *
 * Returns: the process holding the sync lock of @store's data (1 when its id
 *   is unknown), 0 when no process syncs
 */
gint64
relay_sync_engine_find_lock_holder (RelayStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 holder = 0;
  int fd;

  g_return_val_if_fail (RELAY_IS_STORE (store), 0);

  fd = try_lock (store, &holder, &error);
  if (fd < 0)
    return error != NULL ? 0 : MAX (holder, 1);
  /* Free: let go at once. */
  flock (fd, LOCK_UN);
  close (fd);
  return 0;
}

/**
 * relay_sync_engine_retry_order:
 * @self: a #RelaySyncEngine
 * @squarespace_id: a rejected or skipped order
 * @error: return location for a #GError
 *
 * Queues the order for delivery again (after the merchant added an alias or
 * fixed the item in TradeGecko). Cached variant look-ups are forgotten so the
 * fix is seen; the next delivery uses a new idempotency key.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_sync_engine_retry_order (RelaySyncEngine  *self,
                               const char       *squarespace_id,
                               GError          **error)
{
  g_return_val_if_fail (RELAY_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  relay_order_destination_forget_variants (self->destination);
  return relay_store_requeue (self->store, squarespace_id, error);
}

typedef struct
{
  RelayOrder *order;
  GHashTable *aliases;
  GHashTable *shipping_methods;
} Preview;

static void
preview_free (gpointer data)
{
  Preview *preview = data;

  g_clear_object (&preview->order);
  g_clear_pointer (&preview->aliases, g_hash_table_unref);
  g_clear_pointer (&preview->shipping_methods, g_hash_table_unref);
  g_free (preview);
}

static void
preview_variants_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySyncEngine *self = g_task_get_source_object (task);
  Preview *preview = g_task_get_task_data (task);
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *json = NULL;

  variants = relay_order_destination_find_variants_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (variants != NULL)
    body = prepare_sales_order (self, preview->order, preview->aliases, preview->shipping_methods, variants,
                                self->account, TRUE, &resolution, &totals, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Both totals and each line's tax first, then exactly what would be sent. */
  json = json_to_string (body, TRUE);
  g_task_return_pointer (task, totals != NULL ? g_strdup_printf ("%s\n\n%s", totals, json) : g_steal_pointer (&json),
                         g_free);
}

static void
preview_find_variants (GTask *task)
{
  RelaySyncEngine *self = g_task_get_source_object (task);
  Preview *preview = g_task_get_task_data (task);
  g_auto(GStrv) skus = relay_mapping_dup_needed_skus (preview->order, preview->aliases);

  relay_order_destination_find_variants_async (self->destination, (const char * const *) skus,
                                                g_task_get_cancellable (task), preview_variants_cb, task);
}

static void
preview_account_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySyncEngine *self = g_task_get_source_object (task);
  g_autoptr(RelayAccountFacts) account = NULL;
  g_autoptr(GError) error = NULL;

  account = relay_order_destination_get_account_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  remember_account (self, account);
  preview_find_variants (g_steal_pointer (&task));
}

/**
 * relay_sync_engine_preview_order_async:
 * @self: a #RelaySyncEngine
 * @squarespace_id: a stored order
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Works out the TradeGecko sales order the order would become (SKUs looked
 * up, customer from the cache, tax from the account's tax types), without
 * sending anything.
 */
void
relay_sync_engine_preview_order_async (RelaySyncEngine     *self,
                                       const char          *squarespace_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Preview *preview;

  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));
  g_return_if_fail (squarespace_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_sync_engine_preview_order_async);

  preview = g_new0 (Preview, 1);
  g_task_set_task_data (task, preview, preview_free);
  preview->order = relay_store_load_order (self->store, squarespace_id, &error);
  if (preview->order == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The preview says what a sync would do: a skipped test order is not sent at all. */
  if (relay_order_get_testmode (preview->order) && g_settings_get_enum (self->settings, "test-orders") == 0)
    {
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_REJECTED, "%s",
                               _("This is a test order, and test orders are set to be skipped: "
                                 "it is not sent to TradeGecko. To try it as a draft, choose "
                                 "“Send as drafts” for test orders in Preferences."));
      return;
    }
  preview->aliases = relay_store_dup_item_aliases (self->store, NULL);
  preview->shipping_methods = relay_store_dup_shipping_methods (self->store, NULL);

  if (self->account == NULL)
    {
      relay_order_destination_get_account_async (self->destination, cancellable, preview_account_cb,
                                                 g_steal_pointer (&task));
      return;
    }
  preview_find_variants (g_steal_pointer (&task));
}

/**
 * relay_sync_engine_preview_order_finish:
 *
 * Returns: (transfer full): both totals and each line's tax, a blank line, then
 *   the sales order as pretty-printed JSON; or %NULL with
 *   %RELAY_ERROR_REJECTED naming what stops the order
 */
char *
relay_sync_engine_preview_order_finish (RelaySyncEngine  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
