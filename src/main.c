/* main.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "relay-application.h"
#include "relay-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RelayApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("order-relay %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* A command (any word, known or not) runs headless, without touching GTK;
   * no arguments, or only options, open the window. */
  if (relay_cli_handles (argc, argv))
    return relay_cli_run (argc, argv);

  app = relay_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
