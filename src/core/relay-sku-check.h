/* relay-sku-check.h — every store variant with its TradeGecko match, before orders arrive
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-store.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_SKU_MATCH_EXACT,
  RELAY_SKU_MATCH_ALIAS,
  RELAY_SKU_MATCH_NONE,
  RELAY_SKU_MATCH_AMBIGUOUS,
} RelaySkuMatch;

/**
 * RelaySkuCheckRow:
 * @store_variant_id: the store's variant
 * @store_sku: (nullable): its SKU
 * @product: (nullable): product and options
 * @match: how it matches
 * @tradegecko_sku: (nullable): the SKU looked up at TradeGecko (the alias's, or the same)
 * @tradegecko_variant_id: the match, 0 unless @match is exact or alias
 * @detail: (nullable): why none or ambiguous, for people
 * @has_price: whether @price is known
 * @price: the store variant's base price
 */
typedef struct
{
  char          *store_variant_id;
  char          *store_sku;
  char          *product;
  RelaySkuMatch  match;
  char          *tradegecko_sku;
  gint64         tradegecko_variant_id;
  char          *detail;
  gboolean       has_price;
  RelayMoney     price;
} RelaySkuCheckRow;

void        relay_sku_check_row_free   (RelaySkuCheckRow *row);
const char *relay_sku_match_to_string  (RelaySkuMatch     match);

void        relay_sku_check_async      (RelayStore             *store,
                                        RelayOrderSource       *source,
                                        RelayOrderDestination  *destination,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
GPtrArray  *relay_sku_check_finish     (GAsyncResult           *result,
                                        GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySkuCheckRow, relay_sku_check_row_free)

G_END_DECLS
