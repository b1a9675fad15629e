/* test-window-a11y.c — every control of the main window has a name a screen reader can announce; money in the locale
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-order-detail.h"
#include "relay-setup-wizard.h"
#include "relay-ui-utils.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/*
 * The walk is over GTK's own accessible tree, in-process: the roles and the
 * label / labelled-by that GTK hands to AT-SPI (gtk_test_accessible_*). A real
 * AT-SPI client walk is not used because the test session runs without the
 * accessibility bridge (NO_AT_BRIDGE) and a synchronous AT-SPI query of our
 * own process from its main thread would deadlock.
 */

static gboolean
is_control (GtkAccessibleRole role)
{
  switch (role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_IMG:
    case GTK_ACCESSIBLE_ROLE_PROGRESS_BAR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether GTK gives the widget a name: a label, a labelled-by relation, or a
 * button's own label text (GTK names a button after it). */
static gboolean
has_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      gtk_button_get_icon_name (GTK_BUTTON (widget)) == NULL)
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL)
    return TRUE;

  return FALSE;
}

/* An image inside a control that is named is part of that name: skipped. */
static void
collect_unnamed (GtkWidget *widget,
                 gboolean   inside_named_control,
                 GString   *unnamed,
                 guint     *n_controls)
{
  GtkAccessibleRole role;
  gboolean named_control = FALSE;

  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  if (is_control (role) && !(inside_named_control && role == GTK_ACCESSIBLE_ROLE_IMG))
    {
      (*n_controls)++;
      if (has_name (widget))
        named_control = TRUE;
      else
        g_string_append_printf (unnamed, "%s (%s)\n", G_OBJECT_TYPE_NAME (widget),
                                gtk_widget_get_tooltip_text (widget) ? gtk_widget_get_tooltip_text (widget) : "no tooltip");
    }

  /* The view switcher's buttons are named by their page's title (a label beside the icon). */
  if (ADW_IS_VIEW_SWITCHER (widget))
    named_control = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, inside_named_control || named_control, unnamed, n_controls);
}

/* A button inside another focusable widget (a flow box child, a list row)
 * takes two Tab stops. */
static guint
count_double_tab_stops (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget))
    return 0;

  if (GTK_IS_BUTTON (widget) && gtk_widget_get_focusable (widget))
    for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL && !GTK_IS_WINDOW (up); up = gtk_widget_get_parent (up))
      if (gtk_widget_get_focusable (up) && (GTK_IS_FLOW_BOX_CHILD (up) || GTK_IS_LIST_BOX_ROW (up)) &&
          !(GTK_IS_LIST_BOX_ROW (up) && !gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (up))))
        {
          n++;
          break;
        }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += count_double_tab_stops (child);

  return n;
}

static RelayApplication *test_app;

/* Money as the merchant's locale writes it, with the currency's own decimals. */
static void
test_money_in_locale (void)
{
  RelayMoney yen, dollars;
  g_autofree char *de_yen = NULL;
  g_autofree char *de_dollars = NULL;
  g_autofree char *us_dollars = NULL;
  g_autofree char *plain = NULL;

  relay_money_init (&yen, 17998, "JPY");
  relay_money_init (&dollars, 17998, "USD");
  de_yen = relay_format_money_for_locale (&yen, "de_DE.UTF-8");
  de_dollars = relay_format_money_for_locale (&dollars, "de_DE");
  us_dollars = relay_format_money_for_locale (&dollars, "en_US.UTF-8");
  plain = relay_format_money_for_locale (&dollars, "C");

  g_assert_nonnull (strstr (de_yen, "17.998"));
  g_assert_nonnull (strstr (de_yen, "¥"));
  g_assert_nonnull (strstr (de_dollars, "179,98"));
  g_assert_cmpstr (us_dollars, ==, "$179.98");
  g_assert_cmpstr (plain, ==, "179.98 USD");
}

static gboolean
list_loaded (RelayWindow *window,
             guint        n_orders)
{
  RelayOrderListModel *orders = relay_window_get_order_list (window);
  gboolean loading = TRUE;

  if (orders == NULL)
    return FALSE;
  g_object_get (orders, "loading", &loading, NULL);
  return !loading && g_list_model_get_n_items (G_LIST_MODEL (orders)) == n_orders;
}

static void
test_every_control_is_named (void)
{
  g_autofree char *dir = test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) unnamed = g_string_new (NULL);
  RelayWindow *window;
  GtkWindow *wizard;
  guint n_controls = 0;

  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    test_add_order (store, i, "Ann", i == 3 ? "MUG-RED" : "MUG-BLK");
  g_assert_true (relay_store_reject (store, "sq-000003", "TradeGecko has no variant with SKU MUG-RED", &error));

  g_application_activate (G_APPLICATION (test_app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (test_app)));
  /* The app finds no keys in the keyring and opens the setup: once it has, the
   * window is made connected by hand and stays so. */
  RELAY_TEST_ITERATE_UNTIL ((wizard = relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD)) != NULL, 10);
  gtk_window_destroy (wizard);
  relay_window_set_store (window, store);
  relay_window_set_connected (window, TRUE);
  relay_window_set_store_health (window, "tradegecko", "TradeGecko needs attention: the key was refused",
                                 "_Reconnect…", "app.reconnect-store::tradegecko");
  relay_window_show_order (window, "sq-000003");
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  /* The list is read in a worker thread: every row is there before the walk. */
  /* The list is read in a worker thread: every row is there before the walk. */
  RELAY_TEST_ITERATE_UNTIL (list_loaded (window, 4), 10);
  relay_test_wait_until_settled (GTK_WIDGET (window));

  collect_unnamed (GTK_WIDGET (window), FALSE, unnamed, &n_controls);
  g_test_message ("%u controls, unnamed:\n%s", n_controls, unnamed->str);
  g_print ("# controls: %u, unnamed: %s\n", n_controls, unnamed->len == 0 ? "0" : unnamed->str);
  g_assert_cmpuint (n_controls, >=, 15);
  g_assert_cmpstr (unnamed->str, ==, "");
  /* The fix buttons are one Tab stop each. */
  g_assert_cmpuint (count_double_tab_stops (GTK_WIDGET (window)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_iterate_pending ();
  g_clear_object (&store);
  test_remove_state_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  char *app_dir = NULL;

  gtk_test_init (&argc, &argv, NULL);

  test_app = test_window_app_new_in_temp_dir (&app_dir);

  g_test_add_func ("/window-a11y/every-control-is-named", test_every_control_is_named);
  g_test_add_func ("/window-locale/money", test_money_in_locale);

  return test_window_app_run (&test_app, app_dir);
}
