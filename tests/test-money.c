/* test-money.c — exact money parsing and formatting
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-money.h"
#include "relay-squarespace.h"

static void
assert_parses (const char *value,
               const char *currency,
               gint64      minor,
               const char *formatted)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  RelayMoney money;

  g_assert_true (relay_money_parse (value, currency, &money, &error));
  g_assert_no_error (error);
  g_assert_cmpint (money.minor, ==, minor);
  g_assert_cmpstr (money.currency, ==, currency);

  text = relay_money_format (&money);
  g_assert_cmpstr (text, ==, formatted);
}

static void
assert_rejected (const char *value,
                 const char *currency)
{
  g_autoptr(GError) error = NULL;
  RelayMoney money = { 12345, "EUR" };

  g_assert_false (relay_money_parse (value, currency, &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, value != NULL ? value : ""));
  /* Nothing half-written on failure. */
  g_assert_cmpint (money.minor, ==, 12345);
}

static void
test_parse_by_currency (void)
{
  assert_parses ("12.00", "USD", 1200, "12.00");
  assert_parses ("12", "USD", 1200, "12.00");
  assert_parses ("12.5", "USD", 1250, "12.50");
  assert_parses ("0.01", "USD", 1, "0.01");
  assert_parses ("0.00", "USD", 0, "0.00");
  assert_parses ("-1.00", "USD", -100, "-1.00");
  assert_parses ("-0.05", "EUR", -5, "-0.05");
  assert_parses ("123", "JPY", 123, "123");
  assert_parses ("999999999", "JPY", 999999999, "999999999");
  assert_parses ("1.250", "KWD", 1250, "1.250");
  assert_parses ("0.005", "BHD", 5, "0.005");
  /* TradeGecko writes prices like "189.0"; trailing zeros past the precision are exact. */
  assert_parses ("189.0", "USD", 18900, "189.00");
  assert_parses ("123.00", "JPY", 123, "123");
  assert_parses ("1000000.00", "USD", 100000000, "1000000.00");
  /* The largest amount accepted (see /money/amount-bounds), and values a double could not hold exactly. */
  assert_parses ("1000000000000.00", "USD", RELAY_MONEY_MAX_MINOR, "1000000000000.00");
  assert_parses ("0.10", "USD", 10, "0.10");
  assert_parses ("0.29", "USD", 29, "0.29");
}

static void
test_reject_malformed (void)
{
  const char *bad[] = {
    "", "abc", "12,00", "1,000.00", " 12.00", "12.00 ", "+12.00", "1e3", "12.", ".5",
    "12.005", "--1", "1.2.3", "0x10", "92233720368547758.08", "99999999999999999999",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_rejected (bad[i], "USD");

  assert_rejected ("1.5", "JPY");
  assert_rejected ("1.2345", "KWD");
}

/* Regression: amounts up to 2^63−1 minor units were accepted, so a sum or an
 * amount times a quantity could overflow. Past RELAY_MONEY_MAX_MINOR is refused. */
static void
test_amount_bounds (void)
{
  g_autoptr(GError) error = NULL;
  RelayMoney money;

  g_assert_true (relay_money_parse ("1000000000000.00", "USD", &money, &error));
  g_assert_no_error (error);
  g_assert_cmpint (money.minor, ==, RELAY_MONEY_MAX_MINOR);
  g_assert_true (relay_money_parse ("-1000000000000.00", "USD", &money, &error));
  g_assert_cmpint (money.minor, ==, -RELAY_MONEY_MAX_MINOR);

  assert_rejected ("1000000000000.01", "USD");
  assert_rejected ("-1000000000000.01", "USD");
  assert_rejected ("92233720368547758.07", "USD");
  assert_rejected ("9223372036854775807", "JPY");
}

static void
test_reject_bad_currency (void)
{
  g_autoptr(GError) error = NULL;
  RelayMoney money;

  g_assert_false (relay_money_parse ("1.00", "usd", &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_money_parse ("1.00", "US", &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_money_parse ("1.00", NULL, &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_parse_json (void)
{
  g_autoptr(JsonObject) good = parse_object ("{\"value\": \"55.00\", \"currency\": \"USD\"}");
  g_autoptr(JsonObject) number = parse_object ("{\"value\": 55.0, \"currency\": \"USD\"}");
  g_autoptr(JsonObject) object_currency = parse_object ("{\"value\": \"55.00\", \"currency\": {\"code\": \"USD\"}}");
  g_autoptr(JsonObject) missing = parse_object ("{\"currency\": \"USD\"}");
  g_autoptr(GError) error = NULL;
  RelayMoney money;

  g_assert_true (relay_squarespace_parse_money (good, &money, &error));
  g_assert_no_error (error);
  g_assert_cmpint (money.minor, ==, 5500);
  g_assert_cmpstr (money.currency, ==, "USD");

  /* A JSON number went through a double already: refuse rather than guess. */
  g_assert_false (relay_squarespace_parse_money (number, &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_squarespace_parse_money (object_currency, &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_squarespace_parse_money (missing, &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_false (relay_squarespace_parse_money (NULL, &money, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

static void
test_add (void)
{
  g_autoptr(GError) error = NULL;
  RelayMoney a, b, sum;
  RelayMoney max;

  relay_money_init (&a, 1999, "USD");
  relay_money_init (&b, 1, "USD");
  g_assert_true (relay_money_add (&a, &b, &sum, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sum.minor, ==, 2000);
  g_assert_true (relay_money_equal (&sum, &(RelayMoney) { 2000, "USD" }));

  relay_money_init (&b, 1, "EUR");
  g_assert_false (relay_money_add (&a, &b, &sum, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);

  relay_money_init (&max, G_MAXINT64, "USD");
  relay_money_init (&b, 1, "USD");
  g_assert_false (relay_money_add (&max, &b, &sum, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

static void
test_exponents_and_display (void)
{
  g_autofree char *display = NULL;
  g_autofree char *quantity = NULL;
  gint64 scaled;
  RelayMoney money;

  g_assert_cmpuint (relay_money_currency_exponent ("USD"), ==, 2);
  g_assert_cmpuint (relay_money_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpuint (relay_money_currency_exponent ("KRW"), ==, 0);
  g_assert_cmpuint (relay_money_currency_exponent ("KWD"), ==, 3);
  g_assert_cmpuint (relay_money_currency_exponent ("CLF"), ==, 4);

  relay_money_init (&money, -250, "KWD");
  display = relay_money_format_display (&money);
  g_assert_cmpstr (display, ==, "-0.250 KWD");

  /* Quantities from TradeGecko ("1.0") use the same exact parser. */
  g_assert_true (relay_decimal_parse ("3.0", 0, &scaled, NULL));
  g_assert_cmpint (scaled, ==, 3);
  g_assert_false (relay_decimal_parse ("2.5", 0, &scaled, NULL));
  g_assert_true (relay_decimal_parse ("2.5", 3, &scaled, NULL));
  g_assert_cmpint (scaled, ==, 2500);
  quantity = relay_decimal_format (2500, 3);
  g_assert_cmpstr (quantity, ==, "2.500");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse-by-currency", test_parse_by_currency);
  g_test_add_func ("/money/reject-malformed", test_reject_malformed);
  g_test_add_func ("/money/reject-bad-currency", test_reject_bad_currency);
  g_test_add_func ("/money/amount-bounds", test_amount_bounds);
  g_test_add_func ("/money/parse-json", test_parse_json);
  g_test_add_func ("/money/add", test_add);
  g_test_add_func ("/money/exponents-and-display", test_exponents_and_display);

  return g_test_run ();
}
