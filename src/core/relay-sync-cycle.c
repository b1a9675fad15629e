/* relay-sync-cycle.c
 *
 * Helpers every flow of a sync cycle uses: errors, checkpoints, clocks, the crash-test hook.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "relay-http.h"
#include "relay-sync-cycle-private.h"

void
relay_sync_cycle_free (gpointer data)
{
  Cycle *cycle = data;

  g_clear_error (&cycle->problem);
  g_clear_pointer (&cycle->reconcile.in_flight, g_ptr_array_unref);
  g_clear_pointer (&cycle->resume_keys, g_hash_table_unref);
  g_clear_pointer (&cycle->pull.pull_after, g_date_time_unref);
  g_clear_pointer (&cycle->pull.pull_before, g_date_time_unref);
  g_clear_pointer (&cycle->cancel.orders, g_ptr_array_unref);
  g_free (cycle->pull.cursor);
  g_clear_pointer (&cycle->batch, g_ptr_array_unref);
  g_clear_pointer (&cycle->batch_rows, g_ptr_array_unref);
  g_clear_pointer (&cycle->deliver.aliases, g_hash_table_unref);
  g_clear_pointer (&cycle->deliver.shipping_methods, g_hash_table_unref);
  g_clear_pointer (&cycle->deliver.variants, g_ptr_array_unref);
  g_clear_pointer (&cycle->deliver.account, relay_account_facts_free);
  g_clear_pointer (&cycle->attempted, g_hash_table_unref);
  g_free (cycle->deliver.customer_collection);
  g_clear_pointer (&cycle->deliver.customers_started, g_date_time_unref);
  g_clear_pointer (&cycle->deliver.resolution, relay_resolution_free);
  g_free (cycle->deliver.totals);
  g_free (cycle->deliver.key);
  g_clear_pointer (&cycle->pay.orders, g_ptr_array_unref);
  g_clear_pointer (&cycle->tracking.tracking_started, g_date_time_unref);
  g_clear_pointer (&cycle->tracking.tracking_since, g_date_time_unref);
  g_clear_pointer (&cycle->tracking.touched, g_array_unref);
  g_clear_pointer (&cycle->tracking.touched_set, g_hash_table_unref);
  g_clear_pointer (&cycle->post.carriers, g_hash_table_unref);
  g_clear_pointer (&cycle->post.attempted, g_hash_table_unref);
  g_free (cycle);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

/* The crash-test hook (relay-sync-engine-private.h): nothing is armed unless a
 * test, or a test build of the command line, asked for it. */
static char *armed_crash_point;

void
relay_sync_engine_set_crash_point (const char *step)
{
  g_free (armed_crash_point);
  armed_crash_point = g_strdup (step);
}

void
relay_sync_crash_point (const char *step)
{
  if (armed_crash_point != NULL && g_str_equal (armed_crash_point, step))
    _exit (137);
}

/* Every flow's next step asks this first: when the engine is being stopped, the
 * cycle ends here with the cancellation and the caller just returns. A lane
 * stopped while the other still runs only lets go of its reference: the last
 * one to stop ends the cycle. */
gboolean
relay_sync_cycle_stopped (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  if (cycle->lanes > 1)
    cycle->lanes--;
  else
    g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return TRUE;
}

/* Once in-flight work is reconciled: pulling new orders and delivering them
 * (then payments), reading tracking from TradeGecko and posting it to
 * Squarespace go on at once, each paced by its own API, so a backlog of both
 * takes the longer of the two, not their sum; posting starts with the first
 * page of shipments read, reading while the pull has TradeGecko to itself.
 * They touch different orders' stages (new → at TradeGecko; at TradeGecko →
 * shipped → confirmed) and each claim stays one order's, so exactly-once
 * holds per order as before. */
void
relay_sync_cycle_start_lanes (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->lanes = 3;
  /* Until the pull is through, the post lane leaves it most of Squarespace's budget. */
  cycle->pull.paging = TRUE;
  relay_sync_cycle_read_tracking (g_object_ref (task));
  relay_sync_cycle_post_tracking (g_object_ref (task));
  relay_sync_cycle_pull (task);
}

/* Each lane ends here; the cycle finishes when the last one does. */
void
relay_sync_cycle_lane_done (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (relay_sync_cycle_stopped (task))
    return;
  if (cycle->lanes > 1)
    {
      cycle->lanes--;
      g_object_unref (task);
      return;
    }
  cycle->lanes = 0;
  relay_sync_cycle_finish (task);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Failures after which the remote call may still have happened (409: the
 * service is still working on an earlier request for the record). */
gboolean
relay_sync_outcome_unknown (const GError *error)
{
  return relay_error_is_transient (error) || is_cancelled (error) ||
         g_error_matches (error, RELAY_ERROR, RELAY_ERROR_CONFLICT);
}

/* Keeps the error with the order, unless the engine was just being stopped. */
void
relay_sync_record_order_error (RelaySyncEngine *self,
                               const char      *squarespace_id,
                               const GError    *error)
{
  if (!is_cancelled (error))
    relay_store_record_error (self->store, squarespace_id, error, NULL);
}

gboolean
relay_sync_is_connection_error (const GError *error)
{
  return relay_error_is_transient (error) || relay_error_needs_attention (error);
}

/* A failure of a whole service for this cycle: its remaining calls are skipped,
 * the cycle ends with the first such error. */
void
relay_sync_service_failed (Cycle        *cycle,
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
  relay_sync_engine_emit_connection_problem (cycle->self, store_id, error);
}

void
relay_sync_store_failed (Cycle        *cycle,
                         const GError *error)
{
  g_warning ("Order database: %s", error->message);
  if (cycle->problem == NULL)
    cycle->problem = g_error_copy (error);
}

GDateTime *
relay_sync_checkpoint_time (RelayStore *store,
                            const char *key)
{
  g_autofree char *text = relay_store_dup_checkpoint (store, key, NULL);

  return text != NULL ? relay_parse_iso8601 (text) : NULL;
}

void
relay_sync_set_checkpoint_time (RelayStore *store,
                                const char *key,
                                GDateTime  *when,
                                GError    **error)
{
  g_autofree char *text = relay_http_format_date (when);

  relay_store_set_checkpoint (store, key, text, error);
}

gint64
relay_sync_local_now_ms (void)
{
  return g_get_real_time () / 1000;
}

GDateTime *
relay_sync_datetime_from_ms (gint64 ms)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_add (seconds, (ms % 1000) * G_TIME_SPAN_MILLISECOND);
}

gint64
relay_sync_checkpoint_int (RelayStore *store,
                           const char *key,
                           gint64      fallback)
{
  g_autofree char *text = relay_store_dup_checkpoint (store, key, NULL);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : fallback;
}

void
relay_sync_set_checkpoint_int (RelayStore *store,
                               const char *key,
                               gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  relay_store_set_checkpoint (store, key, text, NULL);
}

/* A service's clock minus ours: what it said this session, else what it said
 * last time; @known is FALSE when it never said (0 then). */
gint64
relay_sync_source_clock_offset_ms (RelaySyncEngine *self,
                                   gboolean        *known)
{
  gint64 offset;

  *known = TRUE;
  if (relay_order_source_get_clock_offset (self->source, &offset))
    return offset;
  offset = relay_sync_checkpoint_int (self->store, RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK, G_MININT64);
  *known = offset != G_MININT64;
  return *known ? offset : 0;
}

static gint64
destination_clock_offset_ms (RelaySyncEngine *self)
{
  gint64 offset;

  if (relay_order_destination_get_clock_offset (self->destination, &offset))
    return offset;
  return relay_sync_checkpoint_int (self->store, CHECKPOINT_DESTINATION_CLOCK, 0);
}

/* The destination's time when a request sent at @sent_ms (local) was answered:
 * the checkpoints of its windows are in its clock, not ours. */
GDateTime *
relay_sync_destination_time_at (RelaySyncEngine *self,
                                gint64           sent_ms)
{
  return relay_sync_datetime_from_ms (sent_ms + destination_clock_offset_ms (self));
}

static char *
fold (const char *text)
{
  return text != NULL ? g_utf8_casefold (text, -1) : g_strdup ("");
}

char *
relay_sync_address_fingerprint (const char *first_name,
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
char *
relay_sync_customer_key (const char *email)
{
  return fold (email);
}

gboolean
relay_sync_shipment_counts (const char *status,
                            gboolean    count_packed)
{
  return g_strcmp0 (status, "fulfilled") == 0 || (count_packed && g_strcmp0 (status, "packed") == 0);
}
