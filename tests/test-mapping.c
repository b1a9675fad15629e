/* test-mapping.c — cust_ref, SKU resolution, the sales order payload and shipments
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "relay-error.h"
#include "relay-mapping.h"
#include "relay-preview.h"
#include "relay-squarespace.h"
#include "relay-tradegecko.h"

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
load_fixture_object (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "order-full.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static RelayOrder *
load_order (void (*change) (JsonObject *object))
{
  g_autoptr(JsonObject) object = load_fixture_object ();
  g_autoptr(GError) error = NULL;
  RelayOrder *order;

  if (change != NULL)
    change (object);
  order = relay_order_new_from_squarespace (object, &error);
  g_assert_no_error (error);
  return order;
}

static gboolean
only_chars_of (const char *text,
               const char *allowed)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (strchr (allowed, *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static char *
cust_ref (RelayMapping *mapping,
          const char   *id,
          const char   *number)
{
  g_autoptr(GError) error = NULL;
  char *ref = relay_mapping_dup_cust_ref (mapping, id, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ref);
  return ref;
}

static void
set_rules (RelayMapping *mapping,
           const char   *prefix,
           guint         max_length,
           const char   *charset)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_mapping_set_cust_ref_rules (mapping, prefix, max_length, charset, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */

static void
test_cust_ref_natural (void)
{
  g_autoptr(RelayMapping) mapping = relay_mapping_new (NULL);
  g_autofree char *plain = cust_ref (mapping, "id1", "1001");
  g_autofree char *odd = NULL;
  g_autofree char *odd_prefix = NULL;
  g_autofree char *exact_fit = NULL;

  g_assert_cmpstr (plain, ==, "SQ-1001");

  /* Upper-cased; characters outside A-Z0-9- dropped. */
  odd = cust_ref (mapping, "id2", "ab-12/3 é");
  g_assert_cmpstr (odd, ==, "SQ-AB-123");

  set_rules (mapping, "web_", 12, "A-Z0-9-");
  odd_prefix = cust_ref (mapping, "id3", "77");
  g_assert_cmpstr (odd_prefix, ==, "WEB77");

  set_rules (mapping, "SQ-", 12, "A-Z0-9-");
  exact_fit = cust_ref (mapping, "id4", "123456789");
  g_assert_cmpstr (exact_fit, ==, "SQ-123456789");
}

static void
test_cust_ref_long_numbers (void)
{
  g_autoptr(RelayMapping) mapping = relay_mapping_new (NULL);
  g_autofree char *a = cust_ref (mapping, "600f3782be34535f39c6e6f9", "1234567890123");
  g_autofree char *again = cust_ref (mapping, "600f3782be34535f39c6e6f9", "1234567890123");
  g_autofree char *b = cust_ref (mapping, "600f3782be34535f39c6e6fa", "1234567890123");
  g_autofree char *tiny = NULL;
  g_autofree char *five = NULL;

  g_assert_cmpuint (strlen (a), ==, 12);
  g_assert_true (g_str_has_prefix (a, "SQ-"));
  g_assert_true (only_chars_of (a + 3, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
  g_assert_cmpstr (a, ==, again);             /* deterministic */
  g_assert_cmpstr (a, !=, b);                 /* depends on the id */

  /* Too short for the prefix: the prefix gives way to at least 4 hash characters. */
  set_rules (mapping, "SQ-", 4, "A-Z0-9-");
  tiny = cust_ref (mapping, "600f3782be34535f39c6e6f9", "1001");
  g_assert_cmpuint (strlen (tiny), ==, 4);
  g_assert_true (only_chars_of (tiny, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"));

  set_rules (mapping, "SQ-", 5, "A-Z0-9-");
  five = cust_ref (mapping, "600f3782be34535f39c6e6f9", "123456");
  g_assert_cmpuint (strlen (five), ==, 5);
  g_assert_true (g_str_has_prefix (five, "S"));
}

static void
test_cust_ref_charsets (void)
{
  g_autoptr(RelayMapping) mapping = relay_mapping_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *letters = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *still_default = NULL;

  /* No digits allowed: the number vanishes, so the short form uses letters. */
  set_rules (mapping, "SQ-", 10, "A-Z-");
  letters = cust_ref (mapping, "id1", "1001");
  g_assert_cmpuint (strlen (letters), ==, 10);
  g_assert_true (g_str_has_prefix (letters, "SQ-"));
  g_assert_true (only_chars_of (letters + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));

  /* Lower case only: letters are kept in lower case. */
  set_rules (mapping, "SQ-", 8, "a-z0-9");
  lower = cust_ref (mapping, "id1", "Ab12");
  g_assert_cmpstr (lower, ==, "sqab12");

  g_assert_false (relay_mapping_set_cust_ref_rules (mapping, "SQ-", 12, "Z-A", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_assert_false (relay_mapping_set_cust_ref_rules (mapping, "SQ-", 12, "", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_assert_false (relay_mapping_set_cust_ref_rules (mapping, "SQ-", 12, "A-Zé", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_assert_false (relay_mapping_set_cust_ref_rules (mapping, "SQ-", 0, "A-Z", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  /* A refused rule leaves the previous one in use. */
  still_default = cust_ref (mapping, "id2", "Cd34");
  g_assert_cmpstr (still_default, ==, "sqcd34");

  /* One character cannot make unique references. */
  set_rules (mapping, "", 6, "A");
  g_assert_null (relay_mapping_dup_cust_ref (mapping, "id3", "123", &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST);
}

typedef struct
{
  char       *dir;
  RelayStore *store;
} StoreFixture;

static void
store_set_up (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("relay-mapping-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "state.db", NULL);
  fixture->store = relay_store_open (path, &error);
  g_assert_no_error (error);
}

static void
store_tear_down (StoreFixture  *fixture,
                 gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/state.db%s", fixture->dir, suffixes[i]);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
store_order (StoreFixture *fixture,
             const char   *id,
             const char   *number)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"%s\", \"orderNumber\": \"%s\", \"createdOn\": \"2026-03-01T10:00:00Z\","
    " \"modifiedOn\": \"2026-03-01T10:00:00Z\", \"lineItems\": [],"
    " \"grandTotal\": {\"value\": \"0.00\", \"currency\": \"USD\"}}", id, number);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrder) order = relay_order_new_from_json_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (relay_store_upsert_order (fixture->store, order, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cust_ref_collisions (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(RelayMapping) mapping = relay_mapping_new (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *second_again = NULL;
  g_autofree char *third = NULL;
  g_autofree char *fourth = NULL;
  g_autofree char *kept = NULL;

  store_order (fixture, "o1", "1001");
  store_order (fixture, "o2", "10/01");
  store_order (fixture, "o3", "555");
  store_order (fixture, "o4", "10.01");

  first = cust_ref (mapping, "o1", "1001");
  g_assert_cmpstr (first, ==, "SQ-1001");
  g_assert_true (relay_store_set_references (fixture->store, "o1", "1001", first, &error));
  g_assert_no_error (error);

  /* "10/01" normalises to the same natural form: it gets the hashed form. */
  second = cust_ref (mapping, "o2", "10/01");
  g_assert_cmpstr (second, !=, "SQ-1001");
  g_assert_true (g_str_has_prefix (second, "SQ-"));
  g_assert_cmpuint (strlen (second), ==, 12);
  second_again = cust_ref (mapping, "o2", "10/01");
  g_assert_cmpstr (second, ==, second_again);

  /* If another order already holds o2's hashed form, the tie-break picks the next one,
   * still deterministically. */
  g_assert_true (relay_store_set_references (fixture->store, "o3", "555", second, &error));
  g_assert_no_error (error);
  third = cust_ref (mapping, "o2", "10/01");
  g_assert_cmpstr (third, !=, second);
  g_assert_cmpstr (third, !=, "SQ-1001");
  g_assert_cmpuint (strlen (third), ==, 12);
  g_free (second_again);
  second_again = cust_ref (mapping, "o2", "10/01");
  g_assert_cmpstr (second_again, ==, third);

  /* A reference the store holds is kept even if the rules change. */
  g_assert_true (relay_store_set_references (fixture->store, "o2", "10/01", third, &error));
  set_rules (mapping, "WEB-", 20, "A-Z0-9-");
  kept = cust_ref (mapping, "o2", "10/01");
  g_assert_cmpstr (kept, ==, third);
  fourth = cust_ref (mapping, "o4", "10.01");
  g_assert_cmpstr (fourth, ==, "WEB-1001");
}

/* ------------------------------------------------------------------------ */

static GHashTable *
aliases_new (void)
{
  GHashTable *aliases = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (aliases, (gpointer) "SQ2700585", (gpointer) "MUG-BLK");
  return aliases;
}

/* Variants as the TradeGecko client reads them from its answer. */
static GPtrArray *
variants_from (const char *json)
{
  g_autoptr(JsonNode) node = parse_json (json);

  return relay_tradegecko_variants_from_json (json_node_get_array (node));
}

static RelayResolution *
resolve (RelayOrder *order,
         GHashTable *aliases,
         const char *variants_json)
{
  g_autoptr(GPtrArray) variants = variants_from (variants_json);
  g_autoptr(GError) error = NULL;
  RelayResolution *resolution = relay_mapping_resolve_lines (order, aliases, variants, &error);

  g_assert_no_error (error);
  g_assert_nonnull (resolution);
  return resolution;
}

#define GOOD_VARIANTS \
  "[{\"id\": 11, \"sku\": \"MUG-BLK\", \"status\": \"active\"}," \
  " {\"id\": 12, \"sku\": \"MUG-BLK\", \"status\": \"archived\"}," \
  " {\"id\": 13, \"sku\": \"mug-blk\", \"status\": \"active\"}," \
  " {\"id\": 14, \"sku\": \"MUG-BLK \", \"status\": \"active\"}]"

static void
test_resolve_lines (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(RelayResolution) good = NULL;
  g_autoptr(RelayResolution) unknown = NULL;
  g_autoptr(RelayResolution) ambiguous = NULL;
  g_auto(GStrv) needed = NULL;
  g_auto(GStrv) needed_plain = NULL;
  RelayResolvedLine *line;

  needed = relay_mapping_dup_needed_skus (order, aliases);
  g_assert_cmpuint (g_strv_length (needed), ==, 1);
  g_assert_cmpstr (needed[0], ==, "MUG-BLK");
  needed_plain = relay_mapping_dup_needed_skus (order, NULL);
  g_assert_cmpstr (needed_plain[0], ==, "SQ2700585");

  /* Exactly one active variant with exactly this SKU (after the alias). */
  good = resolve (order, aliases, GOOD_VARIANTS);
  g_assert_null (good->rejection);
  g_assert_false (good->nothing_to_ship);
  g_assert_cmpuint (good->lines->len, ==, 2);
  line = g_ptr_array_index (good->lines, 0);
  g_assert_cmpint (line->status, ==, RELAY_LINE_RESOLVED);
  g_assert_cmpint (line->variant_id, ==, 11);
  g_assert_cmpstr (line->store_sku, ==, "SQ2700585");
  g_assert_cmpstr (line->tradegecko_sku, ==, "MUG-BLK");
  g_assert_cmpint (line->quantity, ==, 2);
  line = g_ptr_array_index (good->lines, 1);
  g_assert_cmpint (line->status, ==, RELAY_LINE_DIGITAL);

  /* Without the alias the store SKU is unknown. */
  unknown = resolve (order, NULL, GOOD_VARIANTS);
  g_assert_nonnull (unknown->rejection);
  g_assert_nonnull (strstr (unknown->rejection, "SQ2700585"));
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (unknown->lines, 0))->status, ==, RELAY_LINE_UNKNOWN_SKU);

  ambiguous = resolve (order, aliases,
                       "[{\"id\": 11, \"sku\": \"MUG-BLK\", \"status\": \"active\"},"
                       " {\"id\": 15, \"sku\": \"MUG-BLK\", \"status\": \"active\"}]");
  g_assert_nonnull (ambiguous->rejection);
  g_assert_nonnull (strstr (ambiguous->rejection, "MUG-BLK"));
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (ambiguous->lines, 0))->status, ==, RELAY_LINE_AMBIGUOUS_SKU);
}

static void
drop_first_sku (JsonObject *object)
{
  json_object_set_null_member (json_array_get_object_element (json_object_get_array_member (object, "lineItems"), 0),
                               "sku");
}

static void
only_digital (JsonObject *object)
{
  json_array_remove_element (json_object_get_array_member (object, "lineItems"), 0);
}

static void
test_resolve_problems (void)
{
  g_autoptr(RelayOrder) no_sku = load_order (drop_first_sku);
  g_autoptr(RelayOrder) digital = load_order (only_digital);
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(RelayResolution) missing = NULL;
  g_autoptr(RelayResolution) nothing = NULL;
  g_autoptr(GPtrArray) bad_variants = variants_from ("[{\"sku\": \"SQ2700585\", \"status\": \"active\"}]");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) none = NULL;

  missing = resolve (no_sku, NULL, "[]");
  g_assert_nonnull (missing->rejection);
  g_assert_nonnull (strstr (missing->rejection, "Classic Black"));
  g_assert_cmpint (((RelayResolvedLine *) g_ptr_array_index (missing->lines, 0))->status, ==, RELAY_LINE_NO_SKU);

  nothing = resolve (digital, NULL, "[]");
  g_assert_null (nothing->rejection);
  g_assert_true (nothing->nothing_to_ship);
  none = relay_mapping_dup_needed_skus (digital, NULL);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_assert_null (relay_mapping_resolve_lines (order, NULL, bad_variants, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

/* The sales order as the TradeGecko client writes it for `POST /orders`. */
static JsonNode *
sales_order_json (RelayResolution              *resolution,
                  const RelaySalesOrderOptions *options,
                  GError                      **error)
{
  g_autoptr(RelaySalesOrder) sales = relay_mapping_build_sales_order (resolution, options, NULL, error);

  return sales != NULL ? relay_tradegecko_sales_order_to_json (sales) : NULL;
}

/* The whole body, where the order is expected to be deliverable. */
static JsonNode *
deliverable_body (RelayResolution              *resolution,
                  const RelaySalesOrderOptions *options)
{
  g_autoptr(GError) error = NULL;
  JsonNode *body = sales_order_json (resolution, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (body);
  return body;
}

static JsonObject *
build_order_body (RelayResolution              *resolution,
                  const RelaySalesOrderOptions *options)
{
  g_autoptr(JsonNode) body = deliverable_body (resolution, options);

  return json_object_ref (json_object_get_object_member (json_node_get_object (body), "order"));
}

static void
test_sales_order (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(GHashTable) methods = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RelayMapping) mapping = relay_mapping_new (NULL);
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  RelaySalesOrderOptions options = { 0 };
  JsonObject *company;
  JsonObject *shipping;
  JsonArray *items;
  JsonArray *tags;
  JsonObject *item;
  const char *notes;

  resolution = resolve (order, aliases, GOOD_VARIANTS);

  /* No references yet: refused. */
  g_assert_null (relay_mapping_build_sales_order (resolution, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (relay_mapping_assign_references (mapping, order, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_order_get_cust_ref (order), ==, "SQ-3618");
  g_assert_cmpstr (relay_order_get_cust_po_no (order), ==, "3618");

  g_hash_table_insert (methods, (gpointer) "Flat Rate", (gpointer) "Standard Shipping");
  options.shipping_methods = methods;
  body = build_order_body (resolution, &options);

  g_assert_cmpstr (json_object_get_string_member (body, "order_number"), ==, "SQ-3618");
  g_assert_cmpstr (json_object_get_string_member (body, "reference_number"), ==, "3618");
  g_assert_cmpstr (json_object_get_string_member (body, "issued_at"), ==, "2021-01-25");
  g_assert_cmpstr (json_object_get_string_member (body, "email"), ==, "buyer@example.com");
  g_assert_cmpstr (json_object_get_string_member (body, "phone_number"), ==, "5550000000");
  g_assert_cmpstr (json_object_get_string_member (body, "tax_treatment"), ==, "exclusive");
  g_assert_cmpstr (json_object_get_string_member (body, "currency_iso"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "active");
  tags = json_object_get_array_member (body, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "squarespace");

  company = json_object_get_object_member (body, "company");
  g_assert_cmpstr (json_object_get_string_member (company, "company_type"), ==, "consumer");
  g_assert_cmpstr (json_object_get_string_member (company, "name"), ==, "Ann Lee");
  g_assert_cmpstr (json_object_get_string_member (company, "email"), ==, "buyer@example.com");
  shipping = json_object_get_object_member (body, "shipping_address");
  g_assert_cmpstr (json_object_get_string_member (shipping, "address1"), ==, "1 Main St");
  g_assert_cmpstr (json_object_get_string_member (shipping, "zip_code"), ==, "62701");
  g_assert_cmpstr (json_object_get_string_member (shipping, "country_code"), ==, "US");
  g_assert_false (json_object_has_member (shipping, "address2"));
  /* The billing address has no street: TradeGecko bills the shipping address. */
  g_assert_false (json_object_has_member (body, "billing_address"));
  g_assert_false (json_object_has_member (body, "company_id"));

  items = json_object_get_array_member (body, "order_line_items");
  g_assert_cmpuint (json_array_get_length (items), ==, 4);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpint (json_object_get_int_member (item, "variant_id"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (item, "quantity"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (item, "price"), ==, "14.00");
  g_assert_false (json_object_has_member (item, "freeform"));
  /* Without the account's facts no tax is planned (the engine always has them). */
  g_assert_false (json_object_has_member (item, "tax_type_id"));
  /* The e-book is no stock: a freeform line, so the lines still add up. */
  item = json_array_get_object_element (items, 1);
  g_assert_true (json_object_get_boolean_member (item, "freeform"));
  g_assert_cmpstr (json_object_get_string_member (item, "line_type"), ==, "product");
  g_assert_cmpstr (json_object_get_string_member (item, "label"), ==, "E-book (digital)");
  item = json_array_get_object_element (items, 2);
  g_assert_true (json_object_get_boolean_member (item, "freeform"));
  g_assert_cmpstr (json_object_get_string_member (item, "line_type"), ==, "shipping");
  g_assert_cmpstr (json_object_get_string_member (item, "label"), ==, "Standard Shipping");
  g_assert_cmpint (json_object_get_int_member (item, "quantity"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (item, "price"), ==, "5.00");
  item = json_array_get_object_element (items, 3);
  g_assert_cmpstr (json_object_get_string_member (item, "line_type"), ==, "discount");
  g_assert_cmpstr (json_object_get_string_member (item, "label"), ==, "Fall Sale");
  g_assert_cmpstr (json_object_get_string_member (item, "price"), ==, "-1.00");

  notes = json_object_get_string_member (body, "notes");
  g_assert_nonnull (strstr (notes, "Size: Large"));
  g_assert_nonnull (strstr (notes, "Engraving: A.L."));
  g_assert_nonnull (strstr (notes, "How did you hear about us?: Other"));

  /* A known customer: ids instead of nested records; unmapped methods keep their name. */
  g_clear_pointer (&body, json_object_unref);
  options.company_id = 101;
  options.shipping_address_id = 1002;
  options.shipping_methods = NULL;
  options.draft = TRUE;
  body = build_order_body (resolution, &options);
  g_assert_cmpint (json_object_get_int_member (body, "company_id"), ==, 101);
  g_assert_cmpint (json_object_get_int_member (body, "shipping_address_id"), ==, 1002);
  g_assert_false (json_object_has_member (body, "company"));
  g_assert_false (json_object_has_member (body, "shipping_address"));
  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "draft");
  item = json_array_get_object_element (json_object_get_array_member (body, "order_line_items"), 2);
  g_assert_cmpstr (json_object_get_string_member (item, "label"), ==, "Flat Rate");
}

/* A new reference to a parsed object, for json_object_set_object_member() to take. */
static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = parse_json (json);

  return json_object_ref (json_node_get_object (node));
}

static void
make_test_jpy_order (JsonObject *object)
{
  JsonObject *line = json_array_get_object_element (json_object_get_array_member (object, "lineItems"), 0);
  const char *totals[] = { "subtotal", "shippingTotal", "discountTotal", "taxTotal", "refundedTotal", "grandTotal" };

  json_object_set_boolean_member (object, "testmode", TRUE);
  json_object_set_string_member (object, "priceTaxInterpretation", "INCLUSIVE");
  json_object_set_object_member (line, "unitPricePaid", object_from ("{\"value\": \"1500\", \"currency\": \"JPY\"}"));
  json_array_remove_element (json_object_get_array_member (object, "lineItems"), 1);
  json_object_set_null_member (object, "shippingLines");
  json_object_set_null_member (object, "discountLines");
  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    json_object_set_object_member (object, totals[i],
                                   object_from ("{\"value\": \"700\", \"currency\": \"JPY\"}"));
  json_object_set_object_member (object, "billingAddress",
                                 object_from ("{\"firstName\": \"Bo\", \"lastName\": \"Ng\","
                                              " \"address1\": \"9 Bill Rd\", \"city\": \"Osaka\"}"));
}


static void
test_sales_order_test_mode_and_currency (void)
{
  g_autoptr(RelayOrder) order = load_order (make_test_jpy_order);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(RelayResolution) resolution = resolve (order, aliases, GOOD_VARIANTS);
  g_autoptr(JsonObject) body = NULL;
  JsonArray *tags;
  JsonArray *items;

  relay_order_set_references (order, "3618", "SQ-3618");
  body = build_order_body (resolution, NULL);

  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "draft");
  tags = json_object_get_array_member (body, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "test");
  g_assert_cmpstr (json_object_get_string_member (body, "tax_treatment"), ==, "inclusive");
  g_assert_cmpstr (json_object_get_string_member (body, "currency_iso"), ==, "JPY");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "company"), "name"), ==, "Bo Ng");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "billing_address"), "address1"),
                   ==, "9 Bill Rd");

  /* Totals without lines still reach TradeGecko, in JPY precision. */
  items = json_object_get_array_member (body, "order_line_items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "price"), ==, "1500");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "price"), ==, "700");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 2), "price"), ==, "-700");
}

static void
no_street (JsonObject *object)
{
  json_object_set_null_member (json_object_get_object_member (object, "shippingAddress"), "address1");
}

static void
test_sales_order_refused (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(RelayOrder) streetless = load_order (no_street);
  g_autoptr(RelayOrder) digital = load_order (only_digital);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(RelayResolution) unknown = resolve (order, NULL, GOOD_VARIANTS);
  g_autoptr(RelayResolution) no_address = resolve (streetless, aliases, GOOD_VARIANTS);
  g_autoptr(RelayResolution) nothing = resolve (digital, NULL, "[]");
  g_autoptr(GError) error = NULL;
  RelaySalesOrderOptions known = { .company_id = 5, .shipping_address_id = 6 };
  g_autoptr(RelaySalesOrder) with_ids = NULL;

  relay_order_set_references (order, "3618", "SQ-3618");
  relay_order_set_references (streetless, "3618", "SQ-3618");
  relay_order_set_references (digital, "3618", "SQ-3618");

  g_assert_null (relay_mapping_build_sales_order (unknown, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "SQ2700585"));
  g_clear_error (&error);

  g_assert_null (relay_mapping_build_sales_order (no_address, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_clear_error (&error);
  /* With a known address id the missing street does not matter. */
  with_ids = relay_mapping_build_sales_order (no_address, &known, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (with_ids);

  g_assert_null (relay_mapping_build_sales_order (nothing, NULL, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
}

/* The preview's text (relay-preview.c) of a resolution, as the command line prints it. */
static char *
preview_text (RelayResolution              *resolution,
              const RelaySalesOrderOptions *options)
{
  static const RelaySalesOrderOptions defaults = { 0 };
  g_autoptr(RelayPreview) preview = relay_preview_new (resolution, options != NULL ? options : &defaults, FALSE);

  return relay_preview_dup_text (preview);
}

static void
test_preview (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(RelayResolution) good = NULL;
  g_autoptr(RelayResolution) unknown = NULL;
  g_autofree char *good_text = NULL;
  g_autofree char *unknown_text = NULL;

  relay_order_set_references (order, "3618", "SQ-3618");
  good = resolve (order, aliases, GOOD_VARIANTS);
  unknown = resolve (order, NULL, GOOD_VARIANTS);

  good_text = preview_text (good, NULL);
  g_test_message ("%s", good_text);
  g_assert_nonnull (strstr (good_text, "SQ-3618"));
  g_assert_nonnull (strstr (good_text, "[TradeGecko SKU MUG-BLK, "));
  g_assert_nonnull (strstr (good_text, "Flat Rate"));
  g_assert_nonnull (strstr (good_text, "Total 34.00 USD"));
  g_assert_null (strstr (good_text, "!!"));

  unknown_text = preview_text (unknown, NULL);
  g_test_message ("%s", unknown_text);
  g_assert_nonnull (strstr (unknown_text, "!! 2 × Classic Black [SQ2700585]"));
  g_assert_nonnull (strstr (unknown_text, "UNKNOWN SKU"));
  g_assert_nonnull (strstr (unknown_text, "Cannot be sent"));
}

/* ------------------------------------------------------------------------ */

/* The shipments TradeGecko's page of fulfillments becomes (the client's reading). */
static GPtrArray *
shipments_from (const char *json)
{
  g_autoptr(JsonNode) node = parse_json (json);

  return relay_tradegecko_shipments_from_page (json_node_get_object (node));
}

static void
test_shipment (void)
{
  g_autoptr(GHashTable) carriers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) read = shipments_from (
    "{\"fulfillments\": ["
    "{\"id\": 1, \"status\": \"fulfilled\", \"shipped_at\": \"2015-11-02T00:00:00.000Z\","
    " \"packed_at\": \"2015-11-01\", \"tracking_company\": \"GeckoShip\", \"tracking_number\": \"123TrackMe\","
    " \"tracking_url\": \"thetracker.com/3311233\", \"service\": null},"
    "{\"id\": 2, \"status\": \"packed\", \"shipped_at\": null, \"packed_at\": \"2015-11-01\","
    " \"tracking_company\": null, \"tracking_number\": \" 1Z999 \", \"tracking_url\": \"not a url\","
    " \"service\": \"Ground\"},"
    "{\"id\": 3, \"shipped_at\": \"2015-11-02\", \"tracking_number\": \"\"},"
    "{\"tracking_number\": \"NO-ID\"}]}");
  g_autoptr(RelayShipment) shipment = NULL;
  g_autoptr(RelayShipment) second = NULL;
  g_autoptr(RelayShipment) long_shipment = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  RelayShipment long_fields = { 0 };

  /* A fulfillment without an id is no shipment. */
  g_assert_cmpuint (read->len, ==, 3);
  g_hash_table_insert (carriers, (gpointer) "geckoship", (gpointer) "DHL Express");

  shipment = relay_mapping_prepare_shipment (g_ptr_array_index (read, 0), carriers, &error);
  g_assert_no_error (error);
  g_assert_cmpint (shipment->shipped_at, ==, G_GINT64_CONSTANT (1446422400000));
  g_assert_cmpstr (shipment->carrier, ==, "DHL Express");
  g_assert_null (shipment->service);
  g_assert_cmpstr (shipment->tracking_number, ==, "123TrackMe");
  g_assert_cmpstr (shipment->tracking_url, ==, "https://thetracker.com/3311233");
  g_assert_cmpint (shipment->fulfillment_id, ==, 1);

  /* Not shipped yet (0: Squarespace is told "now"); no carrier is `Other`. */
  second = relay_mapping_prepare_shipment (g_ptr_array_index (read, 1), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->shipped_at, ==, 0);
  g_assert_cmpstr (second->carrier, ==, "Other");
  g_assert_cmpstr (second->service, ==, "Ground");
  g_assert_cmpstr (second->tracking_number, ==, "1Z999");
  g_assert_null (second->tracking_url);

  g_assert_null (relay_mapping_prepare_shipment (g_ptr_array_index (read, 2), NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_clear_error (&error);

  /* Squarespace takes at most 100 characters: text is cut, a tracking number refused. */
  for (guint i = 0; i < 150; i++)
    g_string_append (long_text, "é");
  long_fields.tracking_number = (char *) "T1";
  long_fields.carrier = long_text->str;
  long_fields.service = long_text->str;
  long_shipment = relay_mapping_prepare_shipment (&long_fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utf8_strlen (long_shipment->carrier, -1), ==, 100);
  g_assert_cmpint (g_utf8_strlen (long_shipment->service, -1), ==, 100);
  long_fields.tracking_number = long_text->str;
  g_assert_null (relay_mapping_prepare_shipment (&long_fields, NULL, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
}

static void
test_tracking_urls (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "thetracker.com/3311233", "https://thetracker.com/3311233" },
    { "  https://tools.usps.com/go/T?x=1 ", "https://tools.usps.com/go/T?x=1" },
    { "http://ups.com/track", "http://ups.com/track" },
    { "www.dhl.com", "https://www.dhl.com" },
    { "ftp://files.example.com/1", NULL },
    { "javascript:alert(1)", NULL },
    { "not a url", NULL },
    { "localhost/x", NULL },
    { "https://", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = relay_mapping_normalize_tracking_url (cases[i].in);

      g_assert_cmpstr (url, ==, cases[i].out);
    }
}

static GPtrArray *
delivered_lines (void)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);

  g_ptr_array_add (lines, relay_resolved_line_new ("a", "SQ-MUG", "MUG-BLK", 11, 2, RELAY_LINE_RESOLVED));
  g_ptr_array_add (lines, relay_resolved_line_new ("b", "SQ-TEE", "TEE-L", 21, 1, RELAY_LINE_RESOLVED));
  g_ptr_array_add (lines, relay_resolved_line_new ("c", NULL, NULL, 0, 1, RELAY_LINE_DIGITAL));
  return lines;
}

static void
test_fully_shipped (void)
{
  g_autoptr(GPtrArray) lines = delivered_lines ();
  g_autoptr(GPtrArray) digital_only = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);
  g_autoptr(JsonNode) fulfillments = parse_json (
    "[{\"id\": 1, \"status\": \"fulfilled\"}, {\"id\": 2, \"status\": \"packed\"}, {\"id\": 3, \"status\": \"void\"}]");
  g_autoptr(JsonNode) items = parse_json (
    "[{\"fulfillment_id\": 1, \"variant_id\": 11, \"variant_sku\": \"MUG-BLK\", \"quantity\": \"2.0\"},"
    " {\"fulfillment_id\": 2, \"variant_sku\": \"TEE-L\", \"quantity\": \"1.0\"},"
    " {\"fulfillment_id\": 3, \"variant_id\": 21, \"quantity\": \"1.0\"}]");
  g_autoptr(JsonNode) partial = parse_json (
    "[{\"id\": 7, \"status\": \"fulfilled\", \"fulfillment_line_items\": ["
    "   {\"variant_id\": 11, \"quantity\": \"1.0\"}, {\"variant_id\": 21, \"quantity\": 1}]},"
    " {\"id\": 8, \"status\": \"fulfilled\", \"fulfillment_line_items\": [{\"variant_id\": 11, \"quantity\": \"1.0\"}]}]");
  g_autoptr(JsonNode) bad = parse_json (
    "[{\"id\": 9, \"status\": \"fulfilled\", \"fulfillment_line_items\": [{\"variant_id\": 11, \"quantity\": \"two\"}]}]");
  g_autoptr(GError) error = NULL;
  JsonArray *f = json_node_get_array (fulfillments);
  JsonArray *i = json_node_get_array (items);
  JsonArray *p = json_node_get_array (partial);
  g_autofree char *summary = NULL;

  /* The tee is only packed (and a void shipment never counts). */
  g_assert_false (relay_tradegecko_fulfillments_cover_lines (lines, f, i, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (relay_tradegecko_fulfillments_cover_lines (lines, f, i, TRUE, &error));
  g_assert_no_error (error);

  /* Two partial shipments with embedded lines add up. */
  g_assert_true (relay_tradegecko_fulfillments_cover_lines (lines, p, NULL, FALSE, &error));
  json_array_remove_element (p, 1);
  g_assert_false (relay_tradegecko_fulfillments_cover_lines (lines, p, NULL, FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (relay_tradegecko_fulfillments_cover_lines (lines, NULL, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (relay_tradegecko_fulfillments_cover_lines (digital_only, f, i, TRUE, &error));
  g_assert_no_error (error);

  g_assert_false (relay_tradegecko_fulfillments_cover_lines (lines, json_node_get_array (bad), NULL, FALSE, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);

  summary = relay_tradegecko_dup_lines_summary (json_array_get_object_element (f, 0), i);
  g_assert_cmpstr (summary, ==, "2 × MUG-BLK");
}

/* Regression: members of the wrong type (an object where a string or an
 * integer belongs) raised json-glib CRITICALs, fatal under G_DEBUG; they now
 * read as missing. */
static void
test_wrong_member_types (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(GPtrArray) lines = delivered_lines ();
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(JsonNode) fulfillments = parse_json (
    "[{\"id\": {\"x\": 1}, \"status\": [\"fulfilled\"]},"
    " {\"id\": 2, \"status\": \"fulfilled\", \"fulfillment_line_items\": ["
    "   {\"variant_id\": [11], \"variant_sku\": {\"sku\": \"MUG-BLK\"}, \"quantity\": \"2.0\"},"
    "   {\"fulfillment_id\": {}, \"variant_id\": 21, \"variant_sku\": [], \"quantity\": 1}]}]");
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  resolution = resolve (order, NULL,
                        "[{\"id\": 11, \"sku\": {\"value\": \"SQ2700585\"}, \"status\": \"active\"},"
                        " {\"id\": 12, \"sku\": \"SQ2700585\", \"status\": [\"active\"]}]");
  g_assert_nonnull (resolution->rejection);

  g_assert_false (relay_tradegecko_fulfillments_cover_lines (lines, json_node_get_array (fulfillments), NULL, FALSE, &error));
  g_assert_no_error (error);
  summary = relay_tradegecko_dup_lines_summary (json_array_get_object_element (json_node_get_array (fulfillments), 1), NULL);
  g_assert_cmpstr (summary, ==, "2 × ?, 1 × ?");
}

/* Regression: `quantity * 1000` overflowed (undefined behaviour) on a TradeGecko
 * quantity such as 2^63−1, and any quantity was believed. Out-of-range
 * quantities are a malformed shipment line. */
static void
test_shipment_quantity_bounds (void)
{
  const char *quantities[] = {
    "9223372036854775807", "9223372036854775", "-1", "\"-1.0\"", "\"9223372036854775.807\"", "\"1000001\"",
  };
  g_autoptr(GPtrArray) lines = delivered_lines ();

  for (guint n = 0; n < G_N_ELEMENTS (quantities); n++)
    {
      g_autofree char *json = g_strdup_printf (
        "[{\"id\": 1, \"status\": \"fulfilled\", \"fulfillment_line_items\": ["
        "   {\"variant_id\": 11, \"quantity\": %s}, {\"variant_id\": 21, \"quantity\": 1}]}]", quantities[n]);
      g_autoptr(JsonNode) fulfillments = parse_json (json);
      g_autoptr(GError) error = NULL;
      g_autofree char *summary = NULL;

      g_test_message ("quantity %s", quantities[n]);
      g_assert_false (relay_tradegecko_fulfillments_cover_lines (lines, json_node_get_array (fulfillments), NULL, FALSE, &error));
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
      summary = relay_tradegecko_dup_lines_summary (json_array_get_object_element (json_node_get_array (fulfillments), 0), NULL);
      g_assert_cmpstr (summary, ==, "1 × ?");
    }
}

/* ------------------------------------------------------------------------ */
/* Aliases by variant, tax, currency, time zone                              */

/* The E-book line becomes a second variant of the same Squarespace SKU. */
static void
share_one_sku (JsonObject *object)
{
  JsonArray *lines = json_object_get_array_member (object, "lineItems");
  g_autofree char *text = json_to_string (json_array_get_element (lines, 0), FALSE);
  /* json_node_copy() shares the object: a real copy goes through text. */
  g_autoptr(JsonNode) copy = parse_json (text);
  JsonObject *red = json_node_get_object (copy);

  json_object_set_string_member (red, "id", "line-red");
  json_object_set_string_member (red, "variantId", "7f1c0000-0000-4000-8000-00000000red0");
  json_object_set_int_member (red, "quantity", 1);
  json_array_remove_element (lines, 1);
  json_array_add_element (lines, g_steal_pointer (&copy));
}

static void
test_variant_aliases (void)
{
  g_autoptr(RelayOrder) order = load_order (share_one_sku);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(RelayResolution) resolution = NULL;
  g_auto(GStrv) needed = NULL;
  g_autofree char *preview = NULL;
  RelayResolvedLine *line;

  /* Squarespace SKUs need not be unique: the red variant has its own alias,
   * the black one falls back to the SKU alias. */
  g_hash_table_insert (aliases, (gpointer) RELAY_ALIAS_VARIANT_PREFIX "7f1c0000-0000-4000-8000-00000000red0",
                       (gpointer) "MUG-RED");
  needed = relay_mapping_dup_needed_skus (order, aliases);
  g_assert_cmpuint (g_strv_length (needed), ==, 2);
  g_assert_cmpstr (needed[0], ==, "MUG-BLK");
  g_assert_cmpstr (needed[1], ==, "MUG-RED");

  resolution = resolve (order, aliases,
                        "[{\"id\": 11, \"sku\": \"MUG-BLK\", \"status\": \"active\"},"
                        " {\"id\": 15, \"sku\": \"MUG-RED\", \"status\": \"active\"}]");
  g_assert_null (resolution->rejection);
  line = g_ptr_array_index (resolution->lines, 0);
  g_assert_cmpint (line->variant_id, ==, 11);
  g_assert_cmpint (line->rule, ==, RELAY_MATCH_SKU_ALIAS);
  line = g_ptr_array_index (resolution->lines, 1);
  g_assert_cmpint (line->variant_id, ==, 15);
  g_assert_cmpint (line->rule, ==, RELAY_MATCH_VARIANT_ALIAS);

  relay_order_set_references (order, "3618", "SQ-3618");
  preview = preview_text (resolution, NULL);
  g_test_message ("%s", preview);
  g_assert_nonnull (strstr (preview, "[TradeGecko SKU MUG-RED, by variant alias]"));
  g_assert_nonnull (strstr (preview, "[TradeGecko SKU MUG-BLK, by SKU alias]"));
}

static RelayAccountFacts *
account_new (const char *time_zone)
{
  RelayAccountFacts *facts = relay_account_facts_new ();

  facts->time_zone = g_strdup (time_zone);
  facts->default_tax_type_id = 2;
  facts->primary_location_id = 7;
  g_ptr_array_add (facts->currencies, g_strdup ("USD"));
  g_ptr_array_add (facts->currencies, g_strdup ("JPY"));
  relay_account_facts_add_tax_type (facts, 2, "Sales Tax", 88750);
  relay_account_facts_add_tax_type (facts, 5, "Local Tax", 62500);
  return facts;
}

/* The fixture order: 2 × 14.00, shipping 5.00, discount 1.00, tax 2.00, total
 * 34.00, exclusive: 6.25 % of 32.00. */
static void
test_tax_plan (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(RelayAccountFacts) account = account_new ("Pacific/Auckland");
  g_autoptr(GHashTable) rates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(RelayTaxPlan) mapped = NULL;
  g_autoptr(RelayTaxPlan) fallback = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *totals = NULL;
  g_autoptr(GError) error = NULL;
  RelayTaxSettings tax = { 0, TRUE, NULL };
  RelaySalesOrderOptions options = { 0 };
  gint64 rate = 62500, type = 5;
  JsonArray *items;

  relay_order_set_references (order, "3618", "SQ-3618");
  resolution = resolve (order, aliases, GOOD_VARIANTS);
  options.account = account;
  options.tax = &tax;

  /* No mapping: the default type's 8.875 % would not give 2.00, so the lines
   * carry Squarespace's 6.25 %. */
  fallback = relay_mapping_plan_tax (resolution, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fallback->tax_type.id, ==, 2);
  g_assert_cmpint (fallback->squarespace_rate, ==, 62500);
  g_assert_cmpint (fallback->tradegecko_total.minor, ==, 3400);
  g_assert_cmpint (fallback->tradegecko_tax.minor, ==, 200);
  g_assert_true (((RelaySalesLine *) g_ptr_array_index (fallback->lines, 0))->has_rate_override);

  /* Mapped: 6.25 % is the Local Tax type; its own rate gives 2.00, no override. */
  g_hash_table_insert (rates, g_memdup2 (&rate, sizeof rate), g_memdup2 (&type, sizeof type));
  tax.rate_types = rates;
  mapped = relay_mapping_plan_tax (resolution, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mapped->tax_type.id, ==, 5);
  g_assert_cmpint (mapped->tradegecko_total.minor, ==, 3400);
  g_assert_false (((RelaySalesLine *) g_ptr_array_index (mapped->lines, 0))->has_rate_override);

  node = sales_order_json (resolution, &options, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_object_get_object_member (json_node_get_object (node), "order"),
                                        "order_line_items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, i), "tax_type_id"), ==, 5);
  /* No location chosen: the account's primary one is named. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (node), "order"),
                                               "stock_location_id"), ==, 7);
  /* 21:26 UTC on 25 January is the 26th in Auckland. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "order"),
                                                  "issued_at"), ==, "2021-01-26");
  issued = relay_mapping_dup_issued_at (order, NULL);
  g_assert_cmpstr (issued, ==, "2021-01-25");

  /* The totals paragraph comes from the plan the lines were built from. */
  {
    g_autoptr(RelaySalesOrder) sales = relay_mapping_build_sales_order (resolution, &options, &totals, &error);
    g_autofree char *from_plan = relay_mapping_dup_totals_summary (resolution, mapped);

    g_assert_no_error (error);
    g_assert_true (sales->taxed);
    g_assert_cmpstr (totals, ==, from_plan);
    g_assert_nonnull (strstr (totals, "Local Tax"));
  }

  preview = preview_text (resolution, &options);
  g_test_message ("%s", preview);
  g_assert_nonnull (strstr (preview, "tax mapping 6.25 %"));
  g_assert_nonnull (strstr (preview, "Squarespace total 34.00 USD (tax 2.00 USD) · TradeGecko total 34.00 USD (tax 2.00 USD;"));

  /* A currency the account lacks: refused, naming it and the fix. */
  g_ptr_array_remove_index (account->currencies, 0);
  g_clear_pointer (&totals, g_free);
  g_assert_null (relay_mapping_build_sales_order (resolution, &options, &totals, &error));
  g_assert_null (totals);
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "USD"));
  g_assert_nonnull (strstr (error->message, "Currencies"));
  g_clear_error (&error);

  /* No tax type anywhere: refused with the fix. */
  g_ptr_array_add (account->currencies, g_strdup ("USD"));
  account->default_tax_type_id = 0;
  tax.rate_types = NULL;
  g_assert_null (relay_mapping_plan_tax (resolution, &options, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "Preferences"));
}

/* Zero-decimal yen, prices with tax inside: TradeGecko's total is the sum of
 * the lines, whatever each line's rounded tax. */
static void
test_tax_plan_inclusive_yen (void)
{
  g_autoptr(RelayAccountFacts) account = account_new (NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sales_line_free);
  g_autoptr(RelayTaxPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  RelayTaxSettings tax = { 0, TRUE, NULL };
  RelayMoney tax_total, grand;

  relay_account_facts_add_tax_type (account, 4, "JCT 10%", 100000);
  tax.default_tax_type_id = 4;
  g_ptr_array_add (lines, relay_sales_line_new (RELAY_SALES_LINE_PRODUCT, NULL, 0, 3, 1980, TRUE));
  g_ptr_array_add (lines, relay_sales_line_new (RELAY_SALES_LINE_SHIPPING, "Yamato", -1, 1, 770, TRUE));
  relay_money_init (&tax_total, 610, "JPY");
  relay_money_init (&grand, 6710, "JPY");

  plan = relay_tax_plan_new (g_steal_pointer (&lines), TRUE, &tax_total, &grand, account, &tax, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plan->squarespace_rate, ==, 100000);
  g_assert_cmpint (plan->tradegecko_total.minor, ==, 6710);
  g_assert_cmpint (plan->tradegecko_tax.minor, ==, 610);
  g_assert_cmpuint (plan->lines->len, ==, 2);
  g_clear_pointer (&plan, relay_tax_plan_free);

  /* A grand total the lines cannot reach is no rounding: refused, not hidden. */
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sales_line_free);
  g_ptr_array_add (lines, relay_sales_line_new (RELAY_SALES_LINE_PRODUCT, NULL, 0, 3, 1980, TRUE));
  relay_money_init (&grand, 9999, "JPY");
  g_assert_null (relay_tax_plan_new (g_steal_pointer (&lines), TRUE, &tax_total, &grand, account, &tax, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "TradeGecko would total"));

  g_assert_cmpint (relay_tax_round_div (-5, 10), ==, -1);
  g_assert_cmpint (relay_tax_round_div (5, 10), ==, 1);
  g_assert_cmpint (relay_tax_round_div (4, 10), ==, 0);
}

/* The exact bytes TradeGecko is sent for the sales order, as the client serialises it. */
static char *
payload_text (RelayResolution              *resolution,
              const RelaySalesOrderOptions *options)
{
  g_autoptr(JsonNode) body = deliverable_body (resolution, options);

  return json_to_string (body, FALSE);
}

static void
test_sales_order_bytes (void)
{
  g_autoptr(RelayOrder) order = load_order (NULL);
  g_autoptr(RelayOrder) yen = load_order (make_test_jpy_order);
  g_autoptr(GHashTable) aliases = aliases_new ();
  g_autoptr(GHashTable) methods = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RelayAccountFacts) account = account_new ("Pacific/Auckland");
  g_autoptr(RelayResolution) resolution = NULL;
  g_autoptr(RelayResolution) yen_resolution = NULL;
  RelayTaxSettings tax = { 0, TRUE, NULL };
  RelaySalesOrderOptions options = { 0 };
  static const char *expected[] = {
    /* new customer, shipping method mapped, no account */
      "{\"order\":{\"order_number\":\"SQ-3618\",\"reference_number\":\"3618\",\"issued_at\":\"2021-01-2"
      "5\",\"email\":\"buyer@example.com\",\"phone_number\":\"5550000000\",\"tax_treatment\":\"exclusiv"
      "e\",\"currency_iso\":\"USD\",\"status\":\"active\",\"tags\":[\"squarespace\"],\"company\":{\"nam"
      "e\":\"Ann Lee\",\"company_type\":\"consumer\",\"email\":\"buyer@example.com\",\"phone_number\":\""
      "5550000000\"},\"shipping_address\":{\"label\":\"Shipping\",\"first_name\":\"Ann\",\"last_name\":"
      "\"Lee\",\"address1\":\"1 Main St\",\"city\":\"Springfield\",\"state\":\"IL\",\"zip_code\":\"6270"
      "1\",\"country_code\":\"US\",\"phone_number\":\"5550000000\",\"email\":\"buyer@example.com\"},\"o"
      "rder_line_items\":[{\"variant_id\":11,\"quantity\":2,\"price\":\"14.00\"},{\"freeform\":true,\"l"
      "ine_type\":\"product\",\"label\":\"E-book (digital)\",\"quantity\":1,\"price\":\"0.00\"},{\"free"
      "form\":true,\"line_type\":\"shipping\",\"label\":\"Standard Shipping\",\"quantity\":1,\"price\":"
      "\"5.00\"},{\"freeform\":true,\"line_type\":\"discount\",\"label\":\"Fall Sale\",\"quantity\":1,\""
      "price\":\"-1.00\"}],\"notes\":\"Classic Black (SQ2700585): Size: Large; Engraving: A.L.\\nChecko"
      "ut form: How did you hear about us?: Other\"}}",
    /* known customer and address, draft */
      "{\"order\":{\"order_number\":\"SQ-3618\",\"reference_number\":\"3618\",\"issued_at\":\"2021-01-2"
      "5\",\"email\":\"buyer@example.com\",\"phone_number\":\"5550000000\",\"tax_treatment\":\"exclusiv"
      "e\",\"currency_iso\":\"USD\",\"status\":\"draft\",\"tags\":[\"squarespace\"],\"company_id\":101,"
      "\"shipping_address_id\":1002,\"order_line_items\":[{\"variant_id\":11,\"quantity\":2,\"price\":\""
      "14.00\"},{\"freeform\":true,\"line_type\":\"product\",\"label\":\"E-book (digital)\",\"quantity\""
      ":1,\"price\":\"0.00\"},{\"freeform\":true,\"line_type\":\"shipping\",\"label\":\"Standard Shippi"
      "ng\",\"quantity\":1,\"price\":\"5.00\"},{\"freeform\":true,\"line_type\":\"discount\",\"label\":"
      "\"Fall Sale\",\"quantity\":1,\"price\":\"-1.00\"}],\"notes\":\"Classic Black (SQ2700585): Size: "
      "Large; Engraving: A.L.\\nCheckout form: How did you hear about us?: Other\"}}",
    /* known customer, new address (label unique per company), taxed, primary location */
      "{\"order\":{\"order_number\":\"SQ-3618\",\"reference_number\":\"3618\",\"issued_at\":\"2021-01-2"
      "6\",\"email\":\"buyer@example.com\",\"phone_number\":\"5550000000\",\"tax_treatment\":\"exclusiv"
      "e\",\"currency_iso\":\"USD\",\"status\":\"active\",\"source_url\":\"https://example.squarespace."
      "com/config/commerce/orders/585d498f\",\"stock_location_id\":7,\"tags\":[\"squarespace\"],\"compa"
      "ny_id\":101,\"shipping_address\":{\"label\":\"Shipping SQ-3618\",\"first_name\":\"Ann\",\"last_n"
      "ame\":\"Lee\",\"address1\":\"1 Main St\",\"city\":\"Springfield\",\"state\":\"IL\",\"zip_code\":"
      "\"62701\",\"country_code\":\"US\",\"phone_number\":\"5550000000\",\"email\":\"buyer@example.com\""
      "},\"order_line_items\":[{\"variant_id\":11,\"quantity\":2,\"price\":\"14.00\",\"tax_type_id\":2,"
      "\"tax_rate_override\":\"6.25\"},{\"freeform\":true,\"line_type\":\"product\",\"label\":\"E-book "
      "(digital)\",\"quantity\":1,\"price\":\"0.00\",\"tax_type_id\":2,\"tax_rate_override\":\"6.25\"},"
      "{\"freeform\":true,\"line_type\":\"shipping\",\"label\":\"Standard Shipping\",\"quantity\":1,\"p"
      "rice\":\"5.00\",\"tax_type_id\":2,\"tax_rate_override\":\"6.25\"},{\"freeform\":true,\"line_type"
      "\":\"discount\",\"label\":\"Fall Sale\",\"quantity\":1,\"price\":\"-1.00\",\"tax_type_id\":2,\"t"
      "ax_rate_override\":\"6.25\"}],\"notes\":\"Classic Black (SQ2700585): Size: Large; Engraving: A.L"
      ".\\nCheckout form: How did you hear about us?: Other\"}}",
    /* test order, new customer with a billing address, chosen location */
      "{\"order\":{\"order_number\":\"SQ-3618\",\"reference_number\":\"3618\",\"issued_at\":\"2021-01-2"
      "5\",\"email\":\"buyer@example.com\",\"phone_number\":\"5550000000\",\"tax_treatment\":\"inclusiv"
      "e\",\"currency_iso\":\"JPY\",\"status\":\"draft\",\"source_url\":\"https://example.squarespace.c"
      "om/config/commerce/orders/585d498f\",\"stock_location_id\":9,\"tags\":[\"squarespace\",\"test\"]"
      ",\"company\":{\"name\":\"Bo Ng\",\"company_type\":\"consumer\",\"email\":\"buyer@example.com\",\""
      "phone_number\":\"5550000000\"},\"shipping_address\":{\"label\":\"Shipping\",\"first_name\":\"Ann"
      "\",\"last_name\":\"Lee\",\"address1\":\"1 Main St\",\"city\":\"Springfield\",\"state\":\"IL\",\""
      "zip_code\":\"62701\",\"country_code\":\"US\",\"phone_number\":\"5550000000\",\"email\":\"buyer@e"
      "xample.com\"},\"billing_address\":{\"label\":\"Billing\",\"first_name\":\"Bo\",\"last_name\":\"N"
      "g\",\"address1\":\"9 Bill Rd\",\"city\":\"Osaka\",\"email\":\"buyer@example.com\"},\"order_line_"
      "items\":[{\"variant_id\":11,\"quantity\":2,\"price\":\"1500\"},{\"freeform\":true,\"line_type\":"
      "\"shipping\",\"label\":\"Shipping\",\"quantity\":1,\"price\":\"700\"},{\"freeform\":true,\"line_"
      "type\":\"discount\",\"label\":\"Discount\",\"quantity\":1,\"price\":\"-700\"}],\"notes\":\"Class"
      "ic Black (SQ2700585): Size: Large; Engraving: A.L.\\nCheckout form: How did you hear about us?: "
      "Other\"}}",
  };
  const char *texts[G_N_ELEMENTS (expected)] = { NULL };
  g_autofree char *new_customer = NULL;
  g_autofree char *known = NULL;
  g_autofree char *new_address = NULL;
  g_autofree char *test_yen = NULL;

  relay_order_set_references (order, "3618", "SQ-3618");
  relay_order_set_references (yen, "3618", "SQ-3618");
  resolution = resolve (order, aliases, GOOD_VARIANTS);
  yen_resolution = resolve (yen, aliases, GOOD_VARIANTS);

  g_hash_table_insert (methods, (gpointer) "Flat Rate", (gpointer) "Standard Shipping");
  options.shipping_methods = methods;
  texts[0] = new_customer = payload_text (resolution, &options);

  options.company_id = 101;
  options.shipping_address_id = 1002;
  options.draft = TRUE;
  texts[1] = known = payload_text (resolution, &options);

  options.shipping_address_id = 0;
  options.draft = FALSE;
  options.account = account;
  options.tax = &tax;
  options.source_url = "https://example.squarespace.com/config/commerce/orders/585d498f";
  texts[2] = new_address = payload_text (resolution, &options);

  /* A new customer with a billing address of its own, a test order, untaxed. */
  options.company_id = 0;
  options.account = NULL;
  options.tax = NULL;
  options.stock_location_id = 9;
  texts[3] = test_yen = payload_text (yen_resolution, &options);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_cmpstr (texts[i], ==, expected[i]);
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mapping/wrong-member-types", test_wrong_member_types);
  g_test_add_func ("/mapping/shipment/quantity-bounds", test_shipment_quantity_bounds);

  g_test_add_func ("/mapping/cust-ref/natural", test_cust_ref_natural);
  g_test_add_func ("/mapping/cust-ref/long-numbers", test_cust_ref_long_numbers);
  g_test_add_func ("/mapping/cust-ref/charsets", test_cust_ref_charsets);
  g_test_add ("/mapping/cust-ref/collisions", StoreFixture, NULL, store_set_up, test_cust_ref_collisions, store_tear_down);
  g_test_add_func ("/mapping/resolve/lines", test_resolve_lines);
  g_test_add_func ("/mapping/resolve/problems", test_resolve_problems);
  g_test_add_func ("/mapping/sales-order/payload", test_sales_order);
  g_test_add_func ("/mapping/sales-order/test-mode-and-currency", test_sales_order_test_mode_and_currency);
  g_test_add_func ("/mapping/sales-order/refused", test_sales_order_refused);
  g_test_add_func ("/mapping/sales-order/exact-bytes", test_sales_order_bytes);
  g_test_add_func ("/mapping/sales-order/preview", test_preview);
  g_test_add_func ("/mapping/resolve/variant-aliases", test_variant_aliases);
  g_test_add_func ("/mapping/tax/plan", test_tax_plan);
  g_test_add_func ("/mapping/tax/inclusive-yen", test_tax_plan_inclusive_yen);
  g_test_add_func ("/mapping/shipment/build", test_shipment);
  g_test_add_func ("/mapping/shipment/tracking-urls", test_tracking_urls);
  g_test_add_func ("/mapping/shipment/fully-shipped", test_fully_shipped);

  return g_test_run ();
}
