/* relay-shipping-map-dialog.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_SHIPPING_MAP_DIALOG (relay_shipping_map_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RelayShippingMapDialog, relay_shipping_map_dialog, RELAY, SHIPPING_MAP_DIALOG, AdwMessageDialog)

RelayShippingMapDialog *relay_shipping_map_dialog_new       (GtkWindow              *parent,
                                                             const char             *squarespace_method);
char                   *relay_shipping_map_dialog_dup_method (RelayShippingMapDialog *self);
char                   *relay_shipping_map_dialog_dup_label  (RelayShippingMapDialog *self);

G_END_DECLS
