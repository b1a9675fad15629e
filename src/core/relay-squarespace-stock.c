/* relay-squarespace-stock.c — Squarespace's Inventory and Products APIs as the stock flow's
 * RelayOrderSource methods: the JSON stays here, the flow sees RelayStoreItem and RelayStockSet.
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

#define INVENTORY_PATH   "/1.0/commerce/inventory"
#define ADJUSTMENTS_PATH "/1.0/commerce/inventory/adjustments"
#define PRODUCTS_PATH    "/v2/commerce/products"

typedef struct
{
  GPtrArray *items;
  char      *next_cursor;
} Page;

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

static gboolean
bool_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static GError *
malformed (const char *what)
{
  g_debug ("Squarespace stock response malformed: %s", what);
  return g_error_new (RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                      _("%s sent a response Order Relay could not read. Order Relay will try again later."),
                      "Squarespace");
}

/* pagination.nextPageCursor when pagination.hasNextPage (loop on hasNextPage, §2.1); FALSE
 * when a next page is announced without a cursor, which would end the walk early. */
static gboolean
next_cursor_of (JsonObject  *body,
                char       **cursor)
{
  JsonNode *node = json_object_get_member (body, "pagination");
  JsonObject *pagination = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *next;

  *cursor = NULL;
  if (!bool_member (pagination, "hasNextPage"))
    return TRUE;
  next = relay_json_get_string (pagination, "nextPageCursor");
  if (next == NULL || *next == '\0')
    return FALSE;
  *cursor = g_strdup (next);
  return TRUE;
}

static char *
paged_path (const char *path,
            const char *cursor)
{
  g_autofree char *escaped = NULL;

  if (cursor == NULL)
    return g_strdup (path);
  escaped = g_uri_escape_string (cursor, NULL, FALSE);
  return g_strdup_printf ("%s?cursor=%s", path, escaped);
}

/* One page's answer: the array @member and a new Page for its cursor, or %NULL after
 * returning the failure on @task. */
static JsonArray *
page_array (GTask        *task,
            GObject      *http,
            GAsyncResult *result,
            const char   *member,
            Page        **out_page)
{
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autofree char *next_cursor = NULL;
  GError *error = NULL;
  JsonObject *body;
  JsonArray *array;

  response = relay_http_request_finish (RELAY_HTTP (http), result, &error);
  if (response == NULL && g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN) &&
      g_str_equal (member, "products"))
    {
      /* The key was made without the Products permission; keys cannot be edited (§1.3). */
      g_clear_error (&error);
      error = g_error_new_literal (RELAY_ERROR, RELAY_ERROR_FORBIDDEN,
                                   _("The Squarespace API key may not read products, so the SKU check cannot list "
                                     "your variants. Squarespace keys cannot be changed: generate a new key with "
                                     "Products set to Read Only (and Orders set to Read and Write), then reconnect "
                                     "Squarespace with it."));
    }
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return NULL;
    }

  body = relay_http_response_get_object (response);
  array = relay_json_get_array (body, member);
  if (array == NULL || !next_cursor_of (body, &next_cursor))
    {
      g_task_return_error (task, malformed (array == NULL ? member : "hasNextPage without a cursor"));
      return NULL;
    }

  *out_page = g_new0 (Page, 1);
  (*out_page)->items = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_item_free);
  (*out_page)->next_cursor = g_steal_pointer (&next_cursor);
  return json_array_ref (array);
}

/* Inventory */

static void
inventory_page_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonArray) inventory = NULL;
  Page *page = NULL;

  inventory = page_array (task, object, result, "inventory", &page);
  if (inventory == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (inventory); i++)
    {
      JsonObject *item = relay_json_array_get_object (inventory, i);

      if (item == NULL || relay_json_get_string (item, "variantId") == NULL)
        continue;
      g_ptr_array_add (page->items,
                       relay_store_item_new (relay_json_get_string (item, "variantId"), relay_json_get_string (item, "sku"),
                                             relay_json_get_string (item, "descriptor"), bool_member (item, "isUnlimited"),
                                             relay_json_get_int (item, "quantity", 0)));
    }
  g_task_return_pointer (task, page, page_free);
}

/* The one paged-list walk step of both lists: page @cursor of @path (the first page
 * without one; Squarespace takes a cursor alone), read by @page_cb into a Page. */
static void
request_page (RelayOrderSource    *source,
              const char          *path,
              const char          *cursor,
              gpointer             source_tag,
              GAsyncReadyCallback  page_cb,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  g_autofree char *paged = paged_path (path, cursor);

  g_task_set_source_tag (task, source_tag);
  relay_http_request_async (relay_squarespace_get_http (RELAY_SQUARESPACE (source)), "GET", paged, NULL, NULL,
                            cancellable, page_cb, task);
}

static void
squarespace_list_stock_items_async (RelayOrderSource    *source,
                                    const char          *cursor,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  request_page (source, INVENTORY_PATH, cursor, squarespace_list_stock_items_async, inventory_page_cb,
                cancellable, callback, user_data);
}

static GPtrArray *
page_finish (GAsyncResult  *result,
             char         **next_cursor,
             GError       **error)
{
  Page *page = g_task_propagate_pointer (G_TASK (result), error);
  GPtrArray *items;

  if (page == NULL)
    return NULL;
  items = g_steal_pointer (&page->items);
  if (next_cursor != NULL)
    *next_cursor = g_steal_pointer (&page->next_cursor);
  page_free (page);
  return items;
}

static GPtrArray *
squarespace_list_stock_items_finish (RelayOrderSource  *source,
                                     GAsyncResult      *result,
                                     char             **next_cursor,
                                     GError           **error)
{
  return page_finish (result, next_cursor, error);
}

static void
squarespace_get_stock_items_async (RelayOrderSource    *source,
                                   const char * const  *ids,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GString) path = g_string_new (INVENTORY_PATH "/");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (ids[i], NULL, FALSE);

      g_string_append_printf (path, "%s%s", i ? "," : "", escaped);
    }
  g_task_set_source_tag (task, squarespace_get_stock_items_async);
  relay_http_request_async (relay_squarespace_get_http (RELAY_SQUARESPACE (source)), "GET", path->str, NULL, NULL,
                            cancellable, inventory_page_cb, task);
}

static GPtrArray *
squarespace_get_stock_items_finish (RelayOrderSource  *source,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return page_finish (result, NULL, error);
}

/* Products */

/* "Product [Size: L, Colour: Red]" from a v2 product and one of its variants. */
static char *
variant_descriptor (JsonObject *product,
                    JsonObject *variant)
{
  JsonNode *node = json_object_get_member (variant, "attributes");
  GString *text = g_string_new (product != NULL ? relay_json_get_string (product, "name") : NULL);
  g_autoptr(GList) names = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = relay_json_get_string (json_node_get_object (node), l->data);

      g_string_append (text, l == names ? " [" : ", ");
      g_string_append_printf (text, "%s: %s", (const char *) l->data, value ? value : "");
      if (l->next == NULL)
        g_string_append_c (text, ']');
    }
  return g_string_free (text, FALSE);
}

/* pricing.basePrice, a Money object; FALSE when missing or unreadable (shown as unknown). */
static gboolean
base_price_of (JsonObject *variant,
               RelayMoney *price)
{
  JsonNode *pricing = json_object_get_member (variant, "pricing");
  JsonNode *base = pricing != NULL && JSON_NODE_HOLDS_OBJECT (pricing)
                   ? json_object_get_member (json_node_get_object (pricing), "basePrice") : NULL;

  return base != NULL && JSON_NODE_HOLDS_OBJECT (base) && relay_squarespace_parse_money (json_node_get_object (base), price, NULL);
}

static void
products_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonArray) products = NULL;
  Page *page = NULL;

  products = page_array (task, object, result, "products", &page);
  if (products == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonObject *product = relay_json_array_get_object (products, i);
      JsonArray *variants = relay_json_get_array (product, "variants");

      for (guint j = 0; variants != NULL && j < json_array_get_length (variants); j++)
        {
          JsonObject *variant = relay_json_array_get_object (variants, j);
          JsonNode *stock_node = variant ? json_object_get_member (variant, "stock") : NULL;
          JsonObject *stock = stock_node && JSON_NODE_HOLDS_OBJECT (stock_node) ? json_node_get_object (stock_node) : NULL;
          g_autofree char *descriptor = NULL;
          RelayStoreItem *item;

          if (variant == NULL || relay_json_get_string (variant, "id") == NULL)
            continue;
          descriptor = variant_descriptor (product, variant);
          item = relay_store_item_new (relay_json_get_string (variant, "id"), relay_json_get_string (variant, "sku"),
                                       descriptor, bool_member (stock, "unlimited"),
                                       (stock != NULL ? relay_json_get_int (stock, "quantity", 0) : 0));
          item->has_price = base_price_of (variant, &item->price);
          g_ptr_array_add (page->items, item);
        }
    }
  g_task_return_pointer (task, page, page_free);
}

static void
squarespace_list_variants_async (RelayOrderSource    *source,
                                 const char          *cursor,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  request_page (source, PRODUCTS_PATH, cursor, squarespace_list_variants_async, products_page_cb,
                cancellable, callback, user_data);
}

static GPtrArray *
squarespace_list_variants_finish (RelayOrderSource  *source,
                                  GAsyncResult      *result,
                                  char             **next_cursor,
                                  GError           **error)
{
  return page_finish (result, next_cursor, error);
}

/* Adjustments */

/* setFiniteOperations, and setUnlimitedOperations (plain ids) for RELAY_STOCK_UNLIMITED;
 * the latter only when there is one, so a batch of counts keeps the body it always had. */
static JsonNode *
set_stock_body (GPtrArray *sets)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *operations = json_array_new ();
  JsonArray *unlimited = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < sets->len; i++)
    {
      RelayStockSet *set = g_ptr_array_index (sets, i);
      JsonObject *operation;

      if (set->quantity == RELAY_STOCK_UNLIMITED)
        {
          json_array_add_string_element (unlimited, set->variant_id);
          continue;
        }
      operation = json_object_new ();
      json_object_set_string_member (operation, "variantId", set->variant_id);
      json_object_set_int_member (operation, "quantity", set->quantity);
      json_array_add_object_element (operations, operation);
    }
  json_object_set_array_member (body, "setFiniteOperations", operations);
  if (json_array_get_length (unlimited) > 0)
    json_object_set_array_member (body, "setUnlimitedOperations", unlimited);
  else
    json_array_unref (unlimited);
  json_node_set_object (node, body);
  return node;
}

static void
adjusted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayHttpResponse) response = NULL;
  GError *error = NULL;

  response = relay_http_request_finish (RELAY_HTTP (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
squarespace_set_stock_async (RelayOrderSource    *source,
                             GPtrArray           *sets,
                             const char          *idempotency_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = set_stock_body (sets);

  g_task_set_source_tag (task, squarespace_set_stock_async);
  relay_http_request_async (relay_squarespace_get_http (RELAY_SQUARESPACE (source)), "POST", ADJUSTMENTS_PATH,
                            body, idempotency_key, cancellable, adjusted_cb, task);
}

static gboolean
squarespace_set_stock_finish (RelayOrderSource  *source,
                              GAsyncResult      *result,
                              GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
squarespace_can_set_stock_async (RelayOrderSource    *source,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  relay_squarespace_check_inventory_write_async (RELAY_SQUARESPACE (source), cancellable, callback, user_data);
}

static gboolean
squarespace_can_set_stock_finish (RelayOrderSource  *source,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return relay_squarespace_check_inventory_write_finish (RELAY_SQUARESPACE (source), result, error);
}

void
relay_squarespace_stock_source_init (RelayOrderSourceInterface *iface)
{
  iface->list_stock_items_async = squarespace_list_stock_items_async;
  iface->list_stock_items_finish = squarespace_list_stock_items_finish;
  iface->list_variants_async = squarespace_list_variants_async;
  iface->list_variants_finish = squarespace_list_variants_finish;
  iface->get_stock_items_async = squarespace_get_stock_items_async;
  iface->get_stock_items_finish = squarespace_get_stock_items_finish;
  iface->set_stock_async = squarespace_set_stock_async;
  iface->set_stock_finish = squarespace_set_stock_finish;
  iface->can_set_stock_async = squarespace_can_set_stock_async;
  iface->can_set_stock_finish = squarespace_can_set_stock_finish;
}

/* Permission probe */

static void
inventory_probed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = relay_http_request_finish (RELAY_HTTP (object), result, &error);

  /* The empty adjustment is refused as invalid only once the key may write inventory;
   * a key without that permission is refused first (403). Nothing is ever changed. */
  if (response != NULL || g_error_matches (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST))
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN))
    g_task_return_boolean (task, FALSE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * relay_squarespace_check_inventory_write_async:
 * @self: a #RelaySquarespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds out, without changing anything, whether the key may change stock: posts an
 * adjustment with no operations.
 */
void
relay_squarespace_check_inventory_write_async (RelaySquarespace    *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *body;

  g_return_if_fail (RELAY_IS_SQUARESPACE (self));

  json_parser_load_from_data (parser, "{\"setFiniteOperations\":[]}", -1, NULL);
  body = json_parser_get_root (parser);
  g_task_set_source_tag (task, relay_squarespace_check_inventory_write_async);
  relay_http_request_async (relay_squarespace_get_http (self), "POST", ADJUSTMENTS_PATH, body,
                            "order-relay-permission-probe", cancellable, inventory_probed_cb, task);
}

/**
 * relay_squarespace_check_inventory_write_finish:
 * @error: set when the answer was neither yes nor no (network, key refused …)
 *
 * Returns: %TRUE when the key may change stock; %FALSE with @error unset when it may not
 */
gboolean
relay_squarespace_check_inventory_write_finish (RelaySquarespace  *self,
                                                GAsyncResult      *result,
                                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
