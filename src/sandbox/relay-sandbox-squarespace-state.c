/* relay-sandbox-squarespace-state.c — the Squarespace website's state: reset, the scenario
 * loader, orders completed from partial ones (lines, totals, addresses) and their modifiedOn stamps
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

const char * const sandbox_squarespace_fulfillment_statuses[] = { "PENDING", "FULFILLED", "CANCELED", NULL };

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                       */

void
sandbox_squarespace_reset (RelaySandbox *self)
{
  g_clear_pointer (&self->sq_website, json_object_unref);
  self->sq_website = json_object_new ();
  json_object_set_string_member (self->sq_website, "id", "5f1e2d3c4b5a69788796a5b4");
  json_object_set_string_member (self->sq_website, "siteId", "sandbox-store");
  json_object_set_string_member (self->sq_website, "title", "Sandbox Store");
  json_object_set_string_member (self->sq_website, "url", "https://sandbox-store.squarespace.com");
  json_object_set_string_member (self->sq_website, "currency", "USD");
  json_object_set_string_member (self->sq_website, "measurementStandard", "IMPERIAL");
  json_object_set_string_member (self->sq_website, "language", "en-US");

  g_clear_pointer (&self->sq_keys, g_hash_table_unref);
  self->sq_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (self->sq_keys, g_strdup (RELAY_SANDBOX_SQUARESPACE_KEY), g_strdup ("read-write"));
  g_hash_table_insert (self->sq_keys, g_strdup (RELAY_SANDBOX_SQUARESPACE_READONLY_KEY), g_strdup ("read-only"));

  g_clear_pointer (&self->sq_orders, g_ptr_array_unref);
  self->sq_orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_clear_pointer (&self->sq_inventory, g_ptr_array_unref);
  self->sq_inventory = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_clear_pointer (&self->sq_cursors, g_hash_table_unref);
  self->sq_cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);

  self->sq_expired = FALSE;
  self->sq_last_modified_ms = 0;
  self->sq_next_order_number = 1001;
  self->sq_rate.window_start = 0;
  self->sq_rate.count = 0;
  self->sq_rate.cooldown_until = 0;
}

JsonObject *
sandbox_squarespace_find_order (RelaySandbox *self,
                                const char   *id)
{
  return sandbox_index_find (&self->sq_orders_by_id, id);
}

/* Every change gets a strictly later modifiedOn, so pollers always see it as new. */
void
sandbox_squarespace_touch (RelaySandbox *self,
                           JsonObject   *order)
{
  gint64 previous = 0;
  g_autofree char *text = NULL;

  sandbox_parse_iso8601 (sandbox_get_string_member (order, "modifiedOn"), &previous);
  text = sandbox_format_iso8601_ms (sandbox_squarespace_stamp (self, previous));
  json_object_set_string_member (order, "modifiedOn", text);
}

/* The next modifiedOn, later than @previous (the order's own, 0 for a new one).
 * With a visibility lag, a change is stamped that long before now: it shows in
 * listings that much later than its modifiedOn, like an index that lags behind
 * the orders. Only each order's stamps must then rise; without a lag, every
 * stamp is later than all before. */
gint64
sandbox_squarespace_stamp (RelaySandbox *self,
                           gint64        previous)
{
  gint64 ms;

  if (self->sq_visibility_lag_ms > 0)
    ms = MAX (sandbox_now_ms () - self->sq_visibility_lag_ms, previous + 1);
  else
    ms = MAX (sandbox_now_ms (), self->sq_last_modified_ms + 1);
  self->sq_last_modified_ms = MAX (self->sq_last_modified_ms, ms);
  return ms;
}

gboolean
sandbox_squarespace_is_hex_id (const char *id)
{
  if (id == NULL || strlen (id) != 24)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static JsonObject *
find_inventory_by_sku (RelaySandbox *self,
                       const char   *sku)
{
  return sandbox_find_by_string_member (self->sq_inventory, "sku", sku);
}

/* Reads a Money member; its currency must be @currency. */
static gboolean
read_money (JsonObject  *object,
            const char  *member,
            const char  *currency,
            gint64      *minor,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonObject *money;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "%s must be a Money object {\"value\": \"12.00\", \"currency\": \"USD\"}", member);

  money = json_node_get_object (node);
  if (g_strcmp0 (sandbox_get_string_member (money, "currency"), currency) != 0)
    return invalid (error, "%s must be in %s like the rest of the order", member, currency);
  if (!sandbox_money_parse (sandbox_get_string_member (money, "value"), currency, minor))
    return invalid (error, "%s.value must be a decimal string with %u decimals for %s",
                    member, sandbox_currency_exponent (currency), currency);
  return TRUE;
}

static JsonObject *
complete_address (JsonObject *given)
{
  static const char * const fields[] = {
    "firstName", "lastName", "address1", "address2", "city", "state", "countryCode",
    "postalCode", "phone", NULL
  };
  JsonObject *address = json_object_new ();

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = sandbox_get_string_member (given, fields[i]);

      if (value != NULL)
        json_object_set_string_member (address, fields[i], value);
      else
        json_object_set_null_member (address, fields[i]);
    }

  return address;
}

static void
copy_or_default_array (JsonObject *order,
                       JsonObject *partial,
                       const char *member,
                       gboolean    default_null)
{
  JsonNode *node = json_object_get_member (partial, member);

  if (node != NULL && (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_NULL (node)))
    json_object_set_member (order, member, json_node_copy (node));
  else if (default_null)
    json_object_set_null_member (order, member);
  else
    json_object_set_array_member (order, member, json_array_new ());
}

static JsonObject *
complete_line (RelaySandbox  *self,
               JsonObject    *given,
               const char    *currency,
               gint64        *line_total,
               GError       **error)
{
  g_autoptr(JsonObject) line = json_object_new ();
  const char *sku = sandbox_get_string_member (given, "sku");
  const char *name = sandbox_get_string_member (given, "productName");
  JsonObject *item = find_inventory_by_sku (self, sku);
  g_autofree char *line_id = sandbox_random_hex (self, 24);
  g_autofree char *product_id = sandbox_random_hex (self, 24);
  g_autofree char *image = NULL;
  gint64 quantity;
  gint64 unit;
  static const char * const measures[] = { "weight", "width", "length", "height", NULL };

  if (name == NULL || *name == '\0')
    return invalid (error, "every line item needs a productName"), NULL;
  if (!sandbox_get_int_member (given, "quantity", &quantity) || quantity < 1)
    return invalid (error, "line item \"%s\" needs a positive integer quantity", name), NULL;
  if (!read_money (given, "unitPricePaid", currency, &unit, error))
    return NULL;

  json_object_set_string_member (line, "id", sandbox_get_string_member (given, "id") ?: line_id);
  if (sandbox_get_string_member (given, "variantId") != NULL)
    json_object_set_string_member (line, "variantId", sandbox_get_string_member (given, "variantId"));
  else if (item != NULL)
    json_object_set_string_member (line, "variantId", sandbox_get_string_member (item, "variantId"));
  else if (sku != NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      json_object_set_string_member (line, "variantId", uuid);
    }
  else
    json_object_set_null_member (line, "variantId");

  if (sku != NULL)
    json_object_set_string_member (line, "sku", sku);
  else
    json_object_set_null_member (line, "sku");

  for (guint i = 0; measures[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (given, measures[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        json_object_set_double_member (line, measures[i], json_node_get_double (node));
      else
        json_object_set_double_member (line, measures[i], 0.0);
    }

  json_object_set_string_member (line, "productId", sandbox_get_string_member (given, "productId") ?: product_id);
  json_object_set_string_member (line, "productName", name);
  json_object_set_int_member (line, "quantity", quantity);
  json_object_set_object_member (line, "unitPricePaid", sandbox_money_new (unit, currency));

  /* Digital items come with sku null and variantOptions null (docs/sandbox.md, “Orders and the
   * Order object”). */
  if (json_object_has_member (given, "variantOptions"))
    json_object_set_member (line, "variantOptions", json_node_copy (json_object_get_member (given, "variantOptions")));
  else if (sku == NULL)
    json_object_set_null_member (line, "variantOptions");
  else
    json_object_set_array_member (line, "variantOptions", json_array_new ());

  if (json_object_has_member (given, "customizations"))
    json_object_set_member (line, "customizations", json_node_copy (json_object_get_member (given, "customizations")));
  else
    json_object_set_null_member (line, "customizations");

  image = g_strdup_printf ("https://images.squarespace-cdn.com/content/sandbox/%s.jpg?format=300w",
                           json_object_get_string_member (line, "productId"));
  json_object_set_string_member (line, "imageUrl", sandbox_get_string_member (given, "imageUrl") ?: image);
  json_object_set_string_member (line, "lineItemType",
                                 sandbox_get_string_member (given, "lineItemType") ?: "PHYSICAL_PRODUCT");

  *line_total = unit * quantity;
  return g_steal_pointer (&line);
}

static gboolean
sum_amounts (JsonObject  *order,
             const char  *member,
             const char  *currency,
             gint64      *total,
             GError     **error)
{
  JsonNode *node = json_object_get_member (order, member);
  JsonArray *array;

  *total = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "%s must be an array", member);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 amount;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !read_money (json_node_get_object (element), "amount", currency, &amount, error))
        return FALSE;
      *total += amount;
    }

  return TRUE;
}

static gboolean
set_total (JsonObject  *order,
           JsonObject  *partial,
           const char  *member,
           gint64       computed,
           const char  *currency,
           GError     **error)
{
  gint64 given;

  if (json_object_has_member (partial, member))
    {
      if (!read_money (partial, member, currency, &given, error))
        return FALSE;
      if (given != computed && !g_str_equal (member, "taxTotal") && !g_str_equal (member, "refundedTotal"))
        return invalid (error, "%s does not match the order's lines", member);
      computed = given;
    }

  json_object_set_object_member (order, member, sandbox_money_new (computed, currency));
  return TRUE;
}

/**
 * sandbox_squarespace_complete_order:
 *
 * A full documented Order from a partial one: every member present, arrays `[]` or `null` as
 * the real service sends them, totals consistent
 * (grandTotal = subtotal + shippingTotal − discountTotal + taxTotal).
 * With INCLUSIVE prices the lines already hold the tax, so taxTotal is the part
 * of the total that is tax and is not added again: squarespace-api.md §2.3
 * leaves this open (⚠), and this is what a buyer is charged at checkout.
 */
JsonObject *
sandbox_squarespace_complete_order (RelaySandbox  *self,
                                    JsonObject    *partial,
                                    GError       **error)
{
  g_autoptr(JsonObject) order = json_object_new ();
  g_autoptr(JsonArray) lines = json_array_new ();
  const char *currency = sandbox_get_string_member (partial, "currency");
  const char *id = sandbox_get_string_member (partial, "id");
  const char *status = sandbox_get_string_member (partial, "fulfillmentStatus");
  const char *tax_interpretation = sandbox_get_string_member (partial, "priceTaxInterpretation");
  g_autofree char *random_id = sandbox_random_hex (self, 24);
  g_autofree char *number = NULL;
  g_autofree char *now = sandbox_format_iso8601_ms (sandbox_now_ms ());
  JsonNode *lines_node = json_object_get_member (partial, "lineItems");
  const char *created;
  gint64 ms, tax = 0, subtotal = 0, shipping, discount, number_value;
  JsonNode *node;

  if (currency == NULL)
    currency = json_object_get_string_member (self->sq_website, "currency");
  if (strlen (currency) != 3)
    return invalid (error, "currency must be an ISO 4217 code"), NULL;

  if (id != NULL && !sandbox_squarespace_is_hex_id (id))
    return invalid (error, "order id \"%s\" is not 24 hexadecimal digits", id), NULL;
  json_object_set_string_member (order, "id", id ? id : random_id);

  if (sandbox_get_int_member (partial, "orderNumber", &number_value))
    {
      number = g_strdup_printf ("%" G_GINT64_FORMAT, number_value);
      if (number_value >= self->sq_next_order_number && number_value < G_MAXUINT)
        self->sq_next_order_number = (guint) number_value + 1;
    }
  else
    number = g_strdup_printf ("%u", self->sq_next_order_number++);
  json_object_set_string_member (order, "orderNumber", number);

  created = sandbox_get_string_member (partial, "createdOn");
  if (created != NULL && !sandbox_parse_iso8601 (created, &ms))
    return invalid (error, "createdOn \"%s\" is not an ISO 8601 UTC date", created), NULL;
  if (created == NULL && self->sq_visibility_lag_ms > 0)
    {
      g_free (now);
      now = sandbox_format_iso8601_ms (sandbox_squarespace_stamp (self, 0));
    }
  json_object_set_string_member (order, "createdOn", created ? created : now);
  if (sandbox_get_string_member (partial, "modifiedOn") != NULL)
    {
      const char *modified = sandbox_get_string_member (partial, "modifiedOn");

      if (!sandbox_parse_iso8601 (modified, &ms))
        return invalid (error, "modifiedOn \"%s\" is not an ISO 8601 UTC date", modified), NULL;
      json_object_set_string_member (order, "modifiedOn", modified);
    }
  else
    json_object_set_string_member (order, "modifiedOn", created ? created : now);
  if (sandbox_parse_iso8601 (json_object_get_string_member (order, "modifiedOn"), &ms))
    self->sq_last_modified_ms = MAX (self->sq_last_modified_ms, ms);

  json_object_set_string_member (order, "channel", sandbox_get_string_member (partial, "channel") ?: "web");
  json_object_set_string_member (order, "channelName", sandbox_get_string_member (partial, "channelName") ?: "Squarespace");
  json_object_set_null_member (order, "externalOrderReference");
  json_object_set_boolean_member (order, "testmode",
                                  json_object_get_boolean_member_with_default (partial, "testmode", FALSE));
  if (sandbox_get_string_member (partial, "customerEmail") != NULL)
    json_object_set_string_member (order, "customerEmail", sandbox_get_string_member (partial, "customerEmail"));
  else
    json_object_set_null_member (order, "customerEmail");
  if (sandbox_get_string_member (partial, "customerId") != NULL)
    json_object_set_string_member (order, "customerId", sandbox_get_string_member (partial, "customerId"));
  else
    json_object_set_null_member (order, "customerId");

  node = json_object_get_member (partial, "billingAddress");
  json_object_set_object_member (order, "billingAddress",
                                 complete_address (node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL));
  node = json_object_get_member (partial, "shippingAddress");
  json_object_set_object_member (order, "shippingAddress",
                                 complete_address (node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL));

  if (status != NULL && !g_strv_contains (sandbox_squarespace_fulfillment_statuses, status))
    return invalid (error, "fulfillmentStatus must be PENDING, FULFILLED or CANCELED"), NULL;
  json_object_set_string_member (order, "fulfillmentStatus", status ? status : "PENDING");
  if (sandbox_get_string_member (partial, "fulfilledOn") != NULL)
    json_object_set_string_member (order, "fulfilledOn", sandbox_get_string_member (partial, "fulfilledOn"));
  else if (g_strcmp0 (status, "FULFILLED") == 0)
    json_object_set_string_member (order, "fulfilledOn", json_object_get_string_member (order, "modifiedOn"));
  else
    json_object_set_null_member (order, "fulfilledOn");
  json_object_set_string_member (order, "paymentState",
                                 sandbox_get_string_member (partial, "paymentState") ?: "PAID");

  if (lines_node == NULL || !JSON_NODE_HOLDS_ARRAY (lines_node) ||
      json_array_get_length (json_node_get_array (lines_node)) == 0)
    return invalid (error, "an order needs a non-empty lineItems array"), NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (lines_node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (lines_node), i);
      JsonObject *line;
      gint64 line_total;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, "lineItems must hold objects"), NULL;
      line = complete_line (self, json_node_get_object (element), currency, &line_total, error);
      if (line == NULL)
        return NULL;
      json_array_add_object_element (lines, line);
      subtotal += line_total;
    }
  json_object_set_array_member (order, "lineItems", g_steal_pointer (&lines));

  copy_or_default_array (order, partial, "internalNotes", FALSE);
  copy_or_default_array (order, partial, "shippingLines", FALSE);
  copy_or_default_array (order, partial, "discountLines", FALSE);
  copy_or_default_array (order, partial, "formSubmission", TRUE);
  copy_or_default_array (order, partial, "fulfillments", FALSE);

  if (!sum_amounts (order, "shippingLines", currency, &shipping, error) ||
      !sum_amounts (order, "discountLines", currency, &discount, error))
    return NULL;
  if (json_object_has_member (partial, "taxTotal") &&
      !read_money (partial, "taxTotal", currency, &tax, error))
    return NULL;

  if (!set_total (order, partial, "subtotal", subtotal, currency, error) ||
      !set_total (order, partial, "shippingTotal", shipping, currency, error) ||
      !set_total (order, partial, "discountTotal", discount, currency, error) ||
      !set_total (order, partial, "taxTotal", tax, currency, error) ||
      !set_total (order, partial, "refundedTotal", 0, currency, error) ||
      !set_total (order, partial, "grandTotal",
                  subtotal + shipping - discount + (g_strcmp0 (tax_interpretation, "INCLUSIVE") == 0 ? 0 : tax),
                  currency, error))
    return NULL;

  if (tax_interpretation != NULL &&
      !g_str_equal (tax_interpretation, "EXCLUSIVE") && !g_str_equal (tax_interpretation, "INCLUSIVE"))
    return invalid (error, "priceTaxInterpretation must be EXCLUSIVE or INCLUSIVE"), NULL;
  json_object_set_string_member (order, "priceTaxInterpretation", tax_interpretation ? tax_interpretation : "EXCLUSIVE");

  return g_steal_pointer (&order);
}

static JsonObject *
inventory_from_variant (JsonObject *variant)
{
  JsonObject *item = json_object_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *descriptor = NULL;
  const char *option = sandbox_get_string_member (variant, "name");
  gint64 stock = 0;

  sandbox_decimal_parse (json_object_get_member (variant, "available_stock"), &stock);
  if (option != NULL && *option != '\0')
    descriptor = g_strdup_printf ("%s [%s]", sandbox_get_string_member (variant, "product_name"), option);
  else
    descriptor = g_strdup (sandbox_get_string_member (variant, "product_name"));

  json_object_set_string_member (item, "variantId", uuid);
  json_object_set_string_member (item, "sku", sandbox_get_string_member (variant, "sku"));
  json_object_set_string_member (item, "descriptor", descriptor ? descriptor : "");
  json_object_set_boolean_member (item, "isUnlimited", FALSE);
  json_object_set_int_member (item, "quantity", MAX (stock / 10000, 0));
  return item;
}

gboolean
sandbox_squarespace_load (RelaySandbox  *self,
                          JsonObject    *scenario,
                          JsonObject    *tradegecko,
                          GError       **error)
{
  JsonNode *node;

  if (scenario != NULL && (node = json_object_get_member (scenario, "website")) != NULL)
    {
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, "squarespace.website must be an object");
      members = json_object_get_members (json_node_get_object (node));
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (self->sq_website, l->data,
                                json_node_copy (json_object_get_member (json_node_get_object (node), l->data)));
    }

  if (scenario != NULL && (node = json_object_get_member (scenario, "keys")) != NULL)
    {
      JsonArray *keys;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return invalid (error, "squarespace.keys must be an array");
      keys = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (keys); i++)
        {
          JsonNode *element = json_array_get_element (keys, i);
          const char *key, *permission;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            return invalid (error, "squarespace.keys must hold {\"key\", \"permission\"} objects");
          key = sandbox_get_string_member (json_node_get_object (element), "key");
          permission = sandbox_get_string_member (json_node_get_object (element), "permission");
          if (key == NULL || *key == '\0' ||
              (g_strcmp0 (permission, "read-write") != 0 && g_strcmp0 (permission, "read-only") != 0))
            return invalid (error, "each squarespace key needs \"key\" and \"permission\" "
                                   "(read-write or read-only)");
          g_hash_table_insert (self->sq_keys, g_strdup (key), g_strdup (permission));
          sandbox_stock_set_key_scope (self, key,
                                       sandbox_get_string_member (json_node_get_object (element), "inventory") ?: permission);
          if (sandbox_get_string_member (json_node_get_object (element), "products") != NULL)
            sandbox_products_set_key_scope (self, key,
                                            sandbox_get_string_member (json_node_get_object (element), "products"));
        }
    }

  if (scenario != NULL && (node = json_object_get_member (scenario, "inventory")) != NULL)
    {
      JsonArray *items;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return invalid (error, "squarespace.inventory must be an array");
      items = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *element = json_array_get_element (items, i);
          JsonObject *given, *item;
          g_autofree char *uuid = g_uuid_string_random ();
          gint64 quantity = 0;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            return invalid (error, "squarespace.inventory must hold objects");
          given = json_node_get_object (element);
          item = json_object_new ();
          json_object_set_string_member (item, "variantId", sandbox_get_string_member (given, "variantId") ?: uuid);
          json_object_set_string_member (item, "sku", sandbox_get_string_member (given, "sku") ?: "");
          json_object_set_string_member (item, "descriptor", sandbox_get_string_member (given, "descriptor") ?: "");
          json_object_set_boolean_member (item, "isUnlimited",
                                          json_object_get_boolean_member_with_default (given, "isUnlimited", FALSE));
          sandbox_get_int_member (given, "quantity", &quantity);
          json_object_set_int_member (item, "quantity", quantity);
          /* The Products API's basePrice, product type and modifiedOn; not part of the InventoryItem. */
          sandbox_products_set_price (self, json_object_get_string_member (item, "variantId"),
                                      sandbox_get_string_member (given, "price"));
          if (!sandbox_products_set_listing (self, json_object_get_string_member (item, "variantId"), given, error))
            {
              json_object_unref (item);
              return FALSE;
            }
          g_ptr_array_add (self->sq_inventory, item);
        }
    }
  else
    {
      /* Mirror TradeGecko: the store sells what the warehouse stocks. */
      for (guint i = 0; i < self->tg_variants->len; i++)
        {
          JsonObject *variant = g_ptr_array_index (self->tg_variants, i);
          const char *sku = sandbox_get_string_member (variant, "sku");

          if (sku != NULL && *sku != '\0' && find_inventory_by_sku (self, sku) == NULL &&
              g_strcmp0 (sandbox_get_string_member (variant, "status"), "active") == 0)
            {
              JsonObject *item = inventory_from_variant (variant);

              sandbox_products_set_price (self, json_object_get_string_member (item, "variantId"),
                                          sandbox_get_string_member (variant, "retail_price"));
              g_ptr_array_add (self->sq_inventory, item);
            }
        }
    }

  if (scenario != NULL && (node = json_object_get_member (scenario, "orders")) != NULL)
    {
      JsonArray *orders;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return invalid (error, "squarespace.orders must be an array");
      orders = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (orders); i++)
        {
          JsonNode *element = json_array_get_element (orders, i);
          JsonObject *order;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            return invalid (error, "squarespace.orders must hold objects");
          order = sandbox_squarespace_complete_order (self, json_node_get_object (element), error);
          if (order == NULL)
            {
              g_prefix_error (error, "squarespace.orders[%u]: ", i);
              return FALSE;
            }
          if (sandbox_squarespace_find_order (self, json_object_get_string_member (order, "id")) != NULL)
            {
              json_object_unref (order);
              return invalid (error, "squarespace.orders[%u]: duplicate id", i);
            }
          g_ptr_array_add (self->sq_orders, order);
        }
    }

  if (scenario != NULL)
    self->sq_expired = json_object_get_boolean_member_with_default (scenario, "expired", FALSE);

  return TRUE;
}
