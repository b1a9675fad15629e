/* relay-cli-private.h — what the command line's files share
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-context.h"
#include "relay-credentials.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define EXIT_FAILED 1
#define EXIT_USAGE  2
#define EXIT_BUSY   3

typedef struct
{
  RelayContext     *context;
  GSettings        *settings;      /* the context's */
  RelayCredentials *credentials;   /* the context's */
} Cli;

int         fail                     (int                 status,
                                      const char         *format,
                                      ...) G_GNUC_PRINTF (2, 3);
void        got_result_cb            (GObject            *source,
                                      GAsyncResult       *result,
                                      gpointer            user_data);
void        wait_for                 (GAsyncResult      **result);
RelaySyncEngine *open_engine         (Cli                *cli,
                                      GError            **error);
RelayStore *open_store               (Cli                *cli,
                                      GError            **error);

/* relay-cli-stock.c */
int         relay_cli_command_stock  (Cli                *cli,
                                      int                 argc,
                                      char              **argv);
int         relay_cli_command_skus   (Cli                *cli,
                                      int                 argc,
                                      char              **argv);

G_END_DECLS
