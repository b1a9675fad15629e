/* relay-sku-check-view.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SKU_CHECK_VIEW (relay_sku_check_view_get_type ())

G_DECLARE_FINAL_TYPE (RelaySkuCheckView, relay_sku_check_view, RELAY, SKU_CHECK_VIEW, AdwBin)

void       relay_sku_check_view_set_clients   (RelaySkuCheckView *self,
                                               RelayStore        *store,
                                               RelayOrderSource  *source,
                                               RelayOrderDestination *destination);
void       relay_sku_check_view_run           (RelaySkuCheckView *self);
gboolean   relay_sku_check_view_get_checking  (RelaySkuCheckView *self);
guint      relay_sku_check_view_count_rows    (RelaySkuCheckView *self);
GtkWindow *relay_sku_check_view_present_window (GtkWindow        *parent,
                                               RelayStore        *store,
                                               RelayOrderSource  *source,
                                               RelayOrderDestination *destination);

G_END_DECLS
