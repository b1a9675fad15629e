/* relay-application.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "relay-application.h"
#include "relay-autostart.h"
#include "relay-context.h"
#include "relay-preferences-window.h"
#include "relay-error.h"
#include "relay-sandbox.h"
#include "relay-setup-wizard.h"
#include "relay-sync-engine.h"
#include "relay-sync-progress.h"
#include "relay-ui-utils.h"
#include "relay-window.h"

/* The demo's sandbox ports, so its keyring entries are the same every run. */
#define DEMO_SQUARESPACE_PORT 41001
#define DEMO_TRADEGECKO_PORT  41002
#define DEMO_CONTROL_PORT     41003
#define DEMO_SYNC_SECONDS     10
#define DEMO_APP_ID           APP_ID ".Demo"

/* A store that needs attention: said once, shown until a cycle reaches it again. */
typedef struct
{
  char       *key;       /* "domain:code", to tell a new problem from the same one */
  char       *message;
  const char *button_label;
  const char *action_name;
  gint64      since;     /* Unix s */
} StoreProblem;

#define N_STORES 2
static const char *store_ids[N_STORES] = { "squarespace", "tradegecko" };

struct _RelayApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  GSettings      *settings;
  GCancellable   *cancellable;
  RelaySyncEngine *engine;          /* the context's, once started here */
  RelaySyncProgress *progress;      /* what the running cycle's lanes report */
  RelaySandbox   *sandbox;          /* --demo only */
  GHashTable     *notified;         /* rejected orders already reported */
  GPtrArray      *unseen;           /* numbers of the orders rejected while in the background */
  char           *last_notification;
  StoreProblem    problems[N_STORES]; /* what each store's banner says */
  gint64          last_attempt;     /* Unix ms the last cycle started */
  gint64          next_demo_pace;   /* Unix ms of the demo's next paced cycle */
  guint           status_source;
  guint           demo_pace_source;
  RelayContext   *context;          /* settings, keyring, store, clients and engine, as the command line has them */
  gboolean        opening_clients;
  gboolean        connected;
  gboolean        demo;
  gboolean        held;             /* running in the background without a window */
  gboolean        start_hidden;     /* --background: started at login, no window */
  gboolean        quit_after_cycle;

  /* Borrowed: the open setup wizard, if any (weak pointer) */
  RelaySetupWizard *wizard;
};

G_DEFINE_FINAL_TYPE (RelayApplication, relay_application, ADW_TYPE_APPLICATION)

enum {
  STORES_CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
setup_wizard_finished_cb (RelayApplication *self,
                          RelaySetupWizard *wizard)
{
  g_assert (RELAY_IS_APPLICATION (self));

  g_debug ("Setup finished: both stores are connected");
  /* A key may be new (reconnected): the engine is made again with the keys now in the keyring. */
  if (self->engine != NULL)
    {
      relay_context_close_engine (self->context);
      g_clear_object (&self->engine);
    }
  g_signal_emit (self, signals[STORES_CONNECTED], 0);
}

static gboolean
main_window_close_request_cb (RelayApplication *self,
                              GtkWindow        *window)
{
  if (self->engine != NULL && g_settings_get_boolean (self->settings, "run-in-background"))
    {
      /* Keep running, and syncing, without a window. */
      if (!self->held)
        {
          self->held = TRUE;
          g_application_hold (G_APPLICATION (self));
        }
      g_debug ("Window closed: syncing in the background");
      return FALSE;
    }

  if (self->engine != NULL && relay_sync_engine_get_busy (self->engine) && !self->quit_after_cycle)
    {
      /* Quit once the request under way is answered, never in the middle of it. */
      self->quit_after_cycle = TRUE;
      g_application_hold (G_APPLICATION (self));
      g_debug ("Window closed: quitting after the cycle under way");
    }

  return FALSE;
}

static GtkWindow *
ensure_main_window (RelayApplication *self)
{
  GtkWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (RELAY_IS_WINDOW (l->data))
        {
          window = l->data;
          break;
        }
    }

  if (window == NULL)
    {
      window = GTK_WINDOW (relay_window_new (self));
      g_signal_connect_object (window, "close-request", G_CALLBACK (main_window_close_request_cb), self, G_CONNECT_SWAPPED);

      /* Back from the background: the window keeps the app alive again. */
      if (self->held)
        {
          self->held = FALSE;
          g_application_release (G_APPLICATION (self));
        }
    }

  return window;
}

/* The wizard is modal over the main window but not one of the application's
 * windows: the main window stays the active one behind it. */
static void
show_setup_wizard (RelayApplication *self)
{
  GtkWindow *window;

  if (self->wizard != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->wizard));
      return;
    }

  window = ensure_main_window (self);
  gtk_window_present (window);

  /* The wizard's item aliases go to the store the engine reads: the demo's in demo mode. */
  self->wizard = relay_setup_wizard_new (window, self->context, relay_application_get_store (self));
  if (self->sandbox != NULL)
    relay_setup_wizard_set_demo (self->wizard,
                                 relay_sandbox_get_squarespace_url (self->sandbox),
                                 relay_sandbox_get_tradegecko_url (self->sandbox));
  g_object_add_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
  g_signal_connect_object (self->wizard, "finished", G_CALLBACK (setup_wizard_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->wizard));
}

/* A new key for one store: its page, directly. */
static void
relay_application_reconnect_store_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  RelayApplication *self = user_data;
  gboolean open = self->wizard != NULL;

  show_setup_wizard (self);
  if (!open && self->wizard != NULL)
    relay_setup_wizard_reconnect (self->wizard, g_variant_get_string (parameter, NULL));
}

static void
relay_application_reconnect_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  RelayApplication *self = user_data;

  g_assert (RELAY_IS_APPLICATION (self));

  show_setup_wizard (self);
}

static void
relay_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  RelayApplication *self = user_data;
  static const char *developers[] = { "The Order Relay developers", NULL };
  GtkWindow *window;

  g_assert (RELAY_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Order Relay"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Order Relay developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Moves orders from Squarespace to TradeGecko and shipment tracking back."),
                         "website", "https://github.com/orderrelay/order-relay",
                         "issue-url", "https://github.com/orderrelay/order-relay/issues",
                         "developers", developers,
                         "copyright", "© 2026 The Order Relay developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
relay_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  RelayApplication *self = user_data;

  g_assert (RELAY_IS_APPLICATION (self));

  g_application_quit (G_APPLICATION (self));
}

static RelayWindow *
find_main_window (RelayApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (RELAY_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
show_store_health (RelayApplication *self,
                   RelayWindow      *window)
{
  for (guint i = 0; window != NULL && i < N_STORES; i++)
    relay_window_set_store_health (window, store_ids[i], self->problems[i].message,
                                   self->problems[i].button_label, self->problems[i].action_name);
}

/* Opens (or raises) the main window with its store. */
static RelayWindow *
present_main_window (RelayApplication *self)
{
  RelayWindow *window = RELAY_WINDOW (ensure_main_window (self));
  RelayStore *store = relay_application_get_store (self);

  if (store != NULL)
    relay_window_set_store (window, store);
  relay_window_set_connected (window, self->connected);
  relay_window_set_demo (window, self->sandbox != NULL);
  /* The window shows what the notification said. */
  g_ptr_array_set_size (self->unseen, 0);
  g_application_withdraw_notification (G_APPLICATION (self), "orders-need-attention");
  show_store_health (self, window);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}


/* ------------------------------------------------------------------------ */
/* The sync engine, on the main loop while the app runs                      */

static gboolean
has_problem (RelayApplication *self)
{
  for (guint i = 0; i < N_STORES; i++)
    if (self->problems[i].message != NULL)
      return TRUE;

  return FALSE;
}

/* "in 40 s", "in 5 min": the next request really goes out then. */
static char *
format_wait (gint64 ms)
{
  gint64 seconds = MAX (1, (ms + 999) / 1000);

  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d second", "in %d seconds", seconds), (int) seconds);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", (seconds + 59) / 60),
                          (int) ((seconds + 59) / 60));
}

/* When the next cycle really starts: the engine's schedule (with its back-off),
 * or the demo's pace while nothing is wrong. */
static gint64
dup_next_try (RelayApplication *self)
{
  gint64 next = relay_sync_engine_get_next_sync (self->engine) * 1000;

  if (self->demo_pace_source != 0 && !has_problem (self) && self->next_demo_pace > 0 &&
      (next == 0 || self->next_demo_pace < next))
    next = self->next_demo_pace;

  return next;
}

/* The subtitle: the last success (of the store that is behind), the last
 * attempt when it failed, and when the next try really is. */
static void
update_sync_status (RelayApplication *self)
{
  RelayWindow *window = find_main_window (self);
  gint64 now = g_get_real_time () / 1000;
  gint64 last_success = G_MAXINT64;
  g_autoptr(GString) status = g_string_new (NULL);
  gboolean problem;
  gint64 next;
  gint64 offset;

  if (window == NULL)
    return;
  if (self->engine == NULL)
    {
      relay_window_set_sync_status (window, NULL);
      return;
    }

  problem = has_problem (self);
  for (guint i = 0; i < N_STORES; i++)
    if (!problem || self->problems[i].message != NULL)
      last_success = MIN (last_success, relay_sync_engine_get_last_sync (self->engine, store_ids[i]) * 1000);

  if (last_success <= 0)
    g_string_append (status, _("Not synced yet"));
  else
    {
      g_autofree char *when = relay_format_relative_time (last_success, now);

      /* Translators: %s is a relative time, “2 min ago” */
      g_string_append_printf (status, _("Synced %s"), when);
    }

  if (problem && self->last_attempt > last_success)
    {
      g_autofree char *when = relay_format_relative_time (self->last_attempt, now);

      /* Translators: %s is a relative time, “just now” */
      g_string_append_printf (status, _(" · last try %s failed"), when);
    }

  next = dup_next_try (self);
  /* Another process holds the sync (the command line, a second session): it is the one syncing. */
  if (relay_sync_engine_get_other_sync_pid (self->engine) > 1)
    g_string_append_printf (status, _(" · another Order Relay is syncing (process %d)"),
                            (int) relay_sync_engine_get_other_sync_pid (self->engine));
  else if (relay_sync_engine_get_other_sync_pid (self->engine) == 1)
    g_string_append (status, _(" · another Order Relay is syncing"));
  else if (relay_sync_engine_get_busy (self->engine))
    g_string_append (status, _(" · syncing now"));
  else if (next > now)
    {
      g_autofree char *wait = format_wait (next - now);

      /* Translators: %s is “in 5 minutes” */
      g_string_append_printf (status, problem ? _(" · next try %s") : _(" · next sync %s"), wait);
    }

  offset = relay_sync_engine_get_clock_offset (self->engine);
  if (ABS (offset) > RELAY_SYNC_ENGINE_CLOCK_SKEW_WARN_S)
    g_string_append_printf (status, offset < 0 ? _(" · this computer’s clock is %d min ahead of Squarespace’s")
                                               : _(" · this computer’s clock is %d min behind Squarespace’s"),
                            (int) ((ABS (offset) + 30) / 60));

  relay_window_set_sync_status (window, status->str);
}

static gboolean
status_tick_cb (gpointer user_data)
{
  update_sync_status (user_data);
  return G_SOURCE_CONTINUE;
}

/* The running cycle's progress, as far as the lanes reported it, in the window if one is open. */
static void
show_progress (RelayApplication *self)
{
  RelayWindow *window = find_main_window (self);
  g_autofree char *text = NULL;

  if (window == NULL)
    return;

  text = relay_sync_progress_dup_text (self->progress);
  relay_window_set_progress (window, text, relay_sync_progress_get_fraction (self->progress));
}

static void
engine_progress_cb (RelayApplication *self,
                    const char       *flow,
                    guint             done,
                    guint             total,
                    RelaySyncEngine  *engine)
{
  relay_sync_progress_update (self->progress, flow, done, total);
  show_progress (self);
}

static void
engine_cycle_started_cb (RelayApplication *self)
{
  self->last_attempt = g_get_real_time () / 1000;
  relay_sync_progress_reset (self->progress);
  show_progress (self);
  update_sync_status (self);
}

static void
store_problem_clear (StoreProblem *problem)
{
  g_clear_pointer (&problem->key, g_free);
  g_clear_pointer (&problem->message, g_free);
  problem->button_label = NULL;
  problem->action_name = NULL;
  problem->since = 0;
}

/* A store's banner goes once a cycle reached the store after the problem. */
static void
withdraw_resolved_problems (RelayApplication *self,
                            gboolean          cycle_succeeded)
{
  for (guint i = 0; i < N_STORES; i++)
    {
      StoreProblem *problem = &self->problems[i];

      if (problem->message == NULL)
        continue;
      if (cycle_succeeded || relay_sync_engine_get_last_sync (self->engine, store_ids[i]) > problem->since)
        {
          g_debug ("%s is healthy again", store_ids[i]);
          store_problem_clear (problem);
        }
    }
  show_store_health (self, find_main_window (self));
}

static void
engine_cycle_finished_cb (RelayApplication *self,
                          const GError     *error)
{
  RelayWindow *window = find_main_window (self);

  if (window != NULL)
    relay_window_set_progress (window, NULL, 0.0);
  if (error != NULL)
    g_debug ("Sync cycle ended early: %s", error->message);
  withdraw_resolved_problems (self, error == NULL);
  update_sync_status (self);

  /* Closing without running in the background waits for this. */
  if (self->quit_after_cycle)
    {
      self->quit_after_cycle = FALSE;
      g_application_release (G_APPLICATION (self));
      g_application_quit (G_APPLICATION (self));
    }
}

static void
notify (RelayApplication *self,
        const char       *id,
        const char       *title,
        const char       *body,
        const char       *action,
        GVariant         *target)
{
  g_autoptr(GNotification) notification = NULL;

  g_free (self->last_notification);
  self->last_notification = g_strdup (title);

  if (!g_settings_get_boolean (self->settings, "notify-problems"))
    return;

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target_value (notification, action, target);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static guint
store_index (const char *store_id)
{
  return g_strcmp0 (store_id, "squarespace") == 0 ? 0 : 1;
}

static void
engine_connection_problem_cb (RelayApplication *self,
                              const char       *store_id,
                              const GError     *error)
{
  StoreProblem *problem = &self->problems[store_index (store_id)];
  RelayWindow *window;
  const char *store_name = g_strcmp0 (store_id, "squarespace") == 0 ? "Squarespace" : "TradeGecko";
  g_autofree char *key = g_strdup_printf ("%s:%d", g_quark_to_string (error->domain), error->code);
  gboolean reconnect;
  gboolean expired;
  gboolean is_new;

  /* What to do depends on the problem: a new key (revoked or read-only), a
   * renewed site then a sync, or just waiting (rate limits, the network). */
  reconnect = g_error_matches (error, RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED) ||
              g_error_matches (error, RELAY_ERROR, RELAY_ERROR_FORBIDDEN);
  expired = g_error_matches (error, RELAY_ERROR, RELAY_ERROR_SITE_EXPIRED);

  is_new = g_strcmp0 (problem->key, key) != 0;
  if (is_new)
    problem->since = g_get_real_time () / G_USEC_PER_SEC;
  g_free (problem->key);
  problem->key = g_steal_pointer (&key);
  g_free (problem->message);
  /* Translators: a store's name, then what is wrong with it */
  problem->message = g_strdup_printf (_("%s needs attention: %s"), store_name, error->message);
  problem->button_label = reconnect ? _("_Reconnect…") : expired ? _("_Sync Now") : NULL;
  problem->action_name = reconnect ? (store_index (store_id) == 0 ? "app.reconnect-store::squarespace"
                                                                  : "app.reconnect-store::tradegecko")
                                   : expired ? "app.sync-now" : NULL;

  /* One persistent place per store: the banner is updated, never repeated. */
  show_store_health (self, find_main_window (self));
  update_sync_status (self);

  /* In the background, a notification, once per problem. */
  window = find_main_window (self);
  if (is_new && self->held && (window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window))))
    {
      /* Translators: a short notification title: the store's name */
      g_autofree char *title = g_strdup_printf (_("%s needs attention"), store_name);

      notify (self, "connection-problem", title, problem->message,
              reconnect ? "app.reconnect" : "app.activate", NULL);
    }
}

static void
engine_order_changed_cb (RelayApplication *self,
                         const char       *squarespace_id)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *title = NULL;
  RelayWindow *window;

  row = relay_store_find_order (relay_application_get_store (self), squarespace_id, NULL);
  if (row == NULL || row->stage != RELAY_STAGE_REJECTED)
    {
      g_hash_table_remove (self->notified, squarespace_id);
      return;
    }
  if (!g_hash_table_add (self->notified, g_strdup (squarespace_id)))
    return;

  /* With the window open the flow header shows it; in the background, a
   * notification; while quitting, nothing. */
  window = find_main_window (self);
  if ((window != NULL && gtk_widget_get_visible (GTK_WIDGET (window))) || !self->held)
    return;

  /* One notification for all of them, replaced as more arrive: "3 orders need attention". */
  g_ptr_array_add (self->unseen, g_strdup (row->order_number));
  if (self->unseen->len == 1)
    {
      title = g_strdup_printf (_("Order #%s needs attention"), row->order_number);
      notify (self, "orders-need-attention", title, row->stage_reason != NULL ? row->stage_reason : "",
              "app.show-order", g_variant_new_string (squarespace_id));
    }
  else
    {
      g_autoptr(GString) body = g_string_new (NULL);

      for (guint i = 0; i < self->unseen->len; i++)
        g_string_append_printf (body, "%s#%s", i > 0 ? ", " : "", (char *) g_ptr_array_index (self->unseen, i));
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order needs attention", "%u orders need attention",
                                            self->unseen->len), self->unseen->len);
      notify (self, "orders-need-attention", title, body->str, "app.show-attention", NULL);
    }
}

static gboolean
demo_pace_cb (gpointer user_data)
{
  RelayApplication *self = user_data;

  self->next_demo_pace = g_get_real_time () / 1000 + DEMO_SYNC_SECONDS * 1000;
  /* A store in trouble is left to the engine's back-off, as a real one would be. */
  if (self->engine != NULL && !has_problem (self))
    relay_sync_engine_sync_now (self->engine);

  return G_SOURCE_CONTINUE;
}

static void
start_engine (RelayApplication *self,
              RelaySyncEngine  *engine)
{
  self->engine = g_object_ref (engine);
  g_signal_connect_object (self->engine, "cycle-started", G_CALLBACK (engine_cycle_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "cycle-finished", G_CALLBACK (engine_cycle_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "progress", G_CALLBACK (engine_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "connection-problem", G_CALLBACK (engine_connection_problem_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "order-changed", G_CALLBACK (engine_order_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::next-sync", G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::other-sync-pid", G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::clock-offset", G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  if (self->status_source == 0)
    self->status_source = g_timeout_add_seconds (5, status_tick_cb, self);

  /* The demo's store is busy: sync every few seconds so orders are seen moving. */
  if (self->sandbox != NULL && self->demo_pace_source == 0)
    {
      self->demo_pace_source = g_timeout_add_seconds (DEMO_SYNC_SECONDS, demo_pace_cb, self);
      self->next_demo_pace = g_get_real_time () / 1000 + DEMO_SYNC_SECONDS * 1000;
    }

  g_debug ("Sync engine started");
  /* An immediate cycle, then one every poll-interval-minutes. */
  relay_sync_engine_start (self->engine);
}

static void
engine_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  RelaySyncEngine *engine;

  self->opening_clients = FALSE;
  engine = relay_context_open_engine_finish (RELAY_CONTEXT (object), result, &error);
  if (engine == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Not syncing: %s", error->message);
      return;
    }

  if (self->engine == NULL && self->connected)
    start_engine (self, engine);
}

/* Both stores are connected: find the keys, then sync. */
static void
ensure_engine (RelayApplication *self)
{
  if (self->engine != NULL)
    {
      relay_sync_engine_sync_now (self->engine);
      return;
    }
  if (self->opening_clients)
    return;

  self->opening_clients = TRUE;
  relay_context_open_engine_async (self->context, self->cancellable, engine_opened_cb, g_object_ref (self));
}

static void
relay_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  RelayApplication *self = user_data;
  GtkWindow *preferences;

  g_assert (RELAY_IS_APPLICATION (self));

  preferences = GTK_WINDOW (relay_preferences_window_new (self->settings, relay_application_get_store (self)));
  relay_preferences_window_set_engine (RELAY_PREFERENCES_WINDOW (preferences), relay_application_get_engine (self));
  /* With TradeGecko connected, tax types and locations are chosen by name. */
  if (relay_context_get_destination (self->context) != NULL)
    relay_preferences_window_set_destination (RELAY_PREFERENCES_WINDOW (preferences),
                                              relay_context_get_destination (self->context));
  gtk_window_set_transient_for (preferences, GTK_WINDOW (find_main_window (self)));
  gtk_window_present (preferences);
}

static void
relay_application_show_order_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  RelayApplication *self = user_data;
  RelayWindow *window;

  g_assert (RELAY_IS_APPLICATION (self));

  window = present_main_window (self);
  relay_window_show_order (window, g_variant_get_string (parameter, NULL));
}

static void
relay_application_sync_now_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  RelayApplication *self = user_data;

  g_assert (RELAY_IS_APPLICATION (self));

  if (self->engine != NULL)
    relay_sync_engine_sync_now (self->engine);
  else if (self->connected)
    ensure_engine (self);
}

static void
relay_application_show_attention_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  RelayWindow *window = present_main_window (RELAY_APPLICATION (user_data));

  g_action_group_activate_action (G_ACTION_GROUP (window), "filter", g_variant_new_string ("attention"));
}

static const GActionEntry app_actions[] = {
  { "show-attention", relay_application_show_attention_action },
  { "about", relay_application_about_action },
  { "quit", relay_application_quit_action },
  { "reconnect", relay_application_reconnect_action },
  { "reconnect-store", relay_application_reconnect_store_action, "s" },
  { "preferences", relay_application_preferences_action },
  { "show-order", relay_application_show_order_action, "s" },
  { "sync-now", relay_application_sync_now_action },
};

/* ------------------------------------------------------------------------ */
/* Start at login                                                            */

static void
autostart_set_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (relay_autostart_set_finish (result, NULL, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_warning ("Could not change starting at login: %s", error->message);
  /* Refused by the desktop: the switch shows that it is off. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_settings_set_boolean (self->settings, "start-at-login", FALSE);
}

/* Starting hidden is only wanted by an app that keeps running without its
 * window: turning either setting off removes what starts it at login. */
static void
start_at_login_changed_cb (RelayApplication *self,
                           const char       *key)
{
  gboolean login = g_settings_get_boolean (self->settings, "start-at-login");
  gboolean wanted = login && g_settings_get_boolean (self->settings, "run-in-background");

  /* Nothing was written for login: a portal would only ask the user again. */
  if (!login && g_str_equal (key, "run-in-background"))
    return;

  relay_autostart_set_async (wanted, self->cancellable, autostart_set_cb, g_object_ref (self));
}

/* Whether an instance holds @name on the session bus (before this one registers). */
static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

static int
relay_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  RelayApplication *self = RELAY_APPLICATION (app);

  if (g_variant_dict_contains (options, "demo"))
    {
      /* A name of its own: never handed to an app running on real stores, and
       * a second --demo presents the running demo instead of starting over
       * (which would delete its database). */
      self->demo = TRUE;
      g_application_set_application_id (app, DEMO_APP_ID);
    }
  else if (!name_has_owner (APP_ID) && name_has_owner (DEMO_APP_ID))
    {
      /* Only the demo runs: show it rather than start a real instance beside it. */
      g_debug ("The demo is running: presenting it");
      g_application_set_application_id (app, DEMO_APP_ID);
    }

  if (g_variant_dict_contains (options, "background"))
    {
      g_autoptr(GError) error = NULL;

      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("order-relay: %s\n", error->message);
          return 1;
        }
      /* Already running, with its window or syncing without one: nothing to start,
       * and no window to pop up at login. */
      if (g_application_get_is_remote (app))
        return 0;
      self->start_hidden = TRUE;
    }

  return -1;
}

static void
relay_application_startup (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *preferences_accels[] = { "<primary>comma", NULL };
  static const char *sync_accels[] = { "<primary>r", NULL };
  static const char *close_accels[] = { "<primary>w", NULL };

  G_APPLICATION_CLASS (relay_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.sync-now", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.close", close_accels);
  if (self->demo && self->sandbox == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!relay_application_start_demo (self, &error))
        g_critical ("Could not start the demo: %s", error->message);
    }

  /* The demo's settings are in memory: it never writes anything that starts at login. */
  if (!self->demo)
    {
      g_signal_connect_object (self->settings, "changed::start-at-login", G_CALLBACK (start_at_login_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::run-in-background", G_CALLBACK (start_at_login_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* Until the stores are connected there is nothing to sync. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now")), FALSE);
}

static void
stores_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean squarespace = FALSE;
  gboolean tradegecko = FALSE;
  gboolean connected;

  connected = relay_context_check_keys_finish (RELAY_CONTEXT (object), result, &squarespace, &tradegecko, &error) &&
              squarespace && tradegecko;
  if (error != NULL)
    g_warning ("Could not look for the stores' keys: %s", error->message);

  if (connected)
    {
      g_signal_emit (self, signals[STORES_CONNECTED], 0);
      return;
    }

  self->connected = FALSE;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now")), FALSE);
  if (find_main_window (self) != NULL)
    relay_window_set_connected (find_main_window (self), FALSE);

  /* Started at login without both keys: nothing to sync, so nothing to keep running. */
  if (self->held && find_main_window (self) == NULL)
    {
      g_debug ("Started in the background without both keys: quitting");
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
      return;
    }

  /* Only over a main window that is still open. */
  if (gtk_application_get_active_window (GTK_APPLICATION (self)) != NULL)
    show_setup_wizard (self);
}

static void
start_in_background (RelayApplication *self)
{
  g_debug ("Started in the background: syncing without a window");
  self->held = TRUE;
  g_application_hold (G_APPLICATION (self));
  relay_context_check_keys_async (self->context, self->cancellable, stores_checked_cb, g_object_ref (self));
}

static void
relay_application_activate (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* Started at login: sync without a window until the app is opened. */
  if (self->start_hidden)
    {
      self->start_hidden = FALSE;
      start_in_background (self);
      return;
    }

  /* The main window first, so the setup opens over it: presenting the main
   * window after the wizard would raise it above the wizard. */
  present_main_window (self);

  /* The demo starts with the setup, pre-filled for the sandbox. */
  if (self->sandbox != NULL && !self->connected)
    show_setup_wizard (self);
  /* A merchant without both keys is taken straight to the setup. */
  else
    relay_context_check_keys_async (self->context, self->cancellable, stores_checked_cb, g_object_ref (self));
}

static void
relay_application_dispose (GObject *object)
{
  RelayApplication *self = RELAY_APPLICATION (object);

  if (self->wizard != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
  self->wizard = NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->status_source, g_source_remove);
  g_clear_handle_id (&self->demo_pace_source, g_source_remove);
  if (self->context != NULL)
    relay_context_close_engine (self->context);
  g_clear_object (&self->engine);
  if (self->sandbox != NULL)
    relay_sandbox_stop (self->sandbox);
  g_clear_object (&self->sandbox);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_pointer (&self->unseen, g_ptr_array_unref);
  g_clear_pointer (&self->last_notification, g_free);
  g_clear_object (&self->progress);
  for (guint i = 0; i < N_STORES; i++)
    store_problem_clear (&self->problems[i]);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (relay_application_parent_class)->dispose (object);
}

static void
relay_application_class_init (RelayApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = relay_application_dispose;

  app_class->handle_local_options = relay_application_handle_local_options;
  app_class->startup = relay_application_startup;
  app_class->activate = relay_application_activate;

  /**
   * RelayApplication::stores-connected:
   *
   * Both stores are connected: at start-up when both keys are in the
   * keyring, or when the setup wizard finished. The sync engine starts from here.
   */
  signals[STORES_CONNECTED] =
    g_signal_new ("stores-connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
stores_connected_cb (RelayApplication *self)
{
  RelayWindow *window;

  self->connected = TRUE;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now")), TRUE);

  window = find_main_window (self);
  if (window != NULL)
    relay_window_set_connected (window, TRUE);

  ensure_engine (self);
}

static void
relay_application_init (RelayApplication *self)
{
  /* Notifications and the window list name the app, not the program. */
  g_set_application_name (_("Order Relay"));
  self->settings = g_settings_new (APP_ID);
  self->context = relay_context_new (self->settings, TRUE);
  self->cancellable = g_cancellable_new ();
  self->progress = relay_sync_progress_new ();
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unseen = g_ptr_array_new_with_free_func (g_free);
  g_application_add_main_option (G_APPLICATION (self), "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Run against the built-in sandbox with a demo store"), NULL);
  g_application_add_main_option (G_APPLICATION (self), "background", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Start without a window and sync, as at login"), NULL);
  g_signal_connect (self, "stores-connected", G_CALLBACK (stores_connected_cb), NULL);
}

RelayApplication *
relay_application_new (void)
{
  return g_object_new (RELAY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/**
 * relay_application_get_settings:
 * @self: a #RelayApplication
 *
 * Returns: (transfer none): the app's #GSettings
 */
GSettings *
relay_application_get_settings (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * relay_application_set_state_path:
 * @self: a #RelayApplication
 * @path: (nullable): the order database to use, %NULL for the default one
 *
 * Chooses the state file before it is first opened (the demo and the tests
 * use their own).
 */
void
relay_application_set_state_path (RelayApplication *self,
                                  const char       *path)
{
  g_return_if_fail (RELAY_IS_APPLICATION (self));

  relay_context_set_state_path (self->context, path);
}

/**
 * relay_application_get_store:
 * @self: a #RelayApplication
 *
 * Opens the order database on first use.
 *
 * Returns: (transfer none) (nullable): the state store, %NULL if it cannot be opened
 */
RelayStore *
relay_application_get_store (RelayApplication *self)
{
  g_autoptr(GError) error = NULL;
  RelayStore *store;

  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  store = relay_context_get_store (self->context, &error);
  if (store == NULL)
    g_warning ("Could not open the order database: %s", error->message);

  return store;
}

/**
 * relay_application_get_context:
 * @self: a #RelayApplication
 *
 * Returns: (transfer none): what the app shares with the command line:
 *   settings, keyring, store, clients and engine
 */
RelayContext *
relay_application_get_context (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->context;
}

/**
 * relay_application_get_connected:
 * @self: a #RelayApplication
 *
 * Returns: whether both stores are connected
 */
gboolean
relay_application_get_connected (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);

  return self->connected;
}

static RelaySandbox *
start_sandbox (guint    squarespace_port,
               guint    tradegecko_port,
               guint    control_port,
               GError **error)
{
  g_autoptr(RelaySandbox) sandbox = relay_sandbox_new ();

  relay_sandbox_set_ports (sandbox, squarespace_port, tradegecko_port, control_port);
  if (!relay_sandbox_start (sandbox, error))
    return NULL;

  return g_steal_pointer (&sandbox);
}

/**
 * relay_application_start_demo:
 * @self: a #RelayApplication, not yet showing anything
 * @error: return location for a #GError
 *
 * What `order-relay --demo` does: starts the sandbox in-process with its demo
 * store (a new order every few seconds, shipped a little later), and points
 * the app at it with settings kept in memory and a state file of its own, so
 * nothing of the merchant's real setup is read or changed. The keys the
 * wizard stores are filed under the sandbox's loopback URLs.
 *
 * Returns: %TRUE when the sandbox runs
 */
gboolean
relay_application_start_demo (RelayApplication  *self,
                              GError           **error)
{
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(RelayContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  GSettings *settings;

  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (self->sandbox == NULL, FALSE);

  /* Fixed ports keep the demo's keyring entries to one pair; any free ones will do. */
  self->sandbox = start_sandbox (DEMO_SQUARESPACE_PORT, DEMO_TRADEGECKO_PORT, DEMO_CONTROL_PORT, &local_error);
  if (self->sandbox == NULL)
    {
      g_debug ("Demo ports busy (%s); using free ones", local_error->message);
      self->sandbox = start_sandbox (0, 0, 0, error);
      if (self->sandbox == NULL)
        return FALSE;
    }
  relay_sandbox_load_demo (self->sandbox);
  relay_sandbox_set_new_order_interval (self->sandbox, 8);
  relay_sandbox_set_auto_ship_delay (self->sandbox, 20);

  backend = g_memory_settings_backend_new ();
  settings = g_settings_new_with_backend (APP_ID, backend);
  g_settings_set_string (settings, "squarespace-url", relay_sandbox_get_squarespace_url (self->sandbox));
  g_settings_set_string (settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (self->sandbox));
  g_settings_set_uint (settings, "poll-interval-minutes", 1);
  /* The demo store goes back four weeks. */
  g_settings_set_uint (settings, "initial-lookback-days", 30);
  g_clear_object (&self->settings);
  self->settings = settings;
  /* The demo's settings name its sandbox: the environment's addresses do not apply. */
  context = relay_context_new (self->settings, FALSE);
  relay_context_take_store_from (context, self->context);
  g_set_object (&self->context, context);

  if (relay_context_get_state_path (self->context) == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "order-relay", NULL);
      g_autofree char *state_path = g_build_filename (dir, "demo-state.sqlite3", NULL);

      g_mkdir_with_parents (dir, 0700);
      /* A fresh demo every time. */
      for (guint i = 0; i < 3; i++)
        {
          static const char *suffixes[] = { "", "-wal", "-shm" };
          g_autofree char *path = g_strconcat (state_path, suffixes[i], NULL);
          g_unlink (path);
        }
      relay_context_set_state_path (self->context, state_path);
    }

  self->demo = TRUE;
  g_debug ("Demo sandbox: %s and %s", relay_sandbox_get_squarespace_url (self->sandbox),
           relay_sandbox_get_tradegecko_url (self->sandbox));

  return TRUE;
}

/**
 * relay_application_get_sandbox:
 * @self: a #RelayApplication
 *
 * Returns: (transfer none) (nullable): the demo's sandbox
 */
RelaySandbox *
relay_application_get_sandbox (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->sandbox;
}

/**
 * relay_application_get_engine:
 * @self: a #RelayApplication
 *
 * Returns: (transfer none) (nullable): the sync engine, once both stores are connected
 */
RelaySyncEngine *
relay_application_get_engine (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->engine;
}

/**
 * relay_application_get_in_background:
 * @self: a #RelayApplication
 *
 * Returns: whether the app keeps running (and syncing) with its window closed
 */
gboolean
relay_application_get_in_background (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);

  return self->held;
}

/**
 * relay_application_get_last_notification:
 * @self: a #RelayApplication
 *
 * Returns: (nullable): the title of the last desktop notification sent
 */
const char *
relay_application_get_last_notification (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->last_notification;
}
