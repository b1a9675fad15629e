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

  /* The depth check must agree with itself on any prefix: never read past the end. */
  relay_json_check_depth ((const char *) data, size, RELAY_JSON_MAX_DEPTH, NULL);

  root = fuzz_parse (data, size);
  if (root != NULL)
    fuzz_assert_round_trip (root);
  return 0;
}
