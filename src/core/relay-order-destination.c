/* relay-order-destination.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-order-destination.h"

/* Thin dispatchers: see RelayOrderDestinationInterface in the header for what each call means. */

G_DEFINE_INTERFACE (RelayOrderDestination, relay_order_destination, G_TYPE_OBJECT)

static void
relay_order_destination_default_init (RelayOrderDestinationInterface *iface)
{
}

const char *
relay_order_destination_get_id (RelayOrderDestination *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->get_id (self);
}

const char *
relay_order_destination_get_name (RelayOrderDestination *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->get_name (self);
}

void
relay_remote_order_free (RelayRemoteOrder *order)
{
  if (order == NULL)
    return;

  g_free (order->order_number);
  g_free (order->reference);
  g_free (order);
}

void
relay_customer_record_free (RelayCustomerRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->email);
  g_free (record->first_name);
  g_free (record->last_name);
  g_free (record->address1);
  g_free (record->zip_code);
  g_free (record->country_code);
  g_free (record);
}

void
relay_order_destination_find_variants_async (RelayOrderDestination *self,
                                             const char * const    *skus,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->find_variants_async (self, skus, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type RelayVariant) */
GPtrArray *
relay_order_destination_find_variants_finish (RelayOrderDestination  *self,
                                              GAsyncResult           *result,
                                              GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->find_variants_finish (self, result, error);
}

void
relay_order_destination_forget_variants (RelayOrderDestination *self)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->forget_variants (self);
}

void
relay_order_destination_search_variants_async (RelayOrderDestination *self,
                                               const char            *query,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->search_variants_async (self, query, cancellable, callback, user_data);
}

/* Returns: (transfer container) (nullable) (element-type RelayVariant) */
GPtrArray *
relay_order_destination_search_variants_finish (RelayOrderDestination  *self,
                                                GAsyncResult           *result,
                                                GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->search_variants_finish (self, result, error);
}

void
relay_order_destination_list_customers_async (RelayOrderDestination *self,
                                              GDateTime             *changed_since,
                                              guint                  page,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_customers_async (self, changed_since, page, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type RelayCustomerRecord) */
GPtrArray *
relay_order_destination_list_customers_finish (RelayOrderDestination  *self,
                                               GAsyncResult           *result,
                                               gboolean               *has_more,
                                               GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_customers_finish (self, result, has_more, error);
}

void
relay_order_destination_list_addresses_async (RelayOrderDestination *self,
                                              GDateTime             *changed_since,
                                              guint                  page,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_addresses_async (self, changed_since, page, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type RelayCustomerRecord) */
GPtrArray *
relay_order_destination_list_addresses_finish (RelayOrderDestination  *self,
                                               GAsyncResult           *result,
                                               gboolean               *has_more,
                                               GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_addresses_finish (self, result, has_more, error);
}

/* Returns: (transfer full): the payload, byte for byte as it would be sent */
char *
relay_order_destination_dup_order_payload (RelayOrderDestination *self,
                                           const RelaySalesOrder *order)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);
  g_return_val_if_fail (order != NULL, NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->dup_order_payload (self, order);
}

void
relay_order_destination_create_order_async (RelayOrderDestination *self,
                                            const RelaySalesOrder *order,
                                            const char            *idempotency_key,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  g_return_if_fail (order != NULL);

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->create_order_async (self, order, idempotency_key, cancellable, callback, user_data);
}

RelayDelivery *
relay_order_destination_create_order_finish (RelayOrderDestination  *self,
                                             GAsyncResult           *result,
                                             GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->create_order_finish (self, result, error);
}

void
relay_order_destination_find_orders_async (RelayOrderDestination *self,
                                           const char            *reference,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->find_orders_async (self, reference, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type RelayRemoteOrder) */
GPtrArray *
relay_order_destination_find_orders_finish (RelayOrderDestination  *self,
                                            GAsyncResult           *result,
                                            GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->find_orders_finish (self, result, error);
}

void
relay_order_destination_list_shipments_async (RelayOrderDestination *self,
                                              GDateTime             *changed_since,
                                              guint                  page,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_shipments_async (self, changed_since, page, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type RelayShipment): the page's shipments */
GPtrArray *
relay_order_destination_list_shipments_finish (RelayOrderDestination  *self,
                                               GAsyncResult           *result,
                                               gboolean               *has_more,
                                               GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_shipments_finish (self, result, has_more, error);
}

void
relay_order_destination_get_orders_async (RelayOrderDestination *self,
                                          const gint64          *ids,
                                          guint                  n_ids,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->get_orders_async (self, ids, n_ids, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type RelayRemoteOrder) */
GPtrArray *
relay_order_destination_get_orders_finish (RelayOrderDestination  *self,
                                           GAsyncResult           *result,
                                           GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->get_orders_finish (self, result, error);
}

void
relay_order_destination_void_order_async (RelayOrderDestination *self,
                                          gint64                 order_id,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->void_order_async (self, order_id, cancellable, callback, user_data);
}

gboolean
relay_order_destination_void_order_finish (RelayOrderDestination  *self,
                                           GAsyncResult           *result,
                                           GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), FALSE);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->void_order_finish (self, result, error);
}

/**
 * relay_order_destination_get_clock_offset:
 * @self: a #RelayOrderDestination
 * @offset_ms: (out): the inventory's clock minus this computer's, in milliseconds
 *
 * Returns: %TRUE when the inventory has told its time (on a response this session)
 */
gboolean
relay_order_destination_get_clock_offset (RelayOrderDestination *self,
                                          gint64                *offset_ms)
{
  RelayOrderDestinationInterface *iface;

  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), FALSE);
  g_return_val_if_fail (offset_ms != NULL, FALSE);

  iface = RELAY_ORDER_DESTINATION_GET_IFACE (self);
  *offset_ms = 0;
  return iface->get_clock_offset != NULL && iface->get_clock_offset (self, offset_ms);
}

/**
 * relay_order_destination_get_account_async:
 * @self: a #RelayOrderDestination
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the account's currencies, tax types, default tax type and time zone,
 * which every sales order must agree with.
 */
void
relay_order_destination_get_account_async (RelayOrderDestination *self,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->get_account_async (self, cancellable, callback, user_data);
}

/**
 * relay_order_destination_get_account_finish:
 *
 * Returns: (transfer full): the account's facts, or %NULL with an error
 */
RelayAccountFacts *
relay_order_destination_get_account_finish (RelayOrderDestination  *self,
                                            GAsyncResult           *result,
                                            GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->get_account_finish (self, result, error);
}

/**
 * relay_order_destination_pay_order_async:
 * @self: a #RelayOrderDestination
 * @order_id: the destination's order id
 * @paid_at: when the buyer paid
 * @idempotency_key: sent again unchanged when the call is repeated after a crash
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Invoices the order and records it as paid.
 */
void
relay_order_destination_pay_order_async (RelayOrderDestination *self,
                                         gint64                 order_id,
                                         GDateTime             *paid_at,
                                         const char            *idempotency_key,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->pay_order_async (self, order_id, paid_at, idempotency_key,
                                                             cancellable, callback, user_data);
}

gboolean
relay_order_destination_pay_order_finish (RelayOrderDestination  *self,
                                          GAsyncResult           *result,
                                          GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), FALSE);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->pay_order_finish (self, result, error);
}

/**
 * relay_order_destination_list_stock_async:
 * @self: a #RelayOrderDestination
 * @changed_since: (nullable): only variants changed at or after this time, as an earlier
 *   #RelayStockLevel's @changed_at wrote it (the inventory system's own clock); %NULL for all
 * @page: the page, from 1
 *
 * One page of variants with their stock.
 */
void
relay_order_destination_list_stock_async (RelayOrderDestination *self,
                                          const char            *changed_since,
                                          guint                  page,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_stock_async (self, changed_since, page, cancellable, callback, user_data);
}

/**
 * relay_order_destination_list_stock_finish:
 * @has_more: (out) (optional): whether another page follows
 *
 * Returns: (transfer container) (element-type RelayStockLevel): the page
 */
GPtrArray *
relay_order_destination_list_stock_finish (RelayOrderDestination  *self,
                                           GAsyncResult           *result,
                                           gboolean               *has_more,
                                           GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_stock_finish (self, result, has_more, error);
}

/**
 * relay_order_destination_list_locations_async:
 * @self: a #RelayOrderDestination
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Lists the account's warehouses, archived and stockless ones included, so
 * settings that keep a location id can show its name.
 */
void
relay_order_destination_list_locations_async (RelayOrderDestination *self,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (self));

  RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_locations_async (self, cancellable, callback, user_data);
}

/**
 * relay_order_destination_list_locations_finish:
 *
 * Returns: (transfer container) (element-type RelayLocation): the locations, or %NULL with an error
 */
GPtrArray *
relay_order_destination_list_locations_finish (RelayOrderDestination  *self,
                                               GAsyncResult           *result,
                                               GError                **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DESTINATION (self), NULL);

  return RELAY_ORDER_DESTINATION_GET_IFACE (self)->list_locations_finish (self, result, error);
}
