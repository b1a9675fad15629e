/* test-cli.c — the built order-relay program as a subprocess, with the real keyring
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "relay-sandbox-fixture.h"
#include "relay-test-wait.h"

static const char *scenario =
  "{\"tradegecko\":{"
  "  \"variants\":["
  "   {\"id\":11,\"sku\":\"BEAN-1\",\"product_name\":\"Beans\",\"name\":\"250 g\"},"
  "   {\"id\":12,\"sku\":\"MUG-1\",\"product_name\":\"Mug\",\"name\":\"Black\"}]}}";

typedef struct
{
  RelaySandboxFixture base;   /* the sandbox and the directory; the program is connected by each test */
  char         *data_home;
  char         *config_home;
  GPtrArray    *outputs;
  const char   *tradegecko_url;   /* NULL: the sandbox's */
  gboolean      no_display;       /* run without DISPLAY: GTK could not start */
  const char   *clock;            /* a faketime offset such as "+15m" for the program; NULL: the real clock */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  relay_sandbox_fixture_set_up_sandbox (&fixture->base, "test-cli", scenario);
  fixture->data_home = g_build_filename (fixture->base.dir, "data", NULL);
  fixture->config_home = g_build_filename (fixture->base.dir, "config", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->config_home, 0700), ==, 0);
  fixture->outputs = g_ptr_array_new_with_free_func (g_free);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The program's data and settings first: the fixture removes only what it made. */
  remove_tree (fixture->base.dir);
  relay_sandbox_fixture_tear_down (&fixture->base, NULL);
  g_free (fixture->data_home);
  g_free (fixture->config_home);
  g_ptr_array_unref (fixture->outputs);
}

/* The program's command line: under `faketime` when the fixture moves its clock
 * (the monotonic clock stays real, as on a desktop whose wall clock is wrong). */
static GPtrArray *
program_argv (Fixture *fixture)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *program = g_getenv ("ORDER_RELAY_BIN");

  g_assert_nonnull (program);
  if (fixture->clock != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "faketime");
      g_ptr_array_add (argv, (gpointer) "-f");
      g_ptr_array_add (argv, (gpointer) fixture->clock);
    }
  g_ptr_array_add (argv, (gpointer) program);
  return argv;
}

static GSubprocessLauncher *
new_launcher (Fixture        *fixture,
              GSubprocessFlags flags,
              const char     *crash_at)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_SQUARESPACE_URL",
                                relay_sandbox_get_squarespace_url (fixture->base.sandbox), TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_TRADEGECKO_URL",
                                fixture->tradegecko_url ?: relay_sandbox_get_tradegecko_url (fixture->base.sandbox), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (fixture->no_display)
    {
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
    }
  if (crash_at != NULL)
    g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_TEST_CRASH_AT", crash_at, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "ORDER_RELAY_TEST_CRASH_AT");
  g_subprocess_launcher_setenv (launcher, "FAKETIME_DONT_FAKE_MONOTONIC", "1", TRUE);
  /* Settings from a key file in the fixture, so a test can change them for the program. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  return launcher;
}

/* Runs order-relay with @args; returns the exit status (128 + signal when killed). */
static int
run_cli (Fixture     *fixture,
         const char  *input,
         const char  *crash_at,
         char       **out_stdout,
         char       **out_stderr,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = program_argv (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list args;
  int status;

  va_start (args, out_stderr);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (fixture, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_PIPE, crash_at);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);

  if (g_subprocess_get_if_exited (process))
    status = g_subprocess_get_exit_status (process);
  else
    status = 128 + g_subprocess_get_term_sig (process);

  g_ptr_array_add (fixture->outputs, g_strdup (stdout_text));
  g_ptr_array_add (fixture->outputs, g_strdup (stderr_text));
  /* An output still holding the previous run's text would leak it here. */
  g_assert_true (out_stdout == NULL || *out_stdout == NULL);
  g_assert_true (out_stderr == NULL || *out_stderr == NULL);
  if (status != 0 && crash_at == NULL)
    g_test_message ("order-relay %s: %d: %s", (const char *) argv->pdata[1], status, stderr_text);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&stdout_text);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&stderr_text);
  return status;
}

static void
connect_both (Fixture *fixture)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (run_cli (fixture, RELAY_SANDBOX_SQUARESPACE_KEY "\n", NULL, &out, NULL,
                            "connect", "squarespace", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Sandbox Store"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, RELAY_SANDBOX_TRADEGECKO_TOKEN "\n", NULL, &out, NULL,
                            "connect", "tradegecko", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Sandbox Warehouse"));
}

static char *
add_order (Fixture    *fixture,
           const char *sku,
           int         quantity)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"customerEmail\":\"cli@example.com\","
                                           "\"shippingAddress\":{\"firstName\":\"Cli\",\"lastName\":\"User\","
                                           "\"address1\":\"2 Side St\",\"city\":\"Shelbyville\",\"postalCode\":\"54321\","
                                           "\"countryCode\":\"US\"},"
                                           "\"lineItems\":[{\"sku\":\"%s\",\"productName\":\"Thing\",\"quantity\":%d,"
                                           "\"unitPricePaid\":{\"value\":\"4.20\",\"currency\":\"USD\"}}]}",
                                           sku, quantity);
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = relay_sandbox_add_squarespace_order (fixture->base.sandbox, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return id;
}

static JsonArray *
list_orders (Fixture *fixture)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "orders", "--json", NULL), ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static JsonObject *
find_listed (JsonArray  *orders,
             const char *id)
{
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (order, "squarespace_id"), id) == 0)
        return order;
    }
  g_assert_not_reached ();
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  /* Byte by byte: the database is binary. */
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}

static guint
assert_tree_lacks (const char *path,
                   const char *needle)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint files = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        files += assert_tree_lacks (child, needle);
      else
        {
          if (file_contains (child, needle))
            g_error ("%s contains a key", child);
          files++;
        }
    }
  if (dir != NULL)
    g_dir_close (dir);
  return files;
}

static void
assert_keys_nowhere (Fixture *fixture)
{
  const char *keys[] = { RELAY_SANDBOX_SQUARESPACE_KEY, RELAY_SANDBOX_TRADEGECKO_TOKEN };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      /* The state database (and its WAL) are among the files. */
      g_assert_cmpuint (assert_tree_lacks (fixture->data_home, keys[k]), >, 0);
      assert_tree_lacks (fixture->config_home, keys[k]);
      for (guint i = 0; i < fixture->outputs->len; i++)
        g_assert_null (strstr (g_ptr_array_index (fixture->outputs, i) ?: "", keys[k]));
    }
}

/* TradeGecko sales orders per reference_number, and every reference seen exactly once. */
static guint
assert_one_sales_order_each (Fixture *fixture)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->base.sandbox);
  JsonObject *tg = json_object_get_object_member (json_node_get_object (state), "tradegecko");
  JsonArray *orders = json_object_get_array_member (tg, "orders");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      const char *reference = json_object_get_string_member (json_array_get_object_element (orders, i),
                                                             "reference_number");

      g_assert_false (g_hash_table_contains (seen, reference));
      g_hash_table_add (seen, (gpointer) reference);
    }
  return json_array_get_length (orders);
}

/* Squarespace has each tracking number at most once per order; returns the shipments. */
static guint
assert_one_shipment_each (Fixture *fixture)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->base.sandbox);
  JsonObject *sq = json_object_get_object_member (json_node_get_object (state), "squarespace");
  JsonArray *orders = json_object_get_array_member (sq, "orders");
  guint total = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonArray *shipments = json_object_get_array_member (json_array_get_object_element (orders, i), "fulfillments");
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint j = 0; j < json_array_get_length (shipments); j++)
        {
          const char *number = json_object_get_string_member (json_array_get_object_element (shipments, j),
                                                              "trackingNumber");

          g_assert_false (g_hash_table_contains (seen, number));
          g_hash_table_add (seen, (gpointer) number);
          total++;
        }
    }
  return total;
}

static guint
count_in_stage (JsonArray  *orders,
                const char *stage)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (orders, i), "stage"), stage) == 0)
      n++;
  return n;
}

static void
ship_all (Fixture   *fixture,
          JsonArray *orders)
{
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);
      g_autofree char *json = g_strdup_printf ("{\"tracking_number\":\"TRK%u%s\",\"tracking_company\":\"UPS\"}", i,
                                               json_object_get_string_member (order, "order_number"));
      g_autoptr(JsonNode) node = json_from_string (json, NULL);
      g_autoptr(GError) error = NULL;

      relay_sandbox_ship_tradegecko_order (fixture->base.sandbox, json_object_get_int_member (order, "tradegecko_order_id"),
                                           json_node_get_object (node), &error);
      g_assert_no_error (error);
    }
}

/* ------------------------------------------------------------------------ */

static void
test_cli_sync (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *good = add_order (fixture, "BEAN-1", 2);
  g_autofree char *unknown = add_order (fixture, "SQ-MUG", 1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) orders = NULL;
  JsonObject *listed;

  connect_both (fixture);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "sync", "--once", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "at_tradegecko: 1"));
  g_assert_nonnull (strstr (out, "rejected: 1"));

  orders = list_orders (fixture);
  g_assert_cmpuint (json_array_get_length (orders), ==, 2);
  listed = find_listed (orders, good);
  g_assert_cmpstr (json_object_get_string_member (listed, "stage"), ==, "at_tradegecko");
  g_assert_cmpint (json_object_get_int_member (listed, "tradegecko_order_id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (listed, "cust_po_no"),
                   ==, json_object_get_string_member (listed, "order_number"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (listed, "cust_ref"), "SQ-"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed, "tracking")), ==, 0);
  listed = find_listed (orders, unknown);
  g_assert_cmpstr (json_object_get_string_member (listed, "stage"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (listed, "error"), "SQ-MUG"));

  /* The preview of the rejected order marks the failing line; there is no body to send. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "preview",
                            json_object_get_string_member (listed, "order_number"), NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "cannot be sent yet"));
  g_assert_nonnull (strstr (out, "!! 1 × "));
  g_assert_nonnull (strstr (out, "[SQ-MUG]"));
  g_assert_nonnull (strstr (out, "UNKNOWN SKU"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, &err, "preview",
                            json_object_get_string_member (listed, "order_number"), "--json", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "SQ-MUG"));

  /* The merchant maps the SKU, previews, retries: delivered. */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "alias", "add", "SQ-MUG", "MUG-1", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "alias", "list", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "SQ-MUG\tMUG-1\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "preview",
                            json_object_get_string_member (listed, "order_number"), NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "sent as an active sales order"));
  g_assert_nonnull (strstr (out, "[TradeGecko SKU MUG-1, by SKU alias]"));
  /* The SKU, never a raw variant id: that is in --json. */
  g_assert_null (strstr (out, "variant 12"));
  g_assert_null (strstr (out, "!!"));
  g_assert_nonnull (strstr (out, "Squarespace total "));
  g_assert_nonnull (strstr (out, "· TradeGecko total "));
  /* --json: exactly the body the delivery would POST, and nothing else. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "preview",
                            json_object_get_string_member (listed, "order_number"), "--json", NULL), ==, 0);
  {
    g_autoptr(JsonNode) body = json_from_string (out, &error);
    JsonObject *order;
    JsonObject *line;

    g_assert_no_error (error);
    order = json_object_get_object_member (json_node_get_object (body), "order");
    line = json_array_get_object_element (json_object_get_array_member (order, "order_line_items"), 0);
    g_assert_cmpint (json_object_get_int_member (line, "variant_id"), ==, 12);
    g_assert_cmpint (json_object_get_int_member (line, "tax_type_id"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==,
                     json_object_get_string_member (listed, "cust_ref"));
  }
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "retry",
                            json_object_get_string_member (listed, "order_number"), NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_clear_pointer (&orders, json_array_unref);
  orders = list_orders (fixture);
  g_assert_cmpstr (json_object_get_string_member (find_listed (orders, unknown), "stage"), ==, "at_tradegecko");

  /* Shipped in TradeGecko: tracking reaches Squarespace. */
  ship_all (fixture, orders);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_clear_pointer (&orders, json_array_unref);
  orders = list_orders (fixture);
  listed = find_listed (orders, good);
  g_assert_cmpstr (json_object_get_string_member (listed, "stage"), ==, "confirmed");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed, "tracking")), ==, 1);
  g_assert_cmpuint (assert_one_shipment_each (fixture), ==, 2);
  g_assert_cmpuint (assert_one_sales_order_each (fixture), ==, 2);

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Squarespace"));
  g_assert_nonnull (strstr (out, "confirmed: 2"));
  g_assert_null (strstr (out, "not connected"));

  assert_keys_nowhere (fixture);

  /* Disconnected: the next sync names the store and what to do. */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "disconnect", "tradegecko", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "sync", "--once", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "TradeGecko"));
  g_assert_nonnull (strstr (err, "connect tradegecko"));
  g_assert_null (strchr (g_strstrip (err), '\n'));
}

static void
test_cli_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  /* No key yet. */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "sync", "--once", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "connect squarespace"));
  g_clear_pointer (&err, g_free);

  /* A wrong key is refused and not stored. */
  g_assert_cmpint (run_cli (fixture, "not-a-key\n", NULL, NULL, &err, "connect", "tradegecko", NULL), ==, 1);
  g_assert_null (strstr (err, "not-a-key"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "TradeGecko"));
  g_assert_nonnull (strstr (out, "not connected"));

  /* A read-only Squarespace key is refused with what to do. */
  g_assert_cmpint (run_cli (fixture, RELAY_SANDBOX_SQUARESPACE_READONLY_KEY "\n", NULL, NULL, &err,
                            "connect", "squarespace", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Squarespace"));
  g_clear_pointer (&err, g_free);

  /* The store cannot be reached. */
  connect_both (fixture);
  relay_sandbox_add_fault (fixture->base.sandbox, RELAY_SANDBOX_API_SQUARESPACE, NULL, NULL,
                           RELAY_SANDBOX_FAULT_STATUS, 503, 100);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "sync", "--once", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Squarespace"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "orders", "--stage", "nonsense", NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "retry", "99999", NULL), ==, 1);
  assert_keys_nowhere (fixture);
}

/* Regression: a mistyped command opened the window, extra arguments were
 * accepted, removing a missing alias said "removed", and a 5 MB key was sent
 * (and answered with "check the internet connection"). Each is usage, exit 2,
 * without GTK (no display is given: opening a window would fail otherwise). */
static void
test_cli_usage (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *huge_key = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  fixture->no_display = TRUE;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, &err, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_assert_nonnull (strstr (err, "Usage: order-relay"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "Sync", "--once", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Usage: order-relay"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "status", "extra", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "usage: order-relay status"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "alias", "remove", "NOPE", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "NOPE"));
  g_assert_null (strstr (err, "removed"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "alias", "add", "SQ-1", "TG-1", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "alias", "remove", "SQ-1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "removed"));
  g_clear_pointer (&out, g_free);

  huge_key = g_strnfill (5 * 1024 * 1024, 'k');
  g_assert_cmpint (run_cli (fixture, huge_key, NULL, &out, &err, "connect", "squarespace", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "longer than"));
  g_assert_null (strstr (err, "internet"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_null (strstr (out, ": connected"));

  assert_keys_nowhere (fixture);
}

static guint
count_tradegecko_orders (Fixture *fixture)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->base.sandbox);

  return json_array_get_length (json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (state), "tradegecko"), "orders"));
}

/* `sync` without --once: the periodic loop, until SIGTERM. */
static void
test_cli_loop (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *first = add_order (fixture, "BEAN-1", 1);
  g_autofree char *second = add_order (fixture, "MUG-1", 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  connect_both (fixture);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_SQUARESPACE_URL",
                                relay_sandbox_get_squarespace_url (fixture->base.sandbox), TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_TRADEGECKO_URL",
                                relay_sandbox_get_tradegecko_url (fixture->base.sandbox), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ORDER_RELAY_BIN"), "sync", NULL);
  g_assert_no_error (error);

  /* The first cycle runs at once; the sandbox answers from its own thread. */
  RELAY_TEST_ITERATE_UNTIL (count_tradegecko_orders (fixture) >= 2, 60);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpuint (assert_one_sales_order_each (fixture), ==, 2);
}

static void
test_cli_insecure_url (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *err = NULL;

  fixture->tradegecko_url = "http://api.tradegecko.example";
  g_assert_cmpint (run_cli (fixture, RELAY_SANDBOX_TRADEGECKO_TOKEN "\n", NULL, NULL, &err,
                            "connect", "tradegecko", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "http"));
  g_assert_null (strchr (g_strstrip (err), '\n'));
  g_assert_null (strstr (err, RELAY_SANDBOX_TRADEGECKO_TOKEN));
}

#ifdef RELAY_TEST_HOOKS
/* Killed at @step (like SIGKILL), restarted: nothing twice, nothing lost. */
static void
test_crash_at (Fixture       *fixture,
               gconstpointer  data)
{
  const char *step = data;
  gboolean tracking_step = strstr (step, "tracking") != NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) orders = NULL;

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (ids, add_order (fixture, i == 1 ? "MUG-1" : "BEAN-1", 1));
  connect_both (fixture);

  if (tracking_step)
    {
      g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
      orders = list_orders (fixture);
      ship_all (fixture, orders);
      g_clear_pointer (&orders, json_array_unref);
    }

  g_assert_cmpint (run_cli (fixture, NULL, step, NULL, NULL, "sync", "--once", NULL), ==, 137);

  if (g_str_equal (step, "before-tracking-post"))
    {
      /* Nothing was posted, but a restart at once cannot know that: the post
       * may still land. It waits; only a re-read later than the HTTP timeout
       * plus a margin after the claim (the clock moved on) posts again. */
      g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
      orders = list_orders (fixture);
      g_assert_cmpuint (count_in_stage (orders, "confirmed"), ==, 2);
      g_assert_cmpuint (assert_one_shipment_each (fixture), ==, 2);
      g_clear_pointer (&orders, json_array_unref);
      fixture->clock = "+4m";
    }

  /* Posting runs beside reading, several posts at once: the kill may have cut
   * off a post just claimed, which the restart re-reads and sends again only
   * once the claim is older than the HTTP timeout plus a margin (as
   * before-tracking-post). */
  if (g_str_equal (step, "after-tracking-read") || g_str_equal (step, "after-tracking-post"))
    fixture->clock = "+4m";

  if (!tracking_step)
    {
      g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
      orders = list_orders (fixture);
      g_assert_cmpuint (json_array_get_length (orders), ==, 3);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpstr (json_object_get_string_member (find_listed (orders, g_ptr_array_index (ids, i)), "stage"),
                         ==, "at_tradegecko");
      ship_all (fixture, orders);
      g_clear_pointer (&orders, json_array_unref);
    }

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);

  orders = list_orders (fixture);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (find_listed (orders, g_ptr_array_index (ids, i)), "stage"),
                     ==, "confirmed");
  g_assert_cmpuint (assert_one_sales_order_each (fixture), ==, 3);
  g_assert_cmpuint (assert_one_shipment_each (fixture), ==, 3);
  assert_keys_nowhere (fixture);
}

/* The steps of `order-relay sync` test_crash_at() kills it at. */
static const char * const crash_steps[] = {
  "after-pull-page", "before-deliver-post", "after-deliver-post",
  "after-tracking-read", "before-tracking-post", "after-tracking-post",
};
#endif

/* Sets order-relay's settings (the key file the program reads) for the next runs. */
static void
set_program_setting (Fixture    *fixture,
                     const char *key,
                     const char *value)
{
  g_autofree char *dir = g_build_filename (fixture->config_home, "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);
  g_key_file_set_string (file, "io/github/orderrelay/OrderRelay", key, value);
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  g_assert_no_error (error);
}

static GSubprocess *
spawn_sync_once (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                   G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL);
  g_autoptr(GPtrArray) argv = program_argv (fixture);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) "sync");
  g_ptr_array_add (argv, (gpointer) "--once");
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Waits for @process; returns its exit status, its standard error in @out_stderr. */
static int
finish_process (Fixture      *fixture,
                GSubprocess  *process,
                char        **out_stderr)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_ptr_array_add (fixture->outputs, g_strdup (out));
  g_ptr_array_add (fixture->outputs, g_strdup (err));
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != 0)
    g_test_message ("order-relay sync --once: %d: %s", g_subprocess_get_exit_status (process), err);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return g_subprocess_get_exit_status (process);
}

/* The desktop clock 15 minutes or 3 hours ahead or behind Squarespace's: every
 * order placed before a sync is delivered by that sync, each once, its tracking
 * goes back, and `status` says the clock is off. */
static void
test_wrong_clock (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonArray) orders = NULL;
  g_autofree char *out = NULL;
  guint placed = 0;

  connect_both (fixture);
  fixture->clock = data;
  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i < 2; i++, placed++)
        g_free (add_order (fixture, placed % 2 ? "MUG-1" : "BEAN-1", 1));
      g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
      g_assert_cmpuint (count_tradegecko_orders (fixture), ==, placed);
    }

  orders = list_orders (fixture);
  ship_all (fixture, orders);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_clear_pointer (&orders, json_array_unref);
  orders = list_orders (fixture);

  g_test_message ("clock %s: %u orders placed, %u in the state, %u confirmed, %u sales orders, %u shipments",
                  (const char *) data, placed, json_array_get_length (orders), count_in_stage (orders, "confirmed"),
                  assert_one_sales_order_each (fixture), assert_one_shipment_each (fixture));
  g_assert_cmpuint (json_array_get_length (orders), ==, placed);
  g_assert_cmpuint (count_in_stage (orders, "confirmed"), ==, placed);
  g_assert_cmpuint (assert_one_sales_order_each (fixture), ==, placed);
  g_assert_cmpuint (assert_one_shipment_each (fixture), ==, placed);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, ((const char *) data)[0] == '+' ? "minutes ahead of Squarespace" : "minutes behind Squarespace"));
  g_assert_nonnull (strstr (out, "Last successful cycle: 2"));
}

/* Two or three `sync --once` started together over slow writes: one syncs at a
 * time, the others wait their turn; nothing is sent twice. */
static void
test_concurrent_syncs (Fixture       *fixture,
                       gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonArray) orders = NULL;
  const guint placed = 4;

  for (guint i = 0; i < placed; i++)
    g_free (add_order (fixture, i % 2 ? "MUG-1" : "BEAN-1", 1));
  connect_both (fixture);
  relay_sandbox_add_fault (fixture->base.sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DELAY, 150, 1000);
  relay_sandbox_add_fault (fixture->base.sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DELAY, 150, 1000);

  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (processes, spawn_sync_once (fixture));
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (finish_process (fixture, g_ptr_array_index (processes, i), NULL), ==, 0);
      g_ptr_array_set_size (processes, 0);

      orders = list_orders (fixture);
      if (round == 0)
        ship_all (fixture, orders);
      else
        g_assert_cmpuint (count_in_stage (orders, "confirmed"), ==, placed);
      g_clear_pointer (&orders, json_array_unref);
    }

  g_test_message ("%u concurrent syncs: %u orders, %u sales orders, %u shipments (duplicates fail the test)",
                  n, placed, assert_one_sales_order_each (fixture), assert_one_shipment_each (fixture));
  g_assert_cmpuint (assert_one_sales_order_each (fixture), ==, placed);
  g_assert_cmpuint (assert_one_shipment_each (fixture), ==, placed);
}

/* While another process holds the sync lock past the wait, `sync --once`
 * leaves without touching anything, with its own exit status and a message
 * naming the process; `status` says the same. */
static void
test_lock_held (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->data_home, "order-relay", NULL);
  g_autofree char *path = g_build_filename (dir, "sync.lock", NULL);
  g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());
  g_autofree char *expected = g_strdup_printf ("Another Order Relay is syncing (process %d)", (int) getpid ());
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = add_order (fixture, "BEAN-1", 1);
  int fd;

  connect_both (fixture);
  set_program_setting (fixture, "sync-lock-wait-seconds", "1");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  g_assert_cmpint (write (fd, pid, strlen (pid)), ==, (gssize) strlen (pid));

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, &err, "sync", "--once", NULL), ==, 3);
  g_assert_nonnull (strstr (err, expected));
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, expected));
  g_assert_cmpuint (count_tradegecko_orders (fixture), ==, 0);

  close (fd);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_assert_cmpuint (count_tradegecko_orders (fixture), ==, 1);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_null (strstr (out, "Another Order Relay"));
}

/* Requests Squarespace or TradeGecko received; @unanswered: only those not
 * answered yet (the request log gives an entry its status once answered). */
static guint
count_logged (Fixture    *fixture,
              const char *method,
              const char *suffix,
              gboolean    unanswered)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (fixture->base.sandbox);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (request, "method"), method) &&
          g_str_has_suffix (json_object_get_string_member (request, "path"), suffix) &&
          !(unanswered && json_object_has_member (request, "status")))
        n++;
    }
  return n;
}

static guint
count_log_requests (Fixture    *fixture,
                    const char *method,
                    const char *suffix)
{
  return count_logged (fixture, method, suffix, FALSE);
}

/* The orders placed are delivered and shipped in TradeGecko: their tracking waits to go back. */
static void
deliver_and_ship (Fixture *fixture)
{
  g_autoptr(JsonArray) orders = NULL;

  connect_both (fixture);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  orders = list_orders (fixture);
  ship_all (fixture, orders);
}

/* `sync --once` is started and killed (SIGKILL) once Squarespace has received
 * @posts fulfilment POSTs to paths ending in @suffix (@unanswered: all still
 * unanswered at one time). */
static void
kill_sync_at_posts (Fixture    *fixture,
                    const char *suffix,
                    gboolean    unanswered,
                    guint       posts)
{
  g_autoptr(GSubprocess) process = spawn_sync_once (fixture);

  RELAY_TEST_ITERATE_UNTIL (count_logged (fixture, "POST", suffix, unanswered) >= posts, 30);
  g_subprocess_force_exit (process);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
}

/* kill -9 while Squarespace is still working on a slow fulfilment POST, and
 * restarted at once: the restart does not post again while the write may still
 * land; once it has, the order is confirmed with one shipment. */
static void
test_kill_during_slow_post (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *id = add_order (fixture, "BEAN-1", 1);
  g_autofree char *posts = g_strdup_printf ("/%s/fulfillments", id);
  g_autoptr(JsonArray) orders = NULL;

  deliver_and_ship (fixture);
  relay_sandbox_add_fault (fixture->base.sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DELAY, 2500, 1);
  kill_sync_at_posts (fixture, posts, FALSE, 1);

  /* Restarted at once: Squarespace has not recorded it yet, and is not asked again. */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_assert_cmpuint (count_log_requests (fixture, "POST", posts), ==, 1);

  /* The slow write lands; the next sync finds it there. */
  RELAY_TEST_ITERATE_UNTIL (assert_one_shipment_each (fixture) > 0, 30);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  orders = list_orders (fixture);
  g_test_message ("kill -9 mid-post: 1 order, %u shipment(s), %u fulfilment POST(s)",
                  assert_one_shipment_each (fixture), count_log_requests (fixture, "POST", posts));
  g_assert_cmpstr (json_object_get_string_member (find_listed (orders, id), "stage"), ==, "confirmed");
  g_assert_cmpuint (assert_one_shipment_each (fixture), ==, 1);
  g_assert_cmpuint (count_log_requests (fixture, "POST", posts), ==, 1);
}

/* Tracking posts go out several at once, each order under its own in-flight
 * marker: kill -9 while two slow posts are under way together, restart at
 * once and again once they have landed: every order is confirmed with its
 * shipment posted exactly once, none lost, none sent twice. */
static void
test_kill_during_concurrent_posts (Fixture       *fixture,
                                   gconstpointer  data)
{
  const guint placed = 6;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) orders = NULL;

  for (guint i = 0; i < placed; i++)
    g_ptr_array_add (ids, add_order (fixture, i % 2 ? "MUG-1" : "BEAN-1", 1));
  deliver_and_ship (fixture);
  relay_sandbox_add_fault (fixture->base.sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST", "/1.0/commerce/orders/",
                           RELAY_SANDBOX_FAULT_DELAY, 2500, 1000);
  /* Two posts unanswered at one time: they overlap (one at a time never gets there). */
  kill_sync_at_posts (fixture, "/fulfillments", TRUE, 2);

  /* Restarted at once: the posts cut off may still land and are not sent again;
   * the orders not yet tried are posted. */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  RELAY_TEST_ITERATE_UNTIL (count_logged (fixture, "POST", "/fulfillments", TRUE) == 0, 30);
  /* Those that landed are found there; a claim whose post never left (queued
   * behind the others when killed) is sent again only once it is older than the
   * HTTP timeout plus a margin (as after a kill before any post). */
  fixture->clock = "+4m";
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);

  orders = list_orders (fixture);
  g_test_message ("kill -9 with posts overlapping: %u orders, %u confirmed, %u shipment(s), %u fulfilment POST(s)",
                  placed, count_in_stage (orders, "confirmed"), assert_one_shipment_each (fixture),
                  count_log_requests (fixture, "POST", "/fulfillments"));
  for (guint i = 0; i < placed; i++)
    {
      g_autofree char *posts = g_strdup_printf ("/%s/fulfillments", (char *) g_ptr_array_index (ids, i));

      g_assert_cmpstr (json_object_get_string_member (find_listed (orders, g_ptr_array_index (ids, i)), "stage"),
                       ==, "confirmed");
      g_assert_cmpuint (count_log_requests (fixture, "POST", posts), ==, 1);
    }
  g_assert_cmpuint (assert_one_shipment_each (fixture), ==, placed);
}

#ifdef RELAY_TEST_HOOKS
/* Paid orders are invoiced and paid in TradeGecko once, whatever step the
 * program is killed at (before the pay action, or after it before the store
 * knew). */
static void
test_crash_pay (Fixture       *fixture,
                gconstpointer  data)
{
  const char *step = data;
  g_autoptr(JsonNode) state = NULL;
  JsonArray *orders;

  set_program_setting (fixture, "mark-paid-orders", "true");

  for (guint i = 0; i < 3; i++)
    g_free (add_order (fixture, "BEAN-1", 1));
  connect_both (fixture);

  g_assert_cmpint (run_cli (fixture, NULL, step, NULL, NULL, "sync", "--once", NULL), ==, 137);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "sync", "--once", NULL), ==, 0);

  g_assert_cmpuint (assert_one_sales_order_each (fixture), ==, 3);
  state = relay_sandbox_dup_state (fixture->base.sandbox);
  orders = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state), "tradegecko"),
                                         "orders");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      g_assert_cmpstr (json_object_get_string_member (order, "payment_status"), ==, "paid");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "payment_ids")), ==, 1);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "invoice_ids")), ==, 1);
    }
}
#endif

/* The store's count of @sku, read from the sandbox's state. */
static gint64
store_quantity (Fixture    *fixture,
                const char *sku)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (fixture->base.sandbox);
  JsonArray *inventory = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                      "squarespace"), "inventory");

  for (guint i = 0; i < json_array_get_length (inventory); i++)
    {
      JsonObject *item = json_array_get_object_element (inventory, i);

      if (g_strcmp0 (json_object_get_string_member (item, "sku"), sku) == 0)
        return json_object_get_int_member (item, "quantity");
    }
  g_error ("no inventory item with SKU %s", sku);
  return -1;
}

static gint64
adjustments (Fixture    *fixture,
             const char *what)
{
  g_autoptr(JsonNode) counts = relay_sandbox_dup_adjustment_counts (fixture->base.sandbox);

  return json_object_get_int_member (json_node_get_object (counts), what);
}

#ifdef RELAY_TEST_HOOKS
/* The warehouse receives goods; `order-relay stock` dies at @step (like SIGKILL), restarts:
 * the store ends with the right counts, and Squarespace applied the adjustment once. */
static void
test_stock_crash_at (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *step = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  connect_both (fixture);
  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->base.sandbox, 11, 0, 25, &error));
  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->base.sandbox, 12, 0, 4, &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_cli (fixture, NULL, step, NULL, NULL, "stock", NULL), ==, 137);
  g_assert_cmpint (adjustments (fixture, "applied"), ==, g_str_equal (step, "stock-after-post") ? 1 : 0);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "stock", "--json", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "stock", NULL), ==, 0);
  g_test_message ("stock crash at %s: %" G_GINT64_FORMAT " adjustment(s) applied, %" G_GINT64_FORMAT
                  " replayed, %" G_GINT64_FORMAT " operation(s)", step, adjustments (fixture, "applied"),
                  adjustments (fixture, "replayed"), adjustments (fixture, "operations"));
  g_assert_cmpint (store_quantity (fixture, "BEAN-1"), ==, 25);
  g_assert_cmpint (store_quantity (fixture, "MUG-1"), ==, 4);
  g_assert_cmpint (adjustments (fixture, "applied"), ==, 1);
  g_assert_cmpint (adjustments (fixture, "operations"), ==, 2);
  g_assert_cmpint (adjustments (fixture, "replayed"), ==, g_str_equal (step, "stock-after-post") ? 1 : 0);
  assert_keys_nowhere (fixture);
}
#endif

/* kill -9 while Squarespace is still working on a slow adjustment, restarted at once: the
 * resend under the same key meets 409 (still in flight) and stays pending; once the slow
 * write has landed, the next resend is a replay. Applied once. */
static void
test_stock_kill_during_slow_post (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("ORDER_RELAY_BIN"), "stock", NULL };

  connect_both (fixture);
  g_assert_true (relay_sandbox_set_tradegecko_stock (fixture->base.sandbox, 11, 0, 9, &error));
  g_assert_no_error (error);
  relay_sandbox_add_fault (fixture->base.sandbox, RELAY_SANDBOX_API_SQUARESPACE, "POST",
                           "/1.0/commerce/inventory/adjustments", RELAY_SANDBOX_FAULT_DELAY, 2500, 1);

  launcher = new_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  RELAY_TEST_ITERATE_UNTIL (count_log_requests (fixture, "POST", "/inventory/adjustments") > 0, 30);
  g_subprocess_force_exit (process);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);

  /* At once: the key is still in flight, the batch stays pending (exit 1, nothing applied). */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "stock", NULL), ==, 1);

  RELAY_TEST_ITERATE_UNTIL (adjustments (fixture, "applied") > 0, 30);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "stock", NULL), ==, 0);
  g_test_message ("stock kill -9 mid-post: %u adjustment POST(s), %" G_GINT64_FORMAT " applied, %" G_GINT64_FORMAT
                  " replayed", count_log_requests (fixture, "POST", "/inventory/adjustments"),
                  adjustments (fixture, "applied"), adjustments (fixture, "replayed"));
  g_assert_cmpint (adjustments (fixture, "applied"), ==, 1);
  g_assert_cmpint (adjustments (fixture, "replayed"), ==, 1);
  g_assert_cmpint (store_quantity (fixture, "BEAN-1"), ==, 9);
}

static void
test_skus (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *rows;

  connect_both (fixture);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, &out, NULL, "skus", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  rows = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "match"), ==, "exact");
      /* The Products API's base price, in Squarespace's Money shape. */
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "price"), "currency"), ==, "USD");
      g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (row, "price"), "value"));
    }
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, NULL, "skus", "--bogus", NULL), ==, 2);
}
#ifndef RELAY_TEST_HOOKS
static void
skip_crash_tests (void)
{
  g_test_skip ("order-relay built without -Dtest_hooks=true (build-aux/build.sh turns it on)");
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/sync", Fixture, NULL, fixture_set_up, test_cli_sync, fixture_tear_down);
  g_test_add ("/cli/errors", Fixture, NULL, fixture_set_up, test_cli_errors, fixture_tear_down);
  g_test_add ("/cli/usage", Fixture, NULL, fixture_set_up, test_cli_usage, fixture_tear_down);
  g_test_add ("/cli/loop", Fixture, NULL, fixture_set_up, test_cli_loop, fixture_tear_down);
  g_test_add ("/cli/insecure-url", Fixture, NULL, fixture_set_up, test_cli_insecure_url, fixture_tear_down);
  g_test_add ("/cli/clock/ahead-15m", Fixture, "+15m", fixture_set_up, test_wrong_clock, fixture_tear_down);
  g_test_add ("/cli/clock/behind-15m", Fixture, "-15m", fixture_set_up, test_wrong_clock, fixture_tear_down);
  g_test_add ("/cli/clock/ahead-3h", Fixture, "+3h", fixture_set_up, test_wrong_clock, fixture_tear_down);
  g_test_add ("/cli/clock/behind-3h", Fixture, "-3h", fixture_set_up, test_wrong_clock, fixture_tear_down);
  g_test_add ("/cli/concurrent/two", Fixture, GUINT_TO_POINTER (2), fixture_set_up, test_concurrent_syncs,
              fixture_tear_down);
  g_test_add ("/cli/concurrent/three", Fixture, GUINT_TO_POINTER (3), fixture_set_up, test_concurrent_syncs,
              fixture_tear_down);
  g_test_add ("/cli/lock-held", Fixture, NULL, fixture_set_up, test_lock_held, fixture_tear_down);
  g_test_add ("/cli/kill-during-slow-post", Fixture, NULL, fixture_set_up, test_kill_during_slow_post,
              fixture_tear_down);
  g_test_add ("/cli/kill-during-concurrent-posts", Fixture, NULL, fixture_set_up, test_kill_during_concurrent_posts,
              fixture_tear_down);
#ifdef RELAY_TEST_HOOKS
  g_test_add ("/cli/stock/crash/stock-before-post", Fixture, "stock-before-post", fixture_set_up,
              test_stock_crash_at, fixture_tear_down);
  g_test_add ("/cli/stock/crash/stock-after-post", Fixture, "stock-after-post", fixture_set_up,
              test_stock_crash_at, fixture_tear_down);
#else
  g_test_add_func ("/cli/stock/crash/stock-before-post", skip_crash_tests);
  g_test_add_func ("/cli/stock/crash/stock-after-post", skip_crash_tests);
#endif
  g_test_add ("/cli/stock/kill-during-slow-post", Fixture, NULL, fixture_set_up, test_stock_kill_during_slow_post,
              fixture_tear_down);
  g_test_add ("/cli/skus", Fixture, NULL, fixture_set_up, test_skus, fixture_tear_down);
#ifdef RELAY_TEST_HOOKS
  for (guint i = 0; i < G_N_ELEMENTS (crash_steps); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/crash/%s", crash_steps[i]);

      g_test_add (path, Fixture, crash_steps[i], fixture_set_up, test_crash_at, fixture_tear_down);
    }
  g_test_add ("/cli/crash-pay/before-pay-post", Fixture, "before-pay-post", fixture_set_up, test_crash_pay,
              fixture_tear_down);
  g_test_add ("/cli/crash-pay/after-pay-post", Fixture, "after-pay-post", fixture_set_up, test_crash_pay,
              fixture_tear_down);
#else
  g_test_add_func ("/cli/crash", skip_crash_tests);
#endif

  return g_test_run ();
}
