/* test-window-orders.c — the main window over a real state store, driven by actions
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-alias-dialog.h"
#include "relay-application.h"
#include "relay-credentials.h"
#include "relay-error.h"
#include "relay-event-kind.h"
#include "relay-order-detail.h"
#include "relay-preferences-window.h"
#include "relay-setup-wizard.h"
#include "relay-shipping-map-dialog.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

typedef struct
{
  char        *dir;
  RelayStore  *store;
  RelayWindow *window;
} Fixture;

static RelayApplication *test_app;

static void
deliver (RelayStore *store,
         guint       n)
{
  g_autofree char *id = g_strdup_printf ("sq-%06u", n);
  g_autofree char *key = g_strdup_printf ("key-%u", n);
  g_autofree char *number = g_strdup_printf ("SO-%u", 5000 + n);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (lines, relay_resolved_line_new ("line-a", "MUG-BLK", "MUG-BLK", 77, 2, RELAY_LINE_RESOLVED));
  g_ptr_array_add (lines, relay_resolved_line_new ("line-b", NULL, NULL, 0, 1, RELAY_LINE_DIGITAL));
  g_assert_true (relay_store_begin_delivery (store, id, key, &error));
  g_assert_true (relay_store_finish_delivery (store, id, 9000 + n, number, lines, &error));
  g_assert_no_error (error);
}

static void
ship (RelayStore *store,
      guint       n)
{
  g_autofree char *id = g_strdup_printf ("sq-%06u", n);
  g_autofree char *tracking = g_strdup_printf ("1Z%08u", n);
  g_autoptr(GError) error = NULL;
  RelayShipment shipment = {
    .fulfillment_id = 100 + n, .tradegecko_order_id = 9000 + n, .status = (char *) "fulfilled",
    .carrier = (char *) "UPS", .tracking_number = tracking,
    .tracking_url = (char *) "https://www.ups.com/track?tracknum=1Z", .shipped_at = 1773000000000,
    .lines_summary = (char *) "2 × MUG-BLK",
  };
  gboolean changed;

  g_assert_true (relay_store_upsert_shipment (store, &shipment, &changed, &error));
  g_assert_true (relay_store_mark_shipped (store, id, &error));
  g_assert_no_error (error);
}

static void
confirm (RelayStore *store,
         guint       n)
{
  g_autofree char *id = g_strdup_printf ("sq-%06u", n);
  g_autoptr(GError) error = NULL;
  gint64 fulfillment = 100 + n;

  g_assert_true (relay_store_begin_post_tracking (store, id, &error));
  g_assert_true (relay_store_mark_shipments_posted (store, id, &fulfillment, 1, &error));
  g_assert_true (relay_store_mark_confirmed (store, id, &error));
  g_assert_no_error (error);
}

/* 24 orders: 0–3 tracking sent, 4–7 shipped, 8–13 at TradeGecko, 14–15 rejected
 * (unknown SKU MUG-RED), 16 skipped, the rest retrieved. */
static void
fill_store (RelayStore *store)
{
  static const char *customers[] = { "Ann", "Bob", "Cleo", "Dmitri" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 24; i++)
    test_add_order (store, i, customers[i % 4], i == 14 || i == 15 ? "MUG-RED" : "MUG-BLK");
  for (guint i = 0; i < 14; i++)
    deliver (store, i);
  for (guint i = 0; i < 8; i++)
    ship (store, i);
  for (guint i = 0; i < 4; i++)
    confirm (store, i);
  g_assert_true (relay_store_reject (store, "sq-000014", "TradeGecko has no variant with SKU MUG-RED", &error));
  g_assert_true (relay_store_reject (store, "sq-000015", "TradeGecko has no variant with SKU MUG-RED", &error));
  g_assert_true (relay_store_skip (store, "sq-000016", "Test order", &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = test_open_temp_store (&fixture->dir);
  if (data == NULL)
    fill_store (fixture->store);
  fixture->window = test_show_store (test_app, fixture->store);
  /* The orders page is on screen once the stack's crossfade is over. */
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                                              RELAY_TYPE_WINDOW, "list_stack"))) &&
                            !gtk_stack_get_transition_running (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                                                        RELAY_TYPE_WINDOW, "main_stack"))), 10);
  g_assert_null (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD));
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *dialog;

  while ((dialog = relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (dialog);
  while ((dialog = relay_test_find_window_of_type (RELAY_TYPE_PREFERENCES_WINDOW)) != NULL)
    gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  relay_test_iterate_pending ();
  g_clear_object (&fixture->store);
  test_remove_state_dir (fixture->dir);
  g_free (fixture->dir);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), RELAY_TYPE_WINDOW, name));
}

static guint
n_listed (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (relay_window_get_order_list (fixture->window)));
}

static void
wait_for_list (Fixture *fixture)
{
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (relay_window_get_order_list (fixture->window)), 10);
}

/* The list is queried off the main thread: wait for the filtered keys. */
static void
filter (Fixture    *fixture,
        const char *flow)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "filter", g_variant_new_string (flow));
  wait_for_list (fixture);
}

static void
save_screenshot_of (GtkWidget  *widget,
                    const char *name)
{
  g_autofree char *path = NULL;

  relay_test_wait_until_settled (widget);
  RELAY_TEST_ITERATE_UNTIL (widget_renders (widget), 5);
  path = relay_test_save_screenshot (widget, name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  g_autofree char *path = NULL;

  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (fixture->window)), 5);
  path = relay_test_save_screenshot (GTK_WIDGET (fixture->window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_flows_and_filters (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (template_child (fixture, "column_view"));
  g_autoptr(RelayOrderItem) first = NULL;

  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "list");
  g_assert_true (relay_window_get_connected (fixture->window));

  /* The flow header counts every flow. */
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "all"), ==, 24);
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "new"), ==, 7);
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "at_tradegecko"), ==, 6);
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "shipped"), ==, 4);
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "confirmed"), ==, 4);
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "attention"), ==, 2);
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "closed"), ==, 1);

  /* The column view shows the lazy list, newest first, with every column. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_columns (view))), ==, 8);
  g_assert_cmpuint (n_listed (fixture), ==, 24);
  first = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), 0);
  g_assert_cmpstr (relay_order_item_get_row (first)->order_number, ==, "1023");
  save_screenshot (fixture, "window-orders");

  /* Clicking a counter filters the list. */
  filter (fixture, "attention");
  g_assert_cmpuint (n_listed (fixture), ==, 2);
  g_assert_cmpstr (g_variant_get_string (g_action_group_get_action_state (G_ACTION_GROUP (fixture->window), "filter"), NULL),
                   ==, "attention");
  filter (fixture, "confirmed");
  g_assert_cmpuint (n_listed (fixture), ==, 4);
  filter (fixture, "shipped");
  g_assert_cmpuint (n_listed (fixture), ==, 4);
  filter (fixture, "closed");
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  filter (fixture, "all");
  g_assert_cmpuint (n_listed (fixture), ==, 24);

  /* Sorting by a column header re-queries the store. */
  gtk_column_view_sort_by_column (view, g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_columns (view)), 0),
                                  GTK_SORT_ASCENDING);
  wait_for_list (fixture);
  {
    g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (relay_window_get_order_list (fixture->window)), 0);
    gboolean descending;

    g_assert_cmpint (relay_order_list_model_get_sort (relay_window_get_order_list (fixture->window), &descending),
                     ==, RELAY_ORDER_SORT_NUMBER);
    g_assert_false (descending);
    g_assert_cmpstr (relay_order_item_get_row (item)->order_number, ==, "1000");
  }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GtkEditable *entry = GTK_EDITABLE (template_child (fixture, "search_entry"));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (template_child (fixture, "search_bar"))));

  /* Customer, SKU, order number, tracking number. */
  gtk_editable_set_text (entry, "cleo");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 6, 5);
  gtk_editable_set_text (entry, "MUG-RED");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 2, 5);
  gtk_editable_set_text (entry, "1Z00000005");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 1, 5);
  gtk_editable_set_text (entry, "1017");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 1, 5);
  /* Parts are enough: of a SKU, of a tracking number, of the TradeGecko order number. */
  gtk_editable_set_text (entry, "ug-re");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 2, 5);
  gtk_editable_set_text (entry, "00000005");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 1, 5);
  gtk_editable_set_text (entry, "SO-501");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 4, 5);

  /* Search and a flow filter together. */
  gtk_editable_set_text (entry, "cleo");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 6, 5);
  filter (fixture, "at_tradegecko");
  g_assert_cmpuint (n_listed (fixture), ==, 1);

  gtk_editable_set_text (entry, "nobody-by-that-name");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 0, 5);
  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "no-results");
  save_screenshot (fixture, "window-no-results");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-all", NULL);
  wait_for_list (fixture);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_cmpuint (n_listed (fixture), ==, 24);
  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "list");
}

static void
test_detail_timeline (Fixture       *fixture,
                      gconstpointer  data)
{
  RelayOrderDetail *detail = RELAY_ORDER_DETAIL (template_child (fixture, "order_detail"));
  g_autofree char *text = NULL;

  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (relay_window_get_order_actions (fixture->window)), "retry"));

  /* A confirmed order: ids, lines, shipment and every step of its timeline. */
  relay_window_show_order (fixture->window, "sq-000002");
  g_assert_cmpstr (relay_order_detail_get_squarespace_id (detail), ==, "sq-000002");
  g_assert_null (relay_order_detail_get_problem (detail));
  g_assert_cmpuint (relay_order_detail_get_n_events (detail), >=, 5);
  text = relay_order_detail_dup_text (detail);
  g_assert_nonnull (strstr (text, "Order #1002"));
  g_assert_nonnull (strstr (text, "Tracking sent"));
  g_assert_nonnull (strstr (text, "SO-5002"));
  g_assert_nonnull (strstr (text, "MUG-BLK → TradeGecko MUG-BLK · matched"));
  g_assert_nonnull (strstr (text, "1Z00000002"));
  g_assert_nonnull (strstr (text, "Retrieved from Squarespace"));
  g_assert_nonnull (strstr (text, "Delivered to TradeGecko"));
  g_assert_nonnull (strstr (text, "Tracking sent to Squarespace"));
  g_assert_nonnull (strstr (text, "Cleo Buyer"));
  g_assert_nonnull (strstr (text, "Springfield"));
  /* The list reads tracking numbers from the row: no query per visible row. */
  {
    g_autoptr(RelayOrderRow) row = relay_store_find_order (fixture->store, "sq-000002", NULL);

    g_assert_cmpstr (row->tracking_numbers, ==, "1Z00000002");
  }
  /* Every kind the store wrote has a title: no raw key on the timeline. */
  {
    g_autoptr(GPtrArray) events = relay_store_dup_events (fixture->store, "sq-000002", NULL);

    g_assert_cmpuint (events->len, ==, relay_order_detail_get_n_events (detail));
    for (guint i = 0; i < events->len; i++)
      {
        const RelayEvent *event = g_ptr_array_index (events, i);
        g_autofree char *line = g_strdup_printf ("\n%s\n", event->kind);

        g_assert_cmpint (relay_event_kind_from_string (event->kind), !=, RELAY_EVENT_KIND_OTHER);
        g_assert_null (strstr (text, line));
      }
    g_assert_null (strstr (text, "posting-tracking"));
    g_assert_null (strstr (text, "tracking-posted"));
  }
  save_screenshot (fixture, "window-order-detail");

  /* The detail follows the store. */
  {
    g_autoptr(GError) error = NULL;
    guint before = relay_order_detail_get_n_events (detail);

    g_assert_true (relay_store_add_event (fixture->store, "sq-000002", "note", "Checked by hand", &error));
    g_assert_no_error (error);
    RELAY_TEST_ITERATE_UNTIL (relay_order_detail_get_n_events (detail) == before + 1, 5);
  }

  /* TradeGecko's totals, as the delivery recorded them, sit next to Squarespace's. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *with_totals = NULL;
    guint before = relay_order_detail_get_n_events (detail);

    g_assert_true (relay_store_add_event (fixture->store, "sq-000002", "totals",
                                          "Squarespace 34.00 USD (tax 2.00 USD) · TradeGecko 34.00 USD (tax 2.00 USD, Sales Tax)",
                                          &error));
    g_assert_no_error (error);
    RELAY_TEST_ITERATE_UNTIL (relay_order_detail_get_n_events (detail) == before + 1, 5);
    with_totals = relay_order_detail_dup_text (detail);
    g_assert_nonnull (strstr (with_totals, "In TradeGecko"));
    g_assert_nonnull (strstr (with_totals, "· TradeGecko 34.00 USD"));
  }
}

static GtkWidget *
find_button_with_action (GtkWidget  *widget,
                         const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_action (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The store changes while the merchant reads the pane: focus and scroll stay;
 * another order starts at the top. */
static void
test_detail_updates_in_place (Fixture       *fixture,
                              gconstpointer  data)
{
  RelayOrderDetail *detail = RELAY_ORDER_DETAIL (template_child (fixture, "order_detail"));
  GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (template_child (fixture, "detail_scroller")));
  g_autoptr(GtkWidget) fix = NULL;
  g_autoptr(GError) error = NULL;
  guint before;
  double offset;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 560);
  relay_window_show_order (fixture->window, "sq-000015");
  RELAY_TEST_ITERATE_UNTIL (gtk_adjustment_get_upper (scroll) > gtk_adjustment_get_page_size (scroll) + 100, 10);
  fix = find_button_with_action (GTK_WIDGET (detail), "order.add-alias");
  g_assert_nonnull (fix);
  g_object_ref (fix);
  gtk_widget_grab_focus (fix);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == fix);
  offset = MIN (60.0, gtk_adjustment_get_upper (scroll) - gtk_adjustment_get_page_size (scroll));
  gtk_adjustment_set_value (scroll, offset);
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));

  /* Sync news for this order, several times, as a day's cycles bring. */
  for (guint i = 0; i < 3; i++)
    {
      before = relay_order_detail_get_n_events (detail);
      g_assert_true (relay_store_add_event (fixture->store, "sq-000015", "note", "Looked at by hand", &error));
      g_assert_no_error (error);
      RELAY_TEST_ITERATE_UNTIL (relay_order_detail_get_n_events (detail) == before + 1, 5);
      relay_test_wait_until_settled (GTK_WIDGET (fixture->window));

      g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == fix);
      g_assert_true (gtk_widget_get_parent (fix) != NULL);
      g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (scroll), offset, 0.5);
    }

  /* Another order: its top, where the problem and its fix are. */
  relay_window_show_order (fixture->window, "sq-000014");
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (scroll), 0.0, 0.5);
  g_assert_cmpstr (relay_order_detail_get_fix_action (detail), ==, "order.add-alias");
  {
    g_autofree char *text = relay_order_detail_dup_text (detail);

    /* The line that stops the order is the one marked. */
    g_assert_nonnull (strstr (text, "MUG-RED → no TradeGecko item has this SKU"));
  }
}

/* Map Shipping Method… cannot close on an empty label: "Map" waits for both sides. */
static void
test_map_shipping_validates (Fixture       *fixture,
                             gconstpointer  data)
{
  GActionGroup *order_actions = relay_window_get_order_actions (fixture->window);
  g_autoptr(GHashTable) methods = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *method;
  GtkEditable *label;
  guint toasts = relay_window_get_n_toasts (fixture->window);

  relay_window_show_order (fixture->window, "sq-000015");
  g_assert_true (g_action_group_get_action_enabled (order_actions, "map-shipping"));
  g_action_group_activate_action (order_actions, "map-shipping", NULL);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (dialog)), 5);
  g_assert_true (RELAY_IS_SHIPPING_MAP_DIALOG (dialog));
  method = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_SHIPPING_MAP_DIALOG, "method_entry"));
  label = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_SHIPPING_MAP_DIALOG, "label_entry"));

  /* The order's method is filled in; the label is not: nothing to map yet. */
  g_assert_cmpstr (gtk_editable_get_text (method), !=, "");
  g_assert_cmpstr (gtk_editable_get_text (label), ==, "");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "map"));
  gtk_editable_set_text (label, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "map"));
  gtk_editable_set_text (method, "");
  gtk_editable_set_text (label, "Royal Mail 48");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "map"));
  gtk_editable_set_text (method, "Standard");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "map"));
  save_screenshot (fixture, "dialog-map-shipping");

  adw_message_dialog_response (dialog, "map");
  methods = relay_store_dup_shipping_methods (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (methods, "Standard"), ==, "Royal Mail 48");
  /* One toast, the success with its Retry; no complaint after the fact. */
  g_assert_cmpuint (relay_window_get_n_toasts (fixture->window), ==, toasts + 1);
  g_assert_cmpstr (relay_window_get_last_toast (fixture->window), ==, "Shipping method mapped");
}

/* A sync's progress appears without moving the list (it caused misclicks),
 * and keeps no empty band for itself while no sync runs: the content starts
 * right under the banners. */
static void
test_progress_keeps_layout (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *stack = template_child (fixture, "main_stack");
  GtkWidget *banners = template_child (fixture, "health_box");
  graphene_point_t before, during, after, banners_end;
  graphene_point_t origin = GRAPHENE_POINT_INIT (0, 0);

  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_compute_point (stack, GTK_WIDGET (fixture->window), &origin, &before));
  g_assert_true (gtk_widget_compute_point (banners, GTK_WIDGET (fixture->window),
                                           &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (banners)), &banners_end));
  g_print ("# content starts %.0f px below the banners\n", before.y - banners_end.y);
  g_assert_cmpfloat (before.y, ==, banners_end.y);
  relay_window_set_progress (fixture->window, "Delivering to TradeGecko: 3 of 7", 0.4);
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  save_screenshot (fixture, "window-progress");
  g_assert_true (gtk_widget_compute_point (stack, GTK_WIDGET (fixture->window), &origin, &during));
  relay_window_set_progress (fixture->window, NULL, 0);
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_compute_point (stack, GTK_WIDGET (fixture->window), &origin, &after));
  g_assert_cmpfloat (during.y, ==, before.y);
  g_assert_cmpfloat (after.y, ==, before.y);
}

/* Usable at 800 px with both panes; narrower, the side pane folds away. */
static void
test_adaptive_layout (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (template_child (fixture, "leaflet"));
  GtkWidget *detail = template_child (fixture, "order_detail");
  int narrowest = 0;

  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &narrowest, NULL, NULL, NULL);
  g_test_message ("narrowest window: %d px", narrowest);
  g_print ("# narrowest window: %d px\n", narrowest);
  g_assert_cmpint (narrowest, <=, 800);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_width (GTK_WIDGET (fixture->window)) <= 800, 5);
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  g_assert_false (adw_leaflet_get_folded (leaflet));
  relay_window_show_order (fixture->window, "sq-000015");
  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_get_mapped (detail));
  save_screenshot (fixture, "window-800px");

  /* Narrow: one pane at a time; choosing an order shows it, Back returns. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), narrowest, 600);
  RELAY_TEST_ITERATE_UNTIL (adw_leaflet_get_folded (leaflet), 5);
  adw_leaflet_set_visible_child_name (leaflet, "list");
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (template_child (fixture, "column_view")))), 1);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), "detail") == 0, 5);
  save_screenshot (fixture, "window-narrow-detail");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "back-to-list", NULL);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), "list") == 0, 5);
}

static void
test_fix_rejected_with_alias (Fixture       *fixture,
                              gconstpointer  data)
{
  RelayOrderDetail *detail = RELAY_ORDER_DETAIL (template_child (fixture, "order_detail"));
  GActionGroup *order_actions = relay_window_get_order_actions (fixture->window);
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayOrderRow) other = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *store_sku;
  GtkEditable *tradegecko_sku;
  g_autofree char *alias = NULL;

  filter (fixture, "attention");
  relay_window_show_order (fixture->window, "sq-000015");
  g_assert_cmpstr (relay_order_detail_get_problem (detail), ==, "TradeGecko has no variant with SKU MUG-RED");
  g_assert_true (g_action_group_get_action_enabled (order_actions, "add-alias"));
  g_assert_true (g_action_group_get_action_enabled (order_actions, "retry"));
  g_assert_true (g_action_group_get_action_enabled (order_actions, "skip"));
  save_screenshot (fixture, "window-rejected-order");

  g_action_group_activate_action (order_actions, "add-alias", NULL);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL, 5);
  store_sku = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "store_sku_entry"));
  tradegecko_sku = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry"));
  /* The SKU the rejection names is filled in. */
  g_assert_cmpstr (gtk_editable_get_text (store_sku), ==, "MUG-RED");
  gtk_editable_set_text (tradegecko_sku, "MUG-RED-12OZ");
  /* TradeGecko cannot be reached here (port 9): the alias can still be saved, and says so. */
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (dialog, "add"), 10);
  relay_test_wait_until_settled (GTK_WIDGET (dialog));
  {
    g_autofree char *path = NULL;

    RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (dialog)), 5);
    path = relay_test_save_screenshot (GTK_WIDGET (dialog), "dialog-add-alias");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  adw_message_dialog_response (dialog, "add");

  /* The alias is saved and both orders that used the SKU are retried. */
  alias = relay_store_lookup_item_alias (fixture->store, "MUG-RED", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (alias, ==, "MUG-RED-12OZ");
  row = relay_store_find_order (fixture->store, "sq-000015", &error);
  other = relay_store_find_order (fixture->store, "sq-000014", &error);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpint (other->stage, ==, RELAY_STAGE_NEW);
  g_assert_cmpstr (relay_window_get_last_toast (fixture->window), ==, "Alias added; 2 waiting orders are retried");

  /* The list follows: nothing needs attention any more, the pane keeps the order. */
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 0, 5);
  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "no-results");
  g_assert_cmpuint (relay_window_get_flow_count (fixture->window, "attention"), ==, 0);
  g_assert_cmpstr (relay_order_detail_get_squarespace_id (detail), ==, "sq-000015");
  g_assert_null (relay_order_detail_get_problem (detail));
  g_assert_false (g_action_group_get_action_enabled (order_actions, "add-alias"));
}

/* A SKU several Squarespace variants share: the window's one Add Alias dialog
 * offers an alias for the order line's variant alone, as the command line and
 * Preferences do (key `variant:` + the variant's id). */
static void
test_variant_alias_from_window (Fixture       *fixture,
                                gconstpointer  data)
{
  static const char json[] =
    "{\"id\": \"sq-variant\", \"orderNumber\": \"2001\", \"createdOn\": \"2026-03-02T10:00:00.000Z\","
    " \"modifiedOn\": \"2026-03-02T10:00:00.000Z\", \"testmode\": false, \"customerEmail\": \"vera@example.com\","
    " \"fulfillmentStatus\": \"PENDING\", \"billingAddress\": {\"firstName\": \"Vera\", \"lastName\": \"Buyer\"},"
    " \"shippingAddress\": {\"firstName\": \"Vera\", \"lastName\": \"Buyer\", \"address1\": \"1 Main St\","
    "   \"city\": \"Springfield\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"lineItems\": [{\"id\": \"line-a\", \"variantId\": \"var-large\", \"sku\": \"TEE\", \"productName\": \"Tee\","
    "   \"quantity\": 1, \"unitPricePaid\": {\"value\": \"20.00\", \"currency\": \"USD\"},"
    "   \"variantOptions\": [{\"optionName\": \"Size\", \"value\": \"Large\"}], \"lineItemType\": \"PHYSICAL_PRODUCT\"}],"
    " \"grandTotal\": {\"value\": \"20.00\", \"currency\": \"USD\"}}";
  GActionGroup *order_actions = relay_window_get_order_actions (fixture->window);
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *sku_alias = NULL;
  AdwMessageDialog *dialog;
  GtkCheckButton *variant_check;
  RelayUpsertResult result;

  order = relay_order_new_from_json_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (relay_store_upsert_order (fixture->store, order, NULL, &result, &error));
  g_assert_true (relay_store_reject (fixture->store, "sq-variant", "TradeGecko has no variant with SKU TEE", &error));
  g_assert_no_error (error);
  relay_window_show_order (fixture->window, "sq-variant");
  RELAY_TEST_ITERATE_UNTIL (g_action_group_get_action_enabled (order_actions, "add-alias"), 5);

  g_action_group_activate_action (order_actions, "add-alias", NULL);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL, 5);
  variant_check = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "variant_check"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (variant_check)));
  g_assert_nonnull (strstr (gtk_check_button_get_label (variant_check), "Size: Large"));
  /* The SKU stays the default. */
  g_assert_false (gtk_check_button_get_active (variant_check));
  gtk_check_button_set_active (variant_check, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG,
                                                                      "tradegecko_sku_entry")), "TEE-L");
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (dialog, "add"), 10);
  save_screenshot_of (GTK_WIDGET (dialog), "dialog-add-variant-alias");
  adw_message_dialog_response (dialog, "add");

  alias = relay_store_lookup_item_alias (fixture->store, "variant:var-large", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (alias, ==, "TEE-L");
  sku_alias = relay_store_lookup_item_alias (fixture->store, "TEE", NULL);
  g_assert_null (sku_alias);
  g_assert_cmpstr (relay_window_get_last_toast (fixture->window), ==, "Alias added; 1 waiting order is retried");
}

/* An alias retries the orders waiting on exactly that SKU: not every rejected order a free-text
 * search for it would list (a customer named Mugford is no reason to retry for alias MUG). */
static void
test_alias_retries_only_waiting_orders (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(RelayOrderRow) mugford = NULL;
  g_autoptr(RelayOrderRow) mug_red = NULL;
  g_autoptr(GError) error = NULL;
  guint retried;

  test_add_order (fixture->store, 30, "Mugford", "TEE-XL");
  g_assert_true (relay_store_reject (fixture->store, "sq-000030", "TradeGecko has no variant with SKU TEE-XL", &error));
  g_assert_no_error (error);

  retried = relay_window_add_item_alias (fixture->window, "MUG", "MUG-BLK", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (retried, ==, 0);
  mugford = relay_store_find_order (fixture->store, "sq-000030", &error);
  g_assert_cmpint (mugford->stage, ==, RELAY_STAGE_REJECTED);
  mug_red = relay_store_find_order (fixture->store, "sq-000015", &error);
  g_assert_cmpint (mug_red->stage, ==, RELAY_STAGE_REJECTED);

  /* The SKU the two other rejected orders wait on retries those two, and Mugford's still waits. */
  retried = relay_window_add_item_alias (fixture->window, "MUG-RED", "MUG-RED-12OZ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (retried, ==, 2);
  g_clear_pointer (&mugford, relay_order_row_free);
  mugford = relay_store_find_order (fixture->store, "sq-000030", &error);
  g_assert_cmpint (mugford->stage, ==, RELAY_STAGE_REJECTED);
}

static void
test_skip_and_retry (Fixture       *fixture,
                     gconstpointer  data)
{
  GActionGroup *order_actions = relay_window_get_order_actions (fixture->window);
  g_autoptr(GError) error = NULL;
  RelayOrderRow *row;

  relay_window_show_order (fixture->window, "sq-000014");
  g_action_group_activate_action (order_actions, "skip", NULL);
  row = relay_store_find_order (fixture->store, "sq-000014", &error);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_SKIPPED);
  relay_order_row_free (row);
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_flow_count (fixture->window, "closed") == 2, 5);

  /* A skipped order can be sent after all. */
  g_assert_true (g_action_group_get_action_enabled (order_actions, "retry"));
  g_action_group_activate_action (order_actions, "retry", NULL);
  row = relay_store_find_order (fixture->store, "sq-000014", &error);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_NEW);
  relay_order_row_free (row);
}

static void
test_empty_states (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "no-orders");
  save_screenshot (fixture, "window-no-orders");

  /* New orders appear without any action. */
  test_add_order (fixture->store, 1, "Ann", "MUG-BLK");
  RELAY_TEST_ITERATE_UNTIL (n_listed (fixture) == 1, 5);
  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "list");
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_flow_count (fixture->window, "new") == 1, 5);

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "sync-now"));
  relay_window_set_connected (fixture->window, FALSE);
  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "not-connected");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "sync-now"));
  relay_window_set_connected (fixture->window, TRUE);
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GSettings *settings = relay_application_get_settings (test_app);
  RelayPreferencesWindow *preferences;
  g_autoptr(RelayPreferencesWindow) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *alias = NULL;
  guint n = 0;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (test_app), "app.preferences");

  g_assert_cmpstr (accels[0], ==, "<Control>comma");
  g_action_group_activate_action (G_ACTION_GROUP (test_app), "preferences", NULL);
  RELAY_TEST_ITERATE_UNTIL ((preferences = RELAY_PREFERENCES_WINDOW (relay_test_find_window_of_type (RELAY_TYPE_PREFERENCES_WINDOW))) != NULL, 5);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (preferences)), 5);
  relay_test_wait_until_settled (GTK_WIDGET (preferences));
  {
    g_autofree char *path = NULL;

    RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (preferences)), 5);
    path = relay_test_save_screenshot (GTK_WIDGET (preferences), "preferences");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Over this test's store: import, export, bad input that loses nothing. */
  own = g_object_ref_sink (relay_preferences_window_new (settings, fixture->store));
  g_assert_true (relay_preferences_window_import_aliases (own, "store_sku,tradegecko_sku\nMUG-RED,MUG-RED-12OZ\n\"TEE,L\",TEE-L\n",
                                                          &n, &error) == FALSE);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "Line 3"));
  g_clear_error (&error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (relay_store_lookup_item_alias (fixture->store, "MUG-RED", NULL));

  g_assert_true (relay_preferences_window_import_aliases (own, "store_sku,tradegecko_sku\r\nMUG-RED,MUG-RED-12OZ\r\n\"TEE-L\",TEE-LARGE\r\n",
                                                          &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  alias = relay_store_lookup_item_alias (fixture->store, "TEE-L", &error);
  g_assert_cmpstr (alias, ==, "TEE-LARGE");
  RELAY_TEST_ITERATE_UNTIL (relay_preferences_window_get_n_aliases (own) == 2, 5);
  csv = relay_preferences_window_export_aliases (own, &error);
  g_assert_cmpstr (csv, ==, "store_sku,tradegecko_sku\nMUG-RED,MUG-RED-12OZ\nTEE-L,TEE-LARGE\n");

  /* Settings rows are bound both ways. */
  {
    GtkSpinButton *interval = GTK_SPIN_BUTTON (relay_test_find_named (GTK_WIDGET (own), "poll-interval-minutes"));
    GtkSwitch *background = GTK_SWITCH (relay_test_find_named (GTK_WIDGET (own), "run-in-background"));
    AdwComboRow *status = ADW_COMBO_ROW (relay_test_find_named (GTK_WIDGET (own), "tradegecko-order-status"));

    g_settings_set_uint (settings, "poll-interval-minutes", 7);
    g_settings_set_boolean (settings, "run-in-background", TRUE);
    g_settings_set_string (settings, "tradegecko-order-status", "draft");
    g_assert_cmpint (gtk_spin_button_get_value_as_int (interval), ==, 7);
    g_assert_true (gtk_switch_get_active (background));
    g_assert_cmpuint (adw_combo_row_get_selected (status), ==, 1);

    gtk_spin_button_set_value (interval, 12);
    gtk_switch_set_active (background, FALSE);
    adw_combo_row_set_selected (status, 0);
    g_assert_cmpuint (g_settings_get_uint (settings, "poll-interval-minutes"), ==, 12);
    g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
    g_assert_cmpint (g_settings_get_enum (settings, "tradegecko-order-status"), ==, 0);
  }
  g_settings_reset (settings, "poll-interval-minutes");
  g_settings_reset (settings, "run-in-background");
  g_settings_reset (settings, "tradegecko-order-status");

  /* Every setting a merchant may change has its control, with the schema's
   * range: the window's own state and the store addresses are not settings of
   * that kind; the rate → tax type map has no row yet. */
  {
    static const char *not_shown[] = { "window-width", "window-height", "window-maximized", "squarespace-url",
                                       "tradegecko-url", "tax-rate-types", NULL };
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;
    GtkSpinButton *overlap;
    AdwComboRow *canceled;
    double min, max;

    g_object_get (settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      if (!g_strv_contains (not_shown, keys[i]))
        {
          g_test_message ("setting %s", keys[i]);
          g_assert_nonnull (relay_test_find_named (GTK_WIDGET (own), keys[i]));
        }

    overlap = GTK_SPIN_BUTTON (relay_test_find_named (GTK_WIDGET (own), "pull-overlap-minutes"));
    gtk_spin_button_get_range (overlap, &min, &max);
    g_assert_cmpfloat (min, ==, 2);
    g_assert_cmpfloat (max, ==, 120);
    gtk_spin_button_set_value (overlap, 20);
    g_assert_cmpuint (g_settings_get_uint (settings, "pull-overlap-minutes"), ==, 20);
    canceled = ADW_COMBO_ROW (relay_test_find_named (GTK_WIDGET (own), "canceled-after-delivery"));
    g_assert_cmpuint (adw_combo_row_get_selected (canceled), ==, 0);
    adw_combo_row_set_selected (canceled, 1);
    g_assert_cmpstr (g_settings_get_string (settings, "canceled-after-delivery"), ==, "flag");
    g_settings_reset (settings, "pull-overlap-minutes");
    g_settings_reset (settings, "canceled-after-delivery");
  }
  gtk_window_destroy (GTK_WINDOW (own));
}

int
main (int   argc,
      char *argv[])
{
  char *app_dir = NULL;

  gtk_test_init (&argc, &argv, NULL);

  test_app = test_window_app_new_in_temp_dir (&app_dir);
  /* Both keys are in the test session's keyring (shared: the test does not run in parallel with
   * the wizard's, which empties it): the window shows the orders. */
  test_store_unreachable_keys (test_app);

  g_test_add ("/window-orders/flows-and-filters", Fixture, NULL, fixture_set_up, test_flows_and_filters, fixture_tear_down);
  g_test_add ("/window-orders/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/window-orders/detail-timeline", Fixture, NULL, fixture_set_up, test_detail_timeline, fixture_tear_down);
  g_test_add ("/window-orders/detail-updates-in-place", Fixture, NULL, fixture_set_up, test_detail_updates_in_place, fixture_tear_down);
  g_test_add ("/window-orders/map-shipping-validates", Fixture, NULL, fixture_set_up, test_map_shipping_validates, fixture_tear_down);
  g_test_add ("/window-orders/progress-keeps-layout", Fixture, NULL, fixture_set_up, test_progress_keeps_layout, fixture_tear_down);
  g_test_add ("/window-orders/adaptive-layout", Fixture, NULL, fixture_set_up, test_adaptive_layout, fixture_tear_down);
  g_test_add ("/window-orders/fix-with-alias", Fixture, NULL, fixture_set_up, test_fix_rejected_with_alias, fixture_tear_down);
  g_test_add ("/window-orders/variant-alias-from-window", Fixture, NULL, fixture_set_up, test_variant_alias_from_window, fixture_tear_down);
  g_test_add ("/window-orders/alias-retries-only-waiting-orders", Fixture, NULL, fixture_set_up,
              test_alias_retries_only_waiting_orders, fixture_tear_down);
  g_test_add ("/window-orders/skip-and-retry", Fixture, NULL, fixture_set_up, test_skip_and_retry, fixture_tear_down);
  g_test_add ("/window-orders/empty-states", Fixture, GINT_TO_POINTER (1), fixture_set_up, test_empty_states, fixture_tear_down);
  g_test_add ("/window-orders/preferences", Fixture, GINT_TO_POINTER (1), fixture_set_up, test_preferences, fixture_tear_down);

  return test_window_app_run (&test_app, app_dir);
}
