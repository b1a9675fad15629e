/* relay-test-utils.h — helpers for tests that drive real windows
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Iterates the default main context until @cond holds, failing the test after
 * @seconds instead of hanging CI. */
#define RELAY_TEST_ITERATE_UNTIL(cond, seconds)                                   \
  G_STMT_START {                                                                  \
    gint64 relay_deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
    while (!(cond))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > relay_deadline_)                            \
          g_error ("Timed out after %d s waiting for: %s", (int) (seconds), #cond); \
        g_main_context_iteration (NULL, FALSE);                                   \
        g_usleep (1000);                                                          \
      }                                                                           \
  } G_STMT_END

void       relay_test_iterate_for       (guint        milliseconds);
GtkWindow *relay_test_find_window_of_type (GType      type);
GtkWidget *relay_test_find_named        (GtkWidget   *widget,
                                         const char  *name);
gboolean   relay_test_widget_renders    (GtkWidget   *widget);
char      *relay_test_save_screenshot   (GtkWidget   *widget,
                                         const char  *name);

G_END_DECLS
