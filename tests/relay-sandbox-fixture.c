/* relay-sandbox-fixture.c — the sandbox, a state file and a context over them
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "relay-sandbox-fixture.h"
#include "relay-test-wait.h"

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * relay_sandbox_fixture_set_up_sandbox:
 * @self: a zeroed fixture
 * @name: the test program's name, for its directory
 * @scenario: (nullable): the sandbox's scenario as JSON, %NULL for an empty one
 *
 * The directory, the sandbox and the settings naming it, and no key in the
 * keyring (the command line's tests connect the stores themselves).
 */
void
relay_sandbox_fixture_set_up_sandbox (RelaySandboxFixture *self,
                                      const char          *name,
                                      const char          *scenario)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  self->db_path = g_build_filename (self->dir, "state.db", NULL);

  self->sandbox = relay_sandbox_new ();
  g_assert_true (relay_sandbox_start (self->sandbox, &error));
  g_assert_no_error (error);
  if (scenario != NULL)
    relay_sandbox_fixture_load (self, scenario);

  self->settings = g_settings_new_with_backend (APP_ID, backend);
  g_settings_set_string (self->settings, "squarespace-url", relay_sandbox_get_squarespace_url (self->sandbox));
  g_settings_set_string (self->settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (self->sandbox));
}

/**
 * relay_sandbox_fixture_set_up:
 * @self: a zeroed fixture
 * @name: the test program's name, for its directory
 * @scenario: (nullable): the sandbox's scenario as JSON, %NULL for an empty one
 *
 * Like relay_sandbox_fixture_set_up_sandbox(), with both of the sandbox's
 * keys filed in the keyring under its addresses; relay_sandbox_fixture_open()
 * makes the context.
 */
void
relay_sandbox_fixture_set_up (RelaySandboxFixture *self,
                              const char          *name,
                              const char          *scenario)
{
  relay_sandbox_fixture_set_up_sandbox (self, name, scenario);
  relay_sandbox_fixture_store_key (self, RELAY_SERVICE_SQUARESPACE, RELAY_SANDBOX_SQUARESPACE_KEY);
  relay_sandbox_fixture_store_key (self, RELAY_SERVICE_TRADEGECKO, RELAY_SANDBOX_TRADEGECKO_TOKEN);
}

/* Replaces the sandbox's state with @scenario (JSON). */
void
relay_sandbox_fixture_load (RelaySandboxFixture *self,
                            const char          *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (scenario, &error);

  g_assert_no_error (error);
  g_assert_true (relay_sandbox_load_scenario (self->sandbox, node, &error));
  g_assert_no_error (error);
}

/* The address the keyring files @service's key under: the sandbox's. */
static const char *
sandbox_url (RelaySandboxFixture *self,
             RelayService         service)
{
  return service == RELAY_SERVICE_SQUARESPACE ? relay_sandbox_get_squarespace_url (self->sandbox)
                                              : relay_sandbox_get_tradegecko_url (self->sandbox);
}

/* Files @key for @service in the keyring, as `order-relay connect` does; the
 * next relay_sandbox_fixture_open() uses it. */
void
relay_sandbox_fixture_store_key (RelaySandboxFixture *self,
                                 RelayService         service,
                                 const char          *key)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_credentials_store_async (credentials, service, sandbox_url (self, service), key, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  g_assert_true (relay_credentials_store_finish (credentials, result, &error));
  g_assert_no_error (error);
}

static void
connection_problem_cb (RelaySyncEngine     *engine,
                       const char          *store_id,
                       const GError        *error,
                       RelaySandboxFixture *self)
{
  self->problems++;
}

/**
 * relay_sandbox_fixture_open:
 * @self: a fixture set up, its context closed
 *
 * A new context over the state file and the sandbox (a restart, when one was
 * open before): the store, both clients with the keys from the keyring, and
 * the engine, idle. Retries wait milliseconds, not seconds.
 */
void
relay_sandbox_fixture_open (RelaySandboxFixture *self)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayHttp *squarespace_http;
  RelayHttp *tradegecko_http;

  g_assert_null (self->context);

  self->context = relay_context_new (self->settings, FALSE);
  relay_context_set_state_path (self->context, self->db_path);
  relay_context_open_engine_async (self->context, NULL, got_result_cb, &result);
  RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
  self->engine = relay_context_open_engine_finish (self->context, result, &error);
  g_assert_no_error (error);

  self->store = relay_context_get_store (self->context, NULL);
  self->squarespace = RELAY_SQUARESPACE (relay_context_get_source (self->context));
  self->tradegecko = RELAY_TRADEGECKO (relay_context_get_destination (self->context));

  squarespace_http = relay_squarespace_get_http (self->squarespace);
  tradegecko_http = relay_tradegecko_get_http (self->tradegecko);
  relay_http_set_backoff (squarespace_http, 5, 50);
  relay_http_set_cooldown (squarespace_http, 200);
  relay_http_set_backoff (tradegecko_http, 5, 50);

  g_signal_connect (self->engine, "connection-problem", G_CALLBACK (connection_problem_cb), self);
}

/* Drops the context: the engine, the clients and the store (a quit). */
void
relay_sandbox_fixture_close (RelaySandboxFixture *self)
{
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  self->engine = NULL;
  self->squarespace = NULL;
  self->tradegecko = NULL;
  self->store = NULL;
  g_clear_object (&self->context);
}

/* The keyring is the test session's, shared by every test program: a key left under this
 * sandbox's address would greet a later sandbox that is given the same port (a test that
 * expects no key yet, test-context's, then finds one). */
static void
forget_keys (RelaySandboxFixture *self)
{
  g_autoptr(RelayCredentials) credentials = relay_credentials_new ();
  const RelayService services[] = { RELAY_SERVICE_SQUARESPACE, RELAY_SERVICE_TRADEGECKO };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      relay_credentials_clear_async (credentials, services[i], sandbox_url (self, services[i]), NULL, got_result_cb, &result);
      RELAY_TEST_ITERATE_UNTIL (result != NULL, 30);
      g_assert_true (relay_credentials_clear_finish (credentials, result, &error));
      g_assert_no_error (error);
    }
}

/**
 * relay_sandbox_fixture_tear_down:
 * @self: a fixture set up
 * @data: unused: the signature g_test_add() takes
 *
 * Closes the context, forgets the keys filed under the sandbox's addresses, stops the
 * sandbox and removes the state file.
 */
void
relay_sandbox_fixture_tear_down (RelaySandboxFixture *self,
                                 gconstpointer        data)
{
  g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (self->db_path, "-shm", NULL);

  relay_sandbox_fixture_close (self);
  g_clear_object (&self->settings);
  forget_keys (self);
  relay_sandbox_stop (self->sandbox);
  g_clear_object (&self->sandbox);
  g_unlink (self->db_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (self->dir);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->dir, g_free);
}

/* How many @method requests for @path the sandbox has logged (since its log was last cleared). */
guint
relay_sandbox_fixture_count_requests (RelaySandboxFixture *self,
                                      const char          *method,
                                      const char          *path)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (self->sandbox);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (g_strcmp0 (json_object_get_string_member (request, "method"), method) == 0 &&
          g_strcmp0 (json_object_get_string_member (request, "path"), path) == 0)
        n++;
    }
  return n;
}
