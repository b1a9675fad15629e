/* relay-stock-window.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_STOCK_WINDOW (relay_stock_window_get_type ())

G_DECLARE_FINAL_TYPE (RelayStockWindow, relay_stock_window, RELAY, STOCK_WINDOW, AdwWindow)

RelayStockWindow *relay_stock_window_new            (GtkWindow             *parent,
                                                     RelayStore            *store,
                                                     RelayOrderSource      *source,
                                                     RelayOrderDestination *destination);
void              relay_stock_window_reload         (RelayStockWindow      *self);
void              relay_stock_window_show_sku_check (RelayStockWindow      *self);
gboolean          relay_stock_window_get_checking   (RelayStockWindow      *self);
guint             relay_stock_window_count_rows     (RelayStockWindow      *self,
                                                     const char            *page);

G_END_DECLS
