/* relay-sync-deliver.c
 *
 * Flow 2: deliver orders to TradeGecko as sales orders.
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sync-cycle-private.h"

static void deliver_next (GTask *task);
static void customers_page (GTask *task);
static void account_read_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void deliver_batch (GTask *task);

/* ------------------------------------------------------------------------ */
/* Flow 2: deliver orders to TradeGecko                                      */


static void
deliver_advance (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  /* Only orders still waiting are remembered, so memory does not grow with the backlog. */
  if (!cycle->progressed)
    g_hash_table_add (cycle->attempted,
                      g_strdup (relay_order_get_squarespace_id (g_ptr_array_index (cycle->batch, 0))));
  cycle->progressed = FALSE;
  g_clear_pointer (&cycle->deliver.resolution, relay_resolution_free);
  g_clear_pointer (&cycle->deliver.key, g_free);
  g_clear_pointer (&cycle->deliver.totals, g_free);
  g_ptr_array_remove_index (cycle->batch, 0);
  deliver_next (task);
}

/* TradeGecko refused an order made with a cached customer (archived or merged
 * since): look the customer up afresh next time. */
static void
forget_customer (RelaySyncEngine *self,
                 RelayOrder      *order)
{
  const char *email = relay_order_get_customer_email (order);
  g_autofree char *key = NULL;

  if (email == NULL)
    return;
  key = relay_sync_customer_key (email);
  relay_store_forget_customer (self->store, key, NULL);
}

static void
remember_customer (RelaySyncEngine     *self,
                   RelayOrder          *order,
                   const RelayDelivery *delivery)
{
  gint64 company_id = delivery->company_id;
  gint64 address_id = delivery->shipping_address_id;
  const RelayAddress *address = relay_order_get_shipping_address (order);
  const char *email = relay_order_get_customer_email (order);
  g_autofree char *fingerprint = NULL;
  g_autofree char *key = NULL;

  if (company_id <= 0 || email == NULL)
    return;

  key = relay_sync_customer_key (email);
  if (key[0] == '\0')
    return;
  relay_store_remember_customers (self->store, (const char * const *) &key, &company_id, 1, NULL);

  if (address_id <= 0)
    return;
  fingerprint = relay_sync_address_fingerprint (address->first_name, address->last_name, address->address1,
                                                address->postal_code, address->country_code);
  relay_store_remember_customer_addresses (self->store, &company_id, (const char * const *) &fingerprint,
                                           &address_id, 1, NULL);
}

static void
order_created_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  RelayOrder *order = g_ptr_array_index (cycle->batch, 0);
  const char *id = relay_order_get_squarespace_id (order);
  g_autoptr(RelayDelivery) created = NULL;
  g_autoptr(GError) error = NULL;

  created = relay_order_destination_create_order_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (created != NULL && created->id <= 0)
    {
      g_clear_pointer (&created, relay_delivery_free);
      g_set_error (&error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("%s answered without the new order’s id"), relay_order_destination_get_name (self->destination));
    }

  if (created != NULL)
    {
      g_autoptr(GError) store_error = NULL;
      gboolean finished;

      relay_sync_crash_point ("after-deliver-post");
      /* The result, its timeline and the customer learnt: one commit. Lost together
       * in a crash, the claim left in flight is reconciled by its key. */
      relay_store_begin_group (self->store);
      finished = relay_store_finish_delivery (self->store, id, created->id, created->order_number,
                                              cycle->deliver.resolution->lines, &store_error);
      if (cycle->deliver.totals != NULL)
        relay_store_add_event (self->store, id, "totals", cycle->deliver.totals, NULL);
      remember_customer (self, order, created);
      if (!relay_store_commit_group (self->store, finished ? &store_error : NULL))
        finished = FALSE;
      if (finished)
        cycle->deliver.delivered++, cycle->progressed = TRUE;
      else
        relay_sync_store_failed (cycle, store_error);
      deliver_advance (task);
      return;
    }

  if (relay_sync_outcome_unknown (error))
    {
      /* The POST may have happened: stay in flight, reconcile next cycle. */
      relay_sync_record_order_error (self, id, error);
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
    }
  else if (relay_error_needs_attention (error))
    {
      relay_store_clear_in_flight (self->store, id, error->message, NULL);
      relay_store_record_error (self->store, id, error, NULL);
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
    }
  else
    {
      /* Refused: nothing was created. A retry gets a new key. */
      g_autofree char *reason = g_strdup_printf (_("%s refused the order: %s"),
                                                 relay_order_destination_get_name (self->destination), error->message);

      relay_store_clear_in_flight (self->store, id, error->message, NULL);
      cycle->progressed = relay_store_reject (self->store, id, reason, NULL);
      cycle->deliver.rejected++;
      forget_customer (self, order);
    }
  deliver_advance (task);
}

static char *
next_idempotency_key (RelaySyncEngine *self,
                      const char      *squarespace_id)
{
  g_autoptr(GError) error = NULL;
  gint64 attempts = relay_store_get_delivery_attempts (self->store, squarespace_id, &error);

  /* Unreadable (the database is failing; the cycle reports it when it writes
   * the claim): the first key, as when the count could not be read before. */
  if (attempts < 0)
    {
      g_warning ("Order database: %s", error->message);
      attempts = 0;
    }
  return g_strdup_printf ("order-relay-%s-%" G_GINT64_FORMAT, squarespace_id, attempts + 1);
}

static void
fill_customer_options (RelaySyncEngine        *self,
                       RelayOrder             *order,
                       RelaySalesOrderOptions *options)
{
  const RelayAddress *address = relay_order_get_shipping_address (order);
  const char *email = relay_order_get_customer_email (order);
  g_autofree char *key = NULL;
  g_autofree char *fingerprint = NULL;

  if (email == NULL)
    return;
  key = relay_sync_customer_key (email);
  options->company_id = relay_store_lookup_customer (self->store, key, NULL);
  if (options->company_id <= 0)
    {
      options->company_id = 0;
      return;
    }
  fingerprint = relay_sync_address_fingerprint (address->first_name, address->last_name, address->address1,
                                                address->postal_code, address->country_code);
  options->shipping_address_id = MAX (relay_store_lookup_customer_address (self->store, options->company_id,
                                                                          fingerprint, NULL), 0);
}

/* The settings every sales order is built with (a delivery and its preview
 * alike); @tax is filled and must be cleared by the caller. */
void
relay_sync_fill_order_options (RelaySyncEngine         *self,
                               RelayOrder              *order,
                               GHashTable              *shipping_methods,
                               const RelayAccountFacts *account,
                               RelaySalesOrderOptions  *options,
                               RelayTaxSettings        *tax)
{
  options->draft = g_settings_get_enum (self->settings, "tradegecko-order-status") == 1 ||
                   relay_order_get_testmode (order);
  options->shipping_methods = shipping_methods;
  options->account = account;
  options->stock_location_id = g_settings_get_int64 (self->settings, "stock-location-id");
  relay_tax_settings_load (tax, self->settings);
  options->tax = tax;
}

/* Builds the sales order, or returns NULL with the reason (rejected, skipped,
 * an error to record). */
RelaySalesOrder *
relay_sync_prepare_sales_order (RelaySyncEngine          *self,
                                RelayOrder               *order,
                                GHashTable               *aliases,
                                GHashTable               *shipping_methods,
                                GPtrArray                *variants,
                                const RelayAccountFacts  *account,
                                gboolean                  use_cache,
                                RelayResolution         **out_resolution,
                                char                    **out_totals,
                                GError                  **error)
{
  g_autoptr(RelayResolution) resolution = NULL;
  RelaySalesOrderOptions options = { 0 };
  RelayTaxSettings tax = { 0 };
  RelaySalesOrder *sales;

  resolution = relay_mapping_resolve_lines (order, aliases, variants, error);
  if (resolution == NULL)
    return NULL;
  if (resolution->rejection != NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED, resolution->rejection);
      return NULL;
    }

  if (use_cache)
    fill_customer_options (self, order, &options);
  relay_sync_fill_order_options (self, order, shipping_methods, account, &options, &tax);

  sales = relay_mapping_build_sales_order (resolution, &options, out_totals, error);
  relay_tax_settings_clear (&tax);
  if (sales == NULL)
    return NULL;

  *out_resolution = g_steal_pointer (&resolution);
  return sales;
}

static void
deliver_one (GTask      *task,
             RelayOrder *order)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  const char *id = relay_order_get_squarespace_id (order);
  g_autoptr(RelaySalesOrder) sales = NULL;
  g_autoptr(GError) error = NULL;
  const char *resume;
  gboolean claimed;

  g_clear_pointer (&cycle->deliver.totals, g_free);
  sales = relay_sync_prepare_sales_order (self, order, cycle->deliver.aliases, cycle->deliver.shipping_methods, cycle->deliver.variants,
                                         cycle->deliver.account, TRUE, &cycle->deliver.resolution, &cycle->deliver.totals, &error);
  if (sales == NULL)
    {
      if (g_error_matches (error, RELAY_ERROR, RELAY_ERROR_REJECTED))
        {
          if (relay_order_has_physical_lines (order))
            {
              cycle->progressed = relay_store_reject (self->store, id, error->message, NULL);
              cycle->deliver.rejected++;
            }
          else
            cycle->progressed = relay_store_skip (self->store, id, error->message, NULL);
        }
      else
        relay_store_record_error (self->store, id, error, NULL);
      deliver_advance (task);
      return;
    }

  /* The claim, and the payment due written with it: committed before the sales
   * order is sent, so a crash anywhere after leaves the payment to the next
   * cycle, never forgotten. One commit for both. */
  relay_store_begin_group (self->store);
  claimed = TRUE;
  if (g_settings_get_boolean (self->settings, "mark-paid-orders") && relay_order_is_paid (order) &&
      !relay_order_get_testmode (order))
    {
      g_autofree char *pay_key = g_strdup_printf ("order-relay-pay-%s", id);

      claimed = relay_store_set_payment_due (self->store, id, pay_key, &error);
    }

  if (claimed)
    {
      resume = g_hash_table_lookup (cycle->resume_keys, id);
      cycle->deliver.key = resume != NULL ? g_strdup (resume) : next_idempotency_key (self, id);
      claimed = relay_store_begin_delivery (self->store, id, cycle->deliver.key, &error);
    }
  if (!relay_store_commit_group (self->store, claimed ? &error : NULL))
    claimed = FALSE;
  if (!claimed)
    {
      relay_sync_store_failed (cycle, error);
      deliver_advance (task);
      return;
    }

  relay_sync_crash_point ("before-deliver-post");
  relay_sync_engine_emit_progress (self, "deliver", cycle->deliver.delivered + cycle->deliver.rejected + 1,
                                   (guint) MAX (cycle->deliver.to_deliver, 0));
  relay_order_destination_create_order_async (self->destination, sales, cycle->deliver.key, g_task_get_cancellable (task),
                                       order_created_cb, task);
}

static void
deliver_next (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->destination_down)
    {
      relay_sync_cycle_pay (task);
      return;
    }

  if (cycle->batch->len == 0)
    {
      relay_sync_cycle_deliver (task);
      return;
    }

  deliver_one (task, g_ptr_array_index (cycle->batch, 0));
}

static void
variants_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&cycle->deliver.variants, g_ptr_array_unref);
  cycle->deliver.variants = relay_order_destination_find_variants_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (cycle->deliver.variants == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
      relay_sync_cycle_pay (task);
      return;
    }

  deliver_next (task);
}

static void
lookup_batch_variants (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < cycle->batch->len; i++)
    {
      g_auto(GStrv) skus = relay_mapping_dup_needed_skus (g_ptr_array_index (cycle->batch, i), cycle->deliver.aliases);

      for (guint j = 0; skus[j] != NULL; j++)
        if (!g_hash_table_contains (wanted, skus[j]))
          {
            char *copy = g_strdup (skus[j]);

            g_ptr_array_add (all, copy);
            g_hash_table_add (wanted, copy);
          }
    }

  g_ptr_array_add (all, NULL);
  relay_order_destination_find_variants_async (cycle->self->destination, (const char * const *) all->pdata,
                                                g_task_get_cancellable (task), variants_found_cb, task);
}

/* The customer cache: companies and addresses changed since the last look, paged. */
static void
customers_page_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  gboolean companies = g_str_equal (cycle->deliver.customer_collection, "companies");
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) company_ids = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gboolean stored;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;

  if (companies)
    records = relay_order_destination_list_customers_finish (RELAY_ORDER_DESTINATION (object), result, &more, &error);
  else
    records = relay_order_destination_list_addresses_finish (RELAY_ORDER_DESTINATION (object), result, &more, &error);
  if (records == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
      relay_sync_cycle_pay (task);
      return;
    }

  /* keys are folded e-mails (companies) or address fingerprints (addresses) */
  keys = g_ptr_array_new_with_free_func (g_free);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  company_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      RelayCustomerRecord *record = g_ptr_array_index (records, i);
      g_autofree char *key = NULL;
      gint64 id = record->id;
      gint64 company_id = 0;

      if (id <= 0)
        continue;
      if (companies)
        {
          if (record->email == NULL || !record->active)
            continue;
          key = relay_sync_customer_key (record->email);
          if (key[0] == '\0')
            continue;
          /* E-mails are not unique in TradeGecko: keep the customer we already use
           * (or the oldest one). */
          if (!g_hash_table_add (seen, g_strdup (key)) || relay_store_lookup_customer (self->store, key, NULL) > 0)
            continue;
        }
      else
        {
          g_autofree char *fingerprint = relay_sync_address_fingerprint (record->first_name, record->last_name,
                                                                         record->address1, record->zip_code,
                                                                         record->country_code);

          company_id = record->company_id;
          if (company_id <= 0 || !record->active)
            continue;
          key = g_steal_pointer (&fingerprint);
        }
      g_ptr_array_add (keys, g_steal_pointer (&key));
      g_array_append_val (ids, id);
      g_array_append_val (company_ids, company_id);
    }
  /* One transaction per page. */
  if (companies)
    stored = relay_store_remember_customers (self->store, (const char * const *) keys->pdata,
                                             (const gint64 *) (gpointer) ids->data, keys->len, &error);
  else
    stored = relay_store_remember_customer_addresses (self->store, (const gint64 *) (gpointer) company_ids->data,
                                                      (const char * const *) keys->pdata,
                                                      (const gint64 *) (gpointer) ids->data, keys->len, &error);
  if (!stored)
    {
      relay_sync_store_failed (cycle, error);
      g_clear_error (&error);
    }

  if (more)
    {
      cycle->deliver.customer_page++;
      customers_page (task);
      return;
    }

  if (companies)
    {
      g_free (cycle->deliver.customer_collection);
      cycle->deliver.customer_collection = g_strdup ("addresses");
      cycle->deliver.customer_page = 1;
      customers_page (task);
      return;
    }

  /* In TradeGecko's time: its clock stamps updated_at. */
  g_clear_pointer (&cycle->deliver.customers_started, g_date_time_unref);
  cycle->deliver.customers_started = relay_sync_destination_time_at (self, cycle->deliver.customers_sent_ms);
  relay_sync_set_checkpoint_time (self->store, CHECKPOINT_CUSTOMERS, cycle->deliver.customers_started, NULL);
  cycle->deliver.customers_fresh = TRUE;
  lookup_batch_variants (task);
}

static void
customers_page (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GDateTime) since = relay_sync_checkpoint_time (self->store, CHECKPOINT_CUSTOMERS);
  g_autoptr(GDateTime) overlap = NULL;

  if (since != NULL)
    overlap = g_date_time_add_seconds (since, -RELAY_SYNC_ENGINE_TRACKING_OVERLAP_S);
  if (g_str_equal (cycle->deliver.customer_collection, "companies"))
    relay_order_destination_list_customers_async (self->destination, overlap, cycle->deliver.customer_page,
                                                  g_task_get_cancellable (task), customers_page_cb, task);
  else
    relay_order_destination_list_addresses_async (self->destination, overlap, cycle->deliver.customer_page,
                                                  g_task_get_cancellable (task), customers_page_cb, task);
}


/* A copy for previews between cycles. */
void
relay_sync_remember_account (RelaySyncEngine         *self,
                             const RelayAccountFacts *account)
{
  g_clear_pointer (&self->account, relay_account_facts_free);
  self->account = relay_account_facts_copy (account);
}

void
relay_sync_cycle_deliver (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (relay_sync_cycle_stopped (task))
    return;

  if (cycle->destination_down)
    {
      relay_sync_cycle_pay (task);
      return;
    }

  if (cycle->deliver.aliases == NULL)
    {
      cycle->deliver.aliases = relay_store_dup_item_aliases (self->store, NULL);
      cycle->deliver.shipping_methods = relay_store_dup_shipping_methods (self->store, NULL);
      cycle->deliver.to_deliver = relay_store_count_orders (self->store, RELAY_STAGE_NEW, NULL, NULL);
      relay_sync_engine_emit_progress (self, "deliver", 0, (guint) MAX (cycle->deliver.to_deliver, 0));
    }

  /* The next bounded batch of waiting orders, oldest first; each order is
   * tried at most once per cycle. */
  g_ptr_array_set_size (cycle->batch, 0);
  rows = relay_store_dup_orders_in_stage (self->store, RELAY_STAGE_NEW,
                                          RELAY_SYNC_ENGINE_BATCH_SIZE + g_hash_table_size (cycle->attempted),
                                          &error);
  if (rows == NULL)
    {
      relay_sync_store_failed (cycle, error);
      relay_sync_cycle_pay (task);
      return;
    }

  for (guint i = 0; i < rows->len && cycle->batch->len < RELAY_SYNC_ENGINE_BATCH_SIZE; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);
      g_autoptr(RelayOrder) order = NULL;

      if (g_hash_table_contains (cycle->attempted, row->squarespace_id))
        continue;
      if (row->in_flight != RELAY_IN_FLIGHT_NONE)
        {
          /* Not reconciled (its service failed): it waits for the next cycle. */
          g_hash_table_add (cycle->attempted, g_strdup (row->squarespace_id));
          continue;
        }

      order = relay_store_load_order (self->store, row->squarespace_id, &error);
      if (order == NULL)
        {
          relay_sync_store_failed (cycle, error);
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (cycle->batch, g_steal_pointer (&order));
    }

  if (cycle->batch->len == 0)
    {
      relay_sync_cycle_pay (task);
      return;
    }

  if (cycle->deliver.account == NULL)
    {
      relay_order_destination_get_account_async (self->destination, g_task_get_cancellable (task),
                                                 account_read_cb, task);
      return;
    }

  deliver_batch (task);
}

/* Currencies, tax types and the time zone, once per cycle: every order of the
 * cycle is checked against the same account (tradegecko-api.md §12 step 2). */
static void
account_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Cycle *cycle = g_task_get_task_data (task);
  RelaySyncEngine *self = cycle->self;
  g_autoptr(GError) error = NULL;

  cycle->deliver.account = relay_order_destination_get_account_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  if (cycle->deliver.account == NULL)
    {
      relay_sync_service_failed (cycle, SIDE_DESTINATION, error);
      relay_sync_cycle_pay (task);
      return;
    }
  relay_sync_remember_account (self, cycle->deliver.account);
  deliver_batch (task);
}

static void
deliver_batch (GTask *task)
{
  Cycle *cycle = g_task_get_task_data (task);

  if (!cycle->deliver.customers_fresh)
    {
      g_free (cycle->deliver.customer_collection);
      cycle->deliver.customer_collection = g_strdup ("companies");
      cycle->deliver.customer_page = 1;
      cycle->deliver.customers_sent_ms = relay_sync_local_now_ms ();
      customers_page (task);
      return;
    }

  lookup_batch_variants (task);
}
