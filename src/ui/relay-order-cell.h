/* relay-order-cell.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-order-list-model.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_ORDER_COLUMN_NUMBER,
  RELAY_ORDER_COLUMN_STAGE,
  RELAY_ORDER_COLUMN_CUSTOMER,
  RELAY_ORDER_COLUMN_DATE,
  RELAY_ORDER_COLUMN_ITEMS,
  RELAY_ORDER_COLUMN_TOTAL,
  RELAY_ORDER_COLUMN_TRADEGECKO,
  RELAY_ORDER_COLUMN_TRACKING,
  RELAY_N_ORDER_COLUMNS
} RelayOrderColumn;

#define RELAY_TYPE_ORDER_CELL (relay_order_cell_get_type ())

G_DECLARE_FINAL_TYPE (RelayOrderCell, relay_order_cell, RELAY, ORDER_CELL, GObject)

void            relay_order_cell_setup    (GtkListItem      *list_item,
                                           RelayOrderColumn  column);
RelayOrderCell *relay_order_cell_get      (GtkListItem      *list_item);
void            relay_order_cell_set_item (RelayOrderCell   *self,
                                           RelayOrderItem   *item);

G_END_DECLS
