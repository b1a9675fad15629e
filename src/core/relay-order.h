/* relay-order.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-money.h"

G_BEGIN_DECLS

/* The most of one item an order line may ask for; more is a malformed order. */
#define RELAY_ORDER_MAX_QUANTITY G_GINT64_CONSTANT (1000000)

/**
 * RelayAddress:
 *
 * A postal address as Squarespace gives it. Every field may be %NULL: empty
 * strings are stored as %NULL so callers have one case to check.
 */
typedef struct
{
  char *first_name;
  char *last_name;
  char *address1;
  char *address2;
  char *city;
  char *state;
  char *country_code;
  char *postal_code;
  char *phone;
} RelayAddress;

/**
 * RelayLabelValue:
 *
 * One answer: a variant option (`Size` / `Large`), a product customization or
 * a checkout-form answer.
 */
typedef struct
{
  char *label;
  char *value;
} RelayLabelValue;

/**
 * RelayOrderLine:
 * @sku: (nullable): the store SKU; %NULL for digital products
 * @is_physical: whether the line is something to ship; a line without SKU whose
 *   type is not `PHYSICAL_PRODUCT` is digital, and a service line never is
 * @is_service: a service product (`lineItemType` `SERVICE` or
 *   `SERVICE_PRODUCT`): sold and taxed but not stock, even with a SKU
 * @variant_options: (element-type RelayLabelValue): may be empty
 * @customizations: (element-type RelayLabelValue): may be empty
 */
typedef struct
{
  char       *id;
  char       *variant_id;
  char       *sku;
  char       *product_name;
  char       *line_type;
  gint64      quantity;
  RelayMoney  unit_price;
  gboolean    is_physical;
  gboolean    is_service;
  GPtrArray  *variant_options;
  GPtrArray  *customizations;
} RelayOrderLine;

char *relay_order_line_dup_variant_label (const RelayOrderLine *line);

typedef struct
{
  char       *method;
  RelayMoney  amount;
} RelayShippingLine;

typedef struct
{
  char       *name;
  char       *promo_code;
  RelayMoney  amount;
} RelayDiscountLine;

/**
 * RelayOrderFulfillment:
 *
 * A shipment already recorded on the Squarespace order.
 */
typedef struct
{
  GDateTime *ship_date;
  char      *carrier_name;
  char      *service;
  char      *tracking_number;
  char      *tracking_url;
} RelayOrderFulfillment;

typedef enum
{
  RELAY_TAX_EXCLUSIVE,
  RELAY_TAX_INCLUSIVE,
  RELAY_TAX_UNKNOWN,
} RelayTaxInterpretation;

/**
 * RelayLineStatus:
 * @RELAY_LINE_RESOLVED: matched to exactly one active TradeGecko variant
 * @RELAY_LINE_DIGITAL: nothing to ship; not sent
 * @RELAY_LINE_NO_SKU: a physical line without a SKU
 * @RELAY_LINE_UNKNOWN_SKU: no active TradeGecko variant has the SKU
 * @RELAY_LINE_AMBIGUOUS_SKU: several active TradeGecko variants have the SKU
 * @RELAY_LINE_SERVICE: a service: sent as a freeform line, never as stock
 */
typedef enum
{
  RELAY_LINE_RESOLVED,
  RELAY_LINE_DIGITAL,
  RELAY_LINE_NO_SKU,
  RELAY_LINE_UNKNOWN_SKU,
  RELAY_LINE_AMBIGUOUS_SKU,
  RELAY_LINE_SERVICE,
} RelayLineStatus;

typedef enum
{
  RELAY_MATCH_SKU,
  RELAY_MATCH_SKU_ALIAS,
  RELAY_MATCH_VARIANT_ALIAS,
} RelayMatchRule;

/**
 * RelayResolvedLine:
 * @line_id: the Squarespace line item id
 * @store_sku: (nullable): the SKU in Squarespace
 * @tradegecko_sku: (nullable): the SKU looked up in TradeGecko (after aliases)
 * @variant_id: the TradeGecko variant id, 0 unless @status is %RELAY_LINE_RESOLVED
 * @quantity: how many were ordered
 * @status: the outcome of the look-up
 * @rule: which rule matched: a variant alias, a SKU alias or the SKU itself
 *
 * A Squarespace line and what it became in TradeGecko.
 */
typedef struct
{
  char            *line_id;
  char            *store_sku;
  char            *tradegecko_sku;
  gint64           variant_id;
  gint64           quantity;
  RelayLineStatus  status;
  RelayMatchRule   rule;
} RelayResolvedLine;

RelayResolvedLine *relay_resolved_line_new  (const char        *line_id,
                                             const char        *store_sku,
                                             const char        *tradegecko_sku,
                                             gint64             variant_id,
                                             gint64             quantity,
                                             RelayLineStatus    status);
void               relay_resolved_line_free (RelayResolvedLine *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayResolvedLine, relay_resolved_line_free)

#define RELAY_TYPE_ORDER (relay_order_get_type ())

G_DECLARE_FINAL_TYPE (RelayOrder, relay_order, RELAY, ORDER, GObject)

RelayOrder          *relay_order_new_from_json_string   (const char   *json,
                                                         GError      **error);
char                *relay_order_dup_json               (RelayOrder   *self);

const char          *relay_order_get_squarespace_id     (RelayOrder   *self);
const char          *relay_order_get_order_number       (RelayOrder   *self);
const char          *relay_order_get_cust_po_no         (RelayOrder   *self);
const char          *relay_order_get_cust_ref           (RelayOrder   *self);
void                 relay_order_set_references         (RelayOrder   *self,
                                                         const char   *cust_po_no,
                                                         const char   *cust_ref);
GDateTime           *relay_order_get_created_on         (RelayOrder   *self);
GDateTime           *relay_order_get_modified_on        (RelayOrder   *self);
const char          *relay_order_get_fulfillment_status (RelayOrder   *self);
gboolean             relay_order_is_canceled            (RelayOrder   *self);
gboolean             relay_order_is_fulfilled           (RelayOrder   *self);
gboolean             relay_order_get_testmode           (RelayOrder   *self);
const char          *relay_order_get_customer_email     (RelayOrder   *self);
const char          *relay_order_get_customer_name      (RelayOrder   *self);
const char          *relay_order_get_customer_phone     (RelayOrder   *self);
const RelayAddress  *relay_order_get_shipping_address   (RelayOrder   *self);
const RelayAddress  *relay_order_get_billing_address    (RelayOrder   *self);
GPtrArray           *relay_order_get_lines              (RelayOrder   *self);
GPtrArray           *relay_order_get_shipping_lines     (RelayOrder   *self);
GPtrArray           *relay_order_get_discount_lines     (RelayOrder   *self);
GPtrArray           *relay_order_get_form_submission    (RelayOrder   *self);
GPtrArray           *relay_order_get_internal_notes     (RelayOrder   *self);
const char          *relay_order_get_payment_state      (RelayOrder   *self);
gboolean             relay_order_is_paid                (RelayOrder   *self);
GPtrArray           *relay_order_get_fulfillments       (RelayOrder   *self);
gboolean             relay_order_has_tracking_number    (RelayOrder   *self,
                                                         const char   *tracking_number);
gboolean             relay_order_has_physical_lines     (RelayOrder   *self);
guint                relay_order_get_item_count         (RelayOrder   *self);
const char          *relay_order_get_currency           (RelayOrder   *self);
const RelayMoney    *relay_order_get_subtotal           (RelayOrder   *self);
const RelayMoney    *relay_order_get_shipping_total     (RelayOrder   *self);
const RelayMoney    *relay_order_get_discount_total     (RelayOrder   *self);
const RelayMoney    *relay_order_get_tax_total          (RelayOrder   *self);
const RelayMoney    *relay_order_get_refunded_total     (RelayOrder   *self);
const RelayMoney    *relay_order_get_grand_total        (RelayOrder   *self);
RelayTaxInterpretation relay_order_get_tax_interpretation (RelayOrder *self);

gboolean             relay_address_is_empty             (const RelayAddress *address);
gboolean             relay_address_equal                (const RelayAddress *a,
                                                         const RelayAddress *b);
char                *relay_address_dup_name             (const RelayAddress *address);

GDateTime           *relay_parse_iso8601                (const char   *text);

G_END_DECLS
