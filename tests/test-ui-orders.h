/* test-ui-orders.h — orders in a real state store for the window tests
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-credentials.h"
#include "relay-store.h"
#include "relay-test-utils.h"
#include "relay-window.h"

/* A Squarespace order with one physical line of @sku and one digital line. */
static inline RelayOrder *
test_make_order (guint       n,
                 const char *customer,
                 const char *sku)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrder *order;
  guint day = 1 + (n / 86400) % 28;
  guint hour = (n / 3600) % 24;
  guint minute = (n / 60) % 60;
  guint second = n % 60;

  json = g_strdup_printf (
    "{\"id\": \"sq-%06u\", \"orderNumber\": \"%u\", \"createdOn\": \"2026-03-%02uT%02u:%02u:%02u.000Z\","
    " \"modifiedOn\": \"2026-03-%02uT%02u:%02u:%02u.000Z\", \"testmode\": false,"
    " \"customerEmail\": \"buyer%u@example.com\", \"fulfillmentStatus\": \"PENDING\","
    " \"billingAddress\": {\"firstName\": \"%s\", \"lastName\": \"Buyer\"},"
    " \"shippingAddress\": {\"firstName\": \"%s\", \"lastName\": \"Buyer\", \"address1\": \"1 Main St\","
    "   \"city\": \"Springfield\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"shippingLines\": [{\"method\": \"Standard\", \"amount\": {\"value\": \"5.00\", \"currency\": \"USD\"}}],"
    " \"lineItems\": [{\"id\": \"line-a\", \"sku\": \"%s\", \"productName\": \"Mug\", \"quantity\": 2,"
    "   \"unitPricePaid\": {\"value\": \"14.00\", \"currency\": \"USD\"}, \"lineItemType\": \"PHYSICAL_PRODUCT\"},"
    "  {\"id\": \"line-b\", \"sku\": null, \"productName\": \"E-book\", \"quantity\": 1,"
    "   \"unitPricePaid\": {\"value\": \"5.00\", \"currency\": \"USD\"}, \"lineItemType\": \"DIGITAL\"}],"
    " \"grandTotal\": {\"value\": \"38.00\", \"currency\": \"USD\"}}",
    n, 1000 + n, day, hour, minute, second, day, hour, minute, second, n, customer, customer, sku);

  order = relay_order_new_from_json_string (json, &error);
  g_assert_no_error (error);

  return order;
}

static inline void
test_add_order (RelayStore *store,
                guint       n,
                const char *customer,
                const char *sku)
{
  g_autoptr(RelayOrder) order = test_make_order (n, customer, sku);
  g_autoptr(GError) error = NULL;
  RelayUpsertResult result;

  g_assert_true (relay_store_upsert_order (store, order, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, RELAY_UPSERT_INSERTED);
}

static inline char *
test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("order-relay-ui-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
test_remove_state_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* A state store in a new temporary directory, which *@dir names (for test_remove_state_dir()). */
static inline RelayStore *
test_open_temp_store (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  RelayStore *store;

  *dir = test_make_temp_dir ();
  path = g_build_filename (*dir, "state.sqlite3", NULL);
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

/* @app's window showing @store, once it is on screen and connected (both keys stored). */
static inline RelayWindow *
test_show_store (RelayApplication *app,
                 RelayStore       *store)
{
  RelayWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  relay_window_set_store (window, store);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_connected (window), 10);
  return window;
}

/* The window has drawn a frame (right after a page change it may not have yet). */
static inline gboolean
widget_renders (GtkWidget *widget)
{
  return relay_test_widget_renders (widget);
}

static inline void
test_key_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_credentials_store_finish (RELAY_CREDENTIALS (object), result, &error));
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

/* Both stores' keys in the test session's keyring, under these addresses. */
static inline void
test_store_keys (const char *squarespace_url,
                 const char *squarespace_key,
                 const char *tradegecko_url,
                 const char *tradegecko_key)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  guint stored = 0;

  relay_credentials_store_async (credentials, RELAY_SERVICE_SQUARESPACE, squarespace_url, squarespace_key, NULL,
                                 test_key_stored_cb, &stored);
  relay_credentials_store_async (credentials, RELAY_SERVICE_TRADEGECKO, tradegecko_url, tradegecko_key, NULL,
                                 test_key_stored_cb, &stored);
  RELAY_TEST_ITERATE_UNTIL (stored == 2, 10);
}

/* Both stores' keys in the test session's keyring, for addresses that lead
 * nowhere (port 9): the window shows the orders, and the engine's connection
 * problems are not the test's subject (their notifications are off). */
static inline void
test_store_unreachable_keys (RelayApplication *app)
{
  GSettings *settings = relay_application_get_settings (app);
  g_autofree char *squarespace_url = NULL;
  g_autofree char *tradegecko_url = NULL;

  g_settings_set_string (settings, "squarespace-url", "http://127.0.0.1:9/squarespace");
  g_settings_set_string (settings, "tradegecko-url", "http://127.0.0.1:9/tradegecko");
  squarespace_url = g_settings_get_string (settings, "squarespace-url");
  tradegecko_url = g_settings_get_string (settings, "tradegecko-url");
  test_store_keys (squarespace_url, "test-squarespace-key", tradegecko_url, "test-tradegecko-token");
  g_settings_set_boolean (settings, "notify-problems", FALSE);
}

/* An application of the test's own (its state in @state_path), registered but
 * not unique, whose window opens at 1280 × 760. */
static inline RelayApplication *
test_window_app_new (const char *state_path)
{
  g_autoptr(GError) error = NULL;
  RelayApplication *app = relay_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  relay_application_set_state_path (app, state_path);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_settings_set_int (relay_application_get_settings (app), "window-width", 1280);
  g_settings_set_int (relay_application_get_settings (app), "window-height", 760);

  return app;
}

/* test_window_app_new() on a state file in a new temporary folder, *@app_dir,
 * which test_window_app_run() removes once the tests ran. */
static inline RelayApplication *
test_window_app_new_in_temp_dir (char **app_dir)
{
  g_autofree char *state_path = NULL;

  *app_dir = test_make_temp_dir ();
  state_path = g_build_filename (*app_dir, "app.sqlite3", NULL);
  return test_window_app_new (state_path);
}

/* Runs the tests added, then drops *@app and removes @app_dir (taking it). */
static inline int
test_window_app_run (RelayApplication **app,
                     char              *app_dir)
{
  int status = g_test_run ();

  g_clear_object (app);
  test_remove_state_dir (app_dir);
  g_free (app_dir);
  return status;
}
