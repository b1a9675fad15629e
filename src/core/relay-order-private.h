/* relay-order-private.h — what RelayOrder shares with its Squarespace reader
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order.h"

G_BEGIN_DECLS

/* relay-squarespace-order.c fills it in from Squarespace's JSON; relay-order.c
 * owns it and answers the getters. */
struct _RelayOrder
{
  GObject                 parent_instance;

  /* Owned */
  char                   *json;
  char                   *squarespace_id;
  char                   *order_number;
  char                   *cust_po_no;
  char                   *cust_ref;
  GDateTime              *created_on;
  GDateTime              *modified_on;
  char                   *fulfillment_status;
  gboolean                testmode;
  char                   *customer_email;
  char                   *customer_name;
  RelayAddress            shipping_address;
  RelayAddress            billing_address;
  GPtrArray              *lines;
  GPtrArray              *shipping_lines;
  GPtrArray              *discount_lines;
  GPtrArray              *form_submission;
  GPtrArray              *internal_notes;
  char                   *payment_state;
  GPtrArray              *fulfillments;
  RelayMoney              subtotal;
  RelayMoney              shipping_total;
  RelayMoney              discount_total;
  RelayMoney              tax_total;
  RelayMoney              refunded_total;
  RelayMoney              grand_total;
  RelayTaxInterpretation  tax_interpretation;
};

void relay_label_value_free (RelayLabelValue *pair);
void relay_order_line_free  (RelayOrderLine  *line);

G_END_DECLS
