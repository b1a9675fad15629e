/* relay-setup-page-done.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE_DONE (relay_setup_page_done_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupPageDone, relay_setup_page_done, RELAY, SETUP_PAGE_DONE, RelaySetupPage)

G_END_DECLS
