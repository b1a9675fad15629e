/* relay-test-utils.h — helpers for tests that drive real windows
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-test-wait.h"

G_BEGIN_DECLS

void       relay_test_iterate_for       (guint        milliseconds);
void       relay_test_iterate_pending   (void);
void       relay_test_wait_for_frames   (GtkWidget   *widget,
                                         guint        n_frames);
void       relay_test_wait_until_settled (GtkWidget  *widget);
GtkWindow *relay_test_find_window_of_type (GType      type);
GtkWidget *relay_test_find_named        (GtkWidget   *widget,
                                         const char  *name);
gboolean   relay_test_widget_renders    (GtkWidget   *widget);
char      *relay_test_save_screenshot   (GtkWidget   *widget,
                                         const char  *name);

G_END_DECLS
