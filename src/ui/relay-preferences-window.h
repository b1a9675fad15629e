/* relay-preferences-window.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-order-destination.h"
#include "relay-store.h"
#include "relay-sync-engine.h"

G_BEGIN_DECLS

#define RELAY_TYPE_PREFERENCES_WINDOW (relay_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, RELAY, PREFERENCES_WINDOW, AdwPreferencesWindow)

RelayPreferencesWindow *relay_preferences_window_new            (GSettings              *settings,
                                                                 RelayStore             *store);
gboolean                relay_preferences_window_import_aliases (RelayPreferencesWindow *self,
                                                                 const char             *csv,
                                                                 guint                  *n_imported,
                                                                 GError                **error);
char                   *relay_preferences_window_export_aliases (RelayPreferencesWindow *self,
                                                                 GError                **error);
guint                   relay_preferences_window_get_n_aliases  (RelayPreferencesWindow *self);
void                    relay_preferences_window_set_engine     (RelayPreferencesWindow *self,
                                                                 RelaySyncEngine        *engine);
void                    relay_preferences_window_set_destination (RelayPreferencesWindow *self,
                                                                  RelayOrderDestination  *destination);

G_END_DECLS
