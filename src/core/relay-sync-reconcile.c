/* relay-sync-reconcile.c
 *
 * Flow 0: reconcile what a crash or timeout left in flight.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void reconcile_next (GTask *task);

/* ------------------------------------------------------------------------ */
/* Flow 0: reconcile what a crash or timeout left in flight                  */

static void
reconcile_done_one (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->reconcile.index++;
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
  RelayOrderRow *row = g_ptr_array_index (cycle->reconcile.in_flight, cycle->reconcile.index);
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  RelayRemoteOrder *found = NULL;

  orders = relay_order_destination_find_orders_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (orders == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
      relay_sync_record_order_error (self, row->squarespace_id, error);
      reconcile_done_one (task);
      return;
    }

  for (guint i = 0; i < orders->len && found == NULL; i++)
    {
      RelayRemoteOrder *candidate = g_ptr_array_index (orders, i);

      if (g_strcmp0 (candidate->reference, row->cust_po_no) == 0 && candidate->live)
        found = candidate;
    }

  if (found != NULL && found->id > 0)
    {
      g_autofree char *detail = g_strdup_printf (_("Found in %s after an interrupted delivery; not sent again"),
                                                 relay_order_destination_get_name (self->destination));

      g_debug ("Order %s was already delivered", row->order_number);
      if (!relay_store_finish_delivery (self->store, row->squarespace_id, found->id,
                                        found->order_number, NULL, &error))
        relay_sync_store_failed (cycle, error);
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
        relay_sync_store_failed (cycle, error);
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
  RelayOrderRow *row = g_ptr_array_index (cycle->reconcile.in_flight, cycle->reconcile.index);
  g_autoptr(RelayOrder) remote = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GArray) posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  remote = relay_order_source_get_order_finish (RELAY_ORDER_SOURCE (object), result, &error);
  if (remote == NULL)
    {
      if (relay_sync_is_connection_error (error))
        relay_sync_service_failed (cycle, SIDE_SOURCE, error);
      relay_sync_record_order_error (self, row->squarespace_id, error);
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
        relay_sync_store_failed (cycle, error);
    }
  else if (cycle->reconcile.reread_sent_ms - row->claimed_at < RELAY_SYNC_ENGINE_POST_SETTLE_S * 1000)
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
        relay_sync_store_failed (cycle, error);
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
  return relay_sync_local_now_ms () - row->claimed_at < CLAIM_MAX_AGE_MS;
}

static void
reconcile_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  GCancellable *cancellable = g_task_get_cancellable (task);
  RelayOrderRow *row;

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->reconcile.index >= cycle->reconcile.in_flight->len)
    {
      relay_sync_cycle_start_lanes (task);
      return;
    }

  row = g_ptr_array_index (cycle->reconcile.in_flight, cycle->reconcile.index);
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
      cycle->reconcile.reread_sent_ms = relay_sync_local_now_ms ();
      relay_order_source_get_order_async (self->source, row->squarespace_id, cancellable,
                                          reconcile_read_order_cb, task);
    }
  else
    reconcile_done_one (task);
}

void
relay_sync_cycle_reconcile (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cycle->reconcile.in_flight = relay_store_dup_orders_in_flight (cycle->self->store, &error);
  if (cycle->reconcile.in_flight == NULL)
    {
      relay_sync_store_failed (cycle, error);
      cycle->reconcile.in_flight = g_ptr_array_new ();
    }
  cycle->reconcile.index = 0;
  reconcile_next (task);
}
