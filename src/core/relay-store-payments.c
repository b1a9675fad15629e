/* relay-store-payments.c — payments waiting to be recorded in TradeGecko
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/* ------------------------------------------------------------------------ */
/* Payments (schema 3)                                                       */

void
relay_due_payment_free (RelayDuePayment *payment)
{
  if (payment == NULL)
    return;
  g_free (payment->squarespace_id);
  g_free (payment->idempotency_key);
  g_free (payment);
}

/**
 * relay_store_set_payment_due:
 * @self: a #RelayStore
 * @squarespace_id: a stored order
 * @idempotency_key: the key its payment is always sent with
 * @error: return location for a #GError
 *
 * Remembers that the order is to be marked paid in TradeGecko once it is
 * there. A second call changes nothing (the first key stays).
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_set_payment_due (RelayStore  *self,
                             const char  *squarespace_id,
                             const char  *idempotency_key,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && idempotency_key != NULL, FALSE);

  return store_run (self, error,
                    "INSERT OR IGNORE INTO payments (squarespace_id, idempotency_key, state, updated_at) "
                    "VALUES (?1, ?2, 'due', ?3)",
                    "ssx", squarespace_id, idempotency_key, store_now_ms ());
}

/**
 * relay_store_dup_due_payments:
 * @self: a #RelayStore
 * @limit: the most to return
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayDuePayment): payments still to
 *   send for orders that are in TradeGecko, oldest first; %NULL on error
 */
GPtrArray *
relay_store_dup_due_payments (RelayStore  *self,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_due_payment_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = store_prepare (self, error,
                        "SELECT p.squarespace_id, p.idempotency_key, o.tradegecko_order_id FROM payments p "
                        "JOIN orders o ON o.squarespace_id = p.squarespace_id "
                        "WHERE p.state = 'due' AND o.tradegecko_order_id IS NOT NULL "
                        "ORDER BY p.updated_at, p.squarespace_id LIMIT ?1",
                        "i", (int) MIN (limit, G_MAXINT));
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      RelayDuePayment *payment;

      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (!found)
        break;
      payment = g_new0 (RelayDuePayment, 1);
      payment->squarespace_id = store_column_dup_text (stmt, 0);
      payment->idempotency_key = store_column_dup_text (stmt, 1);
      payment->tradegecko_order_id = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (payments, payment);
    }

  return g_steal_pointer (&payments);
}

/**
 * relay_store_finish_payment:
 * @self: a #RelayStore
 * @squarespace_id: an order whose payment is due
 * @detail: (nullable): what the timeline says
 * @error: return location for a #GError
 *
 * Marks the payment sent, with a `paid` event on the order's timeline, in
 * one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_finish_payment (RelayStore  *self,
                            const char  *squarespace_id,
                            const char  *detail,
                            GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  return store_transition_run (self, squarespace_id, ~0u, _("Order %s cannot be paid: it is %s"),
                               NULL, "paid", detail, error,
                               "UPDATE payments SET state = 'paid', updated_at = ?2 WHERE squarespace_id = ?1",
                               "sx", squarespace_id, store_now_ms ());
}

/**
 * relay_store_drop_payment:
 * @self: a #RelayStore
 * @squarespace_id: an order whose payment is due
 * @reason: why TradeGecko will not take it, for the timeline
 * @error: return location for a #GError
 *
 * Forgets a payment TradeGecko refused for good (a voided order, say), with a
 * `payment-refused` event, so it is not sent again every cycle.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_drop_payment (RelayStore  *self,
                          const char  *squarespace_id,
                          const char  *reason,
                          GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  return store_transition_run (self, squarespace_id, ~0u, _("Order %s cannot be changed: it is %s"),
                               NULL, "payment-refused", reason, error,
                               "DELETE FROM payments WHERE squarespace_id = ?1", "s", squarespace_id);
}
