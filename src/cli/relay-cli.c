/* relay-cli.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "relay-cli.h"
#include "relay-context.h"
#include "relay-credentials.h"
#include "relay-error.h"
#include "relay-json.h"
#include "relay-sync-engine.h"
#include "relay-cli-private.h"
#ifdef RELAY_TEST_HOOKS
#include "relay-sync-engine-private.h"
#endif

/* The headless front: the same engine and state as the window, driven from a
 * terminal, cron or systemd. Exit status: 0 done (rejected orders included),
 * 1 a store could not be reached or a key is missing or refused, 2 usage,
 * 3 another Order Relay kept syncing the same orders for longer than
 * `sync-lock-wait-seconds`. */


/* How often a waiting `sync --once` tries the lock again. */
#define LOCK_POLL_MS 200

/* Real keys are well under 200 characters; anything this long is a pasted file. */
#define MAX_KEY_LENGTH 4096


static const struct
{
  const char *name;
  const char *usage;
  const char *summary;
} commands[] = {
  { "connect", "connect squarespace|tradegecko", N_("verify the key read from standard input and keep it in the keyring") },
  { "disconnect", "disconnect squarespace|tradegecko", N_("forget the store’s key") },
  { "sync", "sync [--once]", N_("run the sync loop until interrupted; --once: one full cycle, then exit") },
  { "orders", "orders [--json] [--stage STAGE] [--search TEXT]", N_("list the local orders") },
  { "retry", "retry ORDER", N_("queue a rejected order again (ORDER = order number or id)") },
  { "alias", "alias add|remove|list [STORE_SKU|variant:ID [TRADEGECKO_SKU]]", N_("manage item aliases") },
  { "status", "status", N_("connections, last sync and orders per stage") },
  { "preview", "preview ORDER [--json]", N_("show line by line what an order would become in TradeGecko, without sending it; --json: only the exact body that would be sent") },
  { "stock", "stock [--json] [--dry-run]", N_("set Squarespace stock from TradeGecko now; --dry-run: only show what would be set") },
  { "skus", "skus [--json]", N_("every Squarespace variant with its TradeGecko match (exact, alias, none, ambiguous)") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: order-relay [COMMAND [ARGUMENTS…]]"));
  fprintf (out, "%s\n", _("Without a command, the window opens (--background: without a window, syncing)."));
  fprintf (out, "%s\n\n", _("--version prints the version."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-50s %s\n", commands[i].usage, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Window options:"));
  fprintf (out, "  %-50s %s\n", "--demo", _("run against the built-in sandbox with a demo store; nothing reaches a real shop"));
  fprintf (out, "  %-50s %s\n", "--version", _("print the version and exit"));
  fprintf (out, "\n%s\n", _("Stages: new, rejected, at_tradegecko, shipped, confirmed, skipped, canceled."));
  fprintf (out, "%s\n", _("ORDER_RELAY_SQUARESPACE_URL and ORDER_RELAY_TRADEGECKO_URL override the API addresses."));
}

int
fail (int         status,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, always. */
  g_strdelimit (message, "\n", ' ');
  fprintf (stderr, "order-relay: %s\n", message);
  return status;
}

void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
wake_cb (gpointer user_data)
{
  gboolean *woken = user_data;

  *woken = TRUE;
  return G_SOURCE_REMOVE;
}

static void
pause_ms (guint ms)
{
  gboolean woken = FALSE;

  g_timeout_add (ms, wake_cb, &woken);
  while (!woken)
    g_main_context_iteration (NULL, TRUE);
}

/* One cycle; while another process syncs, tries again until @wait_s passed. */
static gboolean
run_one_cycle (RelaySyncEngine  *engine,
               guint             wait_s,
               GError          **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) wait_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) local_error = NULL;

      relay_sync_engine_run_cycle_async (engine, NULL, got_result_cb, &result);
      wait_for (&result);
      if (relay_sync_engine_run_cycle_finish (engine, result, &local_error))
        return TRUE;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BUSY) ||
          relay_sync_engine_get_other_sync_pid (engine) == 0 ||
          g_get_monotonic_time () >= deadline)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      pause_ms (LOCK_POLL_MS);
    }
}

static gboolean
parse_service (const char   *name,
               RelayService *out)
{
  if (g_strcmp0 (name, "squarespace") == 0)
    *out = RELAY_SERVICE_SQUARESPACE;
  else if (g_strcmp0 (name, "tradegecko") == 0)
    *out = RELAY_SERVICE_TRADEGECKO;
  else
    return FALSE;
  return TRUE;
}

static char *
dup_base_url (Cli          *cli,
              RelayService  service)
{
  return relay_context_dup_url (cli->context, service);
}

/* The context's engine over both clients with their keys and the state file;
 * a missing key is an error naming the store. */
RelaySyncEngine *
open_engine (Cli     *cli,
             GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_context_open_engine_async (cli->context, NULL, got_result_cb, &result);
  wait_for (&result);
  return relay_context_open_engine_finish (cli->context, result, error);
}

/* Returns: (transfer full): the context's state file */
RelayStore *
open_store (Cli     *cli,
            GError **error)
{
  RelayStore *store = relay_context_get_store (cli->context, error);

  return store != NULL ? g_object_ref (store) : NULL;
}

/* Reads one line from standard input without echo when it is a terminal;
 * *too_long is set (and the rest of the line dropped) past MAX_KEY_LENGTH. */
static char *
read_key (gboolean *too_long)
{
  g_autoptr(GString) key = g_string_new (NULL);
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  int c;

  if (tty)
    {
      fprintf (stderr, "%s", _("Key: "));
      fflush (stderr);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        tty = FALSE;
    }

  *too_long = FALSE;
  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (key->len < MAX_KEY_LENGTH)
        g_string_append_c (key, (char) c);
      else
        *too_long = TRUE;
    }

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }

  g_strstrip (key->str);
  return g_string_free (g_steal_pointer (&key), FALSE);
}

static int
command_connect (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  RelayService service;
  gboolean too_long = FALSE;

  if (argc != 2 || !parse_service (argv[1], &service))
    return fail (EXIT_USAGE, "%s", _("usage: order-relay connect squarespace|tradegecko (the key on standard input)"));

  url = dup_base_url (cli, service);
  key = read_key (&too_long);
  if (too_long)
    {
      memset (key, 0, strlen (key));
      return fail (EXIT_USAGE, _("The text on standard input is longer than %d characters: it is not a %s key"),
                   MAX_KEY_LENGTH, relay_service_get_name (service));
    }
  if (*key == '\0')
    return fail (EXIT_FAILED, _("No %s key on standard input"), relay_service_get_name (service));

  relay_context_verify_key_async (cli->context, service, url, key, RELAY_VERIFY_DEFAULT, NULL, got_result_cb, &result);
  wait_for (&result);
  name = relay_context_verify_key_finish (cli->context, result, NULL, &error);
  if (error != NULL)
    {
      memset (key, 0, strlen (key));
      return fail (EXIT_FAILED, "%s", error->message);
    }

  relay_credentials_store_async (cli->credentials, service, url, key, NULL, got_result_cb, &stored);
  memset (key, 0, strlen (key));
  wait_for (&stored);
  if (!relay_credentials_store_finish (cli->credentials, stored, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  g_print (_("Connected to %s: %s\n"), relay_service_get_name (service), name != NULL ? name : url);
  return 0;
}

static int
command_disconnect (Cli   *cli,
                    int    argc,
                    char **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  RelayService service;

  if (argc != 2 || !parse_service (argv[1], &service))
    return fail (EXIT_USAGE, "%s", _("usage: order-relay disconnect squarespace|tradegecko"));

  url = dup_base_url (cli, service);
  relay_credentials_clear_async (cli->credentials, service, url, NULL, got_result_cb, &result);
  wait_for (&result);
  if (!relay_credentials_clear_finish (cli->credentials, result, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  g_print (_("Disconnected from %s\n"), relay_service_get_name (service));
  return 0;
}

static void
print_counts (RelayStore *store)
{
  guint64 counts[RELAY_N_STAGES] = { 0 };

  if (!relay_store_count_stages (store, counts, NULL))
    return;
  for (guint i = 0; i < RELAY_N_STAGES; i++)
    g_print ("%s%s: %" G_GUINT64_FORMAT, i > 0 ? ", " : "", relay_stage_to_string (i), counts[i]);
  g_print ("\n");
}

static gboolean
quit_cb (gpointer user_data)
{
  gboolean *quit = user_data;

  *quit = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_CONTINUE;
}

static void
loop_problem_cb (RelaySyncEngine *engine,
                 const char      *store_id,
                 const GError    *error,
                 gpointer         user_data)
{
  g_printerr ("order-relay: %s\n", error->message);
}

static void
loop_cycle_finished_cb (RelaySyncEngine *engine,
                        const GError    *error,
                        gpointer         user_data)
{
  print_counts (relay_sync_engine_get_store (engine));
}

static int
command_sync (Cli   *cli,
              int    argc,
              char **argv)
{
  RelaySyncEngine *engine;
  RelayStore *store;
  g_autoptr(GError) error = NULL;
  gboolean once = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--once"))
        once = TRUE;
      else
        return fail (EXIT_USAGE, "%s", _("usage: order-relay sync [--once]"));
    }

  engine = open_engine (cli, &error);
  if (engine == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  store = relay_sync_engine_get_store (engine);
#ifdef RELAY_TEST_HOOKS
  /* Test builds only (-Dtest_hooks=true): the CLI crash tests kill this real
   * process at a chosen step of the cycle. */
  relay_sync_engine_set_crash_point (g_getenv (RELAY_TEST_CRASH_ENV));
#endif

  if (once)
    {
      if (!run_one_cycle (engine, g_settings_get_uint (cli->settings, "sync-lock-wait-seconds"), &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
            return fail (EXIT_BUSY, "%s", error->message);
          print_counts (store);
          return fail (EXIT_FAILED, "%s", error->message);
        }
      print_counts (store);
      return 0;
    }
  else
    {
      gboolean quit = FALSE;
      guint int_id = g_unix_signal_add (SIGINT, quit_cb, &quit);
      guint term_id = g_unix_signal_add (SIGTERM, quit_cb, &quit);

      g_signal_connect (engine, "connection-problem", G_CALLBACK (loop_problem_cb), NULL);
      g_signal_connect (engine, "cycle-finished", G_CALLBACK (loop_cycle_finished_cb), NULL);
      relay_sync_engine_start (engine);
      while (!quit)
        g_main_context_iteration (NULL, TRUE);
      relay_sync_engine_stop (engine);
      /* Let a cancelled cycle unwind before the state is closed. */
      while (relay_sync_engine_get_busy (engine))
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (int_id);
      g_source_remove (term_id);
      return 0;
    }
}

static RelayOrderRow *
find_order (RelayStore  *store,
            const char  *name,
            GError     **error)
{
  RelayOrderRow *row = relay_store_find_order_by_number (store, name, error);

  if (row == NULL && (error == NULL || *error == NULL))
    row = relay_store_find_order (store, name, error);
  if (row == NULL && (error == NULL || *error == NULL))
    g_set_error (error, RELAY_ERROR, RELAY_ERROR_NOT_FOUND, _("No order %s in the local state"), name);
  return row;
}

static int
command_orders (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(RelayOrderRow) last = NULL;
  gboolean json = FALSE;
  int stage = -1;
  const char *search = NULL;

  for (int i = 1; i < argc; i++)
    {
      RelayStage parsed;

      if (g_str_equal (argv[i], "--json"))
        json = TRUE;
      else if (g_str_equal (argv[i], "--stage") && i + 1 < argc && relay_stage_from_string (argv[i + 1], &parsed))
        stage = parsed, i++;
      else if (g_str_equal (argv[i], "--search") && i + 1 < argc)
        search = argv[++i];
      else
        return fail (EXIT_USAGE, "%s", _("usage: order-relay orders [--json] [--stage STAGE] [--search TEXT]"));
    }

  store = open_store (cli, &error);
  if (store == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }

  /* Page through the list so a large history never sits in memory at once. */
  for (;;)
    {
      g_autoptr(GPtrArray) rows = relay_store_query_orders (store, stage, search, last, 200, &error);

      if (rows == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      if (rows->len == 0)
        break;

      for (guint i = 0; i < rows->len; i++)
        {
          RelayOrderRow *row = g_ptr_array_index (rows, i);
          g_autoptr(GPtrArray) shipments = relay_store_dup_shipments (store, row->squarespace_id, NULL);
          const char *problem = row->last_error != NULL ? row->last_error :
                                row->stage == RELAY_STAGE_REJECTED ? row->stage_reason : NULL;

          if (!json)
            {
              g_print ("%-10s %-14s %-13s %-24s %s\n", row->order_number, row->cust_ref ? row->cust_ref : "-",
                       relay_stage_to_string (row->stage), row->customer_email ? row->customer_email : "-",
                       problem ? problem : (row->stage_reason ? row->stage_reason : ""));
              continue;
            }

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "squarespace_id");
          json_builder_add_string_value (builder, row->squarespace_id);
          json_builder_set_member_name (builder, "order_number");
          json_builder_add_string_value (builder, row->order_number);
          json_builder_set_member_name (builder, "cust_po_no");
          json_builder_add_string_value (builder, row->cust_po_no);
          json_builder_set_member_name (builder, "cust_ref");
          json_builder_add_string_value (builder, row->cust_ref);
          json_builder_set_member_name (builder, "stage");
          json_builder_add_string_value (builder, relay_stage_to_string (row->stage));
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, row->stage_reason);
          json_builder_set_member_name (builder, "tradegecko_order_id");
          if (row->tradegecko_order_id > 0)
            json_builder_add_int_value (builder, row->tradegecko_order_id);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "tradegecko_order_number");
          json_builder_add_string_value (builder, row->tradegecko_order_number);
          json_builder_set_member_name (builder, "tracking");
          json_builder_begin_array (builder);
          for (guint j = 0; shipments != NULL && j < shipments->len; j++)
            {
              RelayShipment *shipment = g_ptr_array_index (shipments, j);

              if (shipment->tracking_number != NULL)
                json_builder_add_string_value (builder, shipment->tracking_number);
            }
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, problem);
          json_builder_end_object (builder);
        }

      g_clear_pointer (&last, relay_order_row_free);
      last = g_ptr_array_steal_index (rows, rows->len - 1);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  return 0;
}

static int
command_retry (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    return fail (EXIT_USAGE, "%s", _("usage: order-relay retry ORDER"));

  store = open_store (cli, &error);
  if (store == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  row = find_order (store, argv[1], &error);
  if (row == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  if (!relay_store_requeue (store, row->squarespace_id, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  g_print (_("Order %s is queued again; it is sent at the next sync\n"), row->order_number);
  return 0;
}

static int
command_alias (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = open_store (cli, &error);
  if (store == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (argc == 4 && g_str_equal (argv[1], "add"))
    {
      if (!relay_store_set_item_alias (store, argv[2], argv[3], &error))
        return fail (EXIT_FAILED, "%s", error->message);
      g_print (_("Store SKU %s now means TradeGecko SKU %s\n"), argv[2], argv[3]);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "remove"))
    {
      g_autofree char *existing = relay_store_lookup_item_alias (store, argv[2], &error);

      if (existing == NULL && error != NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      if (existing == NULL)
        return fail (EXIT_USAGE, _("There is no alias for store SKU %s (order-relay alias list shows them)"), argv[2]);
      if (!relay_store_remove_item_alias (store, argv[2], &error))
        return fail (EXIT_FAILED, "%s", error->message);
      g_print (_("Alias for %s removed\n"), argv[2]);
      return 0;
    }
  if (argc == 2 && g_str_equal (argv[1], "list"))
    {
      g_autoptr(GHashTable) aliases = relay_store_dup_item_aliases (store, &error);
      g_autoptr(GList) keys = NULL;

      if (aliases == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      keys = g_list_sort (g_hash_table_get_keys (aliases), (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l != NULL; l = l->next)
        g_print ("%s\t%s\n", (const char *) l->data, (const char *) g_hash_table_lookup (aliases, l->data));
      return 0;
    }

  return fail (EXIT_USAGE, "%s", _("usage: order-relay alias add STORE_SKU TRADEGECKO_SKU | remove STORE_SKU | list"));
}

static char *
format_unix_local (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (seconds);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* What service units and the merchant check: the last cycle that fully ran,
 * whether one runs now, and whether the desktop clock agrees with Squarespace's. */
static void
print_sync_health (RelayStore *store)
{
  g_autofree char *last = relay_store_dup_checkpoint (store, RELAY_SYNC_ENGINE_CHECKPOINT_LAST_SUCCESS, NULL);
  g_autofree char *when = last != NULL ? format_unix_local (g_ascii_strtoll (last, NULL, 10)) : NULL;
  gint64 holder = relay_sync_engine_find_lock_holder (store);
  gint64 offset = 0;

  g_print ("%s: %s\n", _("Last successful cycle"), when != NULL ? when : _("never"));
  if (holder > 1)
    g_print (_("Another Order Relay is syncing (process %d)\n"), (int) holder);
  else if (holder == 1)
    g_print ("%s\n", _("Another Order Relay is syncing"));

  if (!relay_sync_engine_dup_clock_offset (store, &offset))
    return;
  if (ABS (offset) > RELAY_SYNC_ENGINE_CLOCK_SKEW_WARN_S)
    {
      /* Minutes of a clock's error fit an int (as do seconds below). */
      int minutes = (int) ((ABS (offset) + 30) / 60);

      g_print (offset < 0 ? g_dngettext (GETTEXT_PACKAGE,
                                         "Clock: this computer’s clock is %d minute ahead of Squarespace’s; "
                                         "orders are still pulled on Squarespace’s time, but set the clock right\n",
                                         "Clock: this computer’s clock is %d minutes ahead of Squarespace’s; "
                                         "orders are still pulled on Squarespace’s time, but set the clock right\n",
                                         minutes)
                          : g_dngettext (GETTEXT_PACKAGE,
                                         "Clock: this computer’s clock is %d minute behind Squarespace’s; "
                                         "orders are still pulled on Squarespace’s time, but set the clock right\n",
                                         "Clock: this computer’s clock is %d minutes behind Squarespace’s; "
                                         "orders are still pulled on Squarespace’s time, but set the clock right\n",
                                         minutes),
               minutes);
    }
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "Clock: agrees with Squarespace’s (%+d second)\n",
                          "Clock: agrees with Squarespace’s (%+d seconds)\n", (gulong) ABS (offset)),
             (int) offset);
}

static int
command_status (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const RelayService services[] = { RELAY_SERVICE_SQUARESPACE, RELAY_SERVICE_TRADEGECKO };
  gboolean connected[G_N_ELEMENTS (services)] = { FALSE, FALSE };

  if (argc != 1)
    return fail (EXIT_USAGE, "%s", _("usage: order-relay status"));

  store = open_store (cli, &error);
  if (store == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  /* A keyring that cannot answer leaves both "not connected", as a missing key would. */
  relay_context_check_keys_async (cli->context, NULL, got_result_cb, &result);
  wait_for (&result);
  if (!relay_context_check_keys_finish (cli->context, result, &connected[0], &connected[1], &error))
    g_debug ("The keyring did not answer: %s", error->message);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *url = dup_base_url (cli, services[i]);
      g_autofree char *checkpoint = g_strconcat ("last-sync.", relay_service_get_id (services[i]), NULL);
      g_autofree char *last = relay_store_dup_checkpoint (store, checkpoint, NULL);
      g_autofree char *when = NULL;

      if (last != NULL)
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (g_ascii_strtoll (last, NULL, 10));

          when = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
        }
      g_print ("%s (%s): %s; %s %s\n", relay_service_get_name (services[i]), url,
               connected[i] ? _("connected") : _("not connected"), _("last sync"), when ? when : _("never"));
    }

  print_sync_health (store);
  print_counts (store);
  return 0;
}

/* The engine's preview: the lines for a person, or with --json the exact body for a script. */
static int
command_preview (Cli   *cli,
                 int    argc,
                 char **argv)
{
  RelaySyncEngine *engine;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean json = argc == 3 && g_str_equal (argv[2], "--json");

  if (argc != 2 && !json)
    return fail (EXIT_USAGE, "%s", _("usage: order-relay preview ORDER [--json]"));

  engine = open_engine (cli, &error);
  if (engine == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  row = find_order (relay_sync_engine_get_store (engine), argv[1], &error);
  if (row == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  relay_sync_engine_preview_order_async (engine, row->squarespace_id, NULL, got_result_cb, &result);
  wait_for (&result);
  preview = relay_sync_engine_preview_finish (engine, result, &error);
  if (preview == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (json)
    {
      if (relay_preview_get_payload (preview) == NULL)
        return fail (EXIT_FAILED, "%s", relay_preview_get_reason (preview));
      g_print ("%s\n", relay_preview_get_payload (preview));
      return 0;
    }
  text = relay_preview_dup_text (preview);
  g_print ("%s", text);
  return 0;
}

static gboolean
is_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return TRUE;
  return FALSE;
}

/**
 * relay_cli_handles:
 * @argc: the argument count
 * @argv: the arguments
 *
 * Any word is a command: a mistyped one (a typo in a cron line) gets the
 * usage and exit status 2 from relay_cli_run(), never a window. Options
 * (`--gapplication-service`, …) are left to the application.
 *
 * Returns: whether the command line handles these arguments
 */
gboolean
relay_cli_handles (int    argc,
                   char **argv)
{
  if (argc < 2)
    return FALSE;
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    return TRUE;
  if (g_str_equal (argv[1], "--version"))
    return TRUE;
  return argv[1][0] != '-';
}

/**
 * relay_cli_run:
 * @argc: the argument count
 * @argv: the arguments, argv[1] being the command
 *
 * Returns: the exit status
 */
int
relay_cli_run (int    argc,
               char **argv)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  Cli cli = { 0 };
  int status;
  const char *name;

  g_return_val_if_fail (argc >= 2, EXIT_USAGE);

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_help (stdout);
      return 0;
    }
  if (g_str_equal (name, "--version"))
    {
      /* Needs no settings or keyring: a package's smoke test runs it anywhere. */
      printf ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }
  if (!is_command (name))
    {
      g_printerr (_("order-relay: unknown command “%s”\n\n"), name);
      print_help (stderr);
      return EXIT_USAGE;
    }

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return fail (EXIT_FAILED, _("The settings schema %s is not installed"), APP_ID);

  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    cli.context = relay_context_new (settings, TRUE);
  }
  cli.settings = relay_context_get_settings (cli.context);
  cli.credentials = relay_context_get_credentials (cli.context);

  argc--;
  argv++;
  if (g_str_equal (name, "connect"))
    status = command_connect (&cli, argc, argv);
  else if (g_str_equal (name, "disconnect"))
    status = command_disconnect (&cli, argc, argv);
  else if (g_str_equal (name, "sync"))
    status = command_sync (&cli, argc, argv);
  else if (g_str_equal (name, "orders"))
    status = command_orders (&cli, argc, argv);
  else if (g_str_equal (name, "retry"))
    status = command_retry (&cli, argc, argv);
  else if (g_str_equal (name, "alias"))
    status = command_alias (&cli, argc, argv);
  else if (g_str_equal (name, "status"))
    status = command_status (&cli, argc, argv);
  else if (g_str_equal (name, "preview"))
    status = command_preview (&cli, argc, argv);
  else if (g_str_equal (name, "stock"))
    status = relay_cli_command_stock (&cli, argc, argv);
  else if (g_str_equal (name, "skus"))
    status = relay_cli_command_skus (&cli, argc, argv);
  else
    {
      print_help (stderr);
      status = EXIT_USAGE;
    }

  g_clear_object (&cli.context);
  return status;
}
