/* test-setup-wizard.c — the setup wizard, driven through its actions
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-application.h"
#include "relay-setup-page.h"
#include "relay-setup-wizard.h"
#include "relay-test-utils.h"
#include "relay-window.h"

/* One application per test program: GApplication exports itself on the session bus once. */
static RelayApplication *test_app;

typedef struct
{
  GSettings        *settings;
  RelaySetupWizard *wizard;
  guint             finished;
} Fixture;

static GtkWidget *
get_wizard_child (Fixture    *fixture,
                  const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->wizard), RELAY_TYPE_SETUP_WIZARD, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static RelaySetupPage *
get_page (Fixture    *fixture,
          const char *name)
{
  GtkStack *stack = GTK_STACK (get_wizard_child (fixture, "stack"));
  GtkWidget *page = gtk_stack_get_child_by_name (stack, name);

  g_assert_nonnull (page);
  return RELAY_SETUP_PAGE (page);
}

/* A disabled action makes the buttons bound to it insensitive: that is what
 * the merchant sees, and gtk_widget_activate_action() cannot tell. */
static gboolean
next_enabled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (get_wizard_child (fixture, "next_button"));
}

static gboolean
back_enabled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (get_wizard_child (fixture, "back_button"));
}

static const char *
visible_page (Fixture *fixture)
{
  return relay_setup_wizard_get_visible_page_name (fixture->wizard);
}

static void
wizard_finished_cb (RelaySetupWizard *wizard,
                    Fixture          *fixture)
{
  fixture->finished++;
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  g_autofree char *path = NULL;

  /* Let the stack's slide transition end before taking the picture. */
  relay_test_iterate_for (400);
  path = relay_test_save_screenshot (GTK_WIDGET (fixture->wizard), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new (APP_ID);
  g_settings_delay (fixture->settings);
  g_settings_revert (fixture->settings);

  fixture->wizard = relay_setup_wizard_new (NULL, fixture->settings);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
  g_signal_connect (fixture->wizard, "finished", G_CALLBACK (wizard_finished_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->wizard));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->wizard)), 10);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->wizard));
  RELAY_TEST_ITERATE_UNTIL (fixture->wizard == NULL, 5);
  g_clear_object (&fixture->settings);
}

static AdwMessageDialog *
wait_for_discard_dialog (void)
{
  GtkWindow *dialog = NULL;

  RELAY_TEST_ITERATE_UNTIL ((dialog = relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (dialog)), 5);
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
test_welcome_page (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *next_button = get_wizard_child (fixture, "next_button");

  g_assert_cmpstr (visible_page (fixture), ==, "welcome");
  g_assert_true (next_enabled (fixture));
  g_assert_false (gtk_widget_get_visible (get_wizard_child (fixture, "back_button")));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (fixture->wizard)));

  /* Buttons carry mnemonics and an accessible name. */
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (next_button)));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (next_button), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (get_wizard_child (fixture, "spinner")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Working");

  save_screenshot (fixture, "setup-welcome");
}

static void
test_back_and_next (Fixture       *fixture,
                    gconstpointer  data)
{
  RelaySetupPage *welcome = get_page (fixture, "welcome");

  /* Back does nothing on the first page. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.back", NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "welcome");

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (visible_page (fixture), "welcome") != 0, 5);
  g_assert_true (back_enabled (fixture));
  g_assert_true (gtk_widget_get_visible (get_wizard_child (fixture, "back_button")));

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.back", NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "welcome");

  /* An incomplete page keeps Next disabled and the action does nothing. */
  relay_setup_page_set_complete (welcome, FALSE);
  g_assert_false (next_enabled (fixture));
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  relay_test_iterate_for (50);
  g_assert_cmpstr (visible_page (fixture), ==, "welcome");

  relay_setup_page_set_complete (welcome, TRUE);
  g_assert_true (next_enabled (fixture));
}

static void
test_cancel_asks_first (Fixture       *fixture,
                        gconstpointer  data)
{
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.cancel", NULL);
  dialog = wait_for_discard_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->wizard));
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "continue");

  /* Continuing keeps everything as it was. */
  adw_message_dialog_response (dialog, "continue");
  relay_test_iterate_for (50);
  g_assert_nonnull (fixture->wizard);
  g_assert_cmpstr (visible_page (fixture), ==, "welcome");

  /* Closing the window asks too, and discarding closes without finishing. */
  gtk_window_close (GTK_WINDOW (fixture->wizard));
  dialog = wait_for_discard_dialog ();
  g_assert_nonnull (fixture->wizard);
  adw_message_dialog_response (dialog, "discard");
  RELAY_TEST_ITERATE_UNTIL (fixture->wizard == NULL, 5);
  g_assert_cmpuint (fixture->finished, ==, 0);
}

static void
test_flow_settings_saved_on_next (Fixture       *fixture,
                                  gconstpointer  data)
{
  GObject *flow;
  GtkSpinButton *lookback;
  AdwComboRow *order_status;
  GtkSwitch *notify;
  g_autofree char *status = NULL;

  while (g_strcmp0 (visible_page (fixture), "flow") != 0)
    {
      const char *before = visible_page (fixture);

      g_assert_true (next_enabled (fixture));
      gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
      RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (visible_page (fixture), before) != 0, 5);
    }

  flow = G_OBJECT (get_page (fixture, "flow"));
  lookback = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (flow), G_OBJECT_TYPE (flow), "lookback_spin"));
  order_status = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (flow), G_OBJECT_TYPE (flow), "order_status_row"));
  notify = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (flow), G_OBJECT_TYPE (flow), "notify_switch"));

  /* The controls show the current settings. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (lookback), ==, 14);
  g_assert_cmpuint (adw_combo_row_get_selected (order_status), ==, 0);
  g_assert_true (gtk_switch_get_active (notify));
  save_screenshot (fixture, "setup-flow");

  gtk_spin_button_set_value (lookback, 30);
  adw_combo_row_set_selected (order_status, 1);
  gtk_switch_set_active (notify, FALSE);

  /* Nothing is written before the merchant moves on. */
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "initial-lookback-days"), ==, 14);

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (visible_page (fixture), "flow") != 0, 5);

  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "initial-lookback-days"), ==, 30);
  status = g_settings_get_string (fixture->settings, "tradegecko-order-status");
  g_assert_cmpstr (status, ==, "draft");
  g_assert_false (g_settings_get_boolean (fixture->settings, "notify-customer"));
}

static void
stores_connected_cb (RelayApplication *app,
                     guint            *count)
{
  (*count)++;
}

static void
test_reconnect_action_opens_wizard_over_window (void)
{
  RelaySetupWizard *wizard = NULL;
  RelayWindow *window;
  GtkWidget *connect_button;
  guint connected = 0;
  gulong handler;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (test_app), "reconnect"));
  g_assert_null (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD));

  g_action_group_activate_action (G_ACTION_GROUP (test_app), "reconnect", NULL);
  RELAY_TEST_ITERATE_UNTIL ((wizard = (RelaySetupWizard *) relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (wizard)), 10);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);

  /* Modal over the main window, which stays the application's window. */
  window = RELAY_WINDOW (relay_test_find_window_of_type (RELAY_TYPE_WINDOW));
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (wizard)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (wizard)));
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (test_app));

  /* A second activation presents the same wizard. */
  g_action_group_activate_action (G_ACTION_GROUP (test_app), "reconnect", NULL);
  relay_test_iterate_for (50);
  g_assert_true (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD) == GTK_WINDOW (wizard));

  /* The empty state offers the same action. */
  connect_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, "connect_button"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (connect_button)), ==, "app.reconnect");

  /* The wizard's end starts the engine through the application. */
  handler = g_signal_connect (test_app, "stores-connected", G_CALLBACK (stores_connected_cb), &connected);
  g_signal_emit_by_name (wizard, "finished");
  g_assert_cmpuint (connected, ==, 1);
  g_signal_handler_disconnect (test_app, handler);

  gtk_window_destroy (GTK_WINDOW (window));
  RELAY_TEST_ITERATE_UNTIL (wizard == NULL, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* What RelayApplication's resource base path does for the app. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");

  test_app = relay_application_new ();
  /* Tests may run side by side on one session bus. */
  g_application_set_flags (G_APPLICATION (test_app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/setup-wizard/welcome", Fixture, NULL,
              fixture_set_up, test_welcome_page, fixture_tear_down);
  g_test_add ("/setup-wizard/back-and-next", Fixture, NULL,
              fixture_set_up, test_back_and_next, fixture_tear_down);
  g_test_add ("/setup-wizard/cancel-asks-first", Fixture, NULL,
              fixture_set_up, test_cancel_asks_first, fixture_tear_down);
  g_test_add ("/setup-wizard/flow-settings", Fixture, NULL,
              fixture_set_up, test_flow_settings_saved_on_next, fixture_tear_down);

  g_test_add_func ("/setup-wizard/reconnect-action", test_reconnect_action_opens_wizard_over_window);

  status = g_test_run ();
  g_clear_object (&test_app);
  return status;
}
