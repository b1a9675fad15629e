/* relay-clock.h — the time RelayHttp paces, backs off and pauses by
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RELAY_TYPE_CLOCK (relay_clock_get_type ())

G_DECLARE_FINAL_TYPE (RelayClock, relay_clock, RELAY, CLOCK, GObject)

RelayClock *relay_clock_get_system          (void);
RelayClock *relay_clock_new_manual          (gint64      real_us);
gint64      relay_clock_get_monotonic       (RelayClock *self);
gint64      relay_clock_get_real            (RelayClock *self);
void        relay_clock_advance             (RelayClock *self,
                                             gint64      microseconds);
GSource    *relay_clock_timeout_source_new  (RelayClock *self,
                                             gint64      delay_us);

G_END_DECLS
