/* test-store.c — the SQLite state file, on a real file in a temporary folder
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-event-kind.h"
#include "relay-store.h"
#include "relay-store-private.h"

typedef struct
{
  char       *dir;
  char       *path;
  RelayStore *store;
  GPtrArray  *changed;
} Fixture;

static void
order_changed_cb (RelayStore *store,
                  const char *squarespace_id,
                  Fixture    *fixture)
{
  g_ptr_array_add (fixture->changed, g_strdup (squarespace_id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "state", "state.db", NULL);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  fixture->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->store, "order-changed", G_CALLBACK (order_changed_cb), fixture);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->changed, g_ptr_array_unref);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* A Squarespace order object with the fields the store cares about. */
static RelayOrder *
make_order (const char *id,
            const char *number,
            const char *created,
            const char *modified,
            const char *email,
            const char *sku,
            const char *status)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"%s\", \"orderNumber\": \"%s\", \"createdOn\": \"%s\", \"modifiedOn\": \"%s\","
    " \"testmode\": false, \"customerEmail\": \"%s\", \"fulfillmentStatus\": \"%s\","
    " \"billingAddress\": {\"firstName\": \"Ann\", \"lastName\": \"Lee %s\"},"
    " \"shippingAddress\": {\"firstName\": \"Ann\", \"lastName\": \"Lee\", \"address1\": \"1 Main St\","
    "   \"city\": \"Springfield\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"lineItems\": [{\"id\": \"line-a\", \"sku\": \"%s\", \"productName\": \"Mug\", \"quantity\": 2,"
    "   \"unitPricePaid\": {\"value\": \"14.00\", \"currency\": \"USD\"}, \"lineItemType\": \"PHYSICAL_PRODUCT\"},"
    "  {\"id\": \"line-b\", \"sku\": null, \"productName\": \"E-book\", \"quantity\": 1,"
    "   \"unitPricePaid\": {\"value\": \"5.00\", \"currency\": \"USD\"}, \"lineItemType\": \"DIGITAL\"}],"
    " \"grandTotal\": {\"value\": \"33.00\", \"currency\": \"USD\"}}",
    id, number, created, modified, email, status, number, sku);
  g_autoptr(GError) error = NULL;
  RelayOrder *order = relay_order_new_from_json_string (json, &error);

  g_assert_no_error (error);
  return order;
}

static RelayOrder *
simple_order (const char *id,
              const char *number)
{
  return make_order (id, number, "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z",
                     "ann@example.com", "MUG-BLK", "PENDING");
}

static void
insert (Fixture    *fixture,
        RelayOrder *order,
        const char *skip_reason,
        RelayUpsertResult expected)
{
  g_autoptr(GError) error = NULL;
  RelayUpsertResult result = -1;

  g_assert_true (relay_store_upsert_order (fixture->store, order, skip_reason, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, expected);
}

static RelayOrderRow *
find (Fixture    *fixture,
      const char *id)
{
  g_autoptr(GError) error = NULL;
  RelayOrderRow *row = relay_store_find_order (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  return row;
}

static guint
count_events (Fixture    *fixture,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = relay_store_dup_events (fixture->store, id, &error);

  g_assert_no_error (error);
  return events->len;
}

static const char *
last_event_kind (Fixture    *fixture,
                 const char *id)
{
  static char kind[64];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = relay_store_dup_events (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  g_strlcpy (kind, ((RelayEvent *) g_ptr_array_index (events, events->len - 1))->kind, sizeof kind);
  return kind;
}

static int
sqlite_int (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* Writes @sql straight into the file, as an older version of the program did. */
static void
sqlite_exec (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* ------------------------------------------------------------------------ */

static void
test_schema_and_reopen (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *mode = NULL;

  g_assert_cmpint (relay_store_get_schema_version (fixture->store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite_int (fixture->path, "SELECT MAX(version) FROM schema_version"), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite_int (fixture->path,
                               "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                               "('orders','order_lines','events','shipments','item_aliases',"
                               "'shipping_methods','carriers','checkpoints','schema_version',"
                               "'customers','customer_addresses','payments')"), ==, 12);

  insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);
  g_clear_object (&fixture->store);

  /* Reopening migrates nothing and keeps the data. */
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (fixture->store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite_int (fixture->path, "SELECT COUNT(*) FROM schema_version"), ==, RELAY_STORE_SCHEMA_VERSION);
  row = find (fixture, "o1");
  g_assert_cmpstr (row->order_number, ==, "1001");
  g_assert_cmpint (sqlite_int (fixture->path, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
                   ==, 1);
}

static void
test_newer_and_foreign_files (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *junk = g_build_filename (fixture->dir, "junk.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&fixture->store);

  /* A file from a future version is refused, not damaged. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO schema_version VALUES (99, 0)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = relay_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);
  g_assert_cmpint (sqlite_int (fixture->path, "SELECT MAX(version) FROM schema_version"), ==, 99);

  g_assert_true (g_file_set_contents (junk, "this is not a database, it is a text file with enough bytes", -1, NULL));
  store = relay_store_open (junk, &error);
  g_assert_null (store);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "junk.db"));
}

static void
test_default_path (void)
{
  g_autofree char *path = relay_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "order-relay", "state.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_upsert_rules (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayOrder) first = simple_order ("o1", "1001");
  g_autoptr(RelayOrder) same = simple_order ("o1", "1001");
  g_autoptr(RelayOrder) edited = make_order ("o1", "1001", "2026-03-01T10:00:00.000Z", "2026-03-01T11:00:00.000Z",
                                             "new@example.com", "MUG-BLK", "PENDING");
  g_autoptr(RelayOrder) older = make_order ("o1", "1001", "2026-03-01T10:00:00.000Z", "2026-03-01T10:30:00.000Z",
                                            "old@example.com", "MUG-BLK", "PENDING");
  g_autoptr(RelayOrder) canceled = make_order ("o1", "1001", "2026-03-01T10:00:00.000Z", "2026-03-01T12:00:00.000Z",
                                               "new@example.com", "MUG-BLK", "CANCELED");
  g_autoptr(RelayOrder) test_order = simple_order ("o2", "1002");
  g_autoptr(RelayOrder) fulfilled = make_order ("o3", "1003", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z",
                                                "x@example.com", "MUG-BLK", "FULFILLED");
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayOrder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  insert (fixture, first, NULL, RELAY_UPSERT_INSERTED);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpstr (row->customer_name, ==, "Ann Lee 1001");
  g_assert_cmpuint (row->item_count, ==, 3);
  g_assert_cmpint (row->grand_total.minor, ==, 3300);
  g_assert_cmpstr (row->grand_total.currency, ==, "USD");
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_cmpstr (last_event_kind (fixture, "o1"), ==, "pulled");
  g_assert_cmpuint (fixture->changed->len, ==, 1);

  lines = relay_store_dup_resolved_lines (fixture->store, "o1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (((RelayResolvedLine *) g_ptr_array_index (lines, 0))->store_sku, ==, "MUG-BLK");
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (lines, 0))->status, ==, RELAY_LINE_UNKNOWN_SKU);
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (lines, 1))->status, ==, RELAY_LINE_DIGITAL);

  /* Seen again unchanged: nothing happens, no signal. */
  insert (fixture, same, NULL, RELAY_UPSERT_UNCHANGED);
  g_assert_cmpuint (fixture->changed->len, ==, 1);
  g_assert_cmpuint (count_events (fixture, "o1"), ==, 1);

  /* A newer edit before delivery is applied. */
  insert (fixture, edited, NULL, RELAY_UPSERT_UPDATED);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpstr (row->customer_email, ==, "new@example.com");
  g_assert_cmpstr (last_event_kind (fixture, "o1"), ==, "updated");
  loaded = relay_store_load_order (fixture->store, "o1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_order_get_customer_email (loaded), ==, "new@example.com");

  /* Out-of-order (older) data never wins. */
  insert (fixture, older, NULL, RELAY_UPSERT_UNCHANGED);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpstr (row->customer_email, ==, "new@example.com");

  insert (fixture, canceled, NULL, RELAY_UPSERT_CANCELED);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_CANCELED);
  g_assert_cmpstr (last_event_kind (fixture, "o1"), ==, "canceled");

  insert (fixture, test_order, "Test order", RELAY_UPSERT_INSERTED);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o2");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_SKIPPED);
  g_assert_cmpstr (row->stage_reason, ==, "Test order");

  insert (fixture, fulfilled, NULL, RELAY_UPSERT_INSERTED);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o3");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_SKIPPED);

  g_assert_null (relay_store_find_order (fixture->store, "nope", &error));
  g_assert_no_error (error);
  g_assert_null (relay_store_load_order (fixture->store, "nope", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND);
}

static RelayResolvedLine *
resolved (const char *line_id,
          const char *sku,
          gint64      variant_id)
{
  return relay_resolved_line_new (line_id, sku, sku, variant_id, 2, RELAY_LINE_RESOLVED);
}

static void
test_delivery_lifecycle (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(RelayOrder) canceled_later = make_order ("o1", "1001", "2026-03-01T10:00:00.000Z",
                                                     "2026-03-02T10:00:00.000Z", "ann@example.com",
                                                     "MUG-BLK", "CANCELED");
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);
  g_autoptr(GPtrArray) stored_lines = NULL;
  g_autoptr(GPtrArray) in_flight = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  RelayShipment shipment = { 0 };
  gint64 posted[] = { 501 };
  gboolean changed = FALSE;
  const char *expected_kinds[] = {
    "pulled", "delivering", "delivered", "canceled-after-delivery", "shipment", "shipped",
    "posting-tracking", "tracking-posted", "confirmed",
  };

  insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);

  g_assert_true (relay_store_begin_delivery (fixture->store, "o1", "sqsp-o1", &error));
  g_assert_no_error (error);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_assert_cmpstr (row->idempotency_key, ==, "sqsp-o1");

  /* A retry with the same key is fine; another key is refused. */
  g_assert_true (relay_store_begin_delivery (fixture->store, "o1", "sqsp-o1", &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_begin_delivery (fixture->store, "o1", "other", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);

  in_flight = relay_store_dup_orders_in_flight (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (in_flight->len, ==, 1);
  g_assert_cmpstr (((RelayOrderRow *) g_ptr_array_index (in_flight, 0))->squarespace_id, ==, "o1");

  g_ptr_array_add (lines, resolved ("line-a", "MUG-BLACK", 77));
  g_assert_true (relay_store_finish_delivery (fixture->store, "o1", 9001, "SQ-1001", lines, &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_cmpint (row->tradegecko_order_id, ==, 9001);
  g_assert_cmpstr (row->tradegecko_order_number, ==, "SQ-1001");

  stored_lines = relay_store_dup_resolved_lines (fixture->store, "o1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((RelayResolvedLine *) g_ptr_array_index (stored_lines, 0))->tradegecko_sku, ==, "MUG-BLACK");
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (stored_lines, 0))->variant_id, ==, 77);
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (stored_lines, 0))->status, ==, RELAY_LINE_RESOLVED);

  /* Delivered orders never go backwards. */
  g_assert_false (relay_store_reject (fixture->store, "o1", "late", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_cancel (fixture->store, "o1", "late", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_requeue (fixture->store, "o1", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  insert (fixture, canceled_later, NULL, RELAY_UPSERT_CANCELED_AFTER_DELIVERY);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  /* Remembered until the engine has settled it with TradeGecko. */
  g_assert_true (row->cancel_pending);

  /* Shipments come in by TradeGecko order id. */
  shipment.fulfillment_id = 501;
  shipment.tradegecko_order_id = 9001;
  shipment.status = (char *) "fulfilled";
  shipment.carrier = (char *) "USPS";
  shipment.tracking_number = (char *) "9400TRACK";
  shipment.shipped_at = 1767225600000;
  shipment.lines_summary = (char *) "2 × MUG-BLACK";
  g_assert_true (relay_store_upsert_shipment (fixture->store, &shipment, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_true (relay_store_upsert_shipment (fixture->store, &shipment, &changed, &error));
  g_assert_no_error (error);
  g_assert_false (changed);

  shipment.tradegecko_order_id = 12345;
  g_assert_false (relay_store_upsert_shipment (fixture->store, &shipment, &changed, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (relay_store_mark_shipped (fixture->store, "o1", &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_begin_post_tracking (fixture->store, "o1", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_POST_TRACKING);

  g_assert_true (relay_store_mark_shipments_posted (fixture->store, "o1", posted, 1, &error));
  g_assert_no_error (error);
  shipments = relay_store_dup_shipments (fixture->store, "o1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shipments->len, ==, 1);
  g_assert_cmpint (((RelayShipment *) g_ptr_array_index (shipments, 0))->posted_at, >, 0);
  g_assert_cmpstr (((RelayShipment *) g_ptr_array_index (shipments, 0))->tracking_number, ==, "9400TRACK");

  g_assert_true (relay_store_mark_confirmed (fixture->store, "o1", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_CONFIRMED);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);

  events = relay_store_dup_events (fixture->store, "o1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected_kinds));
  for (guint i = 0; i < events->len; i++)
    {
      RelayEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpstr (event->kind, ==, expected_kinds[i]);
      g_assert_cmpint (event->at, >, 0);
    }
}

static void
test_reject_error_requeue (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(RelayOrder) other = simple_order ("o2", "1002");
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = g_error_new_literal (RELAY_ERROR, RELAY_ERROR_NETWORK, "TradeGecko could not be reached");
  guint signals_before;

  insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);
  insert (fixture, other, NULL, RELAY_UPSERT_INSERTED);

  g_assert_true (relay_store_record_error (fixture->store, "o1", failure, &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_record_error (fixture->store, "o1", failure, &error));
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpuint (row->retry_count, ==, 2);
  g_assert_cmpstr (row->last_error, ==, "TradeGecko could not be reached");
  g_assert_cmpstr (row->error_kind, ==, "network");

  g_assert_true (relay_store_reject (fixture->store, "o1", "Unknown SKU MUG-BLK", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_REJECTED);
  g_assert_cmpstr (row->stage_reason, ==, "Unknown SKU MUG-BLK");

  g_assert_true (relay_store_requeue (fixture->store, "o1", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_null (row->stage_reason);
  g_assert_null (row->last_error);
  g_assert_cmpuint (row->retry_count, ==, 0);

  /* A new order cannot be requeued; a failed transition emits nothing. */
  signals_before = fixture->changed->len;
  g_assert_false (relay_store_requeue (fixture->store, "o1", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "1001"));
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changed->len, ==, signals_before);

  g_assert_true (relay_store_skip (fixture->store, "o2", "Ignored by the merchant", &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_cancel (fixture->store, "o1", "Canceled by the merchant", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_CANCELED);

  /* An order being delivered cannot be skipped away. */
  g_assert_true (relay_store_requeue (fixture->store, "o2", &error));
  g_assert_true (relay_store_begin_delivery (fixture->store, "o2", "k", &error));
  g_assert_false (relay_store_skip (fixture->store, "o2", "no", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (relay_store_clear_in_flight (fixture->store, "o2", "Not found in TradeGecko", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o2");
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_cmpstr (last_event_kind (fixture, "o2"), ==, "reconciled");

  g_assert_false (relay_store_reject (fixture->store, "missing", "x", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND);
}

static void
test_signals (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(GError) error = NULL;
  guint maps_changed = 0;

  g_signal_connect_swapped (fixture->store, "maps-changed", G_CALLBACK (g_atomic_int_inc), &maps_changed);

  insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);
  g_assert_true (relay_store_reject (fixture->store, "o1", "r", &error));
  g_assert_true (relay_store_requeue (fixture->store, "o1", &error));
  g_assert_true (relay_store_add_event (fixture->store, "o1", "note", "Called the customer", &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fixture->changed->len, ==, 4);
  for (guint i = 0; i < fixture->changed->len; i++)
    g_assert_cmpstr (g_ptr_array_index (fixture->changed, i), ==, "o1");

  g_assert_true (relay_store_set_item_alias (fixture->store, "A", "B", &error));
  g_assert_true (relay_store_remove_item_alias (fixture->store, "A", &error));
  g_assert_true (relay_store_remove_item_alias (fixture->store, "A", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maps_changed, ==, 2);
}

typedef struct
{
  const char *kill_at;
} CrashPoint;

static void
kill_self_cb (RelayStore *store,
              const char *step,
              gpointer    user_data)
{
  CrashPoint *point = user_data;

  if (g_strcmp0 (step, point->kill_at) == 0)
    kill (getpid (), SIGKILL);
}

/* Runs @transition in a child process that is killed with SIGKILL at @kill_at. */
static void
crash_in_child (const char *path,
                const char *kill_at,
                void      (*transition) (RelayStore *store))
{
  pid_t pid;
  int status = 0;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      CrashPoint point = { kill_at };
      RelayStore *store = relay_store_open (path, NULL);

      if (store == NULL)
        _exit (3);
      relay_store_set_step_hook (store, kill_self_cb, &point);
      transition (store);
      _exit (4);  /* not killed: the step was never reached */
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
finish_delivery_transition (RelayStore *store)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);

  g_ptr_array_add (lines, resolved ("line-a", "MUG-BLACK", 77));
  relay_store_finish_delivery (store, "o1", 9001, "SQ-1001", lines, NULL);
}

static void
upsert_new_transition (RelayStore *store)
{
  g_autoptr(RelayOrder) order = simple_order ("o2", "1002");

  relay_store_upsert_order (store, order, NULL, NULL, NULL);
}

static void
test_crash_mid_transition (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint events_before;

  insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);
  g_assert_true (relay_store_begin_delivery (fixture->store, "o1", "sqsp-o1", &error));
  g_assert_no_error (error);
  events_before = count_events (fixture, "o1");
  g_clear_object (&fixture->store);

  /* Killed after the order row and the lines were written, before the event and the commit. */
  crash_in_child (fixture->path, "finish_delivery:lines", finish_delivery_transition);
  crash_in_child (fixture->path, "upsert:lines", upsert_new_transition);

  g_assert_cmpint (sqlite_int (fixture->path, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"),
                   ==, 1);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);

  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_assert_cmpstr (row->idempotency_key, ==, "sqsp-o1");
  g_assert_cmpint (row->tradegecko_order_id, ==, 0);
  g_assert_cmpuint (count_events (fixture, "o1"), ==, events_before);
  lines = relay_store_dup_resolved_lines (fixture->store, "o1", &error);
  g_assert_no_error (error);
  g_assert_null (((RelayResolvedLine *) g_ptr_array_index (lines, 0))->tradegecko_sku);

  g_assert_null (relay_store_find_order (fixture->store, "o2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (fixture->path, "SELECT COUNT(*) FROM order_lines WHERE squarespace_id = 'o2'"), ==, 0);

  /* The engine can carry on from the in-flight marker. */
  finish_delivery_transition (fixture->store);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
}

/* What the engine writes once TradeGecko created the order, as one write group,
 * killed before the group's commit. */
static void
delivered_group_killed_before_commit (RelayStore *store)
{
  static const char *email = "ann@example.com";
  static const gint64 company = 501;

  relay_store_begin_group (store);
  finish_delivery_transition (store);
  relay_store_add_event (store, "o1", "totals", "Totals", NULL);
  relay_store_remember_customers (store, &email, &company, 1, NULL);
  kill (getpid (), SIGKILL);
}

/* A write group commits its transitions together: killed before the commit,
 * none is kept and the in-flight marker committed before it stands; inside a
 * group a refused transition undoes only itself; the views hear of the changes
 * once they are committed. */
static void
test_write_group (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  static const char *email = "ann@example.com";
  static const gint64 company = 501;
  guint events_before, signals_before;

  insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);
  g_assert_true (relay_store_begin_delivery (fixture->store, "o1", "sqsp-o1", &error));
  g_assert_no_error (error);
  events_before = count_events (fixture, "o1");
  g_clear_object (&fixture->store);

  crash_in_child (fixture->path, "never", delivered_group_killed_before_commit);

  g_assert_cmpint (sqlite_int (fixture->path, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"),
                   ==, 1);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "order-changed", G_CALLBACK (order_changed_cb), fixture);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_assert_cmpstr (row->idempotency_key, ==, "sqsp-o1");
  g_assert_cmpuint (count_events (fixture, "o1"), ==, events_before);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, email, &error), ==, 0);
  g_assert_no_error (error);

  /* Committed: all of it, and only then told. */
  signals_before = fixture->changed->len;
  relay_store_begin_group (fixture->store);
  finish_delivery_transition (fixture->store);
  g_assert_false (relay_store_reject (fixture->store, "missing", "x", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (relay_store_add_event (fixture->store, "o1", "totals", "Totals", &error));
  g_assert_true (relay_store_remember_customers (fixture->store, &email, &company, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changed->len, ==, signals_before);
  g_assert_true (relay_store_commit_group (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changed->len, ==, signals_before + 2);

  g_clear_object (&fixture->store);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = find (fixture, "o1");
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_NONE);
  g_assert_cmpstr (last_event_kind (fixture, "o1"), ==, "totals");
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, email, &error), ==, company);
}

#define PAGE_ORDERS 3000

static void
test_paging_and_search (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(RelayOrderRow) last = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *plan_stage = NULL;
  guint64 counts[RELAY_N_STAGES];
  gint64 previous_created = G_MAXINT64;
  guint pages = 0;
  RelayShipment shipment = { 0 };

  for (guint i = 0; i < PAGE_ORDERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%05u", i);
      g_autofree char *number = g_strdup_printf ("%u", 10000 + i);
      /* Several orders share a creation time: the cursor must break ties by id. */
      g_autofree char *created = g_strdup_printf ("2026-01-01T%02u:%02u:00.000Z", (i / 10) / 60 % 24, (i / 10) % 60);
      g_autofree char *email = g_strdup_printf ("buyer%u@example.com", i);
      g_autofree char *sku = g_strdup_printf ("SKU-%u", i % 7);
      g_autoptr(RelayOrder) order = make_order (id, number, created, created, email, sku, "PENDING");

      insert (fixture, order, i % 5 == 0 ? "Test order" : NULL, RELAY_UPSERT_INSERTED);
    }

  while (TRUE)
    {
      g_autoptr(GPtrArray) page = relay_store_query_orders (fixture->store, -1, NULL, last, 250, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      pages++;
      for (guint i = 0; i < page->len; i++)
        {
          RelayOrderRow *row = g_ptr_array_index (page, i);

          g_assert_cmpint (row->created_on, <=, previous_created);
          previous_created = row->created_on;
          g_assert_false (g_hash_table_contains (seen, row->squarespace_id));
          g_hash_table_add (seen, g_strdup (row->squarespace_id));
        }
      g_clear_pointer (&last, relay_order_row_free);
      last = g_ptr_array_steal_index (page, page->len - 1);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, PAGE_ORDERS);
  g_assert_cmpuint (pages, ==, PAGE_ORDERS / 250);

  g_assert_cmpint (relay_store_count_orders (fixture->store, -1, NULL, &error), ==, PAGE_ORDERS);
  g_assert_cmpint (relay_store_count_orders (fixture->store, RELAY_STAGE_SKIPPED, NULL, &error), ==, PAGE_ORDERS / 5);
  g_assert_true (relay_store_count_stages (fixture->store, counts, &error));
  g_assert_cmpuint (counts[RELAY_STAGE_NEW], ==, PAGE_ORDERS - PAGE_ORDERS / 5);
  g_assert_cmpuint (counts[RELAY_STAGE_SKIPPED], ==, PAGE_ORDERS / 5);
  g_assert_cmpuint (counts[RELAY_STAGE_CONFIRMED], ==, 0);

  found = relay_store_query_orders (fixture->store, RELAY_STAGE_SKIPPED, NULL, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 10);
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpint (((RelayOrderRow *) g_ptr_array_index (found, i))->stage, ==, RELAY_STAGE_SKIPPED);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Search: order number, customer e-mail, SKU (any case), tracking number. */
  g_assert_cmpint (relay_store_count_orders (fixture->store, -1, "12345", &error), ==, 1);
  g_assert_cmpint (relay_store_count_orders (fixture->store, -1, "buyer2999@", &error), ==, 1);
  g_assert_cmpint (relay_store_count_orders (fixture->store, -1, "sku-3", &error), ==, (PAGE_ORDERS + 3) / 7);
  g_assert_cmpint (relay_store_count_orders (fixture->store, -1, "100%", &error), ==, 0);
  g_assert_cmpint (relay_store_count_orders (fixture->store, -1, "no such thing", &error), ==, 0);

  g_assert_true (relay_store_begin_delivery (fixture->store, "id-00007", "k7", &error));
  g_assert_true (relay_store_finish_delivery (fixture->store, "id-00007", 7007, "SQ-10007", NULL, &error));
  g_assert_no_error (error);
  shipment.fulfillment_id = 1;
  shipment.tradegecko_order_id = 7007;
  shipment.tracking_number = (char *) "1Z999AA10123456784";
  g_assert_true (relay_store_upsert_shipment (fixture->store, &shipment, NULL, &error));
  g_assert_no_error (error);
  found = relay_store_query_orders (fixture->store, -1, "1z999aa10123456784", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((RelayOrderRow *) g_ptr_array_index (found, 0))->order_number, ==, "10007");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = relay_store_dup_orders_in_stage (fixture->store, RELAY_STAGE_AT_TRADEGECKO, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* With 100,000 orders a page must walk an index, never sort the table. */
  plan = relay_store_explain_query (fixture->store, -1, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "USING INDEX orders_by_created"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));
  plan_stage = relay_store_explain_query (fixture->store, RELAY_STAGE_NEW, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_test_message ("plan with stage: %s", plan_stage);
  g_assert_nonnull (strstr (plan_stage, "USING INDEX orders_by_stage"));
  g_assert_null (strstr (plan_stage, "TEMP B-TREE"));
}

/* Sorting 100,000 orders by any column must walk an index, never sort the table; a version 2
 * file gets the indexes when it is opened. */
static void
test_sort_indexes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (fixture->dir, "v2.db", NULL);
  g_autoptr(RelayOrder) order = simple_order ("o1", "1001");
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keys = NULL;
  RelayUpsertResult result;

  store = relay_store_open_at_version (old_path, 2, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'orders_by_total'"), ==, 0);

  store = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'orders_by_total'"), ==, 1);
  g_assert_true (relay_store_upsert_order (store, order, NULL, &result, &error));
  g_assert_no_error (error);
  keys = relay_store_dup_order_keys (store, 0, NULL, RELAY_ORDER_SORT_TOTAL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 1);

  for (int sort = RELAY_ORDER_SORT_CREATED; sort <= RELAY_ORDER_SORT_TRADEGECKO; sort++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autofree char *plan = relay_store_explain_order_keys (store, sort, descending, &error);

        g_assert_no_error (error);
        g_test_message ("sort %d%s: %s", sort, descending ? " descending" : "", plan);
        g_assert_nonnull (strstr (plan, "USING COVERING INDEX"));
        g_assert_null (strstr (plan, "TEMP B-TREE"));
      }
}

static void
test_references (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RelayOrder) a = simple_order ("o1", "1001");
  g_autoptr(RelayOrder) b = simple_order ("o2", "1002");
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayOrder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *nobody = NULL;

  relay_order_set_references (a, "1001", "SQ-1001");
  insert (fixture, a, NULL, RELAY_UPSERT_INSERTED);
  insert (fixture, b, NULL, RELAY_UPSERT_INSERTED);

  owner = relay_store_dup_cust_ref_owner (fixture->store, "SQ-1001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (owner, ==, "o1");
  nobody = relay_store_dup_cust_ref_owner (fixture->store, "SQ-1002", &error);
  g_assert_no_error (error);
  g_assert_null (nobody);

  g_assert_false (relay_store_set_references (fixture->store, "o2", "1002", "SQ-1001", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (relay_store_set_references (fixture->store, "o2", "1002", "SQ-1002", &error));
  g_assert_no_error (error);

  row = find (fixture, "o2");
  g_assert_cmpstr (row->cust_ref, ==, "SQ-1002");
  g_assert_cmpstr (row->cust_po_no, ==, "1002");
  loaded = relay_store_load_order (fixture->store, "o2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_order_get_cust_ref (loaded), ==, "SQ-1002");

  /* Fixed once delivered. */
  g_assert_true (relay_store_begin_delivery (fixture->store, "o2", "k", &error));
  g_assert_false (relay_store_set_references (fixture->store, "o2", "1002", "SQ-X", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
}

static void
test_maps_and_checkpoints (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) aliases = NULL;
  g_autoptr(GHashTable) methods = NULL;
  g_autoptr(GHashTable) carriers = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *none = NULL;
  g_autofree char *value = NULL;
  g_autofree char *gone = NULL;

  g_assert_true (relay_store_set_item_alias (fixture->store, "SQ2700585", "MUG-BLK", &error));
  g_assert_true (relay_store_set_item_alias (fixture->store, "TEE-L", "TSHIRT-L", &error));
  g_assert_true (relay_store_set_item_alias (fixture->store, "TEE-L", " TSHIRT-LARGE ", &error));
  g_assert_no_error (error);
  alias = relay_store_lookup_item_alias (fixture->store, "TEE-L", &error);
  g_assert_cmpstr (alias, ==, "TSHIRT-LARGE");
  none = relay_store_lookup_item_alias (fixture->store, "tee-l", &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_false (relay_store_set_item_alias (fixture->store, "X", "  ", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (relay_store_remove_item_alias (fixture->store, "SQ2700585", &error));
  aliases = relay_store_dup_item_aliases (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (aliases), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (aliases, "TEE-L"), ==, "TSHIRT-LARGE");

  g_assert_true (relay_store_set_shipping_method (fixture->store, "Flat Rate", "Standard Shipping", &error));
  g_assert_true (relay_store_set_carrier (fixture->store, "GeckoShip", "Other", &error));
  g_assert_true (relay_store_set_carrier (fixture->store, "usps", "USPS", &error));
  g_assert_true (relay_store_remove_carrier (fixture->store, "GeckoShip", &error));
  g_assert_true (relay_store_remove_shipping_method (fixture->store, "Nope", &error));
  g_assert_no_error (error);
  methods = relay_store_dup_shipping_methods (fixture->store, &error);
  carriers = relay_store_dup_carriers (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (methods, "Flat Rate"), ==, "Standard Shipping");
  g_assert_cmpuint (g_hash_table_size (carriers), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (carriers, "usps"), ==, "USPS");

  g_assert_true (relay_store_set_checkpoint (fixture->store, "squarespace.pull-watermark", "2026-03-01T00:00:00Z", &error));
  g_assert_true (relay_store_set_checkpoint (fixture->store, "squarespace.pull-watermark", "2026-03-02T00:00:00Z", &error));
  g_assert_no_error (error);
  value = relay_store_dup_checkpoint (fixture->store, "squarespace.pull-watermark", &error);
  g_assert_cmpstr (value, ==, "2026-03-02T00:00:00Z");
  g_assert_true (relay_store_set_checkpoint (fixture->store, "squarespace.pull-watermark", NULL, &error));
  gone = relay_store_dup_checkpoint (fixture->store, "squarespace.pull-watermark", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

static void
test_stage_names (void)
{
  const char *names[] = { "new", "rejected", "at_tradegecko", "shipped", "confirmed", "skipped", "canceled" };
  RelayStage stage;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (relay_stage_to_string ((RelayStage) i), ==, names[i]);
      g_assert_true (relay_stage_from_string (names[i], &stage));
      g_assert_cmpint (stage, ==, i);
    }
  g_assert_false (relay_stage_from_string ("delivering", &stage));
  g_assert_false (relay_stage_from_string (NULL, &stage));
}

/* A file left by schema 1 keeps the customer cache in checkpoints; opening it
 * moves the cache into its tables and keeps everything else. */
static void
test_migrate_customer_cache (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_build_filename (fixture->dir, "v1", "state.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autofree char *value = NULL;
  const char *keys[] = {
    "customer:ann@example.com",
    "customer:bob@example.com",
    "customer:broken@example.com",          /* not an id: dropped */
    "address:501:0a1b2c3d",
    "address:501:ffee",
    "address:502:abcd",
    "address:nonsense",                     /* no company id: dropped */
    "source.pulled-until",
    "destination.customers-since",
    "last-sync.tradegecko",
  };
  const char *values[] = {
    "501", "502", "oops",
    "9001", "9002", "9003", "77",
    "2026-03-01T10:00:00.000Z", "2026-03-01T09:00:00.000Z", "1772000000",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (keys) == G_N_ELEMENTS (values));

  /* Build the version 1 file the way that version did: the engine wrote the
   * cache as checkpoints. */
  store = relay_store_open_at_version (old_path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, 1);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'customers'"), ==, 0);
  g_assert_true (relay_store_set_checkpoints (store, keys, values, G_N_ELEMENTS (keys), &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM checkpoints"), ==, G_N_ELEMENTS (keys));

  /* Opening it migrates to the current version. */
  store = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (RELAY_STORE_SCHEMA_VERSION, >=, 2);
  g_assert_cmpint (sqlite_int (old_path, "SELECT MAX(version) FROM schema_version"), ==, RELAY_STORE_SCHEMA_VERSION);

  g_assert_cmpint (relay_store_lookup_customer (store, "ann@example.com", &error), ==, 501);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_lookup_customer (store, "bob@example.com", &error), ==, 502);
  g_assert_cmpint (relay_store_lookup_customer (store, "broken@example.com", &error), ==, 0);
  g_assert_cmpint (relay_store_lookup_customer_address (store, 501, "0a1b2c3d", &error), ==, 9001);
  g_assert_cmpint (relay_store_lookup_customer_address (store, 501, "ffee", &error), ==, 9002);
  g_assert_cmpint (relay_store_lookup_customer_address (store, 502, "abcd", &error), ==, 9003);
  g_assert_cmpint (relay_store_lookup_customer_address (store, 502, "0a1b2c3d", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM customers"), ==, 2);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM customer_addresses"), ==, 3);

  /* No cache keys are left behind; the real checkpoints are untouched. */
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM checkpoints "
                                         "WHERE key LIKE 'customer:%' OR key LIKE 'address:%'"), ==, 0);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM checkpoints"), ==, 3);
  value = relay_store_dup_checkpoint (store, "source.pulled-until", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "2026-03-01T10:00:00.000Z");
  g_clear_pointer (&value, g_free);
  value = relay_store_dup_checkpoint (store, "customer:ann@example.com", &error);
  g_assert_no_error (error);
  g_assert_null (value);
  g_clear_object (&store);

  /* Reopening is a no-op. */
  store = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM schema_version"), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM customers"), ==, 2);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM customer_addresses"), ==, 3);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM checkpoints"), ==, 3);
  g_assert_cmpint (relay_store_lookup_customer (store, "ann@example.com", &error), ==, 501);
  g_assert_no_error (error);
}

static void
test_customer_cache (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *emails[] = { "ann@example.com", "bob@example.com" };
  const gint64 company_ids[] = { 11, 12 };
  const char *fingerprints[] = { "fp-a", "fp-b", "fp-a" };
  const gint64 address_companies[] = { 11, 11, 12 };
  const gint64 address_ids[] = { 101, 102, 201 };
  const char *bad_emails[] = { "carl@example.com", "" };
  const gint64 bad_ids[] = { 13, 14 };
  const gint64 replaced[] = { 21 };

  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "ann@example.com", &error), ==, 0);
  g_assert_no_error (error);

  g_assert_true (relay_store_remember_customers (fixture->store, emails, company_ids, 2, &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_remember_customer_addresses (fixture->store, address_companies, fingerprints,
                                                          address_ids, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "ann@example.com", &error), ==, 11);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "bob@example.com", &error), ==, 12);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 11, "fp-a", &error), ==, 101);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 11, "fp-b", &error), ==, 102);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 12, "fp-a", &error), ==, 201);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 12, "fp-b", &error), ==, 0);
  g_assert_no_error (error);

  /* Remembering again replaces. */
  g_assert_true (relay_store_remember_customers (fixture->store, emails, replaced, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "ann@example.com", &error), ==, 21);

  /* A bad entry is refused with a clear error and nothing of the batch is written. */
  g_assert_false (relay_store_remember_customers (fixture->store, bad_emails, bad_ids, 2, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "carl@example.com", &error), ==, 0);
  g_assert_false (relay_store_remember_customer_addresses (fixture->store, bad_ids, fingerprints,
                                                           (const gint64[]) { 5, 0 }, 2, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 13, "fp-a", &error), ==, 0);
  g_assert_no_error (error);

  /* Forgetting drops the customer only; unknown e-mails are fine. */
  g_assert_true (relay_store_forget_customer (fixture->store, "ann@example.com", &error));
  g_assert_true (relay_store_forget_customer (fixture->store, "nobody@example.com", &error));
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "ann@example.com", &error), ==, 0);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "bob@example.com", &error), ==, 12);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 11, "fp-a", &error), ==, 101);
  g_assert_no_error (error);

  /* The cache survives a reopen. */
  g_clear_object (&fixture->store);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_lookup_customer (fixture->store, "bob@example.com", &error), ==, 12);
  g_assert_cmpint (relay_store_lookup_customer_address (fixture->store, 11, "fp-b", &error), ==, 102);
  g_assert_no_error (error);
}

/* Regression: each row's key stolen from the lookup table was never freed (8
 * bytes per row for every page the window loads); LeakSanitizer
 * (build-aux/run-sanitizers.sh) fails this test without the fix. */
static void
test_orders_by_keys (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 asked[5];

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("keyed-%u", i);
      g_autofree char *number = g_strdup_printf ("%u", 500 + i);
      g_autoptr(RelayOrder) order = make_order (id, number, "2026-01-01T10:00:00.000Z", "2026-01-01T10:00:00.000Z",
                                                "buyer@example.com", "SKU-1", "PENDING");

      insert (fixture, order, NULL, RELAY_UPSERT_INSERTED);
    }

  keys = relay_store_dup_order_keys (fixture->store, 0, NULL, RELAY_ORDER_SORT_NUMBER, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 3);

  /* In the order asked; a key asked twice gets its row once; a missing key gets NULL. */
  asked[0] = g_array_index (keys, gint64, 2);
  asked[1] = g_array_index (keys, gint64, 0);
  asked[2] = g_array_index (keys, gint64, 2);
  asked[3] = G_MAXINT64;
  asked[4] = g_array_index (keys, gint64, 1);
  rows = relay_store_dup_orders_by_keys (fixture->store, asked, G_N_ELEMENTS (asked), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_cmpstr (((RelayOrderRow *) g_ptr_array_index (rows, 0))->order_number, ==, "502");
  g_assert_cmpstr (((RelayOrderRow *) g_ptr_array_index (rows, 1))->order_number, ==, "500");
  g_assert_null (g_ptr_array_index (rows, 2));
  g_assert_null (g_ptr_array_index (rows, 3));
  g_assert_cmpstr (((RelayOrderRow *) g_ptr_array_index (rows, 4))->order_number, ==, "501");
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Regression: state.db and its -wal/-shm were created 0644 when the data folder
 * already existed. Whatever was there before, the folder ends 0700 and the files 0600. */
static void
test_private_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-mode-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (dir, "order-relay", NULL);
  g_autofree char *path = g_build_filename (folder, "state.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };
  mode_t saved_umask = umask (022);

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(RelayStore) store = relay_store_open (path, &error);

      g_assert_no_error (error);
      g_assert_true (relay_store_set_item_alias (store, "SQ-1", "TG-1", &error));
      g_assert_no_error (error);
      g_assert_cmpuint (file_mode (folder), ==, 0700);
      g_assert_cmpuint (file_mode (path), ==, 0600);
      g_assert_cmpuint (file_mode (wal), ==, 0600);
      g_assert_cmpuint (file_mode (shm), ==, 0600);
      g_clear_object (&store);

      /* Round two: what an older version (or a copy) left behind, wide open. */
      g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          if (g_file_test (file, G_FILE_TEST_EXISTS))
            g_assert_cmpint (g_chmod (file, 0644), ==, 0);
        }
    }

  umask (saved_umask);
  remove_tree (dir);
}

/* Every kind has its nick and a title that is not the raw key; unknown ones read as a note. */
static void
test_event_kinds (void)
{
  for (guint kind = RELAY_EVENT_KIND_OTHER + 1; kind < RELAY_N_EVENT_KINDS; kind++)
    {
      const char *nick = relay_event_kind_to_string (kind);

      g_assert_nonnull (nick);
      g_assert_cmpint (relay_event_kind_from_string (nick), ==, kind);
      g_assert_nonnull (relay_event_kind_get_title (kind));
      g_assert_cmpstr (relay_event_kind_get_title (kind), !=, nick);
      g_assert_cmpstr (relay_event_kind_title_for (nick), ==, relay_event_kind_get_title (kind));
    }
  g_assert_cmpint (relay_event_kind_from_string ("from-a-newer-version"), ==, RELAY_EVENT_KIND_OTHER);
  g_assert_cmpstr (relay_event_kind_title_for ("from-a-newer-version"), ==, "Note");
  g_assert_cmpstr (relay_event_kind_title_for ("tracking-posted"), ==, "Tracking sent to Squarespace");
  /* Kinds the store writes when Squarespace changes a delivered or canceled order. */
  g_assert_cmpint (relay_event_kind_from_string ("changed-after-delivery"), ==, RELAY_EVENT_KIND_CHANGED_AFTER_DELIVERY);
  g_assert_cmpint (relay_event_kind_from_string ("reopened"), ==, RELAY_EVENT_KIND_REOPENED);
}

/* Schema 3 adds who holds an in-flight claim and the pending cancellations:
 * an order in flight under schema 2 keeps its marker, with no claimant. */
static void
test_migrate_claims (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_build_filename (fixture->dir, "v2", "state.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GPtrArray) pending = NULL;

  store = relay_store_open_at_version (old_path, 2, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM pragma_table_info('orders') WHERE name = 'claim_pid'"),
                   ==, 0);
  /* The row as schema 2 wrote it, in flight. */
  sqlite_exec (old_path,
               "INSERT INTO orders (squarespace_id, order_number, stage, created_on, modified_on, "
               "grand_total_minor, currency, squarespace_json, pulled_at, updated_at, in_flight, "
               "idempotency_key) VALUES ('o1', '1001', 'new', 1, 1, 100, 'USD', '{}', 1, 1, "
               "'deliver', 'k1')");

  store = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  row = relay_store_find_order (store, "o1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (row->in_flight, ==, RELAY_IN_FLIGHT_DELIVER);
  g_assert_cmpint (row->claim_pid, ==, 0);
  g_assert_false (row->cancel_pending);
  pending = relay_store_dup_orders_cancel_pending (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 0);

  /* A claim is exclusive: a second delivery with another key is refused and names no one else. */
  g_assert_false (relay_store_begin_delivery (store, "o1", "k2", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
}

/* Schema 4: a payment due is kept until it is paid; only delivered orders are
 * offered; the first key stays. A file of schema 3 gains the table. */
static void
test_payments (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrder) first = simple_order ("o1", "1001");
  g_autoptr(RelayOrder) second = simple_order ("o2", "1002");
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *old_path = g_build_filename (fixture->dir, "v3", "state.db", NULL);
  g_autoptr(RelayStore) old = NULL;
  RelayDuePayment *payment;

  insert (fixture, first, NULL, RELAY_UPSERT_INSERTED);
  insert (fixture, second, NULL, RELAY_UPSERT_INSERTED);
  g_assert_true (relay_store_set_payment_due (fixture->store, "o1", "pay-o1", &error));
  g_assert_true (relay_store_set_payment_due (fixture->store, "o1", "pay-o1-again", &error));
  g_assert_true (relay_store_set_payment_due (fixture->store, "o2", "pay-o2", &error));
  g_assert_no_error (error);

  /* Not in TradeGecko yet: nothing to pay. */
  due = relay_store_dup_due_payments (fixture->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  g_assert_true (relay_store_begin_delivery (fixture->store, "o1", "sqsp-o1", &error));
  g_assert_true (relay_store_finish_delivery (fixture->store, "o1", 9001, "SQ-1001", NULL, &error));
  g_assert_no_error (error);
  due = relay_store_dup_due_payments (fixture->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  payment = g_ptr_array_index (due, 0);
  g_assert_cmpstr (payment->squarespace_id, ==, "o1");
  g_assert_cmpstr (payment->idempotency_key, ==, "pay-o1");
  g_assert_cmpint (payment->tradegecko_order_id, ==, 9001);
  g_clear_pointer (&due, g_ptr_array_unref);

  g_assert_true (relay_store_finish_payment (fixture->store, "o1", "Invoiced and marked paid", &error));
  g_assert_no_error (error);
  due = relay_store_dup_due_payments (fixture->store, 10, &error);
  g_assert_cmpuint (due->len, ==, 0);
  events = relay_store_dup_events (fixture->store, "o1", &error);
  g_assert_cmpstr (((RelayEvent *) g_ptr_array_index (events, events->len - 1))->kind, ==, "paid");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* Refused for good: forgotten, with the reason on the timeline. */
  g_assert_true (relay_store_begin_delivery (fixture->store, "o2", "sqsp-o2", &error));
  g_assert_true (relay_store_finish_delivery (fixture->store, "o2", 9002, "SQ-1002", NULL, &error));
  g_assert_true (relay_store_drop_payment (fixture->store, "o2", "status is void", &error));
  g_assert_no_error (error);
  due = relay_store_dup_due_payments (fixture->store, 10, &error);
  g_assert_cmpuint (due->len, ==, 0);
  events = relay_store_dup_events (fixture->store, "o2", &error);
  g_assert_cmpstr (((RelayEvent *) g_ptr_array_index (events, events->len - 1))->kind, ==, "payment-refused");

  old = relay_store_open_at_version (old_path, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'payments'"), ==, 0);
  g_clear_object (&old);
  old = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'payments'"), ==, 1);
}

/* Schema 6 keeps the delivery attempt (the number in the idempotency key) with
 * the order: a file of schema 5 starts from its "delivering" events; each
 * claim counts one, the same claim repeated does not. */
static void
test_migrate_delivery_attempts (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_build_filename (fixture->dir, "v5", "state.db", NULL);
  g_autoptr(RelayStore) store = NULL;

  store = relay_store_open_at_version (old_path, 5, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM pragma_table_info('orders') "
                                         "WHERE name = 'delivery_attempts'"), ==, 0);
  /* Two orders as schema 5 wrote them: o1 sent twice (one delivery refused), o2 never. */
  sqlite_exec (old_path,
               "INSERT INTO orders (squarespace_id, order_number, stage, created_on, modified_on, "
               "grand_total_minor, currency, squarespace_json, pulled_at, updated_at) VALUES "
               "('o1', '1001', 'new', 1, 1, 100, 'USD', '{}', 1, 1),"
               "('o2', '1002', 'new', 1, 1, 100, 'USD', '{}', 1, 1);"
               "INSERT INTO events (squarespace_id, at, kind, detail) VALUES "
               "('o1', 1, 'pulled', NULL), ('o1', 2, 'delivering', NULL),"
               "('o1', 3, 'error', 'refused'), ('o1', 4, 'delivering', NULL),"
               "('o2', 1, 'pulled', NULL);");

  store = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (relay_store_get_delivery_attempts (store, "o1", &error), ==, 2);
  g_assert_cmpint (relay_store_get_delivery_attempts (store, "o2", &error), ==, 0);
  g_assert_cmpint (relay_store_get_delivery_attempts (store, "no-such-order", &error), ==, 0);
  g_assert_no_error (error);

  g_assert_true (relay_store_begin_delivery (store, "o2", "order-relay-o2-1", &error));
  g_assert_true (relay_store_begin_delivery (store, "o2", "order-relay-o2-1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_delivery_attempts (store, "o2", &error), ==, 1);
  g_assert_true (relay_store_clear_in_flight (store, "o2", "timed out", &error));
  g_assert_true (relay_store_begin_delivery (store, "o2", "order-relay-o2-2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_delivery_attempts (store, "o2", &error), ==, 2);
}

/* @text as a JSON string's contents. */
static char *
json_escaped (const char *text)
{
  g_autoptr(GString) escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }
  return g_string_free (g_steal_pointer (&escaped), FALSE);
}

/* Values a search must treat as text: case, accents (upper and lower, which
 * LIKE does not fold), LIKE's own `%`, `_` and escape `\`, quotes. */
static const char *tricky_names[] = {
  "Élodie", "élodie", "ELODIE", "Ünal", "ünal", "O'Brien", "o\"brien\"", "100% Cotton", "50_50",
  "back\\slash", "Ann", "ann-marie", "Zoë", "ZOË", "Ørsted", "李小龙",
};
static const char *tricky_skus[] = {
  "MUG_RED", "MUGxRED", "50%OFF", "50xOFF", "TEA\\SEN", "CB-ETH-250", "o'sku", "sku\"q", "ÉCRU-1", "écru-2",
};

/* Order @i of a generated store: the same on every call, so two stores can be filled alike. */
static RelayOrder *
tricky_order (guint i)
{
  g_autofree char *first = json_escaped (tricky_names[i % G_N_ELEMENTS (tricky_names)]);
  g_autofree char *last = json_escaped (tricky_names[(i / 3) % G_N_ELEMENTS (tricky_names)]);
  g_autofree char *sku = json_escaped (tricky_skus[i % G_N_ELEMENTS (tricky_skus)]);
  g_autofree char *sku2 = json_escaped (tricky_skus[(i / 7) % G_N_ELEMENTS (tricky_skus)]);
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"sq-%u\", \"orderNumber\": \"%u\", \"createdOn\": \"2026-02-%02uT10:%02u:00.000Z\","
    " \"modifiedOn\": \"2026-02-01T10:00:00.000Z\", \"testmode\": false,"
    " \"customerEmail\": \"%s%s%u@Example.COM\", \"fulfillmentStatus\": \"PENDING\","
    " \"billingAddress\": {\"firstName\": \"%s\", \"lastName\": \"%s\"},"
    " \"shippingAddress\": {\"firstName\": \"Ann\", \"lastName\": \"Lee\", \"address1\": \"1 Main St\","
    "   \"city\": \"Springfield\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"lineItems\": [{\"id\": \"a\", \"sku\": \"%s\", \"productName\": \"Mug\", \"quantity\": 2,"
    "   \"unitPricePaid\": {\"value\": \"14.00\", \"currency\": \"USD\"}, \"lineItemType\": \"PHYSICAL_PRODUCT\"},"
    "  {\"id\": \"b\", \"sku\": \"%s\", \"productName\": \"Tea\", \"quantity\": 1,"
    "   \"unitPricePaid\": {\"value\": \"5.00\", \"currency\": \"USD\"}, \"lineItemType\": \"PHYSICAL_PRODUCT\"}],"
    " \"grandTotal\": {\"value\": \"33.00\", \"currency\": \"USD\"}}",
    i, 1000 + i * 37, i % 28 + 1, i % 60, i % 4 == 0 ? "o'" : i % 4 == 1 ? "x_y" : i % 4 == 2 ? "p%q" : "",
    i % 5 == 0 ? "Zoë" : "b", i, first, last, sku, sku2);
  g_autoptr(GError) error = NULL;
  RelayOrder *order = relay_order_new_from_json_string (json, &error);

  g_assert_no_error (error);
  return order;
}

#define TRICKY_ORDERS 240

/* The same writes on any store: orders, some delivered with a TradeGecko
 * number, shipments with tracking numbers, and later changes to all three. */
static void
fill_tricky_store (RelayStore *store,
                   guint       from,
                   guint       to)
{
  g_autoptr(GError) error = NULL;

  for (guint i = from; i < to; i++)
    {
      g_autoptr(RelayOrder) order = tricky_order (i);
      g_autofree char *id = g_strdup_printf ("sq-%u", i);
      RelayUpsertResult result;

      g_assert_true (relay_store_upsert_order (store, order, NULL, &result, &error));
      g_assert_no_error (error);
      /* References before delivery: afterwards they cannot change. */
      if (i % 4 == 3)
        {
          g_autofree char *po = g_strdup_printf ("PO-%u", i);
          g_autofree char *ref = g_strdup_printf ("R%u_é", i);
          gboolean set = relay_store_set_references (store, id, po, ref, &error);

          g_assert_no_error (error);
          g_assert_true (set);
        }
      if (i % 3 == 0)
        {
          g_autofree char *key = g_strdup_printf ("key-%u", i);
          g_autofree char *number = g_strdup_printf ("SO-%u%s", 5000 + i, i % 2 ? "_b" : "%c");
          RelayShipment shipment = { 0 };
          g_autofree char *tracking = g_strdup_printf ("1Z%uÄ%c%u", i * 7, i % 2 ? '_' : '\'', i);

          g_assert_true (relay_store_begin_delivery (store, id, key, &error));
          g_assert_true (relay_store_finish_delivery (store, id, 9000 + i, number, NULL, &error));
          g_assert_no_error (error);
          shipment.fulfillment_id = 100 + i;
          shipment.tradegecko_order_id = 9000 + i;
          shipment.tracking_number = tracking;
          g_assert_true (relay_store_upsert_shipment (store, &shipment, NULL, &error));
          g_assert_no_error (error);
          if (i % 9 == 0)
            {
              /* A corrected tracking number replaces the old one. */
              g_autofree char *corrected = g_strdup_printf ("CORR%%%u", i);

              shipment.tracking_number = corrected;
              g_assert_true (relay_store_upsert_shipment (store, &shipment, NULL, &error));
              g_assert_no_error (error);
            }
        }
    }
}

/* The order ids a search finds, in the list's order, joined by spaces. */
static char *
search_ids (RelayStore *store,
            const char *search)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relay_store_query_orders (store, -1, search, NULL, 0, &error);
  g_autoptr(GArray) keys = relay_store_dup_order_keys (store, 0, search, RELAY_ORDER_SORT_CUSTOMER, FALSE, &error);
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, rows->len);
  g_assert_cmpint (relay_store_count_orders (store, -1, search, &error), ==, rows->len);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, "%s ", ((RelayOrderRow *) g_ptr_array_index (rows, i))->squarespace_id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* What is searched for: the tricky values, parts of them in other cases, and
 * parts of every searched field of some orders. */
static GPtrArray *
tricky_searches (void)
{
  static const char *fixed[] = {
    "élo", "Élo", "ÉLODIE", "elodie", "ODI", "ünal", "ÜNAL", "unal", "o'b", "O'BRIEN", "\"br", "ien\"",
    "100%", "0% C", "% c", "%", "%%", "50_", "_50", "_", "__", "MUG_R", "G_RE", "50%O", "%OFF", "TEA\\S",
    "\\", "\\sl", "k\\s", "zoë", "ZOË", "zoe", "Ørs", "ørs", "李小", "小龙", "ÉCRU", "écru", "cru-",
    "x_y", "p%q", "o'1", "@example.com", "EXAMPLE", "SO-50", "_b", "%c", "1z", "Ä_", "ä'", "corr%",
    "CORR%9", "R3_é", "r7_É", "PO-", "10", "1", "a", "é", "ab", "zzz", "no such thing", "  ", "'",
  };
  GPtrArray *searches = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (searches, g_strdup (fixed[i]));
  for (guint i = 0; i < TRICKY_ORDERS; i += 23)
    {
      g_autofree char *email = g_strdup_printf ("b%u@example", i);
      g_autofree char *number = g_strdup_printf ("%u", 1000 + i * 37);
      const char *name = tricky_names[i % G_N_ELEMENTS (tricky_names)];
      const char *sku = tricky_skus[i % G_N_ELEMENTS (tricky_skus)];
      gsize name_chars = g_utf8_strlen (name, -1);

      g_ptr_array_add (searches, g_strndup (number + 1, 3));
      g_ptr_array_add (searches, g_ascii_strup (email, -1));
      g_ptr_array_add (searches, g_ascii_strdown (sku + 1, -1));
      g_ptr_array_add (searches, g_utf8_substring (name, name_chars > 3 ? 1 : 0, name_chars));
      g_ptr_array_add (searches, g_utf8_strup (name, -1));
    }
  return searches;
}

/* A search of three characters or more goes through the trigram index and finds
 * exactly what today's LIKE search finds (a schema 7 store has no index): same
 * orders, same order, over tricky values; and a schema 7 file opened by this
 * version gets an index that finds the same again, then follows later writes. */
static void
test_search_index_same_results (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (fixture->dir, "v7", "state.db", NULL);
  g_autofree char *plain_path = g_build_filename (fixture->dir, "plain", "state.db", NULL);
  g_autoptr(GPtrArray) searches = tricky_searches ();
  g_autoptr(RelayStore) old = NULL;
  g_autoptr(RelayStore) plain = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *short_plan = NULL;
  guint nonempty = 0;

  old = relay_store_open_at_version (old_path, 7, &error);
  g_assert_no_error (error);
  fill_tricky_store (old, 0, TRICKY_ORDERS);
  plain = relay_store_open_at_version (plain_path, 7, &error);
  g_assert_no_error (error);
  fill_tricky_store (plain, 0, TRICKY_ORDERS);
  fill_tricky_store (fixture->store, 0, TRICKY_ORDERS);

  plan = relay_store_explain_query (fixture->store, -1, "élo", FALSE, &error);
  g_assert_no_error (error);
  g_test_message ("plan with index: %s", plan);
  g_assert_nonnull (strstr (plan, "orders_search"));
  short_plan = relay_store_explain_query (fixture->store, -1, "él", FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (short_plan, "orders_search"));

  for (guint i = 0; i < searches->len; i++)
    {
      const char *search = g_ptr_array_index (searches, i);
      char *like_ids = search_ids (old, search);
      g_autofree char *index_ids = search_ids (fixture->store, search);

      g_test_message ("\"%s\": %s", search, like_ids);
      g_assert_cmpstr (index_ids, ==, like_ids);
      nonempty += *like_ids != '\0';
      g_ptr_array_add (expected, like_ids);
    }
  /* Not a comparison of empty lists: most searches find something. */
  g_assert_cmpuint (nonempty, >, searches->len * 3 / 4);

  /* The schema 7 file migrated: its index is built from what is already there... */
  g_clear_object (&old);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'orders_search'"), ==, 0);
  old = relay_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (old), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite_int (old_path, "SELECT COUNT(*) FROM orders_search"), ==, TRICKY_ORDERS);
  for (guint i = 0; i < searches->len; i++)
    {
      g_autofree char *ids = search_ids (old, g_ptr_array_index (searches, i));

      g_assert_cmpstr (ids, ==, g_ptr_array_index (expected, i));
    }

  /* ...and kept up to date by the writes after it: still what LIKE alone finds. */
  fill_tricky_store (old, TRICKY_ORDERS, TRICKY_ORDERS + 60);
  fill_tricky_store (plain, TRICKY_ORDERS, TRICKY_ORDERS + 60);
  fill_tricky_store (fixture->store, TRICKY_ORDERS, TRICKY_ORDERS + 60);
  for (guint i = 0; i < searches->len; i++)
    {
      const char *search = g_ptr_array_index (searches, i);
      g_autofree char *like_ids = search_ids (plain, search);
      g_autofree char *migrated_ids = search_ids (old, search);
      g_autofree char *fresh_ids = search_ids (fixture->store, search);

      g_assert_cmpstr (migrated_ids, ==, like_ids);
      g_assert_cmpstr (fresh_ids, ==, like_ids);
    }
}

/* Opens a new state file from @processes processes released at the same
 * instant; returns how many could not open it. */
static guint
open_fresh_file_at_once (const char *path,
                         guint       processes)
{
  g_autofree pid_t *pids = g_new0 (pid_t, processes);
  int go[2];
  guint refused = 0;

  g_assert_cmpint (pipe (go), ==, 0);
  for (guint i = 0; i < processes; i++)
    {
      pids[i] = fork ();
      g_assert_cmpint (pids[i], >=, 0);
      if (pids[i] == 0)
        {
          char byte;
          RelayStore *store;

          close (go[1]);
          /* Every child blocks here until the parent closes its end. */
          (void) !read (go[0], &byte, 1);
          store = relay_store_open (path, NULL);
          _exit (store != NULL && relay_store_get_schema_version (store) == RELAY_STORE_SCHEMA_VERSION ? 0 : 1);
        }
    }
  close (go[0]);
  close (go[1]);

  for (guint i = 0; i < processes; i++)
    {
      int status = 0;

      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status));
      if (WEXITSTATUS (status) != 0)
        refused++;
    }
  return refused;
}

/* Two front ends starting together on a new machine (the window and a
 * `sync --once` from a timer, or two timers) both create the state file and
 * switch it to WAL; SQLite refuses one of them at once, without waiting. Each
 * round uses a new file: before the retry a few rounds in a hundred failed. */
static void
test_first_open_by_several_processes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-first-open-XXXXXX", &error);
  guint refused = 0;
  const guint rounds = 100;

  g_assert_no_error (error);
  for (guint round = 0; round < rounds; round++)
    {
      g_autofree char *name = g_strdup_printf ("state-%u.db", round);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      refused += open_fresh_file_at_once (path, 3);
    }
  g_test_message ("%u rounds of 3 processes opening a new state file: %u refused", rounds, refused);
  g_assert_cmpuint (refused, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/schema-and-reopen", test_schema_and_reopen);
  ADD ("/store/newer-and-foreign-files", test_newer_and_foreign_files);
  ADD ("/store/upsert-rules", test_upsert_rules);
  ADD ("/store/delivery-lifecycle", test_delivery_lifecycle);
  ADD ("/store/reject-error-requeue", test_reject_error_requeue);
  ADD ("/store/signals", test_signals);
  ADD ("/store/crash-mid-transition", test_crash_mid_transition);
  ADD ("/store/write-group", test_write_group);
  ADD ("/store/paging-and-search", test_paging_and_search);
  ADD ("/store/sort-indexes", test_sort_indexes);
  ADD ("/store/orders-by-keys", test_orders_by_keys);
  ADD ("/store/references", test_references);
  ADD ("/store/maps-and-checkpoints", test_maps_and_checkpoints);
  ADD ("/store/migrate-customer-cache", test_migrate_customer_cache);
  ADD ("/store/migrate-claims", test_migrate_claims);
  ADD ("/store/migrate-delivery-attempts", test_migrate_delivery_attempts);
  ADD ("/store/migrate-search-index", test_search_index_same_results);
  ADD ("/store/payments", test_payments);
  ADD ("/store/customer-cache", test_customer_cache);
#undef ADD
  g_test_add_func ("/store/default-path", test_default_path);
  g_test_add_func ("/store/private-files", test_private_files);
  g_test_add_func ("/store/first-open-by-several-processes", test_first_open_by_several_processes);
  g_test_add_func ("/store/stage-names", test_stage_names);
  g_test_add_func ("/store/event-kinds", test_event_kinds);

  return g_test_run ();
}
