/* test-credentials.c — RelayCredentials against the test session's real gnome-keyring
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "relay-credentials.h"
#include "relay-error.h"
#include "relay-test-server.h"

/* The app's schema as a contract: other tools (and this test) find the keys by it. */
static const SecretSchema expected_schema = {
  "io.github.orderrelay.OrderRelay", SECRET_SCHEMA_NONE,
  {
    { "store", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "NULL", 0 },
  }
};

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
store (RelayCredentials *credentials,
       RelayService      service,
       const char       *account,
       const char       *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_credentials_store_async (credentials, service, account, key, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_true (relay_credentials_store_finish (credentials, result, &error));
  g_assert_no_error (error);
}

static char *
lookup (RelayCredentials *credentials,
        RelayService      service,
        const char       *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  relay_credentials_lookup_async (credentials, service, account, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  key = relay_credentials_lookup_finish (credentials, result, &error);
  g_assert_no_error (error);

  return key;
}

static void
clear (RelayCredentials *credentials,
       RelayService      service,
       const char       *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_credentials_clear_async (credentials, service, account, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_true (relay_credentials_clear_finish (credentials, result, &error));
  g_assert_no_error (error);
}

/* A sandbox address of our own, so runs and parallel tests never share keys. */
static char *
new_account (void)
{
  return g_strdup_printf ("http://127.0.0.1:%d", g_random_int_range (1024, 65535));
}

static void
test_missing_key_is_null (void)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  g_autofree char *account = new_account ();
  g_autofree char *key = NULL;

  g_assert_null (g_getenv ("SECRET_BACKEND"));

  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, account);
  g_assert_null (key);

  /* Clearing what is not there is fine too. */
  clear (credentials, RELAY_SERVICE_SQUARESPACE, account);
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  g_autofree char *sandbox = new_account ();
  g_autofree char *sandbox_slash = g_strconcat (sandbox, "/", NULL);
  g_autofree char *real = g_strdup_printf ("https://api-%u.squarespace.test", g_random_int ());
  char *key;

  store (credentials, RELAY_SERVICE_SQUARESPACE, sandbox, "sq-sandbox-key");
  store (credentials, RELAY_SERVICE_SQUARESPACE, real, "sq-real-key");
  store (credentials, RELAY_SERVICE_TRADEGECKO, sandbox, "tg-sandbox-key");

  /* Two accounts, two services: nothing mixes. */
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, sandbox);
  g_assert_cmpstr (key, ==, "sq-sandbox-key");
  g_free (key);
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, real);
  g_assert_cmpstr (key, ==, "sq-real-key");
  g_free (key);
  key = lookup (credentials, RELAY_SERVICE_TRADEGECKO, sandbox);
  g_assert_cmpstr (key, ==, "tg-sandbox-key");
  g_free (key);
  key = lookup (credentials, RELAY_SERVICE_TRADEGECKO, real);
  g_assert_null (key);

  /* A trailing slash is the same account; storing again replaces the key. */
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, sandbox_slash);
  g_assert_cmpstr (key, ==, "sq-sandbox-key");
  g_free (key);
  store (credentials, RELAY_SERVICE_SQUARESPACE, sandbox_slash, "sq-sandbox-key-2");
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, sandbox);
  g_assert_cmpstr (key, ==, "sq-sandbox-key-2");
  g_free (key);

  clear (credentials, RELAY_SERVICE_SQUARESPACE, sandbox);
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, sandbox);
  g_assert_null (key);
  key = lookup (credentials, RELAY_SERVICE_TRADEGECKO, sandbox);
  g_assert_cmpstr (key, ==, "tg-sandbox-key");
  g_free (key);
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, real);
  g_assert_cmpstr (key, ==, "sq-real-key");
  g_free (key);

  clear (credentials, RELAY_SERVICE_TRADEGECKO, sandbox);
  clear (credentials, RELAY_SERVICE_SQUARESPACE, real);
  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, real);
  g_assert_null (key);
}

static void
test_label_and_attributes (void)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  g_autofree char *account = new_account ();
  g_autoptr(GError) error = NULL;
  g_autolist(SecretRetrievable) items = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  store (credentials, RELAY_SERVICE_TRADEGECKO, account, "tg-key");

  items = secret_password_search_sync (&expected_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "store", "tradegecko", "account", account, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);

  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "Order Relay: TradeGecko API key");
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "io.github.orderrelay.OrderRelay");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "store"), ==, "tradegecko");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "account"), ==, account);

  clear (credentials, RELAY_SERVICE_TRADEGECKO, account);
}

static void
test_cancelled (void)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *account = new_account ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_cancellable_cancel (cancellable);
  relay_credentials_store_async (credentials, RELAY_SERVICE_SQUARESPACE, account, "never-stored",
                                 cancellable, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_false (relay_credentials_store_finish (credentials, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  key = lookup (credentials, RELAY_SERVICE_SQUARESPACE, account);
  g_assert_null (key);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/missing-key-is-null", test_missing_key_is_null);
  g_test_add_func ("/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/credentials/label-and-attributes", test_label_and_attributes);
  g_test_add_func ("/credentials/cancelled", test_cancelled);

  return g_test_run ();
}
