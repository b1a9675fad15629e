/* test-setup-wizard.c — the setup wizard, driven through its actions against the sandbox
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "relay-alias-dialog.h"
#include "relay-application.h"
#include "relay-order-preview.h"
#include "relay-preferences-window.h"
#include "relay-tradegecko.h"
#include "relay-sandbox.h"
#include "relay-sku-check-view.h"
#include "relay-setup-key-page.h"
#include "relay-setup-page.h"
#include "relay-setup-page-test-order.h"
#include "relay-store.h"
#include "relay-setup-wizard.h"
#include "relay-test-utils.h"
#include "relay-window.h"

/* One application per test program: GApplication exports itself on the session bus once. */
static RelayApplication *test_app;
static RelaySandbox *sandbox;

/* The app's keyring schema, written out independently of RelayCredentials so the
 * tests check what really is in the keyring. */
static const SecretSchema relay_schema = {
  "io.github.orderrelay.OrderRelay", SECRET_SCHEMA_NONE,
  {
    { "store", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "NULL", 0 },
  }
};

typedef struct
{
  GSettings        *settings;
  char             *state_dir;
  RelayStore       *store;
  RelaySetupWizard *wizard;
  guint             finished;
} Fixture;

typedef enum
{
  WIZARD_SANDBOX,
  WIZARD_CLOSED_PORT,
} WizardTarget;

/* Keyring helpers */

static char *
keyring_lookup (const char *store,
                const char *account)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (&relay_schema, NULL, &error,
                                        "store", store, "account", account, NULL);
  g_assert_no_error (error);
  return secret;
}

/* Every account (API base URL) a wizard of this program may have stored a key for. Only
 * those are cleared: other test programs use the same keyring at the same time. */
static GPtrArray *used_accounts;

static void
remember_account (const char *account)
{
  if (!g_ptr_array_find_with_equal_func (used_accounts, account, g_str_equal, NULL))
    g_ptr_array_add (used_accounts, g_strdup (account));
}

static void
keyring_clear_all (void)
{
  for (guint i = 0; i < used_accounts->len; i++)
    {
      g_autoptr(GError) error = NULL;

      secret_password_clear_sync (&relay_schema, NULL, &error,
                                  "account", g_ptr_array_index (used_accounts, i), NULL);
      g_assert_no_error (error);
    }
}

static void
keyring_store (const char *store,
               const char *account,
               const char *key)
{
  g_autoptr(GError) error = NULL;

  secret_password_store_sync (&relay_schema, SECRET_COLLECTION_DEFAULT, "Order Relay test key", key,
                              NULL, &error, "store", store, "account", account, NULL);
  g_assert_no_error (error);
}

/* Wizard helpers */

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

static RelaySetupKeyPage *
get_key_page (Fixture    *fixture,
              const char *name)
{
  return RELAY_SETUP_KEY_PAGE (get_page (fixture, name));
}

static GtkEditable *
get_key_entry (RelaySetupKeyPage *page)
{
  GObject *row = gtk_widget_get_template_child (GTK_WIDGET (page), RELAY_TYPE_SETUP_KEY_PAGE, "key_row");

  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

static GtkWidget *
get_page_child (RelaySetupPage *page,
                GType           type,
                const char     *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
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
wait_until_idle (RelaySetupPage *page)
{
  RELAY_TEST_ITERATE_UNTIL (!relay_setup_page_get_busy (page) && !relay_setup_page_get_applying (page), 20);
}

static void
go_next (Fixture *fixture)
{
  g_autofree char *before = g_strdup (visible_page (fixture));

  wait_until_idle (get_page (fixture, before));
  g_assert_true (next_enabled (fixture));
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  RELAY_TEST_ITERATE_UNTIL (fixture->wizard == NULL || g_strcmp0 (visible_page (fixture), before) != 0, 20);
  if (fixture->wizard != NULL)
    wait_until_idle (get_page (fixture, visible_page (fixture)));
}

static void
go_to (Fixture    *fixture,
       const char *name)
{
  while (g_strcmp0 (visible_page (fixture), name) != 0)
    go_next (fixture);
}

static void
verify (Fixture           *fixture,
        RelaySetupKeyPage *page)
{
  g_assert_true (relay_setup_page_get_can_verify (RELAY_SETUP_PAGE (page)));
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.verify", NULL);
  g_assert_true (relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)));
  wait_until_idle (RELAY_SETUP_PAGE (page));
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

  /* The stack's slide transition ends before the picture is taken. */
  relay_test_wait_until_settled (GTK_WIDGET (fixture->wizard));
  path = relay_test_save_screenshot (GTK_WIDGET (fixture->wizard), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A loopback port nothing listens on. */
static char *
dup_closed_port_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* A temporary state directory: the database and its -wal and -shm files. */
static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  if (dir == NULL)
    return;

  handle = g_dir_open (dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  WizardTarget target = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;

  keyring_clear_all ();
  relay_sandbox_clear_faults (sandbox);

  /* The wizard works on the store it is given, here one on a temporary file. */
  fixture->state_dir = g_dir_make_tmp ("order-relay-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  state = g_build_filename (fixture->state_dir, "state.db", NULL);
  fixture->store = relay_store_open (state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  fixture->settings = g_settings_new (APP_ID);
  {
    g_autoptr(RelayContext) context = relay_context_new (fixture->settings, TRUE);

    fixture->wizard = relay_setup_wizard_new (NULL, context, fixture->store);
  }
  g_assert_true (relay_setup_wizard_get_store (fixture->wizard) == fixture->store);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
  g_signal_connect (fixture->wizard, "finished", G_CALLBACK (wizard_finished_cb), fixture);

  if (target == WIZARD_SANDBOX)
    {
      relay_setup_wizard_set_demo (fixture->wizard,
                                   relay_sandbox_get_squarespace_url (sandbox),
                                   relay_sandbox_get_tradegecko_url (sandbox));
    }
  else if (target == WIZARD_CLOSED_PORT)
    {
      g_autofree char *closed = dup_closed_port_url ();

      remember_account (closed);
      relay_setup_wizard_set_demo (fixture->wizard, closed, closed);
    }

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
  g_clear_object (&fixture->store);
  remove_tree (fixture->state_dir);
  g_clear_pointer (&fixture->state_dir, g_free);
  keyring_clear_all ();
}

static AdwMessageDialog *
wait_for_discard_dialog (void)
{
  GtkWindow *dialog = NULL;

  RELAY_TEST_ITERATE_UNTIL ((dialog = relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (dialog)), 5);
  return ADW_MESSAGE_DIALOG (dialog);
}

static gboolean
bytes_contain (const char *haystack,
               gsize       length,
               const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

/* Does any file below @dir contain @needle? */
static gboolean
tree_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return FALSE;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (path, needle))
            return TRUE;
          continue;
        }
      if (g_file_get_contents (path, &contents, &length, NULL) &&
          bytes_contain (contents, length, needle))
        return TRUE;
    }

  return FALSE;
}

static void
assert_key_stored_nowhere_else (Fixture    *fixture,
                                const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) names = NULL;

  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  names = g_settings_schema_list_keys (schema);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, names[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, key));
    }

  g_assert_false (tree_contains (g_get_user_data_dir (), key));
  g_assert_false (tree_contains (g_get_user_config_dir (), key));
}

/* Tests */

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
  RelaySetupPage *tradegecko = get_page (fixture, "tradegecko");

  /* Back does nothing on the first page. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.back", NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "welcome");

  go_next (fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "tradegecko");
  g_assert_true (back_enabled (fixture));
  g_assert_true (gtk_widget_get_visible (get_wizard_child (fixture, "back_button")));

  /* The key entry has an accessible name. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (get_key_entry (RELAY_SETUP_KEY_PAGE (tradegecko))),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Privileged access _token");

  /* No key yet: Next stays disabled and the action does nothing. */
  gtk_editable_set_text (get_key_entry (RELAY_SETUP_KEY_PAGE (tradegecko)), "");
  g_assert_false (relay_setup_page_get_complete (tradegecko));
  g_assert_false (next_enabled (fixture));
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  relay_test_iterate_pending ();
  g_assert_cmpstr (visible_page (fixture), ==, "tradegecko");

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.back", NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "welcome");
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
  relay_test_iterate_pending ();
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
test_happy_path (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *tradegecko_url = relay_sandbox_get_tradegecko_url (sandbox);
  const char *squarespace_url = relay_sandbox_get_squarespace_url (sandbox);
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  RelaySetupKeyPage *squarespace = get_key_page (fixture, "squarespace");
  RelaySetupPage *done;
  g_autofree char *stored_token = NULL;
  g_autofree char *stored_key = NULL;
  const char *status;

  go_next (fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "tradegecko");

  /* Demo mode pre-fills the sandbox token; the merchant pastes one with a stray newline. */
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (tradegecko)), ==, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  gtk_editable_set_text (get_key_entry (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN "\n");
  g_assert_false (next_enabled (fixture));
  save_screenshot (fixture, "setup-tradegecko");

  verify (fixture, tradegecko);
  status = relay_setup_key_page_get_status (tradegecko);
  g_assert_false (relay_setup_key_page_get_failed (tradegecko));
  g_assert_nonnull (strstr (status, "Connected to"));
  g_assert_true (next_enabled (fixture));
  /* Verified, not stored yet. */
  g_assert_null (keyring_lookup ("tradegecko", tradegecko_url));
  save_screenshot (fixture, "setup-tradegecko-verified");

  go_next (fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "squarespace");
  stored_token = keyring_lookup ("tradegecko", tradegecko_url);
  g_assert_cmpstr (stored_token, ==, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  /* The entry is cleared once the key is in the keyring. */
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (tradegecko)), ==, "");
  g_assert_true (relay_setup_key_page_get_stored (tradegecko));

  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (squarespace)), ==, RELAY_SANDBOX_SQUARESPACE_KEY);
  save_screenshot (fixture, "setup-squarespace");
  verify (fixture, squarespace);
  g_assert_false (relay_setup_key_page_get_failed (squarespace));
  go_next (fixture);
  stored_key = keyring_lookup ("squarespace", squarespace_url);
  g_assert_cmpstr (stored_key, ==, RELAY_SANDBOX_SQUARESPACE_KEY);
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (squarespace)), ==, "");

  go_to (fixture, "test-order");
  {
    RelaySetupPageTestOrder *test_order = RELAY_SETUP_PAGE_TEST_ORDER (get_page (fixture, "test-order"));

    /* The oldest open order is previewed, and nothing is sent to TradeGecko. */
    wait_until_idle (RELAY_SETUP_PAGE (test_order));
    g_assert_cmpuint (relay_setup_page_test_order_get_n_orders (test_order), >, 0);
    g_assert_nonnull (relay_setup_page_test_order_get_preview (test_order));
    g_assert_nonnull (strstr (relay_setup_page_test_order_get_preview (test_order), "[TradeGecko SKU "));
    g_assert_true (next_enabled (fixture));
    save_screenshot (fixture, "setup-test-order");
  }

  go_to (fixture, "done");
  done = get_page (fixture, "done");
  g_assert_true (relay_setup_page_get_complete (done));
  g_assert_false (gtk_widget_get_visible (get_wizard_child (fixture, "next_button")));
  {
    AdwActionRow *row = ADW_ACTION_ROW (get_page_child (done, G_OBJECT_TYPE (done), "squarespace_row"));

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Connected to"));
  }
  save_screenshot (fixture, "setup-done");

  /* "Start Syncing" finishes the wizard. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  RELAY_TEST_ITERATE_UNTIL (fixture->wizard == NULL, 10);
  g_assert_cmpuint (fixture->finished, ==, 1);

  assert_key_stored_nowhere_else (fixture, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  assert_key_stored_nowhere_else (fixture, RELAY_SANDBOX_SQUARESPACE_KEY);
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  const char *status;

  go_next (fixture);
  gtk_editable_set_text (get_key_entry (tradegecko), "not-a-real-token");
  verify (fixture, tradegecko);

  g_assert_true (relay_setup_key_page_get_failed (tradegecko));
  status = relay_setup_key_page_get_status (tradegecko);
  g_assert_true (g_str_has_prefix (status, "This key does not work\n"));
  g_assert_nonnull (strstr (status, "refused this token"));
  g_assert_cmpstr (visible_page (fixture), ==, "tradegecko");
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (tradegecko)), ==, "not-a-real-token");
  g_assert_false (next_enabled (fixture));
  save_screenshot (fixture, "setup-tradegecko-wrong-token");

  /* Correcting the token clears the error and can be verified again. */
  gtk_editable_set_text (get_key_entry (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  verify (fixture, tradegecko);
  g_assert_false (relay_setup_key_page_get_failed (tradegecko));
  g_assert_true (next_enabled (fixture));
}

static void
test_read_only_key (Fixture       *fixture,
                    gconstpointer  data)
{
  RelaySetupKeyPage *squarespace = get_key_page (fixture, "squarespace");
  const char *status;

  go_to (fixture, "tradegecko");
  verify (fixture, get_key_page (fixture, "tradegecko"));
  go_next (fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "squarespace");

  gtk_editable_set_text (get_key_entry (squarespace), RELAY_SANDBOX_SQUARESPACE_READONLY_KEY);
  verify (fixture, squarespace);

  g_assert_true (relay_setup_key_page_get_failed (squarespace));
  status = relay_setup_key_page_get_status (squarespace);
  g_assert_nonnull (strstr (status, "read-only"));
  g_assert_nonnull (strstr (status, "Read and Write"));
  g_assert_false (next_enabled (fixture));
  g_assert_null (keyring_lookup ("squarespace", relay_sandbox_get_squarespace_url (sandbox)));
  save_screenshot (fixture, "setup-squarespace-read-only");
}

/* A key made without Inventory write connects, and says how to get one that can set stock. */
static void
test_key_without_inventory (Fixture       *fixture,
                            gconstpointer  data)
{
  RelaySetupKeyPage *squarespace = get_key_page (fixture, "squarespace");
  const char *status;

  go_to (fixture, "tradegecko");
  verify (fixture, get_key_page (fixture, "tradegecko"));
  go_next (fixture);

  gtk_editable_set_text (get_key_entry (squarespace), RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY);
  verify (fixture, squarespace);
  g_assert_false (relay_setup_key_page_get_failed (squarespace));
  status = relay_setup_key_page_get_status (squarespace);
  g_assert_nonnull (strstr (status, "cannot change stock"));
  g_assert_nonnull (strstr (status, "Inventory"));
  g_assert_true (next_enabled (fixture));
  save_screenshot (fixture, "setup-squarespace-no-inventory");

  gtk_editable_set_text (get_key_entry (squarespace), RELAY_SANDBOX_SQUARESPACE_KEY);
  verify (fixture, squarespace);
  g_assert_nonnull (strstr (relay_setup_key_page_get_status (squarespace), "may also change stock"));
}

static void
test_network_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  const char *status;

  go_next (fixture);
  gtk_editable_set_text (get_key_entry (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  verify (fixture, tradegecko);

  g_assert_true (relay_setup_key_page_get_failed (tradegecko));
  status = relay_setup_key_page_get_status (tradegecko);
  g_assert_true (g_str_has_prefix (status, "The key could not be checked\n"));
  g_assert_true (strstr (status, "could not be reached") != NULL || strstr (status, "offline") != NULL);
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (tradegecko)), ==, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  g_assert_false (next_enabled (fixture));
}

static void
test_cancel_verification (Fixture       *fixture,
                          gconstpointer  data)
{
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  RelaySetupPage *page = RELAY_SETUP_PAGE (tradegecko);

  go_next (fixture);

  /* The account call hangs for far longer than the test waits. */
  relay_sandbox_add_fault (sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", "/accounts",
                           RELAY_SANDBOX_FAULT_DELAY, 60000, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.verify", NULL);
  g_assert_true (relay_setup_page_get_busy (page));
  g_assert_false (next_enabled (fixture));
  g_assert_true (gtk_widget_get_visible (get_wizard_child (fixture, "spinner")));
  relay_test_wait_until_settled (GTK_WIDGET (fixture->wizard));
  g_assert_true (relay_setup_page_get_busy (page));

  /* Escape stops the check rather than asking to discard the wizard. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.cancel", NULL);
  RELAY_TEST_ITERATE_UNTIL (!relay_setup_page_get_busy (page), 5);
  g_assert_null (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (relay_setup_key_page_get_status (tradegecko), "stopped"));
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (tradegecko)), ==, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  g_assert_false (next_enabled (fixture));

  /* The same with the Stop action, then a check that goes through. */
  relay_sandbox_add_fault (sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", "/accounts",
                           RELAY_SANDBOX_FAULT_DELAY, 60000, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.verify", NULL);
  g_assert_true (relay_setup_page_get_busy (page));
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.stop", NULL);
  RELAY_TEST_ITERATE_UNTIL (!relay_setup_page_get_busy (page), 5);

  relay_sandbox_clear_faults (sandbox);
  verify (fixture, tradegecko);
  g_assert_false (relay_setup_key_page_get_failed (tradegecko));
  g_assert_true (next_enabled (fixture));
}

static void
test_rerun_and_disconnect (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *tradegecko_url = relay_sandbox_get_tradegecko_url (sandbox);
  const char *squarespace_url = relay_sandbox_get_squarespace_url (sandbox);
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  RelaySetupKeyPage *squarespace = get_key_page (fixture, "squarespace");
  g_autofree char *still_there = NULL;
  g_autofree char *gone = NULL;

  /* As left by an earlier run of the wizard. */
  keyring_store ("tradegecko", tradegecko_url, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  keyring_store ("squarespace", squarespace_url, RELAY_SANDBOX_SQUARESPACE_KEY);

  go_next (fixture);
  /* The stored token is checked and shown; the entry stays empty. */
  g_assert_true (relay_setup_key_page_get_stored (tradegecko));
  g_assert_cmpstr (gtk_editable_get_text (get_key_entry (tradegecko)), ==, "");
  g_assert_true (relay_setup_page_get_complete (RELAY_SETUP_PAGE (tradegecko)));
  g_assert_true (gtk_widget_get_visible (get_page_child (RELAY_SETUP_PAGE (tradegecko), RELAY_TYPE_SETUP_KEY_PAGE,
                                                         "stored_group")));
  save_screenshot (fixture, "setup-tradegecko-connected");
  go_next (fixture);

  g_assert_cmpstr (visible_page (fixture), ==, "squarespace");
  g_assert_true (relay_setup_key_page_get_stored (squarespace));
  gtk_widget_activate_action (GTK_WIDGET (squarespace), "key.disconnect", NULL);
  wait_until_idle (RELAY_SETUP_PAGE (squarespace));

  g_assert_false (relay_setup_key_page_get_stored (squarespace));
  gone = keyring_lookup ("squarespace", squarespace_url);
  g_assert_null (gone);
  still_there = keyring_lookup ("tradegecko", tradegecko_url);
  g_assert_cmpstr (still_there, ==, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  g_assert_false (relay_setup_page_get_complete (RELAY_SETUP_PAGE (squarespace)));
  g_assert_false (next_enabled (fixture));
  g_assert_nonnull (strstr (relay_setup_key_page_get_status (squarespace), "removed"));

  /* Replacing: a new key is verified and stored under the same account. */
  gtk_editable_set_text (get_key_entry (squarespace), RELAY_SANDBOX_SQUARESPACE_KEY);
  verify (fixture, squarespace);
  go_next (fixture);
  g_clear_pointer (&gone, g_free);
  gone = keyring_lookup ("squarespace", squarespace_url);
  g_assert_cmpstr (gone, ==, RELAY_SANDBOX_SQUARESPACE_KEY);
}

static void
test_flow_settings_saved_on_next (Fixture       *fixture,
                                  gconstpointer  data)
{
  RelaySetupPage *flow;
  GtkSpinButton *lookback;
  AdwComboRow *order_status;
  GtkSwitch *notify;
  g_autofree char *status = NULL;

  go_to (fixture, "tradegecko");
  verify (fixture, get_key_page (fixture, "tradegecko"));
  go_next (fixture);
  verify (fixture, get_key_page (fixture, "squarespace"));
  go_next (fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "flow");

  flow = get_page (fixture, "flow");
  lookback = GTK_SPIN_BUTTON (get_page_child (flow, G_OBJECT_TYPE (flow), "lookback_spin"));
  order_status = ADW_COMBO_ROW (get_page_child (flow, G_OBJECT_TYPE (flow), "order_status_row"));
  notify = GTK_SWITCH (get_page_child (flow, G_OBJECT_TYPE (flow), "notify_switch"));

  /* The controls show the current settings, and every one has a name. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (lookback), ==, 14);
  g_assert_cmpuint (adw_combo_row_get_selected (order_status), ==, 0);
  g_assert_true (gtk_switch_get_active (notify));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (notify), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Email customers about shipments");
  save_screenshot (fixture, "setup-flow");

  gtk_spin_button_set_value (lookback, 30);
  adw_combo_row_set_selected (order_status, 1);
  gtk_switch_set_active (notify, FALSE);

  /* Nothing is written before the merchant moves on. */
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "initial-lookback-days"), ==, 14);

  go_next (fixture);

  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "initial-lookback-days"), ==, 30);
  status = g_settings_get_string (fixture->settings, "tradegecko-order-status");
  g_assert_cmpstr (status, ==, "draft");
  g_assert_false (g_settings_get_boolean (fixture->settings, "notify-customer"));

  g_settings_reset (fixture->settings, "initial-lookback-days");
  g_settings_reset (fixture->settings, "tradegecko-order-status");
  g_settings_reset (fixture->settings, "notify-customer");
}

static void
test_enter_verifies_then_moves_on (Fixture       *fixture,
                                   gconstpointer  data)
{
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  GtkEditable *entry = get_key_entry (tradegecko);

  go_next (fixture);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (entry)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->wizard)), GTK_WIDGET (entry)));

  /* Enter in the entry verifies the key… */
  g_signal_emit_by_name (entry, "entry-activated");
  g_assert_true (relay_setup_page_get_busy (RELAY_SETUP_PAGE (tradegecko)));
  wait_until_idle (RELAY_SETUP_PAGE (tradegecko));
  g_assert_false (relay_setup_key_page_get_failed (tradegecko));

  /* …and once it is verified, moves on. */
  g_signal_emit_by_name (entry, "entry-activated");
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (visible_page (fixture), "squarespace") == 0, 10);
}

static void
test_stored_key_no_longer_works (Fixture       *fixture,
                                 gconstpointer  data)
{
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");

  /* A token revoked since it was stored. */
  keyring_store ("tradegecko", relay_sandbox_get_tradegecko_url (sandbox), "revoked-token");

  go_next (fixture);
  g_assert_true (relay_setup_key_page_get_stored (tradegecko));
  g_assert_true (relay_setup_key_page_get_failed (tradegecko));
  g_assert_nonnull (strstr (relay_setup_key_page_get_status (tradegecko), "stored key does not work"));
  g_assert_false (next_enabled (fixture));
}

static void
test_stopped_stored_key_check_is_retried (Fixture       *fixture,
                                          gconstpointer  data)
{
  RelaySetupKeyPage *tradegecko = get_key_page (fixture, "tradegecko");
  RelaySetupPage *page = RELAY_SETUP_PAGE (tradegecko);

  keyring_store ("tradegecko", relay_sandbox_get_tradegecko_url (sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  relay_sandbox_add_fault (sandbox, RELAY_SANDBOX_API_TRADEGECKO, "GET", "/accounts",
                           RELAY_SANDBOX_FAULT_DELAY, 60000, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.next", NULL);
  RELAY_TEST_ITERATE_UNTIL (relay_setup_key_page_get_stored (tradegecko) && relay_setup_page_get_busy (page), 10);
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.stop", NULL);
  RELAY_TEST_ITERATE_UNTIL (!relay_setup_page_get_busy (page), 5);
  g_assert_nonnull (strstr (relay_setup_key_page_get_status (tradegecko), "not checked"));
  g_assert_false (next_enabled (fixture));

  /* Coming back to the page checks the stored token again. */
  relay_sandbox_clear_faults (sandbox);
  gtk_widget_activate_action (GTK_WIDGET (fixture->wizard), "wizard.back", NULL);
  go_next (fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "tradegecko");
  g_assert_true (relay_setup_page_get_complete (page));
  g_assert_true (next_enabled (fixture));
}

static void
test_site_expired (Fixture       *fixture,
                   gconstpointer  data)
{
  RelaySetupKeyPage *squarespace = get_key_page (fixture, "squarespace");

  go_to (fixture, "tradegecko");
  verify (fixture, get_key_page (fixture, "tradegecko"));
  go_next (fixture);

  relay_sandbox_set_site_expired (sandbox, TRUE);
  verify (fixture, squarespace);
  relay_sandbox_set_site_expired (sandbox, FALSE);

  g_assert_true (relay_setup_key_page_get_failed (squarespace));
  g_assert_nonnull (strstr (relay_setup_key_page_get_status (squarespace), "lapsed"));
  g_assert_false (next_enabled (fixture));
}


/* The window the test step opens for the SKU check (the wizard is an AdwWindow too). */
static GtkWindow *
find_sku_check_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (relay_test_find_named (GTK_WIDGET (window), "sku-check-view") != NULL)
        return window;
    }
  return NULL;
}

static void
test_test_order_alias (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *order_id = NULL;
  g_autofree char *default_path = relay_store_get_default_path ();
  g_autofree char *alias = NULL;
  g_autoptr(GHashTable) aliases = NULL;
  RelaySetupPageTestOrder *page;
  AdwMessageDialog *dialog;
  GtkWindow *window = NULL;
  guint n;
  const char *preview;

  /* A new order with a SKU TradeGecko does not know. */
  json_parser_load_from_data (parser,
                              "{\"customerEmail\": \"mia@example.com\","
                              " \"shippingAddress\": {\"firstName\": \"Mia\", \"lastName\": \"Park\", \"address1\": \"4 Elm St\","
                              "                       \"city\": \"Salem\", \"postalCode\": \"97301\", \"countryCode\": \"US\"},"
                              " \"lineItems\": [{\"sku\": \"MYSTERY-MUG\", \"productName\": \"Mystery Mug\","
                              "                  \"quantity\": 1, \"unitPricePaid\": {\"value\": \"9.00\", \"currency\": \"USD\"}}]}",
                              -1, &error);
  g_assert_no_error (error);
  order_id = relay_sandbox_add_squarespace_order (sandbox, json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (order_id);

  /* This program has a data directory of its own (see main()): nothing made this file. */
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));

  go_to (fixture, "tradegecko");
  verify (fixture, get_key_page (fixture, "tradegecko"));
  go_next (fixture);
  verify (fixture, get_key_page (fixture, "squarespace"));
  go_to (fixture, "test-order");

  page = RELAY_SETUP_PAGE_TEST_ORDER (get_page (fixture, "test-order"));
  wait_until_idle (RELAY_SETUP_PAGE (page));
  n = relay_setup_page_test_order_get_n_orders (page);
  g_assert_cmpuint (n, >, 0);

  /* The newest order is the last one offered. */
  relay_setup_page_test_order_select (page, n - 1);
  RELAY_TEST_ITERATE_UNTIL ((preview = relay_setup_page_test_order_get_preview (page)) != NULL &&
                            strstr (preview, "Mystery Mug") != NULL &&
                            !relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)), 20);
  g_assert_nonnull (strstr (preview, "!!"));
  g_assert_nonnull (strstr (relay_setup_page_test_order_get_status (page), "MYSTERY-MUG"));
  save_screenshot (fixture, "setup-test-order-unknown-sku");

  /* The failing line is marked, and its "Add Alias…" asks for the TradeGecko SKU and previews the order again. */
  {
    RelayOrderPreview *shown = RELAY_ORDER_PREVIEW (gtk_widget_get_template_child (GTK_WIDGET (page), RELAY_TYPE_SETUP_PAGE_TEST_ORDER,
                                                                                   "order_preview"));
    GtkWidget *failing = relay_order_preview_get_line_row (shown, 0);

    g_assert_true (gtk_widget_has_css_class (failing, "failing-line"));
    g_assert_nonnull (relay_test_find_named (failing, "add-alias"));
    gtk_widget_activate (relay_test_find_named (failing, "add-alias"));
  }
  RELAY_TEST_ITERATE_UNTIL ((window = relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (window)), 5);
  dialog = ADW_MESSAGE_DIALOG (window);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry")), "CB-ETH-250");
  /* Checked in TradeGecko first: exactly one active item has the SKU. */
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (dialog, "add"), 10);
  adw_message_dialog_response (dialog, "add");

  RELAY_TEST_ITERATE_UNTIL ((preview = relay_setup_page_test_order_get_preview (page)) != NULL &&
                            strstr (preview, "[TradeGecko SKU CB-ETH-250, ") != NULL &&
                            !relay_setup_page_get_busy (RELAY_SETUP_PAGE (page)), 20);
  g_assert_null (strstr (preview, "!!"));
  g_assert_true (gtk_widget_has_css_class (relay_order_preview_get_line_row (RELAY_ORDER_PREVIEW (gtk_widget_get_template_child (
                   GTK_WIDGET (page), RELAY_TYPE_SETUP_PAGE_TEST_ORDER, "order_preview")), 0), "matched-line"));

  /* The alias is the merchant's, kept in the store the wizard was given, which the engine reads. */
  alias = relay_store_lookup_item_alias (fixture->store, "MYSTERY-MUG", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (alias, ==, "CB-ETH-250");
  aliases = relay_store_dup_item_aliases (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (aliases), ==, 1);

  /* The SKU check runs from this step too, over the same clients: the main window's view,
   * alone in a window, since there is no main window yet. */
  gtk_widget_activate_action (GTK_WIDGET (page), "testorder.check-skus", NULL);
  RELAY_TEST_ITERATE_UNTIL ((window = find_sku_check_window ()) != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  {
    RelaySkuCheckView *view = RELAY_SKU_CHECK_VIEW (relay_test_find_named (GTK_WIDGET (window), "sku-check-view"));

    RELAY_TEST_ITERATE_UNTIL (!relay_sku_check_view_get_checking (view) && relay_sku_check_view_count_rows (view) > 0, 30);
  }
  {
    g_autofree char *path = NULL;

    relay_test_wait_until_settled (GTK_WIDGET (window));
    RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (window)), 5);
    path = relay_test_save_screenshot (GTK_WIDGET (window), "setup-sku-check");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  gtk_window_destroy (window);

  /* No database of its own: nothing was created at the default place. */
  g_assert_false (g_file_test (default_path, G_FILE_TEST_EXISTS));

  relay_sandbox_cancel_squarespace_order (sandbox, order_id, &error);
  g_assert_no_error (error);
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
  relay_test_iterate_pending ();
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

static void
close_all_windows (void)
{
  GtkWindow *window;

  while ((window = relay_test_find_window_of_type (GTK_TYPE_WINDOW)) != NULL)
    {
      gtk_window_destroy (window);
      relay_test_iterate_pending ();
    }
}

static void
test_opens_when_a_key_is_missing (void)
{
  const char *tradegecko_url = relay_sandbox_get_tradegecko_url (sandbox);
  const char *squarespace_url = relay_sandbox_get_squarespace_url (sandbox);
  GtkWindow *wizard = NULL;
  guint connected = 0;
  gulong handler;

  /* The environment overrides the settings' API addresses. */
  g_setenv ("ORDER_RELAY_TRADEGECKO_URL", tradegecko_url, TRUE);
  g_setenv ("ORDER_RELAY_SQUARESPACE_URL", squarespace_url, TRUE);
  keyring_clear_all ();
  keyring_store ("tradegecko", tradegecko_url, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  handler = g_signal_connect (test_app, "stores-connected", G_CALLBACK (stores_connected_cb), &connected);

  /* Only one key: the wizard opens by itself over the new main window. */
  g_application_activate (G_APPLICATION (test_app));
  RELAY_TEST_ITERATE_UNTIL ((wizard = relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (wizard)), 10);
  g_assert_true (RELAY_IS_WINDOW (gtk_window_get_transient_for (wizard)));
  g_assert_cmpstr (relay_setup_wizard_get_tradegecko_url (RELAY_SETUP_WIZARD (wizard)), ==, tradegecko_url);
  g_assert_cmpuint (connected, ==, 0);
  close_all_windows ();

  /* Both keys: straight to syncing, no wizard. */
  keyring_store ("squarespace", squarespace_url, RELAY_SANDBOX_SQUARESPACE_KEY);
  g_application_activate (G_APPLICATION (test_app));
  RELAY_TEST_ITERATE_UNTIL (connected == 1, 10);
  relay_test_iterate_pending ();
  g_assert_null (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD));
  g_assert_nonnull (relay_test_find_window_of_type (RELAY_TYPE_WINDOW));

  g_signal_handler_disconnect (test_app, handler);
  close_all_windows ();
  keyring_clear_all ();
  g_unsetenv ("ORDER_RELAY_TRADEGECKO_URL");
  g_unsetenv ("ORDER_RELAY_SQUARESPACE_URL");
}

static GtkWidget *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A TradeGecko client of the sandbox's account, with its key. */
static RelayTradegecko *
new_sandbox_tradegecko (void)
{
  g_autoptr(GError) error = NULL;
  RelayTradegecko *tradegecko = relay_tradegecko_new_for_url (relay_sandbox_get_tradegecko_url (sandbox), &error);

  g_assert_no_error (error);
  relay_http_set_key (relay_tradegecko_get_http (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  return tradegecko;
}

/* Preferences over the connected TradeGecko account: the tax type and the
 * rate → tax type map are chosen by name; the map is saved by tax type id. */
static void
test_preferences_tax_types_by_name (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(RelayTradegecko) tradegecko = NULL;
  g_autoptr(GVariant) map = NULL;
  RelayPreferencesWindow *preferences;
  AdwComboRow *tax_type_row;
  GtkDropDown *dropdown;
  GtkEditable *rate_entry;
  GListModel *names;
  gint64 chosen_id = 0;

  tradegecko = new_sandbox_tradegecko ();
  g_settings_reset (settings, "tax-type-id");
  g_settings_reset (settings, "tax-rate-types");

  preferences = g_object_ref_sink (relay_preferences_window_new (settings, NULL));
  relay_preferences_window_set_destination (preferences, RELAY_ORDER_DESTINATION (tradegecko));
  tax_type_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW, "tax_type_row"));
  dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                           "tax_rate_type_dropdown"));
  rate_entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                            "tax_rate_entry"));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_visible (GTK_WIDGET (tax_type_row)), 20);

  /* Names, not numbers: the account's tax types after “TradeGecko's default (…)”. */
  names = adw_combo_row_get_model (tax_type_row);
  g_assert_cmpuint (g_list_model_get_n_items (names), >=, 2);
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), "TradeGecko’s default ("));
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    g_assert_true (g_ascii_isalpha (gtk_string_list_get_string (GTK_STRING_LIST (names), i)[0]));
  g_assert_cmpuint (adw_combo_row_get_selected (tax_type_row), ==, 0);
  adw_combo_row_set_selected (tax_type_row, 1);
  g_assert_cmpint (g_settings_get_int64 (settings, "tax-type-id"), >, 0);

  /* A rate mapped to the second tax type, written the German way. */
  gtk_drop_down_set_selected (dropdown, g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) > 1 ? 1 : 0);
  gtk_editable_set_text (rate_entry, "8,875");
  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.add-tax-rate", NULL);
  map = g_settings_get_value (settings, "tax-rate-types");
  g_assert_true (g_variant_lookup (map, "8.875", "x", &chosen_id));
  g_assert_cmpint (chosen_id, >, 0);
  g_assert_cmpstr (gtk_editable_get_text (rate_entry), ==, "");
  {
    g_autofree char *path = NULL;
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (tax_type_row), GTK_TYPE_SCROLLED_WINDOW);
    graphene_point_t at;

    gtk_window_present (GTK_WINDOW (preferences));
    RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (preferences)), 5);

    /* The tax rows in view. */
    relay_test_wait_until_settled (GTK_WIDGET (preferences));
    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (tax_type_row), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                             &GRAPHENE_POINT_INIT (0, 0), &at));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), at.y - 120);
    relay_test_wait_until_settled (GTK_WIDGET (preferences));
    RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (preferences)), 5);
    path = relay_test_save_screenshot (GTK_WIDGET (preferences), "preferences-tax-rates");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  /* The value the row shows is whole, not cut short with “…”. */
  {
    const char *shown = gtk_string_list_get_string (GTK_STRING_LIST (names), adw_combo_row_get_selected (tax_type_row));
    GtkWidget *label = find_label_with_text (GTK_WIDGET (tax_type_row), shown);

    g_assert_nonnull (label);
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  }

  /* Bad input says so and saves nothing. */
  gtk_editable_set_text (rate_entry, "twenty");
  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.add-tax-rate", NULL);
  g_clear_pointer (&map, g_variant_unref);
  map = g_settings_get_value (settings, "tax-rate-types");
  g_assert_cmpuint (g_variant_n_children (map), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.remove-tax-rate", "s", "8.875");
  g_clear_pointer (&map, g_variant_unref);
  map = g_settings_get_value (settings, "tax-rate-types");
  g_assert_cmpuint (g_variant_n_children (map), ==, 0);

  g_settings_reset (settings, "tax-type-id");
  g_settings_reset (settings, "tax-rate-types");
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_object_unref (preferences);
  relay_test_iterate_pending ();
}

/* The location index of @names whose text is @label, or GTK_INVALID_LIST_POSITION. */
static guint
find_choice (GListModel *names,
             const char *label)
{
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), label) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* Preferences over the connected TradeGecko account: the two location settings are chosen
 * by the location's name among the active ones that hold stock, and keep its id; 0 keeps
 * its schema meaning; a number TradeGecko does not offer stays editable as a number. */
static void
test_preferences_locations_by_name (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(RelayTradegecko) tradegecko = NULL;
  RelayPreferencesWindow *preferences;
  AdwComboRow *orders_row, *stock_row;
  GtkWidget *orders_number_row, *stock_number_row;
  GListModel *names;

  tradegecko = new_sandbox_tradegecko ();
  g_settings_reset (settings, "stock-location-id");
  /* Showroom: a location that holds no stock, so it is not offered. */
  g_settings_set_int64 (settings, "stock-sync-location-id", 3);

  preferences = g_object_ref_sink (relay_preferences_window_new (settings, NULL));
  orders_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                             "stock_location_row"));
  stock_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                            "stock_sync_location_row"));
  orders_number_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                                 "stock_location_number_row"));
  stock_number_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                                "stock_sync_location_number_row"));

  /* Not connected: the numbers. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (orders_row)));
  g_assert_true (gtk_widget_get_visible (orders_number_row));

  relay_preferences_window_set_destination (preferences, RELAY_ORDER_DESTINATION (tradegecko));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_visible (GTK_WIDGET (orders_row)), 20);
  /* The primary location's name arrives with the account. */
  RELAY_TEST_ITERATE_UNTIL (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (orders_row)), 0),
                                              "TradeGecko’s primary location ("), 20);
  g_assert_false (gtk_widget_get_visible (orders_number_row));

  /* Names, not numbers: the primary location first, then the active stock-holding ones. */
  names = adw_combo_row_get_model (orders_row);
  g_assert_cmpuint (adw_combo_row_get_selected (orders_row), ==, 0);
  g_assert_cmpuint (find_choice (names, "Showroom"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (find_choice (names, "Old Depot"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (find_choice (names, "Main Warehouse"), !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (find_choice (names, "East Warehouse"), !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (orders_row, find_choice (names, "East Warehouse"));
  g_assert_cmpint (g_settings_get_int64 (settings, "stock-location-id"), ==, 2);
  adw_combo_row_set_selected (orders_row, 0);
  g_assert_cmpint (g_settings_get_int64 (settings, "stock-location-id"), ==, 0);

  /* The Showroom is not offered, so its number stays a number. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (stock_row)));
  g_assert_true (gtk_widget_get_visible (stock_number_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (stock_number_row)),
                            "no active location holding stock with number 3"));
  g_settings_set_int64 (settings, "stock-sync-location-id", 0);
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_object_unref (preferences);

  /* Stock from one location or all of them. */
  preferences = g_object_ref_sink (relay_preferences_window_new (settings, NULL));
  stock_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (preferences), RELAY_TYPE_PREFERENCES_WINDOW,
                                                            "stock_sync_location_row"));
  relay_preferences_window_set_destination (preferences, RELAY_ORDER_DESTINATION (tradegecko));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_visible (GTK_WIDGET (stock_row)), 20);
  names = adw_combo_row_get_model (stock_row);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "All locations");
  g_assert_cmpuint (adw_combo_row_get_selected (stock_row), ==, 0);
  adw_combo_row_set_selected (stock_row, find_choice (names, "Main Warehouse"));
  g_assert_cmpint (g_settings_get_int64 (settings, "stock-sync-location-id"), ==, 1);

  g_settings_reset (settings, "stock-location-id");
  g_settings_reset (settings, "stock-sync-location-id");
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_object_unref (preferences);
  relay_test_iterate_pending ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *app_state_dir = NULL;
  g_autofree char *app_state = NULL;
  int status;

  /* A data directory of this program's own, set before GLib first reads it:
   * the test session's is shared with other test programs, and the tests
   * check that nothing creates the default database in it. */
  data_dir = g_dir_make_tmp ("order-relay-wizard-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_dir);
  adw_init ();
  /* What RelayApplication's resource base path does for the app. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");

  sandbox = relay_sandbox_new ();
  relay_sandbox_start (sandbox, &error);
  g_assert_no_error (error);
  relay_sandbox_load_demo (sandbox);

  used_accounts = g_ptr_array_new_with_free_func (g_free);
  remember_account (relay_sandbox_get_squarespace_url (sandbox));
  remember_account (relay_sandbox_get_tradegecko_url (sandbox));
  {
    /* The accounts of a wizard that is not in demo mode. */
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *squarespace_url = g_settings_get_string (settings, "squarespace-url");
    g_autofree char *tradegecko_url = g_settings_get_string (settings, "tradegecko-url");

    remember_account (squarespace_url);
    remember_account (tradegecko_url);
  }

  test_app = relay_application_new ();
  /* Tests may run side by side on one session bus. */
  g_application_set_flags (G_APPLICATION (test_app), G_APPLICATION_NON_UNIQUE);
  app_state_dir = g_dir_make_tmp ("order-relay-wizard-app-XXXXXX", &error);
  g_assert_no_error (error);
  app_state = g_build_filename (app_state_dir, "state.db", NULL);
  relay_application_set_state_path (test_app, app_state);
  g_application_register (G_APPLICATION (test_app), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func, target) \
  g_test_add (path, Fixture, GINT_TO_POINTER (target), fixture_set_up, func, fixture_tear_down)

  ADD ("/setup-wizard/welcome", test_welcome_page, WIZARD_SANDBOX);
  ADD ("/setup-wizard/back-and-next", test_back_and_next, WIZARD_SANDBOX);
  ADD ("/setup-wizard/cancel-asks-first", test_cancel_asks_first, WIZARD_SANDBOX);
  ADD ("/setup-wizard/happy-path", test_happy_path, WIZARD_SANDBOX);
  ADD ("/setup-wizard/wrong-key", test_wrong_key, WIZARD_SANDBOX);
  ADD ("/setup-wizard/read-only-key", test_read_only_key, WIZARD_SANDBOX);
  ADD ("/setup-wizard/key-without-inventory", test_key_without_inventory, WIZARD_SANDBOX);
  ADD ("/setup-wizard/network-failure", test_network_failure, WIZARD_CLOSED_PORT);
  ADD ("/setup-wizard/cancel-verification", test_cancel_verification, WIZARD_SANDBOX);
  ADD ("/setup-wizard/rerun-and-disconnect", test_rerun_and_disconnect, WIZARD_SANDBOX);
  ADD ("/setup-wizard/flow-settings", test_flow_settings_saved_on_next, WIZARD_SANDBOX);
  ADD ("/setup-wizard/test-order-alias", test_test_order_alias, WIZARD_SANDBOX);
  ADD ("/setup-wizard/enter-verifies-then-moves-on", test_enter_verifies_then_moves_on, WIZARD_SANDBOX);
  ADD ("/setup-wizard/stored-key-no-longer-works", test_stored_key_no_longer_works, WIZARD_SANDBOX);
  ADD ("/setup-wizard/site-expired", test_site_expired, WIZARD_SANDBOX);
  ADD ("/setup-wizard/stopped-stored-key-check-is-retried", test_stopped_stored_key_check_is_retried, WIZARD_SANDBOX);
#undef ADD
  g_test_add_func ("/setup-wizard/reconnect-action", test_reconnect_action_opens_wizard_over_window);
  g_test_add_func ("/setup-wizard/opens-when-a-key-is-missing", test_opens_when_a_key_is_missing);
  g_test_add_func ("/preferences/tax-types-by-name", test_preferences_tax_types_by_name);
  g_test_add_func ("/preferences/locations-by-name", test_preferences_locations_by_name);

  status = g_test_run ();
  g_clear_object (&test_app);
  relay_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  g_clear_pointer (&used_accounts, g_ptr_array_unref);
  remove_tree (app_state_dir);
  /* Left in place if the toolkit put something there. */
  g_rmdir (data_dir);
  return status;
}
