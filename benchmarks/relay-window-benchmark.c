/* relay-window-benchmark.c — the main window over a large order database
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Creates (or reuses) a state database of N orders in every stage, then
 * opens the real main window on it and prints the time from opening the
 * database to the first painted frame, the time to jump to the middle and the
 * end of the list, and the process's resident memory. Not a test: it
 * measures, it does not judge.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relay-application.h"
#include "relay-window.h"

static gint64 painted_at;

static RelayOrder *
make_order (guint n)
{
  static const char *first_names[] = { "Ann", "Bob", "Cleo", "Dmitri", "Eve", "Farid", "Grace", "Hiro" };
  static const char *skus[] = { "CB-ETH-250", "CB-COL-1K", "TEA-SEN-50", "MUG-STN-WHT", "EQ-FLT-100" };
  g_autoptr(GDateTime) base = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) created = g_date_time_add_seconds (base, (double) n * 900);
  g_autofree char *stamp = g_date_time_format_iso8601 (created);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrder *order;

  json = g_strdup_printf (
    "{\"id\": \"bench-%08u\", \"orderNumber\": \"%u\", \"createdOn\": \"%s\", \"modifiedOn\": \"%s\","
    " \"testmode\": false, \"customerEmail\": \"buyer%u@example.com\", \"fulfillmentStatus\": \"PENDING\","
    " \"billingAddress\": {\"firstName\": \"%s\", \"lastName\": \"Buyer %u\"},"
    " \"shippingAddress\": {\"firstName\": \"%s\", \"lastName\": \"Buyer %u\", \"address1\": \"%u Main St\","
    "   \"city\": \"Springfield\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"lineItems\": [{\"id\": \"l1\", \"sku\": \"%s\", \"productName\": \"Item\", \"quantity\": %u,"
    "   \"unitPricePaid\": {\"value\": \"16.50\", \"currency\": \"USD\"}, \"lineItemType\": \"PHYSICAL_PRODUCT\"}],"
    " \"grandTotal\": {\"value\": \"%u.50\", \"currency\": \"USD\"}}",
    n, 1000 + n, stamp, stamp, n, first_names[n % 8], n, first_names[n % 8], n, n % 999 + 1,
    skus[n % 5], n % 4 + 1, 16 * (n % 4 + 1));

  order = relay_order_new_from_json_string (json, &error);
  g_assert_no_error (error);

  return order;
}

/* Orders through the store's own API, then a realistic spread of stages and
 * TradeGecko numbers set in one statement (going through every transition of
 * 100,000 orders would only measure the set-up). */
static void
create_database (const char *path,
                 guint       n_orders)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  gint64 start = g_get_monotonic_time ();

  store = relay_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_orders; i++)
    {
      g_autoptr(RelayOrder) order = make_order (i);
      RelayUpsertResult result;

      if (!relay_store_upsert_order (store, order, NULL, &result, &error))
        g_error ("Could not add order %u: %s", i, error->message);
      if (i > 0 && i % 10000 == 0)
        g_printerr ("  %u orders...\n", i);
    }
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "UPDATE orders SET stage = CASE"
    "  WHEN rowid % 100 = 7 THEN 'rejected'"
    "  WHEN rowid % 100 = 8 THEN 'skipped'"
    "  WHEN rowid % 100 = 9 THEN 'canceled'"
    "  WHEN rowid > (SELECT MAX (rowid) FROM orders) - 40 THEN 'new'"
    "  WHEN rowid > (SELECT MAX (rowid) FROM orders) - 400 THEN 'at_tradegecko'"
    "  WHEN rowid > (SELECT MAX (rowid) FROM orders) - 900 THEN 'shipped'"
    "  ELSE 'confirmed' END,"
    " stage_reason = CASE WHEN rowid % 100 = 7 THEN 'TradeGecko has no active item with SKU ' || rowid END,"
    " tradegecko_order_number = CASE WHEN rowid % 100 >= 7 AND rowid % 100 <= 9 THEN NULL ELSE 'SO-' || rowid END,"
    " tradegecko_order_id = CASE WHEN rowid % 100 >= 7 AND rowid % 100 <= 9 THEN NULL ELSE rowid END",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_print ("created %u orders in %.1f s\n", n_orders, (g_get_monotonic_time () - start) / 1e6);
}

static glong
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;

  return strtol (line + strlen (field) + 1, NULL, 10);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (painted_at == 0)
    painted_at = g_get_monotonic_time ();
}

/* Waits for the next painted frame after @since. */
static gint64
wait_for_paint (gint64 since)
{
  painted_at = 0;
  while (painted_at == 0 || painted_at < since)
    {
      if (painted_at != 0 && painted_at < since)
        painted_at = 0;
      g_main_context_iteration (NULL, TRUE);
    }

  return painted_at;
}

static gboolean keys_arrived;

static void
replacing_rows_cb (RelayOrderListModel *list)
{
  keys_arrived = TRUE;
}

/* The keys are queried off the main thread: the frame that counts is the first
 * one after the list took them (the rows on screen show them; for a search
 * that many orders match, its first screenful comes before the rest). A list
 * that grows under the view grows over a few more frames: @whole_ms is the
 * first frame after it is whole. */
static double
frame_after_keys (RelayOrderListModel *list,
                  GtkWidget           *widget,
                  gint64               start,
                  double              *whole_ms)
{
  gint64 arrived;
  double shown_ms;

  /* Unchanged keys replace nothing: then the list's loading ends. */
  while (!keys_arrived && relay_order_list_model_is_loading (list))
    g_main_context_iteration (NULL, TRUE);
  arrived = g_get_monotonic_time ();
  gtk_widget_queue_draw (widget);
  shown_ms = (wait_for_paint (arrived) - start) / 1e3;

  while (relay_order_list_model_is_loading (list))
    g_main_context_iteration (NULL, TRUE);
  arrived = g_get_monotonic_time ();
  gtk_widget_queue_draw (widget);
  *whole_ms = (wait_for_paint (arrived) - start) / 1e3;

  return shown_ms;
}

/* From asking the list for another order to the frame that shows it. */
static double
sort_to_frame (RelayOrderListModel *list,
               RelayOrderSort       sort,
               gboolean             descending,
               GtkWidget           *widget)
{
  gint64 start = g_get_monotonic_time ();
  double whole_ms;

  keys_arrived = FALSE;
  relay_order_list_model_set_sort (list, sort, descending);
  return frame_after_keys (list, widget, start, &whole_ms);
}

static double
search_to_frame (RelayOrderListModel *list,
                 const char          *search,
                 GtkWidget           *widget,
                 double              *whole_ms)
{
  gint64 start = g_get_monotonic_time ();

  keys_arrived = FALSE;
  relay_order_list_model_set_filter (list, relay_order_list_model_get_stage_mask (list), search);
  return frame_after_keys (list, widget, start, whole_ms);
}

/* The longest the main loop went without running between two idle callbacks
 * at the highest priority: how long input would have waited. */
static gint64 last_beat;
static gint64 longest_gap;

static gboolean
heartbeat_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_beat != 0)
    longest_gap = MAX (longest_gap, now - last_beat);
  last_beat = now;
  return G_SOURCE_CONTINUE;
}

/* The longest gap so far, counting one still open: a stall that ends with the
 * painted frame (no beat after it yet) counts too. */
static double
longest_gap_ms (void)
{
  heartbeat_cb (NULL);
  return longest_gap / 1e3;
}

static void
print_sorts_and_searches (RelayWindow *window)
{
  static const struct { RelayOrderSort sort; const char *name; } sorts[] = {
    { RELAY_ORDER_SORT_NUMBER, "number" },
    { RELAY_ORDER_SORT_CUSTOMER, "customer" },
    { RELAY_ORDER_SORT_ITEMS, "items" },
    { RELAY_ORDER_SORT_TOTAL, "total" },
    { RELAY_ORDER_SORT_STAGE, "stage" },
    { RELAY_ORDER_SORT_TRADEGECKO, "tradegecko" },
    { RELAY_ORDER_SORT_CREATED, "created" },
  };
  static const char *searches[] = { "Buyer 4242", "buyer77", "CB-ETH-250", "SO-55555", "1042" };
  RelayOrderListModel *list = relay_window_get_order_list (window);
  GtkWidget *widget = GTK_WIDGET (window);
  guint heartbeat = g_timeout_add_full (G_PRIORITY_HIGH, 5, heartbeat_cb, NULL, NULL);
  double cleared_ms;
  double whole_ms;

  g_signal_connect (list, "replacing-rows", G_CALLBACK (replacing_rows_cb), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      double ascending_ms, descending_ms;

      last_beat = g_get_monotonic_time (), longest_gap = 0;
      ascending_ms = sort_to_frame (list, sorts[i].sort, FALSE, widget);
      descending_ms = sort_to_frame (list, sorts[i].sort, TRUE, widget);
      g_print ("sort by %-10s to painted frame: %.0f ms ascending, %.0f ms descending; main loop blocked up to %.0f ms\n",
               sorts[i].name, ascending_ms, descending_ms, longest_gap_ms ());
    }
  g_print ("RSS after sorts: %ld kB\n", read_status_kb ("VmRSS:"));

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      double ms;

      last_beat = g_get_monotonic_time (), longest_gap = 0;
      ms = search_to_frame (list, searches[i], widget, &whole_ms);
      g_print ("search \"%s\" to painted frame: %.0f ms, %u orders (all listed: %.0f ms); main loop blocked up to %.0f ms\n",
               searches[i], ms, g_list_model_get_n_items (G_LIST_MODEL (list)), whole_ms, longest_gap_ms ());
    }
  last_beat = g_get_monotonic_time (), longest_gap = 0;
  cleared_ms = search_to_frame (list, NULL, widget, &whole_ms);
  g_print ("search cleared to painted frame: %.0f ms (all listed: %.0f ms); main loop blocked up to %.0f ms\n",
           cleared_ms, whole_ms, longest_gap_ms ());
  g_source_remove (heartbeat);
  g_print ("RSS after searches and sorts: %ld kB (peak %ld kB)\n", read_status_kb ("VmRSS:"), read_status_kb ("VmHWM:"));
}

static double
jump_to (GtkScrolledWindow *scroller,
         double             fraction)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gint64 start = g_get_monotonic_time ();

  gtk_adjustment_set_value (adjustment,
                            (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment)) * fraction);
  gtk_widget_queue_draw (GTK_WIDGET (scroller));

  return (wait_for_paint (start) - start) / 1e3;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RelayApplication) app = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  int n_orders = 100000;
  GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, "How many orders (default 100000)", "N" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Reuse or create this database", "PATH" },
    { NULL }
  };
  RelayWindow *window;
  GtkScrolledWindow *scroller;
  gint64 start;
  gint64 first_frame;
  double middle_ms;
  double end_ms;

  context = g_option_context_new ("— open the main window on a large order database");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (db_path == NULL)
    db_path = g_strdup_printf ("%s/order-relay-window-benchmark-%d.sqlite3", g_get_tmp_dir (), n_orders);
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    create_database (db_path, (guint) n_orders);

  gtk_init ();
  app = relay_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_print ("RSS before the window: %ld kB\n", read_status_kb ("VmRSS:"));

  /* From opening the database to the first painted frame of the window. */
  start = g_get_monotonic_time ();
  store = relay_store_open (db_path, &error);
  g_assert_no_error (error);
  window = relay_window_new (app);
  relay_window_set_store (window, store);
  relay_window_set_connected (window, TRUE);
  gtk_widget_realize (GTK_WIDGET (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  first_frame = wait_for_paint (start);

  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                                     RELAY_TYPE_WINDOW,
                                                                                                     "column_view")),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  g_print ("orders in the list: %u\n", g_list_model_get_n_items (G_LIST_MODEL (relay_window_get_order_list (window))));
  g_print ("time to first frame: %.0f ms\n", (first_frame - start) / 1e3);
  g_print ("RSS after first frame: %ld kB\n", read_status_kb ("VmRSS:"));

  /* Let the list settle, then jump through it as a scrollbar drag would. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  middle_ms = jump_to (scroller, 0.5);
  end_ms = jump_to (scroller, 1.0);
  g_print ("jump to the middle: %.0f ms, to the end: %.0f ms\n", middle_ms, end_ms);
  g_print ("rows held in memory: %u\n", relay_order_list_model_get_n_cached (relay_window_get_order_list (window)));
  g_print ("RSS after scrolling: %ld kB (peak %ld kB)\n", read_status_kb ("VmRSS:"), read_status_kb ("VmHWM:"));
  print_sorts_and_searches (window);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
