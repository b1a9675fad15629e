/* relay-tradegecko-variant.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-tradegecko-variant.h"

void
relay_tradegecko_variant_free (RelayTradegeckoVariant *variant)
{
  if (variant == NULL)
    return;

  g_free (variant->sku);
  g_free (variant->product_name);
  g_free (variant->name);
  g_free (variant->available_stock);
  g_free (variant);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/* "48.0" → "48": TradeGecko writes stock as a decimal string. */
static char *
dup_stock (JsonObject *object)
{
  char *text = dup_member (object, "available_stock");
  char *point = text != NULL ? strchr (text, '.') : NULL;

  if (point != NULL)
    {
      char *end = text + strlen (text);

      while (end > point + 1 && end[-1] == '0')
        *--end = '\0';
      if (end == point + 1)
        *point = '\0';
    }

  return text;
}

/**
 * relay_tradegecko_variants_from_json:
 * @variants: (nullable): variants as TradeGecko answers them
 *
 * Returns: (transfer full) (element-type RelayTradegeckoVariant): the variants,
 *   in TradeGecko's order; entries that are not objects are left out
 */
GPtrArray *
relay_tradegecko_variants_from_json (JsonArray *variants)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_tradegecko_variant_free);

  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonNode *node = json_array_get_element (variants, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      RelayTradegeckoVariant *variant;

      if (object == NULL)
        continue;

      variant = g_new0 (RelayTradegeckoVariant, 1);
      variant->id = json_object_get_int_member_with_default (object, "id", 0);
      variant->sku = dup_member (object, "sku");
      variant->product_name = dup_member (object, "product_name");
      variant->name = dup_member (object, "name");
      variant->available_stock = dup_stock (object);
      variant->active = g_strcmp0 (json_object_get_string_member_with_default (object, "status", "active"), "active") == 0;
      g_ptr_array_add (result, variant);
    }

  return result;
}

/**
 * relay_tradegecko_variant_dup_label:
 * @variant: a variant
 *
 * Returns: (transfer full): “Product — variant”, or just the product
 */
char *
relay_tradegecko_variant_dup_label (const RelayTradegeckoVariant *variant)
{
  const char *product = variant->product_name != NULL ? variant->product_name : "";

  if (variant->name != NULL)
    return g_strdup_printf ("%s — %s", product, variant->name);

  return g_strdup (product);
}
