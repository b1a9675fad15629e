/* relay-http.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "relay-clock.h"

G_BEGIN_DECLS

/**
 * RelayHttpRateLimit:
 * @RELAY_HTTP_RATE_LIMIT_NONE: no client-side pacing (429 still pauses for the cool-down)
 * @RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET: Squarespace: pace requests (a sliding window) to stay
 *   under the service's per-minute quota; on 429 pause for `Retry-After` or the cool-down
 * @RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS: TradeGecko: follow `X-Rate-Limit-Remaining` and
 *   `X-Rate-Limit-Reset`; when nothing remains, or on 429, wait until the reset
 *
 * How a #RelayHttp keeps its API within the service's rate limit.
 */
typedef enum
{
  RELAY_HTTP_RATE_LIMIT_NONE,
  RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET,
  RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS,
} RelayHttpRateLimit;

#define RELAY_TYPE_HTTP_RESPONSE (relay_http_response_get_type ())

typedef struct _RelayHttpResponse RelayHttpResponse;

GType              relay_http_response_get_type       (void) G_GNUC_CONST;
RelayHttpResponse *relay_http_response_ref            (RelayHttpResponse *self);
void               relay_http_response_unref          (RelayHttpResponse *self);
guint              relay_http_response_get_status     (RelayHttpResponse *self);
JsonNode          *relay_http_response_get_body       (RelayHttpResponse *self);
JsonObject        *relay_http_response_get_object     (RelayHttpResponse *self);
const char        *relay_http_response_get_header     (RelayHttpResponse *self,
                                                       const char        *name);
const char        *relay_http_response_get_request_id (RelayHttpResponse *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayHttpResponse, relay_http_response_unref)

#define RELAY_TYPE_HTTP (relay_http_get_type ())

G_DECLARE_FINAL_TYPE (RelayHttp, relay_http, RELAY, HTTP, GObject)

RelayHttp         *relay_http_new                     (const char          *display_name,
                                                       const char          *base_url,
                                                       RelayHttpRateLimit   rate_limit,
                                                       GError             **error);
const char        *relay_http_get_display_name        (RelayHttp           *self);
const char        *relay_http_get_base_url            (RelayHttp           *self);
void               relay_http_set_key                 (RelayHttp           *self,
                                                       const char          *key);
gboolean           relay_http_has_key                 (RelayHttp           *self);

void               relay_http_set_max_attempts        (RelayHttp           *self,
                                                       guint                max_attempts);
void               relay_http_set_max_response_size   (RelayHttp           *self,
                                                       gsize                max_bytes);
void               relay_http_set_backoff             (RelayHttp           *self,
                                                       guint                initial_ms,
                                                       guint                max_ms);
void               relay_http_set_clock               (RelayHttp           *self,
                                                       RelayClock          *clock);
void               relay_http_set_cooldown            (RelayHttp           *self,
                                                       guint                cooldown_ms);
void               relay_http_set_pacing              (RelayHttp           *self,
                                                       guint                burst,
                                                       guint                per_minute);
void               relay_http_get_pacing              (RelayHttp           *self,
                                                       guint               *burst,
                                                       guint               *per_minute);

gboolean           relay_http_get_clock_offset        (RelayHttp           *self,
                                                       gint64              *offset_ms);
guint              relay_http_get_requests_sent       (RelayHttp           *self);
guint              relay_http_get_waits               (RelayHttp           *self);
guint              relay_http_get_retries             (RelayHttp           *self);

void               relay_http_request_async           (RelayHttp           *self,
                                                       const char          *method,
                                                       const char          *path_and_query,
                                                       JsonNode            *body,
                                                       const char          *idempotency_key,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
RelayHttpResponse *relay_http_request_finish          (RelayHttp           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

char              *relay_http_redact                  (const char          *text,
                                                       const char          *secret);
gboolean           relay_http_url_is_allowed          (const char          *url,
                                                       GError             **error);
char              *relay_http_format_date             (GDateTime           *date_time);

G_END_DECLS
