/* test-window-de.c — the window in German: LANGUAGE=de shows the translation built from po/de.po
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "relay-application.h"
#include "relay-event-kind.h"
#include "relay-window.h"
#include "relay-test-utils.h"

static void
test_window_in_german (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  RelayWindow *window;
  AdwStatusPage *page;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = relay_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), 10);

  /* From the template, from C, and a plural. */
  page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, "not_connected_page"));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Verbinden Sie Ihre Shops");
  g_assert_cmpstr (relay_event_kind_get_title (RELAY_EVENT_KIND_TRACKING_POSTED), ==, "Sendungsnummer an Squarespace gemeldet");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u order needs attention", "%u orders need attention", 1), ==,
                   "%u Bestellung braucht Aufmerksamkeit");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u order needs attention", "%u orders need attention", 3), ==,
                   "%u Bestellungen brauchen Aufmerksamkeit");
  /* Whole sentences where a number's format macro used to cut the msgid short,
   * with German plural forms. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Another Order Relay is syncing (process %d)"), ==,
                   "Ein anderes Order Relay gleicht gerade ab (Prozess %d)");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "Clock: agrees with Squarespace’s (%+d second)\n",
                                "Clock: agrees with Squarespace’s (%+d seconds)\n", 1), ==,
                   "Uhr: stimmt mit der von Squarespace überein (%+d Sekunde)\n");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "Clock: agrees with Squarespace’s (%+d second)\n",
                                "Clock: agrees with Squarespace’s (%+d seconds)\n", 30), ==,
                   "Uhr: stimmt mit der von Squarespace überein (%+d Sekunden)\n");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Order %s has no shipment %s"), ==, "Bestellung %s hat keine Sendung %s");
  relay_test_wait_until_settled (GTK_WIDGET (window));
  RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (GTK_WIDGET (window)), 5);
  {
    g_autofree char *path = relay_test_save_screenshot (GTK_WIDGET (window), "window-de");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_iterate_pending ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locale_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);

  /* Any locale but C lets gettext follow LANGUAGE; C.UTF-8 is always there. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() sets a fixed locale of its own. */
  setlocale (LC_ALL, "C.UTF-8");

  g_test_add_func ("/window-de/window-in-german", test_window_in_german);

  return g_test_run ();
}
