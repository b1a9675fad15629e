/* relay-benchmark.c — drains N orders through the sandbox and measures requests, time and memory
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay-sandbox.h"
#include "relay-squarespace.h"
#include "relay-sync-engine.h"
#include "relay-tradegecko.h"

/* The sandbox runs in a forked child so that the peak RSS of this process is
 * the engine's alone: the sandbox keeps every order of both services in
 * memory, the engine must not. The child takes commands on a pipe. */

#define N_VARIANTS 200
#define MAX_CYCLES 200

static int    n_orders = 1000;
static char  *customers = NULL;
static char  *db_path = NULL;

static const GOptionEntry entries[] = {
  { "orders", 'n', 0, G_OPTION_ARG_INT, &n_orders, "Orders to drain (default 1000)", "N" },
  { "customers", 'c', 0, G_OPTION_ARG_STRING, &customers, "returning (known to TradeGecko) or new", "KIND" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "State database (default: a temporary file)", "PATH" },
  { NULL }
};

/* ------------------------------------------------------------------------ */
/* The sandbox child                                                         */

static JsonNode *
build_scenario (gboolean returning)
{
  g_autoptr(GString) json = g_string_new ("{\"squarespace\":{\"orders\":[");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_customers = MAX (n_orders / 4, 1);
  /* Spread over the last 7 days, inside the 14-day first-sync window. */
  gint64 spacing_ms = (gint64) 7 * 24 * 3600 * 1000 / MAX (n_orders, 1);
  GRand *rand = g_rand_new_with_seed (42);

  for (int i = 0; i < n_orders; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_seconds (now, -(double) ((n_orders - i) * spacing_ms) / 1000.0);
      g_autofree char *created = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000Z");
      guint customer = returning ? (guint) i % n_customers : (guint) i;
      int lines = g_rand_int_range (rand, 1, 4);

      g_string_append_printf (json, "%s{\"id\":\"%024x\",\"customerEmail\":\"%s%u@example.com\",\"createdOn\":\"%s\","
                              "\"shippingAddress\":{\"firstName\":\"Cust\",\"lastName\":\"Omer%u\","
                              "\"address1\":\"%u Market St\",\"city\":\"Springfield\",\"postalCode\":\"%05u\","
                              "\"countryCode\":\"US\"},"
                              "\"shippingLines\":[{\"method\":\"Standard\",\"amount\":{\"value\":\"5.00\",\"currency\":\"USD\"}}],"
                              "\"lineItems\":[",
                              i > 0 ? "," : "", i + 1, returning ? "customer" : "new", customer, created,
                              customer, customer + 1, customer % 100000);
      for (int l = 0; l < lines; l++)
        g_string_append_printf (json, "%s{\"sku\":\"SKU-%03d\",\"productName\":\"Item %d\",\"quantity\":%d,"
                                "\"unitPricePaid\":{\"value\":\"%d.99\",\"currency\":\"USD\"}}",
                                l > 0 ? "," : "", (i * 7 + l * 13) % N_VARIANTS, l, 1 + l, 3 + l);
      g_string_append (json, "]}");
    }

  g_string_append (json, "]},\"tradegecko\":{\"variants\":[");
  for (int v = 0; v < N_VARIANTS; v++)
    g_string_append_printf (json, "%s{\"id\":%d,\"sku\":\"SKU-%03d\",\"product_name\":\"Item\",\"name\":\"%d\"}",
                            v > 0 ? "," : "", 1000 + v, v, v);
  g_string_append (json, "],\"companies\":[");
  for (guint c = 0; returning && c < n_customers; c++)
    g_string_append_printf (json, "%s{\"id\":%u,\"name\":\"Customer %u\",\"company_type\":\"consumer\","
                            "\"email\":\"customer%u@example.com\"}",
                            c > 0 ? "," : "", 100000 + c, c, c);
  g_string_append (json, "],\"addresses\":[");
  for (guint c = 0; returning && c < n_customers; c++)
    g_string_append_printf (json, "%s{\"id\":%u,\"company_id\":%u,\"label\":\"Shipping\",\"first_name\":\"Cust\","
                            "\"last_name\":\"Omer%u\",\"address1\":\"%u Market St\",\"city\":\"Springfield\","
                            "\"zip_code\":\"%05u\",\"country_code\":\"US\"}",
                            c > 0 ? "," : "", 500000 + c, 100000 + c, c, c + 1, c % 100000);
  g_string_append (json, "]}}");

  g_rand_free (rand);
  return json_from_string (json->str, NULL);
}

static guint
ship_everything (RelaySandbox *sandbox)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (sandbox);
  JsonArray *orders = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                   "tradegecko"), "orders");
  guint shipped = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);
      g_autoptr(JsonObject) shipment = json_object_new ();
      g_autofree char *number = g_strdup_printf ("1Z%016" G_GINT64_FORMAT, json_object_get_int_member (order, "id"));

      if (g_strcmp0 (json_object_get_string_member (order, "fulfillment_status"), "shipped") == 0)
        continue;
      json_object_set_string_member (shipment, "tracking_number", number);
      json_object_set_string_member (shipment, "tracking_company", "UPS");
      json_object_set_string_member (shipment, "service", "Ground");
      if (relay_sandbox_ship_tradegecko_order (sandbox, json_object_get_int_member (order, "id"), shipment, NULL) > 0)
        shipped++;
    }
  return shipped;
}

static int
run_sandbox_child (int      commands,
                   int      replies,
                   gboolean returning)
{
  g_autoptr(RelaySandbox) sandbox = relay_sandbox_new ();
  g_autoptr(JsonNode) scenario = build_scenario (returning);
  g_autoptr(GError) error = NULL;
  FILE *in = fdopen (commands, "r");
  FILE *out = fdopen (replies, "w");
  char line[64];

  if (!relay_sandbox_start (sandbox, &error) || !relay_sandbox_load_scenario (sandbox, scenario, &error))
    {
      fprintf (stderr, "sandbox: %s\n", error->message);
      return 1;
    }
  /* Quotas out of the way: the figures are requests, not the services' pacing. */
  relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_SQUARESPACE, 10000000, 60, 1);
  relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_TRADEGECKO, 10000000, 300, 1);
  g_clear_pointer (&scenario, json_node_unref);

  fprintf (out, "%s %s\n", relay_sandbox_get_squarespace_url (sandbox), relay_sandbox_get_tradegecko_url (sandbox));
  fflush (out);

  while (fgets (line, sizeof line, in) != NULL)
    {
      if (g_str_has_prefix (line, "ship"))
        fprintf (out, "%u\n", ship_everything (sandbox));
      else if (g_str_has_prefix (line, "quit"))
        break;
      fflush (out);
    }

  relay_sandbox_stop (sandbox);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The engine                                                                */

typedef struct
{
  guint squarespace;
  guint tradegecko;
} Requests;

static void
count_requests (RelaySquarespace *squarespace,
                RelayTradegecko  *tradegecko,
                Requests         *out)
{
  out->squarespace = relay_http_get_requests_sent (relay_squarespace_get_http (squarespace));
  out->tradegecko = relay_http_get_requests_sent (relay_tradegecko_get_http (tradegecko));
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run_cycle (RelaySyncEngine *engine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_sync_engine_run_cycle_async (engine, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!relay_sync_engine_run_cycle_finish (engine, result, &error))
    {
      g_printerr ("cycle: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static guint64
count_stage (RelayStore *store,
             RelayStage  stage)
{
  guint64 counts[RELAY_N_STAGES] = { 0 };

  relay_store_count_stages (store, counts, NULL);
  return counts[stage];
}

static double
cpu_seconds (const struct rusage *usage)
{
  return usage->ru_utime.tv_sec + usage->ru_stime.tv_sec +
         (usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) / 1e6;
}

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— drain orders through the sandbox");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelaySquarespace) squarespace = NULL;
  g_autoptr(RelayTradegecko) tradegecko = NULL;
  g_autoptr(RelaySyncEngine) engine = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gboolean returning;
  int to_child[2], from_child[2];
  pid_t child;
  FILE *commands, *replies;
  char urls[2][256];
  char line[64];
  Requests start, delivered_at, idle_before, idle_after, sweep_before, sweep_after, end;
  guint64 delivered, confirmed;
  gint64 t0, t_delivered;
  double drain_s, post_s;
  struct rusage self_usage, child_usage, setup_usage;
  guint cycles = 0;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_orders < 1)
    {
      g_printerr ("%s\n", error ? error->message : "--orders must be positive");
      return 2;
    }
  returning = customers == NULL || g_str_equal (customers, "returning");

  /* Fork before any thread exists. */
  if (pipe (to_child) != 0 || pipe (from_child) != 0)
    return 1;
  child = fork ();
  if (child < 0)
    return 1;
  if (child == 0)
    {
      close (to_child[1]);
      close (from_child[0]);
      _exit (run_sandbox_child (to_child[0], from_child[1], returning));
    }
  close (to_child[0]);
  close (from_child[1]);
  commands = fdopen (to_child[1], "w");
  replies = fdopen (from_child[0], "r");
  if (fscanf (replies, "%255s %255s", urls[0], urls[1]) != 2)
    {
      g_printerr ("The sandbox did not start\n");
      return 1;
    }

  if (db_path == NULL)
    {
      dir = g_dir_make_tmp ("relay-benchmark-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "state.db", NULL);
    }
  else
    path = g_strdup (db_path);

  backend = g_memory_settings_backend_new ();
  settings = g_settings_new_with_backend (APP_ID, backend);
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  squarespace = relay_squarespace_new_for_url (urls[0], &error);
  g_assert_no_error (error);
  tradegecko = relay_tradegecko_new_for_url (urls[1], &error);
  g_assert_no_error (error);
  relay_http_set_key (relay_squarespace_get_http (squarespace), RELAY_SANDBOX_SQUARESPACE_KEY);
  relay_http_set_key (relay_tradegecko_get_http (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  relay_http_set_pacing (relay_squarespace_get_http (squarespace), 100000, 10000000);
  engine = relay_sync_engine_new (store, RELAY_ORDER_SOURCE (squarespace), RELAY_ORDER_DESTINATION (tradegecko),
                                  settings);

  getrusage (RUSAGE_SELF, &setup_usage);

  /* 1. Pull and deliver everything. */
  count_requests (squarespace, tradegecko, &start);
  t0 = g_get_monotonic_time ();
  do
    run_cycle (engine), cycles++;
  while (count_stage (store, RELAY_STAGE_NEW) > 0 && cycles < MAX_CYCLES);
  delivered = count_stage (store, RELAY_STAGE_AT_TRADEGECKO);
  drain_s = seconds_since (t0);
  count_requests (squarespace, tradegecko, &delivered_at);

  /* 2. Idle: N orders wait for shipment, nothing new anywhere. */
  count_requests (squarespace, tradegecko, &idle_before);
  run_cycle (engine);
  count_requests (squarespace, tradegecko, &idle_after);

  /* 2b. The same idle cycle with the reconciliation sweep due (it is, on start
   * and every reconcile-interval-minutes): every open order read again. */
  relay_store_set_checkpoint (store, "source.swept-at", "0", NULL);
  count_requests (squarespace, tradegecko, &sweep_before);
  run_cycle (engine);
  count_requests (squarespace, tradegecko, &sweep_after);

  /* 3. TradeGecko ships everything; tracking goes back. */
  fprintf (commands, "ship\n");
  fflush (commands);
  if (fgets (line, sizeof line, replies) == NULL)
    return 1;
  t_delivered = g_get_monotonic_time ();
  do
    run_cycle (engine), cycles++;
  while (count_stage (store, RELAY_STAGE_CONFIRMED) < delivered && cycles < MAX_CYCLES);
  confirmed = count_stage (store, RELAY_STAGE_CONFIRMED);
  post_s = seconds_since (t_delivered);
  count_requests (squarespace, tradegecko, &end);

  fprintf (commands, "quit\n");
  fflush (commands);
  waitpid (child, &status, 0);
  getrusage (RUSAGE_SELF, &self_usage);
  getrusage (RUSAGE_CHILDREN, &child_usage);

  {
    /* End to end, minus the idle cycle measured on its own. */
    guint sq = end.squarespace - start.squarespace - (idle_after.squarespace - idle_before.squarespace) -
               (sweep_after.squarespace - sweep_before.squarespace);
    guint tg = end.tradegecko - start.tradegecko - (idle_after.tradegecko - idle_before.tradegecko) -
               (sweep_after.tradegecko - sweep_before.tradegecko);
    guint sweep = sweep_after.squarespace - sweep_before.squarespace + sweep_after.tradegecko - sweep_before.tradegecko;
    guint idle = idle_after.squarespace - idle_before.squarespace + idle_after.tradegecko - idle_before.tradegecko;
    double polls_per_sweep = (double) g_settings_get_uint (settings, "reconcile-interval-minutes") /
                             g_settings_get_uint (settings, "poll-interval-minutes");
    double per = MAX (delivered, 1);

    g_print ("orders                          %d (%s customers), %" G_GUINT64_FORMAT " delivered, %" G_GUINT64_FORMAT " confirmed, %u cycles\n",
             n_orders, returning ? "returning" : "new", delivered, confirmed, cycles + 1);
    g_print ("requests per order, Squarespace %.3f (%u)\n", sq / per, sq);
    g_print ("requests per order, TradeGecko  %.3f (%u)\n", tg / per, tg);
    g_print ("requests per order, end to end  %.3f\n", (sq + tg) / per);
    g_print ("  of which pull+deliver         %.3f SQ, %.3f TG\n",
             (delivered_at.squarespace - start.squarespace) / per, (delivered_at.tradegecko - start.tradegecko) / per);
    g_print ("requests per idle cycle         %u (Squarespace %u, TradeGecko %u) with %" G_GUINT64_FORMAT " orders waiting\n",
             idle_after.squarespace - idle_before.squarespace + idle_after.tradegecko - idle_before.tradegecko,
             idle_after.squarespace - idle_before.squarespace, idle_after.tradegecko - idle_before.tradegecko,
             delivered);
    g_print ("requests per sweep cycle        %u (%u more than idle) with %" G_GUINT64_FORMAT " open orders; "
             "one sweep per %.0f polls: %.2f per idle poll, amortised\n",
             sweep, sweep - idle, delivered, polls_per_sweep, idle + (sweep - idle) / polls_per_sweep);
    g_print ("wall time                       %.2f s (deliver %.2f s, tracking %.2f s; client pacing and sandbox quotas off)\n",
             drain_s + post_s, drain_s, post_s);
    g_print ("peak RSS, engine process        %ld KiB (%ld KiB before the first cycle)\n",
             self_usage.ru_maxrss, setup_usage.ru_maxrss);
    g_print ("peak RSS, sandbox process       %ld KiB (holds every order of both services)\n", child_usage.ru_maxrss);
    g_print ("CPU time, engine / sandbox      %.1f s / %.1f s\n",
             cpu_seconds (&self_usage), cpu_seconds (&child_usage));
  }

  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return delivered == (guint64) n_orders && confirmed == delivered ? 0 : 1;
}
