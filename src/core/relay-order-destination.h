/* relay-order-destination.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "relay-mapping.h"
#include "relay-stock.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_DESTINATION (relay_order_destination_get_type ())

G_DECLARE_INTERFACE (RelayOrderDestination, relay_order_destination, RELAY, ORDER_DESTINATION, GObject)

/**
 * RelayOrderDestinationInterface:
 * @get_id: a stable lower-case id (`tradegecko`), used in checkpoints and signals
 * @get_name: the name shown to the merchant
 * @find_variants_async: the sellable items with exactly these SKUs, as objects with `id`
 *   (integer), `sku` and `status` (`active` counts), batched and cached by the implementation
 * @forget_variants: drops cached look-ups (the merchant fixed an item or an alias)
 * @list_customers_async: one page of customers changed since @changed_since (all with %NULL),
 *   as objects with `id`, `email` and `status`; @has_more says whether another page follows
 * @list_addresses_async: the same for customers' addresses: `id`, `company_id`, `first_name`,
 *   `last_name`, `address1`, `zip_code`, `country_code`, `status`
 * @build_order: the body of the sales order @resolution becomes, or %NULL with
 *   %RELAY_ERROR_REJECTED; a customer or address id of 0 in @options means "create it"
 * @create_order_async: creates the sales order; the answer has `id`, `order_number`,
 *   `company_id` and `shipping_address_id`
 * @find_orders_async: the sales orders whose `reference_number` is @reference (with `id`,
 *   `order_number`, `reference_number`, `status`); how an uncertain delivery is reconciled
 * @list_shipments_async: one page of shipments changed since @changed_since: an object with
 *   the arrays `fulfillments` (`id`, `order_id`, `status`, `tracking_number`,
 *   `tracking_company`, `tracking_url`, `service`, `shipped_at`) and `fulfillment_line_items`
 * @get_orders_async: the sales orders with these ids (at most 100), with `id`,
 *   `fulfillment_status` (`shipped` when everything shipped) and `packed_status`
 *
 * Where orders go: the inventory system (TradeGecko is the one implementation,
 * #RelayTradegecko). The sync engine knows it only through this interface.
 */
struct _RelayOrderDestinationInterface
{
  GTypeInterface parent_iface;

  const char *(*get_id)                 (RelayOrderDestination        *self);
  const char *(*get_name)               (RelayOrderDestination        *self);

  void        (*find_variants_async)    (RelayOrderDestination        *self,
                                         const char * const           *skus,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonArray  *(*find_variants_finish)   (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);
  void        (*forget_variants)        (RelayOrderDestination        *self);

  void        (*list_customers_async)   (RelayOrderDestination        *self,
                                         GDateTime                    *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonArray  *(*list_customers_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);
  void        (*list_addresses_async)   (RelayOrderDestination        *self,
                                         GDateTime                    *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonArray  *(*list_addresses_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);

  JsonNode   *(*build_order)            (RelayOrderDestination        *self,
                                         RelayResolution              *resolution,
                                         const RelaySalesOrderOptions *options,
                                         GError                      **error);
  void        (*create_order_async)     (RelayOrderDestination        *self,
                                         JsonNode                     *body,
                                         const char                   *idempotency_key,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonObject *(*create_order_finish)    (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);
  void        (*find_orders_async)      (RelayOrderDestination        *self,
                                         const char                   *reference,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonArray  *(*find_orders_finish)     (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);

  void        (*list_shipments_async)   (RelayOrderDestination        *self,
                                         GDateTime                    *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonObject *(*list_shipments_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);
  void        (*get_orders_async)       (RelayOrderDestination        *self,
                                         const gint64                 *ids,
                                         guint                         n_ids,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  JsonArray  *(*get_orders_finish)      (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);

  void        (*void_order_async)       (RelayOrderDestination        *self,
                                         gint64                        order_id,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  gboolean    (*void_order_finish)      (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);
  gboolean    (*get_clock_offset)       (RelayOrderDestination        *self,
                                         gint64                       *offset_ms);

  void        (*get_account_async)      (RelayOrderDestination        *self,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  RelayAccountFacts *(*get_account_finish) (RelayOrderDestination     *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);
  void        (*pay_order_async)        (RelayOrderDestination        *self,
                                         gint64                        order_id,
                                         GDateTime                    *paid_at,
                                         const char                   *idempotency_key,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  gboolean    (*pay_order_finish)       (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);

  /* Stock (relay-sync-stock.c): #RelayStockLevel, from relay-stock.h */
  void        (*list_stock_async)       (RelayOrderDestination        *self,
                                         const char                   *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*list_stock_finish)      (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);
};

#define RELAY_ORDER_DESTINATION_MAX_IDS 100

const char *relay_order_destination_get_id                (RelayOrderDestination        *self);
const char *relay_order_destination_get_name              (RelayOrderDestination        *self);
void        relay_order_destination_find_variants_async   (RelayOrderDestination        *self,
                                                           const char * const           *skus,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonArray  *relay_order_destination_find_variants_finish  (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_forget_variants       (RelayOrderDestination        *self);
void        relay_order_destination_list_customers_async  (RelayOrderDestination        *self,
                                                           GDateTime                    *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonArray  *relay_order_destination_list_customers_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);
void        relay_order_destination_list_addresses_async  (RelayOrderDestination        *self,
                                                           GDateTime                    *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonArray  *relay_order_destination_list_addresses_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);
JsonNode   *relay_order_destination_build_order           (RelayOrderDestination        *self,
                                                           RelayResolution              *resolution,
                                                           const RelaySalesOrderOptions *options,
                                                           GError                      **error);
void        relay_order_destination_create_order_async    (RelayOrderDestination        *self,
                                                           JsonNode                     *body,
                                                           const char                   *idempotency_key,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonObject *relay_order_destination_create_order_finish   (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_find_orders_async     (RelayOrderDestination        *self,
                                                           const char                   *reference,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonArray  *relay_order_destination_find_orders_finish    (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_list_shipments_async  (RelayOrderDestination        *self,
                                                           GDateTime                    *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonObject *relay_order_destination_list_shipments_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);
void        relay_order_destination_get_orders_async      (RelayOrderDestination        *self,
                                                           const gint64                 *ids,
                                                           guint                         n_ids,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
JsonArray  *relay_order_destination_get_orders_finish     (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_void_order_async      (RelayOrderDestination        *self,
                                                           gint64                        order_id,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
gboolean    relay_order_destination_void_order_finish     (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
gboolean    relay_order_destination_get_clock_offset      (RelayOrderDestination        *self,
                                                           gint64                       *offset_ms);
void        relay_order_destination_list_stock_async      (RelayOrderDestination        *self,
                                                           const char                   *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_list_stock_finish     (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);

void        relay_order_destination_get_account_async     (RelayOrderDestination        *self,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
RelayAccountFacts *relay_order_destination_get_account_finish (RelayOrderDestination    *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_pay_order_async       (RelayOrderDestination        *self,
                                                           gint64                        order_id,
                                                           GDateTime                    *paid_at,
                                                           const char                   *idempotency_key,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
gboolean    relay_order_destination_pay_order_finish      (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);

G_END_DECLS
