/* relay-sandbox-products.c — Squarespace's Products API (v2) in the sandbox, as
 * squarespace-api.md §4.2 describes it: `GET /v2/commerce/products` in pages of up to 50
 * products with a dynamic cursor (which cannot be combined with other parameters) and
 * `GET /v2/commerce/products/{ids}` (up to 50), each
 * variant with its SKU, pricing (basePrice, salePrice, onSale) and stock; and the Products
 * permission of each key (§1.3): a key without it gets 403 MISSING_SCOPE.
 *
 * The products are the inventory items grouped by product name (the descriptor without its
 * " [Option]" tail), so both APIs always tell the same story.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

#define PRODUCTS_PATH "/v2/commerce/products"
#define PAGE_PRODUCTS 50

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                       */

void
sandbox_products_reset (RelaySandbox *self)
{
  g_clear_pointer (&self->sq_products_scopes, g_hash_table_unref);
  self->sq_products_scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* A key made with Orders and Inventory only, no Products. */
  g_hash_table_insert (self->sq_keys, g_strdup (RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY), g_strdup ("read-write"));
  sandbox_stock_set_key_scope (self, RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY, "read-write");
  g_hash_table_insert (self->sq_products_scopes, g_strdup (RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY), g_strdup ("none"));

  g_clear_pointer (&self->sq_prices, g_hash_table_unref);
  self->sq_prices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
sandbox_products_finalize (RelaySandbox *self)
{
  g_clear_pointer (&self->sq_products_scopes, g_hash_table_unref);
  g_clear_pointer (&self->sq_prices, g_hash_table_unref);
}

/* A scenario key's "products" member ("read-only", "read-write" or "none"). Keys that do
 * not say have Products read only, what the app asks merchants for. */
void
sandbox_products_set_key_scope (RelaySandbox *self,
                                const char   *key,
                                const char   *products)
{
  g_hash_table_insert (self->sq_products_scopes, g_strdup (key), g_strdup (products));
}

static const char *
products_scope (RelaySandbox *self,
                const char   *key)
{
  const char *scope = g_hash_table_lookup (self->sq_products_scopes, key);

  return scope != NULL ? scope : "read-only";
}

/**
 * sandbox_products_set_price:
 * @variant_id: an inventory item's variantId
 * @price: (nullable): its base price as a decimal ("12.50", TradeGecko's "22.0"), %NULL for 0
 */
void
sandbox_products_set_price (RelaySandbox *self,
                            const char   *variant_id,
                            const char   *price)
{
  g_hash_table_insert (self->sq_prices, g_strdup (variant_id), g_strdup (price != NULL ? price : "0"));
}

/* ------------------------------------------------------------------------------------------ */
/* Products                                                                                    */

/* The product name of an inventory item: its descriptor without the " [Option]" tail. */
static char *
product_name_of (JsonObject *item)
{
  const char *descriptor = sandbox_get_string_member (item, "descriptor");
  const char *bracket = descriptor != NULL ? strstr (descriptor, " [") : NULL;

  if (descriptor == NULL)
    return g_strdup ("");
  return bracket != NULL ? g_strndup (descriptor, bracket - descriptor) : g_strdup (descriptor);
}

static JsonObject *
price_new (RelaySandbox *self,
           JsonObject   *item,
           const char   *currency)
{
  const char *text = g_hash_table_lookup (self->sq_prices, sandbox_get_string_member (item, "variantId"));
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text != NULL ? text : "0");
  gint64 e4 = 0, scale = 1;

  /* Any number of decimals ("22.0", "12.50"), in ten-thousandths, then the currency's own. */
  if (!sandbox_decimal_parse (node, &e4))
    e4 = 0;
  for (guint i = sandbox_currency_exponent (currency); i < 4; i++)
    scale *= 10;
  return sandbox_money_new (e4 / scale, currency);
}

static JsonObject *
product_variant_new (RelaySandbox *self,
                     JsonObject   *item)
{
  JsonObject *variant = json_object_new ();
  JsonObject *pricing = json_object_new ();
  JsonObject *stock = json_object_new ();
  JsonObject *attributes = json_object_new ();
  const char *currency = sandbox_get_string_member (self->sq_website, "currency");
  const char *descriptor = sandbox_get_string_member (item, "descriptor");
  const char *bracket = descriptor != NULL ? strstr (descriptor, " [") : NULL;

  if (currency == NULL)
    currency = "USD";
  json_object_set_string_member (variant, "id", sandbox_get_string_member (item, "variantId"));
  json_object_set_string_member (variant, "sku", sandbox_get_string_member (item, "sku"));
  json_object_set_object_member (pricing, "basePrice", price_new (self, item, currency));
  json_object_set_object_member (pricing, "salePrice", sandbox_money_new (0, currency));
  json_object_set_boolean_member (pricing, "onSale", FALSE);
  json_object_set_object_member (variant, "pricing", pricing);
  json_object_set_int_member (stock, "quantity", json_object_get_int_member (item, "quantity"));
  json_object_set_boolean_member (stock, "unlimited", json_object_get_boolean_member (item, "isUnlimited"));
  json_object_set_object_member (variant, "stock", stock);
  if (bracket != NULL && g_str_has_suffix (bracket, "]"))
    {
      g_autofree char *option = g_strndup (bracket + 2, strlen (bracket) - 3);

      json_object_set_string_member (attributes, "Option", option);
    }
  json_object_set_object_member (variant, "attributes", attributes);
  json_object_set_null_member (variant, "shippingMeasurements");
  json_object_set_null_member (variant, "image");
  return variant;
}

static JsonObject *
product_new (const char *name,
             const char *stamp)
{
  JsonObject *product = json_object_new ();
  g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_MD5, name, -1);

  id[24] = '\0';
  json_object_set_string_member (product, "id", id);
  json_object_set_string_member (product, "type", "PHYSICAL");
  json_object_set_string_member (product, "storePageId", "5f1e2d3c4b5a69788796a000");
  json_object_set_string_member (product, "name", name);
  json_object_set_string_member (product, "description", "");
  json_object_set_string_member (product, "url", "");
  json_object_set_string_member (product, "urlSlug", id);
  json_object_set_array_member (product, "tags", json_array_new ());
  json_object_set_boolean_member (product, "isVisible", TRUE);
  json_object_set_array_member (product, "variants", json_array_new ());
  json_object_set_array_member (product, "images", json_array_new ());
  json_object_set_string_member (product, "createdOn", stamp);
  json_object_set_string_member (product, "modifiedOn", stamp);
  return product;
}

/* Every product, in the order their first inventory item was made (they share one
 * modifiedOn, so that is the modifiedOn order). */
static GPtrArray *
all_products (RelaySandbox *self)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *products = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *stamp = sandbox_format_iso8601_ms (0);

  for (guint i = 0; i < self->sq_inventory->len; i++)
    {
      JsonObject *item = g_ptr_array_index (self->sq_inventory, i);
      g_autofree char *name = product_name_of (item);
      JsonObject *product = g_hash_table_lookup (by_name, name);

      if (product == NULL)
        {
          product = product_new (name, stamp);
          g_hash_table_insert (by_name, g_strdup (name), product);
          g_ptr_array_add (products, product);
        }
      json_array_add_object_element (json_object_get_array_member (product, "variants"),
                                     product_variant_new (self, item));
    }
  return products;
}

static void
list_products (RelaySandbox *self,
               GPtrArray    *params,
               SandboxReply *reply)
{
  const char *cursor = sandbox_params_get (params, "cursor");
  g_autoptr(GPtrArray) products = NULL;
  g_autofree char *next_cursor = NULL;
  JsonArray *page;
  JsonObject *body;
  gint64 start = 0;
  guint i;

  if (cursor != NULL)
    {
      JsonObject *position = g_hash_table_lookup (self->sq_cursors, cursor);

      if (params->len > 1)
        {
          sandbox_squarespace_error (self, reply, 400, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                     "A cursor cannot be used with other parameters.");
          return;
        }
      if (position == NULL || !json_object_has_member (position, "productsOffset"))
        {
          sandbox_squarespace_error (self, reply, 400, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                     "The cursor is invalid.");
          return;
        }
      start = json_object_get_int_member (position, "productsOffset");
    }

  products = all_products (self);
  page = json_array_new ();
  for (i = (guint) start; i < products->len && i < start + PAGE_PRODUCTS; i++)
    json_array_add_object_element (page, json_object_ref (g_ptr_array_index (products, i)));
  if (i < products->len)
    {
      JsonObject *position = json_object_new ();

      json_object_set_int_member (position, "productsOffset", i);
      next_cursor = sandbox_random_hex (self, 32);
      g_hash_table_insert (self->sq_cursors, g_strdup (next_cursor), position);
    }

  body = json_object_new ();
  json_object_set_array_member (body, "products", page);
  json_object_set_object_member (body, "pagination",
                                 sandbox_squarespace_pagination_new (self->squarespace_url ? self->squarespace_url : "",
                                                                     PRODUCTS_PATH, next_cursor));
  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

/* GET /v2/commerce/products/{id1},{id2}: up to 50, every one known. */
static void
get_products (RelaySandbox *self,
              const char   *ids_text,
              SandboxReply *reply)
{
  g_auto(GStrv) ids = g_strsplit (ids_text, ",", -1);
  g_autoptr(GPtrArray) products = NULL;
  JsonArray *found;
  JsonObject *body;

  if (g_strv_length (ids) > PAGE_PRODUCTS)
    {
      sandbox_squarespace_error (self, reply, 400, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                 "At most 50 product ids per request.");
      return;
    }
  products = all_products (self);
  found = json_array_new ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      JsonObject *product = NULL;

      for (guint j = 0; product == NULL && j < products->len; j++)
        if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (products, j), "id"), ids[i]) == 0)
          product = g_ptr_array_index (products, j);
      if (product == NULL)
        {
          json_array_unref (found);
          sandbox_squarespace_error (self, reply, 404, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT", "Product not found.");
          return;
        }
      json_array_add_object_element (found, json_object_ref (product));
    }
  body = json_object_new ();
  json_object_set_array_member (body, "products", found);
  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

/**
 * sandbox_products_handle:
 * @key: the request's API key
 *
 * Returns: %TRUE when @path was the Products API's (and @reply is set)
 */
gboolean
sandbox_products_handle (RelaySandbox      *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GPtrArray         *params,
                         const char        *key,
                         SandboxReply      *reply)
{
  if (!g_str_equal (path, PRODUCTS_PATH) && !g_str_has_prefix (path, PRODUCTS_PATH "/"))
    return FALSE;

  if (g_str_equal (products_scope (self, key), "none"))
    sandbox_squarespace_error (self, reply, 403, "AUTHORIZATION_ERROR", "MISSING_SCOPE",
                               "This API key does not have permission to access products.");
  else if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    sandbox_squarespace_error (self, reply, 405, "METHOD_NOT_ALLOWED", NULL, "Method not allowed.");
  else if (!g_str_equal (path, PRODUCTS_PATH))
    get_products (self, path + strlen (PRODUCTS_PATH "/"), reply);
  else
    list_products (self, params, reply);
  return TRUE;
}
