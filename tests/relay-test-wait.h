/* relay-test-wait.h — the one bounded wait every test uses
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

static inline gboolean
relay_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Runs what the default main context has to do, or waits for it at most a
 * millisecond: a condition another thread meets (the sandbox's) is seen
 * without spinning, and nothing ever sleeps a fixed time. */
static inline void
relay_test_iterate_briefly (void)
{
  GSource *tick = g_timeout_source_new (1);

  g_source_set_callback (tick, relay_test_wake_cb, NULL, NULL);
  g_source_attach (tick, NULL);
  g_main_context_iteration (NULL, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
}

/* Iterates the default main context until @cond holds, failing the test after
 * @seconds instead of hanging CI. */
#define RELAY_TEST_ITERATE_UNTIL(cond, seconds)                                   \
  G_STMT_START {                                                                  \
    gint64 relay_deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
    while (!(cond))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > relay_deadline_)                            \
          g_error ("Timed out after %d s waiting for: %s", (int) (seconds), #cond); \
        relay_test_iterate_briefly ();                                            \
      }                                                                           \
  } G_STMT_END

G_END_DECLS
