/* relay-shipping-map-dialog.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-shipping-map-dialog.h"

/*
 * Asks for the TradeGecko shipping label of a Squarespace shipping method.
 * "Map" stays off until both are filled in and the hint says what is missing,
 * so the dialog never closes on something the store would refuse.
 */
struct _RelayShippingMapDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkEditable      *method_entry;
  GtkEditable      *label_entry;
  GtkLabel         *hint_label;
};

G_DEFINE_FINAL_TYPE (RelayShippingMapDialog, relay_shipping_map_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
entry_changed_cb (RelayShippingMapDialog *self)
{
  g_autofree char *method = relay_shipping_map_dialog_dup_method (self);
  g_autofree char *label = relay_shipping_map_dialog_dup_label (self);
  const char *hint = NULL;

  if (*method == '\0')
    hint = _("Type the shipping method as Squarespace names it.");
  else if (*label == '\0')
    hint = _("Type the shipping label TradeGecko should show.");

  gtk_label_set_label (self->hint_label, hint != NULL ? hint : "");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "map", hint == NULL);
}

static void
relay_shipping_map_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_SHIPPING_MAP_DIALOG);

  G_OBJECT_CLASS (relay_shipping_map_dialog_parent_class)->dispose (object);
}

static void
relay_shipping_map_dialog_class_init (RelayShippingMapDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_shipping_map_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-shipping-map-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayShippingMapDialog, method_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayShippingMapDialog, label_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayShippingMapDialog, hint_label);
}

static void
relay_shipping_map_dialog_init (RelayShippingMapDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "map", _("_Map"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "map", ADW_RESPONSE_SUGGESTED);

  g_signal_connect_object (self->method_entry, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->label_entry, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  entry_changed_cb (self);
}

/**
 * relay_shipping_map_dialog_new:
 * @parent: the window it is modal over
 * @squarespace_method: (nullable): the order's shipping method, to fill in
 *
 * Returns: (transfer none): the dialog, owned by the window list
 */
RelayShippingMapDialog *
relay_shipping_map_dialog_new (GtkWindow  *parent,
                               const char *squarespace_method)
{
  RelayShippingMapDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (RELAY_TYPE_SHIPPING_MAP_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  gtk_editable_set_text (self->method_entry, squarespace_method != NULL ? squarespace_method : "");
  gtk_widget_grab_focus (GTK_WIDGET (squarespace_method != NULL ? self->label_entry : self->method_entry));

  return self;
}

char *
relay_shipping_map_dialog_dup_method (RelayShippingMapDialog *self)
{
  g_return_val_if_fail (RELAY_IS_SHIPPING_MAP_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (self->method_entry)));
}

char *
relay_shipping_map_dialog_dup_label (RelayShippingMapDialog *self)
{
  g_return_val_if_fail (RELAY_IS_SHIPPING_MAP_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (self->label_entry)));
}
