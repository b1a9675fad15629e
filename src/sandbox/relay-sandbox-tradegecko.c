/* relay-sandbox-tradegecko.c — the TradeGecko API v1: authentication, the rate limit,
 * idempotent replays and routing each request to its resource
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

#define IDEMPOTENCY_LIFETIME_US (24 * G_TIME_SPAN_HOUR)

static const char * const active_only[] = { "active", NULL };
static const char * const live_orders[] = { "draft", "active", "finalized", "fulfilled", NULL };

void
sandbox_tradegecko_error (SandboxReply *reply,
                          guint         status,
                          const char   *type,
                          const char   *message)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "type", type);
  json_object_set_string_member (body, "message", message);
  sandbox_reply_set (reply, status, sandbox_node_take_object (body));
}

/* Fixed windows aligned to the clock (every recorded X-Rate-Limit-Reset is a multiple of 300;
 * docs/sandbox.md, “Rate limits and their headers”). */
static gboolean
rate_limit_take (RelaySandbox      *self,
                 SoupServerMessage *msg,
                 gboolean           count)
{
  SandboxRateLimit *rate = &self->tg_rate;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 window_start = now - now % rate->window_seconds;
  g_autofree char *limit = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *reset = NULL;

  if (window_start != rate->window_start)
    {
      rate->window_start = window_start;
      rate->count = 0;
    }
  if (count)
    rate->count++;

  limit = g_strdup_printf ("%u", rate->limit);
  remaining = g_strdup_printf ("%u", rate->count >= rate->limit ? 0 : rate->limit - rate->count);
  reset = g_strdup_printf ("%" G_GINT64_FORMAT, window_start + rate->window_seconds);
  soup_message_headers_replace (headers, "X-Rate-Limit-Limit", limit);
  soup_message_headers_replace (headers, "X-Rate-Limit-Remaining", remaining);
  soup_message_headers_replace (headers, "X-Rate-Limit-Reset", reset);

  return rate->count <= rate->limit;
}

static JsonObject *
idempotent_replay (RelaySandbox *self,
                   const char   *key)
{
  JsonObject *entry;

  if (key == NULL || *key == '\0')
    return NULL;

  entry = g_hash_table_lookup (self->tg_idempotency, key);
  if (entry != NULL && g_get_real_time () - json_object_get_int_member (entry, "created") > IDEMPOTENCY_LIFETIME_US)
    {
      g_hash_table_remove (self->tg_idempotency, key);
      entry = NULL;
    }
  return entry;
}

static void
route (RelaySandbox      *self,
       SoupServerMessage *msg,
       const char        *path,
       GPtrArray         *params,
       SandboxReply      *reply)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = g_str_equal (method, "GET");
  gboolean is_post = g_str_equal (method, "POST");
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n_parts = g_strv_length (parts);
  const char *collection = n_parts >= 2 ? parts[1] : "";

  if (g_str_equal (path, "/accounts/current") && is_get)
    {
      sandbox_tg_reply_record ("account", self->tg_account, 200, reply);
      return;
    }
  if (g_str_equal (path, "/users/current") && is_get)
    {
      sandbox_tg_reply_record ("user", self->tg_user, 200, reply);
      return;
    }

  if (n_parts == 2 && is_get)
    {
      static const char * const variant_filters[] = { "sku", "product_id", NULL };
      static const char * const company_filters[] = { "email", "company_code", "company_type", NULL };
      static const char * const address_filters[] = { "company_id", NULL };
      static const char * const order_filters[] = {
        "order_number", "reference_number", "company_id", "fulfillment_status", "packed_status",
        "payment_status", "invoice_status", "currency_id", NULL
      };

      if (g_str_equal (collection, "variants"))
        {
          static const char * const variant_search[] = { "sku", "name", "product_name", NULL };

          sandbox_tg_reply_index (msg, params, self->tg_variants, active_only, variant_filters, variant_search,
                                  "variants", reply);
          return;
        }
      if (g_str_equal (collection, "stock_levels"))
        {
          static const char * const level_filters[] = { "variant_id", NULL };
          g_autoptr(GPtrArray) levels = sandbox_stock_levels (self);

          sandbox_tg_reply_index (msg, params, levels, NULL, level_filters, NULL, "stock_levels", reply);
          return;
        }
      if (g_str_equal (collection, "companies"))
        {
          sandbox_tg_reply_index (msg, params, self->tg_companies, active_only, company_filters, NULL, "companies", reply);
          return;
        }
      if (g_str_equal (collection, "addresses"))
        {
          sandbox_tg_reply_index (msg, params, self->tg_addresses, active_only, address_filters, NULL, "addresses", reply);
          return;
        }
      /* Voided and deleted orders are soft-deleted: shown only when asked for by status. */
      if (g_str_equal (collection, "orders"))
        {
          sandbox_tg_reply_index (msg, params, self->tg_orders, live_orders, order_filters, NULL, "orders", reply);
          return;
        }
      if (g_str_equal (collection, "fulfillments"))
        {
          sandbox_tg_list_fulfillments (self, msg, params, reply);
          return;
        }
      if (g_str_equal (collection, "currencies"))
        {
          sandbox_tg_reply_index (msg, params, self->tg_currencies, active_only, NULL, NULL, "currencies", reply);
          return;
        }
      if (g_str_equal (collection, "locations"))
        {
          sandbox_tg_reply_index (msg, params, self->tg_locations, active_only, NULL, NULL, "locations", reply);
          return;
        }
      if (g_str_equal (collection, "tax_types"))
        {
          sandbox_tg_reply_index (msg, params, self->tg_tax_types, active_only, NULL, NULL, "tax_types", reply);
          return;
        }
    }

  if (n_parts == 2 && is_post)
    {
      if (g_str_equal (collection, "orders"))
        {
          sandbox_tg_post_order (self, msg, reply);
          return;
        }
      if (g_str_equal (collection, "companies"))
        {
          sandbox_tg_post_company (self, msg, reply);
          return;
        }
      if (g_str_equal (collection, "addresses"))
        {
          sandbox_tg_post_address (self, msg, reply);
          return;
        }
    }

  if (n_parts >= 3)
    {
      static const struct { const char *collection; const char *root; const char *resource; } singles[] = {
        { "variants", "variant", "Variant" },
        { "companies", "company", "Company" },
        { "addresses", "address", "Address" },
        { "orders", "order", "Order" },
        { "fulfillments", "fulfillment", "Fulfillment" },
      };
      SandboxIndex *tables[] = {
        &self->tg_variants_by_id, &self->tg_companies_by_id, &self->tg_addresses_by_id, &self->tg_orders_by_id,
        &self->tg_fulfillments_by_id,
      };
      char *end = NULL;
      gint64 id = g_ascii_strtoll (parts[2], &end, 10);

      for (guint i = 0; i < G_N_ELEMENTS (singles); i++)
        {
          JsonObject *record;

          if (!g_str_equal (collection, singles[i].collection))
            continue;

          record = (*parts[2] != '\0' && *end == '\0') ? sandbox_index_find_int (tables[i], id) : NULL;
          if (n_parts == 3 && is_get)
            {
              if (record == NULL)
                {
                  not_found (reply, singles[i].resource, parts[2]);
                  return;
                }
              if (g_str_equal (collection, "orders"))
                {
                  sandbox_tg_get_order (self, record, params, reply);
                  return;
                }
              sandbox_tg_reply_record (singles[i].root, record, 200, reply);
              return;
            }
          if (n_parts == 5 && is_post && g_str_equal (collection, "orders") && g_str_equal (parts[3], "actions"))
            {
              if (record == NULL)
                {
                  not_found (reply, singles[i].resource, parts[2]);
                  return;
                }
              sandbox_tg_order_action (self, msg, record, parts[4], reply);
              return;
            }
        }
    }

  sandbox_tradegecko_error (reply, 404, "Not Found", "The requested resource could not be found");
}

void
sandbox_tradegecko_handle (RelaySandbox      *self,
                           SoupServerMessage *msg,
                           const char        *path,
                           GPtrArray         *params,
                           SandboxReply      *reply)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  const char *key = soup_message_headers_get_one (request_headers, "Idempotency-Key");
  g_autofree char *request_id = g_uuid_string_random ();
  gboolean authorized;
  JsonObject *replay;

  soup_message_headers_replace (response_headers, "X-Request-ID", request_id);

  authorized = authorization != NULL && g_str_has_prefix (authorization, "Bearer ") &&
               g_hash_table_contains (self->tg_tokens, authorization + strlen ("Bearer ")) &&
               !g_hash_table_contains (self->revoked_keys, authorization + strlen ("Bearer "));

  /* The quota is per application and account: a request without a valid token is not counted. */
  if (!rate_limit_take (self, msg, authorized) && authorized)
    {
      sandbox_tradegecko_error (reply, 429, "Too Many Requests",
                                "Rate limit exceeded; retry after X-Rate-Limit-Reset");
      return;
    }

  if (!authorized)
    {
      sandbox_tradegecko_error (reply, 401, "Unauthorized", "The access token is invalid");
      return;
    }

  /* Idempotency-Key on POST (and PUT): a key seen within 24 h gets the same answer again and
   * nothing is created twice. Only successful creations are remembered, so a rejected request
   * can be corrected and sent with the same key (docs/sandbox.md, “Idempotency”). */
  replay = g_str_equal (soup_server_message_get_method (msg), "POST") ? idempotent_replay (self, key) : NULL;
  if (replay != NULL)
    {
      g_autoptr(JsonNode) body = json_from_string (json_object_get_string_member (replay, "body"), NULL);

      sandbox_reply_set (reply, json_object_get_int_member (replay, "status"), g_steal_pointer (&body));
      return;
    }

  route (self, msg, path, params, reply);

  if (key != NULL && *key != '\0' && g_str_equal (soup_server_message_get_method (msg), "POST") &&
      reply->status >= 200 && reply->status < 300 && reply->body != NULL)
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *text = json_to_string (reply->body, FALSE);

      json_object_set_int_member (entry, "created", g_get_real_time ());
      json_object_set_int_member (entry, "status", reply->status);
      json_object_set_string_member (entry, "body", text);
      g_hash_table_replace (self->tg_idempotency, g_strdup (key), entry);
    }
}
