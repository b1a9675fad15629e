/* relay-setup-page-welcome.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE_WELCOME (relay_setup_page_welcome_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupPageWelcome, relay_setup_page_welcome, RELAY, SETUP_PAGE_WELCOME, RelaySetupPage)

G_END_DECLS
