/* relay-sandbox-squarespace.c — the Squarespace Commerce API (Orders, Inventory, website info)
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

static const char * const fulfillment_statuses[] = { "PENDING", "FULFILLED", "CANCELED", NULL };

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

static gboolean
is_hex_id (const char *id)
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
  for (guint i = 0; sku != NULL && i < self->sq_inventory->len; i++)
    {
      JsonObject *item = g_ptr_array_index (self->sq_inventory, i);

      if (g_strcmp0 (sandbox_get_string_member (item, "sku"), sku) == 0)
        return item;
    }
  return NULL;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID, message);
  return FALSE;
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

  if (id != NULL && !is_hex_id (id))
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

  if (status != NULL && !g_strv_contains (fulfillment_statuses, status))
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
          /* The Products API's basePrice; not part of the InventoryItem. */
          sandbox_products_set_price (self, json_object_get_string_member (item, "variantId"),
                                      sandbox_get_string_member (given, "price"));
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
  const char *after_text, *before_text, *status;
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
      after_text = sandbox_params_get (params, "modifiedAfter");
      before_text = sandbox_params_get (params, "modifiedBefore");
      status = sandbox_params_get (params, "fulfillmentStatus");

      if ((after_text == NULL) != (before_text == NULL))
        {
          invalid_request (self, reply, "MISSING_ARGUMENT",
                           "modifiedAfter and modifiedBefore must be given together.");
          goto out;
        }
      if (after_text != NULL)
        {
          if (!sandbox_parse_iso8601 (after_text, &after) || !sandbox_parse_iso8601 (before_text, &before))
            {
              invalid_request (self, reply, "INVALID_ARGUMENT",
                               "modifiedAfter and modifiedBefore must be ISO 8601 UTC dates.");
              goto out;
            }
          if (before <= after)
            {
              invalid_request (self, reply, "INVALID_ARGUMENT", "modifiedBefore must be after modifiedAfter.");
              goto out;
            }
          has_range = TRUE;
        }
      if (status != NULL && !g_strv_contains (fulfillment_statuses, status))
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

  if (!is_hex_id (order_id))
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
      if (!is_hex_id (parts[4]))
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
