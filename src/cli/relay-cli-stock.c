/* relay-cli-stock.c — `order-relay stock` and `order-relay skus`
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "relay-cli-private.h"
#include "relay-sku-check.h"
#include "relay-sync-stock.h"
#ifdef RELAY_TEST_HOOKS
#include "relay-sync-engine-private.h"
#endif

static void
add_int_or_null (JsonBuilder *builder,
                 const char  *name,
                 gint64       value,
                 gint64       none)
{
  json_builder_set_member_name (builder, name);
  if (value == none)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

static char *
format_count (gint64 value)
{
  if (value == RELAY_STOCK_UNLIMITED)
    return g_strdup ("unlimited");
  return value < 0 ? g_strdup ("-") : g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static void
print_stock_rows (GPtrArray *rows,
                  gboolean   dry_run)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStockRow *row = g_ptr_array_index (rows, i);
      g_autofree char *available = format_count (row->tradegecko_available);
      g_autofree char *quantity = format_count (row->store_quantity);
      g_autofree char *target = format_count (row->target);

      g_print ("%-16s %-32.32s %6s %6s → %-6s %s\n", row->store_sku ? row->store_sku : "-",
               row->product ? row->product : "", available, quantity, target,
               row->problem ? row->problem : (row->target == row->store_quantity ? _("unchanged")
                                              : dry_run ? _("would set") : _("set")));
    }
}

static void
build_stock_json (JsonBuilder      *builder,
                  RelayStockReport *report,
                  gboolean          dry_run)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, dry_run);
  add_int_or_null (builder, "changed", report->changed, -1);
  add_int_or_null (builder, "planned", report->planned, -1);
  add_int_or_null (builder, "pushed", report->pushed, -1);
  add_int_or_null (builder, "batches", report->batches, -1);
  add_int_or_null (builder, "resent", report->resent, -1);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->rows->len; i++)
    {
      RelayStockRow *row = g_ptr_array_index (report->rows, i);

      json_builder_begin_object (builder);
      add_string (builder, "variant_id", row->store_variant_id);
      add_string (builder, "sku", row->store_sku);
      add_string (builder, "product", row->product);
      add_int_or_null (builder, "tradegecko_variant_id", row->tradegecko_variant_id, 0);
      add_int_or_null (builder, "tradegecko_available", row->tradegecko_available, -1);
      add_int_or_null (builder, "squarespace_quantity", row->store_quantity, -1);
      /* A variant TradeGecko keeps selling when out of stock is set unlimited. */
      if (row->target == RELAY_STOCK_UNLIMITED)
        add_string (builder, "target", "unlimited");
      else
        add_int_or_null (builder, "target", row->target, -1);
      add_string (builder, "problem", row->problem);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * relay_cli_command_stock:
 *
 * One stock cycle now, whatever the schedule (the stock-* settings give location and
 * buffer). --dry-run reads both services and prints the plan; nothing is sent or stored.
 */
int
relay_cli_command_stock (Cli   *cli,
                         int    argc,
                         char **argv)
{
  RelayContext *context = cli->context;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayStockReport) report = NULL;
  g_autoptr(GError) error = NULL;
  RelayStockOptions options;
  gboolean json = FALSE;
  gboolean dry_run = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json"))
        json = TRUE;
      else if (g_str_equal (argv[i], "--dry-run"))
        dry_run = TRUE;
      else
        return fail (EXIT_USAGE, "%s", _("usage: order-relay stock [--json] [--dry-run]"));
    }

  if (open_engine (cli, &error) == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  relay_stock_options_from_settings (cli->settings, &options);
  options.dry_run = dry_run;
#ifdef RELAY_TEST_HOOKS
  /* Test builds only: the CLI crash tests kill this process mid-push. */
  relay_sync_engine_set_crash_point (g_getenv (RELAY_TEST_CRASH_ENV));
#endif
  relay_sync_stock_run_async (relay_context_get_store (context, NULL), relay_context_get_source (context),
                              relay_context_get_destination (context), &options, NULL, got_result_cb, &result);
  wait_for (&result);
  report = relay_sync_stock_run_finish (result, &error);
  if (report == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      build_stock_json (builder, report, dry_run);
      print_json (builder);
      return 0;
    }

  print_stock_rows (report->rows, dry_run);
  if (dry_run)
    g_print (_("%u TradeGecko variants changed; %u Squarespace counts would be set.\n"),
             report->changed, report->planned);
  else
    g_print (_("%u TradeGecko variants changed; %u Squarespace counts set in %u requests (%u resent).\n"),
             report->changed, report->pushed, report->batches, report->resent);
  return 0;
}

/**
 * relay_cli_command_skus:
 *
 * The SKU check: every Squarespace variant with its TradeGecko match.
 * Exit status 0 when every variant matches, 1 when one does not (or on failure).
 */
int
relay_cli_command_skus (Cli   *cli,
                        int    argc,
                        char **argv)
{
  RelayContext *context = cli->context;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = argc == 2 && g_str_equal (argv[1], "--json");
  guint unmatched = 0;

  if (argc > 2 || (argc == 2 && !json))
    return fail (EXIT_USAGE, "%s", _("usage: order-relay skus [--json]"));

  if (open_engine (cli, &error) == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  relay_sku_check_async (relay_context_get_store (context, NULL), relay_context_get_source (context),
                         relay_context_get_destination (context), NULL,
                         got_result_cb, &result);
  wait_for (&result);
  rows = relay_sku_check_finish (result, &error);
  if (rows == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      RelaySkuCheckRow *row = g_ptr_array_index (rows, i);

      if (row->match == RELAY_SKU_MATCH_NONE || row->match == RELAY_SKU_MATCH_AMBIGUOUS)
        unmatched++;
      if (!json)
        {
          g_print ("%-16s %-36.36s %-9s %-16s %s\n", row->store_sku ? row->store_sku : "-",
                   row->product ? row->product : "", relay_sku_match_to_string (row->match),
                   row->tradegecko_sku ? row->tradegecko_sku : "-", row->detail ? row->detail : "");
          continue;
        }
      json_builder_begin_object (builder);
      add_string (builder, "variant_id", row->store_variant_id);
      add_string (builder, "sku", row->store_sku);
      add_string (builder, "product", row->product);
      add_string (builder, "match", relay_sku_match_to_string (row->match));
      add_string (builder, "tradegecko_sku", row->tradegecko_sku);
      add_int_or_null (builder, "tradegecko_variant_id", row->tradegecko_variant_id, 0);
      add_string (builder, "detail", row->detail);
      if (row->has_price)
        {
          /* Squarespace's Money shape: a decimal string and the currency. */
          g_autofree char *value = relay_money_format (&row->price);

          json_builder_set_member_name (builder, "price");
          json_builder_begin_object (builder);
          add_string (builder, "value", value);
          add_string (builder, "currency", row->price.currency);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  if (json)
    {
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    g_print (_("%u Squarespace variants, %u without a single TradeGecko match.\n"), rows->len, unmatched);

  return unmatched == 0 ? 0 : EXIT_FAILED;
}
