/* relay-tradegecko-variant.c — TradeGecko variants read into RelayVariant
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-json.h"
#include "relay-tradegecko.h"

static char *
dup_member (JsonObject *object,
            const char *name)
{
  const char *value = relay_json_get_string (object, name);

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

/* A positive integer id, else 0: an id of another type is no id. */
static gint64
variant_id (JsonObject *object)
{
  JsonNode *id = json_object_get_member (object, "id");

  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (id), 0);
}

/**
 * relay_tradegecko_variants_from_json:
 * @variants: (nullable): variants as TradeGecko answers them
 *
 * A variant is active only when its `status` says `active`; its SKU is kept
 * byte for byte, for matching.
 *
 * Returns: (transfer full) (element-type RelayVariant): the variants, in
 *   TradeGecko's order; entries that are not objects are left out
 */
GPtrArray *
relay_tradegecko_variants_from_json (JsonArray *variants)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_variant_free);

  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonObject *object = relay_json_array_get_object (variants, i);
      RelayVariant *variant;

      if (object == NULL)
        continue;

      variant = g_new0 (RelayVariant, 1);
      variant->id = variant_id (object);
      variant->sku = g_strdup (relay_json_get_string (object, "sku"));
      variant->product_name = dup_member (object, "product_name");
      variant->name = dup_member (object, "name");
      variant->available_stock = dup_stock (object);
      variant->active = g_strcmp0 (relay_json_get_string (object, "status"), "active") == 0;
      g_ptr_array_add (result, variant);
    }

  return result;
}
