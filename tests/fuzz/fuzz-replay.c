/* fuzz-replay.c — runs a fuzz target over files, without libFuzzer
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every seed and every input that once crashed a target (tests/fuzz/corpus/
 * and tests/fuzz/regressions/) is replayed by the ordinary test suite, in
 * every build, so a fixed crash stays fixed.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
replay_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint count = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

          count += replay_path (child);
        }
      return count;
    }

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  /* A copy of exactly @length bytes, so that ASan sees a read past the end. */
  {
    g_autofree uint8_t *copy = g_memdup2 (contents, length);

    LLVMFuzzerTestOneInput (copy, length);
  }
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    count += replay_path (argv[i]);

  printf ("1..1\nok 1 - %u inputs replayed\n", count);
  return count > 0 ? 0 : 1;
}
