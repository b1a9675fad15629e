/* relay-preview.h — what an order would become at the destination, without sending it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-mapping.h"

G_BEGIN_DECLS

/**
 * RelayPreviewDecision:
 * @RELAY_PREVIEW_SEND: sent as an active sales order
 * @RELAY_PREVIEW_SEND_DRAFT: sent as a draft (the setting, or a test order)
 * @RELAY_PREVIEW_SKIP: not sent at all (a skipped test order, nothing to ship)
 * @RELAY_PREVIEW_WAIT: cannot be sent yet: it waits for the merchant's fix
 *
 * What a sync would do with the order.
 */
typedef enum
{
  RELAY_PREVIEW_SEND,
  RELAY_PREVIEW_SEND_DRAFT,
  RELAY_PREVIEW_SKIP,
  RELAY_PREVIEW_WAIT,
} RelayPreviewDecision;

/**
 * RelayPreviewLine:
 * @name: the product's name (or the line id)
 * @store_sku: (nullable): the SKU in the store
 * @store_variant_id: (nullable): the store's variant of the product, for an
 *   alias of that variant alone
 * @variant_label: (nullable): that variant's options (“Size: Large”), empty when none
 * @destination_sku: (nullable): the SKU looked up at the destination, after aliases
 * @variant_id: the destination's variant, 0 when none matched
 * @quantity: how many
 * @unit_price: the store's price
 * @status: the outcome of the look-up
 * @rule: which rule matched, for a matched line
 * @has_tax: whether @tax was planned (the account's tax types were known)
 * @tax: the tax the destination will compute for the line
 * @failing: this line stops the order
 *
 * One order line and what it becomes.
 */
typedef struct
{
  char            *name;
  char            *store_sku;
  char            *store_variant_id;
  char            *variant_label;
  char            *destination_sku;
  gint64           variant_id;
  gint64           quantity;
  RelayMoney       unit_price;
  RelayLineStatus  status;
  RelayMatchRule   rule;
  gboolean         has_tax;
  RelayMoney       tax;
  gboolean         failing;
} RelayPreviewLine;

/**
 * RelayPreviewCharge:
 * @name: a shipping method or a discount's name
 * @destination_name: (nullable): the shipping label sent, for shipping
 * @amount: the amount (a discount's is positive)
 *
 * A shipping or discount line.
 */
typedef struct
{
  char       *name;
  char       *destination_name;
  RelayMoney  amount;
} RelayPreviewCharge;

#define RELAY_TYPE_PREVIEW (relay_preview_get_type ())

G_DECLARE_FINAL_TYPE (RelayPreview, relay_preview, RELAY, PREVIEW, GObject)

RelayPreview         *relay_preview_new                 (RelayResolution              *resolution,
                                                         const RelaySalesOrderOptions *options,
                                                         gboolean                      skip_test_order);
void                  relay_preview_set_outcome         (RelayPreview                 *self,
                                                         const char                   *payload,
                                                         const char                   *reason);

const char           *relay_preview_get_order_id        (RelayPreview *self);
const char           *relay_preview_get_order_number    (RelayPreview *self);
const char           *relay_preview_get_reference       (RelayPreview *self);
const char           *relay_preview_get_customer        (RelayPreview *self);
gboolean              relay_preview_get_testmode        (RelayPreview *self);
RelayPreviewDecision  relay_preview_get_decision        (RelayPreview *self);
const char           *relay_preview_get_reason          (RelayPreview *self);
GPtrArray            *relay_preview_get_lines           (RelayPreview *self);
GPtrArray            *relay_preview_get_shipping        (RelayPreview *self);
GPtrArray            *relay_preview_get_discounts       (RelayPreview *self);
const RelayMoney     *relay_preview_get_store_total     (RelayPreview *self);
const RelayMoney     *relay_preview_get_store_tax       (RelayPreview *self);
const RelayTaxPlan   *relay_preview_get_tax_plan        (RelayPreview *self);
const char           *relay_preview_get_payload         (RelayPreview *self);

const char           *relay_preview_decision_text       (RelayPreviewDecision decision);
char                 *relay_preview_dup_line_text       (const RelayPreviewLine *line);
char                 *relay_preview_dup_totals_text     (RelayPreview *self);
char                 *relay_preview_dup_text            (RelayPreview *self);

G_END_DECLS
