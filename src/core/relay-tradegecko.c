/* relay-tradegecko.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-adapters-private.h"
#include "relay-error.h"
#include "relay-json.h"
#include "relay-tradegecko.h"

/* Past this the URL is split into another request, whatever the SKU count. */
#define MAX_SKU_QUERY_LENGTH 1500

struct _RelayTradegecko
{
  GObject     parent_instance;

  /* Owned */
  RelayHttp  *http;
  GHashTable *variants_by_sku; /* SKU → JsonArray of variants whose `sku` is exactly it */
};

/* The engine's interface; the implementation is in its own file. */
G_DEFINE_FINAL_TYPE_WITH_CODE (RelayTradegecko, relay_tradegecko, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_ORDER_DESTINATION, relay_tradegecko_order_destination_init))

typedef struct
{
  GPtrArray  *pending;     /* SKUs to ask for, deduplicated */
  guint       chunk_start;
  guint       chunk_end;
  guint       page;
  GHashTable *found;       /* SKU → JsonArray, for the current chunk */
  GHashTable *seen_ids;    /* variant ids already in the result */
  JsonArray  *result;
} FindVariants;

static void
find_variants_free (gpointer data)
{
  FindVariants *state = data;

  g_ptr_array_unref (state->pending);
  g_clear_pointer (&state->found, g_hash_table_unref);
  g_hash_table_unref (state->seen_ids);
  g_clear_pointer (&state->result, json_array_unref);
  g_free (state);
}

static GError *
malformed_error (RelayTradegecko *self,
                 const char      *what)
{
  g_debug ("TradeGecko response malformed: %s", what);
  return g_error_new (RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                      _("%s sent a response Order Relay could not read. Order Relay will try again later."),
                      relay_http_get_display_name (self->http));
}

static void
append_param (GString    *path,
              const char *encoded_name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (path, strchr (path->str, '?') == NULL ? '?' : '&');
  g_string_append_printf (path, "%s=%s", encoded_name, escaped);
}

static void
append_int_param (GString    *path,
                  const char *name,
                  gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  append_param (path, name, text);
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* X-Pagination: {"total_records":…,"total_pages":…,"first_page":…,"last_page":…,
 * "out_of_bounds":…,"offset":…}. Without it, a full page means there may be more. */
static gboolean
response_has_more_pages (RelayHttpResponse *response,
                         guint              n_records)
{
  const char *header = relay_http_response_get_header (response, "X-Pagination");
  g_autoptr(JsonNode) node = NULL;

  if (header != NULL)
    node = relay_json_parse (header, strlen (header), NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *pagination = json_node_get_object (node);
      JsonNode *last_page = json_object_get_member (pagination, "last_page");
      JsonNode *out_of_bounds = json_object_get_member (pagination, "out_of_bounds");

      if (out_of_bounds != NULL && JSON_NODE_HOLDS_VALUE (out_of_bounds) &&
          json_node_get_value_type (out_of_bounds) == G_TYPE_BOOLEAN &&
          json_node_get_boolean (out_of_bounds))
        return FALSE;

      if (last_page != NULL && JSON_NODE_HOLDS_VALUE (last_page) &&
          json_node_get_value_type (last_page) == G_TYPE_BOOLEAN)
        return !json_node_get_boolean (last_page);
    }

  return n_records >= RELAY_TRADEGECKO_PAGE_LIMIT;
}

/* TradeGecko wraps everything in a root key: {"order": {…}} or {"orders": […]}. */
static JsonNode *
response_get_member (RelayHttpResponse *response,
                     const char        *root_key)
{
  JsonObject *body = relay_http_response_get_object (response);

  if (body == NULL)
    return NULL;

  return json_object_get_member (body, root_key);
}

static void
unwrapped_object_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayTradegecko *self = g_task_get_source_object (task);
  const char *root_key = g_task_get_task_data (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *member;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  member = response_get_member (response, root_key);
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      g_task_return_error (task, malformed_error (self, root_key));
      return;
    }

  g_task_return_pointer (task, json_object_ref (json_node_get_object (member)),
                         (GDestroyNotify) json_object_unref);
}

static void
unwrapped_array_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayTradegecko *self = g_task_get_source_object (task);
  const char *root_key = g_task_get_task_data (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *member;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  member = response_get_member (response, root_key);
  if (member != NULL && JSON_NODE_HOLDS_NULL (member))
    {
      g_task_return_pointer (task, json_array_new (), (GDestroyNotify) json_array_unref);
      return;
    }
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_task_return_error (task, malformed_error (self, root_key));
      return;
    }

  g_task_return_pointer (task, json_array_ref (json_node_get_array (member)),
                         (GDestroyNotify) json_array_unref);
}

static void
succeeded_cb (GObject      *source,
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

/* Starts a request whose answer is the member @root_key of the body. */
static void
start_request (RelayTradegecko     *self,
               gpointer             source_tag,
               const char          *method,
               const char          *path,
               JsonNode            *body,
               const char          *idempotency_key,
               const char          *root_key,
               GAsyncReadyCallback  unwrap_cb,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (root_key), g_free);
  relay_http_request_async (self->http, method, path, body, idempotency_key, cancellable,
                            unwrap_cb, task);
}

static JsonNode *
wrap_object (const char *root_key,
             JsonObject *object)
{
  g_autoptr(JsonObject) wrapper = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_object_member (wrapper, root_key, json_object_ref (object));
  json_node_set_object (node, wrapper);

  return node;
}

/* Variants */

static void find_variants_request_chunk (GTask *task);

static void
find_variants_add_result (FindVariants *state,
                          JsonArray    *variants)
{
  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonNode *node = json_array_get_element (variants, i);
      JsonObject *variant = json_node_get_object (node);
      gint64 id = relay_json_get_int (variant, "id", 0);

      if (id != 0 && !g_hash_table_add (state->seen_ids, g_memdup2 (&id, sizeof id)))
        continue;
      json_array_add_element (state->result, json_node_copy (node));
    }
}

static void
find_variants_page_received_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayTradegecko *self = g_task_get_source_object (task);
  FindVariants *state = g_task_get_task_data (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *member;
  JsonArray *variants;
  GHashTableIter iter;
  gpointer sku, found;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  member = response_get_member (response, "variants");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_task_return_error (task, malformed_error (self, "variants"));
      return;
    }

  /* The `sku` filter's exactness is undocumented: keep only exact matches. */
  variants = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonNode *node = json_array_get_element (variants, i);
      const char *variant_sku;
      JsonArray *list;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_task_return_error (task, malformed_error (self, "a variant is not an object"));
          return;
        }

      variant_sku = object_get_string (json_node_get_object (node), "sku");
      if (variant_sku == NULL)
        continue;

      list = g_hash_table_lookup (state->found, variant_sku);
      if (list != NULL)
        json_array_add_element (list, json_node_copy (node));
    }

  if (response_has_more_pages (response, json_array_get_length (variants)))
    {
      state->page++;
      find_variants_request_chunk (g_steal_pointer (&task));
      return;
    }

  /* The chunk is complete: remember it, including SKUs TradeGecko does not know. */
  g_hash_table_iter_init (&iter, state->found);
  while (g_hash_table_iter_next (&iter, &sku, &found))
    {
      find_variants_add_result (state, found);
      g_hash_table_replace (self->variants_by_sku, g_strdup (sku), json_array_ref (found));
    }

  state->chunk_start = state->chunk_end;
  state->page = 1;
  find_variants_request_chunk (g_steal_pointer (&task));
}

static void
find_variants_request_chunk (GTask *task)
{
  RelayTradegecko *self = g_task_get_source_object (task);
  FindVariants *state = g_task_get_task_data (task);
  g_autoptr(GString) path = NULL;

  if (state->chunk_start >= state->pending->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&state->result), (GDestroyNotify) json_array_unref);
      g_object_unref (task);
      return;
    }

  path = g_string_new ("/variants");

  if (state->page == 1)
    {
      g_clear_pointer (&state->found, g_hash_table_unref);
      state->found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_array_unref);
      state->chunk_end = state->chunk_start;
    }

  for (guint i = state->chunk_start; i < state->pending->len; i++)
    {
      const char *sku = g_ptr_array_index (state->pending, i);
      gsize length_before = path->len;

      if (state->page == 1)
        {
          if (i - state->chunk_start >= RELAY_TRADEGECKO_SKU_CHUNK)
            break;
        }
      else if (i >= state->chunk_end)
        {
          break;
        }

      append_param (path, "sku%5B%5D", sku);

      /* One long SKU still goes alone; otherwise the URL stays short. */
      if (state->page == 1 && i > state->chunk_start && path->len > MAX_SKU_QUERY_LENGTH)
        {
          g_string_truncate (path, length_before);
          break;
        }

      if (state->page == 1)
        {
          g_hash_table_insert (state->found, g_strdup (sku), json_array_new ());
          state->chunk_end = i + 1;
        }
    }

  append_int_param (path, "limit", RELAY_TRADEGECKO_PAGE_LIMIT);
  append_int_param (path, "page", state->page);

  relay_http_request_async (self->http, "GET", path->str, NULL, NULL, g_task_get_cancellable (task),
                            find_variants_page_received_cb, task);
}

/* Fulfillments */

static void
fulfillments_received_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayTradegecko *self = g_task_get_source_object (task);
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = NULL;
  const char *members[] = { "fulfillments", "fulfillment_line_items" };
  gboolean *has_more;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (relay_http_response_get_object (response) == NULL)
    {
      g_task_return_error (task, malformed_error (self, "fulfillments"));
      return;
    }

  /* Both arrays are always there for the caller, even when the server sent null. */
  page = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *member = response_get_member (response, members[i]);

      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        json_object_set_array_member (page, members[i], json_array_new ());
      else if (JSON_NODE_HOLDS_ARRAY (member))
        json_object_set_array_member (page, members[i], json_array_ref (json_node_get_array (member)));
      else
        {
          g_task_return_error (task, malformed_error (self, members[i]));
          return;
        }
    }

  has_more = g_task_get_task_data (task);
  *has_more = response_has_more_pages (response,
                                       json_array_get_length (json_object_get_array_member (page, "fulfillments")));
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) json_object_unref);
}

/* GObject */

static void
relay_tradegecko_dispose (GObject *object)
{
  RelayTradegecko *self = (RelayTradegecko *) object;

  g_clear_object (&self->http);
  g_clear_pointer (&self->variants_by_sku, g_hash_table_unref);

  G_OBJECT_CLASS (relay_tradegecko_parent_class)->dispose (object);
}

static void
relay_tradegecko_class_init (RelayTradegeckoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_tradegecko_dispose;
}

static void
relay_tradegecko_init (RelayTradegecko *self)
{
  self->variants_by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) json_array_unref);
}

/* Public API */

/**
 * relay_tradegecko_new:
 * @http: the #RelayHttp of the TradeGecko API
 *
 * Returns: (transfer full): a client of the TradeGecko API
 */
RelayTradegecko *
relay_tradegecko_new (RelayHttp *http)
{
  RelayTradegecko *self;

  g_return_val_if_fail (RELAY_IS_HTTP (http), NULL);

  self = g_object_new (RELAY_TYPE_TRADEGECKO, NULL);
  self->http = g_object_ref (http);

  return self;
}

/**
 * relay_tradegecko_new_for_url:
 * @base_url: the API root, %RELAY_TRADEGECKO_DEFAULT_URL or the sandbox's
 * @error: return location for a #GError
 *
 * Creates the client with its own #RelayHttp, paced by TradeGecko's
 * `X-Rate-Limit-*` headers. Set the key with relay_http_set_key().
 *
 * Returns: (transfer full) (nullable): the client, or %NULL if @base_url is refused
 */
RelayTradegecko *
relay_tradegecko_new_for_url (const char  *base_url,
                              GError     **error)
{
  g_autoptr(RelayHttp) http = NULL;

  http = relay_http_new ("TradeGecko", base_url, RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS, error);
  if (http == NULL)
    return NULL;

  return relay_tradegecko_new (http);
}

/**
 * relay_tradegecko_get_http:
 * @self: a #RelayTradegecko
 *
 * Returns: (transfer none): the HTTP client, for its key and counters
 */
RelayHttp *
relay_tradegecko_get_http (RelayTradegecko *self)
{
  g_return_val_if_fail (RELAY_IS_TRADEGECKO (self), NULL);

  return self->http;
}

/**
 * relay_tradegecko_get_account_async:
 * @self: a #RelayTradegecko
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads `GET /accounts/current`: the account's name, default currency,
 * tax treatment, primary location, time zone.
 */
void
relay_tradegecko_get_account_async (RelayTradegecko     *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  start_request (self, relay_tradegecko_get_account_async, "GET", "/accounts/current", NULL, NULL,
                 "account", unwrapped_object_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_get_account_finish:
 *
 * Returns: (transfer full): the account object
 */
JsonObject *
relay_tradegecko_get_account_finish (RelayTradegecko  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_verify_async:
 * @self: a #RelayTradegecko
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * What the setup wizard runs on a new key. Errors tell apart a wrong key
 * (%RELAY_ERROR_UNAUTHORIZED), a lapsed subscription (%RELAY_ERROR_SITE_EXPIRED)
 * and no network (%RELAY_ERROR_NETWORK).
 */
void
relay_tradegecko_verify_async (RelayTradegecko     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  start_request (self, relay_tradegecko_verify_async, "GET", "/accounts/current", NULL, NULL,
                 "account", unwrapped_object_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_verify_finish:
 *
 * Returns: (transfer full): the account object; its `name` names the company
 */
JsonObject *
relay_tradegecko_verify_finish (RelayTradegecko  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_dup_account_name:
 * @account: what relay_tradegecko_verify_finish() gave
 *
 * Returns: (transfer full) (nullable): the account's name (the company's);
 *   older accounts only had a company name
 */
char *
relay_tradegecko_dup_account_name (JsonObject *account)
{
  static const char * const members[] = { "name", "company_name", NULL };

  g_return_val_if_fail (account != NULL, NULL);

  return relay_json_dup_first_string (account, members);
}

/**
 * relay_tradegecko_find_variants_by_skus_async:
 * @self: a #RelayTradegecko
 * @skus: (array zero-terminated=1): the SKUs to look up
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Looks SKUs up in batches (`sku[]=…`, at most %RELAY_TRADEGECKO_SKU_CHUNK a
 * request, every page). Answers are cached for the session, unknown SKUs
 * included, until relay_tradegecko_invalidate_variants().
 */
void
relay_tradegecko_find_variants_by_skus_async (RelayTradegecko     *self,
                                              const char * const  *skus,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GHashTable) requested = NULL;
  FindVariants *state;
  GTask *task;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (skus != NULL);

  state = g_new0 (FindVariants, 1);
  state->pending = g_ptr_array_new_with_free_func (g_free);
  state->seen_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  state->result = json_array_new ();
  state->page = 1;

  requested = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; skus[i] != NULL; i++)
    {
      JsonArray *cached;

      /* A blank SKU matches nothing: TradeGecko has blank SKUs we must not pick. */
      if (*skus[i] == '\0' || !g_hash_table_add (requested, (gpointer) skus[i]))
        continue;

      cached = g_hash_table_lookup (self->variants_by_sku, skus[i]);
      if (cached != NULL)
        find_variants_add_result (state, cached);
      else
        g_ptr_array_add (state->pending, g_strdup (skus[i]));
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_tradegecko_find_variants_by_skus_async);
  g_task_set_task_data (task, state, find_variants_free);
  find_variants_request_chunk (task);
}

/**
 * relay_tradegecko_find_variants_by_skus_finish:
 *
 * Returns: (transfer full): the variants whose `sku` is exactly one of the
 *   SKUs asked for, each once; a SKU may have none or several (TradeGecko
 *   does not enforce unique SKUs), which the caller must judge
 */
JsonArray *
relay_tradegecko_find_variants_by_skus_finish (RelayTradegecko  *self,
                                               GAsyncResult     *result,
                                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_invalidate_variants:
 * @self: a #RelayTradegecko
 * @sku: (nullable): one SKU to forget, or %NULL for all
 *
 * Forgets cached lookups, e.g. after the merchant added an item alias or
 * created the variant in TradeGecko.
 */
void
relay_tradegecko_invalidate_variants (RelayTradegecko *self,
                                      const char      *sku)
{
  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  if (sku == NULL)
    g_hash_table_remove_all (self->variants_by_sku);
  else
    g_hash_table_remove (self->variants_by_sku, sku);
}

static void
search_variants_received_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(JsonArray) active = NULL;
  g_autoptr(GError) error = NULL;

  variants = g_task_propagate_pointer (G_TASK (result), &error);
  if (variants == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The index lists active variants by default; the filter keeps it so if an
   * account answers otherwise, since only an active variant can be ordered. */
  active = json_array_new ();
  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonNode *node = json_array_get_element (variants, i);
      const char *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      status = object_get_string (json_node_get_object (node), "status");
      if (status == NULL || g_str_equal (status, "active"))
        json_array_add_element (active, json_node_copy (node));
    }

  g_task_return_pointer (task, g_steal_pointer (&active), (GDestroyNotify) json_array_unref);
}

/**
 * relay_tradegecko_search_variants_async:
 * @self: a #RelayTradegecko
 * @query: what the merchant typed: part of a SKU, variant or product name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * `GET /variants?q=…&limit=25`: one page of the variants TradeGecko's search
 * matches. Not cached: the merchant is looking at stock that changes.
 */
void
relay_tradegecko_search_variants_async (RelayTradegecko     *self,
                                        const char          *query,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/variants");
  GTask *task;
  GTask *request;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_tradegecko_search_variants_async);

  append_param (path, "q", query);
  append_int_param (path, "limit", RELAY_TRADEGECKO_SEARCH_LIMIT);

  request = g_task_new (self, cancellable, search_variants_received_cb, task);
  g_task_set_source_tag (request, relay_tradegecko_search_variants_async);
  g_task_set_task_data (request, g_strdup ("variants"), g_free);
  relay_http_request_async (self->http, "GET", path->str, NULL, NULL, cancellable,
                            unwrapped_array_cb, request);
}

/**
 * relay_tradegecko_search_variants_finish:
 *
 * Returns: (transfer full): the active variants found, at most
 *   %RELAY_TRADEGECKO_SEARCH_LIMIT, possibly none
 */
JsonArray *
relay_tradegecko_search_variants_finish (RelayTradegecko  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_tradegecko_search_variants_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_find_companies_by_email_async:
 * @self: a #RelayTradegecko
 * @email: the customer's email
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * `GET /companies?email=…`; emails are not unique in TradeGecko, so all
 * matches come back.
 */
void
relay_tradegecko_find_companies_by_email_async (RelayTradegecko     *self,
                                                const char          *email,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/companies");

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (email != NULL);

  append_param (path, "email", email);
  append_int_param (path, "limit", RELAY_TRADEGECKO_PAGE_LIMIT);
  start_request (self, relay_tradegecko_find_companies_by_email_async, "GET", path->str, NULL, NULL,
                 "companies", unwrapped_array_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_find_companies_by_email_finish:
 *
 * Returns: (transfer full): the companies, possibly none
 */
JsonArray *
relay_tradegecko_find_companies_by_email_finish (RelayTradegecko  *self,
                                                 GAsyncResult     *result,
                                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_create_company_async:
 * @self: a #RelayTradegecko
 * @company: the company's fields (`name`, `company_type`, `email`, …), unwrapped
 * @idempotency_key: (nullable): makes a retry after a timeout safe
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
relay_tradegecko_create_company_async (RelayTradegecko     *self,
                                       JsonObject          *company,
                                       const char          *idempotency_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (company != NULL);

  body = wrap_object ("company", company);
  start_request (self, relay_tradegecko_create_company_async, "POST", "/companies", body,
                 idempotency_key, "company", unwrapped_object_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_create_company_finish:
 *
 * Returns: (transfer full): the created company, with its `id`
 */
JsonObject *
relay_tradegecko_create_company_finish (RelayTradegecko  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_list_addresses_async:
 * @self: a #RelayTradegecko
 * @company_id: the company
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
relay_tradegecko_list_addresses_async (RelayTradegecko     *self,
                                       gint64               company_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/addresses");

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  append_int_param (path, "company_id", company_id);
  append_int_param (path, "limit", RELAY_TRADEGECKO_PAGE_LIMIT);
  start_request (self, relay_tradegecko_list_addresses_async, "GET", path->str, NULL, NULL,
                 "addresses", unwrapped_array_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_list_addresses_finish:
 *
 * Returns: (transfer full): the company's addresses
 */
JsonArray *
relay_tradegecko_list_addresses_finish (RelayTradegecko  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_create_address_async:
 * @self: a #RelayTradegecko
 * @address: the address's fields (`company_id`, `label`, `address1`, …), unwrapped
 * @idempotency_key: (nullable): makes a retry after a timeout safe
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
relay_tradegecko_create_address_async (RelayTradegecko     *self,
                                       JsonObject          *address,
                                       const char          *idempotency_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (address != NULL);

  body = wrap_object ("address", address);
  start_request (self, relay_tradegecko_create_address_async, "POST", "/addresses", body,
                 idempotency_key, "address", unwrapped_object_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_create_address_finish:
 *
 * Returns: (transfer full): the created address, with its `id`
 */
JsonObject *
relay_tradegecko_create_address_finish (RelayTradegecko  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_create_order_async:
 * @self: a #RelayTradegecko
 * @order_body: the order: either `{"order": {…}}` or the order object itself
 * @idempotency_key: (nullable): sent as `Idempotency-Key`; derive it from the
 *   Squarespace order id so a retried POST cannot create a second order
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * `POST /orders`. With a key the request is retried on server and network
 * failures; without one it is sent once.
 */
void
relay_tradegecko_create_order_async (RelayTradegecko     *self,
                                     JsonNode            *order_body,
                                     const char          *idempotency_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonNode) wrapped = NULL;
  JsonObject *object;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (order_body != NULL && JSON_NODE_HOLDS_OBJECT (order_body));

  object = json_node_get_object (order_body);
  if (json_object_get_size (object) == 1 && json_object_has_member (object, "order"))
    wrapped = json_node_ref (order_body);
  else
    wrapped = wrap_object ("order", object);

  start_request (self, relay_tradegecko_create_order_async, "POST", "/orders", wrapped,
                 idempotency_key, "order", unwrapped_object_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_create_order_finish:
 *
 * Returns: (transfer full): the created order, with its `id` and `order_number`
 */
JsonObject *
relay_tradegecko_create_order_finish (RelayTradegecko  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_find_orders_by_reference_async:
 * @self: a #RelayTradegecko
 * @reference_number: the `reference_number` Order Relay set on the order
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * How an uncertain delivery is reconciled before anything is sent again.
 */
void
relay_tradegecko_find_orders_by_reference_async (RelayTradegecko     *self,
                                                 const char          *reference_number,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/orders");

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (reference_number != NULL && *reference_number != '\0');

  append_param (path, "reference_number", reference_number);
  append_int_param (path, "limit", RELAY_TRADEGECKO_PAGE_LIMIT);
  start_request (self, relay_tradegecko_find_orders_by_reference_async, "GET", path->str, NULL, NULL,
                 "orders", unwrapped_array_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_find_orders_by_reference_finish:
 *
 * Returns: (transfer full): the matching orders, usually none or one
 */
JsonArray *
relay_tradegecko_find_orders_by_reference_finish (RelayTradegecko  *self,
                                                  GAsyncResult     *result,
                                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_get_order_async:
 * @self: a #RelayTradegecko
 * @order_id: the TradeGecko order id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
relay_tradegecko_get_order_async (RelayTradegecko     *self,
                                  gint64               order_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT, order_id);
  start_request (self, relay_tradegecko_get_order_async, "GET", path, NULL, NULL,
                 "order", unwrapped_object_cb, cancellable, callback, user_data);
}

/**
 * relay_tradegecko_get_order_finish:
 *
 * Returns: (transfer full): the order
 */
JsonObject *
relay_tradegecko_get_order_finish (RelayTradegecko  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_void_order_async:
 * @self: a #RelayTradegecko
 * @order_id: the TradeGecko order id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * `POST /orders/{id}/actions/void`: cancels the sales order.
 */
void
relay_tradegecko_void_order_async (RelayTradegecko     *self,
                                   gint64               order_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "/actions/void", order_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_tradegecko_void_order_async);
  relay_http_request_async (self->http, "POST", path, NULL, NULL, cancellable, succeeded_cb, task);
}

gboolean
relay_tradegecko_void_order_finish (RelayTradegecko  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Account facts: three reads, one answer (tradegecko-api.md §9, §12 step 2). */

typedef struct
{
  RelayAccountFacts *facts;
  guint              step;
} AccountFacts;

static void
account_facts_free (gpointer data)
{
  AccountFacts *state = data;

  relay_account_facts_free (state->facts);
  g_free (state);
}

static void account_facts_next (GTask *task);

/* TradeGecko numbers are strings ("15.0"), sometimes numbers. */
static gboolean
read_rate (JsonObject *object,
           const char *member,
           gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return relay_decimal_parse (json_node_get_string (node), RELAY_TAX_RATE_EXPONENT, out, NULL);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node) * 10000;
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      g_autofree char *text = g_strdup_printf ("%.4f", json_node_get_double (node));

      return relay_decimal_parse (text, RELAY_TAX_RATE_EXPONENT, out, NULL);
    }
  return FALSE;
}

static gboolean
is_active (JsonObject *object)
{
  const char *status = object_get_string (object, "status");

  return status == NULL || g_str_equal (status, "active");
}

static void
read_account (RelayAccountFacts *facts,
              JsonObject        *account)
{
  const char *zone = object_get_string (account, "time_zone");

  facts->time_zone = zone != NULL && *zone != '\0' ? g_strdup (zone) : NULL;
  facts->default_tax_type_id = json_object_get_int_member_with_default (account, "default_sales_order_tax_type_id", 0);
  facts->primary_location_id = json_object_get_int_member_with_default (account, "primary_location_id", 0);
}

static void
read_currencies (RelayAccountFacts *facts,
                 JsonArray         *currencies)
{
  for (guint i = 0; i < json_array_get_length (currencies); i++)
    {
      JsonNode *node = json_array_get_element (currencies, i);
      const char *iso;

      if (!JSON_NODE_HOLDS_OBJECT (node) || !is_active (json_node_get_object (node)))
        continue;
      iso = object_get_string (json_node_get_object (node), "iso");
      if (iso != NULL)
        g_ptr_array_add (facts->currencies, g_ascii_strup (iso, -1));
    }
}

static void
read_tax_types (RelayAccountFacts *facts,
                JsonArray         *types)
{
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonNode *node = json_array_get_element (types, i);
      JsonObject *type;
      gint64 id, rate = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node) || !is_active (json_node_get_object (node)))
        continue;
      type = json_node_get_object (node);
      id = json_object_get_int_member_with_default (type, "id", 0);
      if (id <= 0 || !read_rate (type, "effective_rate", &rate))
        continue;
      relay_account_facts_add_tax_type (facts, id, object_get_string (type, "name"), rate);
    }
}

static void
account_facts_step_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  RelayTradegecko *self = g_task_get_source_object (task);
  AccountFacts *state = g_task_get_task_data (task);
  static const char * const keys[] = { "account", "currencies", "tax_types" };
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *member;

  response = relay_http_request_finish (RELAY_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  member = response_get_member (response, keys[state->step]);
  if (member == NULL || (state->step == 0 ? !JSON_NODE_HOLDS_OBJECT (member) : !JSON_NODE_HOLDS_ARRAY (member)))
    {
      g_task_return_error (task, malformed_error (self, keys[state->step]));
      g_object_unref (task);
      return;
    }

  if (state->step == 0)
    read_account (state->facts, json_node_get_object (member));
  else if (state->step == 1)
    read_currencies (state->facts, json_node_get_array (member));
  else
    read_tax_types (state->facts, json_node_get_array (member));

  state->step++;
  account_facts_next (task);
}

static void
account_facts_next (GTask *task)
{
  RelayTradegecko *self = g_task_get_source_object (task);
  AccountFacts *state = g_task_get_task_data (task);
  static const char * const paths[] = {
    "/accounts/current", "/currencies?limit=250", "/tax_types?limit=250",
  };

  if (state->step == G_N_ELEMENTS (paths))
    {
      g_task_return_pointer (task, g_steal_pointer (&state->facts), (GDestroyNotify) relay_account_facts_free);
      g_object_unref (task);
      return;
    }

  relay_http_request_async (self->http, "GET", paths[state->step], NULL, NULL, g_task_get_cancellable (task),
                            account_facts_step_cb, task);
}

/**
 * relay_tradegecko_get_account_facts_async:
 * @self: a #RelayTradegecko
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads what a sales order must agree with: the account's time zone and
 * default tax type (`GET /accounts/current`), its active currencies
 * (`GET /currencies`) and tax types (`GET /tax_types`). One page of 250 each:
 * accounts have a handful.
 */
void
relay_tradegecko_get_account_facts_async (RelayTradegecko     *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  AccountFacts *state;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_tradegecko_get_account_facts_async);
  state = g_new0 (AccountFacts, 1);
  state->facts = relay_account_facts_new ();
  g_task_set_task_data (task, state, account_facts_free);
  account_facts_next (task);
}

/**
 * relay_tradegecko_get_account_facts_finish:
 *
 * Returns: (transfer full): the facts, or %NULL with an error
 */
RelayAccountFacts *
relay_tradegecko_get_account_facts_finish (RelayTradegecko  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_tradegecko_pay_order_async:
 * @self: a #RelayTradegecko
 * @order_id: the TradeGecko order id
 * @paid_at: when the buyer paid
 * @idempotency_key: the key that makes a repeat harmless (tradegecko-api.md §10.2)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * `POST /orders/{id}/actions/pay` (tradegecko-api.md §7.6): invoices whatever
 * is not invoiced yet and pays it, in one call, as the docs suggest for
 * orders paid in a web store (§12 step 6).
 */
void
relay_tradegecko_pay_order_async (RelayTradegecko     *self,
                                  gint64               order_id,
                                  GDateTime           *paid_at,
                                  const char          *idempotency_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *when = NULL;
  g_autoptr(JsonObject) payment = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GDateTime) utc = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (paid_at != NULL);

  utc = g_date_time_to_utc (paid_at);
  when = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
  json_object_set_string_member (payment, "payment_method_name", "Squarespace");
  json_object_set_string_member (payment, "paid_at", when);
  body = wrap_object ("payment", payment);

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT "/actions/pay", order_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_tradegecko_pay_order_async);
  relay_http_request_async (self->http, "POST", path, body, idempotency_key, cancellable, succeeded_cb, task);
}

gboolean
relay_tradegecko_pay_order_finish (RelayTradegecko  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_tradegecko_list_fulfillments_async:
 * @self: a #RelayTradegecko
 * @updated_at_min: (nullable): only fulfillments changed since
 * @page: the page, from 1
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * One page (up to 250) of fulfillments with their sideloaded
 * `fulfillment_line_items`: one query covers every open order.
 */
void
relay_tradegecko_list_fulfillments_async (RelayTradegecko     *self,
                                          GDateTime           *updated_at_min,
                                          guint                page,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/fulfillments");
  GTask *task;

  g_return_if_fail (RELAY_IS_TRADEGECKO (self));
  g_return_if_fail (page >= 1);

  if (updated_at_min != NULL)
    {
      g_autofree char *since = relay_http_format_date (updated_at_min);

      append_param (path, "updated_at_min", since);
    }
  append_int_param (path, "limit", RELAY_TRADEGECKO_PAGE_LIMIT);
  append_int_param (path, "page", page);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_tradegecko_list_fulfillments_async);
  g_task_set_task_data (task, g_new0 (gboolean, 1), g_free);
  relay_http_request_async (self->http, "GET", path->str, NULL, NULL, cancellable,
                            fulfillments_received_cb, task);
}

/**
 * relay_tradegecko_list_fulfillments_finish:
 * @self: a #RelayTradegecko
 * @result: the result
 * @has_more: (out) (optional): whether another page follows (from `X-Pagination`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): an object with the arrays `fulfillments` and
 *   `fulfillment_line_items`, both always present
 */
JsonObject *
relay_tradegecko_list_fulfillments_finish (RelayTradegecko  *self,
                                           GAsyncResult     *result,
                                           gboolean         *has_more,
                                           GError          **error)
{
  JsonObject *page;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  page = g_task_propagate_pointer (G_TASK (result), error);
  if (has_more != NULL)
    *has_more = page != NULL && *(gboolean *) g_task_get_task_data (G_TASK (result));

  return page;
}
