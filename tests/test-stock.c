/* test-stock.c — the stock flow and the SKU check against the in-process sandbox, with a
 * real SQLite file and real HTTP over loopback
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "relay-error.h"
#include "relay-sandbox-fixture.h"
#include "relay-sku-check.h"
#include "relay-squarespace.h"
#include "relay-sync-stock.h"
#include "relay-tradegecko.h"
#include "relay-test-wait.h"

/* Squarespace mirrors TradeGecko's active variants by SKU unless the scenario gives its own
 * inventory; here it does, to hold every case of the flow. */
static const char *scenario =
  "{\"tradegecko\":{"
  "  \"locations\":[{\"id\":1,\"label\":\"Main\",\"holds_stock\":true,\"status\":\"active\"},"
  "                 {\"id\":2,\"label\":\"Annex\",\"holds_stock\":true,\"status\":\"active\"}],"
  "  \"variants\":["
  "   {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\","
  "    \"locations\":[{\"location_id\":1,\"stock_on_hand\":30,\"committed\":5},{\"location_id\":2,\"stock_on_hand\":8}]},"
  "   {\"id\":12,\"sku\":\"MUG-1\",\"product_name\":\"Mug\",\"stock_on_hand\":40,\"max_online\":12},"
  "   {\"id\":13,\"sku\":\"TG-TEE\",\"product_name\":\"Tee\",\"name\":\"L\",\"stock_on_hand\":7},"
  "   {\"id\":14,\"sku\":\"UNTRACKED\",\"product_name\":\"Gift wrap\",\"stock_on_hand\":3,\"manage_stock\":false},"
  "   {\"id\":15,\"sku\":\"FOREVER\",\"product_name\":\"Poster\",\"stock_on_hand\":9},"
  "   {\"id\":16,\"sku\":\"TWIN\",\"product_name\":\"Twin A\",\"stock_on_hand\":1},"
  "   {\"id\":17,\"sku\":\"TWIN\",\"product_name\":\"Twin B\",\"stock_on_hand\":2}]},"
  " \"squarespace\":{\"inventory\":["
  "   {\"variantId\":\"sq-bean\",\"sku\":\"BEAN-1\",\"descriptor\":\"Beans [250 g]\",\"quantity\":0},"
  "   {\"variantId\":\"sq-mug\",\"sku\":\"MUG-1\",\"descriptor\":\"Mug\",\"quantity\":0},"
  "   {\"variantId\":\"sq-tee\",\"sku\":\"SQ-TEE\",\"descriptor\":\"Tee [L]\",\"quantity\":0},"
  "   {\"variantId\":\"sq-wrap\",\"sku\":\"UNTRACKED\",\"descriptor\":\"Gift wrap\",\"quantity\":5},"
  "   {\"variantId\":\"sq-poster\",\"sku\":\"FOREVER\",\"descriptor\":\"Poster\",\"isUnlimited\":true,\"quantity\":2},"
  "   {\"variantId\":\"sq-twin\",\"sku\":\"TWIN\",\"descriptor\":\"Twin\",\"quantity\":4},"
  "   {\"variantId\":\"sq-lonely\",\"sku\":\"NOWHERE\",\"descriptor\":\"Lonely\",\"quantity\":6}]}}";

typedef RelaySandboxFixture Fixture;

/* Reconnects Squarespace with @key (filed in the keyring, as `order-relay
 * connect` does) and starts again over the same state file. */
static void
open_clients (Fixture    *fixture,
              const char *squarespace_key)
{
  relay_sandbox_fixture_store_key (fixture, RELAY_SERVICE_SQUARESPACE, squarespace_key);
  relay_sandbox_fixture_close (fixture);
  relay_sandbox_fixture_open (fixture);
}

static void
load (Fixture    *fixture,
      const char *text)
{
  relay_sandbox_fixture_load (fixture, text);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  relay_sandbox_fixture_set_up (fixture, "test-stock", data != NULL ? data : scenario);
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

static RelayStockReport *
run_stock (Fixture                 *fixture,
           const RelayStockOptions *options,
           GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  RelayStockOptions defaults = { 0, 0, FALSE };

  relay_sync_stock_run_async (fixture->store, RELAY_ORDER_SOURCE (fixture->squarespace),
                              RELAY_ORDER_DESTINATION (fixture->tradegecko), options ? options : &defaults,
                              NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 60);
  return relay_sync_stock_run_finish (result, error);
}

static RelayStockReport *
run_stock_ok (Fixture                 *fixture,
              const RelayStockOptions *options)
{
  g_autoptr(GError) error = NULL;
  RelayStockReport *report = run_stock (fixture, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* The sandbox's InventoryItem by id, read through its control state. */
static JsonObject *
sandbox_item (Fixture    *fixture,
              const char *variant_id)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->sandbox);
  JsonArray *inventory = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                      "squarespace"), "inventory");

  for (guint i = 0; i < json_array_get_length (inventory); i++)
    {
      JsonObject *item = json_array_get_object_element (inventory, i);

      if (g_strcmp0 (json_object_get_string_member (item, "variantId"), variant_id) == 0)
        return json_object_ref (item);
    }
  g_error ("no inventory item %s", variant_id);
  return NULL;
}

static gint64
quantity_of (Fixture    *fixture,
             const char *variant_id)
{
  g_autoptr(JsonObject) item = sandbox_item (fixture, variant_id);

  return json_object_get_int_member (item, "quantity");
}

/* Whether Squarespace sells the item without counting. */
static gboolean
is_unlimited (Fixture    *fixture,
              const char *variant_id)
{
  g_autoptr(JsonObject) item = sandbox_item (fixture, variant_id);

  return json_object_get_boolean_member (item, "isUnlimited");
}

static gint64
adjustment_count (Fixture    *fixture,
                  const char *what)
{
  g_autoptr(JsonNode) counts = relay_sandbox_dup_adjustment_counts (fixture->sandbox);

  return json_object_get_int_member (json_node_get_object (counts), what);
}

static RelayStockRow *
report_row (RelayStockReport *report,
            const char       *variant_id)
{
  for (guint i = 0; i < report->rows->len; i++)
    {
      RelayStockRow *row = g_ptr_array_index (report->rows, i);

      if (g_str_equal (row->store_variant_id, variant_id))
        return row;
    }
  return NULL;
}

/* A cycle with nothing changed at TradeGecko: at most one request (the changes query). */
static void
assert_idle_cycle (Fixture *fixture)
{
  guint before = relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) +
                 relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO);
  g_autoptr(RelayStockReport) idle = run_stock_ok (fixture, NULL);

  g_assert_cmpuint (idle->changed, ==, 0);
  g_assert_cmpuint (relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) +
                    relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_TRADEGECKO) - before, <=, 1);
}

/* ------------------------------------------------------------------------ */

/* The warehouses as the settings see them: TradeGecko's labels and flags as RelayLocation,
 * a missing holds_stock meaning a warehouse that holds stock. */
static const char *locations_scenario =
  "{\"tradegecko\":{\"locations\":["
  "  {\"id\":5,\"label\":\"Harbor\",\"holds_stock\":true,\"status\":\"active\"},"
  "  {\"id\":6,\"label\":\"Counter\",\"holds_stock\":false,\"status\":\"active\"},"
  "  {\"id\":7,\"label\":\"Annex\",\"status\":\"active\"}]}}";

static const RelayLocation *
find_location (GPtrArray *locations,
               gint64     id)
{
  for (guint i = 0; i < locations->len; i++)
    if (((RelayLocation *) g_ptr_array_index (locations, i))->id == id)
      return g_ptr_array_index (locations, i);
  g_assert_not_reached ();
}

static void
test_locations (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;
  const RelayLocation *location;

  relay_order_destination_list_locations_async (RELAY_ORDER_DESTINATION (fixture->tradegecko), NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  locations = relay_order_destination_list_locations_finish (RELAY_ORDER_DESTINATION (fixture->tradegecko), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, ==, 3);
  location = find_location (locations, 5);
  g_assert_cmpstr (location->label, ==, "Harbor");
  g_assert_true (location->holds_stock && location->active);
  location = find_location (locations, 6);
  g_assert_cmpstr (location->label, ==, "Counter");
  g_assert_false (location->holds_stock);
  location = find_location (locations, 7);
  g_assert_cmpstr (location->label, ==, "Annex");
  g_assert_true (location->holds_stock && location->active);
}

static void
test_flow_sets_available (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = run_stock_ok (fixture, NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  /* Beans: (30 − 5) + 8 at both locations. Mug: 40 capped by max_online 12. */
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 33);
  g_assert_cmpint (quantity_of (fixture, "sq-mug"), ==, 12);
  /* Left alone: not tracked at TradeGecko, unlimited in Squarespace, two TradeGecko TWINs,
   * and the variant nothing matches. */
  g_assert_cmpint (quantity_of (fixture, "sq-wrap"), ==, 5);
  g_assert_cmpint (quantity_of (fixture, "sq-poster"), ==, 2);
  g_assert_true (is_unlimited (fixture, "sq-poster"));
  g_assert_cmpint (quantity_of (fixture, "sq-twin"), ==, 4);
  g_assert_cmpint (quantity_of (fixture, "sq-lonely"), ==, 6);
  g_assert_null (report_row (report, "sq-lonely"));
  g_assert_nonnull (report_row (report, "sq-wrap")->problem);
  g_assert_nonnull (report_row (report, "sq-poster")->problem);
  g_assert_nonnull (report_row (report, "sq-twin")->problem);

  g_assert_cmpuint (report->changed, ==, 7);
  g_assert_cmpuint (report->pushed, ==, 2);
  g_assert_cmpuint (report->batches, ==, 1);
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 1);

  /* The Stock view's rows say what was set. */
  rows = relay_store_dup_stock_rows (fixture->store, "BEAN", 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((RelayStockRow *) rows->pdata[0])->pushed_quantity, ==, 33);
  g_assert_cmpint (((RelayStockRow *) rows->pdata[0])->pushed_at, >, 0);
}

static void
test_idle_cycle (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RelayStockReport) first = run_stock_ok (fixture, NULL);
  g_autoptr(RelayStockReport) after = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  assert_idle_cycle (fixture);

  /* The warehouse counts beans: only that change goes out, and Squarespace is asked for that
   * one item by id (it was matched before), not for its whole list. */
  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->sandbox, 11, 1, 50, &error));
  g_assert_no_error (error);
  before = relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE);
  after = run_stock_ok (fixture, NULL);
  g_assert_cmpuint (after->changed, ==, 1);
  g_assert_cmpuint (after->pushed, ==, 1);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 45 + 8);
  g_assert_cmpuint (relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) - before, ==, 2);
  g_clear_pointer (&after, relay_stock_report_free);

  /* A new alias may match a store variant never matched before: the whole list again. */
  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE", "TG-TEE", &error));
  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->sandbox, 13, 0, 3, &error));
  g_assert_no_error (error);
  after = run_stock_ok (fixture, NULL);
  g_assert_cmpint (quantity_of (fixture, "sq-tee"), ==, 3);
}

static void
test_location_and_buffer (Fixture       *fixture,
                          gconstpointer  data)
{
  RelayStockOptions annex = { 2, 0, FALSE };
  RelayStockOptions main_buffered = { 1, 3, FALSE };
  g_autoptr(RelayStockReport) first = run_stock_ok (fixture, &annex);
  g_autoptr(RelayStockReport) second = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 8);
  /* The mug is not held at the annex: none to sell. */
  g_assert_cmpint (quantity_of (fixture, "sq-mug"), ==, 0);

  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->sandbox, 11, 1, 30, &error));
  g_assert_no_error (error);
  second = run_stock_ok (fixture, &main_buffered);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 30 - 5 - 3);
}

static void
test_alias_both_ways (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* Orders map SQ-TEE → TG-TEE; stock comes back TG-TEE → SQ-TEE. */
  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE", "TG-TEE", &error));
  /* An alias of the variant itself (not of its SKU) takes it out of the TWIN ambiguity. */
  g_assert_true (relay_store_set_item_alias (fixture->store, "variant:sq-twin", "MUG-1", &error));
  g_assert_no_error (error);
  report = run_stock_ok (fixture, NULL);
  g_assert_cmpint (quantity_of (fixture, "sq-tee"), ==, 7);
  g_assert_cmpint (report_row (report, "sq-tee")->tradegecko_variant_id, ==, 13);
  g_assert_cmpint (quantity_of (fixture, "sq-twin"), ==, 12);
}

static void
test_no_alias_untouched (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = run_stock_ok (fixture, NULL);

  g_assert_cmpint (quantity_of (fixture, "sq-tee"), ==, 0);
  g_assert_null (report_row (report, "sq-tee"));
}

/* Pulls a Squarespace order into the store as the engine does (stage new: not at TradeGecko). */
static void
pull_order (Fixture    *fixture,
            const char *sku,
            int         quantity)
{
  g_autofree char *json = g_strdup_printf ("{\"customerEmail\":\"ann@example.com\","
                                           "\"shippingAddress\":{\"firstName\":\"Ann\",\"lastName\":\"Lee\","
                                           "\"address1\":\"1 Main St\",\"city\":\"Springfield\",\"postalCode\":\"12345\","
                                           "\"countryCode\":\"US\"},"
                                           "\"lineItems\":[{\"sku\":\"%s\",\"productName\":\"Beans\",\"quantity\":%d,"
                                           "\"unitPricePaid\":{\"value\":\"4.20\",\"currency\":\"USD\"}}]}",
                                           sku, quantity);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autofree char *id = NULL;
  RelayUpsertResult upserted;

  g_assert_no_error (error);
  id = relay_sandbox_add_squarespace_order (fixture->sandbox, json_node_get_object (node), &error);
  g_assert_no_error (error);
  relay_squarespace_get_order_async (fixture->squarespace, id, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  full = relay_squarespace_get_order_finish (fixture->squarespace, result, &error);
  g_assert_no_error (error);
  order = relay_order_new_from_squarespace (full, &error);
  g_assert_no_error (error);
  g_assert_true (relay_store_upsert_order (fixture->store, order, NULL, &upserted, &error));
  g_assert_no_error (error);
}

static void
test_in_flight_subtracted (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = NULL;

  pull_order (fixture, "BEAN-1", 4);
  pull_order (fixture, "BEAN-1", 2);
  report = run_stock_ok (fixture, NULL);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 33 - 6);
}

static void
test_batches_of_fifty (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"tradegecko\":{\"variants\":[");
  g_autoptr(RelayStockReport) report = NULL;
  const guint n = 120;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"id\":%u,\"sku\":\"SKU-%u\",\"product_name\":\"P%u\",\"stock_on_hand\":%u}",
                            i ? "," : "", 100 + i, i, i, i + 1);
  g_string_append (text, "]},\"squarespace\":{\"inventory\":[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"sku\":\"SKU-%u\",\"descriptor\":\"P%u\",\"quantity\":0}", i ? "," : "", i, i);
  g_string_append (text, "]}}");
  load (fixture, text->str);

  report = run_stock_ok (fixture, NULL);
  g_assert_cmpuint (report->pushed, ==, n);
  g_assert_cmpuint (report->batches, ==, (n + 49) / 50);
  g_assert_cmpint (adjustment_count (fixture, "operations"), ==, n);
}

static void
test_key_without_inventory (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(RelayStockReport) retried = NULL;
  g_autoptr(GError) error = NULL;

  open_clients (fixture, RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY);
  report = run_stock (fixture, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN);
  g_assert_null (report);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 0);
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 0);

  /* A new key with Inventory write: the kept batch goes first, under its key, once. */
  open_clients (fixture, RELAY_SANDBOX_SQUARESPACE_KEY);
  retried = run_stock_ok (fixture, NULL);
  g_assert_cmpuint (retried->resent, ==, 1);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 33);
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 1);
}

/* 409 (the same key still in flight) and 429 (over the limit): the batch stays pending or
 * waits out the cool-down, and is applied exactly once. */
static void
test_conflict_then_resend (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(RelayStockReport) resent = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST",
                           "/1.0/commerce/inventory/adjustments", RELAY_SANDBOX_FAULT_STATUS, 409, 1);
  report = run_stock (fixture, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_CONFLICT);
  g_assert_null (report);
  g_clear_error (&error);
  pending = relay_store_dup_stock_batches (fixture->store, TRUE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);

  resent = run_stock_ok (fixture, NULL);
  g_assert_cmpuint (resent->resent, ==, 1);
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 1);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 33);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayStockReport) report = NULL;

  relay_sandbox_add_fault (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST",
                           "/1.0/commerce/inventory/adjustments", RELAY_SANDBOX_FAULT_STATUS, 429, 1);
  report = run_stock_ok (fixture, NULL);
  g_assert_cmpuint (report->batches, ==, 1);
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 1);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 33);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  RelayStockOptions dry = { 0, 0, TRUE };
  g_autoptr(RelayStockReport) report = run_stock_ok (fixture, &dry);
  g_autoptr(RelayStockReport) real = NULL;

  g_assert_cmpuint (report->planned, ==, 2);
  g_assert_cmpint (report_row (report, "sq-bean")->target, ==, 33);
  g_assert_cmpint (quantity_of (fixture, "sq-bean"), ==, 0);
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 0);

  /* Nothing was stored: the real run still sees every change. */
  real = run_stock_ok (fixture, NULL);
  g_assert_cmpuint (real->changed, ==, 7);
}

static void
test_sku_check (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) matches = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE", "TG-TEE", &error));
  relay_sku_check_async (fixture->store, RELAY_ORDER_SOURCE (fixture->squarespace),
                         RELAY_ORDER_DESTINATION (fixture->tradegecko), NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  rows = relay_sku_check_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 7);
  for (guint i = 0; i < rows->len; i++)
    {
      RelaySkuCheckRow *row = g_ptr_array_index (rows, i);

      g_hash_table_insert (matches, row->store_sku, (gpointer) relay_sku_match_to_string (row->match));
    }
  g_assert_cmpstr (g_hash_table_lookup (matches, "BEAN-1"), ==, "exact");
  g_assert_cmpstr (g_hash_table_lookup (matches, "SQ-TEE"), ==, "alias");
  g_assert_cmpstr (g_hash_table_lookup (matches, "TWIN"), ==, "ambiguous");
  g_assert_cmpstr (g_hash_table_lookup (matches, "NOWHERE"), ==, "none");
}

static gboolean
can_write_inventory (Fixture    *fixture,
                     const char *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean can;

  open_clients (fixture, key);
  relay_squarespace_check_inventory_write_async (fixture->squarespace, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  can = relay_squarespace_check_inventory_write_finish (fixture->squarespace, result, &error);
  g_assert_no_error (error);
  return can;
}

static void
test_inventory_permission_probe (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_assert_true (can_write_inventory (fixture, RELAY_SANDBOX_SQUARESPACE_KEY));
  g_assert_false (can_write_inventory (fixture, RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY));
  g_assert_false (can_write_inventory (fixture, RELAY_SANDBOX_SQUARESPACE_READONLY_KEY));
  /* The probe changes nothing. */
  g_assert_cmpint (adjustment_count (fixture, "applied"), ==, 0);
}


/* An alias added, then edited, is picked up by the very next cycle although TradeGecko's
 * variants did not change: the SKUs it concerns are set again. */
static void
test_alias_change_picked_up (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RelayStockReport) first = run_stock_ok (fixture, NULL);
  g_autoptr(RelayStockReport) added = NULL;
  g_autoptr(RelayStockReport) edited = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (quantity_of (fixture, "sq-tee"), ==, 0);
  g_assert_null (report_row (first, "sq-tee"));

  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE", "TG-TEE", &error));
  g_assert_no_error (error);
  added = run_stock_ok (fixture, NULL);
  g_assert_cmpint (quantity_of (fixture, "sq-tee"), ==, 7);
  /* Only the tee needed a new count; the others already showed theirs. */
  g_assert_cmpuint (added->pushed, ==, 1);

  /* Edited in place: same number of aliases, another TradeGecko SKU (the mug, capped at 12). */
  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ-TEE", "MUG-1", &error));
  g_assert_no_error (error);
  edited = run_stock_ok (fixture, NULL);
  g_assert_cmpint (quantity_of (fixture, "sq-tee"), ==, 12);
  g_assert_cmpuint (edited->pushed, ==, 1);
  g_assert_cmpint (report_row (edited, "sq-tee")->tradegecko_variant_id, ==, 12);

  /* Picked up once: the cycle after is idle again. */
  assert_idle_cycle (fixture);
}

static const char *keep_selling_scenario =
  "{\"tradegecko\":{\"variants\":["
  "   {\"id\":31,\"sku\":\"BACKORDER\",\"product_name\":\"Made to order\",\"stock_on_hand\":0,\"keep_selling\":true},"
  "   {\"id\":32,\"sku\":\"CAPPED\",\"product_name\":\"Preorder\",\"stock_on_hand\":0,\"keep_selling\":true,\"max_online\":5},"
  "   {\"id\":33,\"sku\":\"PLAIN\",\"product_name\":\"Plain\",\"stock_on_hand\":0}]},"
  " \"squarespace\":{\"inventory\":["
  "   {\"variantId\":\"sq-back\",\"sku\":\"BACKORDER\",\"descriptor\":\"Made to order\",\"quantity\":3},"
  "   {\"variantId\":\"sq-capped\",\"sku\":\"CAPPED\",\"descriptor\":\"Preorder\",\"quantity\":0},"
  "   {\"variantId\":\"sq-plain\",\"sku\":\"PLAIN\",\"descriptor\":\"Plain\",\"quantity\":4}]}}";

/* keep_selling (tradegecko-api.md §5.2: "may be sold at zero or negative stock"): the store
 * keeps selling it. Without max_online it becomes unlimited; with it, it shows max_online
 * whatever the stock. Once TradeGecko stops, the flow's own "unlimited" becomes a count. */
static void
test_keep_selling (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayStockReport) first = run_stock_ok (fixture, NULL);
  g_autoptr(RelayStockReport) second = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (is_unlimited (fixture, "sq-back"));
  g_assert_null (report_row (first, "sq-back")->problem);
  g_assert_cmpint (report_row (first, "sq-back")->target, ==, RELAY_STOCK_UNLIMITED);
  g_assert_false (is_unlimited (fixture, "sq-capped"));
  g_assert_cmpint (quantity_of (fixture, "sq-capped"), ==, 5);
  /* Without keep_selling, no stock is none to sell. */
  g_assert_cmpint (quantity_of (fixture, "sq-plain"), ==, 0);
  g_assert_cmpuint (first->pushed, ==, 3);
  g_assert_cmpuint (first->batches, ==, 1);

  g_assert_true (relay_sandbox_set_tradegecko_keep_selling (fixture->sandbox, 31, FALSE, &error));
  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->sandbox, 31, 0, 2, &error));
  g_assert_no_error (error);
  second = run_stock_ok (fixture, NULL);
  g_assert_false (is_unlimited (fixture, "sq-back"));
  g_assert_cmpint (quantity_of (fixture, "sq-back"), ==, 2);
}


/* 120 products are three pages of the Products API: the SKU check walks them all. A key
 * without the Products permission gets an error that says so and what to do. */
static void
test_sku_check_pages_and_permission (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"tradegecko\":{\"variants\":[");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  guint before, exact = 0;

  for (guint i = 0; i < 120; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"sku\":\"P-%03u\",\"product_name\":\"Product %u\","
                                  "\"stock_on_hand\":%u,\"retail_price\":\"%u.50\"}", i ? "," : "", 100 + i, i, i, i, i + 1);
  g_string_append (json, "]}}");
  load (fixture, json->str);

  before = relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE);
  relay_sku_check_async (fixture->store, RELAY_ORDER_SOURCE (fixture->squarespace),
                         RELAY_ORDER_DESTINATION (fixture->tradegecko), NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  rows = relay_sku_check_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 120);
  for (guint i = 0; i < rows->len; i++)
    exact += ((RelaySkuCheckRow *) g_ptr_array_index (rows, i))->match == RELAY_SKU_MATCH_EXACT;
  g_assert_cmpuint (exact, ==, 120);
  /* Each with its Squarespace price (here the mirrored TradeGecko retail price). */
  g_assert_true (((RelaySkuCheckRow *) g_ptr_array_index (rows, 3))->has_price);
  g_assert_cmpint (((RelaySkuCheckRow *) g_ptr_array_index (rows, 3))->price.minor, ==, 450);
  g_assert_cmpstr (((RelaySkuCheckRow *) g_ptr_array_index (rows, 3))->price.currency, ==, "USD");
  g_assert_cmpuint (relay_sandbox_get_request_count (fixture->sandbox, RELAY_SANDBOX_API_SQUARESPACE) - before, ==, 3);

  open_clients (fixture, RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY);
  relay_sku_check_async (fixture->store, RELAY_ORDER_SOURCE (fixture->squarespace),
                         RELAY_ORDER_DESTINATION (fixture->tradegecko), NULL, got_result_cb, &refused);
  RELAY_TEST_ITERATE_UNTIL (refused != NULL, 30);
  none = relay_sku_check_finish (refused, &error);
  g_assert_null (none);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "may not read products"));
  g_assert_nonnull (strstr (error->message, "Products set to Read Only"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/stock/locations", Fixture, locations_scenario, fixture_set_up, test_locations, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/sets-available", Fixture, NULL, fixture_set_up, test_flow_sets_available, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/idle-cycle", Fixture, NULL, fixture_set_up, test_idle_cycle, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/location-and-buffer", Fixture, NULL, fixture_set_up, test_location_and_buffer, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/alias-both-ways", Fixture, NULL, fixture_set_up, test_alias_both_ways, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/alias-change-picked-up", Fixture, NULL, fixture_set_up, test_alias_change_picked_up,
              relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/keep-selling", Fixture, keep_selling_scenario, fixture_set_up, test_keep_selling,
              relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/no-alias-untouched", Fixture, NULL, fixture_set_up, test_no_alias_untouched, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/in-flight-subtracted", Fixture, NULL, fixture_set_up, test_in_flight_subtracted, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/batches-of-fifty", Fixture, NULL, fixture_set_up, test_batches_of_fifty, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/key-without-inventory", Fixture, NULL, fixture_set_up, test_key_without_inventory, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/conflict-then-resend", Fixture, NULL, fixture_set_up, test_conflict_then_resend, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/rate-limited", Fixture, NULL, fixture_set_up, test_rate_limited, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/dry-run", Fixture, NULL, fixture_set_up, test_dry_run, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/inventory-permission-probe", Fixture, NULL, fixture_set_up, test_inventory_permission_probe,
              relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/sku-check", Fixture, NULL, fixture_set_up, test_sku_check, relay_sandbox_fixture_tear_down);
  g_test_add ("/stock/sku-check-pages-and-permission", Fixture, NULL, fixture_set_up,
              test_sku_check_pages_and_permission, relay_sandbox_fixture_tear_down);

  return g_test_run ();
}
