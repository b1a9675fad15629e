/* relay-adapters-private.h — how the API clients implement the engine's interfaces
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order-destination.h"
#include "relay-order-source.h"

G_BEGIN_DECLS

void relay_squarespace_order_source_init      (RelayOrderSourceInterface      *iface);
void relay_tradegecko_order_destination_init  (RelayOrderDestinationInterface *iface);
void relay_squarespace_stock_source_init      (RelayOrderSourceInterface      *iface);
void relay_tradegecko_stock_destination_init  (RelayOrderDestinationInterface *iface);

G_END_DECLS
