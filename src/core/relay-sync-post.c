/* relay-sync-post.c
 *
 * Flow 4: post tracking to Squarespace.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void post_next (GTask *task);

/* ------------------------------------------------------------------------ */
/* Flow 4: post tracking to Squarespace                                      */

static void
post_advance (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (!cycle->post.progressed)
    g_hash_table_add (cycle->post.attempted,
                      g_strdup (((RelayOrderRow *) g_ptr_array_index (cycle->batch_rows, 0))->squarespace_id));
  cycle->post.progressed = FALSE;
  g_ptr_array_remove_index (cycle->batch_rows, 0);
  g_clear_pointer (&cycle->post.posting_order, g_free);
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

      if (!relay_sync_shipment_counts (shipment->status, count_packed))
        continue;
      if (shipment->posted_at == 0)
        return;
      any_posted = TRUE;
    }

  if (any_posted && !relay_store_mark_confirmed (self->store, squarespace_id, &error))
    relay_sync_store_failed (cycle, error);
}

/* Shipped orders whose tracking is all posted (a crash between the two steps,
 * or the last shipment posted before the read lane found the order shipped). */
static void
confirm_posted (Cycle *cycle)
{
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(GPtrArray) shipped = NULL;
  g_autoptr(GError) error = NULL;

  shipped = relay_store_dup_orders_to_confirm (self->store, count_packed, RELAY_SYNC_ENGINE_BATCH_SIZE, NULL);
  relay_store_begin_group (self->store);
  for (guint i = 0; shipped != NULL && i < shipped->len; i++)
    maybe_confirm (cycle, ((RelayOrderRow *) g_ptr_array_index (shipped, i))->squarespace_id);
  if (!relay_store_commit_group (self->store, &error))
    relay_sync_store_failed (cycle, error);
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
      relay_sync_crash_point ("after-tracking-post");
      /* Posted and, when that was the last, confirmed: one commit. Lost together in
       * a crash, the claim left in flight has the order re-read before any new post. */
      relay_store_begin_group (self->store);
      if (relay_store_mark_shipments_posted (self->store, cycle->post.posting_order,
                                             (const gint64 *) cycle->post.posting_ids->data,
                                             cycle->post.posting_ids->len, &error))
        {
          cycle->post.progressed = TRUE;
          maybe_confirm (cycle, cycle->post.posting_order);
        }
      if (!relay_store_commit_group (self->store, error == NULL ? &error : NULL))
        cycle->post.progressed = FALSE;
      if (error != NULL)
        relay_sync_store_failed (cycle, error);
    }
  else if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_CONFLICT))
    {
      /* 409: Squarespace is still working on a post for this order. Stay in
       * flight: the order is re-read once that had time to land. */
      relay_store_add_event (self->store, cycle->post.posting_order, "tracking-in-progress",
                             _("Squarespace is still processing an earlier tracking post; checking again later"),
                             NULL);
    }
  else if (relay_sync_outcome_unknown (error))
    {
      /* It may have been recorded: stay in flight, re-read the order next cycle. */
      relay_sync_record_order_error (self, cycle->post.posting_order, error);
      relay_sync_service_failed (cycle, SIDE_SOURCE, error);
    }
  else
    {
      relay_store_clear_in_flight (self->store, cycle->post.posting_order, error->message, NULL);
      relay_store_record_error (self->store, cycle->post.posting_order, error, NULL);
      if (relay_error_needs_attention (error))
        relay_sync_service_failed (cycle, SIDE_SOURCE, error);
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

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->source_down)
    {
      relay_sync_cycle_lane_done (task);
      return;
    }

  if (cycle->batch_rows->len == 0)
    {
      relay_sync_cycle_post_tracking (task);
      return;
    }

  row = g_ptr_array_index (cycle->batch_rows, 0);

  shipments = relay_store_dup_shipments (self->store, row->squarespace_id, &error);
  if (shipments == NULL)
    {
      relay_sync_store_failed (cycle, error);
      post_advance (task);
      return;
    }

  to_post = g_ptr_array_new ();
  g_array_set_size (cycle->post.posting_ids, 0);
  for (guint i = 0; i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      /* Untracked shipments (pickup, local delivery) are posted too: they close the order. */
      if (shipment->posted_at != 0 || !relay_sync_shipment_counts (shipment->status, count_packed))
        continue;
      g_ptr_array_add (to_post, shipment);
      g_array_append_val (cycle->post.posting_ids, shipment->fulfillment_id);
    }

  order = to_post->len > 0 ? relay_store_load_order (self->store, row->squarespace_id, &error) : NULL;
  if (order == NULL)
    {
      if (error != NULL)
        relay_sync_store_failed (cycle, error);
      post_advance (task);
      return;
    }

  if (!relay_store_begin_post_tracking (self->store, row->squarespace_id, &error))
    {
      relay_sync_store_failed (cycle, error);
      post_advance (task);
      return;
    }

  relay_sync_crash_point ("before-tracking-post");
  cycle->post.posting_order = g_strdup (row->squarespace_id);
  relay_order_source_post_shipments_async (self->source, order, to_post, cycle->post.carriers,
                                           g_settings_get_boolean (self->settings, "notify-customer"),
                                           g_task_get_cancellable (task), shipments_posted_cb, task);
}

void
relay_sync_cycle_post_tracking (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean each = g_settings_get_enum (self->settings, "shipment-posting") == 1;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->source_down)
    {
      relay_sync_cycle_lane_done (task);
      return;
    }

  if (cycle->post.carriers == NULL)
    {
      cycle->post.carriers = relay_store_dup_carriers (self->store, NULL);
      cycle->post.posting_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      cycle->post.attempted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }

  g_clear_pointer (&cycle->batch_rows, g_ptr_array_unref);
  rows = relay_store_dup_orders_to_post (self->store, each, count_packed,
                                         RELAY_SYNC_ENGINE_BATCH_SIZE + g_hash_table_size (cycle->post.attempted),
                                         &error);
  if (rows == NULL)
    {
      relay_sync_store_failed (cycle, error);
      relay_sync_cycle_lane_done (task);
      return;
    }

  cycle->batch_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);

      if (!g_hash_table_contains (cycle->post.attempted, row->squarespace_id))
        g_ptr_array_add (cycle->batch_rows, g_steal_pointer (&rows->pdata[i]));
    }

  if (cycle->batch_rows->len == 0)
    {
      /* Nothing to post now, but the read lane may yet mark orders shipped:
       * wait for it (relay_sync_cycle_wake_post()), holding this lane's reference. */
      if (cycle->tracking.reading)
        cycle->post.parked = TRUE;
      else
        {
          confirm_posted (cycle);
          relay_sync_cycle_lane_done (task);
        }
      return;
    }

  relay_sync_engine_emit_progress (self, "post-tracking", 0, cycle->batch_rows->len);
  post_next (task);
}

/* The read lane stored a page of shipments, or ended: a post lane waiting for
 * work looks again. */
void
relay_sync_cycle_wake_post (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (!cycle->post.parked)
    return;
  cycle->post.parked = FALSE;
  relay_sync_cycle_post_tracking (task);
}
