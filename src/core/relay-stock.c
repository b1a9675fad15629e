/* relay-stock.c — stock as the stock flow sees it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-mapping.h"
#include "relay-stock.h"

RelayLocation *
relay_location_new (gint64      id,
                    const char *label,
                    gboolean    holds_stock,
                    gboolean    active)
{
  RelayLocation *location = g_new0 (RelayLocation, 1);

  location->id = id;
  location->label = g_strdup (label);
  location->holds_stock = holds_stock;
  location->active = active;
  return location;
}

void
relay_location_free (RelayLocation *location)
{
  if (location == NULL)
    return;
  g_free (location->label);
  g_free (location);
}

RelayStockLevel *
relay_stock_level_new (void)
{
  RelayStockLevel *level = g_new0 (RelayStockLevel, 1);

  level->location_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  level->location_available = g_array_new (FALSE, FALSE, sizeof (gint64));
  level->max_online = -1;
  level->managed = TRUE;
  return level;
}

void
relay_stock_level_free (RelayStockLevel *level)
{
  if (level == NULL)
    return;
  g_free (level->sku);
  g_free (level->product_name);
  g_array_unref (level->location_ids);
  g_array_unref (level->location_available);
  g_free (level->changed_at);
  g_free (level);
}

/* Available units at @location_id, or everywhere when it is 0; a location that does not
 * hold the variant has none. */
gint64
relay_stock_level_available_at (const RelayStockLevel *level,
                                gint64                 location_id)
{
  if (location_id == 0)
    return level->available;

  for (guint i = 0; i < level->location_ids->len; i++)
    if (g_array_index (level->location_ids, gint64, i) == location_id)
      return g_array_index (level->location_available, gint64, i);

  return 0;
}

RelayStoreItem *
relay_store_item_new (const char *variant_id,
                      const char *sku,
                      const char *descriptor,
                      gboolean    unlimited,
                      gint64      quantity)
{
  RelayStoreItem *item = g_new0 (RelayStoreItem, 1);

  item->variant_id = g_strdup (variant_id);
  item->sku = g_strdup (sku);
  item->descriptor = g_strdup (descriptor);
  item->unlimited = unlimited;
  item->quantity = quantity;
  return item;
}

void
relay_store_item_free (RelayStoreItem *item)
{
  if (item == NULL)
    return;
  g_free (item->variant_id);
  g_free (item->sku);
  g_free (item->descriptor);
  g_free (item);
}

RelayStockSet *
relay_stock_set_new (const char *variant_id,
                     gint64      quantity)
{
  RelayStockSet *set = g_new0 (RelayStockSet, 1);

  set->variant_id = g_strdup (variant_id);
  set->quantity = quantity;
  return set;
}

void
relay_stock_set_free (RelayStockSet *set)
{
  if (set == NULL)
    return;
  g_free (set->variant_id);
  g_free (set);
}

/* "id quantity" lines: how a batch is kept in the database, so a resend after a crash sends
 * the very operations (and so the very body) the stored Idempotency-Key was first used with. */
char *
relay_stock_sets_to_text (GPtrArray *sets)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < sets->len; i++)
    {
      RelayStockSet *set = g_ptr_array_index (sets, i);

      g_string_append_printf (text, "%s %" G_GINT64_FORMAT "\n", set->variant_id, set->quantity);
    }
  return g_string_free (text, FALSE);
}

GPtrArray *
relay_stock_sets_from_text (const char *text)
{
  GPtrArray *sets = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_stock_set_free);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');
      g_autofree char *id = NULL;

      if (space == NULL || space == lines[i])
        continue;
      id = g_strndup (lines[i], space - lines[i]);
      g_ptr_array_add (sets, relay_stock_set_new (id, g_ascii_strtoll (space + 1, NULL, 10)));
    }
  return sets;
}

/**
 * relay_store_item_lookup_alias:
 * @aliases: the item aliases (relay_store_dup_item_aliases())
 * @by_variant: (out) (optional): whether the alias names this very variant
 *
 * The TradeGecko SKU an item alias gives the item, the way orders use them: an alias of the
 * variant itself first (it tells apart variants sharing a SKU), then one of its SKU.
 *
 * Returns: (nullable): the TradeGecko SKU, or %NULL without an alias
 */
const char *
relay_store_item_lookup_alias (const RelayStoreItem *item,
                               GHashTable           *aliases,
                               gboolean             *by_variant)
{
  g_autofree char *key = g_strconcat (RELAY_ALIAS_VARIANT_PREFIX, item->variant_id, NULL);
  const char *alias = g_hash_table_lookup (aliases, key);

  if (by_variant != NULL)
    *by_variant = alias != NULL;
  if (alias == NULL && item->sku != NULL)
    alias = g_hash_table_lookup (aliases, item->sku);
  return alias;
}
