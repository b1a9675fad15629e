/* relay-sync-cancel.c
 *
 * Flow 1b: cancellations Squarespace reported after delivery.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void cancel_next (GTask *task);

/* ------------------------------------------------------------------------ */
/* Flow 1b: cancellations Squarespace reported after delivery                */


static void
cancel_done_one (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->cancel.index++;
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
    relay_sync_store_failed (cycle, error);
}

static void
order_voided_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayOrderRow *row = g_ptr_array_index (cycle->cancel.orders, cycle->cancel.index);
  const char *name = relay_order_destination_get_name (self->destination);
  const char *number = row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?";
  g_autoptr(GError) error = NULL;

  if (relay_order_destination_void_order_finish (RELAY_ORDER_DESTINATION (object), result, &error))
    {
      g_autofree char *detail = g_strdup_printf (_("Canceled in Squarespace after delivery; %s order %s voided"),
                                                 name, number);

      settle_cancel (cycle, row, TRUE, detail);
    }
  else if (relay_sync_outcome_unknown (error) || relay_error_needs_attention (error))
    {
      /* Still pending: voided at the next cycle (voiding twice is refused, not repeated). */
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
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

      if (relay_sync_shipment_counts (shipment->status, TRUE))
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

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->cancel.index >= cycle->cancel.orders->len)
    {
      relay_sync_cycle_deliver (task);
      return;
    }

  row = g_ptr_array_index (cycle->cancel.orders, cycle->cancel.index);
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

void
relay_sync_cycle_settle_cancels (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cycle->cancel.orders = relay_store_dup_orders_cancel_pending (cycle->self->store, &error);
  if (cycle->cancel.orders == NULL)
    {
      relay_sync_store_failed (cycle, error);
      cycle->cancel.orders = g_ptr_array_new ();
    }
  cycle->cancel.index = 0;
  cancel_next (task);
}
