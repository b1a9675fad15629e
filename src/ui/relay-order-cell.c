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
 * What one cell of the order list shows: one column of the item its list item
 * is bound to (the list item's child is the inscription or badge itself, one
 * widget fewer per cell than a container around it),
 * and follows the item when the store changes its row or another order takes
 * the item's position (a new sort or search). Everything it shows is in the
 * row (tracking numbers included), so scrolling asks the store nothing more.
 *
 * Relabelling must be cheap: 200 rows of 8 cells change at once. Text goes in
 * a GtkInscription, whose size does not depend on its text, so new text is a
 * redraw and not a new size for every row; the stage's reason is looked up
 * when a tooltip is asked for, not set on every cell.
 *
 * Tearing a row down is costly too (its cells, their controllers, their
 * accessibles): a search that finds a few orders after a long list drops 200
 * rows at once. The cells, and through the number cell their row, outlive
 * GTK's dropping them and are finalized a few at a time in idles, after the
 * frame (see relay_order_cell_setup()).
 */
struct _RelayOrderCell
{
  GObject           parent_instance;

  RelayOrderColumn  column;
  int               shown_stage;    /* what the badge shows, -1 before the first row */
  gboolean          shown_error;

  /* Owned */
  GtkWidget        *child;          /* an inscription, or the stage badge (the list item's child) */
  RelayOrderItem   *item;
  gulong            row_handler;
};

G_DEFINE_FINAL_TYPE (RelayOrderCell, relay_order_cell, G_TYPE_OBJECT)

/* Widgets finalized per idle: about 3 ms, the cells of some 28 rows (24 a time let
 * thousands wait: low-priority idles run seldom while the list grows). */
#define RELEASE_STEP 256

static GQueue dropped = G_QUEUE_INIT;
static guint  release_source;

static gboolean
release_dropped_cb (gpointer user_data)
{
  for (guint i = 0; i < RELEASE_STEP && !g_queue_is_empty (&dropped); i++)
    g_object_unref (g_queue_pop_head (&dropped));

  if (!g_queue_is_empty (&dropped))
    return G_SOURCE_CONTINUE;

  release_source = 0;
  return G_SOURCE_REMOVE;
}

/* Takes over a reference to @object (a widget, or a cell and so its child): it
 * is finalized in an idle. */
static void
release_later (gpointer object)
{
  g_queue_push_tail (&dropped, object);
  if (release_source == 0)
    release_source = g_idle_add_full (G_PRIORITY_LOW, release_dropped_cb, NULL, NULL);
}

static void
row_parent_changed_cb (GtkWidget  *row,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  if (gtk_widget_get_parent (row) != NULL)
    return;

  g_signal_handlers_disconnect_by_func (row, row_parent_changed_cb, user_data);
  release_later (row);
}

/* The row (the child's parent's parent, see name_row()) is held until GTK drops it. */
static void
hold_row (RelayOrderCell *self)
{
  GtkWidget *cell = gtk_widget_get_parent (self->child);
  GtkWidget *row = cell != NULL ? gtk_widget_get_parent (cell) : NULL;

  if (row == NULL || g_signal_handler_find (row, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, row_parent_changed_cb, NULL) != 0)
    return;

  g_object_ref (row);
  g_signal_connect (row, "notify::parent", G_CALLBACK (row_parent_changed_cb), NULL);
}

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

/* The row (the child's parent's parent, a GtkListItemWidget in GTK 4.8, which
 * has no API for it) is announced by what identifies the order, not by its
 * class name. The number column is never hidden: it names the row. */
static void
name_row (RelayOrderCell      *self,
          const RelayOrderRow *row)
{
  GtkWidget *cell = gtk_widget_get_parent (self->child);
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

static void set_item (RelayOrderCell *self,
                      RelayOrderItem *item);

static void
relay_order_cell_dispose (GObject *object)
{
  RelayOrderCell *self = RELAY_ORDER_CELL (object);

  set_item (self, NULL);
  g_clear_object (&self->child);

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

static RelayOrderCell *
relay_order_cell_new (RelayOrderColumn column)
{
  RelayOrderCell *self = g_object_new (RELAY_TYPE_ORDER_CELL, NULL);

  self->column = column;
  if (column == RELAY_ORDER_COLUMN_STAGE)
    {
      self->child = g_object_ref_sink (relay_stage_badge_new ());
      gtk_widget_set_has_tooltip (self->child, TRUE);
      g_signal_connect_object (self->child, "query-tooltip", G_CALLBACK (stage_query_tooltip_cb), self, 0);
    }
  else
    {
      gboolean numeric = column == RELAY_ORDER_COLUMN_ITEMS || column == RELAY_ORDER_COLUMN_TOTAL;

      self->child = g_object_ref_sink (gtk_inscription_new (NULL));
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (self->child), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_xalign (GTK_INSCRIPTION (self->child), numeric ? 1 : 0);
      /* Vertically, as a label sits in the row. */
      gtk_widget_set_valign (self->child, GTK_ALIGN_CENTER);
      if (numeric || column == RELAY_ORDER_COLUMN_NUMBER)
        gtk_widget_add_css_class (self->child, "numeric");
    }

  return self;
}

static void
set_item (RelayOrderCell *self,
          RelayOrderItem *item)
{
  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->row_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      self->row_handler = g_signal_connect_object (item, "notify::row", G_CALLBACK (render), self, G_CONNECT_SWAPPED);
      render (self);
      if (self->column == RELAY_ORDER_COLUMN_NUMBER)
        hold_row (self);
    }
}

/**
 * relay_order_cell_setup:
 * @list_item: a list item of a column of the order list
 * @column: the column
 *
 * The list item factory's "setup": gives @list_item its child and the
 * #RelayOrderCell that fills it. The list item keeps the cell, and the cell
 * its child, so that when GTK drops the row they are finalized later, a few at
 * a time (a search that drops 200 rows would otherwise finalize 2,000 widgets
 * in one main loop iteration).
 */
void
relay_order_cell_setup (GtkListItem      *list_item,
                        RelayOrderColumn  column)
{
  RelayOrderCell *self;

  g_return_if_fail (GTK_IS_LIST_ITEM (list_item));
  g_return_if_fail (column < RELAY_N_ORDER_COLUMNS);

  self = relay_order_cell_new (column);
  gtk_list_item_set_child (list_item, self->child);
  g_object_set_data_full (G_OBJECT (list_item), "relay-order-cell", self, release_later);
}

/**
 * relay_order_cell_get:
 * @list_item: a list item given a cell by relay_order_cell_setup()
 *
 * Returns: (transfer none): the cell
 */
RelayOrderCell *
relay_order_cell_get (GtkListItem *list_item)
{
  g_return_val_if_fail (GTK_IS_LIST_ITEM (list_item), NULL);

  return g_object_get_data (G_OBJECT (list_item), "relay-order-cell");
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

  set_item (self, item);
}
