/* relay-alias-dialog.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-order-destination.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ALIAS_DIALOG (relay_alias_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RelayAliasDialog, relay_alias_dialog, RELAY, ALIAS_DIALOG, AdwMessageDialog)

RelayAliasDialog *relay_alias_dialog_new                (GtkWindow             *parent,
                                                         RelayOrderDestination *destination,
                                                         const char            *store_sku);
void              relay_alias_dialog_set_variant        (RelayAliasDialog      *self,
                                                         const char            *variant_id,
                                                         const char            *variant_label);
char             *relay_alias_dialog_dup_store_sku      (RelayAliasDialog *self);
char             *relay_alias_dialog_dup_tradegecko_sku (RelayAliasDialog *self);

G_END_DECLS
