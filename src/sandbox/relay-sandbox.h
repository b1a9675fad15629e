/* relay-sandbox.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Well-known credentials every sandbox accepts (scenarios may add more). */
#define RELAY_SANDBOX_SQUARESPACE_KEY          "sandbox-squarespace-key"
#define RELAY_SANDBOX_SQUARESPACE_READONLY_KEY "sandbox-squarespace-readonly"
#define RELAY_SANDBOX_TRADEGECKO_TOKEN         "sandbox-tradegecko-token"
/* Orders read and write, Inventory read only: a key made before stock sync was wanted. */
#define RELAY_SANDBOX_SQUARESPACE_NO_INVENTORY_KEY "sandbox-squarespace-no-inventory"
/* Orders and Inventory read and write, no Products permission (the SKU check is refused). */
#define RELAY_SANDBOX_SQUARESPACE_NO_PRODUCTS_KEY "sandbox-squarespace-no-products"

#define RELAY_SANDBOX_ERROR (relay_sandbox_error_quark ())

typedef enum
{
  RELAY_SANDBOX_ERROR_INVALID,    /* a scenario, order, shipment or fault description is malformed */
  RELAY_SANDBOX_ERROR_NOT_FOUND,  /* no such order */
  RELAY_SANDBOX_ERROR_LISTEN,     /* a port could not be bound */
} RelaySandboxError;

typedef enum
{
  RELAY_SANDBOX_API_SQUARESPACE,
  RELAY_SANDBOX_API_TRADEGECKO,
} RelaySandboxApi;

/**
 * RelaySandboxFault:
 * @RELAY_SANDBOX_FAULT_STATUS: answer with the HTTP status given as parameter (500, 502, 503,
 *   429 …) and the API's documented error body; nothing is changed
 * @RELAY_SANDBOX_FAULT_DROP_BEFORE: close the connection without answering; nothing is changed
 * @RELAY_SANDBOX_FAULT_DROP_AFTER: handle the request (a write really happens), then close the
 *   connection instead of answering
 * @RELAY_SANDBOX_FAULT_DELAY: wait the parameter in milliseconds, then handle the request normally
 * @RELAY_SANDBOX_FAULT_TRUNCATED: handle the request, then send only the first half of the body
 *   (with a matching Content-Length, so the HTTP is valid but the JSON is not)
 * @RELAY_SANDBOX_FAULT_NOT_JSON: answer 200 with an HTML page (like a captive portal or proxy);
 *   nothing is changed
 * @RELAY_SANDBOX_FAULT_HANG_BEFORE: hold the request and never answer it; nothing is changed. The
 *   connection stays open until the client closes it or the sandbox stops
 *   (relay_sandbox_get_held_count() counts what is held)
 * @RELAY_SANDBOX_FAULT_HANG_AFTER: handle the request (a write really happens), then hold it
 *   without ever answering, as %RELAY_SANDBOX_FAULT_HANG_BEFORE does
 */
typedef enum
{
  RELAY_SANDBOX_FAULT_STATUS,
  RELAY_SANDBOX_FAULT_DROP_BEFORE,
  RELAY_SANDBOX_FAULT_DROP_AFTER,
  RELAY_SANDBOX_FAULT_DELAY,
  RELAY_SANDBOX_FAULT_TRUNCATED,
  RELAY_SANDBOX_FAULT_NOT_JSON,
  RELAY_SANDBOX_FAULT_HANG_BEFORE,
  RELAY_SANDBOX_FAULT_HANG_AFTER,
} RelaySandboxFault;

#define RELAY_TYPE_SANDBOX (relay_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (RelaySandbox, relay_sandbox, RELAY, SANDBOX, GObject)

/*
 * Threading: the three servers (Squarespace, TradeGecko, control) run in a thread of their own
 * with its own GMainContext, so they keep answering while the caller blocks (for example in
 * g_subprocess_wait() or a synchronous SoupSession call). Every function below may be called from
 * any thread once relay_sandbox_start() returned; the state is guarded by one mutex. JSON returned
 * by _dup_ functions is a deep copy the caller owns.
 *
 * Scenario JSON (every member optional; a load replaces the whole state):
 *   { "squarespace": { "website": {…}, "keys": [{"key": "…", "permission": "read-write"|"read-only"}],
 *                      "orders": [ partial Order objects ], "inventory": [ InventoryItem ],
 *                      "expired": false },
 *     "tradegecko":  { "tokens": ["…"], "account": {…}, "user": {…}, "currencies": [ … ],
 *                      "locations": [ … ], "variants": [ partial Variant objects ],
 *                      "companies": [ … ], "addresses": [ … ] } }
 * Missing order and variant members get documented defaults (ids, totals, nulls). Without an
 * "inventory" list, Squarespace inventory mirrors the TradeGecko variants that have a SKU.
 * The well-known keys above are always present.
 */

GQuark        relay_sandbox_error_quark             (void);

RelaySandbox *relay_sandbox_new                     (void);
void          relay_sandbox_set_ports               (RelaySandbox      *self,
                                                     guint              squarespace_port,
                                                     guint              tradegecko_port,
                                                     guint              control_port);
gboolean      relay_sandbox_start                   (RelaySandbox      *self,
                                                     GError           **error);
void          relay_sandbox_stop                    (RelaySandbox      *self);
const char   *relay_sandbox_get_squarespace_url     (RelaySandbox      *self);
const char   *relay_sandbox_get_tradegecko_url      (RelaySandbox      *self);
const char   *relay_sandbox_get_control_url         (RelaySandbox      *self);

gboolean      relay_sandbox_load_scenario           (RelaySandbox      *self,
                                                     JsonNode          *scenario,
                                                     GError           **error);
void          relay_sandbox_load_demo               (RelaySandbox      *self);
void          relay_sandbox_set_new_order_interval  (RelaySandbox      *self,
                                                     guint              seconds);
void          relay_sandbox_set_auto_ship_delay     (RelaySandbox      *self,
                                                     guint              seconds);

char         *relay_sandbox_add_squarespace_order   (RelaySandbox      *self,
                                                     JsonObject        *order,
                                                     GError           **error);
gboolean      relay_sandbox_cancel_squarespace_order (RelaySandbox     *self,
                                                     const char        *order_id,
                                                     GError           **error);
gboolean      relay_sandbox_edit_squarespace_order  (RelaySandbox      *self,
                                                     const char        *order_id,
                                                     JsonObject        *changes,
                                                     GError           **error);
gint64        relay_sandbox_ship_tradegecko_order   (RelaySandbox      *self,
                                                     gint64             order_id,
                                                     JsonObject        *shipment,
                                                     GError           **error);

void          relay_sandbox_set_rate_limit          (RelaySandbox      *self,
                                                     RelaySandboxApi    api,
                                                     guint              limit,
                                                     guint              window_seconds,
                                                     guint              cooldown_seconds);
void          relay_sandbox_set_site_expired        (RelaySandbox      *self,
                                                     gboolean           expired);
void          relay_sandbox_set_visibility_lag      (RelaySandbox      *self,
                                                     guint              seconds);
void          relay_sandbox_revoke_key              (RelaySandbox      *self,
                                                     const char        *key);
void          relay_sandbox_restore_key             (RelaySandbox      *self,
                                                     const char        *key);
void          relay_sandbox_add_fault               (RelaySandbox      *self,
                                                     RelaySandboxApi    api,
                                                     const char        *method,
                                                     const char        *path_prefix,
                                                     RelaySandboxFault  fault,
                                                     guint              parameter,
                                                     guint              count);
void          relay_sandbox_clear_faults            (RelaySandbox      *self);
guint         relay_sandbox_get_held_count          (RelaySandbox      *self);

JsonNode     *relay_sandbox_dup_state               (RelaySandbox      *self);
JsonNode     *relay_sandbox_dup_request_log         (RelaySandbox      *self);
guint         relay_sandbox_get_request_count       (RelaySandbox      *self,
                                                     RelaySandboxApi    api);
void          relay_sandbox_clear_request_log       (RelaySandbox      *self);
gboolean      relay_sandbox_set_tradegecko_keep_selling (RelaySandbox  *self,
                                                     gint64         variant_id,
                                                     gboolean       keep_selling,
                                                     GError       **error);
gboolean      relay_sandbox_set_tradegecko_stock    (RelaySandbox      *self,
                                                     gint64             variant_id,
                                                     gint64             location_id,
                                                     gint64             on_hand,
                                                     GError           **error);
JsonNode     *relay_sandbox_dup_adjustment_counts   (RelaySandbox      *self);

G_END_DECLS
