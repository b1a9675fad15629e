/* relay-store-pipeline.c — the order pipeline: every stage transition in one transaction
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

static void
set_claimed_error (const RelayOrderRow  *row,
                   GError              **error)
{
  if (row->claim_pid > 0 && row->claim_pid != getpid ())
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                 _("Order %s is being sent by another Order Relay (process %d)"),
                 row->order_number, (int) row->claim_pid);
  else
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                 _("Order %s has a call under way whose outcome is not known yet; it is checked at the next sync"),
                 row->order_number);
}

/**
 * relay_store_begin_delivery:
 * @self: a #RelayStore
 * @squarespace_id: a `new` order
 * @idempotency_key: the key the POST will carry
 * @error: return location for a #GError
 *
 * Marks the order in flight before the TradeGecko POST. Calling it again
 * with the same key (a retry after a crash) succeeds and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_begin_delivery (RelayStore  *self,
                            const char  *squarespace_id,
                            const char  *idempotency_key,
                            GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && idempotency_key != NULL, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id, STAGE_BIT (RELAY_STAGE_NEW),
                                _("Order %s cannot be delivered: it is %s"), error);
  if (row == NULL)
    return FALSE;

  if (row->in_flight == RELAY_IN_FLIGHT_DELIVER && g_strcmp0 (row->idempotency_key, idempotency_key) == 0)
    return TRUE;

  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      set_claimed_error (row, error);
      return FALSE;
    }

  if (!store_run (self, error,
                  "UPDATE orders SET in_flight = 'deliver', idempotency_key = ?2, updated_at = ?3, "
                  "claim_pid = ?4, claimed_at = ?3, delivery_attempts = delivery_attempts + 1 "
                  "WHERE squarespace_id = ?1",
                  "ssxx", squarespace_id, idempotency_key, store_now_ms (), (gint64) getpid ()))
    return FALSE;
  store_step_done (self, "begin_delivery:order");

  return store_finish_transition (self, &tx, squarespace_id, "delivering", _("Sending to TradeGecko"), error);
}

/**
 * relay_store_finish_delivery:
 * @self: a #RelayStore
 * @squarespace_id: an order being delivered
 * @tradegecko_order_id: the id of the sales order TradeGecko created (or found)
 * @tradegecko_order_number: (nullable): its order number
 * @resolved_lines: (nullable) (element-type RelayResolvedLine): what each line became
 * @error: return location for a #GError
 *
 * Records the delivered order: stage `at_tradegecko`, in-flight marker and
 * error cleared.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_finish_delivery (RelayStore  *self,
                             const char  *squarespace_id,
                             gint64       tradegecko_order_id,
                             const char  *tradegecko_order_number,
                             GPtrArray   *resolved_lines,
                             GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);
  g_return_val_if_fail (tradegecko_order_id > 0, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id, STAGE_BIT (RELAY_STAGE_NEW),
                                _("Order %s cannot be marked delivered: it is %s"), error);
  if (row == NULL)
    return FALSE;

  if (!store_run (self, error,
                  "UPDATE orders SET stage = 'at_tradegecko', stage_reason = NULL, tradegecko_order_id = ?2, "
                  "tradegecko_order_number = ?3, in_flight = NULL, last_error = NULL, error_kind = NULL, "
                  "retry_count = 0, updated_at = ?4 WHERE squarespace_id = ?1",
                  "sxsx", squarespace_id, tradegecko_order_id, tradegecko_order_number, store_now_ms ()))
    goto fail;
  store_step_done (self, "finish_delivery:order");

  for (guint i = 0; resolved_lines != NULL && i < resolved_lines->len; i++)
    {
      RelayResolvedLine *line = g_ptr_array_index (resolved_lines, i);

      if (!store_run (self, error,
                      "UPDATE order_lines SET tradegecko_sku = ?3, tradegecko_variant_id = ?4 "
                      "WHERE squarespace_id = ?1 AND line_id = ?2",
                      "sssX", squarespace_id, line->line_id, line->tradegecko_sku, line->variant_id))
        goto fail;
    }
  store_step_done (self, "finish_delivery:lines");

  detail = g_strdup_printf (_("Delivered to TradeGecko as %s"),
                            tradegecko_order_number != NULL ? tradegecko_order_number : "?");
  return store_finish_transition (self, &tx, squarespace_id, "delivered", detail, error);

fail:
  return FALSE;
}

/**
 * relay_store_clear_in_flight:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @detail: (nullable): why, for the timeline (e.g. "not found in TradeGecko")
 * @error: return location for a #GError
 *
 * Clears the in-flight marker once reconciliation showed the remote call did
 * not happen. The stage does not change.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_clear_in_flight (RelayStore  *self,
                             const char  *squarespace_id,
                             const char  *detail,
                             GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id, ~0u,
                                _("Order %s cannot be changed: it is %s"), error);
  if (row == NULL)
    return FALSE;

  if (row->in_flight == RELAY_IN_FLIGHT_NONE)
    return TRUE;

  if (!store_run (self, error, "UPDATE orders SET in_flight = NULL, updated_at = ?2 WHERE squarespace_id = ?1",
                  "sx", squarespace_id, store_now_ms ()))
    return FALSE;
  store_step_done (self, "clear_in_flight:order");

  return store_finish_transition (self, &tx, squarespace_id, "reconciled",
                                  detail != NULL ? detail : _("The interrupted call did not happen"), error);
}

/**
 * relay_store_reject:
 * @self: a #RelayStore
 * @squarespace_id: an order not yet delivered
 * @reason: what the merchant must fix, e.g. "Unknown SKU MUG-RED"
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_reject (RelayStore  *self,
                    const char  *squarespace_id,
                    const char  *reason,
                    GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && reason != NULL, FALSE);

  return store_transition_run (self, squarespace_id,
                               STAGE_BIT (RELAY_STAGE_NEW) | STAGE_BIT (RELAY_STAGE_REJECTED),
                               _("Order %s cannot be rejected: it is %s"),
                               "reject:order", "rejected", reason, error,
                               "UPDATE orders SET stage = 'rejected', stage_reason = ?2, in_flight = NULL, "
                               "updated_at = ?3 WHERE squarespace_id = ?1",
                               "ssx", squarespace_id, reason, store_now_ms ());
}

static const char *
error_kind (const GError *failure)
{
  static const char *kinds[] = {
    "network", "unauthorized", "forbidden", "site-expired", "not-found", "invalid-request",
    "rate-limited", "server", "malformed-response", "not-connected", "insecure-url", "state",
    "rejected", "keyring", "conflict",
  };

  if (failure->domain == RELAY_ERROR && failure->code >= 0 && (guint) failure->code < G_N_ELEMENTS (kinds))
    return kinds[failure->code];
  return g_quark_to_string (failure->domain);
}

/**
 * relay_store_record_error:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @failure: what went wrong
 * @error: return location for a #GError
 *
 * Records a failed attempt: the stage and any in-flight marker stay (an
 * interrupted call must be reconciled), the error is shown, the retry count
 * goes up.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_record_error (RelayStore    *self,
                          const char    *squarespace_id,
                          const GError  *failure,
                          GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && failure != NULL, FALSE);

  return store_transition_run (self, squarespace_id, ~0u, _("Order %s cannot be changed: it is %s"),
                               "record_error:order", "error", failure->message, error,
                               "UPDATE orders SET last_error = ?2, error_kind = ?3, retry_count = retry_count + 1, "
                               "updated_at = ?4 WHERE squarespace_id = ?1",
                               "sssx", squarespace_id, failure->message, error_kind (failure), store_now_ms ());
}

/**
 * relay_store_requeue:
 * @self: a #RelayStore
 * @squarespace_id: a `rejected` or `skipped` order
 * @error: return location for a #GError
 *
 * Sends the order back to `new` (after the merchant fixed the reason), with
 * its error and retry count cleared.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_requeue (RelayStore  *self,
                     const char  *squarespace_id,
                     GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  return store_transition_run (self, squarespace_id,
                               STAGE_BIT (RELAY_STAGE_REJECTED) | STAGE_BIT (RELAY_STAGE_SKIPPED),
                               _("Order %s cannot be retried: it is %s"),
                               "requeue:order", "requeued", _("Queued again for delivery"), error,
                               "UPDATE orders SET stage = 'new', stage_reason = NULL, last_error = NULL, "
                               "error_kind = NULL, retry_count = 0, updated_at = ?2 WHERE squarespace_id = ?1",
                               "sx", squarespace_id, store_now_ms ());
}

static gboolean
leave_pipeline (RelayStore  *self,
                const char  *squarespace_id,
                RelayStage   stage,
                const char  *refusal,
                const char  *reason,
                GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;

  row = store_begin_transition (self, &tx, squarespace_id,
                                STAGE_BIT (RELAY_STAGE_NEW) | STAGE_BIT (RELAY_STAGE_REJECTED) |
                                STAGE_BIT (RELAY_STAGE_SKIPPED) | STAGE_BIT (RELAY_STAGE_CANCELED),
                                refusal, error);
  if (row == NULL)
    return FALSE;

  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s is being delivered; wait until that is settled"), row->order_number);
      return FALSE;
    }

  if (!store_set_stage (self, squarespace_id, stage, reason, error))
    return FALSE;
  store_step_done (self, "leave:order");

  return store_finish_transition (self, &tx, squarespace_id, relay_stage_to_string (stage), reason, error);
}

/**
 * relay_store_skip:
 * @self: a #RelayStore
 * @squarespace_id: an order not yet delivered
 * @reason: why, e.g. "Test order"
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_skip (RelayStore  *self,
                  const char  *squarespace_id,
                  const char  *reason,
                  GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && reason != NULL, FALSE);

  return leave_pipeline (self, squarespace_id, RELAY_STAGE_SKIPPED,
                         _("Order %s cannot be skipped: it is %s"), reason, error);
}

/**
 * relay_store_cancel:
 * @self: a #RelayStore
 * @squarespace_id: an order not yet delivered
 * @reason: why
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_cancel (RelayStore  *self,
                    const char  *squarespace_id,
                    const char  *reason,
                    GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && reason != NULL, FALSE);

  return leave_pipeline (self, squarespace_id, RELAY_STAGE_CANCELED,
                         _("Order %s cannot be canceled: it is %s"), reason, error);
}

/**
 * relay_store_mark_shipped:
 * @self: a #RelayStore
 * @squarespace_id: an order at TradeGecko
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_mark_shipped (RelayStore  *self,
                          const char  *squarespace_id,
                          GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  return store_transition_run (self, squarespace_id, STAGE_BIT (RELAY_STAGE_AT_TRADEGECKO),
                               _("Order %s cannot be marked shipped: it is %s"),
                               "mark_shipped:order", "shipped", _("Shipped from TradeGecko"), error,
                               "UPDATE orders SET stage = 'shipped', stage_reason = NULL, updated_at = ?2 "
                               "WHERE squarespace_id = ?1",
                               "sx", squarespace_id, store_now_ms ());
}

/**
 * relay_store_begin_post_tracking:
 * @self: a #RelayStore
 * @squarespace_id: an order at TradeGecko or shipped
 * @error: return location for a #GError
 *
 * Marks the order in flight before the Squarespace fulfillment POST, which
 * has no idempotency key: an order found in this state must be re-read from
 * Squarespace before posting again.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_begin_post_tracking (RelayStore  *self,
                                 const char  *squarespace_id,
                                 GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id,
                                STAGE_BIT (RELAY_STAGE_AT_TRADEGECKO) | STAGE_BIT (RELAY_STAGE_SHIPPED),
                                _("Order %s cannot have its tracking posted: it is %s"), error);
  if (row == NULL)
    return FALSE;

  /* A claim is exclusive: the post may already be under way elsewhere. */
  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      set_claimed_error (row, error);
      return FALSE;
    }

  if (!store_run (self, error,
                  "UPDATE orders SET in_flight = 'post_tracking', updated_at = ?2, claim_pid = ?3, claimed_at = ?2 "
                  "WHERE squarespace_id = ?1",
                  "sxx", squarespace_id, store_now_ms (), (gint64) getpid ()))
    return FALSE;
  store_step_done (self, "begin_post_tracking:order");

  return store_finish_transition (self, &tx, squarespace_id, "posting-tracking", _("Sending tracking to Squarespace"), error);
}

/**
 * relay_store_mark_shipments_posted:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @fulfillment_ids: (array length=n_fulfillment_ids): the shipments now on Squarespace
 * @n_fulfillment_ids: how many
 * @error: return location for a #GError
 *
 * Records posted shipments and clears the in-flight marker. The stage is
 * unchanged: relay_store_mark_confirmed() ends the order.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_mark_shipments_posted (RelayStore    *self,
                                   const char    *squarespace_id,
                                   const gint64  *fulfillment_ids,
                                   guint          n_fulfillment_ids,
                                   GError       **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  gint64 now = store_now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);
  g_return_val_if_fail (fulfillment_ids != NULL || n_fulfillment_ids == 0, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id,
                                STAGE_BIT (RELAY_STAGE_AT_TRADEGECKO) | STAGE_BIT (RELAY_STAGE_SHIPPED) |
                                STAGE_BIT (RELAY_STAGE_CONFIRMED),
                                _("Order %s cannot have its tracking posted: it is %s"), error);
  if (row == NULL)
    return FALSE;

  for (guint i = 0; i < n_fulfillment_ids; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gboolean found = FALSE;
      g_autofree char *tracking = NULL;

      stmt = store_prepare (self, error,
                            "UPDATE shipments SET posted_to_squarespace_at = COALESCE (posted_to_squarespace_at, ?3), "
                            "updated_at = ?3 WHERE fulfillment_id = ?2 AND squarespace_id = ?1 RETURNING tracking_number",
                            "sxx", squarespace_id, fulfillment_ids[i], now);
      if (stmt == NULL || !store_step_row (self, stmt, &found, error))
          goto fail;
      if (found)
        tracking = store_column_dup_text (stmt, 0);

      if (!found)
        {
          g_autofree char *shipment = g_strdup_printf ("%" G_GINT64_FORMAT, fulfillment_ids[i]);

          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE, _("Order %s has no shipment %s"),
                       row->order_number, shipment);
          goto fail;
        }
      g_string_append_printf (detail, "%s%s", detail->len > 0 ? ", " : "", tracking != NULL ? tracking : "?");
    }
  store_step_done (self, "mark_shipments_posted:shipments");

  if (!store_run (self, error,
                  "UPDATE orders SET in_flight = NULL, last_error = NULL, error_kind = NULL, retry_count = 0, "
                  "updated_at = ?2 WHERE squarespace_id = ?1",
                  "sx", squarespace_id, now))
    goto fail;
  store_step_done (self, "mark_shipments_posted:order");

  g_string_prepend (detail, _("Tracking posted to Squarespace: "));
  return store_finish_transition (self, &tx, squarespace_id, "tracking-posted", detail->str, error);

fail:
  return FALSE;
}

/**
 * relay_store_mark_confirmed:
 * @self: a #RelayStore
 * @squarespace_id: a shipped order whose tracking is on Squarespace
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_mark_confirmed (RelayStore  *self,
                            const char  *squarespace_id,
                            GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  return store_transition_run (self, squarespace_id, STAGE_BIT (RELAY_STAGE_SHIPPED),
                               _("Order %s cannot be confirmed: it is %s"),
                               "mark_confirmed:order", "confirmed", _("Tracking confirmed in Squarespace"), error,
                               "UPDATE orders SET stage = 'confirmed', stage_reason = NULL, in_flight = NULL, "
                               "updated_at = ?2 WHERE squarespace_id = ?1",
                               "sx", squarespace_id, store_now_ms ());
}

/**
 * relay_store_settle_cancel:
 * @self: a #RelayStore
 * @squarespace_id: an order with `cancel_pending`
 * @voided: %TRUE when the TradeGecko order is void (the order becomes `canceled`);
 *   %FALSE when the merchant must act (the order keeps its stage and needs attention)
 * @detail: what happened, for the timeline (and the error shown when not @voided)
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_settle_cancel (RelayStore  *self,
                           const char  *squarespace_id,
                           gboolean     voided,
                           const char  *detail,
                           GError     **error)
{
  const char *sql = voided
    ? "UPDATE orders SET cancel_pending = 0, stage = 'canceled', stage_reason = ?2, last_error = NULL, "
      "error_kind = NULL, updated_at = ?3 WHERE squarespace_id = ?1"
    : "UPDATE orders SET cancel_pending = 0, last_error = ?2, error_kind = 'canceled-after-delivery', "
      "updated_at = ?3 WHERE squarespace_id = ?1";

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && detail != NULL, FALSE);

  return store_transition_run (self, squarespace_id, ~0u, _("Order %s cannot be changed: it is %s"),
                               "settle_cancel:order", voided ? "voided" : "needs-attention", detail, error,
                               sql, "ssx", squarespace_id, detail, store_now_ms ());
}

/**
 * relay_store_add_event:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @kind: a short machine-readable kind, e.g. `note`
 * @detail: (nullable): text for the merchant
 * @error: return location for a #GError
 *
 * Appends to the order's timeline without changing its state.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_add_event (RelayStore  *self,
                       const char  *squarespace_id,
                       const char  *kind,
                       const char  *detail,
                       GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && kind != NULL, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id, ~0u,
                                _("Order %s cannot be changed: it is %s"), error);
  if (row == NULL)
    return FALSE;

  return store_finish_transition (self, &tx, squarespace_id, kind, detail, error);
}
