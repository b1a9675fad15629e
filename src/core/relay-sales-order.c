/* relay-sales-order.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-sales-order.h"

void
relay_variant_free (RelayVariant *variant)
{
  if (variant == NULL)
    return;

  g_free (variant->sku);
  g_free (variant->product_name);
  g_free (variant->name);
  g_free (variant->available_stock);
  g_free (variant);
}

/**
 * relay_variant_dup_label:
 * @variant: a variant
 *
 * Returns: (transfer full): “Product — variant”, or just the product
 */
char *
relay_variant_dup_label (const RelayVariant *variant)
{
  const char *product = variant->product_name != NULL ? variant->product_name : "";

  if (variant->name != NULL)
    return g_strdup_printf ("%s — %s", product, variant->name);

  return g_strdup (product);
}

void
relay_sales_order_free (RelaySalesOrder *order)
{
  if (order == NULL)
    return;

  g_clear_object (&order->source);
  g_free (order->order_number);
  g_free (order->reference_number);
  g_free (order->issued_at);
  g_free (order->email);
  g_free (order->phone);
  g_free (order->currency);
  g_free (order->source_url);
  g_free (order->company_name);
  g_free (order->shipping_label);
  g_free (order->billing_label);
  g_clear_pointer (&order->lines, g_ptr_array_unref);
  g_free (order->notes);
  g_free (order);
}

void
relay_delivery_free (RelayDelivery *delivery)
{
  if (delivery == NULL)
    return;

  g_free (delivery->order_number);
  g_free (delivery);
}
