/* relay-order-source.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-order.h"
#include "relay-stock.h"
#include "relay-store.h"

G_BEGIN_DECLS

/* Store stock items per get_stock_items request (the Inventory API's limit). */
#define RELAY_ORDER_SOURCE_MAX_STOCK_IDS 50

#define RELAY_TYPE_ORDER_SOURCE (relay_order_source_get_type ())

G_DECLARE_INTERFACE (RelayOrderSource, relay_order_source, RELAY, ORDER_SOURCE, GObject)

/**
 * RelayOrderSourceInterface:
 * @get_id: a stable lower-case id (`squarespace`), used in checkpoints and signals
 * @get_name: the name shown to the merchant
 * @list_orders_async: one page of orders modified in the window (exclusive bounds); with
 *   @open_only only orders still to be fulfilled; with a @cursor (from the previous page)
 *   every other argument is ignored
 * @list_orders_finish: the page as #RelayOrder objects; orders that could not be read are
 *   left out and counted in @n_unreadable
 * @get_order_async: one order, as it is now
 * @post_shipments_async: records shipments (#RelayShipment, one per tracking number) on the
 *   order; @carriers maps the destination's carrier names to the source's
 *
 * Where orders come from: the online store (Squarespace is the one implementation,
 * #RelaySquarespace). The sync engine knows stores only through this interface.
 */
struct _RelayOrderSourceInterface
{
  GTypeInterface parent_iface;

  const char *(*get_id)                (RelayOrderSource     *self);
  const char *(*get_name)              (RelayOrderSource     *self);

  void        (*list_orders_async)     (RelayOrderSource     *self,
                                        GDateTime            *modified_after,
                                        GDateTime            *modified_before,
                                        gboolean              open_only,
                                        const char           *cursor,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GPtrArray  *(*list_orders_finish)    (RelayOrderSource     *self,
                                        GAsyncResult         *result,
                                        char                **next_cursor,
                                        guint                *n_unreadable,
                                        GError              **error);

  void        (*get_order_async)       (RelayOrderSource     *self,
                                        const char           *order_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  RelayOrder *(*get_order_finish)      (RelayOrderSource     *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  void        (*post_shipments_async)  (RelayOrderSource     *self,
                                        RelayOrder           *order,
                                        GPtrArray            *shipments,
                                        GHashTable           *carriers,
                                        gboolean              notify_customer,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean    (*post_shipments_finish) (RelayOrderSource     *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  gboolean    (*get_clock_offset)      (RelayOrderSource     *self,
                                        gint64               *offset_ms);

  /* Stock (relay-sync-stock.c); every list is of domain types from relay-stock.h */
  void        (*list_stock_items_async)  (RelayOrderSource     *self,
                                          const char           *cursor,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
  GPtrArray  *(*list_stock_items_finish) (RelayOrderSource     *self,
                                          GAsyncResult         *result,
                                          char                **next_cursor,
                                          GError              **error);
  void        (*list_variants_async)     (RelayOrderSource     *self,
                                          const char           *cursor,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
  GPtrArray  *(*list_variants_finish)    (RelayOrderSource     *self,
                                          GAsyncResult         *result,
                                          char                **next_cursor,
                                          GError              **error);
  void        (*get_stock_items_async)   (RelayOrderSource     *self,
                                          const char * const   *ids,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
  GPtrArray  *(*get_stock_items_finish)  (RelayOrderSource     *self,
                                          GAsyncResult         *result,
                                          GError              **error);
  void        (*set_stock_async)         (RelayOrderSource     *self,
                                          GPtrArray            *sets,
                                          const char           *idempotency_key,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
  gboolean    (*set_stock_finish)        (RelayOrderSource     *self,
                                          GAsyncResult         *result,
                                          GError              **error);
  void        (*can_set_stock_async)     (RelayOrderSource     *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
  gboolean    (*can_set_stock_finish)    (RelayOrderSource     *self,
                                          GAsyncResult         *result,
                                          GError              **error);
};

const char *relay_order_source_get_id                (RelayOrderSource     *self);
const char *relay_order_source_get_name              (RelayOrderSource     *self);
void        relay_order_source_list_orders_async     (RelayOrderSource     *self,
                                                      GDateTime            *modified_after,
                                                      GDateTime            *modified_before,
                                                      gboolean              open_only,
                                                      const char           *cursor,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray  *relay_order_source_list_orders_finish    (RelayOrderSource     *self,
                                                      GAsyncResult         *result,
                                                      char                **next_cursor,
                                                      guint                *n_unreadable,
                                                      GError              **error);
void        relay_order_source_get_order_async       (RelayOrderSource     *self,
                                                      const char           *order_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
RelayOrder *relay_order_source_get_order_finish      (RelayOrderSource     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void        relay_order_source_post_shipments_async  (RelayOrderSource     *self,
                                                      RelayOrder           *order,
                                                      GPtrArray            *shipments,
                                                      GHashTable           *carriers,
                                                      gboolean              notify_customer,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    relay_order_source_post_shipments_finish (RelayOrderSource     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean    relay_order_source_get_clock_offset      (RelayOrderSource     *self,
                                                      gint64               *offset_ms);
void        relay_order_source_list_stock_items_async  (RelayOrderSource     *self,
                                                        const char           *cursor,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray  *relay_order_source_list_stock_items_finish (RelayOrderSource     *self,
                                                        GAsyncResult         *result,
                                                        char                **next_cursor,
                                                        GError              **error);
void        relay_order_source_list_variants_async     (RelayOrderSource     *self,
                                                        const char           *cursor,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray  *relay_order_source_list_variants_finish    (RelayOrderSource     *self,
                                                        GAsyncResult         *result,
                                                        char                **next_cursor,
                                                        GError              **error);
void        relay_order_source_get_stock_items_async   (RelayOrderSource     *self,
                                                        const char * const   *ids,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray  *relay_order_source_get_stock_items_finish  (RelayOrderSource     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void        relay_order_source_set_stock_async         (RelayOrderSource     *self,
                                                        GPtrArray            *sets,
                                                        const char           *idempotency_key,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean    relay_order_source_set_stock_finish        (RelayOrderSource     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

void        relay_order_source_can_set_stock_async     (RelayOrderSource     *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    relay_order_source_can_set_stock_finish    (RelayOrderSource     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
