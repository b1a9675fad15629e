/* test-engine.c — the sync engine against the in-process sandbox, with a real SQLite file
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "relay-error.h"
#include "relay-sandbox-fixture.h"
#include "relay-sync-alias.h"
#include "relay-squarespace.h"
#include "relay-sync-engine-private.h"
#include "relay-sync-progress.h"
#include "relay-tradegecko.h"
#include "relay-test-wait.h"

/* Two variants, one customer TradeGecko already knows (with her address). */
static const char *scenario =
  "{\"squarespace\":{\"orders\":[]},"
  " \"tradegecko\":{"
  "  \"variants\":["
  "   {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\"},"
  "   {\"id\":12,\"sku\":\"MUG-1\",\"product_name\":\"Mug\",\"name\":\"Black\"},"
  "   {\"id\":13,\"sku\":\"TG-TEE\",\"product_name\":\"Tee\",\"name\":\"L\"}],"
  "  \"companies\":[{\"id\":21,\"name\":\"Ann Lee\",\"company_type\":\"consumer\",\"email\":\"ann@example.com\"}],"
  "  \"addresses\":[{\"id\":31,\"company_id\":21,\"label\":\"Shipping\",\"first_name\":\"Ann\",\"last_name\":\"Lee\","
  "                  \"address1\":\"1 Main St\",\"city\":\"Springfield\",\"zip_code\":\"12345\",\"country_code\":\"US\"}]}}";

typedef RelaySandboxFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  relay_sandbox_fixture_set_up (fixture, "test-engine", scenario);
  relay_sandbox_fixture_open (fixture);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run_cycle (Fixture  *fixture,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_sync_engine_run_cycle_async (fixture->engine, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 60);
  return relay_sync_engine_run_cycle_finish (fixture->engine, result, error);
}

static void
run_cycle_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run_cycle (fixture, &error));
  g_assert_no_error (error);
}

static char *
add_order (Fixture    *fixture,
           const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = relay_sandbox_add_squarespace_order (fixture->sandbox, json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

#define ANN_ADDRESS "{\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"address1\":\"1 Main St\",\"city\":\"Springfield\"," \
                    "\"postalCode\":\"12345\",\"countryCode\":\"US\"}"

/* Replaces the sandbox's state with the base scenario plus @order; returns its id. */
static char *
load_orders (Fixture    *fixture,
             const char *order)
{
  g_autoptr(GString) text = g_string_new (scenario);
  g_autofree char *orders = g_strdup_printf ("\"orders\":[%s]", order);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_string_replace (text, "\"orders\":[]", orders, 1);
  node = json_from_string (text->str, &error);
  g_assert_no_error (error);
  relay_sandbox_load_scenario (fixture->sandbox, node, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (json_node_get_object (node), "squarespace"), "orders"), 0), "id"));
}

/* Replaces the sandbox's state with the base scenario plus @n orders placed over the
 * last @n minutes (older first), as a store with a backlog looks. */
static GPtrArray *
load_backlog (Fixture *fixture,
              guint    n)
{
  g_autoptr(GString) orders = g_string_new (NULL);
  g_autoptr(GString) text = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_minutes (now, -(int) (n - i));
      g_autofree char *created = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000Z");
      char *id = g_strdup_printf ("%024x", i + 1);

      g_string_append_printf (orders, "%s{\"id\":\"%s\",\"customerEmail\":\"%s\",\"createdOn\":\"%s\","
                              "\"shippingAddress\":" ANN_ADDRESS ","
                              "\"lineItems\":[{\"sku\":\"%s\",\"productName\":\"Thing\",\"quantity\":1,"
                              "\"unitPricePaid\":{\"value\":\"16.50\",\"currency\":\"USD\"}}]}",
                              i > 0 ? "," : "", id, i % 2 ? "ann@example.com" : "carol@example.com", created,
                              i % 3 ? "BEAN-1" : "MUG-1");
      g_ptr_array_add (ids, id);
    }

  g_string_prepend (orders, "\"orders\":[");
  g_string_append (orders, "]");
  text = g_string_new (scenario);
  g_string_replace (text, "\"orders\":[]", orders->str, 1);
  node = json_from_string (text->str, &error);
  g_assert_no_error (error);
  relay_sandbox_load_scenario (fixture->sandbox, node, &error);
  g_assert_no_error (error);
  return ids;
}

static char *
add_simple_order (Fixture    *fixture,
                  const char *email,
                  const char *sku,
                  int         quantity)
{
  g_autofree char *json = g_strdup_printf ("{\"customerEmail\":\"%s\",\"shippingAddress\":" ANN_ADDRESS ","
                                           "\"lineItems\":[{\"sku\":\"%s\",\"productName\":\"Thing\",\"quantity\":%d,"
                                           "\"unitPricePaid\":{\"value\":\"16.50\",\"currency\":\"USD\"}}],"
                                           "\"shippingLines\":[{\"method\":\"Standard\",\"amount\":{\"value\":\"5.00\",\"currency\":\"USD\"}}]}",
                                           email, sku, quantity);

  return add_order (fixture, json);
}

static JsonObject *
state_api (JsonNode   *state,
           const char *api)
{
  return json_object_get_object_member (json_node_get_object (state), api);
}

/* TradeGecko sales orders (not void) whose reference_number is @reference. */
static guint
count_tradegecko_orders (Fixture    *fixture,
                         const char *reference)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->sandbox);
  JsonArray *orders = json_object_get_array_member (state_api (state, "tradegecko"), "orders");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if ((reference == NULL || g_strcmp0 (json_object_get_string_member_with_default (order, "reference_number", NULL), reference) == 0) &&
          g_strcmp0 (json_object_get_string_member (order, "status"), "void") != 0)
        count++;
    }
  return count;
}

static JsonObject *
dup_squarespace_order (Fixture    *fixture,
                       const char *id)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->sandbox);
  JsonArray *orders = json_object_get_array_member (state_api (state, "squarespace"), "orders");

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (order, "id"), id) == 0)
        return json_object_ref (order);
    }
  g_assert_not_reached ();
}

/* Every tracking number on the Squarespace order appears exactly once; returns how many. */
static guint
count_squarespace_shipments (Fixture    *fixture,
                             const char *id)
{
  g_autoptr(JsonObject) order = dup_squarespace_order (fixture, id);
  JsonArray *fulfillments = json_object_get_array_member (order, "fulfillments");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (fulfillments); i++)
    {
      const char *number = json_object_get_string_member (json_array_get_object_element (fulfillments, i),
                                                          "trackingNumber");

      g_assert_false (g_hash_table_contains (seen, number));
      g_hash_table_add (seen, (gpointer) number);
    }
  return json_array_get_length (fulfillments);
}

static RelayOrderRow *
find_row (Fixture    *fixture,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  RelayOrderRow *row = relay_store_find_order (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  return row;
}

static RelayStage
stage_of (Fixture    *fixture,
          const char *id)
{
  g_autoptr(RelayOrderRow) row = find_row (fixture, id);

  return row->stage;
}

static gint64
ship (Fixture    *fixture,
      const char *id,
      const char *tracking,
      const char *lines_json)
{
  g_autoptr(RelayOrderRow) row = find_row (fixture, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"tracking_number\":\"%s\",\"tracking_company\":\"USPS\","
                                           "\"tracking_url\":\"https://tools.usps.com/go/TrackConfirmAction?tLabels=%s\""
                                           "%s%s}",
                                           tracking, tracking, lines_json ? ",\"lines\":" : "", lines_json ? lines_json : "");
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  gint64 fulfillment;

  g_assert_no_error (error);
  g_assert_cmpint (row->tradegecko_order_id, >, 0);
  fulfillment = relay_sandbox_ship_tradegecko_order (fixture->sandbox, row->tradegecko_order_id,
                                                     json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpint (fulfillment, >, 0);
  return fulfillment;
}

/* ------------------------------------------------------------------------ */

static void
test_four_flows (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *returning = add_simple_order (fixture, "ann@example.com", "BEAN-1", 2);
  g_autofree char *fresh = add_simple_order (fixture, "bob@example.com", "MUG-1", 1);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonArray *orders;
  guint checked = 0;

  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, returning), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of (fixture, fresh), ==, RELAY_STAGE_AT_TRADEGECKO);

  row = find_row (fixture, returning);
  g_assert_cmpuint (count_tradegecko_orders (fixture, row->cust_po_no), ==, 1);
  g_assert_nonnull (row->cust_ref);
  g_assert_cmpstr (row->cust_po_no, ==, row->order_number);

  /* The payload: references, the known customer and address reused, the variant, shipping as a line. */
  state = relay_sandbox_dup_state (fixture->sandbox);
  orders = json_object_get_array_member (state_api (state, "tradegecko"), "orders");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (order, "reference_number"), row->cust_po_no) != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, row->cust_ref);
      g_assert_cmpint (json_object_get_int_member (order, "company_id"), ==, 21);
      g_assert_cmpint (json_object_get_int_member (order, "shipping_address_id"), ==, 31);
      g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "active");
      g_assert_cmpstr (json_object_get_string_member (order, "total"), ==, "38.0");
      checked++;
    }
  g_assert_cmpuint (checked, ==, 1);
  /* The new customer was nested in the order: one more company, not two requests. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state_api (state, "tradegecko"), "companies")), ==, 2);

  /* Nothing shipped yet: nothing to post. */
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, returning), ==, RELAY_STAGE_AT_TRADEGECKO);

  ship (fixture, returning, "9400100000000000000001", NULL);
  ship (fixture, fresh, "9400100000000000000002", NULL);
  run_cycle_ok (fixture);

  g_assert_cmpint (stage_of (fixture, returning), ==, RELAY_STAGE_CONFIRMED);
  g_assert_cmpint (stage_of (fixture, fresh), ==, RELAY_STAGE_CONFIRMED);
  g_assert_cmpuint (count_squarespace_shipments (fixture, returning), ==, 1);
  g_assert_cmpuint (count_squarespace_shipments (fixture, fresh), ==, 1);
  {
    g_autoptr(JsonObject) order = dup_squarespace_order (fixture, returning);
    JsonObject *shipment = json_array_get_object_element (json_object_get_array_member (order, "fulfillments"), 0);

    g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "FULFILLED");
    g_assert_cmpstr (json_object_get_string_member (shipment, "trackingNumber"), ==, "9400100000000000000001");
    g_assert_cmpstr (json_object_get_string_member (shipment, "carrierName"), ==, "USPS");
  }

  /* Later cycles change nothing. */
  run_cycle_ok (fixture);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 2);
  g_assert_cmpuint (count_squarespace_shipments (fixture, returning), ==, 1);
  g_assert_cmpuint (fixture->problems, ==, 0);
}

static void
test_pagination_and_idle (Fixture       *fixture,
                          gconstpointer  data)
{
  /* Placed over the last two hours: "idle" means nothing changed in Squarespace since the
   * last cycle's overlap window. */
  g_autoptr(GPtrArray) ids = load_backlog (fixture, 120);
  guint before;
  guint64 counts[RELAY_N_STAGES] = { 0 };
  g_autoptr(GError) error = NULL;

  run_cycle_ok (fixture);
  g_assert_true (relay_store_count_stages (fixture->store, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[RELAY_STAGE_AT_TRADEGECKO], ==, 120);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 120);

  /* An idle cycle with 120 orders waiting for shipment: one page from each API. */
  run_cycle_ok (fixture);
  before = relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) +
           relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO);
  run_cycle_ok (fixture);
  g_assert_cmpuint (relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) +
                    relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO) - before,
                    <=, 3);
}

static void
test_initial_window (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old = g_date_time_add_days (now, -30);
  g_autofree char *old_text = g_date_time_format (old, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *old_json = g_strdup_printf ("{\"id\":\"%024x\",\"customerEmail\":\"x@example.com\",\"createdOn\":\"%s\","
                                               "\"shippingAddress\":" ANN_ADDRESS ","
                                               "\"lineItems\":[{\"sku\":\"BEAN-1\",\"productName\":\"Beans\",\"quantity\":1,"
                                               "\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}}]}",
                                               0xa1, old_text);
  g_autofree char *old_id = load_orders (fixture, old_json);
  g_autofree char *fulfilled = add_order (fixture, "{\"customerEmail\":\"x@example.com\",\"fulfillmentStatus\":\"FULFILLED\","
                                                   "\"shippingAddress\":" ANN_ADDRESS ","
                                                   "\"lineItems\":[{\"sku\":\"BEAN-1\",\"productName\":\"Beans\",\"quantity\":1,"
                                                   "\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}}]}");
  g_autofree char *canceled = add_order (fixture, "{\"customerEmail\":\"x@example.com\",\"fulfillmentStatus\":\"CANCELED\","
                                                  "\"shippingAddress\":" ANN_ADDRESS ","
                                                  "\"lineItems\":[{\"sku\":\"BEAN-1\",\"productName\":\"Beans\",\"quantity\":1,"
                                                  "\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}}]}");
  g_autofree char *recent = add_simple_order (fixture, "x@example.com", "BEAN-1", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) none = NULL;

  run_cycle_ok (fixture);

  g_assert_cmpint (stage_of (fixture, recent), ==, RELAY_STAGE_AT_TRADEGECKO);
  none = relay_store_find_order (fixture->store, old_id, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  none = relay_store_find_order (fixture->store, fulfilled, &error);
  g_assert_null (none);
  none = relay_store_find_order (fixture->store, canceled, &error);
  g_assert_null (none);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

static void
test_test_orders (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *json = "{\"customerEmail\":\"t@example.com\",\"testmode\":true,\"shippingAddress\":" ANN_ADDRESS ","
                     "\"lineItems\":[{\"sku\":\"BEAN-1\",\"productName\":\"Beans\",\"quantity\":1,\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}}]}";
  g_autofree char *skipped = add_order (fixture, json);
  g_autofree char *drafted = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonArray *orders;
  JsonObject *order;

  run_cycle_ok (fixture);
  row = find_row (fixture, skipped);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_SKIPPED);
  g_assert_nonnull (strstr (row->stage_reason, "Test order"));
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);

  g_settings_set_string (fixture->settings, "test-orders", "draft");
  drafted = add_order (fixture, json);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, drafted), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of (fixture, skipped), ==, RELAY_STAGE_SKIPPED);

  state = relay_sandbox_dup_state (fixture->sandbox);
  orders = json_object_get_array_member (state_api (state, "tradegecko"), "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 1);
  order = json_array_get_object_element (orders, 0);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "draft");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (order, "tags"), 1), ==, "test");
}

/* The engine's one preview of a stored order. */
static RelayPreview *
preview_order (Fixture    *fixture,
               const char *squarespace_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayPreview *preview;
  g_autofree char *text = NULL;

  relay_sync_engine_preview_order_async (fixture->engine, squarespace_id, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  preview = relay_sync_engine_preview_finish (fixture->engine, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  text = relay_preview_dup_text (preview);
  g_test_message ("%s", text);
  return preview;
}

/* The sales order in a preview's payload (whatever its layout). */
static JsonObject *
payload_order (RelayPreview *preview,
               JsonNode    **out_node)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (relay_preview_get_payload (preview));
  *out_node = json_from_string (relay_preview_get_payload (preview), &error);
  g_assert_no_error (error);
  return json_object_get_object_member (json_node_get_object (*out_node), "order");
}

/* The sum of the variant ids the payload's lines name: which variants are sent. */
static gint64
payload_variant_sum (RelayPreview *preview)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items = json_object_get_array_member (payload_order (preview, &node), "order_line_items");
  gint64 sum = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (json_object_has_member (item, "variant_id"))
        sum += json_object_get_int_member (item, "variant_id");
    }
  return sum;
}

static const RelayPreviewLine *
preview_line (RelayPreview *preview,
              guint         index)
{
  g_assert_cmpuint (index, <, relay_preview_get_lines (preview)->len);
  return g_ptr_array_index (relay_preview_get_lines (preview), index);
}

/* The base scenario with two active TradeGecko variants sharing SKU CUP-1. */
static void
load_ambiguous_cup (Fixture *fixture)
{
  g_autoptr(GString) text = g_string_new (scenario);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_string_replace (text, "\"variants\":[",
                    "\"variants\":[{\"id\":14,\"sku\":\"CUP-1\",\"product_name\":\"Cup\",\"name\":\"White\"},"
                    "{\"id\":15,\"sku\":\"CUP-1\",\"product_name\":\"Cup\",\"name\":\"Blue\"},", 1);
  node = json_from_string (text->str, &error);
  g_assert_no_error (error);
  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, node, &error));
  g_assert_no_error (error);
}

#define PREVIEW_LINE(sku, name) \
  "{\"sku\":\"" sku "\",\"productName\":\"" name "\",\"quantity\":2,\"unitPricePaid\":{\"value\":\"4.00\",\"currency\":\"USD\"}}"

/* Each line says how it matched or why it did not: by SKU, by an alias, no
 * such SKU, several items with it; the order waits, and nothing is sent. */
static void
test_preview_lines (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(RelayPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const RelayPreviewLine *line;

  load_ambiguous_cup (fixture);
  id = add_order (fixture, "{\"customerEmail\":\"ann@example.com\",\"shippingAddress\":" ANN_ADDRESS ","
                           "\"lineItems\":[" PREVIEW_LINE ("BEAN-1", "Beans") "," PREVIEW_LINE ("SQ-TEE-L", "Tee") ","
                           PREVIEW_LINE ("NOPE-9", "Mystery") "," PREVIEW_LINE ("CUP-1", "Cup") "]}");
  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE-L", "TG-TEE", &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_REJECTED);

  preview = preview_order (fixture, id);
  g_assert_cmpint (relay_preview_get_decision (preview), ==, RELAY_PREVIEW_WAIT);
  g_assert_nonnull (strstr (relay_preview_get_reason (preview), "NOPE-9"));
  g_assert_null (relay_preview_get_payload (preview));
  g_assert_cmpuint (relay_preview_get_lines (preview)->len, ==, 4);

  line = preview_line (preview, 0);
  g_assert_cmpint (line->status, ==, RELAY_LINE_RESOLVED);
  g_assert_cmpint (line->rule, ==, RELAY_MATCH_SKU);
  g_assert_cmpint (line->variant_id, ==, 11);
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price.minor, ==, 400);
  g_assert_false (line->failing);
  line = preview_line (preview, 1);
  g_assert_cmpint (line->status, ==, RELAY_LINE_RESOLVED);
  g_assert_cmpint (line->rule, ==, RELAY_MATCH_SKU_ALIAS);
  g_assert_cmpstr (line->store_sku, ==, "SQ-TEE-L");
  g_assert_cmpstr (line->destination_sku, ==, "TG-TEE");
  g_assert_cmpint (line->variant_id, ==, 13);
  g_assert_false (line->failing);
  line = preview_line (preview, 2);
  g_assert_cmpint (line->status, ==, RELAY_LINE_UNKNOWN_SKU);
  g_assert_cmpint (line->variant_id, ==, 0);
  g_assert_true (line->failing);
  line = preview_line (preview, 3);
  g_assert_cmpint (line->status, ==, RELAY_LINE_AMBIGUOUS_SKU);
  g_assert_true (line->failing);

  /* The command line's text marks exactly the two failing lines. */
  text = relay_preview_dup_text (preview);
  g_assert_nonnull (strstr (text, "[TradeGecko SKU BEAN-1, by SKU]"));
  g_assert_nonnull (strstr (text, "[TradeGecko SKU TG-TEE, by SKU alias]"));
  g_assert_nonnull (strstr (text, "!! 2 × Mystery [NOPE-9]"));
  g_assert_nonnull (strstr (text, "!! 2 × Cup [CUP-1]"));
  g_assert_nonnull (strstr (text, "!! Cannot be sent"));

  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_REJECTED);
}

/* The payload is the body the delivery then sends: same reference, same lines. */
static void
test_preview_payload_is_sent (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = add_order (fixture, "{\"customerEmail\":\"ann@example.com\",\"shippingAddress\":" ANN_ADDRESS ","
                                            "\"lineItems\":[" PREVIEW_LINE ("BEAN-1", "Beans") "," PREVIEW_LINE ("SQ-TEE-L", "Tee") "],"
                                            "\"shippingLines\":[{\"method\":\"Standard\",\"amount\":{\"value\":\"5.00\",\"currency\":\"USD\"}}]}");
  g_autoptr(RelayPreview) preview = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *order;
  JsonArray *sent;
  const RelayPreviewCharge *shipping;

  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_REJECTED);
  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE-L", "TG-TEE", &error));
  g_assert_no_error (error);

  preview = preview_order (fixture, id);
  g_assert_cmpint (relay_preview_get_decision (preview), ==, RELAY_PREVIEW_SEND);
  g_assert_null (relay_preview_get_reason (preview));
  g_assert_nonnull (relay_preview_get_tax_plan (preview));
  g_assert_true (preview_line (preview, 0)->has_tax);
  g_assert_cmpuint (relay_preview_get_shipping (preview)->len, ==, 1);
  shipping = g_ptr_array_index (relay_preview_get_shipping (preview), 0);
  g_assert_cmpstr (shipping->name, ==, "Standard");
  g_assert_cmpint (shipping->amount.minor, ==, 500);

  order = payload_order (preview, &payload);
  g_assert_cmpstr (json_object_get_string_member (order, "reference_number"), ==, relay_preview_get_order_number (preview));
  g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, relay_preview_get_reference (preview));
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "active");
  /* Ann is known to TradeGecko: the customer cache is used, as in a delivery. */
  g_assert_cmpint (json_object_get_int_member (order, "company_id"), ==, 21);
  g_assert_cmpint (payload_variant_sum (preview), ==, 11 + 13);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);

  /* Delivered: the sales order TradeGecko has is the one previewed. */
  g_assert_true (relay_sync_engine_retry_order (fixture->engine, id, &error));
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpuint (count_tradegecko_orders (fixture, relay_preview_get_order_number (preview)), ==, 1);
  state = relay_sandbox_dup_state (fixture->sandbox);
  sent = json_object_get_array_member (state_api (state, "tradegecko"), "orders");
  order = json_array_get_object_element (sent, json_array_get_length (sent) - 1);
  g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, relay_preview_get_reference (preview));
  g_assert_cmpint (json_object_get_int_member (order, "company_id"), ==, 21);
}

/* A test order with test orders set to Skip: not sent, and the preview says so
 * (not "a draft"); set to drafts, the payload is a draft tagged test. */
static void
test_preview_skipped_test_order (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *id = add_order (fixture, "{\"customerEmail\":\"t@example.com\",\"testmode\":true,\"shippingAddress\":"
                                            ANN_ADDRESS ",\"lineItems\":[" PREVIEW_LINE ("BEAN-1", "Beans") "]}");
  g_autoptr(RelayPreview) skipped = NULL;
  g_autoptr(RelayPreview) drafted = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *text = NULL;
  JsonObject *order;

  g_assert_cmpstr (g_settings_get_string (fixture->settings, "test-orders"), ==, "skip");
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_SKIPPED);

  skipped = preview_order (fixture, id);
  g_assert_cmpint (relay_preview_get_decision (skipped), ==, RELAY_PREVIEW_SKIP);
  g_assert_true (relay_preview_get_testmode (skipped));
  g_assert_nonnull (strstr (relay_preview_get_reason (skipped), "test orders are set to be skipped"));
  g_assert_null (relay_preview_get_payload (skipped));
  g_assert_cmpint (preview_line (skipped, 0)->variant_id, ==, 11);
  text = relay_preview_dup_text (skipped);
  g_assert_null (strstr (text, "sent as a draft"));
  g_assert_nonnull (strstr (text, "Test order: skipped"));

  g_settings_set_string (fixture->settings, "test-orders", "draft");
  drafted = preview_order (fixture, id);
  g_assert_cmpint (relay_preview_get_decision (drafted), ==, RELAY_PREVIEW_SEND_DRAFT);
  order = payload_order (drafted, &payload);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "draft");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (order, "tags"), 1), ==, "test");
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);
}

static void
test_unknown_sku_alias_retry (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "SQ-TEE-L", 1);
  g_autoptr(RelayPreview) preview = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_REJECTED);
  g_assert_nonnull (strstr (row->stage_reason, "SQ-TEE-L"));
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);

  /* Retrying without a fix rejects it again, still naming the SKU. */
  g_assert_true (relay_sync_engine_retry_order (fixture->engine, id, &error));
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_REJECTED);

  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE-L", "TG-TEE", &error));
  g_assert_no_error (error);

  /* The preview shows what would be sent, without sending it. */
  preview = preview_order (fixture, id);
  g_assert_cmpint (payload_variant_sum (preview), ==, 13);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);

  g_assert_true (relay_sync_engine_retry_order (fixture->engine, id, &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

/* A new alias retries, through the engine, exactly the orders waiting on its SKU. */
static void
test_add_alias_retries_waiting_orders (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *tee = add_simple_order (fixture, "ann@example.com", "SQ-TEE-L", 1);
  g_autofree char *other = add_simple_order (fixture, "sq-tee-l@example.com", "SQ-MUG-XL", 1);
  g_autoptr(GError) error = NULL;

  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, tee), ==, RELAY_STAGE_REJECTED);
  g_assert_cmpint (stage_of (fixture, other), ==, RELAY_STAGE_REJECTED);

  /* The other order's e-mail names the SKU, its lines do not: it keeps waiting. */
  g_assert_cmpuint (relay_sync_engine_add_item_alias (fixture->engine, " SQ-TEE-L ", "TG-TEE", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (stage_of (fixture, tee), ==, RELAY_STAGE_NEW);
  g_assert_cmpint (stage_of (fixture, other), ==, RELAY_STAGE_REJECTED);

  /* The variant looked up (and missed) before is looked up again: the order is delivered. */
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, tee), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of (fixture, other), ==, RELAY_STAGE_REJECTED);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

static void
test_cancel_before_delivery_and_5xx (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  /* TradeGecko fails every POST: the order waits (in flight, the error shown). */
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_STATUS, 503, 100);
  g_assert_false (run_cycle (fixture, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->problems, ==, 1);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_nonnull (row->last_error);
  g_clear_pointer (&row, relay_order_row_free);

  /* Canceled in Squarespace before it got through: never delivered. */
  g_assert_true (relay_sandbox_cancel_squarespace_order (fixture->sandbox, id, &error));
  relay_sandbox_clear_faults (fixture->sandbox);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_CANCELED);
  run_cycle_ok (fixture);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);
}

static void
test_partial_shipments (Fixture       *fixture,
                        gconstpointer  data)
{
  gboolean each = GPOINTER_TO_INT (data);
  const char *json = "{\"customerEmail\":\"ann@example.com\",\"shippingAddress\":" ANN_ADDRESS ","
                     "\"lineItems\":[{\"sku\":\"BEAN-1\",\"productName\":\"Beans\",\"quantity\":2,\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}},"
                     "{\"sku\":\"MUG-1\",\"productName\":\"Mug\",\"quantity\":1,\"unitPricePaid\":{\"value\":\"9.00\",\"currency\":\"USD\"}}]}";
  g_autofree char *id = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *lines = NULL;
  JsonArray *items;
  gint64 bean_line = 0, mug_line = 0;

  if (each)
    g_settings_set_string (fixture->settings, "shipment-posting", "each-shipment");
  id = add_order (fixture, json);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);

  state = relay_sandbox_dup_state (fixture->sandbox);
  items = json_object_get_array_member (state_api (state, "tradegecko"), "order_line_items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (json_object_get_int_member (item, "order_id") != row->tradegecko_order_id ||
          json_object_get_null_member (item, "variant_id"))
        continue;
      if (json_object_get_int_member (item, "variant_id") == 11)
        bean_line = json_object_get_int_member (item, "id");
      else if (json_object_get_int_member (item, "variant_id") == 12)
        mug_line = json_object_get_int_member (item, "id");
    }
  g_assert_cmpint (bean_line, >, 0);
  g_assert_cmpint (mug_line, >, 0);

  lines = g_strdup_printf ("[{\"order_line_item_id\":%" G_GINT64_FORMAT ",\"quantity\":2}]", bean_line);
  ship (fixture, id, "1Z0000000000000001", lines);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, each ? 1 : 0);

  g_free (lines);
  lines = g_strdup_printf ("[{\"order_line_item_id\":%" G_GINT64_FORMAT ",\"quantity\":1}]", mug_line);
  ship (fixture, id, "1Z0000000000000002", lines);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_CONFIRMED);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 2);

  run_cycle_ok (fixture);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 2);
}

static void
test_rate_limits (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint64 counts[RELAY_N_STAGES] = { 0 };

  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (ids, add_simple_order (fixture, "ann@example.com", "BEAN-1", 1));

  /* TradeGecko: 3 requests a second, then 429 until the window resets.
   * Squarespace: one 429 with Retry-After. */
  relay_sandbox_set_rate_limit (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, 3, 1, 1);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "GET", "/1.0/commerce/orders",
                           RELAY_SANDBOX_FAULT_STATUS, 429, 1);
  run_cycle_ok (fixture);

  g_assert_true (relay_store_count_stages (fixture->store, counts, NULL));
  g_assert_cmpuint (counts[RELAY_STAGE_AT_TRADEGECKO], ==, 6);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 6);
  g_assert_cmpuint (relay_http_get_waits (relay_tradegecko_get_http (fixture->tradegecko)) +
                    relay_http_get_retries (relay_tradegecko_get_http (fixture->tradegecko)), >, 0);
  g_assert_cmpuint (relay_http_get_retries (relay_squarespace_get_http (fixture->squarespace)), >, 0);
}

static void
test_malformed_and_dropped (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *first = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autofree char *second = add_simple_order (fixture, "bob@example.com", "MUG-1", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) row = NULL;

  /* An HTML page instead of the order list, every time: nothing lost, nothing crashes. */
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "GET", "/1.0/commerce/orders",
                           RELAY_SANDBOX_FAULT_NOT_JSON, 0, 10);
  g_assert_false (run_cycle (fixture, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  relay_sandbox_clear_faults (fixture->sandbox);

  /* TradeGecko creates the first order but the answer is cut in half; the second
   * one is created and the connection dropped before the answer. */
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_TRUNCATED, 0, 1);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DROP_AFTER, 0, 1);
  run_cycle (fixture, NULL);
  relay_sandbox_clear_faults (fixture->sandbox);
  run_cycle_ok (fixture);

  g_assert_cmpint (stage_of (fixture, first), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of (fixture, second), ==, RELAY_STAGE_AT_TRADEGECKO);
  row = find_row (fixture, first);
  g_assert_cmpuint (count_tradegecko_orders (fixture, row->cust_po_no), ==, 1);
  g_clear_pointer (&row, relay_order_row_free);
  row = find_row (fixture, second);
  g_assert_cmpuint (count_tradegecko_orders (fixture, row->cust_po_no), ==, 1);

  /* Squarespace records the shipment but the connection drops: re-read, not re-posted. */
  ship (fixture, first, "9400100000000000000009", NULL);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders",
                           RELAY_SANDBOX_FAULT_DROP_AFTER, 0, 1);
  run_cycle (fixture, NULL);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, first), ==, RELAY_STAGE_CONFIRMED);
  g_assert_cmpuint (count_squarespace_shipments (fixture, first), ==, 1);
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(GError) error = NULL;

  relay_http_set_key (relay_squarespace_get_http (fixture->squarespace), RELAY_SANDBOX_SQUARESPACE_READONLY_KEY);
  relay_http_set_key (relay_tradegecko_get_http (fixture->tradegecko), "wrong-token");
  g_assert_false (run_cycle (fixture, &error));
  g_assert_true (relay_error_needs_attention (error));
  g_assert_nonnull (strstr (error->message, "TradeGecko"));
  g_assert_null (strstr (error->message, "wrong-token"));
  g_assert_cmpuint (fixture->problems, ==, 1);

  /* The read-only key still pulls; the order waits for a working TradeGecko key. */
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_NEW);
  g_clear_error (&error);

  relay_http_set_key (relay_tradegecko_get_http (fixture->tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  ship (fixture, id, "9400100000000000000007", NULL);
  g_assert_false (run_cycle (fixture, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Squarespace"));
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_SHIPPED);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 0);
}

static void
test_restart_reconciles (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) row = NULL;

  /* TradeGecko acted but every answer was lost: the order stays in flight. */
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DROP_AFTER, 0, 100);
  g_assert_false (run_cycle (fixture, &error));
  g_clear_error (&error);
  relay_sandbox_clear_faults (fixture->sandbox);
  row = find_row (fixture, id);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_assert_nonnull (row->idempotency_key);
  g_clear_pointer (&row, relay_order_row_free);

  /* A new process on the same file (the keys' replay memory is 24 h, so
   * the reference look-up is what must prevent the duplicate). */
  relay_sandbox_fixture_close (fixture);
  relay_sandbox_fixture_open (fixture);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_cmpuint (count_tradegecko_orders (fixture, row->cust_po_no), ==, 1);
}

/* Edited in Squarespace while waiting: the new address is what TradeGecko gets. */
static void
test_edit_before_delivery (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "SQ-BEAN", 1);
  g_autoptr(JsonNode) changes = json_from_string ("{\"shippingAddress\":{\"firstName\":\"Ann\",\"lastName\":\"Lee\","
                                                  "\"address1\":\"9 New Road\",\"city\":\"Shelbyville\","
                                                  "\"postalCode\":\"54321\",\"countryCode\":\"US\"}}", NULL);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *orders, *addresses;
  JsonObject *order = NULL;
  gint64 address_id;
  guint found = 0;

  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_REJECTED);

  g_assert_true (relay_sandbox_edit_squarespace_order (fixture->sandbox, id, json_node_get_object (changes), &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-BEAN", "BEAN-1", &error));
  g_assert_true (relay_sync_engine_retry_order (fixture->engine, id, &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);

  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  state = relay_sandbox_dup_state (fixture->sandbox);
  orders = json_object_get_array_member (state_api (state, "tradegecko"), "orders");
  g_assert_cmpuint (json_array_get_length (orders), ==, 1);
  order = json_array_get_object_element (orders, 0);
  /* The known customer, a new address. */
  g_assert_cmpint (json_object_get_int_member (order, "company_id"), ==, 21);
  address_id = json_object_get_int_member (order, "shipping_address_id");
  g_assert_cmpint (address_id, !=, 31);
  addresses = json_object_get_array_member (state_api (state, "tradegecko"), "addresses");
  for (guint i = 0; i < json_array_get_length (addresses); i++)
    {
      JsonObject *address = json_array_get_object_element (addresses, i);

      if (json_object_get_int_member (address, "id") != address_id)
        continue;
      g_assert_cmpstr (json_object_get_string_member (address, "address1"), ==, "9 New Road");
      g_assert_cmpint (json_object_get_int_member (address, "company_id"), ==, 21);
      found++;
    }
  g_assert_cmpuint (found, ==, 1);
}

static void
test_refused_then_new_key (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  /* A definitive refusal: the order needs the merchant, the cycle itself went fine. */
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_STATUS, 422, 1);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_REJECTED);
  g_assert_nonnull (strstr (row->stage_reason, "TradeGecko refused"));
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_true (g_str_has_suffix (row->idempotency_key, "-1"));
  g_clear_pointer (&row, relay_order_row_free);

  /* Retried: a new key, so a replay of the refused attempt cannot come back. */
  g_assert_true (relay_sync_engine_retry_order (fixture->engine, id, &error));
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_true (g_str_has_suffix (row->idempotency_key, "-2"));
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

static void
test_digital_lines (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *mixed = add_order (fixture, "{\"customerEmail\":\"ann@example.com\",\"shippingAddress\":" ANN_ADDRESS ","
                                               "\"lineItems\":[{\"sku\":\"BEAN-1\",\"productName\":\"Beans\",\"quantity\":1,"
                                               "\"unitPricePaid\":{\"value\":\"1.00\",\"currency\":\"USD\"}},"
                                               "{\"sku\":null,\"productName\":\"Brewing e-book\",\"lineItemType\":\"DIGITAL\","
                                               "\"quantity\":1,\"unitPricePaid\":{\"value\":\"5.00\",\"currency\":\"USD\"}}]}");
  g_autofree char *digital = add_order (fixture, "{\"customerEmail\":\"ann@example.com\",\"shippingAddress\":" ANN_ADDRESS ","
                                                 "\"lineItems\":[{\"sku\":null,\"productName\":\"Brewing e-book\","
                                                 "\"lineItemType\":\"DIGITAL\",\"quantity\":1,"
                                                 "\"unitPricePaid\":{\"value\":\"5.00\",\"currency\":\"USD\"}}]}");
  g_autoptr(JsonNode) state = NULL;
  JsonObject *order;

  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, mixed), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of (fixture, digital), ==, RELAY_STAGE_SKIPPED);

  state = relay_sandbox_dup_state (fixture->sandbox);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state_api (state, "tradegecko"), "orders")), ==, 1);
  order = json_array_get_object_element (json_object_get_array_member (state_api (state, "tradegecko"), "orders"), 0);
  /* One variant line, and the e-book as a freeform line: nothing to pick,
   * but paid for, so TradeGecko's total is the buyer's. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "order_line_item_ids")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (order, "total"), ==, "6.0");
}

static void
test_packed_and_carriers (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"status\":\"packed\",\"tracking_number\":\"PK0001\","
                                               "\"tracking_company\":\"Australia Post\"}", NULL);
  g_autoptr(JsonObject) order = NULL;
  JsonObject *shipment;

  g_assert_true (relay_store_set_carrier (fixture->store, "Australia Post", "AusPost", &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (relay_sandbox_ship_tradegecko_order (fixture->sandbox, row->tradegecko_order_id,
                                                        json_node_get_object (node), &error), >, 0);
  g_assert_no_error (error);

  /* Packed is not shipped by default. */
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 0);

  /* The warehouse adds tracking at packing: counted when the merchant says so. */
  g_settings_set_boolean (fixture->settings, "count-packed-shipments", TRUE);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_CONFIRMED);
  order = dup_squarespace_order (fixture, id);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 1);
  shipment = json_array_get_object_element (json_object_get_array_member (order, "fulfillments"), 0);
  g_assert_cmpstr (json_object_get_string_member (shipment, "carrierName"), ==, "AusPost");
  g_assert_cmpstr (json_object_get_string_member (shipment, "trackingNumber"), ==, "PK0001");
}

static gboolean
sandbox_saw (Fixture    *fixture,
             const char *method,
             const char *path)
{
  return relay_sandbox_fixture_count_requests (fixture, method, path) > 0;
}

/* Stopped while TradeGecko is still working on the POST: the order is neither
 * rejected nor lost nor sent twice. */
static void
test_stopped_mid_post (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DELAY, 1000, 1);
  relay_sync_engine_run_cycle_async (fixture->engine, cancellable, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (sandbox_saw (fixture, "POST", "/orders"), 30);
  g_cancellable_cancel (cancellable);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_false (relay_sync_engine_run_cycle_finish (fixture->engine, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->problems, ==, 0);

  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_clear_pointer (&row, relay_order_row_free);

  /* The sandbox finishes the delayed request on its own; then a new cycle finds it. */
  RELAY_TEST_ITERATE_UNTIL (count_tradegecko_orders (fixture, NULL) == 1, 30);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

/* Runs a cycle with TradeGecko's client on @clock, moving the clock on as the cycle meets a
 * request the sandbox holds unanswered (75 s: RelayHttp's watchdog, docs/design.md) or a
 * backoff (8 s at most): the time such a cycle takes, without waiting it. */
static gboolean
run_cycle_on_clock (Fixture     *fixture,
                    RelayClock  *clock,
                    GError     **error)
{
  RelayHttp *http = relay_tradegecko_get_http (fixture->tradegecko);
  g_autoptr(GAsyncResult) result = NULL;
  guint retries = relay_http_get_retries (http);

  relay_sync_engine_run_cycle_async (fixture->engine, NULL, got_result_cb, &result);
  for (;;)
    {
      RELAY_TEST_ITERATE_UNTIL (result != NULL || relay_sandbox_get_held_count (fixture->sandbox) > 0 ||
                                relay_http_get_retries (http) > retries, 60);
      if (result != NULL)
        break;
      if (relay_sandbox_get_held_count (fixture->sandbox) > 0)
        {
          relay_clock_advance (clock, 75 * G_USEC_PER_SEC);
          /* Given up on: the client closes that connection. */
          RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_held_count (fixture->sandbox) == 0, 60);
        }
      if (relay_http_get_retries (http) > retries)
        {
          retries = relay_http_get_retries (http);
          relay_clock_advance (clock, 8 * G_USEC_PER_SEC);
        }
    }
  return relay_sync_engine_run_cycle_finish (fixture->engine, result, error);
}

/* TradeGecko creates the sales order but never answers, every attempt: the cycle still ends,
 * the order is kept in flight (not rejected, not lost), and the next cycle finds it there:
 * one sales order in TradeGecko. */
static void
test_hung_request (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(RelayClock) clock = relay_clock_new_manual (g_get_real_time ());
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  relay_http_set_clock (relay_tradegecko_get_http (fixture->tradegecko), clock);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_HANG_AFTER, 0, 100);
  g_assert_false (run_cycle_on_clock (fixture, clock, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NETWORK);
  g_clear_error (&error);
  /* Each attempt was given up on and sent again with the same key: TradeGecko made one order. */
  g_assert_cmpuint (relay_sandbox_fixture_count_requests (fixture, "POST", "/orders"), ==, 3);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_clear_pointer (&row, relay_order_row_free);

  relay_sandbox_clear_faults (fixture->sandbox);
  g_assert_true (run_cycle_on_clock (fixture, clock, &error));
  g_assert_no_error (error);
  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_cmpuint (count_tradegecko_orders (fixture, row->cust_po_no), ==, 1);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

/* Where in the sandbox's log (arrival order) the first and last request of a
 * kind came: a fulfilment POST to Squarespace (@squarespace) or a sales-order POST
 * to TradeGecko. Returns how many there were. */
static guint
find_posts (Fixture  *fixture,
            gboolean  squarespace,
            gint     *first,
            gint     *last)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (fixture->sandbox);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
  guint n = 0;

  *first = *last = -1;
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *path = json_object_get_string_member (request, "path");
      gboolean match;

      if (g_strcmp0 (json_object_get_string_member (request, "method"), "POST") != 0)
        continue;
      match = squarespace ? g_str_equal (json_object_get_string_member (request, "api"), "squarespace") &&
                            g_str_has_suffix (path, "/fulfillments")
                          : g_str_equal (json_object_get_string_member (request, "api"), "tradegecko") &&
                            g_str_equal (path, "/orders");
      if (!match)
        continue;
      if (*first < 0)
        *first = (gint) i;
      *last = (gint) i;
      n++;
    }
  return n;
}

#define OVERLAP_ORDERS 6

/* @n orders delivered and shipped (their tracking waits to be posted), then @n
 * new ones placed (waiting to be delivered); every write to either API slowed
 * down, so that each flow's writes take a while. Returns the shipped orders' ids. */
static GPtrArray *
set_up_both_backlogs (Fixture *fixture,
                      guint    n)
{
  GPtrArray *shipped = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (shipped, add_simple_order (fixture, i % 2 ? "ann@example.com" : "bob@example.com", "BEAN-1", 1));
  run_cycle_ok (fixture);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tracking = g_strdup_printf ("94001000000000000%05u", i);

      g_assert_cmpint (stage_of (fixture, g_ptr_array_index (shipped, i)), ==, RELAY_STAGE_AT_TRADEGECKO);
      ship (fixture, g_ptr_array_index (shipped, i), tracking, NULL);
    }
  for (guint i = 0; i < n; i++)
    g_free (add_simple_order (fixture, "carol@example.com", "MUG-1", 1));

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DELAY, 250, 1000);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DELAY, 250, 1000);
  relay_sandbox_clear_request_log (fixture->sandbox);
  return shipped;
}

/* One cycle with orders to deliver and tracking to post works on both at once:
 * each flow's first write comes before the other flow's last (one after the
 * other, every sales order would come before every fulfilment). Still exactly
 * once: each order once in TradeGecko, each shipment once in Squarespace. */
static void
test_flows_overlap (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) shipped = set_up_both_backlogs (fixture, OVERLAP_ORDERS);
  gint first_sq, last_sq, first_tg, last_tg;

  run_cycle_ok (fixture);

  g_assert_cmpuint (find_posts (fixture, TRUE, &first_sq, &last_sq), ==, OVERLAP_ORDERS);
  g_assert_cmpuint (find_posts (fixture, FALSE, &first_tg, &last_tg), ==, OVERLAP_ORDERS);
  g_assert_cmpint (first_sq, <, last_tg);
  g_assert_cmpint (first_tg, <, last_sq);

  for (guint i = 0; i < shipped->len; i++)
    {
      g_assert_cmpint (stage_of (fixture, g_ptr_array_index (shipped, i)), ==, RELAY_STAGE_CONFIRMED);
      g_assert_cmpuint (count_squarespace_shipments (fixture, g_ptr_array_index (shipped, i)), ==, 1);
    }
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 2 * OVERLAP_ORDERS);
  g_assert_cmpint (relay_store_count_orders (fixture->store, RELAY_STAGE_NEW, NULL, NULL), ==, 0);
  g_assert_cmpuint (fixture->problems, ==, 0);

  /* Later cycles send nothing again. */
  run_cycle_ok (fixture);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 2 * OVERLAP_ORDERS);
  for (guint i = 0; i < shipped->len; i++)
    g_assert_cmpuint (count_squarespace_shipments (fixture, g_ptr_array_index (shipped, i)), ==, 1);
}

typedef struct
{
  RelaySyncProgress *progress;
  gboolean           both_lanes_shown;   /* a line named delivering and posting at once */
  gboolean           pull_after_deliver; /* the pull shown after delivering began */
  gboolean           delivering;
} ProgressSeen;

static void
progress_seen_cb (RelaySyncEngine *engine,
                  const char      *flow,
                  guint            done,
                  guint            total,
                  ProgressSeen    *seen)
{
  g_autofree char *text = NULL;

  relay_sync_progress_update (seen->progress, flow, done, total);
  text = relay_sync_progress_dup_text (seen->progress);
  if (strstr (text, "Delivering to TradeGecko: ") != NULL && strstr (text, "Sending tracking to Squarespace: ") != NULL)
    seen->both_lanes_shown = TRUE;
  if (seen->delivering && strstr (text, "Retrieving from Squarespace") != NULL)
    seen->pull_after_deliver = TRUE;
  seen->delivering |= g_str_equal (flow, "deliver");
}

/* The lanes' reports, as the window joins them: one line names both flows at
 * once while they overlap, and by the cycle's end every counted step is done. */
static void
test_progress_both_lanes (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) shipped = set_up_both_backlogs (fixture, OVERLAP_ORDERS);
  g_autoptr(RelaySyncProgress) progress = relay_sync_progress_new ();
  ProgressSeen seen = { progress };
  g_autofree char *last = NULL;
  gulong handler;

  handler = g_signal_connect (fixture->engine, "progress", G_CALLBACK (progress_seen_cb), &seen);
  run_cycle_ok (fixture);
  g_signal_handler_disconnect (fixture->engine, handler);

  g_assert_true (seen.both_lanes_shown);
  g_assert_false (seen.pull_after_deliver);
  g_assert_cmpfloat (relay_sync_progress_get_fraction (progress), ==, 1.0);
  last = relay_sync_progress_dup_text (progress);
  g_assert_null (strstr (last, "Delivering"));
  g_assert_null (strstr (last, "Sending tracking"));
}

/* Whether the sandbox has answered (or dropped) every request it received. */
static gboolean
all_requests_answered (Fixture *fixture)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (fixture->sandbox);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");

  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (!json_object_has_member (json_array_get_object_element (requests, i), "status"))
      return FALSE;
  return TRUE;
}

static void
overlap_cycle_finished_cb (RelaySyncEngine *engine,
                           const GError    *error,
                           guint           *finished)
{
  (*finished)++;
}

/* Whether every order of @ids claimed for a tracking post has its POST at
 * Squarespace: a post claimed and stopped before it left stays claimed until
 * RELAY_SYNC_ENGINE_POST_SETTLE_S have passed (it might yet land), too long for a test. */
static gboolean
claimed_posts_arrived (Fixture   *fixture,
                       GPtrArray *ids)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (fixture->sandbox);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) row = find_row (fixture, g_ptr_array_index (ids, i));
      g_autofree char *suffix = g_strdup_printf ("/%s/fulfillments", row->squarespace_id);
      gboolean arrived = FALSE;

      for (guint j = 0; j < json_array_get_length (requests) && !arrived; j++)
        {
          JsonObject *request = json_array_get_object_element (requests, j);

          arrived = g_str_equal (json_object_get_string_member (request, "method"), "POST") &&
                    g_str_has_suffix (json_object_get_string_member (request, "path"), suffix);
        }
      if (row->in_flight == RELAY_IN_FLIGHT_POST_TRACKING && !arrived)
        return FALSE;
    }
  return TRUE;
}

/* Stopped while both flows have a write under way: the cycle ends once, with
 * the cancellation; the next cycle reconciles both claims and sends nothing twice. */
static void
test_flows_overlap_stopped (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) shipped = set_up_both_backlogs (fixture, OVERLAP_ORDERS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint finished = 0;
  gint first, last;

  g_signal_connect (fixture->engine, "cycle-finished", G_CALLBACK (overlap_cycle_finished_cb), &finished);
  relay_sync_engine_run_cycle_async (fixture->engine, cancellable, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (find_posts (fixture, TRUE, &first, &last) > 0 && find_posts (fixture, FALSE, &first, &last) > 0 &&
                            claimed_posts_arrived (fixture, shipped), 30);
  g_cancellable_cancel (cancellable);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_false (relay_sync_engine_run_cycle_finish (fixture->engine, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_false (relay_sync_engine_get_busy (fixture->engine));
  g_assert_cmpuint (fixture->problems, ==, 0);

  /* The slowed writes land on their own; then cycles settle everything. */
  relay_sandbox_clear_faults (fixture->sandbox);
  RELAY_TEST_ITERATE_UNTIL (all_requests_answered (fixture), 30);
  run_cycle_ok (fixture);
  run_cycle_ok (fixture);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 2 * OVERLAP_ORDERS);
  g_assert_cmpint (relay_store_count_orders (fixture->store, RELAY_STAGE_NEW, NULL, NULL), ==, 0);
  for (guint i = 0; i < shipped->len; i++)
    {
      g_assert_cmpint (stage_of (fixture, g_ptr_array_index (shipped, i)), ==, RELAY_STAGE_CONFIRMED);
      g_assert_cmpuint (count_squarespace_shipments (fixture, g_ptr_array_index (shipped, i)), ==, 1);
    }
  g_assert_cmpuint (finished, ==, 3);
}

static void
cycle_finished_cb (RelaySyncEngine *engine,
                   const GError    *error,
                   guint           *finished)
{
  (*finished)++;
}

static void
test_loop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  guint finished = 0;

  g_signal_connect (fixture->engine, "cycle-finished", G_CALLBACK (cycle_finished_cb), &finished);
  relay_sync_engine_start (fixture->engine);
  RELAY_TEST_ITERATE_UNTIL (finished == 1, 30);
  g_assert_false (relay_sync_engine_get_busy (fixture->engine));
  /* The next cycle is a poll interval away (less the seconds this test took). */
  g_assert_cmpint (relay_sync_engine_get_next_sync (fixture->engine), >,
                   g_get_real_time () / G_USEC_PER_SEC +
                   60 * (gint64) g_settings_get_uint (fixture->settings, "poll-interval-minutes") - 30);
  g_assert_cmpint (relay_sync_engine_get_last_sync (fixture->engine, "squarespace"), >, 0);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);

  relay_sync_engine_sync_now (fixture->engine);
  RELAY_TEST_ITERATE_UNTIL (finished == 2, 30);
  relay_sync_engine_stop (fixture->engine);
  g_assert_cmpint (relay_sync_engine_get_next_sync (fixture->engine), ==, 0);
}

static gboolean
has_event (Fixture    *fixture,
           const char *id,
           const char *kind)
{
  g_autoptr(GPtrArray) events = relay_store_dup_events (fixture->store, id, NULL);

  for (guint i = 0; events != NULL && i < events->len; i++)
    if (g_strcmp0 (((RelayEvent *) g_ptr_array_index (events, i))->kind, kind) == 0)
      return TRUE;
  return FALSE;
}

static const char *
tradegecko_status (Fixture    *fixture,
                   const char *id)
{
  static char status[32];
  g_autoptr(RelayOrderRow) row = find_row (fixture, id);
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->sandbox);
  JsonArray *orders = json_object_get_array_member (state_api (state, "tradegecko"), "orders");

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (json_object_get_int_member (order, "id") == row->tradegecko_order_id)
        {
          g_strlcpy (status, json_object_get_string_member (order, "status"), sizeof status);
          return status;
        }
    }
  return NULL;
}

/* Squarespace's listings lag 10 minutes behind its orders (the issue's worst case):
 * a new order and a cancel are both seen by the next cycles, within the overlap. */
static void
test_visibility_lag (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  run_cycle_ok (fixture);
  relay_sandbox_set_visibility_lag (fixture->sandbox, 600);
  id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);

  g_assert_true (relay_sandbox_cancel_squarespace_order (fixture->sandbox, id, &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_CANCELED);
  g_assert_cmpstr (tradegecko_status (fixture, id), ==, "void");
  g_assert_true (has_event (fixture, id, "voided"));
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 0);
}

/* A change that shows later than the pull overlap is taken in by the
 * reconciliation sweep the loop runs on start; created and canceled before it
 * shows, the order is never sent. */
static void
test_sweep (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *late = NULL;
  g_autofree char *canceled = NULL;
  g_autoptr(GError) error = NULL;
  guint finished = 0;

  run_cycle_ok (fixture);
  relay_sandbox_set_visibility_lag (fixture->sandbox, 30 * 60);
  late = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  canceled = add_simple_order (fixture, "ann@example.com", "MUG-1", 1);
  g_assert_true (relay_sandbox_cancel_squarespace_order (fixture->sandbox, canceled, &error));
  g_assert_no_error (error);

  /* Past the overlap: the pull window does not reach it. */
  run_cycle_ok (fixture);
  g_assert_null (relay_store_find_order (fixture->store, late, NULL));

  g_signal_connect (fixture->engine, "cycle-finished", G_CALLBACK (cycle_finished_cb), &finished);
  relay_sync_engine_start (fixture->engine);
  RELAY_TEST_ITERATE_UNTIL (finished == 1, 30);
  relay_sync_engine_stop (fixture->engine);
  g_assert_cmpint (stage_of (fixture, late), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_null (relay_store_find_order (fixture->store, canceled, NULL));
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

/* Canceled after delivery: voided by default, only flagged with the setting;
 * after shipping: needs attention. Each outcome on the timeline. */
static void
test_cancel_after_delivery (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *mode = data;
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (mode, "flag"))
    g_settings_set_string (fixture->settings, "canceled-after-delivery", "flag");
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  if (g_str_equal (mode, "shipped"))
    {
      ship (fixture, id, "9400100000000000000001", NULL);
      run_cycle_ok (fixture);
      g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_CONFIRMED);
    }

  g_assert_true (relay_sandbox_cancel_squarespace_order (fixture->sandbox, id, &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  run_cycle_ok (fixture);

  row = find_row (fixture, id);
  g_assert_true (has_event (fixture, id, "canceled-after-delivery"));
  g_assert_false (row->cancel_pending);
  if (g_str_equal (mode, "void"))
    {
      g_assert_cmpint (row->stage, ==, RELAY_STAGE_CANCELED);
      g_assert_cmpstr (tradegecko_status (fixture, id), ==, "void");
      g_assert_true (has_event (fixture, id, "voided"));
    }
  else
    {
      g_assert_cmpint (row->stage, ==, g_str_equal (mode, "shipped") ? RELAY_STAGE_CONFIRMED : RELAY_STAGE_AT_TRADEGECKO);
      g_assert_cmpstr (tradegecko_status (fixture, id), !=, "void");
      g_assert_nonnull (row->last_error);
      g_assert_cmpstr (row->error_kind, ==, "canceled-after-delivery");
      g_assert_true (has_event (fixture, id, "needs-attention"));
      g_assert_false (has_event (fixture, id, "voided"));
    }
}

/* A shipment without tracking (pickup, local delivery) still fulfils the
 * Squarespace order, once, without a parcel and with the notification setting. */
static void
test_untracked_shipment (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonNode) untracked = json_from_string ("{\"tracking_company\":\"Pickup\"}", NULL);
  g_autoptr(GError) error = NULL;

  g_settings_set_boolean (fixture->settings, "notify-customer", FALSE);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (relay_sandbox_ship_tradegecko_order (fixture->sandbox, row->tradegecko_order_id,
                                                        json_node_get_object (untracked), &error), >, 0);
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  run_cycle_ok (fixture);

  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_CONFIRMED);
  order = dup_squarespace_order (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (order, "fulfillmentStatus"), ==, "FULFILLED");
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 0);
  {
    g_autofree char *path = g_strdup_printf ("/1.0/commerce/orders/%s/fulfillments", id);

    g_assert_true (sandbox_saw (fixture, "POST", path));
  }
}

/* Hands the order's in-flight claim to @pid, as if that process had made it. */
static void
give_claim_to (Fixture    *fixture,
               const char *id,
               gint64      pid)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE orders SET claim_pid = %" G_GINT64_FORMAT " WHERE squarespace_id = '%s'",
                                          pid, id);

  g_assert_cmpint (sqlite3_open (fixture->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A delivery claimed by another process that is still running is left to it:
 * not reconciled, not sent again; once that process is gone, it is settled. */
static void
test_live_claim (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  const char *argv[] = { "sleep", "60", NULL };
  g_autoptr(GSubprocess) other = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DELAY, 500, 1);
  relay_sync_engine_run_cycle_async (fixture->engine, cancellable, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (sandbox_saw (fixture, "POST", "/orders"), 30);
  g_cancellable_cancel (cancellable);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  RELAY_TEST_ITERATE_UNTIL (count_tradegecko_orders (fixture, NULL) == 1, 30);

  other = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  give_claim_to (fixture, id, g_ascii_strtoll (g_subprocess_get_identifier (other), NULL, 10));

  relay_sandbox_clear_request_log (fixture->sandbox);
  run_cycle_ok (fixture);
  row = find_row (fixture, id);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_false (sandbox_saw (fixture, "POST", "/orders"));
  g_clear_pointer (&row, relay_order_row_free);

  g_subprocess_force_exit (other);
  g_assert_true (g_subprocess_wait (other, NULL, &error));
  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpuint (count_tradegecko_orders (fixture, NULL), ==, 1);
}

/* A 409 from the fulfilment endpoint means another post is in progress: no
 * failure, no second post; the order waits in flight to be re-read once that
 * post had time to land. */
static void
test_tracking_conflict (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);
  g_autofree char *path = g_strdup_printf ("/1.0/commerce/orders/%s/fulfillments", id);
  g_autoptr(RelayOrderRow) row = NULL;

  run_cycle_ok (fixture);
  ship (fixture, id, "9400100000000000000409", NULL);
  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", path,
                           RELAY_SANDBOX_FAULT_STATUS, 409, 1);
  run_cycle_ok (fixture);
  run_cycle_ok (fixture);

  row = find_row (fixture, id);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_POST_TRACKING);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_SHIPPED);
  g_assert_true (has_event (fixture, id, "tracking-in-progress"));
  g_assert_cmpuint (fixture->problems, ==, 0);
  g_assert_cmpuint (relay_sandbox_fixture_count_requests (fixture, "POST", path), ==, 1);
  g_assert_cmpuint (count_squarespace_shipments (fixture, id), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Sales orders that match Squarespace to the cent                           */

#define USD(v) "{\"value\":\"" v "\",\"currency\":\"USD\"}"
#define EUR(v) "{\"value\":\"" v "\",\"currency\":\"EUR\"}"
#define JPY(v) "{\"value\":\"" v "\",\"currency\":\"JPY\"}"
#define LINE(sku, qty, price) "{\"sku\":\"" sku "\",\"productName\":\"" sku "\",\"quantity\":" #qty ",\"unitPricePaid\":" price "}"
#define ORDER(id, created, currency, extra, lines) \
  "{\"id\":\"" id "\",\"customerEmail\":\"ann@example.com\",\"createdOn\":\"" created "\",\"currency\":\"" currency "\"," \
  "\"shippingAddress\":" ANN_ADDRESS "," extra "\"lineItems\":[" lines "]}"

/* Exclusive and inclusive prices, discounts, shipping, three currencies (JPY
 * has no minor unit) and rates that round differently per line than per
 * order; a service line among goods; then a service-only order and one in a
 * currency the account lacks. Squarespace's grandTotal follows from the
 * sandbox's checks (subtotal + shipping − discount, + tax when exclusive). */
static const char *totals_scenario =
  "{\"squarespace\":{\"orders\":["
  ORDER ("00000000000000000000aa01", "@EARLY@", "USD",
         "\"shippingLines\":[{\"method\":\"Flat\",\"amount\":" USD ("5.00") "}],"
         "\"discountLines\":[{\"name\":\"Fall Sale\",\"amount\":" USD ("1.00") ",\"promoCode\":\"FALL\"}],"
         "\"taxTotal\":" USD ("2.84") ",\"priceTaxInterpretation\":\"EXCLUSIVE\","
         "\"internalNotes\":[{\"content\":\"Call before delivery\"}],"
         "\"formSubmission\":[{\"label\":\"Gift message\",\"value\":\"Happy birthday!\"}],",
         LINE ("BEAN-1", 2, USD ("14.00"))) ","
  ORDER ("00000000000000000000aa02", "@NOON@", "USD",
         "\"taxTotal\":" USD ("0.26") ",\"priceTaxInterpretation\":\"EXCLUSIVE\",",
         LINE ("BEAN-1", 1, USD ("0.99")) "," LINE ("MUG-1", 1, USD ("0.99")) "," LINE ("TG-TEE", 1, USD ("0.99"))) ","
  ORDER ("00000000000000000000aa03", "@NOON@", "USD",
         "\"shippingLines\":[{\"method\":\"Flat\",\"amount\":" USD ("4.00") "}],",
         LINE ("MUG-1", 3, USD ("9.99"))) ","
  ORDER ("00000000000000000000aa04", "@NOON@", "EUR",
         "\"shippingLines\":[{\"method\":\"DHL\",\"amount\":" EUR ("4.90") "}],"
         "\"discountLines\":[{\"name\":\"Welcome\",\"amount\":" EUR ("5.00") ",\"promoCode\":\"HELLO\"}],"
         "\"taxTotal\":" EUR ("7.98") ",\"priceTaxInterpretation\":\"INCLUSIVE\",",
         LINE ("BEAN-1", 2, EUR ("24.00"))) ","
  ORDER ("00000000000000000000aa05", "@NOON@", "JPY",
         "\"shippingLines\":[{\"method\":\"Yamato\",\"amount\":" JPY ("770") "}],"
         "\"taxTotal\":" JPY ("610") ",\"priceTaxInterpretation\":\"INCLUSIVE\",",
         LINE ("MUG-1", 3, JPY ("1980"))) ","
  ORDER ("00000000000000000000aa06", "@NOON@", "JPY",
         "\"discountLines\":[{\"name\":\"Coupon\",\"amount\":" JPY ("300") ",\"promoCode\":\"JP300\"}],"
         "\"taxTotal\":" JPY ("270") ",\"priceTaxInterpretation\":\"EXCLUSIVE\",",
         LINE ("BEAN-1", 2, JPY ("1500"))) ","
  ORDER ("00000000000000000000aa07", "@NOON@", "USD",
         "\"taxTotal\":" USD ("1.33") ",\"priceTaxInterpretation\":\"EXCLUSIVE\",",
         LINE ("BEAN-1", 1, USD ("10.00")) ","
         "{\"sku\":\"SQ9911\",\"productName\":\"Gift wrapping\",\"lineItemType\":\"SERVICE\",\"quantity\":1,"
         "\"unitPricePaid\":" USD ("5.00") "}") ","
  ORDER ("00000000000000000000aa08", "@NOON@", "USD", "",
         "{\"sku\":\"SQ9912\",\"productName\":\"Consultation\",\"lineItemType\":\"SERVICE\",\"quantity\":1,"
         "\"unitPricePaid\":" USD ("40.00") "}") ","
  ORDER ("00000000000000000000aa09", "@NOON@", "GBP", "",
         LINE ("BEAN-1", 1, "{\"value\":\"9.00\",\"currency\":\"GBP\"}"))
  "]},"
  " \"tradegecko\":{"
  "  \"variants\":["
  "   {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\"},"
  "   {\"id\":12,\"sku\":\"MUG-1\",\"product_name\":\"Mug\",\"name\":\"Black\"},"
  "   {\"id\":13,\"sku\":\"TG-TEE\",\"product_name\":\"Tee\",\"name\":\"L\"}],"
  "  \"locations\":[{\"id\":1,\"label\":\"Main Warehouse\",\"status\":\"active\"},"
  "                 {\"id\":2,\"label\":\"East Coast\",\"status\":\"active\"}]}}";

/* What each order of totals_scenario tries, for the table in the log. */
static const char *
totals_case (const char *id)
{
  static const char * const cases[] = {
    "exclusive 8.875 %, shipping, discount",
    "exclusive, three 0.99 lines: a rounding line",
    "no tax, shipping",
    "inclusive VAT 20 % (mapped), shipping, discount",
    "inclusive JCT 10 % (mapped), shipping",
    "exclusive JCT 10 % (mapped), discount",
    "exclusive, goods and a service line",
  };
  guint index = (guint) g_ascii_strtoull (id + strlen (id) - 2, NULL, 16);

  return index >= 1 && index <= G_N_ELEMENTS (cases) ? cases[index - 1] : "";
}

static JsonObject *
find_tradegecko_order (JsonNode   *state,
                       const char *reference)
{
  JsonArray *orders = json_object_get_array_member (state_api (state, "tradegecko"), "orders");

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (order, "reference_number", NULL), reference) == 0)
        return order;
    }
  return NULL;
}

/* A TradeGecko decimal string ("34.84", "6710.0") in minor units of @currency. */
static gint64
tradegecko_minor (const char *text,
                  const char *currency)
{
  g_autoptr(GError) error = NULL;
  gint64 e4 = 0;
  gint64 unit = 1;

  g_assert_true (relay_decimal_parse (text, 4, &e4, &error));
  g_assert_no_error (error);
  for (guint i = relay_money_currency_exponent (currency); i < 4; i++)
    unit *= 10;
  g_assert_cmpint (e4 % unit, ==, 0);
  return e4 / unit;
}

static void
test_totals_match (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) early = g_date_time_new_utc (g_date_time_get_year (yesterday), g_date_time_get_month (yesterday),
                                                    g_date_time_get_day_of_month (yesterday), 3, 30, 0);
  g_autoptr(GDateTime) day_before = g_date_time_add_days (early, -1);
  g_autoptr(GString) text = g_string_new (totals_scenario);
  g_autofree char *early_text = g_date_time_format (early, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *noon_text = g_date_time_format (yesterday, "%Y-%m-%dT12:00:00.000Z");
  g_autofree char *expected_issued = g_date_time_format (day_before, "%Y-%m-%d");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(GVariantBuilder) rates = g_variant_builder_new (G_VARIANT_TYPE ("a{sx}"));
  JsonArray *squarespace_orders;
  guint compared = 0;

  g_string_replace (text, "@EARLY@", early_text, 0);
  g_string_replace (text, "@NOON@", noon_text, 0);
  node = json_from_string (text->str, &error);
  g_assert_no_error (error);
  g_assert_true (relay_sandbox_load_scenario (fixture->sandbox, node, &error));
  g_assert_no_error (error);
  /* VAT and Japanese consumption tax have their own TradeGecko tax types;
   * everything else (US sales tax) goes to the account's default. */
  g_variant_builder_add (rates, "{sx}", "20", (gint64) 3);
  g_variant_builder_add (rates, "{sx}", "10", (gint64) 4);
  g_settings_set_value (fixture->settings, "tax-rate-types", g_variant_builder_end (rates));
  g_settings_set_int64 (fixture->settings, "stock-location-id", 2);

  run_cycle_ok (fixture);

  state = relay_sandbox_dup_state (fixture->sandbox);
  squarespace_orders = json_object_get_array_member (state_api (state, "squarespace"), "orders");
  g_test_message ("%-8s %-4s %18s %18s  %s", "order", "cur", "Squarespace total", "TradeGecko total", "case");
  for (guint i = 0; i < json_array_get_length (squarespace_orders); i++)
    {
      JsonObject *order = json_array_get_object_element (squarespace_orders, i);
      const char *id = json_object_get_string_member (order, "id");
      const char *number = json_object_get_string_member (order, "orderNumber");
      g_autoptr(RelayOrderRow) row = find_row (fixture, id);
      JsonObject *grand = json_object_get_object_member (order, "grandTotal");
      const char *currency = json_object_get_string_member (grand, "currency");
      RelayMoney squarespace, tradegecko;
      JsonObject *created;

      if (row->stage != RELAY_STAGE_AT_TRADEGECKO)
        continue;
      created = find_tradegecko_order (state, row->cust_po_no);
      g_assert_nonnull (created);
      g_assert_true (relay_squarespace_parse_money (grand, &squarespace, NULL));
      relay_money_init (&tradegecko, tradegecko_minor (json_object_get_string_member (created, "total"), currency),
                        currency);
      {
        g_autofree char *a = relay_money_format (&squarespace);
        g_autofree char *b = relay_money_format (&tradegecko);

        g_test_message ("%-8s %-4s %18s %18s  %s", number, currency, a, b, totals_case (id));
      }
      g_assert_cmpint (tradegecko.minor, ==, squarespace.minor);
      g_assert_cmpint (json_object_get_int_member (created, "stock_location_id"), ==, 2);
      compared++;
    }
  /* Seven orders went; the service-only one and the GBP one did not. */
  g_assert_cmpuint (compared, ==, 7);

  /* Every line names a tax type; 1002's three 0.99 lines round up a cent more
   * per line than Squarespace's order-level tax, which a rounding line gives
   * back; the gift wrapping of 1007 is a freeform line, not stock. */
  {
    JsonArray *items = json_object_get_array_member (state_api (state, "tradegecko"), "order_line_items");
    guint rounding = 0, services = 0;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);

        g_assert_false (json_node_is_null (json_object_get_member (item, "tax_type_id")));
        if (g_strcmp0 (json_object_get_string_member_with_default (item, "line_type", NULL), "rounding") == 0)
          {
            g_assert_cmpstr (json_object_get_string_member (item, "price"), ==, "-0.01");
            rounding++;
          }
        if (g_strcmp0 (json_object_get_string_member_with_default (item, "label", NULL),
                       "Gift wrapping (SQ9911, service)") == 0)
          {
            g_assert_true (json_object_get_boolean_member (item, "freeform"));
            services++;
          }
      }
    g_assert_cmpuint (rounding, ==, 1);
    g_assert_cmpuint (services, ==, 1);
  }

  {
    g_autoptr(RelayOrderRow) services = find_row (fixture, "00000000000000000000aa08");
    g_autoptr(RelayOrderRow) pounds = find_row (fixture, "00000000000000000000aa09");
    g_autoptr(RelayOrderRow) first = find_row (fixture, "00000000000000000000aa01");
    JsonObject *created = find_tradegecko_order (state, first->cust_po_no);
    const char *notes = json_object_get_string_member (created, "notes");

    g_assert_cmpint (services->stage, ==, RELAY_STAGE_SKIPPED);
    g_assert_nonnull (strstr (services->stage_reason, "services"));
    g_assert_cmpint (pounds->stage, ==, RELAY_STAGE_REJECTED);
    g_assert_nonnull (strstr (pounds->stage_reason, "GBP"));
    g_assert_nonnull (strstr (pounds->stage_reason, "Currencies"));
    /* 03:30 UTC is still the day before in the account's New York. */
    g_assert_cmpstr (json_object_get_string_member (created, "issued_at"), ==, expected_issued);
    g_assert_nonnull (strstr (notes, "Call before delivery"));
    g_assert_nonnull (strstr (notes, "Happy birthday!"));
  }
}

/* Delivery writes both totals to the timeline; a refund in Squarespace is
 * shown there too (TradeGecko's API has no refunds to send it to). */
static void
test_totals_and_refund_timeline (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 2);
  g_autoptr(JsonNode) refund = json_from_string ("{\"refundedTotal\":{\"value\":\"5.00\",\"currency\":\"USD\"}}", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *totals = NULL, *refunded = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *squarespace_side = NULL;
  g_autofree char *tradegecko_side = NULL;
  RelayMoney total;

  run_cycle_ok (fixture);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_true (relay_sandbox_edit_squarespace_order (fixture->sandbox, id, json_node_get_object (refund), &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);

  events = relay_store_dup_events (fixture->store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      RelayEvent *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->kind, "totals") == 0)
        totals = event->detail;
      if (g_strcmp0 (event->kind, "refunded") == 0)
        refunded = event->detail;
    }
  g_assert_nonnull (totals);
  g_test_message ("totals: %s", totals);
  relay_money_init (&total, 3800, "USD");
  shown = relay_money_format_display (&total);
  squarespace_side = g_strconcat ("Squarespace ", shown, NULL);
  tradegecko_side = g_strconcat ("TradeGecko ", shown, NULL);
  g_assert_nonnull (strstr (totals, squarespace_side));
  g_assert_nonnull (strstr (totals, tradegecko_side));
  g_assert_nonnull (refunded);
  g_assert_nonnull (strstr (refunded, "5.00"));
}

/* Squarespace SKUs need not be unique: two variants sharing SQ-TWIN reach two
 * TradeGecko variants through their variant aliases. */
static void
test_variant_aliases (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = add_order (fixture, "{\"customerEmail\":\"ann@example.com\",\"shippingAddress\":" ANN_ADDRESS ","
                                            "\"lineItems\":["
                                            "{\"sku\":\"SQ-TWIN\",\"variantId\":\"aaaaaaaa-0000-4000-8000-000000000001\","
                                            "\"productName\":\"Beans\",\"quantity\":1,\"unitPricePaid\":" USD ("9.00") "},"
                                            "{\"sku\":\"SQ-TWIN\",\"variantId\":\"aaaaaaaa-0000-4000-8000-000000000002\","
                                            "\"productName\":\"Mug\",\"quantity\":2,\"unitPricePaid\":" USD ("12.00") "}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  JsonArray *items;
  gboolean beans = FALSE, mug = FALSE;

  g_assert_true (relay_store_set_item_alias (fixture->store, RELAY_ALIAS_VARIANT_PREFIX "aaaaaaaa-0000-4000-8000-000000000001",
                                             "BEAN-1", &error));
  g_assert_true (relay_store_set_item_alias (fixture->store, RELAY_ALIAS_VARIANT_PREFIX "aaaaaaaa-0000-4000-8000-000000000002",
                                             "MUG-1", &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);

  row = find_row (fixture, id);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  state = relay_sandbox_dup_state (fixture->sandbox);
  items = json_object_get_array_member (state_api (state, "tradegecko"), "order_line_items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (json_node_is_null (json_object_get_member (item, "variant_id")))
        continue;
      beans |= json_object_get_int_member (item, "variant_id") == 11 &&
               g_strcmp0 (json_object_get_string_member (item, "quantity"), "1.0") == 0;
      mug |= json_object_get_int_member (item, "variant_id") == 12 &&
             g_strcmp0 (json_object_get_string_member (item, "quantity"), "2.0") == 0;
    }
  g_assert_true (beans && mug);
}

/* The Squarespace count of @sku, from the sandbox's state. */
static gint64
store_quantity (Fixture    *fixture,
                const char *sku)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->sandbox);
  JsonArray *inventory = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                      "squarespace"), "inventory");

  for (guint i = 0; i < json_array_get_length (inventory); i++)
    {
      JsonObject *item = json_array_get_object_element (inventory, i);

      if (g_strcmp0 (json_object_get_string_member (item, "sku"), sku) == 0)
        return json_object_get_int_member (item, "quantity");
    }
  g_error ("no inventory item with SKU %s", sku);
  return -1;
}

/* With stock sync on, a cycle ends by setting Squarespace stock; off (the default), never. */
static void
test_cycle_sets_stock (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->sandbox, 11, 0, 17, &error));
  g_assert_no_error (error);
  run_cycle_ok (fixture);
  g_assert_cmpint (store_quantity (fixture, "BEAN-1"), ==, 0);

  g_settings_set_boolean (fixture->settings, "stock-sync", TRUE);
  g_settings_set_uint (fixture->settings, "stock-buffer", 2);
  run_cycle_ok (fixture);
  g_assert_cmpint (store_quantity (fixture, "BEAN-1"), ==, 15);
}

/* Armed through the private hook, a cycle dies at the step like a SIGKILL (in
 * a child, so the test lives on). */
static void
test_crash_hook_armed (Fixture       *fixture,
                       gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);

      relay_sync_engine_set_crash_point ("before-deliver-post");
      g_print ("cycle starting\n");
      run_cycle_ok (fixture);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  /* It got as far as the cycle, then died without a failed assertion. */
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*cycle starting*");
  g_test_trap_assert_stderr_unmatched ("*ERROR*");
}

/* The library itself never reads the crash variable: naming a step in the
 * environment does nothing unless a test build of order-relay arms the hook. */
static void
test_crash_hook_environment_ignored (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *id = add_simple_order (fixture, "ann@example.com", "BEAN-1", 1);

  g_setenv (RELAY_TEST_CRASH_ENV, "before-deliver-post", TRUE);
  run_cycle_ok (fixture);
  g_unsetenv (RELAY_TEST_CRASH_ENV);
  g_assert_cmpint (stage_of (fixture, id), ==, RELAY_STAGE_AT_TRADEGECKO);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func, data) g_test_add (name, Fixture, data, fixture_set_up, func, relay_sandbox_fixture_tear_down)
  ADD ("/engine/four-flows", test_four_flows, NULL);
  ADD ("/engine/cycle-sets-stock", test_cycle_sets_stock, NULL);
  ADD ("/engine/crash-hook/armed", test_crash_hook_armed, NULL);
  ADD ("/engine/crash-hook/environment-ignored", test_crash_hook_environment_ignored, NULL);
  ADD ("/engine/pagination-and-idle", test_pagination_and_idle, NULL);
  ADD ("/engine/initial-window", test_initial_window, NULL);
  ADD ("/engine/test-orders", test_test_orders, NULL);
  ADD ("/engine/unknown-sku-alias-retry", test_unknown_sku_alias_retry, NULL);
  ADD ("/engine/preview/lines", test_preview_lines, NULL);
  ADD ("/engine/preview/payload-is-sent", test_preview_payload_is_sent, NULL);
  ADD ("/engine/preview/skipped-test-order", test_preview_skipped_test_order, NULL);
  ADD ("/engine/add-alias-retries-waiting-orders", test_add_alias_retries_waiting_orders, NULL);
  ADD ("/engine/cancel-before-delivery-5xx", test_cancel_before_delivery_and_5xx, NULL);
  ADD ("/engine/partial-shipments/when-complete", test_partial_shipments, GINT_TO_POINTER (FALSE));
  ADD ("/engine/partial-shipments/each-shipment", test_partial_shipments, GINT_TO_POINTER (TRUE));
  ADD ("/engine/rate-limits", test_rate_limits, NULL);
  ADD ("/engine/malformed-and-dropped", test_malformed_and_dropped, NULL);
  ADD ("/engine/unauthorized", test_unauthorized, NULL);
  ADD ("/engine/restart-reconciles", test_restart_reconciles, NULL);
  ADD ("/engine/edit-before-delivery", test_edit_before_delivery, NULL);
  ADD ("/engine/refused-then-new-key", test_refused_then_new_key, NULL);
  ADD ("/engine/digital-lines", test_digital_lines, NULL);
  ADD ("/engine/packed-and-carriers", test_packed_and_carriers, NULL);
  ADD ("/engine/stopped-mid-post", test_stopped_mid_post, NULL);
  ADD ("/engine/hung-request", test_hung_request, NULL);
  ADD ("/engine/loop", test_loop, NULL);
  ADD ("/engine/visibility-lag", test_visibility_lag, NULL);
  ADD ("/engine/sweep", test_sweep, NULL);
  ADD ("/engine/cancel-after-delivery/void", test_cancel_after_delivery, "void");
  ADD ("/engine/cancel-after-delivery/flag", test_cancel_after_delivery, "flag");
  ADD ("/engine/cancel-after-delivery/shipped", test_cancel_after_delivery, "shipped");
  ADD ("/engine/untracked-shipment", test_untracked_shipment, NULL);
  ADD ("/engine/live-claim", test_live_claim, NULL);
  ADD ("/engine/tracking-conflict", test_tracking_conflict, NULL);
  ADD ("/engine/flows-overlap", test_flows_overlap, NULL);
  ADD ("/engine/flows-overlap/stopped", test_flows_overlap_stopped, NULL);
  ADD ("/engine/progress-both-lanes", test_progress_both_lanes, NULL);
  ADD ("/engine/totals-match", test_totals_match, NULL);
  ADD ("/engine/totals-and-refund-timeline", test_totals_and_refund_timeline, NULL);
  ADD ("/engine/variant-aliases", test_variant_aliases, NULL);
#undef ADD

  return g_test_run ();
}
