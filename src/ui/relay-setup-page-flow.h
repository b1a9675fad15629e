/* relay-setup-page-flow.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE_FLOW (relay_setup_page_flow_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupPageFlow, relay_setup_page_flow, RELAY, SETUP_PAGE_FLOW, RelaySetupPage)

G_END_DECLS
