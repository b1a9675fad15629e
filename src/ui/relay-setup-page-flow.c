/* relay-setup-page-flow.c — how orders flow: the sync settings
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-setup-page-flow.h"
#include "relay-ui-utils.h"
#include "relay-setup-wizard.h"

struct _RelaySetupPageFlow
{
  RelaySetupPage  parent_instance;

  /* Template widgets */
  GtkSpinButton  *lookback_spin;
  AdwComboRow    *test_orders_row;
  GtkSpinButton  *interval_spin;
  AdwComboRow    *order_status_row;
  GtkSwitch      *notify_switch;

  gboolean        loaded;
};

G_DEFINE_FINAL_TYPE (RelaySetupPageFlow, relay_setup_page_flow, RELAY_TYPE_SETUP_PAGE)

/* Rows of the combo rows, in the order of the .ui string lists. */
static const char * const test_orders_nicks[] = { "skip", "draft" };
static const char * const order_status_nicks[] = { "active", "draft" };

static guint
nick_to_position (const char * const *nicks,
                  guint               n_nicks,
                  const char         *nick)
{
  for (guint i = 0; i < n_nicks; i++)
    if (g_strcmp0 (nicks[i], nick) == 0)
      return i;

  return 0;
}

static const char *
position_to_nick (const char * const *nicks,
                  guint               n_nicks,
                  guint               position)
{
  return nicks[position < n_nicks ? position : 0];
}

/* Read once: going back and forth keeps what the merchant changed. The
 * settings are only written when the merchant moves on (apply). */
static void
relay_setup_page_flow_shown (RelaySetupPage *page)
{
  RelaySetupPageFlow *self = RELAY_SETUP_PAGE_FLOW (page);
  GSettings *settings = relay_setup_wizard_get_settings (relay_setup_page_get_wizard (page));
  g_autofree char *test_orders = NULL;
  g_autofree char *order_status = NULL;

  if (self->loaded)
    return;
  self->loaded = TRUE;

  test_orders = g_settings_get_string (settings, "test-orders");
  order_status = g_settings_get_string (settings, "tradegecko-order-status");

  gtk_spin_button_set_value (self->lookback_spin, g_settings_get_uint (settings, "initial-lookback-days"));
  gtk_spin_button_set_value (self->interval_spin, g_settings_get_uint (settings, "poll-interval-minutes"));
  adw_combo_row_set_selected (self->test_orders_row,
                              nick_to_position (test_orders_nicks, G_N_ELEMENTS (test_orders_nicks), test_orders));
  adw_combo_row_set_selected (self->order_status_row,
                              nick_to_position (order_status_nicks, G_N_ELEMENTS (order_status_nicks), order_status));
  gtk_switch_set_active (self->notify_switch, g_settings_get_boolean (settings, "notify-customer"));
}

static void
relay_setup_page_flow_apply_async (RelaySetupPage      *page,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  RelaySetupPageFlow *self = RELAY_SETUP_PAGE_FLOW (page);
  GSettings *settings = relay_setup_wizard_get_settings (relay_setup_page_get_wizard (page));
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_setup_page_flow_apply_async);

  /* A spin button holds typed text until it loses focus: take it now. */
  gtk_spin_button_update (self->lookback_spin);
  gtk_spin_button_update (self->interval_spin);

  g_settings_set_uint (settings, "initial-lookback-days", gtk_spin_button_get_value_as_int (self->lookback_spin));
  g_settings_set_uint (settings, "poll-interval-minutes", gtk_spin_button_get_value_as_int (self->interval_spin));
  g_settings_set_string (settings, "test-orders",
                         position_to_nick (test_orders_nicks, G_N_ELEMENTS (test_orders_nicks),
                                           adw_combo_row_get_selected (self->test_orders_row)));
  g_settings_set_string (settings, "tradegecko-order-status",
                         position_to_nick (order_status_nicks, G_N_ELEMENTS (order_status_nicks),
                                           adw_combo_row_get_selected (self->order_status_row)));
  g_settings_set_boolean (settings, "notify-customer", gtk_switch_get_active (self->notify_switch));

  g_task_return_boolean (task, TRUE);
}

static gboolean
relay_setup_page_flow_apply_finish (RelaySetupPage  *page,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
relay_setup_page_flow_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_SETUP_PAGE_FLOW);

  G_OBJECT_CLASS (relay_setup_page_flow_parent_class)->dispose (object);
}

static void
relay_setup_page_flow_class_init (RelaySetupPageFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RelaySetupPageClass *page_class = RELAY_SETUP_PAGE_CLASS (klass);

  object_class->dispose = relay_setup_page_flow_dispose;

  page_class->shown = relay_setup_page_flow_shown;
  page_class->apply_async = relay_setup_page_flow_apply_async;
  page_class->apply_finish = relay_setup_page_flow_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-page-flow.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageFlow, lookback_spin);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageFlow, test_orders_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageFlow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageFlow, order_status_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupPageFlow, notify_switch);
}

static void
relay_setup_page_flow_init (RelaySetupPageFlow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  relay_combo_row_show_whole_values (self->test_orders_row);
  relay_combo_row_show_whole_values (self->order_status_row);
}
