/* relay-sync-post.c
 *
 * Flow 4: post tracking to Squarespace.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

/* Posts in flight at once. One at a time, each post's round trip and the
 * commits around it bounded the rate instead of Squarespace's pacing, and under
 * a sliding window the time the first burst took is paid again in every later
 * window. Each post is one order's, under that order's own in-flight marker
 * committed before it is sent: a crash leaves each of them to be re-read from
 * Squarespace, never posted twice. */
#define POSTS_IN_FLIGHT 4
/* While the pull lane reads pages, which delivery waits for: with all of them
 * the posts took a window's whole budget before the pull was through, and
 * TradeGecko sat idle for that window. */
#define POSTS_IN_FLIGHT_WHILE_PULLING 1

/* One post under way. */
typedef struct
{
  GTask  *task;            /* the cycle's: the lane's reference keeps it */
  char   *squarespace_id;
  GArray *fulfillment_ids; /* gint64: the shipments sent */
} Post;

static void
post_free (Post *post)
{
  g_free (post->squarespace_id);
  g_array_unref (post->fulfillment_ids);
  g_free (post);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Post, post_free)

static Post *
post_new (GTask      *task,
          const char *squarespace_id)
{
  Post *post = g_new0 (Post, 1);

  post->task = task;
  post->squarespace_id = g_strdup (squarespace_id);
  post->fulfillment_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return post;
}

static void post_fill (GTask *task);

/* ------------------------------------------------------------------------ */
/* Flow 4: post tracking to Squarespace                                      */

/* One order the lane took is answered or passed over. One tried this cycle and
 * not done (@progressed FALSE) is skipped until the next; progress counts it either way. */
static void
post_order_finished (Cycle      *cycle,
                     const char *squarespace_id,
                     gboolean    progressed)
{
  if (!progressed)
    g_hash_table_add (cycle->post.attempted, g_strdup (squarespace_id));
  cycle->post.finished++;
  relay_sync_engine_emit_progress (cycle->self, "post-tracking", cycle->post.finished, cycle->post.taken);
}

static void
maybe_confirm (Cycle      *cycle,
               const char *squarespace_id)
{
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(RelayOrderRow) row = relay_store_find_order (self->store, squarespace_id, NULL);
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GError) error = NULL;
  gboolean any_posted = FALSE;

  if (row == NULL || row->stage != RELAY_STAGE_SHIPPED || row->in_flight != RELAY_IN_FLIGHT_NONE)
    return;

  shipments = relay_store_dup_shipments (self->store, squarespace_id, NULL);
  for (guint i = 0; shipments != NULL && i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      if (!relay_sync_shipment_counts (shipment->status, count_packed))
        continue;
      if (shipment->posted_at == 0)
        return;
      any_posted = TRUE;
    }

  if (any_posted && !relay_store_mark_confirmed (self->store, squarespace_id, &error))
    relay_sync_store_failed (cycle, error);
}

/* Shipped orders whose tracking is all posted (a crash between the two steps,
 * or the last shipment posted before the read lane found the order shipped). */
static void
confirm_posted (Cycle *cycle)
{
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(GPtrArray) shipped = NULL;
  g_autoptr(GError) error = NULL;

  shipped = relay_store_dup_orders_to_confirm (self->store, count_packed, RELAY_SYNC_ENGINE_BATCH_SIZE, NULL);
  relay_store_begin_group (self->store);
  for (guint i = 0; shipped != NULL && i < shipped->len; i++)
    maybe_confirm (cycle, ((RelayOrderRow *) g_ptr_array_index (shipped, i))->squarespace_id);
  if (!relay_store_commit_group (self->store, &error))
    relay_sync_store_failed (cycle, error);
}

static void
shipments_posted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Post) post = user_data;
  GTask *task = post->task;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GError) error = NULL;
  gboolean progressed = FALSE;

  if (relay_order_source_post_shipments_finish (RELAY_ORDER_SOURCE (object), result, &error))
    {
      relay_sync_crash_point ("after-tracking-post");
      /* Posted and, when that was the last, confirmed: one commit. Lost together in
       * a crash, the claim left in flight has the order re-read before any new post. */
      relay_store_begin_group (self->store);
      if (relay_store_mark_shipments_posted (self->store, post->squarespace_id,
                                             (const gint64 *) post->fulfillment_ids->data,
                                             post->fulfillment_ids->len, &error))
        {
          progressed = TRUE;
          maybe_confirm (cycle, post->squarespace_id);
        }
      if (!relay_store_commit_group (self->store, error == NULL ? &error : NULL))
        progressed = FALSE;
      if (error != NULL)
        relay_sync_store_failed (cycle, error);
    }
  else if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_CONFLICT))
    {
      /* 409: Squarespace is still working on a post for this order. Stay in
       * flight: the order is re-read once that had time to land. */
      relay_store_add_event (self->store, post->squarespace_id, "tracking-in-progress",
                             _("Squarespace is still processing an earlier tracking post; checking again later"),
                             NULL);
    }
  else if (relay_sync_outcome_unknown (error))
    {
      /* It may have been recorded: stay in flight, re-read the order next cycle. */
      relay_sync_record_order_error (self, post->squarespace_id, error);
      relay_sync_service_failed (cycle, SIDE_SOURCE, error);
    }
  else
    {
      relay_store_clear_in_flight (self->store, post->squarespace_id, error->message, NULL);
      relay_store_record_error (self->store, post->squarespace_id, error, NULL);
      if (relay_error_needs_attention (error))
        relay_sync_service_failed (cycle, SIDE_SOURCE, error);
    }

  cycle->post.in_flight--;
  post_order_finished (cycle, post->squarespace_id, progressed);
  post_fill (task);
}

/* Sends the shipments not yet posted of the batch's next order, under its own
 * in-flight marker; an order with nothing to send, or that cannot be read, is
 * passed over. */
static void
post_start (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(RelayOrderRow) row = g_ptr_array_steal_index (cycle->batch_rows, 0);
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) to_post = NULL;
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(Post) post = NULL;
  g_autoptr(GError) error = NULL;

  shipments = relay_store_dup_shipments (self->store, row->squarespace_id, &error);
  if (shipments == NULL)
    {
      relay_sync_store_failed (cycle, error);
      post_order_finished (cycle, row->squarespace_id, FALSE);
      return;
    }

  post = post_new (task, row->squarespace_id);
  to_post = g_ptr_array_new ();
  for (guint i = 0; i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);

      /* Untracked shipments (pickup, local delivery) are posted too: they close the order. */
      if (shipment->posted_at != 0 || !relay_sync_shipment_counts (shipment->status, count_packed))
        continue;
      g_ptr_array_add (to_post, shipment);
      g_array_append_val (post->fulfillment_ids, shipment->fulfillment_id);
    }

  order = to_post->len > 0 ? relay_store_load_order (self->store, row->squarespace_id, &error) : NULL;
  if (order == NULL)
    {
      if (error != NULL)
        relay_sync_store_failed (cycle, error);
      post_order_finished (cycle, row->squarespace_id, FALSE);
      return;
    }

  if (!relay_store_begin_post_tracking (self->store, row->squarespace_id, &error))
    {
      relay_sync_store_failed (cycle, error);
      post_order_finished (cycle, row->squarespace_id, FALSE);
      return;
    }

  relay_sync_crash_point ("before-tracking-post");
  cycle->post.in_flight++;
  relay_order_source_post_shipments_async (self->source, order, to_post, cycle->post.carriers,
                                           g_settings_get_boolean (self->settings, "notify-customer"),
                                           g_task_get_cancellable (task), shipments_posted_cb,
                                           g_steal_pointer (&post));
}

/* The next orders to post, leaving out those tried this cycle (and, by the
 * store's query, those in flight); FALSE when there are none. */
static gboolean
post_take_batch (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean each = g_settings_get_enum (self->settings, "shipment-posting") == 1;
  gboolean count_packed = g_settings_get_boolean (self->settings, "count-packed-shipments");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = relay_store_dup_orders_to_post (self->store, each, count_packed,
                                         RELAY_SYNC_ENGINE_BATCH_SIZE + g_hash_table_size (cycle->post.attempted),
                                         &error);
  if (rows == NULL)
    {
      relay_sync_store_failed (cycle, error);
      return FALSE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);

      if (!g_hash_table_contains (cycle->post.attempted, row->squarespace_id))
        g_ptr_array_add (cycle->batch_rows, g_steal_pointer (&rows->pdata[i]));
    }
  /* The read lane finds more shipped orders as it goes: the total grows by batches. */
  cycle->post.taken += cycle->batch_rows->len;
  if (cycle->batch_rows->len > 0)
    relay_sync_engine_emit_progress (self, "post-tracking", cycle->post.finished, cycle->post.taken);
  return cycle->batch_rows->len > 0;
}

/* Keeps POSTS_IN_FLIGHT posts under way while there is work, taking the next
 * batch from the store as one runs out; each answer comes back here. The lane
 * ends (or parks) only once nothing is in flight. */
static void
post_fill (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  /* Stopping, or Squarespace down this cycle: nothing new is sent, and the
   * last answer ends the lane. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) || cycle->source_down)
    {
      if (cycle->post.in_flight == 0)
        relay_sync_cycle_lane_done (task);
      return;
    }

  for (;;)
    {
      guint most = cycle->pull.paging ? POSTS_IN_FLIGHT_WHILE_PULLING : POSTS_IN_FLIGHT;

      while (cycle->post.in_flight < most && cycle->batch_rows->len > 0)
        post_start (task);
      /* While posts are in flight, a store found empty is asked again only
       * when the read lane has settled more (relay_sync_cycle_wake_post()). */
      if (cycle->post.in_flight >= most || (cycle->post.drained && cycle->post.in_flight > 0))
        return;
      if (!post_take_batch (task))
        break;
    }

  cycle->post.drained = TRUE;
  if (cycle->post.in_flight > 0)
    return;

  /* Nothing to post now, but the read lane may yet mark orders shipped:
   * wait for it (relay_sync_cycle_wake_post()), holding this lane's reference. */
  if (cycle->tracking.reading)
    {
      cycle->post.parked = TRUE;
      return;
    }
  confirm_posted (cycle);
  relay_sync_cycle_lane_done (task);
}

void
relay_sync_cycle_post_tracking (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->post.carriers == NULL)
    {
      cycle->post.carriers = relay_store_dup_carriers (self->store, NULL);
      cycle->post.attempted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      cycle->batch_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
    }

  cycle->post.drained = FALSE;
  post_fill (task);
}

/* The pull lane read its last page: posts under way are joined by more. A
 * lane with none in flight is parked, finished or about to be called back. */
void
relay_sync_cycle_post_after_pull (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (cycle->post.in_flight > 0)
    post_fill (task);
}

/* The read lane stored a page of shipments, found orders shipped, or ended: a
 * post lane waiting for work looks again (one with posts in flight does at
 * their next answer). */
void
relay_sync_cycle_wake_post (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->post.drained = FALSE;
  if (!cycle->post.parked)
    return;
  cycle->post.parked = FALSE;
  relay_sync_cycle_post_tracking (task);
}
