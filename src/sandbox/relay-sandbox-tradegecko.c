/* relay-sandbox-tradegecko.c — the TradeGecko API v1 (variants, companies, addresses, orders,
 * fulfillments, currencies, locations, account)
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

#include "relay-sandbox-private.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 250
#define IDEMPOTENCY_LIFETIME_US (24 * G_TIME_SPAN_HOUR)

static const char * const active_only[] = { "active", NULL };
static const char * const live_orders[] = { "draft", "active", "finalized", "fulfilled", NULL };
static const char * const live_fulfillments[] = { "packed", "fulfilled", NULL };
static const char * const company_types[] = { "business", "supplier", "consumer", NULL };

void
sandbox_tradegecko_error (SandboxReply *reply,
                          guint         status,
                          const char   *type,
                          const char   *message)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "type", type);
  json_object_set_string_member (body, "message", message);
  sandbox_reply_set (reply, status, sandbox_node_take_object (body));
}

static void
bad_request (SandboxReply *reply,
             const char   *message)
{
  sandbox_tradegecko_error (reply, 400, "Bad Request", message);
}

static void
not_found (SandboxReply *reply,
           const char   *resource,
           const char   *id)
{
  g_autofree char *message = g_strdup_printf ("Couldn't find %s with 'id'=%s", resource, id);

  sandbox_tradegecko_error (reply, 404, "Not Found", message);
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
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

static char *
now_text (void)
{
  return sandbox_format_iso8601_ms (sandbox_now_ms ());
}

static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static void
set_decimal (JsonObject *object,
             const char *member,
             gint64      e4)
{
  g_autofree char *text = sandbox_decimal_format (e4);

  json_object_set_string_member (object, member, text);
}

static gint64
get_decimal (JsonObject *object,
             const char *member)
{
  gint64 e4 = 0;

  sandbox_decimal_parse (json_object_get_member (object, member), &e4);
  return e4;
}

static void
touch (JsonObject *object)
{
  g_autofree char *now = now_text ();

  json_object_set_string_member (object, "updated_at", now);
}

static void
append_id (JsonObject *object,
           const char *member,
           gint64      id)
{
  json_array_add_int_element (json_object_get_array_member (object, member), id);
}

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                       */

static GPtrArray *
objects_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

static JsonObject *
currency_new (gint64      id,
              const char *iso,
              const char *name,
              const char *rate,
              const char *symbol,
              int         precision)
{
  JsonObject *currency = json_object_new ();

  json_object_set_int_member (currency, "id", id);
  json_object_set_string_member (currency, "iso", iso);
  json_object_set_string_member (currency, "name", name);
  json_object_set_string_member (currency, "rate", rate);
  json_object_set_string_member (currency, "symbol", symbol);
  json_object_set_string_member (currency, "separator", ".");
  json_object_set_string_member (currency, "delimiter", ",");
  json_object_set_int_member (currency, "precision", precision);
  json_object_set_string_member (currency, "format", "%u%n");
  json_object_set_string_member (currency, "status", "active");
  json_object_set_int_member (currency, "subunit", precision == 0 ? 1 : 100);
  return currency;
}

/* tradegecko-api.md §9: `{"id":2,"code":"SALES","name":"Sales Tax","effective_rate":"15.0",…}`. */
static JsonObject *
tax_type_new (gint64      id,
              const char *code,
              const char *name,
              const char *rate)
{
  JsonObject *type = json_object_new ();
  JsonArray *components = json_array_new ();

  json_array_add_int_element (components, id);
  json_object_set_int_member (type, "id", id);
  json_object_set_string_member (type, "code", code);
  json_object_set_string_member (type, "name", name);
  json_object_set_string_member (type, "effective_rate", rate);
  json_object_set_string_member (type, "status", "active");
  json_object_set_array_member (type, "tax_component_ids", components);
  return type;
}

void
sandbox_tradegecko_reset (RelaySandbox *self)
{
  JsonObject *location;
  g_autofree char *now = now_text ();

  g_clear_pointer (&self->tg_tokens, g_hash_table_unref);
  self->tg_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->tg_tokens, g_strdup (RELAY_SANDBOX_TRADEGECKO_TOKEN));

  g_clear_pointer (&self->tg_account, json_object_unref);
  self->tg_account = json_object_new ();
  json_object_set_int_member (self->tg_account, "id", 1);
  json_object_set_string_member (self->tg_account, "created_at", now);
  json_object_set_string_member (self->tg_account, "updated_at", now);
  json_object_set_string_member (self->tg_account, "name", "Sandbox Warehouse");
  json_object_set_string_member (self->tg_account, "country", "US");
  json_object_set_int_member (self->tg_account, "default_currency_id", 1);
  json_object_set_string_member (self->tg_account, "default_order_price_list_id", "retail");
  json_object_set_string_member (self->tg_account, "default_tax_treatment", "exclusive");
  json_object_set_int_member (self->tg_account, "default_sales_order_tax_type_id", 2);
  json_object_set_int_member (self->tg_account, "primary_location_id", 1);
  json_object_set_string_member (self->tg_account, "time_zone", "America/New_York");
  json_object_set_null_member (self->tg_account, "default_payment_method_id");
  /* Not a documented field: TradeGecko rejects a repeated order_number only
   * when the account is set to (issue 14); this is that setting, off by default. */
  json_object_set_boolean_member (self->tg_account, "unique_order_numbers", FALSE);

  g_clear_pointer (&self->tg_user, json_object_unref);
  self->tg_user = json_object_new ();
  json_object_set_int_member (self->tg_user, "id", 1);
  json_object_set_int_member (self->tg_user, "account_id", 1);
  json_object_set_string_member (self->tg_user, "first_name", "Sandbox");
  json_object_set_string_member (self->tg_user, "last_name", "Operator");
  json_object_set_string_member (self->tg_user, "email", "operator@sandbox.example");
  json_object_set_string_member (self->tg_user, "status", "active");

  g_clear_pointer (&self->tg_currencies, g_ptr_array_unref);
  self->tg_currencies = objects_new ();
  g_ptr_array_add (self->tg_currencies, currency_new (1, "USD", "US Dollar", "1.0", "$", 2));
  g_ptr_array_add (self->tg_currencies, currency_new (2, "EUR", "Euro", "0.92", "€", 2));
  g_ptr_array_add (self->tg_currencies, currency_new (3, "JPY", "Japanese Yen", "151.0", "¥", 0));

  g_clear_pointer (&self->tg_tax_types, g_ptr_array_unref);
  self->tg_tax_types = objects_new ();
  g_ptr_array_add (self->tg_tax_types, tax_type_new (1, "EXEMPT", "Tax Exempt", "0.0"));
  g_ptr_array_add (self->tg_tax_types, tax_type_new (2, "SALES", "Sales Tax", "8.875"));
  g_ptr_array_add (self->tg_tax_types, tax_type_new (3, "VAT20", "VAT 20%", "20.0"));
  g_ptr_array_add (self->tg_tax_types, tax_type_new (4, "JCT10", "Consumption Tax 10%", "10.0"));

  g_clear_pointer (&self->tg_locations, g_ptr_array_unref);
  self->tg_locations = objects_new ();
  location = json_object_new ();
  json_object_set_int_member (location, "id", 1);
  json_object_set_string_member (location, "label", "Main Warehouse");
  json_object_set_string_member (location, "address1", "100 Harbor Way");
  json_object_set_null_member (location, "address2");
  json_object_set_string_member (location, "city", "Portland");
  json_object_set_string_member (location, "state", "OR");
  json_object_set_string_member (location, "zip_code", "97201");
  json_object_set_string_member (location, "country", "US");
  json_object_set_boolean_member (location, "holds_stock", TRUE);
  json_object_set_string_member (location, "status", "active");
  g_ptr_array_add (self->tg_locations, location);

  g_clear_pointer (&self->tg_variants, g_ptr_array_unref);
  self->tg_variants = objects_new ();
  g_clear_pointer (&self->tg_companies, g_ptr_array_unref);
  self->tg_companies = objects_new ();
  g_clear_pointer (&self->tg_addresses, g_ptr_array_unref);
  self->tg_addresses = objects_new ();
  g_clear_pointer (&self->tg_orders, g_ptr_array_unref);
  self->tg_orders = objects_new ();
  g_clear_pointer (&self->tg_order_line_items, g_ptr_array_unref);
  self->tg_order_line_items = objects_new ();
  g_clear_pointer (&self->tg_fulfillments, g_ptr_array_unref);
  self->tg_fulfillments = objects_new ();
  g_clear_pointer (&self->tg_fulfillment_line_items, g_ptr_array_unref);
  self->tg_fulfillment_line_items = objects_new ();
  g_clear_pointer (&self->tg_idempotency, g_hash_table_unref);
  self->tg_idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);

  self->tg_next_id = 1001;
  self->tg_next_order_number = 1;
  self->tg_rate.window_start = 0;
  self->tg_rate.count = 0;
}

static JsonObject *
find_currency_by_iso (RelaySandbox *self,
                      const char   *iso)
{
  for (guint i = 0; iso != NULL && i < self->tg_currencies->len; i++)
    {
      JsonObject *currency = g_ptr_array_index (self->tg_currencies, i);

      if (g_strcmp0 (sandbox_get_string_member (currency, "iso"), iso) == 0)
        return currency;
    }
  return NULL;
}

/* Every stock figure is derived from on-hand and committed, so they never disagree. */
static void
variant_set_stock (JsonObject *variant,
                   gint64      on_hand,
                   gint64      committed)
{
  JsonArray *locations = json_array_new ();
  JsonObject *location = json_object_new ();
  JsonObject *levels = json_object_new ();
  JsonObject *committed_levels = json_object_new ();
  g_autofree char *on_hand_text = sandbox_decimal_format (on_hand);
  g_autofree char *committed_text = sandbox_decimal_format (committed);

  set_decimal (variant, "stock_on_hand", on_hand);
  set_decimal (variant, "committed_stock", committed);
  set_decimal (variant, "available_stock", on_hand - committed);

  json_object_set_int_member (location, "location_id", 1);
  set_decimal (location, "stock_on_hand", on_hand);
  set_decimal (location, "committed", committed);
  json_object_set_null_member (location, "incoming");
  json_object_set_null_member (location, "bin_location");
  json_object_set_null_member (location, "reorder_point");
  json_object_set_string_member (location, "production_committed", "0");
  json_object_set_string_member (location, "production_incoming", "0");
  set_decimal (location, "available", on_hand - committed);
  json_array_add_object_element (locations, location);
  json_object_set_array_member (variant, "locations", locations);

  json_object_set_string_member (levels, "1", on_hand_text);
  json_object_set_object_member (variant, "stock_levels", levels);
  json_object_set_string_member (committed_levels, "1", committed_text);
  json_object_set_object_member (variant, "committed_stock_levels", committed_levels);
}

static void
variant_adjust_stock (JsonObject *variant,
                      gint64      on_hand_delta,
                      gint64      committed_delta)
{
  if (!json_object_get_boolean_member_with_default (variant, "manage_stock", TRUE))
    return;

  /* At the variant's first location: where the sandbox's orders take stock from. */
  sandbox_stock_adjust_location (variant, 0, on_hand_delta, committed_delta);
  touch (variant);
}

static gboolean
read_price (JsonObject  *given,
            const char  *member,
            gint64       fallback,
            gint64      *e4,
            GError     **error)
{
  JsonNode *node = json_object_get_member (given, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *e4 = fallback;
      return TRUE;
    }
  if (!sandbox_decimal_parse (node, e4))
    return invalid (error, "%s must be a number", member);
  return TRUE;
}

static JsonObject *
complete_variant (RelaySandbox  *self,
                  JsonObject    *given,
                  GError       **error)
{
  g_autoptr(JsonObject) variant = json_object_new ();
  g_autofree char *now = now_text ();
  const char *product_name = sandbox_get_string_member (given, "product_name");
  const char *name = sandbox_get_string_member (given, "name");
  const char *status = sandbox_get_string_member (given, "status");
  JsonArray *prices_list = json_array_new ();
  JsonObject *prices = json_object_new ();
  gint64 id, product_id, retail, wholesale, buy, on_hand, committed;
  const char *lists[] = { "retail", "wholesale", "buy" };
  gint64 values[3];

  if (product_name == NULL)
    {
      json_array_unref (prices_list);
      json_object_unref (prices);
      return invalid (error, "every variant needs a product_name"), NULL;
    }
  if (!read_price (given, "retail_price", 0, &retail, error) ||
      !read_price (given, "wholesale_price", retail, &wholesale, error) ||
      !read_price (given, "buy_price", 0, &buy, error) ||
      !read_price (given, "stock_on_hand", 0, &on_hand, error) ||
      !read_price (given, "committed_stock", 0, &committed, error))
    {
      json_array_unref (prices_list);
      json_object_unref (prices);
      return NULL;
    }

  if (!sandbox_get_int_member (given, "id", &id))
    id = self->tg_next_id++;
  else
    self->tg_next_id = MAX (self->tg_next_id, id + 1);
  if (!sandbox_get_int_member (given, "product_id", &product_id))
    product_id = self->tg_next_id++;

  json_object_set_int_member (variant, "id", id);
  json_object_set_string_member (variant, "created_at", now);
  json_object_set_string_member (variant, "updated_at", now);
  json_object_set_int_member (variant, "product_id", product_id);
  /* TradeGecko neither requires nor de-duplicates SKUs: "" and repeats stay as given. */
  json_object_set_string_member (variant, "sku", sandbox_get_string_member (given, "sku") ?: "");
  set_string_or_null (variant, "name", name);
  json_object_set_string_member (variant, "product_name", product_name);
  json_object_set_string_member (variant, "product_status", "active");
  set_string_or_null (variant, "product_type", sandbox_get_string_member (given, "product_type"));
  json_object_set_string_member (variant, "status", status ? status : "active");
  json_object_set_null_member (variant, "description");
  json_object_set_null_member (variant, "upc");
  json_object_set_null_member (variant, "supplier_code");
  set_string_or_null (variant, "opt1", name);
  json_object_set_null_member (variant, "opt2");
  json_object_set_null_member (variant, "opt3");
  json_object_set_int_member (variant, "position", 1);
  set_decimal (variant, "retail_price", retail);
  set_decimal (variant, "wholesale_price", wholesale);
  set_decimal (variant, "buy_price", buy);
  set_decimal (variant, "last_cost_price", buy);
  set_decimal (variant, "moving_average_cost", buy);
  json_object_set_string_member (variant, "incoming_stock", "0");
  json_object_set_boolean_member (variant, "manage_stock",
                                  json_object_get_boolean_member_with_default (given, "manage_stock", TRUE));
  json_object_set_boolean_member (variant, "keep_selling", FALSE);
  json_object_set_null_member (variant, "max_online");
  json_object_set_boolean_member (variant, "sellable", TRUE);
  json_object_set_boolean_member (variant, "taxable", TRUE);
  json_object_set_boolean_member (variant, "online_ordering", TRUE);
  json_object_set_null_member (variant, "composite");
  json_object_set_null_member (variant, "weight");
  json_object_set_null_member (variant, "weight_unit");
  json_object_set_null_member (variant, "hs_code");
  json_object_set_null_member (variant, "country_of_origin");
  json_object_set_array_member (variant, "image_ids", json_array_new ());

  values[0] = retail;
  values[1] = wholesale;
  values[2] = buy;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *value = sandbox_decimal_format (values[i]);

      json_object_set_string_member (entry, "price_list_id", lists[i]);
      json_object_set_string_member (entry, "value", value);
      json_array_add_object_element (prices_list, entry);
      json_object_set_string_member (prices, lists[i], value);
    }
  json_object_set_array_member (variant, "variant_prices", prices_list);
  json_object_set_object_member (variant, "prices", prices);

  variant_set_stock (variant, on_hand, committed);
  if (!sandbox_stock_load_variant (variant, given, error))
    return NULL;
  return g_steal_pointer (&variant);
}

static JsonObject *
company_new (RelaySandbox *self,
             JsonObject   *given)
{
  JsonObject *company = json_object_new ();
  g_autofree char *now = now_text ();
  static const char * const optional[] = {
    "email", "phone_number", "company_code", "description", "fax", "website", "tax_number", NULL
  };
  gint64 id;

  if (!sandbox_get_int_member (given, "id", &id))
    id = self->tg_next_id++;
  else
    self->tg_next_id = MAX (self->tg_next_id, id + 1);

  json_object_set_int_member (company, "id", id);
  json_object_set_string_member (company, "created_at", now);
  json_object_set_string_member (company, "updated_at", now);
  json_object_set_string_member (company, "name", sandbox_get_string_member (given, "name"));
  json_object_set_string_member (company, "company_type", sandbox_get_string_member (given, "company_type"));
  for (guint i = 0; optional[i] != NULL; i++)
    set_string_or_null (company, optional[i], sandbox_get_string_member (given, optional[i]));
  json_object_set_string_member (company, "status", "active");
  if (json_object_has_member (given, "tags") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (given, "tags")))
    json_object_set_member (company, "tags", json_node_copy (json_object_get_member (given, "tags")));
  else
    json_object_set_array_member (company, "tags", json_array_new ());
  json_object_set_null_member (company, "default_price_list_id");
  json_object_set_null_member (company, "default_payment_term_id");
  json_object_set_null_member (company, "default_tax_type_id");
  json_object_set_null_member (company, "assignee_id");
  json_object_set_array_member (company, "address_ids", json_array_new ());
  json_object_set_array_member (company, "contact_ids", json_array_new ());
  json_object_set_array_member (company, "note_ids", json_array_new ());
  return company;
}

static void
validate_company (JsonObject *given,
                  JsonObject *errors,
                  const char *prefix);

static JsonObject *
address_new (RelaySandbox *self,
             JsonObject   *given,
             gint64        company_id)
{
  JsonObject *address = json_object_new ();
  g_autofree char *now = now_text ();
  static const char * const optional[] = {
    "label", "first_name", "last_name", "company_name", "address1", "address2", "suburb", "city",
    "state", "zip_code", "country", "country_code", "phone_number", "email", NULL
  };
  gint64 id;

  if (!sandbox_get_int_member (given, "id", &id))
    id = self->tg_next_id++;
  else
    self->tg_next_id = MAX (self->tg_next_id, id + 1);

  json_object_set_int_member (address, "id", id);
  json_object_set_string_member (address, "created_at", now);
  json_object_set_string_member (address, "updated_at", now);
  json_object_set_int_member (address, "company_id", company_id);
  for (guint i = 0; optional[i] != NULL; i++)
    set_string_or_null (address, optional[i], sandbox_get_string_member (given, optional[i]));
  json_object_set_string_member (address, "status", "active");
  return address;
}

static void
add_error (JsonObject *errors,
           const char *field,
           const char *message)
{
  JsonArray *messages;

  if (!json_object_has_member (errors, field))
    json_object_set_array_member (errors, field, json_array_new ());
  messages = json_object_get_array_member (errors, field);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    if (g_strcmp0 (json_array_get_string_element (messages, i), message) == 0)
      return;
  json_array_add_string_element (messages, message);
}

static char *
field_name (const char *prefix,
            const char *field)
{
  return prefix ? g_strconcat (prefix, ".", field, NULL) : g_strdup (field);
}

static void
validate_company (JsonObject *given,
                  JsonObject *errors,
                  const char *prefix)
{
  const char *name = sandbox_get_string_member (given, "name");
  const char *type = sandbox_get_string_member (given, "company_type");
  g_autofree char *name_field = field_name (prefix, "name");
  g_autofree char *type_field = field_name (prefix, "company_type");

  if (name == NULL || *name == '\0')
    add_error (errors, name_field, "can't be blank");
  if (type == NULL || *type == '\0')
    add_error (errors, type_field, "can't be blank");
  else if (!g_strv_contains (company_types, type))
    add_error (errors, type_field, "is not included in the list");
}

static gboolean
label_taken (RelaySandbox *self,
             gint64        company_id,
             const char   *label)
{
  GPtrArray *of_company = sandbox_index_lookup_int (&self->tg_addresses_by_company, company_id);

  for (guint i = 0; label != NULL && of_company != NULL && i < of_company->len; i++)
    {
      JsonObject *address = g_ptr_array_index (of_company, i);

      if (g_strcmp0 (sandbox_get_string_member (address, "label"), label) == 0)
        return TRUE;
    }
  return FALSE;
}

/* company_id < 0: a company created in the same request, so no label can clash yet. */
static void
validate_address (RelaySandbox *self,
                  JsonObject   *given,
                  gint64        company_id,
                  JsonObject   *errors,
                  const char   *prefix)
{
  const char *address1 = sandbox_get_string_member (given, "address1");
  g_autofree char *address1_field = field_name (prefix, "address1");
  g_autofree char *label_field = field_name (prefix, "label");

  if (address1 == NULL || *address1 == '\0')
    add_error (errors, address1_field, "can't be blank");
  if (company_id >= 0 && label_taken (self, company_id, sandbox_get_string_member (given, "label")))
    add_error (errors, label_field, "has already been taken");
}

static JsonObject *
store_address (RelaySandbox *self,
               JsonObject   *given,
               gint64        company_id)
{
  JsonObject *address = address_new (self, given, company_id);
  JsonObject *company = sandbox_index_find_int (&self->tg_companies_by_id, company_id);

  g_ptr_array_add (self->tg_addresses, address);
  if (company != NULL)
    append_id (company, "address_ids", json_object_get_int_member (address, "id"));
  return address;
}

static gboolean
load_objects (JsonObject  *scenario,
              const char  *member,
              GPtrArray  **out,
              GError     **error)
{
  JsonNode *node = scenario ? json_object_get_member (scenario, member) : NULL;
  JsonArray *array;

  *out = g_ptr_array_new ();
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "tradegecko.%s must be an array", member);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, "tradegecko.%s must hold objects", member);
      g_ptr_array_add (*out, json_node_get_object (element));
    }
  return TRUE;
}

gboolean
sandbox_tradegecko_load (RelaySandbox  *self,
                         JsonObject    *scenario,
                         GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonNode *node;

  if (scenario == NULL)
    return TRUE;

  if ((node = json_object_get_member (scenario, "tokens")) != NULL)
    {
      JsonArray *tokens;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return invalid (error, "tradegecko.tokens must be an array of strings");
      tokens = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (tokens); i++)
        {
          const char *token = json_array_get_string_element (tokens, i);

          if (token == NULL || *token == '\0')
            return invalid (error, "tradegecko.tokens must be an array of strings");
          g_hash_table_add (self->tg_tokens, g_strdup (token));
        }
    }

  if ((node = json_object_get_member (scenario, "account")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (self->tg_account, l->data,
                                json_node_copy (json_object_get_member (json_node_get_object (node), l->data)));
    }

  if ((node = json_object_get_member (scenario, "user")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&self->tg_user, json_object_unref);
      self->tg_user = sandbox_object_copy (json_node_get_object (node));
    }

  if (json_object_has_member (scenario, "currencies"))
    {
      if (!load_objects (scenario, "currencies", &list, error))
        return FALSE;
      g_ptr_array_set_size (self->tg_currencies, 0);
      for (guint i = 0; i < list->len; i++)
        {
          JsonObject *given = g_ptr_array_index (list, i);
          const char *iso = sandbox_get_string_member (given, "iso");
          gint64 id = i + 1;

          if (iso == NULL || strlen (iso) != 3)
            return invalid (error, "tradegecko.currencies[%u] needs a 3-letter \"iso\"", i);
          sandbox_get_int_member (given, "id", &id);
          g_ptr_array_add (self->tg_currencies,
                           currency_new (id, iso, sandbox_get_string_member (given, "name") ?: iso,
                                         sandbox_get_string_member (given, "rate") ?: "1.0",
                                         sandbox_get_string_member (given, "symbol") ?: iso,
                                         (int) sandbox_currency_exponent (iso)));
        }
      g_clear_pointer (&list, g_ptr_array_unref);
    }

  if (json_object_has_member (scenario, "tax_types"))
    {
      if (!load_objects (scenario, "tax_types", &list, error))
        return FALSE;
      g_ptr_array_set_size (self->tg_tax_types, 0);
      for (guint i = 0; i < list->len; i++)
        {
          JsonObject *given = g_ptr_array_index (list, i);
          gint64 id = i + 1, rate;

          sandbox_get_int_member (given, "id", &id);
          if (!sandbox_decimal_parse (json_object_get_member (given, "effective_rate"), &rate))
            return invalid (error, "tradegecko.tax_types[%u] needs an \"effective_rate\"", i);
          g_ptr_array_add (self->tg_tax_types,
                           tax_type_new (id, sandbox_get_string_member (given, "code") ?: "TAX",
                                         sandbox_get_string_member (given, "name") ?: "Tax",
                                         sandbox_get_string_member (given, "effective_rate") ?: "0.0"));
        }
      g_clear_pointer (&list, g_ptr_array_unref);
    }

  if (json_object_has_member (scenario, "locations"))
    {
      if (!load_objects (scenario, "locations", &list, error))
        return FALSE;
      g_ptr_array_set_size (self->tg_locations, 0);
      for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (self->tg_locations, sandbox_object_copy (g_ptr_array_index (list, i)));
      g_clear_pointer (&list, g_ptr_array_unref);
    }

  if (!load_objects (scenario, "variants", &list, error))
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      JsonObject *variant = complete_variant (self, g_ptr_array_index (list, i), error);

      if (variant == NULL)
        {
          g_prefix_error (error, "tradegecko.variants[%u]: ", i);
          return FALSE;
        }
      g_ptr_array_add (self->tg_variants, variant);
    }
  g_clear_pointer (&list, g_ptr_array_unref);

  if (!load_objects (scenario, "companies", &list, error))
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      g_autoptr(JsonObject) errors = json_object_new ();

      validate_company (g_ptr_array_index (list, i), errors, NULL);
      if (json_object_get_size (errors) > 0)
        return invalid (error, "tradegecko.companies[%u] needs a name and a company_type "
                               "(business, supplier or consumer)", i);
      g_ptr_array_add (self->tg_companies, company_new (self, g_ptr_array_index (list, i)));
    }
  g_clear_pointer (&list, g_ptr_array_unref);

  if (!load_objects (scenario, "addresses", &list, error))
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      JsonObject *given = g_ptr_array_index (list, i);
      g_autoptr(JsonObject) errors = json_object_new ();
      gint64 company_id = -1;

      if (!sandbox_get_int_member (given, "company_id", &company_id) ||
          sandbox_index_find_int (&self->tg_companies_by_id, company_id) == NULL)
        return invalid (error, "tradegecko.addresses[%u] needs the company_id of a listed company", i);
      validate_address (self, given, company_id, errors, NULL);
      if (json_object_get_size (errors) > 0)
        return invalid (error, "tradegecko.addresses[%u] needs address1 and a label unique to its company", i);
      store_address (self, given, company_id);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Collections: filters, ordering and pagination shared by every index endpoint                */

/* Keeps the objects whose @member equals one of the values of @param (single, `param[]` or a
 * comma list). Exact and case-sensitive. */
static void
filter_field (GPtrArray  *objects,
              GPtrArray  *params,
              const char *param,
              const char *member)
{
  g_autoptr(GPtrArray) wanted = sandbox_params_get_all (params, param);

  if (wanted == NULL)
    return;

  for (guint i = objects->len; i > 0; i--)
    {
      g_autofree char *value = sandbox_member_text (g_ptr_array_index (objects, i - 1), member);
      gboolean keep = FALSE;

      for (guint j = 0; value != NULL && j < wanted->len; j++)
        keep = keep || g_str_equal (value, g_ptr_array_index (wanted, j));
      if (!keep)
        g_ptr_array_remove_index (objects, i - 1);
    }
}

/* `q`: a case-insensitive substring of any of @members. A blank `q` is ignored, as
 * collection endpoints ignore blank parameters. */
static void
filter_search (GPtrArray          *objects,
               GPtrArray          *params,
               const char * const *members)
{
  const char *query = sandbox_params_get (params, "q");
  g_autofree char *needle = NULL;

  if (query == NULL || *query == '\0')
    return;

  needle = g_utf8_casefold (query, -1);
  for (guint i = objects->len; i > 0; i--)
    {
      JsonObject *object = g_ptr_array_index (objects, i - 1);
      gboolean keep = FALSE;

      for (guint j = 0; !keep && members[j] != NULL; j++)
        {
          const char *value = sandbox_get_string_member (object, members[j]);
          g_autofree char *folded = NULL;

          if (value == NULL)
            continue;
          folded = g_utf8_casefold (value, -1);
          keep = strstr (folded, needle) != NULL;
        }
      if (!keep)
        g_ptr_array_remove_index (objects, i - 1);
    }
}

static gboolean
filter_time (GPtrArray    *objects,
             GPtrArray    *params,
             const char   *param,
             const char   *member,
             gboolean      is_min,
             SandboxReply *reply)
{
  const char *text = sandbox_params_get (params, param);
  gint64 bound;

  if (text == NULL || *text == '\0')
    return TRUE;
  if (!sandbox_parse_iso8601 (text, &bound))
    {
      g_autofree char *date = g_strconcat (text, "T00:00:00Z", NULL);

      if (!sandbox_parse_iso8601 (date, &bound))
        {
          g_autofree char *message = g_strdup_printf ("%s is not a valid date", param);
          bad_request (reply, message);
          return FALSE;
        }
    }

  for (guint i = objects->len; i > 0; i--)
    {
      gint64 value;

      if (!sandbox_parse_iso8601 (sandbox_get_string_member (g_ptr_array_index (objects, i - 1), member), &value) ||
          (is_min ? value < bound : value > bound))
        g_ptr_array_remove_index (objects, i - 1);
    }
  return TRUE;
}

static int
compare_id_desc (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = json_object_get_int_member (*(JsonObject **) a, "id");
  gint64 y = json_object_get_int_member (*(JsonObject **) b, "id");

  return x < y ? 1 : x > y ? -1 : 0;
}

static int
compare_id_asc (gconstpointer a,
                gconstpointer b)
{
  return -compare_id_desc (a, b);
}

/* The filters every index endpoint shares. Without `status`, only @default_statuses show
 * (soft-deleted records stay hidden; docs/sandbox.md, “Pagination and filters”). Returns NULL
 * after setting a 400 reply. */
static GPtrArray *
select_common (GPtrArray          *all,
               GPtrArray          *params,
               const char * const *default_statuses,
               SandboxReply       *reply)
{
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  g_autoptr(GPtrArray) statuses = sandbox_params_get_all (params, "status");

  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *object = g_ptr_array_index (all, i);
      const char *status = sandbox_get_string_member (object, "status");

      if (statuses == NULL && default_statuses != NULL && !g_strv_contains (default_statuses, status ? status : ""))
        continue;
      g_ptr_array_add (selected, object);
    }

  if (statuses != NULL)
    filter_field (selected, params, "status", "status");
  filter_field (selected, params, "ids", "id");

  if (!filter_time (selected, params, "created_at_min", "created_at", TRUE, reply) ||
      !filter_time (selected, params, "created_at_max", "created_at", FALSE, reply) ||
      !filter_time (selected, params, "updated_at_min", "updated_at", TRUE, reply) ||
      !filter_time (selected, params, "updated_at_max", "updated_at", FALSE, reply))
    return NULL;

  /* "Most recent first" unless `order=… asc`; ids grow with creation time. */
  if (g_strrstr (sandbox_params_get (params, "order") ?: "", "asc") != NULL)
    g_ptr_array_sort (selected, compare_id_asc);
  else
    g_ptr_array_sort (selected, compare_id_desc);

  return g_steal_pointer (&selected);
}

static gboolean
parse_count (const char *text,
             gint64     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  *value = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

/* Applies limit/page, sets X-Pagination and returns the body with @root_key, or NULL after
 * setting a 400 reply. @page_out receives the page's records (borrowed). */
static JsonObject *
paginate (SoupServerMessage  *msg,
          GPtrArray          *params,
          GPtrArray          *selected,
          const char         *root_key,
          SandboxReply       *reply,
          GPtrArray         **page_out)
{
  gint64 limit = DEFAULT_LIMIT;
  gint64 page = 1;
  gint64 total = selected->len;
  gint64 total_pages, offset;
  JsonObject *pagination, *body;
  JsonArray *records = json_array_new ();
  g_autoptr(GPtrArray) page_records = g_ptr_array_new ();
  g_autofree char *pagination_text = NULL;
  g_autoptr(JsonNode) pagination_node = NULL;

  if (!parse_count (sandbox_params_get (params, "limit"), &limit) ||
      !parse_count (sandbox_params_get (params, "page"), &page) || limit < 0 || page < 1)
    {
      json_array_unref (records);
      bad_request (reply, "limit and page must be positive integers");
      return NULL;
    }
  if (limit > MAX_LIMIT)
    {
      json_array_unref (records);
      bad_request (reply, "limit must be less than or equal to 250");
      return NULL;
    }

  offset = (page - 1) * limit;
  total_pages = limit > 0 ? (total + limit - 1) / limit : 0;
  for (gint64 i = offset; limit > 0 && i < total && i < offset + limit; i++)
    {
      json_array_add_object_element (records, json_object_ref (g_ptr_array_index (selected, i)));
      g_ptr_array_add (page_records, g_ptr_array_index (selected, i));
    }

  pagination = json_object_new ();
  json_object_set_int_member (pagination, "total_records", total);
  json_object_set_int_member (pagination, "total_pages", total_pages);
  json_object_set_boolean_member (pagination, "first_page", page == 1);
  json_object_set_boolean_member (pagination, "last_page", page >= total_pages);
  /* Page 1 of an empty result is not out of bounds; only pages past the end are. */
  json_object_set_boolean_member (pagination, "out_of_bounds", page > MAX (total_pages, 1));
  json_object_set_int_member (pagination, "offset", offset);
  pagination_node = sandbox_node_take_object (pagination);
  pagination_text = json_to_string (pagination_node, FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Pagination", pagination_text);

  body = json_object_new ();
  json_object_set_array_member (body, root_key, records);
  if (page_out != NULL)
    *page_out = g_steal_pointer (&page_records);
  return body;
}

static void
reply_index (SoupServerMessage  *msg,
             GPtrArray          *params,
             GPtrArray          *all,
             const char * const *default_statuses,
             const char * const *filters,
             const char * const *search_members,
             const char         *root_key,
             SandboxReply       *reply)
{
  g_autoptr(GPtrArray) selected = select_common (all, params, default_statuses, reply);
  JsonObject *body;

  if (selected == NULL)
    return;
  for (guint i = 0; filters != NULL && filters[i] != NULL; i++)
    filter_field (selected, params, filters[i], filters[i]);
  if (search_members != NULL)
    filter_search (selected, params, search_members);

  body = paginate (msg, params, selected, root_key, reply, NULL);
  if (body != NULL)
    sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

static void
reply_record (const char   *root_key,
              JsonObject   *record,
              guint         status,
              SandboxReply *reply)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, root_key, json_object_ref (record));
  sandbox_reply_set (reply, status, sandbox_node_take_object (body));
}

static void
reply_unprocessable (JsonObject   *errors,
                     SandboxReply *reply)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, "errors", json_object_ref (errors));
  sandbox_reply_set (reply, 422, sandbox_node_take_object (body));
}

/* ------------------------------------------------------------------------------------------ */
/* Orders                                                                                      */

static gboolean
order_commits_stock (const char *status)
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

static JsonObject *
nested_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
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
      add_error (errors, "order_line_items", "is invalid");
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
          add_error (errors, "order_line_items", "is invalid");
          continue;
        }
      line = json_node_get_object (element);

      if (member_is_true (line, "freeform"))
        {
          const char *label = sandbox_get_string_member (line, "label");

          if (label == NULL || *label == '\0')
            add_error (errors, "order_line_items.label", "can't be blank");
        }
      else if (!json_object_has_member (line, "variant_id") ||
               JSON_NODE_HOLDS_NULL (json_object_get_member (line, "variant_id")))
        add_error (errors, "order_line_items.variant_id", "can't be blank");
      else if (!sandbox_get_int_member (line, "variant_id", &value) ||
               sandbox_index_find_int (&self->tg_variants_by_id, value) == NULL)
        add_error (errors, "order_line_items.variant_id", "is invalid");

      if (!json_object_has_member (line, "price") || JSON_NODE_HOLDS_NULL (json_object_get_member (line, "price")))
        add_error (errors, "order_line_items.price", "can't be blank");
      else if (!sandbox_decimal_parse (json_object_get_member (line, "price"), &value))
        add_error (errors, "order_line_items.price", "is not a number");

      if (!json_object_has_member (line, "quantity") || JSON_NODE_HOLDS_NULL (json_object_get_member (line, "quantity")))
        add_error (errors, "order_line_items.quantity", "can't be blank");
      else if (!sandbox_decimal_parse (json_object_get_member (line, "quantity"), &value))
        add_error (errors, "order_line_items.quantity", "is not a number");
      else if (value <= 0)
        add_error (errors, "order_line_items.quantity", "must be greater than 0");

      /* tradegecko-api.md §7.2/§7.3: every line names its tax type from GET /tax_types. */
      if (!json_object_has_member (line, "tax_type_id") ||
          JSON_NODE_HOLDS_NULL (json_object_get_member (line, "tax_type_id")))
        add_error (errors, "order_line_items.tax_type_id", "can't be blank");
      else if (!sandbox_get_int_member (line, "tax_type_id", &value) ||
               sandbox_find_by_int_id (self->tg_tax_types, value) == NULL)
        add_error (errors, "order_line_items.tax_type_id", "is invalid");

      if (json_object_has_member (line, "tax_rate_override") &&
          !JSON_NODE_HOLDS_NULL (json_object_get_member (line, "tax_rate_override")) &&
          (!sandbox_decimal_parse (json_object_get_member (line, "tax_rate_override"), &value) ||
           value < 0 || value > 100 * 10000))
        add_error (errors, "order_line_items.tax_rate_override", "must be between 0 and 100");

      if (json_object_has_member (line, "discount") && !JSON_NODE_HOLDS_NULL (json_object_get_member (line, "discount")) &&
          (!sandbox_decimal_parse (json_object_get_member (line, "discount"), &value) ||
           value < -100 * 10000 || value > 100 * 10000))
        add_error (errors, "order_line_items.discount", "must be between -100 and 100");
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
      validate_company (company, errors, "company");
      if (shipping == NULL)
        add_error (errors, "shipping_address", "must be provided when creating a company");
    }
  else if (!json_object_has_member (order, "company_id") ||
           JSON_NODE_HOLDS_NULL (json_object_get_member (order, "company_id")))
    add_error (errors, "company_id", "can't be blank");
  else if (!sandbox_get_int_member (order, "company_id", &company_id) ||
           sandbox_index_find_int (&self->tg_companies_by_id, company_id) == NULL)
    {
      add_error (errors, "company_id", "is invalid");
      company_id = -1;
    }

  if (shipping != NULL)
    validate_address (self, shipping, company != NULL ? -1 : company_id, errors, "shipping_address");
  else if (!json_object_has_member (order, "shipping_address_id") ||
           JSON_NODE_HOLDS_NULL (json_object_get_member (order, "shipping_address_id")))
    add_error (errors, "shipping_address_id", "can't be blank");
  else if (!sandbox_get_int_member (order, "shipping_address_id", &address_id) ||
           sandbox_index_find_int (&self->tg_addresses_by_id, address_id) == NULL)
    add_error (errors, "shipping_address_id", "is invalid");

  if (billing != NULL)
    {
      validate_address (self, billing, company != NULL ? -1 : company_id, errors, "billing_address");
      if (shipping != NULL &&
          g_strcmp0 (sandbox_get_string_member (billing, "label"), sandbox_get_string_member (shipping, "label")) == 0 &&
          sandbox_get_string_member (billing, "label") != NULL)
        add_error (errors, "billing_address.label", "has already been taken");
    }
  else if (json_object_has_member (order, "billing_address_id") &&
           !JSON_NODE_HOLDS_NULL (json_object_get_member (order, "billing_address_id")) &&
           (!sandbox_get_int_member (order, "billing_address_id", &address_id) ||
            sandbox_index_find_int (&self->tg_addresses_by_id, address_id) == NULL))
    add_error (errors, "billing_address_id", "is invalid");

  if (!json_object_has_member (order, "issued_at") || JSON_NODE_HOLDS_NULL (json_object_get_member (order, "issued_at")))
    add_error (errors, "issued_at", "can't be blank");
  else if (!parse_order_date (sandbox_get_string_member (order, "issued_at"), &date))
    add_error (errors, "issued_at", "is invalid");

  g_clear_pointer (&date, g_free);
  if (json_object_has_member (order, "ship_at") && !JSON_NODE_HOLDS_NULL (json_object_get_member (order, "ship_at")) &&
      !parse_order_date (sandbox_get_string_member (order, "ship_at"), &date))
    add_error (errors, "ship_at", "is invalid");

  if (json_object_has_member (order, "status") && !g_strv_contains (create_statuses, status ? status : ""))
    add_error (errors, "status", "is not included in the list");

  if (json_object_has_member (order, "currency_iso") && find_currency_by_iso (self, currency) == NULL)
    add_error (errors, "currency_iso", "is not a known currency; create it first with POST /currencies");

  if (tax != NULL && !g_str_equal (tax, "exclusive") && !g_str_equal (tax, "inclusive"))
    add_error (errors, "tax_treatment", "is not included in the list");

  /* §7.2: the warehouse that commits the stock is one of GET /locations. */
  if (json_object_has_member (order, "stock_location_id") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (order, "stock_location_id")) &&
      (!sandbox_get_int_member (order, "stock_location_id", &address_id) ||
       sandbox_find_by_int_id (self->tg_locations, address_id) == NULL))
    add_error (errors, "stock_location_id", "is invalid");

  if (number != NULL && *number != '\0' && order_number_taken (self, number) &&
      json_object_get_boolean_member_with_default (self->tg_account, "unique_order_numbers", FALSE))
    add_error (errors, "order_number", "has already been taken");

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
  JsonObject *currency = find_currency_by_iso (self, sandbox_get_string_member (given, "currency_iso"));
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
      JsonObject *created = company_new (self, company);

      g_ptr_array_add (self->tg_companies, created);
      company_id = json_object_get_int_member (created, "id");
    }
  else
    sandbox_get_int_member (given, "company_id", &company_id);

  if (shipping != NULL)
    shipping_id = json_object_get_int_member (store_address (self, shipping, company_id), "id");
  else
    sandbox_get_int_member (given, "shipping_address_id", &shipping_id);

  if (billing != NULL)
    billing_id = json_object_get_int_member (store_address (self, billing, company_id), "id");
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

      if (!freeform && order_commits_stock (status))
        {
          JsonObject *variant = sandbox_index_find_int (&self->tg_variants_by_id,
                                                        json_object_get_int_member (line, "variant_id"));
          if (variant != NULL)
            variant_adjust_stock (variant, 0, quantity);
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

static GPtrArray *
lines_of_order (RelaySandbox *self,
                gint64        order_id)
{
  GPtrArray *lines = sandbox_index_lookup_int (&self->tg_lines_by_order, order_id);

  return lines != NULL ? g_ptr_array_copy (lines, NULL, NULL) : g_ptr_array_new ();
}

static JsonObject *
fulfillment_of (RelaySandbox *self,
                JsonObject   *fulfillment_line)
{
  return sandbox_index_find_int (&self->tg_fulfillments_by_id,
                                 json_object_get_int_member (fulfillment_line, "fulfillment_id"));
}

/* Quantities of @line in fulfillments: packed or fulfilled (allocated), and fulfilled only. */
static void
line_fulfilled_quantities (RelaySandbox *self,
                           JsonObject   *line,
                           gint64       *allocated,
                           gint64       *shipped)
{
  GPtrArray *items = sandbox_index_lookup_int (&self->tg_fulfillment_lines_by_line,
                                               json_object_get_int_member (line, "id"));

  *allocated = *shipped = 0;
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *fulfillment;
      const char *status;

      fulfillment = fulfillment_of (self, item);
      status = fulfillment ? sandbox_get_string_member (fulfillment, "status") : NULL;
      if (g_strcmp0 (status, "packed") == 0 || g_strcmp0 (status, "fulfilled") == 0)
        *allocated += get_decimal (item, "quantity");
      if (g_strcmp0 (status, "fulfilled") == 0)
        *shipped += get_decimal (item, "quantity");
    }
}

static void
roll_up_order (RelaySandbox *self,
               JsonObject   *order)
{
  g_autoptr(GPtrArray) lines = lines_of_order (self, json_object_get_int_member (order, "id"));
  gboolean all_packed = TRUE, any_packed = FALSE, all_shipped = TRUE, any_shipped = FALSE;
  guint shippable = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = g_ptr_array_index (lines, i);
      gint64 quantity = get_decimal (line, "quantity");
      gint64 allocated, shipped;

      if (json_object_get_boolean_member (line, "freeform"))
        continue;
      shippable++;
      line_fulfilled_quantities (self, line, &allocated, &shipped);
      all_packed = all_packed && allocated >= quantity;
      any_packed = any_packed || allocated > 0;
      all_shipped = all_shipped && shipped >= quantity;
      any_shipped = any_shipped || shipped > 0;
    }

  if (shippable == 0)
    all_packed = all_shipped = FALSE;

  json_object_set_string_member (order, "packed_status",
                                 all_packed ? "packed" : any_packed ? "partial" : "unpacked");
  json_object_set_string_member (order, "fulfillment_status",
                                 all_shipped ? "shipped" : any_shipped ? "partial" : "unshipped");
  if (all_shipped)
    json_object_set_string_member (order, "status", "fulfilled");
  touch (order);
}

static void
mark_fulfilled (RelaySandbox *self,
                JsonObject   *fulfillment,
                gboolean      commits)
{
  GPtrArray *items = sandbox_index_lookup_int (&self->tg_fulfillment_lines_by_fulfillment,
                                               json_object_get_int_member (fulfillment, "id"));
  g_autofree char *now = now_text ();

  json_object_set_string_member (fulfillment, "status", "fulfilled");
  json_object_set_string_member (fulfillment, "shipped_at", now);
  touch (fulfillment);

  /* Shipping takes the goods off the shelf and out of the committed figure. */
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *variant;
      gint64 quantity;

      variant = sandbox_index_find_int (&self->tg_variants_by_id, json_object_get_int_member (item, "variant_id"));
      quantity = get_decimal (item, "quantity");
      if (variant != NULL)
        variant_adjust_stock (variant, -quantity, commits ? -quantity : 0);
    }
}

static void
set_tracking (JsonObject *fulfillment,
              JsonObject *shipment)
{
  static const char * const fields[] = {
    "tracking_company", "tracking_number", "tracking_url", "service", "notes", "delivery_type", NULL
  };

  for (guint i = 0; fields[i] != NULL; i++)
    if (sandbox_get_string_member (shipment, fields[i]) != NULL || !json_object_has_member (fulfillment, fields[i]))
      set_string_or_null (fulfillment, fields[i], sandbox_get_string_member (shipment, fields[i]));
}

gint64
sandbox_tradegecko_ship (RelaySandbox  *self,
                         gint64         order_id,
                         JsonObject    *shipment,
                         GError       **error)
{
  JsonObject *order = sandbox_index_find_int (&self->tg_orders_by_id, order_id);
  const char *status = sandbox_get_string_member (shipment, "status") ?: "fulfilled";
  JsonNode *lines_node = json_object_get_member (shipment, "lines");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GArray) quantities = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autofree char *now = now_text ();
  g_autofree char *today = sandbox_format_date (sandbox_now_ms ());
  gboolean commits;
  JsonObject *fulfillment;
  gint64 fulfillment_id = -1;

  if (order == NULL)
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_NOT_FOUND,
                   "No TradeGecko order with id %" G_GINT64_FORMAT, order_id);
      return -1;
    }
  if (!order_commits_stock (sandbox_get_string_member (order, "status")))
    return invalid (error, "Only active or finalized orders can be shipped, not %s ones",
                    sandbox_get_string_member (order, "status")), -1;
  if (!g_str_equal (status, "packed") && !g_str_equal (status, "fulfilled"))
    return invalid (error, "A fulfillment's status is packed or fulfilled"), -1;

  commits = TRUE;
  lines = lines_of_order (self, order_id);

  if (lines_node != NULL && !JSON_NODE_HOLDS_NULL (lines_node))
    {
      JsonArray *requested;

      if (!JSON_NODE_HOLDS_ARRAY (lines_node))
        return invalid (error, "\"lines\" must be an array of {order_line_item_id, quantity}"), -1;
      requested = json_node_get_array (lines_node);
      for (guint i = 0; i < json_array_get_length (requested); i++)
        {
          JsonObject *wanted = json_array_get_object_element (requested, i);
          JsonObject *line = NULL;
          gint64 line_id, quantity, allocated, shipped;

          if (wanted == NULL || !sandbox_get_int_member (wanted, "order_line_item_id", &line_id) ||
              !sandbox_decimal_parse (json_object_get_member (wanted, "quantity"), &quantity) || quantity <= 0)
            return invalid (error, "lines[%u] needs order_line_item_id and a positive quantity", i), -1;
          for (guint j = 0; j < lines->len; j++)
            if (json_object_get_int_member (g_ptr_array_index (lines, j), "id") == line_id)
              line = g_ptr_array_index (lines, j);
          if (line == NULL || json_object_get_boolean_member (line, "freeform"))
            return invalid (error, "lines[%u]: %" G_GINT64_FORMAT " is not a shippable line of this order",
                            i, line_id), -1;
          line_fulfilled_quantities (self, line, &allocated, &shipped);
          if (quantity > get_decimal (line, "quantity") - allocated)
            return invalid (error, "lines[%u]: only %" G_GINT64_FORMAT " left to ship", i,
                            (get_decimal (line, "quantity") - allocated) / 10000), -1;
          g_ptr_array_add (chosen, line);
          g_array_append_val (quantities, quantity);
        }
    }
  else
    {
      /* The whole order, like the `fulfil` action: packed fulfillments become fulfilled and
       * everything not yet packed goes in a new one. */
      if (g_str_equal (status, "fulfilled"))
        {
          GPtrArray *of_order = sandbox_index_lookup_int (&self->tg_fulfillments_by_order, order_id);

          for (guint i = 0; of_order != NULL && i < of_order->len; i++)
            {
              JsonObject *existing = g_ptr_array_index (of_order, i);

              if (g_strcmp0 (sandbox_get_string_member (existing, "status"), "packed") == 0)
                {
                  set_tracking (existing, shipment);
                  mark_fulfilled (self, existing, commits);
                  fulfillment_id = json_object_get_int_member (existing, "id");
                }
            }
        }

      for (guint i = 0; i < lines->len; i++)
        {
          JsonObject *line = g_ptr_array_index (lines, i);
          gint64 allocated, shipped, left;

          if (json_object_get_boolean_member (line, "freeform"))
            continue;
          line_fulfilled_quantities (self, line, &allocated, &shipped);
          left = get_decimal (line, "quantity") - allocated;
          if (left > 0)
            {
              g_ptr_array_add (chosen, line);
              g_array_append_val (quantities, left);
            }
        }

      if (chosen->len == 0)
        {
          if (fulfillment_id >= 0)
            {
              roll_up_order (self, order);
              return fulfillment_id;
            }
          return invalid (error, "Nothing is left to ship on order %" G_GINT64_FORMAT, order_id), -1;
        }
    }

  fulfillment_id = self->tg_next_id++;
  fulfillment = json_object_new ();
  json_object_set_int_member (fulfillment, "id", fulfillment_id);
  json_object_set_string_member (fulfillment, "created_at", now);
  json_object_set_string_member (fulfillment, "updated_at", now);
  json_object_set_int_member (fulfillment, "order_id", order_id);
  json_object_set_string_member (fulfillment, "order_number", sandbox_get_string_member (order, "order_number"));
  json_object_set_int_member (fulfillment, "company_id", json_object_get_int_member (order, "company_id"));
  json_object_set_int_member (fulfillment, "shipping_address_id", json_object_get_int_member (order, "shipping_address_id"));
  json_object_set_int_member (fulfillment, "billing_address_id", json_object_get_int_member (order, "billing_address_id"));
  json_object_set_int_member (fulfillment, "stock_location_id", json_object_get_int_member (order, "stock_location_id"));
  json_object_set_string_member (fulfillment, "status", "packed");
  json_object_set_string_member (fulfillment, "packed_at", today);
  json_object_set_null_member (fulfillment, "shipped_at");
  json_object_set_null_member (fulfillment, "received_at");
  set_tracking (fulfillment, shipment);
  json_object_set_string_member (fulfillment, "exchange_rate", "1.0");
  json_object_set_object_member (fulfillment, "receipt", json_object_new ());
  json_object_set_array_member (fulfillment, "fulfillment_line_item_ids", json_array_new ());
  g_ptr_array_add (self->tg_fulfillments, fulfillment);

  for (guint i = 0; i < chosen->len; i++)
    {
      JsonObject *line = g_ptr_array_index (chosen, i);
      JsonObject *item = json_object_new ();
      JsonObject *variant = sandbox_index_find_int (&self->tg_variants_by_id, json_object_get_int_member (line, "variant_id"));
      gint64 item_id = self->tg_next_id++;

      json_object_set_int_member (item, "id", item_id);
      json_object_set_int_member (item, "fulfillment_id", fulfillment_id);
      json_object_set_int_member (item, "order_line_item_id", json_object_get_int_member (line, "id"));
      set_decimal (item, "quantity", g_array_index (quantities, gint64, i));
      json_object_set_null_member (item, "base_price");
      json_object_set_int_member (item, "position", i + 1);
      json_object_set_int_member (item, "variant_id", json_object_get_int_member (line, "variant_id"));
      set_string_or_null (item, "variant_sku", variant ? sandbox_get_string_member (variant, "sku") : NULL);
      g_ptr_array_add (self->tg_fulfillment_line_items, item);
      append_id (fulfillment, "fulfillment_line_item_ids", item_id);
      append_id (line, "fulfillment_line_item_ids", item_id);
    }

  if (g_str_equal (status, "fulfilled"))
    mark_fulfilled (self, fulfillment, commits);

  append_id (order, "fulfillment_ids", fulfillment_id);
  if (sandbox_get_string_member (fulfillment, "tracking_number") != NULL)
    json_object_set_string_member (order, "tracking_number", sandbox_get_string_member (fulfillment, "tracking_number"));
  roll_up_order (self, order);

  return fulfillment_id;
}

void
sandbox_tradegecko_auto_ship (RelaySandbox *self,
                              guint         delay_seconds)
{
  gint64 now = sandbox_now_ms ();

  for (guint i = 0; i < self->tg_orders->len; i++)
    {
      JsonObject *order = g_ptr_array_index (self->tg_orders, i);
      g_autoptr(JsonObject) shipment = NULL;
      g_autofree char *number = NULL;
      g_autofree char *url = NULL;
      gint64 created;

      if (!order_commits_stock (sandbox_get_string_member (order, "status")) ||
          g_strcmp0 (sandbox_get_string_member (order, "fulfillment_status"), "shipped") == 0 ||
          !sandbox_parse_iso8601 (sandbox_get_string_member (order, "created_at"), &created) ||
          now - created < (gint64) delay_seconds * 1000)
        continue;

      number = g_strdup_printf ("9400%018" G_GINT64_FORMAT, (gint64) g_rand_int (self->rand) * 1000 +
                                json_object_get_int_member (order, "id") % 1000);
      url = g_strdup_printf ("https://tools.usps.com/go/TrackConfirmAction?tLabels=%s", number);
      shipment = json_object_new ();
      json_object_set_string_member (shipment, "status", "fulfilled");
      json_object_set_string_member (shipment, "tracking_company", "USPS");
      json_object_set_string_member (shipment, "tracking_number", number);
      json_object_set_string_member (shipment, "tracking_url", url);
      json_object_set_string_member (shipment, "service", "Priority Mail");
      sandbox_tradegecko_ship (self, json_object_get_int_member (order, "id"), shipment, NULL);
    }
}

static void
void_order (RelaySandbox *self,
            JsonObject   *order)
{
  g_autoptr(GPtrArray) lines = lines_of_order (self, json_object_get_int_member (order, "id"));

  if (order_commits_stock (sandbox_get_string_member (order, "status")))
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
          line_fulfilled_quantities (self, line, &allocated, &shipped);
          if (variant != NULL)
            variant_adjust_stock (variant, 0, -(get_decimal (line, "quantity") - shipped));
        }
    }

  json_object_set_string_member (order, "status", "void");
  touch (order);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */

static JsonObject *
parse_wrapped_body (SoupServerMessage *msg,
                    const char        *wrapper,
                    JsonNode         **root_out,
                    SandboxReply      *reply)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (body->length > 0)
    root = json_from_string (body->data, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (object = nested_object (json_node_get_object (root), wrapper)) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Required parameter missing: %s", wrapper);

      bad_request (reply, message);
      return NULL;
    }

  *root_out = g_steal_pointer (&root);
  return object;
}

static void
post_company (RelaySandbox      *self,
              SoupServerMessage *msg,
              SandboxReply      *reply)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *given = parse_wrapped_body (msg, "company", &root, reply);
  JsonObject *company;

  if (given == NULL)
    return;
  validate_company (given, errors, NULL);
  if (json_object_get_size (errors) > 0)
    {
      reply_unprocessable (errors, reply);
      return;
    }

  json_object_remove_member (given, "id");
  company = company_new (self, given);
  g_ptr_array_add (self->tg_companies, company);
  reply_record ("company", company, 201, reply);
}

static void
post_address (RelaySandbox      *self,
              SoupServerMessage *msg,
              SandboxReply      *reply)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *given = parse_wrapped_body (msg, "address", &root, reply);
  gint64 company_id = -1;

  if (given == NULL)
    return;

  if (!json_object_has_member (given, "company_id") || JSON_NODE_HOLDS_NULL (json_object_get_member (given, "company_id")))
    add_error (errors, "company_id", "can't be blank");
  else if (!sandbox_get_int_member (given, "company_id", &company_id) ||
           sandbox_index_find_int (&self->tg_companies_by_id, company_id) == NULL)
    {
      add_error (errors, "company_id", "is invalid");
      company_id = -1;
    }
  validate_address (self, given, company_id, errors, NULL);
  if (json_object_get_size (errors) > 0)
    {
      reply_unprocessable (errors, reply);
      return;
    }

  json_object_remove_member (given, "id");
  reply_record ("address", store_address (self, given, company_id), 201, reply);
}

static void
post_order (RelaySandbox      *self,
            SoupServerMessage *msg,
            SandboxReply      *reply)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *given = parse_wrapped_body (msg, "order", &root, reply);

  if (given == NULL)
    return;

  validate_order (self, given, errors);
  if (json_object_get_size (errors) > 0)
    {
      reply_unprocessable (errors, reply);
      return;
    }

  reply_record ("order", create_order (self, given), 201, reply);
}

static void
get_order (RelaySandbox *self,
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
          g_autoptr(GPtrArray) lines = lines_of_order (self, json_object_get_int_member (order, "id"));
          JsonArray *array = json_array_new ();

          for (guint j = 0; j < lines->len; j++)
            json_array_add_object_element (array, json_object_ref (g_ptr_array_index (lines, j)));
          json_object_set_array_member (body, "order_line_items", array);
        }
    }

  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

static void
order_action (RelaySandbox      *self,
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

          add_error (errors, "status", "is already void");
          reply_unprocessable (errors, reply);
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

          add_error (errors, "base", error->message);
          reply_unprocessable (errors, reply);
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

          add_error (errors, "status", "is void");
          reply_unprocessable (errors, reply);
          return;
        }
      if (g_str_equal (action, "pay") && g_strcmp0 (sandbox_get_string_member (order, "payment_status"), "paid") == 0)
        {
          g_autoptr(JsonObject) errors = json_object_new ();

          add_error (errors, "payment_status", "is already paid");
          reply_unprocessable (errors, reply);
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

  reply_record ("order", order, 200, reply);
}

static void
list_fulfillments (RelaySandbox      *self,
                   SoupServerMessage *msg,
                   GPtrArray         *params,
                   SandboxReply      *reply)
{
  g_autoptr(GPtrArray) selected = select_common (self->tg_fulfillments, params, live_fulfillments, reply);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) page_items = NULL;
  JsonObject *body;
  JsonArray *items;

  if (selected == NULL)
    return;
  filter_field (selected, params, "order_id", "order_id");
  filter_field (selected, params, "company_id", "company_id");

  body = paginate (msg, params, selected, "fulfillments", reply, &page);
  if (body == NULL)
    return;

  /* The index sideloads fulfillment_line_items by default, as a top-level key, in the order
   * they were created (ids grow with creation). */
  page_items = g_ptr_array_new ();
  for (guint i = 0; i < page->len; i++)
    {
      GPtrArray *of_fulfillment = sandbox_index_lookup_int (&self->tg_fulfillment_lines_by_fulfillment,
                                                            json_object_get_int_member (g_ptr_array_index (page, i), "id"));

      for (guint j = 0; of_fulfillment != NULL && j < of_fulfillment->len; j++)
        g_ptr_array_add (page_items, g_ptr_array_index (of_fulfillment, j));
    }
  g_ptr_array_sort (page_items, compare_id_asc);
  items = json_array_new ();
  for (guint i = 0; i < page_items->len; i++)
    json_array_add_object_element (items, json_object_ref (g_ptr_array_index (page_items, i)));
  json_object_set_array_member (body, "fulfillment_line_items", items);
  sandbox_reply_set (reply, 200, sandbox_node_take_object (body));
}

/* Fixed windows aligned to the clock (every recorded X-Rate-Limit-Reset is a multiple of 300;
 * docs/sandbox.md, “Rate limits and their headers”). */
static gboolean
rate_limit_take (RelaySandbox      *self,
                 SoupServerMessage *msg,
                 gboolean           count)
{
  SandboxRateLimit *rate = &self->tg_rate;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 window_start = now - now % rate->window_seconds;
  g_autofree char *limit = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *reset = NULL;

  if (window_start != rate->window_start)
    {
      rate->window_start = window_start;
      rate->count = 0;
    }
  if (count)
    rate->count++;

  limit = g_strdup_printf ("%u", rate->limit);
  remaining = g_strdup_printf ("%u", rate->count >= rate->limit ? 0 : rate->limit - rate->count);
  reset = g_strdup_printf ("%" G_GINT64_FORMAT, window_start + rate->window_seconds);
  soup_message_headers_replace (headers, "X-Rate-Limit-Limit", limit);
  soup_message_headers_replace (headers, "X-Rate-Limit-Remaining", remaining);
  soup_message_headers_replace (headers, "X-Rate-Limit-Reset", reset);

  return rate->count <= rate->limit;
}

static JsonObject *
idempotent_replay (RelaySandbox *self,
                   const char   *key)
{
  JsonObject *entry;

  if (key == NULL || *key == '\0')
    return NULL;

  entry = g_hash_table_lookup (self->tg_idempotency, key);
  if (entry != NULL && g_get_real_time () - json_object_get_int_member (entry, "created") > IDEMPOTENCY_LIFETIME_US)
    {
      g_hash_table_remove (self->tg_idempotency, key);
      entry = NULL;
    }
  return entry;
}

static void
route (RelaySandbox      *self,
       SoupServerMessage *msg,
       const char        *path,
       GPtrArray         *params,
       SandboxReply      *reply)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = g_str_equal (method, "GET");
  gboolean is_post = g_str_equal (method, "POST");
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n_parts = g_strv_length (parts);
  const char *collection = n_parts >= 2 ? parts[1] : "";

  if (g_str_equal (path, "/accounts/current") && is_get)
    {
      reply_record ("account", self->tg_account, 200, reply);
      return;
    }
  if (g_str_equal (path, "/users/current") && is_get)
    {
      reply_record ("user", self->tg_user, 200, reply);
      return;
    }

  if (n_parts == 2 && is_get)
    {
      static const char * const variant_filters[] = { "sku", "product_id", NULL };
      static const char * const company_filters[] = { "email", "company_code", "company_type", NULL };
      static const char * const address_filters[] = { "company_id", NULL };
      static const char * const order_filters[] = {
        "order_number", "reference_number", "company_id", "fulfillment_status", "packed_status",
        "payment_status", "invoice_status", "currency_id", NULL
      };

      if (g_str_equal (collection, "variants"))
        {
          static const char * const variant_search[] = { "sku", "name", "product_name", NULL };

          reply_index (msg, params, self->tg_variants, active_only, variant_filters, variant_search,
                       "variants", reply);
          return;
        }
      if (g_str_equal (collection, "stock_levels"))
        {
          static const char * const level_filters[] = { "variant_id", NULL };
          g_autoptr(GPtrArray) levels = sandbox_stock_levels (self);

          reply_index (msg, params, levels, NULL, level_filters, NULL, "stock_levels", reply);
          return;
        }
      if (g_str_equal (collection, "companies"))
        {
          reply_index (msg, params, self->tg_companies, active_only, company_filters, NULL, "companies", reply);
          return;
        }
      if (g_str_equal (collection, "addresses"))
        {
          reply_index (msg, params, self->tg_addresses, active_only, address_filters, NULL, "addresses", reply);
          return;
        }
      /* Voided and deleted orders are soft-deleted: shown only when asked for by status. */
      if (g_str_equal (collection, "orders"))
        {
          reply_index (msg, params, self->tg_orders, live_orders, order_filters, NULL, "orders", reply);
          return;
        }
      if (g_str_equal (collection, "fulfillments"))
        {
          list_fulfillments (self, msg, params, reply);
          return;
        }
      if (g_str_equal (collection, "currencies"))
        {
          reply_index (msg, params, self->tg_currencies, active_only, NULL, NULL, "currencies", reply);
          return;
        }
      if (g_str_equal (collection, "locations"))
        {
          reply_index (msg, params, self->tg_locations, active_only, NULL, NULL, "locations", reply);
          return;
        }
      if (g_str_equal (collection, "tax_types"))
        {
          reply_index (msg, params, self->tg_tax_types, active_only, NULL, NULL, "tax_types", reply);
          return;
        }
    }

  if (n_parts == 2 && is_post)
    {
      if (g_str_equal (collection, "orders"))
        {
          post_order (self, msg, reply);
          return;
        }
      if (g_str_equal (collection, "companies"))
        {
          post_company (self, msg, reply);
          return;
        }
      if (g_str_equal (collection, "addresses"))
        {
          post_address (self, msg, reply);
          return;
        }
    }

  if (n_parts >= 3)
    {
      static const struct { const char *collection; const char *root; const char *resource; } singles[] = {
        { "variants", "variant", "Variant" },
        { "companies", "company", "Company" },
        { "addresses", "address", "Address" },
        { "orders", "order", "Order" },
        { "fulfillments", "fulfillment", "Fulfillment" },
      };
      SandboxIndex *tables[] = {
        &self->tg_variants_by_id, &self->tg_companies_by_id, &self->tg_addresses_by_id, &self->tg_orders_by_id,
        &self->tg_fulfillments_by_id,
      };
      char *end = NULL;
      gint64 id = g_ascii_strtoll (parts[2], &end, 10);

      for (guint i = 0; i < G_N_ELEMENTS (singles); i++)
        {
          JsonObject *record;

          if (!g_str_equal (collection, singles[i].collection))
            continue;

          record = (*parts[2] != '\0' && *end == '\0') ? sandbox_index_find_int (tables[i], id) : NULL;
          if (n_parts == 3 && is_get)
            {
              if (record == NULL)
                {
                  not_found (reply, singles[i].resource, parts[2]);
                  return;
                }
              if (g_str_equal (collection, "orders"))
                {
                  get_order (self, record, params, reply);
                  return;
                }
              reply_record (singles[i].root, record, 200, reply);
              return;
            }
          if (n_parts == 5 && is_post && g_str_equal (collection, "orders") && g_str_equal (parts[3], "actions"))
            {
              if (record == NULL)
                {
                  not_found (reply, singles[i].resource, parts[2]);
                  return;
                }
              order_action (self, msg, record, parts[4], reply);
              return;
            }
        }
    }

  sandbox_tradegecko_error (reply, 404, "Not Found", "The requested resource could not be found");
}

void
sandbox_tradegecko_handle (RelaySandbox      *self,
                           SoupServerMessage *msg,
                           const char        *path,
                           GPtrArray         *params,
                           SandboxReply      *reply)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  const char *key = soup_message_headers_get_one (request_headers, "Idempotency-Key");
  g_autofree char *request_id = g_uuid_string_random ();
  gboolean authorized;
  JsonObject *replay;

  soup_message_headers_replace (response_headers, "X-Request-ID", request_id);

  authorized = authorization != NULL && g_str_has_prefix (authorization, "Bearer ") &&
               g_hash_table_contains (self->tg_tokens, authorization + strlen ("Bearer ")) &&
               !g_hash_table_contains (self->revoked_keys, authorization + strlen ("Bearer "));

  /* The quota is per application and account: a request without a valid token is not counted. */
  if (!rate_limit_take (self, msg, authorized) && authorized)
    {
      sandbox_tradegecko_error (reply, 429, "Too Many Requests",
                                "Rate limit exceeded; retry after X-Rate-Limit-Reset");
      return;
    }

  if (!authorized)
    {
      sandbox_tradegecko_error (reply, 401, "Unauthorized", "The access token is invalid");
      return;
    }

  /* Idempotency-Key on POST (and PUT): a key seen within 24 h gets the same answer again and
   * nothing is created twice. Only successful creations are remembered, so a rejected request
   * can be corrected and sent with the same key (docs/sandbox.md, “Idempotency”). */
  replay = g_str_equal (soup_server_message_get_method (msg), "POST") ? idempotent_replay (self, key) : NULL;
  if (replay != NULL)
    {
      g_autoptr(JsonNode) body = json_from_string (json_object_get_string_member (replay, "body"), NULL);

      sandbox_reply_set (reply, json_object_get_int_member (replay, "status"), g_steal_pointer (&body));
      return;
    }

  route (self, msg, path, params, reply);

  if (key != NULL && *key != '\0' && g_str_equal (soup_server_message_get_method (msg), "POST") &&
      reply->status >= 200 && reply->status < 300 && reply->body != NULL)
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *text = json_to_string (reply->body, FALSE);

      json_object_set_int_member (entry, "created", g_get_real_time ());
      json_object_set_int_member (entry, "status", reply->status);
      json_object_set_string_member (entry, "body", text);
      g_hash_table_replace (self->tg_idempotency, g_strdup (key), entry);
    }
}
