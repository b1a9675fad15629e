/* relay-setup-page-tradegecko.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-key-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE_TRADEGECKO (relay_setup_page_tradegecko_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupPageTradegecko, relay_setup_page_tradegecko, RELAY, SETUP_PAGE_TRADEGECKO, RelaySetupKeyPage)

G_END_DECLS
