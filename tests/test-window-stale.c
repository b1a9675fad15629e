/* test-window-stale.c — the window says when syncing had stopped while it was closed
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-application.h"
#include "relay-sandbox.h"
#include "relay-sync-engine.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/*
 * One sandbox and one application, the real engine against it. The state file
 * is made before the app starts, with the last successful cycle three days
 * back, as a machine whose service units stopped would leave it.
 */
static RelaySandbox     *sandbox;
static RelayApplication *app;
static char             *state_path;

#define HOUR_S  (G_GINT64_CONSTANT (3600))

static RelayWindow *
main_window (void)
{
  return RELAY_WINDOW (relay_test_find_window_of_type (RELAY_TYPE_WINDOW));
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
last_success (RelayStore *store)
{
  g_autofree char *text = relay_store_dup_checkpoint (store, RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS, NULL);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static void
set_last_success (RelayStore *store,
                  gint64      unix_s)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, unix_s);
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_store_set_checkpoint (store, RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS, text, &error));
  g_assert_no_error (error);
}

static gboolean
engine_idle (void)
{
  RelaySyncEngine *engine = relay_application_get_engine (app);

  return engine != NULL && !relay_sync_engine_get_busy (engine) && relay_sync_engine_get_next_sync (engine) > 0;
}

static GtkRevealer *
stale_revealer (RelayWindow *window)
{
  return GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, "stale_sync_revealer"));
}

/* Opens the main window as a click on the app does, once it shows the orders. */
static RelayWindow *
open_window (void)
{
  RelayWindow *window;

  g_application_activate (G_APPLICATION (app));
  RELAY_TEST_ITERATE_UNTIL ((window = main_window ()) != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_connected (window), 10);

  return window;
}

static void
close_window (void)
{
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 60);
  gtk_window_destroy (GTK_WINDOW (main_window ()));
  RELAY_TEST_ITERATE_UNTIL (main_window () == NULL, 5);
}

static void
test_shown_until_first_cycle (void)
{
  GSettings *settings = relay_application_get_settings (app);
  RelayWindow *window;
  const char *warning;
  gint64 before = now_s () - 72 * HOUR_S;
  g_autoptr(GDateTime) stopped = NULL;
  g_autofree char *day = NULL;
  g_autofree char *year = NULL;
  g_autofree char *path = NULL;

  /* What a merchant has without changing anything. */
  g_assert_cmpuint (g_settings_get_uint (settings, "stale-sync-warning-hours"), ==, 24);

  window = open_window ();
  /* Shown before any cycle ended: the checkpoint is still the one from three days ago. */
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_stale_sync_warning (window) != NULL, 10);
  g_assert_cmpint (last_success (relay_application_get_store (app)), <=, before + 5);
  g_assert_true (gtk_revealer_get_reveal_child (stale_revealer (window)));

  warning = relay_window_get_stale_sync_warning (window);
  g_test_message ("banner: %s", warning);
  g_assert_nonnull (strstr (warning, "had not synced since"));
  stopped = g_date_time_new_from_unix_local (last_success (relay_application_get_store (app)));
  day = g_date_time_format (stopped, " %-e, ");
  year = g_date_time_format (stopped, "%Y");
  g_assert_nonnull (strstr (warning, day));
  g_assert_nonnull (strstr (warning, year));

  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (window)), 5);
  relay_test_wait_until_settled (GTK_WIDGET (window));
  path = relay_test_save_screenshot (GTK_WIDGET (window), "window-stale-sync");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The first successful cycle withdraws it. */
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_stale_sync_warning (window) == NULL, 60);
  g_assert_cmpint (last_success (relay_application_get_store (app)), >=, now_s () - 60);
  g_assert_false (gtk_revealer_get_reveal_child (stale_revealer (window)));
  /* And it does not come back while the window stays open. */
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 60);
  relay_test_wait_until_settled (GTK_WIDGET (window));
  g_assert_null (relay_window_get_stale_sync_warning (window));

  close_window ();
}

/* The same opening, with the last success 2 hours back: below the setting,
 * nothing is said; above it (1 hour), it is; with 0, never. */
static void
test_not_shown_when_recent (void)
{
  GSettings *settings = relay_application_get_settings (app);
  RelayStore *store = relay_application_get_store (app);
  RelayWindow *window;

  set_last_success (store, now_s () - 2 * HOUR_S);
  window = open_window ();
  relay_test_wait_until_settled (GTK_WIDGET (window));
  g_assert_null (relay_window_get_stale_sync_warning (window));
  g_assert_false (gtk_revealer_get_reveal_child (stale_revealer (window)));
  close_window ();

  /* The check did run: one hour is exceeded by the same two hours. */
  g_settings_set_uint (settings, "stale-sync-warning-hours", 1);
  set_last_success (store, now_s () - 2 * HOUR_S);
  window = open_window ();
  g_assert_nonnull (relay_window_get_stale_sync_warning (window));
  close_window ();

  /* 0: never, even after three days. */
  g_settings_set_uint (settings, "stale-sync-warning-hours", 0);
  set_last_success (store, now_s () - 72 * HOUR_S);
  window = open_window ();
  relay_test_wait_until_settled (GTK_WIDGET (window));
  g_assert_null (relay_window_get_stale_sync_warning (window));
  close_window ();
  g_settings_reset (settings, "stale-sync-warning-hours");
}

/* Orders in the state file but no successful cycle on record (every cycle
 * failed, or a state file from before the checkpoint): said too, until one succeeds. */
static void
test_never_synced_with_orders (void)
{
  RelayStore *store = relay_application_get_store (app);
  g_autoptr(GError) error = NULL;
  RelayWindow *window;
  guint64 stages[RELAY_N_STAGES];
  guint64 n_orders = 0;

  g_assert_true (relay_store_count_stages (store, stages, &error));
  for (guint i = 0; i < RELAY_N_STAGES; i++)
    n_orders += stages[i];
  g_assert_cmpuint (n_orders, >, 0);
  g_assert_true (relay_store_set_checkpoint (store, RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS, NULL, &error));
  g_assert_no_error (error);

  window = open_window ();
  g_assert_nonnull (relay_window_get_stale_sync_warning (window));
  g_assert_nonnull (strstr (relay_window_get_stale_sync_warning (window), "no finished sync on record"));
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_stale_sync_warning (window) == NULL, 60);
  g_assert_cmpint (last_success (store), >=, now_s () - 60);
  close_window ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autofree char *dir = NULL;
  GSettings *settings;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  sandbox = relay_sandbox_new ();
  relay_sandbox_start (sandbox, &error);
  g_assert_no_error (error);
  relay_sandbox_load_demo (sandbox);

  /* A real state file: the last success three days ago, nothing else. */
  dir = test_make_temp_dir ();
  state_path = g_build_filename (dir, "state.db", NULL);
  store = relay_store_open (state_path, &error);
  g_assert_no_error (error);
  set_last_success (store, now_s () - 72 * HOUR_S);
  g_clear_object (&store);

  app = test_window_app_new (state_path);
  settings = relay_application_get_settings (app);
  g_settings_set_string (settings, "squarespace-url", relay_sandbox_get_squarespace_url (sandbox));
  g_settings_set_string (settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (sandbox));
  g_settings_set_uint (settings, "initial-lookback-days", 60);
  test_store_keys (relay_sandbox_get_squarespace_url (sandbox), RELAY_SANDBOX_SQUARESPACE_KEY,
                   relay_sandbox_get_tradegecko_url (sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);

  g_test_add_func ("/window-stale/shown-until-first-cycle", test_shown_until_first_cycle);
  g_test_add_func ("/window-stale/not-shown-when-recent", test_not_shown_when_recent);
  g_test_add_func ("/window-stale/never-synced-with-orders", test_never_synced_with_orders);

  status = g_test_run ();
  g_clear_object (&app);
  relay_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  test_remove_state_dir (dir);
  g_free (state_path);
  return status;
}
