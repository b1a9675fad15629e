/* relay-sync-alias.h — a new item alias retries the orders waiting on it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order.h"
#include "relay-store.h"
#include "relay-sync-engine.h"

G_BEGIN_DECLS

gboolean relay_order_waits_on_alias        (RelayOrder       *order,
                                            const char       *store_sku);
guint    relay_sync_engine_add_item_alias  (RelaySyncEngine  *self,
                                            const char       *store_sku,
                                            const char       *tradegecko_sku,
                                            GError          **error);
guint    relay_store_add_item_alias_retry  (RelayStore       *store,
                                            RelaySyncEngine  *engine,
                                            const char       *store_sku,
                                            const char       *tradegecko_sku,
                                            GError          **error);

G_END_DECLS
