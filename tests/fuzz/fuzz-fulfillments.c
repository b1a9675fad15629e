/* fuzz-fulfillments.c — a TradeGecko fulfilment response: is the order fully
 * shipped, the lines summary, and the Squarespace shipment built from each
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "relay-mapping.h"
#include "relay-squarespace.h"
#include "relay-tradegecko.h"

static GPtrArray *
delivered_lines (void)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);

  g_ptr_array_add (lines, relay_resolved_line_new ("a", "SQ-MUG", "MUG-BLK", 11, 2, RELAY_LINE_RESOLVED));
  g_ptr_array_add (lines, relay_resolved_line_new ("b", "SQ-TEE", "TEE-L", 21, RELAY_ORDER_MAX_QUANTITY,
                                                   RELAY_LINE_RESOLVED));
  g_ptr_array_add (lines, relay_resolved_line_new ("c", NULL, NULL, 0, 1, RELAY_LINE_DIGITAL));
  return lines;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GHashTable) carriers = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  JsonArray *fulfillments = NULL;
  JsonArray *sideloaded = NULL;
  JsonNode *member;

  fuzz_init_once ();

  root = fuzz_parse (data, size);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  member = json_object_get_member (json_node_get_object (root), "fulfillments");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return 0;
  fulfillments = json_node_get_array (member);
  member = json_object_get_member (json_node_get_object (root), "fulfillment_line_items");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    sideloaded = json_node_get_array (member);

  lines = delivered_lines ();
  relay_tradegecko_fulfillments_cover_lines (lines, fulfillments, sideloaded, FALSE, NULL);
  relay_tradegecko_fulfillments_cover_lines (lines, fulfillments, sideloaded, TRUE, NULL);

  carriers = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (carriers, (gpointer) "USPS", (gpointer) "USPS");
  shipments = relay_tradegecko_shipments_from_page (json_node_get_object (root));
  for (guint i = 0; i < shipments->len; i++)
    {
      g_autoptr(RelayShipment) prepared = relay_mapping_prepare_shipment (g_ptr_array_index (shipments, i),
                                                                          carriers, NULL);
      g_autoptr(GDateTime) when = NULL;
      g_autoptr(JsonObject) posted = NULL;
      g_autoptr(JsonNode) wrapped = NULL;

      if (prepared == NULL)
        continue;
      /* What the order source posts for it (relay-squarespace-source.c) reads back. */
      when = g_date_time_new_from_unix_utc (prepared->shipped_at / 1000);
      if (when == NULL)
        continue;
      posted = relay_squarespace_new_shipment (when, prepared->carrier,
                                               prepared->service != NULL ? prepared->service : "Standard",
                                               prepared->tracking_number, prepared->tracking_url);
      wrapped = json_node_init_object (json_node_alloc (), posted);
      fuzz_assert_round_trip (wrapped);
    }
  return 0;
}
