/* relay-squarespace-source.c — RelaySquarespace as the engine's RelayOrderSource
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "relay-adapters-private.h"
#include "relay-error.h"
#include "relay-json.h"
#include "relay-mapping.h"
#include "relay-squarespace.h"

#define SHIPMENT_FIELD_MAX 100

typedef struct
{
  char  *next_cursor;
  guint  n_unreadable;
} ListState;

static void
list_state_free (gpointer data)
{
  ListState *state = data;

  g_free (state->next_cursor);
  g_free (state);
}

static const char *
squarespace_get_id (RelayOrderSource *source)
{
  return "squarespace";
}

static const char *
squarespace_get_name (RelayOrderSource *source)
{
  return "Squarespace";
}

static void
orders_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListState *state = g_task_get_task_data (task);
  g_autoptr(JsonArray) page = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;

  page = relay_squarespace_list_orders_finish (RELAY_SQUARESPACE (object), result, &state->next_cursor, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  orders = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (page); i++)
    {
      JsonNode *node = json_array_get_element (page, i);
      g_autoptr(GError) order_error = NULL;
      RelayOrder *order = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        order = relay_order_new_from_squarespace (json_node_get_object (node), &order_error);
      if (order == NULL)
        {
          const char *number = JSON_NODE_HOLDS_OBJECT (node)
                               ? relay_json_get_string (json_node_get_object (node), "orderNumber") : NULL;

          state->n_unreadable++;
          g_warning ("Squarespace order %s could not be read (it is read again next cycle): %s",
                     number != NULL ? number : "(no number)", order_error ? order_error->message : "not an object");
          continue;
        }
      g_ptr_array_add (orders, order);
    }

  g_task_return_pointer (task, g_steal_pointer (&orders), (GDestroyNotify) g_ptr_array_unref);
}

static void
squarespace_list_orders_async (RelayOrderSource    *source,
                               GDateTime           *modified_after,
                               GDateTime           *modified_before,
                               gboolean             open_only,
                               const char          *cursor,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, squarespace_list_orders_async);
  g_task_set_task_data (task, g_new0 (ListState, 1), list_state_free);

  /* Squarespace takes a cursor alone: page 2 onwards carries nothing else. */
  if (cursor != NULL)
    relay_squarespace_list_orders_async (RELAY_SQUARESPACE (source), NULL, NULL, NULL, cursor, cancellable,
                                         orders_listed_cb, task);
  else
    relay_squarespace_list_orders_async (RELAY_SQUARESPACE (source), modified_after, modified_before,
                                         open_only ? "PENDING" : NULL, NULL, cancellable, orders_listed_cb, task);
}

static GPtrArray *
squarespace_list_orders_finish (RelayOrderSource  *source,
                                GAsyncResult      *result,
                                char             **next_cursor,
                                guint             *n_unreadable,
                                GError           **error)
{
  ListState *state = g_task_get_task_data (G_TASK (result));
  GPtrArray *orders = g_task_propagate_pointer (G_TASK (result), error);

  if (next_cursor != NULL)
    *next_cursor = orders != NULL ? g_steal_pointer (&state->next_cursor) : NULL;
  if (n_unreadable != NULL)
    *n_unreadable = state->n_unreadable;
  return orders;
}

static void
order_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrder *order;

  json = relay_squarespace_get_order_finish (RELAY_SQUARESPACE (object), result, &error);
  order = json != NULL ? relay_order_new_from_squarespace (json, &error) : NULL;
  if (order == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, order, g_object_unref);
}

static void
squarespace_get_order_async (RelayOrderSource    *source,
                             const char          *order_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, squarespace_get_order_async);
  relay_squarespace_get_order_async (RELAY_SQUARESPACE (source), order_id, cancellable, order_read_cb, task);
}

static RelayOrder *
squarespace_get_order_finish (RelayOrderSource  *source,
                              GAsyncResult      *result,
                              GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Squarespace requires a service; the inventory system often has none: use the
 * shipping method the buyer chose. */
static const char *
service_fallback (RelayOrder *order)
{
  GPtrArray *lines = relay_order_get_shipping_lines (order);
  const char *method = NULL;

  if (lines != NULL && lines->len > 0)
    method = ((RelayShippingLine *) g_ptr_array_index (lines, 0))->method;
  if (method == NULL || *method == '\0' || g_utf8_strlen (method, -1) > SHIPMENT_FIELD_MAX)
    return "Standard";
  return method;
}

/* One entry of `shipments`: now when the inventory system has no date. */
static JsonObject *
shipment_json (const RelayShipment *shipment,
               const char          *service_fallback)
{
  g_autoptr(GDateTime) when = shipment->shipped_at > 0 ? g_date_time_new_from_unix_utc (shipment->shipped_at / 1000)
                                                       : g_date_time_new_now_utc ();

  return relay_squarespace_new_shipment (when, shipment->carrier,
                                         shipment->service != NULL ? shipment->service : service_fallback,
                                         shipment->tracking_number, shipment->tracking_url);
}

static void
shipments_posted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (relay_squarespace_fulfill_order_finish (RELAY_SQUARESPACE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
squarespace_post_shipments_async (RelayOrderSource    *source,
                                  RelayOrder          *order,
                                  GPtrArray           *shipments,
                                  GHashTable          *carriers,
                                  gboolean             notify_customer,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(JsonArray) payload = json_array_new ();
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);

  g_task_set_source_tag (task, squarespace_post_shipments_async);

  for (guint i = 0; i < shipments->len; i++)
    {
      RelayShipment *shipment = g_ptr_array_index (shipments, i);
      g_autoptr(RelayShipment) prepared = NULL;
      GError *error = NULL;

      /* Two shipments with one tracking number are one parcel for Squarespace. */
      if (shipment->tracking_number == NULL || !g_hash_table_add (numbers, shipment->tracking_number))
        continue;

      prepared = relay_mapping_prepare_shipment (shipment, carriers, &error);
      if (prepared == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      json_array_add_object_element (payload, shipment_json (prepared, service_fallback (order)));
    }

  /* Shipments without tracking (pickup, local delivery) still close the order:
   * an empty `shipments` marks it fulfilled without recording a parcel. */
  if (shipments->len == 0)
    {
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_REJECTED, "%s",
                               _("No shipment to send to Squarespace"));
      return;
    }

  relay_squarespace_fulfill_order_async (RELAY_SQUARESPACE (source), relay_order_get_squarespace_id (order),
                                         payload, notify_customer, cancellable, shipments_posted_cb,
                                         g_steal_pointer (&task));
}

static gboolean
squarespace_post_shipments_finish (RelayOrderSource  *source,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
squarespace_get_clock_offset (RelayOrderSource *source,
                              gint64           *offset_ms)
{
  return relay_http_get_clock_offset (relay_squarespace_get_http (RELAY_SQUARESPACE (source)), offset_ms);
}

void
relay_squarespace_order_source_init (RelayOrderSourceInterface *iface)
{
  iface->get_id = squarespace_get_id;
  iface->get_name = squarespace_get_name;
  iface->list_orders_async = squarespace_list_orders_async;
  iface->list_orders_finish = squarespace_list_orders_finish;
  iface->get_order_async = squarespace_get_order_async;
  iface->get_order_finish = squarespace_get_order_finish;
  iface->post_shipments_async = squarespace_post_shipments_async;
  iface->post_shipments_finish = squarespace_post_shipments_finish;
  iface->get_clock_offset = squarespace_get_clock_offset;
  relay_squarespace_stock_source_init (iface);
}
