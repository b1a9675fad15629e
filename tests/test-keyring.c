/* test-keyring.c — the test session's Secret Service really stores secrets
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

static const SecretSchema throwaway_schema = {
  "io.github.orderrelay.OrderRelay.TestThrowaway", SECRET_SCHEMA_NONE,
  {
    { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "run", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { "NULL", 0 },
  }
};

typedef struct
{
  GMainLoop *loop;
  gboolean   stored;
  char      *password;
  gboolean   cleared;
  GError    *error;
} KeyringRun;

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KeyringRun *run = user_data;

  run->stored = secret_password_store_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  KeyringRun *run = user_data;

  run->password = secret_password_lookup_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KeyringRun *run = user_data;

  run->cleared = secret_password_clear_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
lookup (KeyringRun *run,
        int         run_id)
{
  g_clear_pointer (&run->password, secret_password_free);
  secret_password_lookup (&throwaway_schema, NULL, looked_up_cb, run,
                          "purpose", "smoke-test", "run", run_id, NULL);
  g_main_loop_run (run->loop);
  g_assert_no_error (run->error);
}

/* The session must offer a real Secret Service over D-Bus, not libsecret's file backend:
 * the app's keys go to gnome-keyring on a merchant's desktop, so tests use it too. Its
 * default collection (where the app stores keys) is opened without loading its items: other
 * test programs store and delete theirs meanwhile, and an item deleted between the listing
 * and the reading of it would fail the load ("No such secret item"). */
static void
test_session_has_secret_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) owner = NULL;

  g_assert_null (g_getenv ("SECRET_BACKEND"));

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (service);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  g_assert_false (secret_collection_get_locked (collection));
}

static void
test_store_lookup_clear (void)
{
  KeyringRun run = { 0 };
  int run_id = g_random_int_range (1, G_MAXINT);
  g_autofree char *secret = g_strdup_printf ("throwaway-%d", run_id);

  run.loop = g_main_loop_new (NULL, FALSE);

  /* Nothing there yet. */
  lookup (&run, run_id);
  g_assert_null (run.password);

  secret_password_store (&throwaway_schema, SECRET_COLLECTION_DEFAULT,
                         "Order Relay smoke test", secret, NULL, stored_cb, &run,
                         "purpose", "smoke-test", "run", run_id, NULL);
  g_main_loop_run (run.loop);
  g_assert_no_error (run.error);
  g_assert_true (run.stored);

  lookup (&run, run_id);
  g_assert_cmpstr (run.password, ==, secret);

  /* A different attribute value must not find it. */
  lookup (&run, run_id == 1 ? 2 : run_id - 1);
  g_assert_null (run.password);

  secret_password_clear (&throwaway_schema, NULL, cleared_cb, &run,
                         "purpose", "smoke-test", "run", run_id, NULL);
  g_main_loop_run (run.loop);
  g_assert_no_error (run.error);
  g_assert_true (run.cleared);

  lookup (&run, run_id);
  g_assert_null (run.password);

  g_main_loop_unref (run.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/session-has-secret-service", test_session_has_secret_service);
  g_test_add_func ("/keyring/store-lookup-clear", test_store_lookup_clear);

  return g_test_run ();
}
