/* relay-mapping.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order.h"
#include "relay-sales-order.h"
#include "relay-store.h"
#include "relay-tax.h"

G_BEGIN_DECLS

#define RELAY_MAPPING_DEFAULT_PREFIX     "SQ-"
#define RELAY_MAPPING_DEFAULT_MAX_LENGTH 12
#define RELAY_MAPPING_DEFAULT_CHARSET    "A-Z0-9-"

/**
 * RelayResolution:
 * @order: the order resolved
 * @lines: (element-type RelayResolvedLine): one entry per order line, in order
 * @rejection: (nullable): why the order cannot be delivered, naming the SKUs; %NULL when it can
 * @nothing_to_ship: the order has only digital or service lines
 *
 * What every line of an order becomes in TradeGecko.
 */
typedef struct
{
  RelayOrder *order;
  GPtrArray  *lines;
  char       *rejection;
  gboolean    nothing_to_ship;
} RelayResolution;

void relay_resolution_free (RelayResolution *resolution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayResolution, relay_resolution_free)

/**
 * RelaySalesOrderOptions:
 * @company_id: an existing TradeGecko customer, or 0 to create one in the order
 * @shipping_address_id: its shipping address, or 0 to create one in the order
 * @billing_address_id: its billing address, or 0
 * @draft: create the sales order as a draft instead of active
 * @shipping_methods: (nullable) (element-type utf8 utf8): Squarespace method → TradeGecko label
 * @source_url: (nullable): a link back to the order in Squarespace
 * @account: (nullable): the TradeGecko account's currencies, tax types and
 *   time zone; without it no tax is planned and the date is UTC (unit tests)
 * @tax: (nullable): the merchant's tax settings
 * @stock_location_id: the TradeGecko location that commits the stock, or 0
 *   for the account's primary one
 */
typedef struct
{
  gint64      company_id;
  gint64      shipping_address_id;
  gint64      billing_address_id;
  gboolean    draft;
  GHashTable *shipping_methods;
  const char              *source_url;
  const RelayAccountFacts *account;
  const RelayTaxSettings  *tax;
  gint64                   stock_location_id;
} RelaySalesOrderOptions;

/* Aliases keyed by a Squarespace variant id are stored with this prefix, so
 * two variants sharing one SKU can go to different TradeGecko variants. */
#define RELAY_ALIAS_VARIANT_PREFIX "variant:"


#define RELAY_TYPE_MAPPING (relay_mapping_get_type ())

G_DECLARE_FINAL_TYPE (RelayMapping, relay_mapping, RELAY, MAPPING, GObject)

RelayMapping    *relay_mapping_new                  (RelayStore                   *store);
gboolean         relay_mapping_set_cust_ref_rules   (RelayMapping                 *self,
                                                     const char                   *prefix,
                                                     guint                         max_length,
                                                     const char                   *charset,
                                                     GError                      **error);
char            *relay_mapping_dup_cust_ref         (RelayMapping                 *self,
                                                     const char                   *squarespace_id,
                                                     const char                   *order_number,
                                                     GError                      **error);
gboolean         relay_mapping_assign_references    (RelayMapping                 *self,
                                                     RelayOrder                   *order,
                                                     GError                      **error);

char           **relay_mapping_dup_needed_skus      (RelayOrder                   *order,
                                                     GHashTable                   *aliases);
RelayResolution *relay_mapping_resolve_lines        (RelayOrder                   *order,
                                                     GHashTable                   *aliases,
                                                     GPtrArray                    *variants,
                                                     GError                      **error);

RelaySalesOrder *relay_mapping_build_sales_order    (RelayResolution              *resolution,
                                                     const RelaySalesOrderOptions *options,
                                                     char                        **totals,
                                                     GError                      **error);
RelayTaxPlan    *relay_mapping_plan_tax             (RelayResolution              *resolution,
                                                     const RelaySalesOrderOptions *options,
                                                     GError                      **error);
const char      *relay_mapping_match_rule_text      (RelayMatchRule                rule);
char            *relay_mapping_dup_totals_summary   (RelayResolution              *resolution,
                                                     const RelayTaxPlan           *plan);
char            *relay_mapping_dup_issued_at        (RelayOrder                   *order,
                                                     const RelayAccountFacts      *account);

RelayShipment   *relay_mapping_prepare_shipment     (const RelayShipment          *shipment,
                                                     GHashTable                   *carriers,
                                                     GError                      **error);
char            *relay_mapping_normalize_tracking_url (const char                 *url);

G_END_DECLS
