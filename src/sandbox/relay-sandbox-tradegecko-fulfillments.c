/* relay-sandbox-tradegecko-fulfillments.c — TradeGecko fulfillments: shipping an order (whole or
 * by line), rolling its packed/fulfillment status up, auto-ship, GET /fulfillments
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

static const char * const live_fulfillments[] = { "packed", "fulfilled", NULL };

GPtrArray *
sandbox_tg_lines_of_order (RelaySandbox *self,
                           gint64        order_id)
{
  GPtrArray *lines = sandbox_index_lookup_int (&self->tg_lines_by_order, order_id);

  return lines != NULL ? g_ptr_array_copy (lines, NULL, NULL) : g_ptr_array_new ();
}

static JsonObject *
fulfillment_of (RelaySandbox *self,
                JsonObject   *fulfillment_line)
{
  return sandbox_index_find_int (&self->tg_fulfillments_by_id,
                                 json_object_get_int_member (fulfillment_line, "fulfillment_id"));
}

/* Quantities of @line in fulfillments: packed or fulfilled (allocated), and fulfilled only. */
void
sandbox_tg_line_fulfilled_quantities (RelaySandbox *self,
                                      JsonObject   *line,
                                      gint64       *allocated,
                                      gint64       *shipped)
{
  GPtrArray *items = sandbox_index_lookup_int (&self->tg_fulfillment_lines_by_line,
                                               json_object_get_int_member (line, "id"));

  *allocated = *shipped = 0;
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *fulfillment;
      const char *status;

      fulfillment = fulfillment_of (self, item);
      status = fulfillment ? sandbox_get_string_member (fulfillment, "status") : NULL;
      if (g_strcmp0 (status, "packed") == 0 || g_strcmp0 (status, "fulfilled") == 0)
        *allocated += get_decimal (item, "quantity");
      if (g_strcmp0 (status, "fulfilled") == 0)
        *shipped += get_decimal (item, "quantity");
    }
}

static void
roll_up_order (RelaySandbox *self,
               JsonObject   *order)
{
  g_autoptr(GPtrArray) lines = sandbox_tg_lines_of_order (self, json_object_get_int_member (order, "id"));
  gboolean all_packed = TRUE, any_packed = FALSE, all_shipped = TRUE, any_shipped = FALSE;
  guint shippable = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);
      gint64 quantity = get_decimal (line, "quantity");
      gint64 allocated, shipped;

      if (json_object_get_boolean_member (line, "freeform"))
        continue;
      shippable++;
      sandbox_tg_line_fulfilled_quantities (self, line, &allocated, &shipped);
      all_packed = all_packed && allocated >= quantity;
      any_packed = any_packed || allocated > 0;
      all_shipped = all_shipped && shipped >= quantity;
      any_shipped = any_shipped || shipped > 0;
    }

  if (shippable == 0)
    all_packed = all_shipped = FALSE;

  json_object_set_string_member (order, "packed_status",
                                 all_packed ? "packed" : any_packed ? "partial" : "unpacked");
  json_object_set_string_member (order, "fulfillment_status",
                                 all_shipped ? "shipped" : any_shipped ? "partial" : "unshipped");
  if (all_shipped)
    json_object_set_string_member (order, "status", "fulfilled");
  touch (order);
}

static void
mark_fulfilled (RelaySandbox *self,
                JsonObject   *fulfillment,
                gboolean      commits)
{
  GPtrArray *items = sandbox_index_lookup_int (&self->tg_fulfillment_lines_by_fulfillment,
                                               json_object_get_int_member (fulfillment, "id"));
  g_autofree char *now = now_text ();

  json_object_set_string_member (fulfillment, "status", "fulfilled");
  json_object_set_string_member (fulfillment, "shipped_at", now);
  touch (fulfillment);

  /* Shipping takes the goods off the shelf and out of the committed figure. */
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *variant;
      gint64 quantity;

      variant = sandbox_index_find_int (&self->tg_variants_by_id, json_object_get_int_member (item, "variant_id"));
      quantity = get_decimal (item, "quantity");
      if (variant != NULL)
        sandbox_tg_variant_adjust_stock (variant, -quantity, commits ? -quantity : 0);
    }
}

static void
set_tracking (JsonObject *fulfillment,
              JsonObject *shipment)
{
  static const char * const fields[] = {
    "tracking_company", "tracking_number", "tracking_url", "service", "notes", "delivery_type", NULL
  };

  for (guint i = 0; fields[i] != NULL; i++)
    if (sandbox_get_string_member (shipment, fields[i]) != NULL || !json_object_has_member (fulfillment, fields[i]))
      set_string_or_null (fulfillment, fields[i], sandbox_get_string_member (shipment, fields[i]));
}

gint64
sandbox_tradegecko_ship (RelaySandbox  *self,
                         gint64         order_id,
                         JsonObject    *shipment,
                         GError       **error)
{
  JsonObject *order = sandbox_index_find_int (&self->tg_orders_by_id, order_id);
  const char *status = sandbox_get_string_member (shipment, "status") ?: "fulfilled";
  JsonNode *lines_node = json_object_get_member (shipment, "lines");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GArray) quantities = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autofree char *now = now_text ();
  g_autofree char *today = sandbox_format_date (sandbox_now_ms ());
  gboolean commits;
  JsonObject *fulfillment;
  gint64 fulfillment_id = -1;

  if (order == NULL)
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND,
                   "No TradeGecko order with id %" G_GINT64_FORMAT, order_id);
      return -1;
    }
  if (!sandbox_tg_order_commits_stock (sandbox_get_string_member (order, "status")))
    return invalid (error, "Only active or finalized orders can be shipped, not %s ones",
                    sandbox_get_string_member (order, "status")), -1;
  if (!g_str_equal (status, "packed") && !g_str_equal (status, "fulfilled"))
    return invalid (error, "A fulfillment's status is packed or fulfilled"), -1;

  commits = TRUE;
  lines = sandbox_tg_lines_of_order (self, order_id);

  if (lines_node != NULL && !JSON_NODE_HOLDS_NULL (lines_node))
    {
      JsonArray *requested;

      if (!JSON_NODE_HOLDS_ARRAY (lines_node))
        return invalid (error, "\"lines\" must be an array of {order_line_item_id, quantity}"), -1;
      requested = json_node_get_array (lines_node);
      for (guint i = 0; i < json_array_get_length (requested); i++)
        {
          JsonObject *wanted = json_array_get_object_element (requested, i);
          JsonObject *line = NULL;
          gint64 line_id, quantity, allocated, shipped;

          if (wanted == NULL || !sandbox_get_int_member (wanted, "order_line_item_id", &line_id) ||
              !sandbox_decimal_parse (json_object_get_member (wanted, "quantity"), &quantity) || quantity <= 0)
            return invalid (error, "lines[%u] needs order_line_item_id and a positive quantity", i), -1;
          for (guint j = 0; j < lines->len; j++)
            if (json_object_get_int_member (g_ptr_array_index (lines, j), "id") == line_id)
              line = g_ptr_array_index (lines, j);
          if (line == NULL || json_object_get_boolean_member (line, "freeform"))
            return invalid (error, "lines[%u]: %" G_GINT64_FORMAT " is not a shippable line of this order",
                            i, line_id), -1;
          sandbox_tg_line_fulfilled_quantities (self, line, &allocated, &shipped);
          if (quantity > get_decimal (line, "quantity") - allocated)
            return invalid (error, "lines[%u]: only %" G_GINT64_FORMAT " left to ship", i,
                            (get_decimal (line, "quantity") - allocated) / 10000), -1;
          g_ptr_array_add (chosen, line);
          g_array_append_val (quantities, quantity);
        }
    }
  else
    {
      /* The whole order, like the `fulfil` action: packed fulfillments become fulfilled and
       * everything not yet packed goes in a new one. */
      if (g_str_equal (status, "fulfilled"))
        {
          GPtrArray *of_order = sandbox_index_lookup_int (&self->tg_fulfillments_by_order, order_id);

          for (guint i = 0; of_order != NULL && i < of_order->len; i++)
            {
              JsonObject *existing = g_ptr_array_index (of_order, i);

              if (g_strcmp0 (sandbox_get_string_member (existing, "status"), "packed") == 0)
                {
                  set_tracking (existing, shipment);
                  mark_fulfilled (self, existing, commits);
                  fulfillment_id = json_object_get_int_member (existing, "id");
                }
            }
        }

      for (guint i = 0; i < lines->len; i++)
        {
          JsonObject *line = g_ptr_array_index (lines, i);
          gint64 allocated, shipped, left;

          if (json_object_get_boolean_member (line, "freeform"))
            continue;
          sandbox_tg_line_fulfilled_quantities (self, line, &allocated, &shipped);
          left = get_decimal (line, "quantity") - allocated;
          if (left > 0)
            {
              g_ptr_array_add (chosen, line);
              g_array_append_val (quantities, left);
            }
        }

      if (chosen->len == 0)
        {
          if (fulfillment_id >= 0)
            {
              roll_up_order (self, order);
              return fulfillment_id;
            }
          return invalid (error, "Nothing is left to ship on order %" G_GINT64_FORMAT, order_id), -1;
        }
    }

  fulfillment_id = self->tg_next_id++;
  fulfillment = json_object_new ();
  json_object_set_int_member (fulfillment, "id", fulfillment_id);
  json_object_set_string_member (fulfillment, "created_at", now);
  json_object_set_string_member (fulfillment, "updated_at", now);
  json_object_set_int_member (fulfillment, "order_id", order_id);
  json_object_set_string_member (fulfillment, "order_number", sandbox_get_string_member (order, "order_number"));
  json_object_set_int_member (fulfillment, "company_id", json_object_get_int_member (order, "company_id"));
  json_object_set_int_member (fulfillment, "shipping_address_id", json_object_get_int_member (order, "shipping_address_id"));
  json_object_set_int_member (fulfillment, "billing_address_id", json_object_get_int_member (order, "billing_address_id"));
  json_object_set_int_member (fulfillment, "stock_location_id", json_object_get_int_member (order, "stock_location_id"));
  json_object_set_string_member (fulfillment, "status", "packed");
  json_object_set_string_member (fulfillment, "packed_at", today);
  json_object_set_null_member (fulfillment, "shipped_at");
  json_object_set_null_member (fulfillment, "received_at");
  set_tracking (fulfillment, shipment);
  json_object_set_string_member (fulfillment, "exchange_rate", "1.0");
  json_object_set_object_member (fulfillment, "receipt", json_object_new ());
  json_object_set_array_member (fulfillment, "fulfillment_line_item_ids", json_array_new ());
  g_ptr_array_add (self->tg_fulfillments, fulfillment);

  for (guint i = 0; i < chosen->len; i++)
    {
      JsonObject *line = g_ptr_array_index (chosen, i);
      JsonObject *item = json_object_new ();
      JsonObject *variant = sandbox_index_find_int (&self->tg_variants_by_id, json_object_get_int_member (line, "variant_id"));
      gint64 item_id = self->tg_next_id++;

      json_object_set_int_member (item, "id", item_id);
      json_object_set_int_member (item, "fulfillment_id", fulfillment_id);
      json_object_set_int_member (item, "order_line_item_id", json_object_get_int_member (line, "id"));
      set_decimal (item, "quantity", g_array_index (quantities, gint64, i));
      json_object_set_null_member (item, "base_price");
      json_object_set_int_member (item, "position", i + 1);
      json_object_set_int_member (item, "variant_id", json_object_get_int_member (line, "variant_id"));
      set_string_or_null (item, "variant_sku", variant ? sandbox_get_string_member (variant, "sku") : NULL);
      g_ptr_array_add (self->tg_fulfillment_line_items, item);
      append_id (fulfillment, "fulfillment_line_item_ids", item_id);
      append_id (line, "fulfillment_line_item_ids", item_id);
    }

  if (g_str_equal (status, "fulfilled"))
    mark_fulfilled (self, fulfillment, commits);

  append_id (order, "fulfillment_ids", fulfillment_id);
  if (sandbox_get_string_member (fulfillment, "tracking_number") != NULL)
    json_object_set_string_member (order, "tracking_number", sandbox_get_string_member (fulfillment, "tracking_number"));
  roll_up_order (self, order);

  return fulfillment_id;
}

void
sandbox_tradegecko_auto_ship (RelaySandbox *self,
                              guint         delay_seconds)
{
  gint64 now = sandbox_now_ms ();

  for (guint i = 0; i < self->tg_orders->len; i++)
    {
      JsonObject *order = g_ptr_array_index (self->tg_orders, i);
      g_autoptr(JsonObject) shipment = NULL;
      g_autofree char *number = NULL;
      g_autofree char *url = NULL;
      gint64 created;

      if (!sandbox_tg_order_commits_stock (sandbox_get_string_member (order, "status")) ||
          g_strcmp0 (sandbox_get_string_member (order, "fulfillment_status"), "shipped") == 0 ||
          !sandbox_parse_iso8601 (sandbox_get_string_member (order, "created_at"), &created) ||
          now - created < (gint64) delay_seconds * 1000)
        continue;

      number = g_strdup_printf ("9400%018" G_GINT64_FORMAT, (gint64) g_rand_int (self->rand) * 1000 +
                                json_object_get_int_member (order, "id") % 1000);
      url = g_strdup_printf ("https://tools.usps.com/go/TrackConfirmAction?tLabels=%s", number);
      shipment = json_object_new ();
      json_object_set_string_member (shipment, "status", "fulfilled");
      json_object_set_string_member (shipment, "tracking_company", "USPS");
      json_object_set_string_member (shipment, "tracking_number", number);
      json_object_set_string_member (shipment, "tracking_url", url);
      json_object_set_string_member (shipment, "service", "Priority Mail");
      sandbox_tradegecko_ship (self, json_object_get_int_member (order, "id"), shipment, NULL);
    }
}

void
sandbox_tg_list_fulfillments (RelaySandbox      *self,
                              SoupServerMessage *msg,
                              GPtrArray         *params,
                              SandboxReply      *reply)
{
  g_autoptr(GPtrArray) selected = sandbox_tg_select_common (self->tg_fulfillments, params, live_fulfillments, reply);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) page_items = NULL;
  JsonObject *body;
  JsonArray *items;

  if (selected == NULL)
    return;
  sandbox_tg_filter_field (selected, params, "order_id", "order_id");
  sandbox_tg_filter_field (selected, params, "company_id", "company_id");

  body = sandbox_tg_paginate (msg, params, selected, "fulfillments", reply, &page);
  if (body == NULL)
    return;

  /* The index sideloads fulfillment_line_items by default, as a top-level key, in the order
   * they were created (ids grow with creation). */
  page_items = g_ptr_array_new ();
  for (guint i = 0; i < page->len; i++)
    {
      GPtrArray *of_fulfillment = sandbox_index_lookup_int (&self->tg_fulfillment_lines_by_fulfillment,
                                                            json_object_get_int_member (g_ptr_array_index (page, i), "id"));

      for (guint j = 0; of_fulfillment != NULL && j < of_fulfillment->len; j++)
        g_ptr_array_add (page_items, g_ptr_array_index (of_fulfillment, j));
    }
  g_ptr_array_sort (page_items, sandbox_tg_compare_id_asc);
  items = json_array_new ();
  for (guint i = 0; i < page_items->len; i++)
    json_array_add_object_element (items, json_object_ref (g_ptr_array_index (page_items, i)));
  json_object_set_array_member (body, "fulfillment_line_items", items);
  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}
