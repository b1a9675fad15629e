/* test-sandbox-control.c — the sandbox's control interface, faults, request log and program
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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

static const SandboxRequestOptions sq_key = { RELAY_SANDBOX_SQUARESPACE_KEY, "OrderRelayTests/1.0", NULL, NULL };
static const SandboxRequestOptions tg_token = { RELAY_SANDBOX_TRADEGECKO_TOKEN, NULL, NULL, NULL };
static const SandboxRequestOptions plain = { NULL, NULL, NULL, NULL };

#define ORDER_ID "00000000000000000000000a"
#define SHIPMENT_BODY "{\"shouldSendNotification\":false,\"shipments\":[{\"shipDate\":\"2026-03-02T15:04:05Z\"," \
                      "\"carrierName\":\"USPS\",\"service\":\"Priority\",\"trackingNumber\":\"9400\"}]}"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scenario = sandbox_test_parse (
    "{\"squarespace\":{\"orders\":[{\"id\":\"" ORDER_ID "\",\"lineItems\":[{\"sku\":\"A\",\"productName\":\"A\","
    "\"quantity\":1,\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}}]}]}}");

  fixture->sandbox = relay_sandbox_new ();
  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, scenario, &error));
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
call (Fixture                     *fixture,
      const char                  *base,
      const char                  *method,
      const char                  *path,
      const SandboxRequestOptions *options,
      const char                  *body)
{
  g_autofree char *url = g_strconcat (base, path, NULL);

  return sandbox_test_send (fixture->session, method, url, options, body);
}

#define SQ(f, m, p, b) call (f, relay_sandbox_get_squarespace_url ((f)->sandbox), m, p, &sq_key, b)
#define TG(f, m, p, b) call (f, relay_sandbox_get_tradegecko_url ((f)->sandbox), m, p, &tg_token, b)
#define CONTROL(f, m, p, b) call (f, relay_sandbox_get_control_url ((f)->sandbox), m, p, &plain, b)

static JsonObject *
sq_order (Fixture *fixture)
{
  g_autoptr(SandboxResponse) response = SQ (fixture, "GET", "/1.0/commerce/orders/" ORDER_ID, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (sandbox_response_object (response));
}

static void
test_control_http (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandboxResponse) added = CONTROL (fixture, "POST", "/control/squarespace/orders",
    "{\"customerEmail\":\"new@example.com\",\"lineItems\":[{\"sku\":\"B\",\"productName\":\"B\",\"quantity\":2,"
    "\"unitPricePaid\":{\"value\":\"2.50\",\"currency\":\"USD\"}}]}");
  g_autoptr(SandboxResponse) bad_order = CONTROL (fixture, "POST", "/control/squarespace/orders", "{\"lineItems\":[]}");
  g_autoptr(SandboxResponse) edit = CONTROL (fixture, "POST", "/control/squarespace/orders/" ORDER_ID "/edit",
                                             "{\"customerEmail\":\"changed@example.com\"}");
  g_autoptr(SandboxResponse) cancel = CONTROL (fixture, "POST", "/control/squarespace/orders/" ORDER_ID "/cancel", NULL);
  g_autoptr(SandboxResponse) unknown = CONTROL (fixture, "POST", "/control/squarespace/orders/ffffffffffffffffffffffff/cancel", NULL);
  g_autoptr(SandboxResponse) expire = CONTROL (fixture, "POST", "/control/squarespace/expired", "{\"expired\":true}");
  g_autoptr(SandboxResponse) expired = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_autoptr(SandboxResponse) revive = CONTROL (fixture, "POST", "/control/squarespace/expired", "{\"expired\":false}");
  g_autoptr(SandboxResponse) state = CONTROL (fixture, "GET", "/control/state", NULL);
  g_autoptr(SandboxResponse) bad_scenario = CONTROL (fixture, "POST", "/control/scenario", "[1,2]");
  g_autoptr(SandboxResponse) state_after = CONTROL (fixture, "GET", "/control/state", NULL);
  g_autoptr(JsonObject) order = sq_order (fixture);
  JsonArray *orders;

  g_assert_cmpuint (added->status, ==, 201);
  g_assert_nonnull (json_object_get_string_member (sandbox_response_object (added), "id"));
  g_assert_cmpuint (bad_order->status, ==, 400);
  g_assert_nonnull (json_object_get_string_member (sandbox_response_object (bad_order), "error"));
  g_assert_cmpuint (edit->status, ==, 200);
  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpuint (expire->status, ==, 200);
  g_assert_cmpuint (expired->status, ==, 402);
  g_assert_cmpuint (revive->status, ==, 200);

  g_assert_cmpstr (json_object_get_string_member (order, "customerEmail"), ==, "changed@example.com");
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "CANCELED");

  g_assert_cmpuint (state->status, ==, 200);
  orders = json_object_get_array_member (json_object_get_object_member (sandbox_response_object (state), "squarespace"), "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 2);
  g_assert_true (json_object_has_member (json_object_get_object_member (sandbox_response_object (state), "tradegecko"),
                                         "fulfillments"));

  /* A bad scenario is refused and loses nothing. */
  g_assert_cmpuint (bad_scenario->status, ==, 400);
  orders = json_object_get_array_member (json_object_get_object_member (sandbox_response_object (state_after), "squarespace"), "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 2);
}

static void
test_control_demo_and_ship (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SandboxResponse) demo = CONTROL (fixture, "POST", "/control/demo", "{}");
  g_autoptr(SandboxResponse) variants = TG (fixture, "GET", "/variants?limit=250", NULL);
  g_autoptr(SandboxResponse) created = NULL;
  g_autoptr(SandboxResponse) shipped = NULL;
  g_autoptr(SandboxResponse) bad_ship = NULL;
  g_autoptr(SandboxResponse) fulfillments = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  JsonArray *list;
  gint64 variant_id, order_id;

  g_assert_cmpuint (demo->status, ==, 200);
  list = json_object_get_array_member (sandbox_response_object (variants), "variants");
  g_assert_cmpuint (json_array_get_length (list), >=, 35);
  variant_id = json_object_get_int_member (json_array_get_object_element (list, 0), "id");

  body = g_strdup_printf ("{\"order\":{\"issued_at\":\"2026-03-01\",\"status\":\"active\","
                          "\"company\":{\"name\":\"Zoë Ångström\",\"company_type\":\"consumer\"},"
                          "\"shipping_address\":{\"label\":\"Shipping\",\"address1\":\"Drottninggatan 12\"},"
                          "\"order_line_items\":[{\"tax_type_id\":2,\"variant_id\":%" G_GINT64_FORMAT ",\"quantity\":1,\"price\":\"10\"}]}}",
                          variant_id);
  created = TG (fixture, "POST", "/orders", body);
  g_assert_cmpuint (created->status, ==, 201);
  order_id = json_object_get_int_member (json_object_get_object_member (sandbox_response_object (created), "order"), "id");

  path = g_strdup_printf ("/control/tradegecko/orders/%" G_GINT64_FORMAT "/ship", order_id);
  bad_ship = CONTROL (fixture, "POST", path, "{\"status\":\"shipped\"}");
  g_assert_cmpuint (bad_ship->status, ==, 400);
  shipped = CONTROL (fixture, "POST", path, "{\"tracking_company\":\"DHL\",\"tracking_number\":\"JD0123\"}");
  g_assert_cmpuint (shipped->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (sandbox_response_object (shipped), "fulfillment_id"), >, 0);

  g_free (path);
  path = g_strdup_printf ("/fulfillments?order_id=%" G_GINT64_FORMAT, order_id);
  fulfillments = TG (fixture, "GET", path, NULL);
  list = json_object_get_array_member (sandbox_response_object (fulfillments), "fulfillments");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "tracking_number"), ==, "JD0123");
}

static void
test_request_log (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SandboxResponse) a = SQ (fixture, "GET", "/1.0/commerce/orders?fulfillmentStatus=PENDING", NULL);
  g_autoptr(SandboxResponse) b = TG (fixture, "GET", "/variants?sku=X", NULL);
  g_autoptr(SandboxResponse) c = TG (fixture, "GET", "/accounts/current", NULL);
  g_autoptr(SandboxResponse) log = CONTROL (fixture, "GET", "/control/requests", NULL);
  g_autoptr(SandboxResponse) cleared = NULL;
  g_autoptr(SandboxResponse) empty = NULL;
  g_autofree char *text = NULL;
  JsonObject *body = sandbox_response_object (log);
  JsonArray *requests = json_object_get_array_member (body, "requests");
  JsonObject *first;

  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  first = json_array_get_object_element (requests, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "api"), ==, "squarespace");
  g_assert_cmpstr (json_object_get_string_member (first, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (first, "path"), ==, "/1.0/commerce/orders");
  g_assert_cmpstr (json_object_get_string_member (first, "query"), ==, "fulfillmentStatus=PENDING");
  g_assert_cmpint (json_object_get_int_member (first, "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "counts"), "squarespace"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "counts"), "tradegecko"), ==, 2);
  g_assert_cmpuint (relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO), ==, 2);

  /* The log never holds a key. */
  text = g_strndup (g_bytes_get_data (log->body, NULL), g_bytes_get_size (log->body));
  g_assert_null (strstr (text, RELAY_SANDBOX_SQUARESPACE_KEY));
  g_assert_null (strstr (text, RELAY_SANDBOX_TRADEGECKO_TOKEN));
  g_assert_null (strstr (text, "Bearer"));

  cleared = CONTROL (fixture, "DELETE", "/control/requests", NULL);
  g_assert_cmpuint (cleared->status, ==, 200);
  empty = CONTROL (fixture, "GET", "/control/requests", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (empty), "requests")), ==, 0);
}

static void
test_status_faults (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SandboxResponse) added = CONTROL (fixture, "POST", "/control/faults",
    "{\"api\":\"squarespace\",\"method\":\"GET\",\"path_prefix\":\"/1.0/commerce/orders\",\"fault\":\"status\","
    "\"status\":503,\"count\":2}");
  g_autoptr(SandboxResponse) bad_fault = CONTROL (fixture, "POST", "/control/faults", "{\"api\":\"squarespace\",\"fault\":\"explode\"}");
  g_autoptr(SandboxResponse) other_path = SQ (fixture, "GET", "/1.0/authorization/website", NULL);
  g_autoptr(SandboxResponse) f1 = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_autoptr(SandboxResponse) f2 = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_autoptr(SandboxResponse) ok = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_autoptr(SandboxResponse) tg_fault = NULL;
  g_autoptr(SandboxResponse) tg_ok = NULL;

  g_assert_cmpuint (added->status, ==, 201);
  g_assert_cmpuint (bad_fault->status, ==, 400);
  g_assert_cmpuint (other_path->status, ==, 200);
  g_assert_cmpuint (f1->status, ==, 503);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (f1), "type"), ==, "SERVICE_UNAVAILABLE");
  g_assert_cmpuint (f2->status, ==, 503);
  g_assert_cmpuint (ok->status, ==, 200);

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, NULL, NULL, RELAY_SANDBOX_FAULT_STATUS, 429, 1);
  tg_fault = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (tg_fault->status, ==, 429);
  tg_ok = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (tg_ok->status, ==, 200);
}

static void
test_body_faults (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SandboxResponse) truncated = NULL;
  g_autoptr(SandboxResponse) html = NULL;
  g_autoptr(SandboxResponse) delayed = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonArray *requests;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", "/variants", RELAY_SANDBOX_FAULT_TRUNCATED, 0, 1);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", "/variants", RELAY_SANDBOX_FAULT_NOT_JSON, 0, 1);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", "/variants", RELAY_SANDBOX_FAULT_DELAY, 200, 1);

  truncated = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (truncated->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (truncated->body), >, 0);
  g_assert_null (truncated->json);

  html = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (html->status, ==, 200);
  g_assert_null (html->json);
  g_assert_true (g_str_has_prefix (sandbox_response_header (html, "Content-Type"), "text/html"));

  delayed = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (delayed->status, ==, 200);
  g_assert_nonnull (delayed->json);

  log = relay_sandbox_dup_request_log (fixture->sandbox);
  requests = json_object_get_array_member (json_node_get_object (log), "requests");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "fault"), ==, "truncated");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 1), "fault"), ==, "not-json");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 2), "fault"), ==, "delay");
}

static char *
raw_fulfillment_request (void)
{
  return g_strdup_printf ("POST /1.0/commerce/orders/" ORDER_ID "/fulfillments HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\n"
                          "Authorization: Bearer " RELAY_SANDBOX_SQUARESPACE_KEY "\r\n"
                          "User-Agent: OrderRelayTests/1.0\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %zu\r\n"
                          "Connection: close\r\n\r\n%s", strlen (SHIPMENT_BODY), SHIPMENT_BODY);
}

static void
test_drop_before (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *request = raw_fulfillment_request ();
  g_autoptr(GString) received = NULL;
  g_autoptr(JsonObject) order = NULL;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", NULL,
                           RELAY_SANDBOX_FAULT_DROP_BEFORE, 0, 1);
  received = sandbox_test_raw_exchange (relay_sandbox_get_squarespace_url (fixture->sandbox), request);
  g_assert_cmpuint (received->len, ==, 0);

  order = sq_order (fixture);
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "PENDING");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 0);
}

static void
test_drop_after (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *request = raw_fulfillment_request ();
  g_autoptr(GString) received = NULL;
  g_autoptr(GString) answered = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonNode) log = NULL;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DROP_AFTER, 0, 1);
  received = sandbox_test_raw_exchange (relay_sandbox_get_squarespace_url (fixture->sandbox), request);
  g_assert_cmpuint (received->len, ==, 0);

  /* The client saw nothing, yet the shipment was recorded. */
  order = sq_order (fixture);
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "FULFILLED");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 1);

  /* The fault was used up: the next identical request is answered normally. */
  answered = sandbox_test_raw_exchange (relay_sandbox_get_squarespace_url (fixture->sandbox), request);
  g_assert_true (g_str_has_prefix (answered->str, "HTTP/1.1 204"));

  log = relay_sandbox_dup_request_log (fixture->sandbox);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (log), "requests"), 0), "status"), ==, 0);
}

static void
hung_request_sent_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, error);

  g_assert_null (stream);
}

/* Sends the fulfillment POST under @fault: the sandbox holds it until the client gives up,
 * and it counts as held only until then. Returns the order as the sandbox has it meanwhile. */
static JsonObject *
post_held_fulfillment (Fixture           *fixture,
                       RelaySandboxFault  fault)
{
  g_autofree char *url = g_strconcat (relay_sandbox_get_squarespace_url (fixture->sandbox),
                                      "/1.0/commerce/orders/" ORDER_ID "/fulfillments", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static (SHIPMENT_BODY, strlen (SHIPMENT_BODY));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonObject *order;
  JsonObject *entry;

  relay_sandbox_clear_request_log (fixture->sandbox);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           fault, 0, 1);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " RELAY_SANDBOX_SQUARESPACE_KEY);
  soup_message_headers_replace (soup_message_get_request_headers (message), "User-Agent", "OrderRelayTests/1.0");
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_async (fixture->session, message, G_PRIORITY_DEFAULT, cancellable,
                           hung_request_sent_cb, &error);

  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 1, 10);
  /* Held, not answered: the session is still waiting, and the order is read over another connection. */
  g_assert_null (error);
  order = sq_order (fixture);

  g_cancellable_cancel (cancellable);
  RELAY_TEST_ITERATE_UNTIL (error != NULL, 10);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 0, 10);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  log = relay_sandbox_dup_request_log (fixture->sandbox);
  entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (log), "requests"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "fault"), ==,
                   fault == RELAY_SANDBOX_FAULT_HANG_BEFORE ? "hang-before" : "hang-after");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 0);
  return order;
}

static void
test_hang (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(SandboxResponse) added = CONTROL (fixture, "POST", "/control/faults",
                                              "{\"api\":\"squarespace\",\"fault\":\"hang-before\"}");

  /* The control port takes the new names too. */
  g_assert_cmpuint (added->status, ==, 201);
  relay_sandbox_clear_faults (fixture->sandbox);

  before = post_held_fulfillment (fixture, RELAY_SANDBOX_FAULT_HANG_BEFORE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (before, "fulfillments")), ==, 0);
  g_clear_pointer (&before, json_object_unref);
  before = sq_order (fixture);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (before, "fulfillments")), ==, 0);

  /* After: the shipment is recorded while the client still waits for an answer. */
  after = post_held_fulfillment (fixture, RELAY_SANDBOX_FAULT_HANG_AFTER);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "fulfillments")), ==, 1);
}

static void
stopped_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  *done = TRUE;
}

/* Stopping answers what is still held: no connection outlives the sandbox. */
static void
test_hang_until_stop (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *url = g_strconcat (relay_sandbox_get_tradegecko_url (fixture->sandbox), "/variants", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", NULL,
                           RELAY_SANDBOX_FAULT_HANG_BEFORE, 0, 1);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " RELAY_SANDBOX_TRADEGECKO_TOKEN);
  soup_session_send_and_read_async (fixture->session, message, G_PRIORITY_DEFAULT, NULL,
                                    stopped_read_cb, &done);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 1, 10);
  relay_sandbox_stop (fixture->sandbox);
  RELAY_TEST_ITERATE_UNTIL (done, 10);
  g_assert_cmpuint (soup_message_get_status (message), ==, 503);
}

static void
test_rate_limit_control (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SandboxResponse) set = CONTROL (fixture, "POST", "/control/rate-limit",
                                            "{\"api\":\"squarespace\",\"limit\":1,\"window_seconds\":60,\"cooldown_seconds\":60}");
  g_autoptr(SandboxResponse) bad = CONTROL (fixture, "POST", "/control/rate-limit", "{\"api\":\"squarespace\",\"limit\":0}");
  g_autoptr(SandboxResponse) first = SQ (fixture, "GET", "/1.0/authorization/website", NULL);
  g_autoptr(SandboxResponse) second = SQ (fixture, "GET", "/1.0/authorization/website", NULL);

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (second->status, ==, 429);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (second), "type"), ==, "TOO_MANY_REQUESTS");
}

static void
test_program (void)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "..", "src", "sandbox", "order-relay-sandbox", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ready = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SandboxResponse) site = NULL;
  g_autoptr(SandboxResponse) variants = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  JsonObject *urls;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, "--demo", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  ready = sandbox_test_parse (line);
  urls = json_node_get_object (ready);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (urls, "squarespace"), "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (urls, "tradegecko"), "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (urls, "control"), "http://127.0.0.1:"));

  url = g_strconcat (json_object_get_string_member (urls, "squarespace"), "/1.0/authorization/website", NULL);
  site = sandbox_test_send (session, "GET", url, &sq_key, NULL);
  g_assert_cmpuint (site->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (site), "title"), ==, "Harbor & Leaf Coffee and Tea");

  g_free (url);
  url = g_strconcat (json_object_get_string_member (urls, "tradegecko"), "/variants?limit=250", NULL);
  variants = sandbox_test_send (session, "GET", url, &tg_token, NULL);
  g_assert_cmpuint (variants->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sandbox_response_object (variants), "variants")), >=, 35);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_revoke_key (Fixture       *fixture,
                 gconstpointer  data)
{
  static const SandboxRequestOptions readonly_key = { RELAY_SANDBOX_SQUARESPACE_READONLY_KEY, "OrderRelayTests/1.0", NULL, NULL };
  g_autoptr(SandboxResponse) sq_before = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_autoptr(SandboxResponse) tg_before = TG (fixture, "GET", "/variants", NULL);
  g_autoptr(SandboxResponse) sq_revoked = NULL;
  g_autoptr(SandboxResponse) tg_revoked = NULL;
  g_autoptr(SandboxResponse) other_key = NULL;
  g_autoptr(SandboxResponse) tg_still = NULL;
  g_autoptr(SandboxResponse) control_revoke = NULL;
  g_autoptr(SandboxResponse) tg_control_revoked = NULL;
  g_autoptr(SandboxResponse) bad_revoke = NULL;
  g_autoptr(SandboxResponse) not_a_string = NULL;
  g_autoptr(SandboxResponse) control_restore = NULL;
  g_autoptr(SandboxResponse) tg_restored = NULL;
  g_autoptr(SandboxResponse) sq_restored = NULL;
  g_autoptr(SandboxResponse) sq_reloaded = NULL;
  g_autoptr(JsonNode) scenario = sandbox_test_parse ("{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autofree char *readonly_url = g_strconcat (relay_sandbox_get_squarespace_url (fixture->sandbox),
                                               "/1.0/commerce/orders", NULL);
  JsonObject *body;

  g_assert_cmpuint (sq_before->status, ==, 200);
  g_assert_cmpuint (tg_before->status, ==, 200);

  /* C API: the Squarespace key now gets the documented 401; other keys and the other API are untouched. */
  relay_sandbox_revoke_key (fixture->sandbox, RELAY_SANDBOX_SQUARESPACE_KEY);
  sq_revoked = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_assert_cmpuint (sq_revoked->status, ==, 401);
  body = sandbox_response_object (sq_revoked);
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "AUTHORIZATION_ERROR");
  other_key = sandbox_test_send (fixture->session, "GET", readonly_url, &readonly_key, NULL);
  g_assert_cmpuint (other_key->status, ==, 200);
  tg_still = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (tg_still->status, ==, 200);

  /* A revoked key cannot write either: the fulfillment is refused and the order is unchanged. */
  g_clear_pointer (&sq_revoked, sandbox_response_free);
  sq_revoked = SQ (fixture, "POST", "/1.0/commerce/orders/" ORDER_ID "/fulfillments", SHIPMENT_BODY);
  g_assert_cmpuint (sq_revoked->status, ==, 401);

  /* Control route: the TradeGecko token gets its documented 401. */
  control_revoke = CONTROL (fixture, "POST", "/control/keys/revoke", "{\"key\":\"" RELAY_SANDBOX_TRADEGECKO_TOKEN "\"}");
  g_assert_cmpuint (control_revoke->status, ==, 200);
  tg_control_revoked = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (tg_control_revoked->status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (tg_control_revoked), "type"), ==, "Unauthorized");

  /* Bad input is refused with a clear error. */
  bad_revoke = CONTROL (fixture, "POST", "/control/keys/revoke", "{}");
  g_assert_cmpuint (bad_revoke->status, ==, 400);
  g_assert_nonnull (json_object_get_string_member (sandbox_response_object (bad_revoke), "error"));
  not_a_string = CONTROL (fixture, "POST", "/control/keys/revoke", "{\"key\":42}");
  g_assert_cmpuint (not_a_string->status, ==, 400);

  /* Restoring (a test convenience) gives the key back its permission. */
  control_restore = CONTROL (fixture, "POST", "/control/keys/restore", "{\"key\":\"" RELAY_SANDBOX_TRADEGECKO_TOKEN "\"}");
  g_assert_cmpuint (control_restore->status, ==, 200);
  tg_restored = TG (fixture, "GET", "/variants", NULL);
  g_assert_cmpuint (tg_restored->status, ==, 200);
  relay_sandbox_restore_key (fixture->sandbox, RELAY_SANDBOX_SQUARESPACE_KEY);
  sq_restored = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_assert_cmpuint (sq_restored->status, ==, 200);
  order = sq_order (fixture);
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "PENDING");

  /* Loading a scenario replaces the whole state, revocations included. */
  relay_sandbox_revoke_key (fixture->sandbox, RELAY_SANDBOX_SQUARESPACE_KEY);
  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, scenario, &error));
  g_assert_no_error (error);
  sq_reloaded = SQ (fixture, "GET", "/1.0/commerce/orders", NULL);
  g_assert_cmpuint (sq_reloaded->status, ==, 200);
}

/* A visibility lag stamps each change that long before it shows: modifiedOn
 * lies in the past, and a window ending before it misses the change. */
static void
test_visibility_lag (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SandboxResponse) set = CONTROL (fixture, "POST", "/control/squarespace/visibility-lag", "{\"seconds\":600}");
  g_autoptr(SandboxResponse) bad = CONTROL (fixture, "POST", "/control/squarespace/visibility-lag", "{\"seconds\":-1}");
  g_autoptr(SandboxResponse) added = NULL;
  g_autoptr(SandboxResponse) cancel = NULL;
  g_autoptr(SandboxResponse) read = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *path = NULL;
  const char *id;

  g_assert_cmpuint (set->status, ==, 200);
  g_assert_cmpuint (bad->status, ==, 400);
  added = CONTROL (fixture, "POST", "/control/squarespace/orders",
                   "{\"lineItems\":[{\"sku\":\"A\",\"productName\":\"A\",\"quantity\":1,"
                   "\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}}]}");
  g_assert_cmpuint (added->status, ==, 201);
  id = json_object_get_string_member (sandbox_response_object (added), "id");
  path = g_strdup_printf ("/control/squarespace/orders/%s/cancel", id);
  cancel = CONTROL (fixture, "POST", path, NULL);
  g_assert_cmpuint (cancel->status, ==, 200);
  g_free (path);
  path = g_strdup_printf ("/1.0/commerce/orders/%s", id);
  read = SQ (fixture, "GET", path, NULL);
  g_assert_cmpuint (read->status, ==, 200);
  order = json_object_ref (sandbox_response_object (read));
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "CANCELED");
  modified = g_date_time_new_from_iso8601 (json_object_get_string_member (order, "modifiedOn"), NULL);
  g_assert_nonnull (modified);
  g_assert_cmpint (g_date_time_to_unix (modified), <=, g_get_real_time () / G_USEC_PER_SEC - 590);
}

typedef struct
{
  Fixture *fixture;
  guint    status;
} SlowPost;

static gpointer
slow_post_thread (gpointer data)
{
  SlowPost *post = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (relay_sandbox_get_squarespace_url (post->fixture->sandbox),
                                      "/1.0/commerce/orders/" ORDER_ID "/fulfillments", NULL);
  g_autoptr(SandboxResponse) response = sandbox_test_send (session, "POST", url, &sq_key, SHIPMENT_BODY);

  post->status = response->status;
  return NULL;
}

/* While a (delayed) fulfilment POST is under way, another for the same order
 * gets the documented 409; the slow one then lands, once. */
static void
test_fulfillment_in_progress (Fixture       *fixture,
                              gconstpointer  data)
{
  SlowPost post = { fixture, 0 };
  g_autoptr(SandboxResponse) second = NULL;
  g_autoptr(JsonObject) order = NULL;
  GThread *thread;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DELAY, 1500, 1);
  thread = g_thread_new ("slow-post", slow_post_thread, &post);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) > 0, 10);
  second = SQ (fixture, "POST", "/1.0/commerce/orders/" ORDER_ID "/fulfillments", SHIPMENT_BODY);
  g_thread_join (thread);

  g_assert_cmpuint (second->status, ==, 409);
  g_assert_cmpstr (json_object_get_string_member (sandbox_response_object (second), "type"), ==, "CONFLICT");
  g_assert_cmpuint (post.status, ==, 204);
  order = sq_order (fixture);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fulfillments")), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/sandbox/control/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("http", test_control_http);
  ADD ("visibility-lag", test_visibility_lag);
  ADD ("fulfillment-in-progress", test_fulfillment_in_progress);
  ADD ("demo-and-ship", test_control_demo_and_ship);
  ADD ("request-log", test_request_log);
  ADD ("faults/status", test_status_faults);
  ADD ("faults/body", test_body_faults);
  ADD ("faults/drop-before", test_drop_before);
  ADD ("faults/drop-after", test_drop_after);
  ADD ("faults/hang", test_hang);
  ADD ("faults/hang-until-stop", test_hang_until_stop);
  ADD ("rate-limit", test_rate_limit_control);
  ADD ("revoke-key", test_revoke_key);
#undef ADD
  g_test_add_func ("/sandbox/control/program", test_program);

  return g_test_run ();
}
