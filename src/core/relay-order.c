/* relay-order.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-order-private.h"

G_DEFINE_FINAL_TYPE (RelayOrder, relay_order, G_TYPE_OBJECT)

static void
address_clear (RelayAddress *address)
{
  g_clear_pointer (&address->first_name, g_free);
  g_clear_pointer (&address->last_name, g_free);
  g_clear_pointer (&address->address1, g_free);
  g_clear_pointer (&address->address2, g_free);
  g_clear_pointer (&address->city, g_free);
  g_clear_pointer (&address->state, g_free);
  g_clear_pointer (&address->country_code, g_free);
  g_clear_pointer (&address->postal_code, g_free);
  g_clear_pointer (&address->phone, g_free);
}

void
relay_label_value_free (RelayLabelValue *pair)
{
  g_free (pair->label);
  g_free (pair->value);
  g_free (pair);
}

/**
 * relay_order_line_dup_variant_label:
 * @line: an order line
 *
 * Returns: (transfer full): the line's variant as the merchant set it up,
 *   “Size: Large, Colour: Red”; empty when it has no options
 */
char *
relay_order_line_dup_variant_label (const RelayOrderLine *line)
{
  g_autoptr(GString) label = g_string_new (NULL);

  g_return_val_if_fail (line != NULL, NULL);

  for (guint i = 0; line->variant_options != NULL && i < line->variant_options->len; i++)
    {
      const RelayLabelValue *option = g_ptr_array_index (line->variant_options, i);

      /* Translators: a variant option and its value, e.g. "Size: Large" */
      g_string_append_printf (label, i == 0 ? _("%s: %s") : _(", %s: %s"), option->label, option->value);
    }
  return g_string_free (g_steal_pointer (&label), FALSE);
}

void
relay_order_line_free (RelayOrderLine *line)
{
  g_free (line->id);
  g_free (line->variant_id);
  g_free (line->sku);
  g_free (line->product_name);
  g_free (line->line_type);
  g_ptr_array_unref (line->variant_options);
  g_ptr_array_unref (line->customizations);
  g_free (line);
}

static void
shipping_line_free (RelayShippingLine *line)
{
  g_free (line->method);
  g_free (line);
}

static void
discount_line_free (RelayDiscountLine *line)
{
  g_free (line->name);
  g_free (line->promo_code);
  g_free (line);
}

static void
order_fulfillment_free (RelayOrderFulfillment *fulfillment)
{
  g_clear_pointer (&fulfillment->ship_date, g_date_time_unref);
  g_free (fulfillment->carrier_name);
  g_free (fulfillment->service);
  g_free (fulfillment->tracking_number);
  g_free (fulfillment->tracking_url);
  g_free (fulfillment);
}

static void
relay_order_finalize (GObject *object)
{
  RelayOrder *self = (RelayOrder *) object;

  g_clear_pointer (&self->json, g_free);
  g_clear_pointer (&self->squarespace_id, g_free);
  g_clear_pointer (&self->order_number, g_free);
  g_clear_pointer (&self->cust_po_no, g_free);
  g_clear_pointer (&self->cust_ref, g_free);
  g_clear_pointer (&self->created_on, g_date_time_unref);
  g_clear_pointer (&self->modified_on, g_date_time_unref);
  g_clear_pointer (&self->fulfillment_status, g_free);
  g_clear_pointer (&self->customer_email, g_free);
  g_clear_pointer (&self->customer_name, g_free);
  address_clear (&self->shipping_address);
  address_clear (&self->billing_address);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->shipping_lines, g_ptr_array_unref);
  g_clear_pointer (&self->discount_lines, g_ptr_array_unref);
  g_clear_pointer (&self->form_submission, g_ptr_array_unref);
  g_clear_pointer (&self->internal_notes, g_ptr_array_unref);
  g_clear_pointer (&self->payment_state, g_free);
  g_clear_pointer (&self->fulfillments, g_ptr_array_unref);

  G_OBJECT_CLASS (relay_order_parent_class)->finalize (object);
}

static void
relay_order_class_init (RelayOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_order_finalize;
}

static void
relay_order_init (RelayOrder *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_line_free);
  self->shipping_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) shipping_line_free);
  self->discount_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) discount_line_free);
  self->form_submission = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_label_value_free);
  self->internal_notes = g_ptr_array_new_with_free_func (g_free);
  self->fulfillments = g_ptr_array_new_with_free_func ((GDestroyNotify) order_fulfillment_free);
}

/**
 * relay_order_dup_json:
 * @self: a #RelayOrder
 *
 * Returns: (transfer full): the order exactly as Squarespace sent it, as JSON text
 */
char *
relay_order_dup_json (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);

  return g_strdup (self->json);
}

const char *
relay_order_get_squarespace_id (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->squarespace_id;
}

/**
 * relay_order_get_order_number:
 * @self: a #RelayOrder
 *
 * Returns: the customer-facing Squarespace order number (a string, e.g. `"3618"`)
 */
const char *
relay_order_get_order_number (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->order_number;
}

/**
 * relay_order_get_cust_po_no:
 * @self: a #RelayOrder
 *
 * Returns: (nullable): the full reference for the destination, once the mapping set it
 */
const char *
relay_order_get_cust_po_no (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->cust_po_no;
}

/**
 * relay_order_get_cust_ref:
 * @self: a #RelayOrder
 *
 * Returns: (nullable): the short unique reference, once the mapping set it
 */
const char *
relay_order_get_cust_ref (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->cust_ref;
}

/**
 * relay_order_set_references:
 * @self: a #RelayOrder
 * @cust_po_no: (nullable): the full reference
 * @cust_ref: (nullable): the short unique reference
 */
void
relay_order_set_references (RelayOrder *self,
                            const char *cust_po_no,
                            const char *cust_ref)
{
  g_return_if_fail (RELAY_IS_ORDER (self));

  g_free (self->cust_po_no);
  self->cust_po_no = g_strdup (cust_po_no);
  g_free (self->cust_ref);
  self->cust_ref = g_strdup (cust_ref);
}

GDateTime *
relay_order_get_created_on (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->created_on;
}

GDateTime *
relay_order_get_modified_on (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->modified_on;
}

/**
 * relay_order_get_fulfillment_status:
 * @self: a #RelayOrder
 *
 * Returns: (nullable): `PENDING`, `FULFILLED`, `CANCELED` or whatever Squarespace sent
 */
const char *
relay_order_get_fulfillment_status (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->fulfillment_status;
}

gboolean
relay_order_is_canceled (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), FALSE);
  return g_strcmp0 (self->fulfillment_status, "CANCELED") == 0;
}

gboolean
relay_order_is_fulfilled (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), FALSE);
  return g_strcmp0 (self->fulfillment_status, "FULFILLED") == 0;
}

gboolean
relay_order_get_testmode (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), FALSE);
  return self->testmode;
}

const char *
relay_order_get_customer_email (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->customer_email;
}

/**
 * relay_order_get_customer_name:
 * @self: a #RelayOrder
 *
 * Returns: (nullable): the billing name, else the shipping name
 */
const char *
relay_order_get_customer_name (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->customer_name;
}

/**
 * relay_order_get_customer_phone:
 * @self: a #RelayOrder
 *
 * Returns: (nullable): the shipping phone, else the billing phone
 */
const char *
relay_order_get_customer_phone (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->shipping_address.phone != NULL ? self->shipping_address.phone : self->billing_address.phone;
}

const RelayAddress *
relay_order_get_shipping_address (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->shipping_address;
}

const RelayAddress *
relay_order_get_billing_address (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->billing_address;
}

/**
 * relay_order_get_lines:
 * @self: a #RelayOrder
 *
 * Returns: (transfer none) (element-type RelayOrderLine): the line items
 */
GPtrArray *
relay_order_get_lines (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->lines;
}

/**
 * relay_order_get_shipping_lines:
 * @self: a #RelayOrder
 *
 * Returns: (transfer none) (element-type RelayShippingLine): the shipping options chosen
 */
GPtrArray *
relay_order_get_shipping_lines (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->shipping_lines;
}

/**
 * relay_order_get_discount_lines:
 * @self: a #RelayOrder
 *
 * Returns: (transfer none) (element-type RelayDiscountLine): the promotions redeemed
 */
GPtrArray *
relay_order_get_discount_lines (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->discount_lines;
}

/**
 * relay_order_get_internal_notes:
 * @self: a #RelayOrder
 *
 * Returns: (transfer none) (element-type utf8): the merchant's notes on the
 *   order (`internalNotes[].content`), possibly empty
 */
GPtrArray *
relay_order_get_internal_notes (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->internal_notes;
}

/**
 * relay_order_get_payment_state:
 * @self: a #RelayOrder
 *
 * Returns: (nullable): `paymentState` (`PAID`, `REFUNDED`…), %NULL on sites
 *   whose API does not send it
 */
const char *
relay_order_get_payment_state (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->payment_state;
}

/**
 * relay_order_is_paid:
 * @self: a #RelayOrder
 *
 * Returns: %TRUE if Squarespace says the buyer paid in full (`PAID`)
 */
gboolean
relay_order_is_paid (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), FALSE);
  return g_strcmp0 (self->payment_state, "PAID") == 0;
}

/**
 * relay_order_get_form_submission:
 * @self: a #RelayOrder
 *
 * Returns: (transfer none) (element-type RelayLabelValue): the checkout-form answers
 */
GPtrArray *
relay_order_get_form_submission (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->form_submission;
}

/**
 * relay_order_get_fulfillments:
 * @self: a #RelayOrder
 *
 * Returns: (transfer none) (element-type RelayOrderFulfillment): shipments already on the order
 */
GPtrArray *
relay_order_get_fulfillments (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->fulfillments;
}

/**
 * relay_order_has_tracking_number:
 * @self: a #RelayOrder
 * @tracking_number: a tracking number
 *
 * Whether Squarespace already has a shipment with this tracking number: a
 * shipment posted before a crash must not be posted twice.
 *
 * Returns: %TRUE if one of the order's fulfillments carries @tracking_number
 */
gboolean
relay_order_has_tracking_number (RelayOrder *self,
                                 const char *tracking_number)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), FALSE);
  g_return_val_if_fail (tracking_number != NULL, FALSE);

  for (guint i = 0; i < self->fulfillments->len; i++)
    {
      RelayOrderFulfillment *fulfillment = g_ptr_array_index (self->fulfillments, i);

      if (g_strcmp0 (fulfillment->tracking_number, tracking_number) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
relay_order_has_physical_lines (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), FALSE);

  for (guint i = 0; i < self->lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (self->lines, i);

      if (line->is_physical)
        return TRUE;
    }

  return FALSE;
}

/**
 * relay_order_get_item_count:
 * @self: a #RelayOrder
 *
 * Returns: the number of items ordered (the sum of the line quantities)
 */
guint
relay_order_get_item_count (RelayOrder *self)
{
  guint64 count = 0;

  g_return_val_if_fail (RELAY_IS_ORDER (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    count += ((RelayOrderLine *) g_ptr_array_index (self->lines, i))->quantity;

  return (guint) MIN (count, G_MAXUINT);
}

const char *
relay_order_get_currency (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return self->grand_total.currency;
}

const RelayMoney *
relay_order_get_subtotal (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->subtotal;
}

const RelayMoney *
relay_order_get_shipping_total (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->shipping_total;
}

const RelayMoney *
relay_order_get_discount_total (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->discount_total;
}

const RelayMoney *
relay_order_get_tax_total (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->tax_total;
}

const RelayMoney *
relay_order_get_refunded_total (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->refunded_total;
}

const RelayMoney *
relay_order_get_grand_total (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), NULL);
  return &self->grand_total;
}

RelayTaxInterpretation
relay_order_get_tax_interpretation (RelayOrder *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER (self), RELAY_TAX_UNKNOWN);
  return self->tax_interpretation;
}

/**
 * relay_address_is_empty:
 * @address: an address
 *
 * Returns: %TRUE if the address has no street, city or postal code
 */
gboolean
relay_address_is_empty (const RelayAddress *address)
{
  g_return_val_if_fail (address != NULL, TRUE);

  return address->address1 == NULL && address->address2 == NULL &&
         address->city == NULL && address->postal_code == NULL;
}

gboolean
relay_address_equal (const RelayAddress *a,
                     const RelayAddress *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->first_name, b->first_name) == 0 &&
         g_strcmp0 (a->last_name, b->last_name) == 0 &&
         g_strcmp0 (a->address1, b->address1) == 0 &&
         g_strcmp0 (a->address2, b->address2) == 0 &&
         g_strcmp0 (a->city, b->city) == 0 &&
         g_strcmp0 (a->state, b->state) == 0 &&
         g_strcmp0 (a->country_code, b->country_code) == 0 &&
         g_strcmp0 (a->postal_code, b->postal_code) == 0 &&
         g_strcmp0 (a->phone, b->phone) == 0;
}

/**
 * relay_address_dup_name:
 * @address: an address
 *
 * Returns: (transfer full) (nullable): "first last", or %NULL when both are empty
 */
char *
relay_address_dup_name (const RelayAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  if (address->first_name != NULL && address->last_name != NULL)
    return g_strdup_printf ("%s %s", address->first_name, address->last_name);

  return g_strdup (address->first_name != NULL ? address->first_name : address->last_name);
}

/**
 * relay_parse_iso8601:
 * @text: an ISO 8601 time
 *
 * A lenient ISO 8601 parser for what the APIs send: milliseconds
 * (`2016-12-23T15:58:07.187Z`), offsets (`+00:00`), times without seconds
 * (`2020-04-22T22:18+00:00`, seen in Squarespace webhooks) and plain dates.
 * A time without a zone is taken as UTC.
 *
 * Returns: (transfer full) (nullable): the time, or %NULL if @text is not a time
 */
GDateTime *
relay_parse_iso8601 (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *fixed = NULL;
  const char *t;
  GDateTime *parsed;

  g_return_val_if_fail (text != NULL, NULL);

  if ((parsed = g_date_time_new_from_iso8601 (text, utc)) != NULL)
    return parsed;

  t = strchr (text, 'T');
  if (t == NULL)
    t = strchr (text, ' ');

  if (t == NULL && strlen (text) == 10)
    {
      /* A date alone: midnight UTC. */
      fixed = g_strconcat (text, "T00:00:00Z", NULL);
    }
  else if (t != NULL && strlen (t) >= 6 && g_ascii_isdigit (t[1]) && g_ascii_isdigit (t[2]) &&
           t[3] == ':' && g_ascii_isdigit (t[4]) && g_ascii_isdigit (t[5]) &&
           (t[6] == '\0' || t[6] == 'Z' || t[6] == '+' || t[6] == '-'))
    {
      /* hh:mm without seconds. */
      gsize head = (gsize) (t - text) + 6;
      fixed = g_strdup_printf ("%.*sT%.5s:00%s", (int) (t - text), text, t + 1, text + head);
    }
  else
    {
      return NULL;
    }

  return g_date_time_new_from_iso8601 (fixed, utc);
}

/**
 * relay_resolved_line_new:
 * @line_id: the Squarespace line item id
 * @store_sku: (nullable): the Squarespace SKU
 * @tradegecko_sku: (nullable): the TradeGecko SKU looked up
 * @variant_id: the TradeGecko variant id, or 0
 * @quantity: how many
 * @status: the outcome of the look-up
 *
 * Returns: (transfer full): a new #RelayResolvedLine
 */
RelayResolvedLine *
relay_resolved_line_new (const char      *line_id,
                         const char      *store_sku,
                         const char      *tradegecko_sku,
                         gint64           variant_id,
                         gint64           quantity,
                         RelayLineStatus  status)
{
  RelayResolvedLine *line = g_new0 (RelayResolvedLine, 1);

  line->line_id = g_strdup (line_id);
  line->store_sku = g_strdup (store_sku);
  line->tradegecko_sku = g_strdup (tradegecko_sku);
  line->variant_id = variant_id;
  line->quantity = quantity;
  line->status = status;

  return line;
}

void
relay_resolved_line_free (RelayResolvedLine *line)
{
  if (line == NULL)
    return;

  g_free (line->line_id);
  g_free (line->store_sku);
  g_free (line->tradegecko_sku);
  g_free (line);
}
