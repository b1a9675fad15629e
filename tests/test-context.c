/* test-context.c — RelayContext over the sandbox and the test session's keyring
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-sandbox-fixture.h"
#include "relay-test-wait.h"

typedef RelaySandboxFixture Fixture;

/* No key in the keyring yet: each test connects what it needs. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  relay_sandbox_fixture_set_up_sandbox (fixture, "test-context", NULL);
  fixture->context = relay_context_new (fixture->settings, FALSE);
  relay_context_set_state_path (fixture->context, fixture->db_path);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
check_keys (Fixture  *fixture,
            gboolean *squarespace,
            gboolean *tradegecko)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_context_check_keys_async (fixture->context, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_true (relay_context_check_keys_finish (fixture->context, result, squarespace, tradegecko, &error));
  g_assert_no_error (error);
}

static RelaySyncEngine *
open_engine (Fixture  *fixture,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_context_open_engine_async (fixture->context, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  return relay_context_open_engine_finish (fixture->context, result, error);
}

/* Which stores are connected is read from the keyring under the context's
 * addresses; the engine needs both keys, and names the one missing. */
static void
test_engine_needs_both_keys (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean squarespace = TRUE;
  gboolean tradegecko = TRUE;
  RelaySyncEngine *engine;

  check_keys (fixture, &squarespace, &tradegecko);
  g_assert_false (squarespace);
  g_assert_false (tradegecko);

  relay_sandbox_fixture_store_key (fixture, RELAY_SERVICE_SQUARESPACE, RELAY_SANDBOX_SQUARESPACE_KEY);
  check_keys (fixture, &squarespace, &tradegecko);
  g_assert_true (squarespace);
  g_assert_false (tradegecko);
  g_assert_null (open_engine (fixture, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "TradeGecko"));
  g_assert_null (relay_context_get_engine (fixture->context));
  g_clear_error (&error);

  relay_sandbox_fixture_store_key (fixture, RELAY_SERVICE_TRADEGECKO, RELAY_SANDBOX_TRADEGECKO_TOKEN);
  engine = open_engine (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (RELAY_IS_SYNC_ENGINE (engine));
  g_assert_true (relay_sync_engine_get_store (engine) == relay_context_get_store (fixture->context, NULL));
  g_assert_nonnull (relay_context_get_source (fixture->context));
  g_assert_nonnull (relay_context_get_destination (fixture->context));

  /* One engine per context, until it is closed (a key changed). */
  g_assert_true (open_engine (fixture, &error) == engine);
  relay_context_close_engine (fixture->context);
  g_assert_null (relay_context_get_engine (fixture->context));
  g_assert_null (relay_context_get_destination (fixture->context));
  g_assert_nonnull (open_engine (fixture, &error));
  g_assert_no_error (error);
}

static char *
verify_key (Fixture          *fixture,
            RelayService      service,
            const char       *key,
            RelayVerifyFlags  flags,
            gboolean         *can_write_inventory,
            GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = relay_context_dup_url (fixture->context, service);

  relay_context_verify_key_async (fixture->context, service, url, key, flags, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  return relay_context_verify_key_finish (fixture->context, result, can_write_inventory, error);
}

/* A new key is checked with the service before it is kept: the site's or
 * account's name, the inventory permission when asked, a refusal as such. */
static void
test_verify_key (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = NULL;
  g_autofree char *account = NULL;
  g_autofree char *refused = NULL;
  gboolean can_write = FALSE;
  gboolean squarespace, tradegecko;

  site = verify_key (fixture, RELAY_SERVICE_SQUARESPACE, RELAY_SANDBOX_SQUARESPACE_KEY,
                     RELAY_VERIFY_ONE_ATTEMPT | RELAY_VERIFY_INVENTORY_WRITE, &can_write, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (site, ==, "Sandbox Store");
  g_assert_true (can_write);

  g_clear_pointer (&site, g_free);
  site = verify_key (fixture, RELAY_SERVICE_SQUARESPACE, RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY,
                     RELAY_VERIFY_INVENTORY_WRITE, &can_write, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (site, ==, "Sandbox Store");
  g_assert_false (can_write);

  account = verify_key (fixture, RELAY_SERVICE_TRADEGECKO, RELAY_SANDBOX_TRADEGECKO_TOKEN, RELAY_VERIFY_DEFAULT,
                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "Sandbox Warehouse");

  refused = verify_key (fixture, RELAY_SERVICE_TRADEGECKO, "not-a-token", RELAY_VERIFY_ONE_ATTEMPT, NULL, &error);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED);
  g_assert_null (refused);

  /* Checking keeps nothing. */
  check_keys (fixture, &squarespace, &tradegecko);
  g_assert_false (squarespace);
  g_assert_false (tradegecko);
}

/* The environment's address wins over the setting only where it is meant to
 * (not in the demo, whose settings name its own sandbox). main() sets it,
 * before any thread runs: changing the environment later races them. */
static void
test_url_override (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayContext) with_environment = relay_context_new (fixture->settings, TRUE);
  g_autofree char *from_settings = NULL;
  g_autofree char *from_environment = NULL;
  g_autofree char *ignored = NULL;

  from_settings = relay_context_dup_url (with_environment, RELAY_SERVICE_SQUARESPACE);
  from_environment = relay_context_dup_url (with_environment, RELAY_SERVICE_TRADEGECKO);
  ignored = relay_context_dup_url (fixture->context, RELAY_SERVICE_TRADEGECKO);

  g_assert_cmpstr (from_settings, ==, relay_sandbox_get_squarespace_url (fixture->sandbox));
  g_assert_cmpstr (from_environment, ==, "http://127.0.0.1:9/");
  g_assert_cmpstr (ignored, ==, relay_sandbox_get_tradegecko_url (fixture->sandbox));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("ORDER_RELAY_TRADEGECKO_URL", "http://127.0.0.1:9/", TRUE);
  g_unsetenv ("ORDER_RELAY_SQUARESPACE_URL");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/context/engine-needs-both-keys", Fixture, NULL, fixture_set_up, test_engine_needs_both_keys,
              relay_sandbox_fixture_tear_down);
  g_test_add ("/context/verify-key", Fixture, NULL, fixture_set_up, test_verify_key, relay_sandbox_fixture_tear_down);
  g_test_add ("/context/url-override", Fixture, NULL, fixture_set_up, test_url_override, relay_sandbox_fixture_tear_down);

  return g_test_run ();
}
