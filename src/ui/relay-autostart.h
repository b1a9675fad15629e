/* relay-autostart.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RelayAutostartMethod:
 * @RELAY_AUTOSTART_FILE: an XDG autostart entry in the user's autostart folder
 * @RELAY_AUTOSTART_PORTAL: the Background portal's autostart (sandboxed apps)
 *
 * How "Start at login" was written.
 */
typedef enum
{
  RELAY_AUTOSTART_FILE,
  RELAY_AUTOSTART_PORTAL,
} RelayAutostartMethod;

char     *relay_autostart_dup_file_path (void);
void      relay_autostart_set_async     (gboolean              enabled,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  relay_autostart_set_finish    (GAsyncResult         *result,
                                         RelayAutostartMethod *method,
                                         GError              **error);

G_END_DECLS
