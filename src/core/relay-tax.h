/* relay-tax.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-money.h"

G_BEGIN_DECLS

/* Tax rates are percentages in ten-thousandths: 8.875 % is 88750. */
#define RELAY_TAX_RATE_EXPONENT 4

/**
 * RelayTaxType:
 * @id: the TradeGecko tax type id
 * @name: (nullable): its name, for people
 * @rate: its effective rate (ten-thousandths of a percent)
 *
 * A tax type of the destination account (`GET /tax_types`).
 */
typedef struct
{
  gint64  id;
  char   *name;
  gint64  rate;
} RelayTaxType;

/**
 * RelayAccountFacts:
 * @time_zone: (nullable): the account's time zone (e.g. `Europe/Paris`)
 * @currencies: (element-type utf8): the ISO codes the account has
 * @tax_types: (element-type RelayTaxType): its active tax types
 * @default_tax_type_id: the account's sales-order tax type, or 0
 * @primary_location_id: the warehouse TradeGecko uses when none is named, or 0
 *
 * What the destination account is set up with, read once per sync cycle
 * (tradegecko-api.md §9, §12 step 2).
 */
typedef struct
{
  char      *time_zone;
  GPtrArray *currencies;
  GPtrArray *tax_types;
  gint64     default_tax_type_id;
  gint64     primary_location_id;
} RelayAccountFacts;

RelayAccountFacts  *relay_account_facts_new            (void);
RelayAccountFacts  *relay_account_facts_copy           (const RelayAccountFacts *facts);
void                relay_account_facts_free           (RelayAccountFacts       *facts);
gboolean            relay_account_facts_has_currency   (const RelayAccountFacts *facts,
                                                        const char              *currency);
const RelayTaxType *relay_account_facts_find_tax_type  (const RelayAccountFacts *facts,
                                                        gint64                   id);
void                relay_account_facts_add_tax_type   (RelayAccountFacts       *facts,
                                                        gint64                   id,
                                                        const char              *name,
                                                        gint64                   rate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayAccountFacts, relay_account_facts_free)

/**
 * RelayTaxSettings:
 * @default_tax_type_id: the tax type chosen in setup or Preferences; 0 to use
 *   the account's sales-order default
 * @tax_shipping: whether shipping is taxed like the goods (else at 0 %)
 * @rate_types: (nullable) (element-type gint64 gint64): Squarespace rate
 *   (ten-thousandths of a percent) → TradeGecko tax type id
 */
typedef struct
{
  gint64      default_tax_type_id;
  gboolean    tax_shipping;
  GHashTable *rate_types;
} RelayTaxSettings;

void relay_tax_settings_load  (RelayTaxSettings *tax,
                               GSettings        *settings);
void relay_tax_settings_clear (RelayTaxSettings *tax);

typedef enum
{
  RELAY_SALES_LINE_PRODUCT,
  RELAY_SALES_LINE_SERVICE,
  RELAY_SALES_LINE_SHIPPING,
  RELAY_SALES_LINE_DISCOUNT,
  RELAY_SALES_LINE_ROUNDING,
} RelaySalesLineKind;

/**
 * RelaySalesLine:
 * @kind: what the line is
 * @label: (nullable): the text of a freeform line
 * @source_index: the Squarespace line it comes from, or -1
 * @variant_id: the TradeGecko variant of a product line, else 0
 * @quantity: how many
 * @unit_price: the unit price in minor units, as Squarespace charged it
 * @taxed: whether the line carries the order's tax
 * @tax_type_id: the TradeGecko tax type sent
 * @has_rate_override: whether @rate_override is sent (`tax_rate_override`)
 * @rate_override: the rate TradeGecko is told to use
 * @tax: the tax TradeGecko computes for the line (minor units)
 * @total: the amount the line adds to TradeGecko's total (minor units)
 *
 * One line of the sales order, in domain terms; the destination turns it into
 * its own JSON.
 */
typedef struct
{
  RelaySalesLineKind  kind;
  char               *label;
  int                 source_index;
  gint64              variant_id;
  gint64              quantity;
  gint64              unit_price;
  gboolean            taxed;
  gint64              tax_type_id;
  gboolean            has_rate_override;
  gint64              rate_override;
  gint64              tax;
  gint64              total;
} RelaySalesLine;

RelaySalesLine *relay_sales_line_new  (RelaySalesLineKind  kind,
                                       const char         *label,
                                       int                 source_index,
                                       gint64              quantity,
                                       gint64              unit_price,
                                       gboolean            taxed);
void            relay_sales_line_free (RelaySalesLine     *line);

/**
 * RelayTaxPlan:
 * @lines: (element-type RelaySalesLine): every line, the rounding line last
 * @inclusive: prices include tax (`tax_treatment` `inclusive`)
 * @squarespace_rate: the rate Squarespace's tax total works out to
 * @tax_type: the tax type chosen
 * @rule: how it was chosen, for the preview (`mapping 20 %`, `default`…)
 * @squarespace_total: `grandTotal`
 * @squarespace_tax: `taxTotal`
 * @tradegecko_total: the total TradeGecko computes from @lines
 * @tradegecko_tax: the tax TradeGecko computes from @lines
 */
typedef struct
{
  GPtrArray    *lines;
  gboolean      inclusive;
  gint64        squarespace_rate;
  RelayTaxType  tax_type;
  char         *rule;
  RelayMoney    squarespace_total;
  RelayMoney    squarespace_tax;
  RelayMoney    tradegecko_total;
  RelayMoney    tradegecko_tax;
} RelayTaxPlan;

void relay_tax_plan_free (RelayTaxPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayTaxPlan, relay_tax_plan_free)

RelayTaxPlan *relay_tax_plan_new          (GPtrArray               *lines,
                                           gboolean                 inclusive,
                                           const RelayMoney        *tax_total,
                                           const RelayMoney        *grand_total,
                                           const RelayAccountFacts *facts,
                                           const RelayTaxSettings  *settings,
                                           GError                 **error);

gint64        relay_tax_round_div         (gint64                   numerator,
                                           gint64                   denominator);
char         *relay_tax_format_rate       (gint64                   rate);
void          relay_tax_compute_line      (gint64                   net,
                                           gint64                   rate,
                                           gboolean                 inclusive,
                                           gint64                  *tax,
                                           gint64                  *total);

G_END_DECLS
