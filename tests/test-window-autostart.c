/* test-window-autostart.c — "Start at login" writes and removes the autostart entry, and
 * `--background` syncs without a window
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-application.h"
#include "relay-autostart.h"
#include "relay-credentials.h"
#include "relay-preferences-window.h"
#include "relay-sandbox.h"
#include "relay-sync-engine.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/* The tests' own config folder, so the autostart entry they write is theirs. */
static char *config_home;

static void
assert_valid_autostart_entry (const char *path)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "desktop-file-validate", path, NULL };
  int status = -1;

  /* Read as a key file: GDesktopAppInfo refuses an entry whose program is not
   * installed yet, as in a build tree. */
  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  /* It starts the installed program hidden. */
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, BINDIR "/order-relay --background");
  g_assert_true (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", &error));
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Registered (so started up, watching its settings) with both switches off. */
static GSettings *
start_app_with_both_off (RelayApplication *app)
{
  g_autoptr(GError) error = NULL;
  GSettings *settings = relay_application_get_settings (app);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_settings_set_boolean (settings, "start-at-login", FALSE);

  return settings;
}

static void
test_start_at_login_file (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autofree char *path = relay_autostart_dup_file_path ();
  GSettings *settings;

  g_assert_true (g_str_has_prefix (path, config_home));
  settings = start_app_with_both_off (app);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Without Run in background there is nothing to start at login. */
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  relay_test_iterate_for (300);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  RELAY_TEST_ITERATE_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS), 10);
  assert_valid_autostart_entry (path);

  /* Turning it off removes what was written. */
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  RELAY_TEST_ITERATE_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS), 10);

  /* So does turning Run in background off. */
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  RELAY_TEST_ITERATE_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS), 10);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  RELAY_TEST_ITERATE_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS), 10);
}


/* The Preferences row, as a person uses it: off limits until Run in background is on,
 * then its switch writes the entry. */
static void
test_preferences_row (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autofree char *path = relay_autostart_dup_file_path ();
  g_autofree char *screenshot = NULL;
  GtkWidget *preferences;
  GtkWidget *background;
  GtkWidget *login;
  GtkWidget *login_row;
  GSettings *settings;

  settings = start_app_with_both_off (app);

  preferences = GTK_WIDGET (relay_preferences_window_new (settings, NULL));
  gtk_window_present (GTK_WINDOW (preferences));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (preferences), 5);
  background = relay_test_find_named (preferences, "run-in-background");
  login = relay_test_find_named (preferences, "start-at-login");
  g_assert_nonnull (background);
  g_assert_nonnull (login);
  login_row = gtk_widget_get_ancestor (login, ADW_TYPE_ACTION_ROW);
  g_assert_false (gtk_widget_is_sensitive (login_row));

  gtk_switch_set_active (GTK_SWITCH (background), TRUE);
  g_assert_true (gtk_widget_is_sensitive (login_row));
  gtk_switch_set_active (GTK_SWITCH (login), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "start-at-login"));
  RELAY_TEST_ITERATE_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS), 10);

  RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (preferences), 5);
  screenshot = relay_test_save_screenshot (preferences, "preferences-start-at-login");
  g_assert_true (g_file_test (screenshot, G_FILE_TEST_EXISTS));

  gtk_switch_set_active (GTK_SWITCH (login), FALSE);
  RELAY_TEST_ITERATE_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS), 10);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  RelayApplication *app;
  gboolean          cycle_finished;
  gboolean          window_seen;
  guint             poll_id;
} Run;

static void
cycle_finished_cb (RelaySyncEngine *engine,
                   const GError    *error,
                   Run             *run)
{
  g_assert_no_error ((GError *) error);
  run->cycle_finished = TRUE;
  g_application_quit (G_APPLICATION (run->app));
}

static gboolean
watch_background_cb (gpointer user_data)
{
  Run *run = user_data;
  RelaySyncEngine *engine = relay_application_get_engine (run->app);

  if (relay_test_find_window_of_type (RELAY_TYPE_WINDOW) != NULL)
    run->window_seen = TRUE;
  if (engine == NULL)
    return G_SOURCE_CONTINUE;

  g_signal_connect (engine, "cycle-finished", G_CALLBACK (cycle_finished_cb), run);
  run->poll_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("order-relay --background did not finish in time");
  return G_SOURCE_REMOVE;
}

static int
run_in_background (RelayApplication *app,
                   Run              *run)
{
  char *argv[] = { (char *) "order-relay", (char *) "--background", NULL };
  guint too_long_id = g_timeout_add_seconds (90, too_long_cb, NULL);
  int status;

  run->app = app;
  run->poll_id = g_timeout_add (10, watch_background_cb, run);
  /* As the autostart entry starts it; returns once the app quits. */
  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);
  g_clear_handle_id (&run->poll_id, g_source_remove);
  g_source_remove (too_long_id);

  return status;
}

static void
test_background_start_syncs (void)
{
  g_autoptr(RelaySandbox) sandbox = relay_sandbox_new ();
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *state = g_build_filename (dir, "state.sqlite3", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) delivered = NULL;
  GSettings *settings;
  Run run = { 0 };

  relay_sandbox_start (sandbox, &error);
  g_assert_no_error (error);
  relay_sandbox_load_demo (sandbox);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  relay_application_set_state_path (app, state);
  settings = relay_application_get_settings (app);
  g_settings_set_string (settings, "squarespace-url", relay_sandbox_get_squarespace_url (sandbox));
  g_settings_set_string (settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (sandbox));
  g_settings_set_uint (settings, "initial-lookback-days", 60);
  /* The demo's rejected order would be a desktop notification: the test session has no
   * notification server, and what is tested here is the sync without a window. */
  g_settings_set_boolean (settings, "notify-problems", FALSE);
  test_store_keys (relay_sandbox_get_squarespace_url (sandbox), RELAY_SANDBOX_SQUARESPACE_KEY,
                   relay_sandbox_get_tradegecko_url (sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);

  g_assert_cmpint (run_in_background (app, &run), ==, 0);

  /* A full cycle ran, and no window was ever opened. */
  g_assert_true (run.cycle_finished);
  g_assert_false (run.window_seen);
  g_assert_true (relay_application_get_in_background (app));
  store = relay_store_open (state, &error);
  g_assert_no_error (error);
  delivered = relay_store_dup_orders_in_stage (store, RELAY_STAGE_AT_TRADEGECKO, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (delivered->len, >=, 10);

  g_clear_object (&app);
  relay_sandbox_stop (sandbox);
  g_clear_object (&store);
  test_remove_state_dir (dir);
}

static void
test_background_start_without_keys_quits (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  GSettings *settings;
  Run run = { 0 };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  settings = relay_application_get_settings (app);
  /* Addresses no key was ever stored for. */
  g_settings_set_string (settings, "squarespace-url", "http://127.0.0.1:9/no-keys-squarespace");
  g_settings_set_string (settings, "tradegecko-url", "http://127.0.0.1:9/no-keys-tradegecko");

  /* It quits by itself: nothing to sync, and no setup window at login. */
  g_assert_cmpint (run_in_background (app, &run), ==, 0);
  g_assert_false (run.window_seen);
  g_assert_false (run.cycle_finished);
  g_assert_false (relay_application_get_in_background (app));
}

static void
activated_cb (GApplication *app,
              gboolean     *activated)
{
  *activated = TRUE;
}

static void
child_exited_cb (GPid     pid,
                 int      wait_status,
                 gpointer user_data)
{
  *(int *) user_data = wait_status;
  g_spawn_close_pid (pid);
}

/* At login with Order Relay already running (its window open, or syncing without one),
 * `order-relay --background` starts nothing and opens no window. */
static void
test_background_start_while_running (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("ORDER_RELAY_BIN");
  const char *argv[] = { program, "--background", NULL };
  gboolean activated = FALSE;
  int wait_status = -1;
  GPid pid;

  g_assert_nonnull (program);
  /* The primary instance, on the test session's bus under the real application id. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_signal_connect (app, "activate", G_CALLBACK (activated_cb), &activated);

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited_cb, &wait_status);
  RELAY_TEST_ITERATE_UNTIL (wait_status != -1, 30);

  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_false (activated);
  g_assert_null (relay_test_find_window_of_type (RELAY_TYPE_WINDOW));
}

/* Each test's application in a process of its own: an application stays on
 * the session bus under its id as long as the process lives. */
static void
in_subprocess (gconstpointer test)
{
  if (g_test_subprocess ())
    {
      ((GTestFunc) test) ();
      return;
    }

  g_test_trap_subprocess (NULL, 150 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = g_dir_make_tmp ("order-relay-autostart-XXXXXX", NULL);
  int status;

  /* Before anything reads the user's config folder: GLib keeps the first answer. */
  g_assert_nonnull (scratch);
  config_home = g_build_filename (scratch, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/autostart/start-at-login-file", test_start_at_login_file, in_subprocess);
  g_test_add_data_func ("/autostart/preferences-row", test_preferences_row, in_subprocess);
  g_test_add_data_func ("/autostart/background-start-syncs", test_background_start_syncs, in_subprocess);
  g_test_add_data_func ("/autostart/background-start-while-running", test_background_start_while_running,
                        in_subprocess);
  g_test_add_data_func ("/autostart/background-start-without-keys-quits", test_background_start_without_keys_quits,
                        in_subprocess);

  status = g_test_run ();
  {
    g_autofree char *autostart = g_build_filename (config_home, "autostart", NULL);

    /* Every test removes its entry: only the empty folders are left. */
    g_rmdir (autostart);
    g_rmdir (config_home);
    g_rmdir (scratch);
  }
  g_free (config_home);
  return status;
}
