/* relay-order-source.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-order-source.h"

/* Thin dispatchers: see RelayOrderSourceInterface in the header for what each call means. */

G_DEFINE_INTERFACE (RelayOrderSource, relay_order_source, G_TYPE_OBJECT)

static void
relay_order_source_default_init (RelayOrderSourceInterface *iface)
{
}

const char *
relay_order_source_get_id (RelayOrderSource *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->get_id (self);
}

const char *
relay_order_source_get_name (RelayOrderSource *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->get_name (self);
}

void
relay_order_source_list_orders_async (RelayOrderSource    *self,
                                      GDateTime           *modified_after,
                                      GDateTime           *modified_before,
                                      gboolean             open_only,
                                      const char          *cursor,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));

  RELAY_ORDER_SOURCE_GET_IFACE (self)->list_orders_async (self, modified_after, modified_before, open_only, cursor, cancellable, callback, user_data);
}

GPtrArray *
relay_order_source_list_orders_finish (RelayOrderSource  *self,
                                       GAsyncResult      *result,
                                       char             **next_cursor,
                                       guint             *n_unreadable,
                                       GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->list_orders_finish (self, result, next_cursor, n_unreadable, error);
}

void
relay_order_source_get_order_async (RelayOrderSource    *self,
                                    const char          *order_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));

  RELAY_ORDER_SOURCE_GET_IFACE (self)->get_order_async (self, order_id, cancellable, callback, user_data);
}

RelayOrder *
relay_order_source_get_order_finish (RelayOrderSource  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->get_order_finish (self, result, error);
}

void
relay_order_source_post_shipments_async (RelayOrderSource    *self,
                                         RelayOrder          *order,
                                         GPtrArray           *shipments,
                                         GHashTable          *carriers,
                                         gboolean             notify_customer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));

  RELAY_ORDER_SOURCE_GET_IFACE (self)->post_shipments_async (self, order, shipments, carriers, notify_customer, cancellable, callback, user_data);
}

gboolean
relay_order_source_post_shipments_finish (RelayOrderSource  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), FALSE);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->post_shipments_finish (self, result, error);
}

/**
 * relay_order_source_get_clock_offset:
 * @self: a #RelayOrderSource
 * @offset_ms: (out): the store's clock minus this computer's, in milliseconds
 *
 * Returns: %TRUE when the store has told its time (on a response this session)
 */
gboolean
relay_order_source_get_clock_offset (RelayOrderSource *self,
                                     gint64           *offset_ms)
{
  RelayOrderSourceInterface *iface;

  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), FALSE);
  g_return_val_if_fail (offset_ms != NULL, FALSE);

  iface = RELAY_ORDER_SOURCE_GET_IFACE (self);
  *offset_ms = 0;
  return iface->get_clock_offset != NULL && iface->get_clock_offset (self, offset_ms);
}

/**
 * relay_order_source_list_stock_items_async:
 * @self: a #RelayOrderSource
 * @cursor: (nullable): where the previous page ended
 *
 * One page of the store's stock items (#RelayStoreItem).
 */
void
relay_order_source_list_stock_items_async (RelayOrderSource    *self,
                                           const char          *cursor,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));

  RELAY_ORDER_SOURCE_GET_IFACE (self)->list_stock_items_async (self, cursor, cancellable, callback, user_data);
}

/**
 * relay_order_source_list_stock_items_finish:
 * @next_cursor: (out) (optional): where the next page starts, %NULL after the last
 *
 * Returns: (transfer container) (element-type RelayStoreItem): the page
 */
GPtrArray *
relay_order_source_list_stock_items_finish (RelayOrderSource  *self,
                                            GAsyncResult      *result,
                                            char             **next_cursor,
                                            GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->list_stock_items_finish (self, result, next_cursor, error);
}

/**
 * relay_order_source_list_variants_async:
 * @self: a #RelayOrderSource
 * @cursor: (nullable): where the previous page ended
 *
 * One page of every variant the store sells (#RelayStoreItem, descriptor = product and
 * options), from the product catalogue rather than the inventory, for the SKU check.
 */
void
relay_order_source_list_variants_async (RelayOrderSource    *self,
                                        const char          *cursor,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));

  RELAY_ORDER_SOURCE_GET_IFACE (self)->list_variants_async (self, cursor, cancellable, callback, user_data);
}

/**
 * relay_order_source_list_variants_finish:
 * @next_cursor: (out) (optional): where the next page starts, %NULL after the last
 *
 * Returns: (transfer container) (element-type RelayStoreItem): the page
 */
GPtrArray *
relay_order_source_list_variants_finish (RelayOrderSource  *self,
                                         GAsyncResult      *result,
                                         char             **next_cursor,
                                         GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->list_variants_finish (self, result, next_cursor, error);
}

/**
 * relay_order_source_set_stock_async:
 * @self: a #RelayOrderSource
 * @sets: (element-type RelayStockSet): at most 50 absolute counts, each variant once
 * @idempotency_key: the batch's stored key: sent again with the same @sets, nothing is
 *   applied twice
 */
void
relay_order_source_set_stock_async (RelayOrderSource    *self,
                                    GPtrArray           *sets,
                                    const char          *idempotency_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));
  g_return_if_fail (idempotency_key != NULL);

  RELAY_ORDER_SOURCE_GET_IFACE (self)->set_stock_async (self, sets, idempotency_key, cancellable, callback, user_data);
}

gboolean
relay_order_source_set_stock_finish (RelayOrderSource  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), FALSE);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->set_stock_finish (self, result, error);
}

/**
 * relay_order_source_get_stock_items_async:
 * @self: a #RelayOrderSource
 * @ids: (array zero-terminated=1): at most %RELAY_ORDER_SOURCE_MAX_STOCK_IDS store variant ids
 *
 * The stock items of @ids (in any order); fails with %RELAY_ERROR_NOT_FOUND when one is gone.
 */
void
relay_order_source_get_stock_items_async (RelayOrderSource    *self,
                                          const char * const  *ids,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));
  g_return_if_fail (ids != NULL && g_strv_length ((char **) ids) <= RELAY_ORDER_SOURCE_MAX_STOCK_IDS);

  RELAY_ORDER_SOURCE_GET_IFACE (self)->get_stock_items_async (self, ids, cancellable, callback, user_data);
}

/**
 * relay_order_source_get_stock_items_finish:
 *
 * Returns: (transfer container) (element-type RelayStoreItem): the items
 */
GPtrArray *
relay_order_source_get_stock_items_finish (RelayOrderSource  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), NULL);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->get_stock_items_finish (self, result, error);
}

/**
 * relay_order_source_can_set_stock_async:
 * @self: a #RelayOrderSource
 *
 * Finds out, changing nothing, whether the store lets Order Relay set its stock (Squarespace:
 * whether the key has Inventory "Read and Write").
 */
void
relay_order_source_can_set_stock_async (RelayOrderSource    *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_ORDER_SOURCE (self));

  RELAY_ORDER_SOURCE_GET_IFACE (self)->can_set_stock_async (self, cancellable, callback, user_data);
}

/**
 * relay_order_source_can_set_stock_finish:
 * @error: set when the answer was neither yes nor no (the network, a refused key …)
 *
 * Returns: %TRUE when stock may be set; %FALSE with @error unset when it may not
 */
gboolean
relay_order_source_can_set_stock_finish (RelayOrderSource  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (RELAY_IS_ORDER_SOURCE (self), FALSE);

  return RELAY_ORDER_SOURCE_GET_IFACE (self)->can_set_stock_finish (self, result, error);
}
