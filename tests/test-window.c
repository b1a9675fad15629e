/* test-window.c — the application starts and shows its main window
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-application.h"
#include "relay-window.h"
#include "relay-test-utils.h"

typedef struct
{
  RelayApplication *app;
  RelayWindow      *window;
} Fixture;

/* One application per test program: GApplication exports itself on the session bus once. */
static RelayApplication *test_app;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = test_app;
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)), 10);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  relay_test_iterate_pending ();
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
}

static void
test_empty_state_invites_to_connect (Fixture       *fixture,
                                     gconstpointer  data)
{
  GtkStack *stack;
  AdwStatusPage *status_page;
  g_autofree char *screenshot = NULL;

  g_assert_cmpstr (relay_window_get_visible_page_name (fixture->window), ==, "not-connected");

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), RELAY_TYPE_WINDOW, "main_stack"));
  status_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                RELAY_TYPE_WINDOW, "not_connected_page"));
  g_assert_true (gtk_stack_get_visible_child (stack) == GTK_WIDGET (status_page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status_page)));
  g_assert_cmpstr (adw_status_page_get_title (status_page), ==, "Connect Your Stores");
  g_assert_nonnull (strstr (adw_status_page_get_description (status_page), "Squarespace"));

  relay_test_wait_until_settled (GTK_WIDGET (fixture->window));
  screenshot = relay_test_save_screenshot (GTK_WIDGET (fixture->window), "window-not-connected");
  g_assert_true (g_file_test (screenshot, G_FILE_TEST_EXISTS));
}

static void
test_about_action_opens_about_window (Fixture       *fixture,
                                      gconstpointer  data)
{
  GtkWindow *about;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "about"));
  g_assert_null (relay_test_find_window_of_type (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  RELAY_TEST_ITERATE_UNTIL ((about = relay_test_find_window_of_type (ADW_TYPE_ABOUT_WINDOW)) != NULL, 5);

  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Order Relay");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (about);
}

static void
test_shortcuts_action_opens_shortcuts_window (Fixture       *fixture,
                                              gconstpointer  data)
{
  GtkWindow *shortcuts;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "show-help-overlay"));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-help-overlay", NULL);
  RELAY_TEST_ITERATE_UNTIL ((shortcuts = relay_test_find_window_of_type (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL &&
                            gtk_widget_get_visible (GTK_WIDGET (shortcuts)), 5);
  gtk_window_close (shortcuts);
}

static void
test_quit_action_is_bound_to_ctrl_q (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.quit");

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>q");
}

/* Regression: a screenshot taken before the window was laid out failed on
 * `width > 0` on a busy machine; it waits for the first frame instead. */
static void
test_screenshot_waits_for_first_frame (void)
{
  GtkWidget *window = gtk_window_new ();
  g_autofree char *screenshot = NULL;

  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Order Relay"));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpint (gtk_widget_get_width (window), ==, 0);

  screenshot = relay_test_save_screenshot (window, "screenshot-before-first-frame");
  g_assert_true (g_file_test (screenshot, G_FILE_TEST_EXISTS));
  g_assert_cmpint (gtk_widget_get_width (window), >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  test_app = relay_application_new ();
  /* Tests may run side by side on one session bus. */
  g_application_set_flags (G_APPLICATION (test_app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/window/empty-state-invites-to-connect", Fixture, NULL,
              fixture_set_up, test_empty_state_invites_to_connect, fixture_tear_down);
  g_test_add ("/window/about-action", Fixture, NULL,
              fixture_set_up, test_about_action_opens_about_window, fixture_tear_down);
  g_test_add ("/window/shortcuts-action", Fixture, NULL,
              fixture_set_up, test_shortcuts_action_opens_shortcuts_window, fixture_tear_down);
  g_test_add_func ("/window/screenshot-waits-for-first-frame", test_screenshot_waits_for_first_frame);
  g_test_add ("/window/quit-accel", Fixture, NULL,
              fixture_set_up, test_quit_action_is_bound_to_ctrl_q, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&test_app);
  return status;
}
