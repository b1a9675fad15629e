/* relay-mapping.c — SKU resolution and the sales order
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-mapping.h"

/* The rules that turn a Squarespace order into a TradeGecko sales order, on
 * domain types only: the clients read and write the services' JSON. Pure
 * functions of their input. The short reference is in
 * relay-mapping-reference.c, shipments in relay-mapping-shipment.c. */

/* ------------------------------------------------------------------------ */
/* SKU resolution                                                            */

/* The TradeGecko SKU a line asks for: an alias of its Squarespace variant
 * first (Squarespace SKUs need not be unique, squarespace-api.md §8 item 11),
 * then an alias of its SKU, then the SKU itself. */
static const char *
lookup_sku (GHashTable           *aliases,
            const RelayOrderLine *line,
            RelayMatchRule       *rule)
{
  const char *alias = NULL;

  *rule = RELAY_MATCH_SKU;
  if (aliases == NULL)
    return line->sku;

  if (line->variant_id != NULL)
    {
      g_autofree char *key = g_strconcat (RELAY_ALIAS_VARIANT_PREFIX, line->variant_id, NULL);

      alias = g_hash_table_lookup (aliases, key);
      if (alias != NULL)
        {
          *rule = RELAY_MATCH_VARIANT_ALIAS;
          return alias;
        }
    }
  alias = line->sku != NULL ? g_hash_table_lookup (aliases, line->sku) : NULL;
  if (alias != NULL)
    {
      *rule = RELAY_MATCH_SKU_ALIAS;
      return alias;
    }
  return line->sku;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * relay_mapping_dup_needed_skus:
 * @order: an order
 * @aliases: (nullable) (element-type utf8 utf8): store SKU → TradeGecko SKU
 *
 * Returns: (transfer full): the distinct TradeGecko SKUs the order's physical
 *   lines need, sorted, for one batched `GET /variants?sku[]=…`
 */
char **
relay_mapping_dup_needed_skus (RelayOrder *order,
                               GHashTable *aliases)
{
  g_autoptr(GPtrArray) skus = g_ptr_array_new ();
  GPtrArray *lines;

  g_return_val_if_fail (RELAY_IS_ORDER (order), NULL);

  lines = relay_order_get_lines (order);
  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      const char *sku;
      RelayMatchRule rule;
      gboolean seen = FALSE;

      if (!line->is_physical)
        continue;
      sku = lookup_sku (aliases, line, &rule);
      if (sku == NULL)
        continue;
      for (guint j = 0; j < skus->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (skus, j), sku) == 0;
      if (!seen)
        g_ptr_array_add (skus, g_strdup (sku));
    }

  g_ptr_array_sort (skus, compare_strings);
  g_ptr_array_add (skus, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&skus), FALSE);
}

void
relay_resolution_free (RelayResolution *resolution)
{
  if (resolution == NULL)
    return;

  g_clear_object (&resolution->order);
  g_clear_pointer (&resolution->lines, g_ptr_array_unref);
  g_free (resolution->rejection);
  g_free (resolution);
}

static void
append_unique (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    {
      if (strcmp (g_ptr_array_index (names, i), name) == 0)
        return;
    }
  g_ptr_array_add (names, (gpointer) name);
}

static char *
join_names (GPtrArray *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (names, i));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * relay_mapping_resolve_lines:
 * @order: an order
 * @aliases: (nullable) (element-type utf8 utf8): store SKU → TradeGecko SKU
 * @variants: (nullable) (element-type RelayVariant): the variants found for the needed SKUs
 * @error: return location for a #GError
 *
 * Matches every physical line to exactly one **active** variant whose SKU
 * equals the line's SKU (after the alias) byte for byte. Digital lines are
 * left out. The result's @rejection names the SKUs that are unknown,
 * ambiguous (several active variants) or missing on a physical line.
 *
 * Returns: (transfer full): the resolution, or %NULL with
 *   %RELAY_ERROR_MALFORMED_RESPONSE when a matching variant has no id
 */
RelayResolution *
relay_mapping_resolve_lines (RelayOrder  *order,
                             GHashTable  *aliases,
                             GPtrArray   *variants,
                             GError     **error)
{
  g_autoptr(RelayResolution) resolution = g_new0 (RelayResolution, 1);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
  g_autoptr(GPtrArray) ambiguous = g_ptr_array_new ();
  g_autoptr(GPtrArray) no_sku = g_ptr_array_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *lines;
  gboolean physical = FALSE;

  g_return_val_if_fail (RELAY_IS_ORDER (order), NULL);

  resolution->order = g_object_ref (order);
  resolution->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);

  lines = relay_order_get_lines (order);
  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      const char *wanted;
      gint64 variant_id = 0;
      guint matches = 0;
      RelayLineStatus status;
      RelayMatchRule rule;
      RelayResolvedLine *resolved;

      if (line->is_service)
        {
          g_ptr_array_add (resolution->lines,
                           relay_resolved_line_new (line->id, line->sku, NULL, 0, line->quantity, RELAY_LINE_SERVICE));
          continue;
        }
      if (!line->is_physical)
        {
          g_ptr_array_add (resolution->lines,
                           relay_resolved_line_new (line->id, NULL, NULL, 0, line->quantity, RELAY_LINE_DIGITAL));
          continue;
        }
      physical = TRUE;

      wanted = lookup_sku (aliases, line, &rule);
      if (wanted == NULL)
        {
          append_unique (no_sku, line->product_name != NULL ? line->product_name : line->id);
          g_ptr_array_add (resolution->lines,
                           relay_resolved_line_new (line->id, NULL, NULL, 0, line->quantity, RELAY_LINE_NO_SKU));
          continue;
        }

      for (guint j = 0; variants != NULL && j < variants->len; j++)
        {
          const RelayVariant *variant = g_ptr_array_index (variants, j);

          if (g_strcmp0 (variant->sku, wanted) != 0 || !variant->active)
            continue;
          if (variant->id <= 0)
            {
              g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("TradeGecko sent variant %s without a valid id"), wanted);
              return NULL;
            }
          /* The same variant twice in a batched answer is still one variant. */
          if (matches == 0 || variant->id != variant_id)
            matches++;
          variant_id = variant->id;
        }

      if (matches == 1)
        status = RELAY_LINE_RESOLVED;
      else if (matches == 0)
        {
          status = RELAY_LINE_UNKNOWN_SKU;
          variant_id = 0;
          append_unique (unknown, wanted);
        }
      else
        {
          status = RELAY_LINE_AMBIGUOUS_SKU;
          variant_id = 0;
          append_unique (ambiguous, wanted);
        }

      resolved = relay_resolved_line_new (line->id, line->sku, wanted, variant_id, line->quantity, status);
      resolved->rule = rule;
      g_ptr_array_add (resolution->lines, resolved);
    }

  if (unknown->len > 0)
    {
      g_autofree char *names = join_names (unknown);
      g_ptr_array_add (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "TradeGecko has no active item with SKU %s",
                                                              "TradeGecko has no active items with SKUs %s",
                                                              unknown->len), names));
    }
  if (ambiguous->len > 0)
    {
      g_autofree char *names = join_names (ambiguous);
      g_ptr_array_add (reasons, g_strdup_printf (_("Several active TradeGecko items share the SKU %s"), names));
    }
  if (no_sku->len > 0)
    {
      g_autofree char *names = join_names (no_sku);
      g_ptr_array_add (reasons, g_strdup_printf (_("No SKU in Squarespace for %s"), names));
    }
  if (reasons->len > 0)
    {
      g_ptr_array_add (reasons, NULL);
      resolution->rejection = g_strjoinv ("; ", (char **) reasons->pdata);
    }

  resolution->nothing_to_ship = !physical;
  return g_steal_pointer (&resolution);
}

/* ------------------------------------------------------------------------ */
/* Sales order                                                               */

static char *
non_empty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static void
append_pairs (GString    *notes,
              GPtrArray  *pairs)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      RelayLabelValue *pair = g_ptr_array_index (pairs, i);

      g_string_append_printf (notes, "%s%s: %s", i > 0 ? "; " : "",
                              pair->label != NULL ? pair->label : "", pair->value != NULL ? pair->value : "");
    }
}

/* Notes are what the warehouse and the accountant read on the sales order:
 * the merchant's internal notes first, then each line's options and
 * customizations, then the buyer's checkout-form answers (a gift message). */
static char *
build_notes (RelayResolution *resolution)
{
  g_autoptr(GString) notes = g_string_new (NULL);
  GPtrArray *lines = relay_order_get_lines (resolution->order);
  GPtrArray *form = relay_order_get_form_submission (resolution->order);
  GPtrArray *internal = relay_order_get_internal_notes (resolution->order);

  for (guint i = 0; i < internal->len; i++)
    g_string_append_printf (notes, _("Merchant note: %s\n"), (const char *) g_ptr_array_index (internal, i));

  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      const char *name = line->product_name != NULL ? line->product_name : line->id;

      if (line->variant_options->len == 0 && line->customizations->len == 0)
        continue;

      g_string_append_printf (notes, "%s", name);
      if (line->sku != NULL)
        g_string_append_printf (notes, " (%s)", line->sku);
      g_string_append (notes, ": ");
      append_pairs (notes, line->variant_options);
      if (line->variant_options->len > 0 && line->customizations->len > 0)
        g_string_append (notes, "; ");
      append_pairs (notes, line->customizations);
      g_string_append_c (notes, '\n');
    }

  if (form->len > 0)
    {
      g_string_append (notes, _("Checkout form: "));
      append_pairs (notes, form);
      g_string_append_c (notes, '\n');
    }

  if (notes->len > 0 && notes->str[notes->len - 1] == '\n')
    g_string_truncate (notes, notes->len - 1);

  return notes->len > 0 ? g_string_free (g_steal_pointer (&notes), FALSE) : NULL;
}

static const char *
shipping_label (const RelaySalesOrderOptions *options,
                const char                   *method)
{
  const char *mapped = NULL;

  if (method != NULL && options != NULL && options->shipping_methods != NULL)
    mapped = g_hash_table_lookup (options->shipping_methods, method);

  if (mapped != NULL)
    return mapped;
  return method != NULL ? method : _("Shipping");
}

static char *
line_label (const RelayOrderLine *line,
            const char           *kind)
{
  const char *name = line->product_name != NULL ? line->product_name : line->id;

  return line->sku != NULL ? g_strdup_printf ("%s (%s, %s)", name, line->sku, kind)
                           : g_strdup_printf ("%s (%s)", name, kind);
}

/* The sales order's lines in domain terms, before tax: variant lines for
 * stock, freeform lines for the rest, so that the lines add up to what the
 * buyer paid. */
static GPtrArray *
collect_sales_lines (RelayResolution              *resolution,
                     const RelaySalesOrderOptions *options)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sales_line_free);
  RelayOrder *source = resolution->order;
  GPtrArray *lines = relay_order_get_lines (source);
  GPtrArray *shipping_lines = relay_order_get_shipping_lines (source);
  GPtrArray *discounts = relay_order_get_discount_lines (source);
  gboolean tax_shipping = options->tax == NULL || options->tax->tax_shipping;

  for (guint i = 0; i < resolution->lines->len; i++)
    {
      RelayResolvedLine *resolved = g_ptr_array_index (resolution->lines, i);
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      RelaySalesLine *sales;

      if (resolved->status == RELAY_LINE_RESOLVED)
        {
          sales = relay_sales_line_new (RELAY_SALES_LINE_PRODUCT, NULL, (int) i, line->quantity,
                                        line->unit_price.minor, TRUE);
          sales->variant_id = resolved->variant_id;
        }
      else if (resolved->status == RELAY_LINE_SERVICE || resolved->status == RELAY_LINE_DIGITAL)
        {
          g_autofree char *label = line_label (line, resolved->status == RELAY_LINE_SERVICE ? _("service")
                                                                                            : _("digital"));

          sales = relay_sales_line_new (RELAY_SALES_LINE_SERVICE, label, (int) i, line->quantity,
                                        line->unit_price.minor, TRUE);
        }
      else
        continue;
      g_ptr_array_add (out, sales);
    }

  if (shipping_lines->len > 0)
    {
      for (guint i = 0; i < shipping_lines->len; i++)
        {
          RelayShippingLine *line = g_ptr_array_index (shipping_lines, i);

          g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_SHIPPING, shipping_label (options, line->method),
                                                      -1, 1, line->amount.minor, tax_shipping));
        }
    }
  else if (relay_order_get_shipping_total (source)->minor != 0)
    g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_SHIPPING, _("Shipping"), -1, 1,
                                                relay_order_get_shipping_total (source)->minor, tax_shipping));

  /* Squarespace discounts come off before tax, so the discount line is taxed
   * (negatively) like the goods. */
  if (discounts->len > 0)
    {
      for (guint i = 0; i < discounts->len; i++)
        {
          RelayDiscountLine *line = g_ptr_array_index (discounts, i);
          const char *label = line->name != NULL ? line->name : (line->promo_code != NULL ? line->promo_code : _("Discount"));

          if (line->amount.minor != 0)
            g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_DISCOUNT, label, -1, 1,
                                                        -line->amount.minor, TRUE));
        }
    }
  else if (relay_order_get_discount_total (source)->minor != 0)
    g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_DISCOUNT, _("Discount"), -1, 1,
                                                -relay_order_get_discount_total (source)->minor, TRUE));

  return out;
}

/**
 * relay_mapping_plan_tax:
 * @resolution: a resolution without rejection
 * @options: the settings, with the account's facts
 * @error: return location for a #GError
 *
 * The sales order's lines with their tax types and rates, and TradeGecko's
 * total next to Squarespace's (relay_tax_plan_new()). Checks first that the
 * TradeGecko account has the order's currency.
 *
 * Returns: (transfer full): the plan, or %NULL with %RELAY_ERROR_REJECTED
 */
RelayTaxPlan *
relay_mapping_plan_tax (RelayResolution              *resolution,
                        const RelaySalesOrderOptions *options,
                        GError                      **error)
{
  RelayOrder *source;
  const char *currency;

  g_return_val_if_fail (resolution != NULL && RELAY_IS_ORDER (resolution->order), NULL);
  g_return_val_if_fail (options != NULL && options->account != NULL, NULL);

  source = resolution->order;
  currency = relay_order_get_currency (source);

  /* tradegecko-api.md §7.2 (currency note): an order in a currency the
   * account lacks fails; the sales guide's fix is to add the currency. */
  if (!relay_account_facts_has_currency (options->account, currency))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("TradeGecko has no %s currency; add %s under Currencies in TradeGecko, then retry the order"),
                   currency, currency);
      return NULL;
    }

  return relay_tax_plan_new (collect_sales_lines (resolution, options),
                             relay_order_get_tax_interpretation (source) == RELAY_TAX_INCLUSIVE,
                             relay_order_get_tax_total (source), relay_order_get_grand_total (source),
                             options->account, options->tax, error);
}

/**
 * relay_mapping_dup_issued_at:
 * @order: an order
 * @account: (nullable): the TradeGecko account
 *
 * Returns: (transfer full): the order's date (`YYYY-MM-DD`) in the
 *   account's time zone (tradegecko-api.md §9 `time_zone`), or in UTC when
 *   the account has none (or one GLib does not know)
 */
char *
relay_mapping_dup_issued_at (RelayOrder              *order,
                             const RelayAccountFacts *account)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (RELAY_IS_ORDER (order), NULL);

  if (account != NULL && account->time_zone != NULL)
    zone = g_time_zone_new_identifier (account->time_zone);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (relay_order_get_created_on (order), zone);
  return g_date_time_format (local, "%Y-%m-%d");
}

/**
 * relay_mapping_build_sales_order:
 * @resolution: a resolution without rejection, of an order with references
 * @options: (nullable): the customer ids and settings
 * @totals: (out) (optional) (nullable): with the account's facts, the timeline's
 *   paragraph about both totals (relay_mapping_dup_totals_summary()), from the
 *   same tax plan as the lines; %NULL without them
 * @error: return location for a #GError
 *
 * The sales order the order becomes: the variant lines, a freeform line per
 * service or digital item, per shipping option and (with a negative price)
 * per promotion, the merchant's notes, options, customizations and form
 * answers in @notes, and, with the account's facts, every line's tax type
 * (relay_mapping_plan_tax()), the date in the account's time zone and the
 * chosen stock location. Test orders become drafts tagged `test`. The
 * destination writes it out (relay_tradegecko_sales_order_to_json()).
 *
 * Returns: (transfer full): the sales order, or %NULL with %RELAY_ERROR_REJECTED when
 *   the order cannot be delivered (unresolved lines, nothing to ship, no street
 *   address for a new customer)
 */
RelaySalesOrder *
relay_mapping_build_sales_order (RelayResolution              *resolution,
                                 const RelaySalesOrderOptions *options,
                                 char                        **totals,
                                 GError                      **error)
{
  static const RelaySalesOrderOptions defaults = { 0 };
  g_autoptr(RelaySalesOrder) sales = NULL;
  g_autoptr(RelayTaxPlan) plan = NULL;
  RelayOrder *source;
  const RelayAddress *shipping;
  const RelayAddress *billing;

  g_return_val_if_fail (resolution != NULL && RELAY_IS_ORDER (resolution->order), NULL);

  if (totals != NULL)
    *totals = NULL;
  if (options == NULL)
    options = &defaults;
  source = resolution->order;

  if (resolution->rejection != NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED, resolution->rejection);
      return NULL;
    }
  if (resolution->nothing_to_ship)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("Order %s has only digital items or services; there is nothing to ship"),
                   relay_order_get_order_number (source));
      return NULL;
    }
  if (relay_order_get_cust_ref (source) == NULL || relay_order_get_cust_po_no (source) == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s has no reference yet"), relay_order_get_order_number (source));
      return NULL;
    }

  shipping = relay_order_get_shipping_address (source);
  billing = relay_order_get_billing_address (source);
  if (options->shipping_address_id == 0 && shipping->address1 == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("Order %s has no street in its shipping address"), relay_order_get_order_number (source));
      return NULL;
    }

  if (options->account != NULL)
    {
      plan = relay_mapping_plan_tax (resolution, options, error);
      if (plan == NULL)
        return NULL;
    }

  sales = g_new0 (RelaySalesOrder, 1);
  sales->source = g_object_ref (source);
  sales->order_number = g_strdup (relay_order_get_cust_ref (source));
  sales->reference_number = g_strdup (relay_order_get_cust_po_no (source));
  sales->issued_at = relay_mapping_dup_issued_at (source, options->account);
  sales->email = non_empty (relay_order_get_customer_email (source));
  sales->phone = non_empty (relay_order_get_customer_phone (source));
  /* The plan reads an order without priceTaxInterpretation as exclusive;
   * leaving it out would let the account's default decide instead. */
  sales->tax_treatment = relay_order_get_tax_interpretation (source);
  if (sales->tax_treatment == RELAY_TAX_UNKNOWN && plan != NULL)
    sales->tax_treatment = RELAY_TAX_EXCLUSIVE;
  sales->currency = g_strdup (relay_order_get_currency (source));
  sales->test = relay_order_get_testmode (source);
  sales->draft = options->draft || sales->test;
  sales->source_url = non_empty (options->source_url);
  /* Named on every order, so the warehouse is never left to chance: the
   * merchant's choice, else the account's primary location (§9). */
  if (options->stock_location_id > 0)
    sales->stock_location_id = options->stock_location_id;
  else if (options->account != NULL && options->account->primary_location_id > 0)
    sales->stock_location_id = options->account->primary_location_id;

  sales->shipping_label = g_strdup (_("Shipping"));
  sales->billing_label = g_strdup (_("Billing"));
  if (options->company_id > 0)
    {
      sales->company_id = options->company_id;
      sales->shipping_address_id = MAX (options->shipping_address_id, 0);
      if (sales->shipping_address_id == 0)
        sales->shipping_address = shipping;
      sales->billing_address_id = MAX (options->billing_address_id, 0);
    }
  else
    {
      const char *name = relay_order_get_customer_name (source);

      if (name == NULL)
        name = relay_order_get_customer_email (source);
      sales->company_name = g_strdup (name != NULL ? name : relay_order_get_cust_ref (source));
      sales->shipping_address = shipping;
      /* TradeGecko bills the shipping address unless told otherwise. */
      if (billing->address1 != NULL && !relay_address_equal (shipping, billing))
        sales->billing_address = billing;
    }

  /* The plan is worked out once per order: its lines become the sales order's. */
  if (plan != NULL && totals != NULL)
    *totals = relay_mapping_dup_totals_summary (resolution, plan);
  sales->taxed = plan != NULL;
  sales->lines = plan != NULL ? g_steal_pointer (&plan->lines) : collect_sales_lines (resolution, options);
  sales->notes = build_notes (resolution);

  return g_steal_pointer (&sales);
}

/**
 * relay_mapping_match_rule_text:
 * @rule: how a line found its TradeGecko SKU
 *
 * Returns: (transfer none): e.g. `by variant alias`, for previews
 */
const char *
relay_mapping_match_rule_text (RelayMatchRule rule)
{
  switch (rule)
    {
    case RELAY_MATCH_VARIANT_ALIAS:
      return _("by variant alias");
    case RELAY_MATCH_SKU_ALIAS:
      return _("by SKU alias");
    case RELAY_MATCH_SKU:
    default:
      return _("by SKU");
    }
}

/**
 * relay_mapping_dup_totals_summary:
 * @resolution: the resolution the plan was made from
 * @plan: a tax plan
 *
 * Returns: (transfer full): one paragraph for the order's timeline: both
 *   totals side by side, then each line's tax
 */
char *
relay_mapping_dup_totals_summary (RelayResolution    *resolution,
                                  const RelayTaxPlan *plan)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *squarespace_total = relay_money_format_display (&plan->squarespace_total);
  g_autofree char *squarespace_tax = relay_money_format_display (&plan->squarespace_tax);
  g_autofree char *tradegecko_total = relay_money_format_display (&plan->tradegecko_total);
  g_autofree char *tradegecko_tax = relay_money_format_display (&plan->tradegecko_tax);
  GPtrArray *lines = relay_order_get_lines (resolution->order);

  g_return_val_if_fail (resolution != NULL && plan != NULL, NULL);

  g_string_append_printf (text, _("Squarespace %s (tax %s) · TradeGecko %s (tax %s, %s). Tax per line:"),
                          squarespace_total, squarespace_tax, tradegecko_total, tradegecko_tax,
                          plan->tax_type.name != NULL ? plan->tax_type.name : "?");
  for (guint i = 0; i < plan->lines->len; i++)
    {
      const RelaySalesLine *line = g_ptr_array_index (plan->lines, i);
      const RelayOrderLine *source = line->source_index >= 0 && (guint) line->source_index < lines->len
                                     ? g_ptr_array_index (lines, line->source_index) : NULL;
      const char *name = source != NULL && source->product_name != NULL ? source->product_name : line->label;
      RelayMoney tax;
      g_autofree char *tax_text = NULL;

      relay_money_init (&tax, line->tax, plan->squarespace_total.currency);
      tax_text = relay_money_format_display (&tax);
      g_string_append_printf (text, "%s %s %s", i > 0 ? ";" : "", name != NULL ? name : "?", tax_text);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
