/* test-window-quit.c — closing the window quits only after the cycle under way
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-application.h"
#include "relay-credentials.h"
#include "relay-sandbox.h"
#include "relay-sync-engine.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

typedef struct
{
  RelayApplication *app;
  RelaySandbox     *sandbox;
  guint             squarespace_requests;
  gboolean          closed_while_busy;
  gboolean          cycle_finished_before_quit;
  gboolean          shut_down;
  guint             poll_id;
} Run;

static void
cycle_finished_cb (RelaySyncEngine *engine,
                   const GError    *error,
                   Run             *run)
{
  if (run->closed_while_busy && !run->shut_down)
    run->cycle_finished_before_quit = TRUE;
}

static gboolean
close_when_busy_cb (gpointer user_data)
{
  Run *run = user_data;
  RelaySyncEngine *engine = relay_application_get_engine (run->app);
  GtkWindow *window = relay_test_find_window_of_type (RELAY_TYPE_WINDOW);

  /* Wait for the first cycle to be under way, held up by a slow Squarespace. */
  if (engine == NULL || window == NULL || !relay_sync_engine_get_busy (engine))
    return G_SOURCE_CONTINUE;

  g_signal_connect (engine, "cycle-finished", G_CALLBACK (cycle_finished_cb), run);
  run->closed_while_busy = TRUE;
  run->poll_id = 0;
  gtk_window_close (window);

  return G_SOURCE_REMOVE;
}

static void
shutdown_cb (GApplication *app,
             Run          *run)
{
  run->shut_down = TRUE;
}

static void
test_close_waits_for_cycle (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *state = g_build_filename (dir, "state.sqlite3", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) delivered = NULL;
  GSettings *settings;
  Run run = { 0 };
  int status;

  run.sandbox = relay_sandbox_new ();
  relay_sandbox_start (run.sandbox, &error);
  g_assert_no_error (error);
  relay_sandbox_load_demo (run.sandbox);
  /* The order list answers slowly: the cycle is surely under way when the window closes. */
  relay_sandbox_add_fault (run.sandbox, RELAY_SANDBOX_API_SQUARESPACE, "GET", "/1.0/commerce/orders",
                           RELAY_SANDBOX_FAULT_DELAY, 1500, 1);

  run.app = relay_application_new ();
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  relay_application_set_state_path (run.app, state);
  settings = relay_application_get_settings (run.app);
  g_settings_set_string (settings, "squarespace-url", relay_sandbox_get_squarespace_url (run.sandbox));
  g_settings_set_string (settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (run.sandbox));
  g_settings_set_uint (settings, "initial-lookback-days", 60);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  test_store_keys (relay_sandbox_get_squarespace_url (run.sandbox), RELAY_SANDBOX_SQUARESPACE_KEY,
                   relay_sandbox_get_tradegecko_url (run.sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);

  g_signal_connect (run.app, "shutdown", G_CALLBACK (shutdown_cb), &run);
  run.poll_id = g_timeout_add (10, close_when_busy_cb, &run);

  /* As the desktop starts it; returns once the app quits. */
  status = g_application_run (G_APPLICATION (run.app), 0, NULL);
  g_clear_handle_id (&run.poll_id, g_source_remove);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.closed_while_busy);
  g_assert_true (run.shut_down);
  /* The cycle under way was finished, not cut off: the demo orders were delivered. */
  g_assert_true (run.cycle_finished_before_quit);
  store = relay_store_open (state, &error);
  g_assert_no_error (error);
  delivered = relay_store_dup_orders_in_stage (store, RELAY_STAGE_AT_TRADEGECKO, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (delivered->len, >=, 10);

  g_clear_object (&run.app);
  relay_sandbox_stop (run.sandbox);
  g_clear_object (&run.sandbox);
  g_clear_object (&store);
  test_remove_state_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window-quit/close-waits-for-cycle", test_close_waits_for_cycle);

  return g_test_run ();
}
