/* relay-context.h — what every front end shares: settings, keyring, store, clients, engine
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-credentials.h"
#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-store.h"
#include "relay-sync-engine.h"

G_BEGIN_DECLS

/**
 * RelayVerifyFlags:
 * @RELAY_VERIFY_DEFAULT: the service's usual retries
 * @RELAY_VERIFY_ONE_ATTEMPT: someone is waiting for the answer: no retry, no backoff
 * @RELAY_VERIFY_INVENTORY_WRITE: also ask whether the key may change stock (Squarespace)
 *
 * How relay_context_verify_key_async() checks a key.
 */
typedef enum
{
  RELAY_VERIFY_DEFAULT         = 0,
  RELAY_VERIFY_ONE_ATTEMPT     = 1 << 0,
  RELAY_VERIFY_INVENTORY_WRITE = 1 << 1,
} RelayVerifyFlags;

#define RELAY_TYPE_CONTEXT (relay_context_get_type ())

G_DECLARE_FINAL_TYPE (RelayContext, relay_context, RELAY, CONTEXT, GObject)

RelayContext     *relay_context_new                  (GSettings           *settings,
                                                      gboolean             use_environment);
GSettings        *relay_context_get_settings         (RelayContext        *self);
RelayCredentials *relay_context_get_credentials      (RelayContext        *self);
char             *relay_context_dup_url              (RelayContext        *self,
                                                      RelayService         service);

void              relay_context_set_state_path       (RelayContext        *self,
                                                      const char          *path);
const char       *relay_context_get_state_path       (RelayContext        *self);
RelayStore       *relay_context_get_store            (RelayContext        *self,
                                                      GError             **error);
void              relay_context_take_store_from      (RelayContext        *self,
                                                      RelayContext        *other);

void              relay_context_verify_key_async     (RelayContext        *self,
                                                      RelayService         service,
                                                      const char          *url,
                                                      const char          *key,
                                                      RelayVerifyFlags     flags,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
char             *relay_context_verify_key_finish    (RelayContext        *self,
                                                      GAsyncResult        *result,
                                                      gboolean            *out_can_write_inventory,
                                                      GError             **error);

void              relay_context_check_keys_async     (RelayContext        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          relay_context_check_keys_finish    (RelayContext        *self,
                                                      GAsyncResult        *result,
                                                      gboolean            *out_squarespace,
                                                      gboolean            *out_tradegecko,
                                                      GError             **error);

void              relay_context_open_clients_async   (RelayContext        *self,
                                                      const char          *squarespace_url,
                                                      const char          *tradegecko_url,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          relay_context_open_clients_finish  (RelayContext           *self,
                                                      GAsyncResult           *result,
                                                      RelayOrderSource      **out_source,
                                                      RelayOrderDestination **out_destination,
                                                      GError                **error);
void              relay_context_open_destination_async  (RelayContext        *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
RelayOrderDestination *relay_context_open_destination_finish (RelayContext  *self,
                                                              GAsyncResult  *result,
                                                              GError       **error);

void              relay_context_open_engine_async    (RelayContext        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
RelaySyncEngine  *relay_context_open_engine_finish   (RelayContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
RelaySyncEngine  *relay_context_get_engine           (RelayContext        *self);
RelayOrderSource *relay_context_get_source           (RelayContext        *self);
RelayOrderDestination *relay_context_get_destination (RelayContext        *self);
void              relay_context_close_engine         (RelayContext        *self);

G_END_DECLS
