/* relay-setup-page-welcome.c — what the app does and what the merchant needs
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-setup-page-welcome.h"

struct _RelaySetupPageWelcome
{
  RelaySetupPage parent_instance;
};

G_DEFINE_FINAL_TYPE (RelaySetupPageWelcome, relay_setup_page_welcome, RELAY_TYPE_SETUP_PAGE)

static void
relay_setup_page_welcome_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_SETUP_PAGE_WELCOME);

  G_OBJECT_CLASS (relay_setup_page_welcome_parent_class)->dispose (object);
}

static void
relay_setup_page_welcome_class_init (RelaySetupPageWelcomeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_setup_page_welcome_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-page-welcome.ui");
}

static void
relay_setup_page_welcome_init (RelaySetupPageWelcome *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
