/* relay-sandbox-tradegecko-private.h — what the files of the sandbox's TradeGecko API share
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TradeGecko API lives in one file per job: relay-sandbox-tradegecko.c (authentication,
 * rate limit, idempotency, routing), -state.c (reset, scenario, account and its lists),
 * -lists.c (what every index and record endpoint shares), -variants.c, -companies.c
 * (companies and addresses), -orders.c and -fulfillments.c.
 */

#pragma once

#include "relay-sandbox-private.h"

G_BEGIN_DECLS

/* relay-sandbox-tradegecko-state.c */
JsonObject  *sandbox_tg_find_currency_by_iso   (RelaySandbox *self,
                                                const char   *iso);

/* relay-sandbox-tradegecko-lists.c */
void         sandbox_tg_filter_field           (GPtrArray  *objects,
                                                GPtrArray  *params,
                                                const char *param,
                                                const char *member);
int          sandbox_tg_compare_id_asc         (gconstpointer a,
                                                gconstpointer b);
GPtrArray   *sandbox_tg_select_common          (GPtrArray          *all,
                                                GPtrArray          *params,
                                                const char * const *default_statuses,
                                                SandboxReply       *reply);
JsonObject  *sandbox_tg_paginate               (SoupServerMessage  *msg,
                                                GPtrArray          *params,
                                                GPtrArray          *selected,
                                                const char         *root_key,
                                                SandboxReply       *reply,
                                                GPtrArray         **page_out);
void         sandbox_tg_reply_index            (SoupServerMessage  *msg,
                                                GPtrArray          *params,
                                                GPtrArray          *all,
                                                const char * const *default_statuses,
                                                const char * const *filters,
                                                const char * const *search_members,
                                                const char         *root_key,
                                                SandboxReply       *reply);
void         sandbox_tg_reply_record           (const char   *root_key,
                                                JsonObject   *record,
                                                guint         status,
                                                SandboxReply *reply);
void         sandbox_tg_reply_unprocessable    (JsonObject   *errors,
                                                SandboxReply *reply);
void         sandbox_tg_add_error              (JsonObject *errors,
                                                const char *field,
                                                const char *message);
JsonObject  *sandbox_tg_parse_wrapped_body     (SoupServerMessage *msg,
                                                const char        *wrapper,
                                                JsonNode         **root_out,
                                                SandboxReply      *reply);

/* relay-sandbox-tradegecko-variants.c */
void         sandbox_tg_variant_adjust_stock   (JsonObject *variant,
                                                gint64      on_hand_delta,
                                                gint64      committed_delta);
JsonObject  *sandbox_tg_complete_variant       (RelaySandbox  *self,
                                                JsonObject    *given,
                                                GError       **error);

/* relay-sandbox-tradegecko-companies.c */
JsonObject  *sandbox_tg_company_new            (RelaySandbox *self,
                                                JsonObject   *given);
void         sandbox_tg_validate_company       (JsonObject *given,
                                                JsonObject *errors,
                                                const char *prefix);
void         sandbox_tg_validate_address       (RelaySandbox *self,
                                                JsonObject   *given,
                                                gint64        company_id,
                                                JsonObject   *errors,
                                                const char   *prefix);
JsonObject  *sandbox_tg_store_address          (RelaySandbox *self,
                                                JsonObject   *given,
                                                gint64        company_id);
void         sandbox_tg_post_company           (RelaySandbox      *self,
                                                SoupServerMessage *msg,
                                                SandboxReply      *reply);
void         sandbox_tg_post_address           (RelaySandbox      *self,
                                                SoupServerMessage *msg,
                                                SandboxReply      *reply);

/* relay-sandbox-tradegecko-orders.c */
gboolean     sandbox_tg_order_commits_stock    (const char *status);
void         sandbox_tg_post_order             (RelaySandbox      *self,
                                                SoupServerMessage *msg,
                                                SandboxReply      *reply);
void         sandbox_tg_get_order              (RelaySandbox *self,
                                                JsonObject   *order,
                                                GPtrArray    *params,
                                                SandboxReply *reply);
void         sandbox_tg_order_action           (RelaySandbox      *self,
                                                SoupServerMessage *msg,
                                                JsonObject        *order,
                                                const char        *action,
                                                SandboxReply      *reply);

/* relay-sandbox-tradegecko-fulfillments.c */
GPtrArray   *sandbox_tg_lines_of_order         (RelaySandbox *self,
                                                gint64        order_id);
void         sandbox_tg_line_fulfilled_quantities (RelaySandbox *self,
                                                   JsonObject   *line,
                                                   gint64       *allocated,
                                                   gint64       *shipped);
void         sandbox_tg_list_fulfillments      (RelaySandbox      *self,
                                                SoupServerMessage *msg,
                                                GPtrArray         *params,
                                                SandboxReply      *reply);

/* Small helpers every file uses */

static inline void
bad_request (SandboxReply *reply,
             const char   *message)
{
  sandbox_tradegecko_error (reply, 400, "Bad Request", message);
}

static inline void
not_found (SandboxReply *reply,
           const char   *resource,
           const char   *id)
{
  g_autofree char *message = g_strdup_printf ("Couldn't find %s with 'id'=%s", resource, id);

  sandbox_tradegecko_error (reply, 404, "Not Found", message);
}

static inline char *
now_text (void)
{
  return sandbox_format_iso8601_ms (sandbox_now_ms ());
}

static inline void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static inline void
set_decimal (JsonObject *object,
             const char *member,
             gint64      e4)
{
  g_autofree char *text = sandbox_decimal_format (e4);

  json_object_set_string_member (object, member, text);
}

static inline gint64
get_decimal (JsonObject *object,
             const char *member)
{
  gint64 e4 = 0;

  sandbox_decimal_parse (json_object_get_member (object, member), &e4);
  return e4;
}

static inline void
touch (JsonObject *object)
{
  g_autofree char *now = now_text ();

  json_object_set_string_member (object, "updated_at", now);
}

static inline void
append_id (JsonObject *object,
           const char *member,
           gint64      id)
{
  json_array_add_int_element (json_object_get_array_member (object, member), id);
}

static inline JsonObject *
nested_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

G_END_DECLS
