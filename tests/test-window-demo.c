/* test-window-demo.c — `order-relay --demo`: sandbox in-process, wizard pre-filled, orders flowing
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "relay-alias-dialog.h"
#include "relay-application.h"
#include "relay-credentials.h"
#include "relay-order-preview.h"
#include "relay-preview.h"
#include "relay-sandbox.h"
#include "relay-setup-key-page.h"
#include "relay-setup-page.h"
#include "relay-setup-page-test-order.h"
#include "relay-setup-wizard.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/* Driving the wizard through its actions, as test-setup-wizard.c does. */

static RelaySetupPage *
get_wizard_page (RelaySetupWizard *wizard,
                 const char       *name)
{
  GObject *stack = gtk_widget_get_template_child (GTK_WIDGET (wizard), RELAY_TYPE_SETUP_WIZARD, "stack");
  GtkWidget *page;

  g_assert_nonnull (stack);
  page = gtk_stack_get_child_by_name (GTK_STACK (stack), name);
  g_assert_nonnull (page);
  return RELAY_SETUP_PAGE (page);
}

static void
wait_until_idle (RelaySetupPage *page)
{
  RELAY_TEST_ITERATE_UNTIL (!relay_setup_page_get_busy (page) && !relay_setup_page_get_applying (page), 20);
}

static void
wizard_go_to (RelaySetupWizard *wizard,
              const char       *name)
{
  while (g_strcmp0 (relay_setup_wizard_get_visible_page_name (wizard), name) != 0)
    {
      g_autofree char *before = g_strdup (relay_setup_wizard_get_visible_page_name (wizard));
      RelaySetupPage *page = get_wizard_page (wizard, before);

      wait_until_idle (page);
      /* The demo pre-fills the sandbox's keys: check them, then move on (which stores them). */
      if (RELAY_IS_SETUP_KEY_PAGE (page) && relay_setup_page_get_can_verify (page))
        {
          gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.verify", NULL);
          wait_until_idle (page);
        }
      g_assert_true (relay_setup_page_get_complete (page));
      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
      RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (relay_setup_wizard_get_visible_page_name (wizard), before) != 0, 20);
      wait_until_idle (get_wizard_page (wizard, relay_setup_wizard_get_visible_page_name (wizard)));
    }
}

/* Adds an alias for Hannah's unknown SKU from the test-order page, then takes
 * it out again so the demo's orders flow as before. */
static void
add_alias_from_wizard (RelayApplication *app,
                       RelaySetupWizard *wizard)
{
  g_autofree char *default_path = relay_store_get_default_path ();
  g_autofree char *alias = NULL;
  g_autoptr(GError) error = NULL;
  RelaySetupPageTestOrder *page;
  GListModel *labels;
  RelayStore *store = relay_application_get_store (app);
  GtkWindow *dialog = NULL;
  const char *preview;
  guint hannah = G_MAXUINT;
  guint vat = G_MAXUINT;
  AdwComboRow *tax_row;
  GListModel *tax_labels;

  g_assert_nonnull (store);
  g_assert_true (relay_setup_wizard_get_store (wizard) == store);

  wizard_go_to (wizard, "test-order");
  page = RELAY_SETUP_PAGE_TEST_ORDER (get_wizard_page (wizard, "test-order"));
  wait_until_idle (RELAY_SETUP_PAGE (page));
  labels = G_LIST_MODEL (gtk_widget_get_template_child (GTK_WIDGET (page), RELAY_TYPE_SETUP_PAGE_TEST_ORDER, "order_labels"));
  g_assert_cmpuint (g_list_model_get_n_items (labels), ==, relay_setup_page_test_order_get_n_orders (page));
  for (guint i = 0; i < g_list_model_get_n_items (labels); i++)
    if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), i), "Hannah") != NULL)
      hannah = i;
  g_assert_cmpuint (hannah, !=, G_MAXUINT);

  relay_setup_page_test_order_select (page, hannah);
  RELAY_TEST_ITERATE_UNTIL ((preview = relay_setup_page_test_order_get_preview (page)) != NULL &&
                            strstr (preview, "Matcha") != NULL &&
                            !relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)), 20);
  g_assert_nonnull (strstr (preview, "!!"));

  /* Asked for by the failing line, the dialog offers an alias for its variant alone too. */
  {
    RelayOrderPreview *order_preview = RELAY_ORDER_PREVIEW (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                                           RELAY_TYPE_SETUP_PAGE_TEST_ORDER,
                                                                                           "order_preview"));
    GPtrArray *lines = relay_preview_get_lines (relay_order_preview_get_preview (order_preview));
    guint matcha = G_MAXUINT;

    for (guint i = 0; i < lines->len; i++)
      if (g_strcmp0 (((RelayPreviewLine *) g_ptr_array_index (lines, i))->store_sku, "TEA-MATCHA-CER") == 0)
        matcha = i;
    g_assert_cmpuint (matcha, !=, G_MAXUINT);
    g_assert_nonnull (((RelayPreviewLine *) g_ptr_array_index (lines, matcha))->store_variant_id);
    gtk_widget_activate_action (GTK_WIDGET (page), "testorder.add-alias", "u", matcha);
  }
  RELAY_TEST_ITERATE_UNTIL ((dialog = relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (dialog)), 5);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG,
                                                                                    "variant_check"))));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry")), "TEA-SEN-200");
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"), 10);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");
  RELAY_TEST_ITERATE_UNTIL ((preview = relay_setup_page_test_order_get_preview (page)) != NULL &&
                            strstr (preview, "!!") == NULL &&
                            !relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)), 20);

  /* TradeGecko's tax types are offered, and the preview shows both totals. */
  tax_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (page), RELAY_TYPE_SETUP_PAGE_TEST_ORDER,
                                                         "tax_type_row"));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_visible (GTK_WIDGET (tax_row)) &&
                            (preview = relay_setup_page_test_order_get_preview (page)) != NULL &&
                            strstr (preview, "· TradeGecko total") != NULL &&
                            !relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)), 20);
  tax_labels = adw_combo_row_get_model (tax_row);
  for (guint i = 0; i < g_list_model_get_n_items (tax_labels); i++)
    if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (tax_labels), i), "VAT 20%") != NULL)
      vat = i;
  g_assert_cmpuint (vat, !=, G_MAXUINT);
  adw_combo_row_set_selected (tax_row, vat);
  g_assert_cmpint (g_settings_get_int64 (relay_setup_wizard_get_settings (wizard), "tax-type-id"), ==, 3);
  RELAY_TEST_ITERATE_UNTIL ((preview = relay_setup_page_test_order_get_preview (page)) != NULL &&
                            strstr (preview, "tax type VAT 20%") != NULL &&
                            !relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)), 20);
  g_settings_reset (relay_setup_wizard_get_settings (wizard), "tax-type-id");

  /* In the demo's store, which the engine reads; the merchant's database is not even created. */
  alias = relay_store_lookup_item_alias (store, "TEA-MATCHA-CER", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (alias, ==, "TEA-SEN-200");
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));

  g_assert_true (relay_store_remove_item_alias (store, "TEA-MATCHA-CER", &error));
  g_assert_no_error (error);
}

static void
test_demo (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *state = g_build_filename (dir, "demo.sqlite3", NULL);
  g_autofree char *user_url = NULL;
  RelaySetupWizard *wizard;
  RelaySandbox *sandbox;
  RelayWindow *window;
  GSettings *settings;
  g_autoptr(GSettings) user_settings = g_settings_new (APP_ID);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  relay_application_set_state_path (app, state);
  user_url = g_settings_get_string (user_settings, "squarespace-url");

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* What --demo does at start-up. */
  g_assert_true (relay_application_start_demo (app, &error));
  g_assert_no_error (error);
  sandbox = relay_application_get_sandbox (app);
  g_assert_nonnull (sandbox);
  relay_sandbox_set_auto_ship_delay (sandbox, 2);

  /* The demo's settings are its own: the merchant's are untouched. */
  settings = relay_application_get_settings (app);
  g_assert_false (settings == user_settings);
  {
    g_autofree char *demo_url = g_settings_get_string (settings, "squarespace-url");
    g_autofree char *user_after = g_settings_get_string (user_settings, "squarespace-url");

    g_assert_cmpstr (demo_url, ==, relay_sandbox_get_squarespace_url (sandbox));
    g_assert_cmpstr (user_after, ==, user_url);
  }

  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 760);

  /* The wizard opens pre-filled for the sandbox. */
  g_application_activate (G_APPLICATION (app));
  RELAY_TEST_ITERATE_UNTIL ((wizard = RELAY_SETUP_WIZARD (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD))) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (wizard)), 10);
  g_assert_true (relay_setup_wizard_get_demo (wizard));
  g_assert_cmpstr (relay_setup_wizard_get_squarespace_url (wizard), ==, relay_sandbox_get_squarespace_url (sandbox));
  g_assert_cmpstr (relay_setup_wizard_get_tradegecko_url (wizard), ==, relay_sandbox_get_tradegecko_url (sandbox));
  window = RELAY_WINDOW (relay_test_find_window_of_type (RELAY_TYPE_WINDOW));
  g_assert_cmpstr (relay_window_get_visible_page_name (window), ==, "not-connected");
  /* The demo says it is one. */
  g_assert_true (relay_window_get_demo (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Order Relay Demo");

  /* An alias added on the wizard's test-order page lands in the demo's store. */
  add_alias_from_wizard (app, wizard);

  /* The wizard ends with both sandbox keys in the keyring, under the sandbox's URLs. */
  test_store_keys (relay_sandbox_get_squarespace_url (sandbox), RELAY_SANDBOX_SQUARESPACE_KEY,
                   relay_sandbox_get_tradegecko_url (sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  g_signal_emit_by_name (wizard, "finished");
  gtk_window_destroy (GTK_WINDOW (wizard));

  /* Orders flow through all four stages, and one waits for an alias. */
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_connected (window), 10);
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_flow_count (window, "at_tradegecko") > 0 &&
                            relay_window_get_flow_count (window, "attention") > 0, 60);
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_flow_count (window, "confirmed") > 0, 90);
  g_assert_cmpuint (relay_window_get_flow_count (window, "all"), >=, 20);
  g_assert_cmpstr (relay_window_get_visible_page_name (window), ==, "list");
  relay_test_wait_until_settled (GTK_WIDGET (window));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (window)), 5);
  {
    g_autofree char *path = relay_test_save_screenshot (GTK_WIDGET (window), "window-demo-list");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  {
    RelayStore *store = relay_application_get_store (app);
    g_autoptr(GArray) keys = relay_store_dup_order_keys (store, RELAY_STAGE_MASK (RELAY_STAGE_REJECTED), "Hannah",
                                                         RELAY_ORDER_SORT_CREATED, TRUE, &error);
    g_autoptr(GPtrArray) rows = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (keys->len, ==, 1);
    rows = relay_store_dup_orders_by_keys (store, (const gint64 *) (gpointer) keys->data, 1, &error);
    relay_window_show_order (window, ((RelayOrderRow *) g_ptr_array_index (rows, 0))->squarespace_id);
  }
  relay_test_wait_until_settled (GTK_WIDGET (window));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (window)), 5);
  {
    g_autofree char *path = relay_test_save_screenshot (GTK_WIDGET (window), "window-demo");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_iterate_pending ();
  g_clear_object (&app);
  test_remove_state_dir (dir);
}

/* ------------------------------------------------------------------------ */
/* Real processes: `order-relay --demo` twice, then a plain launch           */

static gboolean
bus_name_owned (const char *name)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  g_assert_nonnull (bus);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

static void
process_exited_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static GSubprocess *
spawn_app (GSubprocessLauncher *launcher,
           gboolean            *exited,
           const char          *argument)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ORDER_RELAY_BIN"), argument, NULL);
  g_assert_no_error (error);
  *exited = FALSE;
  g_subprocess_wait_async (process, NULL, process_exited_cb, exited);

  return process;
}

static guint64
inode_of (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return (guint64) buf.st_ino;
}

static void
test_second_demo_presents_the_first (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *cache = test_make_temp_dir ();
  g_autofree char *data = test_make_temp_dir ();
  g_autofree char *demo_state = g_build_filename (cache, "order-relay", "demo-state.sqlite3", NULL);
  g_autofree char *real_state_dir = g_build_filename (data, "order-relay", NULL);
  g_autoptr(GSubprocess) demo = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) plain = NULL;
  gboolean demo_exited, second_exited, plain_exited;
  guint64 inode;

  g_assert_nonnull (g_getenv ("ORDER_RELAY_BIN"));
  g_assert_false (bus_name_owned (APP_ID));
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);

  demo = spawn_app (launcher, &demo_exited, "--demo");
  RELAY_TEST_ITERATE_UNTIL (g_file_test (demo_state, G_FILE_TEST_EXISTS) && bus_name_owned (APP_ID ".Demo"), 30);
  inode = inode_of (demo_state);

  /* A second --demo hands over to the running one and leaves its files alone. */
  second = spawn_app (launcher, &second_exited, "--demo");
  RELAY_TEST_ITERATE_UNTIL (second_exited, 30);
  g_assert_true (g_subprocess_get_successful (second));
  g_assert_false (demo_exited);
  g_assert_true (g_file_test (demo_state, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (inode_of (demo_state), ==, inode);

  /* A plain launch during the demo presents the demo: no real instance beside it. */
  plain = spawn_app (launcher, &plain_exited, NULL);
  RELAY_TEST_ITERATE_UNTIL (plain_exited, 30);
  g_assert_true (g_subprocess_get_successful (plain));
  g_assert_false (bus_name_owned (APP_ID));
  g_assert_false (g_file_test (real_state_dir, G_FILE_TEST_EXISTS));
  g_assert_false (demo_exited);
  g_assert_cmpuint (inode_of (demo_state), ==, inode);

  g_subprocess_send_signal (demo, SIGTERM);
  RELAY_TEST_ITERATE_UNTIL (demo_exited, 30);
  test_remove_state_dir (real_state_dir);
  {
    g_autofree char *demo_dir = g_path_get_dirname (demo_state);

    test_remove_state_dir (demo_dir);
  }
  g_rmdir (cache);
  g_rmdir (data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  int status;

  /* A data directory of this program's own, set before GLib first reads it:
   * the test checks that the demo creates no database at the default place. */
  data_dir = g_dir_make_tmp ("order-relay-demo-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_dir);

  g_test_add_func ("/window-demo/flows", test_demo);
  g_test_add_func ("/window-demo/second-demo-presents-the-first", test_second_demo_presents_the_first);

  status = g_test_run ();
  /* Left in place if the toolkit put something there. */
  g_rmdir (data_dir);
  return status;
}
