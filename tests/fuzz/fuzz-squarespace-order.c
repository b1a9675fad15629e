/* fuzz-squarespace-order.c — a Squarespace order as it arrives: read it, save
 * and reload its text, map its lines to TradeGecko variants and build the
 * sales-order payload and the preview
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
#include "relay-squarespace.h"
#include "relay-order.h"
#include "relay-tradegecko.h"

/* A variant for every SKU the order asks for, so that the payload is built. */
static GPtrArray *
variants_for (RelayOrder *order)
{
  g_auto(GStrv) skus = relay_mapping_dup_needed_skus (order, NULL);
  GPtrArray *variants = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_variant_free);

  for (guint i = 0; skus != NULL && skus[i] != NULL; i++)
    {
      RelayVariant *variant = g_new0 (RelayVariant, 1);

      variant->id = i + 1;
      variant->sku = g_strdup (skus[i]);
      variant->active = TRUE;
      g_ptr_array_add (variants, variant);
    }
  return variants;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(RelayOrder) reloaded = NULL;
  g_autoptr(RelayMapping) mapping = NULL;
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(RelaySalesOrder) sales = NULL;
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *payload_text = NULL;
  RelaySalesOrderOptions options = { 0 };

  fuzz_init_once ();

  root = fuzz_parse (data, size);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  order = relay_order_new_from_squarespace (json_node_get_object (root), &error);
  if (order == NULL)
    return 0;

  /* An order that was read is saved, and what was saved loads again. */
  saved = relay_order_dup_json (order);
  reloaded = relay_order_new_from_json_string (saved, &error);
  if (reloaded == NULL)
    g_error ("A saved order does not load again: %s\n%s", error->message, saved);

  mapping = relay_mapping_new (NULL);
  if (!relay_mapping_assign_references (mapping, order, &error))
    return 0;

  variants = variants_for (order);
  resolution = relay_mapping_resolve_lines (order, NULL, variants, &error);
  if (resolution == NULL)
    return 0;

  {
    g_autoptr(RelayPreview) built = relay_preview_new (resolution, &options, FALSE);

    preview = relay_preview_dup_text (built);
  }
  sales = relay_mapping_build_sales_order (resolution, &options, NULL, NULL);
  payload = sales != NULL ? relay_tradegecko_sales_order_to_json (sales) : NULL;
  if (payload != NULL)
    {
      payload_text = relay_json_to_string (payload);
      fuzz_assert_round_trip (payload);
    }
  return 0;
}
