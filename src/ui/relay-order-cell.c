/* relay-order-cell.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-order-cell.h"
#include "relay-ui-utils.h"

/*
 * One cell of the order list: shows one column of the item it is bound to,
 * and follows the item when the store changes its row or another order takes
 * the item's position (a new sort or search). Everything it shows is in the
 * row (tracking numbers included), so scrolling asks the store nothing more.
 *
 * Relabelling must be cheap: 200 rows of 8 cells change at once. Text goes in
 * a GtkInscription, whose size does not depend on its text, so new text is a
 * redraw and not a new size for every row; the stage's reason is looked up
 * when a tooltip is asked for, not set on every cell.
 */
struct _RelayOrderCell
{
  AdwBin            parent_instance;

  RelayOrderColumn  column;
  GtkWidget        *child;          /* an inscription, or the stage badge */
  int               shown_stage;    /* what the badge shows, -1 before the first row */
  gboolean          shown_error;

  /* Owned */
  RelayOrderItem   *item;
  gulong            row_handler;
};

G_DEFINE_FINAL_TYPE (RelayOrderCell, relay_order_cell, ADW_TYPE_BIN)

static char *
dup_text (RelayOrderCell      *self,
          const RelayOrderRow *row)
{
  switch (self->column)
    {
    case RELAY_ORDER_COLUMN_NUMBER:
      return g_strdup_printf ("#%s", row->order_number);
    case RELAY_ORDER_COLUMN_CUSTOMER:
      return g_strdup (row->customer_name != NULL ? row->customer_name : row->customer_email);
    case RELAY_ORDER_COLUMN_DATE:
      return relay_format_time (row->created_on);
    case RELAY_ORDER_COLUMN_ITEMS:
      return g_strdup_printf ("%u", row->item_count);
    case RELAY_ORDER_COLUMN_TOTAL:
      return relay_format_money (&row->grand_total);
    case RELAY_ORDER_COLUMN_TRADEGECKO:
      return g_strdup (row->tradegecko_order_number);
    case RELAY_ORDER_COLUMN_TRACKING:
      return g_strdup (row->tracking_numbers);
    case RELAY_ORDER_COLUMN_STAGE:
    case RELAY_N_ORDER_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* The row (the cell's parent's parent, a GtkListItemWidget in GTK 4.8, which
 * has no API for it) is announced by what identifies the order, not by its
 * class name. The number column is never hidden: it names the row. */
static void
name_row (RelayOrderCell      *self,
          const RelayOrderRow *row)
{
  GtkWidget *cell = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *row_widget = cell != NULL ? gtk_widget_get_parent (cell) : NULL;
  g_autofree char *label = NULL;

  if (row_widget == NULL)
    return;
  label = g_strdup_printf (_("Order %s, %s, %s"), row->order_number,
                           row->customer_name != NULL ? row->customer_name
                           : row->customer_email != NULL ? row->customer_email : "",
                           relay_stage_get_label (row->stage));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row_widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
render (RelayOrderCell *self)
{
  const RelayOrderRow *row = self->item != NULL ? relay_order_item_get_row (self->item) : NULL;
  g_autofree char *text = NULL;

  if (row == NULL)
    return;

  if (self->column == RELAY_ORDER_COLUMN_STAGE)
    {
      if (self->shown_stage != (int) row->stage || self->shown_error != (row->last_error != NULL))
        relay_stage_badge_update (self->child, row->stage, row->last_error != NULL);
      self->shown_stage = row->stage;
      self->shown_error = row->last_error != NULL;
      return;
    }

  text = dup_text (self, row);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->child), text);
  if (self->column == RELAY_ORDER_COLUMN_NUMBER)
    name_row (self, row);
}

/* Why the order is rejected, or what its last attempt failed with. */
static gboolean
stage_query_tooltip_cb (GtkWidget      *badge,
                        int             x,
                        int             y,
                        gboolean        keyboard_mode,
                        GtkTooltip     *tooltip,
                        RelayOrderCell *self)
{
  const RelayOrderRow *row = self->item != NULL ? relay_order_item_get_row (self->item) : NULL;
  const char *text;

  if (row == NULL)
    return FALSE;

  text = row->stage == RELAY_STAGE_REJECTED ? row->stage_reason : row->last_error;
  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
relay_order_cell_dispose (GObject *object)
{
  relay_order_cell_set_item (RELAY_ORDER_CELL (object), NULL);

  G_OBJECT_CLASS (relay_order_cell_parent_class)->dispose (object);
}

static void
relay_order_cell_class_init (RelayOrderCellClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_order_cell_dispose;
}

static void
relay_order_cell_init (RelayOrderCell *self)
{
  self->shown_stage = -1;
}

GtkWidget *
relay_order_cell_new (RelayOrderColumn column)
{
  RelayOrderCell *self = g_object_new (RELAY_TYPE_ORDER_CELL, NULL);

  g_return_val_if_fail (column < RELAY_N_ORDER_COLUMNS, NULL);

  self->column = column;
  if (column == RELAY_ORDER_COLUMN_STAGE)
    {
      self->child = relay_stage_badge_new ();
      gtk_widget_set_has_tooltip (self->child, TRUE);
      g_signal_connect_object (self->child, "query-tooltip", G_CALLBACK (stage_query_tooltip_cb), self, 0);
    }
  else
    {
      gboolean numeric = column == RELAY_ORDER_COLUMN_ITEMS || column == RELAY_ORDER_COLUMN_TOTAL;

      self->child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (self->child), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_xalign (GTK_INSCRIPTION (self->child), numeric ? 1 : 0);
      /* Vertically, as a label sits in the row. */
      gtk_widget_set_valign (self->child, GTK_ALIGN_CENTER);
      if (numeric || column == RELAY_ORDER_COLUMN_NUMBER)
        gtk_widget_add_css_class (self->child, "numeric");
    }
  adw_bin_set_child (ADW_BIN (self), self->child);

  return GTK_WIDGET (self);
}

/**
 * relay_order_cell_set_item:
 * @self: a #RelayOrderCell
 * @item: (nullable): the order to show, %NULL when unbound
 */
void
relay_order_cell_set_item (RelayOrderCell *self,
                           RelayOrderItem *item)
{
  g_return_if_fail (RELAY_IS_ORDER_CELL (self));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->row_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      self->row_handler = g_signal_connect_object (item, "notify::row", G_CALLBACK (render), self, G_CONNECT_SWAPPED);
      render (self);
    }
}
