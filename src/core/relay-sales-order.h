/* relay-sales-order.h — what an order becomes at the destination, in domain terms
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order.h"
#include "relay-tax.h"

G_BEGIN_DECLS

/**
 * RelayVariant:
 * @id: the destination's variant id; 0 when it sent none that is valid
 * @sku: (nullable): its SKU, byte for byte
 * @product_name: (nullable): the product it belongs to
 * @name: (nullable): the variant's own name (“200 g”)
 * @available_stock: (nullable): stock not yet committed, as the destination writes it (“48”)
 * @active: whether it can be ordered (not archived or disabled)
 *
 * A sellable item at the destination: what SKU matching and the views need.
 */
typedef struct
{
  gint64    id;
  char     *sku;
  char     *product_name;
  char     *name;
  char     *available_stock;
  gboolean  active;
} RelayVariant;

void  relay_variant_free      (RelayVariant       *variant);
char *relay_variant_dup_label (const RelayVariant *variant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayVariant, relay_variant_free)

/**
 * RelaySalesOrder:
 * @source: the order it is made from; keeps the addresses alive
 * @order_number: the short reference (`cust_ref`)
 * @reference_number: the full order number (`cust_po_no`)
 * @issued_at: the order's date, `YYYY-MM-DD` in the account's time zone
 * @email: (nullable): the buyer's e-mail
 * @phone: (nullable): the buyer's phone number
 * @tax_treatment: how prices are read; %RELAY_TAX_UNKNOWN leaves it to the account
 * @currency: ISO 4217 code
 * @draft: created as a draft instead of active
 * @test: a Squarespace test order (tagged `test`)
 * @source_url: (nullable): a link back to the order in Squarespace
 * @stock_location_id: the location that commits the stock, or 0 to name none
 * @company_id: an existing customer, or 0 to create @company_name with the order
 * @company_name: the new customer's name (when @company_id is 0)
 * @shipping_address_id: the customer's known address, or 0 to send @shipping_address
 * @shipping_address: (nullable): the address to create (%NULL with a known one)
 * @shipping_label: the label of @shipping_address
 * @billing_address_id: a known billing address, or 0
 * @billing_address: (nullable): a billing address to create; %NULL bills the shipping address
 * @billing_label: the label of @billing_address
 * @lines: (element-type RelaySalesLine): variant and freeform lines, in order
 * @taxed: whether @lines carry tax types (the account was known)
 * @notes: (nullable): what the warehouse and the accountant read on the order
 *
 * The sales order an order becomes, before any service's JSON: built by
 * relay_mapping_build_sales_order(), written out by the destination
 * (relay_tradegecko_sales_order_to_json()).
 */
typedef struct
{
  RelayOrder              *source;
  char                    *order_number;
  char                    *reference_number;
  char                    *issued_at;
  char                    *email;
  char                    *phone;
  RelayTaxInterpretation   tax_treatment;
  char                    *currency;
  gboolean                 draft;
  gboolean                 test;
  char                    *source_url;
  gint64                   stock_location_id;
  gint64                   company_id;
  char                    *company_name;
  gint64                   shipping_address_id;
  const RelayAddress      *shipping_address;
  char                    *shipping_label;
  gint64                   billing_address_id;
  const RelayAddress      *billing_address;
  char                    *billing_label;
  GPtrArray               *lines;
  gboolean                 taxed;
  char                    *notes;
} RelaySalesOrder;

void relay_sales_order_free (RelaySalesOrder *order);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySalesOrder, relay_sales_order_free)

/**
 * RelayDelivery:
 * @id: the new sales order's id at the destination
 * @order_number: (nullable): its number there
 * @company_id: the customer it was filed under, or 0
 * @shipping_address_id: the shipping address it was filed under, or 0
 *
 * What the destination answered when a sales order was created.
 */
typedef struct
{
  gint64  id;
  char   *order_number;
  gint64  company_id;
  gint64  shipping_address_id;
} RelayDelivery;

void relay_delivery_free (RelayDelivery *delivery);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayDelivery, relay_delivery_free)

G_END_DECLS
