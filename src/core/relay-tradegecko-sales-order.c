/* relay-tradegecko-sales-order.c — a RelaySalesOrder as TradeGecko's `POST /orders` body
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-json.h"
#include "relay-tradegecko.h"

/* Members are written in a fixed order: the body's bytes are part of what the
 * tests pin (test-mapping's exact-bytes case). */

static void
set_optional_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
}

static JsonObject *
address_json (const RelayAddress *address,
              const char         *label,
              const char         *email)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "label", label);
  set_optional_string (object, "first_name", address->first_name);
  set_optional_string (object, "last_name", address->last_name);
  set_optional_string (object, "address1", address->address1);
  set_optional_string (object, "address2", address->address2);
  set_optional_string (object, "city", address->city);
  set_optional_string (object, "state", address->state);
  set_optional_string (object, "zip_code", address->postal_code);
  set_optional_string (object, "country_code", address->country_code);
  set_optional_string (object, "phone_number", address->phone);
  set_optional_string (object, "email", email);

  return object;
}

static const char *
line_type_of (RelaySalesLineKind kind)
{
  switch (kind)
    {
    case RELAY_SALES_LINE_SHIPPING:
      return "shipping";
    case RELAY_SALES_LINE_DISCOUNT:
      return "discount";
    case RELAY_SALES_LINE_ROUNDING:
      return "rounding";
    case RELAY_SALES_LINE_PRODUCT:
    case RELAY_SALES_LINE_SERVICE:
    default:
      return "product";
    }
}

/* One `order_line_items` entry (tradegecko-api.md §7.3): a variant line, or a
 * freeform line (`freeform`, `line_type`, `label`) for everything that is not
 * stock: services, digital items, shipping, discounts, rounding. */
static JsonObject *
sales_line_json (const RelaySalesLine *line,
                 const char           *currency,
                 gboolean              with_tax)
{
  JsonObject *object = json_object_new ();
  RelayMoney price;
  g_autofree char *text = NULL;

  relay_money_init (&price, line->unit_price, currency);
  text = relay_money_format (&price);

  if (line->kind == RELAY_SALES_LINE_PRODUCT && line->variant_id > 0)
    json_object_set_int_member (object, "variant_id", line->variant_id);
  else
    {
      json_object_set_boolean_member (object, "freeform", TRUE);
      json_object_set_string_member (object, "line_type", line_type_of (line->kind));
      json_object_set_string_member (object, "label", line->label != NULL ? line->label : "");
    }
  json_object_set_int_member (object, "quantity", line->quantity);
  json_object_set_string_member (object, "price", text);

  if (with_tax)
    {
      json_object_set_int_member (object, "tax_type_id", line->tax_type_id);
      if (line->has_rate_override)
        {
          g_autofree char *rate = relay_tax_format_rate (line->rate_override);

          json_object_set_string_member (object, "tax_rate_override", rate);
        }
    }

  return object;
}

static const char *
tax_treatment_text (RelayTaxInterpretation treatment)
{
  switch (treatment)
    {
    case RELAY_TAX_EXCLUSIVE:
      return "exclusive";
    case RELAY_TAX_INCLUSIVE:
      return "inclusive";
    case RELAY_TAX_UNKNOWN:
    default:
      return NULL;
    }
}

static void
set_customer (JsonObject            *object,
              const RelaySalesOrder *order)
{
  if (order->company_id > 0)
    json_object_set_int_member (object, "company_id", order->company_id);
  else
    {
      JsonObject *company = json_object_new ();

      json_object_set_string_member (company, "name", order->company_name != NULL ? order->company_name : "");
      json_object_set_string_member (company, "company_type", "consumer");
      set_optional_string (company, "email", order->email);
      set_optional_string (company, "phone_number", order->phone);
      json_object_set_object_member (object, "company", company);
    }

  if (order->shipping_address_id > 0)
    json_object_set_int_member (object, "shipping_address_id", order->shipping_address_id);
  else if (order->shipping_address != NULL)
    {
      /* Address labels are unique per company: a known customer's new
       * address is labelled with the order's reference. */
      g_autofree char *label = order->company_id > 0
                               ? g_strdup_printf ("%s %s", order->shipping_label, order->order_number)
                               : g_strdup (order->shipping_label);

      json_object_set_object_member (object, "shipping_address",
                                     address_json (order->shipping_address, label, order->email));
    }

  if (order->billing_address_id > 0)
    json_object_set_int_member (object, "billing_address_id", order->billing_address_id);
  else if (order->billing_address != NULL)
    json_object_set_object_member (object, "billing_address",
                                   address_json (order->billing_address, order->billing_label, order->email));
}

/**
 * relay_tradegecko_sales_order_to_json:
 * @order: a sales order (relay_mapping_build_sales_order())
 *
 * The body of `POST /orders` (tradegecko-api.md §7): `{"order": {...}}`, with
 * `tax_type_id` on every line when the order was taxed.
 *
 * Returns: (transfer full): the body
 */
JsonNode *
relay_tradegecko_sales_order_to_json (const RelaySalesOrder *order)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  const char *treatment;
  JsonArray *tags;
  JsonArray *items;

  g_return_val_if_fail (order != NULL, NULL);

  json_object_set_string_member (object, "order_number", order->order_number);
  json_object_set_string_member (object, "reference_number", order->reference_number);
  json_object_set_string_member (object, "issued_at", order->issued_at);
  set_optional_string (object, "email", order->email);
  set_optional_string (object, "phone_number", order->phone);
  treatment = tax_treatment_text (order->tax_treatment);
  if (treatment != NULL)
    json_object_set_string_member (object, "tax_treatment", treatment);
  json_object_set_string_member (object, "currency_iso", order->currency);
  json_object_set_string_member (object, "status", order->draft ? "draft" : "active");
  set_optional_string (object, "source_url", order->source_url);
  if (order->stock_location_id > 0)
    json_object_set_int_member (object, "stock_location_id", order->stock_location_id);

  tags = json_array_new ();
  json_array_add_string_element (tags, "squarespace");
  if (order->test)
    json_array_add_string_element (tags, "test");
  json_object_set_array_member (object, "tags", tags);

  set_customer (object, order);

  items = json_array_new ();
  for (guint i = 0; order->lines != NULL && i < order->lines->len; i++)
    json_array_add_object_element (items, sales_line_json (g_ptr_array_index (order->lines, i), order->currency,
                                                           order->taxed));
  json_object_set_array_member (object, "order_line_items", items);

  set_optional_string (object, "notes", order->notes);

  json_object_set_object_member (body, "order", g_steal_pointer (&object));
  return json_node_init_object (json_node_alloc (), body);
}

/**
 * relay_tradegecko_delivery_from_json:
 * @created: (nullable): the created order as TradeGecko answered it
 *
 * Returns: (transfer full) (nullable): its id, number, customer and address,
 *   or %NULL for %NULL
 */
RelayDelivery *
relay_tradegecko_delivery_from_json (JsonObject *created)
{
  RelayDelivery *delivery;

  if (created == NULL)
    return NULL;

  delivery = g_new0 (RelayDelivery, 1);
  delivery->id = relay_json_get_id (created, "id");
  delivery->order_number = g_strdup (relay_json_get_string (created, "order_number"));
  delivery->company_id = relay_json_get_id (created, "company_id");
  delivery->shipping_address_id = relay_json_get_id (created, "shipping_address_id");
  return delivery;
}
