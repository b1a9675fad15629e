/* relay-sandbox-squarespace.c — the Squarespace Commerce API (Orders, Inventory, website
 * info): rate limit, authentication, routing, the order and inventory lists, fulfilments
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaviour follows the Squarespace API reference as docs/sandbox.md (“Squarespace”) restates it,
 * section by section; where the reference leaves a choice open, the choice is named in a comment
 * here and marked UNCONFIRMED there.
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

#define PAGE_SIZE 50
#define ORDERS_PATH "/1.0/commerce/orders"

void
sandbox_squarespace_error (RelaySandbox *self,
                           SandboxReply *reply,
                           guint         status,
                           const char   *type,
                           const char   *subtype,
                           const char   *message)
{
  JsonObject *body = json_object_new ();
  char context_id[10];

  for (guint i = 0; i < 9; i++)
    context_id[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[g_rand_int_range (self->rand, 0, 26)];
  context_id[9] = '\0';

  json_object_set_string_member (body, "type", type);
  if (subtype != NULL)
    json_object_set_string_member (body, "subtype", subtype);
  else
    json_object_set_null_member (body, "subtype");
  json_object_set_string_member (body, "message", message);
  json_object_set_null_member (body, "details");
  json_object_set_string_member (body, "contextId", context_id);

  sandbox_reply_set (reply, status, sandbox_node_take_object (body));
}

static void
invalid_request (RelaySandbox *self,
                 SandboxReply *reply,
                 const char   *subtype,
                 const char   *message)
{
  sandbox_squarespace_error (self, reply, 400, "INVALID_REQUEST_ERROR", subtype, message);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */

/* Over the limit → 429 for the whole cool-down; requests during it do not extend it
 * (docs/sandbox.md, “Rate limits and their headers”). */
static gboolean
rate_limit_allows (RelaySandbox *self)
{
  SandboxRateLimit *rate = &self->sq_rate;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (rate->cooldown_until != 0)
    {
      if (now < rate->cooldown_until)
        return FALSE;
      rate->cooldown_until = 0;
      rate->window_start = 0;
    }

  if (rate->window_start == 0 || now >= rate->window_start + rate->window_seconds)
    {
      rate->window_start = now;
      rate->count = 0;
    }

  rate->count++;
  if (rate->count > rate->limit)
    {
      rate->cooldown_until = now + MAX (rate->cooldown_seconds, 1);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint64      modified;
  JsonObject *order;
} OrderRef;

static int
order_ref_compare (gconstpointer a,
                   gconstpointer b)
{
  const OrderRef *x = a, *y = b;

  if (x->modified != y->modified)
    return x->modified < y->modified ? -1 : 1;
  return g_strcmp0 (json_object_get_string_member (x->order, "id"),
                    json_object_get_string_member (y->order, "id"));
}

JsonObject *
sandbox_squarespace_pagination_new (const char *base_url,
                const char *path,
                const char *cursor)
{
  JsonObject *pagination = json_object_new ();

  json_object_set_boolean_member (pagination, "hasNextPage", cursor != NULL);
  if (cursor != NULL)
    {
      g_autofree char *url = g_strdup_printf ("%s%s?cursor=%s", base_url, path, cursor);

      json_object_set_string_member (pagination, "nextPageCursor", cursor);
      json_object_set_string_member (pagination, "nextPageUrl", url);
    }
  else
    {
      json_object_set_null_member (pagination, "nextPageCursor");
      json_object_set_null_member (pagination, "nextPageUrl");
    }

  return pagination;
}

/**
 * sandbox_squarespace_parse_window:
 * @has_range: (out): whether the request names a window
 * @after: (out): `modifiedAfter`, Unix ms
 * @before: (out): `modifiedBefore`, Unix ms
 *
 * The `modifiedAfter`/`modifiedBefore` pair of the Orders and Products lists (§2.1, §4.2):
 * both or neither, ISO 8601, before later than after.
 *
 * Returns: %FALSE with a 400 in @reply when they break those rules
 */
gboolean
sandbox_squarespace_parse_window (RelaySandbox *self,
                                  GPtrArray    *params,
                                  SandboxReply *reply,
                                  gboolean     *has_range,
                                  gint64       *after,
                                  gint64       *before)
{
  const char *after_text = sandbox_params_get (params, "modifiedAfter");
  const char *before_text = sandbox_params_get (params, "modifiedBefore");

  *has_range = FALSE;
  *after = *before = 0;
  if ((after_text == NULL) != (before_text == NULL))
    {
      invalid_request (self, reply, "MISSING_ARGUMENT",
                       "modifiedAfter and modifiedBefore must be given together.");
      return FALSE;
    }
  if (after_text == NULL)
    return TRUE;
  if (!sandbox_parse_iso8601 (after_text, after) || !sandbox_parse_iso8601 (before_text, before))
    {
      invalid_request (self, reply, "INVALID_ARGUMENT",
                       "modifiedAfter and modifiedBefore must be ISO 8601 UTC dates.");
      return FALSE;
    }
  if (*before <= *after)
    {
      invalid_request (self, reply, "INVALID_ARGUMENT", "modifiedBefore must be after modifiedAfter.");
      return FALSE;
    }
  *has_range = TRUE;
  return TRUE;
}

/* GET /1.0/commerce/orders. Orders come ascending by modifiedOn (ties by id): the documents
 * leave the direction open, and ascending is what lets a poller page through a window and keep
 * max(modifiedOn) as its watermark. The window is exclusive at both ends, as the parameter
 * names say: modifiedAfter < modifiedOn < modifiedBefore. Cursors are dynamic: they remember
 * the filters and the last (modifiedOn, id) returned, not a snapshot (docs/sandbox.md, “Paging
 * and cursors”, “Modified windows”). */
static void
list_orders (RelaySandbox *self,
             GPtrArray    *params,
             SandboxReply *reply)
{
  const char *cursor = sandbox_params_get (params, "cursor");
  const char *status;
  gint64 after = 0, before = 0, last_modified = G_MININT64;
  const char *last_id = "";
  gboolean has_range = FALSE;
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (OrderRef));
  JsonArray *result = json_array_new ();
  JsonObject *body = json_object_new ();
  g_autofree char *next_cursor = NULL;
  guint taken = 0;

  if (cursor != NULL)
    {
      JsonObject *position;

      if (params->len != 1)
        {
          invalid_request (self, reply, "INVALID_ARGUMENT", "A cursor cannot be used with other parameters.");
          goto out;
        }
      position = g_hash_table_lookup (self->sq_cursors, cursor);
      if (position == NULL)
        {
          invalid_request (self, reply, "INVALID_ARGUMENT", "The cursor is invalid.");
          goto out;
        }
      has_range = json_object_get_boolean_member (position, "hasRange");
      after = json_object_get_int_member (position, "after");
      before = json_object_get_int_member (position, "before");
      status = sandbox_get_string_member (position, "status");
      last_modified = json_object_get_int_member (position, "lastModified");
      last_id = json_object_get_string_member (position, "lastId");
    }
  else
    {
      status = sandbox_params_get (params, "fulfillmentStatus");

      if (!sandbox_squarespace_parse_window (self, params, reply, &has_range, &after, &before))
        goto out;
      if (status != NULL && !g_strv_contains (sandbox_squarespace_fulfillment_statuses, status))
        {
          invalid_request (self, reply, "INVALID_ARGUMENT",
                           "fulfillmentStatus must be PENDING, FULFILLED or CANCELED.");
          goto out;
        }
    }

  for (guint i = 0; i < self->sq_orders->len; i++)
    {
      OrderRef ref;

      ref.order = g_ptr_array_index (self->sq_orders, i);
      if (!sandbox_parse_iso8601 (json_object_get_string_member (ref.order, "modifiedOn"), &ref.modified))
        continue;
      if (has_range && (ref.modified <= after || ref.modified >= before))
        continue;
      if (status != NULL && g_strcmp0 (json_object_get_string_member (ref.order, "fulfillmentStatus"), status) != 0)
        continue;
      if (ref.modified < last_modified ||
          (ref.modified == last_modified &&
           g_strcmp0 (json_object_get_string_member (ref.order, "id"), last_id) <= 0))
        continue;
      g_array_append_val (refs, ref);
    }
  g_array_sort (refs, order_ref_compare);

  for (taken = 0; taken < refs->len && taken < PAGE_SIZE; taken++)
    json_array_add_object_element (result, json_object_ref (g_array_index (refs, OrderRef, taken).order));

  if (refs->len > PAGE_SIZE)
    {
      OrderRef *last = &g_array_index (refs, OrderRef, PAGE_SIZE - 1);
      JsonObject *position = json_object_new ();

      json_object_set_boolean_member (position, "hasRange", has_range);
      json_object_set_int_member (position, "after", after);
      json_object_set_int_member (position, "before", before);
      if (status != NULL)
        json_object_set_string_member (position, "status", status);
      json_object_set_int_member (position, "lastModified", last->modified);
      json_object_set_string_member (position, "lastId", json_object_get_string_member (last->order, "id"));
      next_cursor = sandbox_random_hex (self, 32);
      g_hash_table_insert (self->sq_cursors, g_strdup (next_cursor), position);
    }

  json_object_set_array_member (body, "result", g_steal_pointer (&result));
  json_object_set_object_member (body, "pagination",
                                 sandbox_squarespace_pagination_new (self->squarespace_url ? self->squarespace_url : "",
                                                 ORDERS_PATH, next_cursor));
  sandbox_reply_set (reply, 200, sandbox_node_take_object (g_steal_pointer (&body)));

out:
  g_clear_pointer (&result, json_array_unref);
  g_clear_pointer (&body, json_object_unref);
}

static void
list_inventory (RelaySandbox *self,
                GPtrArray    *params,
                SandboxReply *reply)
{
  const char *cursor = sandbox_params_get (params, "cursor");
  JsonArray *items = json_array_new ();
  JsonObject *body = json_object_new ();
  g_autofree char *next_cursor = NULL;
  gint64 start = 0;
  guint i;

  if (cursor != NULL)
    {
      JsonObject *position = g_hash_table_lookup (self->sq_cursors, cursor);

      if (position == NULL || !json_object_has_member (position, "inventoryOffset"))
        {
          json_array_unref (items);
          json_object_unref (body);
          invalid_request (self, reply, "INVALID_ARGUMENT", "The cursor is invalid.");
          return;
        }
      start = json_object_get_int_member (position, "inventoryOffset");
    }

  for (i = (guint) start; i < self->sq_inventory->len && i < start + PAGE_SIZE; i++)
    json_array_add_object_element (items, json_object_ref (g_ptr_array_index (self->sq_inventory, i)));

  if (i < self->sq_inventory->len)
    {
      JsonObject *position = json_object_new ();

      json_object_set_int_member (position, "inventoryOffset", i);
      next_cursor = sandbox_random_hex (self, 32);
      g_hash_table_insert (self->sq_cursors, g_strdup (next_cursor), position);
    }

  json_object_set_array_member (body, "inventory", items);
  json_object_set_object_member (body, "pagination",
                                 sandbox_squarespace_pagination_new (self->squarespace_url ? self->squarespace_url : "",
                                                 "/1.0/commerce/inventory", next_cursor));
  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

static gboolean
check_length (RelaySandbox *self,
              SandboxReply *reply,
              JsonObject   *shipment,
              const char   *member,
              gboolean      required)
{
  JsonNode *node = json_object_get_member (shipment, member);
  const char *value = sandbox_get_string_member (shipment, member);
  g_autofree char *message = NULL;

  if (value == NULL && !required && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;

  if (value == NULL || *value == '\0')
    {
      message = g_strdup_printf ("shipments[].%s is required.", member);
      invalid_request (self, reply, "MISSING_ARGUMENT", message);
      return FALSE;
    }
  if (g_utf8_strlen (value, -1) > 100)
    {
      message = g_strdup_printf ("shipments[].%s must be at most 100 characters.", member);
      invalid_request (self, reply, "INVALID_ARGUMENT", message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* POST /1.0/commerce/orders/{id}/fulfillments: no idempotency, so each accepted POST appends
 * its shipments, exactly like the real service (docs/sandbox.md, “Fulfilments”, “Idempotency”). */
static void
fulfill_order (RelaySandbox      *self,
               SoupServerMessage *msg,
               const char        *order_id,
               const char        *permission,
               SandboxReply      *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body, *order;
  JsonNode *notify, *shipments_node;
  JsonArray *shipments, *recorded;
  g_autofree char *now = NULL;

  /* Before anything about the order: a read-only key learns nothing else (clients probe with it). */
  if (!g_str_equal (permission, "read-write"))
    {
      sandbox_squarespace_error (self, reply, 403, "AUTHORIZATION_ERROR", "FORBIDDEN_RESOURCE",
                                 "This API key does not have permission to manage orders.");
      return;
    }

  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      invalid_request (self, reply, "INVALID_CONTENT_TYPE", "Content-Type must be application/json.");
      return;
    }

  if (!sandbox_squarespace_is_hex_id (order_id))
    {
      invalid_request (self, reply, "INVALID_ARGUMENT", "The order id is not valid.");
      return;
    }

  order = sandbox_squarespace_find_order (self, order_id);
  if (order == NULL)
    {
      sandbox_squarespace_error (self, reply, 404, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                 "Order not found.");
      return;
    }

  if (g_hash_table_contains (self->sq_in_progress, g_uri_get_path (soup_server_message_get_uri (msg))))
    {
      sandbox_squarespace_error (self, reply, 409, "CONFLICT", "CONCURRENT_MODIFICATION",
                                 "A request for this order is already in progress.");
      return;
    }

  root = request_body->length > 0 ? json_from_string (request_body->data, NULL) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid_request (self, reply, "INVALID_ARGUMENT", "The request body must be a JSON object.");
      return;
    }
  body = json_node_get_object (root);

  notify = json_object_get_member (body, "shouldSendNotification");
  if (notify == NULL || !JSON_NODE_HOLDS_VALUE (notify) || json_node_get_value_type (notify) != G_TYPE_BOOLEAN)
    {
      invalid_request (self, reply, notify ? "INVALID_ARGUMENT" : "MISSING_ARGUMENT",
                       "shouldSendNotification must be a boolean.");
      return;
    }

  shipments_node = json_object_get_member (body, "shipments");
  if (shipments_node == NULL || !JSON_NODE_HOLDS_ARRAY (shipments_node))
    {
      invalid_request (self, reply, shipments_node ? "INVALID_ARGUMENT" : "MISSING_ARGUMENT",
                       "shipments must be an array.");
      return;
    }
  shipments = json_node_get_array (shipments_node);

  for (guint i = 0; i < json_array_get_length (shipments); i++)
    {
      JsonNode *element = json_array_get_element (shipments, i);
      JsonObject *shipment;
      const char *ship_date, *url;
      gint64 ms;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          invalid_request (self, reply, "INVALID_ARGUMENT", "Each shipment must be an object.");
          return;
        }
      shipment = json_node_get_object (element);

      ship_date = sandbox_get_string_member (shipment, "shipDate");
      if (ship_date == NULL)
        {
          invalid_request (self, reply, "MISSING_ARGUMENT", "shipments[].shipDate is required.");
          return;
        }
      if (!sandbox_parse_iso8601 (ship_date, &ms))
        {
          invalid_request (self, reply, "INVALID_ARGUMENT", "shipments[].shipDate must be an ISO 8601 UTC date.");
          return;
        }

      if (!check_length (self, reply, shipment, "carrierName", TRUE) ||
          !check_length (self, reply, shipment, "service", TRUE) ||
          !check_length (self, reply, shipment, "trackingNumber", TRUE))
        return;

      url = sandbox_get_string_member (shipment, "trackingUrl");
      if (json_object_has_member (shipment, "trackingUrl") &&
          !JSON_NODE_HOLDS_NULL (json_object_get_member (shipment, "trackingUrl")) &&
          (url == NULL || !is_valid_url (url)))
        {
          invalid_request (self, reply, "INVALID_ARGUMENT", "shipments[].trackingUrl is not a valid URL.");
          return;
        }
    }

  /* Canceled orders: the documents do not say; refusing is the conservative choice
   * (docs/sandbox.md, “Fulfilments”). */
  if (g_strcmp0 (json_object_get_string_member (order, "fulfillmentStatus"), "CANCELED") == 0)
    {
      invalid_request (self, reply, "INVALID_ARGUMENT", "A canceled order cannot be fulfilled.");
      return;
    }

  recorded = json_object_get_array_member (order, "fulfillments");
  if (recorded == NULL)
    {
      json_object_set_array_member (order, "fulfillments", json_array_new ());
      recorded = json_object_get_array_member (order, "fulfillments");
    }
  for (guint i = 0; i < json_array_get_length (shipments); i++)
    {
      JsonObject *given = json_array_get_object_element (shipments, i);
      JsonObject *shipment = json_object_new ();
      const char *url = sandbox_get_string_member (given, "trackingUrl");

      json_object_set_string_member (shipment, "shipDate", sandbox_get_string_member (given, "shipDate"));
      json_object_set_string_member (shipment, "carrierName", sandbox_get_string_member (given, "carrierName"));
      json_object_set_string_member (shipment, "service", sandbox_get_string_member (given, "service"));
      json_object_set_string_member (shipment, "trackingNumber", sandbox_get_string_member (given, "trackingNumber"));
      if (url != NULL)
        json_object_set_string_member (shipment, "trackingUrl", url);
      else
        json_object_set_null_member (shipment, "trackingUrl");
      json_array_add_object_element (recorded, shipment);
    }

  json_object_set_string_member (order, "fulfillmentStatus", "FULFILLED");
  sandbox_squarespace_touch (self, order);
  if (sandbox_get_string_member (order, "fulfilledOn") == NULL)
    json_object_set_string_member (order, "fulfilledOn", json_object_get_string_member (order, "modifiedOn"));

  sandbox_reply_set (reply, 204, NULL);
}

void
sandbox_squarespace_handle (RelaySandbox      *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            GPtrArray         *params,
                            SandboxReply      *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *user_agent = soup_message_headers_get_one (headers, "User-Agent");
  const char *permission = NULL;
  g_auto(GStrv) parts = NULL;
  guint n_parts;
  gboolean is_get = g_str_equal (method, "GET");

  if (!rate_limit_allows (self))
    {
      sandbox_squarespace_error (self, reply, 429, "TOO_MANY_REQUESTS", NULL,
                                 "Rate limit exceeded. Try again after the cool-down.");
      return;
    }

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer "))
    permission = g_hash_table_lookup (self->sq_keys, authorization + strlen ("Bearer "));
  if (permission != NULL && g_hash_table_contains (self->revoked_keys, authorization + strlen ("Bearer ")))
    permission = NULL;
  if (permission == NULL)
    {
      sandbox_squarespace_error (self, reply, 401, "AUTHORIZATION_ERROR", NULL,
                                 "The API key is missing, invalid or revoked.");
      return;
    }

  if (user_agent == NULL || *user_agent == '\0')
    {
      invalid_request (self, reply, "MISSING_ARGUMENT", "A User-Agent header is required.");
      return;
    }

  if (self->sq_expired)
    {
      sandbox_squarespace_error (self, reply, 402, "WEBSITE_EXPIRED", NULL,
                                 "The website's subscription has expired.");
      return;
    }

  parts = g_strsplit (path, "/", -1);
  n_parts = g_strv_length (parts);

  if (g_str_equal (path, "/1.0/authorization/website"))
    {
      if (!is_get)
        goto not_allowed;
      sandbox_reply_set (reply, 200, sandbox_node_from_object (self->sq_website));
      return;
    }

  if (sandbox_stock_handle (self, msg, path, authorization + strlen ("Bearer "), reply) ||
      sandbox_products_handle (self, msg, path, params, authorization + strlen ("Bearer "), reply))
    return;

  if (g_str_equal (path, "/1.0/commerce/inventory"))
    {
      if (!is_get)
        goto not_allowed;
      list_inventory (self, params, reply);
      return;
    }

  if (g_str_equal (path, ORDERS_PATH))
    {
      if (!is_get)
        goto not_allowed;
      list_orders (self, params, reply);
      return;
    }

  /* "", "1.0", "commerce", "orders", id [, "fulfillments"] */
  if (n_parts == 5 && g_str_has_prefix (path, ORDERS_PATH "/"))
    {
      JsonObject *order;

      if (!is_get)
        goto not_allowed;
      if (!sandbox_squarespace_is_hex_id (parts[4]))
        {
          invalid_request (self, reply, "INVALID_ARGUMENT", "The order id is not valid.");
          return;
        }
      order = sandbox_squarespace_find_order (self, parts[4]);
      if (order == NULL)
        {
          sandbox_squarespace_error (self, reply, 404, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                     "Order not found.");
          return;
        }
      sandbox_reply_set (reply, 200, sandbox_node_from_object (order));
      return;
    }

  if (n_parts == 6 && g_str_has_prefix (path, ORDERS_PATH "/") && g_str_equal (parts[5], "fulfillments"))
    {
      if (!g_str_equal (method, "POST"))
        goto not_allowed;
      fulfill_order (self, msg, parts[4], permission, reply);
      return;
    }

  sandbox_squarespace_error (self, reply, 404, "INVALID_REQUEST_ERROR", NULL, "Not found.");
  return;

not_allowed:
  sandbox_squarespace_error (self, reply, 405, "METHOD_NOT_ALLOWED", NULL, "Method not allowed.");
}
