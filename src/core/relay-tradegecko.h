/* relay-tradegecko.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-http.h"
#include "relay-sales-order.h"
#include "relay-store.h"
#include "relay-tax.h"

G_BEGIN_DECLS

#define RELAY_TRADEGECKO_DEFAULT_URL "https://api.tradegecko.com"

/* TradeGecko's largest page. */
#define RELAY_TRADEGECKO_PAGE_LIMIT 250
/* Variants one search answers with: enough to pick from, one page. */
#define RELAY_TRADEGECKO_SEARCH_LIMIT 25

/* SKUs per variants request, to keep URLs short (the API answers 414 to long ones). */
#define RELAY_TRADEGECKO_SKU_CHUNK  50

#define RELAY_TYPE_TRADEGECKO (relay_tradegecko_get_type ())

G_DECLARE_FINAL_TYPE (RelayTradegecko, relay_tradegecko, RELAY, TRADEGECKO, GObject)

RelayTradegecko *relay_tradegecko_new                           (RelayHttp            *http);
RelayTradegecko *relay_tradegecko_new_for_url                   (const char           *base_url,
                                                                 GError              **error);
RelayHttp       *relay_tradegecko_get_http                      (RelayTradegecko      *self);

void             relay_tradegecko_get_account_async             (RelayTradegecko      *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_get_account_finish            (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_verify_async                  (RelayTradegecko      *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_verify_finish                 (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
char            *relay_tradegecko_dup_account_name              (JsonObject           *account);

void             relay_tradegecko_find_variants_by_skus_async   (RelayTradegecko      *self,
                                                                 const char * const   *skus,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonArray       *relay_tradegecko_find_variants_by_skus_finish  (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void             relay_tradegecko_invalidate_variants           (RelayTradegecko      *self,
                                                                 const char           *sku);
void             relay_tradegecko_search_variants_async         (RelayTradegecko      *self,
                                                                 const char           *query,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonArray       *relay_tradegecko_search_variants_finish        (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_find_companies_by_email_async (RelayTradegecko      *self,
                                                                 const char           *email,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonArray       *relay_tradegecko_find_companies_by_email_finish (RelayTradegecko     *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_create_company_async          (RelayTradegecko      *self,
                                                                 JsonObject           *company,
                                                                 const char           *idempotency_key,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_create_company_finish         (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_list_addresses_async          (RelayTradegecko      *self,
                                                                 gint64                company_id,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonArray       *relay_tradegecko_list_addresses_finish         (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_create_address_async          (RelayTradegecko      *self,
                                                                 JsonObject           *address,
                                                                 const char           *idempotency_key,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_create_address_finish         (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_create_order_async            (RelayTradegecko      *self,
                                                                 JsonNode             *order_body,
                                                                 const char           *idempotency_key,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_create_order_finish           (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_find_orders_by_reference_async (RelayTradegecko     *self,
                                                                 const char           *reference_number,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonArray       *relay_tradegecko_find_orders_by_reference_finish (RelayTradegecko    *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_get_order_async               (RelayTradegecko      *self,
                                                                 gint64                order_id,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_get_order_finish              (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_void_order_async              (RelayTradegecko      *self,
                                                                 gint64                order_id,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean         relay_tradegecko_void_order_finish             (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_get_account_facts_async       (RelayTradegecko      *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
RelayAccountFacts *relay_tradegecko_get_account_facts_finish    (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_pay_order_async               (RelayTradegecko      *self,
                                                                 gint64                order_id,
                                                                 GDateTime            *paid_at,
                                                                 const char           *idempotency_key,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean         relay_tradegecko_pay_order_finish              (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void             relay_tradegecko_list_fulfillments_async       (RelayTradegecko      *self,
                                                                 GDateTime            *updated_at_min,
                                                                 guint                 page,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
JsonObject      *relay_tradegecko_list_fulfillments_finish      (RelayTradegecko      *self,
                                                                 GAsyncResult         *result,
                                                                 gboolean             *has_more,
                                                                 GError              **error);

/* The service's JSON and the domain types (relay-tradegecko-sales-order.c,
 * relay-tradegecko-fulfillment.c, relay-tradegecko-variant.c) */
JsonNode        *relay_tradegecko_sales_order_to_json           (const RelaySalesOrder *order);
RelayDelivery   *relay_tradegecko_delivery_from_json            (JsonObject           *created);
GPtrArray       *relay_tradegecko_variants_from_json            (JsonArray            *variants);
GPtrArray       *relay_tradegecko_shipments_from_page           (JsonObject           *page);
char            *relay_tradegecko_dup_lines_summary             (JsonObject           *fulfillment,
                                                                 JsonArray            *fulfillment_line_items);
gboolean         relay_tradegecko_fulfillments_cover_lines      (GPtrArray            *resolved_lines,
                                                                 JsonArray            *fulfillments,
                                                                 JsonArray            *fulfillment_line_items,
                                                                 gboolean              count_packed,
                                                                 GError              **error);

G_END_DECLS
