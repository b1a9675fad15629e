/* relay-setup-key-page.h — what both "Connect …" pages share
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-setup-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_KEY_PAGE (relay_setup_key_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (RelaySetupKeyPage, relay_setup_key_page, RELAY, SETUP_KEY_PAGE, RelaySetupPage)

/* The advice for errors both services share (network, server, rate limit…). */
char *relay_setup_key_page_describe_common_error (RelaySetupKeyPage *self,
                                                  const GError      *error);

/**
 * RelaySetupKeyPageClass:
 * @store: the keyring's name of the store (`tradegecko`, `squarespace`)
 * @display_name: the service's name as the merchant knows it
 * @demo_key: the sandbox's well-known key, pre-filled in demo mode
 * @get_url: the API base URL keys are verified against and stored for
 * @verify_key_async: checks @key against the service
 * @verify_key_finish: returns the account or site name the key belongs to
 * @describe_error: turns a verification error into advice for the merchant
 * @describe_success: (nullable): what else a verified key allows or lacks, for the merchant
 *
 * A page that asks for one API key, verifies it, stores it in the keyring
 * when the merchant moves on, and lets a stored key be replaced or removed.
 */
struct _RelaySetupKeyPageClass
{
  RelaySetupPageClass parent_class;

  const char *store;
  const char *display_name;
  const char *demo_key;

  const char *(*get_url)           (RelaySetupKeyPage    *self);
  void        (*verify_key_async)  (RelaySetupKeyPage    *self,
                                    const char           *key,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  char       *(*verify_key_finish) (RelaySetupKeyPage    *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  char       *(*describe_error)    (RelaySetupKeyPage    *self,
                                    const GError         *error);
  char       *(*describe_success)  (RelaySetupKeyPage    *self);

  /*< private >*/
  gpointer padding[4];
};

GtkWidget  *relay_setup_key_page_get_instructions (RelaySetupKeyPage *self);
void        relay_setup_key_page_set_instructions (RelaySetupKeyPage *self,
                                                   GtkWidget         *instructions);
gboolean    relay_setup_key_page_get_stored       (RelaySetupKeyPage *self);
const char *relay_setup_key_page_get_status       (RelaySetupKeyPage *self);
gboolean    relay_setup_key_page_get_failed       (RelaySetupKeyPage *self);

G_END_DECLS
