/* sandbox-test-utils.c — raw HTTP helpers for the sandbox contract tests
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sandbox-test-utils.h"

/* Synchronous on purpose: the sandbox answers from its own thread. */
SandboxResponse *
sandbox_test_send (SoupSession                 *session,
                   const char                  *method,
                   const char                  *url,
                   const SandboxRequestOptions *options,
                   const char                  *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  SandboxResponse *response = g_new0 (SandboxResponse, 1);
  SoupMessageHeaders *headers;
  gsize length = 0;
  const char *data;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (options != NULL && options->bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", options->bearer, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (options != NULL && options->user_agent != NULL)
    soup_message_headers_replace (headers, "User-Agent", options->user_agent);
  if (options != NULL && options->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", options->idempotency_key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      const char *type = options && options->content_type ? options->content_type : "application/json";

      soup_message_set_request_body_from_bytes (msg, type, bytes);
    }

  response->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  data = g_bytes_get_data (response->body, &length);
  if (length > 0)
    {
      g_autofree char *text = g_strndup (data, length);
      response->json = json_from_string (text, NULL);
    }

  return response;
}

void
sandbox_response_free (SandboxResponse *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

JsonObject *
sandbox_response_object (SandboxResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

const char *
sandbox_response_header (SandboxResponse *response,
                         const char      *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

/* Sends @request as is and reads until the server closes: what a client sees on a dropped
 * connection, without any HTTP library retrying for us. */
GString *
sandbox_test_raw_exchange (const char *base_url,
                           const char *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  GString *received = g_string_new (NULL);
  GInputStream *input;
  char buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (received, buffer, n);

  return received;
}

JsonNode *
sandbox_test_parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}
