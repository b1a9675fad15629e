/* relay-order-detail.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-event-kind.h"
#include "relay-order-detail.h"
#include "relay-ui-utils.h"

/*
 * The side pane: everything about one order. The widgets come from the
 * template and are updated in place whenever the order changes, so a merchant
 * reading or tabbing through the pane keeps focus and scroll position while
 * the app syncs. Only a section whose content changed gets new rows (the
 * timeline only gains the new entries). A rejected order leads with why, the
 * action that fixes it, and the other ways out in a menu (the window's
 * `order.*` actions).
 */

typedef enum
{
  REF_SQUARESPACE,
  REF_PO_NUMBER,
  REF_SHORT,
  REF_TRADEGECKO,
  REF_PLACED,
  N_REFS
} Reference;

typedef enum
{
  CUSTOMER_NAME,
  CUSTOMER_EMAIL,
  CUSTOMER_SHIP_TO,
  N_CUSTOMER_ROWS
} CustomerRow;

/* Rows of one group that are replaced together when what they show changes. */
typedef struct
{
  AdwPreferencesGroup *group;
  GPtrArray           *rows;       /* (element-type GtkWidget) borrowed: the group owns them */
  char                *signature;
} Section;

struct _RelayOrderDetail
{
  GtkBox               parent_instance;

  /* Template widgets */
  GtkWidget           *header;
  GtkLabel            *title_label;
  GtkWidget           *problem_card;
  GtkLabel            *problem_title;
  GtkLabel            *problem_reason;
  GtkButton           *fix_button;
  GtkMenuButton       *more_fixes_button;
  GtkWidget           *preview_button;
  AdwPreferencesGroup *references_group;
  AdwPreferencesGroup *customer_group;
  AdwPreferencesGroup *items_group;
  AdwPreferencesGroup *totals_group;
  AdwPreferencesGroup *shipments_group;
  AdwPreferencesGroup *timeline_group;
  AdwStatusPage       *not_found_page;

  /* Built once in init */
  GtkWidget           *badge;
  GtkLabel            *references[N_REFS];
  GtkLabel            *customer[N_CUSTOMER_ROWS];

  /* Owned */
  char                *squarespace_id;
  char                *problem;
  Section              items;
  Section              totals;
  Section              shipments;
  GArray              *event_ids;  /* (element-type gint64) the timeline rows shown, oldest first */
  Section              timeline;
};

G_DEFINE_FINAL_TYPE (RelayOrderDetail, relay_order_detail, GTK_TYPE_BOX)

/* ------------------------------------------------------------------------ */
/* Rows                                                                      */

static void
set_value (GtkLabel   *label,
           const char *value)
{
  const char *text = value != NULL && *value != '\0' ? value : "—";

  /* Short values stay on one line; addresses keep their lines. */
  gtk_label_set_wrap (label, strlen (text) > 40);
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static GtkWidget *
value_row_new (const char  *title,
               const char  *value,
               GtkLabel   **out_label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (label, "dim-label");
  set_value (GTK_LABEL (label), value);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  /* The row is announced with its value: "Total, 17,998 ¥". */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
  if (out_label != NULL)
    *out_label = GTK_LABEL (label);

  return row;
}

static void
section_init (Section             *section,
              AdwPreferencesGroup *group)
{
  section->group = group;
  section->rows = g_ptr_array_new ();
}

static void
section_clear (Section *section)
{
  g_clear_pointer (&section->rows, g_ptr_array_unref);
  g_clear_pointer (&section->signature, g_free);
}

/* Whether the section must be rebuilt: only when what it shows changed. */
static gboolean
section_begin (Section    *section,
               const char *signature)
{
  if (g_strcmp0 (section->signature, signature) == 0)
    return FALSE;

  g_free (section->signature);
  section->signature = g_strdup (signature);
  for (guint i = 0; i < section->rows->len; i++)
    adw_preferences_group_remove (section->group, g_ptr_array_index (section->rows, i));
  g_ptr_array_set_size (section->rows, 0);

  return TRUE;
}

static GtkWidget *
section_add (Section   *section,
             GtkWidget *row)
{
  adw_preferences_group_add (section->group, row);
  g_ptr_array_add (section->rows, row);

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

/* ------------------------------------------------------------------------ */
/* Sections                                                                  */

/* The one action that fixes the problem: an unknown SKU wants an alias, an
 * unknown shipping method a map; anything else a retry. */
static const char *
fix_action_for (const char *reason)
{
  if (reason == NULL)
    return "order.retry";
  if (strstr (reason, "SKU") != NULL || strstr (reason, "variant") != NULL)
    return "order.add-alias";
  if (strstr (reason, "shipping") != NULL || strstr (reason, "Shipping") != NULL)
    return "order.map-shipping";
  return "order.retry";
}

static const char *
fix_label_for (const char *action)
{
  if (g_str_equal (action, "order.add-alias"))
    return _("Add Item _Alias…");
  if (g_str_equal (action, "order.map-shipping"))
    return _("Map _Shipping Method…");
  return _("_Retry Now");
}

static void
update_problem (RelayOrderDetail    *self,
                const RelayOrderRow *row)
{
  const char *action;

  g_clear_pointer (&self->problem, g_free);
  if (row->stage == RELAY_STAGE_REJECTED)
    self->problem = g_strdup (row->stage_reason != NULL ? row->stage_reason : _("Needs attention"));
  else if (row->last_error != NULL && !relay_stage_is_delivered (row->stage))
    self->problem = g_strdup (row->last_error);

  gtk_widget_set_visible (self->problem_card, self->problem != NULL);
  if (self->problem == NULL)
    return;

  gtk_label_set_label (self->problem_title, row->stage == RELAY_STAGE_REJECTED ? _("This order needs you")
                                                                              : _("The last attempt failed"));
  if (g_strcmp0 (gtk_label_get_label (self->problem_reason), self->problem) != 0)
    gtk_label_set_label (self->problem_reason, self->problem);

  action = row->stage == RELAY_STAGE_REJECTED ? fix_action_for (self->problem) : "order.retry";
  if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->fix_button)), action) != 0)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->fix_button), action);
      gtk_button_set_label (self->fix_button, fix_label_for (action));
    }
}

static void
update_references (RelayOrderDetail    *self,
                   const RelayOrderRow *row)
{
  g_autofree char *title = g_strdup_printf (_("Order #%s"), row->order_number);
  g_autofree char *placed = relay_format_time (row->created_on);

  if (g_strcmp0 (gtk_label_get_label (self->title_label), title) != 0)
    gtk_label_set_label (self->title_label, title);
  relay_stage_badge_update (self->badge, row->stage, row->last_error != NULL);

  set_value (self->references[REF_SQUARESPACE], row->squarespace_id);
  /* Squarespace's own id for the order is no reference a merchant uses: it is
   * kept for whoever compares with the API, in the order number's tooltip. */
  {
    g_autofree char *tooltip = g_strdup_printf (_("TradeGecko's customer PO number (cust_po_no). Squarespace's id for the order: %s"),
                                                row->squarespace_id);
    GtkWidget *po_row = gtk_widget_get_ancestor (GTK_WIDGET (self->references[REF_PO_NUMBER]), ADW_TYPE_ACTION_ROW);

    if (g_strcmp0 (gtk_widget_get_tooltip_text (po_row), tooltip) != 0)
      gtk_widget_set_tooltip_text (po_row, tooltip);
  }
  set_value (self->references[REF_PO_NUMBER], row->cust_po_no);
  set_value (self->references[REF_SHORT], row->cust_ref);
  set_value (self->references[REF_TRADEGECKO], row->tradegecko_order_number);
  set_value (self->references[REF_PLACED], placed);
}

static void
update_customer (RelayOrderDetail    *self,
                 const RelayOrderRow *row,
                 RelayOrder          *order)
{
  g_autofree char *address = order != NULL ? format_address (relay_order_get_shipping_address (order)) : NULL;

  set_value (self->customer[CUSTOMER_NAME], row->customer_name);
  set_value (self->customer[CUSTOMER_EMAIL], row->customer_email);
  set_value (self->customer[CUSTOMER_SHIP_TO], address);
}

static const RelayResolvedLine *
find_resolved (GPtrArray  *resolved,
               const char *line_id)
{
  for (guint i = 0; resolved != NULL && i < resolved->len; i++)
    {
      const RelayResolvedLine *candidate = g_ptr_array_index (resolved, i);

      if (g_strcmp0 (candidate->line_id, line_id) == 0)
        return candidate;
    }

  return NULL;
}

/* Store SKU → TradeGecko SKU, the line that stops a rejected order marked. */
static void
update_items (RelayOrderDetail    *self,
              const RelayOrderRow *row,
              RelayOrder          *order,
              GPtrArray           *resolved)
{
  GPtrArray *lines = order != NULL ? relay_order_get_lines (order) : NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) subtitles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) failing = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autoptr(GString) signature = g_string_new (NULL);

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const RelayOrderLine *line = g_ptr_array_index (lines, i);
      const RelayResolvedLine *match = find_resolved (resolved, line->id);
      g_autofree char *price = relay_format_money (&line->unit_price);
      const char *sku = line->sku != NULL ? line->sku : _("no SKU");
      gboolean fails = FALSE;
      char *subtitle;

      if (line->is_service)
        subtitle = g_strdup (_("Service — sent as a line without stock"));
      else if (!line->is_physical)
        subtitle = g_strdup (_("Digital — sent as a line without stock"));
      else if (match != NULL && match->variant_id != 0)
        /* Translators: a store SKU, then the TradeGecko SKU it was matched to */
        subtitle = g_strdup_printf (_("%s → TradeGecko %s · matched"), line->sku, match->tradegecko_sku);
      else if (row->stage == RELAY_STAGE_REJECTED && line->sku != NULL && row->stage_reason != NULL &&
               strstr (row->stage_reason, line->sku) != NULL)
        {
          subtitle = g_strdup_printf (_("%s → no TradeGecko item has this SKU"), sku);
          fails = TRUE;
        }
      else
        subtitle = g_strdup_printf (_("%s → matched when the order is sent"), sku);

      g_ptr_array_add (titles, g_strdup (line->product_name != NULL ? line->product_name : _("Item")));
      g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT " × %s", line->quantity, price));
      g_ptr_array_add (subtitles, subtitle);
      g_array_append_val (failing, fails);
      g_string_append_printf (signature, "%s\x1f%s\x1f%s\x1f%d\x1e",
                              (char *) titles->pdata[i], (char *) values->pdata[i], subtitle, fails);
    }

  if (!section_begin (&self->items, signature->str))
    return;

  for (guint i = 0; i < titles->len; i++)
    {
      GtkWidget *line_row = section_add (&self->items, value_row_new (titles->pdata[i], values->pdata[i], NULL));
      GtkWidget *icon;

      adw_action_row_set_subtitle (ADW_ACTION_ROW (line_row), subtitles->pdata[i]);
      if (g_array_index (failing, gboolean, i))
        {
          icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("This line stops the order"), -1);
          gtk_widget_add_css_class (icon, "error");
          gtk_widget_add_css_class (line_row, "failing-line");
          adw_action_row_add_prefix (ADW_ACTION_ROW (line_row), icon);
        }
    }
}

static void
update_totals (RelayOrderDetail    *self,
               const RelayOrderRow *row,
               RelayOrder          *order,
               GPtrArray           *events)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) signature = g_string_new (NULL);

  if (order != NULL)
    {
      GPtrArray *shipping = relay_order_get_shipping_lines (order);

      for (guint i = 0; shipping != NULL && i < shipping->len; i++)
        {
          const RelayShippingLine *line = g_ptr_array_index (shipping, i);

          g_ptr_array_add (titles, g_strdup (line->method != NULL ? line->method : _("Shipping")));
          g_ptr_array_add (values, relay_format_money (&line->amount));
        }
      g_ptr_array_add (titles, g_strdup (_("Subtotal")));
      g_ptr_array_add (values, relay_format_money (relay_order_get_subtotal (order)));
      g_ptr_array_add (titles, g_strdup (_("Shipping")));
      g_ptr_array_add (values, relay_format_money (relay_order_get_shipping_total (order)));
      g_ptr_array_add (titles, g_strdup (_("Discounts")));
      g_ptr_array_add (values, relay_format_money (relay_order_get_discount_total (order)));
      g_ptr_array_add (titles, g_strdup (_("Tax")));
      g_ptr_array_add (values, relay_format_money (relay_order_get_tax_total (order)));
    }
  g_ptr_array_add (titles, g_strdup (_("Total")));
  g_ptr_array_add (values, relay_format_money (&row->grand_total));
  /* What TradeGecko computed, next to Squarespace's total: the delivery's "totals" event. */
  for (guint i = events != NULL ? events->len : 0; i > 0; i--)
    {
      const RelayEvent *event = g_ptr_array_index (events, i - 1);

      if (g_strcmp0 (event->kind, "totals") == 0 && event->detail != NULL)
        {
          g_ptr_array_add (titles, g_strdup (_("In TradeGecko")));
          g_ptr_array_add (values, g_strdup (event->detail));
          break;
        }
    }

  for (guint i = 0; i < titles->len; i++)
    g_string_append_printf (signature, "%s\x1f%s\x1e", (char *) titles->pdata[i], (char *) values->pdata[i]);
  if (!section_begin (&self->totals, signature->str))
    return;

  for (guint i = 0; i < titles->len; i++)
    section_add (&self->totals, value_row_new (titles->pdata[i], values->pdata[i], NULL));
}

static char *
dup_shipment_subtitle (const RelayShipment *shipment)
{
  g_autofree char *posted = shipment->posted_at > 0 ? relay_format_time (shipment->posted_at) : NULL;

  return g_strdup_printf ("%s%s%s — %s",
                          shipment->carrier != NULL ? shipment->carrier : "",
                          shipment->lines_summary != NULL ? " · " : "",
                          shipment->lines_summary != NULL ? shipment->lines_summary : "",
                          posted != NULL ? posted : _("not sent to Squarespace yet"));
}

static void
update_shipments (RelayOrderDetail *self,
                  GPtrArray        *shipments)
{
  g_autoptr(GString) signature = g_string_new (NULL);

  for (guint i = 0; shipments != NULL && i < shipments->len; i++)
    {
      const RelayShipment *shipment = g_ptr_array_index (shipments, i);
      g_autofree char *subtitle = dup_shipment_subtitle (shipment);

      g_string_append_printf (signature, "%s\x1f%s\x1f%s\x1e", shipment->tracking_number ? shipment->tracking_number : "",
                              subtitle, shipment->tracking_url ? shipment->tracking_url : "");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->shipments_group), signature->len > 0);
  if (!section_begin (&self->shipments, signature->str))
    return;

  for (guint i = 0; shipments != NULL && i < shipments->len; i++)
    {
      const RelayShipment *shipment = g_ptr_array_index (shipments, i);
      g_autofree char *subtitle = dup_shipment_subtitle (shipment);
      GtkWidget *shipment_row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (shipment_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (shipment_row),
                                     shipment->tracking_number != NULL ? shipment->tracking_number : _("No tracking number"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (shipment_row), subtitle);
      if (shipment->tracking_url != NULL)
        {
          GtkWidget *link = gtk_link_button_new_with_label (shipment->tracking_url, _("Track"));

          gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (link), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Track the shipment on the carrier's site"), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (shipment_row), link);
        }
      section_add (&self->shipments, shipment_row);
    }
}

static GtkWidget *
event_row_new (const RelayEvent *event)
{
  g_autofree char *at = relay_format_time (event->at);
  GtkWidget *row = value_row_new (relay_event_kind_title_for (event->kind), at, NULL);

  gtk_widget_add_css_class (row, "timeline-row");
  if (event->detail != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), event->detail);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  return row;
}

/* The audit log, oldest first: it only grows, so only new entries are added. */
static void
update_timeline (RelayOrderDetail *self,
                 GPtrArray        *events)
{
  guint n = events != NULL ? events->len : 0;
  gboolean prefix = n >= self->event_ids->len;

  for (guint i = 0; prefix && i < self->event_ids->len; i++)
    prefix = ((RelayEvent *) g_ptr_array_index (events, i))->id == g_array_index (self->event_ids, gint64, i);

  if (!prefix)
    {
      section_begin (&self->timeline, NULL);
      g_free (self->timeline.signature);
      self->timeline.signature = g_strdup ("");
      g_array_set_size (self->event_ids, 0);
    }

  for (guint i = self->event_ids->len; i < n; i++)
    {
      const RelayEvent *event = g_ptr_array_index (events, i);

      section_add (&self->timeline, event_row_new (event));
      g_array_append_val (self->event_ids, event->id);
    }
}

static void
reset (RelayOrderDetail *self)
{
  /* A different order: no row of the last one may stay. */
  section_begin (&self->items, NULL);
  section_begin (&self->totals, NULL);
  section_begin (&self->shipments, NULL);
  section_begin (&self->timeline, NULL);
  g_array_set_size (self->event_ids, 0);
  g_clear_pointer (&self->problem, g_free);
}

static void
set_found (RelayOrderDetail *self,
           gboolean          found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (child == self->problem_card || child == GTK_WIDGET (self->shipments_group))
        continue;
      gtk_widget_set_visible (child, child == GTK_WIDGET (self->not_found_page) ? !found : found);
    }
  if (!found)
    {
      gtk_widget_set_visible (self->problem_card, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->shipments_group), FALSE);
    }
}

static void
update (RelayOrderDetail *self,
        RelayStore       *store)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  row = relay_store_find_order (store, self->squarespace_id, &error);
  set_found (self, row != NULL);
  if (row == NULL)
    {
      adw_status_page_set_description (self->not_found_page, error != NULL ? error->message : NULL);
      reset (self);
      return;
    }
  order = relay_store_load_order (store, self->squarespace_id, NULL);
  resolved = relay_store_dup_resolved_lines (store, self->squarespace_id, NULL);
  shipments = relay_store_dup_shipments (store, self->squarespace_id, NULL);
  events = relay_store_dup_events (store, self->squarespace_id, NULL);

  update_references (self, row);
  update_problem (self, row);
  update_customer (self, row, order);
  update_items (self, row, order, resolved);
  update_totals (self, row, order, events);
  update_shipments (self, shipments);
  update_timeline (self, events);
}

/* ------------------------------------------------------------------------ */

static void
add_fixed_rows (RelayOrderDetail *self)
{
  static const char *references[N_REFS] = {
    [REF_SQUARESPACE] = N_("Squarespace order"),
    [REF_PO_NUMBER] = N_("Full order number"),
    [REF_SHORT] = N_("Short reference"),
    [REF_TRADEGECKO] = N_("TradeGecko order"),
    [REF_PLACED] = N_("Placed"),
  };
  /* The API's field names stay available to whoever compares with TradeGecko. */
  static const char *reference_tooltips[N_REFS] = {
    [REF_PO_NUMBER] = N_("TradeGecko's customer PO number (cust_po_no)"),
    [REF_SHORT] = N_("TradeGecko's customer reference (cust_ref)"),
  };
  static const char *customer[N_CUSTOMER_ROWS] = {
    [CUSTOMER_NAME] = N_("Name"),
    [CUSTOMER_EMAIL] = N_("E-mail"),
    [CUSTOMER_SHIP_TO] = N_("Ship to"),
  };

  for (guint i = 0; i < N_REFS; i++)
    {
      GtkWidget *row = value_row_new (_(references[i]), NULL, &self->references[i]);

      if (reference_tooltips[i] != NULL)
        gtk_widget_set_tooltip_text (row, _(reference_tooltips[i]));
      /* A raw id (e6144c9ac8b5…): in the full order number's tooltip instead. */
      gtk_widget_set_visible (row, i != REF_SQUARESPACE);
      adw_preferences_group_add (self->references_group, row);
    }
  for (guint i = 0; i < N_CUSTOMER_ROWS; i++)
    adw_preferences_group_add (self->customer_group, value_row_new (_(customer[i]), NULL, &self->customer[i]));
}

static void
relay_order_detail_dispose (GObject *object)
{
  RelayOrderDetail *self = RELAY_ORDER_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_ORDER_DETAIL);

  G_OBJECT_CLASS (relay_order_detail_parent_class)->dispose (object);
}

static void
relay_order_detail_finalize (GObject *object)
{
  RelayOrderDetail *self = RELAY_ORDER_DETAIL (object);

  g_clear_pointer (&self->squarespace_id, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->event_ids, g_array_unref);
  section_clear (&self->items);
  section_clear (&self->totals);
  section_clear (&self->shipments);
  section_clear (&self->timeline);

  G_OBJECT_CLASS (relay_order_detail_parent_class)->finalize (object);
}

static void
relay_order_detail_class_init (RelayOrderDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_order_detail_dispose;
  object_class->finalize = relay_order_detail_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-order-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, header);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, problem_card);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, problem_title);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, problem_reason);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, fix_button);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, more_fixes_button);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, preview_button);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, references_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, customer_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, items_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, totals_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, shipments_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetail, not_found_page);

  gtk_widget_class_set_css_name (widget_class, "orderdetail");
}

static void
relay_order_detail_init (RelayOrderDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->badge = relay_stage_badge_new ();
  gtk_widget_set_valign (self->badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->header), self->badge);
  add_fixed_rows (self);

  section_init (&self->items, self->items_group);
  section_init (&self->totals, self->totals_group);
  section_init (&self->shipments, self->shipments_group);
  section_init (&self->timeline, self->timeline_group);
  self->event_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
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
 * Shows the order as the store has it now. Showing the same order again only
 * updates what changed, in place.
 */
void
relay_order_detail_show_order (RelayOrderDetail *self,
                               RelayStore       *store,
                               const char       *squarespace_id)
{
  g_return_if_fail (RELAY_IS_ORDER_DETAIL (self));
  g_return_if_fail (RELAY_IS_STORE (store));

  if (g_strcmp0 (self->squarespace_id, squarespace_id) != 0)
    {
      g_free (self->squarespace_id);
      self->squarespace_id = g_strdup (squarespace_id);
      reset (self);
    }

  if (squarespace_id == NULL)
    return;

  update (self, store);
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

  return self->event_ids->len;
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

/**
 * relay_order_detail_get_fix_action:
 * @self: a #RelayOrderDetail
 *
 * Returns: (nullable): the action of the button that fixes the problem shown
 */
const char *
relay_order_detail_get_fix_action (RelayOrderDetail *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAIL (self), NULL);

  if (self->problem == NULL)
    return NULL;

  return gtk_actionable_get_action_name (GTK_ACTIONABLE (self->fix_button));
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;

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
