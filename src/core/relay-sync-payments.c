/* relay-sync-payments.c
 *
 * Payments: paid Squarespace orders invoiced and paid in TradeGecko.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void pay_next (GTask *task);

/* ------------------------------------------------------------------------ */
/* Payments: paid Squarespace orders invoiced and paid in TradeGecko         */


static void
order_paid_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayDuePayment *payment = g_ptr_array_index (cycle->pay.orders, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  const char *detail = NULL;

  if (relay_order_destination_pay_order_finish (RELAY_ORDER_DESTINATION (object), result, &error))
    {
      relay_sync_crash_point ("after-pay-post");
      detail = _("Invoiced and marked paid in TradeGecko");
    }
  else if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_REJECTED) && strstr (error->message, "already paid") != NULL)
    /* A payment sent before a crash, whose key TradeGecko no longer keeps. */
    detail = _("TradeGecko already has the order paid");

  if (detail == NULL)
    {
      if (relay_sync_outcome_unknown (error) || relay_error_needs_attention (error))
        {
          relay_sync_record_order_error (self, payment->squarespace_id, error);
          relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
          cycle->pay.done = TRUE;
          relay_sync_cycle_lane_done (task);
          return;
        }
      /* Refused for good (the order was voided, say): said once, not sent again. */
      if (!relay_store_drop_payment (self->store, payment->squarespace_id, error->message, &store_error))
        relay_sync_store_failed (cycle, store_error);
    }
  else if (!relay_store_finish_payment (self->store, payment->squarespace_id, detail, &store_error))
    relay_sync_store_failed (cycle, store_error);

  g_ptr_array_remove_index (cycle->pay.orders, 0);
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

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->pay.orders->len == 0)
    {
      cycle->pay.done = TRUE;
      relay_sync_cycle_lane_done (task);
      return;
    }

  payment = g_ptr_array_index (cycle->pay.orders, 0);
  order = relay_store_load_order (self->store, payment->squarespace_id, &error);
  if (order == NULL)
    {
      relay_sync_store_failed (cycle, error);
      g_ptr_array_remove_index (cycle->pay.orders, 0);
      pay_next (task);
      return;
    }

  relay_sync_crash_point ("before-pay-post");
  /* Squarespace does not say when the card was charged; the order was paid
   * when it was placed. The key is the same every time (tradegecko-api.md §10.2). */
  relay_order_destination_pay_order_async (self->destination, payment->tradegecko_order_id,
                                           relay_order_get_created_on (order), payment->idempotency_key,
                                           g_task_get_cancellable (task), order_paid_cb, task);
}

/* The deliver lane's last step: the payments due for orders now in TradeGecko,
 * including ones a crash interrupted. */
void
relay_sync_cycle_pay (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GError) error = NULL;

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->pay.done || cycle->destination_down ||
      !g_settings_get_boolean (self->settings, "mark-paid-orders"))
    {
      relay_sync_cycle_lane_done (task);
      return;
    }

  g_clear_pointer (&cycle->pay.orders, g_ptr_array_unref);
  cycle->pay.orders = relay_store_dup_due_payments (self->store, RELAY_SYNC_ENGINE_BATCH_SIZE, &error);
  if (cycle->pay.orders == NULL)
    {
      relay_sync_store_failed (cycle, error);
      cycle->pay.done = TRUE;
      relay_sync_cycle_lane_done (task);
      return;
    }
  pay_next (task);
}
