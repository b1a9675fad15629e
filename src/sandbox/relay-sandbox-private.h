/* relay-sandbox-private.h — state shared by the sandbox's API handlers
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-sandbox.h"

G_BEGIN_DECLS

typedef struct
{
  guint  limit;
  guint  window_seconds;
  guint  cooldown_seconds;   /* Squarespace only: how long 429s last once over the limit */
  gint64 window_start;       /* seconds since the epoch */
  guint  count;
  gint64 cooldown_until;     /* seconds since the epoch; 0 when not cooling down */
} SandboxRateLimit;

/* What an API handler answers; the dispatcher writes it (or a fault replaces it). */
typedef struct
{
  guint     status;
  JsonNode *body;            /* NULL for an empty body */
} SandboxReply;

/* A hashed lookup of the rows of one table by one member. Tables only grow by appending, and
 * the members indexed never change once a row is in, so the index catches up with the new tail
 * on each lookup; it holds a reference on the table it indexed, so a table replaced by a reset
 * (a new array) is noticed and indexed afresh. */
typedef struct
{
  GPtrArray  **table;        /* the field holding the table */
  const char  *member;       /* an int or string member */
  GPtrArray   *seen;         /* owned ref: the table indexed so far */
  guint        indexed;      /* rows of @seen in @rows */
  GHashTable  *rows;         /* member text → GPtrArray of JsonObject (borrowed), in table order */
} SandboxIndex;

/* One query parameter in the order it was sent: repeated and `name[]` keys are kept. */
typedef struct
{
  char *name;
  char *value;
} SandboxParam;

struct _RelaySandbox
{
  GObject           parent_instance;

  /* Owned; everything below `mutex` is guarded by it */
  GMutex            mutex;
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  GCond             started_cond;
  gboolean          started;
  GError           *start_error;
  SoupServer       *squarespace_server;
  SoupServer       *tradegecko_server;
  SoupServer       *control_server;
  guint             requested_ports[3];
  char             *squarespace_url;
  char             *tradegecko_url;
  char             *control_url;
  GRand            *rand;

  /* Squarespace */
  JsonObject       *sq_website;
  GHashTable       *sq_keys;             /* key → "read-write" | "read-only" */
  GPtrArray        *sq_orders;           /* JsonObject, full Order objects */
  GPtrArray        *sq_inventory;        /* JsonObject, InventoryItem */
  GHashTable       *sq_cursors;          /* cursor → JsonObject describing the position */
  gboolean          sq_expired;
  gint64            sq_last_modified_ms;
  gint64            sq_visibility_lag_ms; /* changes are stamped this long before they show */
  GHashTable       *sq_in_progress;      /* fulfillment paths whose (delayed) POST is under way */
  guint             sq_next_order_number;
  SandboxRateLimit  sq_rate;
  SandboxIndex      sq_orders_by_id;

  /* TradeGecko */
  GHashTable       *tg_tokens;           /* token → itself */
  JsonObject       *tg_account;
  JsonObject       *tg_user;
  GPtrArray        *tg_currencies;
  GPtrArray        *tg_tax_types;
  GPtrArray        *tg_locations;
  GPtrArray        *tg_variants;
  GPtrArray        *tg_companies;
  GPtrArray        *tg_addresses;
  GPtrArray        *tg_orders;
  GPtrArray        *tg_order_line_items;
  GPtrArray        *tg_fulfillments;
  GPtrArray        *tg_fulfillment_line_items;
  GHashTable       *tg_idempotency;      /* key → JsonObject {created, status, body} */
  gint64            tg_next_id;
  guint             tg_next_order_number;
  SandboxRateLimit  tg_rate;
  SandboxIndex      tg_variants_by_id;
  SandboxIndex      tg_companies_by_id;
  SandboxIndex      tg_addresses_by_id;
  SandboxIndex      tg_addresses_by_company;
  SandboxIndex      tg_orders_by_id;
  SandboxIndex      tg_orders_by_number;
  SandboxIndex      tg_lines_by_order;
  SandboxIndex      tg_fulfillments_by_id;
  SandboxIndex      tg_fulfillments_by_order;
  SandboxIndex      tg_fulfillment_lines_by_line;
  SandboxIndex      tg_fulfillment_lines_by_fulfillment;

  /* Stock (relay-sandbox-stock.c) */
  GHashTable       *sq_inventory_scopes; /* key → "read-write" | "read-only" | "none" */
  GHashTable       *sq_adjustment_keys;  /* Idempotency-Key → the body it succeeded with */
  guint             sq_adjustments_applied;
  guint             sq_adjustments_replayed;
  guint             sq_operations_applied;
  /* Products (relay-sandbox-products.c) */
  GHashTable       *sq_products_scopes;  /* key → "read-write" | "read-only" | "none" */
  GHashTable       *sq_prices;           /* variantId → base price, a decimal text */
  GHashTable       *sq_product_types;    /* variantId → its product's type, when not PHYSICAL */
  GHashTable       *sq_product_modified; /* variantId → its product's modifiedOn (gint64 ms) */

  /* Keys of either API revoked through relay_sandbox_revoke_key() */
  GHashTable       *revoked_keys;        /* key → itself */

  /* Faults, log, demo */
  GPtrArray        *faults;
  GPtrArray        *held;                /* what a hang fault never answers */
  GPtrArray        *request_log;         /* JsonObject */
  guint             request_counts[2];
  guint             new_order_interval;
  guint             auto_ship_delay;
  GSource          *new_order_source;
  GSource          *auto_ship_source;
};

/* relay-sandbox-util.c */
GPtrArray   *sandbox_params_parse          (const char   *raw_query);
const char  *sandbox_params_get            (GPtrArray    *params,
                                            const char   *name);
GPtrArray   *sandbox_params_get_all        (GPtrArray    *params,
                                            const char   *name);
gboolean     sandbox_params_has            (GPtrArray    *params,
                                            const char   *name);
char        *sandbox_format_iso8601_ms     (gint64        unix_ms);
char        *sandbox_format_date           (gint64        unix_ms);
gboolean     sandbox_parse_iso8601         (const char   *text,
                                            gint64       *unix_ms);
gint64       sandbox_now_ms                (void);
gint64       sandbox_squarespace_stamp     (RelaySandbox *self,
                                            gint64        previous);
guint        sandbox_currency_exponent     (const char   *currency);
char        *sandbox_money_format          (gint64        minor,
                                            const char   *currency);
gboolean     sandbox_money_parse           (const char   *value,
                                            const char   *currency,
                                            gint64       *minor);
JsonObject  *sandbox_money_new             (gint64        minor,
                                            const char   *currency);
gboolean     sandbox_decimal_parse         (JsonNode     *node,
                                            gint64       *e4);
char        *sandbox_decimal_format        (gint64        e4);
char        *sandbox_random_hex            (RelaySandbox *self,
                                            guint         length);
JsonNode    *sandbox_deep_copy             (JsonNode     *node);
JsonObject  *sandbox_object_copy           (JsonObject   *object);
char        *sandbox_member_text           (JsonObject   *object,
                                            const char   *member);
JsonObject  *sandbox_find_by_int_id        (GPtrArray    *objects,
                                            gint64        id);
JsonObject  *sandbox_find_by_string_member (GPtrArray    *objects,
                                            const char   *member,
                                            const char   *value);
void         sandbox_index_init            (SandboxIndex *index,
                                            GPtrArray   **table,
                                            const char   *member);
void         sandbox_index_clear           (SandboxIndex *index);
GPtrArray   *sandbox_index_lookup          (SandboxIndex *index,
                                            const char   *key);
GPtrArray   *sandbox_index_lookup_int      (SandboxIndex *index,
                                            gint64        key);
JsonObject  *sandbox_index_find            (SandboxIndex *index,
                                            const char   *key);
JsonObject  *sandbox_index_find_int        (SandboxIndex *index,
                                            gint64        key);
gboolean     sandbox_get_int_member        (JsonObject   *object,
                                            const char   *name,
                                            gint64       *value);
const char  *sandbox_get_string_member     (JsonObject   *object,
                                            const char   *name);
void         sandbox_reply_set             (SandboxReply *reply,
                                            guint         status,
                                            JsonNode     *body);
JsonNode    *sandbox_node_from_object      (JsonObject   *object);
JsonNode    *sandbox_node_from_array       (JsonArray    *array);
JsonNode    *sandbox_node_take_object      (JsonObject   *object);
JsonNode    *sandbox_node_take_array       (JsonArray    *array);
JsonArray   *sandbox_array_of              (GPtrArray    *objects);

/* relay-sandbox-requests.c (the API servers' handlers) and relay-sandbox-control.c */
void         sandbox_fault_rule_free       (gpointer      data);
GPtrArray   *sandbox_held_array_new        (void);
void         sandbox_release_held          (RelaySandbox      *self);
void         sandbox_serve_squarespace_cb  (SoupServer        *server,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            GHashTable        *query,
                                            gpointer           user_data);
void         sandbox_serve_tradegecko_cb   (SoupServer        *server,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            GHashTable        *query,
                                            gpointer           user_data);
void         sandbox_serve_control_cb      (SoupServer        *server,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            GHashTable        *query,
                                            gpointer           user_data);

/* Sets a RELAY_SANDBOX_ERROR_INVALID error (a scenario or a control request the sandbox cannot
 * take) and returns FALSE, so a check can `return invalid (error, …)`. */
static inline gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static inline gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID, message);
  return FALSE;
}

/* relay-sandbox-squarespace-state.c */
extern const char * const sandbox_squarespace_fulfillment_statuses[];
gboolean     sandbox_squarespace_is_hex_id (const char   *id);

/* relay-sandbox-squarespace.c and -state.c */
void         sandbox_squarespace_reset     (RelaySandbox *self);
gboolean     sandbox_squarespace_load      (RelaySandbox *self,
                                            JsonObject   *scenario,
                                            JsonObject   *tradegecko,
                                            GError      **error);
JsonObject  *sandbox_squarespace_complete_order (RelaySandbox *self,
                                            JsonObject   *partial,
                                            GError      **error);
JsonObject  *sandbox_squarespace_find_order (RelaySandbox *self,
                                            const char   *id);
void         sandbox_squarespace_touch     (RelaySandbox *self,
                                            JsonObject   *order);
void         sandbox_squarespace_handle    (RelaySandbox      *self,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            GPtrArray         *params,
                                            SandboxReply      *reply);
void         sandbox_squarespace_error     (RelaySandbox *self,
                                            SandboxReply *reply,
                                            guint         status,
                                            const char   *type,
                                            const char   *subtype,
                                            const char   *message);
gboolean     sandbox_squarespace_parse_window (RelaySandbox *self,
                                            GPtrArray    *params,
                                            SandboxReply *reply,
                                            gboolean     *has_range,
                                            gint64       *after,
                                            gint64       *before);

/* relay-sandbox-tradegecko*.c (their own shared parts: relay-sandbox-tradegecko-private.h) */
void         sandbox_tradegecko_reset      (RelaySandbox *self);
gboolean     sandbox_tradegecko_load       (RelaySandbox *self,
                                            JsonObject   *scenario,
                                            GError      **error);
void         sandbox_tradegecko_handle     (RelaySandbox      *self,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            GPtrArray         *params,
                                            SandboxReply      *reply);
void         sandbox_tradegecko_error      (SandboxReply *reply,
                                            guint         status,
                                            const char   *type,
                                            const char   *message);
gint64       sandbox_tradegecko_ship       (RelaySandbox *self,
                                            gint64        order_id,
                                            JsonObject   *shipment,
                                            GError      **error);
void         sandbox_tradegecko_auto_ship  (RelaySandbox *self,
                                            guint         delay_seconds);

/* relay-sandbox-stock.c */
void         sandbox_stock_reset           (RelaySandbox *self);
void         sandbox_stock_finalize        (RelaySandbox *self);
char        *sandbox_stock_in_flight_key   (SoupServerMessage *msg);
void         sandbox_stock_set_key_scope   (RelaySandbox *self,
                                            const char   *key,
                                            const char   *inventory);
void         sandbox_stock_adjust_location (JsonObject   *variant,
                                            gint64        location_id,
                                            gint64        on_hand_delta,
                                            gint64        committed_delta);
gboolean     sandbox_stock_load_variant    (JsonObject   *variant,
                                            JsonObject   *given,
                                            GError      **error);
gboolean     sandbox_stock_handle          (RelaySandbox      *self,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            const char        *key,
                                            SandboxReply      *reply);

/* relay-sandbox-products.c */
void         sandbox_products_reset        (RelaySandbox *self);
void         sandbox_products_finalize     (RelaySandbox *self);
void         sandbox_products_set_key_scope (RelaySandbox *self,
                                            const char   *key,
                                            const char   *products);
void         sandbox_products_set_price    (RelaySandbox *self,
                                            const char   *variant_id,
                                            const char   *price);
gboolean     sandbox_products_set_listing  (RelaySandbox *self,
                                            const char   *variant_id,
                                            JsonObject   *given,
                                            GError      **error);
gboolean     sandbox_products_handle       (RelaySandbox      *self,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            GPtrArray         *params,
                                            const char        *key,
                                            SandboxReply      *reply);
JsonObject  *sandbox_squarespace_pagination_new (const char *base_url,
                                            const char   *path,
                                            const char   *cursor);
GPtrArray   *sandbox_stock_levels          (RelaySandbox *self);

/* relay-sandbox-demo.c */
JsonNode    *sandbox_demo_build_scenario   (void);
JsonObject  *sandbox_demo_build_order      (RelaySandbox *self);

G_END_DECLS
