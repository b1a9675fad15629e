/* relay-http.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-clock.h"
#include "relay-error.h"
#include "relay-http.h"
#include "relay-json.h"

#define USER_AGENT "OrderRelay/" PACKAGE_VERSION " (+https://github.com/orderrelay/order-relay)"

#define DEFAULT_MAX_ATTEMPTS   3
#define DEFAULT_BACKOFF_MS     500
#define DEFAULT_BACKOFF_MAX_MS 8000
#define DEFAULT_COOLDOWN_MS    (60 * 1000)
/* Squarespace allows 300 requests a minute. At most 295 in any 61 s (290 a minute, 97 %) keeps
 * every minute the server may count — fixed or sliding, starting on any whole second, with up
 * to a second of difference in when requests arrive — at or below 295. */
#define DEFAULT_BURST          295
#define DEFAULT_PER_MINUTE     290
/* A reset further away than this means the clocks disagree: never wait longer. */
#define MAX_SERVER_WAIT_US     (10 * 60 * G_USEC_PER_SEC)
/* X-Rate-Limit-Reset has whole seconds; a little margin avoids arriving just before it. */
#define RESET_MARGIN_US        (50 * 1000)
#define REQUEST_TIMEOUT_S      60
/* A request with no answer by then is given up on (and retried when that is
 * safe), whatever libsoup is doing: with one-minute polls a request was seen to
 * wait forever, likely queued on a connection just as its 60 s idle timeout closed it. */
#define REQUEST_WATCHDOG_S     (REQUEST_TIMEOUT_S + 15)
/* libsoup's default is 2: the engine's concurrent tracking posts (4) and a pull
 * then waited in libsoup's queue, already claimed, where a stop or a kill leaves
 * them to wait out the settle time before they may be sent again. */
#define MAX_CONNS_PER_HOST     6
/* Far above any page either API sends; a proxy or broken server sending more is cut off. */
#define DEFAULT_MAX_RESPONSE_SIZE (16 * 1024 * 1024)
#define READ_CHUNK_SIZE        (64 * 1024)
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

struct _RelayHttpResponse
{
  gatomicrefcount     ref_count;
  guint               status;
  JsonNode           *body;
  SoupMessageHeaders *headers;
  char               *request_id;
};

G_DEFINE_BOXED_TYPE (RelayHttpResponse, relay_http_response,
                     relay_http_response_ref, relay_http_response_unref)

struct _RelayHttp
{
  GObject             parent_instance;

  /* Owned */
  SoupSession        *session;
  char               *display_name;
  char               *base_url;
  char               *key;
  RelayClock         *clock;          /* every wait and pause below is timed by it */

  RelayHttpRateLimit  rate_limit;
  guint               max_attempts;
  guint               backoff_initial_ms;
  guint               backoff_max_ms;
  guint               cooldown_ms;
  gsize               max_response_size;

  /* Pacing: at most `burst` requests in any window of burst / per_minute minutes, from the
   * send times of the last `burst` requests (a ring, monotonic clock, 0 = never) */
  guint               burst;
  guint               per_minute;
  gint64             *sent_us;
  guint               sent_next;

  /* The whole API waits until then after a 429 or an exhausted quota (monotonic clock). */
  gint64              paused_until_us;

  /* What the server last said about its quota. */
  gboolean            server_quota_known;
  gint64              server_remaining;
  gint64              server_reset_us;

  /* The server's clock minus ours, from the last response's Date header. */
  gboolean            clock_offset_known;
  gint64              clock_offset_ms;

  guint               requests_sent;
  guint               waits;
  guint               retries;
};

G_DEFINE_FINAL_TYPE (RelayHttp, relay_http, G_TYPE_OBJECT)

typedef void (*RequestStep) (GTask *task);

typedef struct
{
  char        *method;
  char        *path;
  GBytes      *body;
  char        *idempotency_key;
  guint        attempt;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray  *received;
  GSource     *wait_source;
  GSource     *cancel_source;
  RequestStep  after_wait;
  /* While sent: the watchdog, and what cancels this attempt (the caller's
   * cancellable cancels it too) */
  GSource     *watchdog;
  GCancellable *attempt_cancellable;
  gulong       caller_cancelled_id;
  gboolean     timed_out;
  /* Sent and waiting for libsoup's answer to attempt number `sent_serial`; the
   * watchdog abandons a wait libsoup never ends (its late callback is then ignored). */
  gboolean     sending;
  guint        sent_serial;
} Request;

/* What libsoup calls back with: the attempt it answers, and a reference of its own. */
typedef struct
{
  GTask *task;
  guint  serial;
} SentAttempt;

static void request_schedule (GTask *task);
static void request_attempt_over (GTask *task);

static void
request_free (gpointer data)
{
  Request *request = data;

  g_assert (request->wait_source == NULL);
  g_assert (request->cancel_source == NULL);
  g_assert (request->watchdog == NULL);
  g_clear_object (&request->attempt_cancellable);

  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->idempotency_key);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->received, g_byte_array_unref);
  g_free (request);
}

static void
wipe_key (RelayHttp *self)
{
  if (self->key != NULL)
    {
      memset (self->key, 0, strlen (self->key));
      g_clear_pointer (&self->key, g_free);
    }
}

/* Response */

static RelayHttpResponse *
relay_http_response_new (guint               status,
                         JsonNode           *body,
                         SoupMessageHeaders *headers,
                         const char         *request_id)
{
  RelayHttpResponse *self = g_new0 (RelayHttpResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->status = status;
  self->body = body;
  self->headers = soup_message_headers_ref (headers);
  self->request_id = g_strdup (request_id);

  return self;
}

/**
 * relay_http_response_ref:
 * @self: a #RelayHttpResponse
 *
 * Returns: (transfer full): @self
 */
RelayHttpResponse *
relay_http_response_ref (RelayHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
relay_http_response_unref (RelayHttpResponse *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->body, json_node_unref);
      g_clear_pointer (&self->headers, soup_message_headers_unref);
      g_free (self->request_id);
      g_free (self);
    }
}

guint
relay_http_response_get_status (RelayHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->status;
}

/**
 * relay_http_response_get_body:
 * @self: a #RelayHttpResponse
 *
 * Returns: (transfer none) (nullable): the parsed JSON body, %NULL when the
 *   response had none (204)
 */
JsonNode *
relay_http_response_get_body (RelayHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->body;
}

/**
 * relay_http_response_get_object:
 * @self: a #RelayHttpResponse
 *
 * Returns: (transfer none) (nullable): the body when it is a JSON object
 */
JsonObject *
relay_http_response_get_object (RelayHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->body == NULL || !JSON_NODE_HOLDS_OBJECT (self->body))
    return NULL;

  return json_node_get_object (self->body);
}

/**
 * relay_http_response_get_header:
 * @self: a #RelayHttpResponse
 * @name: a header name, case-insensitive
 *
 * Returns: (transfer none) (nullable): the header's value
 */
const char *
relay_http_response_get_header (RelayHttpResponse *self,
                                const char        *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return soup_message_headers_get_one (self->headers, name);
}

/**
 * relay_http_response_get_request_id:
 * @self: a #RelayHttpResponse
 *
 * The id the service gave this request (`X-Request-ID`, or Squarespace's
 * `contextId`), to quote to its support.
 *
 * Returns: (transfer none) (nullable): the request id
 */
const char *
relay_http_response_get_request_id (RelayHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->request_id;
}

/* Redaction and URLs */

/**
 * relay_http_redact:
 * @text: (nullable): text about to be logged or shown
 * @secret: (nullable): a key that must not appear in it
 *
 * Replaces @secret and anything that follows "Bearer" with "[redacted]".
 * Every log line that could carry request data goes through this.
 *
 * Returns: (transfer full) (nullable): the redacted text
 */
char *
relay_http_redact (const char *text,
                   const char *secret)
{
  static GRegex *bearer_regex;
  g_autoptr(GString) string = NULL;

  if (text == NULL)
    return NULL;

  if (g_once_init_enter (&bearer_regex))
    {
      GRegex *regex = g_regex_new ("(bearer)\\s+(?!\\[redacted\\])[^\\s,;\"']+",
                                   G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&bearer_regex, regex);
    }

  string = g_string_new (text);
  if (secret != NULL && *secret != '\0')
    g_string_replace (string, secret, "[redacted]", 0);

  return g_regex_replace (bearer_regex, string->str, -1, 0, "\\1 [redacted]", 0, NULL);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * relay_http_url_is_allowed:
 * @url: an API base URL
 * @error: return location for a #GError
 *
 * Keys only travel over HTTPS; plain `http://` is allowed for loopback
 * addresses (127.0.0.0/8, ::1, localhost), where the sandbox runs.
 *
 * Returns: %TRUE if Order Relay may send a key to @url
 */
gboolean
relay_http_url_is_allowed (const char  *url,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                   _("“%s” is not a web address."), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri)))
    return TRUE;

  g_set_error (error, RELAY_ERROR, RELAY_ERROR_INSECURE_URL,
               _("“%s” is not a secure address. Order Relay sends keys only over https://."),
               url);
  return FALSE;
}

/**
 * relay_http_format_date:
 * @date_time: a time in any zone
 *
 * Formats @date_time as both APIs expect in queries and bodies: ISO 8601 in
 * UTC with milliseconds, e.g. `2026-03-01T09:30:00.000Z`.
 *
 * Returns: (transfer full): the formatted time
 */
char *
relay_http_format_date (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  utc = g_date_time_to_utc (date_time);
  seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

/* Rate limiting */

/* A sliding window rather than a token bucket: a bucket that can never overrun a minute
 * (burst + rate × minute ≤ limit) sustains only limit − burst a minute, while the window
 * allows the whole budget in any window, and never more. */
static gint64
token_bucket_delay_us (RelayHttp *self,
                       gint64     now)
{
  gint64 window_us = (gint64) self->burst * 60 * G_USEC_PER_SEC / self->per_minute;
  gint64 oldest = self->sent_us[self->sent_next];

  if (oldest != 0 && now - oldest < window_us)
    return oldest + window_us - now;

  self->sent_us[self->sent_next] = now;
  self->sent_next = (self->sent_next + 1) % self->burst;
  return 0;
}

static gint64
server_quota_delay_us (RelayHttp *self,
                       gint64     now)
{
  if (!self->server_quota_known)
    return 0;

  if (now >= self->server_reset_us)
    {
      /* A new window: the next response tells us where we stand. */
      self->server_quota_known = FALSE;
      return 0;
    }

  if (self->server_remaining <= 0)
    return self->server_reset_us - now;

  /* Count requests in flight against the quota before the server does. */
  self->server_remaining--;
  return 0;
}

/* How long the next request must wait; zero means send now (and it was counted). */
static gint64
rate_limit_delay_us (RelayHttp *self)
{
  gint64 now = relay_clock_get_monotonic (self->clock);

  if (self->paused_until_us > now)
    return self->paused_until_us - now;

  switch (self->rate_limit)
    {
    case RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET:
      return token_bucket_delay_us (self, now);

    case RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS:
      return server_quota_delay_us (self, now);

    case RELAY_HTTP_RATE_LIMIT_NONE:
    default:
      return 0;
    }
}

static gboolean
parse_int64 (const char *text,
             gint64     *value)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  return g_ascii_string_to_signed (copy, 10, 0, G_MAXINT64, value, NULL);
}

/* Epoch seconds on the server's clock to our monotonic clock, bounded. */
static gint64
epoch_to_monotonic (RelayHttp *self,
                    gint64     epoch_seconds)
{
  gint64 delta = epoch_seconds * G_USEC_PER_SEC - relay_clock_get_real (self->clock) + RESET_MARGIN_US;

  return relay_clock_get_monotonic (self->clock) + CLAMP (delta, 0, MAX_SERVER_WAIT_US);
}

static void
read_server_quota (RelayHttp          *self,
                   SoupMessageHeaders *headers)
{
  gint64 remaining, reset;

  if (parse_int64 (soup_message_headers_get_one (headers, "X-Rate-Limit-Remaining"), &remaining) &&
      parse_int64 (soup_message_headers_get_one (headers, "X-Rate-Limit-Reset"), &reset))
    {
      self->server_quota_known = TRUE;
      self->server_remaining = remaining;
      self->server_reset_us = epoch_to_monotonic (self, reset);
      g_debug ("%s quota: %" G_GINT64_FORMAT " requests left until %" G_GINT64_FORMAT,
               self->display_name, remaining, reset);
    }
}

static void
pause_after_429 (RelayHttp          *self,
                 SoupMessageHeaders *headers)
{
  gint64 now = relay_clock_get_monotonic (self->clock);
  gint64 seconds;
  gint64 until;

  if (parse_int64 (soup_message_headers_get_one (headers, "Retry-After"), &seconds))
    until = now + MIN (seconds * G_USEC_PER_SEC, MAX_SERVER_WAIT_US);
  else if (self->rate_limit == RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS &&
           parse_int64 (soup_message_headers_get_one (headers, "X-Rate-Limit-Reset"), &seconds) &&
           epoch_to_monotonic (self, seconds) > now + RESET_MARGIN_US)
    until = epoch_to_monotonic (self, seconds);
  else
    /* No usable hint (or a reset already past on our clock): the documented cool-down. */
    until = now + (gint64) self->cooldown_ms * 1000;

  self->paused_until_us = MAX (self->paused_until_us, until);
  g_debug ("%s rate limit reached: pausing for %" G_GINT64_FORMAT " ms",
           self->display_name, (self->paused_until_us - now) / 1000);
}

/* Waiting */

static void
request_stop_waiting (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
}

static gboolean
request_waited_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  request_stop_waiting (request);
  request->after_wait (task);

  return G_SOURCE_REMOVE;
}

static gboolean
request_wait_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  request_stop_waiting (request);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* Waits without blocking the main loop; the task's reference travels with the wait. */
static void
request_wait (GTask       *task,
              gint64       delay_us,
              RequestStep  after_wait)
{
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  request->after_wait = after_wait;

  request->wait_source = relay_clock_timeout_source_new (self->clock, delay_us);
  g_source_set_callback (request->wait_source, request_waited_cb, task, NULL);
  g_source_set_static_name (request->wait_source, "[relay-http] wait");
  g_source_attach (request->wait_source, context);

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source,
                             G_SOURCE_FUNC (request_wait_cancelled_cb), task, NULL);
      g_source_attach (request->cancel_source, context);
    }
}

/* Errors */

static gboolean
method_is_safe (const char *method)
{
  return g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
}

/* The server cannot have seen the request: it is safe to send a POST again. */
static gboolean
error_is_before_sending (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         error->domain == G_RESOLVER_ERROR;
}

/* Tolerant of servers that send null, numbers or objects where text is expected. */
static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static char *
describe_field_errors (JsonObject *errors)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = json_object_get_members (errors);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *node = json_object_get_member (errors, field);

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s ", field);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *messages = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (messages); i++)
            {
              JsonNode *element = json_array_get_element (messages, i);

              if (!JSON_NODE_HOLDS_VALUE (element) ||
                  json_node_get_value_type (element) != G_TYPE_STRING)
                continue;
              if (i > 0)
                g_string_append (text, ", ");
              g_string_append (text, json_node_get_string (element));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_string_append (text, json_node_get_string (node));
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What the service said was wrong, from either API's error body. */
static char *
describe_server_error (JsonNode *body)
{
  JsonObject *object;
  JsonNode *errors;
  const char *message;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  object = json_node_get_object (body);

  /* TradeGecko 422: {"errors": {"field": ["message", …]}} */
  errors = json_object_get_member (object, "errors");
  if (errors != NULL && JSON_NODE_HOLDS_OBJECT (errors))
    return describe_field_errors (json_node_get_object (errors));

  /* Squarespace {type, subtype, message, contextId}; TradeGecko {type, message} */
  message = object_get_string (object, "message");
  if (message != NULL && *message != '\0')
    return g_strdup (message);

  return g_strdup (object_get_string (object, "type"));
}

static GError *
error_for_status (RelayHttp  *self,
                  guint       status,
                  JsonNode   *body,
                  const char *request_id)
{
  g_autofree char *server_says = describe_server_error (body);
  g_autofree char *detail = relay_http_redact (server_says, self->key);
  g_autofree char *reference = NULL;
  const char *name = self->display_name;

  if (request_id != NULL)
    reference = g_strdup_printf (_(" (request id %s)"), request_id);
  else
    reference = g_strdup ("");

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new (RELAY_ERROR, RELAY_ERROR_UNAUTHORIZED,
                          _("The %s key was refused. Generate a new key in %s and connect again."),
                          name, name);

    case SOUP_STATUS_PAYMENT_REQUIRED:
      return g_error_new (RELAY_ERROR, RELAY_ERROR_SITE_EXPIRED,
                          _("The %s subscription has lapsed. Renew it, then sync again."), name);

    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (RELAY_ERROR, RELAY_ERROR_FORBIDDEN,
                          _("The %s key does not have permission for this. Generate a key with the permissions Order Relay needs and connect again."),
                          name);

    case SOUP_STATUS_CONFLICT:
      return g_error_new (RELAY_ERROR, RELAY_ERROR_CONFLICT,
                          _("%s is still working on an earlier request for this record%s. Order Relay checks again later."),
                          name, reference);

    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (RELAY_ERROR, RELAY_ERROR_NOT_FOUND,
                          _("%s has no such record%s."), name, reference);

    case STATUS_TOO_MANY_REQUESTS:
      return g_error_new (RELAY_ERROR, RELAY_ERROR_RATE_LIMITED,
                          _("%s is limiting how often Order Relay may call it. Syncing continues after a pause."),
                          name);

    default:
      break;
    }

  if (status >= 500)
    return g_error_new (RELAY_ERROR, RELAY_ERROR_SERVER,
                        _("%s had a problem (HTTP %u)%s. Order Relay will try again later."),
                        name, status, reference);

  if (status >= 400)
    {
      if (detail != NULL && *detail != '\0')
        return g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                            _("%s rejected the request: %s%s."), name, detail, reference);
      return g_error_new (RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                          _("%s rejected the request (HTTP %u)%s."), name, status, reference);
    }

  /* Redirects are not followed (a key must not travel to another address). */
  return g_error_new (RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                      _("%s answered with an unexpected HTTP status %u%s."), name, status, reference);
}

static GError *
error_for_transport (RelayHttp    *self,
                     const GError *error)
{
  g_autofree char *detail = relay_http_redact (error->message, self->key);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (RELAY_ERROR, RELAY_ERROR_NETWORK,
                        _("The secure connection to %s could not be verified (%s). Check the computer’s date and network."),
                        self->display_name, detail);

  return g_error_new (RELAY_ERROR, RELAY_ERROR_NETWORK,
                      _("Could not reach %s (%s). Check the internet connection; Order Relay will try again."),
                      self->display_name, detail);
}

/* Tracing */

static void
trace_header_cb (const char *name,
                 const char *value,
                 gpointer    user_data)
{
  GString *text = user_data;

  if (g_ascii_strcasecmp (name, "Authorization") == 0)
    g_string_append_printf (text, "\n  %s: [redacted]", name);
  else
    g_string_append_printf (text, "\n  %s: %s", name, value);
}

static void
trace_request (RelayHttp   *self,
               Request     *request,
               SoupMessage *message)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *redacted = NULL;

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      text = g_string_new (NULL);
      g_string_append_printf (text, "%s -> %s %s%s (attempt %u)",
                              self->display_name, request->method, self->base_url,
                              request->path, request->attempt);
      soup_message_headers_foreach (soup_message_get_request_headers (message),
                                    trace_header_cb, text);
      redacted = relay_http_redact (text->str, self->key);
      g_debug ("%s", redacted);
    }
}

/* Sending */

static void
request_retry_later (GTask  *task,
                     GError *reason)
{
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  guint shift = MIN (request->attempt - 1, 16u);
  gint64 delay_ms = MIN ((gint64) self->backoff_initial_ms << shift, (gint64) self->backoff_max_ms);
  gint64 jittered_ms = delay_ms / 2 + g_random_int_range (0, (gint32) (delay_ms / 2) + 1);

  self->retries++;
  g_debug ("%s %s %s: %s; retrying in %" G_GINT64_FORMAT " ms",
           self->display_name, request->method, request->path, reason->message, jittered_ms);
  request_wait (task, jittered_ms * 1000, request_schedule);
}

/* Takes ownership of @task and @error. */
static void
request_failed_in_transport (GTask  *task,
                             GError *error)
{
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  gboolean may_retry;

  request_attempt_over (task);
  if (request->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "No answer within %d s", REQUEST_WATCHDOG_S);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_debug ("%s %s %s failed: %s", self->display_name, request->method, request->path,
           error->message);

  /* A POST that may have reached the server is not sent again without an
   * idempotency key: the caller reconciles by reading first. */
  may_retry = method_is_safe (request->method) ||
              request->idempotency_key != NULL ||
              error_is_before_sending (error);
  if (may_retry && error->domain != G_TLS_ERROR && request->attempt < self->max_attempts)
    {
      request_retry_later (task, error);
      g_error_free (error);
      return;
    }

  g_task_return_error (task, error_for_transport (self, error));
  g_error_free (error);
  g_object_unref (task);
}

static void request_received (GTask  *task,
                              GBytes *bytes);

/* Takes ownership of @task. A body over the cap is an answer we will not read,
 * not a network failure: the request is not sent again in this cycle. An error
 * status keeps its meaning (a 429 still pauses, a 503 is still retried) without
 * its body. */
static void
request_too_large (GTask *task)
{
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  request_attempt_over (task);
  g_debug ("%s %s %s: the response is over %" G_GSIZE_FORMAT " bytes", self->display_name,
           request->method, request->path, self->max_response_size);
  g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->received, g_byte_array_unref);

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->message)))
    {
      request_received (task, NULL);
      return;
    }

  /* The cap is 16 MiB: its KiB fit an unsigned int, and xgettext sees the whole sentence. */
  g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("%s sent a response larger than %u KiB, more than Order Relay reads. "
                             "Order Relay will try again later."),
                           self->display_name, (guint) MIN (self->max_response_size / 1024, G_MAXUINT));
  g_object_unref (task);
}

static void
request_chunk_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      request_failed_in_transport (task, g_steal_pointer (&error));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&request->received));

      g_clear_object (&request->stream);
      request_received (task, bytes);
      return;
    }

  if (size > self->max_response_size - request->received->len)
    {
      request_too_large (task);
      return;
    }

  g_byte_array_append (request->received, g_bytes_get_data (chunk, NULL), size);
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->attempt_cancellable, request_chunk_read_cb, task);
}

/* Date has whole seconds and is truncated: the offset errs early by under a
 * second, which keeps windows computed from it on the safe side. */
static void
note_server_clock (RelayHttp          *self,
                   SoupMessageHeaders *headers)
{
  const char *date = soup_message_headers_get_one (headers, "Date");
  g_autoptr(GDateTime) server = date != NULL ? soup_date_time_new_from_http_string (date) : NULL;

  if (server == NULL)
    return;
  self->clock_offset_ms = g_date_time_to_unix (server) * 1000 - relay_clock_get_real (self->clock) / 1000;
  self->clock_offset_known = TRUE;
}

/* The body is read as a stream, so that no more than the cap is ever held. */
static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SentAttempt *attempt = user_data;
  GTask *task = attempt->task;
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  goffset announced;

  if (!request->sending || attempt->serial != request->sent_serial)
    {
      /* An attempt the watchdog gave up on answers after all: too late. */
      g_autoptr(GInputStream) late = soup_session_send_finish (SOUP_SESSION (source), result, NULL);

      if (late != NULL)
        g_input_stream_close_async (late, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_object_unref (attempt->task);
      g_free (attempt);
      return;
    }
  request->sending = FALSE;
  /* The attempt's own reference; the request's goes on. */
  g_object_unref (attempt->task);
  g_free (attempt);

  g_clear_object (&request->stream);
  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      request_failed_in_transport (task, error);
      return;
    }

  announced = soup_message_headers_get_content_length (soup_message_get_response_headers (request->message));
  if (announced > 0 && (guint64) announced > self->max_response_size)
    {
      request_too_large (task);
      return;
    }

  g_clear_pointer (&request->received, g_byte_array_unref);
  request->received = g_byte_array_new ();
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->attempt_cancellable, request_chunk_read_cb, task);
}

static void
request_received (GTask  *task_in,
                  GBytes *bytes)
{
  g_autoptr(GTask) task = task_in;
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;
  SoupMessageHeaders *headers;
  const char *request_id;
  guint status;

  request_attempt_over (task);
  status = soup_message_get_status (request->message);
  headers = soup_message_get_response_headers (request->message);
  note_server_clock (self, headers);

  if (self->rate_limit == RELAY_HTTP_RATE_LIMIT_SERVER_HEADERS)
    read_server_quota (self, headers);

  /* The status decides what the body means; only then is it parsed. */
  if (status != SOUP_STATUS_NO_CONTENT && bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(GError) parse_error = NULL;
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);

      body = relay_json_parse (data, size, &parse_error);
      if (body == NULL && SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_debug ("%s %s %s: unreadable JSON: %s", self->display_name, request->method,
                   request->path, parse_error->message);
          g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                                   _("%s sent a response Order Relay could not read. Order Relay will try again later."),
                                   self->display_name);
          return;
        }
    }

  request_id = soup_message_headers_get_one (headers, "X-Request-ID");
  if (request_id == NULL && body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    request_id = object_get_string (json_node_get_object (body), "contextId");

  g_debug ("%s <- %u for %s %s (request id %s)", self->display_name, status,
           request->method, request->path, request_id ? request_id : "none");

  if (status == STATUS_TOO_MANY_REQUESTS)
    {
      g_autoptr(GError) reason = error_for_status (self, status, body, request_id);

      pause_after_429 (self, headers);
      /* Nothing was done on a 429, so even a POST may go again, after the pause. */
      if (request->attempt < self->max_attempts)
        {
          self->retries++;
          request_schedule (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&reason));
      return;
    }

  if (status >= 500)
    {
      g_autoptr(GError) reason = error_for_status (self, status, body, request_id);

      if ((method_is_safe (request->method) || request->idempotency_key != NULL) &&
          request->attempt < self->max_attempts)
        {
          request_retry_later (g_steal_pointer (&task), reason);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&reason));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, error_for_status (self, status, body, request_id));
      return;
    }

  g_task_return_pointer (task,
                         relay_http_response_new (status, g_steal_pointer (&body), headers, request_id),
                         (GDestroyNotify) relay_http_response_unref);
}

static gboolean
request_watchdog_cb (gpointer user_data)
{
  GTask *task = user_data;
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  g_debug ("%s %s %s: no answer within %d s; giving up on this attempt", self->display_name,
           request->method, request->path, REQUEST_WATCHDOG_S);
  g_clear_pointer (&request->watchdog, g_source_unref);
  request->timed_out = TRUE;
  g_cancellable_cancel (request->attempt_cancellable);
  if (request->sending)
    {
      GCancellable *caller = g_task_get_cancellable (task);

      /* libsoup may never call back (the cancellation included): go on without it. */
      request->sending = FALSE;
      request_failed_in_transport (task, caller != NULL && g_cancellable_is_cancelled (caller)
                                           ? g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled")
                                           : g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "No answer within %d s",
                                                          REQUEST_WATCHDOG_S));
    }
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* One attempt's cancellable (the caller's cancels it) and its watchdog. */
static void
request_attempt_start (GTask *task)
{
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  g_clear_object (&request->attempt_cancellable);
  request->attempt_cancellable = g_cancellable_new ();
  request->timed_out = FALSE;
  if (caller != NULL)
    request->caller_cancelled_id = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled_cb),
                                                          g_object_ref (request->attempt_cancellable),
                                                          g_object_unref);
  /* On the clock of every other wait here: a test shows the 75 s on a manual clock. */
  request->watchdog = relay_clock_timeout_source_new (self->clock, (gint64) REQUEST_WATCHDOG_S * G_USEC_PER_SEC);
  g_source_set_callback (request->watchdog, request_watchdog_cb, task, NULL);
  g_source_set_static_name (request->watchdog, "[relay-http] watchdog");
  g_source_attach (request->watchdog, g_task_get_context (task));
}

static void
request_attempt_over (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->watchdog != NULL)
    {
      g_source_destroy (request->watchdog);
      g_clear_pointer (&request->watchdog, g_source_unref);
    }
  if (request->caller_cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), request->caller_cancelled_id);
  request->caller_cancelled_id = 0;
}

static void
request_send (GTask *task)
{
  RelayHttp *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, request->path, NULL);
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;
  SentAttempt *attempt;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  g_clear_object (&request->message);
  request->message = soup_message_new (request->method, url);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                               _("Order Relay built an invalid %s address."), self->display_name);
      g_object_unref (task);
      return;
    }

  /* Redirects would carry the key to another address. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
  authorization = g_strconcat ("Bearer ", self->key, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  memset (authorization, 0, strlen (authorization));
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", request->idempotency_key);
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json", request->body);

  request->attempt++;
  self->requests_sent++;
  trace_request (self, request, request->message);

  request_attempt_start (task);
  attempt = g_new0 (SentAttempt, 1);
  attempt->task = g_object_ref (task);
  attempt->serial = ++request->sent_serial;
  request->sending = TRUE;
  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->attempt_cancellable, request_sent_cb, attempt);
}

static void
request_schedule (GTask *task)
{
  RelayHttp *self = g_task_get_source_object (task);
  gint64 delay_us = rate_limit_delay_us (self);

  if (delay_us > 0)
    {
      Request *request = g_task_get_task_data (task);

      self->waits++;
      g_debug ("%s %s %s waits %" G_GINT64_FORMAT " ms for the rate limit",
               self->display_name, request->method, request->path, delay_us / 1000);
      request_wait (task, delay_us, request_schedule);
      return;
    }

  request_send (task);
}

/* GObject */

static void
relay_http_finalize (GObject *object)
{
  RelayHttp *self = (RelayHttp *) object;

  wipe_key (self);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->sent_us, g_free);

  G_OBJECT_CLASS (relay_http_parent_class)->finalize (object);
}

static void
relay_http_class_init (RelayHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_http_finalize;
}

static void
relay_http_init (RelayHttp *self)
{
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->max_response_size = DEFAULT_MAX_RESPONSE_SIZE;
  self->clock = g_object_ref (relay_clock_get_system ());
  self->backoff_initial_ms = DEFAULT_BACKOFF_MS;
  self->backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
  self->cooldown_ms = DEFAULT_COOLDOWN_MS;
  relay_http_set_pacing (self, DEFAULT_BURST, DEFAULT_PER_MINUTE);
}

/* Public API */

/**
 * relay_http_new:
 * @display_name: the service's name for messages ("Squarespace")
 * @base_url: the API root, e.g. `https://api.squarespace.com`
 * @rate_limit: how to pace requests
 * @error: return location for a #GError
 *
 * Creates the client of one API, with its own long-lived #SoupSession.
 * Plain `http://` is refused with %RELAY_ERROR_INSECURE_URL unless the host
 * is loopback; HTTPS certificates are always checked.
 *
 * Returns: (transfer full) (nullable): a new #RelayHttp
 */
RelayHttp *
relay_http_new (const char          *display_name,
                const char          *base_url,
                RelayHttpRateLimit   rate_limit,
                GError             **error)
{
  RelayHttp *self;
  gsize length;

  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!relay_http_url_is_allowed (base_url, error))
    return NULL;

  self = g_object_new (RELAY_TYPE_HTTP, NULL);
  self->display_name = g_strdup (display_name);
  self->base_url = g_strdup (base_url);
  length = strlen (self->base_url);
  while (length > 0 && self->base_url[length - 1] == '/')
    self->base_url[--length] = '\0';
  self->rate_limit = rate_limit;
  /* No idle timeout of our own: libsoup's default (60 s) raced the one-minute
   * poll, whose first request then waited on a connection being closed (the
   * watchdog's case). A connection the server closed is found out at reuse. */
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                 "timeout", REQUEST_TIMEOUT_S,
                                                 "idle-timeout", 0,
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                 NULL);

  return self;
}

const char *
relay_http_get_display_name (RelayHttp *self)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), NULL);

  return self->display_name;
}

const char *
relay_http_get_base_url (RelayHttp *self)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), NULL);

  return self->base_url;
}

/**
 * relay_http_set_key:
 * @self: a #RelayHttp
 * @key: (nullable): the API key, or %NULL to forget it
 *
 * Sets the bearer key. It is kept in memory only and never logged;
 * surrounding whitespace (from pasting) is dropped.
 */
void
relay_http_set_key (RelayHttp  *self,
                    const char *key)
{
  g_return_if_fail (RELAY_IS_HTTP (self));

  wipe_key (self);
  if (key == NULL)
    return;

  self->key = g_strstrip (g_strdup (key));
  for (const char *p = self->key; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_warning ("%s key contains control characters; ignoring it", self->display_name);
          wipe_key (self);
          return;
        }
    }
  if (*self->key == '\0')
    wipe_key (self);
}

gboolean
relay_http_has_key (RelayHttp *self)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), FALSE);

  return self->key != NULL;
}

/**
 * relay_http_set_max_attempts:
 * @self: a #RelayHttp
 * @max_attempts: how many times a request is sent at most (1 = no retries)
 */
void
relay_http_set_max_attempts (RelayHttp *self,
                             guint      max_attempts)
{
  g_return_if_fail (RELAY_IS_HTTP (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
}

/**
 * relay_http_set_max_response_size:
 * @self: a #RelayHttp
 * @max_bytes: the largest response body read (default 16 MiB); more is an error
 */
void
relay_http_set_max_response_size (RelayHttp *self,
                                  gsize      max_bytes)
{
  g_return_if_fail (RELAY_IS_HTTP (self));
  g_return_if_fail (max_bytes >= 1);

  self->max_response_size = max_bytes;
}

/**
 * relay_http_set_backoff:
 * @self: a #RelayHttp
 * @initial_ms: the delay before the first retry (doubled each time, with jitter)
 * @max_ms: the longest delay between retries
 */
void
relay_http_set_backoff (RelayHttp *self,
                        guint      initial_ms,
                        guint      max_ms)
{
  g_return_if_fail (RELAY_IS_HTTP (self));
  g_return_if_fail (initial_ms >= 1 && initial_ms <= max_ms && max_ms <= G_MAXINT32);

  self->backoff_initial_ms = initial_ms;
  self->backoff_max_ms = max_ms;
}

/**
 * relay_http_set_clock:
 * @self: a #RelayHttp
 * @clock: what pacing, backoff, rate-limit pauses and the watchdog of a
 *   request left unanswered are timed by (the system's by default; a test's
 *   manual clock)
 */
void
relay_http_set_clock (RelayHttp  *self,
                      RelayClock *clock)
{
  g_return_if_fail (RELAY_IS_HTTP (self));
  g_return_if_fail (RELAY_IS_CLOCK (clock));

  g_set_object (&self->clock, clock);
}

/**
 * relay_http_set_cooldown:
 * @self: a #RelayHttp
 * @cooldown_ms: how long the API pauses after a 429 that names no time (default 60 s)
 */
void
relay_http_set_cooldown (RelayHttp *self,
                         guint      cooldown_ms)
{
  g_return_if_fail (RELAY_IS_HTTP (self));

  self->cooldown_ms = cooldown_ms;
}

/**
 * relay_http_set_pacing:
 * @self: a #RelayHttp
 * @burst: how many requests may go at once after a quiet spell
 * @per_minute: the sustained rate
 *
 * Tunes %RELAY_HTTP_RATE_LIMIT_TOKEN_BUCKET: at most @burst requests go in any window of
 * @burst / @per_minute minutes. The window starts empty.
 */
void
relay_http_set_pacing (RelayHttp *self,
                       guint      burst,
                       guint      per_minute)
{
  g_return_if_fail (RELAY_IS_HTTP (self));
  g_return_if_fail (burst >= 1 && per_minute >= 1);

  self->burst = burst;
  self->per_minute = per_minute;
  g_free (self->sent_us);
  self->sent_us = g_new0 (gint64, burst);
  self->sent_next = 0;
}

/**
 * relay_http_get_pacing:
 * @self: a #RelayHttp
 * @burst: (out): the requests allowed in one window
 * @per_minute: (out): the sustained rate
 *
 * What relay_http_set_pacing() last set (or the defaults).
 */
void
relay_http_get_pacing (RelayHttp *self,
                       guint     *burst,
                       guint     *per_minute)
{
  g_return_if_fail (RELAY_IS_HTTP (self));

  *burst = self->burst;
  *per_minute = self->per_minute;
}

/**
 * relay_http_get_requests_sent:
 * @self: a #RelayHttp
 *
 * Returns: how many HTTP requests went out, retries included
 */
guint
relay_http_get_requests_sent (RelayHttp *self)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), 0);

  return self->requests_sent;
}

/**
 * relay_http_get_waits:
 * @self: a #RelayHttp
 *
 * Returns: how many times a request waited for the rate limit
 */
guint
relay_http_get_waits (RelayHttp *self)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), 0);

  return self->waits;
}

/**
 * relay_http_get_retries:
 * @self: a #RelayHttp
 *
 * Returns: how many requests were sent again after a failure
 */
guint
relay_http_get_retries (RelayHttp *self)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), 0);

  return self->retries;
}

/**
 * relay_http_get_clock_offset:
 * @self: a #RelayHttp
 * @offset_ms: (out): the server's clock minus this computer's, in milliseconds
 *
 * What the service's clock said (its `Date` header) on the last response.
 *
 * Returns: %TRUE once a response carried a readable `Date`
 */
gboolean
relay_http_get_clock_offset (RelayHttp *self,
                             gint64    *offset_ms)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), FALSE);
  g_return_val_if_fail (offset_ms != NULL, FALSE);

  *offset_ms = self->clock_offset_ms;
  return self->clock_offset_known;
}

/**
 * relay_http_request_async:
 * @self: a #RelayHttp
 * @method: "GET", "POST", …
 * @path_and_query: the path below the base URL, starting with "/", query encoded
 * @body: (nullable): a JSON body to send
 * @idempotency_key: (nullable): sent as `Idempotency-Key`; allows retrying a POST
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the request is done
 * @user_data: data for @callback
 *
 * Sends one API request, paced by the rate limit, retried with backoff on
 * failures that allow it (GET on 5xx, network errors and 429; POST only
 * when the server cannot have acted or with an idempotency key).
 */
void
relay_http_request_async (RelayHttp           *self,
                          const char          *method,
                          const char          *path_and_query,
                          JsonNode            *body,
                          const char          *idempotency_key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (RELAY_IS_HTTP (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_http_request_async);

  if (self->key == NULL)
    {
      g_task_return_new_error (task, RELAY_ERROR, RELAY_ERROR_NOT_CONNECTED,
                               _("No %s key is stored. Connect %s again."),
                               self->display_name, self->display_name);
      return;
    }

  request = g_new0 (Request, 1);
  request->method = g_ascii_strup (method, -1);
  request->path = g_strdup (path_and_query);
  request->idempotency_key = g_strdup (idempotency_key);
  if (body != NULL)
    {
      gsize length = 0;
      char *json = relay_json_to_string (body);

      length = strlen (json);
      request->body = g_bytes_new_take (json, length);
    }
  g_task_set_task_data (task, request, request_free);

  request_schedule (g_steal_pointer (&task));
}

/**
 * relay_http_request_finish:
 * @self: a #RelayHttp
 * @result: the result passed to the callback
 * @error: return location for a #GError in %RELAY_ERROR (or %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): the response of a successful (2xx) request
 */
RelayHttpResponse *
relay_http_request_finish (RelayHttp     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (RELAY_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_http_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
