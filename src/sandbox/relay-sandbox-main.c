/* relay-sandbox-main.c — the order-relay-sandbox program
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "relay-sandbox.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
valid_port (int port)
{
  return port >= 0 && port <= 65535;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) ready = NULL;
  g_autofree char *scenario_file = NULL;
  g_autofree char *line = NULL;
  gboolean demo = FALSE;
  int new_order_every = 0;
  int auto_ship_after = 0;
  int squarespace_port = 0;
  int tradegecko_port = 0;
  int control_port = 0;
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Load the built-in demo store (a coffee and tea roaster: ~40 variants, ~25 orders)", NULL },
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario_file,
      "Load a scenario JSON file (see relay-sandbox.h for its shape)", "FILE" },
    { "new-order-every", 0, 0, G_OPTION_ARG_INT, &new_order_every,
      "Place a new Squarespace order every SECONDS (0: never)", "SECONDS" },
    { "auto-ship-after", 0, 0, G_OPTION_ARG_INT, &auto_ship_after,
      "Ship TradeGecko sales orders SECONDS after they are created (0: never)", "SECONDS" },
    { "squarespace-port", 0, 0, G_OPTION_ARG_INT, &squarespace_port,
      "Port of the Squarespace API on 127.0.0.1 (0: any free port)", "N" },
    { "tradegecko-port", 0, 0, G_OPTION_ARG_INT, &tradegecko_port,
      "Port of the TradeGecko API on 127.0.0.1 (0: any free port)", "N" },
    { "control-port", 0, 0, G_OPTION_ARG_INT, &control_port,
      "Port of the control interface on 127.0.0.1 (0: any free port)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— local Squarespace and TradeGecko APIs for Order Relay");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Binds only to 127.0.0.1. When ready, prints one JSON line with the three base URLs:\n"
    "  {\"squarespace\":\"http://127.0.0.1:…\",\"tradegecko\":\"…\",\"control\":\"…\"}\n"
    "and runs until SIGINT or SIGTERM.\n"
    "\n"
    "Credentials it accepts:\n"
    "  Squarespace read-write key  " RELAY_SANDBOX_SQUARESPACE_KEY "\n"
    "  Squarespace read-only key   " RELAY_SANDBOX_SQUARESPACE_READONLY_KEY "\n"
    "  TradeGecko token            " RELAY_SANDBOX_TRADEGECKO_TOKEN "\n"
    "Send them as \"Authorization: Bearer KEY\" (Squarespace also needs a User-Agent).\n"
    "\n"
    "Control interface (JSON over HTTP on the control URL):\n"
    "  GET  /control/state, GET|DELETE /control/requests\n"
    "  POST /control/scenario, POST /control/demo {new_order_every, auto_ship_after}\n"
    "  POST /control/squarespace/orders, …/orders/ID/cancel, …/orders/ID/edit\n"
    "  POST /control/squarespace/expired {expired}, POST /control/squarespace/visibility-lag {seconds}\n"
    "  POST /control/keys/revoke {key}, POST /control/keys/restore {key}\n"
    "  POST /control/tradegecko/variants/ID/stock {stock_on_hand, location_id}\n"
    "  GET  /control/squarespace/adjustments (inventory adjustments applied and replayed)\n"
    "  POST /control/tradegecko/orders/ID/ship {status, tracking_company, tracking_number,\n"
    "       tracking_url, service, lines: [{order_line_item_id, quantity}]}\n"
    "  POST /control/rate-limit {api, limit, window_seconds, cooldown_seconds}\n"
    "  POST|DELETE /control/faults {api, method, path_prefix, fault, status|delay_ms, count}\n"
    "       fault: status, drop-before, drop-after, delay, truncated, not-json,\n"
    "              hang-before, hang-after (never answered)\n"
    "\n"
    "Point Order Relay at it with ORDER_RELAY_SQUARESPACE_URL and ORDER_RELAY_TRADEGECKO_URL.");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!valid_port (squarespace_port) || !valid_port (tradegecko_port) || !valid_port (control_port) ||
      new_order_every < 0 || auto_ship_after < 0)
    {
      g_printerr ("Ports are 0–65535 and intervals are not negative\n");
      return 2;
    }

  sandbox = relay_sandbox_new ();

  if (scenario_file != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_file (parser, scenario_file, &error) ||
          !relay_sandbox_load_scenario (sandbox, json_parser_get_root (parser), &error))
        {
          g_printerr ("Cannot load scenario %s: %s\n", scenario_file, error->message);
          return 1;
        }
    }
  else if (demo)
    relay_sandbox_load_demo (sandbox);

  relay_sandbox_set_ports (sandbox, squarespace_port, tradegecko_port, control_port);
  if (!relay_sandbox_start (sandbox, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  relay_sandbox_set_new_order_interval (sandbox, new_order_every);
  relay_sandbox_set_auto_ship_delay (sandbox, auto_ship_after);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "squarespace");
  json_builder_add_string_value (builder, relay_sandbox_get_squarespace_url (sandbox));
  json_builder_set_member_name (builder, "tradegecko");
  json_builder_add_string_value (builder, relay_sandbox_get_tradegecko_url (sandbox));
  json_builder_set_member_name (builder, "control");
  json_builder_add_string_value (builder, relay_sandbox_get_control_url (sandbox));
  json_builder_end_object (builder);
  ready = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, ready);
  line = json_generator_to_data (generator, NULL);
  printf ("%s\n", line);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  relay_sandbox_stop (sandbox);
  return 0;
}
