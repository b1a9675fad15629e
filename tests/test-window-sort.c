/* test-window-sort.c — the main window's order list sorted and searched over a real store
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enough orders (more than a page) that a new sort or search relabels the
 * rows the view holds instead of replacing them: what the rows show must be
 * the new order's, and the selected order must stay selected.
 */

#include "config.h"

#include "relay-order-cell.h"
#include "relay-ui-utils.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

#define N_ORDERS 320

typedef struct
{
  char        *dir;
  RelayStore  *store;
  RelayWindow *window;
} Fixture;

static RelayApplication *test_app;

/* Stages, TradeGecko numbers and customers vary, so no column sorts like another. */
static void
fill_store (RelayStore *store)
{
  static const char *customers[] = { "Ann", "bob", "Cleo", "Dmitri", "eve", "Zoe" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_ORDERS; i++)
    test_add_order (store, i, customers[(i * 7) % G_N_ELEMENTS (customers)], i % 9 == 4 ? "MUG-RED" : "MUG-BLK");

  for (guint i = 0; i < N_ORDERS; i += 3)
    {
      g_autofree char *id = g_strdup_printf ("sq-%06u", i);
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      /* Not in order of the orders: sorting by it differs from sorting by date. */
      g_autofree char *number = g_strdup_printf ("SO-%u", 5000 + (i * 37) % 997);

      g_assert_true (relay_store_begin_delivery (store, id, key, &error));
      g_assert_true (relay_store_finish_delivery (store, id, 9000 + i, number, NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 4; i < N_ORDERS; i += 9)
    {
      g_autofree char *id = g_strdup_printf ("sq-%06u", i);

      g_assert_true (relay_store_reject (store, id, "TradeGecko has no variant with SKU MUG-RED", &error));
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = test_open_temp_store (&fixture->dir);
  fill_store (fixture->store);
  fixture->window = test_show_store (test_app, fixture->store);
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (fixture->window)), 10);
  relay_test_iterate_for (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  relay_test_iterate_for (50);
  g_clear_object (&fixture->store);
  test_remove_state_dir (fixture->dir);
  g_free (fixture->dir);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), RELAY_TYPE_WINDOW, name));
}

static RelayOrderListModel *
order_list (Fixture *fixture)
{
  return relay_window_get_order_list (fixture->window);
}

static GtkSingleSelection *
selection (Fixture *fixture)
{
  return GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (template_child (fixture, "column_view"))));
}

static void
wait_for_list (Fixture *fixture)
{
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (order_list (fixture)), 10);
  /* Let the view lay the relabelled rows out and paint them. */
  relay_test_iterate_for (100);
}

static void
sort_by (Fixture          *fixture,
         RelayOrderColumn  column,
         GtkSortType       direction)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (template_child (fixture, "column_view"));
  g_autoptr(GtkColumnViewColumn) sorted = g_list_model_get_item (gtk_column_view_get_columns (view), column);

  gtk_column_view_sort_by_column (view, sorted, direction);
  wait_for_list (fixture);
}

static void
search (Fixture    *fixture,
        const char *text)
{
  /* The entry says "search-changed" after a pause, and at once for an empty entry
   * (which replacing the text passes through): wait for this text's list. */
  gtk_editable_set_text (GTK_EDITABLE (template_child (fixture, "search_entry")), text);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (relay_order_list_model_get_search (order_list (fixture)), *text != '\0' ? text : NULL) == 0, 5);
  wait_for_list (fixture);
}

/* The list view inside the column view; its children are the rows, in list order. */
static GtkWidget *
list_view (Fixture *fixture)
{
  for (GtkWidget *child = gtk_widget_get_first_child (template_child (fixture, "column_view"));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  g_assert_not_reached ();
}

/* What a cell shows: an inscription's text, or the stage badge's label. */
static const char *
widget_text (GtkWidget *widget)
{
  /* An inscription with no text shows nothing: "". */
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL ? gtk_inscription_get_text (GTK_INSCRIPTION (widget)) : "";
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      const char *text = widget_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

static const char *
shown_text (GtkWidget        *row,
            RelayOrderColumn  column)
{
  GtkWidget *cell = gtk_widget_get_first_child (row);

  for (guint i = 0; i < column && cell != NULL; i++)
    cell = gtk_widget_get_next_sibling (cell);
  g_assert_nonnull (cell);

  return widget_text (cell);
}

/* The rows the view shows, top to bottom, from the first one on screen. */
static GPtrArray *
shown_rows (Fixture *fixture)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (template_child (fixture, "column_view"), GTK_TYPE_SCROLLED_WINDOW);
  GPtrArray *rows = g_ptr_array_new ();
  int height = gtk_widget_get_height (scroller);

  for (GtkWidget *row = gtk_widget_get_first_child (list_view (fixture)); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_child_visible (row) || !gtk_widget_compute_bounds (row, scroller, &bounds))
        continue;
      if (bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < height)
        g_ptr_array_add (rows, row);
    }

  return rows;
}

/* Every order, read from the store, as the rows the tests compare with. */
static GPtrArray *
all_rows (Fixture *fixture)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  keys = relay_store_dup_order_keys (fixture->store, 0, NULL, RELAY_ORDER_SORT_CREATED, FALSE, &error);
  g_assert_no_error (error);
  rows = relay_store_dup_orders_by_keys (fixture->store, (const gint64 *) keys->data, keys->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, N_ORDERS);

  return rows;
}

static char *
cell_text (const RelayOrderRow *row,
           RelayOrderColumn     column)
{
  switch (column)
    {
    case RELAY_ORDER_COLUMN_NUMBER:
      return g_strdup_printf ("#%s", row->order_number);
    case RELAY_ORDER_COLUMN_STAGE:
      return g_strdup (row->last_error != NULL && row->stage == RELAY_STAGE_NEW ? "Retrying" : relay_stage_get_label (row->stage));
    case RELAY_ORDER_COLUMN_CUSTOMER:
      return g_strdup (row->customer_name);
    case RELAY_ORDER_COLUMN_DATE:
      return relay_format_time (row->created_on);
    case RELAY_ORDER_COLUMN_ITEMS:
      return g_strdup_printf ("%u", row->item_count);
    case RELAY_ORDER_COLUMN_TOTAL:
      return relay_format_money (&row->grand_total);
    case RELAY_ORDER_COLUMN_TRADEGECKO:
      return g_strdup (row->tradegecko_order_number != NULL ? row->tradegecko_order_number : "");
    case RELAY_ORDER_COLUMN_TRACKING:
    case RELAY_N_ORDER_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* The order a column sorts in, as the merchant expects it, written here
 * without the store's SQL: numbers as numbers, names without case, stages
 * along the pipeline (problems first), no TradeGecko number before any. */
static int
stage_rank (RelayStage stage)
{
  static const RelayStage pipeline[] = {
    RELAY_STAGE_REJECTED, RELAY_STAGE_NEW, RELAY_STAGE_AT_TRADEGECKO, RELAY_STAGE_SHIPPED,
    RELAY_STAGE_CONFIRMED, RELAY_STAGE_SKIPPED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (pipeline); i++)
    if (pipeline[i] == stage)
      return i;
  return G_N_ELEMENTS (pipeline);
}

static RelayOrderColumn compared_column;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const RelayOrderRow *x = *(const RelayOrderRow * const *) a;
  const RelayOrderRow *y = *(const RelayOrderRow * const *) b;

  switch (compared_column)
    {
    case RELAY_ORDER_COLUMN_NUMBER:
      return (int) (g_ascii_strtoll (x->order_number, NULL, 10) - g_ascii_strtoll (y->order_number, NULL, 10));
    case RELAY_ORDER_COLUMN_STAGE:
      return stage_rank (x->stage) - stage_rank (y->stage);
    case RELAY_ORDER_COLUMN_CUSTOMER:
      return g_ascii_strcasecmp (x->customer_name, y->customer_name);
    case RELAY_ORDER_COLUMN_DATE:
      return (x->created_on > y->created_on) - (x->created_on < y->created_on);
    case RELAY_ORDER_COLUMN_ITEMS:
      return (int) x->item_count - (int) y->item_count;
    case RELAY_ORDER_COLUMN_TOTAL:
      return (x->grand_total.minor > y->grand_total.minor) - (x->grand_total.minor < y->grand_total.minor);
    case RELAY_ORDER_COLUMN_TRADEGECKO:
      return g_strcmp0 (x->tradegecko_order_number, y->tradegecko_order_number);
    case RELAY_ORDER_COLUMN_TRACKING:
    case RELAY_N_ORDER_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static int
compare_rows_descending (gconstpointer a,
                         gconstpointer b)
{
  return compare_rows (b, a);
}

/* After sorting by each column, both ways, the rows on screen show what that
 * column's first orders are (the sorted column's text: ties may come in either
 * order), and every row shows one order's cells, not a mix. */
static void
test_first_rows_after_each_sort (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const RelayOrderColumn sortable[] = {
    RELAY_ORDER_COLUMN_NUMBER, RELAY_ORDER_COLUMN_STAGE, RELAY_ORDER_COLUMN_CUSTOMER, RELAY_ORDER_COLUMN_DATE,
    RELAY_ORDER_COLUMN_ITEMS, RELAY_ORDER_COLUMN_TOTAL, RELAY_ORDER_COLUMN_TRADEGECKO,
  };
  g_autoptr(GPtrArray) rows = all_rows (fixture);
  g_autoptr(GHashTable) by_number = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Nothing selected: the view stays at the top instead of following the selection. */
  gtk_single_selection_set_selected (selection (fixture), GTK_INVALID_LIST_POSITION);
  for (guint i = 0; i < rows->len; i++)
    {
      const RelayOrderRow *row = g_ptr_array_index (rows, i);

      g_hash_table_insert (by_number, cell_text (row, RELAY_ORDER_COLUMN_NUMBER), (gpointer) row);
    }

  for (guint i = 0; i < G_N_ELEMENTS (sortable); i++)
    for (guint descending = 0; descending < 2; descending++)
      {
        g_autoptr(GPtrArray) shown = NULL;

        sort_by (fixture, sortable[i], descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        compared_column = sortable[i];
        g_ptr_array_sort (rows, descending ? compare_rows_descending : compare_rows);

        shown = shown_rows (fixture);
        g_test_message ("column %u %s: %u rows on screen", sortable[i], descending ? "descending" : "ascending", shown->len);
        g_assert_cmpuint (shown->len, >=, 5);
        for (guint j = 0; j < shown->len; j++)
          {
            GtkWidget *widget = g_ptr_array_index (shown, j);
            g_autofree char *expected = cell_text (g_ptr_array_index (rows, j), sortable[i]);
            const RelayOrderRow *order = g_hash_table_lookup (by_number, shown_text (widget, RELAY_ORDER_COLUMN_NUMBER));

            g_assert_cmpstr (shown_text (widget, sortable[i]), ==, expected);
            /* The row's other cells are that order's. */
            g_assert_nonnull (order);
            for (RelayOrderColumn column = 0; column < RELAY_ORDER_COLUMN_TRACKING; column++)
              {
                g_autofree char *own = cell_text (order, column);

                g_assert_cmpstr (shown_text (widget, column), ==, own);
              }
          }
      }
}

static char *
selected_id (Fixture *fixture)
{
  RelayOrderItem *item = gtk_single_selection_get_selected_item (selection (fixture));

  return item != NULL ? g_strdup (relay_order_item_get_squarespace_id (item)) : NULL;
}

/* The selected order's row is on screen and drawn as selected. */
static gboolean
selected_row_on_screen (Fixture    *fixture,
                        const char *number)
{
  g_autoptr(GPtrArray) shown = shown_rows (fixture);

  for (guint i = 0; i < shown->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (shown, i);

      if (g_strcmp0 (shown_text (row, RELAY_ORDER_COLUMN_NUMBER), number) == 0)
        return (gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED) != 0;
    }

  return FALSE;
}

static void
assert_selected (Fixture    *fixture,
                 gint64      key,
                 const char *id,
                 const char *number)
{
  g_autofree char *now = selected_id (fixture);
  guint position = GTK_INVALID_LIST_POSITION;

  g_test_message ("selected: %s at %u of %u", now, gtk_single_selection_get_selected (selection (fixture)),
                  g_list_model_get_n_items (G_LIST_MODEL (order_list (fixture))));
  g_assert_cmpstr (now, ==, id);
  g_assert_true (relay_order_list_model_find_key (order_list (fixture), key, &position));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection (fixture)), ==, position);
  RELAY_TEST_ITERATE_UNTIL (selected_row_on_screen (fixture, number), 5);
}

/* The selected order, copied: the selected item may take another order's row
 * when the list is re-sorted or searched. */
typedef struct
{
  gint64  key;
  char   *id;
  char   *number;
  char   *customer;
} Selected;

static void
selected_clear (Selected *selected)
{
  g_free (selected->id);
  g_free (selected->number);
  g_free (selected->customer);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Selected, selected_clear)

/* Selects the second newest order (near the top by date, far down by number
 * ascending) and waits for its pane. */
static void
select_second_newest (Fixture  *fixture,
                      Selected *copy)
{
  RelayOrderItem *selected;

  gtk_single_selection_set_selected (selection (fixture), 1);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (relay_window_get_shown_order (fixture->window), "sq-000318") == 0, 5);
  selected = gtk_single_selection_get_selected_item (selection (fixture));
  copy->key = relay_order_item_get_key (selected);
  copy->id = selected_id (fixture);
  copy->number = g_strdup_printf ("#%s", relay_order_item_get_row (selected)->order_number);
  copy->customer = g_strdup (relay_order_item_get_row (selected)->customer_name);
  g_assert_cmpstr (copy->id, ==, "sq-000318");
}

/* A re-sort or a search keeps the selected order selected, wherever it moved,
 * and scrolls to it; a search it does not match unselects it, and its pane
 * stays. None of this is the merchant choosing an order: the pane is not
 * reopened. */
static void
test_selection_kept (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Selected) picked = { 0 };

  select_second_newest (fixture, &picked);
  g_assert_true (selected_row_on_screen (fixture, picked.number));

  sort_by (fixture, RELAY_ORDER_COLUMN_NUMBER, GTK_SORT_ASCENDING);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection (fixture)), ==, 318);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  sort_by (fixture, RELAY_ORDER_COLUMN_CUSTOMER, GTK_SORT_DESCENDING);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  /* Its customer's orders, then only itself, then all again. */
  search (fixture, picked.customer);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (order_list (fixture))), <, N_ORDERS);
  assert_selected (fixture, picked.key, picked.id, picked.number);
  search (fixture, picked.number + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (order_list (fixture))), ==, 1);
  assert_selected (fixture, picked.key, picked.id, picked.number);
  search (fixture, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (order_list (fixture))), ==, N_ORDERS);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  /* A search that leaves it out: nothing selected, its pane stays. */
  search (fixture, "Zoe");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (order_list (fixture))), >, 0);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection (fixture)), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (relay_window_get_shown_order (fixture->window), ==, picked.id);
  g_assert_false (selected_row_on_screen (fixture, picked.number));
}

/* The list is exactly the store's orders for @search (newest first), and the
 * rows on screen show consecutive ones of them, each row one order's cells. */
static void
assert_shows (Fixture    *fixture,
              const char *search)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list = G_LIST_MODEL (order_list (fixture));
  guint first = G_MAXUINT;

  keys = relay_store_dup_order_keys (fixture->store, 0, search, RELAY_ORDER_SORT_CREATED, TRUE, &error);
  g_assert_no_error (error);
  rows = relay_store_dup_orders_by_keys (fixture->store, (const gint64 *) keys->data, keys->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, keys->len);
  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (list, i);

      g_assert_cmpint (relay_order_item_get_key (item), ==, g_array_index (keys, gint64, i));
    }

  shown = shown_rows (fixture);
  g_test_message ("search \"%s\": %u orders, %u rows on screen", search != NULL ? search : "", keys->len, shown->len);
  g_assert_cmpuint (shown->len, >=, MIN (keys->len, 5));
  for (guint i = 0; i < rows->len && first == G_MAXUINT; i++)
    {
      g_autofree char *number = cell_text (g_ptr_array_index (rows, i), RELAY_ORDER_COLUMN_NUMBER);

      if (g_strcmp0 (number, shown_text (g_ptr_array_index (shown, 0), RELAY_ORDER_COLUMN_NUMBER)) == 0)
        first = i;
    }
  g_assert_cmpuint (first, !=, G_MAXUINT);
  for (guint j = 0; j < shown->len; j++)
    {
      g_assert_cmpuint (first + j, <, rows->len);
      for (RelayOrderColumn column = 0; column < RELAY_ORDER_COLUMN_TRACKING; column++)
        {
          g_autofree char *expected = cell_text (g_ptr_array_index (rows, first + j), column);

          g_assert_cmpstr (shown_text (g_ptr_array_index (shown, j), column), ==, expected);
        }
    }
}

/* A search that finds fewer orders than the rows the view holds, then one that
 * finds many more (the list grows in steps), then one order, then all again:
 * each time the list and the rows on screen are exactly the search's orders,
 * in order, and the selected order stays selected and on screen. */
static void
test_search_grows_and_shrinks (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(Selected) picked = { 0 };

  select_second_newest (fixture, &picked);

  search (fixture, picked.customer);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (order_list (fixture))), <, 200);
  assert_shows (fixture, picked.customer);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  search (fixture, "");
  assert_shows (fixture, NULL);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  search (fixture, picked.number + 1);
  assert_shows (fixture, picked.number + 1);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  search (fixture, "");
  assert_shows (fixture, NULL);
  assert_selected (fixture, picked.key, picked.id, picked.number);
}

typedef struct
{
  Fixture *fixture;
  guint    steps;      /* the list grew while loading */
  guint    unselected; /* of them, with the order's row listed but not selected */
} GrowingSelection;

static void
note_growing_selection_cb (GtkSingleSelection *model,
                           guint               position,
                           guint               removed,
                           guint               added,
                           GrowingSelection   *check)
{
  /* The second newest: its row is among the first ones listed. */
  if (!relay_order_list_model_is_loading (order_list (check->fixture)) || g_list_model_get_n_items (G_LIST_MODEL (model)) < 2)
    return;

  check->steps++;
  if (gtk_single_selection_get_selected (model) != 1)
    check->unselected++;
}

/* A list growing under the view to a cleared search (a few frames) selects
 * the selected order as soon as its row is listed, not once it is whole. */
static void
test_selection_while_growing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(Selected) picked = { 0 };
  GrowingSelection check = { fixture };
  gulong handler;

  select_second_newest (fixture, &picked);
  search (fixture, picked.number + 1);
  assert_selected (fixture, picked.key, picked.id, picked.number);

  handler = g_signal_connect_after (selection (fixture), "items-changed", G_CALLBACK (note_growing_selection_cb), &check);
  search (fixture, "");
  g_signal_handler_disconnect (selection (fixture), handler);

  g_test_message ("%u steps of growth with the order's row listed, %u without it selected", check.steps, check.unselected);
  g_assert_cmpuint (check.steps, >, 0);
  g_assert_cmpuint (check.unselected, ==, 0);
  assert_selected (fixture, picked.key, picked.id, picked.number);
  g_assert_cmpstr (relay_window_get_shown_order (fixture->window), ==, picked.id);
}

typedef struct
{
  Fixture    *fixture;
  GSourceFunc between;   /* what comes between two steps */
  guint       idle;
  gboolean    interrupted;
} CutShort;

static gboolean
search_again_cb (gpointer user_data)
{
  CutShort *cut = user_data;

  cut->idle = 0;
  relay_order_list_model_set_filter (order_list (cut->fixture), 0, "Ann");
  return G_SOURCE_REMOVE;
}

/* As a click would: the row at the top, which still shows the newest order. */
static gboolean
pick_top_row_cb (gpointer user_data)
{
  CutShort *cut = user_data;

  cut->idle = 0;
  gtk_single_selection_set_selected (selection (cut->fixture), 0);
  return G_SOURCE_REMOVE;
}

/* The list being cut to one order still has more: input comes between the
 * steps, and a new search starts there. */
static void
list_cut_cb (GListModel *list,
             guint       position,
             guint       removed,
             guint       added,
             CutShort   *cut)
{
  if (cut->interrupted || removed == 0 || g_list_model_get_n_items (list) <= 1 ||
      g_strcmp0 (relay_order_list_model_get_search (RELAY_ORDER_LIST_MODEL (list)), "1318") != 0)
    return;

  cut->interrupted = TRUE;
  cut->idle = g_idle_add_full (G_PRIORITY_HIGH, cut->between, cut, NULL);
}

/* Searches for one order from the whole list (cut short in steps), with
 * @between run between two of the steps, and waits for the list. */
static void
cut_to_one_order (Fixture     *fixture,
                  GSourceFunc  between)
{
  CutShort cut = { fixture, between };
  gulong handler;

  handler = g_signal_connect (order_list (fixture), "items-changed", G_CALLBACK (list_cut_cb), &cut);
  relay_order_list_model_set_filter (order_list (fixture), 0, "1318");
  RELAY_TEST_ITERATE_UNTIL (cut.interrupted && cut.idle == 0, 10);
  g_signal_handler_disconnect (order_list (fixture), handler);
  wait_for_list (fixture);
}

/* A search that cuts the list short under the rows the view holds does it in
 * steps; another search that comes between them ends with its own orders
 * listed and shown, each row its order's. */
static void
test_search_during_cut (Fixture       *fixture,
                        gconstpointer  data)
{
  cut_to_one_order (fixture, search_again_cb);
  assert_shows (fixture, "Ann");
}

/* An order the merchant picks between the steps of a list cut short stays
 * in the pane; once the list is cut, it is selected only if listed (the
 * newest order is not: the search finds the second newest). */
static void
test_pick_during_cut (Fixture       *fixture,
                      gconstpointer  data)
{
  RelayOrderItem *selected;

  cut_to_one_order (fixture, pick_top_row_cb);
  assert_shows (fixture, "1318");
  g_assert_cmpstr (relay_window_get_shown_order (fixture->window), ==, "sq-000319");
  selected = gtk_single_selection_get_selected_item (selection (fixture));
  g_assert_null (selected);
}

/* Checked after each frame painted once a search's keys reached the list. */
typedef struct
{
  Fixture    *fixture;
  const char *search;    /* as the list has it: NULL for none */
  GHashTable *numbers;   /* the search's orders, as the Number column shows them */
  guint       fill;      /* the rows on screen that must show one of them */
  gboolean    changed;   /* the list took the search's first keys */
  guint       frames;
  guint       stale;
  guint       short_frames;
} ScreenCheck;

/* Replacing the entry's text passes through an empty entry, a search cleared
 * on the way: only this search's keys count. */
static void
search_keys_arrived_cb (ScreenCheck *check)
{
  if (g_strcmp0 (relay_order_list_model_get_search (order_list (check->fixture)), check->search) == 0)
    check->changed = TRUE;
}

static void
check_painted_rows_cb (GdkFrameClock *clock,
                       ScreenCheck   *check)
{
  g_autoptr(GPtrArray) shown = NULL;
  guint orders = 0;

  if (!check->changed)
    return;

  shown = shown_rows (check->fixture);
  check->frames++;
  for (guint i = 0; i < shown->len; i++)
    {
      const char *number = shown_text (g_ptr_array_index (shown, i), RELAY_ORDER_COLUMN_NUMBER);

      /* A row past the list's end shows nothing, which is not another order. */
      if (number == NULL || *number == '\0')
        continue;
      orders++;
      if (!g_hash_table_contains (check->numbers, number))
        {
          g_test_message ("frame %u: row %u on screen shows %s, not found by the search", check->frames, i, number);
          check->stale++;
        }
    }
  if (orders < check->fill)
    {
      g_test_message ("frame %u: %u of the search's orders on screen, not %u", check->frames, orders, check->fill);
      check->short_frames++;
    }
}

static GHashTable *
numbers_found (Fixture    *fixture,
               const char *text)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  keys = relay_store_dup_order_keys (fixture->store, 0, text, RELAY_ORDER_SORT_CREATED, TRUE, &error);
  g_assert_no_error (error);
  rows = relay_store_dup_orders_by_keys (fixture->store, (const gint64 *) keys->data, keys->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (numbers, cell_text (g_ptr_array_index (rows, i), RELAY_ORDER_COLUMN_NUMBER));

  return numbers;
}

/* A window taller than a 1080p screen's (more than 28 rows on screen): from
 * the first frame after a search's keys reached the list until the list is
 * whole, every row on screen is one of the search's orders (its first
 * screenful fills the window, no previous order shows below it), and as many
 * as fit are shown (a list growing under the view first fills the window).
 * Searches that shrink the list, cut it to one order, grow it from one, and
 * a cleared search. */
static void
test_tall_window_shows_no_stale_rows (Fixture       *fixture,
                                      gconstpointer  data)
{
  static const char *searches[] = { "Ann", "1318", "bob", "", "eve" };
  g_autoptr(GPtrArray) before = NULL;
  GdkFrameClock *clock;

  /* A size asked of a window already shown, without a window manager to refuse it. */
  gtk_widget_set_size_request (GTK_WIDGET (fixture->window), -1, 2200);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_height (list_view (fixture)) > 1800, 10);
  relay_test_iterate_for (200);
  before = shown_rows (fixture);
  g_test_message ("%u rows on screen", before->len);
  g_assert_cmpuint (before->len, >, 28 + 16);
  /* Told by the resize itself, before any search. */
  g_assert_cmpuint (relay_order_list_model_get_screen_rows (order_list (fixture)), >=, before->len);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      const char *text = *searches[i] != '\0' ? searches[i] : NULL;
      ScreenCheck check = { fixture, text, numbers_found (fixture, text) };
      gulong painted, arrived;

      /* The last row may be cut by the window's edge. */
      check.fill = MIN (g_hash_table_size (check.numbers), before->len - 1);
      painted = g_signal_connect (clock, "after-paint", G_CALLBACK (check_painted_rows_cb), &check);
      arrived = g_signal_connect_swapped (order_list (fixture), "replacing-rows", G_CALLBACK (search_keys_arrived_cb), &check);
      search (fixture, searches[i]);
      g_signal_handler_disconnect (clock, painted);
      g_signal_handler_disconnect (order_list (fixture), arrived);

      g_test_message ("search \"%s\": %u orders, %u frames checked", searches[i],
                      g_hash_table_size (check.numbers), check.frames);
      g_assert_cmpuint (check.frames, >, 0);
      g_assert_cmpuint (check.stale, ==, 0);
      g_assert_cmpuint (check.short_frames, ==, 0);
      assert_shows (fixture, text);
      g_hash_table_unref (check.numbers);
    }
}

int
main (int   argc,
      char *argv[])
{
  char *app_dir = NULL;

  gtk_test_init (&argc, &argv, NULL);

  test_app = test_window_app_new_in_temp_dir (&app_dir);
  test_store_unreachable_keys (test_app);

  g_test_add ("/window-sort/first-rows-after-each-sort", Fixture, NULL, fixture_set_up,
              test_first_rows_after_each_sort, fixture_tear_down);
  g_test_add ("/window-sort/selection-kept", Fixture, NULL, fixture_set_up, test_selection_kept, fixture_tear_down);
  g_test_add ("/window-sort/search-grows-and-shrinks", Fixture, NULL, fixture_set_up,
              test_search_grows_and_shrinks, fixture_tear_down);
  g_test_add ("/window-sort/selection-while-growing", Fixture, NULL, fixture_set_up,
              test_selection_while_growing, fixture_tear_down);
  g_test_add ("/window-sort/search-during-cut", Fixture, NULL, fixture_set_up, test_search_during_cut, fixture_tear_down);
  g_test_add ("/window-sort/pick-during-cut", Fixture, NULL, fixture_set_up, test_pick_during_cut, fixture_tear_down);
  g_test_add ("/window-sort/tall-window-shows-no-stale-rows", Fixture, NULL, fixture_set_up,
              test_tall_window_shows_no_stale_rows, fixture_tear_down);

  return test_window_app_run (&test_app, app_dir);
}
