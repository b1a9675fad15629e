/* relay-order-list-model.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-order-list-model.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* ------------------------------------------------------------------------ */
/* RelayOrderItem: the order at one position of the list, updated in place
 * when the order changes and, after a new sort or search, when another order
 * takes its position (so the view's rows are relabelled, not rebuilt). */

struct _RelayOrderItem
{
  GObject              parent_instance;

  /* Owned */
  RelayOrderRow       *row;
  gint64               key;

  /* Unowned: the list that still tracks this item (see RelayOrderListModel:live) */
  RelayOrderListModel *model;
  guint                position;
};

static void relay_order_list_model_forget_item (RelayOrderListModel *self,
                                                RelayOrderItem      *item);

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

  if (self->model != NULL)
    relay_order_list_model_forget_item (self->model, self);
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
relay_order_item_new (RelayOrderListModel *model,
                      guint                position,
                      gint64               key,
                      RelayOrderRow       *row)
{
  RelayOrderItem *self = g_object_new (RELAY_TYPE_ORDER_ITEM, NULL);

  self->model = model;
  self->position = position;
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
 * is answered at once; a cleared search is queried in the thread too. Beside
 * a search's query runs one for its first screenful only, walking the sort's
 * index: when thousands of orders match, it comes well before they are all
 * sorted, and is shown meanwhile.
 *
 * When the new keys arrive, the items the view holds keep their positions and
 * take the rows of the orders now there: the view relabels its rows instead of
 * tearing down and building 200 rows of widgets, and only a change in length
 * is an items-changed. "replacing-rows" and "rows-replaced" bracket every
 * change of keys, so a selection can follow its order to its new position.
 *
 * Building a row of widgets costs GTK about a millisecond (the cells, their
 * styles, their text measured), and GTK 4.8's list view builds up to 200 rows
 * around what it shows. So a list that grows under the view (a search that
 * finds more than the last one, a search cleared) grows in steps: at once to
 * the rows a window shows, then RELAY_ORDER_LIST_GROW_STEP more at each idle
 * until the view has all it builds, then the rest in one go. No main loop
 * iteration builds more than a step's rows, and input goes first. The list
 * stays "loading" until it is whole, and "rows-replaced" comes then. A list
 * cut short under the rows the view holds is cut in steps too (see cut_cb()).
 */

/* The rows shown in the frame after the keys arrived, until the view says how
 * many it shows (relay_order_list_model_set_screen_rows()): a window maximized
 * on a 1080p screen. Never fewer than the floor: a view not yet laid out says 0. */
#define RELAY_ORDER_LIST_FIRST_ROWS 28
#define RELAY_ORDER_LIST_MIN_FIRST_ROWS 8
/* Rows built per main loop iteration while the list grows under the view. */
#define RELAY_ORDER_LIST_GROW_STEP  16
/* Rows the view holds dropped per main loop iteration while the list is cut
 * short under them: tearing a row down costs about a tenth of building one. */
#define RELAY_ORDER_LIST_CUT_STEP   40
/* GTK 4.8's list view builds up to 200 rows (GTK_LIST_VIEW_MAX_LIST_ITEMS):
 * rows added beyond as many after the first added one are never built at once. */
#define RELAY_ORDER_LIST_VIEW_ROWS  200
struct _RelayOrderListModel
{
  GObject         parent_instance;

  /* Owned */
  RelayStore     *store;
  char           *search;
  GArray         *keys;           /* the keys of the list, its first n_items shown */
  GHashTable     *pages;          /* page index → GPtrArray of the page's items */
  GQueue          cached_pages;   /* page indexes, most recent first */
  GHashTable     *changed_ids;    /* squarespace ids changed since the last refresh */
  guint           refresh_source;
  guint           trim_source;
  guint           grow_source;    /* the list grows to all its keys, or is cut short (see above) */
  GArray         *cut_to;         /* the keys a list being cut short takes once cut */
  guint           n_items;        /* how many the view has been told of */
  guint           grow_at_once;   /* from this length on, the rest is added in one go */
  guint           first_rows;     /* the rows the view shows: a search's first screenful */
  gboolean        replacing;      /* between "replacing-rows" and "rows-replaced" */
  GCancellable   *query;          /* the key query under way, if any */
  GCancellable   *first_query;    /* a search's first screenful of keys, asked for beside it */
  guint           stage_mask;
  RelayOrderSort  sort;
  gboolean        descending;
  gboolean        new_order;      /* the next keys answer a new sort, filter or search */

  /* Every item alive, cached or held by the view: position → item (unowned; an
   * item leaves when it is finalized or its position leaves the list). */
  GHashTable     *live;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REPLACING_ROWS,
  SIGNAL_ROWS_REPLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
relay_order_list_model_forget_item (RelayOrderListModel *self,
                                    RelayOrderItem      *item)
{
  if (g_hash_table_lookup (self->live, GUINT_TO_POINTER (item->position)) == item)
    g_hash_table_remove (self->live, GUINT_TO_POINTER (item->position));
  item->model = NULL;
}

/* Dropping the cache frees the items no one else holds; they leave `live`. */
static void
clear_cache (RelayOrderListModel *self)
{
  g_queue_clear (&self->cached_pages);
  g_hash_table_remove_all (self->pages);
}

static void
load_page (RelayOrderListModel *self,
           guint                page)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  guint start = page * RELAY_ORDER_LIST_PAGE_SIZE;
  guint n = MIN (RELAY_ORDER_LIST_PAGE_SIZE, self->n_items - start);
  guint next = 0;

  /* Items the view still holds are reused; only the others are read. */
  missing = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = start; i < start + n; i++)
    if (!g_hash_table_contains (self->live, GUINT_TO_POINTER (i)))
      g_array_append_val (missing, g_array_index (self->keys, gint64, i));

  rows = relay_store_dup_orders_by_keys (self->store, (const gint64 *) missing->data, missing->len, &error);
  if (rows == NULL)
    {
      g_warning ("Could not read orders: %s", error->message);
      return;
    }

  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = start; i < start + n; i++)
    {
      RelayOrderItem *item = g_hash_table_lookup (self->live, GUINT_TO_POINTER (i));
      RelayOrderRow *row;

      if (item != NULL)
        {
          g_ptr_array_add (items, g_object_ref (item));
          continue;
        }

      /* Deleted between the key query and now: the next refresh removes it. */
      row = g_steal_pointer (&g_ptr_array_index (rows, next++));
      if (row == NULL)
        continue;

      item = relay_order_item_new (self, i, g_array_index (self->keys, gint64, i), row);
      g_hash_table_insert (self->live, GUINT_TO_POINTER (i), item);
      g_ptr_array_add (items, item);
    }

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  g_queue_push_head (&self->cached_pages, GUINT_TO_POINTER (page));
  while (g_queue_get_length (&self->cached_pages) > RELAY_ORDER_LIST_CACHED_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->cached_pages));
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

  return self->n_items;
}

static gpointer
relay_order_list_model_get_item (GListModel *model,
                                 guint       position)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (model);
  gpointer page = GUINT_TO_POINTER (position / RELAY_ORDER_LIST_PAGE_SIZE);
  RelayOrderItem *item;

  if (position >= self->n_items)
    return NULL;

  if (!g_hash_table_contains (self->pages, page))
    load_page (self, GPOINTER_TO_UINT (page));
  else if (g_queue_peek_head (&self->cached_pages) != page && g_queue_remove (&self->cached_pages, page))
    /* Keep the page in use at the head of the cache. */
    g_queue_push_head (&self->cached_pages, page);

  item = g_hash_table_lookup (self->live, GUINT_TO_POINTER (position));

  return item != NULL ? g_object_ref (item) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_order_list_model_get_item_type;
  iface->get_n_items = relay_order_list_model_get_n_items;
  iface->get_item = relay_order_list_model_get_item;
}

static void
notify_length (RelayOrderListModel *self,
               guint                position,
               guint                removed,
               guint                added)
{
  if (removed == 0 && added == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* A few orders came or went: the items after them move along with them. */
static void
shift_items (RelayOrderListModel *self,
             guint                position,
             guint                removed,
             guint                added)
{
  g_autoptr(GPtrArray) moved = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RelayOrderItem *item = value;

      if (item->position < position)
        continue;
      g_hash_table_iter_steal (&iter);
      if (item->position < position + removed)
        item->model = NULL;
      else
        {
          item->position = item->position - removed + added;
          g_ptr_array_add (moved, item);
        }
    }

  for (guint i = 0; i < moved->len; i++)
    {
      RelayOrderItem *item = g_ptr_array_index (moved, i);

      g_hash_table_insert (self->live, GUINT_TO_POINTER (item->position), item);
    }
}

/* Items at @position and after leave the list (the view still shows them until
 * it is told). */
static void
orphan_items_from (RelayOrderListModel *self,
                   guint                position)
{
  shift_items (self, position, G_MAXUINT - position, 0);
}

static gboolean
holds_items_from (RelayOrderListModel *self,
                  guint                position)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (RELAY_ORDER_ITEM (value)->position >= position)
      return TRUE;

  return FALSE;
}

/* A new sort or search: each item the view holds takes the order now at its
 * position (read together, one statement). */
static void
relabel_items (RelayOrderListModel *self)
{
  g_autoptr(GPtrArray) relabelled = g_ptr_array_new ();
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  orphan_items_from (self, self->n_items);
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RelayOrderItem *item = value;
      gint64 key;

      key = g_array_index (self->keys, gint64, item->position);
      if (key == item->key)
        continue;
      g_ptr_array_add (relabelled, item);
      g_array_append_val (keys, key);
    }

  rows = relay_store_dup_orders_by_keys (self->store, (const gint64 *) keys->data, keys->len, &error);
  if (rows == NULL)
    {
      g_warning ("Could not read orders: %s", error->message);
      return;
    }

  for (guint i = 0; i < relabelled->len; i++)
    {
      RelayOrderItem *item = g_ptr_array_index (relabelled, i);
      RelayOrderRow *row = g_steal_pointer (&g_ptr_array_index (rows, i));

      item->key = g_array_index (keys, gint64, i);
      /* Deleted since the key query: shown as it was until the next refresh removes it. */
      if (row != NULL)
        relay_order_item_take_row (item, row);
    }
}

static gboolean
is_loading (RelayOrderListModel *self)
{
  return self->query != NULL || self->grow_source != 0;
}

static void
notify_loading (RelayOrderListModel *self,
                gboolean             was_loading)
{
  if (was_loading != is_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The keys are about to change: whoever follows an order by its position notes it. */
static void
start_replacing (RelayOrderListModel *self)
{
  self->replacing = TRUE;
  g_signal_emit (self, signals[SIGNAL_REPLACING_ROWS], 0);
}

/* The keys are the list's and the view has been told: whoever follows an order
 * by its position looks it up again. */
static void
finish_replacing (RelayOrderListModel *self)
{
  gboolean new_order;

  /* A search's first screenful came first: the rest of its keys are still to come. */
  if (self->query != NULL)
    return;

  new_order = self->new_order;
  self->new_order = FALSE;
  if (!self->replacing)
    return;
  self->replacing = FALSE;
  g_signal_emit (self, signals[SIGNAL_ROWS_REPLACED], 0, new_order);
}

/* Tells the view of up to @count more of the keys. The cached pages may end
 * where the list did: they are read again (the view's items stay in `live`). */
static void
show_more (RelayOrderListModel *self,
           guint                count)
{
  guint from = self->n_items;

  self->n_items = from + MIN (count, self->keys->len - from);
  clear_cache (self);
  notify_length (self, from, 0, self->n_items - from);
}

static gboolean
grow_cb (gpointer user_data)
{
  RelayOrderListModel *self = user_data;

  show_more (self, self->n_items < self->grow_at_once ? RELAY_ORDER_LIST_GROW_STEP : G_MAXUINT);
  if (self->n_items < self->keys->len)
    return G_SOURCE_CONTINUE;

  self->grow_source = 0;
  notify_loading (self, TRUE);
  finish_replacing (self);
  return G_SOURCE_REMOVE;
}

/* The keys beyond n_items come in steps (see the top of the file), or at once
 * when @gradually is FALSE. */
static void
grow (RelayOrderListModel *self,
      gboolean             gradually)
{
  if (!gradually)
    {
      show_more (self, G_MAXUINT);
      finish_replacing (self);
      return;
    }

  self->grow_at_once = self->n_items + RELAY_ORDER_LIST_VIEW_ROWS;
  if (self->n_items < self->first_rows)
    show_more (self, self->first_rows - self->n_items);
  if (self->n_items == self->keys->len)
    {
      finish_replacing (self);
      return;
    }

  /* Below redrawing and input: a frame and the merchant's keys come between steps. */
  self->grow_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, grow_cb, self, NULL);
}

/* A change of keys interrupts one still growing: what the view was told of is
 * the list the new keys are compared with. */
static void
stop_growing (RelayOrderListModel *self)
{
  if (self->grow_source == 0)
    return;

  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_pointer (&self->cut_to, g_array_unref);
  orphan_items_from (self, self->n_items);
  g_array_set_size (self->keys, self->n_items);
}

/* One past the last position whose item the view holds (after clear_cache(),
 * `live` holds only those). */
static guint
held_end (RelayOrderListModel *self)
{
  GHashTableIter iter;
  gpointer value;
  guint end = 0;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    end = MAX (end, RELAY_ORDER_ITEM (value)->position + 1);

  return end;
}

/* Drops the positions from @length on, still showing the previous keys. */
static void
cut_at (RelayOrderListModel *self,
        guint                length)
{
  guint old_n = self->n_items;

  if (length >= old_n)
    return;

  orphan_items_from (self, length);
  self->n_items = length;
  g_array_set_size (self->keys, length);
  clear_cache (self);
  notify_length (self, length, old_n - length, 0);
}

/* The list is cut short under the rows the view holds, a step at a time: the
 * rows beyond those at once (they have no widgets), then the held ones from
 * the end, RELAY_ORDER_LIST_CUT_STEP per iteration. The steps run above
 * redrawing, so no frame shows the previous orders half cut; input comes
 * between them. Once the list is as long as the new keys, its items take them. */
static gboolean
cut_cb (gpointer user_data)
{
  RelayOrderListModel *self = user_data;
  guint length = self->cut_to->len;

  /* Pages the view read meanwhile are not rows it holds. */
  clear_cache (self);
  cut_at (self, MAX (length, MIN (held_end (self), self->n_items)));
  if (self->n_items > length)
    {
      cut_at (self, MAX (length, self->n_items - MIN (self->n_items, RELAY_ORDER_LIST_CUT_STEP)));
      if (self->n_items > length)
        return G_SOURCE_CONTINUE;
    }

  self->grow_source = 0;
  g_array_unref (self->keys);
  self->keys = g_steal_pointer (&self->cut_to);
  /* A row the merchant picked between the steps is noted before it takes another order. */
  start_replacing (self);
  relabel_items (self);
  finish_replacing (self);
  notify_loading (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
cut_gradually (RelayOrderListModel *self,
               GArray              *old_keys,
               GArray              *new_keys)
{
  self->keys = old_keys;
  self->cut_to = new_keys;
  clear_cache (self);
  cut_at (self, MAX (new_keys->len, held_end (self)));
  self->grow_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, cut_cb, self, NULL);
}

/* Replaces the keys, telling the view only what moved: new orders at the top
 * are an insertion, an order that left the filter a removal. @gradually: a
 * list that grows under the view grows in steps. */
static void
replace_keys (RelayOrderListModel *self,
              GArray              *new_keys,
              gboolean             gradually)
{
  g_autoptr(GArray) old_keys = NULL;
  gboolean was_loading = is_loading (self);
  guint old_n;
  guint new_n = new_keys->len;
  guint prefix = 0;
  guint suffix = 0;

  stop_growing (self);
  old_keys = g_steal_pointer (&self->keys);
  old_n = old_keys->len;
  while (prefix < old_n && prefix < new_n &&
         g_array_index (old_keys, gint64, prefix) == g_array_index (new_keys, gint64, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old_keys, gint64, old_n - 1 - suffix) == g_array_index (new_keys, gint64, new_n - 1 - suffix))
    suffix++;

  if (prefix == old_n && prefix == new_n)
    {
      self->keys = g_steal_pointer (&old_keys);
      g_array_unref (new_keys);
      finish_replacing (self);
      notify_loading (self, was_loading);
      return;
    }

  /* Again for a change that interrupts another: a selection made meanwhile
   * (among rows already listed) is noted before its row takes another order. */
  start_replacing (self);

  /* Page numbers no longer match the keys: the cache starts afresh, and `live`
   * keeps only the items the view holds. */
  clear_cache (self);

  if ((old_n - prefix - suffix > 0 && new_n - prefix - suffix > 0 &&
       (old_n - prefix - suffix > RELAY_ORDER_LIST_PAGE_SIZE || new_n - prefix - suffix > RELAY_ORDER_LIST_PAGE_SIZE)) ||
      (gradually && self->new_order && new_n > old_n + self->first_rows))
    {
      /* A new sort or search: much of the list is new. Said as one change, GTK would
       * drop and rebuild every row widget and, when a row it shows is among the
       * removed, ask for every added item to see whether it came back (reading
       * every row of 100,000 orders when a search is cleared). So the items keep
       * their positions and are relabelled; only the change in length is said.
       *
       * Except for a list cut short under rows the view holds: GTK 4.8 then moved
       * one of the removed rows to a remaining position without asking for that
       * position's item (it showed a removed order). That list is emptied and
       * filled again: its rows, as many as it now has, are built anew.
       *
       * A new search that finds many more orders than the last one, even a few
       * dozen, is said this way too: the list then grows in steps. */
      if (new_n < old_n && holds_items_from (self, new_n) && gradually)
        {
          /* Emptied in one go, GTK 4.8 tears 200 rows of widgets down in one
           * iteration (15–25 ms, more under load): the list is cut a step at a
           * time, still showing the previous orders, and takes the new keys
           * once as long as they are. */
          cut_gradually (self, g_steal_pointer (&old_keys), new_keys);
          notify_loading (self, was_loading);
          return;
        }
      else if (new_n < old_n && holds_items_from (self, new_n))
        {
          orphan_items_from (self, 0);
          self->keys = new_keys;
          self->n_items = 0;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
        }
      else if (new_n < old_n)
        {
          self->keys = new_keys;
          self->n_items = new_n;
          relabel_items (self);
          notify_length (self, new_n, old_n - new_n, 0);
        }
      else
        {
          self->keys = new_keys;
          relabel_items (self);
        }
    }
  else
    {
      self->keys = new_keys;
      self->n_items = new_n;
      shift_items (self, prefix, old_n - prefix - suffix, new_n - prefix - suffix);
      notify_length (self, prefix, old_n - prefix - suffix, new_n - prefix - suffix);
    }

  grow (self, gradually);
  notify_loading (self, was_loading);
}

static void
update_changed_items (RelayOrderListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->changed_ids) == 0)
    return;

  g_hash_table_iter_init (&iter, self->live);
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
  gboolean was_loading = is_loading (self);

  if (self->query != NULL)
    g_cancellable_cancel (self->query);
  /* A new query's first screenful is asked for after this; the keys themselves end the wait for it. */
  if (self->first_query != NULL)
    g_cancellable_cancel (self->first_query);
  g_clear_object (&self->first_query);
  g_set_object (&self->query, query);
  notify_loading (self, was_loading);
}

/* A sort or search frees a list of keys (800 kB for 100,000 orders) and the
 * rows the view showed, some of it in a worker's malloc arena: glibc keeps
 * freed memory for reuse, and without this the window grew by 10–15 MB over
 * 14 sorts. After the frame is painted: it takes 0.5–15 ms. */
static gboolean
give_back_memory_cb (gpointer user_data)
{
  RelayOrderListModel *self = user_data;

  self->trim_source = 0;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
give_back_memory (RelayOrderListModel *self)
{
  if (self->trim_source == 0)
    self->trim_source = g_idle_add_full (G_PRIORITY_LOW, give_back_memory_cb, self, NULL);
}

static GWeakRef *
weak_ref_new (RelayOrderListModel *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  return weak;
}

/* The list a key query answers (@weak_ref, freed here), or %NULL: the list is
 * gone, or a newer query superseded this one, and there is nothing to apply
 * (the task frees the keys it was never asked for). */
static RelayOrderListModel *
list_still_asking (gpointer      weak_ref,
                   GAsyncResult *result)
{
  GWeakRef *weak = weak_ref;
  RelayOrderListModel *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    g_clear_object (&self);

  return self;
}

static void
keys_queried_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelayOrderListModel) self = list_still_asking (user_data, result);
  g_autoptr(GError) error = NULL;
  GArray *keys;

  if (self == NULL)
    return;

  keys = relay_store_dup_order_keys_finish (self->store, result, &error);
  if (keys == NULL)
    {
      g_warning ("Could not list the orders: %s", error->message);
      keys = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  set_query (self, NULL);
  replace_keys (self, keys, TRUE);
  give_back_memory (self);
}

/* The first screenful of the keys still being queried takes the first
 * positions: the rows there are relabelled, the list keeps its length (and,
 * below, the previous orders, as all of them were shown until now) until the
 * keys come. A shorter list grows to it. */
static void
show_first_keys (RelayOrderListModel *self,
                 GArray              *first)
{
  stop_growing (self);
  if (first->len > self->n_items)
    {
      replace_keys (self, first, TRUE);
      return;
    }

  start_replacing (self);
  memcpy (self->keys->data, first->data, first->len * sizeof (gint64));
  g_array_unref (first);
  relabel_items (self);
}

/* A search's first screenful, found before all its orders are sorted: shown
 * while the rest are still queried (the list stays loading, "rows-replaced"
 * waits for them). Usually, when few orders match, the keys come first and
 * this is cancelled. */
static void
first_keys_queried_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(RelayOrderListModel) self = list_still_asking (user_data, result);
  GArray *keys;

  if (self == NULL)
    return;

  g_clear_object (&self->first_query);
  /* A failure is the keys' query's to report. */
  keys = relay_store_dup_order_keys_finish (self->store, result, NULL);
  if (keys == NULL)
    return;

  /* Fewer than asked for: they are all the keys, the other query is moot. */
  if (keys->len < self->first_rows)
    {
      set_query (self, NULL);
      replace_keys (self, keys, TRUE);
      give_back_memory (self);
      return;
    }
  show_first_keys (self, keys);
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

  if (!in_thread && self->search == NULL)
    {
      set_query (self, NULL);
      replace_keys (self, query_keys (self), TRUE);
      return;
    }

  query = g_cancellable_new ();
  set_query (self, query);
  /* Not for the store's latest changes: those are an insertion or a removal, said once. */
  if (self->search != NULL && self->new_order)
    {
      self->first_query = g_cancellable_new ();
      relay_store_dup_first_order_keys_async (self->store, self->stage_mask, self->search, self->sort,
                                              self->descending, self->first_rows, self->first_query,
                                              first_keys_queried_cb, weak_ref_new (self));
    }
  relay_store_dup_order_keys_async (self->store, self->stage_mask, self->search, self->sort, self->descending,
                                    query, keys_queried_cb, weak_ref_new (self));
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
  g_clear_handle_id (&self->trim_source, g_source_remove);
  g_clear_handle_id (&self->grow_source, g_source_remove);
  if (self->query != NULL)
    g_cancellable_cancel (self->query);
  g_clear_object (&self->query);
  if (self->first_query != NULL)
    g_cancellable_cancel (self->first_query);
  g_clear_object (&self->first_query);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  /* Items the view still holds outlive the list: they stop asking it anything. */
  if (self->pages != NULL)
    clear_cache (self);
  if (self->live != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        RELAY_ORDER_ITEM (value)->model = NULL;
      g_hash_table_remove_all (self->live);
    }

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->dispose (object);
}

static void
relay_order_list_model_finalize (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->cut_to, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
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
      g_value_set_uint (value, self->n_items);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, is_loading (self));
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
  self->n_items = self->keys->len;
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

  /* A key query is under way, and the items are still the previous filter's, search's or
   * sort's; or the list is still growing to the new keys. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayOrderListModel::replacing-rows:
   *
   * The keys are about to change: a new sort, filter or search, or the
   * store's changes (see #RelayOrderListModel::rows-replaced). Said again
   * when a change comes before the last one's "rows-replaced".
   */
  signals[SIGNAL_REPLACING_ROWS] =
    g_signal_new ("replacing-rows", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * RelayOrderListModel::rows-replaced:
   * @new_order: whether a new sort, filter or search asked for the change
   *
   * The keys changed. After a new sort or search the items may have kept
   * their positions and now show other orders, without an items-changed for
   * them (only for the change in length): whoever tracks an order by its
   * position, a selection, looks it up again with
   * relay_order_list_model_find_key().
   */
  signals[SIGNAL_ROWS_REPLACED] =
    g_signal_new ("rows-replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
relay_order_list_model_init (RelayOrderListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->live = g_hash_table_new (NULL, NULL);
  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sort = RELAY_ORDER_SORT_CREATED;
  self->descending = TRUE;
  self->first_rows = RELAY_ORDER_LIST_FIRST_ROWS;
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
  self->new_order = TRUE;
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
  gboolean search_changed;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));

  stripped = g_strstrip (g_strdup (search != NULL ? search : ""));
  if (*stripped == '\0')
    g_clear_pointer (&stripped, g_free);

  if (stage_mask == self->stage_mask && g_strcmp0 (stripped, self->search) == 0)
    return;

  /* Clearing the search walks every order too: off the main thread as well. */
  search_changed = g_strcmp0 (stripped, self->search) != 0;
  self->stage_mask = stage_mask;
  g_free (self->search);
  self->search = g_steal_pointer (&stripped);

  reload_all (self, search_changed);
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
 * relay_order_list_model_set_screen_rows:
 * @self: a #RelayOrderListModel
 * @rows: how many rows the view shows at its present height
 *
 * A search's first screenful, and the rows a growing list shows at once, are
 * this many (at least a few): a tall window shows no previous order below
 * them, a short one reads and builds no more than it shows.
 */
void
relay_order_list_model_set_screen_rows (RelayOrderListModel *self,
                                        guint                rows)
{
  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));

  self->first_rows = MAX (rows, RELAY_ORDER_LIST_MIN_FIRST_ROWS);
}

/**
 * relay_order_list_model_get_screen_rows:
 * @self: a #RelayOrderListModel
 *
 * Returns: the rows of a search's first screenful (see
 *   relay_order_list_model_set_screen_rows())
 */
guint
relay_order_list_model_get_screen_rows (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), 0);

  return self->first_rows;
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
  replace_keys (self, query_keys (self), FALSE);
}

/**
 * relay_order_list_model_is_loading:
 * @self: a #RelayOrderListModel
 *
 * Returns: whether a new filter, search or sort (or the store's latest
 *   changes) is still being queried, or the list still growing to it
 */
gboolean
relay_order_list_model_is_loading (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);

  return is_loading (self);
}

/**
 * relay_order_list_model_is_querying:
 * @self: a #RelayOrderListModel
 *
 * Returns: whether the keys of a new filter, search or sort are still being
 *   queried, or the list is still being cut short to take them (once it has
 *   them, it may still be growing to them: see
 *   relay_order_list_model_is_loading())
 */
gboolean
relay_order_list_model_is_querying (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);

  return self->query != NULL || self->cut_to != NULL;
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

  return g_hash_table_size (self->live);
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

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RelayOrderItem *item = value;

      if (g_strcmp0 (item->row->squarespace_id, squarespace_id) != 0)
        continue;

      if (position != NULL)
        *position = item->position;
      return TRUE;
    }

  return FALSE;
}

/**
 * relay_order_list_model_find_key:
 * @self: a #RelayOrderListModel
 * @key: an order's key (relay_order_item_get_key())
 * @position: (out) (optional): where it is
 *
 * Looks for an order among all the keys, read or not: a walk of an array
 * (100,000 orders take well under a millisecond), no query.
 *
 * Returns: %TRUE when the order is in the list
 */
gboolean
relay_order_list_model_find_key (RelayOrderListModel *self,
                                 gint64               key,
                                 guint               *position)
{
  const gint64 *keys;

  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);

  keys = (const gint64 *) self->keys->data;
  for (guint i = 0; i < self->n_items; i++)
    {
      if (keys[i] != key)
        continue;

      if (position != NULL)
        *position = i;
      return TRUE;
    }

  return FALSE;
}
