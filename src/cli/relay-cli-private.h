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
#include "relay-squarespace.h"
#include "relay-store.h"
#include "relay-tradegecko.h"

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
gboolean    open_clients             (Cli                *cli,
                                      RelaySquarespace  **out_squarespace,
                                      RelayTradegecko   **out_tradegecko,
                                      GError            **error);
RelayStore *open_store               (GError            **error);

/* relay-cli-stock.c */
int         relay_cli_command_stock  (Cli                *cli,
                                      int                 argc,
                                      char              **argv);
int         relay_cli_command_skus   (Cli                *cli,
                                      int                 argc,
                                      char              **argv);

G_END_DECLS
