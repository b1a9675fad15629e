/* relay-sync-progress.h — one line for what a running cycle's lanes are doing
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RELAY_TYPE_SYNC_PROGRESS (relay_sync_progress_get_type ())

G_DECLARE_FINAL_TYPE (RelaySyncProgress, relay_sync_progress, RELAY, SYNC_PROGRESS, GObject)

RelaySyncProgress *relay_sync_progress_new          (void);
void               relay_sync_progress_reset        (RelaySyncProgress *self);
void               relay_sync_progress_update       (RelaySyncProgress *self,
                                                     const char        *flow,
                                                     guint              done,
                                                     guint              total);
char              *relay_sync_progress_dup_text     (RelaySyncProgress *self);
double             relay_sync_progress_get_fraction (RelaySyncProgress *self);

G_END_DECLS
