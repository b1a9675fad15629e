/* relay-sandbox-products.c — Squarespace's Products API (v2) in the sandbox, as
 * squarespace-api.md §4.2 describes it: `GET /v2/commerce/products` in pages of up to 50
 * products with a dynamic cursor (which cannot be combined with other parameters) and
 * `GET /v2/commerce/products/{ids}` (up to 50); the list filtered by a `modifiedAfter`/
 * `modifiedBefore` window (exclusive at both ends, as for orders) and by `type`, each
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
  g_clear_pointer (&self->sq_product_types, g_hash_table_unref);
  self->sq_product_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_clear_pointer (&self->sq_product_modified, g_hash_table_unref);
  self->sq_product_modified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
sandbox_products_finalize (RelaySandbox *self)
{
  g_clear_pointer (&self->sq_products_scopes, g_hash_table_unref);
  g_clear_pointer (&self->sq_prices, g_hash_table_unref);
  g_clear_pointer (&self->sq_product_types, g_hash_table_unref);
  g_clear_pointer (&self->sq_product_modified, g_hash_table_unref);
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

/* The product types §4.2 names; only physical and service products have inventory (§4.1). */
static const char * const product_types[] = { "PHYSICAL", "SERVICE", "GIFT_CARD", "DIGITAL", NULL };
static const char * const stocked_types[] = { "PHYSICAL", "SERVICE", NULL };

/**
 * sandbox_products_set_listing:
 * @variant_id: an inventory item's variantId
 * @given: the scenario's inventory item: its `"productType"` (`PHYSICAL`, the default, or
 *   `SERVICE`) and `"productModifiedOn"` (ISO 8601; the Unix epoch by default)
 *
 * Returns: %FALSE with %RELAY_SANDBOX_ERROR_INVALID when either is malformed
 */
gboolean
sandbox_products_set_listing (RelaySandbox  *self,
                              const char    *variant_id,
                              JsonObject    *given,
                              GError       **error)
{
  const char *type = sandbox_get_string_member (given, "productType");
  const char *modified = sandbox_get_string_member (given, "productModifiedOn");
  gint64 ms = 0;

  if (type != NULL && !g_strv_contains (stocked_types, type))
    return invalid (error, "squarespace.inventory productType must be PHYSICAL or SERVICE");
  if (modified != NULL && !sandbox_parse_iso8601 (modified, &ms))
    return invalid (error, "squarespace.inventory productModifiedOn must be an ISO 8601 time");

  if (type != NULL)
    g_hash_table_insert (self->sq_product_types, g_strdup (variant_id), g_strdup (type));
  if (modified != NULL)
    g_hash_table_insert (self->sq_product_modified, g_strdup (variant_id), g_memdup2 (&ms, sizeof ms));
  return TRUE;
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
             const char *type,
             const char *stamp)
{
  JsonObject *product = json_object_new ();
  g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_MD5, name, -1);

  id[24] = '\0';
  json_object_set_string_member (product, "id", id);
  json_object_set_string_member (product, "type", type);
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

/* A product as the list sorts it: when it last changed (its latest item's), then inventory order. */
typedef struct
{
  JsonObject *product;
  gint64      modified;
  guint       position;
} ProductRef;

static int
product_ref_compare (gconstpointer a,
                     gconstpointer b)
{
  const ProductRef *x = a, *y = b;

  if (x->modified != y->modified)
    return x->modified < y->modified ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

static void
product_ref_clear (gpointer data)
{
  json_object_unref (((ProductRef *) data)->product);
}

/* Every product, ascending by modifiedOn (§4.2), ties in the order their first inventory
 * item was made. */
static GArray *
all_products (RelaySandbox *self)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GArray *products = g_array_new (FALSE, FALSE, sizeof (ProductRef));

  g_array_set_clear_func (products, product_ref_clear);
  for (guint i = 0; i < self->sq_inventory->len; i++)
    {
      JsonObject *item = g_ptr_array_index (self->sq_inventory, i);
      const char *variant_id = sandbox_get_string_member (item, "variantId");
      const gint64 *modified = g_hash_table_lookup (self->sq_product_modified, variant_id);
      g_autofree char *name = product_name_of (item);
      gpointer index = NULL;
      ProductRef *ref;

      if (!g_hash_table_lookup_extended (by_name, name, NULL, &index))
        {
          const char *type = g_hash_table_lookup (self->sq_product_types, variant_id);
          ProductRef added = { product_new (name, type != NULL ? type : "PHYSICAL", ""), G_MININT64, products->len };

          index = GUINT_TO_POINTER (products->len);
          g_hash_table_insert (by_name, g_strdup (name), index);
          g_array_append_val (products, added);
        }
      ref = &g_array_index (products, ProductRef, GPOINTER_TO_UINT (index));
      ref->modified = MAX (ref->modified, modified != NULL ? *modified : 0);
      json_array_add_object_element (json_object_get_array_member (ref->product, "variants"),
                                     product_variant_new (self, item));
    }
  for (guint i = 0; i < products->len; i++)
    {
      ProductRef *ref = &g_array_index (products, ProductRef, i);
      g_autofree char *stamp = sandbox_format_iso8601_ms (ref->modified);

      json_object_set_string_member (ref->product, "createdOn", stamp);
      json_object_set_string_member (ref->product, "modifiedOn", stamp);
    }
  g_array_sort (products, product_ref_compare);
  return products;
}

/* GET /v2/commerce/products. A cursor, alone, carries the first page's filters on (as
 * for orders, §2.1); each page is the next 50 of what matches them now. */
static void
list_products (RelaySandbox *self,
               GPtrArray    *params,
               SandboxReply *reply)
{
  const char *cursor = sandbox_params_get (params, "cursor");
  const char *type = NULL;
  gboolean has_range = FALSE;
  gint64 after = 0, before = 0;
  g_autoptr(GArray) products = NULL;
  g_autofree char *next_cursor = NULL;
  JsonArray *page;
  JsonObject *body;
  gint64 start = 0;
  guint matched = 0;

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
      has_range = json_object_get_boolean_member (position, "hasRange");
      after = json_object_get_int_member (position, "after");
      before = json_object_get_int_member (position, "before");
      type = sandbox_get_string_member (position, "type");
    }
  else
    {
      if (!sandbox_squarespace_parse_window (self, params, reply, &has_range, &after, &before))
        return;
      type = sandbox_params_get (params, "type");
      if (type != NULL && !g_strv_contains (product_types, type))
        {
          sandbox_squarespace_error (self, reply, 400, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                     "type must be PHYSICAL, SERVICE, GIFT_CARD or DIGITAL.");
          return;
        }
    }

  products = all_products (self);
  page = json_array_new ();
  for (guint i = 0; i < products->len; i++)
    {
      ProductRef *ref = &g_array_index (products, ProductRef, i);

      if (has_range && (ref->modified <= after || ref->modified >= before))
        continue;
      if (type != NULL && g_strcmp0 (json_object_get_string_member (ref->product, "type"), type) != 0)
        continue;
      if (matched >= start && matched < start + PAGE_PRODUCTS)
        json_array_add_object_element (page, json_object_ref (ref->product));
      matched++;
    }
  if (matched > start + PAGE_PRODUCTS)
    {
      JsonObject *position = json_object_new ();

      json_object_set_int_member (position, "productsOffset", start + PAGE_PRODUCTS);
      json_object_set_boolean_member (position, "hasRange", has_range);
      json_object_set_int_member (position, "after", after);
      json_object_set_int_member (position, "before", before);
      if (type != NULL)
        json_object_set_string_member (position, "type", type);
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
  g_autoptr(GArray) products = NULL;
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
        if (g_strcmp0 (json_object_get_string_member (g_array_index (products, ProductRef, j).product, "id"), ids[i]) == 0)
          product = g_array_index (products, ProductRef, j).product;
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
