/* relay-stock-view.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_STOCK_VIEW (relay_stock_view_get_type ())

G_DECLARE_FINAL_TYPE (RelayStockView, relay_stock_view, RELAY, STOCK_VIEW, AdwBin)

void      relay_stock_view_set_store  (RelayStockView *self,
                                       RelayStore     *store);
void      relay_stock_view_reload     (RelayStockView *self);
guint     relay_stock_view_count_rows (RelayStockView *self,
                                       const char     *list);

G_END_DECLS
