/* relay-store-shipments.c — shipments read from TradeGecko
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


/* Every column of a shipment row, in the order shipment_from_row() reads them. */
#define SHIPMENT_COLUMNS "fulfillment_id, squarespace_id, tradegecko_order_id, status, carrier, service, " \
                         "tracking_number, tracking_url, shipped_at, lines_summary, posted_to_squarespace_at"

static RelayShipment *
shipment_from_row (sqlite3_stmt *stmt)
{
  RelayShipment *shipment = g_new0 (RelayShipment, 1);

  shipment->fulfillment_id = sqlite3_column_int64 (stmt, 0);
  shipment->squarespace_id = store_column_dup_text (stmt, 1);
  shipment->tradegecko_order_id = sqlite3_column_int64 (stmt, 2);
  shipment->status = store_column_dup_text (stmt, 3);
  shipment->carrier = store_column_dup_text (stmt, 4);
  shipment->service = store_column_dup_text (stmt, 5);
  shipment->tracking_number = store_column_dup_text (stmt, 6);
  shipment->tracking_url = store_column_dup_text (stmt, 7);
  shipment->shipped_at = sqlite3_column_int64 (stmt, 8);
  shipment->lines_summary = store_column_dup_text (stmt, 9);
  shipment->posted_at = sqlite3_column_int64 (stmt, 10);
  return shipment;
}

/**
 * relay_store_upsert_shipment:
 * @self: a #RelayStore
 * @shipment: a TradeGecko fulfillment; @squarespace_id and @posted_at are ignored
 * @out_changed: (out) (optional): whether anything was new
 * @error: return location for a #GError
 *
 * Stores or updates a shipment of a delivered order, found by its
 * TradeGecko order id. Never clears the "posted" time.
 *
 * Returns: %TRUE on success; %RELAY_ERROR_NOT_FOUND when no delivered order
 *   has that TradeGecko id
 */
gboolean
relay_store_upsert_shipment (RelayStore           *self,
                             const RelayShipment  *shipment,
                             gboolean             *out_changed,
                             GError              **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayShipment) old = NULL;
  g_autofree char *detail = NULL;
  gboolean failed;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (shipment != NULL && shipment->fulfillment_id > 0, FALSE);

  if (out_changed != NULL)
    *out_changed = FALSE;

  if (!store_transaction_begin (&tx, self, error))
    return FALSE;

  row = store_find_order_where (self, "tradegecko_order_id = ?1", "x", NULL, shipment->tradegecko_order_id,
                                &failed, error);
  if (failed)
    goto fail;
  if (row == NULL)
    {
      g_autofree char *order_id = g_strdup_printf ("%" G_GINT64_FORMAT, shipment->tradegecko_order_id);

      g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND, _("No order was delivered as TradeGecko order %s"),
                   order_id);
      goto fail;
    }

  stmt = store_prepare (self, error,
                        "SELECT " SHIPMENT_COLUMNS " FROM shipments WHERE fulfillment_id = ?1",
                        "x", shipment->fulfillment_id);
  if (stmt == NULL || !store_step_row (self, stmt, &found, error))
      goto fail;
  if (found)
    old = shipment_from_row (stmt);
  /* A statement still on its row would keep the COMMIT below from finishing. */
  g_clear_pointer (&stmt, store_release_statement);

  if (old != NULL &&
      g_strcmp0 (old->status, shipment->status) == 0 &&
      g_strcmp0 (old->carrier, shipment->carrier) == 0 &&
      g_strcmp0 (old->service, shipment->service) == 0 &&
      g_strcmp0 (old->tracking_number, shipment->tracking_number) == 0 &&
      g_strcmp0 (old->tracking_url, shipment->tracking_url) == 0 &&
      old->shipped_at == shipment->shipped_at &&
      g_strcmp0 (old->lines_summary, shipment->lines_summary) == 0)
    return TRUE;

  if (!store_run (self, error,
                  "INSERT INTO shipments (fulfillment_id, squarespace_id, tradegecko_order_id, status, carrier, "
                  "service, tracking_number, tracking_url, shipped_at, lines_summary, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                  "ON CONFLICT (fulfillment_id) DO UPDATE SET status = excluded.status, carrier = excluded.carrier, "
                  "service = excluded.service, tracking_number = excluded.tracking_number, "
                  "tracking_url = excluded.tracking_url, shipped_at = excluded.shipped_at, "
                  "lines_summary = excluded.lines_summary, updated_at = excluded.updated_at",
                  "xsxsssssXsx",
                  shipment->fulfillment_id, row->squarespace_id, shipment->tradegecko_order_id,
                  shipment->status, shipment->carrier, shipment->service, shipment->tracking_number,
                  shipment->tracking_url, shipment->shipped_at, shipment->lines_summary, store_now_ms ()))
    goto fail;
  store_step_done (self, "upsert_shipment:shipment");

  if (out_changed != NULL)
    *out_changed = TRUE;

  detail = g_strdup_printf (_("Shipment %s in TradeGecko: %s %s %s"),
                            old == NULL ? _("read") : _("changed"),
                            shipment->status != NULL ? shipment->status : "",
                            shipment->carrier != NULL ? shipment->carrier : "",
                            shipment->tracking_number != NULL ? shipment->tracking_number : _("(no tracking number)"));
  return store_finish_transition (self, &tx, row->squarespace_id, "shipment", detail, error);

fail:
  return FALSE;
}

/**
 * relay_store_dup_shipments:
 * @self: a #RelayStore
 * @squarespace_id: an order
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type RelayShipment): the order's shipments,
 *   oldest fulfillment first
 */
GPtrArray *
relay_store_dup_shipments (RelayStore  *self,
                           const char  *squarespace_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) shipments = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_shipment_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL, NULL);

  stmt = store_prepare (self, error,
                        "SELECT " SHIPMENT_COLUMNS " FROM shipments WHERE squarespace_id = ?1 ORDER BY fulfillment_id",
                        "s", squarespace_id);
  if (stmt == NULL)
    return NULL;

  while (found)
    {
      if (!store_step_row (self, stmt, &found, error))
          return NULL;
      if (!found)
        break;
      g_ptr_array_add (shipments, shipment_from_row (stmt));
    }

  return g_steal_pointer (&shipments);
}
