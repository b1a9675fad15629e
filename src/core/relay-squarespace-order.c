/* relay-squarespace-order.c — a Squarespace Order object read into RelayOrder
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-json.h"
#include "relay-order-private.h"
#include "relay-squarespace.h"

/* Squarespace's order JSON is read here and nowhere else; the order keeps the
 * text it was read from, which is also how the store saves it. */

/**
 * relay_squarespace_parse_money:
 * @money: a Squarespace Money object, `{"value": "12.00", "currency": "USD"}`
 * @out: (out): the money
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %FALSE with %RELAY_ERROR_MALFORMED_RESPONSE
 */
gboolean
relay_squarespace_parse_money (JsonObject  *money,
                               RelayMoney  *out,
                               GError     **error)
{
  JsonNode *value;
  JsonNode *currency;

  g_return_val_if_fail (out != NULL, FALSE);

  if (money == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("An amount of money is missing"));
      return FALSE;
    }

  value = json_object_get_member (money, "value");
  currency = json_object_get_member (money, "currency");

  /* A number here would already have been through a double in the JSON parser. */
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING ||
      currency == NULL || !JSON_NODE_HOLDS_VALUE (currency) || json_node_get_value_type (currency) != G_TYPE_STRING)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("An amount of money is not a decimal string with a currency code"));
      return FALSE;
    }

  return relay_money_parse (json_node_get_string (value), json_node_get_string (currency), out, error);
}

/* A string member, or %NULL when missing, null, empty or not a string: the
 * API documents every field as nullable, and "" means the same as null. */
static char *
dup_optional_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;
  const char *value;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

static JsonObject *
get_optional_object (JsonObject *object,
                     const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* %NULL for a missing or null array: both mean "none". */
static JsonArray *
get_optional_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
get_required_string (JsonObject  *object,
                     const char  *member,
                     const char  *what,
                     char       **out,
                     GError     **error)
{
  *out = dup_optional_string (object, member);
  if (*out == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The %s has no “%s”"), what, member);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_required_time (JsonObject  *object,
                   const char  *member,
                   GDateTime  **out,
                   GError     **error)
{
  g_autofree char *text = dup_optional_string (object, member);

  if (text == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The Squarespace order has no “%s”"), member);
      return FALSE;
    }

  *out = relay_parse_iso8601 (text);
  if (*out == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The Squarespace order’s “%s” is not a date: “%s”"), member, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_money (JsonObject  *object,
           const char  *member,
           const char  *currency,
           gboolean     required,
           RelayMoney  *out,
           GError     **error)
{
  JsonObject *money = get_optional_object (object, member);
  g_autoptr(GError) local_error = NULL;

  if (money == NULL)
    {
      if (required)
        {
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                       _("The Squarespace order has no “%s”"), member);
          return FALSE;
        }
      relay_money_init (out, 0, currency);
      return TRUE;
    }

  if (!relay_squarespace_parse_money (money, out, &local_error))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The Squarespace order’s “%s” is not valid: %s"), member, local_error->message);
      return FALSE;
    }

  if (currency != NULL && strcmp (out->currency, currency) != 0)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The Squarespace order mixes currencies: “%s” is in %s, the total in %s"),
                   member, out->currency, currency);
      return FALSE;
    }

  return TRUE;
}

static void
parse_address (JsonObject   *object,
               RelayAddress *address)
{
  address->first_name = dup_optional_string (object, "firstName");
  address->last_name = dup_optional_string (object, "lastName");
  address->address1 = dup_optional_string (object, "address1");
  address->address2 = dup_optional_string (object, "address2");
  address->city = dup_optional_string (object, "city");
  address->state = dup_optional_string (object, "state");
  address->country_code = dup_optional_string (object, "countryCode");
  address->postal_code = dup_optional_string (object, "postalCode");
  address->phone = dup_optional_string (object, "phone");
}

static GPtrArray *
parse_label_values (JsonObject *object,
                    const char *member,
                    const char *label_member)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_label_value_free);
  JsonArray *array = get_optional_array (object, member);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      RelayLabelValue *pair;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      pair = g_new0 (RelayLabelValue, 1);
      pair->label = dup_optional_string (json_node_get_object (node), label_member);
      pair->value = dup_optional_string (json_node_get_object (node), "value");
      if (pair->label == NULL && pair->value == NULL)
        {
          relay_label_value_free (pair);
          continue;
        }
      g_ptr_array_add (pairs, pair);
    }

  return pairs;
}

static gboolean
get_element_object (JsonArray   *array,
                    guint        index,
                    const char  *what,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("Entry %u of the Squarespace order’s %s is not an object"), index + 1, what);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
parse_line (JsonObject      *object,
            guint            index,
            const char      *currency,
            RelayOrderLine **out,
            GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  RelayOrderLine *line = g_new0 (RelayOrderLine, 1);
  JsonNode *quantity;

  line->id = dup_optional_string (object, "id");
  line->variant_id = dup_optional_string (object, "variantId");
  line->sku = dup_optional_string (object, "sku");
  line->product_name = dup_optional_string (object, "productName");
  line->line_type = dup_optional_string (object, "lineItemType");
  line->variant_options = parse_label_values (object, "variantOptions", "optionName");
  line->customizations = parse_label_values (object, "customizations", "label");
  /* Digital items come with no SKU and no type saying they are physical. The
   * documents do not list the service value of lineItemType (squarespace-api.md
   * §2.3, §10); the Products API calls the type SERVICE, so both spellings count. */
  line->is_service = g_strcmp0 (line->line_type, "SERVICE") == 0 ||
                     g_strcmp0 (line->line_type, "SERVICE_PRODUCT") == 0;
  line->is_physical = !line->is_service &&
                      (line->sku != NULL || g_strcmp0 (line->line_type, "PHYSICAL_PRODUCT") == 0);

  if (line->id == NULL)
    line->id = g_strdup_printf ("line-%u", index + 1);

  quantity = json_object_get_member (object, "quantity");
  if (quantity == NULL || !JSON_NODE_HOLDS_VALUE (quantity) ||
      json_node_get_value_type (quantity) != G_TYPE_INT64 || json_node_get_int (quantity) <= 0 ||
      json_node_get_int (quantity) > RELAY_ORDER_MAX_QUANTITY)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("Line %u (%s) of the Squarespace order has no valid quantity"),
                   index + 1, line->sku != NULL ? line->sku : (line->product_name != NULL ? line->product_name : "?"));
      relay_order_line_free (line);
      return FALSE;
    }
  line->quantity = json_node_get_int (quantity);

  if (!get_money (object, "unitPricePaid", currency, TRUE, &line->unit_price, &local_error))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("Line %u of the Squarespace order: %s"), index + 1, local_error->message);
      relay_order_line_free (line);
      return FALSE;
    }

  *out = line;
  return TRUE;
}

static gboolean
parse_order (RelayOrder  *self,
             JsonObject  *object,
             GError     **error)
{
  JsonNode *number;
  JsonObject *address;
  JsonArray *array;
  JsonNode *lines_node;
  JsonNode *testmode;
  g_autofree char *interpretation = NULL;
  const char *currency;

  if (!get_required_string (object, "id", _("Squarespace order"), &self->squarespace_id, error))
    return FALSE;

  /* Documented as a string; some schemas say integer, so take both. */
  number = json_object_get_member (object, "orderNumber");
  if (number != NULL && JSON_NODE_HOLDS_VALUE (number) && json_node_get_value_type (number) == G_TYPE_INT64)
    self->order_number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (number));
  else
    self->order_number = dup_optional_string (object, "orderNumber");
  if (self->order_number == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The Squarespace order %s has no “orderNumber”"), self->squarespace_id);
      return FALSE;
    }

  if (!get_required_time (object, "createdOn", &self->created_on, error) ||
      !get_required_time (object, "modifiedOn", &self->modified_on, error))
    return FALSE;

  if (!get_money (object, "grandTotal", NULL, TRUE, &self->grand_total, error))
    return FALSE;
  currency = self->grand_total.currency;

  if (!get_money (object, "subtotal", currency, FALSE, &self->subtotal, error) ||
      !get_money (object, "shippingTotal", currency, FALSE, &self->shipping_total, error) ||
      !get_money (object, "discountTotal", currency, FALSE, &self->discount_total, error) ||
      !get_money (object, "taxTotal", currency, FALSE, &self->tax_total, error) ||
      !get_money (object, "refundedTotal", currency, FALSE, &self->refunded_total, error))
    return FALSE;

  self->fulfillment_status = dup_optional_string (object, "fulfillmentStatus");
  testmode = json_object_get_member (object, "testmode");
  self->testmode = testmode != NULL && JSON_NODE_HOLDS_VALUE (testmode) &&
                   json_node_get_value_type (testmode) == G_TYPE_BOOLEAN &&
                   json_node_get_boolean (testmode);
  self->customer_email = dup_optional_string (object, "customerEmail");

  if ((address = get_optional_object (object, "shippingAddress")) != NULL)
    parse_address (address, &self->shipping_address);
  if ((address = get_optional_object (object, "billingAddress")) != NULL)
    parse_address (address, &self->billing_address);

  /* The order itself has no customer name: the billing name is the buyer's,
   * the shipping name the recipient's, and either may be empty. */
  self->customer_name = relay_address_dup_name (&self->billing_address);
  if (self->customer_name == NULL)
    self->customer_name = relay_address_dup_name (&self->shipping_address);

  interpretation = dup_optional_string (object, "priceTaxInterpretation");
  if (g_strcmp0 (interpretation, "EXCLUSIVE") == 0)
    self->tax_interpretation = RELAY_TAX_EXCLUSIVE;
  else if (g_strcmp0 (interpretation, "INCLUSIVE") == 0)
    self->tax_interpretation = RELAY_TAX_INCLUSIVE;
  else
    self->tax_interpretation = RELAY_TAX_UNKNOWN;

  lines_node = json_object_get_member (object, "lineItems");
  if (lines_node == NULL || !JSON_NODE_HOLDS_ARRAY (lines_node))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The Squarespace order %s has no “lineItems”"), self->order_number);
      return FALSE;
    }
  array = json_node_get_array (lines_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *element;
      RelayOrderLine *line;

      if (!get_element_object (array, i, "lineItems", &element, error) ||
          !parse_line (element, i, currency, &line, error))
        return FALSE;
      g_ptr_array_add (self->lines, line);
    }

  array = get_optional_array (object, "shippingLines");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *element;
      RelayShippingLine *line;

      if (!get_element_object (array, i, "shippingLines", &element, error))
        return FALSE;
      line = g_new0 (RelayShippingLine, 1);
      g_ptr_array_add (self->shipping_lines, line);
      line->method = dup_optional_string (element, "method");
      if (!get_money (element, "amount", currency, FALSE, &line->amount, error))
        return FALSE;
    }

  array = get_optional_array (object, "discountLines");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *element;
      RelayDiscountLine *line;

      if (!get_element_object (array, i, "discountLines", &element, error))
        return FALSE;
      line = g_new0 (RelayDiscountLine, 1);
      g_ptr_array_add (self->discount_lines, line);
      line->name = dup_optional_string (element, "name");
      if (line->name == NULL)
        line->name = dup_optional_string (element, "description");
      line->promo_code = dup_optional_string (element, "promoCode");
      if (!get_money (element, "amount", currency, FALSE, &line->amount, error))
        return FALSE;
    }

  g_ptr_array_unref (self->form_submission);
  self->form_submission = parse_label_values (object, "formSubmission", "label");

  self->payment_state = dup_optional_string (object, "paymentState");
  array = get_optional_array (object, "internalNotes");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      char *content;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      content = dup_optional_string (json_node_get_object (element), "content");
      if (content != NULL)
        g_ptr_array_add (self->internal_notes, content);
    }

  array = get_optional_array (object, "fulfillments");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *element;
      RelayOrderFulfillment *fulfillment;
      g_autofree char *ship_date = NULL;

      if (!get_element_object (array, i, "fulfillments", &element, error))
        return FALSE;
      fulfillment = g_new0 (RelayOrderFulfillment, 1);
      ship_date = dup_optional_string (element, "shipDate");
      fulfillment->ship_date = ship_date != NULL ? relay_parse_iso8601 (ship_date) : NULL;
      fulfillment->carrier_name = dup_optional_string (element, "carrierName");
      fulfillment->service = dup_optional_string (element, "service");
      fulfillment->tracking_number = dup_optional_string (element, "trackingNumber");
      fulfillment->tracking_url = dup_optional_string (element, "trackingUrl");
      g_ptr_array_add (self->fulfillments, fulfillment);
    }

  return TRUE;
}

/**
 * relay_order_new_from_squarespace:
 * @order: a Squarespace Order object (Orders API 1.0)
 * @error: return location for a #GError
 *
 * Reads the canonical order from what Squarespace sent. Unknown fields are
 * ignored but kept in the original JSON (relay_order_dup_json()).
 *
 * Returns: (transfer full): the order, or %NULL with %RELAY_ERROR_MALFORMED_RESPONSE
 *   when a required field (id, orderNumber, createdOn, modifiedOn, lineItems,
 *   grandTotal) is missing or a value is malformed
 */
RelayOrder *
relay_order_new_from_squarespace (JsonObject  *order,
                                  GError     **error)
{
  g_autoptr(RelayOrder) self = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (order != NULL, NULL);

  self = g_object_new (RELAY_TYPE_ORDER, NULL);
  if (!parse_order (self, order, error))
    return NULL;

  /* The text, not a reference: the caller may change its object afterwards.
   * Not json_to_string(): json-glib 1.6 writes 1e22 as `1e+22.0`, which could
   * never be read back, and the order would be stuck. */
  root = json_node_init_object (json_node_alloc (), order);
  self->json = relay_json_to_string (root);

  return g_steal_pointer (&self);
}

/* Orders saved before relay_json_to_string() may hold json-glib's `1e+22.0`:
 * drop the `.0` after an exponent, outside strings, so that they load again. */
static char *
repair_exponent_suffix (const char *json)
{
  GString *out = g_string_new (NULL);
  gboolean in_string = FALSE;

  for (const char *p = json; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            g_string_append_c (out, *++p);
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if ((*p == 'e' || *p == 'E') && p > json && g_ascii_isdigit (p[-1]))
        {
          while (p[1] == '+' || p[1] == '-' || g_ascii_isdigit (p[1]))
            g_string_append_c (out, *++p);
          if (p[1] == '.' && p[2] == '0' && !g_ascii_isdigit (p[3]))
            p += 2;
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * relay_order_new_from_json_string:
 * @json: the text of a Squarespace Order object, as relay_order_dup_json() returns it
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the order, or %NULL with %RELAY_ERROR_MALFORMED_RESPONSE
 */
RelayOrder *
relay_order_new_from_json_string (const char  *json,
                                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  root = relay_json_parse (json, strlen (json), &local_error);
  if (root == NULL)
    {
      g_autofree char *repaired = repair_exponent_suffix (json);

      root = relay_json_parse (repaired, strlen (repaired), NULL);
    }
  if (root == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The saved Squarespace order is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("The saved Squarespace order is not a JSON object"));
      return NULL;
    }

  return relay_order_new_from_squarespace (json_node_get_object (root), error);
}
