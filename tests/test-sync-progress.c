/* test-sync-progress.c — the one line that says what a cycle's lanes are doing
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-sync-progress.h"

static void
assert_text (RelaySyncProgress *progress,
             const char        *expected)
{
  g_autofree char *text = relay_sync_progress_dup_text (progress);

  g_assert_cmpstr (text, ==, expected);
}

/* Reports from three lanes arriving interleaved, as they do in a cycle: the
 * line keeps all of them instead of jumping to the latest. */
static void
test_lanes_together (void)
{
  g_autoptr(RelaySyncProgress) progress = relay_sync_progress_new ();

  assert_text (progress, "Syncing");
  g_assert_cmpfloat (relay_sync_progress_get_fraction (progress), ==, 0.0);

  relay_sync_progress_update (progress, "pull", 0, 0);
  relay_sync_progress_update (progress, "read-tracking", 0, 0);
  assert_text (progress, "Retrieving from Squarespace: 0 · Reading tracking from TradeGecko: 0");

  relay_sync_progress_update (progress, "pull", 50, 0);
  relay_sync_progress_update (progress, "read-tracking", 250, 0);
  relay_sync_progress_update (progress, "post-tracking", 0, 10);
  assert_text (progress, "Retrieving from Squarespace: 50 · Reading tracking from TradeGecko: 250 · "
                         "Sending tracking to Squarespace: 0 of 10");

  /* Delivering means the pull is over; a known total counts towards the bar. */
  relay_sync_progress_update (progress, "deliver", 0, 30);
  relay_sync_progress_update (progress, "post-tracking", 4, 10);
  assert_text (progress, "Delivering to TradeGecko: 0 of 30 · Reading tracking from TradeGecko: 250 · "
                         "Sending tracking to Squarespace: 4 of 10");
  g_assert_cmpfloat_with_epsilon (relay_sync_progress_get_fraction (progress), 4.0 / 40.0, 1e-9);

  /* A flow that reached its total leaves the line but stays in the bar. */
  relay_sync_progress_update (progress, "post-tracking", 10, 10);
  relay_sync_progress_update (progress, "deliver", 6, 30);
  assert_text (progress, "Delivering to TradeGecko: 6 of 30 · Reading tracking from TradeGecko: 250");
  g_assert_cmpfloat_with_epsilon (relay_sync_progress_get_fraction (progress), 16.0 / 40.0, 1e-9);

  relay_sync_progress_update (progress, "deliver", 30, 30);
  relay_sync_progress_update (progress, "read-tracking", 260, 0);
  assert_text (progress, "Reading tracking from TradeGecko: 260");
  g_assert_cmpfloat (relay_sync_progress_get_fraction (progress), ==, 1.0);
}

/* More done than the total (a count that grew meanwhile) never shows “12 of 10”. */
static void
test_done_capped (void)
{
  g_autoptr(RelaySyncProgress) progress = relay_sync_progress_new ();

  relay_sync_progress_update (progress, "deliver", 12, 10);
  assert_text (progress, "Syncing");
  g_assert_cmpfloat (relay_sync_progress_get_fraction (progress), ==, 1.0);
}

/* A new cycle starts from nothing; an unknown flow changes nothing. */
static void
test_reset_and_unknown (void)
{
  g_autoptr(RelaySyncProgress) progress = relay_sync_progress_new ();

  relay_sync_progress_update (progress, "deliver", 3, 7);
  relay_sync_progress_update (progress, "stock", 1, 2);
  assert_text (progress, "Delivering to TradeGecko: 3 of 7");
  g_assert_cmpfloat_with_epsilon (relay_sync_progress_get_fraction (progress), 3.0 / 7.0, 1e-9);

  relay_sync_progress_reset (progress);
  assert_text (progress, "Syncing");
  g_assert_cmpfloat (relay_sync_progress_get_fraction (progress), ==, 0.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-progress/lanes-together", test_lanes_together);
  g_test_add_func ("/sync-progress/done-capped", test_done_capped);
  g_test_add_func ("/sync-progress/reset-and-unknown", test_reset_and_unknown);

  return g_test_run ();
}
