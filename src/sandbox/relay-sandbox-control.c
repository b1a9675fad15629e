/* relay-sandbox-control.c — the control server: JSON over HTTP mirroring the C API
 * (scenario, orders, faults, rate limits, keys, stock, state and request log)
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

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
    "status", "drop-before", "drop-after", "delay", "truncated", "not-json", "hang-before",
    "hang-after", NULL
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
                               "delay, truncated, not-json, hang-before, hang-after");
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

void
sandbox_serve_control_cb (SoupServer        *server,
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
