/* relay-store.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-money.h"
#include "relay-order.h"
#include "relay-stock.h"

G_BEGIN_DECLS

#define RELAY_STORE_SCHEMA_VERSION 8

/**
 * RelayStage:
 * @RELAY_STAGE_NEW: pulled from Squarespace, waiting to be delivered
 * @RELAY_STAGE_REJECTED: needs the merchant (unknown SKU, bad address…); see the reason
 * @RELAY_STAGE_AT_TRADEGECKO: the TradeGecko sales order exists
 * @RELAY_STAGE_SHIPPED: TradeGecko reported the shipment(s)
 * @RELAY_STAGE_CONFIRMED: the tracking is posted to Squarespace
 * @RELAY_STAGE_SKIPPED: not to be delivered (test order, ignored, outside the window…)
 * @RELAY_STAGE_CANCELED: canceled in Squarespace before delivery
 *
 * Where an order is in the pipeline. The strings (relay_stage_to_string())
 * are what the database, the command line and the views use.
 */
typedef enum
{
  RELAY_STAGE_NEW,
  RELAY_STAGE_REJECTED,
  RELAY_STAGE_AT_TRADEGECKO,
  RELAY_STAGE_SHIPPED,
  RELAY_STAGE_CONFIRMED,
  RELAY_STAGE_SKIPPED,
  RELAY_STAGE_CANCELED,
  RELAY_N_STAGES,
} RelayStage;

const char *relay_stage_to_string   (RelayStage  stage);
gboolean    relay_stage_from_string (const char *text,
                                     RelayStage *out);
gboolean    relay_stage_is_delivered (RelayStage stage);

/**
 * RelayInFlight:
 * @RELAY_IN_FLIGHT_NONE: no remote call under way
 * @RELAY_IN_FLIGHT_DELIVER: the TradeGecko sales order POST may have happened
 * @RELAY_IN_FLIGHT_POST_TRACKING: the Squarespace fulfillment POST may have happened
 *
 * A remote action that was started and not yet confirmed. Found at start-up,
 * it means a crash or timeout mid-call: reconcile before doing it again.
 */
typedef enum
{
  RELAY_IN_FLIGHT_NONE,
  RELAY_IN_FLIGHT_DELIVER,
  RELAY_IN_FLIGHT_POST_TRACKING,
} RelayInFlight;

/**
 * RelayOrderRow:
 *
 * One order as the store has it, without the Squarespace JSON (load that with
 * relay_store_load_order()). Times are Unix milliseconds. @claim_pid and
 * @claimed_at say which process marked the order in flight, and when;
 * @cancel_pending that Squarespace canceled it after delivery and the engine
 * has not yet settled that in TradeGecko.
 */
typedef struct
{
  char          *squarespace_id;
  char          *order_number;
  char          *cust_po_no;
  char          *cust_ref;
  RelayStage     stage;
  char          *stage_reason;
  char          *customer_name;
  char          *customer_email;
  gint64         created_on;
  gint64         modified_on;
  guint          item_count;
  RelayMoney     grand_total;
  gboolean       testmode;
  gint64         tradegecko_order_id;
  char          *tradegecko_order_number;
  RelayInFlight  in_flight;
  char          *idempotency_key;
  char          *last_error;
  char          *error_kind;
  guint          retry_count;
  gint64         updated_at;
  gint64         claim_pid;
  gint64         claimed_at;
  gboolean       cancel_pending;
  char          *tracking_numbers;   /* the shipments' tracking numbers, ", "-separated, or NULL */
} RelayOrderRow;

void relay_order_row_free (RelayOrderRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayOrderRow, relay_order_row_free)

/**
 * RelayEvent:
 *
 * One entry of an order's timeline (the audit log).
 */
typedef struct
{
  gint64  id;
  char   *squarespace_id;
  gint64  at;
  char   *kind;
  char   *detail;
} RelayEvent;

void relay_event_free (RelayEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayEvent, relay_event_free)

/**
 * RelayShipment:
 * @fulfillment_id: the TradeGecko fulfillment id
 * @squarespace_id: the order it belongs to (filled in by the store)
 * @tradegecko_order_id: the TradeGecko sales order it belongs to
 * @status: `packed`, `fulfilled`, `void`…
 * @shipped_at: Unix milliseconds, 0 when unknown
 * @lines_summary: (nullable): e.g. `2 × MUG-BLK, 1 × TEE-L`
 * @posted_at: Unix milliseconds when posted to Squarespace, 0 until then
 *
 * A TradeGecko fulfillment as the store tracks it.
 */
typedef struct
{
  gint64  fulfillment_id;
  char   *squarespace_id;
  gint64  tradegecko_order_id;
  char   *status;
  char   *carrier;
  char   *service;
  char   *tracking_number;
  char   *tracking_url;
  gint64  shipped_at;
  char   *lines_summary;
  gint64  posted_at;
} RelayShipment;

void relay_shipment_free (RelayShipment *shipment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayShipment, relay_shipment_free)

/**
 * RelayUpsertResult:
 * @RELAY_UPSERT_INSERTED: a new order
 * @RELAY_UPSERT_UPDATED: a known order took the new data
 * @RELAY_UPSERT_UNCHANGED: not newer than what the store has
 * @RELAY_UPSERT_CANCELED: a not-yet-delivered order was canceled in Squarespace
 * @RELAY_UPSERT_CHANGED_AFTER_DELIVERY: the order changed in Squarespace after it was
 *   delivered; the change is in the timeline, the stage is unchanged
 * @RELAY_UPSERT_CANCELED_AFTER_DELIVERY: the order was canceled in Squarespace after it was
 *   delivered; it is marked `cancel_pending` until relay_store_settle_cancel()
 */
typedef enum
{
  RELAY_UPSERT_INSERTED,
  RELAY_UPSERT_UPDATED,
  RELAY_UPSERT_UNCHANGED,
  RELAY_UPSERT_CANCELED,
  RELAY_UPSERT_CHANGED_AFTER_DELIVERY,
  RELAY_UPSERT_CANCELED_AFTER_DELIVERY,
} RelayUpsertResult;

#define RELAY_TYPE_STORE (relay_store_get_type ())

G_DECLARE_FINAL_TYPE (RelayStore, relay_store, RELAY, STORE, GObject)

char          *relay_store_get_default_path     (void);
RelayStore    *relay_store_open                 (const char         *path,
                                                 GError            **error);
const char    *relay_store_get_path             (RelayStore         *self);
int            relay_store_get_schema_version   (RelayStore         *self);

/* Orders from Squarespace */
gboolean       relay_store_upsert_order         (RelayStore         *self,
                                                 RelayOrder         *order,
                                                 const char         *skip_reason,
                                                 RelayUpsertResult  *out_result,
                                                 GError            **error);
RelayOrder    *relay_store_load_order           (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
gboolean       relay_store_set_references       (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *cust_po_no,
                                                 const char         *cust_ref,
                                                 GError            **error);
char          *relay_store_dup_cust_ref_owner   (RelayStore         *self,
                                                 const char         *cust_ref,
                                                 GError            **error);

/* Transitions: one transaction each, one event each */
gboolean       relay_store_begin_delivery       (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *idempotency_key,
                                                 GError            **error);
gboolean       relay_store_finish_delivery      (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 gint64              tradegecko_order_id,
                                                 const char         *tradegecko_order_number,
                                                 GPtrArray          *resolved_lines,
                                                 GError            **error);
gboolean       relay_store_clear_in_flight      (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *detail,
                                                 GError            **error);
gboolean       relay_store_reject               (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *reason,
                                                 GError            **error);
gboolean       relay_store_record_error         (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const GError       *failure,
                                                 GError            **error);
gboolean       relay_store_requeue              (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
gboolean       relay_store_skip                 (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *reason,
                                                 GError            **error);
gboolean       relay_store_cancel               (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *reason,
                                                 GError            **error);
gboolean       relay_store_mark_shipped         (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
gboolean       relay_store_begin_post_tracking  (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
gboolean       relay_store_mark_shipments_posted (RelayStore        *self,
                                                 const char         *squarespace_id,
                                                 const gint64       *fulfillment_ids,
                                                 guint               n_fulfillment_ids,
                                                 GError            **error);
gboolean       relay_store_mark_confirmed       (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
gboolean       relay_store_settle_cancel        (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 gboolean            voided,
                                                 const char         *detail,
                                                 GError            **error);
gboolean       relay_store_add_event            (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *kind,
                                                 const char         *detail,
                                                 GError            **error);

/* Several writes committed as one (one sync of the file) */
void           relay_store_begin_group          (RelayStore         *self);
gboolean       relay_store_commit_group         (RelayStore         *self,
                                                 GError            **error);

/* Shipments from TradeGecko */
gboolean       relay_store_upsert_shipment      (RelayStore         *self,
                                                 const RelayShipment *shipment,
                                                 gboolean           *out_changed,
                                                 GError            **error);
GPtrArray     *relay_store_dup_shipments        (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);

/* Queries */
RelayOrderRow *relay_store_find_order           (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
RelayOrderRow *relay_store_find_order_by_number (RelayStore         *self,
                                                 const char         *order_number,
                                                 GError            **error);
RelayOrderRow *relay_store_find_order_by_tradegecko_id (RelayStore  *self,
                                                 gint64              tradegecko_order_id,
                                                 GError            **error);
GPtrArray     *relay_store_dup_orders_in_flight (RelayStore         *self,
                                                 GError            **error);
GPtrArray     *relay_store_dup_orders_cancel_pending (RelayStore     *self,
                                                 GError            **error);
GPtrArray     *relay_store_dup_orders_in_stage  (RelayStore         *self,
                                                 RelayStage          stage,
                                                 guint               limit,
                                                 GError            **error);
GPtrArray     *relay_store_dup_orders_to_post   (RelayStore         *self,
                                                 gboolean            include_unshipped,
                                                 gboolean            count_packed,
                                                 guint               limit,
                                                 GError            **error);
GPtrArray     *relay_store_dup_orders_to_confirm (RelayStore        *self,
                                                 gboolean            count_packed,
                                                 guint               limit,
                                                 GError            **error);
GPtrArray     *relay_store_query_orders         (RelayStore         *self,
                                                 int                 stage,
                                                 const char         *search,
                                                 const RelayOrderRow *after,
                                                 guint               limit,
                                                 GError            **error);
gint64         relay_store_count_orders         (RelayStore         *self,
                                                 int                 stage,
                                                 const char         *search,
                                                 GError            **error);
gboolean       relay_store_count_stages         (RelayStore         *self,
                                                 guint64             counts[RELAY_N_STAGES],
                                                 GError            **error);
GPtrArray     *relay_store_dup_events           (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
GPtrArray     *relay_store_dup_resolved_lines   (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);

/* The order list: the matching orders' keys in display order, then their rows a page at a time */

/**
 * RelayOrderSort:
 *
 * What the order list is sorted by; ties fall back to the creation time.
 */
typedef enum
{
  RELAY_ORDER_SORT_CREATED,
  RELAY_ORDER_SORT_NUMBER,
  RELAY_ORDER_SORT_CUSTOMER,
  RELAY_ORDER_SORT_ITEMS,
  RELAY_ORDER_SORT_TOTAL,
  RELAY_ORDER_SORT_STAGE,
  RELAY_ORDER_SORT_TRADEGECKO,
} RelayOrderSort;

/* A set of stages for relay_store_dup_order_keys(): 0 means every order. */
#define RELAY_STAGE_MASK(stage)   (1u << (stage))
/* Also matches orders whose last attempt failed, whatever their stage. */
#define RELAY_STAGE_MASK_ERRORS   (1u << 16)

GArray        *relay_store_dup_order_keys       (RelayStore         *self,
                                                 guint               stage_mask,
                                                 const char         *search,
                                                 RelayOrderSort      sort,
                                                 gboolean            descending,
                                                 GError            **error);
void           relay_store_dup_order_keys_async (RelayStore         *self,
                                                 guint               stage_mask,
                                                 const char         *search,
                                                 RelayOrderSort      sort,
                                                 gboolean            descending,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
void           relay_store_dup_first_order_keys_async (RelayStore         *self,
                                                       guint               stage_mask,
                                                       const char         *search,
                                                       RelayOrderSort      sort,
                                                       gboolean            descending,
                                                       guint               first,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
GArray        *relay_store_dup_order_keys_finish (RelayStore        *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
GPtrArray     *relay_store_dup_orders_by_keys   (RelayStore         *self,
                                                 const gint64       *keys,
                                                 guint               n_keys,
                                                 GError            **error);
gint64         relay_store_count_matching       (RelayStore         *self,
                                                 guint               stage_mask,
                                                 GError            **error);
gint64         relay_store_get_delivery_attempts (RelayStore        *self,
                                                 const char         *squarespace_id,
                                                 GError            **error);
gboolean       relay_store_get_stage_activity   (RelayStore         *self,
                                                 gint64              latest[RELAY_N_STAGES],
                                                 GError            **error);

/* The merchant's maps */
gboolean       relay_store_set_item_alias       (RelayStore         *self,
                                                 const char         *store_sku,
                                                 const char         *tradegecko_sku,
                                                 GError            **error);
gboolean       relay_store_remove_item_alias    (RelayStore         *self,
                                                 const char         *store_sku,
                                                 GError            **error);
char          *relay_store_lookup_item_alias    (RelayStore         *self,
                                                 const char         *store_sku,
                                                 GError            **error);
GHashTable    *relay_store_dup_item_aliases     (RelayStore         *self,
                                                 GError            **error);
gboolean       relay_store_set_shipping_method  (RelayStore         *self,
                                                 const char         *squarespace_method,
                                                 const char         *tradegecko_label,
                                                 GError            **error);
gboolean       relay_store_remove_shipping_method (RelayStore       *self,
                                                 const char         *squarespace_method,
                                                 GError            **error);
GHashTable    *relay_store_dup_shipping_methods (RelayStore         *self,
                                                 GError            **error);
gboolean       relay_store_set_carrier          (RelayStore         *self,
                                                 const char         *tradegecko_carrier,
                                                 const char         *squarespace_carrier,
                                                 GError            **error);
gboolean       relay_store_remove_carrier       (RelayStore         *self,
                                                 const char         *tradegecko_carrier,
                                                 GError            **error);
GHashTable    *relay_store_dup_carriers         (RelayStore         *self,
                                                 GError            **error);

/* Sync checkpoints */
char          *relay_store_dup_checkpoint       (RelayStore         *self,
                                                 const char         *key,
                                                 GError            **error);
gboolean       relay_store_set_checkpoint       (RelayStore         *self,
                                                 const char         *key,
                                                 const char         *value,
                                                 GError            **error);
gboolean       relay_store_set_checkpoints      (RelayStore         *self,
                                                 const char * const *keys,
                                                 const char * const *values,
                                                 guint               n,
                                                 GError            **error);

/* The TradeGecko customer cache: e-mail → company id, company + address fingerprint → address id */
gint64         relay_store_lookup_customer      (RelayStore         *self,
                                                 const char         *email,
                                                 GError            **error);
gint64         relay_store_lookup_customer_address (RelayStore      *self,
                                                 gint64              company_id,
                                                 const char         *fingerprint,
                                                 GError            **error);
gboolean       relay_store_remember_customers   (RelayStore         *self,
                                                 const char * const *emails,
                                                 const gint64       *company_ids,
                                                 guint               n,
                                                 GError            **error);
gboolean       relay_store_remember_customer_addresses (RelayStore  *self,
                                                 const gint64       *company_ids,
                                                 const char * const *fingerprints,
                                                 const gint64       *address_ids,
                                                 guint               n,
                                                 GError            **error);
gboolean       relay_store_forget_customer      (RelayStore         *self,
                                                 const char         *email,
                                                 GError            **error);

/* Stock (relay-sync-stock.c) */

/**
 * RelayStockRow:
 * @store_variant_id: the store's variant
 * @store_sku: (nullable): its SKU
 * @product: (nullable): product and options
 * @tradegecko_variant_id: the matched TradeGecko variant, 0 when none
 * @tradegecko_available: its available units at the chosen location, -1 when unknown
 * @store_quantity: the store's count when last read, -1 when unlimited or unknown
 * @target: what the store should show, -1 when it is left alone
 * @pushed_quantity: the count last set, -1 when never
 * @pushed_at: when it was set (ms since the epoch), 0 when never
 * @problem: (nullable): why it is left alone, for people
 *
 * One store variant in the Stock view.
 */
typedef struct
{
  char   *store_variant_id;
  char   *store_sku;
  char   *product;
  gint64  tradegecko_variant_id;
  gint64  tradegecko_available;
  gint64  store_quantity;
  gint64  target;
  gint64  pushed_quantity;
  gint64  pushed_at;
  char   *problem;
} RelayStockRow;

/**
 * RelayStockBatch:
 * @idempotency_key: the key it is (and will again be) sent with
 * @operations: the sets, as relay_stock_sets_to_text() wrote them
 * @created_at: when it was made (ms)
 * @pushed_at: when the store accepted it (ms), 0 while it may still need sending
 */
typedef struct
{
  char   *idempotency_key;
  char   *operations;
  gint64  created_at;
  gint64  pushed_at;
} RelayStockBatch;

void           relay_stock_row_free             (RelayStockRow      *row);
void           relay_stock_batch_free           (RelayStockBatch    *batch);
gboolean       relay_store_save_stock_rows      (RelayStore         *self,
                                                 GPtrArray          *rows,
                                                 GError            **error);
GPtrArray     *relay_store_dup_stock_rows       (RelayStore         *self,
                                                 const char         *search,
                                                 guint               offset,
                                                 guint               limit,
                                                 GError            **error);
gboolean       relay_store_add_stock_batch      (RelayStore         *self,
                                                 const char         *idempotency_key,
                                                 const char         *operations,
                                                 GError            **error);
GPtrArray     *relay_store_dup_stock_batches    (RelayStore         *self,
                                                 gboolean            pending_only,
                                                 guint               limit,
                                                 GError            **error);
gboolean       relay_store_finish_stock_batch   (RelayStore         *self,
                                                 const char         *idempotency_key,
                                                 GPtrArray          *sets,
                                                 GError            **error);
GHashTable    *relay_store_dup_pending_units    (RelayStore         *self,
                                                 GError            **error);
GHashTable    *relay_store_dup_stock_made_unlimited (RelayStore     *self,
                                                 GError            **error);
GPtrArray     *relay_store_dup_stock_variants_of (RelayStore        *self,
                                                 const gint64       *tradegecko_ids,
                                                 guint               n,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStockRow, relay_stock_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStockBatch, relay_stock_batch_free)

/**
 * RelayDuePayment:
 * @squarespace_id: the order
 * @idempotency_key: the key its payment is sent with, every time
 * @tradegecko_order_id: the sales order to pay
 */
typedef struct
{
  char   *squarespace_id;
  char   *idempotency_key;
  gint64  tradegecko_order_id;
} RelayDuePayment;

void relay_due_payment_free (RelayDuePayment *payment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayDuePayment, relay_due_payment_free)

gboolean       relay_store_set_payment_due      (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *idempotency_key,
                                                 GError            **error);
GPtrArray     *relay_store_dup_due_payments     (RelayStore         *self,
                                                 guint               limit,
                                                 GError            **error);
gboolean       relay_store_drop_payment         (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *reason,
                                                 GError            **error);
gboolean       relay_store_finish_payment       (RelayStore         *self,
                                                 const char         *squarespace_id,
                                                 const char         *detail,
                                                 GError            **error);

G_END_DECLS
