/* relay-test-server.c — a scripted loopback HTTP server for the network tests
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-test-server.h"

/* The shape of gnome-calendar 43's tests/gcal-simple-server.c: the server lives in its
 * own thread with its own GMainContext, so the code under test can iterate the default
 * context freely while the server answers. Each test scripts the replies in order. */

typedef enum
{
  REPLY_NORMAL,
  REPLY_DROP,
  REPLY_HANG,
} ReplyKind;

typedef struct
{
  ReplyKind  kind;
  guint      status;
  char      *body;
  GStrv      headers; /* name, value, name, value, … */
} Reply;

struct _RelayTestServer
{
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  SoupServer       *server;
  GTlsCertificate  *certificate; /* HTTPS when set */
  char             *url;

  GMutex            mutex;
  GCond             cond;
  gboolean          ready;
  GQueue            replies;   /* Reply*, under mutex */
  GPtrArray        *requests;  /* RelayTestRequest*, under mutex */
  RelayTestHandler  handler;
  gpointer          handler_data;

  GPtrArray        *hanging;   /* SoupServerMessage*, server thread only */
  guint             n_hanging; /* under mutex */
};

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_strfreev (reply->headers);
  g_free (reply);
}

static void
request_free (RelayTestRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->body);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request);
}

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static RelayTestRequest *
record_request (SoupServerMessage *message)
{
  RelayTestRequest *request = g_new0 (RelayTestRequest, 1);
  GUri *uri = soup_server_message_get_uri (message);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (message),
                                copy_header_cb, request->headers);
  request->received_real_us = g_get_real_time ();

  return request;
}

/**
 * relay_test_reply_json:
 * @message: the message being handled
 * @status: the HTTP status
 * @body: (nullable): a JSON text
 *
 * Answers @message; each reply closes its connection so every request
 * arrives on a fresh one and counts are exact.
 */
void
relay_test_reply_json (SoupServerMessage *message,
                       guint              status,
                       const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "Connection", "close");
  if (body != NULL)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                      body, strlen (body));
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *message,
                     gpointer           user_data)
{
  RelayTestServer *self = user_data;

  if (g_ptr_array_remove (self->hanging, message))
    {
      g_mutex_lock (&self->mutex);
      self->n_hanging--;
      g_mutex_unlock (&self->mutex);
    }
}

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *message,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  RelayTestServer *self = user_data;
  RelayTestRequest *request = record_request (message);
  RelayTestHandler handler;
  gpointer handler_data;
  Reply *reply;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, request);
  reply = g_queue_pop_head (&self->replies);
  handler = self->handler;
  handler_data = self->handler_data;
  g_mutex_unlock (&self->mutex);

  if (reply == NULL)
    {
      if (handler != NULL)
        handler (message, request, handler_data);
      else
        relay_test_reply_json (message, 500, "{\"message\":\"test server: no reply scripted\"}");
      return;
    }

  switch (reply->kind)
    {
    case REPLY_NORMAL:
      relay_test_reply_json (message, reply->status, reply->body);
      for (guint i = 0; reply->headers != NULL && reply->headers[i] != NULL; i += 2)
        soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                      reply->headers[i], reply->headers[i + 1]);
      break;

    case REPLY_DROP:
      {
        /* The request was read in full; the client sees the connection close without
         * an answer, exactly like a server that acted and then failed. */
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

        g_io_stream_close (stream, NULL, NULL);
      }
      break;

    case REPLY_HANG:
      soup_server_message_pause (message);
      g_ptr_array_add (self->hanging, message);
      g_mutex_lock (&self->mutex);
      self->n_hanging++;
      g_mutex_unlock (&self->mutex);
      break;

    default:
      g_assert_not_reached ();
    }

  reply_free (reply);
}

static gpointer
server_thread_func (gpointer user_data)
{
  RelayTestServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("tls-certificate", self->certificate, NULL);
  soup_server_add_handler (self->server, NULL, server_handler_cb, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_finished_cb), self);

  soup_server_listen_local (self->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY |
                            (self->certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);

  g_mutex_lock (&self->mutex);
  self->url = g_strdup_printf ("%s://127.0.0.1:%d", self->certificate != NULL ? "https" : "http",
                               g_uri_get_port (uris->data));
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  /* Let the server release its sockets and connections in its own context. */
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

static gboolean
shut_down_cb (gpointer user_data)
{
  RelayTestServer *self = user_data;

  /* Answer what was left hanging so no connection outlives the server. */
  while (self->hanging->len > 0)
    {
      SoupServerMessage *message = g_ptr_array_steal_index (self->hanging, 0);

      relay_test_reply_json (message, 503, NULL);
      soup_server_message_unpause (message);
    }

  soup_server_disconnect (self->server);
  g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

RelayTestServer *
relay_test_server_new (void)
{
  return relay_test_server_new_https (NULL);
}

/**
 * relay_test_server_new_https:
 * @certificate: (nullable): the server's certificate and key; %NULL for plain HTTP
 *
 * Returns: (transfer full): a running server on 127.0.0.1
 */
RelayTestServer *
relay_test_server_new_https (GTlsCertificate *certificate)
{
  RelayTestServer *self = g_new0 (RelayTestServer, 1);

  g_set_object (&self->certificate, certificate);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->replies);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->hanging = g_ptr_array_new ();
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("relay-test-server", server_thread_func, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  return self;
}

void
relay_test_server_free (RelayTestServer *self)
{
  GSource *source;

  if (self == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_callback (source, shut_down_cb, self, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);

  g_thread_join (self->thread);

  g_clear_object (&self->certificate);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_queue_clear_full (&self->replies, (GDestroyNotify) reply_free);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->hanging);
  g_free (self->url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
relay_test_server_get_url (RelayTestServer *self)
{
  return self->url;
}

static void
queue_reply (RelayTestServer *self,
             Reply           *reply)
{
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->replies, reply);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_test_server_reply:
 * @self: the server
 * @status: the HTTP status of the next reply
 * @body: (nullable): its JSON body
 * @...: header name and value pairs, then %NULL
 *
 * Queues the reply to the next request.
 */
void
relay_test_server_reply (RelayTestServer *self,
                         guint            status,
                         const char      *body,
                         ...)
{
  g_autoptr(GStrvBuilder) headers = g_strv_builder_new ();
  Reply *reply = g_new0 (Reply, 1);
  const char *name;
  va_list args;

  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_strv_builder_add (headers, name);
      g_strv_builder_add (headers, va_arg (args, const char *));
    }
  va_end (args);

  reply->kind = REPLY_NORMAL;
  reply->status = status;
  reply->body = g_strdup (body);
  reply->headers = g_strv_builder_end (headers);
  queue_reply (self, reply);
}

/* The next request is read in full, then its connection is closed without an answer. */
void
relay_test_server_reply_drop (RelayTestServer *self)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->kind = REPLY_DROP;
  queue_reply (self, reply);
}

/* The next request gets no answer until the server is freed. */
void
relay_test_server_reply_hang (RelayTestServer *self)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->kind = REPLY_HANG;
  queue_reply (self, reply);
}

void
relay_test_server_set_handler (RelayTestServer  *self,
                               RelayTestHandler  handler,
                               gpointer          user_data)
{
  g_mutex_lock (&self->mutex);
  self->handler = handler;
  self->handler_data = user_data;
  g_mutex_unlock (&self->mutex);
}

guint
relay_test_server_get_n_requests (RelayTestServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->requests->len;
  g_mutex_unlock (&self->mutex);

  return n;
}

/* Borrowed; valid until the server is freed. */
const RelayTestRequest *
relay_test_server_get_request (RelayTestServer *self,
                               guint            index)
{
  const RelayTestRequest *request;

  g_mutex_lock (&self->mutex);
  g_assert_cmpuint (index, <, self->requests->len);
  request = g_ptr_array_index (self->requests, index);
  g_mutex_unlock (&self->mutex);

  return request;
}

guint
relay_test_server_get_n_hanging (RelayTestServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_hanging;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * relay_test_query_get:
 * @query: (nullable): a raw query string
 * @name: a parameter name, as it appears encoded
 *
 * Returns: (transfer full) (nullable): the decoded value of the first @name
 */
char *
relay_test_query_get (const char *query,
                      const char *name)
{
  g_auto(GStrv) pairs = NULL;
  gsize name_length = strlen (name);

  if (query == NULL)
    return NULL;

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      if (strncmp (pairs[i], name, name_length) == 0 && pairs[i][name_length] == '=')
        return g_uri_unescape_string (pairs[i] + name_length + 1, NULL);
    }

  return NULL;
}
