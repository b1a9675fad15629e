/* relay-event-kind.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-event-kind.h"

/* One table: a kind added to the enum without a nick and a title fails the
 * static assertion below, so the timeline never shows a raw key. */
static const struct
{
  const char *nick;
  const char *title;
} kinds[] = {
  [RELAY_EVENT_KIND_OTHER] = { NULL, N_("Note") },
  [RELAY_EVENT_KIND_PULLED] = { "pulled", N_("Retrieved from Squarespace") },
  [RELAY_EVENT_KIND_UPDATED] = { "updated", N_("Updated in Squarespace") },
  [RELAY_EVENT_KIND_REFERENCES] = { "references", N_("References assigned") },
  [RELAY_EVENT_KIND_DELIVERING] = { "delivering", N_("Sending to TradeGecko") },
  [RELAY_EVENT_KIND_DELIVERED] = { "delivered", N_("Delivered to TradeGecko") },
  [RELAY_EVENT_KIND_RECONCILED] = { "reconciled", N_("Checked after an interruption") },
  [RELAY_EVENT_KIND_REJECTED] = { "rejected", N_("Needs attention") },
  [RELAY_EVENT_KIND_ERROR] = { "error", N_("Attempt failed") },
  [RELAY_EVENT_KIND_REQUEUED] = { "requeued", N_("Queued again") },
  [RELAY_EVENT_KIND_SKIPPED] = { "skipped", N_("Skipped") },
  [RELAY_EVENT_KIND_CANCELED] = { "canceled", N_("Canceled") },
  [RELAY_EVENT_KIND_SHIPMENT] = { "shipment", N_("Shipment read from TradeGecko") },
  [RELAY_EVENT_KIND_SHIPPED] = { "shipped", N_("Shipped") },
  [RELAY_EVENT_KIND_POSTING_TRACKING] = { "posting-tracking", N_("Sending tracking to Squarespace") },
  [RELAY_EVENT_KIND_TRACKING_POSTED] = { "tracking-posted", N_("Tracking sent to Squarespace") },
  [RELAY_EVENT_KIND_CONFIRMED] = { "confirmed", N_("Tracking confirmed by Squarespace") },
  [RELAY_EVENT_KIND_NOTE] = { "note", N_("Note") },
  [RELAY_EVENT_KIND_CANCELED_AFTER_DELIVERY] = { "canceled-after-delivery", N_("Canceled in Squarespace after delivery") },
  [RELAY_EVENT_KIND_VOIDED] = { "voided", N_("Voided in TradeGecko") },
  [RELAY_EVENT_KIND_NEEDS_ATTENTION] = { "needs-attention", N_("Needs attention") },
  [RELAY_EVENT_KIND_TRACKING_IN_PROGRESS] = { "tracking-in-progress", N_("Squarespace still processing the tracking") },
  [RELAY_EVENT_KIND_TOTALS] = { "totals", N_("Totals in TradeGecko") },
  [RELAY_EVENT_KIND_PAID] = { "paid", N_("Paid in TradeGecko") },
  [RELAY_EVENT_KIND_PAYMENT_REFUSED] = { "payment-refused", N_("TradeGecko refused the payment") },
  [RELAY_EVENT_KIND_REFUNDED] = { "refunded", N_("Refunded in Squarespace") },
  [RELAY_EVENT_KIND_CHANGED_AFTER_DELIVERY] = { "changed-after-delivery", N_("Changed in Squarespace after delivery") },
  [RELAY_EVENT_KIND_REOPENED] = { "reopened", N_("Reopened in Squarespace") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == RELAY_N_EVENT_KINDS);

/**
 * relay_event_kind_from_string:
 * @nick: (nullable): a kind as stored
 *
 * Returns: the kind, %RELAY_EVENT_KIND_OTHER for one this version does not know
 */
RelayEventKind
relay_event_kind_from_string (const char *nick)
{
  for (guint i = RELAY_EVENT_KIND_OTHER + 1; i < RELAY_N_EVENT_KINDS; i++)
    if (g_strcmp0 (kinds[i].nick, nick) == 0)
      return (RelayEventKind) i;

  return RELAY_EVENT_KIND_OTHER;
}

/**
 * relay_event_kind_to_string:
 * @kind: a #RelayEventKind
 *
 * Returns: (nullable): the nick the store writes, %NULL for %RELAY_EVENT_KIND_OTHER
 */
const char *
relay_event_kind_to_string (RelayEventKind kind)
{
  g_return_val_if_fail (kind < RELAY_N_EVENT_KINDS, NULL);

  return kinds[kind].nick;
}

/**
 * relay_event_kind_get_title:
 * @kind: a #RelayEventKind
 *
 * Returns: (transfer none): what a merchant reads on the timeline, translated
 */
const char *
relay_event_kind_get_title (RelayEventKind kind)
{
  g_return_val_if_fail (kind < RELAY_N_EVENT_KINDS, NULL);

  return _(kinds[kind].title);
}

/**
 * relay_event_kind_title_for:
 * @nick: (nullable): a kind as stored
 *
 * Returns: (transfer none): the title of the stored kind, never the raw key
 */
const char *
relay_event_kind_title_for (const char *nick)
{
  return relay_event_kind_get_title (relay_event_kind_from_string (nick));
}
