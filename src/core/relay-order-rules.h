/* relay-order-rules.h — what the pipeline decides about an order Squarespace sent
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order.h"
#include "relay-store.h"

G_BEGIN_DECLS

RelayStage  relay_order_rules_first_stage     (RelayOrder  *order,
                                               const char  *skip_reason,
                                               const char **out_reason);
char       *relay_order_rules_describe_changes (RelayOrder *before,
                                                RelayOrder *after);

G_END_DECLS
