/* relay-application.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-setup-wizard.h"
#include "relay-window.h"

struct _RelayApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  GSettings      *settings;

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

static const GActionEntry app_actions[] = {
  { "about", relay_application_about_action },
  { "quit", relay_application_quit_action },
  { "reconnect", relay_application_reconnect_action },
};

static void
relay_application_startup (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  static const char *quit_accels[] = { "<primary>q", NULL };

  G_APPLICATION_CLASS (relay_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
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
      window = GTK_WINDOW (relay_window_new (self));

      /* A merchant without both keys is taken straight to the setup. */
      relay_setup_wizard_check_connected_async (self->settings, NULL, stores_checked_cb, g_object_ref (self));
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
relay_application_init (RelayApplication *self)
{
  self->settings = g_settings_new (APP_ID);
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
