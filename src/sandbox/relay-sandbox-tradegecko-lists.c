/* relay-sandbox-tradegecko-lists.c — what every TradeGecko index and record endpoint
 * shares: filters, ordering, pagination, the record and 422 replies, wrapped request bodies
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaviour follows the TradeGecko API reference as docs/sandbox.md (“TradeGecko”) restates it,
 * section by section; where the reference leaves a choice open, the choice is named in a comment
 * here and marked UNCONFIRMED there.
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-tradegecko-private.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 250

/* Keeps the objects whose @member equals one of the values of @param (single, `param[]` or a
 * comma list). Exact and case-sensitive. */
void
sandbox_tg_filter_field (GPtrArray  *objects,
                         GPtrArray  *params,
                         const char *param,
                         const char *member)
{
  g_autoptr(GPtrArray) wanted = sandbox_params_get_all (params, param);

  if (wanted == NULL)
    return;

  for (guint i = objects->len; i > 0; i--)
    {
      g_autofree char *value = sandbox_member_text (g_ptr_array_index (objects, i - 1), member);
      gboolean keep = FALSE;

      for (guint j = 0; value != NULL && j < wanted->len; j++)
        keep = keep || g_str_equal (value, g_ptr_array_index (wanted, j));
      if (!keep)
        g_ptr_array_remove_index (objects, i - 1);
    }
}

/* `q`: a case-insensitive substring of any of @members. A blank `q` is ignored, as
 * collection endpoints ignore blank parameters. */
static void
filter_search (GPtrArray          *objects,
               GPtrArray          *params,
               const char * const *members)
{
  const char *query = sandbox_params_get (params, "q");
  g_autofree char *needle = NULL;

  if (query == NULL || *query == '\0')
    return;

  needle = g_utf8_casefold (query, -1);
  for (guint i = objects->len; i > 0; i--)
    {
      JsonObject *object = g_ptr_array_index (objects, i - 1);
      gboolean keep = FALSE;

      for (guint j = 0; !keep && members[j] != NULL; j++)
        {
          const char *value = sandbox_get_string_member (object, members[j]);
          g_autofree char *folded = NULL;

          if (value == NULL)
            continue;
          folded = g_utf8_casefold (value, -1);
          keep = strstr (folded, needle) != NULL;
        }
      if (!keep)
        g_ptr_array_remove_index (objects, i - 1);
    }
}

static gboolean
filter_time (GPtrArray    *objects,
             GPtrArray    *params,
             const char   *param,
             const char   *member,
             gboolean      is_min,
             SandboxReply *reply)
{
  const char *text = sandbox_params_get (params, param);
  gint64 bound;

  if (text == NULL || *text == '\0')
    return TRUE;
  if (!sandbox_parse_iso8601 (text, &bound))
    {
      g_autofree char *date = g_strconcat (text, "T00:00:00Z", NULL);

      if (!sandbox_parse_iso8601 (date, &bound))
        {
          g_autofree char *message = g_strdup_printf ("%s is not a valid date", param);
          bad_request (reply, message);
          return FALSE;
        }
    }

  for (guint i = objects->len; i > 0; i--)
    {
      gint64 value;

      if (!sandbox_parse_iso8601 (sandbox_get_string_member (g_ptr_array_index (objects, i - 1), member), &value) ||
          (is_min ? value < bound : value > bound))
        g_ptr_array_remove_index (objects, i - 1);
    }
  return TRUE;
}

static int
compare_id_desc (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = json_object_get_int_member (*(JsonObject **) a, "id");
  gint64 y = json_object_get_int_member (*(JsonObject **) b, "id");

  return x < y ? 1 : x > y ? -1 : 0;
}

int
sandbox_tg_compare_id_asc (gconstpointer a,
                           gconstpointer b)
{
  return -compare_id_desc (a, b);
}

/* The filters every index endpoint shares. Without `status`, only @default_statuses show
 * (soft-deleted records stay hidden; docs/sandbox.md, “Pagination and filters”). Returns NULL
 * after setting a 400 reply. */
GPtrArray *
sandbox_tg_select_common (GPtrArray          *all,
                          GPtrArray          *params,
                          const char * const *default_statuses,
                          SandboxReply       *reply)
{
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  g_autoptr(GPtrArray) statuses = sandbox_params_get_all (params, "status");

  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *object = g_ptr_array_index (all, i);
      const char *status = sandbox_get_string_member (object, "status");

      if (statuses == NULL && default_statuses != NULL && !g_strv_contains (default_statuses, status ? status : ""))
        continue;
      g_ptr_array_add (selected, object);
    }

  if (statuses != NULL)
    sandbox_tg_filter_field (selected, params, "status", "status");
  sandbox_tg_filter_field (selected, params, "ids", "id");

  if (!filter_time (selected, params, "created_at_min", "created_at", TRUE, reply) ||
      !filter_time (selected, params, "created_at_max", "created_at", FALSE, reply) ||
      !filter_time (selected, params, "updated_at_min", "updated_at", TRUE, reply) ||
      !filter_time (selected, params, "updated_at_max", "updated_at", FALSE, reply))
    return NULL;

  /* "Most recent first" unless `order=… asc`; ids grow with creation time. */
  if (g_strrstr (sandbox_params_get (params, "order") ?: "", "asc") != NULL)
    g_ptr_array_sort (selected, sandbox_tg_compare_id_asc);
  else
    g_ptr_array_sort (selected, compare_id_desc);

  return g_steal_pointer (&selected);
}

static gboolean
parse_count (const char *text,
             gint64     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  *value = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

/* Applies limit/page, sets X-Pagination and returns the body with @root_key, or NULL after
 * setting a 400 reply. @page_out receives the page's records (borrowed). */
JsonObject *
sandbox_tg_paginate (SoupServerMessage  *msg,
                     GPtrArray          *params,
                     GPtrArray          *selected,
                     const char         *root_key,
                     SandboxReply       *reply,
                     GPtrArray         **page_out)
{
  gint64 limit = DEFAULT_LIMIT;
  gint64 page = 1;
  gint64 total = selected->len;
  gint64 total_pages, offset;
  JsonObject *pagination, *body;
  JsonArray *records = json_array_new ();
  g_autoptr(GPtrArray) page_records = g_ptr_array_new ();
  g_autofree char *pagination_text = NULL;
  g_autoptr(JsonNode) pagination_node = NULL;

  if (!parse_count (sandbox_params_get (params, "limit"), &limit) ||
      !parse_count (sandbox_params_get (params, "page"), &page) || limit < 0 || page < 1)
    {
      json_array_unref (records);
      bad_request (reply, "limit and page must be positive integers");
      return NULL;
    }
  if (limit > MAX_LIMIT)
    {
      json_array_unref (records);
      bad_request (reply, "limit must be less than or equal to 250");
      return NULL;
    }

  offset = (page - 1) * limit;
  total_pages = limit > 0 ? (total + limit - 1) / limit : 0;
  for (gint64 i = offset; limit > 0 && i < total && i < offset + limit; i++)
    {
      json_array_add_object_element (records, json_object_ref (g_ptr_array_index (selected, i)));
      g_ptr_array_add (page_records, g_ptr_array_index (selected, i));
    }

  pagination = json_object_new ();
  json_object_set_int_member (pagination, "total_records", total);
  json_object_set_int_member (pagination, "total_pages", total_pages);
  json_object_set_boolean_member (pagination, "first_page", page == 1);
  json_object_set_boolean_member (pagination, "last_page", page >= total_pages);
  /* Page 1 of an empty result is not out of bounds; only pages past the end are. */
  json_object_set_boolean_member (pagination, "out_of_bounds", page > MAX (total_pages, 1));
  json_object_set_int_member (pagination, "offset", offset);
  pagination_node = sandbox_node_take_object (pagination);
  pagination_text = json_to_string (pagination_node, FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Pagination", pagination_text);

  body = json_object_new ();
  json_object_set_array_member (body, root_key, records);
  if (page_out != NULL)
    *page_out = g_steal_pointer (&page_records);
  return body;
}

void
sandbox_tg_reply_index (SoupServerMessage  *msg,
                        GPtrArray          *params,
                        GPtrArray          *all,
                        const char * const *default_statuses,
                        const char * const *filters,
                        const char * const *search_members,
                        const char         *root_key,
                        SandboxReply       *reply)
{
  g_autoptr(GPtrArray) selected = sandbox_tg_select_common (all, params, default_statuses, reply);
  JsonObject *body;

  if (selected == NULL)
    return;
  for (guint i = 0; filters != NULL && filters[i] != NULL; i++)
    sandbox_tg_filter_field (selected, params, filters[i], filters[i]);
  if (search_members != NULL)
    filter_search (selected, params, search_members);

  body = sandbox_tg_paginate (msg, params, selected, root_key, reply, NULL);
  if (body != NULL)
    sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

void
sandbox_tg_reply_record (const char   *root_key,
                         JsonObject   *record,
                         guint         status,
                         SandboxReply *reply)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, root_key, json_object_ref (record));
  sandbox_reply_set (reply, status, sandbox_node_take_object (body));
}

void
sandbox_tg_reply_unprocessable (JsonObject   *errors,
                                SandboxReply *reply)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, "errors", json_object_ref (errors));
  sandbox_reply_set (reply, 422, sandbox_node_take_object (body));
}

void
sandbox_tg_add_error (JsonObject *errors,
                      const char *field,
                      const char *message)
{
  JsonArray *messages;

  if (!json_object_has_member (errors, field))
    json_object_set_array_member (errors, field, json_array_new ());
  messages = json_object_get_array_member (errors, field);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    if (g_strcmp0 (json_array_get_string_element (messages, i), message) == 0)
      return;
  json_array_add_string_element (messages, message);
}

JsonObject *
sandbox_tg_parse_wrapped_body (SoupServerMessage *msg,
                               const char        *wrapper,
                               JsonNode         **root_out,
                               SandboxReply      *reply)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (body->length > 0)
    root = json_from_string (body->data, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (object = nested_object (json_node_get_object (root), wrapper)) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Required parameter missing: %s", wrapper);

      bad_request (reply, message);
      return NULL;
    }

  *root_out = g_steal_pointer (&root);
  return object;
}
