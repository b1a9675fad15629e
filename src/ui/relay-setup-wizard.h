/* relay-setup-wizard.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-context.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_WIZARD (relay_setup_wizard_get_type ())

G_DECLARE_FINAL_TYPE (RelaySetupWizard, relay_setup_wizard, RELAY, SETUP_WIZARD, AdwWindow)

RelaySetupWizard *relay_setup_wizard_new                   (GtkWindow        *parent,
                                                            RelayContext     *context,
                                                            RelayStore       *store);
void              relay_setup_wizard_set_demo              (RelaySetupWizard *self,
                                                            const char       *squarespace_url,
                                                            const char       *tradegecko_url);
gboolean          relay_setup_wizard_get_demo              (RelaySetupWizard *self);
const char       *relay_setup_wizard_get_squarespace_url   (RelaySetupWizard *self);
const char       *relay_setup_wizard_get_tradegecko_url    (RelaySetupWizard *self);
GSettings        *relay_setup_wizard_get_settings          (RelaySetupWizard *self);
RelayStore       *relay_setup_wizard_get_store             (RelaySetupWizard *self);
const char       *relay_setup_wizard_get_visible_page_name (RelaySetupWizard *self);
void              relay_setup_wizard_reconnect             (RelaySetupWizard *self,
                                                            const char       *page_name);

G_END_DECLS
