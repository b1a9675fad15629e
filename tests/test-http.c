/* test-http.c — RelayHttp against a scripted loopback server
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relay-error.h"
#include "relay-http.h"
#include "relay-test-server.h"

#define TEST_KEY "sk-test-5ecret-0123456789abcdef"

/* Everything logged while the tests run, to prove the key never appears in it. */
static GString *captured_log;

static GLogWriterOutput
capture_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

typedef struct
{
  gboolean           done;
  RelayHttpResponse *response;
  GError            *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->response, relay_http_response_unref);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->response = relay_http_request_finish (RELAY_HTTP (source), result, &outcome->error);
  outcome->done = TRUE;
}

static void
start_request (RelayHttp    *http,
               const char   *method,
               const char   *path,
               const char   *body_json,
               const char   *idempotency_key,
               GCancellable *cancellable,
               Outcome      *outcome)
{
  g_autoptr(JsonNode) body = NULL;

  if (body_json != NULL)
    body = json_from_string (body_json, NULL);

  outcome_clear (outcome);
  relay_http_request_async (http, method, path, body, idempotency_key, cancellable,
                            request_done_cb, outcome);
}

static void
run_request (RelayHttp  *http,
             const char *method,
             const char *path,
             const char *body_json,
             const char *idempotency_key,
             Outcome    *outcome)
{
  start_request (http, method, path, body_json, idempotency_key, NULL, outcome);
  RELAY_TEST_ITERATE_UNTIL (outcome->done, 30);
}

static RelayHttp *
new_http (RelayTestServer    *server,
          RelayHttpRateLimit  rate_limit)
{
  g_autoptr(GError) error = NULL;
  RelayHttp *http;

  http = relay_http_new ("Squarespace", relay_test_server_get_url (server), rate_limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (http);
  relay_http_set_key (http, TEST_KEY);
  relay_http_set_backoff (http, 5, 20);

  return http;
}

static void
assert_key_absent (const char *text)
{
  if (text != NULL)
    g_assert_null (strstr (text, TEST_KEY));
}

static void
test_url_policy (void)
{
  const char *allowed[] = {
    "https://api.squarespace.com",
    "https://api.tradegecko.com/",
    "http://127.0.0.1:8080",
    "http://127.45.6.7",
    "http://localhost:1234",
    "http://LOCALHOST",
    "http://[::1]:9000",
  };
  const char *refused[] = {
    "http://api.squarespace.com",
    "http://10.0.0.1",
    "http://192.168.1.20:8080",
    "http://127.example.com",
    "http://localhost.example.com",
    "ftp://127.0.0.1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayHttp) http = relay_http_new ("Squarespace", allowed[i],
                                                  RELAY_HTTP_RATE_LIMIT_NONE, &error);

      g_test_message ("allowed: %s", allowed[i]);
      g_assert_no_error (error);
      g_assert_nonnull (http);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayHttp) http = relay_http_new ("Squarespace", refused[i],
                                                  RELAY_HTTP_RATE_LIMIT_NONE, &error);

      g_test_message ("refused: %s", refused[i]);
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INSECURE_URL);
      g_assert_null (http);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelayHttp) http = relay_http_new ("Squarespace", "not an address",
                                                RELAY_HTTP_RATE_LIMIT_NONE, &error);

    g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
    g_assert_null (http);
  }
}

static void
test_headers_and_body (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  const RelayTestRequest *request;
  JsonObject *object;
  Outcome outcome = { 0 };

  relay_test_server_reply (server, 200, "{\"title\":\"Bean Shop\",\"extra\":[1,2]}",
                           "X-Request-ID", "req-42", NULL);
  run_request (http, "GET", "/1.0/authorization/website?x=1", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_http_response_get_status (outcome.response), ==, 200);
  g_assert_cmpstr (relay_http_response_get_request_id (outcome.response), ==, "req-42");
  object = relay_http_response_get_object (outcome.response);
  g_assert_nonnull (object);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Bean Shop");

  request = relay_test_server_get_request (server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/1.0/authorization/website");
  g_assert_cmpstr (request->query, ==, "x=1");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer " TEST_KEY);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "User-Agent"), ==,
                   "OrderRelay/" PACKAGE_VERSION " (+https://github.com/orderrelay/order-relay)");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==, "application/json");
  g_assert_null (soup_message_headers_get_one (request->headers, "Idempotency-Key"));

  relay_test_server_reply (server, 201, "{\"order\":{\"id\":7}}", NULL);
  run_request (http, "POST", "/orders", "{\"order\":{\"notes\":\"gift\"}}", "sqsp-abc", &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_http_response_get_status (outcome.response), ==, 201);
  g_assert_null (relay_http_response_get_request_id (outcome.response));

  request = relay_test_server_get_request (server, 1);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->body, ==, "{\"order\":{\"notes\":\"gift\"}}");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, "sqsp-abc");

  /* 204: success without a body. */
  relay_test_server_reply (server, 204, NULL, NULL);
  run_request (http, "POST", "/1.0/commerce/orders/abc/fulfillments", "{}", NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_http_response_get_status (outcome.response), ==, 204);
  g_assert_null (relay_http_response_get_body (outcome.response));

  outcome_clear (&outcome);
}

static void
test_no_key (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  Outcome outcome = { 0 };

  relay_http_set_key (http, "   ");
  g_assert_false (relay_http_has_key (http));
  run_request (http, "GET", "/1.0/authorization/website", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 0);

  /* Pasted keys lose their surrounding whitespace. */
  relay_http_set_key (http, "  " TEST_KEY "\n");
  relay_test_server_reply (server, 200, "{}", NULL);
  run_request (http, "GET", "/1.0/authorization/website", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (soup_message_headers_get_one (relay_test_server_get_request (server, 0)->headers,
                                                 "Authorization"), ==, "Bearer " TEST_KEY);
  outcome_clear (&outcome);
}

static void
test_status_mapping (void)
{
  const struct {
    guint       status;
    const char *body;
    int         code;
    const char *in_message;
  } cases[] = {
    { 401, "{\"type\":\"AUTHORIZATION_ERROR\",\"message\":\"bad token\",\"contextId\":\"CTX1\"}",
      RELAY_ERROR_UNAUTHORIZED, "key was refused" },
    { 402, "{\"type\":\"WEBSITE_EXPIRED\",\"subtype\":null,\"message\":\"expired\",\"details\":null,\"contextId\":\"CTX2\"}",
      RELAY_ERROR_SITE_EXPIRED, "lapsed" },
    { 403, "{\"type\":\"AUTHORIZATION_ERROR\",\"subtype\":\"MISSING_SCOPE\",\"message\":\"no\"}",
      RELAY_ERROR_FORBIDDEN, "permission" },
    { 404, "{\"message\":\"Couldn't find Order\",\"type\":\"Not Found\"}",
      RELAY_ERROR_NOT_FOUND, "no such record" },
    { 400, "{\"type\":\"INVALID_REQUEST_ERROR\",\"subtype\":\"INVALID_ARGUMENT\",\"message\":\"cursor was specified with other parameters\",\"details\":null,\"contextId\":\"RUPSUSPOW\"}",
      RELAY_ERROR_INVALID_REQUEST, "cursor was specified with other parameters (request id RUPSUSPOW)" },
    { 409, "{\"type\":\"CONFLICT\",\"subtype\":\"CONCURRENT_MODIFICATION\",\"message\":\"in progress\"}",
      RELAY_ERROR_CONFLICT, "still working on an earlier request" },
    { 422, "{\"errors\":{\"name\":[\"can't be blank\"],\"company_type\":[\"is not included in the list\"]}}",
      RELAY_ERROR_INVALID_REQUEST, "name can't be blank; company_type is not included in the list" },
    { 422, "not json at all", RELAY_ERROR_INVALID_REQUEST, "HTTP 422" },
    { 429, "{\"type\":\"TOO_MANY_REQUESTS\"}", RELAY_ERROR_RATE_LIMITED, "limiting" },
    { 500, "{\"type\":\"SERVER_ERROR\",\"contextId\":\"CTX5\"}", RELAY_ERROR_SERVER, "HTTP 500) (request id CTX5)" },
    { 503, NULL, RELAY_ERROR_SERVER, "HTTP 503" },
  };
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);

  relay_http_set_max_attempts (http, 1);
  relay_http_set_cooldown (http, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Outcome outcome = { 0 };

      g_test_message ("HTTP %u", cases[i].status);
      relay_test_server_reply (server, cases[i].status, cases[i].body, NULL);
      run_request (http, "GET", "/thing", NULL, NULL, &outcome);
      g_assert_error (outcome.error, RELAY_ERROR, cases[i].code);
      g_assert_null (outcome.response);
      g_assert_nonnull (strstr (outcome.error->message, "Squarespace"));
      g_assert_nonnull (strstr (outcome.error->message, cases[i].in_message));
      assert_key_absent (outcome.error->message);
      outcome_clear (&outcome);
    }

  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, G_N_ELEMENTS (cases));

  /* Even an error's Date tells the server's clock (here the same as ours). */
  {
    gint64 offset = G_MAXINT64;

    g_assert_true (relay_http_get_clock_offset (http, &offset));
    g_assert_cmpint (ABS (offset), <, 60000);
  }
}

static void
test_malformed_json (void)
{
  const char *bodies[] = {
    "{\"result\": [{\"id\": \"1\"}, {\"id\":",   /* truncated */
    "<html><body>Gateway</body></html>",
    "{\"result\": [] } trailing",
  };
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      Outcome outcome = { 0 };

      relay_test_server_reply (server, 200, bodies[i], NULL);
      run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
      g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
      g_assert_nonnull (strstr (outcome.error->message, "Squarespace"));
      outcome_clear (&outcome);
    }
}

/* Regression: about 200 KB of `[[[…` overflowed json-glib's recursive parser
 * (SIGSEGV). It is refused before parsing, with a clear error, at any status. */
static void
test_nesting_bomb_refused (void)
{
  const guint statuses[] = { 200, 422, 500 };
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  g_autoptr(GString) bomb = g_string_new ("{\"result\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (bomb, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (bomb, ']');
  g_string_append_c (bomb, '}');
  relay_http_set_max_attempts (http, 1);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      Outcome outcome = { 0 };

      relay_test_server_reply (server, statuses[i], bomb->str, NULL);
      run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
      g_assert_null (outcome.response);
      g_assert_nonnull (outcome.error);
      if (statuses[i] == 200)
        g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
      outcome_clear (&outcome);
    }

  /* The next answer is read as usual. */
  {
    Outcome outcome = { 0 };

    relay_test_server_reply (server, 200, "{\"result\": [[[1]]]}", NULL);
    run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_nonnull (relay_http_response_get_object (outcome.response));
    outcome_clear (&outcome);
  }
}

/* A body sent in chunks, without Content-Length, as a proxy streaming forever might. */
static void
chunked_body_handler (SoupServerMessage      *message,
                      const RelayTestRequest *request,
                      gpointer                user_data)
{
  const gsize *total = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  g_autofree char *chunk = g_malloc (64 * 1024);
  gsize sent = 0;
  const char *head = "{\"result\": [], \"pad\": \"";

  memset (chunk, ' ', 64 * 1024);
  soup_server_message_set_status (message, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (message), SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (soup_server_message_get_response_headers (message), "Content-Type", "application/json");
  soup_message_body_append (body, SOUP_MEMORY_COPY, head, strlen (head));
  while (sent < *total)
    {
      soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, 64 * 1024);
      sent += 64 * 1024;
    }
  soup_message_body_append (body, SOUP_MEMORY_COPY, "\"}", 2);
  soup_message_body_complete (body);
}

/* Regression: a 100 MB body was read whole (the process grew to 355 MB). The
 * body is read as a stream and cut off past the cap, with or without a length. */
static void
test_response_size_capped (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  g_autofree char *padding = g_strnfill (300 * 1024, ' ');
  g_autofree char *announced = g_strdup_printf ("{\"result\": [], \"pad\": \"%s\"}", padding);
  gsize chunked_total = 17 * 1024 * 1024;
  Outcome outcome = { 0 };

  relay_http_set_max_attempts (http, 1);

  /* The default cap, 16 MiB, with a chunked body of 17 MiB. */
  relay_test_server_set_handler (server, chunked_body_handler, &chunked_total);
  run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (outcome.error->message, "larger than 16384 KiB"));
  outcome_clear (&outcome);

  /* Under the cap it is read. */
  chunked_total = 1024 * 1024;
  run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);

  /* A smaller cap, refused from Content-Length alone. */
  relay_http_set_max_response_size (http, 256 * 1024);
  relay_test_server_reply (server, 200, announced, NULL);
  run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (outcome.error->message, "larger than 256 KiB"));
  g_assert_nonnull (strstr (outcome.error->message, "Squarespace"));
  outcome_clear (&outcome);

  /* An error status over the cap keeps its meaning, without its body. */
  relay_test_server_reply (server, 503, announced, NULL);
  run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_SERVER);
  outcome_clear (&outcome);

  /* The same client goes on reading answers within the cap. */
  relay_test_server_reply (server, 200, "{\"result\": []}", NULL);
  run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);
}

static void
test_get_retried_with_backoff (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  Outcome outcome = { 0 };

  /* Two failures, then success: three attempts. */
  relay_test_server_reply (server, 503, NULL, NULL);
  relay_test_server_reply_drop (server);
  relay_test_server_reply (server, 200, "{\"ok\":true}", NULL);
  run_request (http, "GET", "/orders", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 3);
  g_assert_cmpuint (relay_http_get_retries (http), ==, 2);
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, 3);

  /* Bounded: after three failures the error surfaces. */
  relay_test_server_reply (server, 500, NULL, NULL);
  relay_test_server_reply (server, 502, NULL, NULL);
  relay_test_server_reply (server, 500, "{\"type\":\"SERVER_ERROR\"}", NULL);
  run_request (http, "GET", "/orders", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 6);

  /* A dropped connection on the last attempt is a network error. */
  relay_http_set_max_attempts (http, 2);
  relay_test_server_reply_drop (server);
  relay_test_server_reply_drop (server);
  run_request (http, "GET", "/orders", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_nonnull (strstr (outcome.error->message, "Could not reach Squarespace"));
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 8);

  /* 4xx answers are final, never retried. */
  relay_test_server_reply (server, 404, NULL, NULL);
  run_request (http, "GET", "/orders/1", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 9);
  outcome_clear (&outcome);
}

static void
test_post_without_key_not_retried (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  Outcome outcome = { 0 };

  /* The server read the POST and may have acted on it: no blind second POST. */
  relay_test_server_reply_drop (server);
  run_request (http, "POST", "/1.0/commerce/orders/abc/fulfillments", "{\"shipments\":[]}", NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 1);
  g_assert_cmpuint (relay_http_get_retries (http), ==, 0);

  /* Same for a server failure. */
  outcome_clear (&outcome);
  {
    g_autoptr(RelayTestServer) server2 = relay_test_server_new ();
    g_autoptr(RelayHttp) http2 = new_http (server2, RELAY_HTTP_RATE_LIMIT_NONE);

    relay_test_server_reply (server2, 500, NULL, NULL);
    run_request (http2, "POST", "/1.0/commerce/orders/abc/fulfillments", "{}", NULL, &outcome);
    g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_SERVER);
    g_assert_cmpuint (relay_test_server_get_n_requests (server2), ==, 1);
    g_assert_cmpuint (relay_http_get_retries (http2), ==, 0);

    /* A 429 means the server did nothing: that POST may go again. */
    relay_http_set_cooldown (http2, 10);
    relay_test_server_reply (server2, 204, NULL, NULL);
    relay_test_server_reply (server2, 429, NULL, NULL);
    relay_test_server_reply (server2, 204, NULL, NULL);
    run_request (http2, "POST", "/1.0/commerce/orders/abc/fulfillments", "{}", NULL, &outcome);
    g_assert_no_error (outcome.error);
    run_request (http2, "POST", "/1.0/commerce/orders/abc/fulfillments", "{}", NULL, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_cmpuint (relay_test_server_get_n_requests (server2), ==, 4);
  }
  outcome_clear (&outcome);
}

static void
test_post_with_key_retried (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  Outcome outcome = { 0 };

  relay_test_server_reply_drop (server);
  relay_test_server_reply (server, 503, NULL, NULL);
  relay_test_server_reply (server, 201, "{\"order\":{\"id\":99}}", NULL);
  run_request (http, "POST", "/orders", "{\"order\":{}}", "sqsp-600f3782", &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_http_response_get_status (outcome.response), ==, 201);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      const RelayTestRequest *request = relay_test_server_get_request (server, i);

      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==,
                       "sqsp-600f3782");
      g_assert_cmpstr (request->body, ==, "{\"order\":{}}");
    }
  outcome_clear (&outcome);
}

static guint16
find_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

static void
test_post_retried_when_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", find_closed_port ());
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayHttp) http = relay_http_new ("TradeGecko", url, RELAY_HTTP_RATE_LIMIT_NONE, &error);
  Outcome outcome = { 0 };

  g_assert_no_error (error);
  relay_http_set_key (http, TEST_KEY);
  relay_http_set_backoff (http, 5, 20);

  /* Refused before anything was sent: nothing can have happened, so it is tried again. */
  run_request (http, "POST", "/orders", "{}", NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_nonnull (strstr (outcome.error->message, "Could not reach TradeGecko"));
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, 3);
  g_assert_cmpuint (relay_http_get_retries (http), ==, 2);
  outcome_clear (&outcome);
}

/* Runs whatever is ready now, without letting (manual) time pass. */
static void
run_ready_sources (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* A client whose pauses are timed by a clock the test moves by hand. */
static RelayHttp *
new_http_on_clock (RelayTestServer    *server,
                   RelayHttpRateLimit  rate_limit,
                   RelayClock         *clock)
{
  RelayHttp *http = new_http (server, rate_limit);

  relay_http_set_clock (http, clock);
  return http;
}

/* @outcome's request was answered with something that makes it wait: it is
 * still waiting after @before_us more on the clock, and sent once @due_us are reached. */
static void
assert_waits_exactly (RelayTestServer *server,
                      RelayHttp       *http,
                      RelayClock      *clock,
                      Outcome         *outcome,
                      guint            waits,
                      gint64           due_us)
{
  guint sent;

  RELAY_TEST_ITERATE_UNTIL (relay_http_get_waits (http) >= waits, 10);
  /* Counted as it is handed to the network: nothing can be on its way unseen. */
  sent = relay_http_get_requests_sent (http);
  relay_clock_advance (clock, due_us - 1000);
  run_ready_sources ();
  g_assert_false (outcome->done);
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, sent);

  relay_clock_advance (clock, 1000);
  RELAY_TEST_ITERATE_UNTIL (outcome->done, 10);
  g_assert_cmpuint (relay_http_get_requests_sent (http), >, sent);
}

/* Squarespace's 429: the whole API pauses for the documented cool-down (60 s)
 * when it names no time, for Retry-After when it does. The clock is manual:
 * these minutes are decided, never waited. */
static void
test_squarespace_cooldown (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayClock) clock = relay_clock_new_manual (g_get_real_time ());
  g_autoptr(RelayHttp) http = new_http_on_clock (server, RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET, clock);
  Outcome outcome = { 0 };
  Outcome second = { 0 };

  /* No Retry-After: the app's cool-down, 60 s. */
  relay_test_server_reply (server, 429, "{\"type\":\"TOO_MANY_REQUESTS\"}", NULL);
  relay_test_server_reply (server, 200, "{\"page\":1}", NULL);
  relay_test_server_reply (server, 200, "{\"page\":2}", NULL);
  start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, NULL, &outcome);
  RELAY_TEST_ITERATE_UNTIL (relay_test_server_get_n_requests (server) == 1, 10);
  /* The whole API pauses: a request made during the cool-down waits too. */
  RELAY_TEST_ITERATE_UNTIL (relay_http_get_waits (http) >= 1, 10);
  start_request (http, "GET", "/1.0/commerce/orders/1", NULL, NULL, NULL, &second);
  assert_waits_exactly (server, http, clock, &outcome, 2, 60 * G_USEC_PER_SEC);
  RELAY_TEST_ITERATE_UNTIL (second.done, 10);
  g_assert_no_error (outcome.error);
  g_assert_no_error (second.error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 3);

  /* Retry-After wins over the cool-down, short or long. */
  relay_test_server_reply (server, 429, NULL, "Retry-After", "120", NULL);
  relay_test_server_reply (server, 200, "{}", NULL);
  start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, NULL, &outcome);
  assert_waits_exactly (server, http, clock, &outcome, 3, 120 * G_USEC_PER_SEC);
  g_assert_no_error (outcome.error);

  relay_test_server_reply (server, 429, NULL, "Retry-After", "1", NULL);
  relay_test_server_reply (server, 200, "{}", NULL);
  start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, NULL, &outcome);
  assert_waits_exactly (server, http, clock, &outcome, 4, G_USEC_PER_SEC);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 7);

  outcome_clear (&outcome);
  outcome_clear (&second);
}

/* A failed GET is retried after a backoff drawn between half and all of the
 * step (a minute here): never sooner, never later, on the manual clock. */
static void
test_backoff_on_clock (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayClock) clock = relay_clock_new_manual (g_get_real_time ());
  g_autoptr(RelayHttp) http = new_http_on_clock (server, RELAY_HTTP_RATE_LIMIT_NONE, clock);
  Outcome outcome = { 0 };

  relay_http_set_backoff (http, 60 * 1000, 10 * 60 * 1000);
  relay_test_server_reply (server, 503, NULL, NULL);
  relay_test_server_reply (server, 200, "{}", NULL);
  start_request (http, "GET", "/orders", NULL, NULL, NULL, &outcome);
  RELAY_TEST_ITERATE_UNTIL (relay_http_get_retries (http) == 1, 10);

  /* Half the first step (30 s, less a millisecond) is too soon to ask again. */
  relay_clock_advance (clock, 30 * G_USEC_PER_SEC - 1000);
  run_ready_sources ();
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, 1);
  g_assert_false (outcome.done);

  /* The whole step is always enough. */
  relay_clock_advance (clock, 30 * G_USEC_PER_SEC + 1000);
  RELAY_TEST_ITERATE_UNTIL (outcome.done, 10);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 2);
  outcome_clear (&outcome);
}

/* @n GETs started together, each to be answered 200. */
static void
start_gets_at_once (RelayTestServer *server,
                    RelayHttp       *http,
                    Outcome         *outcomes,
                    guint            n)
{
  for (guint i = 0; i < n; i++)
    relay_test_server_reply (server, 200, "{}", NULL);
  for (guint i = 0; i < n; i++)
    start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, NULL, &outcomes[i]);
}

/* Moves the manual clock on by @step_us: no request goes a millisecond
 * before, and then exactly @n_more go. */
static void
assert_step_sends (RelayHttp  *http,
                   RelayClock *clock,
                   gint64      step_us,
                   guint       n_more)
{
  guint sent = relay_http_get_requests_sent (http);

  relay_clock_advance (clock, step_us - 1000);
  run_ready_sources ();
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, sent);

  relay_clock_advance (clock, 1000);
  RELAY_TEST_ITERATE_UNTIL (relay_http_get_requests_sent (http) >= sent + n_more, 10);
  run_ready_sources ();
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, sent + n_more);
}

static void
assert_all_done (Outcome *outcomes,
                 guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      RELAY_TEST_ITERATE_UNTIL (outcomes[i].done, 10);
      g_assert_no_error (outcomes[i].error);
      outcome_clear (&outcomes[i]);
    }
}

/* A burst of 2, then 10 a second (600 a minute): of 6 requests made at once, 2
 * go now and 2 more every 200 ms of the (manual) clock, never sooner. */
static void
test_squarespace_pacing (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayClock) clock = relay_clock_new_manual (g_get_real_time ());
  g_autoptr(RelayHttp) http = new_http_on_clock (server, RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET, clock);
  Outcome outcomes[6] = { 0 };

  relay_http_set_pacing (http, 2, 600);
  start_gets_at_once (server, http, outcomes, G_N_ELEMENTS (outcomes));
  RELAY_TEST_ITERATE_UNTIL (relay_http_get_waits (http) >= 4, 10);
  run_ready_sources ();
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, 2);

  assert_step_sends (http, clock, 200 * 1000, 2);
  assert_step_sends (http, clock, 200 * 1000, 2);
  assert_all_done (outcomes, G_N_ELEMENTS (outcomes));
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 6);
}

/* The pacing lets the whole budget go at once and never more than it in any window: 12
 * requests with 4 per 0.4 s go as three groups of 4, a whole window apart (a token
 * bucket of the same rate would send the fifth after a tenth of a second). */
static void
test_squarespace_pacing_window (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayClock) clock = relay_clock_new_manual (g_get_real_time ());
  g_autoptr(RelayHttp) http = new_http_on_clock (server, RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET, clock);
  Outcome outcomes[12] = { 0 };
  const gint64 window_us = 400 * 1000;

  relay_http_set_pacing (http, 4, 600);
  start_gets_at_once (server, http, outcomes, G_N_ELEMENTS (outcomes));
  RELAY_TEST_ITERATE_UNTIL (relay_http_get_waits (http) >= 8, 10);
  run_ready_sources ();
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, 4);

  assert_step_sends (http, clock, window_us, 4);
  assert_step_sends (http, clock, window_us, 4);
  assert_all_done (outcomes, G_N_ELEMENTS (outcomes));
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 12);
}

static void
test_tradegecko_quota (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayClock) clock = relay_clock_new_manual ((gint64) 1767225600 * G_USEC_PER_SEC);  /* a whole second */
  g_autoptr(RelayHttp) http = new_http_on_clock (server, RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS, clock);
  const gint64 margin_us = 50 * 1000;
  g_autofree char *reset = NULL;
  Outcome outcome = { 0 };
  gint64 reset_epoch;

  /* Plenty left: no waiting. */
  reset = g_strdup_printf ("%" G_GINT64_FORMAT, relay_clock_get_real (clock) / G_USEC_PER_SEC + 300);
  relay_test_server_reply (server, 200, "{}", "X-Rate-Limit-Limit", "300",
                           "X-Rate-Limit-Remaining", "299", "X-Rate-Limit-Reset", reset, NULL);
  run_request (http, "GET", "/accounts/current", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  relay_test_server_reply (server, 200, "{}", NULL);
  run_request (http, "GET", "/accounts/current", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_http_get_waits (http), ==, 0);

  /* The quota is spent: the next request waits for the reset, 30 s ahead. */
  reset_epoch = relay_clock_get_real (clock) / G_USEC_PER_SEC + 30;
  g_free (reset);
  reset = g_strdup_printf ("%" G_GINT64_FORMAT, reset_epoch);
  relay_test_server_reply (server, 200, "{}", "X-Rate-Limit-Limit", "300",
                           "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", reset, NULL);
  relay_test_server_reply (server, 200, "{}", NULL);
  run_request (http, "GET", "/variants", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  start_request (http, "GET", "/variants", NULL, NULL, NULL, &outcome);
  assert_waits_exactly (server, http, clock, &outcome, 1,
                        reset_epoch * G_USEC_PER_SEC - relay_clock_get_real (clock) + margin_us);
  g_assert_no_error (outcome.error);

  /* A 429 waits until the reset too, and then succeeds. */
  reset_epoch = relay_clock_get_real (clock) / G_USEC_PER_SEC + 45;
  g_free (reset);
  reset = g_strdup_printf ("%" G_GINT64_FORMAT, reset_epoch);
  relay_test_server_reply (server, 429, NULL, "X-Rate-Limit-Limit", "300",
                           "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", reset, NULL);
  relay_test_server_reply (server, 201, "{\"order\":{\"id\":1}}", NULL);
  start_request (http, "POST", "/orders", "{}", NULL, NULL, &outcome);
  assert_waits_exactly (server, http, clock, &outcome, 2,
                        reset_epoch * G_USEC_PER_SEC - relay_clock_get_real (clock) + margin_us);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 6);

  /* A reset already past on our clock (clock skew) must not mean retrying at once. */
  relay_http_set_cooldown (http, 300 * 1000);
  g_free (reset);
  reset = g_strdup_printf ("%" G_GINT64_FORMAT, relay_clock_get_real (clock) / G_USEC_PER_SEC - 30);
  relay_test_server_reply (server, 429, NULL, "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", reset, NULL);
  relay_test_server_reply (server, 200, "{}", NULL);
  start_request (http, "GET", "/variants", NULL, NULL, NULL, &outcome);
  assert_waits_exactly (server, http, clock, &outcome, 3, 300 * G_USEC_PER_SEC);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 8);

  outcome_clear (&outcome);
}

static void
test_cancel_in_flight (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome outcome = { 0 };

  relay_test_server_reply_hang (server);
  start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, cancellable, &outcome);
  RELAY_TEST_ITERATE_UNTIL (relay_test_server_get_n_hanging (server) == 1, 10);
  g_assert_false (outcome.done);

  g_cancellable_cancel (cancellable);
  RELAY_TEST_ITERATE_UNTIL (outcome.done, 10);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 1);
  outcome_clear (&outcome);
}

static void
test_cancel_while_waiting (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome outcome = { 0 };

  /* A full minute's cool-down; cancelling must not wait for it. */
  relay_test_server_reply (server, 429, NULL, NULL);
  start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, cancellable, &outcome);
  RELAY_TEST_ITERATE_UNTIL (relay_http_get_waits (http) == 1, 10);
  g_assert_false (outcome.done);

  g_cancellable_cancel (cancellable);
  RELAY_TEST_ITERATE_UNTIL (outcome.done, 5);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 1);
  outcome_clear (&outcome);

  /* Already cancelled: nothing is sent. */
  start_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, cancellable, &outcome);
  RELAY_TEST_ITERATE_UNTIL (outcome.done, 5);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 1);
  outcome_clear (&outcome);
}

/* A certificate no authority signed: the connection must fail, and nothing is sent. */
static void
test_https_certificate_checked (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *directory = NULL;
  g_autofree char *certificate_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(RelayTestServer) server = NULL;
  g_autoptr(RelayHttp) http = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };
  int status = -1;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make a self-signed certificate");
      return;
    }

  directory = g_dir_make_tmp ("order-relay-tls-XXXXXX", &error);
  g_assert_no_error (error);
  certificate_path = g_build_filename (directory, "cert.pem", NULL);
  key_path = g_build_filename (directory, "key.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key_path, "-out", certificate_path, "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }
  certificate = g_tls_certificate_new_from_files (certificate_path, key_path, &error);
  g_assert_no_error (error);
  g_unlink (certificate_path);
  g_unlink (key_path);
  g_rmdir (directory);

  server = relay_test_server_new_https (certificate);
  g_assert_true (g_str_has_prefix (relay_test_server_get_url (server), "https://"));
  http = new_http (server, RELAY_HTTP_RATE_LIMIT_NONE);
  relay_test_server_reply (server, 200, "{}", NULL);

  run_request (http, "GET", "/1.0/authorization/website", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_assert_nonnull (strstr (outcome.error->message, "could not be verified"));
  /* Not retried, and the request (with its key) never reached the server. */
  g_assert_cmpuint (relay_http_get_requests_sent (http), ==, 1);
  g_assert_cmpuint (relay_test_server_get_n_requests (server), ==, 0);
  outcome_clear (&outcome);
}

static void
test_redact (void)
{
  g_autofree char *a = relay_http_redact ("Authorization: Bearer abc.DEF-123 more", NULL);
  g_autofree char *b = relay_http_redact ("the key " TEST_KEY " leaked", TEST_KEY);
  g_autofree char *c = relay_http_redact ("nothing secret here", TEST_KEY);
  g_autofree char *d = relay_http_redact ("authorization: bearer [redacted]", NULL);

  g_assert_cmpstr (a, ==, "Authorization: Bearer [redacted] more");
  g_assert_cmpstr (b, ==, "the key [redacted] leaked");
  g_assert_cmpstr (c, ==, "nothing secret here");
  g_assert_cmpstr (d, ==, "authorization: bearer [redacted]");
  g_assert_null (relay_http_redact (NULL, TEST_KEY));
}

static void
test_key_never_logged (void)
{
  g_autoptr(RelayTestServer) server = relay_test_server_new ();
  g_autoptr(RelayHttp) http = new_http (server, RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET);
  Outcome outcome = { 0 };

  g_assert_false (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "order-relay-core"));
  g_string_truncate (captured_log, 0);

  relay_http_set_max_attempts (http, 1);
  relay_test_server_reply (server, 200, "{\"ok\":true}", "X-Request-ID", "rid-1", NULL);
  run_request (http, "GET", "/1.0/commerce/orders", NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);

  /* A server that echoes the key back in its error message. */
  relay_test_server_reply (server, 400, "{\"type\":\"INVALID_REQUEST_ERROR\",\"message\":\"Bearer "
                           TEST_KEY " is not valid for " TEST_KEY "\"}", NULL);
  run_request (http, "POST", "/1.0/commerce/orders/x/fulfillments", "{}", NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  assert_key_absent (outcome.error->message);
  g_assert_nonnull (strstr (outcome.error->message, "[redacted]"));

  relay_test_server_reply (server, 401, NULL, NULL);
  run_request (http, "GET", "/1.0/authorization/website", NULL, NULL, &outcome);
  g_assert_error (outcome.error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
  assert_key_absent (outcome.error->message);

  /* The trace was written (the test would pass vacuously otherwise), without the key. */
  g_assert_nonnull (strstr (captured_log->str, "Authorization: [redacted]"));
  g_assert_nonnull (strstr (captured_log->str, "rid-1"));
  assert_key_absent (captured_log->str);
  outcome_clear (&outcome);
}

int
main (int   argc,
      char *argv[])
{
  /* Debug traces on, captured: the redaction test reads them. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/url-policy", test_url_policy);
  g_test_add_func ("/http/headers-and-body", test_headers_and_body);
  g_test_add_func ("/http/no-key", test_no_key);
  g_test_add_func ("/http/status-mapping", test_status_mapping);
  g_test_add_func ("/http/malformed-json", test_malformed_json);
  g_test_add_func ("/http/nesting-bomb-refused", test_nesting_bomb_refused);
  g_test_add_func ("/http/response-size-capped", test_response_size_capped);
  g_test_add_func ("/http/get-retried-with-backoff", test_get_retried_with_backoff);
  g_test_add_func ("/http/post-without-key-not-retried", test_post_without_key_not_retried);
  g_test_add_func ("/http/post-with-key-retried", test_post_with_key_retried);
  g_test_add_func ("/http/post-retried-when-refused", test_post_retried_when_refused);
  g_test_add_func ("/http/squarespace-cooldown", test_squarespace_cooldown);
  g_test_add_func ("/http/backoff-on-clock", test_backoff_on_clock);
  g_test_add_func ("/http/squarespace-pacing", test_squarespace_pacing);
  g_test_add_func ("/http/squarespace-pacing-window", test_squarespace_pacing_window);
  g_test_add_func ("/http/tradegecko-quota", test_tradegecko_quota);
  g_test_add_func ("/http/cancel-in-flight", test_cancel_in_flight);
  g_test_add_func ("/http/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/http/https-certificate-checked", test_https_certificate_checked);
  g_test_add_func ("/http/redact", test_redact);
  g_test_add_func ("/http/key-never-logged", test_key_never_logged);

  return g_test_run ();
}
