/* test-ui-order-list.c — the lazy order list over a real SQLite store
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-order-list-model.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

typedef struct
{
  char                *dir;
  RelayStore          *store;
  RelayOrderListModel *model;
  guint                changes;
  guint                last_position;
  guint                last_removed;
  guint                last_added;
  GArray              *first_keys;
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->changes++;
  fixture->last_position = position;
  fixture->last_removed = removed;
  fixture->last_added = added;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  guint n_orders = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  static const char *customers[] = { "Ann", "Bob", "Cleo", "Dmitri" };

  fixture->dir = test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "state.sqlite3", NULL);
  fixture->store = relay_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_orders; i++)
    test_add_order (fixture->store, i, customers[i % 4], i % 10 == 3 ? "MUG-RED" : "MUG-BLK");

  fixture->model = relay_order_list_model_new (fixture->store);
  g_signal_connect (fixture->model, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->model);
  g_assert_finalize_object (fixture->store);
  test_remove_state_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The keys are queried off the main thread: wait for them. */
static void
set_filter (Fixture    *fixture,
            guint       stage_mask,
            const char *search)
{
  relay_order_list_model_set_filter (fixture->model, stage_mask, search);
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (fixture->model), 10);
}

static void
set_sort (Fixture        *fixture,
          RelayOrderSort  sort,
          gboolean        descending)
{
  relay_order_list_model_set_sort (fixture->model, sort, descending);
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (fixture->model), 10);
}

static const RelayOrderRow *
row_at (Fixture *fixture,
        guint    position)
{
  g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);

  g_assert_nonnull (item);
  /* The model's cache keeps the item (and so the row) alive. */
  return relay_order_item_get_row (item);
}

static void
test_pages_rows_lazily (Fixture       *fixture,
                        gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  g_assert_true (g_list_model_get_item_type (model) == RELAY_TYPE_ORDER_ITEM);
  g_assert_cmpuint (relay_order_list_model_get_n_cached (fixture->model), ==, 0);

  /* Newest first. */
  g_assert_cmpstr (row_at (fixture, 0)->order_number, ==, "1999");
  g_assert_cmpuint (relay_order_list_model_get_n_cached (fixture->model), ==, RELAY_ORDER_LIST_PAGE_SIZE);
  g_assert_cmpstr (row_at (fixture, 999)->order_number, ==, "1000");
  g_assert_cmpstr (row_at (fixture, 500)->order_number, ==, "1499");

  /* Reading every row keeps only a window of pages in memory. */
  for (guint i = 0; i < 1000; i++)
    g_assert_nonnull (row_at (fixture, i));
  g_assert_cmpuint (relay_order_list_model_get_n_cached (fixture->model), <=,
                    RELAY_ORDER_LIST_PAGE_SIZE * RELAY_ORDER_LIST_CACHED_PAGES);
  g_assert_null (g_list_model_get_item (model, 1000));
}

static void
test_filter_search_and_sort (Fixture       *fixture,
                             gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(GError) error = NULL;
  gboolean descending;

  /* A stage filter. */
  g_assert_true (relay_store_reject (fixture->store, "sq-000003", "Unknown SKU MUG-RED", &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_skip (fixture->store, "sq-000004", "Test order", &error));
  g_assert_no_error (error);
  set_filter (fixture, RELAY_STAGE_MASK (RELAY_STAGE_REJECTED), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (row_at (fixture, 0)->squarespace_id, ==, "sq-000003");
  g_assert_cmpint (row_at (fixture, 0)->stage, ==, RELAY_STAGE_REJECTED);

  set_filter (fixture,
                                     RELAY_STAGE_MASK (RELAY_STAGE_SKIPPED) | RELAY_STAGE_MASK (RELAY_STAGE_REJECTED),
                                     NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  /* A search runs off the main thread: until its keys arrive the list keeps the previous
   * ones; a newer search supersedes one still running. */
  relay_order_list_model_set_filter (fixture->model, 0, "cleo");
  g_assert_true (relay_order_list_model_is_loading (fixture->model));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  relay_order_list_model_set_filter (fixture->model, 0, "1042");
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (fixture->model), 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (row_at (fixture, 0)->order_number, ==, "1042");

  /* Search by SKU (whole), customer (part) and order number (part). */
  set_filter (fixture, 0, "MUG-RED");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  set_filter (fixture, 0, " cleo ");
  g_assert_cmpstr (relay_order_list_model_get_search (fixture->model), ==, "cleo");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);
  g_assert_cmpstr (row_at (fixture, 0)->customer_name, ==, "Cleo Buyer");
  set_filter (fixture, 0, "1042");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  set_filter (fixture, RELAY_STAGE_MASK (RELAY_STAGE_REJECTED), "Ann");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  set_filter (fixture, 0, "no such thing");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* Sorting. */
  set_filter (fixture, 0, NULL);
  set_sort (fixture, RELAY_ORDER_SORT_NUMBER, FALSE);
  g_assert_cmpint (relay_order_list_model_get_sort (fixture->model, &descending), ==, RELAY_ORDER_SORT_NUMBER);
  g_assert_false (descending);
  g_assert_cmpstr (row_at (fixture, 0)->order_number, ==, "1000");
  g_assert_cmpstr (row_at (fixture, 999)->order_number, ==, "1999");
  set_sort (fixture, RELAY_ORDER_SORT_CUSTOMER, TRUE);
  g_assert_cmpstr (row_at (fixture, 0)->customer_name, ==, "Dmitri Buyer");
  g_assert_cmpstr (row_at (fixture, 999)->customer_name, ==, "Ann Buyer");
  set_sort (fixture, RELAY_ORDER_SORT_STAGE, FALSE);
  g_assert_cmpint (row_at (fixture, 0)->stage, ==, RELAY_STAGE_REJECTED);
  g_assert_cmpint (row_at (fixture, 999)->stage, ==, RELAY_STAGE_SKIPPED);
}

static void
test_follows_store_changes (Fixture       *fixture,
                            gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(RelayOrderItem) item = NULL;
  g_autoptr(GError) error = NULL;
  guint position = G_MAXUINT;

  item = g_list_model_get_item (model, 5);
  g_assert_cmpstr (relay_order_item_get_squarespace_id (item), ==, "sq-000014");
  g_assert_cmpint (relay_order_item_get_row (item)->stage, ==, RELAY_STAGE_NEW);
  g_assert_true (relay_order_list_model_find (fixture->model, "sq-000014", &position));
  g_assert_cmpuint (position, ==, 5);

  /* A stage change updates the row in place: same item, same position. */
  fixture->changes = 0;
  g_assert_true (relay_store_reject (fixture->store, "sq-000014", "Unknown SKU", &error));
  g_assert_no_error (error);
  RELAY_TEST_ITERATE_UNTIL (relay_order_item_get_row (item)->stage == RELAY_STAGE_REJECTED, 5);
  g_assert_cmpstr (relay_order_item_get_row (item)->stage_reason, ==, "Unknown SKU");
  g_assert_cmpuint (fixture->changes, ==, 0);

  /* New orders arrive at the top as one insertion. */
  test_add_order (fixture->store, 20, "Eve", "MUG-BLK");
  test_add_order (fixture->store, 21, "Eve", "MUG-BLK");
  RELAY_TEST_ITERATE_UNTIL (fixture->changes > 0, 5);
  g_assert_cmpuint (fixture->changes, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 22);
  g_assert_cmpstr (row_at (fixture, 0)->order_number, ==, "1021");

  /* Leaving the filter is one removal. */
  set_filter (fixture, RELAY_STAGE_MASK (RELAY_STAGE_REJECTED), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  fixture->changes = 0;
  g_assert_true (relay_store_requeue (fixture->store, "sq-000014", &error));
  g_assert_no_error (error);
  relay_order_list_model_refresh (fixture->model);
  g_assert_cmpuint (fixture->changes, ==, 1);
  g_assert_cmpuint (fixture->last_removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

/* The list holds exactly the store's keys for its filter, search and sort, in order. */
static void
assert_keys_are_stores (Fixture    *fixture,
                        const char *search)
{
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrderSort sort;
  gboolean descending;

  sort = relay_order_list_model_get_sort (fixture->model, &descending);
  expected = relay_store_dup_order_keys (fixture->store, 0, search, sort, descending, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), i);

      g_assert_cmpint (relay_order_item_get_key (item), ==, g_array_index (expected, gint64, i));
    }
}

/* The new keys have arrived and the list is still growing to them. */
static void
wait_until_growing (Fixture *fixture)
{
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_querying (fixture->model), 10);
  g_assert_true (relay_order_list_model_is_loading (fixture->model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), <, 1000);
}

static void
rows_replaced_cb (RelayOrderListModel *model,
                  gboolean             new_order,
                  guint               *count)
{
  (*count)++;
}

/* A search that finds many more orders than the last one (here clearing it)
 * grows in steps: at every step the list is the start of the new one, in
 * order, it stays loading until whole, and "rows-replaced" comes once, then.
 * A search typed while a list is still growing ends with that search's
 * orders, and so does a sort. */
static void
test_grows_in_steps (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint replaced = 0;
  guint steps = 0;

  all = relay_store_dup_order_keys (fixture->store, 0, NULL, RELAY_ORDER_SORT_CREATED, TRUE, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->model, "rows-replaced", G_CALLBACK (rows_replaced_cb), &replaced);

  set_filter (fixture, 0, "1042");
  assert_keys_are_stores (fixture, "1042");
  replaced = 0;
  fixture->changes = 0;
  relay_order_list_model_set_filter (fixture->model, 0, NULL);
  wait_until_growing (fixture);
  while (relay_order_list_model_is_loading (fixture->model))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));

      g_assert_cmpuint (replaced, ==, 0);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), i);

          g_assert_cmpint (relay_order_item_get_key (item), ==, g_array_index (all, gint64, i));
        }
      steps++;
      relay_test_iterate_briefly ();
    }
  g_test_message ("grew to 1000 orders in %u items-changed, seen in %u main loop iterations", fixture->changes, steps);
  g_assert_cmpuint (fixture->changes, >, 2);
  g_assert_cmpuint (replaced, ==, 1);
  assert_keys_are_stores (fixture, NULL);

  /* Typed while the list grows: the last search's orders. */
  set_filter (fixture, 0, "1042");
  relay_order_list_model_set_filter (fixture->model, 0, NULL);
  wait_until_growing (fixture);
  set_filter (fixture, 0, "MUG-RED");
  assert_keys_are_stores (fixture, "MUG-RED");

  /* Cleared, then sorted while it grows: all of them, in the new order. */
  relay_order_list_model_set_filter (fixture->model, 0, NULL);
  wait_until_growing (fixture);
  set_sort (fixture, RELAY_ORDER_SORT_NUMBER, FALSE);
  assert_keys_are_stores (fixture, NULL);

  /* Shrunk and grown again while it grows: from a list cut short to all again. */
  set_filter (fixture, 0, "1042");
  relay_order_list_model_set_filter (fixture->model, 0, NULL);
  wait_until_growing (fixture);
  relay_order_list_model_set_filter (fixture->model, 0, "cleo");
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_querying (fixture->model), 10);
  relay_order_list_model_set_filter (fixture->model, 0, NULL);
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (fixture->model), 10);
  assert_keys_are_stores (fixture, NULL);
}

static void
first_keys_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  fixture->first_keys = relay_store_dup_order_keys_finish (fixture->store, result, &error);
  g_assert_no_error (error);
}

/* The first screenful asked for beside a search is the start of its keys, for
 * searches that match many orders, few or none, and for every sort. */
static void
test_first_keys_start_the_keys (Fixture       *fixture,
                                gconstpointer  data)
{
  static const char *searches[] = { "Buyer", "cleo", "MUG-RED", "1042", "10", "no such thing" };
  static const RelayOrderSort sorts[] = { RELAY_ORDER_SORT_CREATED, RELAY_ORDER_SORT_NUMBER, RELAY_ORDER_SORT_CUSTOMER,
                                          RELAY_ORDER_SORT_STAGE, RELAY_ORDER_SORT_TOTAL };

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    for (guint j = 0; j < G_N_ELEMENTS (sorts); j++)
      for (guint descending = 0; descending < 2; descending++)
        {
          g_autoptr(GArray) keys = NULL;
          g_autoptr(GArray) first = NULL;
          g_autoptr(GError) error = NULL;

          keys = relay_store_dup_order_keys (fixture->store, 0, searches[i], sorts[j], descending, &error);
          g_assert_no_error (error);
          relay_store_dup_first_order_keys_async (fixture->store, 0, searches[i], sorts[j], descending, 28, NULL,
                                                  first_keys_cb, fixture);
          RELAY_TEST_ITERATE_UNTIL (fixture->first_keys != NULL, 10);
          first = g_steal_pointer (&fixture->first_keys);
          g_assert_cmpuint (first->len, ==, MIN (keys->len, 28));
          for (guint k = 0; k < first->len; k++)
            g_assert_cmpint (g_array_index (first, gint64, k), ==, g_array_index (keys, gint64, k));
        }
}

static void
note_replacing (gboolean *replacing)
{
  *replacing = TRUE;
}

/* Whichever comes first, a search's first screenful or all its keys, the
 * first rows the list shows once it changes are the search's first orders,
 * and it ends with all of them. */
static void
test_search_shows_its_first_rows_first (Fixture       *fixture,
                                        gconstpointer  data)
{
  static const char *searches[] = { "cleo", "1042", "Bob", "Buyer", "MUG-RED" };

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) keys = NULL;
      g_autoptr(GError) error = NULL;
      gboolean replacing = FALSE;
      gulong handler;
      guint n;

      keys = relay_store_dup_order_keys (fixture->store, 0, searches[i], RELAY_ORDER_SORT_CREATED, TRUE, &error);
      g_assert_no_error (error);
      handler = g_signal_connect_swapped (fixture->model, "replacing-rows", G_CALLBACK (note_replacing), &replacing);
      relay_order_list_model_set_filter (fixture->model, 0, searches[i]);
      /* The change follows "replacing-rows" in the same callback; unchanged keys change nothing. */
      RELAY_TEST_ITERATE_UNTIL (replacing || !relay_order_list_model_is_loading (fixture->model), 10);
      g_signal_handler_disconnect (fixture->model, handler);

      n = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));
      g_test_message ("search \"%s\": %u orders, %u listed when the list first changed", searches[i], keys->len, n);
      g_assert_cmpuint (n, >=, MIN (keys->len, 28));
      for (guint k = 0; k < MIN (keys->len, 28); k++)
        {
          g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), k);

          g_assert_cmpint (relay_order_item_get_key (item), ==, g_array_index (keys, gint64, k));
        }
      RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (fixture->model), 10);
      assert_keys_are_stores (fixture, searches[i]);
    }
}

/* The order numbers `order-relay orders --search @search` prints for the store
 * under @data_home, in no particular order. */
static GPtrArray *
cli_search (const char *data_home,
            const char *search)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ORDER_RELAY_BIN"),
                                         "orders", "--search", search, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", 2);

      if (fields[0] != NULL && *fields[0] != '\0')
        g_ptr_array_add (numbers, g_strdup (fields[0]));
    }
  return numbers;
}

static GPtrArray *
model_search (RelayOrderListModel *model,
              const char          *search)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  relay_order_list_model_set_filter (model, 0, search);
  RELAY_TEST_ITERATE_UNTIL (!relay_order_list_model_is_loading (model), 10);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_ptr_array_add (numbers, g_strdup (relay_order_item_get_row (item)->order_number));
    }
  return numbers;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The command line and the window share one search: whatever is typed, they
 * find the same orders (the TradeGecko order number included). */
static void
test_cli_search_matches_model (void)
{
  static const char *customers[] = { "Ann", "Bob", "Cleo", "Dmitri" };
  static const char *searches[] = { "cleo", "MUG-RED", "102", "SO-7", "SO-70042", "buyer3@", "1Z999", "no such thing" };
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *data_home = g_build_filename (dir, "data", NULL);
  g_autofree char *state_dir = g_build_filename (data_home, "order-relay", NULL);
  g_autofree char *path = g_build_filename (state_dir, "state.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayOrderListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  RelayShipment shipment = { 0 };
  guint matched = 0;

  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 40; i++)
    test_add_order (store, i, customers[i % 4], i % 10 == 3 ? "MUG-RED" : "MUG-BLK");

  /* Two orders at TradeGecko, one of them shipped with a tracking number. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("sq-%06u", 10 + i);
      g_autofree char *number = g_strdup_printf ("SO-7004%u", 2 + i);

      g_assert_true (relay_store_begin_delivery (store, id, "key", &error));
      g_assert_no_error (error);
      g_assert_true (relay_store_finish_delivery (store, id, 900 + i, number, NULL, &error));
      g_assert_no_error (error);
    }
  shipment.fulfillment_id = 1;
  shipment.tradegecko_order_id = 900;
  shipment.status = (char *) "fulfilled";
  shipment.tracking_number = (char *) "1Z999AA10123456784";
  g_assert_true (relay_store_upsert_shipment (store, &shipment, NULL, &error));
  g_assert_no_error (error);

  model = relay_order_list_model_new (store);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GPtrArray) by_cli = cli_search (data_home, searches[i]);
      g_autoptr(GPtrArray) by_model = model_search (model, searches[i]);

      g_test_message ("search \"%s\": %u orders on the command line, %u in the window",
                      searches[i], by_cli->len, by_model->len);
      g_ptr_array_sort (by_cli, compare_strings);
      g_ptr_array_sort (by_model, compare_strings);
      g_assert_cmpuint (by_cli->len, ==, by_model->len);
      for (guint j = 0; j < by_cli->len; j++)
        g_assert_cmpstr (g_ptr_array_index (by_cli, j), ==, g_ptr_array_index (by_model, j));
      if (by_cli->len > 0)
        matched++;
    }
  /* Every search but the last finds something: the comparison is not of empty lists. */
  g_assert_cmpuint (matched, ==, G_N_ELEMENTS (searches) - 1);

  g_clear_object (&model);
  g_assert_finalize_object (g_steal_pointer (&store));
  test_remove_state_dir (state_dir);
  test_remove_state_dir (data_home);
  test_remove_state_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/order-list/pages-lazily", Fixture, GUINT_TO_POINTER (1000),
              fixture_set_up, test_pages_rows_lazily, fixture_tear_down);
  g_test_add ("/order-list/filter-search-sort", Fixture, GUINT_TO_POINTER (1000),
              fixture_set_up, test_filter_search_and_sort, fixture_tear_down);
  g_test_add ("/order-list/grows-in-steps", Fixture, GUINT_TO_POINTER (1000),
              fixture_set_up, test_grows_in_steps, fixture_tear_down);
  g_test_add ("/order-list/first-keys-start-the-keys", Fixture, GUINT_TO_POINTER (1000),
              fixture_set_up, test_first_keys_start_the_keys, fixture_tear_down);
  g_test_add ("/order-list/search-shows-its-first-rows-first", Fixture, GUINT_TO_POINTER (1000),
              fixture_set_up, test_search_shows_its_first_rows_first, fixture_tear_down);
  g_test_add ("/order-list/follows-store-changes", Fixture, GUINT_TO_POINTER (20),
              fixture_set_up, test_follows_store_changes, fixture_tear_down);

  g_test_add_func ("/order-list/cli-search-matches-model", test_cli_search_matches_model);

  return g_test_run ();
}
