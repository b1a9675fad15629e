/* relay-window.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-application.h"
#include "relay-order-list-model.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WINDOW (relay_window_get_type ())

G_DECLARE_FINAL_TYPE (RelayWindow, relay_window, RELAY, WINDOW, AdwApplicationWindow)

RelayWindow         *relay_window_new                   (RelayApplication *application);
const char          *relay_window_get_visible_page_name (RelayWindow      *self);
void                 relay_window_set_store             (RelayWindow      *self,
                                                         RelayStore       *store);
RelayStore          *relay_window_get_store             (RelayWindow      *self);
void                 relay_window_set_connected         (RelayWindow      *self,
                                                         gboolean          connected);
gboolean             relay_window_get_connected         (RelayWindow      *self);
RelayOrderListModel *relay_window_get_order_list        (RelayWindow      *self);
GActionGroup        *relay_window_get_order_actions     (RelayWindow      *self);
void                 relay_window_show_order            (RelayWindow      *self,
                                                         const char       *squarespace_id);
const char          *relay_window_get_shown_order       (RelayWindow      *self);
guint64              relay_window_get_flow_count        (RelayWindow      *self,
                                                         const char       *flow);
guint                relay_window_add_item_alias        (RelayWindow      *self,
                                                         const char       *store_sku,
                                                         const char       *tradegecko_sku,
                                                         GError          **error);
void                 relay_window_add_toast             (RelayWindow      *self,
                                                         const char       *title,
                                                         const char       *button_label,
                                                         const char       *action_name);
const char          *relay_window_get_last_toast        (RelayWindow      *self);
const char          *relay_window_get_last_toast_action (RelayWindow      *self);
void                 relay_window_set_sync_status       (RelayWindow      *self,
                                                         const char       *status);
void                 relay_window_set_progress          (RelayWindow      *self,
                                                         const char       *text,
                                                         double            fraction);

void                 relay_window_set_store_health      (RelayWindow      *self,
                                                         const char       *store_id,
                                                         const char       *message,
                                                         const char       *button_label,
                                                         const char       *action_name);
const char          *relay_window_get_store_health      (RelayWindow      *self,
                                                         const char       *store_id,
                                                         const char      **action_name);
guint                relay_window_get_n_toasts          (RelayWindow      *self);
void                 relay_window_set_demo              (RelayWindow      *self,
                                                         gboolean          demo);
gboolean             relay_window_get_demo              (RelayWindow      *self);
const char          *relay_window_get_stale_sync_warning (RelayWindow     *self);

G_END_DECLS
