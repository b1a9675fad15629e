/* fuzz-common.h — shared by the libFuzzer targets in tests/fuzz/
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "relay-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A CRITICAL or WARNING from our code or json-glib is a finding, like a crash:
 * the engine must reject hostile input with a GError, never with a log line
 * that says a programming error happened. */
static inline void
fuzz_init_once (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&initialized, 1);
    }
}

/* What the HTTP reader does with a body: the depth check, then the parse.
 * Returns: (transfer full) (nullable): the root */
static inline JsonNode *
fuzz_parse (const uint8_t *data,
            size_t         size)
{
  return relay_json_parse ((const char *) data, size, NULL);
}

/* Whatever was parsed must be written as text that parses back to the same
 * text: otherwise a saved order could get stuck (the 1e22 bug). */
static inline void
fuzz_assert_round_trip (JsonNode *node)
{
  g_autofree char *text = relay_json_to_string (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = relay_json_parse (text, strlen (text), &error);
  g_autofree char *text_again = NULL;

  if (again == NULL)
    g_error ("relay_json_to_string wrote text that does not parse: %s: %s", error->message, text);
  text_again = relay_json_to_string (again);
  if (g_strcmp0 (text, text_again) != 0)
    g_error ("relay_json_to_string is not stable:\n%s\n%s", text, text_again);
}
