/* relay-stock.h — stock as the stock flow sees it, whatever service it came from
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "relay-money.h"

G_BEGIN_DECLS

/**
 * RelayStockLevel:
 * @variant_id: the inventory system's variant id
 * @sku: (nullable): its SKU
 * @product_name: (nullable): product and variant name, for people
 * @available: units not committed, summed over every location (whole units)
 * @location_ids: (element-type gint64): the locations that hold it
 * @location_available: (element-type gint64): units available at each of @location_ids
 * @max_online: the most a sales channel should show, or -1 for no cap
 * @managed: whether its stock is tracked at all (TradeGecko's `manage_stock`)
 * @keep_selling: whether it may be sold at zero or negative stock (TradeGecko's `keep_selling`)
 * @changed_at: (nullable): when the inventory system last changed it, in its own clock and words
 *
 * One inventory-system variant's stock (TradeGecko's variant with `locations[]`).
 */
typedef struct
{
  gint64    variant_id;
  char     *sku;
  char     *product_name;
  gint64    available;
  GArray   *location_ids;
  GArray   *location_available;
  gint64    max_online;
  gboolean  managed;
  gboolean  keep_selling;
  char     *changed_at;
} RelayStockLevel;

/**
 * RelayStoreItem:
 * @variant_id: the store's variant id (Squarespace's `variantId`)
 * @sku: (nullable): its SKU
 * @descriptor: (nullable): product and options, for people
 * @unlimited: stock not tracked by the store
 * @quantity: the store's count (the last known one when @unlimited)
 * @has_price: whether @price is known (product variants have one, inventory items not)
 * @price: its base price
 *
 * One variant the store sells, with its stock (a Squarespace InventoryItem or product variant).
 */
typedef struct
{
  char       *variant_id;
  char       *sku;
  char       *descriptor;
  gboolean    unlimited;
  gint64      quantity;
  gboolean    has_price;
  RelayMoney  price;
} RelayStoreItem;

/* The quantity of a RelayStockSet that makes the store's variant unlimited (Squarespace's
 * setUnlimitedOperations): a TradeGecko variant that keeps selling when out of stock. */
#define RELAY_STOCK_UNLIMITED G_GINT64_CONSTANT (-2)

/**
 * RelayStockSet:
 * @variant_id: the store's variant id
 * @quantity: the absolute count to set (≥ 0), or %RELAY_STOCK_UNLIMITED
 *
 * One "set finite" (or "set unlimited") adjustment.
 */
typedef struct
{
  char   *variant_id;
  gint64  quantity;
} RelayStockSet;

/**
 * RelayLocation:
 * @id: the inventory system's id for the warehouse (TradeGecko's location `id`)
 * @label: (nullable): its name, for people
 * @holds_stock: whether stock is kept there (a shop counter or an office may not)
 * @active: %FALSE once archived
 *
 * A warehouse of the inventory system (TradeGecko's `GET /locations`).
 */
typedef struct
{
  gint64    id;
  char     *label;
  gboolean  holds_stock;
  gboolean  active;
} RelayLocation;

RelayLocation   *relay_location_new               (gint64      id,
                                                   const char *label,
                                                   gboolean    holds_stock,
                                                   gboolean    active);
void             relay_location_free              (RelayLocation *location);

RelayStockLevel *relay_stock_level_new            (void);
void             relay_stock_level_free           (RelayStockLevel *level);
gint64           relay_stock_level_available_at   (const RelayStockLevel *level,
                                                   gint64                 location_id);
RelayStoreItem  *relay_store_item_new             (const char *variant_id,
                                                   const char *sku,
                                                   const char *descriptor,
                                                   gboolean    unlimited,
                                                   gint64      quantity);
void             relay_store_item_free            (RelayStoreItem *item);
RelayStockSet   *relay_stock_set_new              (const char *variant_id,
                                                   gint64      quantity);
void             relay_stock_set_free             (RelayStockSet *set);
const char      *relay_store_item_lookup_alias    (const RelayStoreItem *item,
                                                   GHashTable           *aliases,
                                                   gboolean             *by_variant);
char            *relay_stock_sets_to_text         (GPtrArray  *sets);
GPtrArray       *relay_stock_sets_from_text       (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayLocation, relay_location_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStockLevel, relay_stock_level_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStoreItem, relay_store_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStockSet, relay_stock_set_free)

G_END_DECLS
