/* relay-cli.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean relay_cli_handles (int    argc,
                            char **argv);
int      relay_cli_run     (int    argc,
                            char **argv);

G_END_DECLS
