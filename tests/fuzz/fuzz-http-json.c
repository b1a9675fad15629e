/* fuzz-http-json.c — the HTTP JSON reader: depth check, parse, and the text
 * written back (what an order is saved as)
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;

  fuzz_init_once ();

  /* Valid text must parse, and the check never reads past the end (ASan). */
  if (relay_json_validate ((const char *) data, size, RELAY_JSON_MAX_DEPTH, NULL) &&
      g_utf8_validate ((const char *) data, size, NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (!json_parser_load_from_data (parser, (const char *) data, size, &error) &&
          !g_error_matches (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA))
        g_error ("Valid JSON is refused by json-glib: %s", error->message);
    }

  root = fuzz_parse (data, size);
  if (root != NULL)
    fuzz_assert_round_trip (root);
  return 0;
}
