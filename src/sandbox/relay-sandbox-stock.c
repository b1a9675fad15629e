/* relay-sandbox-stock.c — stock in both sandboxes: Squarespace's Inventory API
 * (adjustments with Idempotency-Key, per-scope key permissions) and TradeGecko's per-location
 * variant stock, which the control interface changes as a warehouse receives or counts goods.
 *
 * Kept apart from relay-sandbox-{squarespace,tradegecko}.c so the order endpoints and the
 * stock endpoints can change independently.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

#define INVENTORY_PATH   "/1.0/commerce/inventory"
#define ADJUSTMENTS_PATH "/1.0/commerce/inventory/adjustments"
#define MAX_OPERATIONS   50
#define MAX_STOCK        1000000   /* STOCK_EXCEEDS_MAX above this */

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                       */

void
sandbox_stock_reset (RelaySandbox *self)
{
  g_clear_pointer (&self->sq_inventory_scopes, g_hash_table_unref);
  self->sq_inventory_scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (self->sq_inventory_scopes, g_strdup (RELAY_SANDBOX_SQUARESPACE_KEY), g_strdup ("read-write"));
  g_hash_table_insert (self->sq_inventory_scopes, g_strdup (RELAY_SANDBOX_SQUARESPACE_READONLY_KEY), g_strdup ("read-only"));
  /* A key made before stock sync: orders read and write, inventory read only. */
  g_hash_table_insert (self->sq_keys, g_strdup (RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY), g_strdup ("read-write"));
  g_hash_table_insert (self->sq_inventory_scopes, g_strdup (RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY), g_strdup ("read-only"));

  g_clear_pointer (&self->sq_adjustment_keys, g_hash_table_unref);
  self->sq_adjustment_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sq_adjustments_applied = 0;
  self->sq_adjustments_replayed = 0;
  self->sq_operations_applied = 0;
}

void
sandbox_stock_finalize (RelaySandbox *self)
{
  g_clear_pointer (&self->sq_inventory_scopes, g_hash_table_unref);
  g_clear_pointer (&self->sq_adjustment_keys, g_hash_table_unref);
}

/* A scenario key's "inventory" member, else the same level as its orders permission. */
void
sandbox_stock_set_key_scope (RelaySandbox *self,
                             const char   *key,
                             const char   *inventory)
{
  g_hash_table_insert (self->sq_inventory_scopes, g_strdup (key), g_strdup (inventory));
}

static const char *
inventory_scope (RelaySandbox *self,
                 const char   *key)
{
  const char *scope = g_hash_table_lookup (self->sq_inventory_scopes, key);

  return scope != NULL ? scope : "none";
}

/* ------------------------------------------------------------------------------------------ */
/* TradeGecko: per-location stock                                                               */

static gint64
decimal_member (JsonObject *object,
                const char *member)
{
  gint64 e4 = 0;

  sandbox_decimal_parse (json_object_get_member (object, member), &e4);
  return e4;
}

static void
set_decimal_member (JsonObject *object,
                    const char *member,
                    gint64      e4)
{
  g_autofree char *text = sandbox_decimal_format (e4);

  json_object_set_string_member (object, member, text);
}

static JsonObject *
location_entry_new (gint64 location_id)
{
  JsonObject *entry = json_object_new ();

  json_object_set_int_member (entry, "location_id", location_id);
  json_object_set_string_member (entry, "stock_on_hand", "0");
  json_object_set_string_member (entry, "committed", "0");
  json_object_set_null_member (entry, "incoming");
  json_object_set_null_member (entry, "bin_location");
  json_object_set_null_member (entry, "reorder_point");
  json_object_set_string_member (entry, "production_committed", "0");
  json_object_set_string_member (entry, "production_incoming", "0");
  json_object_set_string_member (entry, "available", "0");
  return entry;
}

/* The entry of @location_id in the variant's locations[] (0: the first), made when missing. */
static JsonObject *
location_entry (JsonObject *variant,
                gint64      location_id)
{
  JsonArray *locations;

  if (!json_object_has_member (variant, "locations") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (variant, "locations")))
    json_object_set_array_member (variant, "locations", json_array_new ());
  locations = json_object_get_array_member (variant, "locations");

  for (guint i = 0; i < json_array_get_length (locations); i++)
    {
      JsonObject *entry = json_array_get_object_element (locations, i);

      if (location_id == 0 || json_object_get_int_member (entry, "location_id") == location_id)
        return entry;
    }

  json_array_add_object_element (locations, location_entry_new (location_id != 0 ? location_id : 1));
  return json_array_get_object_element (locations, json_array_get_length (locations) - 1);
}

/* The totals and the deprecated per-location maps follow locations[], so no figure disagrees. */
static void
recompute_totals (JsonObject *variant)
{
  JsonArray *locations = json_object_get_array_member (variant, "locations");
  JsonObject *levels = json_object_new ();
  JsonObject *committed_levels = json_object_new ();
  gint64 on_hand = 0, committed = 0;

  for (guint i = 0; i < json_array_get_length (locations); i++)
    {
      JsonObject *entry = json_array_get_object_element (locations, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (entry, "location_id"));
      gint64 entry_on_hand = decimal_member (entry, "stock_on_hand");
      gint64 entry_committed = decimal_member (entry, "committed");
      g_autofree char *on_hand_text = sandbox_decimal_format (entry_on_hand);
      g_autofree char *committed_text = sandbox_decimal_format (entry_committed);

      set_decimal_member (entry, "available", entry_on_hand - entry_committed);
      json_object_set_string_member (levels, id, on_hand_text);
      json_object_set_string_member (committed_levels, id, committed_text);
      on_hand += entry_on_hand;
      committed += entry_committed;
    }

  set_decimal_member (variant, "stock_on_hand", on_hand);
  set_decimal_member (variant, "committed_stock", committed);
  set_decimal_member (variant, "available_stock", on_hand - committed);
  json_object_set_object_member (variant, "stock_levels", levels);
  json_object_set_object_member (variant, "committed_stock_levels", committed_levels);
}

/**
 * sandbox_stock_adjust_location:
 * @location_id: the location, or 0 for the variant's first
 *
 * Orders commit and ship stock at a location; the variant's totals follow.
 */
void
sandbox_stock_adjust_location (JsonObject *variant,
                               gint64      location_id,
                               gint64      on_hand_delta,
                               gint64      committed_delta)
{
  JsonObject *entry = location_entry (variant, location_id);

  set_decimal_member (entry, "stock_on_hand", decimal_member (entry, "stock_on_hand") + on_hand_delta);
  set_decimal_member (entry, "committed", decimal_member (entry, "committed") + committed_delta);
  recompute_totals (variant);
}

static void
set_location (JsonObject *variant,
              gint64      location_id,
              gint64      on_hand,
              gint64      committed)
{
  JsonObject *entry = location_entry (variant, location_id);

  set_decimal_member (entry, "stock_on_hand", on_hand);
  set_decimal_member (entry, "committed", committed);
  recompute_totals (variant);
}

/* Scenario variants may give "keep_selling", "max_online" and "locations":
 * [{"location_id": 2, "stock_on_hand": 5, "committed": 1}] instead of the totals. */
gboolean
sandbox_stock_load_variant (JsonObject  *variant,
                            JsonObject  *given,
                            GError     **error)
{
  JsonNode *node;

  json_object_set_boolean_member (variant, "keep_selling",
                                  json_object_get_boolean_member_with_default (given, "keep_selling", FALSE));
  node = json_object_get_member (given, "max_online");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      gint64 e4;

      if (!sandbox_decimal_parse (node, &e4) || e4 < 0)
        {
          g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID, "max_online must be a number ≥ 0");
          return FALSE;
        }
      set_decimal_member (variant, "max_online", e4);
    }

  node = json_object_get_member (given, "locations");
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID, "locations must be an array");
      return FALSE;
    }

  json_object_set_array_member (variant, "locations", json_array_new ());
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      JsonObject *entry;
      gint64 location_id = 0;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !sandbox_get_int_member ((entry = json_node_get_object (element)), "location_id", &location_id) ||
          location_id <= 0)
        {
          g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                       "locations[%u] needs a positive location_id", i);
          return FALSE;
        }
      set_location (variant, location_id, decimal_member (entry, "stock_on_hand"), decimal_member (entry, "committed"));
    }
  recompute_totals (variant);
  return TRUE;
}

/**
 * relay_sandbox_set_tradegecko_stock:
 * @variant_id: the TradeGecko variant
 * @location_id: the location (0: the variant's first)
 * @on_hand: the new count on hand (whole units)
 *
 * The warehouse receives or counts goods: on-hand changes, committed stays, and the variant's
 * `updated_at` moves so `updated_at_min` queries see it.
 */
gboolean
relay_sandbox_set_tradegecko_stock (RelaySandbox  *self,
                                    gint64         variant_id,
                                    gint64         location_id,
                                    gint64         on_hand,
                                    GError       **error)
{
  JsonObject *variant;
  gboolean found;

  g_mutex_lock (&self->mutex);
  variant = sandbox_find_by_int_id (self->tg_variants, variant_id);
  found = variant != NULL;
  if (found)
    {
      g_autofree char *now = sandbox_format_iso8601_ms (sandbox_now_ms ());
      JsonObject *entry = location_entry (variant, location_id);

      set_location (variant, json_object_get_int_member (entry, "location_id"),
                    on_hand * 10000, decimal_member (entry, "committed"));
      json_object_set_string_member (variant, "updated_at", now);
    }
  g_mutex_unlock (&self->mutex);

  if (!found)
    g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND,
                 "no TradeGecko variant %" G_GINT64_FORMAT, variant_id);
  return found;
}

/**
 * relay_sandbox_set_tradegecko_keep_selling:
 * @variant_id: the TradeGecko variant
 * @keep_selling: whether it may be sold at zero or negative stock
 *
 * The merchant changes the variant's `keep_selling` in TradeGecko; its `updated_at` moves.
 */
gboolean
relay_sandbox_set_tradegecko_keep_selling (RelaySandbox  *self,
                                           gint64         variant_id,
                                           gboolean       keep_selling,
                                           GError       **error)
{
  JsonObject *variant;

  g_mutex_lock (&self->mutex);
  variant = sandbox_find_by_int_id (self->tg_variants, variant_id);
  if (variant != NULL)
    {
      g_autofree char *now = sandbox_format_iso8601_ms (sandbox_now_ms ());

      json_object_set_boolean_member (variant, "keep_selling", keep_selling);
      json_object_set_string_member (variant, "updated_at", now);
    }
  g_mutex_unlock (&self->mutex);

  if (variant == NULL)
    g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND,
                 "no TradeGecko variant %" G_GINT64_FORMAT, variant_id);
  return variant != NULL;
}

/**
 * sandbox_stock_levels:
 *
 * `GET /stock_levels` (tradegecko-api.md §5.1): read only, one record per active variant
 * with `stock_on_hand`, `committed_stock`, `available_stock`, `incoming_stock` and
 * `locations[]`, and the variant's id and times so the common index filters apply.
 *
 * Returns: (transfer container) (element-type JsonObject): new records
 */
GPtrArray *
sandbox_stock_levels (RelaySandbox *self)
{
  static const char *copied[] = { "stock_on_hand", "committed_stock", "available_stock", "incoming_stock",
                                  "created_at", "updated_at" };
  GPtrArray *levels = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < self->tg_variants->len; i++)
    {
      JsonObject *variant = g_ptr_array_index (self->tg_variants, i);
      JsonObject *level;
      JsonNode *locations;

      if (g_strcmp0 (sandbox_get_string_member (variant, "status"), "active") != 0)
        continue;
      level = json_object_new ();
      json_object_set_int_member (level, "id", json_object_get_int_member (variant, "id"));
      json_object_set_int_member (level, "variant_id", json_object_get_int_member (variant, "id"));
      for (guint j = 0; j < G_N_ELEMENTS (copied); j++)
        if (json_object_has_member (variant, copied[j]))
          json_object_set_member (level, copied[j], json_node_copy (json_object_get_member (variant, copied[j])));
      locations = json_object_get_member (variant, "locations");
      json_object_set_member (level, "locations",
                              locations != NULL ? json_node_copy (locations) : json_node_init_array (json_node_alloc (), json_array_new ()));
      g_ptr_array_add (levels, level);
    }
  return levels;
}

/* ------------------------------------------------------------------------------------------ */
/* Squarespace: Inventory                                                                      */

static JsonObject *
find_item (RelaySandbox *self,
           const char   *variant_id)
{
  for (guint i = 0; i < self->sq_inventory->len; i++)
    {
      JsonObject *item = g_ptr_array_index (self->sq_inventory, i);

      if (g_strcmp0 (sandbox_get_string_member (item, "variantId"), variant_id) == 0)
        return item;
    }
  return NULL;
}

static void
refuse (RelaySandbox *self,
        SandboxReply *reply,
        const char   *message)
{
  sandbox_squarespace_error (self, reply, 403, "AUTHORIZATION_ERROR", "MISSING_SCOPE", message);
}

static void
bad (RelaySandbox *self,
     SandboxReply *reply,
     const char   *subtype,
     const char   *message)
{
  sandbox_squarespace_error (self, reply, 400, "INVALID_REQUEST_ERROR", subtype, message);
}

static void
get_items (RelaySandbox *self,
           const char   *ids_text,
           SandboxReply *reply)
{
  g_auto(GStrv) ids = g_strsplit (ids_text, ",", -1);
  JsonArray *items;
  JsonObject *body;

  if (g_strv_length (ids) > 50)
    {
      bad (self, reply, "INVALID_ARGUMENT", "At most 50 inventory ids per request.");
      return;
    }

  items = json_array_new ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      JsonObject *item = find_item (self, ids[i]);

      if (item == NULL)
        {
          json_array_unref (items);
          sandbox_squarespace_error (self, reply, 404, "INVALID_REQUEST_ERROR", "INVALID_ARGUMENT",
                                     "Inventory item not found.");
          return;
        }
      json_array_add_object_element (items, json_object_ref (item));
    }

  body = json_object_new ();
  json_object_set_array_member (body, "inventory", items);
  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

typedef struct
{
  JsonObject *item;
  const char *kind;   /* "increment", "decrement", "set-finite", "set-unlimited" */
  gint64      quantity;
} Operation;

/* Reads one operation array into @ops; FALSE (and @reply set) on a documented 400. */
static gboolean
read_operations (RelaySandbox *self,
                 JsonObject   *body,
                 const char   *member,
                 const char   *kind,
                 GArray       *ops,
                 GHashTable   *seen,
                 SandboxReply *reply)
{
  JsonNode *node = json_object_get_member (body, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bad (self, reply, "INVALID_ARGUMENT", "Operation lists must be arrays."), FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Operation op = { NULL, kind, 0 };
      const char *variant_id = NULL;

      if (g_str_equal (kind, "set-unlimited"))
        {
          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            variant_id = json_node_get_string (element);
        }
      else if (JSON_NODE_HOLDS_OBJECT (element))
        {
          JsonObject *object = json_node_get_object (element);
          JsonNode *quantity = json_object_get_member (object, "quantity");

          variant_id = sandbox_get_string_member (object, "variantId");
          if (quantity == NULL || !JSON_NODE_HOLDS_VALUE (quantity) ||
              json_node_get_value_type (quantity) != G_TYPE_INT64)
            return bad (self, reply, "INVALID_ARGUMENT", "quantity must be an integer."), FALSE;
          op.quantity = json_node_get_int (quantity);
          if (op.quantity < (g_str_equal (kind, "set-finite") ? 0 : 1))
            return bad (self, reply, "INVALID_ARGUMENT", "The quantity is not valid for this operation."), FALSE;
        }

      if (variant_id == NULL)
        return bad (self, reply, "MISSING_ARGUMENT", "variantId is required."), FALSE;
      op.item = find_item (self, variant_id);
      if (op.item == NULL)
        return bad (self, reply, "INVALID_ARGUMENT", "Unknown inventory item."), FALSE;
      if (!g_hash_table_add (seen, (gpointer) variant_id))
        return bad (self, reply, "INVALID_ARGUMENT", "An item may appear in only one operation."), FALSE;
      g_array_append_val (ops, op);
    }
  return TRUE;
}

/* All or nothing: every operation is checked before any is applied. */
static gboolean
check_operations (RelaySandbox *self,
                  GArray       *ops,
                  SandboxReply *reply)
{
  for (guint i = 0; i < ops->len; i++)
    {
      Operation *op = &g_array_index (ops, Operation, i);
      gboolean unlimited = json_object_get_boolean_member (op->item, "isUnlimited");
      gint64 quantity = json_object_get_int_member (op->item, "quantity");
      gboolean relative = g_str_equal (op->kind, "increment") || g_str_equal (op->kind, "decrement");

      if (relative && unlimited)
        return sandbox_squarespace_error (self, reply, 409, "CONFLICT", "STOCK_NOT_TRACKED",
                                          "The item's stock is not tracked."), FALSE;
      if (g_str_equal (op->kind, "decrement") && quantity - op->quantity < 0)
        return sandbox_squarespace_error (self, reply, 409, "CONFLICT", "INSUFFICIENT_STOCK",
                                          "Not enough stock."), FALSE;
      if ((g_str_equal (op->kind, "increment") && quantity + op->quantity > MAX_STOCK) ||
          (g_str_equal (op->kind, "set-finite") && op->quantity > MAX_STOCK))
        return sandbox_squarespace_error (self, reply, 409, "CONFLICT", "STOCK_EXCEEDS_MAX",
                                          "The stock would exceed the maximum."), FALSE;
    }
  return TRUE;
}

static void
apply_operations (RelaySandbox *self,
                  GArray       *ops)
{
  for (guint i = 0; i < ops->len; i++)
    {
      Operation *op = &g_array_index (ops, Operation, i);
      gint64 quantity = json_object_get_int_member (op->item, "quantity");

      if (g_str_equal (op->kind, "set-unlimited"))
        json_object_set_boolean_member (op->item, "isUnlimited", TRUE);
      else if (g_str_equal (op->kind, "set-finite"))
        {
          json_object_set_boolean_member (op->item, "isUnlimited", FALSE);
          json_object_set_int_member (op->item, "quantity", op->quantity);
        }
      else
        json_object_set_int_member (op->item, "quantity",
                                    quantity + (g_str_equal (op->kind, "increment") ? op->quantity : -op->quantity));
    }
  self->sq_adjustments_applied++;
  self->sq_operations_applied += ops->len;
}

static gboolean
is_valid_idempotency_key (const char *key)
{
  gsize length = key != NULL ? strlen (key) : 0;

  if (length == 0 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (key[i]) && key[i] != '-' && key[i] != '_')
      return FALSE;
  return TRUE;
}

/* What a delayed adjustment holds while the sandbox "works" on it: "idempotency:KEY". */
char *
sandbox_stock_in_flight_key (SoupServerMessage *msg)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Idempotency-Key");

  if (!g_str_equal (g_uri_get_path (soup_server_message_get_uri (msg)), ADJUSTMENTS_PATH) || key == NULL)
    return NULL;
  return g_strconcat ("idempotency:", key, NULL);
}

/* Same key, same body: the first answer again, nothing applied. Same key, other body: 400. */
static void
post_adjustments (RelaySandbox      *self,
                  SoupServerMessage *msg,
                  const char        *key,
                  SandboxReply      *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *idempotency_key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autofree char *text = g_strndup (request_body->data ? request_body->data : "", request_body->length);
  static const char *members[] = { "incrementOperations", "decrementOperations",
                                   "setFiniteOperations", "setUnlimitedOperations" };
  static const char *kinds[] = { "increment", "decrement", "set-finite", "set-unlimited" };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) ops = NULL;
  g_autoptr(GHashTable) seen = NULL;
  const char *earlier;

  if (!g_str_equal (inventory_scope (self, key), "read-write"))
    {
      refuse (self, reply, "This API key does not have permission to manage inventory.");
      return;
    }
  if (!is_valid_idempotency_key (idempotency_key))
    {
      bad (self, reply, idempotency_key ? "INVALID_ARGUMENT" : "MISSING_ARGUMENT",
           "An Idempotency-Key of up to 64 letters, digits, dashes or underscores is required.");
      return;
    }

  {
    g_autofree char *in_flight = sandbox_stock_in_flight_key (msg);

    if (in_flight != NULL && g_hash_table_contains (self->sq_in_progress, in_flight))
      {
        sandbox_squarespace_error (self, reply, 409, "CONFLICT", "CONCURRENT_MODIFICATION",
                                   "A request with this Idempotency-Key is still in progress.");
        return;
      }
  }

  earlier = g_hash_table_lookup (self->sq_adjustment_keys, idempotency_key);
  if (earlier != NULL)
    {
      if (!g_str_equal (earlier, text))
        {
          bad (self, reply, "INVALID_ARGUMENT", "The Idempotency-Key was used with other parameters.");
          return;
        }
      self->sq_adjustments_replayed++;
      sandbox_reply_set (reply, 204, NULL);
      return;
    }

  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bad (self, reply, "INVALID_ARGUMENT", "The body must be a JSON object.");
      return;
    }

  ops = g_array_new (FALSE, FALSE, sizeof (Operation));
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (!read_operations (self, json_node_get_object (root), members[i], kinds[i], ops, seen, reply))
      return;
  if (ops->len == 0)
    {
      bad (self, reply, "MISSING_ARGUMENT", "At least one operation is required.");
      return;
    }
  if (ops->len > MAX_OPERATIONS)
    {
      bad (self, reply, "INVALID_ARGUMENT", "At most 50 operations per request.");
      return;
    }
  if (!check_operations (self, ops, reply))
    return;

  apply_operations (self, ops);
  /* Only successful keys are kept: a failed request may be sent again with the same key. */
  g_hash_table_insert (self->sq_adjustment_keys, g_strdup (idempotency_key), g_steal_pointer (&text));
  sandbox_reply_set (reply, 204, NULL);
}

/**
 * sandbox_stock_handle:
 *
 * Answers the Inventory paths beyond the full list.
 *
 * Returns: %TRUE when @path was one of them (and @reply is set)
 */
gboolean
sandbox_stock_handle (RelaySandbox      *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      const char        *key,
                      SandboxReply      *reply)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, ADJUSTMENTS_PATH))
    {
      if (!g_str_equal (method, "POST"))
        sandbox_squarespace_error (self, reply, 405, "METHOD_NOT_ALLOWED", NULL, "Method not allowed.");
      else
        post_adjustments (self, msg, key, reply);
      return TRUE;
    }

  if (g_str_equal (path, INVENTORY_PATH) || g_str_has_prefix (path, INVENTORY_PATH "/"))
    {
      if (g_str_equal (inventory_scope (self, key), "none"))
        {
          refuse (self, reply, "This API key has no access to inventory.");
          return TRUE;
        }
      if (g_str_equal (path, INVENTORY_PATH))
        return FALSE;   /* the paged list lives with the other Squarespace reads */
      if (!g_str_equal (method, "GET"))
        sandbox_squarespace_error (self, reply, 405, "METHOD_NOT_ALLOWED", NULL, "Method not allowed.");
      else
        get_items (self, path + strlen (INVENTORY_PATH "/"), reply);
      return TRUE;
    }

  return FALSE;
}

/* {"applied": batches applied, "replayed": replays answered, "operations": operations applied} */
JsonNode *
relay_sandbox_dup_adjustment_counts (RelaySandbox *self)
{
  JsonObject *counts = json_object_new ();

  g_mutex_lock (&self->mutex);
  json_object_set_int_member (counts, "applied", self->sq_adjustments_applied);
  json_object_set_int_member (counts, "replayed", self->sq_adjustments_replayed);
  json_object_set_int_member (counts, "operations", self->sq_operations_applied);
  g_mutex_unlock (&self->mutex);

  return sandbox_node_take_object (counts);
}
