/* relay-store-orders.c — pulled orders: storing what Squarespace sent, references, lines
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
#include "relay-order-rules.h"
#include "relay-store.h"
#include "relay-store-private.h"

static RelayOrder *
load_order_locked (RelayStore  *self,
                   const char  *squarespace_id,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  g_autoptr(RelayOrder) order = NULL;

  stmt = store_prepare (self, error,
                        "SELECT squarespace_json, cust_po_no, cust_ref FROM orders WHERE squarespace_id = ?1",
                        "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  if (!store_step_row (self, stmt, &found, error))
    goto out;

  if (!found)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND,
                   _("There is no order %s in the order database"), squarespace_id);
      goto out;
    }

  order = relay_order_new_from_json_string ((const char *) sqlite3_column_text (stmt, 0), error);
  if (order != NULL)
    relay_order_set_references (order,
                                (const char *) sqlite3_column_text (stmt, 1),
                                (const char *) sqlite3_column_text (stmt, 2));

out:
  return g_steal_pointer (&order);
}

static char *
stored_fulfillment_status (RelayStore *self,
                           const char *squarespace_id)
{
  g_autoptr(sqlite3_stmt) stmt = store_prepare (self, NULL, "SELECT fulfillment_status FROM orders WHERE squarespace_id = ?1",
                                      "s", squarespace_id);
  gboolean found = FALSE;
  char *status = NULL;

  if (stmt == NULL)
    return NULL;
  if (store_step_row (self, stmt, &found, NULL) && found)
    status = store_column_dup_text (stmt, 0);
  return status;
}

/**
 * relay_store_upsert_order:
 * @self: a #RelayStore
 * @order: an order as pulled from Squarespace
 * @skip_reason: (nullable): when set, a new order is stored as `skipped` with this reason
 * @out_result: (out) (optional): what happened
 * @error: return location for a #GError
 *
 * Stores a pulled order. A new order becomes `new` (or `skipped` with
 * @skip_reason, `skipped` when it is already fulfilled, `canceled` when it
 * is canceled). A known order takes the newer data only while it has not been
 * delivered: cancellation, address and e-mail edits are applied; after
 * delivery the change is only noted in the timeline and the stage never
 * moves backwards. Data not newer than the stored modifiedOn is ignored.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_upsert_order (RelayStore         *self,
                          RelayOrder         *order,
                          const char         *skip_reason,
                          RelayUpsertResult  *out_result,
                          GError            **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *json = NULL;
  g_autofree char *detail = NULL;
  const char *id;
  const char *kind = NULL;
  RelayUpsertResult result;
  gboolean failed = FALSE;
  gint64 modified_on;
  gint64 now = store_now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (RELAY_IS_ORDER (order), FALSE);

  id = relay_order_get_squarespace_id (order);
  modified_on = store_datetime_to_ms (relay_order_get_modified_on (order));
  json = relay_order_dup_json (order);

  if (!store_transaction_begin (&tx, self, error))
    return FALSE;

  row = store_find_order_where (self, "squarespace_id = ?1", "s", id, 0, &failed, error);
  if (failed)
    goto fail;

  if (row == NULL)
    {
      const char *reason = NULL;
      RelayStage stage = relay_order_rules_first_stage (order, skip_reason, &reason);

      if (!store_run (self, error,
                      "INSERT INTO orders (squarespace_id, order_number, cust_po_no, cust_ref, stage, stage_reason, "
                      "customer_name, customer_email, created_on, modified_on, fulfillment_status, item_count, "
                      "grand_total_minor, currency, testmode, squarespace_json, pulled_at, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
                      "ssssssssxxsxxsisx",
                      id, relay_order_get_order_number (order),
                      relay_order_get_cust_po_no (order), relay_order_get_cust_ref (order),
                      relay_stage_to_string (stage), reason,
                      relay_order_get_customer_name (order), relay_order_get_customer_email (order),
                      store_datetime_to_ms (relay_order_get_created_on (order)), modified_on,
                      relay_order_get_fulfillment_status (order),
                      (gint64) relay_order_get_item_count (order),
                      relay_order_get_grand_total (order)->minor, relay_order_get_currency (order),
                      relay_order_get_testmode (order) ? 1 : 0, json, now))
        goto fail;
      store_step_done (self, "upsert:order");

      if (!store_insert_lines (self, order, error))
        goto fail;
      store_step_done (self, "upsert:lines");

      kind = "pulled";
      detail = reason != NULL
        ? g_strdup_printf (_("Pulled from Squarespace; %s: %s"), relay_stage_to_string (stage), reason)
        : g_strdup (_("Pulled from Squarespace"));
      result = RELAY_UPSERT_INSERTED;
    }
  else if (modified_on <= row->modified_on)
    {
      if (out_result != NULL)
        *out_result = RELAY_UPSERT_UNCHANGED;
      return TRUE;
    }
  else if (relay_stage_is_delivered (row->stage) || row->in_flight != RELAY_IN_FLIGHT_NONE ||
           row->tradegecko_order_id != 0)
    {
      g_autoptr(RelayOrder) before = load_order_locked (self, id, NULL);
      g_autofree char *changes = relay_order_rules_describe_changes (before, order);

      /* The TradeGecko order was made from the stored data: keep it, and
       * only remember that Squarespace moved on. */
      g_autofree char *was = stored_fulfillment_status (self, id);
      gboolean newly_canceled = relay_order_is_canceled (order) && g_strcmp0 (was, "CANCELED") != 0;

      /* The fulfillment status is kept up to date (the stored JSON is not), so
       * a cancellation is seen once and remembered until it is settled. */
      if (!store_run (self, error,
                      "UPDATE orders SET modified_on = ?2, updated_at = ?3, fulfillment_status = ?4, "
                      "cancel_pending = CASE WHEN ?5 THEN 1 ELSE cancel_pending END WHERE squarespace_id = ?1",
                      "sxxsx", id, modified_on, now, relay_order_get_fulfillment_status (order),
                      (gint64) (newly_canceled ? 1 : 0)))
        goto fail;
      store_step_done (self, "upsert:order");

      result = RELAY_UPSERT_UPDATED;
      if (newly_canceled)
        {
          kind = "canceled-after-delivery";
          detail = g_strdup_printf (_("Canceled in Squarespace after delivery (TradeGecko order %s)"),
                                    row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?");
          result = RELAY_UPSERT_CANCELED_AFTER_DELIVERY;
        }
      else if (changes != NULL && !relay_order_is_fulfilled (order))
        {
          kind = "changed-after-delivery";
          /* Translators: the second %s is one or more whole sentences naming what changed. */
          detail = g_strdup_printf (_("Changed in Squarespace after delivery; TradeGecko order %s was not changed. %s"),
                                    row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "?",
                                    changes);
          result = RELAY_UPSERT_CHANGED_AFTER_DELIVERY;
        }
    }
  else
    {
      g_autoptr(RelayOrder) before = load_order_locked (self, id, NULL);
      g_autofree char *changes = relay_order_rules_describe_changes (before, order);
      RelayStage stage = row->stage;
      const char *reason = row->stage_reason;

      result = RELAY_UPSERT_UPDATED;
      if (relay_order_is_canceled (order))
        {
          if (stage != RELAY_STAGE_CANCELED)
            {
              stage = RELAY_STAGE_CANCELED;
              reason = _("Canceled in Squarespace");
              kind = "canceled";
              detail = g_strdup (reason);
              result = RELAY_UPSERT_CANCELED;
            }
        }
      else if (stage == RELAY_STAGE_CANCELED)
        {
          stage = RELAY_STAGE_NEW;
          reason = NULL;
          kind = "reopened";
          detail = g_strdup (_("No longer canceled in Squarespace"));
        }
      else if (relay_order_is_fulfilled (order) &&
               (stage == RELAY_STAGE_NEW || stage == RELAY_STAGE_REJECTED))
        {
          stage = RELAY_STAGE_SKIPPED;
          reason = _("Fulfilled in Squarespace before it was delivered");
          kind = "skipped";
          detail = g_strdup (reason);
        }

      if (kind == NULL && changes != NULL)
        {
          kind = "updated";
          /* Translators: %s is one or more whole sentences naming what changed. */
          detail = g_strdup_printf (_("Updated from Squarespace. %s"), changes);
        }

      if (!store_run (self, error,
                      "UPDATE orders SET order_number = ?2, stage = ?3, stage_reason = ?4, customer_name = ?5, "
                      "customer_email = ?6, modified_on = ?7, fulfillment_status = ?8, item_count = ?9, "
                      "grand_total_minor = ?10, currency = ?11, testmode = ?12, squarespace_json = ?13, "
                      "updated_at = ?14 WHERE squarespace_id = ?1",
                      "ssssssxsxxsisx",
                      id, relay_order_get_order_number (order), relay_stage_to_string (stage), reason,
                      relay_order_get_customer_name (order), relay_order_get_customer_email (order),
                      modified_on, relay_order_get_fulfillment_status (order),
                      (gint64) relay_order_get_item_count (order),
                      relay_order_get_grand_total (order)->minor, relay_order_get_currency (order),
                      relay_order_get_testmode (order) ? 1 : 0, json, now))
        goto fail;
      store_step_done (self, "upsert:order");

      if (!store_insert_lines (self, order, error))
        goto fail;
      store_step_done (self, "upsert:lines");
    }

  if (out_result != NULL)
    *out_result = result;

  if (kind == NULL)
    {
      if (!store_transaction_commit (&tx, error))
        goto fail;
      store_emit_order_changed (self, id);
      return TRUE;
    }

  return store_finish_transition (self, &tx, id, kind, detail, error);

fail:
  return FALSE;
}

/**
 * relay_store_load_order:
 * @self: a #RelayStore
 * @squarespace_id: an order id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stored order with its references, or %NULL
 *   with %RELAY_ERROR_NOT_FOUND
 */
RelayOrder *
relay_store_load_order (RelayStore  *self,
                        const char  *squarespace_id,
                        GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  return load_order_locked (self, squarespace_id, error);
}

/**
 * relay_store_dup_cust_ref_owner:
 * @self: a #RelayStore
 * @cust_ref: a short reference
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the id of the order using @cust_ref, or
 *   %NULL (without error) when it is free
 */
char *
relay_store_dup_cust_ref_owner (RelayStore  *self,
                                const char  *cust_ref,
                                GError     **error)
{
  g_autoptr(RelayOrderRow) row = NULL;
  gboolean failed;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (cust_ref != NULL, NULL);

  row = store_find_order_where (self, "cust_ref = ?1", "s", cust_ref, 0, &failed, error);
  return row != NULL ? g_strdup (row->squarespace_id) : NULL;
}

/**
 * relay_store_set_references:
 * @self: a #RelayStore
 * @squarespace_id: an order id
 * @cust_po_no: the full reference
 * @cust_ref: the short unique reference
 * @error: return location for a #GError
 *
 * Records the references the order will carry in TradeGecko. They cannot
 * change once the order was delivered, and @cust_ref must be unused.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_set_references (RelayStore  *self,
                            const char  *squarespace_id,
                            const char  *cust_po_no,
                            const char  *cust_ref,
                            GError     **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL && cust_po_no != NULL && cust_ref != NULL, FALSE);

  row = store_begin_transition (self, &tx, squarespace_id,
                                STAGE_BIT (RELAY_STAGE_NEW) | STAGE_BIT (RELAY_STAGE_REJECTED) |
                                STAGE_BIT (RELAY_STAGE_SKIPPED) | STAGE_BIT (RELAY_STAGE_CANCELED),
                                _("Order %s cannot be given new references: it is %s"), error);
  if (row == NULL)
    return FALSE;

  if (g_strcmp0 (row->cust_ref, cust_ref) == 0 && g_strcmp0 (row->cust_po_no, cust_po_no) == 0)
    return TRUE;

  if (row->in_flight != RELAY_IN_FLIGHT_NONE)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s is being delivered; its references cannot change"), row->order_number);
      goto fail;
    }

  owner = relay_store_dup_cust_ref_owner (self, cust_ref, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (owner != NULL && g_strcmp0 (owner, squarespace_id) != 0)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("The reference %s is already used by another order"), cust_ref);
      goto fail;
    }

  if (!store_run (self, error,
                  "UPDATE orders SET cust_po_no = ?2, cust_ref = ?3, updated_at = ?4 WHERE squarespace_id = ?1",
                  "sssx", squarespace_id, cust_po_no, cust_ref, store_now_ms ()))
    goto fail;
  store_step_done (self, "set_references:order");

  detail = g_strdup_printf (_("References %s / %s"), cust_ref, cust_po_no);
  return store_finish_transition (self, &tx, squarespace_id, "references", detail, error);

fail:
  return FALSE;
}

/**
 * relay_store_dup_resolved_lines:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @error: return location for a #GError
 *
 * The order's lines with what they became in TradeGecko (store SKU →
 * TradeGecko SKU and variant id), in order. Before delivery the TradeGecko
 * fields are empty and the status says whether the line is digital.
 *
 * Returns: (transfer full) (element-type RelayResolvedLine): the lines
 */
GPtrArray *
relay_store_dup_resolved_lines (RelayStore  *self,
                                const char  *squarespace_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  stmt = store_prepare (self, error,
                        "SELECT line_id, sku, tradegecko_sku, tradegecko_variant_id, quantity, is_physical "
                        "FROM order_lines WHERE squarespace_id = ?1 ORDER BY position",
                        "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      gint64 variant_id;
      RelayLineStatus status;

      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (!found)
        break;

      variant_id = sqlite3_column_int64 (stmt, 3);
      if (sqlite3_column_int (stmt, 5) == 0)
        status = RELAY_LINE_DIGITAL;
      else if (variant_id != 0)
        status = RELAY_LINE_RESOLVED;
      else if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        status = RELAY_LINE_NO_SKU;
      else
        status = RELAY_LINE_UNKNOWN_SKU;

      g_ptr_array_add (lines, relay_resolved_line_new ((const char *) sqlite3_column_text (stmt, 0),
                                                       (const char *) sqlite3_column_text (stmt, 1),
                                                       (const char *) sqlite3_column_text (stmt, 2),
                                                       variant_id,
                                                       sqlite3_column_int64 (stmt, 4),
                                                       status));
    }

  return g_steal_pointer (&lines);
}
