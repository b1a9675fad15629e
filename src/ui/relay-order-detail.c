/* relay-order-detail.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-order-detail.h"
#include "relay-ui-utils.h"

/*
 * The side pane: everything about one order, rebuilt from the store whenever
 * the order changes. A rejected order leads with why, and the actions that
 * fix it in place (the window's `order.*` actions).
 */
struct _RelayOrderDetail
{
  GtkBox      parent_instance;

  /* Owned */
  char       *squarespace_id;
  char       *problem;
  GtkWidget  *content;
  guint       n_events;
};

G_DEFINE_FINAL_TYPE (RelayOrderDetail, relay_order_detail, GTK_TYPE_BOX)

static const char *
event_title (const char *kind)
{
  static const struct { const char *kind; const char *title; } titles[] = {
    { "pulled", N_("Retrieved from Squarespace") },
    { "updated", N_("Updated in Squarespace") },
    { "references", N_("References assigned") },
    { "delivering", N_("Sending to TradeGecko") },
    { "delivered", N_("Delivered to TradeGecko") },
    { "rejected", N_("Rejected") },
    { "error", N_("Error") },
    { "requeued", N_("Retried") },
    { "shipment", N_("Shipment read from TradeGecko") },
    { "shipped", N_("Shipped") },
    { "confirmed", N_("Tracking sent to Squarespace") },
    { "skipped", N_("Skipped") },
    { "canceled", N_("Canceled") },
    { "reconciled", N_("Reconciled after an interruption") },
    { "canceled-after-delivery", N_("Canceled in Squarespace after delivery") },
    { "voided", N_("Voided in TradeGecko") },
    { "needs-attention", N_("Needs attention") },
    { "tracking-in-progress", N_("Squarespace still processing the tracking") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (titles[i].kind, kind) == 0)
      return _(titles[i].title);

  return kind;
}

static GtkWidget *
add_group (RelayOrderDetail *self,
           const char       *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (GTK_BOX (self->content), group);

  return group;
}

static GtkWidget *
add_row (GtkWidget  *group,
         const char *title,
         const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Short values stay on one line; addresses keep their lines. */
  gtk_label_set_wrap (GTK_LABEL (label), value != NULL && strlen (value) > 40);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  return row;
}

static char *
format_address (const RelayAddress *address)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = NULL;

  if (address == NULL || relay_address_is_empty (address))
    return NULL;

  name = relay_address_dup_name (address);
  if (name != NULL)
    g_string_append_printf (text, "%s\n", name);
  if (address->address1 != NULL)
    g_string_append_printf (text, "%s\n", address->address1);
  if (address->address2 != NULL)
    g_string_append_printf (text, "%s\n", address->address2);
  g_string_append_printf (text, "%s %s %s %s",
                          address->postal_code != NULL ? address->postal_code : "",
                          address->city != NULL ? address->city : "",
                          address->state != NULL ? address->state : "",
                          address->country_code != NULL ? address->country_code : "");

  return g_strstrip (g_string_free (g_steal_pointer (&text), FALSE));
}

static void
add_problem (RelayOrderDetail    *self,
             const RelayOrderRow *row)
{
  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *reason;
  GtkWidget *buttons;
  static const struct { const char *label; const char *action; } fixes[] = {
    { N_("Add Item _Alias…"), "order.add-alias" },
    { N_("Map _Shipping Method…"), "order.map-shipping" },
    { N_("_Retry Now"), "order.retry" },
    { N_("S_kip This Order"), "order.skip" },
  };

  if (row->stage == RELAY_STAGE_REJECTED)
    self->problem = g_strdup (row->stage_reason != NULL ? row->stage_reason : _("Rejected"));
  else if (row->last_error != NULL && !relay_stage_is_delivered (row->stage))
    self->problem = g_strdup (row->last_error);
  else
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "problem-card");

  title = gtk_label_new (row->stage == RELAY_STAGE_REJECTED ? _("This order needs you") : _("The last attempt failed"));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);

  reason = gtk_label_new (self->problem);
  gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
  gtk_label_set_selectable (GTK_LABEL (reason), TRUE);
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_box_append (GTK_BOX (box), reason);

  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 2);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (buttons), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (fixes); i++)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_(fixes[i].label));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), fixes[i].action);
      if (i == 0)
        gtk_widget_add_css_class (button, "suggested-action");
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), button);
    }
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_box_append (GTK_BOX (self->content), box);
}

static void
build (RelayOrderDetail *self,
       RelayStore       *store)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_text = NULL;
  g_autofree char *total = NULL;
  g_autofree char *address = NULL;
  GtkWidget *header;
  GtkWidget *title;
  GtkWidget *badge;
  GtkWidget *preview;
  GtkWidget *group;
  GPtrArray *lines;

  row = relay_store_find_order (store, self->squarespace_id, &error);
  if (row == NULL)
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-warning-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Order Not Found"));
      if (error != NULL)
        adw_status_page_set_description (ADW_STATUS_PAGE (status), error->message);
      gtk_box_append (GTK_BOX (self->content), status);
      return;
    }
  order = relay_store_load_order (store, self->squarespace_id, NULL);
  resolved = relay_store_dup_resolved_lines (store, self->squarespace_id, NULL);
  shipments = relay_store_dup_shipments (store, self->squarespace_id, NULL);
  events = relay_store_dup_events (store, self->squarespace_id, NULL);

  /* Heading: number, stage, total */
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  title_text = g_strdup_printf (_("Order #%s"), row->order_number);
  title = gtk_label_new (title_text);
  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (header), title);
  badge = relay_stage_badge_new ();
  relay_stage_badge_update (badge, row->stage, row->last_error != NULL);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), badge);
  gtk_box_append (GTK_BOX (self->content), header);

  add_problem (self, row);

  preview = gtk_button_new_with_mnemonic (_("_Preview as TradeGecko Order"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (preview), "order.preview");
  gtk_widget_set_halign (preview, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->content), preview);

  /* Identifiers */
  group = add_group (self, _("References"));
  add_row (group, _("Squarespace order"), row->squarespace_id);
  add_row (group, _("Customer PO number (cust_po_no)"), row->cust_po_no);
  add_row (group, _("Short reference (cust_ref)"), row->cust_ref);
  add_row (group, _("TradeGecko order"), row->tradegecko_order_number);
  {
    g_autofree char *created = relay_format_time (row->created_on);
    add_row (group, _("Placed"), created);
  }

  /* Customer */
  group = add_group (self, _("Customer"));
  add_row (group, _("Name"), row->customer_name);
  add_row (group, _("E-mail"), row->customer_email);
  if (order != NULL)
    {
      address = format_address (relay_order_get_shipping_address (order));
      add_row (group, _("Ship to"), address);
    }

  /* Lines: store SKU → TradeGecko SKU */
  group = add_group (self, _("Items"));
  lines = order != NULL ? relay_order_get_lines (order) : NULL;
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);
      const RelayResolvedLine *match = NULL;
      g_autofree char *price = relay_money_format_display (&line->unit_price);
      g_autofree char *subtitle = NULL;
      g_autofree char *quantity = NULL;
      GtkWidget *line_row;

      for (guint j = 0; resolved != NULL && j < resolved->len; j++)
        {
          const RelayResolvedLine *candidate = g_ptr_array_index (resolved, j);
          if (g_strcmp0 (candidate->line_id, line->id) == 0)
            match = candidate;
        }

      if (!line->is_physical)
        subtitle = g_strdup (_("Digital — not sent to TradeGecko"));
      else if (match != NULL && match->variant_id != 0)
        subtitle = g_strdup_printf (_("%s → TradeGecko %s (variant %" G_GINT64_FORMAT ")"),
                                    line->sku, match->tradegecko_sku, match->variant_id);
      else
        subtitle = g_strdup_printf (_("%s → not matched yet"), line->sku != NULL ? line->sku : _("no SKU"));

      quantity = g_strdup_printf ("%" G_GINT64_FORMAT " × %s", line->quantity, price);
      line_row = add_row (group, line->product_name != NULL ? line->product_name : _("Item"), quantity);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (line_row), subtitle);
    }

  /* Shipping and totals */
  group = add_group (self, _("Shipping and Totals"));
  if (order != NULL)
    {
      GPtrArray *shipping = relay_order_get_shipping_lines (order);
      g_autofree char *subtotal = relay_money_format_display (relay_order_get_subtotal (order));
      g_autofree char *shipping_total = relay_money_format_display (relay_order_get_shipping_total (order));
      g_autofree char *discount = relay_money_format_display (relay_order_get_discount_total (order));
      g_autofree char *tax = relay_money_format_display (relay_order_get_tax_total (order));

      for (guint i = 0; shipping != NULL && i < shipping->len; i++)
        {
          const RelayShippingLine *line = g_ptr_array_index (shipping, i);
          g_autofree char *amount = relay_money_format_display (&line->amount);
          add_row (group, line->method != NULL ? line->method : _("Shipping"), amount);
        }
      add_row (group, _("Subtotal"), subtotal);
      add_row (group, _("Shipping"), shipping_total);
      add_row (group, _("Discounts"), discount);
      add_row (group, _("Tax"), tax);
    }
  total = relay_money_format_display (&row->grand_total);
  add_row (group, _("Total"), total);

  /* Shipments */
  if (shipments != NULL && shipments->len > 0)
    {
      group = add_group (self, _("Shipments"));
      for (guint i = 0; i < shipments->len; i++)
        {
          const RelayShipment *shipment = g_ptr_array_index (shipments, i);
          g_autofree char *subtitle = NULL;
          g_autofree char *posted = shipment->posted_at > 0 ? relay_format_time (shipment->posted_at) : NULL;
          GtkWidget *shipment_row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (shipment_row),
                                         shipment->tracking_number != NULL ? shipment->tracking_number : _("No tracking number"));
          subtitle = g_strdup_printf ("%s%s%s — %s",
                                      shipment->carrier != NULL ? shipment->carrier : "",
                                      shipment->lines_summary != NULL ? " · " : "",
                                      shipment->lines_summary != NULL ? shipment->lines_summary : "",
                                      posted != NULL ? posted : _("not sent to Squarespace yet"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (shipment_row), subtitle);
          if (shipment->tracking_url != NULL)
            {
              GtkWidget *link = gtk_link_button_new_with_label (shipment->tracking_url, _("Track"));
              gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
              adw_action_row_add_suffix (ADW_ACTION_ROW (shipment_row), link);
            }
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), shipment_row);
        }
    }

  /* Timeline: the audit log, oldest first */
  group = add_group (self, _("Timeline"));
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const RelayEvent *event = g_ptr_array_index (events, i);
      g_autofree char *at = relay_format_time (event->at);
      GtkWidget *event_row = add_row (group, event_title (event->kind), at);

      gtk_widget_add_css_class (event_row, "timeline-row");
      if (event->detail != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (event_row), event->detail);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (event_row), 3);
      self->n_events++;
    }
}

static void
relay_order_detail_finalize (GObject *object)
{
  RelayOrderDetail *self = RELAY_ORDER_DETAIL (object);

  g_clear_pointer (&self->squarespace_id, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (relay_order_detail_parent_class)->finalize (object);
}

static void
relay_order_detail_class_init (RelayOrderDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_order_detail_finalize;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "orderdetail");
}

static void
relay_order_detail_init (RelayOrderDetail *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

GtkWidget *
relay_order_detail_new (void)
{
  return g_object_new (RELAY_TYPE_ORDER_DETAIL, NULL);
}

/**
 * relay_order_detail_show_order:
 * @self: a #RelayOrderDetail
 * @store: where the order is
 * @squarespace_id: (nullable): the order, %NULL to show nothing
 *
 * Shows the order as the store has it now.
 */
void
relay_order_detail_show_order (RelayOrderDetail *self,
                               RelayStore       *store,
                               const char       *squarespace_id)
{
  g_return_if_fail (RELAY_IS_ORDER_DETAIL (self));
  g_return_if_fail (RELAY_IS_STORE (store));

  if (self->squarespace_id != squarespace_id)
    {
      g_free (self->squarespace_id);
      self->squarespace_id = g_strdup (squarespace_id);
    }
  g_clear_pointer (&self->problem, g_free);
  self->n_events = 0;

  if (self->content != NULL)
    gtk_box_remove (GTK_BOX (self), self->content);
  self->content = NULL;

  if (squarespace_id == NULL)
    return;

  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (self->content, 18);
  gtk_widget_set_margin_bottom (self->content, 18);
  gtk_widget_set_margin_start (self->content, 18);
  gtk_widget_set_margin_end (self->content, 18);
  build (self, store);
  gtk_box_append (GTK_BOX (self), self->content);
}

const char *
relay_order_detail_get_squarespace_id (RelayOrderDetail *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAIL (self), NULL);

  return self->squarespace_id;
}

/**
 * relay_order_detail_get_n_events:
 * @self: a #RelayOrderDetail
 *
 * Returns: how many timeline entries are shown
 */
guint
relay_order_detail_get_n_events (RelayOrderDetail *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAIL (self), 0);

  return self->n_events;
}

/**
 * relay_order_detail_get_problem:
 * @self: a #RelayOrderDetail
 *
 * Returns: (nullable): why the order needs the merchant, as shown
 */
const char *
relay_order_detail_get_problem (RelayOrderDetail *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAIL (self), NULL);

  return self->problem;
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

/**
 * relay_order_detail_dup_text:
 * @self: a #RelayOrderDetail
 *
 * Returns: (transfer full): every label shown, one per line (for tests and
 *   for copying)
 */
char *
relay_order_detail_dup_text (RelayOrderDetail *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (RELAY_IS_ORDER_DETAIL (self), NULL);

  collect_text (GTK_WIDGET (self), text);

  return g_string_free (text, FALSE);
}
