/* test-order.c — the canonical order read from Squarespace's JSON
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-order.h"
#include "relay-order-rules.h"
#include "relay-squarespace.h"

static JsonObject *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_time (GDateTime  *time,
             const char *expected)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");

  g_assert_cmpstr (text, ==, expected);
}

static void
test_full_order (void)
{
  g_autoptr(JsonObject) object = load_fixture ("order-full.json");
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  const RelayAddress *shipping;
  const RelayAddress *billing;
  RelayOrderLine *line;
  RelayLabelValue *pair;
  RelayShippingLine *shipping_line;
  RelayDiscountLine *discount;
  RelayOrderFulfillment *fulfillment;

  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);

  g_assert_cmpstr (relay_order_get_squarespace_id (order), ==, "600f3782be34535f39c6e6f9");
  g_assert_cmpstr (relay_order_get_order_number (order), ==, "3618");
  g_assert_null (relay_order_get_cust_po_no (order));
  g_assert_null (relay_order_get_cust_ref (order));
  assert_time (relay_order_get_created_on (order), "2021-01-25T21:26:26.134000Z");
  assert_time (relay_order_get_modified_on (order), "2021-02-18T21:06:44.121000Z");
  g_assert_cmpstr (relay_order_get_fulfillment_status (order), ==, "PENDING");
  g_assert_false (relay_order_is_canceled (order));
  g_assert_false (relay_order_get_testmode (order));
  g_assert_cmpstr (relay_order_get_customer_email (order), ==, "buyer@example.com");
  /* The billing name is empty, so the recipient's name stands in. */
  g_assert_cmpstr (relay_order_get_customer_name (order), ==, "Ann Lee");
  g_assert_cmpstr (relay_order_get_customer_phone (order), ==, "5550000000");

  shipping = relay_order_get_shipping_address (order);
  g_assert_cmpstr (shipping->address1, ==, "1 Main St");
  g_assert_null (shipping->address2);
  g_assert_cmpstr (shipping->postal_code, ==, "62701");
  billing = relay_order_get_billing_address (order);
  g_assert_null (billing->first_name);   /* "" is stored as NULL */
  g_assert_null (billing->phone);
  g_assert_cmpstr (billing->country_code, ==, "US");
  g_assert_true (relay_address_is_empty (billing));
  g_assert_false (relay_address_equal (shipping, billing));

  g_assert_cmpuint (relay_order_get_lines (order)->len, ==, 2);
  line = g_ptr_array_index (relay_order_get_lines (order), 0);
  g_assert_cmpstr (line->id, ==, "600f36dfddc0071b7122a725");
  g_assert_cmpstr (line->sku, ==, "SQ2700585");
  g_assert_cmpstr (line->product_name, ==, "Classic Black");
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price.minor, ==, 1400);
  g_assert_cmpstr (line->unit_price.currency, ==, "USD");
  g_assert_true (line->is_physical);
  g_assert_cmpuint (line->variant_options->len, ==, 1);
  pair = g_ptr_array_index (line->variant_options, 0);
  g_assert_cmpstr (pair->label, ==, "Size");
  g_assert_cmpstr (pair->value, ==, "Large");
  pair = g_ptr_array_index (line->customizations, 0);
  g_assert_cmpstr (pair->label, ==, "Engraving");
  g_assert_cmpstr (pair->value, ==, "A.L.");

  line = g_ptr_array_index (relay_order_get_lines (order), 1);
  g_assert_null (line->sku);
  g_assert_false (line->is_physical);
  g_assert_cmpuint (line->variant_options->len, ==, 0);
  g_assert_true (relay_order_has_physical_lines (order));
  g_assert_cmpuint (relay_order_get_item_count (order), ==, 3);

  shipping_line = g_ptr_array_index (relay_order_get_shipping_lines (order), 0);
  g_assert_cmpstr (shipping_line->method, ==, "Flat Rate");
  g_assert_cmpint (shipping_line->amount.minor, ==, 500);
  discount = g_ptr_array_index (relay_order_get_discount_lines (order), 0);
  g_assert_cmpstr (discount->name, ==, "Fall Sale");
  g_assert_cmpstr (discount->promo_code, ==, "FALLSALE");
  g_assert_cmpint (discount->amount.minor, ==, 100);
  pair = g_ptr_array_index (relay_order_get_form_submission (order), 0);
  g_assert_cmpstr (pair->label, ==, "How did you hear about us?");

  fulfillment = g_ptr_array_index (relay_order_get_fulfillments (order), 0);
  g_assert_cmpstr (fulfillment->carrier_name, ==, "USPS");
  g_assert_null (fulfillment->service);
  g_assert_nonnull (fulfillment->ship_date);
  g_assert_true (relay_order_has_tracking_number (order, "9400100000000000000001"));
  g_assert_false (relay_order_has_tracking_number (order, "9400100000000000000002"));

  g_assert_cmpint (relay_order_get_subtotal (order)->minor, ==, 2800);
  g_assert_cmpint (relay_order_get_shipping_total (order)->minor, ==, 500);
  g_assert_cmpint (relay_order_get_discount_total (order)->minor, ==, 100);
  g_assert_cmpint (relay_order_get_tax_total (order)->minor, ==, 200);
  g_assert_cmpint (relay_order_get_refunded_total (order)->minor, ==, 0);
  g_assert_cmpint (relay_order_get_grand_total (order)->minor, ==, 3400);
  g_assert_cmpstr (relay_order_get_currency (order), ==, "USD");
  g_assert_cmpint (relay_order_get_tax_interpretation (order), ==, RELAY_TAX_EXCLUSIVE);
}

static void
test_null_and_empty_arrays (void)
{
  g_autoptr(JsonObject) object = load_fixture ("order-full.json");
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_null_member (object, "shippingLines");
  json_object_set_array_member (object, "discountLines", json_array_new ());
  json_object_set_null_member (object, "formSubmission");
  json_object_remove_member (object, "fulfillments");
  json_object_set_null_member (object, "shippingAddress");
  json_object_remove_member (object, "subtotal");
  json_object_set_null_member (object, "priceTaxInterpretation");

  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_order_get_shipping_lines (order)->len, ==, 0);
  g_assert_cmpuint (relay_order_get_discount_lines (order)->len, ==, 0);
  g_assert_cmpuint (relay_order_get_form_submission (order)->len, ==, 0);
  g_assert_cmpuint (relay_order_get_fulfillments (order)->len, ==, 0);
  g_assert_true (relay_address_is_empty (relay_order_get_shipping_address (order)));
  g_assert_null (relay_order_get_customer_name (order));
  g_assert_cmpint (relay_order_get_subtotal (order)->minor, ==, 0);
  g_assert_cmpstr (relay_order_get_subtotal (order)->currency, ==, "USD");
  g_assert_cmpint (relay_order_get_tax_interpretation (order), ==, RELAY_TAX_UNKNOWN);
}

static void
test_missing_required_fields (void)
{
  const char *required[] = { "id", "orderNumber", "createdOn", "modifiedOn", "lineItems", "grandTotal" };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      for (guint as_null = 0; as_null < 2; as_null++)
        {
          g_autoptr(JsonObject) object = load_fixture ("order-full.json");
          g_autoptr(RelayOrder) order = NULL;
          g_autoptr(GError) error = NULL;

          if (as_null)
            json_object_set_null_member (object, required[i]);
          else
            json_object_remove_member (object, required[i]);

          order = relay_order_new_from_squarespace (object, &error);
          g_assert_null (order);
          g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
          g_assert_nonnull (strstr (error->message, required[i]));
        }
    }
}

static JsonObject *
first_line (JsonObject *order)
{
  return json_array_get_object_element (json_object_get_array_member (order, "lineItems"), 0);
}

static void
test_malformed_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrder) order = NULL;
  JsonObject *object;

  /* A date that is not one. */
  object = load_fixture ("order-full.json");
  json_object_set_string_member (object, "createdOn", "yesterday");
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_null (order);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "yesterday"));
  g_clear_error (&error);
  json_object_unref (object);

  /* A price that is not a decimal string. */
  object = load_fixture ("order-full.json");
  json_object_set_string_member (json_object_get_object_member (first_line (object), "unitPricePaid"),
                                 "value", "14,00");
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_null (order);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Line 1"));
  g_clear_error (&error);
  json_object_unref (object);

  /* Quantities must be positive integers. */
  object = load_fixture ("order-full.json");
  json_object_set_int_member (first_line (object), "quantity", 0);
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_null (order);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "SQ2700585"));
  g_clear_error (&error);
  json_object_unref (object);

  /* A line in another currency than the total. */
  object = load_fixture ("order-full.json");
  json_object_set_string_member (json_object_get_object_member (first_line (object), "unitPricePaid"),
                                 "currency", "EUR");
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_null (order);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "EUR"));
  g_clear_error (&error);
  json_object_unref (object);

  /* A line that is not an object. */
  object = load_fixture ("order-full.json");
  json_array_add_string_element (json_object_get_array_member (object, "lineItems"), "oops");
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_null (order);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  json_object_unref (object);
}

static void
test_lenient_dates_and_numbers (void)
{
  g_autoptr(JsonObject) object = load_fixture ("order-full.json");
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date_only = NULL;
  g_autoptr(GDateTime) offset = NULL;
  g_autofree char *formatted = NULL;

  json_object_set_string_member (object, "createdOn", "2020-04-22T22:18+00:00");
  json_object_set_string_member (object, "modifiedOn", "2020-04-23T01:02:03.5+02:00");
  json_object_set_int_member (object, "orderNumber", 1001);

  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);
  assert_time (relay_order_get_created_on (order), "2020-04-22T22:18:00.000000Z");
  assert_time (relay_order_get_modified_on (order), "2020-04-22T23:02:03.500000Z");
  g_assert_cmpstr (relay_order_get_order_number (order), ==, "1001");

  date_only = relay_parse_iso8601 ("2015-11-12");
  assert_time (date_only, "2015-11-12T00:00:00.000000Z");
  offset = relay_parse_iso8601 ("2016-12-23T15:58:07.187-05:00");
  formatted = relay_http_format_date (offset);
  g_assert_cmpstr (formatted, ==, "2016-12-23T20:58:07.187Z");
  g_assert_null (relay_parse_iso8601 ("2016-13-45T00:00:00Z"));
  g_assert_null (relay_parse_iso8601 (""));
  g_assert_null (relay_parse_iso8601 ("T12:00"));
}

/* Returns: (transfer full): the order loaded from @json, which saves as the same text */
static RelayOrder *
reload_saved_text (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrder) again = relay_order_new_from_json_string (json, &error);
  g_autofree char *json_again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (again);
  json_again = relay_order_dup_json (again);
  g_assert_cmpstr (json_again, ==, json);
  return g_steal_pointer (&again);
}

static void
test_json_is_kept (void)
{
  g_autoptr(JsonObject) object = load_fixture ("order-full.json");
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(RelayOrder) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);

  /* Changing the caller's object afterwards must not change the saved text. */
  json_object_set_string_member (object, "customerEmail", "changed@example.com");

  json = relay_order_dup_json (order);
  g_assert_nonnull (strstr (json, "\"somethingNew\""));
  g_assert_nonnull (strstr (json, "buyer@example.com"));
  g_assert_null (strstr (json, "changed@example.com"));

  again = reload_saved_text (json);
  g_assert_cmpstr (relay_order_get_squarespace_id (again), ==, "600f3782be34535f39c6e6f9");
  g_assert_cmpuint (relay_order_get_lines (again)->len, ==, 2);

  g_assert_null (relay_order_new_from_json_string ("{not json", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_null (relay_order_new_from_json_string ("[1, 2]", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

/* Regression: a number such as 1e22 was saved through json_to_string() as
 * `1e+22.0`, which is not JSON: the order could never be loaded again. */
static void
test_exponent_round_trips (void)
{
  g_autoptr(JsonObject) object = load_fixture ("order-full.json");
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(RelayOrder) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *legacy = NULL;
  g_autoptr(RelayOrder) legacy_order = NULL;
  JsonNode *node;

  json_object_set_double_member (object, "huge", 1e22);
  json_object_set_double_member (object, "tiny", 2.5e-300);
  json_object_set_double_member (object, "whole", 3.0);
  json_object_set_string_member (object, "text", "1e+22.0 \"quoted\" \\ \n\x01");
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);

  json = relay_order_dup_json (order);
  again = reload_saved_text (json);

  {
    g_autoptr(JsonNode) root = json_from_string (json, &error);

    g_assert_no_error (error);
    node = json_object_get_member (json_node_get_object (root), "huge");
    g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
    g_assert_cmpfloat (json_node_get_double (node), ==, 1e22);
    node = json_object_get_member (json_node_get_object (root), "whole");
    g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "text"), ==,
                     "1e+22.0 \"quoted\" \\ \n\x01");
  }

  /* What older versions saved loads again (the text inside strings is left alone). */
  legacy = g_strdup_printf ("{\"legacy\": 1e+22.0, \"also\": -2E-7.0, %s", strchr (json, '{') + 1);
  legacy_order = relay_order_new_from_json_string (legacy, &error);
  g_assert_no_error (error);
  g_assert_nonnull (legacy_order);
}

/* Regression: any quantity was believed (2^63−1 was forwarded to TradeGecko). */
static void
test_quantity_bounds (void)
{
  const gint64 quantities[] = { 0, -3, RELAY_ORDER_MAX_QUANTITY + 1, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (quantities); i++)
    {
      g_autoptr(JsonObject) object = load_fixture ("order-full.json");
      JsonArray *lines = json_object_get_array_member (object, "lineItems");
      g_autoptr(GError) error = NULL;

      json_object_set_int_member (json_array_get_object_element (lines, 0), "quantity", quantities[i]);
      g_assert_null (relay_order_new_from_squarespace (object, &error));
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
      g_assert_nonnull (strstr (error->message, "quantity"));
    }
}

static void
test_digital_and_canceled (void)
{
  g_autoptr(JsonObject) object = load_fixture ("order-full.json");
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *lines = json_object_get_array_member (object, "lineItems");
  RelayOrderLine *line;

  /* A physical product whose SKU is missing is still physical (and will be rejected later). */
  json_object_set_null_member (json_array_get_object_element (lines, 0), "sku");
  json_object_set_string_member (object, "fulfillmentStatus", "CANCELED");
  json_object_set_boolean_member (object, "testmode", TRUE);

  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);
  line = g_ptr_array_index (relay_order_get_lines (order), 0);
  g_assert_null (line->sku);
  g_assert_true (line->is_physical);
  g_assert_true (relay_order_is_canceled (order));
  g_assert_true (relay_order_get_testmode (order));

  json_array_remove_element (lines, 0);
  g_clear_object (&order);
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);
  g_assert_false (relay_order_has_physical_lines (order));
}

/* An order as the rules see it: fulfillment status, e-mail, one line. */
/* An order with @n_lines identical lines of @quantity × @sku. */
static RelayOrder *
rules_order_lines (const char *status,
                   const char *email,
                   const char *sku,
                   guint       quantity,
                   guint       n_lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *json = NULL;
  RelayOrder *order;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (lines,
                            "%s{\"id\": \"line-%u\", \"sku\": \"%s\", \"productName\": \"Mug\", \"quantity\": %u,"
                            "   \"unitPricePaid\": {\"value\": \"14.00\", \"currency\": \"USD\"},"
                            "   \"lineItemType\": \"PHYSICAL_PRODUCT\"}",
                            i > 0 ? ", " : "", i, sku, quantity);
  json = g_strdup_printf (
    "{\"id\": \"sq-1\", \"orderNumber\": \"1001\", \"createdOn\": \"2026-03-01T10:00:00.000Z\","
    " \"modifiedOn\": \"2026-03-01T10:00:00.000Z\", \"testmode\": false,"
    " \"customerEmail\": \"%s\", \"fulfillmentStatus\": \"%s\","
    " \"billingAddress\": {\"firstName\": \"Ann\", \"lastName\": \"Buyer\"},"
    " \"shippingAddress\": {\"firstName\": \"Ann\", \"lastName\": \"Buyer\", \"address1\": \"1 Main St\","
    "   \"city\": \"Springfield\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"lineItems\": [%s],"
    " \"grandTotal\": {\"value\": \"28.00\", \"currency\": \"USD\"}}",
    email, status, lines->str);
  order = relay_order_new_from_json_string (json, &error);

  g_assert_no_error (error);
  return order;
}

static RelayOrder *
rules_order (const char *status,
             const char *email,
             const char *sku,
             guint       quantity)
{
  return rules_order_lines (status, email, sku, quantity, 1);
}

static void
test_rules_first_stage (void)
{
  g_autoptr(RelayOrder) pending = rules_order ("PENDING", "ann@example.com", "MUG", 2);
  g_autoptr(RelayOrder) fulfilled = rules_order ("FULFILLED", "ann@example.com", "MUG", 2);
  g_autoptr(RelayOrder) canceled = rules_order ("CANCELED", "ann@example.com", "MUG", 2);
  const char *reason = "unset";

  g_assert_cmpint (relay_order_rules_first_stage (pending, NULL, &reason), ==, RELAY_STAGE_NEW);
  g_assert_null (reason);

  g_assert_cmpint (relay_order_rules_first_stage (pending, "Test order", &reason), ==, RELAY_STAGE_SKIPPED);
  g_assert_cmpstr (reason, ==, "Test order");

  g_assert_cmpint (relay_order_rules_first_stage (fulfilled, NULL, &reason), ==, RELAY_STAGE_SKIPPED);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "Test order");

  /* A cancellation wins over a skip reason: the merchant must see it canceled. */
  g_assert_cmpint (relay_order_rules_first_stage (canceled, "Test order", &reason), ==, RELAY_STAGE_CANCELED);
  g_assert_cmpstr (reason, !=, "Test order");
}

static void
test_rules_describe_changes (void)
{
  g_autoptr(RelayOrder) before = rules_order ("PENDING", "ann@example.com", "MUG", 2);
  g_autoptr(RelayOrder) same = rules_order ("PENDING", "ann@example.com", "MUG", 2);
  g_autoptr(RelayOrder) email = rules_order ("PENDING", "ann@example.org", "MUG", 2);
  g_autoptr(RelayOrder) quantity = rules_order ("PENDING", "ann@example.com", "MUG", 3);
  g_autoptr(RelayOrder) both = rules_order ("FULFILLED", "ann@example.org", "CUP", 2);
  g_autofree char *none = relay_order_rules_describe_changes (before, same);
  g_autofree char *first = relay_order_rules_describe_changes (NULL, same);
  g_autofree char *one = relay_order_rules_describe_changes (before, email);
  g_autofree char *items = relay_order_rules_describe_changes (before, quantity);
  g_autofree char *three = relay_order_rules_describe_changes (before, both);

  g_assert_null (none);
  g_assert_nonnull (first);
  g_assert_nonnull (one);
  g_assert_nonnull (items);
  g_assert_cmpstr (one, !=, items);
  /* Three changes (status, e-mail, items) name each of them. */
  g_assert_nonnull (three);
  g_assert_nonnull (strstr (three, one));
  g_assert_nonnull (strstr (three, items));
  g_assert_cmpstr (three, !=, one);
  /* … each as a whole sentence of its own (issue 11: no fragments joined). */
  g_assert_true (g_str_has_suffix (one, "."));
  g_assert_true (g_str_has_suffix (items, "."));
  g_assert_true (g_str_has_prefix (three, "The fulfillment status changed. "));
}

/* A different number of lines is told with the count, in the plural that fits it. */
static void
test_rules_describe_line_count (void)
{
  g_autoptr(RelayOrder) one_line = rules_order_lines ("PENDING", "ann@example.com", "MUG", 2, 1);
  g_autoptr(RelayOrder) two_lines = rules_order_lines ("PENDING", "ann@example.com", "MUG", 2, 2);
  g_autofree char *grew = relay_order_rules_describe_changes (one_line, two_lines);
  g_autofree char *shrank = relay_order_rules_describe_changes (two_lines, one_line);

  g_assert_cmpstr (grew, ==, "The order now has 2 item lines.");
  g_assert_cmpstr (shrank, ==, "The order now has 1 item line.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/order/full", test_full_order);
  g_test_add_func ("/order/rules/first-stage", test_rules_first_stage);
  g_test_add_func ("/order/rules/describe-changes", test_rules_describe_changes);
  g_test_add_func ("/order/rules/describe-line-count", test_rules_describe_line_count);
  g_test_add_func ("/order/null-and-empty-arrays", test_null_and_empty_arrays);
  g_test_add_func ("/order/missing-required-fields", test_missing_required_fields);
  g_test_add_func ("/order/malformed-values", test_malformed_values);
  g_test_add_func ("/order/lenient-dates-and-numbers", test_lenient_dates_and_numbers);
  g_test_add_func ("/order/json-is-kept", test_json_is_kept);
  g_test_add_func ("/order/exponent-round-trips", test_exponent_round_trips);
  g_test_add_func ("/order/quantity-bounds", test_quantity_bounds);
  g_test_add_func ("/order/digital-and-canceled", test_digital_and_canceled);

  return g_test_run ();
}
