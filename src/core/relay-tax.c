/* relay-tax.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-tax.h"

/* How a sales order's tax and total come out in TradeGecko, so that they
 * equal what the buyer paid in Squarespace.
 *
 * TradeGecko documents the inputs (tradegecko-api.md §7.2, §7.3, §9): a unit
 * `price`, a `quantity`, a `tax_type_id` whose `effective_rate` applies, a
 * `tax_rate_override` percentage, and the order's `tax_treatment`. It does not
 * document the arithmetic. We take the one its invoices show and the sandbox
 * implements: per line, net = quantity × price; exclusive: tax = net × rate,
 * total = net + tax; inclusive: tax = net × rate / (100 + rate), total = net;
 * each line's tax rounded half away from zero to the currency's precision; the
 * order total is the sum of the line totals.
 *
 * Squarespace gives one `taxTotal` per order, not a rate per line
 * (squarespace-api.md §2.3). The rate it works out to picks the tax type (the
 * merchant's mapping, else the default); when the type's own rate does not
 * give the same tax, the lines carry Squarespace's rate as
 * `tax_rate_override`, and any cent left over from rounding goes on a
 * `rounding` line (a documented line type) so the totals agree exactly. */

#define PERCENT (100 * 10000)

RelayAccountFacts *
relay_account_facts_new (void)
{
  RelayAccountFacts *facts = g_new0 (RelayAccountFacts, 1);

  facts->currencies = g_ptr_array_new_with_free_func (g_free);
  facts->tax_types = g_ptr_array_new_with_free_func (g_free);
  return facts;
}

static void
tax_type_clear (RelayTaxType *type)
{
  g_clear_pointer (&type->name, g_free);
}

void
relay_account_facts_free (RelayAccountFacts *facts)
{
  if (facts == NULL)
    return;

  for (guint i = 0; i < facts->tax_types->len; i++)
    tax_type_clear (g_ptr_array_index (facts->tax_types, i));
  g_ptr_array_unref (facts->tax_types);
  g_ptr_array_unref (facts->currencies);
  g_free (facts->time_zone);
  g_free (facts);
}

/**
 * relay_account_facts_copy:
 * @facts: an account's facts
 *
 * Returns: (transfer full): a deep copy
 */
RelayAccountFacts *
relay_account_facts_copy (const RelayAccountFacts *facts)
{
  RelayAccountFacts *copy;

  g_return_val_if_fail (facts != NULL, NULL);

  copy = relay_account_facts_new ();
  copy->time_zone = g_strdup (facts->time_zone);
  copy->default_tax_type_id = facts->default_tax_type_id;
  copy->primary_location_id = facts->primary_location_id;
  for (guint i = 0; i < facts->currencies->len; i++)
    g_ptr_array_add (copy->currencies, g_strdup (g_ptr_array_index (facts->currencies, i)));
  for (guint i = 0; i < facts->tax_types->len; i++)
    {
      const RelayTaxType *type = g_ptr_array_index (facts->tax_types, i);

      relay_account_facts_add_tax_type (copy, type->id, type->name, type->rate);
    }
  return copy;
}

/**
 * relay_account_facts_has_currency:
 * @facts: an account's facts
 * @currency: an ISO 4217 code
 *
 * Returns: %TRUE if the account has @currency (`GET /currencies`)
 */
gboolean
relay_account_facts_has_currency (const RelayAccountFacts *facts,
                                  const char              *currency)
{
  g_return_val_if_fail (facts != NULL, FALSE);

  for (guint i = 0; currency != NULL && i < facts->currencies->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (facts->currencies, i), currency) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * relay_account_facts_find_tax_type:
 * @facts: an account's facts
 * @id: a tax type id
 *
 * Returns: (nullable) (transfer none): the account's tax type @id
 */
const RelayTaxType *
relay_account_facts_find_tax_type (const RelayAccountFacts *facts,
                                   gint64                   id)
{
  g_return_val_if_fail (facts != NULL, NULL);

  for (guint i = 0; i < facts->tax_types->len; i++)
    {
      const RelayTaxType *type = g_ptr_array_index (facts->tax_types, i);

      if (type->id == id)
        return type;
    }
  return NULL;
}

void
relay_account_facts_add_tax_type (RelayAccountFacts *facts,
                                  gint64             id,
                                  const char        *name,
                                  gint64             rate)
{
  RelayTaxType *type = g_new0 (RelayTaxType, 1);

  g_return_if_fail (facts != NULL);

  type->id = id;
  type->name = g_strdup (name);
  type->rate = rate;
  g_ptr_array_add (facts->tax_types, type);
}

/**
 * relay_tax_settings_load:
 * @tax: (out caller-allocates): the settings to fill
 * @settings: the application's settings (`tax-type-id`, `tax-shipping`,
 *   `tax-rate-types`)
 *
 * Free with relay_tax_settings_clear(). Rates that are not percentages and
 * type ids that are not positive are left out.
 */
void
relay_tax_settings_load (RelayTaxSettings *tax,
                         GSettings        *settings)
{
  g_autoptr(GVariant) map = NULL;
  GVariantIter iter;
  const char *rate_text;
  gint64 type_id;

  g_return_if_fail (tax != NULL && G_IS_SETTINGS (settings));

  map = g_settings_get_value (settings, "tax-rate-types");
  tax->default_tax_type_id = g_settings_get_int64 (settings, "tax-type-id");
  tax->tax_shipping = g_settings_get_boolean (settings, "tax-shipping");
  tax->rate_types = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&sx}", &rate_text, &type_id))
    {
      gint64 rate;

      if (type_id > 0 && relay_decimal_parse (rate_text, RELAY_TAX_RATE_EXPONENT, &rate, NULL) && rate >= 0)
        g_hash_table_insert (tax->rate_types, g_memdup2 (&rate, sizeof rate), g_memdup2 (&type_id, sizeof type_id));
    }
}

void
relay_tax_settings_clear (RelayTaxSettings *tax)
{
  g_return_if_fail (tax != NULL);
  g_clear_pointer (&tax->rate_types, g_hash_table_unref);
}

RelaySalesLine *
relay_sales_line_new (RelaySalesLineKind  kind,
                      const char         *label,
                      int                 source_index,
                      gint64              quantity,
                      gint64              unit_price,
                      gboolean            taxed)
{
  RelaySalesLine *line = g_new0 (RelaySalesLine, 1);

  line->kind = kind;
  line->label = g_strdup (label);
  line->source_index = source_index;
  line->quantity = quantity;
  line->unit_price = unit_price;
  line->taxed = taxed;
  return line;
}

void
relay_sales_line_free (RelaySalesLine *line)
{
  if (line == NULL)
    return;
  g_free (line->label);
  g_free (line);
}

void
relay_tax_plan_free (RelayTaxPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->lines, g_ptr_array_unref);
  tax_type_clear (&plan->tax_type);
  g_free (plan->rule);
  g_free (plan);
}

/**
 * relay_tax_round_div:
 * @numerator: any
 * @denominator: positive
 *
 * Returns: @numerator / @denominator rounded half away from zero
 */
gint64
relay_tax_round_div (gint64 numerator,
                     gint64 denominator)
{
  g_return_val_if_fail (denominator > 0, 0);

  if (numerator >= 0)
    return (numerator + denominator / 2) / denominator;
  return -((-numerator + denominator / 2) / denominator);
}

/**
 * relay_tax_compute_line:
 * @net: quantity × unit price, minor units
 * @rate: the tax rate, ten-thousandths of a percent
 * @inclusive: whether @net includes the tax
 * @tax: (out): the line's tax
 * @total: (out): what the line adds to the order total
 *
 * One line as TradeGecko computes it (see the top of this file).
 */
void
relay_tax_compute_line (gint64    net,
                        gint64    rate,
                        gboolean  inclusive,
                        gint64   *tax,
                        gint64   *total)
{
  if (inclusive)
    {
      *tax = relay_tax_round_div (net * rate, PERCENT + rate);
      *total = net;
    }
  else
    {
      *tax = relay_tax_round_div (net * rate, PERCENT);
      *total = net + *tax;
    }
}

static gint64
tax_at_rate (GPtrArray *lines,
             gint64     rate,
             gboolean   inclusive)
{
  gint64 sum = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      RelaySalesLine *line = g_ptr_array_index (lines, i);
      gint64 tax, total;

      if (!line->taxed)
        continue;
      relay_tax_compute_line (line->quantity * line->unit_price, rate, inclusive, &tax, &total);
      sum += tax;
    }
  return sum;
}

/* The rate Squarespace's tax total works out to over the taxed lines. */
static gint64
squarespace_rate (GPtrArray *lines,
                  gint64     tax,
                  gboolean   inclusive)
{
  gint64 base = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      RelaySalesLine *line = g_ptr_array_index (lines, i);

      if (line->taxed)
        base += line->quantity * line->unit_price;
    }
  if (inclusive)
    base -= tax;
  if (tax == 0 || base <= 0)
    return 0;
  return relay_tax_round_div (tax * PERCENT, base);
}

static guint
count_taxed (GPtrArray *lines)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    n += ((RelaySalesLine *) g_ptr_array_index (lines, i))->taxed ? 1 : 0;
  return n;
}

/* A mapped rate "explains" the tax when TradeGecko, computing at that rate,
 * lands within the rounding Squarespace may have done (half a minor unit per
 * taxed line); the closest one wins. */
static gint64
mapped_tax_type (GPtrArray              *lines,
                 gint64                  tax,
                 gboolean                inclusive,
                 const RelayTaxSettings *settings,
                 gint64                 *out_rate)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 best_id = 0, best_gap = G_MAXINT64;
  gint64 slack = (count_taxed (lines) + 1) / 2;

  if (settings == NULL || settings->rate_types == NULL)
    return 0;

  g_hash_table_iter_init (&iter, settings->rate_types);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 rate = *(gint64 *) key;
      gint64 gap = ABS (tax_at_rate (lines, rate, inclusive) - tax);

      if (gap <= slack && (gap < best_gap || (gap == best_gap && *(gint64 *) value < best_id)))
        {
          best_gap = gap;
          best_id = *(gint64 *) value;
          *out_rate = rate;
        }
    }
  return best_id;
}

/**
 * relay_tax_format_rate:
 * @rate: a rate in ten-thousandths of a percent
 *
 * Returns: (transfer full): the percentage without trailing zeros: `8.875`, `20`
 */
char *
relay_tax_format_rate (gint64 rate)
{
  g_autofree char *text = relay_decimal_format (rate, RELAY_TAX_RATE_EXPONENT);
  char *end = text + strlen (text) - 1;

  /* 20.0000 → 20, 8.8750 → 8.875 */
  while (end > text && *end == '0')
    *end-- = '\0';
  if (end > text && *end == '.')
    *end = '\0';
  return g_steal_pointer (&text);
}

static gboolean
choose_tax_type (RelayTaxPlan            *plan,
                 gint64                   tax,
                 const RelayAccountFacts *facts,
                 const RelayTaxSettings  *settings,
                 GError                 **error)
{
  const RelayTaxType *type;
  gint64 mapped_rate = 0;
  gint64 id = mapped_tax_type (plan->lines, tax, plan->inclusive, settings, &mapped_rate);

  if (id != 0)
    {
      g_autofree char *rate = relay_tax_format_rate (mapped_rate);

      plan->rule = g_strdup_printf (_("tax mapping %s %%"), rate);
    }
  else if (settings != NULL && settings->default_tax_type_id > 0)
    {
      id = settings->default_tax_type_id;
      plan->rule = g_strdup (_("default tax type"));
    }
  else
    {
      id = facts->default_tax_type_id;
      plan->rule = g_strdup (_("TradeGecko’s default tax type"));
    }

  if (id <= 0)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                           _("No TradeGecko tax type is chosen for sales orders; choose a default tax type in Preferences, then retry the order"));
      return FALSE;
    }
  type = relay_account_facts_find_tax_type (facts, id);
  if (type == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("TradeGecko has no active tax type number %s (used by the %s); choose another in Preferences, then retry the order"),
                   number, plan->rule);
      return FALSE;
    }

  plan->tax_type.id = type->id;
  plan->tax_type.name = g_strdup (type->name);
  plan->tax_type.rate = type->rate;
  return TRUE;
}

/**
 * relay_tax_plan_new:
 * @lines: (transfer container) (element-type RelaySalesLine): the lines to
 *   send, with kind, quantity, unit price and whether each is taxed
 * @inclusive: whether prices include tax
 * @tax_total: Squarespace's `taxTotal`
 * @grand_total: Squarespace's `grandTotal`
 * @facts: the destination account
 * @settings: (nullable): the tax settings
 * @error: return location for a #GError
 *
 * Chooses each line's tax type and rate so that TradeGecko computes the
 * order's tax and total as Squarespace charged them, adding a `rounding` line
 * for a cent TradeGecko's per-line rounding would lose.
 *
 * Returns: (transfer full): the plan, or %NULL with %RELAY_ERROR_REJECTED when
 *   no tax type can be used or the totals cannot be made to agree
 */
RelayTaxPlan *
relay_tax_plan_new (GPtrArray               *lines,
                    gboolean                 inclusive,
                    const RelayMoney        *tax_total,
                    const RelayMoney        *grand_total,
                    const RelayAccountFacts *facts,
                    const RelayTaxSettings  *settings,
                    GError                 **error)
{
  g_autoptr(RelayTaxPlan) plan = g_new0 (RelayTaxPlan, 1);
  gint64 tax = tax_total->minor;
  gint64 total = 0, computed_tax = 0, difference;
  gboolean override;

  g_return_val_if_fail (lines != NULL && facts != NULL, NULL);

  plan->lines = lines;
  plan->inclusive = inclusive;
  plan->squarespace_total = *grand_total;
  plan->squarespace_tax = *tax_total;
  plan->squarespace_rate = squarespace_rate (lines, tax, inclusive);

  if (!choose_tax_type (plan, tax, facts, settings, error))
    return NULL;

  /* The type's own rate is used when it gives Squarespace's tax to the cent. */
  override = tax_at_rate (lines, plan->tax_type.rate, inclusive) != tax;

  for (guint i = 0; i < lines->len; i++)
    {
      RelaySalesLine *line = g_ptr_array_index (lines, i);
      gint64 rate;

      line->tax_type_id = plan->tax_type.id;
      if (line->taxed)
        {
          line->has_rate_override = override;
          line->rate_override = plan->squarespace_rate;
        }
      else
        {
          line->has_rate_override = plan->tax_type.rate != 0;
          line->rate_override = 0;
        }
      rate = line->has_rate_override ? line->rate_override : plan->tax_type.rate;
      relay_tax_compute_line (line->quantity * line->unit_price, rate, inclusive, &line->tax, &line->total);
      total += line->total;
      computed_tax += line->tax;
    }

  /* Anything beyond a minor unit per line is not rounding but a misreading
   * of the order: refuse rather than hide it in a rounding line. */
  difference = grand_total->minor - total;
  if (ABS (difference) > (gint64) lines->len + 1)
    {
      RelayMoney ours, theirs = *grand_total;
      g_autofree char *ours_text = NULL;
      g_autofree char *theirs_text = NULL;

      relay_money_init (&ours, total, grand_total->currency);
      ours_text = relay_money_format_display (&ours);
      theirs_text = relay_money_format_display (&theirs);
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("TradeGecko would total %s where Squarespace charged %s; check the order’s tax and discounts"),
                   ours_text, theirs_text);
      return NULL;
    }
  if (difference != 0)
    {
      RelaySalesLine *rounding = relay_sales_line_new (RELAY_SALES_LINE_ROUNDING, _("Rounding"), -1, 1, difference, FALSE);

      rounding->tax_type_id = plan->tax_type.id;
      rounding->has_rate_override = plan->tax_type.rate != 0;
      rounding->total = difference;
      g_ptr_array_add (lines, rounding);
      total += difference;
    }

  relay_money_init (&plan->tradegecko_total, total, grand_total->currency);
  relay_money_init (&plan->tradegecko_tax, computed_tax, grand_total->currency);
  return g_steal_pointer (&plan);
}
