/* relay-window-actions.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-alias-dialog.h"
#include "relay-application.h"
#include "relay-order-preview.h"
#include "relay-sync-engine.h"
#include "relay-shipping-map-dialog.h"
#include "relay-window-private.h"

/*
 * The window's actions: `win.*` for the list, `order.*` for the order shown
 * in the side pane. Every button and menu item of the window is one of them.
 */

static void
filter_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RelayWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);

  if (!relay_window_select_flow (self, name))
    {
      g_warning ("No such order filter: %s", name);
      return;
    }

  g_simple_action_set_state (action, parameter);
}

static void
show_all_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RelayWindow *self = user_data;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (self), "filter", g_variant_new_string ("all"));
  relay_window_apply_filter (self);
}

static void
search_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RelayWindow *self = user_data;

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sync_now_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RelayWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
}

static void
retry_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  GtkApplication *app;

  if (self->shown_order == NULL)
    return;

  if (!relay_store_requeue (self->store, self->shown_order, &error))
    {
      relay_window_add_toast (self, error->message, NULL, NULL);
      return;
    }

  relay_window_add_toast (self, _("The order is queued for delivery again"), NULL, NULL);
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL && g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync-now"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  relay_window_refresh_now (self);
}

static void
skip_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->shown_order == NULL)
    return;

  if (!relay_store_skip (self->store, self->shown_order, _("Skipped by the merchant"), &error))
    relay_window_add_toast (self, error->message, NULL, NULL);
  else
    relay_window_add_toast (self, _("The order will not be sent to TradeGecko"), _("Undo"), "order.retry");
  relay_window_refresh_now (self);
}

/* The first line of @order whose SKU TradeGecko did not know. */
static const RelayOrderLine *
find_unresolved_line (RelayWindow *self,
                      RelayOrder  *order)
{
  g_autoptr(GPtrArray) resolved = relay_store_dup_resolved_lines (self->store, self->shown_order, NULL);
  g_autoptr(RelayOrderRow) row = relay_store_find_order (self->store, self->shown_order, NULL);
  GPtrArray *lines = relay_order_get_lines (order);

  /* The rejection names the SKU: prefer a line whose SKU it mentions. */
  for (guint i = 0; row != NULL && row->stage_reason != NULL && i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);
      if (line->sku != NULL && strstr (row->stage_reason, line->sku) != NULL)
        return line;
    }
  for (guint i = 0; i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);
      gboolean matched = FALSE;

      for (guint j = 0; resolved != NULL && j < resolved->len; j++)
        {
          const RelayResolvedLine *candidate = g_ptr_array_index (resolved, j);
          if (g_strcmp0 (candidate->line_id, line->id) == 0 && candidate->variant_id != 0)
            matched = TRUE;
        }
      if (line->is_physical && line->sku != NULL && !matched)
        return line;
    }

  return NULL;
}

static void
alias_response_cb (RelayAliasDialog *dialog,
                   const char       *response,
                   RelayWindow      *self)
{
  g_autofree char *store_sku = NULL;
  g_autofree char *tradegecko_sku = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  guint retried;

  if (g_strcmp0 (response, "add") != 0)
    return;

  store_sku = relay_alias_dialog_dup_store_sku (dialog);
  tradegecko_sku = relay_alias_dialog_dup_tradegecko_sku (dialog);
  retried = relay_window_add_item_alias (self, store_sku, tradegecko_sku, &error);
  if (error != NULL)
    {
      relay_window_add_toast (self, error->message, NULL, NULL);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Alias added; %u waiting order is retried",
                                          "Alias added; %u waiting orders are retried", retried), retried);
  relay_window_add_toast (self, message, NULL, NULL);
}

/* The one alias dialog, over @parent; the window saves the alias and retries
 * the orders waiting on it. With the line's Squarespace variant it offers the
 * same choice the command line and Preferences do: the SKU, or this variant alone. */
static RelayAliasDialog *
open_alias_dialog (RelayWindow *self,
                   GtkWindow   *parent,
                   const char  *sku,
                   const char  *variant_id,
                   const char  *variant_label)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  RelayAliasDialog *dialog;

  dialog = relay_alias_dialog_new (parent,
                                   app != NULL ? relay_context_get_destination (relay_application_get_context (RELAY_APPLICATION (app)))
                                               : NULL,
                                   sku);
  if (variant_id != NULL && *variant_id != '\0')
    relay_alias_dialog_set_variant (dialog, variant_id, variant_label);
  g_signal_connect_object (dialog, "response", G_CALLBACK (alias_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* Preview: the engine's preview of the shown order, line by line in a
 * dialog. A failing line's Add Alias opens the alias dialog over it, and the
 * preview is worked out again once the alias is saved. */

typedef struct
{
  RelayWindow       *window;
  RelayOrderPreview *widget;   /* the dialog's, to refresh; NULL to open one */
} PreviewRequest;

static void
preview_request_free (PreviewRequest *request)
{
  g_clear_object (&request->window);
  g_clear_object (&request->widget);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PreviewRequest, preview_request_free)

static void request_preview (RelayWindow       *self,
                             const char        *squarespace_id,
                             RelayOrderPreview *widget);

static void
alias_added_cb (RelayAliasDialog  *dialog,
                const char        *response,
                RelayOrderPreview *widget)
{
  GtkWindow *preview_dialog = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (widget)));
  RelayPreview *preview = relay_order_preview_get_preview (widget);

  if (g_strcmp0 (response, "add") == 0 && preview != NULL && RELAY_IS_WINDOW (gtk_window_get_transient_for (preview_dialog)))
    request_preview (RELAY_WINDOW (gtk_window_get_transient_for (preview_dialog)), relay_preview_get_order_id (preview), widget);
}

static void
preview_add_alias_cb (RelayOrderPreview *widget,
                      const char        *store_sku,
                      const char        *variant_id,
                      const char        *variant_label,
                      RelayWindow       *self)
{
  RelayAliasDialog *dialog = open_alias_dialog (self, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (widget))), store_sku,
                                                variant_id, variant_label);

  /* After the window's handler: the alias is saved before the preview is asked for again. */
  g_signal_connect_object (dialog, "response", G_CALLBACK (alias_added_cb), widget, G_CONNECT_AFTER);
}

static void
show_preview_dialog (RelayWindow  *self,
                     RelayPreview *preview)
{
  AdwMessageDialog *dialog;
  GtkWidget *scroller;
  GtkWidget *widget;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Preview as TradeGecko Order"), NULL));
  widget = relay_order_preview_new ();
  relay_order_preview_set_preview (RELAY_ORDER_PREVIEW (widget), preview);
  g_signal_connect_object (widget, "add-alias", G_CALLBACK (preview_add_alias_cb), self, 0);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), widget);
  adw_message_dialog_set_extra_child (dialog, scroller);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 620, -1);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preview_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PreviewRequest) request = user_data;
  g_autoptr(RelayPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = relay_sync_engine_preview_finish (RELAY_SYNC_ENGINE (object), result, &error);
  if (preview == NULL)
    relay_window_add_toast (request->window, error->message, NULL, NULL);
  else if (request->widget != NULL)
    relay_order_preview_set_preview (request->widget, preview);
  else
    show_preview_dialog (request->window, preview);
}

static void
request_preview (RelayWindow       *self,
                 const char        *squarespace_id,
                 RelayOrderPreview *widget)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  RelaySyncEngine *engine = app != NULL ? relay_application_get_engine (RELAY_APPLICATION (app)) : NULL;
  PreviewRequest *request;

  /* The engine has the TradeGecko connection the preview looks items up with. */
  if (engine == NULL)
    {
      relay_window_add_toast (self, _("Connect TradeGecko to preview orders"), NULL, NULL);
      return;
    }
  request = g_new0 (PreviewRequest, 1);
  request->window = g_object_ref (self);
  request->widget = widget != NULL ? g_object_ref (widget) : NULL;
  relay_sync_engine_preview_order_async (engine, squarespace_id, NULL, preview_ready_cb, request);
}

static void
preview_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  RelayWindow *self = user_data;

  if (self->shown_order != NULL)
    request_preview (self, self->shown_order, NULL);
}

static void
add_alias_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(RelayOrder) order = NULL;
  const RelayOrderLine *line;
  g_autofree char *variant_label = NULL;

  if (self->shown_order == NULL)
    return;

  order = relay_store_load_order (self->store, self->shown_order, NULL);
  line = order != NULL ? find_unresolved_line (self, order) : NULL;
  variant_label = line != NULL ? relay_order_line_dup_variant_label (line) : NULL;
  open_alias_dialog (self, GTK_WINDOW (self), line != NULL ? line->sku : NULL, line != NULL ? line->variant_id : NULL,
                     variant_label);
}

static void
shipping_response_cb (RelayShippingMapDialog *dialog,
                      const char             *response,
                      RelayWindow            *self)
{
  g_autofree char *method = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "map") != 0)
    return;

  method = relay_shipping_map_dialog_dup_method (dialog);
  label = relay_shipping_map_dialog_dup_label (dialog);
  if (!relay_store_set_shipping_method (self->store, method, label, &error))
    {
      relay_window_add_toast (self, error->message, NULL, NULL);
      return;
    }

  relay_window_add_toast (self, _("Shipping method mapped"), _("Retry Now"), "order.retry");
}

static void
map_shipping_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RelayWindow *self = user_data;
  g_autoptr(RelayOrder) order = NULL;
  const char *method = NULL;
  RelayShippingMapDialog *dialog;

  if (self->shown_order == NULL)
    return;

  order = relay_store_load_order (self->store, self->shown_order, NULL);
  if (order != NULL && relay_order_get_shipping_lines (order)->len > 0)
    method = ((RelayShippingLine *) g_ptr_array_index (relay_order_get_shipping_lines (order), 0))->method;

  dialog = relay_shipping_map_dialog_new (GTK_WINDOW (self), method);
  g_signal_connect_object (dialog, "response", G_CALLBACK (shipping_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_to_list_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RelayWindow *self = user_data;

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
close_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static const GActionEntry win_actions[] = {
  { "filter", NULL, "s", "'all'", filter_action_cb },
  { "show-all", show_all_action_cb },
  { "search", search_action_cb },
  { "sync-now", sync_now_action_cb },
  { "close", close_action_cb },
  { "back-to-list", back_to_list_action_cb },
};

static const GActionEntry order_actions[] = {
  { "add-alias", add_alias_action_cb },
  { "map-shipping", map_shipping_action_cb },
  { "retry", retry_action_cb },
  { "skip", skip_action_cb },
  { "preview", preview_action_cb },
};

void
relay_window_update_order_actions (RelayWindow *self)
{
  g_autoptr(RelayOrderRow) row = NULL;
  gboolean rejected = FALSE;
  gboolean fixable = FALSE;

  if (self->store != NULL && self->shown_order != NULL)
    row = relay_store_find_order (self->store, self->shown_order, NULL);
  if (row != NULL)
    {
      rejected = row->stage == RELAY_STAGE_REJECTED;
      fixable = rejected || (row->stage == RELAY_STAGE_NEW && row->last_error != NULL);
    }

#define SET_ENABLED(name, enabled) \
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->order_actions), name)), enabled)
  SET_ENABLED ("add-alias", fixable);
  SET_ENABLED ("map-shipping", fixable);
  SET_ENABLED ("retry", rejected || (row != NULL && row->stage == RELAY_STAGE_SKIPPED));
  SET_ENABLED ("skip", fixable);
  SET_ENABLED ("preview", row != NULL && !relay_stage_is_delivered (row->stage));
#undef SET_ENABLED
}

void
relay_window_install_actions (RelayWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  self->order_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->order_actions), order_actions, G_N_ELEMENTS (order_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "order", G_ACTION_GROUP (self->order_actions));
  relay_window_update_order_actions (self);
}
