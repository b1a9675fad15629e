/* relay-sandbox-requests.c — every API request: the request log, injected faults
 * (status, dropped, delayed, truncated, not JSON, held forever) and the hand-off to the API
 * that answers it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

typedef struct
{
  RelaySandboxApi    api;
  char              *method;       /* NULL: any */
  char              *path_prefix;  /* NULL: any */
  RelaySandboxFault  fault;
  guint              parameter;
  guint              remaining;
} SandboxFaultRule;

typedef struct
{
  RelaySandbox      *self;
  SoupServerMessage *msg;
  RelaySandboxApi    api;
  JsonObject        *log_entry;
  char              *in_progress;  /* the fulfillment path this POST holds, or NULL */
} SandboxDelayed;

static const char *
api_name (RelaySandboxApi api)
{
  return api == RELAY_SANDBOX_API_SQUARESPACE ? "squarespace" : "tradegecko";
}

void
sandbox_fault_rule_free (gpointer data)
{
  SandboxFaultRule *rule = data;

  g_free (rule->method);
  g_free (rule->path_prefix);
  g_free (rule);
}

static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static void
write_reply (SoupServerMessage *msg,
             SandboxReply      *reply,
             gboolean           truncate)
{
  g_autofree char *text = NULL;
  gsize length;

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->body == NULL)
    return;

  text = json_to_string (reply->body, FALSE);
  length = strlen (text);
  if (truncate)
    length /= 2;
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, length);
}

static void
fault_reply (RelaySandbox    *self,
             RelaySandboxApi  api,
             guint            status,
             SandboxReply    *reply)
{
  if (api == RELAY_SANDBOX_API_SQUARESPACE)
    {
      const char *type = status == 429 ? "TOO_MANY_REQUESTS"
                       : status == 503 ? "SERVICE_UNAVAILABLE"
                       : "SERVER_ERROR";
      sandbox_squarespace_error (self, reply, status, type, NULL, "Injected fault.");
    }
  else
    {
      const char *reason = soup_status_get_phrase (status);
      sandbox_tradegecko_error (reply, status, reason ? reason : "Error", "Injected fault.");
    }
}

static void
handle_api_locked (RelaySandbox      *self,
                   SoupServerMessage *msg,
                   RelaySandboxApi    api,
                   SandboxReply      *reply)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GPtrArray) params = sandbox_params_parse (g_uri_get_query (uri));

  if (api == RELAY_SANDBOX_API_SQUARESPACE)
    sandbox_squarespace_handle (self, msg, g_uri_get_path (uri), params, reply);
  else
    sandbox_tradegecko_handle (self, msg, g_uri_get_path (uri), params, reply);
}

static SandboxFaultRule *
take_fault_locked (RelaySandbox      *self,
                   RelaySandboxApi    api,
                   SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  for (guint i = 0; i < self->faults->len; i++)
    {
      SandboxFaultRule *rule = g_ptr_array_index (self->faults, i);

      if (rule->api != api || rule->remaining == 0)
        continue;
      if (rule->method != NULL && g_ascii_strcasecmp (rule->method, method) != 0)
        continue;
      if (rule->path_prefix != NULL && !g_str_has_prefix (path, rule->path_prefix))
        continue;

      rule->remaining--;
      return rule;
    }

  return NULL;
}

/* A request held unanswered, and the watch on its connection. */
typedef struct
{
  RelaySandbox      *self;
  SoupServerMessage *msg;
  GSource           *watch;
} SandboxHeld;

static void
held_free (gpointer data)
{
  SandboxHeld *held = data;

  if (held->watch != NULL)
    {
      g_source_destroy (held->watch);
      g_source_unref (held->watch);
    }
  g_object_unref (held->msg);
  g_free (held);
}

/* libsoup does not read a paused message's connection, so it would never notice the
 * client leave: the watch does, and then lets libsoup find the connection gone. */
static gboolean
held_connection_readable_cb (GSocket      *socket,
                             GIOCondition  condition,
                             gpointer      user_data)
{
  SandboxHeld *held = user_data;
  RelaySandbox *self = held->self;
  char byte;
  GInputVector peek = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;

  /* Readable with bytes to read is a client sending more (no client of ours pipelines): not
   * gone, but nothing to watch for any longer either. End of stream is the client leaving. */
  if ((condition & (G_IO_HUP | G_IO_ERR)) == 0 &&
      g_socket_receive_message (socket, NULL, &peek, 1, NULL, NULL, &flags, NULL, NULL) > 0)
    {
      g_mutex_lock (&self->mutex);
      g_clear_pointer (&held->watch, g_source_unref);
      g_mutex_unlock (&self->mutex);
      return G_SOURCE_REMOVE;
    }

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&held->watch, g_source_unref);
  soup_server_message_set_status (held->msg, 503, NULL);
  soup_server_message_unpause (held->msg);
  g_ptr_array_remove (self->held, held);
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_REMOVE;
}

/* Never answered: the client sees a request the server took and then went silent on, the
 * case only its own watchdog ends. Status 0 in the log, as for a dropped connection. */
static void
hold_locked (RelaySandbox      *self,
             SoupServerMessage *msg,
             JsonObject        *log_entry)
{
  SandboxHeld *held = g_new0 (SandboxHeld, 1);

  json_object_set_int_member (log_entry, "status", 0);
  soup_server_message_pause (msg);
  held->self = self;
  held->msg = g_object_ref (msg);
  held->watch = g_socket_create_source (soup_server_message_get_socket (msg),
                                        G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (held->watch, G_SOURCE_FUNC (held_connection_readable_cb), held, NULL);
  g_source_attach (held->watch, self->context);
  g_ptr_array_add (self->held, held);
}

/* At stop: what is still held is answered 503, so no connection outlives the server. */
void
sandbox_release_held (RelaySandbox *self)
{
  g_autoptr(GPtrArray) held = NULL;

  g_mutex_lock (&self->mutex);
  held = g_steal_pointer (&self->held);
  self->held = sandbox_held_array_new ();
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < held->len; i++)
    {
      SandboxHeld *one = g_ptr_array_index (held, i);

      soup_server_message_set_status (one->msg, 503, NULL);
      soup_server_message_unpause (one->msg);
    }
  /* The loop has stopped: write those answers before the servers disconnect. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
}

GPtrArray *
sandbox_held_array_new (void)
{
  return g_ptr_array_new_with_free_func (held_free);
}

static void
finish_locked (RelaySandbox      *self,
               SoupServerMessage *msg,
               RelaySandboxApi    api,
               JsonObject        *log_entry,
               RelaySandboxFault  fault)
{
  SandboxReply reply = { 500, NULL };

  handle_api_locked (self, msg, api, &reply);

  if (fault == RELAY_SANDBOX_FAULT_DROP_AFTER)
    {
      json_object_set_int_member (log_entry, "status", 0);
      json_object_set_string_member (log_entry, "fault", "drop-after");
      drop_connection (msg);
    }
  else if (fault == RELAY_SANDBOX_FAULT_HANG_AFTER)
    {
      json_object_set_string_member (log_entry, "fault", "hang-after");
      hold_locked (self, msg, log_entry);
    }
  else
    {
      json_object_set_int_member (log_entry, "status", reply.status);
      write_reply (msg, &reply, fault == RELAY_SANDBOX_FAULT_TRUNCATED);
    }

  g_clear_pointer (&reply.body, json_node_unref);
}

static gboolean
delayed_request_cb (gpointer user_data)
{
  SandboxDelayed *delayed = user_data;
  RelaySandbox *self = delayed->self;

  g_mutex_lock (&self->mutex);
  /* The slow write lands now, whether or not the client is still there. */
  if (delayed->in_progress != NULL)
    g_hash_table_remove (self->sq_in_progress, delayed->in_progress);
  finish_locked (self, delayed->msg, delayed->api, delayed->log_entry, RELAY_SANDBOX_FAULT_DELAY);
  g_mutex_unlock (&self->mutex);
  soup_server_message_unpause (delayed->msg);

  g_object_unref (delayed->msg);
  json_object_unref (delayed->log_entry);
  g_free (delayed->in_progress);
  g_free (delayed);

  return G_SOURCE_REMOVE;
}

static void
api_request (RelaySandbox      *self,
             SoupServerMessage *msg,
             RelaySandboxApi    api)
{
  GUri *uri = soup_server_message_get_uri (msg);
  SandboxFaultRule *rule;
  RelaySandboxFault fault = (RelaySandboxFault) -1;
  JsonObject *log_entry = json_object_new ();
  g_autofree char *now = sandbox_format_iso8601_ms (sandbox_now_ms ());

  /* Only what a test needs: never headers, so never an Authorization value. */
  json_object_set_string_member (log_entry, "api", api_name (api));
  json_object_set_string_member (log_entry, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (log_entry, "path", g_uri_get_path (uri));
  json_object_set_string_member (log_entry, "query", g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  json_object_set_string_member (log_entry, "time", now);

  g_mutex_lock (&self->mutex);

  g_ptr_array_add (self->request_log, log_entry);
  self->request_counts[api]++;

  rule = take_fault_locked (self, api, msg);
  if (rule != NULL)
    fault = rule->fault;

  switch ((int) fault)
    {
    case RELAY_SANDBOX_FAULT_DELAY:
      {
        SandboxDelayed *delayed = g_new0 (SandboxDelayed, 1);
        GSource *source = g_timeout_source_new (rule->parameter);

        delayed->self = self;
        delayed->msg = g_object_ref (msg);
        delayed->api = api;
        delayed->log_entry = json_object_ref (log_entry);
        json_object_set_string_member (log_entry, "fault", "delay");
        /* Squarespace answers 409 to another fulfillment POST for the order meanwhile. */
        if (api == RELAY_SANDBOX_API_SQUARESPACE && g_str_equal (soup_server_message_get_method (msg), "POST") &&
            g_str_has_suffix (g_uri_get_path (uri), "/fulfillments"))
          delayed->in_progress = g_strdup (g_uri_get_path (uri));
        /* … and 409 to an inventory adjustment whose Idempotency-Key is still in flight. */
        else if (api == RELAY_SANDBOX_API_SQUARESPACE && g_str_equal (soup_server_message_get_method (msg), "POST"))
          delayed->in_progress = sandbox_stock_in_flight_key (msg);
        if (delayed->in_progress != NULL)
          g_hash_table_add (self->sq_in_progress, g_strdup (delayed->in_progress));
        soup_server_message_pause (msg);
        g_source_set_callback (source, delayed_request_cb, delayed, NULL);
        g_source_attach (source, self->context);
        g_source_unref (source);
      }
      break;

    case RELAY_SANDBOX_FAULT_DROP_BEFORE:
      json_object_set_int_member (log_entry, "status", 0);
      json_object_set_string_member (log_entry, "fault", "drop-before");
      drop_connection (msg);
      break;

    case RELAY_SANDBOX_FAULT_STATUS:
      {
        SandboxReply reply = { 500, NULL };

        fault_reply (self, api, rule->parameter, &reply);
        json_object_set_int_member (log_entry, "status", reply.status);
        json_object_set_string_member (log_entry, "fault", "status");
        write_reply (msg, &reply, FALSE);
        g_clear_pointer (&reply.body, json_node_unref);
      }
      break;

    case RELAY_SANDBOX_FAULT_NOT_JSON:
      {
        static const char page[] = "<!DOCTYPE html>\n<html><head><title>Gateway</title></head>"
                                   "<body><h1>Please sign in to the network</h1></body></html>\n";

        json_object_set_int_member (log_entry, "status", 200);
        json_object_set_string_member (log_entry, "fault", "not-json");
        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                          page, sizeof page - 1);
      }
      break;

    case RELAY_SANDBOX_FAULT_TRUNCATED:
      json_object_set_string_member (log_entry, "fault", "truncated");
      finish_locked (self, msg, api, log_entry, fault);
      break;

    case RELAY_SANDBOX_FAULT_HANG_BEFORE:
      json_object_set_string_member (log_entry, "fault", "hang-before");
      hold_locked (self, msg, log_entry);
      break;

    default:
      finish_locked (self, msg, api, log_entry, fault);
      break;
    }

  g_mutex_unlock (&self->mutex);
}

void
sandbox_serve_squarespace_cb (SoupServer        *server,
                              SoupServerMessage *msg,
                              const char        *path,
                              GHashTable        *query,
                              gpointer           user_data)
{
  api_request (user_data, msg, RELAY_SANDBOX_API_SQUARESPACE);
}

void
sandbox_serve_tradegecko_cb (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  api_request (user_data, msg, RELAY_SANDBOX_API_TRADEGECKO);
}

/**
 * relay_sandbox_add_fault:
 * @method: (nullable): "GET", "POST" …, or %NULL for any
 * @path_prefix: (nullable): e.g. "/1.0/commerce/orders", or %NULL for any path
 * @parameter: the status for %RELAY_SANDBOX_FAULT_STATUS, milliseconds for
 *   %RELAY_SANDBOX_FAULT_DELAY, unused otherwise
 * @count: how many of the next matching requests get the fault
 *
 * Faults are tried in the order they were added; each request takes at most one.
 */
void
relay_sandbox_add_fault (RelaySandbox      *self,
                         RelaySandboxApi    api,
                         const char        *method,
                         const char        *path_prefix,
                         RelaySandboxFault  fault,
                         guint              parameter,
                         guint              count)
{
  SandboxFaultRule *rule;

  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (fault <= RELAY_SANDBOX_FAULT_HANG_AFTER);

  rule = g_new0 (SandboxFaultRule, 1);
  rule->api = api;
  rule->method = g_strdup (method);
  rule->path_prefix = g_strdup (path_prefix);
  rule->fault = fault;
  rule->parameter = parameter;
  rule->remaining = count;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->faults, rule);
  g_mutex_unlock (&self->mutex);
}

void
relay_sandbox_clear_faults (RelaySandbox *self)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_get_held_count:
 *
 * Returns: how many requests a hang fault holds unanswered right now: a request the client
 *   gave up on (it closed the connection) no longer counts
 */
guint
relay_sandbox_get_held_count (RelaySandbox *self)
{
  guint count;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), 0);

  g_mutex_lock (&self->mutex);
  count = self->held->len;
  g_mutex_unlock (&self->mutex);

  return count;
}

/**
 * relay_sandbox_dup_request_log:
 *
 * Returns: (transfer full): `{"requests": [{api, method, path, query, status, time, fault?}],
 *   "counts": {"squarespace": N, "tradegecko": N}}`; status 0 means the connection was dropped
 */
JsonNode *
relay_sandbox_dup_request_log (RelaySandbox *self)
{
  g_autoptr(JsonNode) shared = NULL;
  JsonObject *root = json_object_new ();
  JsonObject *counts = json_object_new ();
  JsonNode *copy;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->mutex);
  json_object_set_array_member (root, "requests", sandbox_array_of (self->request_log));
  json_object_set_int_member (counts, "squarespace", self->request_counts[RELAY_SANDBOX_API_SQUARESPACE]);
  json_object_set_int_member (counts, "tradegecko", self->request_counts[RELAY_SANDBOX_API_TRADEGECKO]);
  json_object_set_object_member (root, "counts", counts);
  shared = sandbox_node_take_object (root);
  copy = sandbox_deep_copy (shared);
  g_mutex_unlock (&self->mutex);

  return copy;
}

guint
relay_sandbox_get_request_count (RelaySandbox    *self,
                                 RelaySandboxApi  api)
{
  guint count;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), 0);
  g_return_val_if_fail (api <= RELAY_SANDBOX_API_TRADEGECKO, 0);

  g_mutex_lock (&self->mutex);
  count = self->request_counts[api];
  g_mutex_unlock (&self->mutex);

  return count;
}

void
relay_sandbox_clear_request_log (RelaySandbox *self)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->request_log, 0);
  self->request_counts[0] = self->request_counts[1] = 0;
  g_mutex_unlock (&self->mutex);
}
