/* fuzz-tradegecko-list.c — a TradeGecko list response (variants, with the
 * arrays the other lists carry) as the mapping reads it for a known order
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "relay-mapping.h"
#include "relay-preview.h"
#include "relay-order.h"
#include "relay-tradegecko.h"

static RelayOrder *
load_order (void)
{
  g_autofree char *path = g_build_filename (FUZZ_DATA_DIR, "order-full.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrder *order;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  order = relay_order_new_from_json_string (text, &error);
  if (order == NULL)
    g_error ("%s", error->message);
  return order;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static RelayOrder *order;
  static RelayMapping *mapping;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) aliases = NULL;
  JsonObject *page;
  const char *lists[] = { "variants", "orders", "companies", "addresses" };

  fuzz_init_once ();
  if (order == NULL)
    {
      order = load_order ();
      mapping = relay_mapping_new (NULL);
      if (!relay_mapping_assign_references (mapping, order, NULL))
        g_error ("The fuzzing order gets no references");
    }

  root = fuzz_parse (data, size);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  page = json_node_get_object (root);

  aliases = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (aliases, (gpointer) "SQ2700585", (gpointer) "MUG-BLK");

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      JsonNode *member = json_object_get_member (page, lists[i]);
      g_autoptr(RelayResolution) resolution = NULL;
      g_autoptr(GPtrArray) variants = NULL;
      g_autoptr(RelaySalesOrder) sales = NULL;
      g_autoptr(JsonNode) payload = NULL;
      g_autofree char *preview = NULL;
      RelaySalesOrderOptions options = { 0 };

      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        continue;
      variants = relay_tradegecko_variants_from_json (json_node_get_array (member));
      resolution = relay_mapping_resolve_lines (order, aliases, variants, NULL);
      if (resolution == NULL)
        continue;
      {
        g_autoptr(RelayPreview) built = relay_preview_new (resolution, &options, FALSE);

        preview = relay_preview_dup_text (built);
      }
      sales = relay_mapping_build_sales_order (resolution, &options, NULL, NULL);
      payload = sales != NULL ? relay_tradegecko_sales_order_to_json (sales) : NULL;
      if (payload != NULL)
        fuzz_assert_round_trip (payload);
    }
  return 0;
}
