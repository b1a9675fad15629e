/* relay-tradegecko-stock.c — TradeGecko's variants with their stock as the stock flow's
 * RelayOrderDestination method, and its warehouses: the JSON stays here, the flow sees
 * RelayStockLevel and the settings RelayLocation.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "relay-adapters-private.h"
#include "relay-error.h"
#include "relay-json.h"
#include "relay-tradegecko.h"

typedef struct
{
  GPtrArray *levels;
  gboolean   has_more;
} Page;

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->levels, g_ptr_array_unref);
  g_free (page);
}

/* TradeGecko writes stock as decimal strings ("7", "7.0"), sometimes as numbers. Only whole
 * units can be sold, so a fraction rounds down; a missing figure is none (or @fallback). */
static gint64
units_member (JsonObject *object,
              const char *name,
              gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) floor (json_node_get_double (node));
    case G_TYPE_STRING:
      text = json_node_get_string (node);
      if (text == NULL || *text == '\0')
        return fallback;
      return (gint64) floor (g_ascii_strtod (text, NULL));
    default:
      return fallback;
    }
}

static RelayStockLevel *
level_from_variant (JsonObject *variant)
{
  RelayStockLevel *level = relay_stock_level_new ();
  JsonNode *id = json_object_get_member (variant, "id");
  JsonNode *managed = json_object_get_member (variant, "manage_stock");
  JsonNode *keep_selling = json_object_get_member (variant, "keep_selling");
  JsonNode *locations = json_object_get_member (variant, "locations");
  const char *product = relay_json_get_string (variant, "product_name");
  const char *name = relay_json_get_string (variant, "name");

  level->variant_id = id != NULL && JSON_NODE_HOLDS_VALUE (id) ? json_node_get_int (id) : 0;
  level->sku = g_strdup (relay_json_get_string (variant, "sku"));
  level->product_name = name != NULL && *name != '\0' ? g_strdup_printf ("%s — %s", product ? product : "", name)
                                                      : g_strdup (product);
  level->available = units_member (variant, "available_stock",
                                   units_member (variant, "stock_on_hand", 0) - units_member (variant, "committed_stock", 0));
  level->max_online = units_member (variant, "max_online", -1);
  level->managed = managed == NULL || !JSON_NODE_HOLDS_VALUE (managed) || json_node_get_boolean (managed);
  level->keep_selling = keep_selling != NULL && JSON_NODE_HOLDS_VALUE (keep_selling) &&
                        json_node_get_value_type (keep_selling) == G_TYPE_BOOLEAN && json_node_get_boolean (keep_selling);
  level->changed_at = g_strdup (relay_json_get_string (variant, "updated_at"));

  for (guint i = 0; locations != NULL && JSON_NODE_HOLDS_ARRAY (locations) &&
                    i < json_array_get_length (json_node_get_array (locations)); i++)
    {
      JsonObject *entry = relay_json_array_get_object (json_node_get_array (locations), i);
      gint64 location_id = units_member (entry, "location_id", 0);
      gint64 available = units_member (entry, "available",
                                       units_member (entry, "stock_on_hand", 0) - units_member (entry, "committed", 0));

      if (location_id <= 0)
        continue;
      g_array_append_val (level->location_ids, location_id);
      g_array_append_val (level->location_available, available);
    }
  return level;
}

/* X-Pagination's last_page; without it a full page means there may be more. */
static gboolean
has_more_pages (RelayHttpResponse *response,
                guint              n_records)
{
  const char *header = relay_http_response_get_header (response, "X-Pagination");
  g_autoptr(JsonNode) node = header != NULL ? json_from_string (header, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_has_member (json_node_get_object (node), "last_page"))
    return !json_object_get_boolean_member (json_node_get_object (node), "last_page");

  return n_records >= RELAY_TRADEGECKO_PAGE_LIMIT;
}

/* The response of a list request and its @member array; %NULL once @task has its error. */
static RelayHttpResponse *
finish_list (GTask         *task,
             GObject       *http,
             GAsyncResult  *result,
             const char    *member,
             JsonNode     **out_list)
{
  g_autoptr(RelayHttpResponse) response = NULL;
  GError *error = NULL;
  JsonObject *body;

  response = relay_http_request_finish (RELAY_HTTP (http), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return NULL;
    }

  body = relay_http_response_get_object (response);
  *out_list = body != NULL ? json_object_get_member (body, member) : NULL;
  if (*out_list == NULL || !JSON_NODE_HOLDS_ARRAY (*out_list))
    {
      g_debug ("TradeGecko list response malformed: %s", member);
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                               _("%s sent a response Order Relay could not read. Order Relay will try again later."),
                               "TradeGecko");
      return NULL;
    }
  return g_steal_pointer (&response);
}

static void
variants_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayHttpResponse) response = NULL;
  JsonNode *variants;
  Page *page;
  guint n;

  response = finish_list (task, object, result, "variants", &variants);
  if (response == NULL)
    return;

  n = json_array_get_length (json_node_get_array (variants));
  page = g_new0 (Page, 1);
  page->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_level_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (variants), i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (page->levels, level_from_variant (json_node_get_object (node)));
    }
  page->has_more = has_more_pages (response, n);
  g_task_return_pointer (task, page, page_free);
}

static void
tradegecko_list_stock_async (RelayOrderDestination *destination,
                             const char            *changed_since,
                             guint                  page,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  GTask *task = g_task_new (destination, cancellable, callback, user_data);
  g_autoptr(GString) path = g_string_new ("/variants?");

  /* Oldest first, so variants created while the pages are read land on the last page; the
   * flow moves its checkpoint only after reading every page. */
  if (changed_since != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (changed_since, NULL, FALSE);

      g_string_append_printf (path, "updated_at_min=%s&", escaped);
    }
  g_string_append_printf (path, "order=created_at+asc&limit=%d&page=%u", RELAY_TRADEGECKO_PAGE_LIMIT, MAX (page, 1));

  g_task_set_source_tag (task, tradegecko_list_stock_async);
  relay_http_request_async (relay_tradegecko_get_http (RELAY_TRADEGECKO (destination)), "GET", path->str, NULL, NULL,
                            cancellable, variants_page_cb, task);
}

static GPtrArray *
tradegecko_list_stock_finish (RelayOrderDestination  *destination,
                              GAsyncResult           *result,
                              gboolean               *has_more,
                              GError                **error)
{
  Page *page = g_task_propagate_pointer (G_TASK (result), error);
  GPtrArray *levels;

  if (page == NULL)
    return NULL;
  levels = g_steal_pointer (&page->levels);
  if (has_more != NULL)
    *has_more = page->has_more;
  page_free (page);
  return levels;
}

/* A missing flag is the usual case (a warehouse that holds stock, in use). */
static gboolean
boolean_member (JsonObject *object,
                const char *name,
                gboolean    fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static void
locations_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  JsonNode *list;

  response = finish_list (task, object, result, "locations", &list);
  if (response == NULL)
    return;

  locations = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_location_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonObject *entry = relay_json_array_get_object (json_node_get_array (list), i);
      gint64 id = entry != NULL ? units_member (entry, "id", 0) : 0;
      const char *status;

      if (id <= 0)
        continue;
      status = relay_json_get_string (entry, "status");
      g_ptr_array_add (locations, relay_location_new (id, relay_json_get_string (entry, "label"),
                                                      boolean_member (entry, "holds_stock", TRUE),
                                                      status == NULL || g_str_equal (status, "active")));
    }
  g_task_return_pointer (task, g_steal_pointer (&locations), (GDestroyNotify) g_ptr_array_unref);
}

/* One page of 250, as for tax types: accounts have a handful of warehouses. */
static void
tradegecko_list_locations_async (RelayOrderDestination *destination,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  GTask *task = g_task_new (destination, cancellable, callback, user_data);

  g_task_set_source_tag (task, tradegecko_list_locations_async);
  relay_http_request_async (relay_tradegecko_get_http (RELAY_TRADEGECKO (destination)), "GET", "/locations?limit=250",
                            NULL, NULL, cancellable, locations_cb, task);
}

static GPtrArray *
tradegecko_list_locations_finish (RelayOrderDestination  *destination,
                                  GAsyncResult           *result,
                                  GError                **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
relay_tradegecko_stock_destination_init (RelayOrderDestinationInterface *iface)
{
  iface->list_locations_async = tradegecko_list_locations_async;
  iface->list_locations_finish = tradegecko_list_locations_finish;
  iface->list_stock_async = tradegecko_list_stock_async;
  iface->list_stock_finish = tradegecko_list_stock_finish;
}
