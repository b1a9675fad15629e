/* relay-clock.c — the time RelayHttp paces, backs off and pauses by
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-clock.h"

/*
 * Every timing decision of the HTTP layer (the pacing window, a backoff, a
 * Retry-After or quota-reset pause, the watchdog that gives up on a request
 * never answered) reads this clock and waits on its
 * timeouts. The app uses the system's; a test uses a manual clock that only
 * moves when told to, so it can show that a 429 with `Retry-After: 120` waits
 * exactly two minutes without waiting them. A manual clock belongs to the
 * thread that made it.
 */

struct _RelayClock
{
  GObject  parent_instance;

  gboolean manual;
  gint64   monotonic_us;    /* manual clocks only */
  gint64   real_us;
};

G_DEFINE_FINAL_TYPE (RelayClock, relay_clock, G_TYPE_OBJECT)

static void
relay_clock_class_init (RelayClockClass *klass)
{
}

static void
relay_clock_init (RelayClock *self)
{
}

/**
 * relay_clock_get_system:
 *
 * Returns: (transfer none): the system's clock, shared
 */
RelayClock *
relay_clock_get_system (void)
{
  static RelayClock *system;

  if (g_once_init_enter (&system))
    g_once_init_leave (&system, g_object_new (RELAY_TYPE_CLOCK, NULL));

  return system;
}

/**
 * relay_clock_new_manual:
 * @real_us: the wall-clock time it starts at, Unix µs
 *
 * Returns: (transfer full): a clock that stands still until
 *   relay_clock_advance()
 */
RelayClock *
relay_clock_new_manual (gint64 real_us)
{
  RelayClock *self = g_object_new (RELAY_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  /* Any start will do, as long as it is never zero (zero means "never" to the pacing). */
  self->monotonic_us = G_USEC_PER_SEC;
  self->real_us = real_us;
  return self;
}

/**
 * relay_clock_get_monotonic:
 * @self: a #RelayClock
 *
 * Returns: µs on a clock that never goes back, like g_get_monotonic_time()
 */
gint64
relay_clock_get_monotonic (RelayClock *self)
{
  g_return_val_if_fail (RELAY_IS_CLOCK (self), 0);

  return self->manual ? self->monotonic_us : g_get_monotonic_time ();
}

/**
 * relay_clock_get_real:
 * @self: a #RelayClock
 *
 * Returns: the wall-clock time, Unix µs, like g_get_real_time()
 */
gint64
relay_clock_get_real (RelayClock *self)
{
  g_return_val_if_fail (RELAY_IS_CLOCK (self), 0);

  return self->manual ? self->real_us : g_get_real_time ();
}

/**
 * relay_clock_advance:
 * @self: a manual #RelayClock
 * @microseconds: how far it moves on, ≥ 0
 *
 * Moves both times on; the timeouts due by then fire at the next main loop
 * iteration.
 */
void
relay_clock_advance (RelayClock *self,
                     gint64      microseconds)
{
  g_return_if_fail (RELAY_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (microseconds >= 0);

  self->monotonic_us += microseconds;
  self->real_us += microseconds;
  g_main_context_wakeup (NULL);
}

/* A timeout on a manual clock: ready once the clock has reached its deadline. */
typedef struct
{
  GSource     source;
  RelayClock *clock;
  gint64      deadline_us;
} ManualTimeout;

static gboolean
manual_timeout_prepare (GSource *source,
                        int     *timeout)
{
  ManualTimeout *self = (ManualTimeout *) source;

  /* Nothing to poll: only relay_clock_advance() makes it due. */
  *timeout = -1;
  return self->clock->monotonic_us >= self->deadline_us;
}

static gboolean
manual_timeout_check (GSource *source)
{
  ManualTimeout *self = (ManualTimeout *) source;

  return self->clock->monotonic_us >= self->deadline_us;
}

static gboolean
manual_timeout_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  return callback != NULL ? callback (user_data) : G_SOURCE_REMOVE;
}

static void
manual_timeout_finalize (GSource *source)
{
  ManualTimeout *self = (ManualTimeout *) source;

  g_clear_object (&self->clock);
}

static GSourceFuncs manual_timeout_funcs = {
  manual_timeout_prepare,
  manual_timeout_check,
  manual_timeout_dispatch,
  manual_timeout_finalize,
  NULL,
  NULL,
};

/**
 * relay_clock_timeout_source_new:
 * @self: a #RelayClock
 * @delay_us: how long from now, on this clock
 *
 * Returns: (transfer full): a source that fires once @delay_us have passed
 *   on @self (rounded up to a millisecond on the system's clock)
 */
GSource *
relay_clock_timeout_source_new (RelayClock *self,
                                gint64      delay_us)
{
  ManualTimeout *timeout;

  g_return_val_if_fail (RELAY_IS_CLOCK (self), NULL);

  if (!self->manual)
    return g_timeout_source_new ((guint) MAX (1, (delay_us + 999) / 1000));

  timeout = (ManualTimeout *) g_source_new (&manual_timeout_funcs, sizeof (ManualTimeout));
  timeout->clock = g_object_ref (self);
  timeout->deadline_us = self->monotonic_us + MAX (delay_us, 0);
  return (GSource *) timeout;
}
