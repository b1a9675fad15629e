/* relay-sync-progress.c — one line for what a running cycle's lanes are doing
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-sync-progress.h"

/*
 * A cycle runs its lanes at once (orders to TradeGecko, tracking read from
 * TradeGecko, tracking posted to Squarespace), and each reports its own
 * progress. Showing the latest report alone made the window's line jump from
 * one lane to the other several times a second; this keeps every flow's last
 * report and says them together, in the order orders travel, leaving out
 * what is over: a flow whose known total is reached, and the pull once its
 * lane has moved on to delivering. The bar counts every flow whose total is
 * known.
 */

typedef enum
{
  FLOW_PULL,
  FLOW_DELIVER,
  FLOW_READ_TRACKING,
  FLOW_POST_TRACKING,
  N_FLOWS
} Flow;

static const char * const flow_names[N_FLOWS] = { "pull", "deliver", "read-tracking", "post-tracking" };

typedef struct
{
  gboolean reported;
  guint    done;
  guint    total;    /* 0: not known */
} FlowState;

struct _RelaySyncProgress
{
  GObject   parent_instance;

  FlowState flows[N_FLOWS];
};

G_DEFINE_FINAL_TYPE (RelaySyncProgress, relay_sync_progress, G_TYPE_OBJECT)

static void
relay_sync_progress_class_init (RelaySyncProgressClass *klass)
{
}

static void
relay_sync_progress_init (RelaySyncProgress *self)
{
}

/**
 * relay_sync_progress_new:
 *
 * Returns: (transfer full): progress with nothing reported yet
 */
RelaySyncProgress *
relay_sync_progress_new (void)
{
  return g_object_new (RELAY_TYPE_SYNC_PROGRESS, NULL);
}

/**
 * relay_sync_progress_reset:
 * @self: a #RelaySyncProgress
 *
 * Forgets every report: a new cycle starts.
 */
void
relay_sync_progress_reset (RelaySyncProgress *self)
{
  g_return_if_fail (RELAY_IS_SYNC_PROGRESS (self));

  memset (self->flows, 0, sizeof self->flows);
}

static int
flow_from_name (const char *name)
{
  for (int i = 0; i < N_FLOWS; i++)
    if (g_strcmp0 (name, flow_names[i]) == 0)
      return i;
  return -1;
}

/**
 * relay_sync_progress_update:
 * @self: a #RelaySyncProgress
 * @flow: what the engine's #RelaySyncEngine::progress names (`pull`, `deliver`,
 *   `read-tracking`, `post-tracking`)
 * @done: how many it has done
 * @total: how many there are, 0 when not known
 *
 * Takes one report; an unknown flow is ignored.
 */
void
relay_sync_progress_update (RelaySyncProgress *self,
                            const char        *flow,
                            guint              done,
                            guint              total)
{
  int index;

  g_return_if_fail (RELAY_IS_SYNC_PROGRESS (self));

  index = flow_from_name (flow);
  if (index < 0)
    {
      g_debug ("Progress of an unknown flow “%s” ignored", flow);
      return;
    }
  self->flows[index] = (FlowState) { TRUE, total > 0 ? MIN (done, total) : done, total };
}

static const char *
flow_label (Flow flow)
{
  switch (flow)
    {
    case FLOW_PULL:
      return _("Retrieving from Squarespace");
    case FLOW_DELIVER:
      return _("Delivering to TradeGecko");
    case FLOW_READ_TRACKING:
      return _("Reading tracking from TradeGecko");
    case FLOW_POST_TRACKING:
      return _("Sending tracking to Squarespace");
    case N_FLOWS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
flow_is_over (RelaySyncProgress *self,
              Flow               flow)
{
  const FlowState *state = &self->flows[flow];

  if (state->total > 0 && state->done >= state->total)
    return TRUE;
  /* The pull's lane delivers once the pull is over. */
  return flow == FLOW_PULL && self->flows[FLOW_DELIVER].reported;
}

/**
 * relay_sync_progress_dup_text:
 * @self: a #RelaySyncProgress
 *
 * Returns: (transfer full): what the flows still under way are doing
 *   (“Delivering to TradeGecko: 3 of 7 · Sending tracking to Squarespace: 2 of 9”),
 *   or “Syncing” when none is
 */
char *
relay_sync_progress_dup_text (RelaySyncProgress *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (RELAY_IS_SYNC_PROGRESS (self), NULL);

  for (Flow flow = 0; flow < N_FLOWS; flow++)
    {
      const FlowState *state = &self->flows[flow];

      if (!state->reported || flow_is_over (self, flow))
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      if (state->total > 0)
        g_string_append_printf (text, _("%s: %u of %u"), flow_label (flow), state->done, state->total);
      else
        g_string_append_printf (text, _("%s: %u"), flow_label (flow), state->done);
    }
  if (text->len == 0)
    g_string_append (text, _("Syncing"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * relay_sync_progress_get_fraction:
 * @self: a #RelaySyncProgress
 *
 * Returns: how much of the work whose size is known is done, from 0 to 1
 */
double
relay_sync_progress_get_fraction (RelaySyncProgress *self)
{
  guint64 done = 0, total = 0;

  g_return_val_if_fail (RELAY_IS_SYNC_PROGRESS (self), 0.0);

  for (Flow flow = 0; flow < N_FLOWS; flow++)
    {
      done += self->flows[flow].total > 0 ? self->flows[flow].done : 0;
      total += self->flows[flow].total;
    }
  return total > 0 ? (double) done / (double) total : 0.0;
}
