/* test-sandbox-tradegecko.c — the sandbox behaves like the documented TradeGecko API
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contract tests written from the TradeGecko API reference (restated in docs/sandbox.md): raw HTTP,
 * status codes, bodies, headers.
 */

#include "config.h"

#include <string.h>

#include "sandbox-test-utils.h"

typedef struct
{
  RelaySandbox *sandbox;
  SoupSession  *session;
} Fixture;

static const SandboxRequestOptions token = { RELAY_SANDBOX_TRADEGECKO_TOKEN, NULL, NULL, NULL };

static const char scenario_json[] =
  "{\"tradegecko\":{"
  " \"variants\":["
  "  {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\",\"retail_price\":\"12.5\",\"stock_on_hand\":10},"
  "  {\"id\":12,\"sku\":\"BEAN-2\",\"product_name\":\"Beans\",\"name\":\"1 kg\",\"retail_price\":\"40\",\"stock_on_hand\":5},"
  "  {\"id\":13,\"sku\":\"DUP\",\"product_name\":\"Mug\",\"retail_price\":\"9\",\"stock_on_hand\":3},"
  "  {\"id\":14,\"sku\":\"DUP\",\"product_name\":\"Mug (new)\",\"retail_price\":\"9\",\"stock_on_hand\":3},"
  "  {\"id\":15,\"sku\":\"\",\"product_name\":\"Sample\",\"retail_price\":\"0\",\"stock_on_hand\":100},"
  "  {\"id\":16,\"sku\":\"OLD-1\",\"product_name\":\"Retired\",\"retail_price\":\"5\",\"status\":\"archived\"}],"
  " \"companies\":[{\"id\":21,\"name\":\"Ann Lee\",\"company_type\":\"consumer\",\"email\":\"ann@example.com\",\"company_code\":\"SQ-1\"},"
  "                {\"id\":22,\"name\":\"Roasters Ltd\",\"company_type\":\"supplier\"}],"
  " \"addresses\":[{\"id\":31,\"company_id\":21,\"label\":\"Shipping\",\"address1\":\"1 Main St\"}]}}";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scenario = sandbox_test_parse (scenario_json);

  fixture->sandbox = relay_sandbox_new ();
  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, scenario, &error));
  g_assert_no_error (error);
  g_assert_true (relay_sandbox_start (fixture->sandbox, &error));
  g_assert_no_error (error);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  relay_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

static SandboxResponse *
tg_with (Fixture                     *fixture,
         const char                  *method,
         const char                  *path,
         const SandboxRequestOptions *options,
         const char                  *body)
{
  g_autofree char *url = g_strconcat (relay_sandbox_get_tradegecko_url (fixture->sandbox), path, NULL);

  return sandbox_test_send (fixture->session, method, url, options, body);
}

static SandboxResponse *
tg (Fixture    *fixture,
    const char *method,
    const char *path,
    const char *body)
{
  return tg_with (fixture, method, path, &token, body);
}

static JsonArray *
records (SandboxResponse *response,
         const char      *key)
{
  g_assert_cmpuint (response->status, ==, 200);
  return json_object_get_array_member (sandbox_response_object (response), key);
}

static gboolean
has_error (SandboxResponse *response,
           const char      *field)
{
  JsonObject *errors;

  g_assert_cmpuint (response->status, ==, 422);
  errors = json_object_get_object_member (sandbox_response_object (response), "errors");
  return json_object_has_member (errors, field) &&
         json_array_get_length (json_object_get_array_member (errors, field)) > 0;
}

static JsonObject *
pagination_of (SandboxResponse *response)
{
  const char *header = sandbox_response_header (response, "X-Pagination");
  g_autoptr(JsonNode) node = NULL;

  g_assert_nonnull (header);
  node = sandbox_test_parse (header);
  return json_object_ref (json_node_get_object (node));
}

static void
test_auth_and_headers (Fixture       *fixture,
                       gconstpointer  data)
{
  const SandboxRequestOptions none = { NULL, NULL, NULL, NULL };
  const SandboxRequestOptions wrong = { "nope", NULL, NULL, NULL };
  g_autoptr(SandboxResponse) missing = tg_with (fixture, "GET", "/accounts/current", &none, NULL);
  g_autoptr(SandboxResponse) unknown = tg_with (fixture, "GET", "/accounts/current", &wrong, NULL);
  g_autoptr(SandboxResponse) account = tg (fixture, "GET", "/accounts/current", NULL);
  g_autoptr(SandboxResponse) user = tg (fixture, "GET", "/users/current", NULL);
  g_autoptr(SandboxResponse) currencies = tg (fixture, "GET", "/currencies", NULL);
  g_autoptr(SandboxResponse) locations = tg (fixture, "GET", "/locations", NULL);
  gint64 reset;

  g_assert_cmpuint (missing->status, ==, 401);
  g_assert_cmpuint (unknown->status, ==, 401);
  g_assert_nonnull (sandbox_response_header (missing, "X-Request-ID"));

  g_assert_cmpuint (account->status, ==, 200);
  g_assert_true (json_object_has_member (json_object_get_object_member (sandbox_response_object (account), "account"),
                                         "default_currency_id"));
  g_assert_cmpuint (user->status, ==, 200);
  g_assert_nonnull (json_object_get_object_member (sandbox_response_object (user), "user"));
  g_assert_cmpuint (json_array_get_length (records (currencies, "currencies")), >=, 1);
  g_assert_cmpuint (json_array_get_length (records (locations, "locations")), >=, 1);
  for (guint i = 0; i < json_array_get_length (records (locations, "locations")); i++)
    {
      JsonObject *location = json_array_get_object_element (records (locations, "locations"), i);

      /* §9: warehouses with a label and whether they hold stock; archived ones are not listed. */
      g_assert_nonnull (json_object_get_string_member (location, "label"));
      g_assert_true (json_object_has_member (location, "holds_stock"));
      g_assert_cmpstr (json_object_get_string_member (location, "status"), ==, "active");
    }
  g_assert_nonnull (sandbox_response_header (currencies, "X-Pagination"));

  g_assert_cmpstr (sandbox_response_header (account, "X-Rate-Limit-Limit"), ==, "300");
  g_assert_nonnull (sandbox_response_header (account, "X-Rate-Limit-Remaining"));
  g_assert_nonnull (sandbox_response_header (account, "X-Request-ID"));
  reset = g_ascii_strtoll (sandbox_response_header (account, "X-Rate-Limit-Reset"), NULL, 10);
  /* Epoch seconds, the end of a fixed window aligned to the clock. */
  g_assert_cmpint (reset % 300, ==, 0);
  g_assert_cmpint (reset, >, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpint (reset, <=, g_get_real_time () / G_USEC_PER_SEC + 300);
  g_assert_cmpstr (sandbox_response_header (account, "X-Request-ID"), !=, sandbox_response_header (user, "X-Request-ID"));
}

static void
test_variants (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SandboxResponse) all = tg (fixture, "GET", "/variants", NULL);
  g_autoptr(SandboxResponse) one = tg (fixture, "GET", "/variants?sku=BEAN-1", NULL);
  g_autoptr(SandboxResponse) many = tg (fixture, "GET", "/variants?sku[]=BEAN-1&sku[]=BEAN-2", NULL);
  g_autoptr(SandboxResponse) dup = tg (fixture, "GET", "/variants?sku=DUP", NULL);
  g_autoptr(SandboxResponse) none = tg (fixture, "GET", "/variants?sku=NOPE", NULL);
  g_autoptr(SandboxResponse) ids = tg (fixture, "GET", "/variants?ids=11,13", NULL);
  g_autoptr(SandboxResponse) ids_array = tg (fixture, "GET", "/variants?ids[]=12&ids[]=14", NULL);
  g_autoptr(SandboxResponse) archived = tg (fixture, "GET", "/variants?status=archived", NULL);
  g_autoptr(SandboxResponse) hidden = tg (fixture, "GET", "/variants?sku=OLD-1", NULL);
  g_autoptr(SandboxResponse) too_many = tg (fixture, "GET", "/variants?limit=251", NULL);
  g_autoptr(SandboxResponse) single = tg (fixture, "GET", "/variants/11", NULL);
  g_autoptr(SandboxResponse) missing = tg (fixture, "GET", "/variants/999", NULL);
  JsonObject *variant, *body;

  g_assert_cmpuint (json_array_get_length (records (all, "variants")), ==, 5);
  g_assert_cmpuint (json_array_get_length (records (one, "variants")), ==, 1);
  variant = json_array_get_object_element (records (one, "variants"), 0);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (variant, "id")), ==, G_TYPE_INT64);
  g_assert_cmpstr (json_object_get_string_member (variant, "retail_price"), ==, "12.5");
  g_assert_cmpstr (json_object_get_string_member (variant, "stock_on_hand"), ==, "10.0");
  g_assert_cmpstr (json_object_get_string_member (variant, "available_stock"), ==, "10.0");
  g_assert_cmpuint (json_array_get_length (records (many, "variants")), ==, 2);
  g_assert_cmpuint (json_array_get_length (records (dup, "variants")), ==, 2);
  g_assert_cmpuint (json_array_get_length (records (none, "variants")), ==, 0);
  g_assert_cmpuint (json_array_get_length (records (ids, "variants")), ==, 2);
  g_assert_cmpuint (json_array_get_length (records (ids_array, "variants")), ==, 2);
  g_assert_cmpuint (json_array_get_length (records (archived, "variants")), ==, 1);
  g_assert_cmpuint (json_array_get_length (records (hidden, "variants")), ==, 0);

  g_assert_cmpuint (too_many->status, ==, 400);
  body = sandbox_response_object (too_many);
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "Bad Request");
  g_assert_nonnull (json_object_get_string_member (body, "message"));

  g_assert_cmpuint (single->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sandbox_response_object (single), "variant"), "id"), ==, 11);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (missing), "type"), ==, "Not Found");
}

/* `q`: a case-insensitive substring of sku, name or product_name, with the other filters. */
static void
test_variant_search (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SandboxResponse) by_product = tg (fixture, "GET", "/variants?q=bEaN", NULL);
  g_autoptr(SandboxResponse) by_sku = tg (fixture, "GET", "/variants?q=an-2", NULL);
  g_autoptr(SandboxResponse) by_name = tg (fixture, "GET", "/variants?q=1%20KG", NULL);
  g_autoptr(SandboxResponse) none = tg (fixture, "GET", "/variants?q=zzz", NULL);
  g_autoptr(SandboxResponse) blank = tg (fixture, "GET", "/variants?q=", NULL);
  g_autoptr(SandboxResponse) archived_hidden = tg (fixture, "GET", "/variants?q=retired", NULL);
  g_autoptr(SandboxResponse) archived = tg (fixture, "GET", "/variants?q=retired&status=archived", NULL);
  g_autoptr(SandboxResponse) with_sku = tg (fixture, "GET", "/variants?q=new&sku=DUP", NULL);
  g_autoptr(SandboxResponse) paged = tg (fixture, "GET", "/variants?q=beans&limit=1&page=2", NULL);
  g_autoptr(JsonObject) pagination = pagination_of (paged);
  JsonArray *found;

  g_assert_cmpuint (json_array_get_length (records (by_product, "variants")), ==, 2);
  found = records (by_sku, "variants");
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (found, 0), "id"), ==, 12);
  found = records (by_name, "variants");
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (found, 0), "id"), ==, 12);
  g_assert_cmpuint (json_array_get_length (records (none, "variants")), ==, 0);
  g_assert_cmpuint (json_array_get_length (records (blank, "variants")), ==, 5);
  g_assert_cmpuint (json_array_get_length (records (archived_hidden, "variants")), ==, 0);
  g_assert_cmpuint (json_array_get_length (records (archived, "variants")), ==, 1);
  found = records (with_sku, "variants");
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (found, 0), "id"), ==, 14);

  /* Most recent first: page 2 of 1 is the older Beans variant. */
  found = records (paged, "variants");
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (found, 0), "id"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (pagination, "total_records"), ==, 2);
  g_assert_true (json_object_get_boolean_member (pagination, "last_page"));
}

static void
test_pagination (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SandboxResponse) first = tg (fixture, "GET", "/variants?limit=2", NULL);
  g_autoptr(SandboxResponse) last = tg (fixture, "GET", "/variants?limit=2&page=3", NULL);
  g_autoptr(SandboxResponse) beyond = tg (fixture, "GET", "/variants?limit=2&page=4", NULL);
  g_autoptr(JsonObject) p1 = pagination_of (first);
  g_autoptr(JsonObject) p3 = pagination_of (last);
  g_autoptr(JsonObject) p4 = pagination_of (beyond);

  g_assert_cmpuint (json_array_get_length (records (first, "variants")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (p1, "total_records"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (p1, "total_pages"), ==, 3);
  g_assert_true (json_object_get_boolean_member (p1, "first_page"));
  g_assert_false (json_object_get_boolean_member (p1, "last_page"));
  g_assert_false (json_object_get_boolean_member (p1, "out_of_bounds"));
  g_assert_cmpint (json_object_get_int_member (p1, "offset"), ==, 0);

  g_assert_cmpuint (json_array_get_length (records (last, "variants")), ==, 1);
  g_assert_true (json_object_get_boolean_member (p3, "last_page"));
  g_assert_cmpint (json_object_get_int_member (p3, "offset"), ==, 4);

  g_assert_cmpuint (json_array_get_length (records (beyond, "variants")), ==, 0);
  g_assert_true (json_object_get_boolean_member (p4, "out_of_bounds"));
}

static void
test_companies_and_addresses (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SandboxResponse) by_email = tg (fixture, "GET", "/companies?email=ann@example.com", NULL);
  g_autoptr(SandboxResponse) by_code = tg (fixture, "GET", "/companies?company_code=SQ-1", NULL);
  g_autoptr(SandboxResponse) suppliers = tg (fixture, "GET", "/companies?company_type=supplier", NULL);
  g_autoptr(SandboxResponse) created = tg (fixture, "POST", "/companies",
                                           "{\"company\":{\"name\":\"Zoë Ångström\",\"company_type\":\"consumer\","
                                           "\"email\":\"zoe@example.se\"}}");
  g_autoptr(SandboxResponse) no_name = tg (fixture, "POST", "/companies", "{\"company\":{\"company_type\":\"consumer\"}}");
  g_autoptr(SandboxResponse) bad_type = tg (fixture, "POST", "/companies", "{\"company\":{\"name\":\"X\",\"company_type\":\"Consumer\"}}");
  g_autoptr(SandboxResponse) unwrapped = tg (fixture, "POST", "/companies", "{\"name\":\"X\",\"company_type\":\"consumer\"}");
  g_autoptr(SandboxResponse) address = tg (fixture, "POST", "/addresses",
                                           "{\"address\":{\"company_id\":21,\"label\":\"Billing\",\"address1\":\"2 Side St\"}}");
  g_autoptr(SandboxResponse) same_label = tg (fixture, "POST", "/addresses",
                                              "{\"address\":{\"company_id\":21,\"label\":\"Shipping\",\"address1\":\"3 Other St\"}}");
  g_autoptr(SandboxResponse) no_line = tg (fixture, "POST", "/addresses", "{\"address\":{\"company_id\":21,\"label\":\"X\"}}");
  g_autoptr(SandboxResponse) no_company = tg (fixture, "POST", "/addresses", "{\"address\":{\"address1\":\"4 St\"}}");
  g_autoptr(SandboxResponse) listed = tg (fixture, "GET", "/addresses?company_id=21", NULL);
  JsonObject *company;

  g_assert_cmpuint (json_array_get_length (records (by_email, "companies")), ==, 1);
  g_assert_cmpuint (json_array_get_length (records (by_code, "companies")), ==, 1);
  g_assert_cmpuint (json_array_get_length (records (suppliers, "companies")), ==, 1);

  g_assert_cmpuint (created->status, ==, 201);
  company = json_object_get_object_member (sandbox_response_object (created), "company");
  g_assert_cmpstr (json_object_get_string_member (company, "name"), ==, "Zoë Ångström");
  g_assert_cmpint (json_object_get_int_member (company, "id"), >, 0);

  g_assert_true (has_error (no_name, "name"));
  g_assert_true (has_error (bad_type, "company_type"));
  g_assert_cmpuint (unwrapped->status, ==, 400);

  g_assert_cmpuint (address->status, ==, 201);
  g_assert_true (has_error (same_label, "label"));
  g_assert_true (has_error (no_line, "address1"));
  g_assert_true (has_error (no_company, "company_id"));
  g_assert_cmpuint (json_array_get_length (records (listed, "addresses")), ==, 2);
}

#define GOOD_ORDER(extra) \
  "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\"," extra \
  "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":11,\"quantity\":2,\"price\":\"12.5\"}," \
  "{\"tax_type_id\":1,\"freeform\":true,\"line_type\":\"shipping\",\"label\":\"Flat Rate\",\"quantity\":1,\"price\":\"5.0\"}]}}"

static void
test_order_validation (Fixture       *fixture,
                       gconstpointer  data)
{
  struct { const char *body; const char *field; } cases[] = {
    { "{\"order\":{\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\"}}", "company_id" },
    { "{\"order\":{\"company_id\":999,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\"}}", "company_id" },
    { "{\"order\":{\"company_id\":21,\"issued_at\":\"2026-03-01\"}}", "shipping_address_id" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31}}", "issued_at" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"someday\"}}", "issued_at" },
    { GOOD_ORDER ("\"status\":\"fulfilled\","), "status" },
    { GOOD_ORDER ("\"currency_iso\":\"XTS\","), "currency_iso" },
    { GOOD_ORDER ("\"stock_location_id\":99,"), "stock_location_id" },
    { "{\"order\":{\"company\":{\"name\":\"New\",\"company_type\":\"consumer\"},\"issued_at\":\"2026-03-01\"}}", "shipping_address" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":999,\"quantity\":1,\"price\":\"1\"}]}}", "order_line_items.variant_id" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":2,\"quantity\":1,\"price\":\"1\"}]}}", "order_line_items.variant_id" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":2,\"freeform\":true,\"quantity\":1,\"price\":\"1\"}]}}", "order_line_items.label" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":11,\"quantity\":1}]}}", "order_line_items.price" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":11,\"price\":\"1\"}]}}", "order_line_items.quantity" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"variant_id\":11,\"quantity\":1,\"price\":\"1\"}]}}", "order_line_items.tax_type_id" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":99,\"variant_id\":11,\"quantity\":1,\"price\":\"1\"}]}}", "order_line_items.tax_type_id" },
    { "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
      "\"order_line_items\":[{\"tax_type_id\":2,\"tax_rate_override\":\"120\",\"variant_id\":11,\"quantity\":1,\"price\":\"1\"}]}}", "order_line_items.tax_rate_override" },
  };
  g_autoptr(SandboxResponse) after = NULL;
  g_autoptr(SandboxResponse) unwrapped = tg (fixture, "POST", "/orders", "{\"company_id\":21}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SandboxResponse) response = tg (fixture, "POST", "/orders", cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      g_assert_true (has_error (response, cases[i].field));
    }
  g_assert_cmpuint (unwrapped->status, ==, 400);

  /* None of them created anything. */
  after = tg (fixture, "GET", "/orders", NULL);
  g_assert_cmpuint (json_array_get_length (records (after, "orders")), ==, 0);
}

static JsonObject *
variant (Fixture    *fixture,
         const char *id)
{
  g_autofree char *path = g_strconcat ("/variants/", id, NULL);
  g_autoptr(SandboxResponse) response = tg (fixture, "GET", path, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (json_object_get_object_member (sandbox_response_object (response), "variant"));
}

static void
test_order_create (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandboxResponse) draft = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"reference_number\":\"sq-1001\","));
  g_autoptr(SandboxResponse) active = NULL;
  g_autoptr(SandboxResponse) named = NULL;
  g_autoptr(SandboxResponse) taken = NULL;
  g_autoptr(SandboxResponse) by_reference = NULL;
  g_autoptr(SandboxResponse) by_status = NULL;
  g_autoptr(SandboxResponse) with_lines = NULL;
  g_autoptr(JsonObject) stock_before = variant (fixture, "11");
  g_autoptr(JsonObject) stock_after = NULL;
  JsonObject *order;
  g_autofree char *path = NULL;

  g_assert_cmpuint (draft->status, ==, 201);
  order = json_object_get_object_member (sandbox_response_object (draft), "order");
  g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, "SO0001");
  g_assert_cmpstr (json_object_get_string_member (order, "reference_number"), ==, "sq-1001");
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillment_status"), ==, "unshipped");
  g_assert_cmpstr (json_object_get_string_member (order, "issued_at"), ==, "2026-03-01");
  /* 25.00 at the Sales Tax type's 8.875 % (2.22) plus 5.00 shipping at the exempt type. */
  g_assert_cmpstr (json_object_get_string_member (order, "total"), ==, "32.22");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "order_line_item_ids")), ==, 2);

  /* A draft commits nothing; an active order commits its quantities. */
  g_assert_cmpstr (json_object_get_string_member (stock_before, "committed_stock"), ==, "0.0");
  active = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"status\":\"active\",\"tags\":[\"squarespace\"],\"notes\":\"Gift\","));
  g_assert_cmpuint (active->status, ==, 201);
  stock_after = variant (fixture, "11");
  g_assert_cmpstr (json_object_get_string_member (stock_after, "committed_stock"), ==, "2.0");
  g_assert_cmpstr (json_object_get_string_member (stock_after, "available_stock"), ==, "8.0");
  g_assert_cmpstr (json_object_get_string_member (stock_after, "stock_on_hand"), ==, "10.0");

  named = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"order_number\":\"SQ-1002\",\"currency_iso\":\"EUR\","));
  g_assert_cmpuint (named->status, ==, 201);
  order = json_object_get_object_member (sandbox_response_object (named), "order");
  g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, "SQ-1002");
  g_assert_cmpint (json_object_get_int_member (order, "currency_id"), ==, 2);
  /* TradeGecko refuses a repeated order number only when the account says so: off by default. */
  taken = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"order_number\":\"SQ-1002\","));
  g_assert_cmpuint (taken->status, ==, 201);

  by_reference = tg (fixture, "GET", "/orders?reference_number=sq-1001", NULL);
  g_assert_cmpuint (json_array_get_length (records (by_reference, "orders")), ==, 1);
  by_status = tg (fixture, "GET", "/orders?status=draft,active", NULL);
  g_assert_cmpuint (json_array_get_length (records (by_status, "orders")), ==, 4);

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "?include=order_line_items",
                          json_object_get_int_member (order, "id"));
  with_lines = tg (fixture, "GET", path, NULL);
  g_assert_cmpuint (with_lines->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (with_lines),
                                                                         "order_line_items")), ==, 2);
}

static void
test_order_nested (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandboxResponse) created = tg (fixture, "POST", "/orders",
    "{\"order\":{\"issued_at\":\"2026-03-01\",\"status\":\"active\","
    "\"company\":{\"name\":\"渡辺 結衣\",\"company_type\":\"consumer\"},"
    "\"shipping_address\":{\"label\":\"Shipping\",\"address1\":\"1-2-3 Shibuya\",\"country_code\":\"JP\"},"
    "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":12,\"quantity\":1,\"price\":\"40\"}]}}");
  g_autoptr(SandboxResponse) companies = NULL;
  g_autoptr(SandboxResponse) addresses = NULL;
  g_autofree char *path = NULL;
  JsonObject *order;

  g_assert_cmpuint (created->status, ==, 201);
  order = json_object_get_object_member (sandbox_response_object (created), "order");
  g_assert_cmpint (json_object_get_int_member (order, "billing_address_id"), ==,
                   json_object_get_int_member (order, "shipping_address_id"));

  companies = tg (fixture, "GET", "/companies?company_type=consumer", NULL);
  g_assert_cmpuint (json_array_get_length (records (companies, "companies")), ==, 2);
  path = g_strdup_printf ("/addresses?company_id=%" G_GINT64_FORMAT, json_object_get_int_member (order, "company_id"));
  addresses = tg (fixture, "GET", path, NULL);
  g_assert_cmpuint (json_array_get_length (records (addresses, "addresses")), ==, 1);
}

static void
test_order_idempotency (Fixture       *fixture,
                        gconstpointer  data)
{
  const SandboxRequestOptions keyed = { RELAY_SANDBOX_TRADEGECKO_TOKEN, NULL, NULL, "sqsp-600f3782be34535f39c6e6f9" };
  const SandboxRequestOptions other = { RELAY_SANDBOX_TRADEGECKO_TOKEN, NULL, NULL, "sqsp-other" };
  g_autoptr(SandboxResponse) first = tg_with (fixture, "POST", "/orders", &keyed, GOOD_ORDER ("\"status\":\"active\","));
  g_autoptr(SandboxResponse) again = tg_with (fixture, "POST", "/orders", &keyed, GOOD_ORDER ("\"status\":\"active\","));
  g_autoptr(SandboxResponse) different = tg_with (fixture, "POST", "/orders", &other, GOOD_ORDER ("\"status\":\"active\","));
  g_autoptr(SandboxResponse) all = tg (fixture, "GET", "/orders", NULL);
  g_autoptr(JsonObject) stock = variant (fixture, "11");

  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpuint (again->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sandbox_response_object (first), "order"), "id"), ==,
                   json_object_get_int_member (json_object_get_object_member (sandbox_response_object (again), "order"), "id"));
  g_assert_cmpuint (different->status, ==, 201);
  g_assert_cmpuint (json_array_get_length (records (all, "orders")), ==, 2);
  /* The replay committed no stock a second time. */
  g_assert_cmpstr (json_object_get_string_member (stock, "committed_stock"), ==, "4.0");
}

static JsonObject *
order_by_id (Fixture *fixture,
             gint64   id)
{
  g_autofree char *path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT, id);
  g_autoptr(SandboxResponse) response = tg (fixture, "GET", path, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (json_object_get_object_member (sandbox_response_object (response), "order"));
}

static void
test_shipping_and_fulfillments (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SandboxResponse) created = tg (fixture, "POST", "/orders",
    "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\",\"status\":\"active\","
    "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":11,\"quantity\":3,\"price\":\"12.5\"},{\"tax_type_id\":2,\"variant_id\":13,\"quantity\":1,\"price\":\"9\"}]}}");
  g_autoptr(JsonObject) partial_order = NULL;
  g_autoptr(JsonObject) shipped_order = NULL;
  g_autoptr(JsonObject) stock = NULL;
  g_autoptr(JsonNode) first_lines = NULL;
  g_autoptr(JsonNode) tracking = sandbox_test_parse ("{\"tracking_company\":\"UPS\",\"tracking_number\":\"1Z999\","
                                                    "\"tracking_url\":\"https://ups.example/1Z999\",\"service\":\"Ground\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SandboxResponse) listed = NULL;
  g_autoptr(SandboxResponse) by_array = NULL;
  g_autoptr(SandboxResponse) nothing = NULL;
  g_autofree char *lines_json = NULL;
  g_autofree char *path = NULL;
  JsonObject *order = json_object_get_object_member (sandbox_response_object (created), "order");
  gint64 order_id = json_object_get_int_member (order, "id");
  gint64 first_line = json_array_get_int_element (json_object_get_array_member (order, "order_line_item_ids"), 0);
  gint64 f1, f2;
  JsonObject *body;

  g_assert_cmpuint (created->status, ==, 201);

  /* Two of the three beans first: the order is partially shipped. */
  lines_json = g_strdup_printf ("{\"status\":\"fulfilled\",\"tracking_company\":\"USPS\",\"tracking_number\":\"9400A\","
                                "\"lines\":[{\"order_line_item_id\":%" G_GINT64_FORMAT ",\"quantity\":2}]}", first_line);
  first_lines = sandbox_test_parse (lines_json);
  f1 = relay_sandbox_ship_tradegecko_order (fixture->sandbox, order_id, json_node_get_object (first_lines), &error);
  g_assert_no_error (error);
  g_assert_cmpint (f1, >, 0);
  partial_order = order_by_id (fixture, order_id);
  g_assert_cmpstr (json_object_get_string_member (partial_order, "fulfillment_status"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (partial_order, "packed_status"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (partial_order, "status"), ==, "active");
  stock = variant (fixture, "11");
  g_assert_cmpstr (json_object_get_string_member (stock, "stock_on_hand"), ==, "8.0");
  g_assert_cmpstr (json_object_get_string_member (stock, "committed_stock"), ==, "1.0");

  /* The rest: fully shipped, so the order is fulfilled. */
  f2 = relay_sandbox_ship_tradegecko_order (fixture->sandbox, order_id, json_node_get_object (tracking), &error);
  g_assert_no_error (error);
  shipped_order = order_by_id (fixture, order_id);
  g_assert_cmpstr (json_object_get_string_member (shipped_order, "fulfillment_status"), ==, "shipped");
  g_assert_cmpstr (json_object_get_string_member (shipped_order, "packed_status"), ==, "packed");
  g_assert_cmpstr (json_object_get_string_member (shipped_order, "status"), ==, "fulfilled");
  g_assert_cmpstr (json_object_get_string_member (shipped_order, "updated_at"), >=,
                   json_object_get_string_member (partial_order, "updated_at"));

  g_assert_cmpint (relay_sandbox_ship_tradegecko_order (fixture->sandbox, order_id, json_node_get_object (tracking), &error), ==, -1);
  g_assert_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID);

  path = g_strdup_printf ("/fulfillments?order_id=%" G_GINT64_FORMAT, order_id);
  listed = tg (fixture, "GET", path, NULL);
  g_assert_cmpuint (json_array_get_length (records (listed, "fulfillments")), ==, 2);
  body = sandbox_response_object (listed);
  /* fulfillment_line_items come sideloaded as a top-level key: 1 line + 2 lines. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "fulfillment_line_items")), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *fulfillment = json_array_get_object_element (json_object_get_array_member (body, "fulfillments"), i);

      g_assert_cmpstr (json_object_get_string_member (fulfillment, "status"), ==, "fulfilled");
      if (json_object_get_int_member (fulfillment, "id") == f2)
        {
          g_assert_cmpstr (json_object_get_string_member (fulfillment, "tracking_company"), ==, "UPS");
          g_assert_cmpstr (json_object_get_string_member (fulfillment, "tracking_url"), ==, "https://ups.example/1Z999");
          g_assert_cmpstr (json_object_get_string_member (fulfillment, "service"), ==, "Ground");
        }
      else
        g_assert_cmpint (json_object_get_int_member (fulfillment, "id"), ==, f1);
    }
  g_assert_nonnull (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (body, "fulfillment_line_items"), 0), "variant_sku"));

  g_free (path);
  path = g_strdup_printf ("/fulfillments?order_id[]=%" G_GINT64_FORMAT "&order_id[]=1&status=fulfilled", order_id);
  by_array = tg (fixture, "GET", path, NULL);
  g_assert_cmpuint (json_array_get_length (records (by_array, "fulfillments")), ==, 2);
  nothing = tg (fixture, "GET", "/fulfillments?updated_at_min=2099-01-01T00:00:00Z", NULL);
  g_assert_cmpuint (json_array_get_length (records (nothing, "fulfillments")), ==, 0);
}

static void
test_void (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SandboxResponse) created = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"status\":\"active\","));
  g_autoptr(SandboxResponse) voided = NULL;
  g_autoptr(SandboxResponse) visible = NULL;
  g_autoptr(SandboxResponse) void_list = NULL;
  g_autoptr(SandboxResponse) missing = tg (fixture, "GET", "/orders/424242", NULL);
  g_autoptr(JsonObject) stock = NULL;
  g_autofree char *path = NULL;
  JsonObject *body;

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "/actions/void",
                          json_object_get_int_member (json_object_get_object_member (sandbox_response_object (created), "order"), "id"));
  voided = tg (fixture, "POST", path, NULL);
  g_assert_cmpuint (voided->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sandbox_response_object (voided), "order"),
                                                  "status"), ==, "void");
  stock = variant (fixture, "11");
  g_assert_cmpstr (json_object_get_string_member (stock, "committed_stock"), ==, "0.0");

  /* Voided orders are soft-deleted: hidden unless asked for. */
  visible = tg (fixture, "GET", "/orders", NULL);
  g_assert_cmpuint (json_array_get_length (records (visible, "orders")), ==, 0);
  void_list = tg (fixture, "GET", "/orders?status=void", NULL);
  g_assert_cmpuint (json_array_get_length (records (void_list, "orders")), ==, 1);

  g_assert_cmpuint (missing->status, ==, 404);
  body = sandbox_response_object (missing);
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "Not Found");
  g_assert_nonnull (json_object_get_string_member (body, "message"));
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  guint attempts = 0;

  relay_sandbox_set_rate_limit (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, 3, 3600, 0);

  /* Windows are aligned to the clock: if one ends mid-test, start over (bounded). */
  for (;;)
    {
      g_autoptr(SandboxResponse) r1 = tg (fixture, "GET", "/currencies", NULL);
      g_autoptr(SandboxResponse) r2 = tg (fixture, "GET", "/currencies", NULL);
      g_autoptr(SandboxResponse) r3 = tg (fixture, "GET", "/currencies", NULL);
      g_autoptr(SandboxResponse) r4 = tg (fixture, "GET", "/currencies", NULL);
      const char *reset = sandbox_response_header (r1, "X-Rate-Limit-Reset");

      g_assert_cmpuint (++attempts, <=, 3);
      if (g_strcmp0 (reset, sandbox_response_header (r4, "X-Rate-Limit-Reset")) != 0 ||
          r1->status != 200)
        {
          relay_sandbox_set_rate_limit (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, 3, 3600, 0);
          continue;
        }

      g_assert_cmpuint (g_ascii_strtoll (reset, NULL, 10) % 3600, ==, 0);
      g_assert_cmpstr (sandbox_response_header (r1, "X-Rate-Limit-Limit"), ==, "3");
      g_assert_cmpstr (sandbox_response_header (r1, "X-Rate-Limit-Remaining"), ==, "2");
      g_assert_cmpuint (r3->status, ==, 200);
      g_assert_cmpstr (sandbox_response_header (r3, "X-Rate-Limit-Remaining"), ==, "0");
      g_assert_cmpuint (r4->status, ==, 429);
      g_assert_cmpstr (sandbox_response_header (r4, "X-Rate-Limit-Remaining"), ==, "0");
      break;
    }
}

/* Creates the order and checks the total TradeGecko computed. */
static void
assert_order_total (Fixture    *fixture,
                    const char *body,
                    const char *expected)
{
  g_autoptr(SandboxResponse) created = tg (fixture, "POST", "/orders", body);

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sandbox_response_object (created), "order"),
                                                  "total"), ==, expected);
}

/* Tax types and currencies are the account's own; totals follow the lines' tax
 * types, overrides and the order's tax treatment, rounded to the currency. */
static void
test_order_tax (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SandboxResponse) types = tg (fixture, "GET", "/tax_types", NULL);
  g_autoptr(SandboxResponse) currencies = tg (fixture, "GET", "/currencies", NULL);
  g_autoptr(SandboxResponse) account = tg (fixture, "GET", "/accounts/current", NULL);
  JsonObject *current;

  g_assert_cmpuint (json_array_get_length (records (types, "tax_types")), ==, 4);
  g_assert_cmpuint (json_array_get_length (records (currencies, "currencies")), ==, 3);
  current = json_object_get_object_member (sandbox_response_object (account), "account");
  g_assert_cmpint (json_object_get_int_member (current, "default_sales_order_tax_type_id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (current, "time_zone"), ==, "America/New_York");

  /* Inclusive: the tax is inside the prices, the total is their sum. */
  assert_order_total (fixture, GOOD_ORDER ("\"tax_treatment\":\"inclusive\",\"currency_iso\":\"EUR\","), "30.0");

  /* JPY has no minor unit: 3 × 333 at 10 % is 999 + 99.9, which rounds to 1099. */
  assert_order_total (fixture,
                      "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\",\"currency_iso\":\"JPY\","
                      "\"order_line_items\":[{\"tax_type_id\":4,\"variant_id\":11,\"quantity\":3,\"price\":\"333\"}]}}",
                      "1099.0");

  /* tax_rate_override replaces the type's rate: 10.00 at 7.5 %. */
  assert_order_total (fixture,
                      "{\"order\":{\"company_id\":21,\"shipping_address_id\":31,\"issued_at\":\"2026-03-01\","
                      "\"order_line_items\":[{\"tax_type_id\":2,\"tax_rate_override\":\"7.5\",\"variant_id\":11,"
                      "\"quantity\":1,\"price\":\"10\"}]}}",
                      "10.75");
}

/* With the account option on, a repeated order number is refused. */
static void
test_order_unique_numbers (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (scenario_json);
  g_autoptr(JsonNode) option = NULL;
  g_autoptr(SandboxResponse) first = NULL;
  g_autoptr(SandboxResponse) again = NULL;

  g_string_replace (text, "{\"tradegecko\":{", "{\"tradegecko\":{\"account\":{\"unique_order_numbers\":true},", 1);
  option = sandbox_test_parse (text->str);
  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, option, &error));
  g_assert_no_error (error);
  first = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"order_number\":\"SQ-7\","));
  g_assert_cmpuint (first->status, ==, 201);
  again = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"order_number\":\"SQ-7\","));
  g_assert_true (has_error (again, "order_number"));
}

/* §7.6: pay invoices the order and pays it; a second pay is refused, so a
 * client that paid twice would see it. */
static void
test_order_pay (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SandboxResponse) created = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"status\":\"active\","));
  g_autoptr(SandboxResponse) paid = NULL;
  g_autoptr(SandboxResponse) twice = NULL;
  g_autofree char *path = NULL;
  JsonObject *order;

  g_assert_cmpuint (created->status, ==, 201);
  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "/actions/pay",
                          json_object_get_int_member (json_object_get_object_member (sandbox_response_object (created),
                                                                                     "order"), "id"));
  paid = tg (fixture, "POST", path, "{\"payment\":{\"payment_method_name\":\"Squarespace\",\"paid_at\":\"2026-03-01T10:00:00.000Z\"}}");
  g_assert_cmpuint (paid->status, ==, 200);
  order = json_object_get_object_member (sandbox_response_object (paid), "order");
  g_assert_cmpstr (json_object_get_string_member (order, "payment_status"), ==, "paid");
  g_assert_cmpstr (json_object_get_string_member (order, "invoice_status"), ==, "invoiced");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "payment_ids")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "invoice_ids")), ==, 1);

  twice = tg (fixture, "POST", path, "{\"payment\":{\"payment_method_name\":\"Squarespace\"}}");
  g_assert_true (has_error (twice, "payment_status"));

  /* A voided order takes no payment. */
  {
    g_autoptr(SandboxResponse) other = tg (fixture, "POST", "/orders", GOOD_ORDER ("\"status\":\"active\","));
    gint64 other_id = json_object_get_int_member (json_object_get_object_member (sandbox_response_object (other), "order"), "id");
    g_autofree char *void_path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "/actions/void", other_id);
    g_autofree char *pay_path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "/actions/pay", other_id);
    g_autoptr(SandboxResponse) voided = tg (fixture, "POST", void_path, NULL);
    g_autoptr(SandboxResponse) refused = NULL;

    g_assert_cmpuint (voided->status, ==, 200);
    refused = tg (fixture, "POST", pay_path, "{\"payment\":{\"payment_method_name\":\"Squarespace\"}}");
    g_assert_true (has_error (refused, "status"));
  }
}


/* GET /stock_levels (§5.1): read only, one record per active variant with its figures and
 * locations[], paged and filtered like every index. */
static void
test_stock_levels (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandboxResponse) all = tg (fixture, "GET", "/stock_levels", NULL);
  g_autoptr(SandboxResponse) paged = tg (fixture, "GET", "/stock_levels?limit=2&page=1", NULL);
  g_autoptr(SandboxResponse) one = tg (fixture, "GET", "/stock_levels?variant_id=11", NULL);
  g_autoptr(SandboxResponse) write = tg (fixture, "POST", "/stock_levels", "{\"stock_level\":{}}");
  g_autoptr(JsonObject) pagination = NULL;
  JsonObject *level;

  g_assert_cmpuint (json_array_get_length (records (all, "stock_levels")), ==, 5);
  g_assert_cmpuint (json_array_get_length (records (paged, "stock_levels")), ==, 2);
  pagination = pagination_of (paged);
  g_assert_false (json_object_get_boolean_member (pagination, "last_page"));
  g_assert_cmpint (json_object_get_int_member (pagination, "total_records"), ==, 5);

  g_assert_cmpuint (json_array_get_length (records (one, "stock_levels")), ==, 1);
  level = json_array_get_object_element (records (one, "stock_levels"), 0);
  g_assert_cmpint (json_object_get_int_member (level, "variant_id"), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (level, "stock_on_hand"), ==, "10.0");
  g_assert_cmpstr (json_object_get_string_member (level, "available_stock"), ==, "10.0");
  g_assert_true (json_object_has_member (level, "committed_stock"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (level, "locations")));
  g_assert_cmpuint (write->status, >=, 400);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/sandbox/tradegecko/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("auth-and-headers", test_auth_and_headers);
  ADD ("variants", test_variants);
  ADD ("stock-levels", test_stock_levels);
  ADD ("variant-search", test_variant_search);
  ADD ("pagination", test_pagination);
  ADD ("companies-and-addresses", test_companies_and_addresses);
  ADD ("order/validation", test_order_validation);
  ADD ("order/create", test_order_create);
  ADD ("order/nested", test_order_nested);
  ADD ("order/tax", test_order_tax);
  ADD ("order/unique-numbers", test_order_unique_numbers);
  ADD ("order/pay", test_order_pay);
  ADD ("order/idempotency", test_order_idempotency);
  ADD ("shipping-and-fulfillments", test_shipping_and_fulfillments);
  ADD ("void", test_void);
  ADD ("rate-limit", test_rate_limit);
#undef ADD

  return g_test_run ();
}
