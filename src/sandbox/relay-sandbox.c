/* relay-sandbox.c — local Squarespace and TradeGecko servers, their thread, faults and control
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

enum { PORT_SQUARESPACE, PORT_TRADEGECKO, PORT_CONTROL };

G_DEFINE_FINAL_TYPE (RelaySandbox, relay_sandbox, G_TYPE_OBJECT)

G_DEFINE_QUARK (relay-sandbox-error-quark, relay_sandbox_error)

static const char *
api_name (RelaySandboxApi api)
{
  return api == RELAY_SANDBOX_API_SQUARESPACE ? "squarespace" : "tradegecko";
}

static void
fault_rule_free (gpointer data)
{
  SandboxFaultRule *rule = data;

  g_free (rule->method);
  g_free (rule->path_prefix);
  g_free (rule);
}

/* Every lookup a request makes by id, number or parent is hashed, so that a request costs the
 * same with 100 orders as with 100,000. */
static void
sandbox_init_indexes (RelaySandbox *self)
{
  sandbox_index_init (&self->sq_orders_by_id, &self->sq_orders, "id");
  sandbox_index_init (&self->tg_variants_by_id, &self->tg_variants, "id");
  sandbox_index_init (&self->tg_companies_by_id, &self->tg_companies, "id");
  sandbox_index_init (&self->tg_addresses_by_id, &self->tg_addresses, "id");
  sandbox_index_init (&self->tg_addresses_by_company, &self->tg_addresses, "company_id");
  sandbox_index_init (&self->tg_orders_by_id, &self->tg_orders, "id");
  sandbox_index_init (&self->tg_orders_by_number, &self->tg_orders, "order_number");
  sandbox_index_init (&self->tg_lines_by_order, &self->tg_order_line_items, "order_id");
  sandbox_index_init (&self->tg_fulfillments_by_id, &self->tg_fulfillments, "id");
  sandbox_index_init (&self->tg_fulfillments_by_order, &self->tg_fulfillments, "order_id");
  sandbox_index_init (&self->tg_fulfillment_lines_by_line, &self->tg_fulfillment_line_items, "order_line_item_id");
  sandbox_index_init (&self->tg_fulfillment_lines_by_fulfillment, &self->tg_fulfillment_line_items, "fulfillment_id");
}

static void
sandbox_clear_indexes (RelaySandbox *self)
{
  SandboxIndex *indexes[] = {
    &self->sq_orders_by_id, &self->tg_variants_by_id, &self->tg_companies_by_id, &self->tg_addresses_by_id,
    &self->tg_addresses_by_company, &self->tg_orders_by_id, &self->tg_orders_by_number, &self->tg_lines_by_order,
    &self->tg_fulfillments_by_id, &self->tg_fulfillments_by_order, &self->tg_fulfillment_lines_by_line,
    &self->tg_fulfillment_lines_by_fulfillment,
  };

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    sandbox_index_clear (indexes[i]);
}

static void
relay_sandbox_reset_locked (RelaySandbox *self)
{
  g_clear_pointer (&self->revoked_keys, g_hash_table_unref);
  self->revoked_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_clear_pointer (&self->sq_in_progress, g_hash_table_unref);
  sandbox_stock_finalize (self);
  sandbox_products_finalize (self);
  self->sq_in_progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sq_visibility_lag_ms = 0;
  sandbox_squarespace_reset (self);
  sandbox_tradegecko_reset (self);
  sandbox_stock_reset (self);
  sandbox_products_reset (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Answering API requests                                                                     */

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

    default:
      finish_locked (self, msg, api, log_entry, fault);
      break;
    }

  g_mutex_unlock (&self->mutex);
}

static void
squarespace_request_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  api_request (user_data, msg, RELAY_SANDBOX_API_SQUARESPACE);
}

static void
tradegecko_request_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  api_request (user_data, msg, RELAY_SANDBOX_API_TRADEGECKO);
}

/* ------------------------------------------------------------------------------------------ */
/* The control server: JSON over HTTP mirroring the C API                                      */

static void
control_reply (SoupServerMessage *msg,
               guint              status,
               JsonNode          *body)
{
  g_autofree char *text = NULL;

  soup_server_message_set_status (msg, status, NULL);
  if (body == NULL)
    return;

  text = json_to_string (body, FALSE);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
  json_node_unref (body);
}

static void
control_error (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "error", message);
  control_reply (msg, status, sandbox_node_take_object (object));
}

static void
control_gerror (SoupServerMessage *msg,
                const GError      *error)
{
  guint status = 400;

  if (g_error_matches (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND))
    status = 404;
  control_error (msg, status, error->message);
}

static JsonObject *
control_ok (void)
{
  JsonObject *object = json_object_new ();

  json_object_set_boolean_member (object, "ok", TRUE);
  return object;
}

static gboolean
parse_api (const char      *name,
           RelaySandboxApi *api)
{
  if (g_strcmp0 (name, "squarespace") == 0)
    *api = RELAY_SANDBOX_API_SQUARESPACE;
  else if (g_strcmp0 (name, "tradegecko") == 0)
    *api = RELAY_SANDBOX_API_TRADEGECKO;
  else
    return FALSE;

  return TRUE;
}

static gboolean
parse_fault (const char        *name,
             RelaySandboxFault *fault)
{
  static const char * const names[] = {
    "status", "drop-before", "drop-after", "delay", "truncated", "not-json", NULL
  };

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_strcmp0 (name, names[i]) == 0)
        {
          *fault = (RelaySandboxFault) i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
control_add_fault (RelaySandbox      *self,
                   SoupServerMessage *msg,
                   JsonObject        *body)
{
  RelaySandboxApi api;
  RelaySandboxFault fault;
  gint64 parameter = 0;
  gint64 count = 1;

  if (body == NULL || !parse_api (sandbox_get_string_member (body, "api"), &api))
    {
      control_error (msg, 400, "\"api\" must be \"squarespace\" or \"tradegecko\"");
      return;
    }
  if (!parse_fault (sandbox_get_string_member (body, "fault"), &fault))
    {
      control_error (msg, 400, "\"fault\" must be one of status, drop-before, drop-after, "
                               "delay, truncated, not-json");
      return;
    }

  if (fault == RELAY_SANDBOX_FAULT_STATUS &&
      (!sandbox_get_int_member (body, "status", &parameter) || parameter < 400 || parameter > 599))
    {
      control_error (msg, 400, "a status fault needs \"status\" between 400 and 599");
      return;
    }
  if (fault == RELAY_SANDBOX_FAULT_DELAY &&
      (!sandbox_get_int_member (body, "delay_ms", &parameter) || parameter < 0 || parameter > 600000))
    {
      control_error (msg, 400, "a delay fault needs \"delay_ms\" between 0 and 600000");
      return;
    }
  if (json_object_has_member (body, "count") &&
      (!sandbox_get_int_member (body, "count", &count) || count < 1 || count > 100000))
    {
      control_error (msg, 400, "\"count\" must be a positive integer");
      return;
    }

  relay_sandbox_add_fault (self, api,
                           sandbox_get_string_member (body, "method"),
                           sandbox_get_string_member (body, "path_prefix"),
                           fault, (guint) parameter, (guint) count);
  control_reply (msg, 201, sandbox_node_take_object (control_ok ()));
}

static void
control_set_rate_limit (RelaySandbox      *self,
                        SoupServerMessage *msg,
                        JsonObject        *body)
{
  RelaySandboxApi api;
  gint64 limit, window, cooldown = 60;

  if (body == NULL || !parse_api (sandbox_get_string_member (body, "api"), &api))
    {
      control_error (msg, 400, "\"api\" must be \"squarespace\" or \"tradegecko\"");
      return;
    }
  if (!sandbox_get_int_member (body, "limit", &limit) || limit < 1 ||
      !sandbox_get_int_member (body, "window_seconds", &window) || window < 1 ||
      (json_object_has_member (body, "cooldown_seconds") &&
       (!sandbox_get_int_member (body, "cooldown_seconds", &cooldown) || cooldown < 0)))
    {
      control_error (msg, 400, "needs positive \"limit\" and \"window_seconds\" "
                               "(and optional \"cooldown_seconds\")");
      return;
    }

  relay_sandbox_set_rate_limit (self, api, (guint) limit, (guint) window, (guint) cooldown);
  control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
}

/* POST /control/tradegecko/variants/{id}/stock {"stock_on_hand": N, "location_id": L?} */
static void
control_set_stock (RelaySandbox      *self,
                   SoupServerMessage *msg,
                   const char        *variant_text,
                   JsonObject        *body)
{
  g_autoptr(GError) error = NULL;
  gint64 variant_id = g_ascii_strtoll (variant_text, NULL, 10);
  JsonNode *on_hand = body ? json_object_get_member (body, "stock_on_hand") : NULL;
  gint64 location_id = body ? json_object_get_int_member_with_default (body, "location_id", 0) : 0;

  if (on_hand == NULL || !JSON_NODE_HOLDS_VALUE (on_hand) || json_node_get_value_type (on_hand) != G_TYPE_INT64 ||
      json_node_get_int (on_hand) < 0 || location_id < 0)
    {
      control_error (msg, 400, "needs {\"stock_on_hand\": whole units ≥ 0, \"location_id\": optional}");
      return;
    }
  if (!relay_sandbox_set_tradegecko_stock (self, variant_id, location_id, json_node_get_int (on_hand), &error))
    {
      control_gerror (msg, error);
      return;
    }
  control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
}

static void
control_request_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  RelaySandbox *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  JsonObject *body = NULL;
  guint n_parts;

  if (request_body->length > 0)
    {
      body_node = json_from_string (request_body->data, &error);
      if (body_node == NULL)
        {
          control_error (msg, 400, error->message);
          return;
        }
      if (JSON_NODE_HOLDS_OBJECT (body_node))
        body = json_node_get_object (body_node);
    }

  parts = g_strsplit (path, "/", -1);
  n_parts = g_strv_length (parts);
  /* parts[0] is "" (the leading slash), parts[1] must be "control". */
  if (n_parts < 3 || !g_str_equal (parts[1], "control"))
    {
      control_error (msg, 404, "no such control path");
      return;
    }

  if (n_parts == 3 && g_str_equal (parts[2], "state") && g_str_equal (method, "GET"))
    {
      control_reply (msg, 200, relay_sandbox_dup_state (self));
      return;
    }

  if (n_parts == 3 && g_str_equal (parts[2], "requests"))
    {
      if (g_str_equal (method, "GET"))
        {
          control_reply (msg, 200, relay_sandbox_dup_request_log (self));
          return;
        }
      if (g_str_equal (method, "DELETE"))
        {
          relay_sandbox_clear_request_log (self);
          control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
          return;
        }
    }

  if (n_parts == 4 && g_str_equal (parts[2], "squarespace") && g_str_equal (parts[3], "adjustments") &&
      g_str_equal (method, "GET"))
    {
      control_reply (msg, 200, relay_sandbox_dup_adjustment_counts (self));
      return;
    }

  if (n_parts == 3 && g_str_equal (parts[2], "faults"))
    {
      if (g_str_equal (method, "POST"))
        {
          control_add_fault (self, msg, body);
          return;
        }
      if (g_str_equal (method, "DELETE"))
        {
          relay_sandbox_clear_faults (self);
          control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
          return;
        }
    }

  if (!g_str_equal (method, "POST"))
    {
      control_error (msg, 405, "method not allowed");
      return;
    }

  if (n_parts == 3 && g_str_equal (parts[2], "scenario"))
    {
      if (body_node == NULL || !relay_sandbox_load_scenario (self, body_node, &error))
        {
          control_error (msg, 400, error ? error->message : "a scenario JSON body is required");
          return;
        }
      control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
      return;
    }

  if (n_parts == 3 && g_str_equal (parts[2], "demo"))
    {
      gint64 seconds;

      relay_sandbox_load_demo (self);
      if (body != NULL && sandbox_get_int_member (body, "new_order_every", &seconds) && seconds >= 0)
        relay_sandbox_set_new_order_interval (self, (guint) seconds);
      if (body != NULL && sandbox_get_int_member (body, "auto_ship_after", &seconds) && seconds >= 0)
        relay_sandbox_set_auto_ship_delay (self, (guint) seconds);
      control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
      return;
    }

  if (n_parts == 3 && g_str_equal (parts[2], "rate-limit"))
    {
      control_set_rate_limit (self, msg, body);
      return;
    }

  if (n_parts == 4 && g_str_equal (parts[2], "squarespace") && g_str_equal (parts[3], "expired"))
    {
      if (body == NULL || !json_object_has_member (body, "expired"))
        {
          control_error (msg, 400, "needs {\"expired\": true|false}");
          return;
        }
      relay_sandbox_set_site_expired (self, json_object_get_boolean_member (body, "expired"));
      control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
      return;
    }

  if (n_parts == 4 && g_str_equal (parts[2], "squarespace") && g_str_equal (parts[3], "visibility-lag"))
    {
      gint64 seconds;

      if (body == NULL || !sandbox_get_int_member (body, "seconds", &seconds) || seconds < 0 || seconds > 86400)
        {
          control_error (msg, 400, "needs {\"seconds\": 0…86400}");
          return;
        }
      relay_sandbox_set_visibility_lag (self, (guint) seconds);
      control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
      return;
    }

  if (n_parts == 4 && g_str_equal (parts[2], "keys") &&
      (g_str_equal (parts[3], "revoke") || g_str_equal (parts[3], "restore")))
    {
      const char *key = body != NULL ? sandbox_get_string_member (body, "key") : NULL;

      if (key == NULL || *key == '\0')
        {
          control_error (msg, 400, "needs {\"key\": \"…\"}");
          return;
        }
      if (g_str_equal (parts[3], "revoke"))
        relay_sandbox_revoke_key (self, key);
      else
        relay_sandbox_restore_key (self, key);
      control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
      return;
    }

  if (n_parts == 4 && g_str_equal (parts[2], "squarespace") && g_str_equal (parts[3], "orders"))
    {
      g_autofree char *id = NULL;
      JsonObject *answer;

      if (body == NULL)
        {
          control_error (msg, 400, "an order JSON object is required");
          return;
        }
      id = relay_sandbox_add_squarespace_order (self, body, &error);
      if (id == NULL)
        {
          control_gerror (msg, error);
          return;
        }
      answer = json_object_new ();
      json_object_set_string_member (answer, "id", id);
      control_reply (msg, 201, sandbox_node_take_object (answer));
      return;
    }

  if (n_parts == 6 && g_str_equal (parts[2], "squarespace") && g_str_equal (parts[3], "orders"))
    {
      gboolean ok;

      if (g_str_equal (parts[5], "cancel"))
        ok = relay_sandbox_cancel_squarespace_order (self, parts[4], &error);
      else if (g_str_equal (parts[5], "edit") && body != NULL)
        ok = relay_sandbox_edit_squarespace_order (self, parts[4], body, &error);
      else
        {
          control_error (msg, 404, "use …/cancel, or …/edit with a JSON object");
          return;
        }
      if (!ok)
        {
          control_gerror (msg, error);
          return;
        }
      control_reply (msg, 200, sandbox_node_take_object (control_ok ()));
      return;
    }

  if (n_parts == 6 && g_str_equal (parts[2], "tradegecko") && g_str_equal (parts[3], "variants") &&
      g_str_equal (parts[5], "stock"))
    {
      control_set_stock (self, msg, parts[4], body);
      return;
    }

  if (n_parts == 6 && g_str_equal (parts[2], "tradegecko") && g_str_equal (parts[3], "orders") &&
      g_str_equal (parts[5], "ship"))
    {
      gint64 order_id = g_ascii_strtoll (parts[4], NULL, 10);
      g_autoptr(JsonObject) empty = json_object_new ();
      JsonObject *answer;
      gint64 fulfillment_id;

      fulfillment_id = relay_sandbox_ship_tradegecko_order (self, order_id, body ? body : empty, &error);
      if (fulfillment_id < 0)
        {
          control_gerror (msg, error);
          return;
        }
      answer = json_object_new ();
      json_object_set_int_member (answer, "fulfillment_id", fulfillment_id);
      control_reply (msg, 201, sandbox_node_take_object (answer));
      return;
    }

  control_error (msg, 404, "no such control path");
}

/* ------------------------------------------------------------------------------------------ */
/* The server thread                                                                          */

static SoupServer *
listen_on (guint        port,
           char       **url,
           GError     **error)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "order-relay-sandbox ", NULL);
  GSList *uris;

  /* Loopback only: IPv4 127.0.0.1, never a public interface. */
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  *url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&server);
}

static gpointer
relay_sandbox_thread (gpointer data)
{
  RelaySandbox *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sq_url = NULL;
  g_autofree char *tg_url = NULL;
  g_autofree char *control_url = NULL;
  SoupServer *sq = NULL, *tg = NULL, *control = NULL;

  g_main_context_push_thread_default (self->context);

  sq = listen_on (self->requested_ports[PORT_SQUARESPACE], &sq_url, &error);
  if (sq != NULL)
    tg = listen_on (self->requested_ports[PORT_TRADEGECKO], &tg_url, &error);
  if (tg != NULL)
    control = listen_on (self->requested_ports[PORT_CONTROL], &control_url, &error);

  if (control != NULL)
    {
      soup_server_add_handler (sq, NULL, squarespace_request_cb, self, NULL);
      soup_server_add_handler (tg, NULL, tradegecko_request_cb, self, NULL);
      soup_server_add_handler (control, NULL, control_request_cb, self, NULL);
    }

  g_mutex_lock (&self->mutex);
  self->started = TRUE;
  if (control != NULL)
    {
      self->squarespace_server = sq;
      self->tradegecko_server = tg;
      self->control_server = control;
      self->squarespace_url = g_steal_pointer (&sq_url);
      self->tradegecko_url = g_steal_pointer (&tg_url);
      self->control_url = g_steal_pointer (&control_url);
    }
  else
    {
      g_set_error (&self->start_error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_LISTEN,
                   "Could not listen on 127.0.0.1: %s", error->message);
      g_clear_object (&sq);
      g_clear_object (&tg);
    }
  g_cond_broadcast (&self->started_cond);
  g_mutex_unlock (&self->mutex);

  if (control != NULL)
    g_main_loop_run (self->loop);

  g_mutex_lock (&self->mutex);
  if (self->new_order_source != NULL)
    g_source_destroy (self->new_order_source);
  g_clear_pointer (&self->new_order_source, g_source_unref);
  if (self->auto_ship_source != NULL)
    g_source_destroy (self->auto_ship_source);
  g_clear_pointer (&self->auto_ship_source, g_source_unref);
  g_mutex_unlock (&self->mutex);

  if (self->squarespace_server != NULL)
    {
      soup_server_disconnect (self->squarespace_server);
      soup_server_disconnect (self->tradegecko_server);
      soup_server_disconnect (self->control_server);
      g_clear_object (&self->squarespace_server);
      g_clear_object (&self->tradegecko_server);
      g_clear_object (&self->control_server);
    }

  /* Let pending sources (delayed answers) release what they hold. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Demo timers                                                                                */

static gboolean
new_order_tick_cb (gpointer user_data)
{
  RelaySandbox *self = user_data;
  g_autoptr(JsonObject) partial = NULL;
  g_autoptr(JsonObject) order = NULL;

  g_mutex_lock (&self->mutex);
  partial = sandbox_demo_build_order (self);
  order = sandbox_squarespace_complete_order (self, partial, NULL);
  if (order != NULL)
    g_ptr_array_add (self->sq_orders, json_object_ref (order));
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_CONTINUE;
}

static gboolean
auto_ship_tick_cb (gpointer user_data)
{
  RelaySandbox *self = user_data;

  g_mutex_lock (&self->mutex);
  sandbox_tradegecko_auto_ship (self, self->auto_ship_delay);
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_CONTINUE;
}

static void
replace_timer_locked (RelaySandbox *self,
                      GSource     **slot,
                      guint         seconds,
                      GSourceFunc   callback)
{
  if (*slot != NULL)
    g_source_destroy (*slot);
  g_clear_pointer (slot, g_source_unref);

  if (seconds == 0)
    return;

  *slot = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (*slot, callback, self, NULL);
  g_source_attach (*slot, self->context);
}

/* ------------------------------------------------------------------------------------------ */

static void
relay_sandbox_finalize (GObject *object)
{
  RelaySandbox *self = (RelaySandbox *) object;

  relay_sandbox_stop (self);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->squarespace_url, g_free);
  g_clear_pointer (&self->tradegecko_url, g_free);
  g_clear_pointer (&self->control_url, g_free);
  g_clear_pointer (&self->rand, g_rand_free);

  g_clear_pointer (&self->sq_website, json_object_unref);
  g_clear_pointer (&self->sq_keys, g_hash_table_unref);
  g_clear_pointer (&self->sq_orders, g_ptr_array_unref);
  g_clear_pointer (&self->sq_inventory, g_ptr_array_unref);
  g_clear_pointer (&self->sq_cursors, g_hash_table_unref);

  g_clear_pointer (&self->tg_tokens, g_hash_table_unref);
  g_clear_pointer (&self->tg_account, json_object_unref);
  g_clear_pointer (&self->tg_user, json_object_unref);
  g_clear_pointer (&self->tg_currencies, g_ptr_array_unref);
  g_clear_pointer (&self->tg_tax_types, g_ptr_array_unref);
  g_clear_pointer (&self->tg_locations, g_ptr_array_unref);
  g_clear_pointer (&self->tg_variants, g_ptr_array_unref);
  g_clear_pointer (&self->tg_companies, g_ptr_array_unref);
  g_clear_pointer (&self->tg_addresses, g_ptr_array_unref);
  g_clear_pointer (&self->tg_orders, g_ptr_array_unref);
  g_clear_pointer (&self->tg_order_line_items, g_ptr_array_unref);
  g_clear_pointer (&self->tg_fulfillments, g_ptr_array_unref);
  g_clear_pointer (&self->tg_fulfillment_line_items, g_ptr_array_unref);
  g_clear_pointer (&self->tg_idempotency, g_hash_table_unref);
  sandbox_clear_indexes (self);
  sandbox_stock_finalize (self);
  sandbox_products_finalize (self);

  g_clear_pointer (&self->sq_in_progress, g_hash_table_unref);
  g_clear_pointer (&self->revoked_keys, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->request_log, g_ptr_array_unref);

  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->started_cond);

  G_OBJECT_CLASS (relay_sandbox_parent_class)->finalize (object);
}

static void
relay_sandbox_class_init (RelaySandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_sandbox_finalize;
}

static void
relay_sandbox_init (RelaySandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->started_cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->rand = g_rand_new ();
  self->faults = g_ptr_array_new_with_free_func (fault_rule_free);
  self->request_log = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sandbox_init_indexes (self);

  /* The documented limits: 300/min with a one-minute cool-down; 300 per 300 s windows
   * (docs/sandbox.md, both “Rate limits and their headers”). */
  self->sq_rate.limit = 300;
  self->sq_rate.window_seconds = 60;
  self->sq_rate.cooldown_seconds = 60;
  self->tg_rate.limit = 300;
  self->tg_rate.window_seconds = 300;

  relay_sandbox_reset_locked (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

RelaySandbox *
relay_sandbox_new (void)
{
  return g_object_new (RELAY_TYPE_SANDBOX, NULL);
}

/**
 * relay_sandbox_set_ports:
 *
 * Ports to bind on 127.0.0.1 at start; 0 (the default) picks a free one.
 */
void
relay_sandbox_set_ports (RelaySandbox *self,
                         guint         squarespace_port,
                         guint         tradegecko_port,
                         guint         control_port)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (self->thread == NULL);

  self->requested_ports[PORT_SQUARESPACE] = squarespace_port;
  self->requested_ports[PORT_TRADEGECKO] = tradegecko_port;
  self->requested_ports[PORT_CONTROL] = control_port;
}

gboolean
relay_sandbox_start (RelaySandbox  *self,
                     GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->started = FALSE;
  self->thread = g_thread_new ("relay-sandbox", relay_sandbox_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->started_cond, &self->mutex);
  ok = self->start_error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->start_error));
  g_mutex_unlock (&self->mutex);

  if (!ok)
    g_clear_pointer (&self->thread, g_thread_join);

  return ok;
}

void
relay_sandbox_stop (RelaySandbox *self)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  if (self->thread == NULL)
    return;

  g_main_loop_quit (self->loop);
  g_main_context_wakeup (self->context);
  g_clear_pointer (&self->thread, g_thread_join);
}

const char *
relay_sandbox_get_squarespace_url (RelaySandbox *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  return self->squarespace_url;
}

const char *
relay_sandbox_get_tradegecko_url (RelaySandbox *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  return self->tradegecko_url;
}

const char *
relay_sandbox_get_control_url (RelaySandbox *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  return self->control_url;
}

static gboolean
load_scenario_locked (RelaySandbox  *self,
                      JsonNode      *scenario,
                      GError       **error)
{
  JsonObject *root;
  JsonObject *sq = NULL;
  JsonObject *tg = NULL;

  if (scenario == NULL || !JSON_NODE_HOLDS_OBJECT (scenario))
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                   "A scenario must be a JSON object with \"squarespace\" and/or \"tradegecko\"");
      return FALSE;
    }

  root = json_node_get_object (scenario);
  if (json_object_has_member (root, "squarespace"))
    sq = json_object_get_object_member (root, "squarespace");
  if (json_object_has_member (root, "tradegecko"))
    tg = json_object_get_object_member (root, "tradegecko");

  relay_sandbox_reset_locked (self);
  return sandbox_tradegecko_load (self, tg, error) &&
         sandbox_squarespace_load (self, sq, tg, error);
}

/**
 * relay_sandbox_load_scenario:
 *
 * Replaces the whole state with @scenario (see the header comment for its shape). The scenario
 * is checked on a scratch copy first: when it is invalid, @error says why and the current state
 * is kept.
 */
gboolean
relay_sandbox_load_scenario (RelaySandbox  *self,
                             JsonNode      *scenario,
                             GError       **error)
{
  g_autoptr(RelaySandbox) scratch = NULL;
  gboolean ok;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);

  scratch = relay_sandbox_new ();
  if (!load_scenario_locked (scratch, scenario, error))
    return FALSE;

  g_mutex_lock (&self->mutex);
  ok = load_scenario_locked (self, scenario, error);
  g_mutex_unlock (&self->mutex);

  return ok;
}

void
relay_sandbox_load_demo (RelaySandbox *self)
{
  g_autoptr(JsonNode) scenario = sandbox_demo_build_scenario ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELAY_IS_SANDBOX (self));

  if (!relay_sandbox_load_scenario (self, scenario, &error))
    g_error ("The built-in demo scenario is invalid: %s", error->message);
}

/**
 * relay_sandbox_set_new_order_interval:
 *
 * Places a new demo order in Squarespace every @seconds (0 stops).
 */
void
relay_sandbox_set_new_order_interval (RelaySandbox *self,
                                      guint         seconds)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->new_order_interval = seconds;
  replace_timer_locked (self, &self->new_order_source, seconds, new_order_tick_cb);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_set_auto_ship_delay:
 *
 * Ships (a `fulfilled` fulfillment with tracking) every active or finalized TradeGecko order
 * @seconds after it was created (0 stops).
 */
void
relay_sandbox_set_auto_ship_delay (RelaySandbox *self,
                                   guint         seconds)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->auto_ship_delay = seconds;
  replace_timer_locked (self, &self->auto_ship_source, seconds > 0 ? 1 : 0, auto_ship_tick_cb);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_add_squarespace_order:
 * @order: a partial Order object; missing members get defaults and totals are computed
 *
 * Returns: (transfer full): the new order's id, or %NULL with @error set
 */
char *
relay_sandbox_add_squarespace_order (RelaySandbox  *self,
                                     JsonObject    *order,
                                     GError       **error)
{
  g_autoptr(JsonObject) complete = NULL;
  char *id = NULL;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (order != NULL, NULL);

  g_mutex_lock (&self->mutex);
  complete = sandbox_squarespace_complete_order (self, order, error);
  if (complete != NULL)
    {
      const char *new_id = json_object_get_string_member (complete, "id");

      if (sandbox_squarespace_find_order (self, new_id) != NULL)
        g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                     "An order with id %s already exists", new_id);
      else
        {
          /* A new order is news to pollers: it is modified now, whatever its createdOn. */
          sandbox_squarespace_touch (self, complete);
          g_ptr_array_add (self->sq_orders, json_object_ref (complete));
          id = g_strdup (new_id);
        }
    }
  g_mutex_unlock (&self->mutex);

  return id;
}

static JsonObject *
find_sq_order_or_error (RelaySandbox  *self,
                        const char    *order_id,
                        GError       **error)
{
  JsonObject *order = sandbox_squarespace_find_order (self, order_id);

  if (order == NULL)
    g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND,
                 "No Squarespace order with id %s", order_id);
  return order;
}

gboolean
relay_sandbox_cancel_squarespace_order (RelaySandbox  *self,
                                        const char    *order_id,
                                        GError       **error)
{
  JsonObject *order;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (order_id != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  order = find_sq_order_or_error (self, order_id, error);
  if (order != NULL)
    {
      json_object_set_string_member (order, "fulfillmentStatus", "CANCELED");
      sandbox_squarespace_touch (self, order);
    }
  g_mutex_unlock (&self->mutex);

  return order != NULL;
}

static gboolean
merge_address (JsonObject  *address,
               JsonObject  *changes,
               GError     **error)
{
  static const char * const fields[] = {
    "firstName", "lastName", "address1", "address2", "city", "state", "countryCode",
    "postalCode", "phone", NULL
  };
  g_autoptr(GList) members = json_object_get_members (changes);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (changes, l->data);

      if (!g_strv_contains (fields, l->data))
        {
          g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                       "\"%s\" is not an Address field", (const char *) l->data);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_NULL (value) &&
          !(JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING))
        {
          g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                       "Address field \"%s\" must be a string or null", (const char *) l->data);
          return FALSE;
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (address, l->data, json_node_copy (json_object_get_member (changes, l->data)));

  return TRUE;
}

/* A refund as the merchant makes it in Squarespace: refundedTotal grows (up to
 * grandTotal, same currency); a full refund makes paymentState REFUNDED. */
static gboolean
apply_refund (JsonObject  *order,
              JsonNode    *node,
              GError     **error)
{
  JsonObject *grand = json_object_get_object_member (order, "grandTotal");
  JsonObject *money = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  gint64 refunded, total;

  if (money == NULL || g_strcmp0 (sandbox_get_string_member (money, "currency"),
                                  sandbox_get_string_member (grand, "currency")) != 0 ||
      !sandbox_decimal_parse (json_object_get_member (money, "value"), &refunded) ||
      !sandbox_decimal_parse (json_object_get_member (grand, "value"), &total) ||
      refunded < 0 || refunded > total)
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                   "refundedTotal must be money in the order's currency, at most its grandTotal");
      return FALSE;
    }

  json_object_set_member (order, "refundedTotal", json_node_copy (node));
  if (refunded == total)
    json_object_set_string_member (order, "paymentState", "REFUNDED");
  return TRUE;
}

/**
 * relay_sandbox_edit_squarespace_order:
 * @changes: `{"customerEmail": "…", "shippingAddress": {…}, "billingAddress": {…}}`, any subset;
 *   address members given replace the current ones
 */
gboolean
relay_sandbox_edit_squarespace_order (RelaySandbox  *self,
                                      const char    *order_id,
                                      JsonObject    *changes,
                                      GError       **error)
{
  JsonObject *order;
  gboolean ok = FALSE;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (order_id != NULL && changes != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  order = find_sq_order_or_error (self, order_id, error);
  if (order != NULL)
    {
      g_autoptr(JsonObject) edited = sandbox_object_copy (order);
      g_autoptr(GList) members = json_object_get_members (changes);

      ok = TRUE;
      for (GList *l = members; ok && l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_equal (name, "customerEmail"))
            {
              const char *email = sandbox_get_string_member (changes, name);

              if (email == NULL || strchr (email, '@') == NULL)
                {
                  g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                               "customerEmail must be an e-mail address");
                  ok = FALSE;
                }
              else
                json_object_set_string_member (edited, name, email);
            }
          else if (g_str_equal (name, "shippingAddress") || g_str_equal (name, "billingAddress"))
            {
              JsonNode *node = json_object_get_member (changes, name);

              if (!JSON_NODE_HOLDS_OBJECT (node))
                {
                  g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                               "%s must be an object", name);
                  ok = FALSE;
                }
              else
                ok = merge_address (json_object_get_object_member (edited, name),
                                    json_node_get_object (node), error);
            }
          else if (g_str_equal (name, "refundedTotal"))
            ok = apply_refund (edited, json_object_get_member (changes, name), error);
          else
            {
              g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                           "Only customerEmail, shippingAddress, billingAddress and refundedTotal can be edited, "
                           "not \"%s\"", name);
              ok = FALSE;
            }
        }

      if (ok)
        {
          g_autoptr(GList) edited_members = json_object_get_members (edited);

          for (GList *l = edited_members; l != NULL; l = l->next)
            json_object_set_member (order, l->data, json_node_copy (json_object_get_member (edited, l->data)));
          sandbox_squarespace_touch (self, order);
        }
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * relay_sandbox_ship_tradegecko_order:
 * @shipment: `{"status": "packed"|"fulfilled" (default), "tracking_company", "tracking_number",
 *   "tracking_url", "service", "lines": [{"order_line_item_id": N, "quantity": Q}]}`; without
 *   "lines" everything not yet in a fulfillment is shipped
 *
 * Returns: the new fulfillment's id, or -1 with @error set
 */
gint64
relay_sandbox_ship_tradegecko_order (RelaySandbox  *self,
                                     gint64         order_id,
                                     JsonObject    *shipment,
                                     GError       **error)
{
  gint64 id;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), -1);
  g_return_val_if_fail (shipment != NULL, -1);

  g_mutex_lock (&self->mutex);
  id = sandbox_tradegecko_ship (self, order_id, shipment, error);
  g_mutex_unlock (&self->mutex);

  return id;
}

/**
 * relay_sandbox_set_rate_limit:
 *
 * Squarespace: @limit requests per @window_seconds (counted from the first request of a window),
 * then 429 for @cooldown_seconds. TradeGecko: @limit requests per fixed window of
 * @window_seconds aligned to the clock, then 429 until the window ends (@cooldown_seconds unused).
 */
void
relay_sandbox_set_rate_limit (RelaySandbox    *self,
                              RelaySandboxApi  api,
                              guint            limit,
                              guint            window_seconds,
                              guint            cooldown_seconds)
{
  SandboxRateLimit *rate;

  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (limit > 0 && window_seconds > 0);

  g_mutex_lock (&self->mutex);
  rate = api == RELAY_SANDBOX_API_SQUARESPACE ? &self->sq_rate : &self->tg_rate;
  rate->limit = limit;
  rate->window_seconds = window_seconds;
  rate->cooldown_seconds = cooldown_seconds;
  rate->window_start = 0;
  rate->count = 0;
  rate->cooldown_until = 0;
  g_mutex_unlock (&self->mutex);
}

void
relay_sandbox_set_site_expired (RelaySandbox *self,
                                gboolean      expired)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->sq_expired = !!expired;
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_set_visibility_lag:
 * @self: a #RelaySandbox
 * @seconds: how long after its modifiedOn a Squarespace change shows; 0 for at once
 *
 * Makes Squarespace's listings lag behind its orders, as a search index may:
 * every change from now on is stamped @seconds before the moment it shows,
 * so a poller that trusts modifiedOn to be recent misses it. Direct reads of
 * an order are not affected.
 */
void
relay_sandbox_set_visibility_lag (RelaySandbox *self,
                                  guint         seconds)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->sq_visibility_lag_ms = (gint64) seconds * 1000;
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_revoke_key:
 * @key: a Squarespace API key or a TradeGecko access token
 *
 * Revokes @key as the store's owner would in the store's settings: from now on every request
 * made with it gets the API's documented 401 (Squarespace `AUTHORIZATION_ERROR`, TradeGecko
 * `Unauthorized`). Nothing else changes. Loading a scenario forgets revocations.
 */
void
relay_sandbox_revoke_key (RelaySandbox *self,
                          const char   *key)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->revoked_keys, g_strdup (key));
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_restore_key:
 * @key: a key earlier passed to relay_sandbox_revoke_key()
 *
 * Undoes relay_sandbox_revoke_key() (a test convenience; the real APIs cannot do this): the key
 * works again with the permission it had.
 */
void
relay_sandbox_restore_key (RelaySandbox *self,
                           const char   *key)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->revoked_keys, key);
  g_mutex_unlock (&self->mutex);
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
  g_return_if_fail (fault <= RELAY_SANDBOX_FAULT_NOT_JSON);

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

static JsonArray *
array_of (GPtrArray *objects)
{
  JsonArray *array = json_array_sized_new (objects->len);

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));

  return array;
}

/**
 * relay_sandbox_dup_state:
 *
 * Returns: (transfer full): `{"squarespace": {website, orders, inventory, expired},
 *   "tradegecko": {variants, companies, addresses, orders, order_line_items, fulfillments,
 *   fulfillment_line_items}}`
 */
JsonNode *
relay_sandbox_dup_state (RelaySandbox *self)
{
  g_autoptr(JsonNode) shared = NULL;
  JsonObject *root = json_object_new ();
  JsonObject *sq = json_object_new ();
  JsonObject *tg = json_object_new ();
  JsonNode *copy;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->mutex);
  json_object_set_object_member (sq, "website", json_object_ref (self->sq_website));
  json_object_set_array_member (sq, "orders", array_of (self->sq_orders));
  json_object_set_array_member (sq, "inventory", array_of (self->sq_inventory));
  json_object_set_boolean_member (sq, "expired", self->sq_expired);
  json_object_set_array_member (tg, "variants", array_of (self->tg_variants));
  json_object_set_array_member (tg, "companies", array_of (self->tg_companies));
  json_object_set_array_member (tg, "addresses", array_of (self->tg_addresses));
  json_object_set_array_member (tg, "orders", array_of (self->tg_orders));
  json_object_set_array_member (tg, "tax_types", array_of (self->tg_tax_types));
  json_object_set_array_member (tg, "order_line_items", array_of (self->tg_order_line_items));
  json_object_set_array_member (tg, "fulfillments", array_of (self->tg_fulfillments));
  json_object_set_array_member (tg, "fulfillment_line_items", array_of (self->tg_fulfillment_line_items));
  json_object_set_object_member (root, "squarespace", sq);
  json_object_set_object_member (root, "tradegecko", tg);
  shared = sandbox_node_take_object (root);
  copy = sandbox_deep_copy (shared);
  g_mutex_unlock (&self->mutex);

  return copy;
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
  json_object_set_array_member (root, "requests", array_of (self->request_log));
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
