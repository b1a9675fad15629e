/* relay-sandbox-demo.c — the built-in demo store: a small coffee and tea roaster
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

typedef struct
{
  const char *sku;
  const char *product;
  const char *option;       /* "Size" or "Colour" value; NULL for single-variant products */
  gint64      price_cents;
  gint64      cost_cents;
  int         stock;
  const char *status;
} DemoVariant;

static const DemoVariant demo_variants[] = {
  { "CB-ETH-250", "Ethiopia Yirgacheffe", "250 g", 1650, 620, 48, "active" },
  { "CB-ETH-1K", "Ethiopia Yirgacheffe", "1 kg", 5200, 2300, 12, "active" },
  { "CB-COL-250", "Colombia Huila", "250 g", 1450, 540, 60, "active" },
  { "CB-COL-1K", "Colombia Huila", "1 kg", 4600, 2000, 15, "active" },
  { "CB-KEN-250", "Kenya Nyeri AA", "250 g", 1850, 720, 30, "active" },
  { "CB-KEN-1K", "Kenya Nyeri AA", "1 kg", 5900, 2700, 6, "active" },
  { "CB-GUA-250", "Guatemala Antigua", "250 g", 1500, 560, 40, "active" },
  { "CB-GUA-1K", "Guatemala Antigua", "1 kg", 4800, 2100, 10, "active" },
  { "CB-SUM-250", "Sumatra Mandheling", "250 g", 1550, 580, 35, "active" },
  { "CB-SUM-1K", "Sumatra Mandheling", "1 kg", 4900, 2150, 8, "active" },
  { "CB-ESP-250", "House Espresso Blend", "250 g", 1400, 500, 80, "active" },
  { "CB-ESP-1K", "House Espresso Blend", "1 kg", 4400, 1900, 20, "active" },
  { "CB-DEC-250", "Swiss Water Decaf", "250 g", 1600, 640, 25, "active" },
  { "TEA-SEN-50", "Japanese Sencha", "50 g", 1200, 420, 50, "active" },
  { "TEA-SEN-200", "Japanese Sencha", "200 g", 3800, 1500, 14, "active" },
  { "TEA-ASS-50", "Assam Breakfast", "50 g", 900, 300, 70, "active" },
  { "TEA-ASS-200", "Assam Breakfast", "200 g", 2800, 1000, 22, "active" },
  { "TEA-EGR-50", "Earl Grey Bergamot", "50 g", 1000, 340, 65, "active" },
  { "TEA-EGR-200", "Earl Grey Bergamot", "200 g", 3000, 1100, 18, "active" },
  { "TEA-OOL-50", "Tieguanyin Oolong", "50 g", 1500, 600, 30, "active" },
  { "TEA-OOL-200", "Tieguanyin Oolong", "200 g", 4900, 2100, 9, "active" },
  { "TEA-CHA-50", "Masala Chai", "50 g", 950, 320, 45, "active" },
  { "TEA-CHA-200", "Masala Chai", "200 g", 2900, 1050, 16, "active" },
  { "TEA-ROO-50", "Rooibos Vanilla", "50 g", 900, 300, 38, "active" },
  { "EQ-V60-02", "Ceramic Pour-Over Dripper", NULL, 2800, 1100, 24, "active" },
  { "EQ-KET-GN", "Gooseneck Kettle", NULL, 7900, 3600, 11, "active" },
  { "EQ-GRD-HND", "Hand Burr Grinder", NULL, 8900, 4200, 9, "active" },
  { "EQ-SCL-01", "Brewing Scale", NULL, 4500, 1900, 13, "active" },
  { "EQ-FLT-100", "Paper Filters (100)", NULL, 800, 250, 120, "active" },
  { "EQ-FRP-8", "French Press 8 Cup", NULL, 3900, 1600, 17, "active" },
  { "EQ-AER-01", "AeroPress", NULL, 3995, 2200, 21, "active" },
  { "EQ-TIN-01", "Airtight Storage Tin", NULL, 2200, 800, 33, "active" },
  { "MUG-STN-WHT", "Stoneware Mug", "White", 1800, 600, 40, "active" },
  { "MUG-STN-BLU", "Stoneware Mug", "Harbor Blue", 1800, 600, 28, "active" },
  { "MUG-STN-GRN", "Stoneware Mug", "Sage", 1800, 600, 19, "active" },
  { "MUG-STN-CHR", "Stoneware Mug", "Charcoal", 1800, 600, 22, "active" },
  /* TradeGecko does not enforce SKU uniqueness: an old and a new listing share this one. */
  { "MUG-TRV-12", "Travel Tumbler", "12 oz", 2600, 1000, 15, "active" },
  { "MUG-TRV-12", "Travel Tumbler (2023 edition)", "12 oz", 2600, 1000, 4, "active" },
  /* A sample with no SKU and a retired product that is archived. */
  { "", "Tasting Sample Sachet", NULL, 0, 80, 300, "active" },
  { "CB-HOL-250", "Holiday Blend 2024", "250 g", 1700, 600, 0, "archived" },
};

enum
{
  DEMO_TEST      = 1 << 0,
  DEMO_FULFILLED = 1 << 1,
  DEMO_CANCELED  = 1 << 2,
  DEMO_DIGITAL   = 1 << 3,
  DEMO_NOTE      = 1 << 4,
};

typedef struct
{
  const char *sku;
  int         quantity;
} DemoLine;

typedef struct
{
  int         days_ago;
  int         hour;
  const char *first;
  const char *last;
  const char *email;
  const char *address1;
  const char *city;
  const char *state;
  const char *country;
  const char *postal;
  const char *currency;
  const char *shipping;
  gint64      shipping_minor;
  DemoLine    lines[4];
  const char *promo;
  gint64      discount_minor;
  guint       flags;
} DemoOrder;

static const DemoOrder demo_orders[] = {
  { 27, 9, "Ann", "Lee", "ann.lee@example.com", "1 Main St", "Springfield", "IL", "US", "62701", NULL,
    "Flat Rate", 500, { { "CB-ETH-250", 2 }, { "EQ-FLT-100", 1 } }, NULL, 0, DEMO_FULFILLED },
  { 25, 14, "Marcus", "Okafor", "marcus.okafor@example.com", "88 Pine Ave", "Seattle", "WA", "US", "98101", NULL,
    "Flat Rate", 500, { { "CB-COL-1K", 1 } }, NULL, 0, 0 },
  { 24, 11, "Zoë", "Ångström", "zoe.angstrom@example.se", "Drottninggatan 12", "Stockholm", NULL, "SE", "111 51", "EUR",
    "International", 1800, { { "TEA-EGR-200", 1 }, { "MUG-STN-BLU", 2 } }, NULL, 0, 0 },
  { 22, 8, "渡辺", "結衣", "yui.watanabe@example.jp", "1-2-3 Shibuya", "Shibuya-ku", "Tokyo", "JP", "150-0002", "JPY",
    "International", 3200, { { "TEA-SEN-200", 2 }, { "EQ-V60-02", 1 } }, NULL, 0, 0 },
  { 21, 16, "Priya", "Raman", "priya.raman@example.com", "401 Elm St", "Austin", "TX", "US", "73301", NULL,
    "Free Shipping", 0, { { "CB-ESP-1K", 2 }, { "EQ-GRD-HND", 1 } }, "WELCOME10", 1780, 0 },
  { 20, 10, "Tom", "Becker", "tom.becker@example.com", "9 Harbor Rd", "Portland", "ME", "US", "04101", NULL,
    "Flat Rate", 500, { { "TEA-ASS-50", 3 } }, NULL, 0, DEMO_CANCELED },
  { 18, 13, "Lucía", "Fernández", "lucia.fernandez@example.com", "220 Ocean Dr", "Miami", "FL", "US", "33139", NULL,
    "Flat Rate", 500, { { "CB-KEN-250", 1 } }, NULL, 0, DEMO_DIGITAL },
  { 17, 9, "Test", "Buyer", "merchant+test@example.com", "1 Test Way", "Portland", "OR", "US", "97201", NULL,
    "Flat Rate", 500, { { "CB-GUA-250", 1 } }, NULL, 0, DEMO_TEST },
  { 16, 15, "Hannah", "Schmidt", "hannah.schmidt@example.com", "77 Birch Ln", "Denver", "CO", "US", "80202", NULL,
    "Flat Rate", 500, { { "TEA-MATCHA-CER", 1 }, { "TEA-SEN-50", 1 } }, NULL, 0, 0 },
  { 15, 12, "Kwame", "Mensah", "kwame.mensah@example.com", "5 Cedar Ct", "Atlanta", "GA", "US", "30303", NULL,
    "Express", 1500, { { "EQ-KET-GN", 1 }, { "EQ-SCL-01", 1 }, { "CB-SUM-250", 2 } }, NULL, 0, DEMO_NOTE },
  { 14, 10, "Emily", "Chen", "emily.chen@example.com", "300 Market St", "San Francisco", "CA", "US", "94105", NULL,
    "Flat Rate", 500, { { "MUG-STN-WHT", 4 } }, NULL, 0, 0 },
  { 13, 18, "Oliver", "Brown", "oliver.brown@example.co.uk", "14 Baker St", "London", NULL, "GB", "NW1 6XE", NULL,
    "International", 1800, { { "TEA-EGR-50", 2 }, { "TEA-ASS-200", 1 } }, NULL, 0, 0 },
  { 12, 9, "Sofia", "Rossi", "sofia.rossi@example.com", "18 Walnut St", "Philadelphia", "PA", "US", "19103", NULL,
    "Flat Rate", 500, { { "CB-DEC-250", 2 } }, NULL, 0, 0 },
  { 11, 14, "Mateo", "García", "mateo.garcia@example.com", "62 Sunset Blvd", "Los Angeles", "CA", "US", "90028", NULL,
    "Flat Rate", 500, { { "EQ-AER-01", 1 }, { "EQ-FLT-100", 2 } }, NULL, 0, 0 },
  { 10, 11, "Aisha", "Khan", "aisha.khan@example.com", "9 Lake Shore Dr", "Chicago", "IL", "US", "60611", NULL,
    "Flat Rate", 500, { { "TEA-CHA-200", 1 }, { "TEA-ROO-50", 2 } }, NULL, 0, 0 },
  { 9, 16, "Noah", "Williams", "noah.williams@example.com", "120 River Rd", "Nashville", "TN", "US", "37201", NULL,
    "Flat Rate", 500, { { "MUG-TRV-12", 1 } }, NULL, 0, 0 },
  { 8, 8, "Camille", "Dubois", "camille.dubois@example.fr", "5 Rue de Rivoli", "Paris", NULL, "FR", "75001", "EUR",
    "International", 1800, { { "TEA-OOL-50", 2 } }, NULL, 0, 0 },
  { 7, 13, "Liam", "O'Connor", "liam.oconnor@example.com", "44 Beacon St", "Boston", "MA", "US", "02108", NULL,
    "Flat Rate", 500, { { "CB-ETH-1K", 1 }, { "CB-KEN-1K", 1 } }, NULL, 0, 0 },
  { 6, 10, "Grace", "Kim", "grace.kim@example.com", "15 Pearl St", "New York", "NY", "US", "10004", NULL,
    "Express", 1500, { { "EQ-FRP-8", 1 }, { "CB-COL-250", 1 } }, NULL, 0, 0 },
  { 5, 15, "Ethan", "Nguyen", "ethan.nguyen@example.com", "700 Congress Ave", "Austin", "TX", "US", "78701", NULL,
    "Flat Rate", 500, { { "EQ-TIN-01", 2 }, { "CB-ESP-250", 2 } }, NULL, 0, 0 },
  { 4, 9, "Mia", "Johansson", "mia.johansson@example.com", "12 Maple Ave", "Minneapolis", "MN", "US", "55401", NULL,
    "Flat Rate", 500, { { "TEA-SEN-50", 1 }, { "TEA-OOL-200", 1 } }, NULL, 0, 0 },
  { 3, 12, "Diego", "Silva", "diego.silva@example.com", "8 Harbor View", "San Diego", "CA", "US", "92101", NULL,
    "Flat Rate", 500, { { "MUG-STN-GRN", 2 }, { "MUG-STN-CHR", 2 } }, NULL, 0, 0 },
  { 2, 17, "Chloé", "Martin", "chloe.martin@example.com", "31 Oak St", "Burlington", "VT", "US", "05401", NULL,
    "Flat Rate", 500, { { "CB-GUA-1K", 1 } }, NULL, 0, 0 },
  { 1, 10, "Jonas", "Weber", "jonas.weber@example.com", "66 Spruce St", "Boulder", "CO", "US", "80302", NULL,
    "Flat Rate", 500, { { "CB-SUM-1K", 1 }, { "EQ-FLT-100", 1 } }, NULL, 0, 0 },
  { 0, 9, "Fatima", "Haddad", "fatima.haddad@example.com", "27 Elm Ct", "Detroit", "MI", "US", "48226", NULL,
    "Flat Rate", 500, { { "TEA-CHA-50", 2 }, { "TEA-EGR-50", 1 } }, NULL, 0, 0 },
};

static const DemoVariant *
find_demo_variant (const char *sku)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_variants); i++)
    if (g_strcmp0 (demo_variants[i].sku, sku) == 0)
      return &demo_variants[i];
  return NULL;
}

static gint64
convert (gint64      usd_cents,
         const char *currency)
{
  if (g_strcmp0 (currency, "EUR") == 0)
    return usd_cents * 92 / 100;
  if (g_strcmp0 (currency, "JPY") == 0)
    return usd_cents * 151 / 100;
  return usd_cents;
}

static JsonObject *
money (gint64      minor,
       const char *currency)
{
  return sandbox_money_new (minor, currency);
}

static JsonObject *
demo_line (const char *sku,
           const char *product,
           const char *option,
           int         quantity,
           gint64      unit,
           const char *currency)
{
  JsonObject *line = json_object_new ();

  if (sku != NULL)
    json_object_set_string_member (line, "sku", sku);
  json_object_set_string_member (line, "productName", product);
  json_object_set_int_member (line, "quantity", quantity);
  json_object_set_object_member (line, "unitPricePaid", money (unit, currency));
  if (option != NULL)
    {
      JsonArray *options = json_array_new ();
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "optionName", g_str_has_prefix (sku ? sku : "", "MUG") ? "Colour" : "Size");
      json_object_set_string_member (entry, "value", option);
      json_array_add_object_element (options, entry);
      json_object_set_array_member (line, "variantOptions", options);
    }
  if (sku != NULL)
    {
      json_object_set_double_member (line, "weight", g_str_has_suffix (sku, "1K") ? 2.25 : 0.5);
      json_object_set_double_member (line, "width", 4.0);
      json_object_set_double_member (line, "length", 7.0);
      json_object_set_double_member (line, "height", 3.0);
    }
  return line;
}

static JsonObject *
address (const DemoOrder *spec)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "firstName", spec->first);
  json_object_set_string_member (object, "lastName", spec->last);
  json_object_set_string_member (object, "address1", spec->address1);
  json_object_set_null_member (object, "address2");
  json_object_set_string_member (object, "city", spec->city);
  if (spec->state != NULL)
    json_object_set_string_member (object, "state", spec->state);
  else
    json_object_set_null_member (object, "state");
  json_object_set_string_member (object, "countryCode", spec->country);
  json_object_set_string_member (object, "postalCode", spec->postal);
  json_object_set_string_member (object, "phone", "5550100");
  return object;
}

static JsonObject *
build_order (const DemoOrder *spec,
             gint64           created_ms,
             guint            number)
{
  JsonObject *order = json_object_new ();
  JsonArray *lines = json_array_new ();
  JsonArray *shipping_lines = json_array_new ();
  JsonObject *shipping_line = json_object_new ();
  const char *currency = spec->currency ? spec->currency : "USD";
  g_autofree char *created = sandbox_format_iso8601_ms (created_ms);
  gint64 subtotal = 0;

  json_object_set_int_member (order, "orderNumber", number);
  json_object_set_string_member (order, "createdOn", created);
  json_object_set_string_member (order, "currency", currency);
  json_object_set_string_member (order, "customerEmail", spec->email);
  json_object_set_boolean_member (order, "testmode", (spec->flags & DEMO_TEST) != 0);
  json_object_set_object_member (order, "shippingAddress", address (spec));
  /* Billing addresses are often sparse in real orders: only the country is certain. */
  if (g_strcmp0 (spec->country, "US") == 0)
    json_object_set_object_member (order, "billingAddress", address (spec));
  else
    {
      JsonObject *billing = json_object_new ();

      json_object_set_string_member (billing, "firstName", "");
      json_object_set_string_member (billing, "lastName", "");
      json_object_set_string_member (billing, "countryCode", spec->country);
      json_object_set_object_member (order, "billingAddress", billing);
    }

  for (guint i = 0; i < G_N_ELEMENTS (spec->lines) && spec->lines[i].sku != NULL; i++)
    {
      const DemoVariant *variant = find_demo_variant (spec->lines[i].sku);
      gint64 unit = convert (variant ? variant->price_cents : 3200, currency);

      json_array_add_object_element (lines, demo_line (spec->lines[i].sku,
                                                       variant ? variant->product : "Ceremonial Matcha",
                                                       variant ? variant->option : "30 g",
                                                       spec->lines[i].quantity, unit, currency));
      subtotal += unit * spec->lines[i].quantity;
    }
  if (spec->flags & DEMO_DIGITAL)
    {
      JsonObject *line = demo_line (NULL, "Home Brewing Guide (PDF)", NULL, 1, 900, currency);

      json_object_set_string_member (line, "lineItemType", "DIGITAL");
      json_array_add_object_element (lines, line);
      subtotal += 900;
    }
  json_object_set_array_member (order, "lineItems", lines);

  json_object_set_string_member (shipping_line, "method", spec->shipping);
  json_object_set_object_member (shipping_line, "amount", money (spec->shipping_minor, currency));
  json_array_add_object_element (shipping_lines, shipping_line);
  json_object_set_array_member (order, "shippingLines", shipping_lines);

  if (spec->promo != NULL)
    {
      JsonArray *discounts = json_array_new ();
      JsonObject *discount = json_object_new ();

      json_object_set_string_member (discount, "description", "Welcome discount");
      json_object_set_string_member (discount, "name", "Welcome discount");
      json_object_set_object_member (discount, "amount", money (spec->discount_minor, currency));
      json_object_set_string_member (discount, "promoCode", spec->promo);
      json_array_add_object_element (discounts, discount);
      json_object_set_array_member (order, "discountLines", discounts);
    }

  /* US sales tax on top (EXCLUSIVE); European and Japanese prices include their VAT. */
  if (g_strcmp0 (spec->country, "US") == 0)
    json_object_set_object_member (order, "taxTotal", money ((subtotal - spec->discount_minor) * 8 / 100, currency));
  else
    json_object_set_string_member (order, "priceTaxInterpretation", "INCLUSIVE");

  if (spec->flags & DEMO_NOTE)
    {
      JsonArray *form = json_array_new ();
      JsonObject *answer = json_object_new ();
      JsonArray *notes = json_array_new ();
      JsonObject *note = json_object_new ();

      json_object_set_string_member (answer, "label", "Is this a gift?");
      json_object_set_string_member (answer, "value", "Yes — please leave out the receipt");
      json_array_add_object_element (form, answer);
      json_object_set_array_member (order, "formSubmission", form);
      json_object_set_string_member (note, "content", "Customer called about delivery before the 20th.");
      json_array_add_object_element (notes, note);
      json_object_set_array_member (order, "internalNotes", notes);
    }

  if (spec->flags & DEMO_CANCELED)
    json_object_set_string_member (order, "fulfillmentStatus", "CANCELED");
  if (spec->flags & DEMO_FULFILLED)
    {
      JsonArray *fulfillments = json_array_new ();
      JsonObject *shipment = json_object_new ();
      g_autofree char *shipped = sandbox_format_iso8601_ms (created_ms + 2 * 86400000);

      json_object_set_string_member (shipment, "shipDate", shipped);
      json_object_set_string_member (shipment, "carrierName", "USPS");
      json_object_set_string_member (shipment, "service", "Priority Mail");
      json_object_set_string_member (shipment, "trackingNumber", "9400109699939624119857");
      json_object_set_string_member (shipment, "trackingUrl",
                                     "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400109699939624119857");
      json_array_add_object_element (fulfillments, shipment);
      json_object_set_array_member (order, "fulfillments", fulfillments);
      json_object_set_string_member (order, "fulfillmentStatus", "FULFILLED");
      json_object_set_string_member (order, "fulfilledOn", shipped);
      json_object_set_string_member (order, "modifiedOn", shipped);
    }

  return order;
}

JsonNode *
sandbox_demo_build_scenario (void)
{
  JsonObject *root = json_object_new ();
  JsonObject *sq = json_object_new ();
  JsonObject *tg = json_object_new ();
  JsonObject *website = json_object_new ();
  JsonArray *variants = json_array_new ();
  JsonArray *orders = json_array_new ();
  gint64 now = sandbox_now_ms ();
  gint64 today = now - now % 86400000;

  for (guint i = 0; i < G_N_ELEMENTS (demo_variants); i++)
    {
      const DemoVariant *spec = &demo_variants[i];
      JsonObject *variant = json_object_new ();
      g_autofree char *price = sandbox_decimal_format (spec->price_cents * 100);
      g_autofree char *cost = sandbox_decimal_format (spec->cost_cents * 100);

      json_object_set_string_member (variant, "sku", spec->sku);
      json_object_set_string_member (variant, "product_name", spec->product);
      if (spec->option != NULL)
        json_object_set_string_member (variant, "name", spec->option);
      json_object_set_string_member (variant, "product_type",
                                     g_str_has_prefix (spec->sku, "CB") ? "Coffee" :
                                     g_str_has_prefix (spec->sku, "TEA") ? "Tea" : "Equipment");
      json_object_set_string_member (variant, "retail_price", price);
      json_object_set_string_member (variant, "buy_price", cost);
      json_object_set_int_member (variant, "stock_on_hand", spec->stock);
      json_object_set_string_member (variant, "status", spec->status);
      json_array_add_object_element (variants, variant);
    }
  json_object_set_array_member (tg, "variants", variants);
  json_object_set_object_member (root, "tradegecko", tg);

  json_object_set_string_member (website, "siteId", "harbor-and-leaf");
  json_object_set_string_member (website, "title", "Harbor & Leaf Coffee and Tea");
  json_object_set_string_member (website, "url", "https://harbor-and-leaf.squarespace.com");
  json_object_set_object_member (sq, "website", website);

  for (guint i = 0; i < G_N_ELEMENTS (demo_orders); i++)
    {
      const DemoOrder *spec = &demo_orders[i];
      gint64 created = today - (gint64) spec->days_ago * 86400000 + (gint64) spec->hour * 3600000 + i * 61000;

      /* Today's order must not lie in the future. */
      created = MIN (created, now - 60000);
      json_array_add_object_element (orders, build_order (spec, created, 1001 + i));
    }
  json_object_set_array_member (sq, "orders", orders);
  json_object_set_object_member (root, "squarespace", sq);

  return sandbox_node_take_object (root);
}

/* A fresh order for the "new order every N seconds" option. */
JsonObject *
sandbox_demo_build_order (RelaySandbox *self)
{
  DemoOrder spec = demo_orders[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (demo_orders))];
  guint n_lines = g_rand_int_range (self->rand, 1, 4);

  memset (spec.lines, 0, sizeof spec.lines);
  for (guint i = 0; i < n_lines; i++)
    {
      const DemoVariant *variant;

      do
        variant = &demo_variants[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (demo_variants))];
      while (*variant->sku == '\0' || g_strcmp0 (variant->status, "active") != 0);
      spec.lines[i].sku = variant->sku;
      spec.lines[i].quantity = g_rand_int_range (self->rand, 1, 4);
    }
  spec.flags &= ~(DEMO_TEST | DEMO_FULFILLED | DEMO_CANCELED);
  spec.promo = NULL;
  spec.discount_minor = 0;

  return build_order (&spec, sandbox_now_ms (), self->sq_next_order_number++);
}
