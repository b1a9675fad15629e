/* relay-tradegecko-variant.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RelayTradegeckoVariant:
 * @id: TradeGecko's variant id
 * @sku: (nullable): its SKU
 * @product_name: (nullable): the product it belongs to
 * @name: (nullable): the variant's own name (“200 g”)
 * @available_stock: (nullable): stock not yet committed, as TradeGecko writes it (“48”)
 * @active: whether it can be ordered (not archived or disabled)
 *
 * What a view needs of a TradeGecko variant, so no view reads TradeGecko's JSON.
 */
typedef struct
{
  gint64    id;
  char     *sku;
  char     *product_name;
  char     *name;
  char     *available_stock;
  gboolean  active;
} RelayTradegeckoVariant;

void       relay_tradegecko_variant_free       (RelayTradegeckoVariant *variant);
char      *relay_tradegecko_variant_dup_label  (const RelayTradegeckoVariant *variant);
GPtrArray *relay_tradegecko_variants_from_json (JsonArray              *variants);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayTradegeckoVariant, relay_tradegecko_variant_free)

G_END_DECLS
