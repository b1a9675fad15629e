/* relay-window.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-window.h"

struct _RelayWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkStack             *main_stack;
  AdwStatusPage        *not_connected_page;
  GtkButton            *connect_button;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

static void
relay_window_bind_size_to_settings (RelayWindow *self,
                                    GSettings   *settings)
{
  /* Restored before the window is shown so it does not visibly jump. */
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
relay_window_class_init (RelayWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, not_connected_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, connect_button);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
}

RelayWindow *
relay_window_new (RelayApplication *application)
{
  RelayWindow *self;

  g_return_val_if_fail (RELAY_IS_APPLICATION (application), NULL);

  self = g_object_new (RELAY_TYPE_WINDOW,
                       "application", application,
                       NULL);
  relay_window_bind_size_to_settings (self, relay_application_get_settings (application));

  return self;
}

/**
 * relay_window_get_visible_page_name:
 * @self: a #RelayWindow
 *
 * Which of the window's states is shown: `not-connected` until both stores
 * are connected.
 *
 * Returns: (transfer none): the name of the visible page
 */
const char *
relay_window_get_visible_page_name (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}
