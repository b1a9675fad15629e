/* relay-setup-page-done.c — the summary of both connections
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-setup-page-done.h"
#include "relay-setup-wizard-private.h"

struct _RelaySetupPageDone
{
  RelaySetupPage  parent_instance;

  /* Template widgets */
  AdwActionRow   *tradegecko_row;
  GtkImage       *tradegecko_icon;
  AdwActionRow   *squarespace_row;
  GtkImage       *squarespace_icon;
  GtkButton      *start_button;
};

G_DEFINE_FINAL_TYPE (RelaySetupPageDone, relay_setup_page_done, RELAY_TYPE_SETUP_PAGE)

static void
show_connection (AdwActionRow *row,
                 GtkImage     *icon,
                 const char   *name)
{
  if (name != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("Connected to “%s”"), name);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (row, escaped);
      gtk_image_set_from_icon_name (icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (icon), "success");
    }
  else
    {
      adw_action_row_set_subtitle (row, _("Not connected — go back to connect it"));
      gtk_image_set_from_icon_name (icon, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (icon), "error");
    }
}

static void
relay_setup_page_done_shown (RelaySetupPage *page)
{
  RelaySetupPageDone *self = RELAY_SETUP_PAGE_DONE (page);
  RelaySetupWizard *wizard = relay_setup_page_get_wizard (page);
  const char *tradegecko = _relay_setup_wizard_get_connection (wizard, RELAY_SETUP_STORE_TRADEGECKO);
  const char *squarespace = _relay_setup_wizard_get_connection (wizard, RELAY_SETUP_STORE_SQUARESPACE);

  show_connection (self->tradegecko_row, self->tradegecko_icon, tradegecko);
  show_connection (self->squarespace_row, self->squarespace_icon, squarespace);
  relay_setup_page_set_complete (page, tradegecko != NULL && squarespace != NULL);

  gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
}

static void
relay_setup_page_done_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_SETUP_PAGE_DONE);

  G_OBJECT_CLASS (relay_setup_page_done_parent_class)->dispose (object);
}

static void
relay_setup_page_done_class_init (RelaySetupPageDoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RelaySetupPageClass *page_class = RELAY_SETUP_PAGE_CLASS (klass);

  object_class->dispose = relay_setup_page_done_dispose;

  page_class->shown = relay_setup_page_done_shown;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-page-done.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageDone, tradegecko_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageDone, tradegecko_icon);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageDone, squarespace_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageDone, squarespace_icon);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageDone, start_button);
}

static void
relay_setup_page_done_init (RelaySetupPageDone *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
