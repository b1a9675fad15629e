/* test-clients.c — the Squarespace and TradeGecko clients' queries, paging and parsing
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-order-destination.h"
#include "relay-order-source.h"
#include "relay-squarespace.h"
#include "relay-tradegecko.h"
#include "relay-test-server.h"

#define TEST_KEY "test-key-for-clients"

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

#define WAIT_FOR(result) RELAY_TEST_ITERATE_UNTIL ((result) != NULL, 30)

static RelaySquarespace *
new_squarespace (RelayTestServer *server)
{
  g_autoptr(GError) error = NULL;
  RelaySquarespace *client = relay_squarespace_new_for_url (relay_test_server_get_url (server), &error);

  g_assert_no_error (error);
  relay_http_set_key (relay_squarespace_get_http (client), TEST_KEY);
  relay_http_set_backoff (relay_squarespace_get_http (client), 5, 20);
  return client;
}

static RelayTradegecko *
new_tradegecko (RelayTestServer *server)
{
  g_autoptr(GError) error = NULL;
  RelayTradegecko *client = relay_tradegecko_new_for_url (relay_test_server_get_url (server), &error);

  g_assert_no_error (error);
  relay_http_set_key (relay_tradegecko_get_http (client), TEST_KEY);
  relay_http_set_backoff (relay_tradegecko_get_http (client), 5, 20);
  return client;
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static GDateTime *
utc (int year, int month, int day, int hour, int minute, double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

/* Squarespace */

static void
test_squarespace_website (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelaySquarespace) client = new_squarespace (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) website = NULL;

  relay_test_server_reply (server, 200,
                           "{\"id\":\"5f3\",\"siteId\":\"bean-shop\",\"title\":\"Bean Shop\",\"url\":\"https://bean.example\","
                           "\"currency\":\"USD\",\"measurementStandard\":\"IMPERIAL\",\"language\":\"en-US\",\"newField\":{}}",
                           NULL);
  relay_squarespace_get_website_async (client, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  website = relay_squarespace_get_website_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (website, "title"), ==, "Bean Shop");
  g_assert_cmpstr (json_object_get_string_member (website, "currency"), ==, "USD");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->path, ==, "/1.0/authorization/website");
  g_assert_null (relay_test_server_get_request (server, 0)->query);
}

static void
test_squarespace_paging (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelaySquarespace) client = new_squarespace (server);
  g_autoptr(GDateTime) after = utc (2026, 3, 1, 0, 0, 0);
  g_autoptr(GDateTime) before = utc (2026, 3, 2, 12, 30, 5.25);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) orders = NULL;
  g_autofree char *cursor = NULL;

  relay_test_server_reply (server, 200,
                           "{\"result\":[{\"id\":\"o1\",\"orderNumber\":\"1\"},{\"id\":\"o2\",\"orderNumber\":\"2\"}],"
                           "\"pagination\":{\"hasNextPage\":true,\"nextPageCursor\":\"c/2+x=\","
                           "\"nextPageUrl\":\"https://api.squarespace.com/1.0/commerce/inventory?cursor=wrong\"}}",
                           NULL);
  relay_test_server_reply (server, 200,
                           "{\"result\":null,\"pagination\":{\"hasNextPage\":true,\"nextPageCursor\":\"c3\",\"nextPageUrl\":null}}",
                           NULL);
  relay_test_server_reply (server, 200,
                           "{\"result\":[{\"id\":\"o3\",\"fulfillments\":null,\"lineItems\":[]}],"
                           "\"pagination\":{\"hasNextPage\":false,\"nextPageCursor\":null,\"nextPageUrl\":null}}",
                           NULL);

  relay_squarespace_list_all_orders_async (client, after, before, "PENDING", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  orders = relay_squarespace_list_all_orders_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (orders), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (orders, 2), "id"), ==, "o3");

  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (relay_test_server_get_request (server, i)->path, ==, "/1.0/commerce/orders");
  /* The window on page 1, in UTC with milliseconds … */
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->query, ==,
                   "modifiedAfter=2026-03-01T00%3A00%3A00.000Z&modifiedBefore=2026-03-02T12%3A30%3A05.250Z"
                   "&fulfillmentStatus=PENDING");
  /* … then the cursor alone, built from nextPageCursor (not nextPageUrl), encoded. */
  g_assert_cmpstr (relay_test_server_get_request (server, 1)->query, ==, "cursor=c%2F2%2Bx%3D");
  g_assert_cmpstr (relay_test_server_get_request (server, 2)->query, ==, "cursor=c3");

  /* One page at a time, for the engine's own loop. */
  g_clear_object (&result);
  g_clear_pointer (&orders, json_array_unref);
  relay_test_server_reply (server, 200,
                           "{\"result\":[],\"pagination\":{\"hasNextPage\":true,\"nextPageCursor\":\"next-1\"}}", NULL);
  relay_squarespace_list_orders_async (client, NULL, NULL, NULL, "prev-0", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  orders = relay_squarespace_list_orders_finish (client, result, &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (orders), ==, 0);
  g_assert_cmpstr (cursor, ==, "next-1");
  g_assert_cmpstr (relay_test_server_get_request (server, 3)->query, ==, "cursor=prev-0");

  /* The last page has no cursor; a page claiming more without one is malformed. */
  g_clear_object (&result);
  g_clear_pointer (&orders, json_array_unref);
  g_clear_pointer (&cursor, g_free);
  relay_test_server_reply (server, 200, "{\"result\":[{\"id\":\"o9\"}]}", NULL);
  relay_squarespace_list_orders_async (client, after, before, NULL, NULL, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  orders = relay_squarespace_list_orders_finish (client, result, &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (orders), ==, 1);
  g_assert_null (cursor);
  g_assert_cmpstr (relay_test_server_get_request (server, 4)->query, ==,
                   "modifiedAfter=2026-03-01T00%3A00%3A00.000Z&modifiedBefore=2026-03-02T12%3A30%3A05.250Z");

  g_clear_object (&result);
  g_clear_pointer (&orders, json_array_unref);
  relay_test_server_reply (server, 200, "{\"result\":[],\"pagination\":{\"hasNextPage\":true,\"nextPageCursor\":null}}", NULL);
  relay_squarespace_list_all_orders_async (client, after, before, NULL, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  orders = relay_squarespace_list_all_orders_finish (client, result, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_null (orders);
}

static void
test_squarespace_orders (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelaySquarespace) client = new_squarespace (server);
  g_autoptr(GDateTime) shipped = utc (2026, 3, 2, 15, 4, 5);
  g_autoptr(JsonArray) shipments = json_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonNode) sent = NULL;
  JsonObject *body;
  JsonObject *shipment;

  relay_test_server_reply (server, 200, "{\"id\":\"585d498fdee9f31a60284a37\",\"orderNumber\":\"3618\"}", NULL);
  relay_squarespace_get_order_async (client, "585d498fdee9f31a60284a37", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  order = relay_squarespace_get_order_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (order, "orderNumber"), ==, "3618");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->path, ==, "/1.0/commerce/orders/585d498fdee9f31a60284a37");

  g_clear_object (&result);
  relay_test_server_reply (server, 404, "{\"type\":\"INVALID_REQUEST_ERROR\",\"message\":\"not found\"}", NULL);
  relay_squarespace_get_order_async (client, "a/b", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_null (relay_squarespace_get_order_finish (client, result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);

  json_array_add_object_element (shipments,
                                 relay_squarespace_new_shipment (shipped, "USPS", "Priority Mail",
                                                                 "9400109699939624119857",
                                                                 "https://tools.usps.com/go/T?n=9400"));
  json_array_add_object_element (shipments,
                                 relay_squarespace_new_shipment (shipped, "UPS", "Ground", "1Z999", NULL));
  g_clear_object (&result);
  relay_test_server_reply (server, 204, NULL, NULL);
  relay_squarespace_fulfill_order_async (client, "585d498fdee9f31a60284a37", shipments, TRUE, NULL,
                                         got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_true (relay_squarespace_fulfill_order_finish (client, result, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (relay_test_server_get_request (server, 2)->method, ==, "POST");
  g_assert_cmpstr (relay_test_server_get_request (server, 2)->path, ==,
                   "/1.0/commerce/orders/585d498fdee9f31a60284a37/fulfillments");
  sent = parse (relay_test_server_get_request (server, 2)->body);
  body = json_node_get_object (sent);
  g_assert_true (json_object_get_boolean_member (body, "shouldSendNotification"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "shipments")), ==, 2);
  shipment = json_array_get_object_element (json_object_get_array_member (body, "shipments"), 0);
  g_assert_cmpstr (json_object_get_string_member (shipment, "shipDate"), ==, "2026-03-02T15:04:05.000Z");
  g_assert_cmpstr (json_object_get_string_member (shipment, "carrierName"), ==, "USPS");
  g_assert_cmpstr (json_object_get_string_member (shipment, "service"), ==, "Priority Mail");
  g_assert_cmpstr (json_object_get_string_member (shipment, "trackingNumber"), ==, "9400109699939624119857");
  g_assert_cmpstr (json_object_get_string_member (shipment, "trackingUrl"), ==, "https://tools.usps.com/go/T?n=9400");
  shipment = json_array_get_object_element (json_object_get_array_member (body, "shipments"), 1);
  g_assert_false (json_object_has_member (shipment, "trackingUrl"));
}

static RelayShipment *
shipment_new (gint64      shipped_at,
              const char *carrier,
              const char *service,
              const char *tracking_number,
              const char *tracking_url)
{
  RelayShipment *shipment = g_new0 (RelayShipment, 1);

  shipment->shipped_at = shipped_at;
  shipment->carrier = g_strdup (carrier);
  shipment->service = g_strdup (service);
  shipment->tracking_number = g_strdup (tracking_number);
  shipment->tracking_url = g_strdup (tracking_url);
  return shipment;
}

/* The tracking post as the order source writes it from RelayShipment: the
 * carrier map, the buyer's shipping method when there is no service, one
 * parcel per tracking number, a tracking URL only when it is one. */
static void
test_squarespace_post_shipments (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelaySquarespace) client = new_squarespace (server);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "order-full.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GPtrArray) shipments = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_shipment_free);
  g_autoptr(GHashTable) carriers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 shipped = G_GINT64_CONSTANT (1772463845123);

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  order = relay_order_new_from_json_string (json, &error);
  g_assert_no_error (error);
  g_hash_table_insert (carriers, (gpointer) "GeckoShip", (gpointer) "DHL Express");
  g_ptr_array_add (shipments, shipment_new (shipped, " geckoship ", NULL, " 123TrackMe ", "thetracker.com/3311233"));
  g_ptr_array_add (shipments, shipment_new (shipped, NULL, "Ground", "1Z999", "not a url"));
  g_ptr_array_add (shipments, shipment_new (shipped, "UPS", "Ground", "1Z999", NULL));

  relay_test_server_reply (server, 204, NULL, NULL);
  relay_order_source_post_shipments_async (RELAY_ORDER_SOURCE (client), order, shipments, carriers, FALSE, NULL,
                                           got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_true (relay_order_source_post_shipments_finish (RELAY_ORDER_SOURCE (client), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 1);
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->path, ==,
                   "/1.0/commerce/orders/600f3782be34535f39c6e6f9/fulfillments");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->body, ==,
                   "{\"shouldSendNotification\":false,\"shipments\":["
                   "{\"shipDate\":\"2026-03-02T15:04:05.000Z\",\"carrierName\":\"DHL Express\","
                   "\"service\":\"Flat Rate\",\"trackingNumber\":\"123TrackMe\","
                   "\"trackingUrl\":\"https://thetracker.com/3311233\"},"
                   "{\"shipDate\":\"2026-03-02T15:04:05.000Z\",\"carrierName\":\"Other\","
                   "\"service\":\"Ground\",\"trackingNumber\":\"1Z999\"}]}");

  /* A shipment without a tracking number to post refuses the whole post. */
  g_clear_object (&result);
  g_ptr_array_set_size (shipments, 0);
  g_ptr_array_add (shipments, shipment_new (shipped, NULL, NULL, "  ", NULL));
  relay_order_source_post_shipments_async (RELAY_ORDER_SOURCE (client), order, shipments, carriers, FALSE, NULL,
                                           got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_false (relay_order_source_post_shipments_finish (RELAY_ORDER_SOURCE (client), result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 1);
}

static void
verify_squarespace (RelayTestServer *server,
                    JsonObject     **website,
                    GError         **error)
{
  g_autoptr(RelaySquarespace) client = new_squarespace (server);
  g_autoptr(GAsyncResult) result = NULL;

  relay_squarespace_verify_async (client, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  *website = relay_squarespace_verify_finish (client, result, error);
}

static void
test_squarespace_verify (void)
{
  const char *website_json = "{\"id\":\"5f3\",\"title\":\"Bean Shop\",\"currency\":\"USD\"}";
  g_autoptr(GError) error = NULL;
  JsonObject *website = NULL;

  /* A key that may write: the probe finds no such order. */
  {
    g_autoptr(RelayTestServer) server = relay_test_server_new ();
    g_autoptr(JsonNode) probe = NULL;
    JsonObject *shipment;

    relay_test_server_reply (server, 200, website_json, NULL);
    relay_test_server_reply (server, 404, "{\"type\":\"INVALID_REQUEST_ERROR\",\"message\":\"Order not found\"}", NULL);
    verify_squarespace (server, &website, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (website, "title"), ==, "Bean Shop");
    g_clear_pointer (&website, json_object_unref);

    g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);
    g_assert_cmpstr (relay_test_server_get_request (server, 1)->method, ==, "POST");
    g_assert_cmpstr (relay_test_server_get_request (server, 1)->path, ==,
                     "/1.0/commerce/orders/000000000000000000000000/fulfillments");
    /* The probe is a valid fulfillment, so only permission or existence can fail it. */
    probe = parse (relay_test_server_get_request (server, 1)->body);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (probe), "shouldSendNotification"));
    shipment = json_array_get_object_element (json_object_get_array_member (json_node_get_object (probe), "shipments"), 0);
    g_assert_nonnull (json_object_get_string_member (shipment, "shipDate"));
    g_assert_nonnull (json_object_get_string_member (shipment, "carrierName"));
    g_assert_nonnull (json_object_get_string_member (shipment, "service"));
    g_assert_nonnull (json_object_get_string_member (shipment, "trackingNumber"));
  }

  /* A read-only key. */
  {
    g_autoptr(RelayTestServer) server = relay_test_server_new ();

    relay_test_server_reply (server, 200, website_json, NULL);
    relay_test_server_reply (server, 403, "{\"type\":\"AUTHORIZATION_ERROR\",\"subtype\":\"FORBIDDEN_RESOURCE\"}", NULL);
    verify_squarespace (server, &website, &error);
    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN);
    g_assert_nonnull (strstr (error->message, "The Squarespace key is read-only: Orders needs Read and Write"));
    g_assert_null (website);
    g_clear_error (&error);
  }

  /* A wrong key, a lapsed site: stop at the first call. */
  {
    g_autoptr(RelayTestServer) server = relay_test_server_new ();

    relay_test_server_reply (server, 401, "{\"type\":\"AUTHORIZATION_ERROR\"}", NULL);
    verify_squarespace (server, &website, &error);
    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
    relay_test_server_reply (server, 402, "{\"type\":\"WEBSITE_EXPIRED\"}", NULL);
    verify_squarespace (server, &website, &error);
    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SITE_EXPIRED);
    g_clear_error (&error);
    g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);
  }

  /* Nothing listening: no network. */
  {
    g_autoptr(RelayTestServer) server = relay_test_server_new ();
    g_autofree char *url = g_strdup (relay_test_server_get_url (server));
    g_autoptr(RelaySquarespace) client = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    g_clear_pointer (&server, relay_test_server_free);
    client = relay_squarespace_new_for_url (url, &error);
    g_assert_no_error (error);
    relay_http_set_key (relay_squarespace_get_http (client), TEST_KEY);
    relay_http_set_backoff (relay_squarespace_get_http (client), 5, 20);
    relay_squarespace_verify_async (client, NULL, got_result_cb, &result);
    WAIT_FOR (result);
    g_assert_null (relay_squarespace_verify_finish (client, result, &error));
    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  }
}

/* TradeGecko */

static char *
pagination_header (gboolean last_page)
{
  return g_strdup_printf ("{\"total_records\":2,\"total_pages\":2,\"first_page\":%s,\"last_page\":%s,"
                          "\"out_of_bounds\":false,\"offset\":0}",
                          last_page ? "false" : "true", last_page ? "true" : "false");
}

/* Answers GET /variants with one variant per SKU asked for, like TradeGecko would, plus a
 * case-insensitive near miss to prove the client keeps exact matches only. */
static void
variants_handler (SoupServerMessage      *message,
                  const RelayTestRequest *request,
                  gpointer                user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *pagination = pagination_header (TRUE);
  g_auto(GStrv) pairs = g_strsplit (request->query ? request->query : "", "&", -1);
  static gint next_id = 1000;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "variants");
  json_builder_begin_array (builder);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *sku = NULL;
      g_autofree char *near_miss = NULL;

      if (!g_str_has_prefix (pairs[i], "sku%5B%5D="))
        continue;
      sku = g_uri_unescape_string (pairs[i] + strlen ("sku%5B%5D="), NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, g_atomic_int_add (&next_id, 1));
      json_builder_set_member_name (builder, "sku");
      json_builder_add_string_value (builder, sku);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "active");
      json_builder_end_object (builder);

      near_miss = g_ascii_strdown (sku, -1);
      if (g_str_equal (near_miss, sku))
        {
          g_free (near_miss);
          near_miss = g_strconcat (sku, " ", NULL);
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, g_atomic_int_add (&next_id, 1));
      json_builder_set_member_name (builder, "sku");
      json_builder_add_string_value (builder, near_miss);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  relay_test_reply_json (message, 200, body);
  soup_message_headers_replace (soup_server_message_get_response_headers (message), "X-Pagination", pagination);
}

static guint
count_sku_params (const char *query)
{
  g_auto(GStrv) pairs = g_strsplit (query, "&", -1);
  guint n = 0;

  for (guint i = 0; pairs[i] != NULL; i++)
    n += g_str_has_prefix (pairs[i], "sku%5B%5D=");

  return n;
}

static JsonArray *
find_variants (RelayTradegecko    *client,
               const char * const *skus)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *variants;

  relay_tradegecko_find_variants_by_skus_async (client, skus, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  variants = relay_tradegecko_find_variants_by_skus_finish (client, result, &error);
  g_assert_no_error (error);
  return variants;
}

static void
test_tradegecko_variants_chunked (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(GHashTable) returned = g_hash_table_new (g_str_hash, g_str_equal);
  const char *special[] = { "A B", "X&Y=1", "50%", "café", "a+b", "#1", "sku[]", NULL };
  const char *again[] = { "X&Y=1", "SKU-007", NULL };
  const char *one[] = { "café", NULL };
  const RelayTestRequest *request;

  relay_test_server_set_handler (server, variants_handler, NULL);

  for (guint i = 0; special[i] != NULL; i++)
    g_ptr_array_add (skus, g_strdup (special[i]));
  for (guint i = 0; i < 113; i++)
    g_ptr_array_add (skus, g_strdup_printf ("SKU-%03u", i));
  /* Duplicates and a blank SKU are not asked for. */
  g_ptr_array_add (skus, g_strdup ("SKU-007"));
  g_ptr_array_add (skus, g_strdup (""));
  g_ptr_array_add (skus, NULL);

  variants = find_variants (client, (const char * const *) skus->pdata);

  /* 120 distinct SKUs: chunks of 50, 50 and 20, one page each. */
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 3);
  g_assert_cmpuint (count_sku_params (relay_test_server_get_request (server, 0)->query), ==, 50);
  g_assert_cmpuint (count_sku_params (relay_test_server_get_request (server, 1)->query), ==, 50);
  g_assert_cmpuint (count_sku_params (relay_test_server_get_request (server, 2)->query), ==, 20);

  request = relay_test_server_get_request (server, 0);
  g_assert_cmpstr (request->path, ==, "/variants");
  g_assert_true (g_str_has_prefix (request->query,
                                   "sku%5B%5D=A%20B&sku%5B%5D=X%26Y%3D1&sku%5B%5D=50%25&sku%5B%5D=caf%C3%A9"
                                   "&sku%5B%5D=a%2Bb&sku%5B%5D=%231&sku%5B%5D=sku%5B%5D&sku%5B%5D=SKU-000&"));
  g_assert_true (g_str_has_suffix (request->query, "&limit=250&page=1"));

  /* Exact matches only, each SKU once. */
  g_assert_cmpuint (json_array_get_length (variants), ==, 120);
  for (guint i = 0; i < json_array_get_length (variants); i++)
    g_assert_true (g_hash_table_add (returned, (gpointer) json_object_get_string_member (json_array_get_object_element (variants, i), "sku")));
  for (guint i = 0; special[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (returned, special[i]));
  for (guint i = 0; i < 113; i++)
    {
      g_autofree char *sku = g_strdup_printf ("SKU-%03u", i);

      g_assert_true (g_hash_table_contains (returned, sku));
    }

  /* Cached for the session: no request at all. */
  g_clear_pointer (&variants, json_array_unref);
  variants = find_variants (client, again);
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 3);

  /* Invalidated: asked again, alone. */
  relay_tradegecko_invalidate_variants (client, "café");
  g_clear_pointer (&variants, json_array_unref);
  variants = find_variants (client, one);
  g_assert_cmpuint (json_array_get_length (variants), ==, 1);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 4);
  g_assert_cmpstr (relay_test_server_get_request (server, 3)->query, ==, "sku%5B%5D=caf%C3%A9&limit=250&page=1");

  relay_tradegecko_invalidate_variants (client, NULL);
  g_clear_pointer (&variants, json_array_unref);
  variants = find_variants (client, again);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 5);
}

static void
test_tradegecko_variants_paged (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  g_autofree char *first = pagination_header (FALSE);
  g_autofree char *last = pagination_header (TRUE);
  g_autoptr(JsonArray) variants = NULL;
  const char *skus[] = { "DUP", "NOPE", NULL };

  /* TradeGecko does not enforce unique SKUs: both variants come back, over two pages. */
  relay_test_server_reply (server, 200, "{\"variants\":[{\"id\":1,\"sku\":\"DUP\",\"status\":\"active\"}]}",
                           "X-Pagination", first, NULL);
  relay_test_server_reply (server, 200, "{\"variants\":[{\"id\":2,\"sku\":\"DUP\",\"status\":\"active\"},"
                           "{\"id\":1,\"sku\":\"DUP\",\"status\":\"active\"}]}",
                           "X-Pagination", last, NULL);
  variants = find_variants (client, skus);
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->query, ==, "sku%5B%5D=DUP&sku%5B%5D=NOPE&limit=250&page=1");
  g_assert_cmpstr (relay_test_server_get_request (server, 1)->query, ==, "sku%5B%5D=DUP&sku%5B%5D=NOPE&limit=250&page=2");

  /* The unknown SKU is remembered as unknown. */
  g_clear_pointer (&variants, json_array_unref);
  variants = find_variants (client, skus + 1);
  g_assert_cmpuint (json_array_get_length (variants), ==, 0);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);
}

/* Through the engine's interface: a RelaySalesOrder goes out as TradeGecko's
 * body, the answer comes back as a RelayDelivery (ids as numbers or strings). */
static void
test_tradegecko_create_order_as_destination (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  RelayOrderDestination *destination = RELAY_ORDER_DESTINATION (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autofree char *payload_text = NULL;
  RelaySalesOrder *sales = g_new0 (RelaySalesOrder, 1);
  RelaySalesLine *line = relay_sales_line_new (RELAY_SALES_LINE_PRODUCT, NULL, 0, 2, 1400, TRUE);

  sales->order_number = g_strdup ("SQ-3618");
  sales->reference_number = g_strdup ("3618");
  sales->issued_at = g_strdup ("2026-03-01");
  sales->tax_treatment = RELAY_TAX_UNKNOWN;
  sales->currency = g_strdup ("USD");
  sales->company_id = 12;
  sales->shipping_address_id = 34;
  sales->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sales_line_free);
  line->variant_id = 11;
  g_ptr_array_add (sales->lines, line);

  relay_test_server_reply (server, 201, "{\"order\":{\"id\":77,\"order_number\":\"SO0077\","
                           "\"company_id\":\"12\",\"shipping_address_id\":34}}", NULL);
  relay_order_destination_create_order_async (destination, sales, "order-relay-585d-1", NULL, got_result_cb, &result);
  /* The body was written when the call was made: the sales order may go. */
  payload_text = relay_order_destination_dup_order_payload (destination, sales);
  relay_sales_order_free (sales);
  WAIT_FOR (result);
  delivery = relay_order_destination_create_order_finish (destination, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (delivery->id, ==, 77);
  g_assert_cmpstr (delivery->order_number, ==, "SO0077");
  g_assert_cmpint (delivery->company_id, ==, 12);
  g_assert_cmpint (delivery->shipping_address_id, ==, 34);

  g_assert_cmpstr (soup_message_headers_get_one (relay_test_server_get_request (server, 0)->headers, "Idempotency-Key"),
                   ==, "order-relay-585d-1");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->body, ==,
                   "{\"order\":{\"order_number\":\"SQ-3618\",\"reference_number\":\"3618\","
                   "\"issued_at\":\"2026-03-01\",\"currency_iso\":\"USD\",\"status\":\"active\","
                   "\"tags\":[\"squarespace\"],\"company_id\":12,\"shipping_address_id\":34,"
                   "\"order_line_items\":[{\"variant_id\":11,\"quantity\":2,\"price\":\"14.00\"}]}}");
  /* The preview's payload is the same body, laid out for reading. */
  payload = parse (payload_text);
  sent = parse (relay_test_server_get_request (server, 0)->body);
  g_assert_true (json_node_equal (payload, sent));
}

/* What matching and the views rely on: only `active` is active, an id of
 * another type is no id, the SKU byte for byte, stock without trailing zeros. */
static void
test_tradegecko_variants_as_domain (void)
{
  g_autoptr(JsonNode) json = parse ("[{\"id\":11,\"sku\":\"MUG-BLK \",\"status\":\"active\",\"product_name\":\"Mug\","
                                    "\"name\":\"Black\",\"available_stock\":\"48.50\"},"
                                    "{\"id\":\"12\",\"sku\":\"TEE\",\"status\":\"archived\",\"available_stock\":\"3.0\"},"
                                    "{\"sku\":\"CAP\"}, 7]");
  g_autoptr(GPtrArray) variants = relay_tradegecko_variants_from_json (json_node_get_array (json));
  const RelayVariant *mug, *tee, *cap;
  g_autofree char *label = NULL;

  g_assert_cmpuint (variants->len, ==, 3);
  mug = g_ptr_array_index (variants, 0);
  tee = g_ptr_array_index (variants, 1);
  cap = g_ptr_array_index (variants, 2);
  g_assert_cmpint (mug->id, ==, 11);
  g_assert_cmpstr (mug->sku, ==, "MUG-BLK ");
  g_assert_true (mug->active);
  g_assert_cmpstr (mug->available_stock, ==, "48.5");
  label = relay_variant_dup_label (mug);
  g_assert_cmpstr (label, ==, "Mug — Black");
  g_assert_cmpint (tee->id, ==, 0);
  g_assert_false (tee->active);
  g_assert_cmpstr (tee->available_stock, ==, "3");
  g_assert_false (cap->active);
  g_assert_null (cap->product_name);
}

static void
test_tradegecko_orders (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) order_body = parse ("{\"issued_at\":\"2026-03-01\",\"reference_number\":\"3618\","
                                          "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":14,\"quantity\":1,\"price\":\"12.40\"}]}");
  g_autoptr(JsonNode) wrapped_body = parse ("{\"order\":{\"issued_at\":\"2026-03-01\"}}");
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonArray) orders = NULL;
  g_autoptr(JsonNode) sent = NULL;
  const RelayTestRequest *request;

  relay_test_server_reply (server, 201, "{\"order\":{\"id\":77,\"order_number\":\"SO0077\"}}", NULL);
  relay_tradegecko_create_order_async (client, order_body, "sqsp-585d498f", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  order = relay_tradegecko_create_order_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (order, "id"), ==, 77);
  request = relay_test_server_get_request (server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/orders");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, "sqsp-585d498f");
  sent = parse (request->body);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (sent), "order"),
                                                  "reference_number"), ==, "3618");

  /* Already wrapped: sent as is. */
  g_clear_object (&result);
  g_clear_pointer (&order, json_object_unref);
  relay_test_server_reply (server, 422, "{\"errors\":{\"company_id\":[\"can't be blank\"],\"shipping_address_id\":[\"can't be blank\"]}}", NULL);
  relay_tradegecko_create_order_async (client, wrapped_body, "sqsp-2", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_null (relay_tradegecko_create_order_finish (client, result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "company_id can't be blank; shipping_address_id can't be blank"));
  g_assert_cmpstr (relay_test_server_get_request (server, 1)->body, ==, "{\"order\":{\"issued_at\":\"2026-03-01\"}}");
  g_clear_error (&error);
  /* A 422 is final, even with a key. */
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);

  g_clear_object (&result);
  relay_test_server_reply (server, 200, "{\"orders\":[{\"id\":77,\"reference_number\":\"#3618 A\"}],\"meta\":{\"total\":1}}", NULL);
  relay_tradegecko_find_orders_by_reference_async (client, "#3618 A", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  orders = relay_tradegecko_find_orders_by_reference_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (orders), ==, 1);
  g_assert_cmpstr (relay_test_server_get_request (server, 2)->path, ==, "/orders");
  g_assert_cmpstr (relay_test_server_get_request (server, 2)->query, ==, "reference_number=%233618%20A&limit=250");

  g_clear_object (&result);
  relay_test_server_reply (server, 200, "{\"order\":{\"id\":77,\"status\":\"active\"}}", NULL);
  relay_tradegecko_get_order_async (client, 77, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  order = relay_tradegecko_get_order_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "active");
  g_assert_cmpstr (relay_test_server_get_request (server, 3)->path, ==, "/orders/77");

  g_clear_object (&result);
  relay_test_server_reply (server, 200, "{\"order\":{\"id\":77,\"status\":\"void\"}}", NULL);
  relay_tradegecko_void_order_async (client, 77, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_true (relay_tradegecko_void_order_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_test_server_get_request (server, 4)->method, ==, "POST");
  g_assert_cmpstr (relay_test_server_get_request (server, 4)->path, ==, "/orders/77/actions/void");

  /* A body without the expected root key is not silently accepted. */
  g_clear_object (&result);
  g_clear_pointer (&order, json_object_unref);
  relay_test_server_reply (server, 200, "{\"orders\":[]}", NULL);
  relay_tradegecko_get_order_async (client, 78, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_null (relay_tradegecko_get_order_finish (client, result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

static void
test_tradegecko_customers (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonNode) company = parse ("{\"name\":\"Jane Doe\",\"company_type\":\"consumer\",\"email\":\"jane+test@example.com\"}");
  g_autoptr(JsonNode) address = parse ("{\"company_id\":42,\"label\":\"Shipping\",\"address1\":\"1 Main St\"}");

  relay_test_server_reply (server, 200, "{\"companies\":[]}", NULL);
  relay_tradegecko_find_companies_by_email_async (client, "jane+test@example.com", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  list = relay_tradegecko_find_companies_by_email_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->path, ==, "/companies");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->query, ==, "email=jane%2Btest%40example.com&limit=250");

  g_clear_object (&result);
  relay_test_server_reply (server, 201, "{\"company\":{\"id\":42,\"name\":\"Jane Doe\"}}", NULL);
  relay_tradegecko_create_company_async (client, json_node_get_object (company), NULL, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  created = relay_tradegecko_create_company_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (created, "id"), ==, 42);
  g_assert_cmpstr (relay_test_server_get_request (server, 1)->body, ==,
                   "{\"company\":{\"name\":\"Jane Doe\",\"company_type\":\"consumer\",\"email\":\"jane+test@example.com\"}}");

  g_clear_object (&result);
  g_clear_pointer (&list, json_array_unref);
  relay_test_server_reply (server, 200, "{\"addresses\":null}", NULL);
  relay_tradegecko_list_addresses_async (client, 42, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  list = relay_tradegecko_list_addresses_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);
  g_assert_cmpstr (relay_test_server_get_request (server, 2)->path, ==, "/addresses");
  g_assert_cmpstr (relay_test_server_get_request (server, 2)->query, ==, "company_id=42&limit=250");

  g_clear_object (&result);
  g_clear_pointer (&created, json_object_unref);
  relay_test_server_reply (server, 201, "{\"address\":{\"id\":9,\"company_id\":42}}", NULL);
  relay_tradegecko_create_address_async (client, json_node_get_object (address), "addr-key", NULL, got_result_cb, &result);
  WAIT_FOR (result);
  created = relay_tradegecko_create_address_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (created, "id"), ==, 9);
  g_assert_cmpstr (relay_test_server_get_request (server, 3)->path, ==, "/addresses");
  g_assert_cmpstr (soup_message_headers_get_one (relay_test_server_get_request (server, 3)->headers,
                                                 "Idempotency-Key"), ==, "addr-key");
}

static void
test_tradegecko_fulfillments (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  g_autoptr(GDateTime) since = utc (2026, 3, 1, 8, 6, 1.5615);
  g_autofree char *more = pagination_header (FALSE);
  g_autofree char *last = pagination_header (TRUE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = NULL;
  gboolean has_more = FALSE;

  relay_test_server_reply (server, 200,
                           "{\"fulfillment_line_items\":[{\"id\":3,\"fulfillment_id\":1,\"order_line_item_id\":4,\"quantity\":\"1.0\",\"variant_sku\":\"SKU1\"}],"
                           "\"fulfillments\":[{\"id\":1,\"order_id\":2,\"status\":\"fulfilled\",\"tracking_number\":\"1Z9\"}]}",
                           "X-Pagination", more, NULL);
  relay_tradegecko_list_fulfillments_async (client, since, 1, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  page = relay_tradegecko_list_fulfillments_finish (client, result, &has_more, &error);
  g_assert_no_error (error);
  g_assert_true (has_more);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "fulfillments")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "fulfillment_line_items")), ==, 1);
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->path, ==, "/fulfillments");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->query, ==,
                   "updated_at_min=2026-03-01T08%3A06%3A01.561Z&limit=250&page=1");

  g_clear_object (&result);
  g_clear_pointer (&page, json_object_unref);
  relay_test_server_reply (server, 200, "{\"fulfillments\":[],\"fulfillment_line_items\":null}",
                           "X-Pagination", last, NULL);
  relay_tradegecko_list_fulfillments_async (client, since, 2, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  page = relay_tradegecko_list_fulfillments_finish (client, result, &has_more, &error);
  g_assert_no_error (error);
  g_assert_false (has_more);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "fulfillment_line_items")), ==, 0);
  g_assert_true (g_str_has_suffix (relay_test_server_get_request (server, 1)->query, "&page=2"));
}

static void
test_tradegecko_verify (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayTradegecko) client = new_tradegecko (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) account = NULL;

  relay_test_server_reply (server, 200, "{\"account\":{\"id\":1,\"name\":\"Bean Wholesale\",\"default_currency_id\":3}}", NULL);
  relay_tradegecko_verify_async (client, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  account = relay_tradegecko_verify_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (account, "name"), ==, "Bean Wholesale");
  g_assert_cmpstr (relay_test_server_get_request (server, 0)->path, ==, "/accounts/current");

  g_clear_object (&result);
  relay_test_server_reply (server, 401, "{\"type\":\"Unauthorized\"}", NULL);
  relay_tradegecko_verify_async (client, NULL, got_result_cb, &result);
  WAIT_FOR (result);
  g_assert_null (relay_tradegecko_verify_finish (client, result, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "The TradeGecko key was refused"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/squarespace/website", test_squarespace_website);
  g_test_add_func ("/squarespace/paging", test_squarespace_paging);
  g_test_add_func ("/squarespace/orders", test_squarespace_orders);
  g_test_add_func ("/squarespace/verify", test_squarespace_verify);
  g_test_add_func ("/squarespace/post-shipments", test_squarespace_post_shipments);
  g_test_add_func ("/tradegecko/variants-chunked", test_tradegecko_variants_chunked);
  g_test_add_func ("/tradegecko/variants-paged", test_tradegecko_variants_paged);
  g_test_add_func ("/tradegecko/variants-as-domain", test_tradegecko_variants_as_domain);
  g_test_add_func ("/tradegecko/orders", test_tradegecko_orders);
  g_test_add_func ("/tradegecko/create-order-as-destination", test_tradegecko_create_order_as_destination);
  g_test_add_func ("/tradegecko/customers", test_tradegecko_customers);
  g_test_add_func ("/tradegecko/fulfillments", test_tradegecko_fulfillments);
  g_test_add_func ("/tradegecko/verify", test_tradegecko_verify);

  return g_test_run ();
}
