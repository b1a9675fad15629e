/* relay-sync-stock.h — the stock flow: TradeGecko's available stock set in Squarespace
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-store.h"
#include "relay-sync-engine.h"

G_BEGIN_DECLS

/* Set-finite operations per adjustment request (the Inventory API's limit). */
#define RELAY_SYNC_STOCK_BATCH_SIZE 50

/* Checkpoints: the newest TradeGecko change read (its clock), the variants changed exactly
 * then (the next query includes that instant), and when a stock cycle last ran (ms). */
#define RELAY_SYNC_STOCK_CHECKPOINT_SINCE     "stock:since"
#define RELAY_SYNC_STOCK_CHECKPOINT_SINCE_IDS "stock:since-ids"
#define RELAY_SYNC_STOCK_CHECKPOINT_LAST_RUN  "stock:last-run"
/* When the store's whole item list was last read (ms), and the item aliases' digest at the
 * last complete cycle (a change re-reads everything once) */
#define RELAY_SYNC_STOCK_CHECKPOINT_FULL_READ "stock:full-read"
#define RELAY_SYNC_STOCK_CHECKPOINT_ALIASES   "stock:alias-digest"

/**
 * RelayStockOptions:
 * @location_id: the TradeGecko location whose stock the store sells, 0 for all
 * @buffer: units held back from the store per variant
 * @dry_run: plan only: nothing is sent or stored
 */
typedef struct
{
  gint64   location_id;
  gint64   buffer;
  gboolean dry_run;
} RelayStockOptions;

/**
 * RelayStockReport:
 * @changed: TradeGecko variants changed since the checkpoint
 * @planned: store variants whose count is to be set
 * @pushed: store variants whose count was set (this run, resends included)
 * @batches: adjustment requests the store accepted
 * @resent: of those, batches an earlier run had left pending
 * @rows: (element-type RelayStockRow): every store variant a changed TradeGecko variant
 *   matched, with its target or problem
 */
typedef struct
{
  guint      changed;
  guint      planned;
  guint      pushed;
  guint      batches;
  guint      resent;
  GPtrArray *rows;
} RelayStockReport;

void              relay_stock_report_free     (RelayStockReport *report);

void              relay_sync_stock_run_async  (RelayStore               *store,
                                               RelayOrderSource         *source,
                                               RelayOrderDestination    *destination,
                                               const RelayStockOptions  *options,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
RelayStockReport *relay_sync_stock_run_finish (GAsyncResult             *result,
                                               GError                  **error);

gboolean          relay_sync_stock_is_due     (RelayStore               *store,
                                               guint                     every_minutes);
void              relay_stock_options_from_settings (GSettings         *settings,
                                               RelayStockOptions        *options);
gboolean          relay_sync_stock_wanted     (GSettings                *settings,
                                               RelayStore               *store);

void              relay_sync_engine_check_stock_access_async  (RelaySyncEngine     *engine,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
gboolean          relay_sync_engine_check_stock_access_finish (RelaySyncEngine     *engine,
                                               GAsyncResult             *result,
                                               GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStockReport, relay_stock_report_free)

G_END_DECLS
