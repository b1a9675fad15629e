/* test-window-atspi.c — the main window as a screen reader sees it: walked over AT-SPI from another process
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

/* at-spi2-core 2.46's headers declare `GType f ()`: not our warning to fix. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <atspi/atspi.h>
#pragma GCC diagnostic pop

/* libatspi 2.46 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAction, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiStateSet, g_object_unref)
#include <glib-unix.h>
#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/*
 * The test forks itself: the child (`--child DIR`) opens the real main window
 * with the accessibility bridge on — GTK registers it on the AT-SPI bus, which
 * the session bus starts on demand (at-spi2-core's bus launcher) — and the test
 * process walks that tree over AT-SPI, as Orca would. The in-process walk of
 * GTK's own accessible tree is test-window-a11y.c.
 */

/* ---- the child: the window, until the test closes our stdin ---- */

static gboolean
stdin_closed_cb (int          fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static int
run_child (const char *dir)
{
  g_autofree char *app_state = g_build_filename (dir, "app.sqlite3", NULL);
  g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
  g_autoptr(RelayApplication) app = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RelayWindow *window;
  gboolean done = FALSE;

  gtk_init ();
  app = test_window_app_new (app_state);
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    test_add_order (store, i, "Ann", i == 3 ? "MUG-RED" : "MUG-BLK");
  g_assert_true (relay_store_reject (store, "sq-000003", "TradeGecko has no variant with SKU MUG-RED", &error));

  g_application_activate (G_APPLICATION (app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  relay_window_set_store (window, store);
  relay_window_set_connected (window, TRUE);
  relay_window_set_store_health (window, "tradegecko", "TradeGecko needs attention: the key was refused",
                                 "_Reconnect…", "app.reconnect-store::tradegecko");
  relay_window_show_order (window, "sq-000003");
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), 20);
  RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (window)), 20);
  relay_test_iterate_for (300);

  g_print ("ready\n");
  fflush (stdout);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* ---- the test: walk the child's tree over AT-SPI ---- */

/* Roles that say nothing about what a control does. */
static gboolean
is_generic_role (AtspiRole role)
{
  return role == ATSPI_ROLE_INVALID || role == ATSPI_ROLE_UNKNOWN || role == ATSPI_ROLE_FILLER ||
         role == ATSPI_ROLE_PANEL || role == ATSPI_ROLE_REDUNDANT_OBJECT;
}

/* A name made of a class name ("GtkImage", "GtkListItemWidget") is no name. */
static gboolean
is_missing_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return TRUE;
  if ((g_str_has_prefix (name, "Gtk") || g_str_has_prefix (name, "Adw") || g_str_has_prefix (name, "Relay")) &&
      strchr (name, ' ') == NULL)
    return TRUE;
  return FALSE;
}

static gboolean
is_actionable (AtspiAccessible *accessible)
{
  g_autoptr(AtspiAction) action = atspi_accessible_get_action_iface (accessible);

  return action != NULL && atspi_action_get_n_actions (action, NULL) > 0;
}

typedef struct
{
  guint    n_controls;
  guint    n_visited;
  GString *unnamed;
  char    *window;   /* the name of the window being walked */
} Walk;

static void
walk (AtspiAccessible *accessible,
      Walk            *state,
      guint            depth)
{
  g_autoptr(AtspiStateSet) states = atspi_accessible_get_state_set (accessible);
  g_autoptr(GError) error = NULL;
  AtspiRole role;
  int n_children;

  state->n_visited++;
  g_assert_cmpuint (depth, <, 200);

  role = atspi_accessible_get_role (accessible, &error);
  g_assert_no_error (error);
  if (role == ATSPI_ROLE_FRAME || role == ATSPI_ROLE_DIALOG)
    {
      g_free (state->window);
      state->window = atspi_accessible_get_name (accessible, NULL);
    }
  if (g_getenv ("RELAY_TEST_ATSPI_DUMP"))
    {
      g_autofree char *name = atspi_accessible_get_name (accessible, NULL);
      g_autofree char *role_name = atspi_accessible_get_role_name (accessible, NULL);
      g_printerr ("%*s%s “%s” showing=%d focusable=%d actionable=%d\n", (int) depth, "", role_name, name,
                  atspi_state_set_contains (states, ATSPI_STATE_SHOWING),
                  atspi_state_set_contains (states, ATSPI_STATE_FOCUSABLE), is_actionable (accessible));
    }
  /* GTK 4.8 marks only windows as showing: hidden pages are walked too, so
   * every page of the window is held to the rule. A label's only action is
   * its text's context menu: a label is a control only if it takes focus. */
  if (atspi_state_set_contains (states, ATSPI_STATE_FOCUSABLE) ||
      (role != ATSPI_ROLE_LABEL && is_actionable (accessible)))
    {
      g_autofree char *name = atspi_accessible_get_name (accessible, NULL);
      g_autofree char *role_name = atspi_accessible_get_role_name (accessible, NULL);

      state->n_controls++;
      /* A container that only offers actions (a page with page.* actions) is
       * announced as a named group; one that takes focus must say what it is. */
      if (is_missing_name (name) ||
          (is_generic_role (role) && atspi_state_set_contains (states, ATSPI_STATE_FOCUSABLE)))
        g_string_append_printf (state->unnamed, "%s: %s “%s”\n", state->window, role_name, name ? name : "");
    }

  n_children = atspi_accessible_get_child_count (accessible, &error);
  g_assert_no_error (error);
  for (int i = 0; i < n_children; i++)
    {
      g_autoptr(AtspiAccessible) child = atspi_accessible_get_child_at_index (accessible, i, &error);

      g_assert_no_error (error);
      if (child != NULL)
        walk (child, state, depth + 1);
    }
}

/* The child's application on the AT-SPI desktop, once GTK has registered it. */
static AtspiAccessible *
find_application (GPid pid)
{
  g_autoptr(AtspiAccessible) desktop = atspi_get_desktop (0);
  int n = atspi_accessible_get_child_count (desktop, NULL);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(AtspiAccessible) app = atspi_accessible_get_child_at_index (desktop, i, NULL);

      if (app != NULL && (GPid) atspi_accessible_get_process_id (app, NULL) == pid &&
          atspi_accessible_get_child_count (app, NULL) > 0)
        return g_steal_pointer (&app);
    }
  return NULL;
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static void
test_every_control_is_named_over_atspi (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(AtspiAccessible) app = NULL;
  g_autoptr(GString) unnamed = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  Walk state = { 0, 0, unnamed, NULL };
  GPid pid;

  /* The bridge on in the child only; it finds the bus through the session bus. */
  g_subprocess_launcher_unsetenv (launcher, "NO_AT_BRIDGE");
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "atspi", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--child", dir, NULL);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (child), NULL, 10);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_read_cb, &line);
  RELAY_TEST_ITERATE_UNTIL (line != NULL, 60);
  g_assert_cmpstr (line, ==, "ready");

  g_assert_cmpint (atspi_init (), <=, 1);
  RELAY_TEST_ITERATE_UNTIL ((app = find_application (pid)) != NULL, 30);

  walk (app, &state, 0);
  g_test_message ("AT-SPI: %u objects, %u controls, unnamed or generic:\n%s", state.n_visited, state.n_controls,
                  unnamed->str);
  g_print ("# AT-SPI: %u objects, %u controls, unnamed or generic: %s\n", state.n_visited, state.n_controls,
           unnamed->len == 0 ? "0" : unnamed->str);
  g_assert_cmpuint (state.n_controls, >=, 15);
  g_assert_cmpstr (unnamed->str, ==, "");

  g_clear_object (&app);
  g_free (state.window);
  g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, NULL);
  g_subprocess_wait_check (child, NULL, &error);
  g_assert_no_error (error);
  test_remove_state_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2]);

  g_test_init (&argc, &argv, NULL);
  /* libatspi warns (domain "dbind") when an application on the bus — the
   * registry daemon itself — has no cache object to read: about the bus, not
   * our window. This process only reads AT-SPI, so its warnings are not fatal;
   * criticals still are, and the child keeps GLib's defaults. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/window-atspi/every-control-is-named", test_every_control_is_named_over_atspi);

  return g_test_run ();
}
