/* relay-order-destination.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-mapping.h"
#include "relay-stock.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_DESTINATION (relay_order_destination_get_type ())

/**
 * RelayRemoteOrder:
 * @id: the destination's id for the sales order
 * @order_number: (nullable): its number there
 * @reference: (nullable): the reference it was created with (our `cust_po_no`)
 * @live: %FALSE once it is void or deleted
 * @shipped: everything on it has shipped
 * @packed: everything on it is packed
 *
 * A sales order as the destination reports it.
 */
typedef struct
{
  gint64    id;
  char     *order_number;
  char     *reference;
  gboolean  live;
  gboolean  shipped;
  gboolean  packed;
} RelayRemoteOrder;

void relay_remote_order_free (RelayRemoteOrder *order);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayRemoteOrder, relay_remote_order_free)

/**
 * RelayCustomerRecord:
 * @id: the customer's (or the address's) id at the destination
 * @company_id: for an address, the customer it belongs to; 0 for a customer
 * @email: (nullable): a customer's e-mail
 * @first_name: (nullable): an address's first name
 * @last_name: (nullable): an address's last name
 * @address1: (nullable): an address's first line
 * @zip_code: (nullable): an address's postal code
 * @country_code: (nullable): an address's country
 * @active: %FALSE once archived or disabled
 *
 * A customer or a customer's address as the destination lists them, for the
 * engine's cache of who is known there.
 */
typedef struct
{
  gint64    id;
  gint64    company_id;
  char     *email;
  char     *first_name;
  char     *last_name;
  char     *address1;
  char     *zip_code;
  char     *country_code;
  gboolean  active;
} RelayCustomerRecord;

void relay_customer_record_free (RelayCustomerRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayCustomerRecord, relay_customer_record_free)

G_DECLARE_INTERFACE (RelayOrderDestination, relay_order_destination, RELAY, ORDER_DESTINATION, GObject)

/**
 * RelayOrderDestinationInterface:
 * @get_id: a stable lower-case id (`tradegecko`), used in checkpoints and signals
 * @get_name: the name shown to the merchant
 * @find_variants_async: the sellable items with exactly these SKUs, as #RelayVariant,
 *   batched and cached by the implementation
 * @forget_variants: drops cached look-ups (the merchant fixed an item or an alias)
 * @list_customers_async: one page of customers changed since @changed_since (all with %NULL),
 *   as #RelayCustomerRecord (@id, @email, @active); @has_more says whether another page follows
 * @list_addresses_async: the same for customers' addresses, as #RelayCustomerRecord (@id,
 *   @company_id, the name and address fields, @active)
 * @dup_order_payload: the text creating @order would send, byte for byte (previews)
 * @create_order_async: creates the sales order (#RelaySalesOrder, from
 *   relay_mapping_build_sales_order()); the answer is a #RelayDelivery
 * @find_orders_async: the sales orders whose reference is @reference, as
 *   #RelayRemoteOrder; how an uncertain delivery is reconciled
 * @list_shipments_async: one page of shipments changed since @changed_since, as
 *   #RelayShipment (without @squarespace_id, which the store fills in); each has an id
 * @get_orders_async: the sales orders with these ids (at most 100), as #RelayRemoteOrder
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
  GPtrArray  *(*find_variants_finish)   (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);
  void        (*forget_variants)        (RelayOrderDestination        *self);
  /* Variants (#RelayVariant) whose SKU or name contain @query (the alias dialog's search) */
  void        (*search_variants_async)  (RelayOrderDestination        *self,
                                         const char                   *query,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*search_variants_finish) (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);

  void        (*list_customers_async)   (RelayOrderDestination        *self,
                                         GDateTime                    *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*list_customers_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);
  void        (*list_addresses_async)   (RelayOrderDestination        *self,
                                         GDateTime                    *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*list_addresses_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);

  char       *(*dup_order_payload)      (RelayOrderDestination        *self,
                                         const RelaySalesOrder        *order);
  void        (*create_order_async)     (RelayOrderDestination        *self,
                                         const RelaySalesOrder        *order,
                                         const char                   *idempotency_key,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  RelayDelivery *(*create_order_finish) (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);
  void        (*find_orders_async)      (RelayOrderDestination        *self,
                                         const char                   *reference,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*find_orders_finish)     (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         GError                      **error);

  void        (*list_shipments_async)   (RelayOrderDestination        *self,
                                         GDateTime                    *changed_since,
                                         guint                         page,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*list_shipments_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
                                         gboolean                     *has_more,
                                         GError                      **error);
  void        (*get_orders_async)       (RelayOrderDestination        *self,
                                         const gint64                 *ids,
                                         guint                         n_ids,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*get_orders_finish)      (RelayOrderDestination        *self,
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
  /* The warehouses (#RelayLocation, from relay-stock.h), so settings name them */
  void        (*list_locations_async)   (RelayOrderDestination        *self,
                                         GCancellable                 *cancellable,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data);
  GPtrArray  *(*list_locations_finish)  (RelayOrderDestination        *self,
                                         GAsyncResult                 *result,
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
GPtrArray  *relay_order_destination_find_variants_finish  (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_forget_variants       (RelayOrderDestination        *self);
void        relay_order_destination_search_variants_async (RelayOrderDestination        *self,
                                                           const char                   *query,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_search_variants_finish (RelayOrderDestination       *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_list_customers_async  (RelayOrderDestination        *self,
                                                           GDateTime                    *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_list_customers_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);
void        relay_order_destination_list_addresses_async  (RelayOrderDestination        *self,
                                                           GDateTime                    *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_list_addresses_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);
char       *relay_order_destination_dup_order_payload     (RelayOrderDestination        *self,
                                                           const RelaySalesOrder        *order);
void        relay_order_destination_create_order_async    (RelayOrderDestination        *self,
                                                           const RelaySalesOrder        *order,
                                                           const char                   *idempotency_key,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
RelayDelivery *relay_order_destination_create_order_finish (RelayOrderDestination       *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_find_orders_async     (RelayOrderDestination        *self,
                                                           const char                   *reference,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_find_orders_finish    (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           GError                      **error);
void        relay_order_destination_list_shipments_async  (RelayOrderDestination        *self,
                                                           GDateTime                    *changed_since,
                                                           guint                         page,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_list_shipments_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
                                                           gboolean                     *has_more,
                                                           GError                      **error);
void        relay_order_destination_get_orders_async      (RelayOrderDestination        *self,
                                                           const gint64                 *ids,
                                                           guint                         n_ids,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_get_orders_finish     (RelayOrderDestination        *self,
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
void        relay_order_destination_list_locations_async  (RelayOrderDestination        *self,
                                                           GCancellable                 *cancellable,
                                                           GAsyncReadyCallback           callback,
                                                           gpointer                      user_data);
GPtrArray  *relay_order_destination_list_locations_finish (RelayOrderDestination        *self,
                                                           GAsyncResult                 *result,
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
