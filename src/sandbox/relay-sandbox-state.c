/* relay-sandbox-state.c — what tests and the demo change and read back: Squarespace
 * orders added, cancelled and edited, TradeGecko orders shipped, rate limits, an expired site, the
 * visibility lag, revoked keys, the whole state
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

/**
 * relay_sandbox_add_squarespace_order:
 * @order: a partial Order object; missing members get defaults and totals are computed
 *
 * Returns: (transfer full): the new order's id, or %NULL with @error set
 */
char *
relay_sandbox_add_squarespace_order (RelaySandbox  *self,
                                     JsonObject    *order,
                                     GError       **error)
{
  g_autoptr(JsonObject) complete = NULL;
  char *id = NULL;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (order != NULL, NULL);

  g_mutex_lock (&self->mutex);
  complete = sandbox_squarespace_complete_order (self, order, error);
  if (complete != NULL)
    {
      const char *new_id = json_object_get_string_member (complete, "id");

      if (sandbox_squarespace_find_order (self, new_id) != NULL)
        g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                     "An order with id %s already exists", new_id);
      else
        {
          /* A new order is news to pollers: it is modified now, whatever its createdOn. */
          sandbox_squarespace_touch (self, complete);
          g_ptr_array_add (self->sq_orders, json_object_ref (complete));
          id = g_strdup (new_id);
        }
    }
  g_mutex_unlock (&self->mutex);

  return id;
}

static JsonObject *
find_sq_order_or_error (RelaySandbox  *self,
                        const char    *order_id,
                        GError       **error)
{
  JsonObject *order = sandbox_squarespace_find_order (self, order_id);

  if (order == NULL)
    g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND,
                 "No Squarespace order with id %s", order_id);
  return order;
}

gboolean
relay_sandbox_cancel_squarespace_order (RelaySandbox  *self,
                                        const char    *order_id,
                                        GError       **error)
{
  JsonObject *order;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (order_id != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  order = find_sq_order_or_error (self, order_id, error);
  if (order != NULL)
    {
      json_object_set_string_member (order, "fulfillmentStatus", "CANCELED");
      sandbox_squarespace_touch (self, order);
    }
  g_mutex_unlock (&self->mutex);

  return order != NULL;
}

static gboolean
merge_address (JsonObject  *address,
               JsonObject  *changes,
               GError     **error)
{
  static const char * const fields[] = {
    "firstName", "lastName", "address1", "address2", "city", "state", "countryCode",
    "postalCode", "phone", NULL
  };
  g_autoptr(GList) members = json_object_get_members (changes);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (changes, l->data);

      if (!g_strv_contains (fields, l->data))
        {
          g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                       "\"%s\" is not an Address field", (const char *) l->data);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_NULL (value) &&
          !(JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING))
        {
          g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                       "Address field \"%s\" must be a string or null", (const char *) l->data);
          return FALSE;
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (address, l->data, json_node_copy (json_object_get_member (changes, l->data)));

  return TRUE;
}

/* A refund as the merchant makes it in Squarespace: refundedTotal grows (up to
 * grandTotal, same currency); a full refund makes paymentState REFUNDED. */
static gboolean
apply_refund (JsonObject  *order,
              JsonNode    *node,
              GError     **error)
{
  JsonObject *grand = json_object_get_object_member (order, "grandTotal");
  JsonObject *money = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  gint64 refunded, total;

  if (money == NULL || g_strcmp0 (sandbox_get_string_member (money, "currency"),
                                  sandbox_get_string_member (grand, "currency")) != 0 ||
      !sandbox_decimal_parse (json_object_get_member (money, "value"), &refunded) ||
      !sandbox_decimal_parse (json_object_get_member (grand, "value"), &total) ||
      refunded < 0 || refunded > total)
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                   "refundedTotal must be money in the order's currency, at most its grandTotal");
      return FALSE;
    }

  json_object_set_member (order, "refundedTotal", json_node_copy (node));
  if (refunded == total)
    json_object_set_string_member (order, "paymentState", "REFUNDED");
  return TRUE;
}

/**
 * relay_sandbox_edit_squarespace_order:
 * @changes: `{"customerEmail": "…", "shippingAddress": {…}, "billingAddress": {…}}`, any subset;
 *   address members given replace the current ones
 */
gboolean
relay_sandbox_edit_squarespace_order (RelaySandbox  *self,
                                      const char    *order_id,
                                      JsonObject    *changes,
                                      GError       **error)
{
  JsonObject *order;
  gboolean ok = FALSE;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (order_id != NULL && changes != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  order = find_sq_order_or_error (self, order_id, error);
  if (order != NULL)
    {
      g_autoptr(JsonObject) edited = sandbox_object_copy (order);
      g_autoptr(GList) members = json_object_get_members (changes);

      ok = TRUE;
      for (GList *l = members; ok && l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_equal (name, "customerEmail"))
            {
              const char *email = sandbox_get_string_member (changes, name);

              if (email == NULL || strchr (email, '@') == NULL)
                {
                  g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                               "customerEmail must be an e-mail address");
                  ok = FALSE;
                }
              else
                json_object_set_string_member (edited, name, email);
            }
          else if (g_str_equal (name, "shippingAddress") || g_str_equal (name, "billingAddress"))
            {
              JsonNode *node = json_object_get_member (changes, name);

              if (!JSON_NODE_HOLDS_OBJECT (node))
                {
                  g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                               "%s must be an object", name);
                  ok = FALSE;
                }
              else
                ok = merge_address (json_object_get_object_member (edited, name),
                                    json_node_get_object (node), error);
            }
          else if (g_str_equal (name, "refundedTotal"))
            ok = apply_refund (edited, json_object_get_member (changes, name), error);
          else
            {
              g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                           "Only customerEmail, shippingAddress, billingAddress and refundedTotal can be edited, "
                           "not \"%s\"", name);
              ok = FALSE;
            }
        }

      if (ok)
        {
          g_autoptr(GList) edited_members = json_object_get_members (edited);

          for (GList *l = edited_members; l != NULL; l = l->next)
            json_object_set_member (order, l->data, json_node_copy (json_object_get_member (edited, l->data)));
          sandbox_squarespace_touch (self, order);
        }
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * relay_sandbox_ship_tradegecko_order:
 * @shipment: `{"status": "packed"|"fulfilled" (default), "tracking_company", "tracking_number",
 *   "tracking_url", "service", "lines": [{"order_line_item_id": N, "quantity": Q}]}`; without
 *   "lines" everything not yet in a fulfillment is shipped
 *
 * Returns: the new fulfillment's id, or -1 with @error set
 */
gint64
relay_sandbox_ship_tradegecko_order (RelaySandbox  *self,
                                     gint64         order_id,
                                     JsonObject    *shipment,
                                     GError       **error)
{
  gint64 id;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), -1);
  g_return_val_if_fail (shipment != NULL, -1);

  g_mutex_lock (&self->mutex);
  id = sandbox_tradegecko_ship (self, order_id, shipment, error);
  g_mutex_unlock (&self->mutex);

  return id;
}

/**
 * relay_sandbox_set_rate_limit:
 *
 * Squarespace: @limit requests per @window_seconds (counted from the first request of a window),
 * then 429 for @cooldown_seconds. TradeGecko: @limit requests per fixed window of
 * @window_seconds aligned to the clock, then 429 until the window ends (@cooldown_seconds unused).
 */
void
relay_sandbox_set_rate_limit (RelaySandbox    *self,
                              RelaySandboxApi  api,
                              guint            limit,
                              guint            window_seconds,
                              guint            cooldown_seconds)
{
  SandboxRateLimit *rate;

  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (limit > 0 && window_seconds > 0);

  g_mutex_lock (&self->mutex);
  rate = api == RELAY_SANDBOX_API_SQUARESPACE ? &self->sq_rate : &self->tg_rate;
  rate->limit = limit;
  rate->window_seconds = window_seconds;
  rate->cooldown_seconds = cooldown_seconds;
  rate->window_start = 0;
  rate->count = 0;
  rate->cooldown_until = 0;
  g_mutex_unlock (&self->mutex);
}

void
relay_sandbox_set_site_expired (RelaySandbox *self,
                                gboolean      expired)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->sq_expired = !!expired;
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_set_visibility_lag:
 * @self: a #RelaySandbox
 * @seconds: how long after its modifiedOn a Squarespace change shows; 0 for at once
 *
 * Makes Squarespace's listings lag behind its orders, as a search index may:
 * every change from now on is stamped @seconds before the moment it shows,
 * so a poller that trusts modifiedOn to be recent misses it. Direct reads of
 * an order are not affected.
 */
void
relay_sandbox_set_visibility_lag (RelaySandbox *self,
                                  guint         seconds)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->sq_visibility_lag_ms = (gint64) seconds * 1000;
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_revoke_key:
 * @key: a Squarespace API key or a TradeGecko access token
 *
 * Revokes @key as the store's owner would in the store's settings: from now on every request
 * made with it gets the API's documented 401 (Squarespace `AUTHORIZATION_ERROR`, TradeGecko
 * `Unauthorized`). Nothing else changes. Loading a scenario forgets revocations.
 */
void
relay_sandbox_revoke_key (RelaySandbox *self,
                          const char   *key)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->revoked_keys, g_strdup (key));
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_restore_key:
 * @key: a key earlier passed to relay_sandbox_revoke_key()
 *
 * Undoes relay_sandbox_revoke_key() (a test convenience; the real APIs cannot do this): the key
 * works again with the permission it had.
 */
void
relay_sandbox_restore_key (RelaySandbox *self,
                           const char   *key)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->revoked_keys, key);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_dup_state:
 *
 * Returns: (transfer full): `{"squarespace": {website, orders, inventory, expired},
 *   "tradegecko": {variants, companies, addresses, orders, order_line_items, fulfillments,
 *   fulfillment_line_items}}`
 */
JsonNode *
relay_sandbox_dup_state (RelaySandbox *self)
{
  g_autoptr(JsonNode) shared = NULL;
  JsonObject *root = json_object_new ();
  JsonObject *sq = json_object_new ();
  JsonObject *tg = json_object_new ();
  JsonNode *copy;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);

  g_mutex_lock (&self->mutex);
  json_object_set_object_member (sq, "website", json_object_ref (self->sq_website));
  json_object_set_array_member (sq, "orders", sandbox_array_of (self->sq_orders));
  json_object_set_array_member (sq, "inventory", sandbox_array_of (self->sq_inventory));
  json_object_set_boolean_member (sq, "expired", self->sq_expired);
  json_object_set_array_member (tg, "variants", sandbox_array_of (self->tg_variants));
  json_object_set_array_member (tg, "companies", sandbox_array_of (self->tg_companies));
  json_object_set_array_member (tg, "addresses", sandbox_array_of (self->tg_addresses));
  json_object_set_array_member (tg, "orders", sandbox_array_of (self->tg_orders));
  json_object_set_array_member (tg, "tax_types", sandbox_array_of (self->tg_tax_types));
  json_object_set_array_member (tg, "order_line_items", sandbox_array_of (self->tg_order_line_items));
  json_object_set_array_member (tg, "fulfillments", sandbox_array_of (self->tg_fulfillments));
  json_object_set_array_member (tg, "fulfillment_line_items", sandbox_array_of (self->tg_fulfillment_line_items));
  json_object_set_object_member (root, "squarespace", sq);
  json_object_set_object_member (root, "tradegecko", tg);
  shared = sandbox_node_take_object (root);
  copy = sandbox_deep_copy (shared);
  g_mutex_unlock (&self->mutex);

  return copy;
}
