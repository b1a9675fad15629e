/* relay-credentials.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RelayService:
 * @RELAY_SERVICE_SQUARESPACE: the Squarespace store
 * @RELAY_SERVICE_TRADEGECKO: the TradeGecko inventory account
 *
 * Which service a key belongs to.
 */
typedef enum
{
  RELAY_SERVICE_SQUARESPACE,
  RELAY_SERVICE_TRADEGECKO,
} RelayService;

#define RELAY_TYPE_CREDENTIALS (relay_credentials_get_type ())

G_DECLARE_FINAL_TYPE (RelayCredentials, relay_credentials, RELAY, CREDENTIALS, GObject)

RelayCredentials *relay_credentials_new          (void);

void              relay_credentials_store_async  (RelayCredentials     *self,
                                                  RelayService          service,
                                                  const char           *account,
                                                  const char           *key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean          relay_credentials_store_finish (RelayCredentials     *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void              relay_credentials_lookup_async (RelayCredentials     *self,
                                                  RelayService          service,
                                                  const char           *account,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char             *relay_credentials_lookup_finish (RelayCredentials    *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void              relay_credentials_clear_async  (RelayCredentials     *self,
                                                  RelayService          service,
                                                  const char           *account,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean          relay_credentials_clear_finish (RelayCredentials     *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

const char       *relay_service_get_name         (RelayService          service);
const char       *relay_service_get_id           (RelayService          service);

G_END_DECLS
