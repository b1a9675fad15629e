/* relay-setup-page-squarespace.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-key-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE_SQUARESPACE (relay_setup_page_squarespace_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupPageSquarespace, relay_setup_page_squarespace, RELAY, SETUP_PAGE_SQUARESPACE, RelaySetupKeyPage)

G_END_DECLS
