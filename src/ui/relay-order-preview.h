/* relay-order-preview.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-preview.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_PREVIEW (relay_order_preview_get_type ())

G_DECLARE_FINAL_TYPE (RelayOrderPreview, relay_order_preview, RELAY, ORDER_PREVIEW, GtkBox)

GtkWidget    *relay_order_preview_new          (void);
void          relay_order_preview_set_preview  (RelayOrderPreview *self,
                                                RelayPreview      *preview);
RelayPreview *relay_order_preview_get_preview  (RelayOrderPreview *self);
const char   *relay_order_preview_get_status   (RelayOrderPreview *self);
GtkWidget    *relay_order_preview_get_line_row (RelayOrderPreview *self,
                                                guint              index);

G_END_DECLS
