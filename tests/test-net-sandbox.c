/* test-net-sandbox.c — the network layer against the in-process sandbox of both APIs
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-sandbox-fixture.h"
#include "relay-squarespace.h"
#include "relay-test-server.h"
#include "relay-tradegecko.h"

typedef RelaySandboxFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  relay_sandbox_fixture_set_up (fixture, "test-net-sandbox", NULL);
  relay_sandbox_load_demo (fixture->sandbox);
  relay_sandbox_fixture_open (fixture);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

#define WAIT_FOR(result) RELAY_TEST_ITERATE_UNTIL ((result) != NULL, 60)

static JsonObject *
verify_squarespace (RelaySquarespace *client,
                    GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_squarespace_verify_async (client, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  return relay_squarespace_verify_finish (client, result, error);
}

static JsonArray *
list_all_orders (RelaySquarespace *client,
                 GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = g_date_time_add_days (now, -400);
  /* The sandbox gives each change a strictly later modifiedOn, 1 ms apart: orders added
   * in a burst lie a little in the future. */
  g_autoptr(GDateTime) before = g_date_time_add_hours (now, 1);
  g_autoptr(GAsyncResult) result = NULL;

  relay_squarespace_list_all_orders_async (client, after, before, NULL, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  return relay_squarespace_list_all_orders_finish (client, result, error);
}

/* The smallest order the sandbox accepts: one physical line. */
static JsonObject *
new_partial_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"customerEmail\":\"net@example.com\",\"lineItems\":[{\"sku\":\"CB-ETH-250\","
                                               "\"productName\":\"Ethiopia Yirgacheffe\",\"quantity\":1,"
                                               "\"unitPricePaid\":{\"value\":\"16.50\",\"currency\":\"USD\"}}]}",
                                               &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static guint
count_array (JsonNode   *state,
             const char *api,
             const char *member)
{
  JsonObject *object = json_object_get_object_member (json_node_get_object (state), api);

  return json_array_get_length (json_object_get_array_member (object, member));
}

static void
test_squarespace_verify (Fixture       *fixture,
                         gconstpointer  data)
{
  RelayHttp *http = relay_squarespace_get_http (fixture->squarespace);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) website = NULL;

  website = verify_squarespace (fixture->squarespace, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_object_get_string_member (website, "title"));
  g_assert_cmpstr (json_object_get_string_member (website, "title"), !=, "");

  relay_http_set_key (http, RELAY_SANDBOX_SQUARESPACE_READONLY_KEY);
  g_assert_null (verify_squarespace (fixture->squarespace, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);

  relay_http_set_key (http, "not-a-key");
  g_assert_null (verify_squarespace (fixture->squarespace, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  relay_http_set_key (http, RELAY_SANDBOX_SQUARESPACE_KEY);
  relay_sandbox_set_site_expired (fixture->sandbox, TRUE);
  g_assert_null (verify_squarespace (fixture->squarespace, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SITE_EXPIRED);
}

/* More orders than a page holds: the sandbox answers 400 to a cursor with any filter, so
 * reading them all proves the paging follows the documented rules. */
static void
test_squarespace_orders (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) before = NULL;
  g_autoptr(JsonArray) orders = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonArray) shipments = json_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *order_id;
  guint n_before;

  before = list_all_orders (fixture->squarespace, &error);
  g_assert_no_error (error);
  n_before = json_array_get_length (before);

  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(JsonObject) partial = new_partial_order ();
      g_autofree char *id = NULL;

      id = relay_sandbox_add_squarespace_order (fixture->sandbox, partial, &error);
      g_assert_no_error (error);
    }

  orders = list_all_orders (fixture->squarespace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (orders), ==, n_before + 60);
  g_assert_cmpuint (json_array_get_length (orders), >, 50);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) json_object_get_string_member (json_array_get_object_element (orders, i), "id")));

  /* Fulfil one and read it back: the shipment is on the order. */
  order_id = json_object_get_string_member (json_array_get_object_element (orders, 0), "id");
  json_array_add_object_element (shipments,
                                 relay_squarespace_new_shipment (now, "USPS", "Priority Mail", "9400TEST0001", NULL));
  relay_squarespace_fulfill_order_async (fixture->squarespace, order_id, shipments, FALSE, NULL,
                                         got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_true (relay_squarespace_fulfill_order_finish (fixture->squarespace, result, &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  relay_squarespace_get_order_async (fixture->squarespace, order_id, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  order = relay_squarespace_get_order_finish (fixture->squarespace, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "FULFILLED");
  {
    JsonArray *fulfillments = json_object_get_array_member (order, "fulfillments");
    JsonObject *last = json_array_get_object_element (fulfillments, json_array_get_length (fulfillments) - 1);

    g_assert_cmpstr (json_object_get_string_member (last, "trackingNumber"), ==, "9400TEST0001");
  }
}

/* The write happens, then the connection drops: without an idempotency key the
 * fulfillment is not posted a second time. */
static void
test_squarespace_no_blind_repost (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) partial = new_partial_order ();
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonArray) shipments = json_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *order_id = NULL;

  order_id = relay_sandbox_add_squarespace_order (fixture->sandbox, partial, &error);
  g_assert_no_error (error);

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DROP_AFTER, 0, 1);
  json_array_add_object_element (shipments,
                                 relay_squarespace_new_shipment (now, "UPS", "Ground", "1ZDROP", NULL));
  relay_squarespace_fulfill_order_async (fixture->squarespace, order_id, shipments, FALSE, NULL,
                                         got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_false (relay_squarespace_fulfill_order_finish (fixture->squarespace, result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_clear_error (&error);

  /* The engine's reconciliation: re-read, and the shipment is there exactly once. */
  g_clear_object (&result);
  relay_squarespace_get_order_async (fixture->squarespace, order_id, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  order = relay_squarespace_get_order_finish (fixture->squarespace, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 1);
}

/* RelayHttp gives up on an attempt with no answer after 75 s (docs/design.md), on its clock. */
#define WATCHDOG_US (75 * G_USEC_PER_SEC)
/* relay-http.c's longest backoff between attempts. */
#define BACKOFF_MAX_US (8 * G_USEC_PER_SEC)

/* Runs what is due on the test's main context now, without waiting for anything. */
static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* @http on a manual clock; returns it. */
static RelayClock *
use_manual_clock (RelayHttp *http)
{
  RelayClock *clock = relay_clock_new_manual (g_get_real_time ());

  relay_http_set_clock (http, clock);
  return clock;
}

/* The sandbox holds the attempt in flight: just before 75 s it still waits, at 75 s it gives
 * up and closes that connection, and (safe) sends again after the backoff. */
static void
pass_watchdog_and_backoff (Fixture    *fixture,
                           RelayHttp  *http,
                           RelayClock *clock)
{
  guint retries = relay_http_get_retries (http);

  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 1, 30);
  relay_clock_advance (clock, WATCHDOG_US - 1);
  iterate_pending ();
  g_assert_cmpuint (relay_http_get_retries (http), ==, retries);
  g_assert_cmpuint (relay_sandbox_get_held_count (fixture->sandbox), ==, 1);

  relay_clock_advance (clock, 1);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 0, 30);
  g_assert_cmpuint (relay_http_get_retries (http), ==, retries + 1);
  relay_clock_advance (clock, BACKOFF_MAX_US);
}

/* A new order, and the path of it (with @tail) whose next @method request the sandbox holds
 * with @fault; the request log starts empty. Returns the order's id. */
static char *
add_order_held (Fixture            *fixture,
                const char         *method,
                const char         *tail,
                RelaySandboxFault   fault,
                char              **path)
{
  g_autoptr(JsonObject) partial = new_partial_order ();
  g_autoptr(GError) error = NULL;
  char *order_id = relay_sandbox_add_squarespace_order (fixture->sandbox, partial, &error);

  g_assert_no_error (error);
  *path = g_strconcat ("/1.0/commerce/orders/", order_id, tail, NULL);
  relay_sandbox_clear_request_log (fixture->sandbox);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, method, *path, fault, 0, 1);
  return order_id;
}

/* A GET the server never answers is given up on and sent again: the caller gets the order. */
static void
test_watchdog_get_retried (Fixture       *fixture,
                           gconstpointer  data)
{
  RelayHttp *http = relay_squarespace_get_http (fixture->squarespace);
  g_autoptr(RelayClock) clock = use_manual_clock (http);
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *order_id = add_order_held (fixture, "GET", "", RELAY_SANDBOX_FAULT_HANG_BEFORE, &path);

  relay_squarespace_get_order_async (fixture->squarespace, order_id, NULL, got_result_cb, &result);
  pass_watchdog_and_backoff (fixture, http, clock);
  WAIT_FOR (result);
  order = relay_squarespace_get_order_finish (fixture->squarespace, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (order, "id"), ==, order_id);
  g_assert_cmpuint (relay_sandbox_fixture_count_requests (fixture, "GET", path), ==, 2);
}

/* A fulfilment POST (no idempotency key) the server acted on and never answered: given up
 * on with an error that says so, and not sent a second time. */
static void
test_watchdog_post_not_repeated (Fixture       *fixture,
                                 gconstpointer  data)
{
  RelayHttp *http = relay_squarespace_get_http (fixture->squarespace);
  g_autoptr(RelayClock) clock = use_manual_clock (http);
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonArray) shipments = json_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *order_id = add_order_held (fixture, "POST", "/fulfillments", RELAY_SANDBOX_FAULT_HANG_AFTER, &path);

  json_array_add_object_element (shipments,
                                 relay_squarespace_new_shipment (now, "UPS", "Ground", "1ZHUNG", NULL));
  relay_squarespace_fulfill_order_async (fixture->squarespace, order_id, shipments, FALSE, NULL,
                                         got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 1, 30);
  relay_clock_advance (clock, WATCHDOG_US);
  WAIT_FOR (result);
  g_assert_false (relay_squarespace_fulfill_order_finish (fixture->squarespace, result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Squarespace"));
  g_assert_nonnull (strstr (error->message, "No answer within 75 s"));
  g_clear_error (&error);

  /* Nothing further goes out, whatever time passes; the abandoned connection is closed. */
  relay_clock_advance (clock, 10 * BACKOFF_MAX_US);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 0, 30);
  iterate_pending ();
  g_assert_cmpuint (relay_http_get_retries (http), ==, 0);
  g_assert_cmpuint (relay_sandbox_fixture_count_requests (fixture, "POST", path), ==, 1);

  /* What the engine does next: re-read. The shipment is there once. */
  g_clear_object (&result);
  relay_squarespace_get_order_async (fixture->squarespace, order_id, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  order = relay_squarespace_get_order_finish (fixture->squarespace, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 1);
}

/* A sales-order POST with an idempotency key the server acted on and never answered: safe to
 * send again, and the second attempt gets the order the first one made. */
static void
test_watchdog_post_with_key_retried (Fixture       *fixture,
                                     gconstpointer  data)
{
  RelayHttp *http = relay_tradegecko_get_http (fixture->tradegecko);
  g_autoptr(RelayClock) clock = use_manual_clock (http);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_orders;

  body = json_from_string ("{\"order\":{\"issued_at\":\"2026-03-01\",\"status\":\"active\","
                           "\"reference_number\":\"net-sandbox-hung\",\"company\":{\"name\":\"Jane Doe\",\"company_type\":\"consumer\"},"
                           "\"shipping_address\":{\"label\":\"Shipping\",\"address1\":\"1 Main St\"},"
                           "\"order_line_items\":[]}}", &error);
  g_assert_no_error (error);
  state = relay_sandbox_dup_state (fixture->sandbox);
  n_orders = count_array (state, "tradegecko", "orders");
  g_clear_pointer (&state, json_node_unref);
  relay_sandbox_clear_request_log (fixture->sandbox);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_HANG_AFTER, 0, 1);

  relay_tradegecko_create_order_async (fixture->tradegecko, body, "sqsp-net-sandbox-hung", NULL, got_result_cb, &result);
  pass_watchdog_and_backoff (fixture, http, clock);
  WAIT_FOR (result);
  created = relay_tradegecko_create_order_finish (fixture->tradegecko, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (created, "id"), >, 0);
  g_assert_cmpuint (relay_sandbox_fixture_count_requests (fixture, "POST", "/orders"), ==, 2);

  state = relay_sandbox_dup_state (fixture->sandbox);
  g_assert_cmpuint (count_array (state, "tradegecko", "orders"), ==, n_orders + 1);
}

static void
test_squarespace_rate_limit (Fixture       *fixture,
                             gconstpointer  data)
{
  RelayHttp *http = relay_squarespace_get_http (fixture->squarespace);
  GAsyncResult *results[8] = { NULL };
  g_autoptr(JsonNode) log = NULL;
  guint n_429 = 0;

  /* The sandbox allows 3 requests a second, then a 1 s cool-down; our pacing would never get
   * there, so loosen it to see the 429 handling (with the client's cool-down shortened too). */
  relay_sandbox_set_rate_limit (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, 3, 1, 1);
  relay_http_set_pacing (http, 100, 6000);
  relay_http_set_cooldown (http, 1100);
  relay_http_set_max_attempts (http, 6);
  relay_sandbox_clear_request_log (fixture->sandbox);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    relay_squarespace_get_website_async (fixture->squarespace, NULL, got_result_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) website = NULL;

      WAIT_FOR (results[i]);
      website = relay_squarespace_get_website_finish (fixture->squarespace, results[i], &error);
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }

  log = relay_sandbox_dup_request_log (fixture->sandbox);
  {
    JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");

    for (guint i = 0; i < json_array_get_length (requests); i++)
      n_429 += json_object_get_int_member (json_array_get_object_element (requests, i), "status") == 429;
  }
  g_assert_cmpuint (n_429, >=, 1);
  g_assert_cmpuint (relay_http_get_waits (http), >=, 1);
}

static void
test_tradegecko (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *skus[] = { "CB-ETH-250", "TEA-SEN-50", "NO-SUCH-SKU", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) account = NULL;
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonArray) found = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *body_json = NULL;
  gint64 variant_id;
  guint n_orders;

  relay_tradegecko_verify_async (fixture->tradegecko, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  account = relay_tradegecko_verify_finish (fixture->tradegecko, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_object_get_string_member (account, "name"));

  g_clear_object (&result);
  relay_tradegecko_find_variants_by_skus_async (fixture->tradegecko, skus, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  variants = relay_tradegecko_find_variants_by_skus_finish (fixture->tradegecko, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  variant_id = json_object_get_int_member (json_array_get_object_element (variants, 0), "id");

  state = relay_sandbox_dup_state (fixture->sandbox);
  n_orders = count_array (state, "tradegecko", "orders");
  g_clear_pointer (&state, json_node_unref);

  /* A dropped answer after the order was created: the retry with the same key gets the same order. */
  body_json = g_strdup_printf ("{\"order\":{\"issued_at\":\"2026-03-01\",\"status\":\"active\","
                               "\"reference_number\":\"net-sandbox-1\",\"company\":{\"name\":\"Jane Doe\",\"company_type\":\"consumer\"},"
                               "\"shipping_address\":{\"label\":\"Shipping\",\"address1\":\"1 Main St\"},"
                               "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":%" G_GINT64_FORMAT ",\"quantity\":1,\"price\":\"16.50\"}]}}",
                               variant_id);
  body = json_from_string (body_json, &error);
  g_assert_no_error (error);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DROP_AFTER, 0, 1);
  g_clear_object (&result);
  relay_tradegecko_create_order_async (fixture->tradegecko, body, "sqsp-net-sandbox-1", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  first = relay_tradegecko_create_order_finish (fixture->tradegecko, result, &error);
  g_assert_no_error (error);
  /* The first answer was lost; the key made the second attempt safe. */
  g_assert_cmpuint (relay_http_get_retries (relay_tradegecko_get_http (fixture->tradegecko)), ==, 1);

  g_clear_object (&result);
  relay_tradegecko_create_order_async (fixture->tradegecko, body, "sqsp-net-sandbox-1", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  second = relay_tradegecko_create_order_finish (fixture->tradegecko, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==, json_object_get_int_member (second, "id"));

  state = relay_sandbox_dup_state (fixture->sandbox);
  g_assert_cmpuint (count_array (state, "tradegecko", "orders"), ==, n_orders + 1);

  g_clear_object (&result);
  relay_tradegecko_find_orders_by_reference_async (fixture->tradegecko, "net-sandbox-1", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  found = relay_tradegecko_find_orders_by_reference_finish (fixture->tradegecko, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (found, 0), "id"), ==,
                   json_object_get_int_member (first, "id"));
}

static JsonArray *
search_variants (RelayTradegecko *client,
                 const char      *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *variants;

  relay_tradegecko_search_variants_async (client, query, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  variants = relay_tradegecko_search_variants_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (variants);
  return variants;
}

static void
test_tradegecko_search (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonArray) blend = search_variants (fixture->tradegecko, "BLEND");
  g_autoptr(JsonArray) filters = search_variants (fixture->tradegecko, "filters (100)");
  g_autoptr(JsonArray) by_sku = search_variants (fixture->tradegecko, "mug-stn-b");
  g_autoptr(JsonArray) archived = search_variants (fixture->tradegecko, "holiday");
  g_autoptr(JsonArray) ampersand = search_variants (fixture->tradegecko, "blend&status=archived");
  g_autoptr(JsonArray) many = search_variants (fixture->tradegecko, "g");

  /* House Espresso Blend twice; the archived Holiday Blend is not offered. */
  g_assert_cmpuint (json_array_get_length (blend), ==, 2);
  for (guint i = 0; i < json_array_get_length (blend); i++)
    {
      JsonObject *variant = json_array_get_object_element (blend, i);

      g_assert_cmpstr (json_object_get_string_member (variant, "product_name"), ==, "House Espresso Blend");
      g_assert_cmpstr (json_object_get_string_member (variant, "status"), ==, "active");
    }
  g_assert_cmpuint (json_array_get_length (filters), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (filters, 0), "sku"), ==, "EQ-FLT-100");
  g_assert_cmpuint (json_array_get_length (by_sku), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (by_sku, 0), "sku"), ==, "MUG-STN-BLU");
  g_assert_cmpuint (json_array_get_length (archived), ==, 0);
  /* The query is one encoded value: an "&" in it adds no filter. */
  g_assert_cmpuint (json_array_get_length (ampersand), ==, 0);
  /* One page of at most 25. */
  g_assert_cmpuint (json_array_get_length (many), ==, RELAY_TRADEGECKO_SEARCH_LIMIT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/net-sandbox/squarespace-verify", Fixture, NULL,
              fixture_set_up, test_squarespace_verify, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/squarespace-orders", Fixture, NULL,
              fixture_set_up, test_squarespace_orders, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/squarespace-no-blind-repost", Fixture, NULL,
              fixture_set_up, test_squarespace_no_blind_repost, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/watchdog/get-retried", Fixture, NULL,
              fixture_set_up, test_watchdog_get_retried, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/watchdog/post-not-repeated", Fixture, NULL,
              fixture_set_up, test_watchdog_post_not_repeated, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/watchdog/post-with-key-retried", Fixture, NULL,
              fixture_set_up, test_watchdog_post_with_key_retried, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/squarespace-rate-limit", Fixture, NULL,
              fixture_set_up, test_squarespace_rate_limit, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/tradegecko", Fixture, NULL,
              fixture_set_up, test_tradegecko, relay_sandbox_fixture_tear_down);
  g_test_add ("/net-sandbox/tradegecko-search", Fixture, NULL,
              fixture_set_up, test_tradegecko_search, relay_sandbox_fixture_tear_down);

  return g_test_run ();
}
