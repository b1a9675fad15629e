/* relay-application.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-context.h"
#include "relay-sandbox.h"
#include "relay-store.h"
#include "relay-sync-engine.h"

G_BEGIN_DECLS

#define RELAY_TYPE_APPLICATION (relay_application_get_type ())

G_DECLARE_FINAL_TYPE (RelayApplication, relay_application, RELAY, APPLICATION, AdwApplication)

RelayApplication *relay_application_new          (void);
GSettings        *relay_application_get_settings   (RelayApplication *self);
void              relay_application_set_state_path (RelayApplication *self,
                                                    const char       *path);
RelayStore       *relay_application_get_store      (RelayApplication *self);
gboolean          relay_application_get_connected  (RelayApplication *self);
gboolean          relay_application_start_demo     (RelayApplication *self,
                                                    GError          **error);
RelaySandbox     *relay_application_get_sandbox    (RelayApplication *self);
RelaySyncEngine  *relay_application_get_engine     (RelayApplication *self);
RelayContext     *relay_application_get_context    (RelayApplication *self);
gboolean          relay_application_get_in_background (RelayApplication *self);
const char       *relay_application_get_last_notification (RelayApplication *self);

G_END_DECLS
