/* relay-sync-pull.c
 *
 * Flow 1: pull orders from Squarespace (and the periodic sweep).
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void pull_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* ------------------------------------------------------------------------ */
/* Flow 1: pull orders from Squarespace                                      */

/* TradeGecko's API has no refunds (issue 14): the timeline says what
 * Squarespace refunded, so whoever reads it can record it in TradeGecko. */
static void
note_refund (RelaySyncEngine *self,
             RelayOrder      *order,
             gint64           refunded_before)
{
  RelayMoney now = *relay_order_get_refunded_total (order);
  RelayMoney added = now;
  g_autofree char *added_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *detail = NULL;

  added.minor -= refunded_before;
  added_text = relay_money_format_display (&added);
  total_text = relay_money_format_display (&now);
  detail = g_strdup_printf (_("Squarespace refunded %s (%s in all). TradeGecko’s API has no refunds: "
                              "record it in TradeGecko if the sales order should show it."),
                            added_text, total_text);
  relay_store_add_event (self->store, relay_order_get_squarespace_id (order), "refunded", detail, NULL);
}

static gboolean
store_pulled_order (Cycle       *cycle,
                    RelayOrder  *order,
                    GError     **error)
{
  RelaySyncEngine *self = cycle->self;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *skip_reason = NULL;
  RelayUpsertResult result;
  gint64 refunded_before = 0;

  row = relay_store_find_order (self->store, relay_order_get_squarespace_id (order), error);
  if (row == NULL)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      if (!relay_mapping_assign_references (self->mapping, order, error))
        return FALSE;
      if (relay_order_get_testmode (order) && g_settings_get_enum (self->settings, "test-orders") == 0)
        skip_reason = g_strdup (_("Test order (the test-orders setting is “skip”)"));
    }
  else if (relay_order_get_refunded_total (order)->minor > 0)
    {
      /* Only a refund now can be a new one: an order read again unrefunded (most
       * of a pull's overlap) is not parsed back from the store for it. */
      g_autoptr(RelayOrder) stored = relay_store_load_order (self->store, row->squarespace_id, NULL);

      if (stored != NULL)
        refunded_before = relay_order_get_refunded_total (stored)->minor;
    }

  if (!relay_store_upsert_order (self->store, order, skip_reason, &result, error))
    return FALSE;
  if (result != RELAY_UPSERT_UNCHANGED && relay_order_get_refunded_total (order)->minor > refunded_before)
    note_refund (self, order, refunded_before);
  if (relay_order_get_modified_on (order) != NULL)
    cycle->pull.max_modified_ms = MAX (cycle->pull.max_modified_ms,
                                  g_date_time_to_unix (relay_order_get_modified_on (order)) * 1000 +
                                  g_date_time_get_microsecond (relay_order_get_modified_on (order)) / 1000);
  return TRUE;
}

/* Whether the reconciliation sweep is due: on start, then every
 * `reconcile-interval-minutes` (measured on our clock; a clock set back counts as due). */
static gboolean
sweep_due (RelaySyncEngine *self)
{
  gint64 swept = relay_sync_checkpoint_int (self->store, CHECKPOINT_SWEPT, 0);
  gint64 interval_ms = (gint64) g_settings_get_uint (self->settings, "reconcile-interval-minutes") * 60000;
  gint64 now = relay_sync_local_now_ms ();

  return self->sweep_on_start || swept <= 0 || now < swept || now - swept >= interval_ms;
}

/* The sweep: every open order of the look-back window, for what the pull windows
 * missed (a change that became visible long after its modifiedOn). */
static void
start_sweep (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) after = g_date_time_add_days (cycle->pull.pull_before,
                                                     -(int) g_settings_get_uint (self->settings,
                                                                                 "initial-lookback-days"));
  g_autofree char *since = g_date_time_format_iso8601 (after);

  g_debug ("Reconciliation sweep of the open orders since %s", since);
  cycle->pull.sweeping = TRUE;
  cycle->pull.pull_failed = FALSE;
  g_clear_pointer (&cycle->pull.cursor, g_free);
  relay_order_source_list_orders_async (self->source, after, cycle->pull.pull_before, TRUE, NULL,
                                        g_task_get_cancellable (task), pull_page_cb, task);
}

/* The new pull checkpoint, in Squarespace's time: when it answered the first
 * page (its Date), never past the window's end; without a Date, the newest
 * modifiedOn read; with neither, the checkpoint stays (%NULL). */
static GDateTime *
pull_watermark (Cycle *cycle)
{
  gint64 before_ms = g_date_time_to_unix (cycle->pull.pull_before) * 1000 +
                     g_date_time_get_microsecond (cycle->pull.pull_before) / 1000;

  if (cycle->pull.pull_answered_ms > 0)
    return relay_sync_datetime_from_ms (MIN (cycle->pull.pull_answered_ms, before_ms));
  if (cycle->pull.max_modified_ms > 0)
    return relay_sync_datetime_from_ms (cycle->pull.max_modified_ms);
  return NULL;
}

/* The pull is over (every page read, or Squarespace down): on to cancels and
 * delivery, and the post lane may take the Squarespace budget the pull left. */
static void
pull_done (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  cycle->pull.paging = FALSE;
  relay_sync_cycle_post_after_pull (task);
  relay_sync_cycle_settle_cancels (task);
}

static void
pull_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  guint unreadable = 0;
  gint64 offset;

  orders = relay_order_source_list_orders_finish (RELAY_ORDER_SOURCE (object), result, &next, &unreadable, &error);
  if (orders == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_SOURCE, error);
      pull_done (task);
      return;
    }

  /* The first answer tells Squarespace's time: everything it stamped before
   * then (and made visible) was in this window. */
  if (!cycle->pull.sweeping && cycle->pull.cursor == NULL &&
      relay_order_source_get_clock_offset (self->source, &offset))
    cycle->pull.pull_answered_ms = cycle->pull.pull_sent_ms + offset;

  /* An order that cannot be read or stored keeps the window where it is: it is
   * read again next cycle, never lost. */
  if (unreadable > 0)
    cycle->pull.pull_failed = TRUE;
  /* One commit for the page: lost together in a crash, the page is simply read again. */
  relay_store_begin_group (self->store);
  for (guint i = 0; i < orders->len; i++)
    {
      g_autoptr(GError) order_error = NULL;
      RelayOrder *order = g_ptr_array_index (orders, i);

      if (!store_pulled_order (cycle, order, &order_error))
        {
          cycle->pull.pull_failed = TRUE;
          g_warning ("Order %s from %s could not be stored (it is read again next cycle): %s",
                     relay_order_get_order_number (order), relay_order_source_get_name (self->source),
                     order_error->message);
          if (cycle->problem == NULL)
            g_set_error (&cycle->problem, order_error->domain, order_error->code,
                         _("Order %s from %s could not be saved; it will be read again next time: %s"),
                         relay_order_get_order_number (order), relay_order_source_get_name (self->source),
                         order_error->message);
          if (order_error->domain == RELAY_ERROR && order_error->code == RELAY_ERROR_STATE)
            relay_sync_store_failed (cycle, order_error);
        }
    }
  if (!relay_store_commit_group (self->store, &error))
    {
      cycle->pull.pull_failed = TRUE;
      relay_sync_store_failed (cycle, error);
      g_clear_error (&error);
    }

  relay_sync_crash_point ("after-pull-page");
  relay_sync_engine_emit_progress (self, "pull", orders->len, 0);

  if (next != NULL)
    {
      g_free (cycle->pull.cursor);
      cycle->pull.cursor = g_steal_pointer (&next);
      relay_order_source_list_orders_async (self->source, NULL, NULL, FALSE, cycle->pull.cursor,
                                            g_task_get_cancellable (task), pull_page_cb, task);
      return;
    }

  if (cycle->pull.pull_failed && cycle->problem == NULL)
    g_set_error (&cycle->problem, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                 _("%s sent an order that could not be read; it will be read again next time"),
                 relay_order_source_get_name (self->source));

  if (cycle->pull.sweeping || cycle->pull.initial_pull)
    {
      /* The first pull is a sweep too: open orders of the whole look-back window. */
      if (!cycle->pull.pull_failed)
        {
          relay_sync_set_checkpoint_int (self->store, CHECKPOINT_SWEPT, relay_sync_local_now_ms ());
          self->sweep_on_start = FALSE;
        }
    }

  if (!cycle->pull.sweeping && !cycle->pull.pull_failed)
    {
      g_autoptr(GDateTime) mark = pull_watermark (cycle);

      if (mark != NULL)
        relay_sync_set_checkpoint_time (self->store, CHECKPOINT_PULL, mark, &error);
      if (error != NULL)
        relay_sync_store_failed (cycle, error);
    }

  if (!cycle->pull.sweeping && !cycle->pull.initial_pull && sweep_due (self))
    {
      start_sweep (task);
      return;
    }

  pull_done (task);
}

void
relay_sync_cycle_pull (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) checkpoint = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean offset_known;

  if (cycle->source_down)
    {
      pull_done (task);
      return;
    }

  relay_sync_engine_emit_progress (self, "pull", 0, 0);

  /* Squarespace's now, from what its clock said last. A little ahead: it
   * stamps a burst of changes a few milliseconds apart, so the newest may lie
   * just past its Date. Before it ever said, far ahead: the desktop clock may
   * be hours behind, and the checkpoint comes from its answer anyway. */
  cycle->pull.pull_sent_ms = relay_sync_local_now_ms ();
  now = relay_sync_datetime_from_ms (cycle->pull.pull_sent_ms + relay_sync_source_clock_offset_ms (self, &offset_known));
  cycle->pull.pull_before = g_date_time_add_seconds (now, offset_known ? 5 : 24 * 60 * 60);
  checkpoint = relay_sync_checkpoint_time (self->store, CHECKPOINT_PULL);
  if (checkpoint == NULL)
    {
      /* First sync: only open orders of the look-back window are work. */
      cycle->pull.initial_pull = TRUE;
      cycle->pull.pull_after = g_date_time_add_days (now,
                                                -(int) g_settings_get_uint (self->settings, "initial-lookback-days"));
    }
  else
    cycle->pull.pull_after = g_date_time_add_seconds (checkpoint,
                                                 -60.0 * g_settings_get_uint (self->settings, "pull-overlap-minutes"));

  /* A checkpoint ahead of Squarespace's now (written from a desktop clock that
   * ran ahead, by an older version) is read as now. */
  if (g_date_time_compare (cycle->pull.pull_after, now) > 0)
    {
      g_date_time_unref (cycle->pull.pull_after);
      cycle->pull.pull_after = g_date_time_add_seconds (now,
                                                   -60.0 * g_settings_get_uint (self->settings, "pull-overlap-minutes"));
    }

  relay_order_source_list_orders_async (self->source, cycle->pull.pull_after, cycle->pull.pull_before,
                                        cycle->pull.initial_pull, NULL,
                                        g_task_get_cancellable (task), pull_page_cb, task);
}
