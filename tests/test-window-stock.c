/* test-window-stock.c — the Stock window over a real stock run against the in-process sandbox
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "relay-alias-dialog.h"
#include "relay-sandbox-fixture.h"
#include "relay-squarespace.h"
#include "relay-stock-window.h"
#include "relay-sync-stock.h"
#include "relay-test-utils.h"
#include "relay-tradegecko.h"

static const char *scenario =
  "{\"tradegecko\":{\"variants\":["
  "   {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\",\"stock_on_hand\":30,\"committed_stock\":4},"
  "   {\"id\":12,\"sku\":\"MUG-1\",\"product_name\":\"Mug\",\"stock_on_hand\":40,\"max_online\":12},"
  "   {\"id\":13,\"sku\":\"TG-TEE\",\"product_name\":\"Tee\",\"name\":\"L\",\"stock_on_hand\":7},"
  "   {\"id\":14,\"sku\":\"WRAP\",\"product_name\":\"Gift wrap\",\"stock_on_hand\":3,\"manage_stock\":false}]},"
  " \"squarespace\":{\"inventory\":["
  "   {\"variantId\":\"sq-bean\",\"sku\":\"BEAN-1\",\"descriptor\":\"Beans [250 g]\",\"quantity\":0},"
  "   {\"variantId\":\"sq-mug\",\"sku\":\"MUG-1\",\"descriptor\":\"Mug\",\"quantity\":0},"
  "   {\"variantId\":\"sq-tee\",\"sku\":\"SQ-TEE\",\"descriptor\":\"Tee [L]\",\"quantity\":0},"
  "   {\"variantId\":\"sq-wrap\",\"sku\":\"WRAP\",\"descriptor\":\"Gift wrap\",\"quantity\":5}]}}";

typedef struct
{
  RelaySandboxFixture base;
  RelayStockWindow   *window;
} Fixture;

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
run_stock (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(GError) error = NULL;
  RelayStockOptions options = { 0, 0, FALSE };

  relay_sync_stock_run_async (fixture->base.store, relay_context_get_source (fixture->base.context),
                              relay_context_get_destination (fixture->base.context), &options, NULL, got_result_cb,
                              &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 60);
  report = relay_sync_stock_run_finish (result, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  RelayContext *context;

  relay_sandbox_fixture_set_up (&fixture->base, "test-window-stock", scenario);
  relay_sandbox_fixture_open (&fixture->base);
  run_stock (fixture);

  context = fixture->base.context;
  fixture->window = relay_stock_window_new (NULL, fixture->base.store, relay_context_get_source (context),
                                            relay_context_get_destination (context));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  relay_sandbox_fixture_tear_down (&fixture->base);
}

static void
screenshot (Fixture    *fixture,
            const char *name)
{
  g_autofree char *path = NULL;

  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (fixture->window)), 5);
  path = relay_test_save_screenshot (GTK_WIDGET (fixture->window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static AdwViewStack *
view_stack (Fixture *fixture)
{
  return ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), RELAY_TYPE_STOCK_WINDOW,
                                                        "view_stack"));
}

static void
test_stock_rows_search_timeline (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkEditable *search = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                     RELAY_TYPE_STOCK_WINDOW, "search_entry"));

  /* Beans, mug and gift wrap matched (the tee has no alias yet). */
  g_assert_cmpuint (relay_stock_window_count_rows (fixture->window, "stock"), ==, 3);
  g_assert_cmpuint (relay_stock_window_count_rows (fixture->window, "timeline"), ==, 1);
  screenshot (fixture, "stock-view");

  gtk_editable_set_text (search, "mug");
  RELAY_TEST_ITERATE_UNTIL (relay_stock_window_count_rows (fixture->window, "stock") == 1, 5);
  gtk_editable_set_text (search, "nothing-like-this");
  RELAY_TEST_ITERATE_UNTIL (relay_stock_window_count_rows (fixture->window, "stock") == 1, 5);

  adw_view_stack_set_visible_child_name (view_stack (fixture), "timeline");
  screenshot (fixture, "stock-timeline");
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_sku_check_fixed_in_place (Fixture       *fixture,
                               gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkWidget *fix;
  GtkEditable *tradegecko_sku;
  g_autofree char *alias = NULL;

  adw_view_stack_set_visible_child_name (view_stack (fixture), "skus");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "stock.check-skus", NULL);
  RELAY_TEST_ITERATE_UNTIL (!relay_stock_window_get_checking (fixture->window), 30);
  g_assert_cmpuint (relay_stock_window_count_rows (fixture->window, "skus"), ==, 4);
  screenshot (fixture, "sku-check");

  /* SQ-TEE has no TradeGecko match: its row offers the alias dialog. */
  RELAY_TEST_ITERATE_UNTIL ((fix = find_button_with_label (GTK_WIDGET (fixture->window), "Add Item _Alias…")) != NULL, 5);
  gtk_widget_activate (fix);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL, 5);
  tradegecko_sku = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG,
                                                                "tradegecko_sku_entry"));
  gtk_editable_set_text (tradegecko_sku, "TG-TEE");
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (dialog, "add"), 10);
  adw_message_dialog_response (dialog, "add");

  alias = relay_store_lookup_item_alias (fixture->base.store, "SQ-TEE", NULL);
  g_assert_cmpstr (alias, ==, "TG-TEE");
  /* The check runs again and the row now matches. */
  RELAY_TEST_ITERATE_UNTIL (!relay_stock_window_get_checking (fixture->window) &&
                            find_button_with_label (GTK_WIDGET (fixture->window), "Add Item _Alias…") == NULL, 30);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/window-stock/rows-search-timeline", Fixture, NULL, fixture_set_up, test_stock_rows_search_timeline,
              fixture_tear_down);
  g_test_add ("/window-stock/sku-check-fixed-in-place", Fixture, NULL, fixture_set_up, test_sku_check_fixed_in_place,
              fixture_tear_down);

  return g_test_run ();
}
