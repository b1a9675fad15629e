/* relay-window-views.c — the main window's views: Orders, Stock and SKU Check
 *
 * One AdwViewStack under the header bar's switcher (a bar at the bottom when the window is
 * narrow). `win.view` ('orders', 'stock', 'skus'; Alt+1…3) switches them. The Stock view reads
 * the state file again each time it is shown; the SKU check gets the application's clients
 * and keeps its own results until it is run again. An alias chosen there is saved the way the
 * order pane saves one (relay_window_add_item_alias()), so orders waiting on it are retried.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-window-private.h"

static const char *view_names[] = { "orders", "stock", "skus" };

/* The orders' search only searches orders: hidden in the other views, which have their own. */
static void
update_for_view (RelayWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean orders = g_strcmp0 (name, "orders") == 0;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "view");

  gtk_widget_set_visible (GTK_WIDGET (self->search_button), orders);
  if (!orders)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  if (action != NULL && name != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));

  if (g_strcmp0 (name, "stock") == 0)
    relay_stock_view_reload (self->stock_view);
  if (g_strcmp0 (name, "skus") == 0)
    {
      GApplication *app = g_application_get_default ();
      RelayOrderSource *source = NULL;
      RelayOrderDestination *destination = NULL;

      if (app != NULL && RELAY_IS_APPLICATION (app))
        {
          source = relay_context_get_source (relay_application_get_context (RELAY_APPLICATION (app)));
          destination = relay_context_get_destination (relay_application_get_context (RELAY_APPLICATION (app)));
        }
      if (!self->sku_check_ran && source != NULL && destination != NULL && self->store != NULL)
        {
          self->sku_check_ran = TRUE;
          relay_sku_check_view_set_clients (self->sku_check_view, self->store, source, destination);
          relay_sku_check_view_run (self->sku_check_view);
        }
    }
}

/* The switcher only once both stores are connected: before that there is one page. */
static void
update_switcher (RelayWindow *self)
{
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, self->connected);
  adw_view_switcher_bar_set_reveal (self->view_switcher_bar,
                                    self->connected && adw_view_switcher_title_get_title_visible (self->window_title));
}

static gboolean
alias_chosen_cb (RelaySkuCheckView *view,
                 const char        *store_sku,
                 const char        *tradegecko_sku,
                 RelayWindow       *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint retried;

  retried = relay_window_add_item_alias (self, store_sku, tradegecko_sku, &error);
  if (error != NULL)
    relay_window_add_toast (self, error->message, NULL, NULL);
  else
    {
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Alias saved; %u waiting order is retried",
                                              "Alias saved; %u waiting orders are retried", retried), retried);
      relay_window_add_toast (self, message, NULL, NULL);
    }
  return TRUE;
}

static void
view_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RelayWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);

  if (!g_strv_contains (view_names, name))
    {
      g_warning ("No such view: %s", name);
      return;
    }
  if (!self->connected)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* Alt+1…3, as the view switcher's pages are numbered. */
static void
add_view_shortcuts (RelayWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    {
      g_autofree char *trigger = g_strdup_printf ("<Alt>%u", i + 1);
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                gtk_named_action_new ("win.view"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (view_names[i]));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/**
 * relay_window_init_views:
 *
 * Called once from the window's init, after its actions are installed.
 */
void
relay_window_init_views (RelayWindow *self)
{
  static const GActionEntry entries[] = {
    { "view", view_action_cb, "s", "'orders'", NULL },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  add_view_shortcuts (self);
  g_signal_connect_object (self->view_stack, "notify::visible-child", G_CALLBACK (update_for_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->window_title, "notify::title-visible", G_CALLBACK (update_switcher), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sku_check_view, "alias-chosen", G_CALLBACK (alias_chosen_cb), self, 0);
  update_switcher (self);
}

/* The views follow the window's store and connection. */
void
relay_window_views_update (RelayWindow *self)
{
  if (self->store != NULL)
    relay_stock_view_set_store (self->stock_view, self->store);
  if (!self->connected)
    adw_view_stack_set_visible_child_name (self->view_stack, "orders");
  /* New clients after a reconnect: the next visit to the SKU check reads with them. */
  self->sku_check_ran = FALSE;
  update_switcher (self);
}

/* After each sync cycle: the Stock view on screen shows what the stock flow just set. */
void
relay_window_views_cycle_ended (RelayWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "stock") == 0)
    relay_stock_view_reload (self->stock_view);
}
