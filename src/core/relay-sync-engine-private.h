/* relay-sync-engine-private.h — for tests and the test build of the command line only
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-sync-engine.h"

G_BEGIN_DECLS

/**
 * relay_sync_engine_set_crash_point:
 * @step: (nullable): the step to die at, or %NULL to disarm
 *
 * Crash-test hook. When a cycle reaches @step the process calls `_exit (137)`
 * there, like a SIGKILL: no cleanup, no flush, no rollback of anything already
 * committed. Steps:
 *
 * - `after-pull-page`: a page of Squarespace orders is stored, the pull checkpoint is not
 * - `before-deliver-post`: the order is marked in flight with its idempotency key, the
 *   TradeGecko POST is not sent
 * - `after-deliver-post`: TradeGecko created the sales order, the local state does not know
 * - `after-tracking-read`: shipments are stored, the tracking checkpoint is not
 * - `before-pay-post` / `after-pay-post`: the same around recording a payment in TradeGecko
 * - `before-tracking-post`: the order is marked in flight, the Squarespace POST is not sent
 * - `after-tracking-post`: Squarespace recorded the shipments, the local state does not know
 * - `stock-before-post`: a stock batch is stored with its key, the adjustment is not sent
 * - `stock-after-post`: Squarespace applied the batch, the local state does not know
 *
 * The library never reads the environment for this. Only `order-relay` built
 * with `-Dtest_hooks=true` (build-aux/build.sh, which the test suite uses,
 * turns it on; packages do not) arms it from RELAY_TEST_CRASH_ENV, so the CLI
 * crash tests can kill the real program at a chosen step.
 */
void relay_sync_engine_set_crash_point (const char *step);

#define RELAY_TEST_CRASH_ENV "ORDER_RELAY_TEST_CRASH_AT"

G_END_DECLS
