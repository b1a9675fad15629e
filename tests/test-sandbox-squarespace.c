/* test-sandbox-squarespace.c — the sandbox behaves like the documented Squarespace Commerce API
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contract tests written from the Squarespace API reference (restated in docs/sandbox.md): raw HTTP,
 * status codes, bodies, headers.
 */

#include "config.h"

#include <string.h>

#include "relay-test-wait.h"
#include "sandbox-test-utils.h"

typedef struct
{
  RelaySandbox *sandbox;
  SoupSession  *session;
} Fixture;

static const SandboxRequestOptions read_write = { RELAY_SANDBOX_SQUARESPACE_KEY, "OrderRelayTests/1.0", NULL, NULL };
static const SandboxRequestOptions read_only = { RELAY_SANDBOX_SQUARESPACE_READONLY_KEY, "OrderRelayTests/1.0", NULL, NULL };

#define ORDER_A "aaaaaaaaaaaaaaaaaaaaaaaa"
#define ORDER_B "bbbbbbbbbbbbbbbbbbbbbbbb"
#define UNKNOWN "0123456789abcdef01234567"

static JsonNode *
small_scenario (guint n_orders)
{
  GString *json = g_string_new ("{\"squarespace\":{\"orders\":[");
  g_autofree char *text = NULL;

  for (guint i = 0; i < n_orders; i++)
    g_string_append_printf (json,
      "%s{\"id\":\"%024x\",\"createdOn\":\"2026-01-%02uT10:00:00.000Z\",\"customerEmail\":\"c%u@example.com\","
      "\"fulfillmentStatus\":\"%s\","
      "\"lineItems\":[{\"sku\":\"SKU-%u\",\"productName\":\"Thing %u\",\"quantity\":2,"
      "\"unitPricePaid\":{\"value\":\"12.50\",\"currency\":\"USD\"}}],"
      "\"shippingLines\":[{\"method\":\"Flat\",\"amount\":{\"value\":\"5.00\",\"currency\":\"USD\"}}]}",
      i ? "," : "", i + 1, 1 + i % 28, i, i % 7 == 3 ? "CANCELED" : "PENDING", i, i);
  g_string_append (json, "]}}");
  text = g_string_free (json, FALSE);

  return sandbox_test_parse (text);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sandbox = relay_sandbox_new ();
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
sq (Fixture                     *fixture,
    const char                  *method,
    const char                  *path,
    const SandboxRequestOptions *options,
    const char                  *body)
{
  g_autofree char *url = g_strconcat (relay_sandbox_get_squarespace_url (fixture->sandbox), path, NULL);

  return sandbox_test_send (fixture->session, method, url, options, body);
}

static void
assert_error_body (SandboxResponse *response,
                   guint            status,
                   const char      *type)
{
  JsonObject *body;

  g_assert_cmpuint (response->status, ==, status);
  body = sandbox_response_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, type);
  g_assert_true (json_object_has_member (body, "subtype"));
  g_assert_nonnull (json_object_get_string_member (body, "message"));
  g_assert_true (json_object_has_member (body, "details"));
  g_assert_true (json_object_get_null_member (body, "details"));
  g_assert_cmpuint (strlen (json_object_get_string_member (body, "contextId")), >, 0);
}

static void
load (Fixture  *fixture,
      JsonNode *scenario)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, scenario, &error));
  g_assert_no_error (error);
  json_node_unref (scenario);
}

static void
test_auth (Fixture       *fixture,
           gconstpointer  data)
{
  const SandboxRequestOptions no_key = { NULL, "OrderRelayTests/1.0", NULL, NULL };
  const SandboxRequestOptions wrong_key = { "not-a-key", "OrderRelayTests/1.0", NULL, NULL };
  const SandboxRequestOptions no_agent = { RELAY_SANDBOX_SQUARESPACE_KEY, NULL, NULL, NULL };
  g_autoptr(SandboxResponse) missing = sq (fixture, "GET", "/1.0/authorization/website", &no_key, NULL);
  g_autoptr(SandboxResponse) wrong = sq (fixture, "GET", "/1.0/authorization/website", &wrong_key, NULL);
  g_autoptr(SandboxResponse) agentless = sq (fixture, "GET", "/1.0/authorization/website", &no_agent, NULL);
  g_autoptr(SandboxResponse) ok = sq (fixture, "GET", "/1.0/authorization/website", &read_only, NULL);
  JsonObject *site;

  assert_error_body (missing, 401, "AUTHORIZATION_ERROR");
  assert_error_body (wrong, 401, "AUTHORIZATION_ERROR");
  assert_error_body (agentless, 400, "INVALID_REQUEST_ERROR");

  g_assert_cmpuint (ok->status, ==, 200);
  site = sandbox_response_object (ok);
  for (const char * const *f = (const char * const[]) { "id", "siteId", "title", "url", "currency",
                                                         "measurementStandard", "language", NULL }; *f; f++)
    g_assert_nonnull (json_object_get_string_member (site, *f));
}

static void
test_website_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SandboxResponse) expired = NULL;
  g_autoptr(SandboxResponse) back = NULL;

  relay_sandbox_set_site_expired (fixture->sandbox, TRUE);
  expired = sq (fixture, "GET", "/1.0/commerce/orders", &read_write, NULL);
  assert_error_body (expired, 402, "WEBSITE_EXPIRED");

  relay_sandbox_set_site_expired (fixture->sandbox, FALSE);
  back = sq (fixture, "GET", "/1.0/commerce/orders", &read_write, NULL);
  g_assert_cmpuint (back->status, ==, 200);
}

static void
test_list_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = g_strdup ("/1.0/commerce/orders");
  g_autofree char *previous = g_strdup ("");
  guint pages = 0;

  load (fixture, small_scenario (120));

  for (;;)
    {
      g_autoptr(SandboxResponse) page = sq (fixture, "GET", path, &read_write, NULL);
      JsonObject *body, *pagination;
      JsonArray *result;

      g_assert_cmpuint (page->status, ==, 200);
      body = sandbox_response_object (page);
      result = json_object_get_array_member (body, "result");
      pagination = json_object_get_object_member (body, "pagination");
      pages++;

      for (guint i = 0; i < json_array_get_length (result); i++)
        {
          JsonObject *order = json_array_get_object_element (result, i);
          const char *modified = json_object_get_string_member (order, "modifiedOn");

          /* Ascending modifiedOn, every order exactly once. */
          g_assert_cmpstr (previous, <=, modified);
          g_free (previous);
          previous = g_strdup (modified);
          g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (order, "id"))));
        }

      if (!json_object_get_boolean_member (pagination, "hasNextPage"))
        {
          g_assert_true (json_object_get_null_member (pagination, "nextPageCursor"));
          g_assert_true (json_object_get_null_member (pagination, "nextPageUrl"));
          g_assert_cmpuint (json_array_get_length (result), ==, 20);
          break;
        }

      g_assert_cmpuint (json_array_get_length (result), ==, 50);
      g_assert_true (g_str_has_suffix (json_object_get_string_member (pagination, "nextPageUrl"),
                                       json_object_get_string_member (pagination, "nextPageCursor")));
      g_free (path);
      path = g_strconcat ("/1.0/commerce/orders?cursor=", json_object_get_string_member (pagination, "nextPageCursor"), NULL);
    }

  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 120);
}

static void
test_list_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandboxResponse) canceled = NULL;
  g_autoptr(SandboxResponse) window = NULL;
  g_autoptr(SandboxResponse) empty = NULL;
  JsonArray *result;

  load (fixture, small_scenario (30));

  /* Orders 4, 11, 18, 25 (i % 7 == 3) are canceled. */
  canceled = sq (fixture, "GET", "/1.0/commerce/orders?fulfillmentStatus=CANCELED", &read_write, NULL);
  g_assert_cmpuint (canceled->status, ==, 200);
  result = json_object_get_array_member (sandbox_response_object (canceled), "result");
  g_assert_cmpuint (json_array_get_length (result), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (result, i), "fulfillmentStatus"),
                     ==, "CANCELED");

  /* Created (and modified) on Jan 2 … Jan 4 at 10:00: orders 2, 3, 4 and 30 (day 2 again). */
  window = sq (fixture, "GET", "/1.0/commerce/orders?modifiedAfter=2026-01-02T00:00:00Z"
                               "&modifiedBefore=2026-01-04T23:59:59Z", &read_write, NULL);
  g_assert_cmpuint (window->status, ==, 200);
  result = json_object_get_array_member (sandbox_response_object (window), "result");
  g_assert_cmpuint (json_array_get_length (result), ==, 4);

  empty = sq (fixture, "GET", "/1.0/commerce/orders?modifiedAfter=2030-01-01T00:00:00Z"
                              "&modifiedBefore=2030-01-02T00:00:00Z", &read_write, NULL);
  g_assert_cmpuint (empty->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (empty), "result")), ==, 0);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (sandbox_response_object (empty), "pagination"),
                                                  "hasNextPage"));
}

static void
test_list_rules (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *bad[] = {
    "/1.0/commerce/orders?cursor=nonsense",
    "/1.0/commerce/orders?modifiedAfter=2026-01-01T00:00:00Z",
    "/1.0/commerce/orders?modifiedBefore=2026-01-01T00:00:00Z",
    "/1.0/commerce/orders?modifiedAfter=yesterday&modifiedBefore=2026-01-01T00:00:00Z",
    "/1.0/commerce/orders?modifiedAfter=2026-01-02T00:00:00Z&modifiedBefore=2026-01-01T00:00:00Z",
    "/1.0/commerce/orders?modifiedAfter=2026-01-01T00:00:00Z&modifiedBefore=2026-01-01T00:00:00Z",
    "/1.0/commerce/orders?fulfillmentStatus=SHIPPED",
  };
  g_autoptr(SandboxResponse) first = NULL;
  g_autoptr(SandboxResponse) mixed = NULL;
  g_autofree char *mixed_path = NULL;
  const char *cursor;

  load (fixture, small_scenario (60));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SandboxResponse) response = sq (fixture, "GET", bad[i], &read_write, NULL);

      g_test_message ("%s", bad[i]);
      assert_error_body (response, 400, "INVALID_REQUEST_ERROR");
    }

  /* A real cursor still may not be combined with anything, not even fulfillmentStatus. */
  first = sq (fixture, "GET", "/1.0/commerce/orders", &read_write, NULL);
  cursor = json_object_get_string_member (json_object_get_object_member (sandbox_response_object (first), "pagination"),
                                          "nextPageCursor");
  g_assert_nonnull (cursor);
  mixed_path = g_strconcat ("/1.0/commerce/orders?fulfillmentStatus=PENDING&cursor=", cursor, NULL);
  mixed = sq (fixture, "GET", mixed_path, &read_write, NULL);
  assert_error_body (mixed, 400, "INVALID_REQUEST_ERROR");
}

static void
test_get_order (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SandboxResponse) malformed = NULL;
  g_autoptr(SandboxResponse) unknown = NULL;
  g_autoptr(SandboxResponse) found = NULL;
  JsonObject *order, *line;

  load (fixture, small_scenario (3));

  malformed = sq (fixture, "GET", "/1.0/commerce/orders/not-an-id", &read_write, NULL);
  assert_error_body (malformed, 400, "INVALID_REQUEST_ERROR");
  unknown = sq (fixture, "GET", "/1.0/commerce/orders/" UNKNOWN, &read_write, NULL);
  g_assert_cmpuint (unknown->status, ==, 404);

  found = sq (fixture, "GET", "/1.0/commerce/orders/000000000000000000000002", &read_write, NULL);
  g_assert_cmpuint (found->status, ==, 200);
  order = sandbox_response_object (found);
  /* Not wrapped in "result"; orderNumber is a string; totals are Money strings that add up. */
  g_assert_cmpstr (json_object_get_string_member (order, "id"), ==, "000000000000000000000002");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (order, "orderNumber")), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (order, "subtotal"), "value"), ==, "25.00");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (order, "shippingTotal"), "value"), ==, "5.00");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (order, "grandTotal"), "value"), ==, "30.00");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (order, "grandTotal"), "currency"), ==, "USD");
  g_assert_true (json_object_get_null_member (order, "fulfilledOn"));
  g_assert_true (json_object_get_null_member (order, "formSubmission"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 0);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (order, "billingAddress"), "postalCode"));
  line = json_array_get_object_element (json_object_get_array_member (order, "lineItems"), 0);
  g_assert_cmpstr (json_object_get_string_member (line, "sku"), ==, "SKU-1");
  g_assert_cmpint (json_object_get_int_member (line, "quantity"), ==, 2);
}

static JsonObject *
get_order (Fixture    *fixture,
           const char *id)
{
  g_autofree char *path = g_strconcat ("/1.0/commerce/orders/", id, NULL);
  g_autoptr(SandboxResponse) response = sq (fixture, "GET", path, &read_write, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (sandbox_response_object (response));
}

#define SHIPMENT(carrier, service, number, url) \
  "{\"shouldSendNotification\":false,\"shipments\":[{\"shipDate\":\"2026-03-02T15:04:05.000Z\"," \
  "\"carrierName\":" carrier ",\"service\":" service ",\"trackingNumber\":" number url "}]}"

static void
test_fulfill_permission_first (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *body = SHIPMENT ("\"USPS\"", "\"Priority\"", "\"1Z1\"", "");
  g_autoptr(SandboxResponse) ro_unknown = NULL;
  g_autoptr(SandboxResponse) ro_known = NULL;
  g_autoptr(SandboxResponse) rw_unknown = NULL;
  g_autoptr(JsonObject) order = NULL;

  load (fixture, small_scenario (2));

  /* The read-only key is refused before the order is looked up: a harmless write probe. */
  ro_unknown = sq (fixture, "POST", "/1.0/commerce/orders/" UNKNOWN "/fulfillments", &read_only, body);
  assert_error_body (ro_unknown, 403, "AUTHORIZATION_ERROR");
  ro_known = sq (fixture, "POST", "/1.0/commerce/orders/000000000000000000000001/fulfillments", &read_only, body);
  assert_error_body (ro_known, 403, "AUTHORIZATION_ERROR");
  rw_unknown = sq (fixture, "POST", "/1.0/commerce/orders/" UNKNOWN "/fulfillments", &read_write, body);
  g_assert_cmpuint (rw_unknown->status, ==, 404);

  order = get_order (fixture, "000000000000000000000001");
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "PENDING");
}

static void
test_fulfill_validation (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (101, 'x');
  g_autofree char *too_long = g_strdup_printf (SHIPMENT ("\"%s\"", "\"Priority\"", "\"1Z1\"", ""), long_name);
  const SandboxRequestOptions form = { RELAY_SANDBOX_SQUARESPACE_KEY, "OrderRelayTests/1.0", "text/plain", NULL };
  const char *bad[] = {
    "{\"shipments\":[]}",
    "{\"shouldSendNotification\":\"yes\",\"shipments\":[]}",
    "{\"shouldSendNotification\":true}",
    SHIPMENT ("\"USPS\"", "null", "\"1Z1\"", ""),
    SHIPMENT ("\"USPS\"", "\"Priority\"", "\"\"", ""),
    SHIPMENT ("\"\"", "\"Priority\"", "\"1Z1\"", ""),
    SHIPMENT ("\"USPS\"", "\"Priority\"", "\"1Z1\"", ",\"trackingUrl\":\"not a url\""),
    SHIPMENT ("\"USPS\"", "\"Priority\"", "\"1Z1\"", ",\"trackingUrl\":\"ftp://example.com/x\""),
    "{\"shouldSendNotification\":false,\"shipments\":[{\"shipDate\":\"tomorrow\",\"carrierName\":\"USPS\","
      "\"service\":\"Priority\",\"trackingNumber\":\"1\"}]}",
    "not json",
    too_long,
  };
  g_autoptr(SandboxResponse) wrong_type = NULL;
  g_autoptr(JsonObject) order = NULL;

  load (fixture, small_scenario (1));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SandboxResponse) response =
        sq (fixture, "POST", "/1.0/commerce/orders/000000000000000000000001/fulfillments", &read_write, bad[i]);

      g_test_message ("body %u: %s", i, bad[i]);
      assert_error_body (response, 400, "INVALID_REQUEST_ERROR");
    }

  wrong_type = sq (fixture, "POST", "/1.0/commerce/orders/000000000000000000000001/fulfillments", &form,
                   SHIPMENT ("\"USPS\"", "\"Priority\"", "\"1Z1\"", ""));
  assert_error_body (wrong_type, 400, "INVALID_REQUEST_ERROR");

  /* Nothing was recorded by any of them. */
  order = get_order (fixture, "000000000000000000000001");
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "PENDING");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 0);
}

static void
test_fulfill_appends (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *body = SHIPMENT ("\"USPS\"", "\"Priority Mail\"", "\"9400109699939624119857\"",
                               ",\"trackingUrl\":\"https://tools.usps.com/go/TrackConfirmAction?tLabels=9400\"");
  g_autoptr(SandboxResponse) first = NULL;
  g_autoptr(SandboxResponse) second = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) once = NULL;
  g_autoptr(JsonObject) twice = NULL;
  JsonObject *shipment;

  load (fixture, small_scenario (1));
  before = get_order (fixture, "000000000000000000000001");

  first = sq (fixture, "POST", "/1.0/commerce/orders/000000000000000000000001/fulfillments", &read_write, body);
  g_assert_cmpuint (first->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (first->body), ==, 0);

  once = get_order (fixture, "000000000000000000000001");
  g_assert_cmpstr (json_object_get_string_member (once, "fulfillmentStatus"), ==, "FULFILLED");
  g_assert_nonnull (json_object_get_string_member (once, "fulfilledOn"));
  g_assert_cmpstr (json_object_get_string_member (once, "modifiedOn"), >, json_object_get_string_member (before, "modifiedOn"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (once, "fulfillments")), ==, 1);
  shipment = json_array_get_object_element (json_object_get_array_member (once, "fulfillments"), 0);
  g_assert_cmpstr (json_object_get_string_member (shipment, "trackingNumber"), ==, "9400109699939624119857");
  g_assert_cmpstr (json_object_get_string_member (shipment, "carrierName"), ==, "USPS");
  g_assert_cmpstr (json_object_get_string_member (shipment, "service"), ==, "Priority Mail");

  /* No idempotency on fulfillments: the same POST again really records a second shipment. */
  second = sq (fixture, "POST", "/1.0/commerce/orders/000000000000000000000001/fulfillments", &read_write, body);
  g_assert_cmpuint (second->status, ==, 204);
  twice = get_order (fixture, "000000000000000000000001");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (twice, "fulfillments")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (twice, "modifiedOn"), >, json_object_get_string_member (once, "modifiedOn"));
}

static void
test_inventory (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GHashTable) skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = g_strdup ("/1.0/commerce/inventory");
  g_autoptr(SandboxResponse) bad = NULL;
  guint pages = 0;

  relay_sandbox_load_demo (fixture->sandbox);

  for (;;)
    {
      g_autoptr(SandboxResponse) page = sq (fixture, "GET", path, &read_only, NULL);
      JsonObject *body, *pagination;
      JsonArray *items;

      g_assert_cmpuint (page->status, ==, 200);
      body = sandbox_response_object (page);
      items = json_object_get_array_member (body, "inventory");
      pagination = json_object_get_object_member (body, "pagination");
      pages++;
      g_assert_cmpuint (json_array_get_length (items), <=, 50);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          g_assert_nonnull (json_object_get_string_member (item, "variantId"));
          g_assert_nonnull (json_object_get_string_member (item, "descriptor"));
          g_assert_true (json_object_has_member (item, "isUnlimited"));
          g_assert_cmpint (json_object_get_int_member (item, "quantity"), >=, 0);
          g_hash_table_add (skus, g_strdup (json_object_get_string_member (item, "sku")));
        }
      if (!json_object_get_boolean_member (pagination, "hasNextPage"))
        break;
      g_free (path);
      path = g_strconcat ("/1.0/commerce/inventory?cursor=", json_object_get_string_member (pagination, "nextPageCursor"), NULL);
    }

  g_assert_cmpuint (pages, ==, 1);
  g_assert_cmpuint (g_hash_table_size (skus), >=, 30);
  g_assert_true (g_hash_table_contains (skus, "CB-ETH-250"));

  bad = sq (fixture, "GET", "/1.0/commerce/inventory?cursor=bogus", &read_only, NULL);
  assert_error_body (bad, 400, "INVALID_REQUEST_ERROR");
}

static gint64
money_minor (JsonObject *order,
             const char *member,
             const char *currency)
{
  JsonObject *money = json_object_get_object_member (order, member);
  const char *value = json_object_get_string_member (money, "value");
  const char *point = strchr (value, '.');
  g_autofree char *digits = NULL;

  g_assert_cmpstr (json_object_get_string_member (money, "currency"), ==, currency);
  if (g_str_equal (currency, "JPY"))
    g_assert_null (point);
  else
    {
      g_assert_nonnull (point);
      g_assert_cmpuint (strlen (point), ==, 3);
    }
  digits = g_strdup (value);
  g_strdelimit (digits, ".", ' ');
  {
    g_auto(GStrv) parts = g_strsplit (digits, " ", 2);
    return g_ascii_strtoll (parts[0], NULL, 10) * (point ? 100 : 1) + (parts[1] ? g_ascii_strtoll (parts[1], NULL, 10) : 0);
  }
}

static void
test_demo_orders (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SandboxResponse) page = NULL;
  JsonArray *result;
  gboolean seen_jpy = FALSE, seen_unicode = FALSE, seen_test = FALSE, seen_digital = FALSE;
  gboolean seen_discount = FALSE, seen_fulfilled = FALSE, seen_canceled = FALSE, seen_multi = FALSE;

  relay_sandbox_load_demo (fixture->sandbox);
  page = sq (fixture, "GET", "/1.0/commerce/orders", &read_write, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  result = json_object_get_array_member (sandbox_response_object (page), "result");
  g_assert_cmpuint (json_array_get_length (result), >=, 20);

  for (guint i = 0; i < json_array_get_length (result); i++)
    {
      JsonObject *order = json_array_get_object_element (result, i);
      const char *currency = json_object_get_string_member (json_object_get_object_member (order, "grandTotal"), "currency");
      JsonArray *lines = json_object_get_array_member (order, "lineItems");
      JsonObject *ship_to = json_object_get_object_member (order, "shippingAddress");

      g_assert_cmpint (money_minor (order, "grandTotal", currency), ==,
                       money_minor (order, "subtotal", currency) + money_minor (order, "shippingTotal", currency) -
                       money_minor (order, "discountTotal", currency) + money_minor (order, "taxTotal", currency));

      seen_jpy |= g_str_equal (currency, "JPY");
      seen_unicode |= g_strcmp0 (json_object_get_string_member (ship_to, "firstName"), "Zoë") == 0 ||
                      g_strcmp0 (json_object_get_string_member (ship_to, "firstName"), "渡辺") == 0;
      seen_test |= json_object_get_boolean_member (order, "testmode");
      seen_discount |= json_array_get_length (json_object_get_array_member (order, "discountLines")) > 0;
      seen_fulfilled |= g_str_equal (json_object_get_string_member (order, "fulfillmentStatus"), "FULFILLED");
      seen_canceled |= g_str_equal (json_object_get_string_member (order, "fulfillmentStatus"), "CANCELED");
      seen_multi |= json_array_get_length (lines) > 2;
      for (guint j = 0; j < json_array_get_length (lines); j++)
        {
          JsonObject *line = json_array_get_object_element (lines, j);

          if (json_object_get_null_member (line, "sku"))
            {
              g_assert_true (json_object_get_null_member (line, "variantOptions"));
              seen_digital = TRUE;
            }
        }
    }

  g_assert_true (seen_jpy && seen_unicode && seen_test && seen_digital);
  g_assert_true (seen_discount && seen_fulfilled && seen_canceled && seen_multi);
}

/* The website's status, asked at most every 100 ms (each 429 is one more request
 * in the window); between two asks, the last answer. */
static guint
website_status_paced (Fixture *fixture,
                      gint64  *last_asked,
                      guint    last_status)
{
  g_autoptr(SandboxResponse) again = NULL;
  gint64 now = g_get_monotonic_time ();

  if (*last_asked != 0 && now - *last_asked < 100 * 1000)
    return last_status;

  *last_asked = now;
  again = sq (fixture, "GET", "/1.0/authorization/website", &read_write, NULL);
  if (again->status != 200)
    g_assert_cmpuint (again->status, ==, 429);
  return again->status;
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 last_asked = 0;
  guint status = 0;

  relay_sandbox_set_rate_limit (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, 3, 60, 1);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SandboxResponse) ok = sq (fixture, "GET", "/1.0/authorization/website", &read_write, NULL);
      g_assert_cmpuint (ok->status, ==, 200);
    }
  {
    g_autoptr(SandboxResponse) limited = sq (fixture, "GET", "/1.0/authorization/website", &read_write, NULL);
    assert_error_body (limited, 429, "TOO_MANY_REQUESTS");
  }

  /* After the (shortened) cool-down the service answers again; bounded, no fixed sleep. */
  RELAY_TEST_ITERATE_UNTIL ((status = website_status_paced (fixture, &last_asked, status)) == 200, 10);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_add_cancel_edit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) partial = sandbox_test_parse (
    "{\"customerEmail\":\"new@example.com\",\"lineItems\":[{\"sku\":\"A\",\"productName\":\"A\",\"quantity\":1,"
    "\"unitPricePaid\":{\"value\":\"3.00\",\"currency\":\"USD\"}}]}");
  g_autoptr(JsonNode) changes = sandbox_test_parse (
    "{\"customerEmail\":\"moved@example.com\",\"shippingAddress\":{\"city\":\"Zürich\",\"postalCode\":null}}");
  g_autoptr(JsonNode) bad_changes = sandbox_test_parse ("{\"grandTotal\":1}");
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) edited = NULL;
  g_autoptr(JsonObject) canceled = NULL;
  g_autoptr(SandboxResponse) pending = NULL;

  load (fixture, small_scenario (2));

  id = relay_sandbox_add_squarespace_order (fixture->sandbox, json_node_get_object (partial), &error);
  g_assert_no_error (error);
  added = get_order (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (added, "customerEmail"), ==, "new@example.com");

  g_assert_true (relay_sandbox_edit_squarespace_order (fixture->sandbox, id, json_node_get_object (changes), &error));
  g_assert_no_error (error);
  edited = get_order (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (edited, "customerEmail"), ==, "moved@example.com");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (edited, "shippingAddress"), "city"), ==, "Zürich");
  g_assert_cmpstr (json_object_get_string_member (edited, "modifiedOn"), >, json_object_get_string_member (added, "modifiedOn"));

  g_assert_false (relay_sandbox_edit_squarespace_order (fixture->sandbox, id, json_node_get_object (bad_changes), &error));
  g_assert_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (relay_sandbox_cancel_squarespace_order (fixture->sandbox, id, &error));
  canceled = get_order (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (canceled, "fulfillmentStatus"), ==, "CANCELED");
  g_assert_cmpstr (json_object_get_string_member (canceled, "modifiedOn"), >, json_object_get_string_member (edited, "modifiedOn"));

  g_assert_false (relay_sandbox_cancel_squarespace_order (fixture->sandbox, UNKNOWN, &error));
  g_assert_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND);

  pending = sq (fixture, "GET", "/1.0/commerce/orders?fulfillmentStatus=PENDING", &read_write, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (pending), "result")), ==, 2);
}

static const char *stock_scenario =
  "{\"squarespace\":{\"inventory\":["
  "  {\"variantId\":\"v-1\",\"sku\":\"A\",\"descriptor\":\"Apple [Red]\",\"quantity\":5},"
  "  {\"variantId\":\"v-2\",\"sku\":\"B\",\"descriptor\":\"Apple [Green]\",\"quantity\":1},"
  "  {\"variantId\":\"v-3\",\"sku\":\"C\",\"descriptor\":\"Poster\",\"isUnlimited\":true,\"quantity\":0}]}}";

static SandboxResponse *
adjust (Fixture    *fixture,
        const char *key,
        const char *body)
{
  const SandboxRequestOptions options = { RELAY_SANDBOX_SQUARESPACE_KEY, "OrderRelayTests/1.0", NULL, key };

  return sq (fixture, "POST", "/1.0/commerce/inventory/adjustments", &options, body);
}

static void
assert_subtype (SandboxResponse *response,
                guint            status,
                const char      *type,
                const char      *subtype)
{
  assert_error_body (response, status, type);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (response), "subtype"), ==, subtype);
}

static gint64
item_quantity (Fixture    *fixture,
               const char *id)
{
  g_autofree char *path = g_strconcat ("/1.0/commerce/inventory/", id, NULL);
  g_autoptr(SandboxResponse) response = sq (fixture, "GET", path, &read_only, NULL);
  JsonArray *items;

  g_assert_cmpuint (response->status, ==, 200);
  items = json_object_get_array_member (sandbox_response_object (response), "inventory");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  return json_object_get_int_member (json_array_get_object_element (items, 0), "quantity");
}

static void
test_inventory_by_ids (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SandboxResponse) two = NULL;
  g_autoptr(SandboxResponse) unknown = NULL;
  g_autoptr(GString) many = g_string_new ("/1.0/commerce/inventory/");
  g_autoptr(SandboxResponse) too_many = NULL;

  load (fixture, sandbox_test_parse (stock_scenario));
  two = sq (fixture, "GET", "/1.0/commerce/inventory/v-2,v-1", &read_only, NULL);
  g_assert_cmpuint (two->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (two), "inventory")), ==, 2);
  unknown = sq (fixture, "GET", "/1.0/commerce/inventory/v-1,nope", &read_only, NULL);
  assert_subtype (unknown, 404, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT");
  for (guint i = 0; i < 51; i++)
    g_string_append_printf (many, "%sv-1", i ? "," : "");
  too_many = sq (fixture, "GET", many->str, &read_only, NULL);
  assert_error_body (too_many, 400, "INVALID_REQUEST_ERROR");
}

static void
test_adjustments (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *set_one = "{\"setFiniteOperations\":[{\"variantId\":\"v-1\",\"quantity\":40}]}";
  const SandboxRequestOptions limited = { RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY, "OrderRelayTests/1.0", NULL, "k-0" };
  g_autoptr(SandboxResponse) refused = NULL;
  g_autoptr(SandboxResponse) keyless = NULL;
  g_autoptr(SandboxResponse) unknown = NULL;
  g_autoptr(SandboxResponse) twice = NULL;
  g_autoptr(SandboxResponse) negative = NULL;
  g_autoptr(SandboxResponse) empty = NULL;
  g_autoptr(SandboxResponse) first = NULL;
  g_autoptr(SandboxResponse) replay = NULL;
  g_autoptr(SandboxResponse) other_body = NULL;
  g_autoptr(SandboxResponse) untracked = NULL;
  g_autoptr(SandboxResponse) below_zero = NULL;
  g_autoptr(SandboxResponse) all_four = NULL;
  g_autoptr(JsonNode) counts = NULL;

  load (fixture, sandbox_test_parse (stock_scenario));

  refused = sq (fixture, "POST", "/1.0/commerce/inventory/adjustments", &limited, set_one);
  assert_subtype (refused, 403, "AUTHORIZATION_ERROR", "MISSING_SCOPE");
  keyless = adjust (fixture, NULL, set_one);
  assert_error_body (keyless, 400, "INVALID_REQUEST_ERROR");
  unknown = adjust (fixture, "k-1", "{\"setFiniteOperations\":[{\"variantId\":\"nope\",\"quantity\":1}]}");
  assert_error_body (unknown, 400, "INVALID_REQUEST_ERROR");
  twice = adjust (fixture, "k-2", "{\"setFiniteOperations\":[{\"variantId\":\"v-1\",\"quantity\":1}],"
                                  "\"incrementOperations\":[{\"variantId\":\"v-1\",\"quantity\":1}]}");
  assert_error_body (twice, 400, "INVALID_REQUEST_ERROR");
  negative = adjust (fixture, "k-3", "{\"incrementOperations\":[{\"variantId\":\"v-1\",\"quantity\":0}]}");
  assert_error_body (negative, 400, "INVALID_REQUEST_ERROR");
  empty = adjust (fixture, "k-4", "{}");
  assert_error_body (empty, 400, "INVALID_REQUEST_ERROR");
  g_assert_cmpint (item_quantity (fixture, "v-1"), ==, 5);

  first = adjust (fixture, "k-5", set_one);
  g_assert_cmpuint (first->status, ==, 204);
  replay = adjust (fixture, "k-5", set_one);
  g_assert_cmpuint (replay->status, ==, 204);
  other_body = adjust (fixture, "k-5", "{\"setFiniteOperations\":[{\"variantId\":\"v-1\",\"quantity\":41}]}");
  assert_error_body (other_body, 400, "INVALID_REQUEST_ERROR");
  g_assert_cmpint (item_quantity (fixture, "v-1"), ==, 40);

  untracked = adjust (fixture, "k-6", "{\"decrementOperations\":[{\"variantId\":\"v-3\",\"quantity\":1}]}");
  assert_subtype (untracked, 409, "CONFLICT", "STOCK_NOT_TRACKED");
  below_zero = adjust (fixture, "k-7", "{\"decrementOperations\":[{\"variantId\":\"v-2\",\"quantity\":2}]}");
  assert_subtype (below_zero, 409, "CONFLICT", "INSUFFICIENT_STOCK");

  all_four = adjust (fixture, "k-8", "{\"incrementOperations\":[{\"variantId\":\"v-2\",\"quantity\":2}],"
                                     "\"decrementOperations\":[{\"variantId\":\"v-1\",\"quantity\":10}],"
                                     "\"setUnlimitedOperations\":[\"v-3\"]}");
  g_assert_cmpuint (all_four->status, ==, 204);
  g_assert_cmpint (item_quantity (fixture, "v-1"), ==, 30);
  g_assert_cmpint (item_quantity (fixture, "v-2"), ==, 3);

  counts = relay_sandbox_dup_adjustment_counts (fixture->sandbox);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (counts), "applied"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (counts), "replayed"), ==, 1);
}

static void
test_products (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SandboxResponse) response = NULL;
  JsonArray *products;
  JsonObject *apple;

  load (fixture, sandbox_test_parse (stock_scenario));
  response = sq (fixture, "GET", "/v2/commerce/products", &read_only, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  products = json_object_get_array_member (sandbox_response_object (response), "products");
  g_assert_cmpuint (json_array_get_length (products), ==, 2);
  apple = json_array_get_object_element (products, 0);
  g_assert_cmpstr (json_object_get_string_member (apple, "name"), ==, "Apple");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (apple, "variants")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (apple, "variants"), 1), "sku"), ==, "B");
}


/* §4.2: up to 50 products a page, a cursor alone on page 2 onwards, prices in Money; the
 * Products permission per key (§1.3): without it, 403 MISSING_SCOPE. */
static void
test_products_pages_prices_permission (Fixture       *fixture,
                                       gconstpointer  data)
{
  const SandboxRequestOptions no_products = { RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY, "OrderRelayTests/1.0", NULL, NULL };
  g_autoptr(GString) json = g_string_new ("{\"squarespace\":{\"inventory\":[");
  g_autoptr(SandboxResponse) first = NULL;
  g_autoptr(SandboxResponse) second = NULL;
  g_autoptr(SandboxResponse) mixed = NULL;
  g_autoptr(SandboxResponse) bogus = NULL;
  g_autoptr(SandboxResponse) refused = NULL;
  g_autoptr(SandboxResponse) inventory = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mixed_path = NULL;
  JsonObject *pagination, *variant, *price;
  const char *cursor;

  for (guint i = 0; i < 60; i++)
    g_string_append_printf (json, "%s{\"variantId\":\"v-%u\",\"sku\":\"S-%u\",\"descriptor\":\"Thing %u\","
                                  "\"quantity\":%u,\"price\":\"%u.25\"}", i ? "," : "", i, i, i, i, 10 + i);
  g_string_append (json, "]}}");
  load (fixture, sandbox_test_parse (json->str));

  first = sq (fixture, "GET", "/v2/commerce/products", &read_only, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (first), "products")), ==, 50);
  pagination = json_object_get_object_member (sandbox_response_object (first), "pagination");
  g_assert_true (json_object_get_boolean_member (pagination, "hasNextPage"));
  cursor = json_object_get_string_member (pagination, "nextPageCursor");
  g_assert_nonnull (cursor);
  variant = json_array_get_object_element (json_object_get_array_member (
              json_array_get_object_element (json_object_get_array_member (sandbox_response_object (first), "products"), 3),
              "variants"), 0);
  price = json_object_get_object_member (json_object_get_object_member (variant, "pricing"), "basePrice");
  g_assert_cmpstr (json_object_get_string_member (price, "value"), ==, "13.25");
  g_assert_cmpstr (json_object_get_string_member (price, "currency"), ==, "USD");

  path = g_strdup_printf ("/v2/commerce/products?cursor=%s", cursor);
  second = sq (fixture, "GET", path, &read_only, NULL);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (second), "products")), ==, 10);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (sandbox_response_object (second), "pagination"),
                                                  "hasNextPage"));

  mixed_path = g_strdup_printf ("/v2/commerce/products?cursor=%s&type=PHYSICAL", cursor);
  mixed = sq (fixture, "GET", mixed_path, &read_only, NULL);
  assert_error_body (mixed, 400, "INVALID_REQUEST_ERROR");
  bogus = sq (fixture, "GET", "/v2/commerce/products?cursor=nope", &read_only, NULL);
  assert_error_body (bogus, 400, "INVALID_REQUEST_ERROR");

  refused = sq (fixture, "GET", "/v2/commerce/products", &no_products, NULL);
  assert_subtype (refused, 403, "AUTHORIZATION_ERROR", "MISSING_SCOPE");
  /* The same key still reads inventory: the permissions are per API. */
  inventory = sq (fixture, "GET", "/1.0/commerce/inventory", &no_products, NULL);
  g_assert_cmpuint (inventory->status, ==, 200);
}

/* The names of the products a list page holds, in order, comma-separated. */
static char *
product_names (SandboxResponse *response)
{
  JsonArray *products = json_object_get_array_member (sandbox_response_object (response), "products");
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (products); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (products, i), "name"));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
products_names_for (Fixture    *fixture,
                    const char *query)
{
  g_autofree char *path = g_strconcat ("/v2/commerce/products", query, NULL);
  g_autoptr(SandboxResponse) response = sq (fixture, "GET", path, &read_only, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return product_names (response);
}

/* §4.2: the list ordered by modifiedOn, filtered by a modifiedAfter/modifiedBefore window (as
 * for orders: both or neither, ISO 8601, before later than after; exclusive) and by type; a
 * cursor alone carries the filters on; bad values are 400. */
static void
test_products_filters (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"squarespace\":{\"inventory\":["
    "{\"sku\":\"M-1\",\"descriptor\":\"Mug [Small]\",\"productModifiedOn\":\"2026-03-02T10:00:00Z\"},"
    "{\"sku\":\"F-1\",\"descriptor\":\"Fitting\",\"productType\":\"SERVICE\","
    " \"productModifiedOn\":\"2026-03-01T10:00:00Z\"},"
    "{\"sku\":\"M-2\",\"descriptor\":\"Mug [Large]\",\"productModifiedOn\":\"2026-03-03T10:00:00Z\"},"
    "{\"sku\":\"B-1\",\"descriptor\":\"Beans\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad_type = sandbox_test_parse ("{\"squarespace\":{\"inventory\":[{\"sku\":\"G\",\"productType\":\"GIFT_CARD\"}]}}");
  g_autoptr(JsonNode) bad_time = sandbox_test_parse ("{\"squarespace\":{\"inventory\":[{\"sku\":\"G\",\"productModifiedOn\":\"soon\"}]}}");
  g_autoptr(SandboxResponse) first = NULL;
  g_autoptr(SandboxResponse) second = NULL;
  g_autofree char *all = NULL;
  g_autofree char *window = NULL;
  g_autofree char *edge = NULL;
  g_autofree char *services = NULL;
  g_autofree char *gift_cards = NULL;
  g_autofree char *physical_window = NULL;
  g_autofree char *path = NULL;
  g_autofree char *names = NULL;
  const char *refused[][2] = {
    { "?modifiedAfter=2026-03-01T00:00:00Z", "MISSING_ARGUMENT" },
    { "?modifiedBefore=2026-03-01T00:00:00Z", "MISSING_ARGUMENT" },
    { "?modifiedAfter=yesterday&modifiedBefore=2026-03-01T00:00:00Z", "INVALID_ARGUMENT" },
    { "?modifiedAfter=2026-03-02T00:00:00Z&modifiedBefore=2026-03-02T00:00:00Z", "INVALID_ARGUMENT" },
    { "?modifiedAfter=2026-03-03T00:00:00Z&modifiedBefore=2026-03-02T00:00:00Z", "INVALID_ARGUMENT" },
    { "?type=physical", "INVALID_ARGUMENT" },
    { "?type=PHYSICAL,SERVICE", "INVALID_ARGUMENT" },
  };
  JsonObject *pagination;

  /* 55 more physical products changed on 5 March: two pages of physical ones in a window. */
  for (guint i = 0; i < 55; i++)
    g_string_append_printf (json, ",{\"sku\":\"T-%u\",\"descriptor\":\"Thing %02u\","
                                  "\"productModifiedOn\":\"2026-03-05T10:00:%02u.000Z\"}", i, i, i);
  g_string_append (json, "]}}");
  load (fixture, sandbox_test_parse (json->str));

  /* Ascending by modifiedOn; Beans says none (the epoch). */
  first = sq (fixture, "GET", "/v2/commerce/products", &read_only, NULL);
  all = product_names (first);
  g_assert_true (g_str_has_prefix (all, "Beans,Fitting,Mug,Thing 00,"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (sandbox_response_object (first), "products"), 2), "modifiedOn"),
                   ==, "2026-03-03T10:00:00.000Z");
  g_clear_pointer (&first, sandbox_response_free);

  /* The Mug changed last on the 3rd (its latest variant): outside a window ending then. */
  window = products_names_for (fixture, "?modifiedAfter=2026-03-01T00:00:00Z&modifiedBefore=2026-03-03T10:00:00Z");
  g_assert_cmpstr (window, ==, "Fitting");
  edge = products_names_for (fixture, "?modifiedAfter=2026-03-01T10:00:00Z&modifiedBefore=2026-03-03T10:00:00.001Z");
  g_assert_cmpstr (edge, ==, "Mug");
  services = products_names_for (fixture, "?type=SERVICE");
  g_assert_cmpstr (services, ==, "Fitting");
  gift_cards = products_names_for (fixture, "?type=GIFT_CARD");
  g_assert_cmpstr (gift_cards, ==, "");
  physical_window = products_names_for (fixture, "?type=PHYSICAL&modifiedAfter=2026-02-01T00:00:00Z&modifiedBefore=2026-03-04T00:00:00Z");
  g_assert_cmpstr (physical_window, ==, "Mug");

  /* Page 2 by cursor alone keeps the window and the type. */
  first = sq (fixture, "GET", "/v2/commerce/products?type=PHYSICAL&modifiedAfter=2026-03-02T12:00:00Z"
                              "&modifiedBefore=2026-04-01T00:00:00Z", &read_only, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (first), "products")), ==, 50);
  pagination = json_object_get_object_member (sandbox_response_object (first), "pagination");
  g_assert_true (json_object_get_boolean_member (pagination, "hasNextPage"));
  path = g_strdup_printf ("/v2/commerce/products?cursor=%s", json_object_get_string_member (pagination, "nextPageCursor"));
  second = sq (fixture, "GET", path, &read_only, NULL);
  g_assert_cmpuint (second->status, ==, 200);
  names = product_names (second);
  g_assert_cmpstr (names, ==, "Thing 49,Thing 50,Thing 51,Thing 52,Thing 53,Thing 54");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (sandbox_response_object (second), "pagination"),
                                                  "hasNextPage"));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *bad_path = g_strconcat ("/v2/commerce/products", refused[i][0], NULL);
      g_autoptr(SandboxResponse) response = sq (fixture, "GET", bad_path, &read_only, NULL);

      g_test_message ("%s", refused[i][0]);
      assert_subtype (response, 400, "INVALID_REQUEST_ERROR", refused[i][1]);
    }

  /* A scenario's product can be physical or a service (the only ones with inventory, §4.1). */
  g_assert_false (relay_sandbox_load_scenario (fixture->sandbox, bad_type, &error));
  g_assert_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relay_sandbox_load_scenario (fixture->sandbox, bad_time, &error));
  g_assert_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/sandbox/squarespace/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("auth", test_auth);
  ADD ("website-expired", test_website_expired);
  ADD ("list/pages", test_list_pages);
  ADD ("list/filters", test_list_filters);
  ADD ("list/rules", test_list_rules);
  ADD ("get-order", test_get_order);
  ADD ("fulfill/permission-first", test_fulfill_permission_first);
  ADD ("fulfill/validation", test_fulfill_validation);
  ADD ("fulfill/appends", test_fulfill_appends);
  ADD ("inventory", test_inventory);
  ADD ("inventory/by-ids", test_inventory_by_ids);
  ADD ("inventory/adjustments", test_adjustments);
  ADD ("products", test_products);
  ADD ("products-pages-prices-permission", test_products_pages_prices_permission);
  ADD ("products-filters", test_products_filters);
  ADD ("demo-orders", test_demo_orders);
  ADD ("rate-limit", test_rate_limit);
  ADD ("add-cancel-edit", test_add_cancel_edit);
#undef ADD

  return g_test_run ();
}
