/* relay-order-list-model.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-order-list-model.h"

/* ------------------------------------------------------------------------ */
/* RelayOrderItem: one row, updated in place when the order changes          */

struct _RelayOrderItem
{
  GObject        parent_instance;

  /* Owned */
  RelayOrderRow *row;
  gint64         key;
};

enum {
  ITEM_PROP_0,
  ITEM_PROP_ROW,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (RelayOrderItem, relay_order_item, G_TYPE_OBJECT)

static void
relay_order_item_finalize (GObject *object)
{
  RelayOrderItem *self = RELAY_ORDER_ITEM (object);

  g_clear_pointer (&self->row, relay_order_row_free);

  G_OBJECT_CLASS (relay_order_item_parent_class)->finalize (object);
}

static void
relay_order_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayOrderItem *self = RELAY_ORDER_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ROW:
      g_value_set_pointer (value, self->row);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_item_class_init (RelayOrderItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_order_item_finalize;
  object_class->get_property = relay_order_item_get_property;

  /**
   * RelayOrderItem:row:
   *
   * The order as the store has it; notified when the order changed.
   */
  item_properties[ITEM_PROP_ROW] =
    g_param_spec_pointer ("row", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
relay_order_item_init (RelayOrderItem *self)
{
}

static RelayOrderItem *
relay_order_item_new (gint64         key,
                      RelayOrderRow *row)
{
  RelayOrderItem *self = g_object_new (RELAY_TYPE_ORDER_ITEM, NULL);

  self->key = key;
  self->row = row;

  return self;
}

static void
relay_order_item_take_row (RelayOrderItem *self,
                           RelayOrderRow  *row)
{
  g_clear_pointer (&self->row, relay_order_row_free);
  self->row = row;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_ROW]);
}

/**
 * relay_order_item_get_row:
 * @self: a #RelayOrderItem
 *
 * Returns: (transfer none): the order's row
 */
const RelayOrderRow *
relay_order_item_get_row (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), NULL);

  return self->row;
}

const char *
relay_order_item_get_squarespace_id (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), NULL);

  return self->row->squarespace_id;
}

gint64
relay_order_item_get_key (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), 0);

  return self->key;
}

/* ------------------------------------------------------------------------ */
/* RelayOrderListModel                                                       */

/*
 * A lazy list of orders. Only the matching orders' keys (SQLite row ids, in
 * display order) are held; rows are read a page at a time when the view asks
 * for an item and at most RELAY_ORDER_LIST_CACHED_PAGES pages stay cached.
 * Changes in the store are batched and turned into the smallest
 * items-changed; rows already handed out are updated in place.
 *
 * A new sort, and with search text a new filter or the batched refreshes,
 * query the keys in a worker thread (a search reads every order, a sort a
 * whole index): the list keeps showing the previous keys, and input keeps
 * flowing, until the new ones arrive. A stage filter alone walks an index and
 * is answered at once.
 */
struct _RelayOrderListModel
{
  GObject         parent_instance;

  /* Owned */
  RelayStore     *store;
  char           *search;
  GArray         *keys;
  GHashTable     *items;          /* gint64 key → RelayOrderItem */
  GQueue          cached_pages;   /* page indexes, most recent first */
  GHashTable     *changed_ids;    /* squarespace ids changed since the last refresh */
  guint           refresh_source;
  GCancellable   *query;          /* the key query under way, if any */
  guint           stage_mask;
  RelayOrderSort  sort;
  gboolean        descending;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayOrderListModel, relay_order_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GArray *
query_keys (RelayOrderListModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *keys;

  keys = relay_store_dup_order_keys (self->store, self->stage_mask, self->search,
                                     self->sort, self->descending, &error);
  if (keys == NULL)
    {
      g_warning ("Could not list the orders: %s", error->message);
      keys = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  return keys;
}

static void
evict_page (RelayOrderListModel *self,
            guint                page)
{
  guint start = page * RELAY_ORDER_LIST_PAGE_SIZE;
  guint end = MIN (start + RELAY_ORDER_LIST_PAGE_SIZE, self->keys->len);

  for (guint i = start; i < end; i++)
    g_hash_table_remove (self->items, &g_array_index (self->keys, gint64, i));
}

static void
load_page (RelayOrderListModel *self,
           guint                page)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint start = page * RELAY_ORDER_LIST_PAGE_SIZE;
  guint n = MIN (RELAY_ORDER_LIST_PAGE_SIZE, self->keys->len - start);
  const gint64 *keys = &g_array_index (self->keys, gint64, start);

  rows = relay_store_dup_orders_by_keys (self->store, keys, n, &error);
  if (rows == NULL)
    {
      g_warning ("Could not read orders: %s", error->message);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);
      gint64 *key;

      if (row == NULL || g_hash_table_contains (self->items, &keys[i]))
        continue;

      g_ptr_array_index (rows, i) = NULL;
      key = g_new (gint64, 1);
      *key = keys[i];
      g_hash_table_insert (self->items, key, relay_order_item_new (keys[i], row));
    }

  g_queue_push_head (&self->cached_pages, GUINT_TO_POINTER (page));
  while (g_queue_get_length (&self->cached_pages) > RELAY_ORDER_LIST_CACHED_PAGES)
    evict_page (self, GPOINTER_TO_UINT (g_queue_pop_tail (&self->cached_pages)));
}

static GType
relay_order_list_model_get_item_type (GListModel *model)
{
  return RELAY_TYPE_ORDER_ITEM;
}

static guint
relay_order_list_model_get_n_items (GListModel *model)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (model);

  return self->keys->len;
}

static gpointer
relay_order_list_model_get_item (GListModel *model,
                                 guint       position)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (model);
  RelayOrderItem *item;
  gint64 key;

  if (position >= self->keys->len)
    return NULL;

  key = g_array_index (self->keys, gint64, position);
  item = g_hash_table_lookup (self->items, &key);
  if (item == NULL)
    {
      load_page (self, position / RELAY_ORDER_LIST_PAGE_SIZE);
      item = g_hash_table_lookup (self->items, &key);
    }
  else
    {
      /* Keep the page in use at the head of the cache. */
      gpointer page = GUINT_TO_POINTER (position / RELAY_ORDER_LIST_PAGE_SIZE);

      if (g_queue_peek_head (&self->cached_pages) != page && g_queue_remove (&self->cached_pages, page))
        g_queue_push_head (&self->cached_pages, page);
    }

  /* Deleted between the key query and now: the next refresh removes it. */
  if (item == NULL)
    return NULL;

  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_order_list_model_get_item_type;
  iface->get_n_items = relay_order_list_model_get_n_items;
  iface->get_item = relay_order_list_model_get_item;
}

/* Replaces the keys, telling the view only what moved: new orders at the top
 * are an insertion, an order that left the filter a removal. */
static void
replace_keys (RelayOrderListModel *self,
              GArray              *new_keys)
{
  g_autoptr(GArray) old_keys = self->keys;
  guint old_n = old_keys->len;
  guint new_n = new_keys->len;
  guint prefix = 0;
  guint suffix = 0;

  while (prefix < old_n && prefix < new_n &&
         g_array_index (old_keys, gint64, prefix) == g_array_index (new_keys, gint64, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old_keys, gint64, old_n - 1 - suffix) == g_array_index (new_keys, gint64, new_n - 1 - suffix))
    suffix++;

  self->keys = new_keys;

  /* Page numbers shift with the keys: start the page bookkeeping afresh but
   * keep the items, so rows on screen stay the same objects. */
  g_queue_clear (&self->cached_pages);
  if (g_hash_table_size (self->items) > RELAY_ORDER_LIST_PAGE_SIZE * RELAY_ORDER_LIST_CACHED_PAGES)
    g_hash_table_remove_all (self->items);

  if (old_n - prefix - suffix > RELAY_ORDER_LIST_PAGE_SIZE * RELAY_ORDER_LIST_CACHED_PAGES &&
      new_n - prefix - suffix > 0)
    {
      /* A new sort or search: most of the list is new. Said as one change, a selection in
       * it would look for its item among all the new ones (GtkSingleSelection asks for each
       * in turn, reading every row of 100,000 orders); said as all removed, then all added,
       * it lets go of the selection instead. */
      self->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      g_array_unref (self->keys);
      self->keys = new_keys;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
      if (old_n != new_n)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  else if (old_n - prefix - suffix > 0 || new_n - prefix - suffix > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_n - prefix - suffix, new_n - prefix - suffix);
      if (old_n != new_n)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
update_changed_items (RelayOrderListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->changed_ids) == 0)
    return;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RelayOrderItem *item = value;
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_hash_table_contains (self->changed_ids, item->row->squarespace_id))
        continue;

      rows = relay_store_dup_orders_by_keys (self->store, &item->key, 1, &error);
      if (rows == NULL)
        g_warning ("Could not re-read order %s: %s", item->row->squarespace_id, error->message);
      else if (g_ptr_array_index (rows, 0) != NULL)
        relay_order_item_take_row (item, g_steal_pointer (&g_ptr_array_index (rows, 0)));
    }

  g_hash_table_remove_all (self->changed_ids);
}

static void
set_query (RelayOrderListModel *self,
           GCancellable        *query)
{
  gboolean was_loading = self->query != NULL;

  if (self->query != NULL)
    g_cancellable_cancel (self->query);
  g_set_object (&self->query, query);
  if (was_loading != (query != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
keys_queried_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(RelayOrderListModel) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  GArray *keys;

  g_weak_ref_clear (weak);
  g_free (weak);
  /* The model is gone, or a newer query superseded this one: nothing to apply
   * (the task frees the keys it was never asked for). */
  if (self == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  keys = relay_store_dup_order_keys_finish (self->store, result, &error);
  if (keys == NULL)
    {
      g_warning ("Could not list the orders: %s", error->message);
      keys = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  set_query (self, NULL);
  replace_keys (self, keys);
}

/* The keys for the current filter, search and sort. A search reads every
 * order and a new sort walks a whole index, so they run off the main thread;
 * a stage filter or the store's latest changes without search text walk an
 * index (see the store's schema 4) and are answered here. */
static void
requery_keys (RelayOrderListModel *self,
              gboolean             in_thread)
{
  g_autoptr(GCancellable) query = NULL;
  GWeakRef *weak;

  if (!in_thread && self->search == NULL)
    {
      set_query (self, NULL);
      replace_keys (self, query_keys (self));
      return;
    }

  query = g_cancellable_new ();
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  set_query (self, query);
  relay_store_dup_order_keys_async (self->store, self->stage_mask, self->search, self->sort, self->descending,
                                    query, keys_queried_cb, weak);
}

static gboolean
refresh_cb (gpointer user_data)
{
  RelayOrderListModel *self = user_data;

  self->refresh_source = 0;
  update_changed_items (self);
  requery_keys (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
order_changed_cb (RelayOrderListModel *self,
                  const char          *squarespace_id,
                  RelayStore          *store)
{
  g_hash_table_add (self->changed_ids, g_strdup (squarespace_id));

  /* A sync cycle changes many orders in a burst: one refresh for all. */
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (100, refresh_cb, self);
}

static void
relay_order_list_model_dispose (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->query != NULL)
    g_cancellable_cancel (self->query);
  g_clear_object (&self->query);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->dispose (object);
}

static void
relay_order_list_model_finalize (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->changed_ids, g_hash_table_unref);
  g_queue_clear (&self->cached_pages);

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->finalize (object);
}

static void
relay_order_list_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->keys->len);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->query != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_list_model_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_list_model_constructed (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->constructed (object);

  g_assert (RELAY_IS_STORE (self->store));

  g_signal_connect_object (self->store, "order-changed", G_CALLBACK (order_changed_cb), self, G_CONNECT_SWAPPED);
  self->keys = query_keys (self);
}

static void
relay_order_list_model_class_init (RelayOrderListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = relay_order_list_model_constructed;
  object_class->dispose = relay_order_list_model_dispose;
  object_class->finalize = relay_order_list_model_finalize;
  object_class->get_property = relay_order_list_model_get_property;
  object_class->set_property = relay_order_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RELAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* A key query is under way: the items are still the previous filter's, search's or sort's. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_order_list_model_init (RelayOrderListModel *self)
{
  self->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sort = RELAY_ORDER_SORT_CREATED;
  self->descending = TRUE;
  g_queue_init (&self->cached_pages);
}

RelayOrderListModel *
relay_order_list_model_new (RelayStore *store)
{
  g_return_val_if_fail (RELAY_IS_STORE (store), NULL);

  return g_object_new (RELAY_TYPE_ORDER_LIST_MODEL,
                       "store", store,
                       NULL);
}

/**
 * relay_order_list_model_get_store:
 * @self: a #RelayOrderListModel
 *
 * Returns: (transfer none): the store the orders come from
 */
RelayStore *
relay_order_list_model_get_store (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), NULL);

  return self->store;
}

/* A new filter, search or sort: pending store changes are folded into it. */
static void
reload_all (RelayOrderListModel *self,
            gboolean             in_thread)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  update_changed_items (self);
  requery_keys (self, in_thread);
}

/**
 * relay_order_list_model_set_filter:
 * @self: a #RelayOrderListModel
 * @stage_mask: RELAY_STAGE_MASK() bits, %RELAY_STAGE_MASK_ERRORS; 0 for all
 * @search: (nullable): text to look for (see relay_store_dup_order_keys())
 *
 * Shows only the matching orders.
 */
void
relay_order_list_model_set_filter (RelayOrderListModel *self,
                                   guint                stage_mask,
                                   const char          *search)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));

  stripped = g_strstrip (g_strdup (search != NULL ? search : ""));
  if (*stripped == '\0')
    g_clear_pointer (&stripped, g_free);

  if (stage_mask == self->stage_mask && g_strcmp0 (stripped, self->search) == 0)
    return;

  self->stage_mask = stage_mask;
  g_free (self->search);
  self->search = g_steal_pointer (&stripped);

  reload_all (self, FALSE);
}

guint
relay_order_list_model_get_stage_mask (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), 0);

  return self->stage_mask;
}

const char *
relay_order_list_model_get_search (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), NULL);

  return self->search;
}

void
relay_order_list_model_set_sort (RelayOrderListModel *self,
                                 RelayOrderSort       sort,
                                 gboolean             descending)
{
  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));

  if (sort == self->sort && !descending == !self->descending)
    return;

  self->sort = sort;
  self->descending = !!descending;

  reload_all (self, TRUE);
}

RelayOrderSort
relay_order_list_model_get_sort (RelayOrderListModel *self,
                                 gboolean            *descending)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), RELAY_ORDER_SORT_CREATED);

  if (descending != NULL)
    *descending = self->descending;

  return self->sort;
}

/**
 * relay_order_list_model_refresh:
 * @self: a #RelayOrderListModel
 *
 * Applies the store's changes, and a pending filter, search or sort, now (on
 * the main thread) instead of after the short batching delay.
 */
void
relay_order_list_model_refresh (RelayOrderListModel *self)
{
  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  set_query (self, NULL);
  update_changed_items (self);
  replace_keys (self, query_keys (self));
}

/**
 * relay_order_list_model_is_loading:
 * @self: a #RelayOrderListModel
 *
 * Returns: whether a new filter, search or sort (or the store's latest
 *   changes) is still being queried
 */
gboolean
relay_order_list_model_is_loading (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);

  return self->query != NULL;
}

/**
 * relay_order_list_model_get_n_cached:
 * @self: a #RelayOrderListModel
 *
 * Returns: how many rows are held in memory
 */
guint
relay_order_list_model_get_n_cached (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), 0);

  return g_hash_table_size (self->items);
}

/**
 * relay_order_list_model_find:
 * @self: a #RelayOrderListModel
 * @squarespace_id: an order
 * @position: (out) (optional): where it is
 *
 * Looks for an order among the rows read so far (the ones the view showed).
 *
 * Returns: %TRUE when found
 */
gboolean
relay_order_list_model_find (RelayOrderListModel *self,
                             const char          *squarespace_id,
                             guint               *position)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);
  g_return_val_if_fail (squarespace_id != NULL, FALSE);

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RelayOrderItem *item = value;

      if (g_strcmp0 (item->row->squarespace_id, squarespace_id) != 0)
        continue;

      for (guint i = 0; i < self->keys->len; i++)
        {
          if (g_array_index (self->keys, gint64, i) == item->key)
            {
              if (position != NULL)
                *position = i;
              return TRUE;
            }
        }
    }

  return FALSE;
}
