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
#include <math.h>
#include <sqlite3.h>
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

/* -1: not given (1,000 to drain; none waiting before a latency run, whose orders would
 * otherwise queue behind a backlog TradeGecko's limit takes a quarter of an hour to drain). */
static int    n_orders = -1;
static char  *customers = NULL;
static char  *db_path = NULL;
static int    rate_scale = 0;
static int    latency_orders = 0;
static int    latency_gap_s = 23;
static int    poll_minutes = 0;
static gboolean mixed_only = FALSE;

static const GOptionEntry entries[] = {
  { "orders", 'n', 0, G_OPTION_ARG_INT, &n_orders, "Orders to drain (default 1000; with --latency, orders already waiting, default 0)", "N" },
  { "customers", 'c', 0, G_OPTION_ARG_STRING, &customers, "returning (known to TradeGecko) or new", "KIND" },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "State database (default: a temporary file)", "PATH" },
  { "rate-limits", 0, 0, G_OPTION_ARG_INT, &rate_scale,
    "Documented rate limits on, time running SCALE times faster; prints ratio-to-floor", "SCALE" },
  { "latency", 0, 0, G_OPTION_ARG_INT, &latency_orders,
    "Place K orders one by one under the real schedule and limits; prints placed → at TradeGecko", "K" },
  { "latency-gap", 0, 0, G_OPTION_ARG_INT, &latency_gap_s, "Seconds between orders placed (default 23)", "S" },
  { "poll-minutes", 0, 0, G_OPTION_ARG_INT, &poll_minutes, "poll-interval-minutes (default: the schema's)", "M" },
  { "mixed-only", 0, 0, G_OPTION_ARG_NONE, &mixed_only,
    "With --rate-limits: only the mixed backlog (its N delivered orders drained without limits)", NULL },
  { NULL }
};

/* The documented limits: Squarespace 300 a minute with a minute's cool-down, TradeGecko 300
 * per 300 s windows aligned to the clock. */
#define SQ_LIMIT     300
#define SQ_WINDOW_S  60
#define TG_LIMIT     300
#define TG_WINDOW_S  300
/* Squarespace's time runs at most this much faster: beyond it (over 10 requests a second; the
 * engine posts about 15 a second on a loaded 2-core machine) the engine's own speed, not the
 * limit, would be what is measured. */
#define SQ_MAX_SCALE 2

/* The client's own Squarespace pacing, as the program ships it: read before the
 * benchmark takes it out of the way for the unlimited runs. */
static guint sq_default_burst, sq_default_per_minute;

static int
squarespace_scale (int scale)
{
  return MIN (scale, SQ_MAX_SCALE);
}

/* ------------------------------------------------------------------------ */
/* The sandbox child                                                         */

/* Order @i of the benchmark, created @seconds_ago. Returning customers cycle through a quarter
 * of the first @n_orders. */
static void
append_order_json (GString  *json,
                   int       i,
                   gboolean  returning,
                   double    seconds_ago,
                   GRand    *rand)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_seconds (now, -seconds_ago);
  g_autofree char *created = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000Z");
  guint n_customers = MAX (n_orders / 4, 1);
  guint customer = returning ? (guint) i % n_customers : (guint) i;
  int lines = g_rand_int_range (rand, 1, 4);

  g_string_append_printf (json, "{\"id\":\"%024x\",\"customerEmail\":\"%s%u@example.com\",\"createdOn\":\"%s\","
                          "\"shippingAddress\":{\"firstName\":\"Cust\",\"lastName\":\"Omer%u\","
                          "\"address1\":\"%u Market St\",\"city\":\"Springfield\",\"postalCode\":\"%05u\","
                          "\"countryCode\":\"US\"},"
                          "\"shippingLines\":[{\"method\":\"Standard\",\"amount\":{\"value\":\"5.00\",\"currency\":\"USD\"}}],"
                          "\"lineItems\":[",
                          i + 1, returning ? "customer" : "new", customer, created,
                          customer, customer + 1, customer % 100000);
  for (int l = 0; l < lines; l++)
    g_string_append_printf (json, "%s{\"sku\":\"SKU-%03d\",\"productName\":\"Item %d\",\"quantity\":%d,"
                            "\"unitPricePaid\":{\"value\":\"%d.99\",\"currency\":\"USD\"}}",
                            l > 0 ? "," : "", (i * 7 + l * 13) % N_VARIANTS, l, 1 + l, 3 + l);
  g_string_append (json, "]}");
}

static JsonNode *
build_scenario (gboolean returning,
                GRand   *rand)
{
  g_autoptr(GString) json = g_string_new ("{\"squarespace\":{\"orders\":[");
  guint n_customers = MAX (n_orders / 4, 1);
  /* Spread over the last 7 days, inside the 14-day first-sync window. */
  gint64 spacing_ms = (gint64) 7 * 24 * 3600 * 1000 / MAX (n_orders, 1);

  for (int i = 0; i < n_orders; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      append_order_json (json, i, returning, (double) ((n_orders - i) * spacing_ms) / 1000.0, rand);
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

  return json_from_string (json->str, NULL);
}

/* Places orders @first … @first + @count − 1, created now. */
static gboolean
add_orders (RelaySandbox *sandbox,
            int           first,
            int           count,
            gboolean      returning,
            GRand        *rand)
{
  for (int i = first; i < first + count; i++)
    {
      g_autoptr(GString) json = g_string_new (NULL);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      append_order_json (json, i, returning, 0, rand);
      node = json_from_string (json->str, &error);
      if (node != NULL)
        id = relay_sandbox_add_squarespace_order (sandbox, json_node_get_object (node), &error);
      if (id == NULL)
        {
          fprintf (stderr, "sandbox: %s\n", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* The documented limits with time running @scale times faster; 0 takes them out of the way. */
static void
set_sandbox_limits (RelaySandbox *sandbox,
                    int           scale)
{
  if (scale <= 0)
    {
      relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_SQUARESPACE, 10000000, SQ_WINDOW_S, 1);
      relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_TRADEGECKO, 10000000, TG_WINDOW_S, 1);
      return;
    }
  relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_SQUARESPACE, SQ_LIMIT, SQ_WINDOW_S / squarespace_scale (scale),
                                SQ_WINDOW_S / squarespace_scale (scale));
  relay_sandbox_set_rate_limit (sandbox, RELAY_SANDBOX_API_TRADEGECKO, TG_LIMIT, TG_WINDOW_S / scale, 1);
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

/* Milliseconds since the epoch of an ISO 8601 date, -1 when it is not one. */
static gint64
iso8601_ms (const char *text)
{
  g_autoptr(GDateTime) when = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return when != NULL ? g_date_time_to_unix (when) * 1000 + g_date_time_get_microsecond (when) / 1000 : -1;
}

/* How the sandbox saw Squarespace order @id, on one line: its modifiedOn and how many of the
 * order listings asked after it was stamped had a window that held it (modifiedAfter <
 * modifiedOn < modifiedBefore) — what tells an order the pull windows skipped (none held it)
 * from one listed and then not delivered, or not asked for at all (no listing since). */
static char *
trace_order (RelaySandbox *sandbox,
             const char   *id)
{
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (sandbox);
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (sandbox);
  JsonArray *orders = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                   "squarespace"), "orders");
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
  const char *modified = NULL;
  guint listings = 0, holding = 0;
  gint64 modified_ms;

  for (guint i = 0; i < json_array_get_length (orders) && modified == NULL; i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (order, "id"), id) == 0)
        modified = json_object_get_string_member (order, "modifiedOn");
    }
  if (modified == NULL)
    return g_strdup ("not in the sandbox");
  modified_ms = iso8601_ms (modified);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      g_autoptr(GHashTable) params = NULL;

      if (g_strcmp0 (json_object_get_string_member (request, "path"), "/1.0/commerce/orders") != 0 ||
          g_strcmp0 (json_object_get_string_member (request, "method"), "GET") != 0)
        continue;
      params = g_uri_parse_params (json_object_get_string_member (request, "query"), -1, "&",
                                   G_URI_PARAMS_WWW_FORM, NULL);
      if (params == NULL || g_hash_table_lookup (params, "modifiedAfter") == NULL)
        continue;  /* a cursor page: its window is its first page's */
      if (iso8601_ms (json_object_get_string_member (request, "time")) < modified_ms)
        continue;  /* asked before the order existed */
      listings++;
      if (iso8601_ms (g_hash_table_lookup (params, "modifiedAfter")) < modified_ms &&
          modified_ms < iso8601_ms (g_hash_table_lookup (params, "modifiedBefore")))
        holding++;
    }
  return g_strdup_printf ("modifiedOn %s, held by %u of the %u pull windows asked since", modified, holding,
                          listings);
}

/* Where the Squarespace time of a phase went, from the requests the sandbox logged since
 * entry @from, in seconds from the phase's first Squarespace request: when the pull read its
 * last page, the first and last tracking posts, and the first sales order POST. Under the
 * sliding window the first burst's spread comes back in every later window. */
static char *
phase_timeline (RelaySandbox *sandbox,
                guint         from)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (sandbox);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
  gint64 start = -1, last_pull = -1, first_post = -1, last_post = -1, first_delivery = -1;
  guint pulls = 0, posts = 0;

  for (guint i = from; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *path = json_object_get_string_member (request, "path");
      gboolean post = g_strcmp0 (json_object_get_string_member (request, "method"), "POST") == 0;
      gint64 at = iso8601_ms (json_object_get_string_member (request, "time"));

      if (g_strcmp0 (json_object_get_string_member (request, "api"), "squarespace") != 0)
        {
          if (post && g_strcmp0 (path, "/orders") == 0 && first_delivery < 0)
            first_delivery = at;
          continue;
        }
      if (start < 0)
        start = at;
      if (!post && g_strcmp0 (path, "/1.0/commerce/orders") == 0)
        last_pull = at, pulls++;
      else if (post && g_str_has_suffix (path, "/fulfillments"))
        {
          if (first_post < 0)
            first_post = at;
          last_post = at, posts++;
        }
    }
#define SINCE(t) ((t) < 0 || start < 0 ? -1.0 : ((t) - start) / 1000.0)
  return g_strdup_printf ("%u pull pages, the last at %.1f s; %u tracking posts from %.1f s to %.1f s; "
                          "first sales order at %.1f s", pulls, SINCE (last_pull), posts, SINCE (first_post),
                          SINCE (last_post), SINCE (first_delivery));
#undef SINCE
}

static int
run_sandbox_child (int      commands,
                   int      replies,
                   gboolean returning)
{
  g_autoptr(RelaySandbox) sandbox = relay_sandbox_new ();
  GRand *rand = g_rand_new_with_seed (42);
  g_autoptr(JsonNode) scenario = build_scenario (returning, rand);
  g_autoptr(GError) error = NULL;
  FILE *in = fdopen (commands, "r");
  FILE *out = fdopen (replies, "w");
  int next_order = n_orders;
  char line[64];
  char id[25];
  guint mark = 0;

  if (!relay_sandbox_start (sandbox, &error) || !relay_sandbox_load_scenario (sandbox, scenario, &error))
    {
      fprintf (stderr, "sandbox: %s\n", error->message);
      return 1;
    }
  /* Quotas out of the way unless a command sets them: the figures are requests, not the
   * services' pacing. */
  set_sandbox_limits (sandbox, 0);
  g_clear_pointer (&scenario, json_node_unref);

  fprintf (out, "%s %s\n", relay_sandbox_get_squarespace_url (sandbox), relay_sandbox_get_tradegecko_url (sandbox));
  fflush (out);

  while (fgets (line, sizeof line, in) != NULL)
    {
      int count;

      if (g_str_has_prefix (line, "ship"))
        fprintf (out, "%u\n", ship_everything (sandbox));
      else if (sscanf (line, "add %d", &count) == 1)
        {
          /* Replies with the id of the last order added (the benchmark's ids are its number in hex). */
          fprintf (out, "%024x\n", add_orders (sandbox, next_order, count, returning, rand) ? next_order + count : 0);
          next_order += count;
        }
      else if (sscanf (line, "limits %d", &count) == 1)
        {
          set_sandbox_limits (sandbox, count);
          fprintf (out, "ok\n");
        }
      else if (g_str_has_prefix (line, "count429"))
        {
          g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (sandbox);
          JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
          guint sq = 0, tg = 0;

          for (guint i = 0; i < json_array_get_length (requests); i++)
            {
              JsonObject *request = json_array_get_object_element (requests, i);

              if (json_object_get_int_member_with_default (request, "status", 0) != 429)
                continue;
              if (g_strcmp0 (json_object_get_string_member (request, "api"), "squarespace") == 0)
                sq++;
              else
                tg++;
            }
          fprintf (out, "%u %u\n", sq, tg);
        }
      else if (g_str_has_prefix (line, "mark"))
        {
          g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (sandbox);

          mark = json_array_get_length (json_object_get_array_member (json_node_get_object (log), "requests"));
          fprintf (out, "%u\n", mark);
        }
      else if (g_str_has_prefix (line, "timeline"))
        {
          g_autofree char *timeline = phase_timeline (sandbox, mark);

          fprintf (out, "%s\n", timeline);
        }
      else if (sscanf (line, "trace %24s", id) == 1)
        {
          g_autofree char *trace = trace_order (sandbox, id);

          fprintf (out, "%s\n", trace);
        }
      else if (g_str_has_prefix (line, "quit"))
        break;
      fflush (out);
    }

  relay_sandbox_stop (sandbox);
  g_rand_free (rand);
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

/* ------------------------------------------------------------------------ */
/* Counting syncs: the default VFS with xSync counted. Each xSync is one      */
/* fsync/fdatasync of the file (plus, rarely, one of its directory).          */

/* The unix VFS gives the database and its journals different method tables: one counting
 * copy for each. */
typedef struct
{
  const sqlite3_io_methods *real;
  sqlite3_io_methods        counting;
} CountingMethods;

static sqlite3_vfs counting_vfs;
static CountingMethods counting_methods[4];
static guint64 n_syncs;

#define DEFINE_COUNTING_SYNC(i) \
  static int \
  counting_sync_##i (sqlite3_file *file, \
                     int           flags) \
  { \
    n_syncs++; \
    return counting_methods[i].real->xSync (file, flags); \
  }
DEFINE_COUNTING_SYNC (0)
DEFINE_COUNTING_SYNC (1)
DEFINE_COUNTING_SYNC (2)
DEFINE_COUNTING_SYNC (3)

static int (*const counting_syncs[]) (sqlite3_file *, int) = {
  counting_sync_0, counting_sync_1, counting_sync_2, counting_sync_3,
};

static void
count_file_syncs (sqlite3_file *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (counting_methods); i++)
    {
      if (counting_methods[i].real == NULL)
        {
          counting_methods[i].real = file->pMethods;
          counting_methods[i].counting = *file->pMethods;
          counting_methods[i].counting.xSync = counting_syncs[i];
        }
      if (counting_methods[i].real == file->pMethods)
        {
          file->pMethods = &counting_methods[i].counting;
          return;
        }
    }
  g_warning ("More kinds of SQLite files than counted: some syncs are missing");
}

static int
counting_open (sqlite3_vfs  *vfs,
               const char   *name,
               sqlite3_file *file,
               int           flags,
               int          *out_flags)
{
  sqlite3_vfs *real = vfs->pAppData;
  int rc = real->xOpen (real, name, file, flags, out_flags);

  /* The file is the real VFS's own; only its method table is swapped for a copy. */
  if (rc == SQLITE_OK && file->pMethods != NULL)
    count_file_syncs (file);
  return rc;
}

static void
count_syncs (void)
{
  sqlite3_vfs *real = sqlite3_vfs_find (NULL);

  counting_vfs = *real;
  counting_vfs.zName = "relay-benchmark-counting";
  counting_vfs.pAppData = real;
  counting_vfs.xOpen = counting_open;
  sqlite3_vfs_register (&counting_vfs, 1);
}

/* ------------------------------------------------------------------------ */
/* Talking to the sandbox child                                              */

typedef struct
{
  FILE *commands;
  FILE *replies;
} Child;

/* Sends the command and returns the reply line, stripped. */
static char * G_GNUC_PRINTF (2, 3)
ask_child (Child      *child,
           const char *format,
           ...)
{
  char line[256];
  va_list args;

  va_start (args, format);
  vfprintf (child->commands, format, args);
  va_end (args);
  fputc ('\n', child->commands);
  fflush (child->commands);
  if (fgets (line, sizeof line, child->replies) == NULL)
    g_error ("The sandbox child went away");
  return g_strstrip (g_strdup (line));
}

/* The documented limits (@scale > 0, time @scale times faster) or none, in the sandbox and in
 * the client's Squarespace pacing (its defaults, time-scaled). */
static void
set_limits (Child            *child,
            RelaySquarespace *squarespace,
            int               scale)
{
  RelayHttp *http = relay_squarespace_get_http (squarespace);
  g_autofree char *reply = ask_child (child, "limits %d", scale);

  if (scale <= 0)
    {
      relay_http_set_pacing (http, 100000, 10000000);
      return;
    }
  relay_http_set_pacing (http, sq_default_burst, sq_default_per_minute * (guint) squarespace_scale (scale));
  relay_http_set_cooldown (http, SQ_WINDOW_S * 1000 / (guint) squarespace_scale (scale));
}

/* The temporary database, when the benchmark made one (@dir not NULL). */
static void
remove_database (const char *dir,
                 const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  if (dir == NULL)
    return;
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static gboolean
wake_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop for @seconds (a bounded wait, the engine's timers run meanwhile). */
static void
run_loop_for (double seconds)
{
  gboolean woken = FALSE;

  g_timeout_add ((guint) (seconds * 1000), wake_cb, &woken);
  while (!woken)
    g_main_context_iteration (NULL, TRUE);
}

/* ------------------------------------------------------------------------ */
/* --rate-limits: how close each flow comes to what the limits allow         */

/* The earliest the last of @requests can be sent under fixed windows of @limit, from the start
 * of a window: the start of the window that holds it. TradeGecko's windows are aligned to the
 * clock (each phase starts on a boundary); the sandbox starts Squarespace's minute at the
 * phase's first request. */
static double
fixed_window_floor (guint  requests,
                    guint  limit,
                    double window_s)
{
  guint windows = (requests + limit - 1) / limit;

  return windows > 1 ? (windows - 1) * window_s : 0;
}

typedef struct
{
  RelaySyncEngine  *engine;
  RelayStore       *store;
  RelaySquarespace *squarespace;
  RelayTradegecko  *tradegecko;
  Child             child;
  int               scale;
} Bench;

typedef gboolean (*PhaseDone) (Bench *bench,
                               guint  target);

static gboolean
nothing_new (Bench *bench,
             guint  target)
{
  return count_stage (bench->store, RELAY_STAGE_NEW) == 0 &&
         count_stage (bench->store, RELAY_STAGE_AT_TRADEGECKO) >= target;
}

static gboolean
all_confirmed (Bench *bench,
               guint  target)
{
  return count_stage (bench->store, RELAY_STAGE_CONFIRMED) >= target;
}

static gboolean
mixed_done (Bench *bench,
            guint  target)
{
  return count_stage (bench->store, RELAY_STAGE_NEW) == 0 && all_confirmed (bench, target);
}

static void
run_until (Bench     *bench,
           PhaseDone  done,
           guint      target)
{
  guint cycles = 0;

  while (!done (bench, target) && cycles++ < MAX_CYCLES)
    run_cycle (bench->engine);
}

/* When each API's requests were last seen to grow (sampled every 50 ms), from the phase's start:
 * how far past its floor each flow's last request came. With Squarespace's sliding window the
 * time its first burst of requests took repeats in every later window, so the time each burst
 * of the client's budget (sq_default_burst requests) ended is kept as well. */
#define MAX_BURSTS 16

typedef struct
{
  Bench   *bench;
  gint64   start;
  Requests before;
  Requests seen;
  double   last_sq_s;
  double   last_tg_s;
  double   sq_burst_end_s[MAX_BURSTS];
} LastRequests;

static void
note_burst_ends (LastRequests *last,
                 guint         sent)
{
  for (guint burst = 0; burst < MAX_BURSTS && (burst + 1) * sq_default_burst <= sent; burst++)
    if (last->sq_burst_end_s[burst] == 0)
      last->sq_burst_end_s[burst] = seconds_since (last->start);
}

static void
print_burst_ends (LastRequests *last,
                  guint         sent)
{
  g_print ("  Squarespace bursts of %u requests ended at (sampled):", sq_default_burst);
  for (guint burst = 0; burst < MAX_BURSTS && (burst + 1) * sq_default_burst <= sent; burst++)
    g_print (" %.1f s", last->sq_burst_end_s[burst]);
  g_print ("\n");
}

static gboolean
sample_requests_cb (gpointer user_data)
{
  LastRequests *last = user_data;
  Requests now;

  count_requests (last->bench->squarespace, last->bench->tradegecko, &now);
  if (now.squarespace != last->seen.squarespace)
    {
      last->last_sq_s = seconds_since (last->start);
      note_burst_ends (last, now.squarespace - last->before.squarespace);
    }
  if (now.tradegecko != last->seen.tradegecko)
    last->last_tg_s = seconds_since (last->start);
  last->seen = now;
  return G_SOURCE_CONTINUE;
}

/* Runs cycles until @done with the limits on; prints the phase and its ratio to the floor. */
static void
measure_phase (Bench      *bench,
               const char *name,
               PhaseDone   done,
               guint       target)
{
  LastRequests last = { bench };
  guint sampler;
  guint sq_429_before = 0, tg_429_before = 0, sq_429 = 0, tg_429 = 0;
  g_autofree char *count_before = NULL;
  g_autofree char *count_after = NULL;
  g_autofree char *timeline = NULL;
  double window_sq = (double) SQ_WINDOW_S / squarespace_scale (bench->scale);
  double window_tg = (double) TG_WINDOW_S / bench->scale;
  Requests before, after;
  double elapsed, floor_sq, floor_tg, floor;
  guint64 syncs = n_syncs;
  gint64 start;

  /* On a TradeGecko window boundary, so that its first window is a whole one. */
  run_loop_for (window_tg - fmod (g_get_real_time () / 1e6, window_tg) + 0.05);
  set_limits (&bench->child, bench->squarespace, bench->scale);
  g_free (ask_child (&bench->child, "mark"));
  count_before = ask_child (&bench->child, "count429");
  sscanf (count_before, "%u %u", &sq_429_before, &tg_429_before);
  count_requests (bench->squarespace, bench->tradegecko, &before);
  start = g_get_monotonic_time ();
  last.start = start;
  last.before = before;
  last.seen = before;
  sampler = g_timeout_add (50, sample_requests_cb, &last);
  run_until (bench, done, target);
  elapsed = seconds_since (start);
  g_source_remove (sampler);
  count_requests (bench->squarespace, bench->tradegecko, &after);
  count_after = ask_child (&bench->child, "count429");
  sscanf (count_after, "%u %u", &sq_429, &tg_429);

  floor_sq = fixed_window_floor (after.squarespace - before.squarespace, SQ_LIMIT, window_sq);
  floor_tg = fixed_window_floor (after.tradegecko - before.tradegecko, TG_LIMIT, window_tg);
  floor = MAX (floor_sq, floor_tg);
  g_print ("phase %-11s %u Squarespace + %u TradeGecko requests in %.1f s; floors %.1f s (Squarespace), "
           "%.1f s (TradeGecko); %" G_GUINT64_FORMAT " syncs\n",
           name, after.squarespace - before.squarespace, after.tradegecko - before.tradegecko, elapsed,
           floor_sq, floor_tg, n_syncs - syncs);
  g_print ("  last request (sampled): Squarespace at %.1f s, TradeGecko at %.1f s; 429 answers: Squarespace %u, "
           "TradeGecko %u\n", last.last_sq_s, last.last_tg_s, sq_429 - sq_429_before, tg_429 - tg_429_before);
  print_burst_ends (&last, after.squarespace - before.squarespace);
  timeline = ask_child (&bench->child, "timeline");
  g_print ("  timeline: %s\n", timeline);
  g_print ("ratio-to-floor %s %.3f\n", name, elapsed > 0 ? floor / elapsed : 0);
}

static int
run_rate_limited (Bench *bench)
{
  guint total = (guint) n_orders;

  double window_sq = (double) SQ_WINDOW_S / squarespace_scale (bench->scale);

  g_print ("documented rate limits, time faster (TradeGecko %d x, Squarespace %d x): Squarespace %d per %.1f s "
           "(cool-down %.1f s), TradeGecko %d per %.1f s; %d orders a phase\n",
           bench->scale, squarespace_scale (bench->scale), SQ_LIMIT, window_sq, window_sq,
           TG_LIMIT, (double) TG_WINDOW_S / bench->scale, n_orders);

  if (!mixed_only)
    {
      /* TradeGecko-bound: pull and deliver the backlog. */
      measure_phase (bench, "tradegecko", nothing_new, total);

      /* Squarespace-bound: every order shipped at once, the tracking goes back. */
      g_free (ask_child (&bench->child, "ship"));
      measure_phase (bench, "squarespace", all_confirmed, total);
    }
  else
    {
      /* The first phases' N confirmed orders, made without limits. */
      set_limits (&bench->child, bench->squarespace, 0);
      run_until (bench, nothing_new, total);
      g_free (ask_child (&bench->child, "ship"));
      run_until (bench, all_confirmed, total);
    }

  /* Mixed: N shipped orders waiting for their tracking and N new orders to deliver. */
  set_limits (&bench->child, bench->squarespace, 0);
  g_free (ask_child (&bench->child, "add %d", n_orders));
  run_until (bench, nothing_new, total);
  g_free (ask_child (&bench->child, "ship"));
  g_free (ask_child (&bench->child, "add %d", n_orders));
  measure_phase (bench, "mixed", mixed_done, 2 * total);

  return count_stage (bench->store, RELAY_STAGE_CONFIRMED) == 2 * total &&
         count_stage (bench->store, RELAY_STAGE_AT_TRADEGECKO) == total ? 0 : 1;
}

/* ------------------------------------------------------------------------ */
/* --latency: order placed → at TradeGecko under the real schedule           */

typedef struct
{
  Bench      *bench;
  GHashTable *placed;      /* Squarespace id → gint64* monotonic µs placed */
  GArray     *latencies;   /* double seconds */
  gboolean    overtime;    /* past the wait: what arrives now is late, not lost */
  guint       late;
  guint       cycles;      /* finished: none for minutes means a cycle is stuck, not an order */
} Latency;

/* Each order placed and now at TradeGecko (or further) counts, once. */
static void
record_delivered (Latency *latency)
{
  GHashTableIter iter;
  gpointer id, placed;

  g_hash_table_iter_init (&iter, latency->placed);
  while (g_hash_table_iter_next (&iter, &id, &placed))
    {
      g_autoptr(RelayOrderRow) row = relay_store_find_order (latency->bench->store, id, NULL);
      double seconds;

      if (row == NULL || !relay_stage_is_delivered (row->stage))
        continue;
      seconds = seconds_since (*(gint64 *) placed);
      g_array_append_val (latency->latencies, seconds);
      if (latency->overtime)
        {
          g_print ("late: %s at TradeGecko %.1f s after it was placed\n", (const char *) id, seconds);
          latency->late++;
        }
      g_hash_table_iter_remove (&iter);
    }
}

static void
order_changed_cb (RelaySyncEngine *engine,
                  const char      *squarespace_id,
                  gpointer         user_data)
{
  record_delivered (user_data);
}

static void
cycle_finished_cb (RelaySyncEngine *engine,
                   const GError    *error,
                   gpointer         user_data)
{
  if (error != NULL)
    g_print ("cycle failed: %s\n", error->message);
  ((Latency *) user_data)->cycles++;
  record_delivered (user_data);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Iterates the main loop until every placed order arrived or @seconds passed. */
static void
wait_for_deliveries (Latency *latency,
                     double   seconds)
{
  for (double waited = 0; g_hash_table_size (latency->placed) > 0 && waited < seconds; waited += 1)
    run_loop_for (1);
}

/* The orders that never arrived: how far each got here, and whether any pull window held it
 * (the sandbox's request log), so a skipped order shows apart from a stuck one. */
static void
report_lost (Bench      *bench,
             GHashTable *placed)
{
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, placed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      g_autoptr(RelayOrderRow) row = relay_store_find_order (bench->store, id, NULL);
      g_autofree char *trace = ask_child (&bench->child, "trace %s", (const char *) id);

      g_print ("lost: %s (%s%s); %s\n", (const char *) id,
               row != NULL ? relay_stage_to_string (row->stage) : "never pulled",
               row != NULL && row->in_flight != RELAY_IN_FLIGHT_NONE ? ", in flight" : "", trace);
    }
}

static int
run_latency (Bench     *bench,
             GSettings *settings)
{
  Latency latency = { bench, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                      g_array_new (FALSE, FALSE, sizeof (double)) };
  guint interval = g_settings_get_uint (settings, "poll-interval-minutes");
  gulong handler, cycle_handler;
  int status;

  /* Real time: the client's own pacing, the documented limits. */
  set_limits (&bench->child, bench->squarespace, 1);
  g_print ("latency: %d orders placed %d s apart, poll-interval-minutes %u, documented rate limits\n",
           latency_orders, latency_gap_s, interval);

  handler = g_signal_connect (bench->engine, "order-changed", G_CALLBACK (order_changed_cb), &latency);
  cycle_handler = g_signal_connect (bench->engine, "cycle-finished", G_CALLBACK (cycle_finished_cb), &latency);
  relay_sync_engine_start (bench->engine);
  for (int i = 0; i < latency_orders; i++)
    {
      gint64 *now = g_new (gint64, 1);

      run_loop_for (latency_gap_s);
      *now = g_get_monotonic_time ();
      g_hash_table_insert (latency.placed, ask_child (&bench->child, "add 1"), now);
    }
  /* Bounded: two poll intervals and a minute after the last order. Then as long again, so
   * that an order that is only slow (a loaded machine) shows as late, not lost. */
  wait_for_deliveries (&latency, 2 * 60.0 * interval + 60);
  latency.overtime = TRUE;
  wait_for_deliveries (&latency, 2 * 60.0 * interval + 60);
  relay_sync_engine_stop (bench->engine);
  g_signal_handler_disconnect (bench->engine, handler);
  g_signal_handler_disconnect (bench->engine, cycle_handler);

  report_lost (bench, latency.placed);
  g_print ("%u cycles finished\n", latency.cycles);
  g_array_sort (latency.latencies, compare_double);
  if (latency.latencies->len > 0)
    g_print ("latency placed -> at TradeGecko  min %.1f s, median %.1f s, max %.1f s ",
             g_array_index (latency.latencies, double, 0),
             g_array_index (latency.latencies, double, latency.latencies->len / 2),
             g_array_index (latency.latencies, double, latency.latencies->len - 1));
  g_print ("(%u of %d orders; %u of them late, %u lost)\n",
           latency.latencies->len, latency_orders, latency.late, g_hash_table_size (latency.placed));
  /* Late is a figure; only a lost order fails the run. */
  status = g_hash_table_size (latency.placed) == 0 ? 0 : 1;
  g_hash_table_unref (latency.placed);
  g_array_unref (latency.latencies);
  return status;
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
  char line[600];
  Requests start, delivered_at, idle_before, idle_after, sweep_before, sweep_after, end;
  guint64 delivered, confirmed;
  gint64 t0, t_delivered;
  double drain_s, post_s;
  struct rusage self_usage, child_usage, setup_usage;
  guint cycles = 0;
  guint64 syncs_start, syncs_delivered, syncs_idle, syncs_end;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_orders < 0)
    n_orders = latency_orders > 0 ? 0 : 1000;
  if (n_orders < (latency_orders > 0 ? 0 : 1))
    {
      g_printerr ("--orders must be positive\n");
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
  /* The whole line: each later command reads exactly its own reply line. */
  if (fgets (line, sizeof line, replies) == NULL || sscanf (line, "%255s %255s", urls[0], urls[1]) != 2)
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
  if (poll_minutes > 0)
    g_settings_set_uint (settings, "poll-interval-minutes", (guint) poll_minutes);
  count_syncs ();
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  squarespace = relay_squarespace_new_for_url (urls[0], &error);
  g_assert_no_error (error);
  tradegecko = relay_tradegecko_new_for_url (urls[1], &error);
  g_assert_no_error (error);
  relay_http_set_key (relay_squarespace_get_http (squarespace), RELAY_SANDBOX_SQUARESPACE_KEY);
  relay_http_set_key (relay_tradegecko_get_http (tradegecko), RELAY_SANDBOX_TRADEGECKO_TOKEN);
  relay_http_get_pacing (relay_squarespace_get_http (squarespace), &sq_default_burst, &sq_default_per_minute);
  relay_http_set_pacing (relay_squarespace_get_http (squarespace), 100000, 10000000);
  engine = relay_sync_engine_new (store, RELAY_ORDER_SOURCE (squarespace), RELAY_ORDER_DESTINATION (tradegecko),
                                  settings);

  getrusage (RUSAGE_SELF, &setup_usage);

  if (rate_scale > 0 || latency_orders > 0)
    {
      Bench bench = { engine, store, squarespace, tradegecko, { commands, replies }, rate_scale };
      int result = rate_scale > 0 ? run_rate_limited (&bench) : run_latency (&bench, settings);

      fprintf (commands, "quit\n");
      fflush (commands);
      waitpid (child, &status, 0);
      remove_database (dir, path);
      return result;
    }

  /* 1. Pull and deliver everything. */
  syncs_start = n_syncs;
  count_requests (squarespace, tradegecko, &start);
  t0 = g_get_monotonic_time ();
  do
    run_cycle (engine), cycles++;
  while (count_stage (store, RELAY_STAGE_NEW) > 0 && cycles < MAX_CYCLES);
  delivered = count_stage (store, RELAY_STAGE_AT_TRADEGECKO);
  drain_s = seconds_since (t0);
  count_requests (squarespace, tradegecko, &delivered_at);
  syncs_delivered = n_syncs;

  /* 2. Idle: N orders wait for shipment, nothing new anywhere. */
  count_requests (squarespace, tradegecko, &idle_before);
  run_cycle (engine);
  count_requests (squarespace, tradegecko, &idle_after);
  syncs_idle = n_syncs;

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
  syncs_end = n_syncs;

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
    g_print ("syncs (fsync) per order         %.2f delivering, %.2f posting tracking (synchronous=FULL)\n",
             (syncs_delivered - syncs_start) / per, (syncs_end - syncs_idle) / per);
  }

  remove_database (dir, path);
  return delivered == (guint64) n_orders && confirmed == delivered ? 0 : 1;
}
