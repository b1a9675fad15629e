/* relay-order-detail.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_DETAIL (relay_order_detail_get_type ())

G_DECLARE_FINAL_TYPE (RelayOrderDetail, relay_order_detail, RELAY, ORDER_DETAIL, GtkBox)

GtkWidget  *relay_order_detail_new               (void);
void        relay_order_detail_show_order        (RelayOrderDetail *self,
                                                  RelayStore       *store,
                                                  const char       *squarespace_id);
const char *relay_order_detail_get_squarespace_id (RelayOrderDetail *self);
guint       relay_order_detail_get_n_events      (RelayOrderDetail *self);
const char *relay_order_detail_get_problem       (RelayOrderDetail *self);
const char *relay_order_detail_get_fix_action    (RelayOrderDetail *self);
char       *relay_order_detail_dup_text          (RelayOrderDetail *self);

G_END_DECLS
