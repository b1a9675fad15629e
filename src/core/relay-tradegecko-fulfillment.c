/* relay-tradegecko-fulfillment.c — TradeGecko fulfillments read into RelayShipment
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "relay-error.h"
#include "relay-json.h"
#include "relay-money.h"
#include "relay-tradegecko.h"

/* The line items of @fulfillment: sideloaded ones that point at it, or the
 * ones embedded in it. */
static GPtrArray *
fulfillment_items (JsonObject *fulfillment,
                   JsonArray  *sideloaded)
{
  GPtrArray *items = g_ptr_array_new ();
  gint64 id = relay_json_get_int (fulfillment, "id", 0);
  JsonArray *embedded = relay_json_get_array (fulfillment, "fulfillment_line_items");
  JsonArray *source = embedded != NULL ? embedded : sideloaded;

  for (guint i = 0; source != NULL && i < json_array_get_length (source); i++)
    {
      JsonNode *node = json_array_get_element (source, i);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if (embedded != NULL || relay_json_get_int (item, "fulfillment_id", -1) == id)
        g_ptr_array_add (items, item);
    }

  return items;
}

/* TradeGecko sends quantities as decimal strings ("1.0"), sometimes numbers;
 * anything negative or beyond RELAY_ORDER_MAX_QUANTITY is not a shipment line. */
static gboolean
item_quantity (JsonObject  *item,
               gint64      *out_milli,
               GError     **error)
{
  JsonNode *node = json_object_get_member (item, "quantity");
  gint64 milli = -1;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 whole = json_node_get_int (node);

      if (whole >= 0 && whole <= RELAY_ORDER_MAX_QUANTITY)
        milli = whole * 1000;
    }
  else if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           !relay_decimal_parse (json_node_get_string (node), 3, &milli, NULL))
    milli = -1;

  if (milli >= 0 && milli <= RELAY_ORDER_MAX_QUANTITY * 1000)
    {
      *out_milli = milli;
      return TRUE;
    }

  g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                       _("A TradeGecko shipment line has no valid quantity"));
  return FALSE;
}

/**
 * relay_tradegecko_fulfillments_cover_lines:
 * @resolved_lines: (element-type RelayResolvedLine): the order's lines as delivered
 * @fulfillments: TradeGecko fulfillment objects of the order
 * @fulfillment_line_items: (nullable): sideloaded fulfillment line items
 *   (or %NULL when each fulfillment embeds its own)
 * @count_packed: whether `packed` fulfillments count as shipped
 * @error: return location for a #GError
 *
 * Whether every delivered line's quantity is covered by shipped fulfillment
 * lines of the same variant (matched by `variant_id`, else `variant_sku`).
 * Void and deleted fulfillments never count.
 *
 * Returns: %TRUE when everything shipped; %FALSE otherwise or on error
 */
gboolean
relay_tradegecko_fulfillments_cover_lines (GPtrArray  *resolved_lines,
                                           JsonArray  *fulfillments,
                                           JsonArray  *fulfillment_line_items,
                                           gboolean    count_packed,
                                           GError    **error)
{
  g_autoptr(GHashTable) needed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) by_sku = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (resolved_lines != NULL, FALSE);

  for (guint i = 0; i < resolved_lines->len; i++)
    {
      RelayResolvedLine *line = g_ptr_array_index (resolved_lines, i);
      gint64 *remaining;

      if (line->status != RELAY_LINE_RESOLVED || line->variant_id == 0)
        continue;
      remaining = g_hash_table_lookup (needed, &line->variant_id);
      if (remaining == NULL)
        {
          remaining = g_new0 (gint64, 1);
          g_hash_table_insert (needed, g_memdup2 (&line->variant_id, sizeof (gint64)), remaining);
        }
      *remaining += line->quantity * 1000;
      if (line->tradegecko_sku != NULL)
        g_hash_table_insert (by_sku, line->tradegecko_sku, &line->variant_id);
    }

  if (g_hash_table_size (needed) == 0)
    return FALSE;

  for (guint i = 0; fulfillments != NULL && i < json_array_get_length (fulfillments); i++)
    {
      JsonNode *node = json_array_get_element (fulfillments, i);
      JsonObject *fulfillment;
      const char *status;
      g_autoptr(GPtrArray) items = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      fulfillment = json_node_get_object (node);
      status = relay_json_get_string (fulfillment, "status");
      if (g_strcmp0 (status, "fulfilled") != 0 && !(count_packed && g_strcmp0 (status, "packed") == 0))
        continue;

      items = fulfillment_items (fulfillment, fulfillment_line_items);
      for (guint j = 0; j < items->len; j++)
        {
          JsonObject *item = g_ptr_array_index (items, j);
          gint64 variant_id = relay_json_get_int (item, "variant_id", 0);
          const char *sku = relay_json_get_string (item, "variant_sku");
          gint64 *remaining = variant_id != 0 ? g_hash_table_lookup (needed, &variant_id) : NULL;
          gint64 quantity;

          if (remaining == NULL && sku != NULL && g_hash_table_lookup (by_sku, sku) != NULL)
            remaining = g_hash_table_lookup (needed, g_hash_table_lookup (by_sku, sku));
          if (remaining == NULL)
            continue;
          if (!item_quantity (item, &quantity, error))
            return FALSE;
          *remaining -= quantity;
        }
    }

  g_hash_table_iter_init (&iter, needed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (*(gint64 *) value > 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * relay_tradegecko_dup_lines_summary:
 * @fulfillment: a TradeGecko fulfillment object
 * @fulfillment_line_items: (nullable): sideloaded fulfillment line items
 *
 * Returns: (transfer full) (nullable): e.g. `2 × MUG-BLK, 1 × TEE-L`, for the store
 */
char *
relay_tradegecko_dup_lines_summary (JsonObject *fulfillment,
                                    JsonArray  *fulfillment_line_items)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);

  g_return_val_if_fail (fulfillment != NULL, NULL);

  items = fulfillment_items (fulfillment, fulfillment_line_items);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *sku = relay_json_get_string (item, "variant_sku");
      gint64 milli = 0;
      g_autofree char *quantity = NULL;

      if (!item_quantity (item, &milli, NULL))
        continue;
      quantity = milli % 1000 == 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, milli / 1000)
                                   : relay_decimal_format (milli, 3);
      g_string_append_printf (summary, "%s%s × %s", summary->len > 0 ? ", " : "", quantity, sku != NULL ? sku : "?");
    }

  return summary->len > 0 ? g_string_free (g_steal_pointer (&summary), FALSE) : NULL;
}

/* One TradeGecko fulfilment as a RelayShipment; NULL for one without an id. */
static RelayShipment *
shipment_from_fulfillment (JsonObject *fulfillment,
                           JsonArray  *items)
{
  RelayShipment *shipment;
  const char *shipped_at;

  if (fulfillment == NULL || relay_json_get_id (fulfillment, "id") <= 0)
    return NULL;
  shipped_at = relay_json_get_string (fulfillment, "shipped_at");

  shipment = g_new0 (RelayShipment, 1);
  shipment->fulfillment_id = relay_json_get_id (fulfillment, "id");
  shipment->tradegecko_order_id = relay_json_get_id (fulfillment, "order_id");
  shipment->status = g_strdup (relay_json_get_string (fulfillment, "status"));
  shipment->carrier = g_strdup (relay_json_get_string (fulfillment, "tracking_company"));
  shipment->service = g_strdup (relay_json_get_string (fulfillment, "service") ?: relay_json_get_string (fulfillment, "delivery_type"));
  shipment->tracking_number = g_strdup (relay_json_get_string (fulfillment, "tracking_number"));
  shipment->tracking_url = g_strdup (relay_json_get_string (fulfillment, "tracking_url"));
  if (shipped_at != NULL)
    {
      g_autoptr(GDateTime) when = relay_parse_iso8601 (shipped_at);

      shipment->shipped_at = when != NULL ? g_date_time_to_unix (when) * 1000 : 0;
    }
  shipment->lines_summary = relay_tradegecko_dup_lines_summary (fulfillment, items);
  return shipment;
}

/**
 * relay_tradegecko_shipments_from_page:
 * @page: (nullable): a page of `GET /fulfillments`, with `fulfillments` and
 *   (when sideloaded) `fulfillment_line_items`
 *
 * Returns: (transfer full) (element-type RelayShipment): one shipment per
 *   fulfillment with an id, in TradeGecko's order
 */
GPtrArray *
relay_tradegecko_shipments_from_page (JsonObject *page)
{
  GPtrArray *shipments = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_shipment_free);
  JsonArray *fulfillments = relay_json_get_array (page, "fulfillments");
  JsonArray *items = relay_json_get_array (page, "fulfillment_line_items");

  for (guint i = 0; fulfillments != NULL && i < json_array_get_length (fulfillments); i++)
    {
      RelayShipment *shipment = shipment_from_fulfillment (relay_json_array_get_object (fulfillments, i), items);

      if (shipment != NULL)
        g_ptr_array_add (shipments, shipment);
    }
  return shipments;
}
