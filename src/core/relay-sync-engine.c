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

#include "relay-sync-cycle-private.h"
#include "relay-sync-stock.h"

/* One cycle runs the flows as chains of async steps on the main loop: reconcile
 * in-flight work, then three lanes at once, each under its own API's pacing:
 * pull → deliver → payments, read tracking (TradeGecko) and post tracking
 * (Squarespace), which takes each page the read lane settles; the cycle ends
 * when all three have. The engine knows the two services only as a RelayOrderSource (the
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

void
relay_sync_engine_emit_progress (RelaySyncEngine *self,
                                 const char      *step,
                                 guint            done,
                                 guint            total)
{
  g_signal_emit (self, signals[PROGRESS], 0, step, done, total);
}

void
relay_sync_engine_emit_connection_problem (RelaySyncEngine *self,
                                           const char      *store_id,
                                           const GError    *error)
{
  g_signal_emit (self, signals[CONNECTION_PROBLEM], 0, store_id, error);
}

static void schedule_next (RelaySyncEngine *self, guint seconds);
static void schedule_next_ms (RelaySyncEngine *self, guint milliseconds);
static void release_lock (RelaySyncEngine *self);

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
      gint64 before = relay_sync_checkpoint_int (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, G_MININT64);

      relay_sync_set_checkpoint_int (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, offset);
      if (before / 1000 != offset / 1000)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
    }
  if (relay_order_destination_get_clock_offset (self->destination, &offset))
    relay_sync_set_checkpoint_int (self->store, CHECKPOINT_DESTINATION_CLOCK, offset);
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
  relay_sync_cycle_finish (user_data);
}

void
relay_sync_cycle_finish (GTask *task)
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

  g_debug ("Cycle done: %u delivered, %u rejected%s%s", cycle->deliver.delivered, cycle->deliver.rejected,
           cycle->problem ? "; " : "", cycle->problem ? cycle->problem->message : "");

  if (cycle->problem != NULL)
    g_task_return_error (task, g_error_copy (cycle->problem));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ------------------------------------------------------------------------ */
/* Scheduler                                                                 */


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
  if (error == NULL && !self->again)
    {
      /* Polls a whole interval apart from start to start, not an interval after
       * each cycle's end: an order placed waits at most one interval to be pulled. */
      gint64 elapsed_ms = (g_get_monotonic_time () - self->cycle_started_us) / 1000;

      self->failures = 0;
      schedule_next_ms (self, (guint) CLAMP ((gint64) interval * 1000 - elapsed_ms, 0, (gint64) interval * 1000));
      return;
    }

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
  self->cycle_started_us = g_get_monotonic_time ();
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

/* To the millisecond (the regular poll: g_timeout_add_seconds() may fire up to a second late). */
static void
schedule_next_ms (RelaySyncEngine *self,
                  guint            milliseconds)
{
  if (milliseconds == 0)
    {
      schedule_next (self, 0);
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_sync = (g_get_real_time () / 1000 + milliseconds + 999) / 1000;
  self->timeout_id = g_timeout_add (milliseconds, scheduled_cb, self);
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
                                   _("Another Order Relay is syncing (process %d)"), (int) holder);
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
  g_task_set_task_data (task, cycle, relay_sync_cycle_free);

  self->cycle = g_object_ref (task);
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (cycle_task_done_cb), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[CYCLE_STARTED], 0);

  relay_sync_cycle_reconcile (g_steal_pointer (&task));
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

  offset_ms = relay_sync_checkpoint_int (store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, G_MININT64);
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
