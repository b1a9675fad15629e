/* relay-order-list-model.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_ITEM (relay_order_item_get_type ())

G_DECLARE_FINAL_TYPE (RelayOrderItem, relay_order_item, RELAY, ORDER_ITEM, GObject)

const RelayOrderRow *relay_order_item_get_row            (RelayOrderItem *self);
const char          *relay_order_item_get_squarespace_id (RelayOrderItem *self);
gint64               relay_order_item_get_key            (RelayOrderItem *self);

#define RELAY_TYPE_ORDER_LIST_MODEL (relay_order_list_model_get_type ())

G_DECLARE_FINAL_TYPE (RelayOrderListModel, relay_order_list_model, RELAY, ORDER_LIST_MODEL, GObject)

/* Rows read from SQLite at a time, and how many such pages stay cached. */
#define RELAY_ORDER_LIST_PAGE_SIZE    100
#define RELAY_ORDER_LIST_CACHED_PAGES 8

RelayOrderListModel *relay_order_list_model_new             (RelayStore          *store);
RelayStore          *relay_order_list_model_get_store       (RelayOrderListModel *self);
void                 relay_order_list_model_set_filter      (RelayOrderListModel *self,
                                                             guint                stage_mask,
                                                             const char          *search);
guint                relay_order_list_model_get_stage_mask (RelayOrderListModel *self);
const char          *relay_order_list_model_get_search      (RelayOrderListModel *self);
void                 relay_order_list_model_set_sort        (RelayOrderListModel *self,
                                                             RelayOrderSort       sort,
                                                             gboolean             descending);
RelayOrderSort       relay_order_list_model_get_sort        (RelayOrderListModel *self,
                                                             gboolean            *descending);
void                 relay_order_list_model_set_screen_rows (RelayOrderListModel *self,
                                                             guint                rows);
guint                relay_order_list_model_get_screen_rows (RelayOrderListModel *self);
void                 relay_order_list_model_refresh         (RelayOrderListModel *self);
gboolean             relay_order_list_model_is_loading      (RelayOrderListModel *self);
gboolean             relay_order_list_model_is_querying     (RelayOrderListModel *self);
guint                relay_order_list_model_get_n_cached    (RelayOrderListModel *self);
gboolean             relay_order_list_model_find            (RelayOrderListModel *self,
                                                             const char          *squarespace_id,
                                                             guint               *position);
gboolean             relay_order_list_model_find_key        (RelayOrderListModel *self,
                                                             gint64               key,
                                                             guint               *position);

G_END_DECLS
