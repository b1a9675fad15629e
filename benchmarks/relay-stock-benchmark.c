/* relay-stock-benchmark.c — requests and wall time of a stock cycle with V variants of which
 * C changed at TradeGecko, against the in-process sandbox and a real SQLite file
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "relay-sandbox.h"
#include "relay-squarespace.h"
#include "relay-sync-stock.h"
#include "relay-tradegecko.h"

static int   n_variants = 2000;
static char *changed_list = NULL;

static const GOptionEntry entries[] = {
  { "variants", 'v', 0, G_OPTION_ARG_INT, &n_variants, "Variants in both stores (default 2000)", "V" },
  { "changed", 'c', 0, G_OPTION_ARG_STRING, &changed_list, "Comma list of changed counts (default 0,1,49,120,V)", "C,…" },
  { NULL }
};

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Squarespace mirrors TradeGecko (same SKUs, same counts), as after a first stock sync. */
static JsonNode *
build_scenario (void)
{
  g_autoptr(GString) json = g_string_new ("{\"tradegecko\":{\"variants\":[");

  for (int i = 0; i < n_variants; i++)
    g_string_append_printf (json, "%s{\"id\":%d,\"sku\":\"SKU-%05d\",\"product_name\":\"Product %d\",\"stock_on_hand\":%d}",
                            i ? "," : "", 10000 + i, i, i, 10 + i % 90);
  g_string_append (json, "]}}");
  return json_from_string (json->str, NULL);
}

static guint
requests (RelaySandbox *sandbox)
{
  return relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE) +
         relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO);
}

static RelayStockReport *
run_cycle (RelayStore       *store,
           RelaySquarespace *squarespace,
           RelayTradegecko  *tradegecko)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStockOptions options = { 0, 0, FALSE };
  RelayStockReport *report;

  relay_sync_stock_run_async (store, RELAY_ORDER_SOURCE (squarespace), RELAY_ORDER_DESTINATION (tradegecko),
                              &options, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = relay_sync_stock_run_finish (result, &error);
  if (report == NULL)
    g_error ("stock cycle failed: %s", error->message);
  return report;
}

/* @alias_edit: instead of stock changes, the merchant edits one item alias (the cycle after
 * re-reads both lists once, so the SKUs it concerns are set at once). */
static void
measure (guint    changed,
         gboolean alias_edit)
{
  g_autoptr(RelaySandbox) sandbox = relay_sandbox_new ();
  g_autoptr(JsonNode) scenario = build_scenario ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-stock-benchmark-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "state.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelaySquarespace) squarespace = NULL;
  g_autoptr(RelayTradegecko) tradegecko = NULL;
  g_autoptr(RelayStockReport) first = NULL;
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(RelayStockReport) idle = NULL;
  guint sq_before, tg_before, before;
  gint64 start, elapsed;

  if (!relay_sandbox_start (sandbox, &error) || !relay_sandbox_load_scenario (sandbox, scenario, &error))
    g_error ("sandbox: %s", error->message);
  /* The benchmark counts requests, so the rate limit must not pace it. */
  relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_SQUARESPACE, 1000000, 60, 60);
  relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_TRADEGECKO, 1000000, 60, 60);
  store = relay_store_open (db, &error);
  squarespace = relay_squarespace_new_for_url (relay_sandbox_get_squarespace_url (sandbox), &error);
  tradegecko = relay_tradegecko_new_for_url (relay_sandbox_get_tradegecko_url (sandbox), &error);
  if (store == NULL || squarespace == NULL || tradegecko == NULL)
    g_error ("setup: %s", error->message);
  relay_http_set_key (relay_squarespace_get_http (squarespace), RELAY_SANDBOX_SQUARESPACE_KEY);
  relay_http_set_key (relay_tradegecko_get_http (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);

  /* The first cycle reads everything (no checkpoint yet); the counts already agree. */
  first = run_cycle (store, squarespace, tradegecko);

  /* The warehouse counts C variants; each cycle's checkpoint is TradeGecko's clock, so make the
   * changes land after it. */
  g_usleep (5 * 1000);
  if (alias_edit && !relay_store_set_item_alias (store, "SKU-00000", "SKU-00001", &error))
    g_error ("alias: %s", error->message);
  for (guint i = 0; i < changed; i++)
    if (!relay_sandbox_set_tradegecko_stock (sandbox, 10000 + (gint64) (i * (guint) n_variants / MAX (changed, 1)), 0,
                                             500 + i, &error))
      g_error ("stock: %s", error->message);

  sq_before = relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE);
  tg_before = relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO);
  start = g_get_monotonic_time ();
  report = run_cycle (store, squarespace, tradegecko);
  elapsed = g_get_monotonic_time () - start;

  before = requests (sandbox);
  idle = run_cycle (store, squarespace, tradegecko);

  printf ("%sV=%-6d C=%-6u requests=%-4u (TradeGecko %u GET, Squarespace %u GET + %u POST; aim ≤ %u POST)  "
          "set=%-5u wall=%.1f ms  idle cycle=%u request(s)\n",
          alias_edit ? "alias edited: " : "", n_variants, changed,
          relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE) - sq_before +
          relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO) - tg_before - (requests (sandbox) - before),
          relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO) - tg_before - (requests (sandbox) - before),
          relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE) - sq_before - report->batches,
          report->batches, (changed + RELAY_SYNC_STOCK_BATCH_SIZE - 1) / RELAY_SYNC_STOCK_BATCH_SIZE,
          report->pushed, elapsed / 1000.0, requests (sandbox) - before);

  relay_sandbox_stop (sandbox);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— requests per stock cycle");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) counts = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (changed_list == NULL)
    changed_list = g_strdup_printf ("0,1,49,120,%d", n_variants);

  counts = g_strsplit (changed_list, ",", -1);
  for (guint i = 0; counts[i] != NULL; i++)
    measure (MIN ((guint) g_ascii_strtoull (counts[i], NULL, 10), (guint) n_variants), FALSE);
  measure (0, TRUE);
  return 0;
}
