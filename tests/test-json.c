/* test-json.c — reading hostile JSON: validation before parsing, and text
 * that reads back
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-error.h"
#include "relay-json.h"

static gboolean
valid (const char *text)
{
  return relay_json_validate (text, strlen (text), RELAY_JSON_MAX_DEPTH, NULL);
}

static void
test_validate (void)
{
  const char *good[] = {
    "{}", "[]", " [ 1 , -0.5e+3 , \"a\\u00e9\\ud83d\\ude00\\n\" , true , false , null ] ", "0", "\"\"",
    "{\"a\": {\"b\": [[], {}]}, \"c\": 1E5}", "-0", "12.0e-2",
  };
  const char *bad[] = {
    "", " ", "[", "]", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "{1: 2}", "[1 2]", "01", "1.", ".5", "+1",
    "1e", "tru", "nul", "\"\\x\"", "\"\\u12g4\"", "\"\\ud83d\"", "\"\\udc00\"", "\"a\nb\"", "\"open",
    "null{}", "\"\"{}", "[1]]", "{\"a\": 1}}", "[}", "{]", "[1] x", "NaN", "Infinity",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("good: %s", good[i]);
      g_assert_true (valid (good[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad: %s", bad[i]);
      g_assert_false (relay_json_validate (bad[i], strlen (bad[i]), RELAY_JSON_MAX_DEPTH, &error));
      g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
    }

  /* Never past the given length: "[1]" cut to "[1". */
  g_assert_false (relay_json_validate ("[1]", 2, RELAY_JSON_MAX_DEPTH, NULL));
}

/* Regression: json-glib recursed once per level of a nesting bomb until the
 * stack overflowed. The depth is counted before it parses. */
static void
test_depth_limit (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < RELAY_JSON_MAX_DEPTH; i++)
    g_string_append (text, i % 2 ? "{\"k\":" : "[");
  g_string_append_c (text, '1');
  for (guint i = RELAY_JSON_MAX_DEPTH; i > 0; i--)
    g_string_append (text, (i - 1) % 2 ? "}" : "]");
  node = relay_json_parse (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  g_string_prepend_c (text, '[');
  g_string_append_c (text, ']');
  g_assert_null (relay_json_parse (text->str, text->len, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
  g_assert_nonnull (strstr (error->message, "deeper than 64"));
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (text, '[');
  g_assert_null (relay_json_parse (text->str, text->len, &error));
  g_assert_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE);
}

/* Regression: json-glib 1.6 writes 1e22 as `1e+22.0`, which nothing reads back. */
static void
test_to_string_reads_back (void)
{
  const char *text = "{\"big\":1e22,\"small\":-2.5e-300,\"whole\":3.0,\"int\":-9223372036854775808,"
                     "\"s\":\"\\\"\\\\\\n\\u0001\xc3\xa9\",\"a\":[true,false,null,{}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = relay_json_parse (text, strlen (text), &error);
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *written_again = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  written = relay_json_to_string (node);
  g_assert_cmpstr (written, ==, "{\"big\":1e+22,\"small\":-2.5e-300,\"whole\":3.0,\"int\":-9223372036854775808,"
                                "\"s\":\"\\\"\\\\\\n\\u0001\xc3\xa9\",\"a\":[true,false,null,{}]}");
  again = relay_json_parse (written, strlen (written), &error);
  g_assert_no_error (error);
  written_again = relay_json_to_string (again);
  g_assert_cmpstr (written_again, ==, written);

  object = json_node_get_object (again);
  g_assert_cmpfloat (json_object_get_double_member (object, "big"), ==, 1e22);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "whole")), ==, G_TYPE_DOUBLE);
}

static void
test_members_of_wrong_type (void)
{
  const char *text = "{\"s\": \"text\", \"o\": {\"a\": 1}, \"l\": [1], \"n\": null, \"i\": 7, \"d\": 7.5}";
  g_autoptr(JsonNode) node = relay_json_parse (text, strlen (text), NULL);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (relay_json_get_string (object, "s"), ==, "text");
  g_assert_null (relay_json_get_string (object, "o"));
  g_assert_null (relay_json_get_string (object, "l"));
  g_assert_null (relay_json_get_string (object, "n"));
  g_assert_null (relay_json_get_string (object, "i"));
  g_assert_null (relay_json_get_string (object, "missing"));
  g_assert_cmpint (relay_json_get_int (object, "i", -1), ==, 7);
  g_assert_cmpint (relay_json_get_int (object, "o", -1), ==, -1);
  g_assert_cmpint (relay_json_get_int (object, "l", -1), ==, -1);
  g_assert_cmpint (relay_json_get_int (object, "d", -1), ==, -1);
  g_assert_cmpint (relay_json_get_int (object, "s", -1), ==, -1);
}

/* TradeGecko ids arrive as integers or as strings of digits; anything else,
 * and no object at all, reads as no id. */
static void
test_ids (void)
{
  const char *text = "{\"i\": 21, \"s\": \"9001\", \"w\": \"x\", \"o\": {\"a\": 1}, \"n\": null, \"d\": 7.5}";
  g_autoptr(JsonNode) node = relay_json_parse (text, strlen (text), NULL);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpint (relay_json_get_id (object, "i"), ==, 21);
  g_assert_cmpint (relay_json_get_id (object, "s"), ==, 9001);
  g_assert_cmpint (relay_json_get_id (object, "w"), ==, 0);
  g_assert_cmpint (relay_json_get_id (object, "o"), ==, 0);
  g_assert_cmpint (relay_json_get_id (object, "n"), ==, 0);
  g_assert_cmpint (relay_json_get_id (object, "d"), ==, 0);
  g_assert_cmpint (relay_json_get_id (object, "missing"), ==, 0);
  g_assert_cmpint (relay_json_get_id (NULL, "i"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/validate", test_validate);
  g_test_add_func ("/json/depth-limit", test_depth_limit);
  g_test_add_func ("/json/to-string-reads-back", test_to_string_reads_back);
  g_test_add_func ("/json/members-of-wrong-type", test_members_of_wrong_type);
  g_test_add_func ("/json/ids", test_ids);

  return g_test_run ();
}
