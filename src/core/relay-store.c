/* relay-store.c — the object, its signals, the stage names and the row types
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

G_DEFINE_FINAL_TYPE (RelayStore, relay_store, G_TYPE_OBJECT)

enum {
  ORDER_CHANGED,
  MAPS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *stage_names[RELAY_N_STAGES] = {
  "new", "rejected", "at_tradegecko", "shipped", "confirmed", "skipped", "canceled",
};

void
store_emit_order_changed (RelayStore *self,
                          const char *squarespace_id)
{
  /* Said once the group is committed: a view must not show a write that may yet be lost. */
  if (self->in_group)
    g_ptr_array_add (self->group_changed, g_strdup (squarespace_id));
  else
    g_signal_emit (self, signals[ORDER_CHANGED], 0, squarespace_id);
}

void
store_emit_maps_changed (RelayStore *self)
{
  g_signal_emit (self, signals[MAPS_CHANGED], 0);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
relay_store_finalize (GObject *object)
{
  RelayStore *self = (RelayStore *) object;

  store_statement_cache_clear (self);
  g_clear_pointer (&self->group_changed, g_ptr_array_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (relay_store_parent_class)->finalize (object);
}

static void
relay_store_class_init (RelayStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_store_finalize;

  /**
   * RelayStore::order-changed:
   * @self: the store
   * @squarespace_id: the order that changed
   *
   * Emitted after every committed change to an order (its stage, its data,
   * its shipments or its timeline).
   */
  signals[ORDER_CHANGED] =
    g_signal_new ("order-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * RelayStore::maps-changed:
   * @self: the store
   *
   * Emitted after an item alias, shipping method or carrier was set or removed.
   */
  signals[MAPS_CHANGED] =
    g_signal_new ("maps-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
relay_store_init (RelayStore *self)
{
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

const char *
relay_stage_to_string (RelayStage stage)
{
  g_return_val_if_fail (stage < RELAY_N_STAGES, NULL);
  return stage_names[stage];
}

/**
 * relay_stage_from_string:
 * @text: (nullable): a stage name, e.g. `at_tradegecko`
 * @out: (out): the stage
 *
 * Returns: %TRUE if @text names a stage
 */
gboolean
relay_stage_from_string (const char *text,
                         RelayStage *out)
{
  for (guint i = 0; text != NULL && i < RELAY_N_STAGES; i++)
    {
      if (strcmp (text, stage_names[i]) == 0)
        {
          *out = (RelayStage) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * relay_stage_is_delivered:
 * @stage: a stage
 *
 * Returns: %TRUE if a TradeGecko sales order exists for orders in @stage
 */
gboolean
relay_stage_is_delivered (RelayStage stage)
{
  return stage == RELAY_STAGE_AT_TRADEGECKO || stage == RELAY_STAGE_SHIPPED || stage == RELAY_STAGE_CONFIRMED;
}

void
relay_order_row_free (RelayOrderRow *row)
{
  if (row == NULL)
    return;

  g_free (row->squarespace_id);
  g_free (row->order_number);
  g_free (row->cust_po_no);
  g_free (row->cust_ref);
  g_free (row->stage_reason);
  g_free (row->customer_name);
  g_free (row->customer_email);
  g_free (row->tradegecko_order_number);
  g_free (row->idempotency_key);
  g_free (row->last_error);
  g_free (row->error_kind);
  g_free (row->tracking_numbers);
  g_free (row);
}

void
relay_event_free (RelayEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->squarespace_id);
  g_free (event->kind);
  g_free (event->detail);
  g_free (event);
}

void
relay_shipment_free (RelayShipment *shipment)
{
  if (shipment == NULL)
    return;

  g_free (shipment->squarespace_id);
  g_free (shipment->status);
  g_free (shipment->carrier);
  g_free (shipment->service);
  g_free (shipment->tracking_number);
  g_free (shipment->tracking_url);
  g_free (shipment->lines_summary);
  g_free (shipment);
}

/**
 * relay_store_get_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/order-relay/state.db`
 */
char *
relay_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "order-relay", "state.db", NULL);
}

void
relay_store_set_step_hook (RelayStore         *self,
                           RelayStoreStepHook  hook,
                           gpointer            user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  self->step_hook = hook;
  self->step_hook_data = user_data;
}
