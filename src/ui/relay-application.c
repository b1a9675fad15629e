/* relay-application.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-credentials.h"
#include "relay-mapping.h"
#include "relay-preferences-window.h"
#include "relay-setup-wizard.h"
#include "relay-tradegecko.h"
#include "relay-window.h"

struct _RelayApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  GSettings      *settings;
  RelayStore     *store;
  char           *state_path;
  GCancellable   *cancellable;
  gboolean        connected;

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
  g_signal_emit (self, signals[STORES_CONNECTED], 0);
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
    window = GTK_WINDOW (relay_window_new (self));

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

  self->wizard = relay_setup_wizard_new (window, self->settings);
  g_object_add_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
  g_signal_connect_object (self->wizard, "finished", G_CALLBACK (setup_wizard_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->wizard));
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

/* Opens (or raises) the main window with its store. */
static RelayWindow *
present_main_window (RelayApplication *self)
{
  RelayWindow *window = RELAY_WINDOW (ensure_main_window (self));
  RelayStore *store = relay_application_get_store (self);

  if (store != NULL)
    relay_window_set_store (window, store);
  relay_window_set_connected (window, self->connected);
  gtk_window_present (GTK_WINDOW (window));

  return window;
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

typedef struct
{
  RelayApplication *app;
  RelayTradegecko  *tradegecko;
  RelayOrder       *order;
  char             *squarespace_id;
} Preview;

static void
preview_free (Preview *preview)
{
  g_clear_object (&preview->app);
  g_clear_object (&preview->tradegecko);
  g_clear_object (&preview->order);
  g_free (preview->squarespace_id);
  g_free (preview);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Preview, preview_free)

static void
preview_failed (Preview    *preview,
                const char *message)
{
  RelayWindow *window = find_main_window (preview->app);

  if (window != NULL)
    relay_window_add_toast (window, message, NULL, NULL);
  else
    g_warning ("%s", message);
}

static void
show_preview (Preview    *preview,
              const char *text)
{
  GtkWidget *dialog;
  GtkWidget *scroller;
  GtkWidget *label;

  dialog = adw_message_dialog_new (GTK_WINDOW (find_main_window (preview->app)),
                                   _("Preview as TradeGecko Order"),
                                   _("This is exactly what would be sent. Nothing was sent."));
  label = gtk_label_new (text);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_name (label, "preview-text");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, -1);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preview_variants_found_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(Preview) preview = user_data;
  g_autoptr(JsonArray) variants = NULL;
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(GHashTable) aliases = NULL;
  g_autoptr(GHashTable) methods = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  RelaySalesOrderOptions options = { 0 };

  variants = relay_tradegecko_find_variants_by_skus_finish (RELAY_TRADEGECKO (object), result, &error);
  if (variants == NULL)
    {
      preview_failed (preview, error->message);
      return;
    }

  aliases = relay_store_dup_item_aliases (preview->app->store, NULL);
  methods = relay_store_dup_shipping_methods (preview->app->store, NULL);
  resolution = relay_mapping_resolve_lines (preview->order, aliases, variants, &error);
  if (resolution == NULL)
    {
      preview_failed (preview, error->message);
      return;
    }

  options.draft = g_settings_get_enum (preview->app->settings, "tradegecko-order-status") == 1;
  options.shipping_methods = methods;
  text = relay_mapping_build_preview (resolution, &options);
  show_preview (preview, text);
}

static void
preview_key_found_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Preview) preview = user_data;
  g_autoptr(GHashTable) aliases = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) skus = NULL;

  key = relay_credentials_lookup_finish (RELAY_CREDENTIALS (object), result, &error);
  if (key == NULL)
    {
      preview_failed (preview, error != NULL ? error->message : _("Connect TradeGecko to preview orders"));
      return;
    }

  relay_http_set_key (relay_tradegecko_get_http (preview->tradegecko), key);
  aliases = relay_store_dup_item_aliases (preview->app->store, NULL);
  skus = relay_mapping_dup_needed_skus (preview->order, aliases);
  relay_tradegecko_find_variants_by_skus_async (preview->tradegecko, (const char * const *) skus,
                                                preview->app->cancellable,
                                                preview_variants_found_cb, g_steal_pointer (&preview));
}

static void
relay_application_preview_order_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  RelayApplication *self = user_data;
  g_autoptr(Preview) preview = g_new0 (Preview, 1);
  g_autoptr(RelayCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert (RELAY_IS_APPLICATION (self));

  preview->app = g_object_ref (self);
  preview->squarespace_id = g_variant_dup_string (parameter, NULL);
  if (self->store == NULL ||
      (preview->order = relay_store_load_order (self->store, preview->squarespace_id, &error)) == NULL)
    {
      preview_failed (preview, error != NULL ? error->message : _("There is no order database"));
      return;
    }

  url = g_settings_get_string (self->settings, "tradegecko-url");
  preview->tradegecko = relay_tradegecko_new_for_url (url, &error);
  if (preview->tradegecko == NULL)
    {
      preview_failed (preview, error->message);
      return;
    }

  credentials = relay_credentials_new ();
  relay_credentials_lookup_async (credentials, RELAY_SERVICE_TRADEGECKO, url, self->cancellable,
                                  preview_key_found_cb, g_steal_pointer (&preview));
}

static void
relay_application_sync_now_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  RelayApplication *self = user_data;

  g_assert (RELAY_IS_APPLICATION (self));

  g_debug ("Sync now: no sync engine in this build");
}

static const GActionEntry app_actions[] = {
  { "about", relay_application_about_action },
  { "quit", relay_application_quit_action },
  { "reconnect", relay_application_reconnect_action },
  { "preferences", relay_application_preferences_action },
  { "show-order", relay_application_show_order_action, "s" },
  { "preview-order", relay_application_preview_order_action, "s" },
  { "sync-now", relay_application_sync_now_action },
};

static void
relay_application_startup (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *preferences_accels[] = { "<primary>comma", NULL };
  static const char *sync_accels[] = { "<primary>r", NULL };

  G_APPLICATION_CLASS (relay_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.sync-now", sync_accels);
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
  gboolean connected;

  connected = relay_setup_wizard_check_connected_finish (result, &error);
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

  /* Only over a main window that is still open. */
  if (gtk_application_get_active_window (GTK_APPLICATION (self)) != NULL)
    show_setup_wizard (self);
}

static void
relay_application_activate (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      window = GTK_WINDOW (present_main_window (self));

      /* A merchant without both keys is taken straight to the setup. */
      relay_setup_wizard_check_connected_async (self->settings, self->cancellable, stores_checked_cb, g_object_ref (self));
    }

  gtk_window_present (window);
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
  g_clear_object (&self->store);
  g_clear_pointer (&self->state_path, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (relay_application_parent_class)->dispose (object);
}

static void
relay_application_class_init (RelayApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = relay_application_dispose;

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
}

static void
relay_application_init (RelayApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
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
  g_return_if_fail (self->store == NULL);

  g_free (self->state_path);
  self->state_path = g_strdup (path);
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
  g_autofree char *path = NULL;

  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  if (self->store != NULL)
    return self->store;

  path = self->state_path != NULL ? g_strdup (self->state_path) : relay_store_get_default_path ();
  self->store = relay_store_open (path, &error);
  if (self->store == NULL)
    g_warning ("Could not open the order database: %s", error->message);

  return self->store;
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
