/* relay-squarespace.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-http.h"
#include "relay-money.h"
#include "relay-order.h"

G_BEGIN_DECLS

#define RELAY_SQUARESPACE_DEFAULT_URL "https://api.squarespace.com"

#define RELAY_TYPE_SQUARESPACE (relay_squarespace_get_type ())

G_DECLARE_FINAL_TYPE (RelaySquarespace, relay_squarespace, RELAY, SQUARESPACE, GObject)

RelaySquarespace *relay_squarespace_new                       (RelayHttp            *http);
RelaySquarespace *relay_squarespace_new_for_url               (const char           *base_url,
                                                               GError              **error);
RelayHttp        *relay_squarespace_get_http                  (RelaySquarespace     *self);

void              relay_squarespace_get_website_async         (RelaySquarespace     *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonObject       *relay_squarespace_get_website_finish        (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void              relay_squarespace_list_orders_async         (RelaySquarespace     *self,
                                                               GDateTime            *modified_after,
                                                               GDateTime            *modified_before,
                                                               const char           *fulfillment_status,
                                                               const char           *cursor,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonArray        *relay_squarespace_list_orders_finish        (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               char                **next_cursor,
                                                               GError              **error);

void              relay_squarespace_list_all_orders_async     (RelaySquarespace     *self,
                                                               GDateTime            *modified_after,
                                                               GDateTime            *modified_before,
                                                               const char           *fulfillment_status,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonArray        *relay_squarespace_list_all_orders_finish    (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void              relay_squarespace_get_order_async           (RelaySquarespace     *self,
                                                               const char           *order_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonObject       *relay_squarespace_get_order_finish          (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void              relay_squarespace_fulfill_order_async       (RelaySquarespace     *self,
                                                               const char           *order_id,
                                                               JsonArray            *shipments,
                                                               gboolean              notify_customer,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean          relay_squarespace_fulfill_order_finish      (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void              relay_squarespace_check_write_access_async  (RelaySquarespace     *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean          relay_squarespace_check_write_access_finish (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void              relay_squarespace_verify_async              (RelaySquarespace     *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonObject       *relay_squarespace_verify_finish             (RelaySquarespace     *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
char             *relay_squarespace_dup_site_name             (JsonObject           *website);

JsonObject       *relay_squarespace_new_shipment              (GDateTime            *ship_date,
                                                               const char           *carrier_name,
                                                               const char           *service,
                                                               const char           *tracking_number,
                                                               const char           *tracking_url);

/* relay-squarespace-stock.c */
void              relay_squarespace_check_inventory_write_async  (RelaySquarespace     *self,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean          relay_squarespace_check_inventory_write_finish (RelaySquarespace     *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);

/* relay-squarespace-order.c: the canonical order, and a Squarespace Money object
 * (`{"value": "12.00", "currency": "USD"}`), from Squarespace's JSON */
RelayOrder       *relay_order_new_from_squarespace            (JsonObject           *order,
                                                               GError              **error);
gboolean          relay_squarespace_parse_money               (JsonObject           *money,
                                                               RelayMoney           *out,
                                                               GError              **error);

G_END_DECLS
