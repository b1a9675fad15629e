/* relay-sync-preview.c — the engine's one preview of an order
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-sync-cycle-private.h"

/*
 * What a delivery would do with one order, without sending it: the same
 * aliases, variant look-ups, account facts, customer cache and sales-order
 * body as relay-sync-deliver.c, gathered into a #RelayPreview for the command
 * line, the wizard's test step and the window's Preview.
 */

typedef struct
{
  RelayOrder *order;
  GHashTable *aliases;
  GHashTable *shipping_methods;
} PreviewJob;

static void
preview_job_free (gpointer data)
{
  PreviewJob *job = data;

  g_clear_object (&job->order);
  g_clear_pointer (&job->aliases, g_hash_table_unref);
  g_clear_pointer (&job->shipping_methods, g_hash_table_unref);
  g_free (job);
}

/* The body a delivery would POST, or why it cannot be built. */
static gboolean
add_outcome (RelaySyncEngine *self,
             PreviewJob      *job,
             GPtrArray       *variants,
             RelayPreview    *preview,
             GError         **error)
{
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(RelaySalesOrder) sales = NULL;
  g_autoptr(GError) build_error = NULL;
  g_autofree char *payload = NULL;

  sales = relay_sync_prepare_sales_order (self, job->order, job->aliases, job->shipping_methods, variants,
                                          self->account, TRUE, &resolution, NULL, &build_error);
  if (sales != NULL)
    {
      /* Byte for byte what the destination would send. */
      payload = relay_order_destination_dup_order_payload (self->destination, sales);
      relay_preview_set_outcome (preview, payload, NULL);
      return TRUE;
    }
  if (g_error_matches (build_error, RELAY_ERROR, RELAY_ERROR_REJECTED) ||
      g_error_matches (build_error, RELAY_ERROR, RELAY_ERROR_STATE))
    {
      relay_preview_set_outcome (preview, NULL, build_error->message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&build_error));
  return FALSE;
}

static RelayPreview *
build_preview (RelaySyncEngine  *self,
               PreviewJob       *job,
               GPtrArray        *variants,
               GError          **error)
{
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(RelayPreview) preview = NULL;
  RelaySalesOrderOptions options = { 0 };
  RelayTaxSettings tax = { 0 };
  gboolean skip_test_order = g_settings_get_enum (self->settings, "test-orders") == 0;
  RelayPreviewDecision decision;

  resolution = relay_mapping_resolve_lines (job->order, job->aliases, variants, error);
  if (resolution == NULL)
    return NULL;

  relay_sync_fill_order_options (self, job->order, job->shipping_methods, self->account, &options, &tax);
  preview = relay_preview_new (resolution, &options, skip_test_order);
  relay_tax_settings_clear (&tax);

  decision = relay_preview_get_decision (preview);
  if ((decision == RELAY_PREVIEW_SEND || decision == RELAY_PREVIEW_SEND_DRAFT) &&
      !add_outcome (self, job, variants, preview, error))
    return NULL;
  return g_steal_pointer (&preview);
}

static void
preview_variants_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySyncEngine *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(GError) error = NULL;
  RelayPreview *preview = NULL;

  variants = relay_order_destination_find_variants_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (variants != NULL)
    preview = build_preview (self, g_task_get_task_data (task), variants, &error);
  if (preview == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, preview, g_object_unref);
}

static void
preview_find_variants (GTask *task)
{
  RelaySyncEngine *self = g_task_get_source_object (task);
  PreviewJob *job = g_task_get_task_data (task);
  g_auto(GStrv) skus = relay_mapping_dup_needed_skus (job->order, job->aliases);

  relay_order_destination_find_variants_async (self->destination, (const char * const *) skus,
                                                g_task_get_cancellable (task), preview_variants_cb, task);
}

static void
preview_account_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySyncEngine *self = g_task_get_source_object (task);
  g_autoptr(RelayAccountFacts) account = NULL;
  g_autoptr(GError) error = NULL;

  account = relay_order_destination_get_account_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_sync_remember_account (self, account);
  preview_find_variants (g_steal_pointer (&task));
}

static void
start_preview (RelaySyncEngine *self,
               GTask           *task,
               RelayOrder      *order)
{
  PreviewJob *job = g_new0 (PreviewJob, 1);
  g_autoptr(GError) error = NULL;

  g_task_set_task_data (task, job, preview_job_free);
  job->order = g_object_ref (order);
  job->aliases = relay_store_dup_item_aliases (self->store, &error);
  if (job->aliases == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  job->shipping_methods = relay_store_dup_shipping_methods (self->store, NULL);

  /* An order not pulled yet (the wizard's test step) gets the references a pull would give it. */
  if (relay_order_get_cust_ref (order) == NULL && !relay_mapping_assign_references (self->mapping, order, &error))
    g_debug ("No short reference for the preview: %s", error->message);

  if (self->account == NULL)
    relay_order_destination_get_account_async (self->destination, g_task_get_cancellable (task), preview_account_cb, task);
  else
    preview_find_variants (task);
}

/**
 * relay_sync_engine_preview_async:
 * @self: a #RelaySyncEngine
 * @order: an order, stored or not
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Works out what a sync would do with @order, without sending anything: each
 * line with its TradeGecko variant or why it has none, the charges, the tax
 * TradeGecko will compute, the decision (sent, as a draft, skipped, or
 * waiting for a fix) and the exact body that would be POSTed. An order
 * without references gets them as a pull would assign them.
 */
void
relay_sync_engine_preview_async (RelaySyncEngine     *self,
                                 RelayOrder          *order,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));
  g_return_if_fail (RELAY_IS_ORDER (order));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_sync_engine_preview_async);
  start_preview (self, task, order);
}

/**
 * relay_sync_engine_preview_order_async:
 * @self: a #RelaySyncEngine
 * @squarespace_id: a stored order
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * relay_sync_engine_preview_async() for the stored order.
 */
void
relay_sync_engine_preview_order_async (RelaySyncEngine     *self,
                                       const char          *squarespace_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(RelayOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;

  g_return_if_fail (RELAY_IS_SYNC_ENGINE (self));
  g_return_if_fail (squarespace_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_sync_engine_preview_async);
  order = relay_store_load_order (self->store, squarespace_id, &error);
  if (order == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  start_preview (self, task, order);
}

/**
 * relay_sync_engine_preview_finish:
 *
 * Returns: (transfer full): the preview, also of an order that cannot be
 *   sent (its decision says so); %NULL with an error only when it could not
 *   be worked out (the store, TradeGecko unreachable)
 */
RelayPreview *
relay_sync_engine_preview_finish (RelaySyncEngine  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
