/* relay-sandbox-tradegecko-orders.c — TradeGecko sales orders: validation, creation with
 * line amounts and committed stock, GET /orders/{id}, the order actions and voiding
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaviour follows the TradeGecko API reference as docs/sandbox.md (“TradeGecko”) restates it,
 * section by section; where the reference leaves a choice open, the choice is named in a comment
 * here and marked UNCONFIRMED there.
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-tradegecko-private.h"

gboolean
sandbox_tg_order_commits_stock (const char *status)
{
  return g_strcmp0 (status, "active") == 0 || g_strcmp0 (status, "finalized") == 0 ||
         g_strcmp0 (status, "fulfilled") == 0;
}

static gboolean
parse_order_date (const char *text,
                  char      **date)
{
  gint64 ms;
  g_autofree char *midnight = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (!sandbox_parse_iso8601 (text, &ms))
    {
      /* Dates are read leniently: a bare YYYY-MM-DD is the usual form. */
      midnight = g_strconcat (text, "T00:00:00Z", NULL);
      if (!sandbox_parse_iso8601 (midnight, &ms))
        return FALSE;
    }
  *date = sandbox_format_date (ms);
  return TRUE;
}

static gboolean
member_is_true (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_str_equal (json_node_get_string (node), "true");
  return FALSE;
}

static gboolean
order_number_taken (RelaySandbox *self,
                    const char   *number)
{
  return sandbox_index_find (&self->tg_orders_by_number, number) != NULL;
}

static void
validate_lines (RelaySandbox *self,
                JsonObject   *order,
                JsonObject   *errors)
{
  JsonNode *node = json_object_get_member (order, "order_line_items");
  JsonArray *lines;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      sandbox_tg_add_error (errors, "order_line_items", "is invalid");
      return;
    }

  lines = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *element = json_array_get_element (lines, i);
      JsonObject *line;
      gint64 value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          sandbox_tg_add_error (errors, "order_line_items", "is invalid");
          continue;
        }
      line = json_node_get_object (element);

      if (member_is_true (line, "freeform"))
        {
          const char *label = sandbox_get_string_member (line, "label");

          if (label == NULL || *label == '\0')
            sandbox_tg_add_error (errors, "order_line_items.label", "can't be blank");
        }
      else if (!json_object_has_member (line, "variant_id") ||
               JSON_NODE_HOLDS_NULL (json_object_get_member (line, "variant_id")))
        sandbox_tg_add_error (errors, "order_line_items.variant_id", "can't be blank");
      else if (!sandbox_get_int_member (line, "variant_id", &value) ||
               sandbox_index_find_int (&self->tg_variants_by_id, value) == NULL)
        sandbox_tg_add_error (errors, "order_line_items.variant_id", "is invalid");

      if (!json_object_has_member (line, "price") || JSON_NODE_HOLDS_NULL (json_object_get_member (line, "price")))
        sandbox_tg_add_error (errors, "order_line_items.price", "can't be blank");
      else if (!sandbox_decimal_parse (json_object_get_member (line, "price"), &value))
        sandbox_tg_add_error (errors, "order_line_items.price", "is not a number");

      if (!json_object_has_member (line, "quantity") || JSON_NODE_HOLDS_NULL (json_object_get_member (line, "quantity")))
        sandbox_tg_add_error (errors, "order_line_items.quantity", "can't be blank");
      else if (!sandbox_decimal_parse (json_object_get_member (line, "quantity"), &value))
        sandbox_tg_add_error (errors, "order_line_items.quantity", "is not a number");
      else if (value <= 0)
        sandbox_tg_add_error (errors, "order_line_items.quantity", "must be greater than 0");

      /* tradegecko-api.md §7.2/§7.3: every line names its tax type from GET /tax_types. */
      if (!json_object_has_member (line, "tax_type_id") ||
          JSON_NODE_HOLDS_NULL (json_object_get_member (line, "tax_type_id")))
        sandbox_tg_add_error (errors, "order_line_items.tax_type_id", "can't be blank");
      else if (!sandbox_get_int_member (line, "tax_type_id", &value) ||
               sandbox_find_by_int_id (self->tg_tax_types, value) == NULL)
        sandbox_tg_add_error (errors, "order_line_items.tax_type_id", "is invalid");

      if (json_object_has_member (line, "tax_rate_override") &&
          !JSON_NODE_HOLDS_NULL (json_object_get_member (line, "tax_rate_override")) &&
          (!sandbox_decimal_parse (json_object_get_member (line, "tax_rate_override"), &value) ||
           value < 0 || value > 100 * 10000))
        sandbox_tg_add_error (errors, "order_line_items.tax_rate_override", "must be between 0 and 100");

      if (json_object_has_member (line, "discount") && !JSON_NODE_HOLDS_NULL (json_object_get_member (line, "discount")) &&
          (!sandbox_decimal_parse (json_object_get_member (line, "discount"), &value) ||
           value < -100 * 10000 || value > 100 * 10000))
        sandbox_tg_add_error (errors, "order_line_items.discount", "must be between -100 and 100");
    }
}

static void
validate_order (RelaySandbox *self,
                JsonObject   *order,
                JsonObject   *errors)
{
  JsonObject *company = nested_object (order, "company");
  JsonObject *shipping = nested_object (order, "shipping_address");
  JsonObject *billing = nested_object (order, "billing_address");
  const char *status = sandbox_get_string_member (order, "status");
  const char *currency = sandbox_get_string_member (order, "currency_iso");
  const char *tax = sandbox_get_string_member (order, "tax_treatment");
  const char *number = sandbox_get_string_member (order, "order_number");
  g_autofree char *date = NULL;
  gint64 company_id = -1, address_id;
  static const char * const create_statuses[] = { "draft", "active", "finalized", NULL };

  if (company != NULL)
    {
      sandbox_tg_validate_company (company, errors, "company");
      if (shipping == NULL)
        sandbox_tg_add_error (errors, "shipping_address", "must be provided when creating a company");
    }
  else if (!json_object_has_member (order, "company_id") ||
           JSON_NODE_HOLDS_NULL (json_object_get_member (order, "company_id")))
    sandbox_tg_add_error (errors, "company_id", "can't be blank");
  else if (!sandbox_get_int_member (order, "company_id", &company_id) ||
           sandbox_index_find_int (&self->tg_companies_by_id, company_id) == NULL)
    {
      sandbox_tg_add_error (errors, "company_id", "is invalid");
      company_id = -1;
    }

  if (shipping != NULL)
    sandbox_tg_validate_address (self, shipping, company != NULL ? -1 : company_id, errors, "shipping_address");
  else if (!json_object_has_member (order, "shipping_address_id") ||
           JSON_NODE_HOLDS_NULL (json_object_get_member (order, "shipping_address_id")))
    sandbox_tg_add_error (errors, "shipping_address_id", "can't be blank");
  else if (!sandbox_get_int_member (order, "shipping_address_id", &address_id) ||
           sandbox_index_find_int (&self->tg_addresses_by_id, address_id) == NULL)
    sandbox_tg_add_error (errors, "shipping_address_id", "is invalid");

  if (billing != NULL)
    {
      sandbox_tg_validate_address (self, billing, company != NULL ? -1 : company_id, errors, "billing_address");
      if (shipping != NULL &&
          g_strcmp0 (sandbox_get_string_member (billing, "label"), sandbox_get_string_member (shipping, "label")) == 0 &&
          sandbox_get_string_member (billing, "label") != NULL)
        sandbox_tg_add_error (errors, "billing_address.label", "has already been taken");
    }
  else if (json_object_has_member (order, "billing_address_id") &&
           !JSON_NODE_HOLDS_NULL (json_object_get_member (order, "billing_address_id")) &&
           (!sandbox_get_int_member (order, "billing_address_id", &address_id) ||
            sandbox_index_find_int (&self->tg_addresses_by_id, address_id) == NULL))
    sandbox_tg_add_error (errors, "billing_address_id", "is invalid");

  if (!json_object_has_member (order, "issued_at") || JSON_NODE_HOLDS_NULL (json_object_get_member (order, "issued_at")))
    sandbox_tg_add_error (errors, "issued_at", "can't be blank");
  else if (!parse_order_date (sandbox_get_string_member (order, "issued_at"), &date))
    sandbox_tg_add_error (errors, "issued_at", "is invalid");

  g_clear_pointer (&date, g_free);
  if (json_object_has_member (order, "ship_at") && !JSON_NODE_HOLDS_NULL (json_object_get_member (order, "ship_at")) &&
      !parse_order_date (sandbox_get_string_member (order, "ship_at"), &date))
    sandbox_tg_add_error (errors, "ship_at", "is invalid");

  if (json_object_has_member (order, "status") && !g_strv_contains (create_statuses, status ? status : ""))
    sandbox_tg_add_error (errors, "status", "is not included in the list");

  if (json_object_has_member (order, "currency_iso") && sandbox_tg_find_currency_by_iso (self, currency) == NULL)
    sandbox_tg_add_error (errors, "currency_iso", "is not a known currency; create it first with POST /currencies");

  if (tax != NULL && !g_str_equal (tax, "exclusive") && !g_str_equal (tax, "inclusive"))
    sandbox_tg_add_error (errors, "tax_treatment", "is not included in the list");

  /* §7.2: the warehouse that commits the stock is one of GET /locations. */
  if (json_object_has_member (order, "stock_location_id") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (order, "stock_location_id")) &&
      (!sandbox_get_int_member (order, "stock_location_id", &address_id) ||
       sandbox_find_by_int_id (self->tg_locations, address_id) == NULL))
    sandbox_tg_add_error (errors, "stock_location_id", "is invalid");

  if (number != NULL && *number != '\0' && order_number_taken (self, number) &&
      json_object_get_boolean_member_with_default (self->tg_account, "unique_order_numbers", FALSE))
    sandbox_tg_add_error (errors, "order_number", "has already been taken");

  validate_lines (self, order, errors);
}

/* Ten-thousandths per smallest unit of @currency: 100 for cents, 10000 for yen. */
static gint64
currency_unit (JsonObject *currency)
{
  gint64 precision = currency != NULL ? json_object_get_int_member_with_default (currency, "precision", 2) : 2;
  gint64 unit = 1;

  for (gint64 i = precision; i < 4; i++)
    unit *= 10;
  return unit;
}

static gint64
round_half_away (gint64 numerator,
                 gint64 denominator)
{
  if (numerator >= 0)
    return (numerator + denominator / 2) / denominator;
  return -((-numerator + denominator / 2) / denominator);
}

/* One line's tax and total, in ten-thousandths. The docs give the inputs
 * (price, quantity, discount %, the tax type's effective_rate or
 * tax_rate_override, the order's tax_treatment; tradegecko-api.md §7.2, §7.3,
 * §9) but not the arithmetic; this is the usual invoice arithmetic: the net
 * (price × quantity less the discount) and the tax each rounded to the
 * currency's precision, half away from zero; exclusive adds the tax,
 * inclusive takes it out of the net. */
static void
line_amounts (gint64    price,
              gint64    quantity,
              gint64    discount,
              gint64    rate,
              gboolean  inclusive,
              gint64    unit,
              gint64   *line_total)
{
  gint64 net = round_half_away (price * quantity / 10000 * (1000000 - discount) / 1000000, unit);
  gint64 tax = inclusive ? round_half_away (net * rate, 1000000 + rate)
                         : round_half_away (net * rate, 1000000);

  *line_total = (inclusive ? net : net + tax) * unit;
}

static JsonObject *
create_order (RelaySandbox *self,
              JsonObject   *given)
{
  JsonObject *company = nested_object (given, "company");
  JsonObject *shipping = nested_object (given, "shipping_address");
  JsonObject *billing = nested_object (given, "billing_address");
  const char *status = sandbox_get_string_member (given, "status") ?: "draft";
  const char *number = sandbox_get_string_member (given, "order_number");
  JsonObject *currency = sandbox_tg_find_currency_by_iso (self, sandbox_get_string_member (given, "currency_iso"));
  JsonObject *order = json_object_new ();
  JsonNode *lines_node = json_object_get_member (given, "order_line_items");
  g_autofree char *now = now_text ();
  g_autofree char *issued = NULL;
  g_autofree char *ship_at = NULL;
  g_autofree char *auto_number = NULL;
  g_autofree char *document_url = NULL;
  JsonArray *line_ids = json_array_new ();
  gint64 company_id = -1, shipping_id = -1, billing_id = -1, location_id, order_id, total = 0;
  const char *treatment = sandbox_get_string_member (given, "tax_treatment") ?:
                          sandbox_get_string_member (self->tg_account, "default_tax_treatment") ?: "exclusive";
  gboolean inclusive = g_str_equal (treatment, "inclusive");
  JsonObject *order_currency = currency ? currency
                                        : sandbox_find_by_int_id (self->tg_currencies,
                                                                  json_object_get_int_member_with_default (self->tg_account, "default_currency_id", 1));
  gint64 unit = currency_unit (order_currency);

  if (company != NULL)
    {
      JsonObject *created = sandbox_tg_company_new (self, company);

      g_ptr_array_add (self->tg_companies, created);
      company_id = json_object_get_int_member (created, "id");
    }
  else
    sandbox_get_int_member (given, "company_id", &company_id);

  if (shipping != NULL)
    shipping_id = json_object_get_int_member (sandbox_tg_store_address (self, shipping, company_id), "id");
  else
    sandbox_get_int_member (given, "shipping_address_id", &shipping_id);

  if (billing != NULL)
    billing_id = json_object_get_int_member (sandbox_tg_store_address (self, billing, company_id), "id");
  else if (!sandbox_get_int_member (given, "billing_address_id", &billing_id))
    billing_id = shipping_id;

  if (!sandbox_get_int_member (given, "stock_location_id", &location_id))
    location_id = json_object_get_int_member_with_default (self->tg_account, "primary_location_id", 1);

  parse_order_date (sandbox_get_string_member (given, "issued_at"), &issued);
  parse_order_date (sandbox_get_string_member (given, "ship_at"), &ship_at);

  if (number == NULL || *number == '\0')
    {
      do
        auto_number = g_strdup_printf ("SO%04u", self->tg_next_order_number++);
      while (order_number_taken (self, auto_number) && (g_free (auto_number), TRUE));
      number = auto_number;
    }

  order_id = self->tg_next_id++;
  document_url = g_strdup_printf ("https://go.tradegecko.com/d/sandbox-%" G_GINT64_FORMAT, order_id);
  json_object_set_int_member (order, "id", order_id);
  json_object_set_string_member (order, "created_at", now);
  json_object_set_string_member (order, "updated_at", now);
  json_object_set_string_member (order, "document_url", document_url);
  json_object_set_int_member (order, "company_id", company_id);
  json_object_set_null_member (order, "contact_id");
  json_object_set_int_member (order, "billing_address_id", billing_id);
  json_object_set_int_member (order, "shipping_address_id", shipping_id);
  json_object_set_int_member (order, "stock_location_id", location_id);
  json_object_set_int_member (order, "currency_id",
                              currency ? json_object_get_int_member (currency, "id")
                                       : json_object_get_int_member_with_default (self->tg_account, "default_currency_id", 1));
  json_object_set_int_member (order, "user_id", json_object_get_int_member_with_default (self->tg_user, "id", 1));
  json_object_set_null_member (order, "assignee_id");
  json_object_set_string_member (order, "order_number", number);
  set_string_or_null (order, "reference_number", sandbox_get_string_member (given, "reference_number"));
  set_string_or_null (order, "email", sandbox_get_string_member (given, "email"));
  set_string_or_null (order, "phone_number", sandbox_get_string_member (given, "phone_number"));
  set_string_or_null (order, "notes", sandbox_get_string_member (given, "notes"));
  json_object_set_string_member (order, "status", status);
  json_object_set_string_member (order, "payment_status", "unpaid");
  json_object_set_string_member (order, "invoice_status", "uninvoiced");
  json_object_set_string_member (order, "packed_status", "unpacked");
  json_object_set_string_member (order, "fulfillment_status", "unshipped");
  json_object_set_string_member (order, "return_status", "unreturned");
  json_object_set_string_member (order, "returning_status", "unreturning");
  json_object_set_string_member (order, "issued_at", issued);
  set_string_or_null (order, "ship_at", ship_at);
  json_object_set_string_member (order, "tax_treatment", treatment);
  json_object_set_string_member (order, "tax_label", "Tax");
  json_object_set_null_member (order, "tax_override");
  if (json_object_has_member (given, "tags") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (given, "tags")))
    json_object_set_member (order, "tags", json_node_copy (json_object_get_member (given, "tags")));
  else
    json_object_set_array_member (order, "tags", json_array_new ());
  json_object_set_null_member (order, "source_id");
  set_string_or_null (order, "source_url", sandbox_get_string_member (given, "source_url"));
  json_object_set_string_member (order, "default_price_list_id",
                                 sandbox_get_string_member (given, "default_price_list_id") ?: "retail");
  json_object_set_null_member (order, "tracking_number");

  for (guint i = 0; lines_node != NULL && JSON_NODE_HOLDS_ARRAY (lines_node) &&
                    i < json_array_get_length (json_node_get_array (lines_node)); i++)
    {
      JsonObject *line_given = json_array_get_object_element (json_node_get_array (lines_node), i);
      JsonObject *line = json_object_new ();
      gboolean freeform = member_is_true (line_given, "freeform");
      gint64 line_id = self->tg_next_id++;
      gint64 price = 0, quantity = 0, discount = 0, variant_id, tax_type_id = 0, rate = 0, line_total;

      sandbox_decimal_parse (json_object_get_member (line_given, "price"), &price);
      sandbox_decimal_parse (json_object_get_member (line_given, "quantity"), &quantity);
      sandbox_decimal_parse (json_object_get_member (line_given, "discount"), &discount);

      json_object_set_int_member (line, "id", line_id);
      json_object_set_string_member (line, "created_at", now);
      json_object_set_string_member (line, "updated_at", now);
      json_object_set_int_member (line, "order_id", order_id);
      if (!freeform && sandbox_get_int_member (line_given, "variant_id", &variant_id))
        json_object_set_int_member (line, "variant_id", variant_id);
      else
        json_object_set_null_member (line, "variant_id");
      set_decimal (line, "quantity", quantity);
      set_decimal (line, "price", price);
      if (json_object_has_member (line_given, "discount") &&
          !JSON_NODE_HOLDS_NULL (json_object_get_member (line_given, "discount")))
        set_decimal (line, "discount", discount);
      else
        json_object_set_null_member (line, "discount");
      json_object_set_boolean_member (line, "freeform", freeform);
      /* label is null on variant lines (smaug#9): only freeform lines carry one. */
      set_string_or_null (line, "label", freeform ? sandbox_get_string_member (line_given, "label") : NULL);
      set_string_or_null (line, "line_type", sandbox_get_string_member (line_given, "line_type"));
      json_object_set_int_member (line, "position", i + 1);
      if (sandbox_get_int_member (line_given, "tax_type_id", &tax_type_id))
        json_object_set_int_member (line, "tax_type_id", tax_type_id);
      else
        json_object_set_null_member (line, "tax_type_id");
      if (sandbox_decimal_parse (json_object_get_member (line_given, "tax_rate_override"), &rate))
        set_decimal (line, "tax_rate_override", rate);
      else
        {
          JsonObject *type = sandbox_find_by_int_id (self->tg_tax_types, tax_type_id);

          rate = type != NULL ? get_decimal (type, "effective_rate") : 0;
          json_object_set_null_member (line, "tax_rate_override");
        }
      set_string_or_null (line, "image_url", sandbox_get_string_member (line_given, "image_url"));
      json_object_set_array_member (line, "fulfillment_line_item_ids", json_array_new ());
      json_object_set_array_member (line, "invoice_line_item_ids", json_array_new ());
      json_object_set_array_member (line, "fulfillment_return_line_item_ids", json_array_new ());
      g_ptr_array_add (self->tg_order_line_items, line);
      json_array_add_int_element (line_ids, line_id);

      line_amounts (price, quantity, discount, rate, inclusive, unit, &line_total);
      total += line_total;

      if (!freeform && sandbox_tg_order_commits_stock (status))
        {
          JsonObject *variant = sandbox_index_find_int (&self->tg_variants_by_id,
                                                        json_object_get_int_member (line, "variant_id"));
          if (variant != NULL)
            sandbox_tg_variant_adjust_stock (variant, 0, quantity);
        }
    }

  set_decimal (order, "total", total);
  json_object_set_array_member (order, "order_line_item_ids", line_ids);
  json_object_set_array_member (order, "fulfillment_ids", json_array_new ());
  json_object_set_array_member (order, "fulfillment_return_ids", json_array_new ());
  json_object_set_array_member (order, "invoice_ids", json_array_new ());
  json_object_set_array_member (order, "payment_ids", json_array_new ());
  json_object_set_array_member (order, "refund_ids", json_array_new ());

  g_ptr_array_add (self->tg_orders, order);
  return order;
}

static void
void_order (RelaySandbox *self,
            JsonObject   *order)
{
  g_autoptr(GPtrArray) lines = sandbox_tg_lines_of_order (self, json_object_get_int_member (order, "id"));

  if (sandbox_tg_order_commits_stock (sandbox_get_string_member (order, "status")))
    {
      /* Release what was committed and never shipped. */
      for (guint i = 0; i < lines->len; i++)
        {
          JsonObject *line = g_ptr_array_index (lines, i);
          JsonObject *variant;
          gint64 allocated, shipped;

          if (json_object_get_boolean_member (line, "freeform"))
            continue;
          variant = sandbox_index_find_int (&self->tg_variants_by_id, json_object_get_int_member (line, "variant_id"));
          sandbox_tg_line_fulfilled_quantities (self, line, &allocated, &shipped);
          if (variant != NULL)
            sandbox_tg_variant_adjust_stock (variant, 0, -(get_decimal (line, "quantity") - shipped));
        }
    }

  json_object_set_string_member (order, "status", "void");
  touch (order);
}

void
sandbox_tg_post_order (RelaySandbox      *self,
                       SoupServerMessage *msg,
                       SandboxReply      *reply)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *given = sandbox_tg_parse_wrapped_body (msg, "order", &root, reply);

  if (given == NULL)
    return;

  validate_order (self, given, errors);
  if (json_object_get_size (errors) > 0)
    {
      sandbox_tg_reply_unprocessable (errors, reply);
      return;
    }

  sandbox_tg_reply_record ("order", create_order (self, given), 201, reply);
}

void
sandbox_tg_get_order (RelaySandbox *self,
                      JsonObject   *order,
                      GPtrArray    *params,
                      SandboxReply *reply)
{
  JsonObject *body = json_object_new ();
  g_autoptr(GPtrArray) include = sandbox_params_get_all (params, "include");

  json_object_set_object_member (body, "order", json_object_ref (order));
  for (guint i = 0; include != NULL && i < include->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (include, i), "order_line_items"))
        {
          g_autoptr(GPtrArray) lines = sandbox_tg_lines_of_order (self, json_object_get_int_member (order, "id"));
          JsonArray *array = json_array_new ();

          for (guint j = 0; j < lines->len; j++)
            json_array_add_object_element (array, json_object_ref (g_ptr_array_index (lines, j)));
          json_object_set_array_member (body, "order_line_items", array);
        }
    }

  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

void
sandbox_tg_order_action (RelaySandbox      *self,
                         SoupServerMessage *msg,
                         JsonObject        *order,
                         const char        *action,
                         SandboxReply      *reply)
{
  const char *status = sandbox_get_string_member (order, "status");

  if (g_str_equal (action, "void"))
    {
      if (g_strcmp0 (status, "void") == 0 || g_strcmp0 (status, "deleted") == 0)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          sandbox_tg_add_error (errors, "status", "is already void");
          sandbox_tg_reply_unprocessable (errors, reply);
          return;
        }
      void_order (self, order);
    }
  else if (g_str_equal (action, "pack") || g_str_equal (action, "fulfil") || g_str_equal (action, "fulfill"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(JsonNode) root = body->length > 0 ? json_from_string (body->data, NULL) : NULL;
      JsonObject *tracking = root && JSON_NODE_HOLDS_OBJECT (root)
                             ? nested_object (json_node_get_object (root), "fulfillment") : NULL;
      g_autoptr(JsonObject) shipment = tracking ? sandbox_object_copy (tracking) : json_object_new ();
      g_autoptr(GError) error = NULL;

      json_object_set_string_member (shipment, "status", g_str_equal (action, "pack") ? "packed" : "fulfilled");
      json_object_remove_member (shipment, "lines");
      if (sandbox_tradegecko_ship (self, json_object_get_int_member (order, "id"), shipment, &error) < 0)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          sandbox_tg_add_error (errors, "base", error->message);
          sandbox_tg_reply_unprocessable (errors, reply);
          return;
        }
    }
  else if (g_str_equal (action, "pay") || g_str_equal (action, "invoice"))
    {
      /* §7.6: invoice invoices every uninvoiced line; pay pays the invoices
       * and invoices plus pays the remainder. Each creates records the order
       * lists, so a second payment would show. */
      if (g_strcmp0 (status, "void") == 0 || g_strcmp0 (status, "deleted") == 0)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          sandbox_tg_add_error (errors, "status", "is void");
          sandbox_tg_reply_unprocessable (errors, reply);
          return;
        }
      if (g_str_equal (action, "pay") && g_strcmp0 (sandbox_get_string_member (order, "payment_status"), "paid") == 0)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          sandbox_tg_add_error (errors, "payment_status", "is already paid");
          sandbox_tg_reply_unprocessable (errors, reply);
          return;
        }
      if (g_strcmp0 (sandbox_get_string_member (order, "invoice_status"), "invoiced") != 0)
        {
          append_id (order, "invoice_ids", self->tg_next_id++);
          json_object_set_string_member (order, "invoice_status", "invoiced");
        }
      if (g_str_equal (action, "pay"))
        {
          append_id (order, "payment_ids", self->tg_next_id++);
          json_object_set_string_member (order, "payment_status", "paid");
        }
      touch (order);
    }
  else
    {
      not_found (reply, "action", action);
      return;
    }

  sandbox_tg_reply_record ("order", order, 200, reply);
}
