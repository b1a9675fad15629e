/* relay-sandbox-tradegecko-variants.c — TradeGecko variants: completing a scenario's variants
 * and keeping their stock figures in step
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaviour follows the TradeGecko API reference as docs/sandbox.md (“TradeGecko”) restates it,
 * section by section; where the reference leaves a choice open, the choice is named in a comment
 * here and marked UNCONFIRMED there.
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-tradegecko-private.h"

/* Every stock figure is derived from on-hand and committed, so they never disagree. */
static void
variant_set_stock (JsonObject *variant,
                   gint64      on_hand,
                   gint64      committed)
{
  JsonArray *locations = json_array_new ();
  JsonObject *location = json_object_new ();
  JsonObject *levels = json_object_new ();
  JsonObject *committed_levels = json_object_new ();
  g_autofree char *on_hand_text = sandbox_decimal_format (on_hand);
  g_autofree char *committed_text = sandbox_decimal_format (committed);

  set_decimal (variant, "stock_on_hand", on_hand);
  set_decimal (variant, "committed_stock", committed);
  set_decimal (variant, "available_stock", on_hand - committed);

  json_object_set_int_member (location, "location_id", 1);
  set_decimal (location, "stock_on_hand", on_hand);
  set_decimal (location, "committed", committed);
  json_object_set_null_member (location, "incoming");
  json_object_set_null_member (location, "bin_location");
  json_object_set_null_member (location, "reorder_point");
  json_object_set_string_member (location, "production_committed", "0");
  json_object_set_string_member (location, "production_incoming", "0");
  set_decimal (location, "available", on_hand - committed);
  json_array_add_object_element (locations, location);
  json_object_set_array_member (variant, "locations", locations);

  json_object_set_string_member (levels, "1", on_hand_text);
  json_object_set_object_member (variant, "stock_levels", levels);
  json_object_set_string_member (committed_levels, "1", committed_text);
  json_object_set_object_member (variant, "committed_stock_levels", committed_levels);
}

void
sandbox_tg_variant_adjust_stock (JsonObject *variant,
                                 gint64      on_hand_delta,
                                 gint64      committed_delta)
{
  if (!json_object_get_boolean_member_with_default (variant, "manage_stock", TRUE))
    return;

  /* At the variant's first location: where the sandbox's orders take stock from. */
  sandbox_stock_adjust_location (variant, 0, on_hand_delta, committed_delta);
  touch (variant);
}

static gboolean
read_price (JsonObject  *given,
            const char  *member,
            gint64       fallback,
            gint64      *e4,
            GError     **error)
{
  JsonNode *node = json_object_get_member (given, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *e4 = fallback;
      return TRUE;
    }
  if (!sandbox_decimal_parse (node, e4))
    return invalid (error, "%s must be a number", member);
  return TRUE;
}

JsonObject *
sandbox_tg_complete_variant (RelaySandbox  *self,
                             JsonObject    *given,
                             GError       **error)
{
  g_autoptr(JsonObject) variant = json_object_new ();
  g_autofree char *now = now_text ();
  const char *product_name = sandbox_get_string_member (given, "product_name");
  const char *name = sandbox_get_string_member (given, "name");
  const char *status = sandbox_get_string_member (given, "status");
  JsonArray *prices_list = json_array_new ();
  JsonObject *prices = json_object_new ();
  gint64 id, product_id, retail, wholesale, buy, on_hand, committed;
  const char *lists[] = { "retail", "wholesale", "buy" };
  gint64 values[3];

  if (product_name == NULL)
    {
      json_array_unref (prices_list);
      json_object_unref (prices);
      return invalid (error, "every variant needs a product_name"), NULL;
    }
  if (!read_price (given, "retail_price", 0, &retail, error) ||
      !read_price (given, "wholesale_price", retail, &wholesale, error) ||
      !read_price (given, "buy_price", 0, &buy, error) ||
      !read_price (given, "stock_on_hand", 0, &on_hand, error) ||
      !read_price (given, "committed_stock", 0, &committed, error))
    {
      json_array_unref (prices_list);
      json_object_unref (prices);
      return NULL;
    }

  if (!sandbox_get_int_member (given, "id", &id))
    id = self->tg_next_id++;
  else
    self->tg_next_id = MAX (self->tg_next_id, id + 1);
  if (!sandbox_get_int_member (given, "product_id", &product_id))
    product_id = self->tg_next_id++;

  json_object_set_int_member (variant, "id", id);
  json_object_set_string_member (variant, "created_at", now);
  json_object_set_string_member (variant, "updated_at", now);
  json_object_set_int_member (variant, "product_id", product_id);
  /* TradeGecko neither requires nor de-duplicates SKUs: "" and repeats stay as given. */
  json_object_set_string_member (variant, "sku", sandbox_get_string_member (given, "sku") ?: "");
  set_string_or_null (variant, "name", name);
  json_object_set_string_member (variant, "product_name", product_name);
  json_object_set_string_member (variant, "product_status", "active");
  set_string_or_null (variant, "product_type", sandbox_get_string_member (given, "product_type"));
  json_object_set_string_member (variant, "status", status ? status : "active");
  json_object_set_null_member (variant, "description");
  json_object_set_null_member (variant, "upc");
  json_object_set_null_member (variant, "supplier_code");
  set_string_or_null (variant, "opt1", name);
  json_object_set_null_member (variant, "opt2");
  json_object_set_null_member (variant, "opt3");
  json_object_set_int_member (variant, "position", 1);
  set_decimal (variant, "retail_price", retail);
  set_decimal (variant, "wholesale_price", wholesale);
  set_decimal (variant, "buy_price", buy);
  set_decimal (variant, "last_cost_price", buy);
  set_decimal (variant, "moving_average_cost", buy);
  json_object_set_string_member (variant, "incoming_stock", "0");
  json_object_set_boolean_member (variant, "manage_stock",
                                  json_object_get_boolean_member_with_default (given, "manage_stock", TRUE));
  json_object_set_boolean_member (variant, "keep_selling", FALSE);
  json_object_set_null_member (variant, "max_online");
  json_object_set_boolean_member (variant, "sellable", TRUE);
  json_object_set_boolean_member (variant, "taxable", TRUE);
  json_object_set_boolean_member (variant, "online_ordering", TRUE);
  json_object_set_null_member (variant, "composite");
  json_object_set_null_member (variant, "weight");
  json_object_set_null_member (variant, "weight_unit");
  json_object_set_null_member (variant, "hs_code");
  json_object_set_null_member (variant, "country_of_origin");
  json_object_set_array_member (variant, "image_ids", json_array_new ());

  values[0] = retail;
  values[1] = wholesale;
  values[2] = buy;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *value = sandbox_decimal_format (values[i]);

      json_object_set_string_member (entry, "price_list_id", lists[i]);
      json_object_set_string_member (entry, "value", value);
      json_array_add_object_element (prices_list, entry);
      json_object_set_string_member (prices, lists[i], value);
    }
  json_object_set_array_member (variant, "variant_prices", prices_list);
  json_object_set_object_member (variant, "prices", prices);

  variant_set_stock (variant, on_hand, committed);
  if (!sandbox_stock_load_variant (variant, given, error))
    return NULL;
  return g_steal_pointer (&variant);
}
