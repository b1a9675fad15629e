/* relay-sync-tracking.c
 *
 * Flow 3: read shipments (fulfilments) from TradeGecko.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void check_touched_orders (GTask *task);
static void fulfillments_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* ------------------------------------------------------------------------ */
/* Flow 3: read shipments from TradeGecko                                    */


/* The read lane's end, however it ended: the post lane stops waiting for more. */
static void
tracking_read_done (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->tracking.reading = FALSE;
  relay_sync_cycle_wake_post (task);
  relay_sync_cycle_lane_done (task);
}

static void
tracking_done (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  relay_sync_crash_point ("after-tracking-read");
  /* In TradeGecko's time, now that it has answered and told it. */
  g_clear_pointer (&cycle->tracking.tracking_started, g_date_time_unref);
  cycle->tracking.tracking_started = relay_sync_destination_time_at (cycle->self, cycle->tracking.tracking_sent_ms);
  relay_sync_set_checkpoint_time (cycle->self->store, CHECKPOINT_FULFILL, cycle->tracking.tracking_started, &error);
  if (error != NULL)
    relay_sync_store_failed (cycle, error);
  tracking_read_done (task);
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
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;

  orders = relay_order_destination_get_orders_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (orders == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
      tracking_read_done (task);
      return;
    }

  /* One commit for the batch: lost in a crash, it is read again next cycle. */
  relay_store_begin_group (self->store);
  for (guint i = 0; i < orders->len; i++)
    {
      RelayRemoteOrder *remote = g_ptr_array_index (orders, i);
      g_autoptr(RelayOrderRow) row = NULL;

      if (!remote->shipped && !(count_packed && remote->packed))
        continue;

      row = relay_store_find_order_by_tradegecko_id (self->store, remote->id, NULL);
      if (row != NULL && row->stage == RELAY_STAGE_AT_TRADEGECKO &&
          !relay_store_mark_shipped (self->store, row->squarespace_id, &error))
        {
          relay_sync_store_failed (cycle, error);
          g_clear_error (&error);
        }
    }
  if (!relay_store_commit_group (self->store, &error))
    relay_sync_store_failed (cycle, error);

  /* These orders are shipped with all of this page's shipments stored: the post
   * lane need not wait for the rest of the page's orders. */
  relay_sync_cycle_wake_post (task);
  check_touched_orders (task);
}


/* Whether the destination considers the orders with shipments fully shipped:
 * one request per RELAY_ORDER_DESTINATION_MAX_IDS orders, not one per order. */
static void
check_touched_orders (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  guint n;

  if (cycle->tracking.touched_index >= cycle->tracking.touched->len)
    {
      g_array_set_size (cycle->tracking.touched, 0);
      g_hash_table_remove_all (cycle->tracking.touched_set);
      /* This page's orders are settled: the post lane may take them. */
      relay_sync_cycle_wake_post (task);
      if (cycle->tracking.more_shipments)
        {
          cycle->tracking.page++;
          relay_order_destination_list_shipments_async (cycle->self->destination, cycle->tracking.tracking_since,
                                                        cycle->tracking.page, g_task_get_cancellable (task),
                                                        fulfillments_page_cb, task);
          return;
        }
      tracking_done (task);
      return;
    }

  n = MIN (cycle->tracking.touched->len - cycle->tracking.touched_index, RELAY_ORDER_DESTINATION_MAX_IDS);
  relay_order_destination_get_orders_async (cycle->self->destination,
                                            &g_array_index (cycle->tracking.touched, gint64, cycle->tracking.touched_index), n,
                                            g_task_get_cancellable (task), touched_orders_cb, task);
  cycle->tracking.touched_index += n;
}

static void
fulfillments_page_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");

  shipments = relay_order_destination_list_shipments_finish (RELAY_ORDER_DESTINATION (object), result, &has_more,
                                                             &error);
  if (shipments == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
      tracking_read_done (task);
      return;
    }

  /* One commit for the page: lost in a crash, it is read again (the checkpoint
   * moves only once every page is in). */
  relay_store_begin_group (self->store);
  for (guint i = 0; i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);
      gint64 order_id = shipment->tradegecko_order_id;
      g_autoptr(RelayOrderRow) row = NULL;
      gboolean changed = FALSE;

      row = relay_store_find_order_by_tradegecko_id (self->store, order_id, NULL);
      if (row == NULL || !relay_stage_is_delivered (row->stage))
        continue;

      if (!relay_store_upsert_shipment (self->store, shipment, &changed, &error))
        {
          relay_sync_store_failed (cycle, error);
          g_clear_error (&error);
          continue;
        }
      /* Whether the order is now complete is TradeGecko's to say: ask for every order
       * still waiting that has a counted shipment in the window (changed or not, so a
       * failed check is simply done again next cycle). */
      if (row->stage == RELAY_STAGE_AT_TRADEGECKO &&
          relay_sync_shipment_counts (shipment->status, count_packed) &&
          g_hash_table_add (cycle->tracking.touched_set, g_memdup2 (&order_id, sizeof order_id)))
        g_array_append_val (cycle->tracking.touched, order_id);
    }
  if (!relay_store_commit_group (self->store, &error))
    relay_sync_store_failed (cycle, error);

  relay_sync_engine_emit_progress (self, "read-tracking", shipments->len, 0);

  /* Settle this page's orders before reading the next: memory stays one page. */
  cycle->tracking.more_shipments = has_more;
  cycle->tracking.touched_index = 0;
  check_touched_orders (task);
}

void
relay_sync_cycle_read_tracking (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) since = NULL;

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->destination_down)
    {
      tracking_read_done (task);
      return;
    }

  cycle->tracking.tracking_sent_ms = relay_sync_local_now_ms ();
  cycle->tracking.tracking_started = relay_sync_destination_time_at (self, cycle->tracking.tracking_sent_ms);
  since = relay_sync_checkpoint_time (self->store, CHECKPOINT_FULFILL);
  if (since == NULL)
    since = g_date_time_add_days (cycle->tracking.tracking_started,
                                  -(int) g_settings_get_uint (self->settings, "initial-lookback-days"));
  cycle->tracking.tracking_since = g_date_time_add_seconds (since, -RELAY_SYNC_ENGINE_TRACKING_OVERLAP_S);
  cycle->tracking.page = 1;
  cycle->tracking.touched = g_array_new (FALSE, FALSE, sizeof (gint64));
  cycle->tracking.touched_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  cycle->tracking.reading = TRUE;
  relay_sync_engine_emit_progress (self, "read-tracking", 0, 0);
  relay_order_destination_list_shipments_async (self->destination, cycle->tracking.tracking_since, 1,
                                            g_task_get_cancellable (task), fulfillments_page_cb, task);
}
