/* relay-setup-wizard-private.h — what the wizard shares with its pages
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-context.h"
#include "relay-credentials.h"
#include "relay-setup-wizard.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_SETUP_STORE_TRADEGECKO,
  RELAY_SETUP_STORE_SQUARESPACE,
} RelaySetupStore;

/* What the Done page summarises: the account or site name a key was verified
 * against, or NULL when the store is not connected. */
void        _relay_setup_wizard_set_connection (RelaySetupWizard *self,
                                                RelaySetupStore   store,
                                                const char       *name);
const char *_relay_setup_wizard_get_connection (RelaySetupWizard *self,
                                                RelaySetupStore   store);
void        _relay_setup_wizard_show_toast     (RelaySetupWizard *self,
                                                const char       *message);
GCancellable     *_relay_setup_wizard_get_cancellable (RelaySetupWizard *self);
RelayCredentials *_relay_setup_wizard_get_credentials (RelaySetupWizard *self);
RelayContext     *_relay_setup_wizard_get_context     (RelaySetupWizard *self);

G_END_DECLS
