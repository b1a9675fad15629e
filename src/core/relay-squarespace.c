/* relay-squarespace.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "relay-adapters-private.h"
#include "relay-error.h"
#include "relay-json.h"
#include "relay-squarespace.h"

#define ORDERS_PATH      "/1.0/commerce/orders"
#define WEBSITE_PATH     "/1.0/authorization/website"
/* Well-formed (24 hex digits) but never issued: the write probe's target. */
#define PROBE_ORDER_ID   "000000000000000000000000"

struct _RelaySquarespace
{
  GObject    parent_instance;

  /* Owned */
  RelayHttp *http;
};

/* The engine's interface; the implementation is in its own file. */
G_DEFINE_FINAL_TYPE_WITH_CODE (RelaySquarespace, relay_squarespace, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_ORDER_SOURCE, relay_squarespace_order_source_init))

typedef struct
{
  char      *modified_after;
  char      *modified_before;
  char      *fulfillment_status;
  JsonArray *orders;
  char      *cursor;
  guint      pages;
} ListAll;

static void
list_all_free (gpointer data)
{
  ListAll *state = data;

  g_free (state->modified_after);
  g_free (state->modified_before);
  g_free (state->fulfillment_status);
  g_clear_pointer (&state->orders, json_array_unref);
  g_free (state->cursor);
  g_free (state);
}

static GError *
malformed_error (RelaySquarespace *self,
                 const char       *what)
{
  g_debug ("Squarespace response malformed: %s", what);
  return g_error_new (RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                      _("%s sent a response Order Relay could not read. Order Relay will try again later."),
                      relay_http_get_display_name (self->http));
}

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (query, query->len == 0 ? '?' : '&');
  g_string_append_printf (query, "%s=%s", name, escaped);
}

/* Squarespace refuses a cursor combined with any filter: page 2 onwards is cursor only. */
static char *
build_orders_path (const char *modified_after,
                   const char *modified_before,
                   const char *fulfillment_status,
                   const char *cursor)
{
  g_autoptr(GString) query = g_string_new (NULL);

  if (cursor != NULL)
    {
      append_param (query, "cursor", cursor);
    }
  else
    {
      if (modified_after != NULL)
        {
          append_param (query, "modifiedAfter", modified_after);
          append_param (query, "modifiedBefore", modified_before);
        }
      if (fulfillment_status != NULL)
        append_param (query, "fulfillmentStatus", fulfillment_status);
    }

  return g_strconcat (ORDERS_PATH, query->str, NULL);
}

static char *
build_order_path (const char *order_id,
                  const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (order_id, NULL, FALSE);

  return g_strconcat (ORDERS_PATH "/", escaped, suffix, NULL);
}

static JsonObject *
take_object (RelayHttpResponse *response)
{
  JsonObject *object = relay_http_response_get_object (response);

  return object != NULL ? json_object_ref (object) : NULL;
}

/* The documented envelope {result, pagination{hasNextPage, nextPageCursor, nextPageUrl}},
 * read tolerantly: `result` may be null, pagination may be missing on the last page.
 * nextPageUrl is ignored (the official sample's points at the wrong path). */
static gboolean
parse_orders_page (RelaySquarespace  *self,
                   RelayHttpResponse *response,
                   JsonArray        **orders,
                   char             **next_cursor,
                   GError           **error)
{
  JsonObject *body = relay_http_response_get_object (response);
  JsonNode *result;
  JsonNode *pagination;
  g_autoptr(JsonArray) page = NULL;

  *orders = NULL;
  *next_cursor = NULL;

  if (body == NULL)
    {
      g_propagate_error (error, malformed_error (self, "order list is not an object"));
      return FALSE;
    }

  result = json_object_get_member (body, "result");
  if (result == NULL || JSON_NODE_HOLDS_NULL (result))
    page = json_array_new ();
  else if (JSON_NODE_HOLDS_ARRAY (result))
    page = json_array_ref (json_node_get_array (result));
  else
    {
      g_propagate_error (error, malformed_error (self, "result is not an array"));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (page); i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (page, i)))
        {
          g_propagate_error (error, malformed_error (self, "an order is not an object"));
          return FALSE;
        }
    }

  pagination = json_object_get_member (body, "pagination");
  if (pagination != NULL && JSON_NODE_HOLDS_OBJECT (pagination))
    {
      JsonObject *object = json_node_get_object (pagination);
      JsonNode *has_next = json_object_get_member (object, "hasNextPage");
      JsonNode *cursor = json_object_get_member (object, "nextPageCursor");

      if (has_next != NULL && JSON_NODE_HOLDS_VALUE (has_next) &&
          json_node_get_value_type (has_next) == G_TYPE_BOOLEAN &&
          json_node_get_boolean (has_next))
        {
          if (cursor == NULL || !JSON_NODE_HOLDS_VALUE (cursor) ||
              json_node_get_value_type (cursor) != G_TYPE_STRING ||
              *json_node_get_string (cursor) == '\0')
            {
              g_propagate_error (error, malformed_error (self, "hasNextPage without a cursor"));
              return FALSE;
            }
          *next_cursor = g_strdup (json_node_get_string (cursor));
        }
    }

  *orders = g_steal_pointer (&page);
  return TRUE;
}

/* One JSON object (the website, an order) */

/* The task data says what was expected, for the debug log of a malformed answer. */
static void
object_received_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySquarespace *self = g_task_get_source_object (task);
  const char *what = g_task_get_task_data (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = take_object (response);
  if (object == NULL)
    {
      g_task_return_error (task, malformed_error (self, what));
      return;
    }

  g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

/* Orders */

static void
orders_page_received_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySquarespace *self = g_task_get_source_object (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) orders = NULL;
  g_autofree char *next_cursor = NULL;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL ||
      !parse_orders_page (self, response, &orders, &next_cursor, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "next-cursor", g_steal_pointer (&next_cursor), g_free);
  g_task_return_pointer (task, g_steal_pointer (&orders), (GDestroyNotify) json_array_unref);
}

static void list_all_request_page (GTask *task);

static void
list_all_page_received_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySquarespace *self = g_task_get_source_object (task);
  ListAll *state = g_task_get_task_data (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) orders = NULL;
  g_autofree char *next_cursor = NULL;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL ||
      !parse_orders_page (self, response, &orders, &next_cursor, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  state->pages++;
  for (guint i = 0; i < json_array_get_length (orders); i++)
    json_array_add_element (state->orders, json_node_copy (json_array_get_element (orders, i)));

  if (next_cursor == NULL)
    {
      g_debug ("Squarespace: %u orders in %u pages", json_array_get_length (state->orders), state->pages);
      g_task_return_pointer (task, g_steal_pointer (&state->orders), (GDestroyNotify) json_array_unref);
      return;
    }

  /* A server handing back the same cursor would keep us paging forever. */
  if (g_strcmp0 (next_cursor, state->cursor) == 0)
    {
      g_task_return_error (task, malformed_error (self, "the same cursor twice"));
      return;
    }

  g_free (state->cursor);
  state->cursor = g_steal_pointer (&next_cursor);
  list_all_request_page (g_steal_pointer (&task));
}

static void
list_all_request_page (GTask *task)
{
  RelaySquarespace *self = g_task_get_source_object (task);
  ListAll *state = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  path = build_orders_path (state->modified_after, state->modified_before,
                            state->fulfillment_status, state->cursor);
  relay_http_request_async (self->http, "GET", path, NULL, NULL, g_task_get_cancellable (task),
                            list_all_page_received_cb, task);
}

/* Single orders and fulfillments */

static void
fulfilled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static JsonNode *
build_fulfillment_body (JsonArray *shipments,
                        gboolean   notify_customer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shouldSendNotification");
  json_builder_add_boolean_value (builder, notify_customer);
  json_builder_set_member_name (builder, "shipments");
  if (shipments != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, shipments);
      json_builder_add_value (builder, node);
    }
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
write_probed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySquarespace *self = g_task_get_source_object (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);

  /* Permission is checked before the order is looked up: a key that may write
   * gets "no such order", a read-only key gets 403. */
  if (response != NULL || g_error_matches (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN))
    {
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_FORBIDDEN,
                               _("The %s key is read-only: Orders needs Read and Write. Generate a new key with Orders set to Read and Write, and connect again."),
                               relay_http_get_display_name (self->http));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
verify_write_checked_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_squarespace_check_write_access_finish (RELAY_SQUARESPACE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, json_object_ref (g_task_get_task_data (task)),
                         (GDestroyNotify) json_object_unref);
}

static void
verify_website_received_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySquarespace *self = RELAY_SQUARESPACE (source);
  g_autoptr(GError) error = NULL;
  JsonObject *website;

  website = relay_squarespace_get_website_finish (self, result, &error);
  if (website == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, website, (GDestroyNotify) json_object_unref);
  relay_squarespace_check_write_access_async (self, g_task_get_cancellable (task),
                                              verify_write_checked_cb, g_object_ref (task));
}

/* GObject */

static void
relay_squarespace_dispose (GObject *object)
{
  RelaySquarespace *self = (RelaySquarespace *) object;

  g_clear_object (&self->http);

  G_OBJECT_CLASS (relay_squarespace_parent_class)->dispose (object);
}

static void
relay_squarespace_class_init (RelaySquarespaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_squarespace_dispose;
}

static void
relay_squarespace_init (RelaySquarespace *self)
{
}

/* Public API */

/**
 * relay_squarespace_new:
 * @http: the #RelayHttp of the Squarespace API
 *
 * Returns: (transfer full): a client of the Squarespace Commerce APIs
 */
RelaySquarespace *
relay_squarespace_new (RelayHttp *http)
{
  RelaySquarespace *self;

  g_return_val_if_fail (RELAY_IS_HTTP (http), NULL);

  self = g_object_new (RELAY_TYPE_SQUARESPACE, NULL);
  self->http = g_object_ref (http);

  return self;
}

/**
 * relay_squarespace_new_for_url:
 * @base_url: the API root, %RELAY_SQUARESPACE_DEFAULT_URL or the sandbox's
 * @error: return location for a #GError
 *
 * Creates the client with its own #RelayHttp, paced for Squarespace's
 * 300 requests a minute. Set the key with relay_http_set_key().
 *
 * Returns: (transfer full) (nullable): the client, or %NULL if @base_url is refused
 */
RelaySquarespace *
relay_squarespace_new_for_url (const char  *base_url,
                               GError     **error)
{
  g_autoptr(RelayHttp) http = NULL;

  http = relay_http_new ("Squarespace", base_url, RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET, error);
  if (http == NULL)
    return NULL;

  return relay_squarespace_new (http);
}

/**
 * relay_squarespace_get_http:
 * @self: a #RelaySquarespace
 *
 * Returns: (transfer none): the HTTP client, for its key and counters
 */
RelayHttp *
relay_squarespace_get_http (RelaySquarespace *self)
{
  g_return_val_if_fail (RELAY_IS_SQUARESPACE (self), NULL);

  return self->http;
}

/**
 * relay_squarespace_get_website_async:
 * @self: a #RelaySquarespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the site the key belongs to (`GET /1.0/authorization/website`):
 * `id`, `siteId`, `title`, `url`, `currency`, `measurementStandard`, `language`.
 */
void
relay_squarespace_get_website_async (RelaySquarespace    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_get_website_async);
  g_task_set_task_data (task, (gpointer) "website is not an object", NULL);
  relay_http_request_async (self->http, "GET", WEBSITE_PATH, NULL, NULL, cancellable,
                            object_received_cb, task);
}

/**
 * relay_squarespace_get_website_finish:
 *
 * Returns: (transfer full): the website object
 */
JsonObject *
relay_squarespace_get_website_finish (RelaySquarespace  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_squarespace_list_orders_async:
 * @self: a #RelaySquarespace
 * @modified_after: (nullable): start of the window; needs @modified_before
 * @modified_before: (nullable): end of the window; needs @modified_after
 * @fulfillment_status: (nullable): `PENDING`, `FULFILLED` or `CANCELED`
 * @cursor: (nullable): the cursor of the previous page; then all filters must be %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads one page (up to 50 orders). The first page takes the filters,
 * every later page only the cursor, as Squarespace requires.
 */
void
relay_squarespace_list_orders_async (RelaySquarespace    *self,
                                     GDateTime           *modified_after,
                                     GDateTime           *modified_before,
                                     const char          *fulfillment_status,
                                     const char          *cursor,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *after = NULL;
  g_autofree char *before = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));
  g_return_if_fail ((modified_after == NULL) == (modified_before == NULL));
  g_return_if_fail (cursor == NULL || (modified_after == NULL && fulfillment_status == NULL));

  if (modified_after != NULL)
    {
      after = relay_http_format_date (modified_after);
      before = relay_http_format_date (modified_before);
    }
  path = build_orders_path (after, before, fulfillment_status, cursor);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_list_orders_async);
  relay_http_request_async (self->http, "GET", path, NULL, NULL, cancellable,
                            orders_page_received_cb, task);
}

/**
 * relay_squarespace_list_orders_finish:
 * @self: a #RelaySquarespace
 * @result: the result
 * @next_cursor: (out) (optional) (transfer full): the cursor of the next page,
 *   %NULL on the last page
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the page's orders, possibly empty
 */
JsonArray *
relay_squarespace_list_orders_finish (RelaySquarespace  *self,
                                      GAsyncResult      *result,
                                      char             **next_cursor,
                                      GError           **error)
{
  JsonArray *orders;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  orders = g_task_propagate_pointer (G_TASK (result), error);
  if (next_cursor != NULL)
    *next_cursor = orders != NULL ? g_strdup (g_object_get_data (G_OBJECT (result), "next-cursor")) : NULL;

  return orders;
}

/**
 * relay_squarespace_list_all_orders_async:
 * @self: a #RelaySquarespace
 * @modified_after: (nullable): start of the window; needs @modified_before
 * @modified_before: (nullable): end of the window; needs @modified_after
 * @fulfillment_status: (nullable): `PENDING`, `FULFILLED` or `CANCELED`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads every page of a window, following `nextPageCursor` while
 * `hasNextPage` is true.
 */
void
relay_squarespace_list_all_orders_async (RelaySquarespace    *self,
                                         GDateTime           *modified_after,
                                         GDateTime           *modified_before,
                                         const char          *fulfillment_status,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  ListAll *state;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));
  g_return_if_fail ((modified_after == NULL) == (modified_before == NULL));

  state = g_new0 (ListAll, 1);
  if (modified_after != NULL)
    {
      state->modified_after = relay_http_format_date (modified_after);
      state->modified_before = relay_http_format_date (modified_before);
    }
  state->fulfillment_status = g_strdup (fulfillment_status);
  state->orders = json_array_new ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_list_all_orders_async);
  g_task_set_task_data (task, state, list_all_free);
  list_all_request_page (task);
}

/**
 * relay_squarespace_list_all_orders_finish:
 *
 * Returns: (transfer full): every order of the window
 */
JsonArray *
relay_squarespace_list_all_orders_finish (RelaySquarespace  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_squarespace_get_order_async:
 * @self: a #RelaySquarespace
 * @order_id: the order's `id` (not its `orderNumber`)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
relay_squarespace_get_order_async (RelaySquarespace    *self,
                                   const char          *order_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));
  g_return_if_fail (order_id != NULL && *order_id != '\0');

  path = build_order_path (order_id, NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_get_order_async);
  g_task_set_task_data (task, (gpointer) "order is not an object", NULL);
  relay_http_request_async (self->http, "GET", path, NULL, NULL, cancellable,
                            object_received_cb, task);
}

/**
 * relay_squarespace_get_order_finish:
 *
 * Returns: (transfer full): the order
 */
JsonObject *
relay_squarespace_get_order_finish (RelaySquarespace  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_squarespace_fulfill_order_async:
 * @self: a #RelaySquarespace
 * @order_id: the order's `id`
 * @shipments: (nullable): shipments from relay_squarespace_new_shipment()
 * @notify_customer: whether Squarespace emails the buyer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Posts shipments and marks the order fulfilled. Each call adds shipments
 * and the endpoint has no idempotency key: it is never retried once sent;
 * after an uncertain failure, re-read the order before posting again.
 */
void
relay_squarespace_fulfill_order_async (RelaySquarespace    *self,
                                       const char          *order_id,
                                       JsonArray           *shipments,
                                       gboolean             notify_customer,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));
  g_return_if_fail (order_id != NULL && *order_id != '\0');

  path = build_order_path (order_id, "/fulfillments");
  body = build_fulfillment_body (shipments, notify_customer);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_fulfill_order_async);
  relay_http_request_async (self->http, "POST", path, body, NULL, cancellable, fulfilled_cb, task);
}

gboolean
relay_squarespace_fulfill_order_finish (RelaySquarespace  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_squarespace_check_write_access_async:
 * @self: a #RelaySquarespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds out, without changing anything, whether the key may write Orders:
 * posts a valid fulfillment to a well-formed order id that does not exist.
 * 404 means it may; 403 means the key is read-only, reported as
 * %RELAY_ERROR_FORBIDDEN.
 */
void
relay_squarespace_check_write_access_async (RelaySquarespace    *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonArray) shipments = json_array_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));

  json_array_add_object_element (shipments,
                                 relay_squarespace_new_shipment (now, "Order Relay", "Permission check",
                                                                 "ORDER-RELAY-PROBE", NULL));
  body = build_fulfillment_body (shipments, FALSE);
  path = build_order_path (PROBE_ORDER_ID, "/fulfillments");

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_check_write_access_async);
  relay_http_request_async (self->http, "POST", path, body, NULL, cancellable, write_probed_cb, task);
}

gboolean
relay_squarespace_check_write_access_finish (RelaySquarespace  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_squarespace_verify_async:
 * @self: a #RelaySquarespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * What the setup wizard runs on a new key: reads the website, then checks
 * the key may write Orders. Errors tell apart a wrong key
 * (%RELAY_ERROR_UNAUTHORIZED), a read-only one (%RELAY_ERROR_FORBIDDEN), a
 * lapsed site (%RELAY_ERROR_SITE_EXPIRED) and no network (%RELAY_ERROR_NETWORK).
 */
void
relay_squarespace_verify_async (RelaySquarespace    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_squarespace_verify_async);
  relay_squarespace_get_website_async (self, cancellable, verify_website_received_cb, task);
}

/**
 * relay_squarespace_verify_finish:
 *
 * Returns: (transfer full): the website object; its `title` names the store
 */
JsonObject *
relay_squarespace_verify_finish (RelaySquarespace  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_squarespace_dup_site_name:
 * @website: what relay_squarespace_verify_finish() gave
 *
 * Returns: (transfer full) (nullable): the site's title, else its id
 */
char *
relay_squarespace_dup_site_name (JsonObject *website)
{
  static const char * const members[] = { "title", "siteId", NULL };

  g_return_val_if_fail (website != NULL, NULL);

  return relay_json_dup_first_string (website, members);
}

/**
 * relay_squarespace_new_shipment:
 * @ship_date: when it shipped
 * @carrier_name: e.g. "USPS"
 * @service: e.g. "Priority Mail"
 * @tracking_number: the tracking number
 * @tracking_url: (nullable): a tracking link
 *
 * Returns: (transfer full): one element of a fulfillment's `shipments`
 */
JsonObject *
relay_squarespace_new_shipment (GDateTime  *ship_date,
                                const char *carrier_name,
                                const char *service,
                                const char *tracking_number,
                                const char *tracking_url)
{
  g_autofree char *date = NULL;
  JsonObject *shipment;

  g_return_val_if_fail (ship_date != NULL, NULL);
  g_return_val_if_fail (carrier_name != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (tracking_number != NULL, NULL);

  date = relay_http_format_date (ship_date);
  shipment = json_object_new ();
  json_object_set_string_member (shipment, "shipDate", date);
  json_object_set_string_member (shipment, "carrierName", carrier_name);
  json_object_set_string_member (shipment, "service", service);
  json_object_set_string_member (shipment, "trackingNumber", tracking_number);
  if (tracking_url != NULL)
    json_object_set_string_member (shipment, "trackingUrl", tracking_url);

  return shipment;
}
