/* relay-context.h — what every front end shares: settings, keyring, addresses, clients
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-credentials.h"

G_BEGIN_DECLS

/* The clients are opaque here: a front end holds them without their headers. */
typedef struct _RelaySquarespace RelaySquarespace;
typedef struct _RelayTradegecko  RelayTradegecko;

#define RELAY_TYPE_CONTEXT (relay_context_get_type ())

G_DECLARE_FINAL_TYPE (RelayContext, relay_context, RELAY, CONTEXT, GObject)

RelayContext     *relay_context_new                  (GSettings           *settings,
                                                      gboolean             use_environment);
GSettings        *relay_context_get_settings         (RelayContext        *self);
RelayCredentials *relay_context_get_credentials      (RelayContext        *self);
char             *relay_context_dup_url              (RelayContext        *self,
                                                      RelayService         service);
void              relay_context_open_clients_async   (RelayContext        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          relay_context_open_clients_finish  (RelayContext        *self,
                                                      GAsyncResult        *result,
                                                      RelaySquarespace   **out_squarespace,
                                                      RelayTradegecko    **out_tradegecko,
                                                      GError             **error);
void              relay_context_open_tradegecko_async  (RelayContext        *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
RelayTradegecko  *relay_context_open_tradegecko_finish (RelayContext        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
