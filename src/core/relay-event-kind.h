/* relay-event-kind.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RelayEventKind:
 *
 * What an entry of an order's timeline (the `events` table) records. The
 * store writes the nick (relay_event_kind_to_string()); views show the title.
 * @RELAY_EVENT_KIND_OTHER stands for anything else written with
 * relay_store_add_event() (a note, or a kind of a newer version).
 */
typedef enum
{
  RELAY_EVENT_KIND_OTHER,
  RELAY_EVENT_KIND_PULLED,
  RELAY_EVENT_KIND_UPDATED,
  RELAY_EVENT_KIND_REFERENCES,
  RELAY_EVENT_KIND_DELIVERING,
  RELAY_EVENT_KIND_DELIVERED,
  RELAY_EVENT_KIND_RECONCILED,
  RELAY_EVENT_KIND_REJECTED,
  RELAY_EVENT_KIND_ERROR,
  RELAY_EVENT_KIND_REQUEUED,
  RELAY_EVENT_KIND_SKIPPED,
  RELAY_EVENT_KIND_CANCELED,
  RELAY_EVENT_KIND_SHIPMENT,
  RELAY_EVENT_KIND_SHIPPED,
  RELAY_EVENT_KIND_POSTING_TRACKING,
  RELAY_EVENT_KIND_TRACKING_POSTED,
  RELAY_EVENT_KIND_CONFIRMED,
  RELAY_EVENT_KIND_NOTE,
  RELAY_EVENT_KIND_CANCELED_AFTER_DELIVERY,
  RELAY_EVENT_KIND_VOIDED,
  RELAY_EVENT_KIND_NEEDS_ATTENTION,
  RELAY_EVENT_KIND_TRACKING_IN_PROGRESS,
  RELAY_EVENT_KIND_TOTALS,
  RELAY_EVENT_KIND_PAID,
  RELAY_EVENT_KIND_PAYMENT_REFUSED,
  RELAY_EVENT_KIND_REFUNDED,
  RELAY_EVENT_KIND_CHANGED_AFTER_DELIVERY,
  RELAY_EVENT_KIND_REOPENED,
  RELAY_N_EVENT_KINDS
} RelayEventKind;

RelayEventKind  relay_event_kind_from_string (const char     *nick);
const char     *relay_event_kind_to_string   (RelayEventKind  kind);
const char     *relay_event_kind_get_title   (RelayEventKind  kind);
const char     *relay_event_kind_title_for   (const char     *nick);

G_END_DECLS
