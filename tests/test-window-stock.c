/* test-window-stock.c — the main window's Stock and SKU Check views over a real stock run
 * against the in-process sandbox, with the application's own store, keyring keys and clients
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "relay-alias-dialog.h"
#include "relay-application.h"
#include "relay-preferences-window.h"
#include "relay-sandbox.h"
#include "relay-sku-check-view.h"
#include "relay-squarespace.h"
#include "relay-stock-view.h"
#include "relay-sync-engine.h"
#include "relay-sync-stock.h"
#include "relay-test-utils.h"
#include "relay-window.h"
#include "test-ui-orders.h"

static const char *scenario =
  "{\"tradegecko\":{\"variants\":["
  "   {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\",\"stock_on_hand\":30,\"committed_stock\":4},"
  "   {\"id\":12,\"sku\":\"MUG-1\",\"product_name\":\"Mug\",\"stock_on_hand\":40,\"max_online\":12},"
  "   {\"id\":13,\"sku\":\"TG-TEE\",\"product_name\":\"Tee\",\"name\":\"L\",\"stock_on_hand\":7},"
  "   {\"id\":14,\"sku\":\"WRAP\",\"product_name\":\"Gift wrap\",\"stock_on_hand\":3,\"manage_stock\":false}]},"
  " \"squarespace\":{\"inventory\":["
  "   {\"variantId\":\"sq-bean\",\"sku\":\"BEAN-1\",\"descriptor\":\"Beans [250 g]\",\"quantity\":0,\"price\":\"9.50\"},"
  "   {\"variantId\":\"sq-mug\",\"sku\":\"MUG-1\",\"descriptor\":\"Mug\",\"quantity\":0,\"price\":\"14.00\"},"
  "   {\"variantId\":\"sq-tee\",\"sku\":\"SQ-TEE\",\"descriptor\":\"Tee [L]\",\"quantity\":0,\"price\":\"22.00\"},"
  "   {\"variantId\":\"sq-wrap\",\"sku\":\"WRAP\",\"descriptor\":\"Gift wrap\",\"quantity\":5}]}}";

static RelaySandbox     *sandbox;
static RelayApplication *app;

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One stock cycle over the application's store and clients, as the engine runs it. */
static RelayStockReport *
run_stock (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStockReport *report;
  RelayStockOptions options = { 0, 0, FALSE };

  relay_sync_stock_run_async (relay_application_get_store (app),
                              relay_context_get_source (relay_application_get_context (app)),
                              relay_context_get_destination (relay_application_get_context (app)), &options, NULL,
                              got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 60);
  report = relay_sync_stock_run_finish (result, &error);
  g_assert_no_error (error);
  return report;
}

/* The sandbox's count of an InventoryItem, read through its control state. */
static gint64
store_quantity (const char *variant_id)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (sandbox);
  JsonArray *inventory = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                      "squarespace"), "inventory");

  for (guint i = 0; i < json_array_get_length (inventory); i++)
    {
      JsonObject *item = json_array_get_object_element (inventory, i);

      if (g_strcmp0 (json_object_get_string_member (item, "variantId"), variant_id) == 0)
        return json_object_get_int_member (item, "quantity");
    }
  g_error ("no inventory item %s", variant_id);
  return -1;
}

static GtkWidget *
child (RelayWindow *window,
       const char  *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, name));
}

/* Opens the main window as a click on the app does, once it shows the orders. */
static RelayWindow *
open_window (void)
{
  RelayWindow *window;

  g_application_activate (G_APPLICATION (app));
  RELAY_TEST_ITERATE_UNTIL ((window = RELAY_WINDOW (relay_test_find_window_of_type (RELAY_TYPE_WINDOW))) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_connected (window) &&
                            relay_context_get_source (relay_application_get_context (app)) != NULL &&
                            relay_context_get_destination (relay_application_get_context (app)) != NULL, 20);
  return window;
}

static void
close_window (RelayWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  RELAY_TEST_ITERATE_UNTIL (relay_test_find_window_of_type (RELAY_TYPE_WINDOW) == NULL, 5);
}

static void
screenshot (RelayWindow *window,
            const char  *name)
{
  g_autofree char *path = NULL;

  relay_test_wait_until_settled (GTK_WIDGET (window));
  RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (window)), 5);
  path = relay_test_save_screenshot (GTK_WIDGET (window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
show_view (RelayWindow *window,
           const char  *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (child (window, "view_stack"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "view", g_variant_new_string (name));
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (adw_view_stack_get_visible_child_name (stack), name) == 0 &&
                            gtk_widget_get_mapped (adw_view_stack_get_visible_child (stack)), 5);
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button_with_label (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The message dialog on screen, if any (closed ones may linger among the toplevels). */
static GtkWindow *
shown_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Runs the window's shortcut for @accelerator, as pressing it does. */
static gboolean
activate_shortcut (RelayWindow *window,
                   const char  *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (window),
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* Stock, SKU Check and Orders are views of the one main window; no other window opens. */
static void
test_stock_view_in_main_window (void)
{
  g_autoptr(RelayStockReport) report = NULL;
  RelayWindow *window = open_window ();
  RelayStockView *view = RELAY_STOCK_VIEW (child (window, "stock_view"));
  GtkEditable *search;
  GVariant *state;

  report = run_stock ();
  g_assert_cmpuint (report->pushed, ==, 2);

  /* Alt+2 is the Stock view's shortcut. */
  g_assert_true (activate_shortcut (window, "<Alt>2"));
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack"))),
                                       "stock") == 0, 5);
  g_assert_true (activate_shortcut (window, "<Alt>1"));
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (child (window, "view_stack"))),
                                       "orders") == 0, 5);

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "view"));
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (window), "show-stock"));
  show_view (window, "stock");
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "view");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "stock");
  g_variant_unref (state);
  /* No window of its own: the view is in the main window. */
  g_assert_null (relay_test_find_window_of_type (ADW_TYPE_WINDOW));
  /* The orders' search belongs to the orders. */
  g_assert_false (gtk_widget_get_visible (child (window, "search_button")));

  /* Beans, mug and gift wrap matched (the tee has no alias yet). */
  g_assert_cmpuint (relay_stock_view_count_rows (view, "stock"), ==, 3);
  screenshot (window, "main-stock-view");

  search = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (view), RELAY_TYPE_STOCK_VIEW, "search_entry"));
  gtk_editable_set_text (search, "mug");
  RELAY_TEST_ITERATE_UNTIL (relay_stock_view_count_rows (view, "stock") == 1, 5);
  gtk_editable_set_text (search, "");
  RELAY_TEST_ITERATE_UNTIL (relay_stock_view_count_rows (view, "stock") == 3, 5);

  /* The timeline is one toggle away: one push of two counts. */
  gtk_widget_activate_action (GTK_WIDGET (view), "stock.show-timeline", NULL);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                                              RELAY_TYPE_STOCK_VIEW,
                                                                                              "timeline_list"))), 5);
  g_assert_cmpuint (relay_stock_view_count_rows (view, "timeline"), ==, 1);
  screenshot (window, "main-stock-timeline");
  gtk_widget_activate_action (GTK_WIDGET (view), "stock.show-timeline", NULL);

  /* Narrow: the switcher moves to a bar at the bottom. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  RELAY_TEST_ITERATE_UNTIL (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (child (window, "view_switcher_bar"))), 5);
  screenshot (window, "main-stock-view-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  RELAY_TEST_ITERATE_UNTIL (!adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (child (window, "view_switcher_bar"))), 5);

  show_view (window, "orders");
  g_assert_true (gtk_widget_get_visible (child (window, "search_button")));
  close_window (window);
}

/* The SKU check runs when shown, offers the one alias dialog in place, and the next stock
 * cycle sets the variant the new alias matched. */
static void
test_sku_check_fixed_in_place (void)
{
  g_autoptr(RelayStockReport) report = NULL;
  RelayWindow *window = open_window ();
  RelaySkuCheckView *view = RELAY_SKU_CHECK_VIEW (child (window, "sku_check_view"));
  AdwMessageDialog *dialog;
  GtkWidget *fix;
  g_autofree char *alias = NULL;

  show_view (window, "skus");
  RELAY_TEST_ITERATE_UNTIL (relay_sku_check_view_count_rows (view) == 4 && !relay_sku_check_view_get_checking (view), 30);
  screenshot (window, "main-sku-check");

  /* SQ-TEE has no TradeGecko match: its row offers the alias dialog. */
  RELAY_TEST_ITERATE_UNTIL ((fix = find_button_with_label (GTK_WIDGET (view), "Add Item _Alias…")) != NULL, 5);
  gtk_widget_activate (fix);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (shown_message_dialog ())) != NULL, 5);
  g_assert_true (RELAY_IS_ALIAS_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG,
                                                                      "tradegecko_sku_entry")), "TG-TEE");
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (dialog, "add"), 10);
  adw_message_dialog_response (dialog, "add");

  alias = relay_store_lookup_item_alias (relay_application_get_store (app), "SQ-TEE", NULL);
  g_assert_cmpstr (alias, ==, "TG-TEE");
  /* The check runs again; the row now matches through the alias and offers to change it. */
  RELAY_TEST_ITERATE_UNTIL (!relay_sku_check_view_get_checking (view) &&
                            find_button_with_label (GTK_WIDGET (view), "Add Item _Alias…") == NULL &&
                            find_button_with_label (GTK_WIDGET (view), "Change Item _Alias…") != NULL, 30);

  /* TradeGecko's tee did not change, yet the next stock cycle sets it: the alias is new. */
  g_assert_cmpint (store_quantity ("sq-tee"), ==, 0);
  report = run_stock ();
  g_assert_cmpint (store_quantity ("sq-tee"), ==, 7);
  close_window (window);
}

/* A key without the Products permission: the SKU check says why and what to do. */
static void
test_sku_check_without_products_permission (void)
{
  RelayWindow *window = open_window ();
  RelaySkuCheckView *view = RELAY_SKU_CHECK_VIEW (child (window, "sku_check_view"));
  g_autoptr(RelaySquarespace) squarespace = NULL;
  g_autoptr(GError) error = NULL;
  GtkLabel *summary;

  squarespace = relay_squarespace_new_for_url (relay_sandbox_get_squarespace_url (sandbox), &error);
  g_assert_no_error (error);
  relay_http_set_key (relay_squarespace_get_http (squarespace), RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY);
  show_view (window, "skus");
  RELAY_TEST_ITERATE_UNTIL (!relay_sku_check_view_get_checking (view), 30);
  relay_sku_check_view_set_clients (view, relay_application_get_store (app), RELAY_ORDER_SOURCE (squarespace),
                                    relay_context_get_destination (relay_application_get_context (app)));
  relay_sku_check_view_run (view);
  RELAY_TEST_ITERATE_UNTIL (!relay_sku_check_view_get_checking (view), 30);

  summary = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (view), RELAY_TYPE_SKU_CHECK_VIEW, "summary"));
  g_test_message ("summary: %s", gtk_label_get_text (summary));
  g_assert_nonnull (strstr (gtk_label_get_text (summary), "may not read products"));
  g_assert_nonnull (strstr (gtk_label_get_text (summary), "generate a new key"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (summary), "error"));
  screenshot (window, "main-sku-check-no-products");
  close_window (window);
}


/* Turning stock sync on asks Squarespace through the engine: a key without Inventory write
 * is refused with the way out (a new key), and the switch stays off; one with it turns on. */
static void
test_preferences_stock_sync_checks_key (void)
{
  GSettings *settings = relay_application_get_settings (app);
  RelayWindow *window = open_window ();
  g_autoptr(RelaySquarespace) limited = NULL;
  g_autoptr(RelaySyncEngine) limited_engine = NULL;
  g_autoptr(GError) error = NULL;
  RelayPreferencesWindow *preferences;
  GtkSwitch *toggle;
  GtkWindow *dialog;

  limited = relay_squarespace_new_for_url (relay_sandbox_get_squarespace_url (sandbox), &error);
  g_assert_no_error (error);
  relay_http_set_key (relay_squarespace_get_http (limited), RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY);
  limited_engine = relay_sync_engine_new (relay_application_get_store (app), RELAY_ORDER_SOURCE (limited),
                                          relay_context_get_destination (relay_application_get_context (app)), settings);

  g_assert_false (g_settings_get_boolean (settings, "stock-sync"));
  preferences = relay_preferences_window_new (settings, relay_application_get_store (app));
  relay_preferences_window_set_engine (preferences, limited_engine);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  toggle = GTK_SWITCH (relay_test_find_named (GTK_WIDGET (preferences), "stock-sync"));
  g_assert_nonnull (toggle);

  gtk_switch_set_active (toggle, TRUE);
  RELAY_TEST_ITERATE_UNTIL ((dialog = shown_message_dialog ()) != NULL, 20);
  g_assert_false (g_settings_get_boolean (settings, "stock-sync"));
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_false (gtk_switch_get_state (toggle));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "cannot be changed"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Inventory set to Read and Write"));
  {
    g_autofree char *path = NULL;

    relay_test_wait_until_settled (GTK_WIDGET (dialog));
    RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (dialog)), 5);
    path = relay_test_save_screenshot (GTK_WIDGET (dialog), "preferences-stock-key-refused");
  }
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_close (dialog);
  RELAY_TEST_ITERATE_UNTIL (shown_message_dialog () == NULL, 5);

  /* The application's key has Inventory write: the same switch now turns on. */
  relay_preferences_window_set_engine (preferences, relay_application_get_engine (app));
  gtk_switch_set_active (toggle, TRUE);
  RELAY_TEST_ITERATE_UNTIL (g_settings_get_boolean (settings, "stock-sync") && gtk_switch_get_state (toggle), 20);
  g_assert_null (shown_message_dialog ());

  /* Off needs no question. */
  gtk_switch_set_active (toggle, FALSE);
  RELAY_TEST_ITERATE_UNTIL (!g_settings_get_boolean (settings, "stock-sync"), 5);

  gtk_window_destroy (GTK_WINDOW (preferences));
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *state_path = NULL;
  GSettings *settings;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  sandbox = relay_sandbox_new ();
  g_assert_true (relay_sandbox_start (sandbox, &error));
  node = json_from_string (scenario, &error);
  g_assert_true (relay_sandbox_load_scenario (sandbox, node, &error));
  g_assert_no_error (error);

  dir = test_make_temp_dir ();
  state_path = g_build_filename (dir, "state.sqlite3", NULL);
  app = test_window_app_new (state_path);
  settings = relay_application_get_settings (app);
  g_settings_set_string (settings, "squarespace-url", relay_sandbox_get_squarespace_url (sandbox));
  g_settings_set_string (settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (sandbox));
  g_settings_set_boolean (settings, "notify-problems", FALSE);
  test_store_keys (relay_sandbox_get_squarespace_url (sandbox), RELAY_SANDBOX_SQUARESPACE_KEY,
                   relay_sandbox_get_tradegecko_url (sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);

  g_test_add_func ("/window-stock/stock-view-in-main-window", test_stock_view_in_main_window);
  g_test_add_func ("/window-stock/sku-check-fixed-in-place", test_sku_check_fixed_in_place);
  g_test_add_func ("/window-stock/sku-check-without-products-permission", test_sku_check_without_products_permission);
  g_test_add_func ("/window-stock/preferences-stock-sync-checks-key", test_preferences_stock_sync_checks_key);

  status = g_test_run ();
  g_clear_object (&app);
  relay_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  test_remove_state_dir (dir);
  return status;
}
