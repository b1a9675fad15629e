/* relay-order-preview.c — a #RelayPreview shown line by line
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-order-preview.h"
#include "relay-ui-utils.h"

/*
 * The one way an order's preview is shown, in the wizard's test step and in
 * the window's Preview: what a sync would do first, then each line (matched
 * lines marked matched, a failing line highlighted with its fix), the
 * charges and both totals, and for the curious the exact body that would be
 * sent. "Add Alias…" on a failing line emits ::add-alias; the host opens the
 * one alias dialog and previews again.
 */

struct _RelayOrderPreview
{
  GtkBox               parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *lines_group;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;
  AdwPreferencesGroup *totals_group;
  GtkExpander         *payload_expander;
  GtkLabel            *payload_label;

  /* Owned */
  RelayPreview        *preview;
  GPtrArray           *line_rows;    /* one per preview line, in the lines group */
  GPtrArray           *charge_rows;  /* in the totals group */
  char                *status;
};

G_DEFINE_FINAL_TYPE (RelayOrderPreview, relay_order_preview, GTK_TYPE_BOX)

enum
{
  SIGNAL_ADD_ALIAS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_rows (GPtrArray           *rows,
             AdwPreferencesGroup *group)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static AdwActionRow *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *icon_name,
         const char          *title,
         const char          *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle != NULL ? subtitle : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (row, escaped_subtitle);
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      adw_action_row_add_prefix (row, icon);
    }
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (rows, row);
  return row;
}

static void
show_status (RelayOrderPreview *self,
             const char        *icon_name,
             const char        *title,
             const char        *detail,
             const char        *css_class)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_detail = g_markup_escape_text (detail != NULL ? detail : "", -1);

  g_free (self->status);
  self->status = g_strdup_printf ("%s\n%s", title, detail != NULL ? detail : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), escaped_title);
  adw_action_row_set_subtitle (self->status_row, escaped_detail);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
}

/* What a sync would do, first: the answer most merchants look for. */
static void
render_decision (RelayOrderPreview *self)
{
  const char *reason = relay_preview_get_reason (self->preview);

  switch (relay_preview_get_decision (self->preview))
    {
    case RELAY_PREVIEW_SEND:
      show_status (self, "emblem-ok-symbolic", _("Ready to go"),
                   _("This is what TradeGecko would receive. Nothing was sent."), "success");
      break;
    case RELAY_PREVIEW_SEND_DRAFT:
      show_status (self, "emblem-ok-symbolic", _("Ready to go, as a draft"),
                   _("This is what TradeGecko would receive, as a draft sales order. Nothing was sent."), "success");
      break;
    case RELAY_PREVIEW_SKIP:
      show_status (self, "dialog-information-symbolic",
                   relay_preview_get_testmode (self->preview) ? _("This test order is skipped") : _("Nothing to ship"),
                   reason, NULL);
      break;
    case RELAY_PREVIEW_WAIT:
    default:
      show_status (self, "dialog-warning-symbolic", _("This order would wait for you"), reason, "warning");
      break;
    }
}

static void
render_heading (RelayOrderPreview *self)
{
  const char *reference = relay_preview_get_reference (self->preview);
  const char *customer = relay_preview_get_customer (self->preview);
  RelayPreviewDecision decision = relay_preview_get_decision (self->preview);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  const char *how;

  /* Translators: the first %s is the Squarespace order number, the second the TradeGecko reference */
  title = g_strdup_printf (_("Order %s → TradeGecko %s"), relay_preview_get_order_number (self->preview),
                           reference != NULL ? reference : "?");
  if (relay_preview_get_testmode (self->preview))
    how = decision == RELAY_PREVIEW_SKIP ? _("a test order: skipped, not sent (test orders are set to Skip)")
                                         : _("a test order: sent as a draft tagged “test”");
  else
    how = relay_preview_decision_text (decision);
  description = customer != NULL ? g_strdup_printf ("%s · %s", customer, how) : g_strdup (how);
  adw_preferences_group_set_title (self->lines_group, title);
  adw_preferences_group_set_description (self->lines_group, description);
}

static char *
dup_line_subtitle (const RelayPreviewLine *line)
{
  g_autofree char *price = relay_format_money (&line->unit_price);
  g_autofree char *subtitle = NULL;

  switch (line->status)
    {
    case RELAY_LINE_RESOLVED:
      /* Translators: the last %s says which rule matched, e.g. "by variant alias" */
      subtitle = g_strdup_printf (_("Matched: TradeGecko SKU %s · %s each · %s"), line->destination_sku, price,
                                  relay_mapping_match_rule_text (line->rule));
      break;
    case RELAY_LINE_DIGITAL:
      subtitle = g_strdup_printf (_("Digital item, nothing to ship: a line without stock · %s each"), price);
      break;
    case RELAY_LINE_SERVICE:
      subtitle = g_strdup_printf (_("Service, nothing to ship: a line without stock · %s each"), price);
      break;
    case RELAY_LINE_NO_SKU:
      subtitle = g_strdup (_("This product has no SKU in Squarespace. Give it the SKU of its TradeGecko variant, then look again."));
      break;
    case RELAY_LINE_AMBIGUOUS_SKU:
      subtitle = g_strdup_printf (_("Several active TradeGecko variants have SKU “%s”. Archive one or give it another SKU."),
                                  line->destination_sku);
      break;
    case RELAY_LINE_UNKNOWN_SKU:
    default:
      subtitle = g_strdup_printf (_("TradeGecko has no active variant with SKU “%s”. Add an alias that names the TradeGecko SKU to use."),
                                  line->destination_sku != NULL ? line->destination_sku : "");
      break;
    }

  if (line->has_tax)
    {
      g_autofree char *tax = relay_format_money (&line->tax);

      /* Translators: a line's description, then the tax on it */
      return g_strdup_printf (_("%s · tax %s"), subtitle, tax);
    }
  return g_steal_pointer (&subtitle);
}

/* The line that stops the order stands out; the others say they are fine. */
static void
mark_line (AdwActionRow           *row,
           const RelayPreviewLine *line)
{
  GtkWidget *icon;

  if (line->failing)
    {
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("This line stops the order"), -1);
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_add_css_class (GTK_WIDGET (row), "failing-line");
    }
  else
    {
      icon = gtk_image_new_from_icon_name (line->status == RELAY_LINE_DIGITAL ? "folder-download-symbolic"
                                                                              : "emblem-ok-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      line->status == RELAY_LINE_RESOLVED ? _("Matched") : _("Sent without stock"), -1);
      gtk_widget_add_css_class (icon, "success");
      gtk_widget_add_css_class (GTK_WIDGET (row), "matched-line");
    }
  adw_action_row_add_prefix (row, icon);
}

static void
render_line (RelayOrderPreview *self,
             guint              index)
{
  const RelayPreviewLine *line = g_ptr_array_index (relay_preview_get_lines (self->preview), index);
  g_autofree char *title = g_strdup_printf ("%" G_GINT64_FORMAT " × %s", line->quantity, line->name);
  g_autofree char *subtitle = dup_line_subtitle (line);
  AdwActionRow *row = add_row (self->lines_group, self->line_rows, NULL, title, subtitle);

  mark_line (row, line);
  if (line->status == RELAY_LINE_UNKNOWN_SKU && line->store_sku != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Add _Alias…"));

      gtk_widget_set_name (button, "add-alias");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "preview.add-alias");
      /* The line, not only its SKU: the dialog also offers an alias for its variant alone. */
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (index));
      adw_action_row_add_suffix (row, button);
    }
}

static char *
dup_total_subtitle (RelayPreview *preview)
{
  const RelayTaxPlan *plan = relay_preview_get_tax_plan (preview);
  g_autofree char *grand = relay_format_money (relay_preview_get_store_total (preview));
  g_autofree char *tax = relay_format_money (relay_preview_get_store_tax (preview));
  g_autofree char *tradegecko_total = NULL;
  g_autofree char *tradegecko_tax = NULL;

  if (plan == NULL)
    /* Translators: a money amount */
    return g_strdup_printf (_("including %s tax"), tax);

  tradegecko_total = relay_format_money (&plan->tradegecko_total);
  tradegecko_tax = relay_format_money (&plan->tradegecko_tax);
  /* Translators: both totals side by side, each with its tax */
  return g_strdup_printf (_("Squarespace %s (tax %s) · TradeGecko %s (tax %s, %s)"), grand, tax,
                          tradegecko_total, tradegecko_tax, plan->tax_type.name != NULL ? plan->tax_type.name : "");
}

static void
render_charges (RelayOrderPreview *self)
{
  GPtrArray *shipping = relay_preview_get_shipping (self->preview);
  GPtrArray *discounts = relay_preview_get_discounts (self->preview);
  g_autofree char *grand = relay_format_money (relay_preview_get_store_total (self->preview));
  g_autofree char *total = dup_total_subtitle (self->preview);

  for (guint i = 0; i < shipping->len; i++)
    {
      const RelayPreviewCharge *charge = g_ptr_array_index (shipping, i);
      g_autofree char *amount = relay_format_money (&charge->amount);
      g_autofree char *title = g_strdup_printf (_("Shipping: %s"), charge->name);
      AdwActionRow *row = add_row (self->totals_group, self->charge_rows, "mail-send-symbolic", title, amount);

      /* Translators: the shipping label TradeGecko receives */
      g_autofree char *tooltip = g_strdup_printf (_("Sent to TradeGecko as “%s”"), charge->destination_name);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), tooltip);
    }
  for (guint i = 0; i < discounts->len; i++)
    {
      const RelayPreviewCharge *charge = g_ptr_array_index (discounts, i);
      g_autofree char *amount = relay_format_money (&charge->amount);
      g_autofree char *title = g_strdup_printf (_("Discount: %s"), charge->name);
      g_autofree char *negative = g_strdup_printf ("−%s", amount);

      add_row (self->totals_group, self->charge_rows, NULL, title, negative);
    }
  add_row (self->totals_group, self->charge_rows, NULL, grand, total);
}

static void
render (RelayOrderPreview *self)
{
  const char *payload;

  remove_rows (self->line_rows, self->lines_group);
  remove_rows (self->charge_rows, self->totals_group);
  gtk_widget_set_visible (GTK_WIDGET (self->lines_group), self->preview != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->totals_group), self->preview != NULL);
  g_clear_pointer (&self->status, g_free);
  if (self->preview == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->payload_expander), FALSE);
      return;
    }

  render_decision (self);
  render_heading (self);
  for (guint i = 0; i < relay_preview_get_lines (self->preview)->len; i++)
    render_line (self, i);
  render_charges (self);

  payload = relay_preview_get_payload (self->preview);
  gtk_label_set_text (self->payload_label, payload != NULL ? payload : "");
  gtk_widget_set_visible (GTK_WIDGET (self->payload_expander), payload != NULL);
}

static void
add_alias_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RelayOrderPreview *self = RELAY_ORDER_PREVIEW (widget);
  guint index = g_variant_get_uint32 (parameter);
  const RelayPreviewLine *line;

  if (self->preview == NULL || index >= relay_preview_get_lines (self->preview)->len)
    return;
  line = g_ptr_array_index (relay_preview_get_lines (self->preview), index);
  g_signal_emit (widget, signals[SIGNAL_ADD_ALIAS], 0, line->store_sku, line->store_variant_id, line->variant_label);
}

static void
relay_order_preview_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_ORDER_PREVIEW);

  G_OBJECT_CLASS (relay_order_preview_parent_class)->dispose (object);
}

static void
relay_order_preview_finalize (GObject *object)
{
  RelayOrderPreview *self = RELAY_ORDER_PREVIEW (object);

  g_clear_object (&self->preview);
  g_clear_pointer (&self->line_rows, g_ptr_array_unref);
  g_clear_pointer (&self->charge_rows, g_ptr_array_unref);
  g_free (self->status);

  G_OBJECT_CLASS (relay_order_preview_parent_class)->finalize (object);
}

static void
relay_order_preview_class_init (RelayOrderPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_order_preview_dispose;
  object_class->finalize = relay_order_preview_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-order-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayOrderPreview, lines_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderPreview, status_row);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderPreview, status_icon);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderPreview, totals_group);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderPreview, payload_expander);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderPreview, payload_label);

  gtk_widget_class_install_action (widget_class, "preview.add-alias", "u", add_alias_action);

  /**
   * RelayOrderPreview::add-alias:
   * @self: the preview
   * @store_sku: the SKU of the failing line
   * @variant_id: (nullable): its Squarespace variant, for an alias of that variant alone
   * @variant_label: (nullable): that variant's options (“Size: Large”)
   *
   * The merchant asked to add an item alias for a line TradeGecko has no variant for.
   */
  signals[SIGNAL_ADD_ALIAS] = g_signal_new ("add-alias", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_STRING);
}

static void
relay_order_preview_init (RelayOrderPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->line_rows = g_ptr_array_new ();
  self->charge_rows = g_ptr_array_new ();
  render (self);
}

/**
 * relay_order_preview_new:
 *
 * Returns: (transfer floating): a new, empty #RelayOrderPreview
 */
GtkWidget *
relay_order_preview_new (void)
{
  return g_object_new (RELAY_TYPE_ORDER_PREVIEW, NULL);
}

/**
 * relay_order_preview_set_preview:
 * @self: a #RelayOrderPreview
 * @preview: (nullable): what to show; %NULL shows nothing
 */
void
relay_order_preview_set_preview (RelayOrderPreview *self,
                                 RelayPreview      *preview)
{
  g_return_if_fail (RELAY_IS_ORDER_PREVIEW (self));
  g_return_if_fail (preview == NULL || RELAY_IS_PREVIEW (preview));

  g_set_object (&self->preview, preview);
  render (self);
}

/**
 * relay_order_preview_get_preview:
 *
 * Returns: (transfer none) (nullable): the preview shown
 */
RelayPreview *
relay_order_preview_get_preview (RelayOrderPreview *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_PREVIEW (self), NULL);

  return self->preview;
}

/**
 * relay_order_preview_get_status:
 *
 * Returns: (nullable): the decision shown, title and detail on two lines
 */
const char *
relay_order_preview_get_status (RelayOrderPreview *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_PREVIEW (self), NULL);

  return self->status;
}

/**
 * relay_order_preview_get_line_row:
 * @self: a #RelayOrderPreview
 * @index: a line of the order
 *
 * Returns: (transfer none) (nullable): the row showing that line
 */
GtkWidget *
relay_order_preview_get_line_row (RelayOrderPreview *self,
                                  guint              index)
{
  g_return_val_if_fail (RELAY_IS_ORDER_PREVIEW (self), NULL);

  return index < self->line_rows->len ? g_ptr_array_index (self->line_rows, index) : NULL;
}
