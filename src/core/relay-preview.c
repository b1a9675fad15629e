/* relay-preview.c — what an order would become at the destination, without sending it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-preview.h"

/*
 * The one preview of an order: the command line prints it, the wizard's test
 * step and the window's Preview show it line by line. It is built by the
 * engine (relay_sync_engine_preview_async()) from the same resolution, tax
 * plan and sales-order body a delivery uses, so what it shows is what would
 * be sent: the payload is the exact text the POST would carry.
 */

struct _RelayPreview
{
  GObject               parent_instance;

  char                 *order_id;
  char                 *order_number;
  char                 *reference;
  char                 *customer;
  gboolean              testmode;
  RelayPreviewDecision  decision;
  char                 *reason;
  GPtrArray            *lines;       /* RelayPreviewLine */
  GPtrArray            *shipping;    /* RelayPreviewCharge */
  GPtrArray            *discounts;   /* RelayPreviewCharge */
  RelayMoney            store_total;
  RelayMoney            store_tax;
  RelayTaxPlan         *plan;        /* NULL without the account's tax types */
  char                 *payload;
};

G_DEFINE_FINAL_TYPE (RelayPreview, relay_preview, G_TYPE_OBJECT)

static void
preview_line_free (RelayPreviewLine *line)
{
  g_free (line->name);
  g_free (line->store_sku);
  g_free (line->store_variant_id);
  g_free (line->variant_label);
  g_free (line->destination_sku);
  g_free (line);
}

static void
preview_charge_free (RelayPreviewCharge *charge)
{
  g_free (charge->name);
  g_free (charge->destination_name);
  g_free (charge);
}

static void
relay_preview_finalize (GObject *object)
{
  RelayPreview *self = RELAY_PREVIEW (object);

  g_free (self->order_id);
  g_free (self->order_number);
  g_free (self->reference);
  g_free (self->customer);
  g_free (self->reason);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->shipping, g_ptr_array_unref);
  g_clear_pointer (&self->discounts, g_ptr_array_unref);
  g_clear_pointer (&self->plan, relay_tax_plan_free);
  g_free (self->payload);

  G_OBJECT_CLASS (relay_preview_parent_class)->finalize (object);
}

static void
relay_preview_class_init (RelayPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_preview_finalize;
}

static void
relay_preview_init (RelayPreview *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_line_free);
  self->shipping = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_charge_free);
  self->discounts = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_charge_free);
}

static gboolean
line_status_fails (RelayLineStatus status)
{
  return status == RELAY_LINE_NO_SKU || status == RELAY_LINE_UNKNOWN_SKU || status == RELAY_LINE_AMBIGUOUS_SKU;
}

/* The tax the plan puts on the order line at @source_index. */
static gboolean
find_line_tax (const RelayTaxPlan *plan,
               guint               source_index,
               RelayMoney         *tax)
{
  for (guint i = 0; plan != NULL && i < plan->lines->len; i++)
    {
      const RelaySalesLine *line = g_ptr_array_index (plan->lines, i);

      if (line->source_index == (int) source_index)
        {
          relay_money_init (tax, line->tax, plan->squarespace_total.currency);
          return TRUE;
        }
    }
  return FALSE;
}

static void
add_lines (RelayPreview    *self,
           RelayResolution *resolution)
{
  GPtrArray *lines = relay_order_get_lines (resolution->order);

  for (guint i = 0; i < resolution->lines->len && i < lines->len; i++)
    {
      const RelayResolvedLine *resolved = g_ptr_array_index (resolution->lines, i);
      const RelayOrderLine *source = g_ptr_array_index (lines, i);
      RelayPreviewLine *line = g_new0 (RelayPreviewLine, 1);

      line->name = g_strdup (source->product_name != NULL ? source->product_name : source->id);
      line->store_sku = g_strdup (resolved->store_sku);
      line->store_variant_id = g_strdup (source->variant_id);
      line->variant_label = relay_order_line_dup_variant_label (source);
      line->destination_sku = g_strdup (resolved->tradegecko_sku);
      line->variant_id = resolved->variant_id;
      line->quantity = source->quantity;
      line->unit_price = source->unit_price;
      line->status = resolved->status;
      line->rule = resolved->rule;
      line->failing = line_status_fails (resolved->status);
      line->has_tax = find_line_tax (self->plan, i, &line->tax);
      g_ptr_array_add (self->lines, line);
    }
}

static void
add_charges (RelayPreview                 *self,
             RelayOrder                   *order,
             const RelaySalesOrderOptions *options)
{
  GPtrArray *shipping = relay_order_get_shipping_lines (order);
  GPtrArray *discounts = relay_order_get_discount_lines (order);

  for (guint i = 0; i < shipping->len; i++)
    {
      const RelayShippingLine *source = g_ptr_array_index (shipping, i);
      RelayPreviewCharge *charge = g_new0 (RelayPreviewCharge, 1);
      const char *mapped = NULL;

      if (source->method != NULL && options->shipping_methods != NULL)
        mapped = g_hash_table_lookup (options->shipping_methods, source->method);
      charge->name = g_strdup (source->method != NULL ? source->method : "");
      charge->destination_name = g_strdup (mapped != NULL ? mapped : source->method != NULL ? source->method : _("Shipping"));
      charge->amount = source->amount;
      g_ptr_array_add (self->shipping, charge);
    }
  for (guint i = 0; i < discounts->len; i++)
    {
      const RelayDiscountLine *source = g_ptr_array_index (discounts, i);
      RelayPreviewCharge *charge = g_new0 (RelayPreviewCharge, 1);

      charge->name = g_strdup (source->name != NULL ? source->name : "");
      charge->amount = source->amount;
      g_ptr_array_add (self->discounts, charge);
    }
}

static const char *
customer_label (RelayOrder *order)
{
  const char *name = relay_order_get_customer_name (order);

  if (name != NULL && *name != '\0')
    return name;
  return relay_order_get_customer_email (order);
}

/* What a sync would do, as far as the lines and the plan tell; the sales
 * order body may still refuse it (relay_preview_set_outcome()). */
static void
decide (RelayPreview                 *self,
        RelayResolution              *resolution,
        const RelaySalesOrderOptions *options,
        gboolean                      skip_test_order,
        const GError                 *plan_error)
{
  if (self->testmode && skip_test_order)
    {
      self->decision = RELAY_PREVIEW_SKIP;
      self->reason = g_strdup (_("This is a test order, and test orders are set to be skipped: it is not sent to "
                                 "TradeGecko. To try it as a draft, choose “Send as drafts” for test orders in "
                                 "Preferences."));
    }
  else if (resolution->rejection != NULL)
    {
      self->decision = RELAY_PREVIEW_WAIT;
      self->reason = g_strdup (resolution->rejection);
    }
  else if (resolution->nothing_to_ship)
    {
      self->decision = RELAY_PREVIEW_SKIP;
      self->reason = g_strdup (_("The order has only digital items or services: it is not sent to TradeGecko."));
    }
  else if (plan_error != NULL)
    {
      self->decision = RELAY_PREVIEW_WAIT;
      self->reason = g_strdup (plan_error->message);
    }
  else
    self->decision = options->draft || self->testmode ? RELAY_PREVIEW_SEND_DRAFT : RELAY_PREVIEW_SEND;
}

/**
 * relay_preview_new:
 * @resolution: the order's lines as resolved against the destination's variants
 * @options: the sales-order settings a delivery would use
 * @skip_test_order: test orders are set to be skipped
 *
 * The lines, charges, tax and decision; the engine then adds the payload or
 * the reason the body was refused with relay_preview_set_outcome().
 *
 * Returns: (transfer full): a new #RelayPreview
 */
RelayPreview *
relay_preview_new (RelayResolution              *resolution,
                   const RelaySalesOrderOptions *options,
                   gboolean                      skip_test_order)
{
  RelayPreview *self;
  RelayOrder *order;
  g_autoptr(GError) plan_error = NULL;

  g_return_val_if_fail (resolution != NULL && RELAY_IS_ORDER (resolution->order), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (RELAY_TYPE_PREVIEW, NULL);
  order = resolution->order;
  self->order_id = g_strdup (relay_order_get_squarespace_id (order));
  self->order_number = g_strdup (relay_order_get_order_number (order));
  self->reference = g_strdup (relay_order_get_cust_ref (order));
  self->customer = g_strdup (customer_label (order));
  self->testmode = relay_order_get_testmode (order);
  self->store_total = *relay_order_get_grand_total (order);
  self->store_tax = *relay_order_get_tax_total (order);

  if (options->account != NULL && resolution->rejection == NULL && !resolution->nothing_to_ship)
    self->plan = relay_mapping_plan_tax (resolution, options, &plan_error);

  add_lines (self, resolution);
  add_charges (self, order, options);
  decide (self, resolution, options, skip_test_order, plan_error);
  return self;
}

/**
 * relay_preview_set_outcome:
 * @self: a #RelayPreview
 * @payload: (nullable): the exact body a delivery would POST
 * @reason: (nullable): why the body could not be built (the order waits)
 *
 * Only for an order the lines allow to be sent.
 */
void
relay_preview_set_outcome (RelayPreview *self,
                           const char   *payload,
                           const char   *reason)
{
  g_return_if_fail (RELAY_IS_PREVIEW (self));

  g_free (self->payload);
  self->payload = g_strdup (payload);
  if (reason != NULL)
    {
      g_free (self->reason);
      self->reason = g_strdup (reason);
      self->decision = RELAY_PREVIEW_WAIT;
    }
}

/**
 * relay_preview_get_order_id:
 *
 * Returns: the order's id in the store it came from
 */
const char *
relay_preview_get_order_id (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->order_id;
}

const char *
relay_preview_get_order_number (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->order_number;
}

/**
 * relay_preview_get_reference:
 *
 * Returns: (nullable): the short reference the sales order gets (`cust_ref`)
 */
const char *
relay_preview_get_reference (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->reference;
}

/**
 * relay_preview_get_customer:
 *
 * Returns: (nullable): who placed the order, as the merchant knows them
 */
const char *
relay_preview_get_customer (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->customer;
}

gboolean
relay_preview_get_testmode (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), FALSE);
  return self->testmode;
}

RelayPreviewDecision
relay_preview_get_decision (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), RELAY_PREVIEW_WAIT);
  return self->decision;
}

/**
 * relay_preview_get_reason:
 *
 * Returns: (nullable): why the order waits or is skipped; %NULL when it is sent
 */
const char *
relay_preview_get_reason (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->reason;
}

/**
 * relay_preview_get_lines:
 *
 * Returns: (transfer none) (element-type RelayPreviewLine): one per order line, in order
 */
GPtrArray *
relay_preview_get_lines (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->lines;
}

/**
 * relay_preview_get_shipping:
 *
 * Returns: (transfer none) (element-type RelayPreviewCharge): the shipping lines
 */
GPtrArray *
relay_preview_get_shipping (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->shipping;
}

/**
 * relay_preview_get_discounts:
 *
 * Returns: (transfer none) (element-type RelayPreviewCharge): the discounts
 */
GPtrArray *
relay_preview_get_discounts (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->discounts;
}

const RelayMoney *
relay_preview_get_store_total (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return &self->store_total;
}

const RelayMoney *
relay_preview_get_store_tax (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return &self->store_tax;
}

/**
 * relay_preview_get_tax_plan:
 *
 * Returns: (nullable): the tax the destination will compute, when the
 *   account's tax types were read and the order can be sent
 */
const RelayTaxPlan *
relay_preview_get_tax_plan (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->plan;
}

/**
 * relay_preview_get_payload:
 *
 * Returns: (nullable): the exact body the delivery would POST; %NULL when
 *   the order is not sent
 */
const char *
relay_preview_get_payload (RelayPreview *self)
{
  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);
  return self->payload;
}

/**
 * relay_preview_decision_text:
 *
 * Returns: (transfer none): the decision in a few words
 */
const char *
relay_preview_decision_text (RelayPreviewDecision decision)
{
  switch (decision)
    {
    case RELAY_PREVIEW_SEND:
      return _("sent as an active sales order");
    case RELAY_PREVIEW_SEND_DRAFT:
      return _("sent as a draft");
    case RELAY_PREVIEW_SKIP:
      return _("not sent");
    case RELAY_PREVIEW_WAIT:
    default:
      return _("cannot be sent yet");
    }
}

static const char *
line_problem_text (RelayLineStatus status)
{
  switch (status)
    {
    case RELAY_LINE_DIGITAL:
      return _("digital, sent without stock");
    case RELAY_LINE_SERVICE:
      return _("service, sent without stock");
    case RELAY_LINE_NO_SKU:
      return _("NO SKU");
    case RELAY_LINE_AMBIGUOUS_SKU:
      return _("SEVERAL ITEMS WITH THIS SKU");
    case RELAY_LINE_UNKNOWN_SKU:
    case RELAY_LINE_RESOLVED:
    default:
      return _("UNKNOWN SKU");
    }
}

/**
 * relay_preview_dup_line_text:
 * @line: a line
 *
 * Returns: (transfer full): one line of text: a matched line with its
 *   variant and the rule that matched, a failing one marked with `!!` and
 *   what is wrong
 */
char *
relay_preview_dup_line_text (const RelayPreviewLine *line)
{
  g_autofree char *price = relay_money_format_display (&line->unit_price);
  g_autofree char *tax = line->has_tax ? relay_money_format_display (&line->tax) : NULL;
  g_autofree char *tax_text = tax != NULL ? g_strdup_printf (_(" · tax %s"), tax) : g_strdup ("");
  g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);

  /* Numbers are formatted first: xgettext cuts a msgid at G_GINT64_FORMAT.
   * The SKU a merchant knows, as the window shows it; the variant id stays in --json. */
  if (line->status == RELAY_LINE_RESOLVED)
    /* Translators: quantity × product [the TradeGecko SKU matched, the rule that matched] @ price, then the tax */
    return g_strdup_printf (_("   %s × %s [TradeGecko SKU %s, %s] @ %s%s"), quantity, line->name, line->destination_sku,
                            relay_mapping_match_rule_text (line->rule), price, tax_text);
  return g_strdup_printf ("%s %s × %s [%s] @ %s%s — %s", line->failing ? "!!" : "  ", quantity, line->name,
                          line->destination_sku != NULL ? line->destination_sku : "-", price, tax_text,
                          line_problem_text (line->status));
}

/**
 * relay_preview_dup_totals_text:
 * @self: a #RelayPreview
 *
 * Returns: (transfer full): the store's total, and with a tax plan the
 *   destination's beside it, each with its tax
 */
char *
relay_preview_dup_totals_text (RelayPreview *self)
{
  g_autofree char *store_total = NULL;
  g_autofree char *store_tax = NULL;
  g_autofree char *destination_total = NULL;
  g_autofree char *destination_tax = NULL;

  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);

  store_total = relay_money_format_display (&self->store_total);
  store_tax = relay_money_format_display (&self->store_tax);
  if (self->plan == NULL)
    return g_strdup_printf (_("Total %s (tax %s)"), store_total, store_tax);

  destination_total = relay_money_format_display (&self->plan->tradegecko_total);
  destination_tax = relay_money_format_display (&self->plan->tradegecko_tax);
  /* Translators: both totals side by side so a difference cannot go unnoticed; then the tax type and how it was chosen */
  return g_strdup_printf (_("Squarespace total %s (tax %s) · TradeGecko total %s (tax %s; tax type %s, %s, %s)"),
                          store_total, store_tax, destination_total, destination_tax,
                          self->plan->tax_type.name != NULL ? self->plan->tax_type.name : "?", self->plan->rule,
                          self->plan->inclusive ? _("prices include tax") : _("tax added"));
}

/**
 * relay_preview_dup_text:
 * @self: a #RelayPreview
 *
 * The preview as text, for the command line: the order and the decision,
 * each line, the charges, the totals and what stops the order.
 *
 * Returns: (transfer full): the text, one item a line
 */
char *
relay_preview_dup_text (RelayPreview *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *totals = NULL;

  g_return_val_if_fail (RELAY_IS_PREVIEW (self), NULL);

  g_string_append_printf (text, _("Squarespace order %s → TradeGecko order %s: %s\n"), self->order_number,
                          self->reference != NULL ? self->reference : "?", relay_preview_decision_text (self->decision));
  if (self->testmode)
    g_string_append (text, self->decision == RELAY_PREVIEW_SKIP ? _("Test order: skipped\n")
                                                                : _("Test order: sent as a draft tagged “test”\n"));

  for (guint i = 0; i < self->lines->len; i++)
    {
      g_autofree char *line = relay_preview_dup_line_text (g_ptr_array_index (self->lines, i));

      g_string_append_printf (text, "%s\n", line);
    }
  for (guint i = 0; i < self->shipping->len; i++)
    {
      const RelayPreviewCharge *charge = g_ptr_array_index (self->shipping, i);
      g_autofree char *amount = relay_money_format_display (&charge->amount);

      g_string_append_printf (text, _("   Shipping: %s → “%s” @ %s\n"), charge->name, charge->destination_name, amount);
    }
  for (guint i = 0; i < self->discounts->len; i++)
    {
      const RelayPreviewCharge *charge = g_ptr_array_index (self->discounts, i);
      g_autofree char *amount = relay_money_format_display (&charge->amount);

      g_string_append_printf (text, _("   Discount: %s @ -%s\n"), charge->name, amount);
    }

  totals = relay_preview_dup_totals_text (self);
  g_string_append_printf (text, "%s\n", totals);
  if (self->decision == RELAY_PREVIEW_WAIT)
    g_string_append_printf (text, _("!! Cannot be sent: %s\n"), self->reason);
  else if (self->reason != NULL)
    g_string_append_printf (text, _("Not sent: %s\n"), self->reason);

  return g_string_free (g_steal_pointer (&text), FALSE);
}
