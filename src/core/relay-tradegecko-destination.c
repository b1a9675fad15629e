/* relay-tradegecko-destination.c — RelayTradegecko as the engine's RelayOrderDestination
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-adapters-private.h"
#include "relay-error.h"
#include "relay-json.h"
#include "relay-tradegecko.h"

/* TradeGecko companies or addresses as RelayCustomerRecord; entries that are
 * not objects are skipped. */
static GPtrArray *
customer_records (JsonArray *records)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_customer_record_free);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *object = relay_json_array_get_object (records, i);
      RelayCustomerRecord *record;

      if (object == NULL)
        continue;
      record = g_new0 (RelayCustomerRecord, 1);
      record->id = relay_json_get_id (object, "id");
      record->company_id = relay_json_get_id (object, "company_id");
      record->email = g_strdup (relay_json_get_string (object, "email"));
      record->first_name = g_strdup (relay_json_get_string (object, "first_name"));
      record->last_name = g_strdup (relay_json_get_string (object, "last_name"));
      record->address1 = g_strdup (relay_json_get_string (object, "address1"));
      record->zip_code = g_strdup (relay_json_get_string (object, "zip_code"));
      record->country_code = g_strdup (relay_json_get_string (object, "country_code"));
      record->active = g_strcmp0 (relay_json_get_string (object, "status"), "active") == 0;
      g_ptr_array_add (out, record);
    }
  return out;
}

/* TradeGecko sales orders as RelayRemoteOrder; entries that are not objects are skipped. */
static GPtrArray *
remote_orders (JsonArray *orders)
{
  GPtrArray *remote = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_remote_order_free);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *object = relay_json_array_get_object (orders, i);
      const char *status = relay_json_get_string (object, "status");
      RelayRemoteOrder *order;

      if (object == NULL)
        continue;
      order = g_new0 (RelayRemoteOrder, 1);
      order->id = relay_json_get_id (object, "id");
      order->order_number = g_strdup (relay_json_get_string (object, "order_number"));
      order->reference = g_strdup (relay_json_get_string (object, "reference_number"));
      order->live = g_strcmp0 (status, "void") != 0 && g_strcmp0 (status, "deleted") != 0;
      order->shipped = g_strcmp0 (relay_json_get_string (object, "fulfillment_status"), "shipped") == 0;
      order->packed = g_strcmp0 (relay_json_get_string (object, "packed_status"), "packed") == 0;
      g_ptr_array_add (remote, order);
    }
  return remote;
}

static const char *
tradegecko_get_id (RelayOrderDestination *destination)
{
  return "tradegecko";
}

static const char *
tradegecko_get_name (RelayOrderDestination *destination)
{
  return "TradeGecko";
}

/* Most calls are the client's own: same object, same results. */

static void
tradegecko_find_variants_async (RelayOrderDestination *destination,
                                const char * const    *skus,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  relay_tradegecko_find_variants_by_skus_async (RELAY_TRADEGECKO (destination), skus, cancellable, callback, user_data);
}

static GPtrArray *
tradegecko_find_variants_finish (RelayOrderDestination  *destination,
                                 GAsyncResult           *result,
                                 GError                **error)
{
  g_autoptr(JsonArray) variants = relay_tradegecko_find_variants_by_skus_finish (RELAY_TRADEGECKO (destination),
                                                                                  result, error);

  return variants != NULL ? relay_tradegecko_variants_from_json (variants) : NULL;
}

static void
tradegecko_forget_variants (RelayOrderDestination *destination)
{
  relay_tradegecko_invalidate_variants (RELAY_TRADEGECKO (destination), NULL);
}

static char *
tradegecko_dup_order_payload (RelayOrderDestination *destination,
                              const RelaySalesOrder *order)
{
  g_autoptr(JsonNode) body = relay_tradegecko_sales_order_to_json (order);

  /* What RelayHttp writes for the body (relay_http_request_async()). */
  return relay_json_to_string (body);
}

static void
tradegecko_search_variants_async (RelayOrderDestination *destination,
                                  const char            *query,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  relay_tradegecko_search_variants_async (RELAY_TRADEGECKO (destination), query, cancellable, callback, user_data);
}

static GPtrArray *
tradegecko_search_variants_finish (RelayOrderDestination  *destination,
                                   GAsyncResult           *result,
                                   GError                **error)
{
  g_autoptr(JsonArray) variants = relay_tradegecko_search_variants_finish (RELAY_TRADEGECKO (destination), result,
                                                                            error);

  return variants != NULL ? relay_tradegecko_variants_from_json (variants) : NULL;
}

static void
tradegecko_create_order_async (RelayOrderDestination *destination,
                               const RelaySalesOrder *order,
                               const char            *idempotency_key,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(JsonNode) body = relay_tradegecko_sales_order_to_json (order);

  relay_tradegecko_create_order_async (RELAY_TRADEGECKO (destination), body, idempotency_key, cancellable,
                                       callback, user_data);
}

static RelayDelivery *
tradegecko_create_order_finish (RelayOrderDestination  *destination,
                                GAsyncResult           *result,
                                GError                **error)
{
  g_autoptr(JsonObject) created = relay_tradegecko_create_order_finish (RELAY_TRADEGECKO (destination), result, error);

  return relay_tradegecko_delivery_from_json (created);
}

static void
tradegecko_find_orders_async (RelayOrderDestination *destination,
                              const char            *reference,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  relay_tradegecko_find_orders_by_reference_async (RELAY_TRADEGECKO (destination), reference, cancellable,
                                                   callback, user_data);
}

static GPtrArray *
tradegecko_find_orders_finish (RelayOrderDestination  *destination,
                               GAsyncResult           *result,
                               GError                **error)
{
  g_autoptr(JsonArray) orders = relay_tradegecko_find_orders_by_reference_finish (RELAY_TRADEGECKO (destination),
                                                                                   result, error);

  return orders != NULL ? remote_orders (orders) : NULL;
}

static void
tradegecko_list_shipments_async (RelayOrderDestination *destination,
                                 GDateTime             *changed_since,
                                 guint                  page,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  relay_tradegecko_list_fulfillments_async (RELAY_TRADEGECKO (destination), changed_since, page, cancellable,
                                            callback, user_data);
}

static GPtrArray *
tradegecko_list_shipments_finish (RelayOrderDestination  *destination,
                                  GAsyncResult           *result,
                                  gboolean               *has_more,
                                  GError                **error)
{
  g_autoptr(JsonObject) page = relay_tradegecko_list_fulfillments_finish (RELAY_TRADEGECKO (destination), result,
                                                                           has_more, error);

  return page != NULL ? relay_tradegecko_shipments_from_page (page) : NULL;
}

static void
tradegecko_get_account_async (RelayOrderDestination *destination,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  relay_tradegecko_get_account_facts_async (RELAY_TRADEGECKO (destination), cancellable, callback, user_data);
}

static RelayAccountFacts *
tradegecko_get_account_finish (RelayOrderDestination  *destination,
                               GAsyncResult           *result,
                               GError                **error)
{
  return relay_tradegecko_get_account_facts_finish (RELAY_TRADEGECKO (destination), result, error);
}

static void
tradegecko_pay_order_async (RelayOrderDestination *destination,
                            gint64                 order_id,
                            GDateTime             *paid_at,
                            const char            *idempotency_key,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  relay_tradegecko_pay_order_async (RELAY_TRADEGECKO (destination), order_id, paid_at, idempotency_key,
                                    cancellable, callback, user_data);
}

static gboolean
tradegecko_pay_order_finish (RelayOrderDestination  *destination,
                             GAsyncResult           *result,
                             GError                **error)
{
  return relay_tradegecko_pay_order_finish (RELAY_TRADEGECKO (destination), result, error);
}

/* Index requests the client has no call for: one page of a collection. */

static void
collection_received_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *root_key = g_object_get_data (G_OBJECT (task), "root-key");
  g_autoptr(RelayHttpResponse) response = NULL;
  GError *error = NULL;
  JsonObject *body;
  JsonNode *records;

  response = relay_http_request_finish (RELAY_HTTP (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  body = relay_http_response_get_object (response);
  records = body != NULL ? json_object_get_member (body, root_key) : NULL;
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records))
    {
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                               _("TradeGecko sent a list without “%s”; try again later"), root_key);
      return;
    }

  *(gboolean *) g_task_get_task_data (task) =
    json_array_get_length (json_node_get_array (records)) >= RELAY_TRADEGECKO_PAGE_LIMIT;
  g_task_return_pointer (task, json_array_ref (json_node_get_array (records)), (GDestroyNotify) json_array_unref);
}

static void
get_collection (RelayOrderDestination *destination,
                gpointer               source_tag,
                const char            *root_key,
                GString               *path,
                GDateTime             *changed_since,
                guint                  page,
                GCancellable          *cancellable,
                GAsyncReadyCallback    callback,
                gpointer               user_data)
{
  GTask *task = g_task_new (destination, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_new0 (gboolean, 1), g_free);
  g_object_set_data (G_OBJECT (task), "root-key", (gpointer) root_key);

  g_string_append_printf (path, "%climit=%d&page=%u", strchr (path->str, '?') ? '&' : '?',
                          RELAY_TRADEGECKO_PAGE_LIMIT, MAX (page, 1));
  if (changed_since != NULL)
    {
      g_autofree char *text = relay_http_format_date (changed_since);
      g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);

      g_string_append_printf (path, "&updated_at_min=%s", escaped);
    }

  relay_http_request_async (relay_tradegecko_get_http (RELAY_TRADEGECKO (destination)), "GET", path->str,
                            NULL, NULL, cancellable, collection_received_cb, task);
}

static JsonArray *
get_collection_finish (GAsyncResult  *result,
                       gboolean      *has_more,
                       GError       **error)
{
  JsonArray *records = g_task_propagate_pointer (G_TASK (result), error);

  if (has_more != NULL)
    *has_more = records != NULL && *(gboolean *) g_task_get_task_data (G_TASK (result));
  return records;
}

static void
tradegecko_list_customers_async (RelayOrderDestination *destination,
                                 GDateTime             *changed_since,
                                 guint                  page,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GString) path = g_string_new ("/companies?order=id+asc");

  get_collection (destination, tradegecko_list_customers_async, "companies", path, changed_since, page,
                  cancellable, callback, user_data);
}

static GPtrArray *
tradegecko_list_customers_finish (RelayOrderDestination  *destination,
                                  GAsyncResult           *result,
                                  gboolean               *has_more,
                                  GError                **error)
{
  g_autoptr(JsonArray) companies = get_collection_finish (result, has_more, error);

  return companies != NULL ? customer_records (companies) : NULL;
}

static void
tradegecko_list_addresses_async (RelayOrderDestination *destination,
                                 GDateTime             *changed_since,
                                 guint                  page,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GString) path = g_string_new ("/addresses?order=id+asc");

  get_collection (destination, tradegecko_list_addresses_async, "addresses", path, changed_since, page,
                  cancellable, callback, user_data);
}

static GPtrArray *
tradegecko_list_addresses_finish (RelayOrderDestination  *destination,
                                  GAsyncResult           *result,
                                  gboolean               *has_more,
                                  GError                **error)
{
  g_autoptr(JsonArray) addresses = get_collection_finish (result, has_more, error);

  return addresses != NULL ? customer_records (addresses) : NULL;
}

static void
tradegecko_get_orders_async (RelayOrderDestination *destination,
                             const gint64          *ids,
                             guint                  n_ids,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GString) path = g_string_new ("/orders?ids=");

  g_return_if_fail (n_ids > 0 && n_ids <= RELAY_ORDER_DESTINATION_MAX_IDS);

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (path, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
  get_collection (destination, tradegecko_get_orders_async, "orders", path, NULL, 1, cancellable,
                  callback, user_data);
}

static GPtrArray *
tradegecko_get_orders_finish (RelayOrderDestination  *destination,
                              GAsyncResult           *result,
                              GError                **error)
{
  g_autoptr(JsonArray) orders = get_collection_finish (result, NULL, error);

  return orders != NULL ? remote_orders (orders) : NULL;
}

static void
order_voided_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (relay_tradegecko_void_order_finish (RELAY_TRADEGECKO (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
tradegecko_void_order_async (RelayOrderDestination *destination,
                             gint64                 order_id,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  GTask *task = g_task_new (destination, cancellable, callback, user_data);

  g_task_set_source_tag (task, tradegecko_void_order_async);
  relay_tradegecko_void_order_async (RELAY_TRADEGECKO (destination), order_id, cancellable, order_voided_cb, task);
}

static gboolean
tradegecko_void_order_finish (RelayOrderDestination  *destination,
                              GAsyncResult           *result,
                              GError                **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
tradegecko_get_clock_offset (RelayOrderDestination *destination,
                             gint64                *offset_ms)
{
  return relay_http_get_clock_offset (relay_tradegecko_get_http (RELAY_TRADEGECKO (destination)), offset_ms);
}

void
relay_tradegecko_order_destination_init (RelayOrderDestinationInterface *iface)
{
  iface->get_id = tradegecko_get_id;
  iface->get_name = tradegecko_get_name;
  iface->find_variants_async = tradegecko_find_variants_async;
  iface->find_variants_finish = tradegecko_find_variants_finish;
  iface->search_variants_async = tradegecko_search_variants_async;
  iface->search_variants_finish = tradegecko_search_variants_finish;
  iface->forget_variants = tradegecko_forget_variants;
  iface->list_customers_async = tradegecko_list_customers_async;
  iface->list_customers_finish = tradegecko_list_customers_finish;
  iface->list_addresses_async = tradegecko_list_addresses_async;
  iface->list_addresses_finish = tradegecko_list_addresses_finish;
  iface->dup_order_payload = tradegecko_dup_order_payload;
  iface->create_order_async = tradegecko_create_order_async;
  iface->create_order_finish = tradegecko_create_order_finish;
  iface->find_orders_async = tradegecko_find_orders_async;
  iface->find_orders_finish = tradegecko_find_orders_finish;
  iface->list_shipments_async = tradegecko_list_shipments_async;
  iface->list_shipments_finish = tradegecko_list_shipments_finish;
  iface->get_orders_async = tradegecko_get_orders_async;
  iface->get_orders_finish = tradegecko_get_orders_finish;
  iface->void_order_async = tradegecko_void_order_async;
  iface->void_order_finish = tradegecko_void_order_finish;
  iface->get_clock_offset = tradegecko_get_clock_offset;

  iface->get_account_async = tradegecko_get_account_async;
  iface->get_account_finish = tradegecko_get_account_finish;
  iface->pay_order_async = tradegecko_pay_order_async;
  iface->pay_order_finish = tradegecko_pay_order_finish;
  relay_tradegecko_stock_destination_init (iface);
}
