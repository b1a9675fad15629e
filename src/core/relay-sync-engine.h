/* relay-sync-engine.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-preview.h"
#include "relay-store.h"

G_BEGIN_DECLS

/* Orders handled per batch: what a cycle holds in memory at once, whatever the backlog. */
#define RELAY_SYNC_ENGINE_BATCH_SIZE 100

/* Time window re-read on every cycle so nothing modified near a boundary is missed
 * (the Squarespace pull's overlap is the `pull-overlap-minutes` setting). */
#define RELAY_SYNC_ENGINE_TRACKING_OVERLAP_S 120

/* A tracking post whose outcome is unknown may still land until the HTTP timeout
 * (60 s) has passed, plus a margin for the service's own processing: only a
 * re-read made later than this after the claim may conclude it did not happen. */
#define RELAY_SYNC_ENGINE_POST_SETTLE_S      180

/* The desktop clock differing from Squarespace's by more than this is reported. */
#define RELAY_SYNC_ENGINE_CLOCK_SKEW_WARN_S  120

/* Checkpoints other programs read (`order-relay status`, service units). Times in Unix seconds. */
#define RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS  "last-successful-cycle"
#define RELAY_SYNC_ENGINE_CHECKPOINT_SOURCE_CLOCK  "source.clock-offset-ms"

/* The advisory lock (flock) held for a whole cycle, next to the state database. */
#define RELAY_SYNC_ENGINE_LOCK_FILE "sync.lock"

#define RELAY_TYPE_SYNC_ENGINE (relay_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (RelaySyncEngine, relay_sync_engine, RELAY, SYNC_ENGINE, GObject)

RelaySyncEngine *relay_sync_engine_new                 (RelayStore        *store,
                                                        RelayOrderSource  *source,
                                                        RelayOrderDestination *destination,
                                                        GSettings         *settings);
RelayStore      *relay_sync_engine_get_store           (RelaySyncEngine   *self);

void             relay_sync_engine_run_cycle_async     (RelaySyncEngine   *self,
                                                        GCancellable      *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer           user_data);
gboolean         relay_sync_engine_run_cycle_finish    (RelaySyncEngine   *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);

void             relay_sync_engine_start               (RelaySyncEngine   *self);
void             relay_sync_engine_stop                (RelaySyncEngine   *self);
void             relay_sync_engine_sync_now            (RelaySyncEngine   *self);

gboolean         relay_sync_engine_get_busy            (RelaySyncEngine   *self);
gint64           relay_sync_engine_get_last_sync       (RelaySyncEngine   *self,
                                                        const char        *store_id);
gint64           relay_sync_engine_get_next_sync       (RelaySyncEngine   *self);
gint64           relay_sync_engine_get_other_sync_pid  (RelaySyncEngine   *self);
gint64           relay_sync_engine_get_clock_offset    (RelaySyncEngine   *self);

gint64           relay_sync_engine_find_lock_holder    (RelayStore        *store);
gboolean         relay_sync_engine_dup_clock_offset    (RelayStore        *store,
                                                        gint64            *offset_s);

gboolean         relay_sync_engine_retry_order         (RelaySyncEngine   *self,
                                                        const char        *squarespace_id,
                                                        GError           **error);
void             relay_sync_engine_preview_async       (RelaySyncEngine   *self,
                                                        RelayOrder        *order,
                                                        GCancellable      *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer           user_data);
void             relay_sync_engine_preview_order_async (RelaySyncEngine   *self,
                                                        const char        *squarespace_id,
                                                        GCancellable      *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer           user_data);
RelayPreview    *relay_sync_engine_preview_finish      (RelaySyncEngine   *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);

G_END_DECLS
