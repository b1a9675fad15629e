/* relay-order-rules.c — what the pipeline decides about an order Squarespace sent
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-order-rules.h"

/* Pure functions of orders: the store writes what they decide, and unit tests
 * check them without a database. */

/**
 * relay_order_rules_first_stage:
 * @order: an order pulled for the first time
 * @skip_reason: (nullable): when set, the order is not to be delivered, for this reason
 * @out_reason: (out) (transfer none): why it is not `new`, or %NULL
 *
 * A new order is `new`; `canceled` when Squarespace canceled it, `skipped`
 * with @skip_reason, or `skipped` when it is already fulfilled.
 *
 * Returns: the stage to store it in
 */
RelayStage
relay_order_rules_first_stage (RelayOrder  *order,
                               const char  *skip_reason,
                               const char **out_reason)
{
  g_return_val_if_fail (RELAY_IS_ORDER (order), RELAY_STAGE_NEW);
  g_return_val_if_fail (out_reason != NULL, RELAY_STAGE_NEW);

  *out_reason = NULL;
  if (relay_order_is_canceled (order))
    {
      *out_reason = _("Canceled in Squarespace");
      return RELAY_STAGE_CANCELED;
    }
  if (skip_reason != NULL)
    {
      *out_reason = skip_reason;
      return RELAY_STAGE_SKIPPED;
    }
  if (relay_order_is_fulfilled (order))
    {
      *out_reason = _("Already fulfilled in Squarespace");
      return RELAY_STAGE_SKIPPED;
    }
  return RELAY_STAGE_NEW;
}

/**
 * relay_order_rules_describe_changes:
 * @before: (nullable): the order as stored
 * @after: the order as Squarespace sends it now
 *
 * Each change the merchant cares about is one whole translated sentence, so a
 * translation never has to fit field names into someone else's grammar.
 *
 * Returns: (transfer full) (nullable): the changes as sentences separated by
 *   spaces, for the timeline, or %NULL when there are none
 */
char *
relay_order_rules_describe_changes (RelayOrder *before,
                                    RelayOrder *after)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *lines_before;
  GPtrArray *lines_after;
  gboolean lines_changed = FALSE;

  if (before == NULL)
    return g_strdup (_("The order's details changed."));

  if (g_strcmp0 (relay_order_get_fulfillment_status (before), relay_order_get_fulfillment_status (after)) != 0)
    g_ptr_array_add (changes, g_strdup (_("The fulfillment status changed.")));
  if (g_strcmp0 (relay_order_get_customer_email (before), relay_order_get_customer_email (after)) != 0)
    g_ptr_array_add (changes, g_strdup (_("The customer's e-mail address changed.")));
  if (!relay_address_equal (relay_order_get_shipping_address (before), relay_order_get_shipping_address (after)))
    g_ptr_array_add (changes, g_strdup (_("The shipping address changed.")));
  if (!relay_address_equal (relay_order_get_billing_address (before), relay_order_get_billing_address (after)))
    g_ptr_array_add (changes, g_strdup (_("The billing address changed.")));

  lines_before = relay_order_get_lines (before);
  lines_after = relay_order_get_lines (after);
  for (guint i = 0; lines_before->len == lines_after->len && !lines_changed && i < lines_after->len; i++)
    {
      RelayOrderLine *a = g_ptr_array_index (lines_before, i);
      RelayOrderLine *b = g_ptr_array_index (lines_after, i);

      lines_changed = g_strcmp0 (a->sku, b->sku) != 0 || a->quantity != b->quantity;
    }
  if (lines_before->len != lines_after->len)
    g_ptr_array_add (changes, g_strdup_printf (ngettext ("The order now has %u item line.",
                                                         "The order now has %u item lines.",
                                                         lines_after->len),
                                               lines_after->len));
  else if (lines_changed)
    g_ptr_array_add (changes, g_strdup (_("The items changed.")));
  if (!relay_money_equal (relay_order_get_refunded_total (before), relay_order_get_refunded_total (after)))
    g_ptr_array_add (changes, g_strdup (_("The refunded amount changed.")));

  if (changes->len == 0)
    return NULL;

  g_ptr_array_add (changes, NULL);
  return g_strjoinv (" ", (char **) changes->pdata);
}
