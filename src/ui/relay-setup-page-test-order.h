/* relay-setup-page-test-order.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE_TEST_ORDER (relay_setup_page_test_order_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupPageTestOrder, relay_setup_page_test_order, RELAY, SETUP_PAGE_TEST_ORDER, RelaySetupPage)

guint       relay_setup_page_test_order_get_n_orders    (RelaySetupPageTestOrder *self);
void        relay_setup_page_test_order_select          (RelaySetupPageTestOrder *self,
                                                         guint                    position);
const char *relay_setup_page_test_order_get_preview     (RelaySetupPageTestOrder *self);
const char *relay_setup_page_test_order_get_status      (RelaySetupPageTestOrder *self);

G_END_DECLS
