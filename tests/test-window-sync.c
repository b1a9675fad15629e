/* test-window-sync.c — the window with the real sync engine against the in-process sandbox
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-alias-dialog.h"
#include "relay-application.h"
#include "relay-credentials.h"
#include "relay-order-detail.h"
#include "relay-order-preview.h"
#include "relay-sandbox.h"
#include "relay-sync-engine.h"
#include "relay-setup-wizard.h"
#include "relay-window.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/*
 * One sandbox and one application for the whole program; the tests run in
 * order and each starts where the previous one left the stores, as a merchant's
 * day would: first sync, fix a rejected order, sync now, change a preference,
 * close the window and keep syncing.
 */
static RelaySandbox     *sandbox;
static RelayApplication *app;
static char             *data_home;   /* the app's state is in data_home/order-relay, as the command line's */

/* The desktop's notification server, on the test session's private bus: it
 * records what the app shows, as GNOME Shell would display it. */
static char *shown_notification;

static RelayWindow *
main_window (void)
{
  return RELAY_WINDOW (relay_test_find_window_of_type (RELAY_TYPE_WINDOW));
}

static RelayStore *
store (void)
{
  return relay_application_get_store (app);
}

static gboolean
engine_idle (void)
{
  RelaySyncEngine *engine = relay_application_get_engine (app);

  return engine != NULL && !relay_sync_engine_get_busy (engine) && relay_sync_engine_get_next_sync (engine) > 0;
}

/* The one order of @customer (a part of the name). */
static RelayOrderRow *
find_order_of (const char *customer)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  keys = relay_store_dup_order_keys (store (), 0, customer, RELAY_ORDER_SORT_CREATED, FALSE, &error);
  g_assert_no_error (error);
  if (keys->len != 1)
    return NULL;
  rows = relay_store_dup_orders_by_keys (store (), (const gint64 *) (gpointer) keys->data, 1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&g_ptr_array_index (rows, 0));
}

static RelayStage
stage_of (const char *customer)
{
  g_autoptr(RelayOrderRow) row = find_order_of (customer);

  return row != NULL ? row->stage : RELAY_N_STAGES;
}

/* A new Squarespace order in the sandbox, as a shop would get it. */
static char *
add_sandbox_order (const char *email,
                   const char *sku,
                   gboolean    testmode)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  json = g_strdup_printf (
    "{\"customerEmail\": \"%s\", \"testmode\": %s,"
    " \"billingAddress\": {\"firstName\": \"Sam\", \"lastName\": \"Late\", \"address1\": \"2 Side St\","
    "   \"city\": \"Springfield\", \"state\": \"IL\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"shippingAddress\": {\"firstName\": \"Sam\", \"lastName\": \"Late\", \"address1\": \"2 Side St\","
    "   \"city\": \"Springfield\", \"state\": \"IL\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
    " \"lineItems\": [{\"sku\": \"%s\", \"productName\": \"Coffee\", \"quantity\": 1,"
    "   \"unitPricePaid\": {\"value\": \"16.50\", \"currency\": \"USD\"}}]}",
    email, testmode ? "true" : "false", sku);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  id = relay_sandbox_add_squarespace_order (sandbox, json_node_get_object (node), &error);
  g_assert_no_error (error);

  return id;
}

static gboolean
detail_shows (RelayOrderDetail *detail,
              const char       *needle)
{
  g_autofree char *text = relay_order_detail_dup_text (detail);

  return strstr (text, needle) != NULL;
}

static void
sync_now (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
}

static void
save_screenshot (const char *name)
{
  g_autofree char *path = NULL;

  relay_test_wait_until_settled (GTK_WIDGET (main_window ()));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (main_window ())), 5);
  path = relay_test_save_screenshot (GTK_WIDGET (main_window ()), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The sync status as the merchant sees it: the line at the foot of the window,
 * shown, laid out inside the window and given room, at whatever width it has. */
static const char *
shown_sync_status (void)
{
  RelayWindow *window = main_window ();
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, "sync_status_label"));
  graphene_rect_t bounds;

  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (label) && gtk_widget_get_height (label) > 0, 5);
  g_assert_true (gtk_widget_is_visible (label));
  g_assert_cmpint (gtk_widget_get_width (label), >, 0);
  g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (window)));

  return gtk_label_get_text (GTK_LABEL (label));
}

static void
test_first_cycle (void)
{
  RelayWindow *window;

  g_application_activate (G_APPLICATION (app));
  RELAY_TEST_ITERATE_UNTIL ((window = main_window ()) != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)), 10);

  /* Both keys are in the keyring: no wizard, the engine starts with a cycle. */
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_connected (window), 10);
  RELAY_TEST_ITERATE_UNTIL (relay_application_get_engine (app) != NULL, 10);
  RELAY_TEST_ITERATE_UNTIL (engine_idle () && relay_window_get_flow_count (window, "all") > 0, 60);
  relay_test_wait_until_settled (GTK_WIDGET (window));

  /* The demo orders are in the right stages. */
  g_assert_cmpint (stage_of ("Hannah"), ==, RELAY_STAGE_REJECTED);       /* TEA-MATCHA-CER is unknown */
  g_assert_cmpint (stage_of ("Noah"), ==, RELAY_STAGE_REJECTED);         /* MUG-TRV-12 is ambiguous */
  g_assert_cmpint (stage_of ("Marcus"), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of ("Fatima"), ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_cmpint (stage_of ("merchant+test"), ==, RELAY_STAGE_SKIPPED);
  g_assert_cmpuint (relay_window_get_flow_count (window, "attention"), >=, 2);
  g_assert_cmpuint (relay_window_get_flow_count (window, "at_tradegecko"), >=, 10);

  /* The list shows them, and the counters filter them. */
  g_assert_cmpstr (relay_window_get_visible_page_name (window), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (relay_window_get_order_list (window))), ==,
                    relay_window_get_flow_count (window, "all"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "filter", g_variant_new_string ("attention"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (relay_window_get_order_list (window))), ==,
                    relay_window_get_flow_count (window, "attention"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "filter", g_variant_new_string ("all"));

  /* The status line says when each store was last synced and when the next sync is. */
  g_assert_nonnull (strstr (shown_sync_status (), "Synced just now"));
  g_assert_nonnull (strstr (shown_sync_status (), "next sync in"));
  save_screenshot ("window-synced");
}

/* Resizes the main window and waits until it is laid out at @width (the
 * window's surface: a client-side decorated window draws its border inside it). */
static void
resize_main_window (int width,
                    int height)
{
  RelayWindow *window = main_window ();
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  RELAY_TEST_ITERATE_UNTIL (gdk_surface_get_width (surface) == width, 10);
  relay_test_wait_until_settled (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >, width * 9 / 10);
}

/* How many labels on screen inside @widget say @text. */
static guint
count_shown_labels (GtkWidget  *widget,
                    const char *text)
{
  guint n = 0;

  if (!gtk_widget_is_drawable (widget))
    return 0;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += count_shown_labels (child, text);
  return n;
}

/* The status line says the truth, in sight and one line high, at every width, and
 * only once: not again in a narrow window's title. */
static void
test_status_in_sight_at_every_width (void)
{
  RelayWindow *window = main_window ();
  AdwViewSwitcherTitle *title = ADW_VIEW_SWITCHER_TITLE (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW,
                                                                                        "window_title"));
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, "sync_status_label"));
  int widths[] = { 1200, 800, 480, 400 };
  int height = -1;
  int narrowest = 0;

  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  /* 400 px, or as narrow as the window goes when that is wider. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &narrowest, NULL, NULL, NULL);
  g_test_message ("narrowest window: %d px", narrowest);
  widths[G_N_ELEMENTS (widths) - 1] = MAX (400, narrowest);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autofree char *name = g_strdup_printf ("window-status-%d", widths[i]);

      resize_main_window (widths[i], 760);
      g_assert_nonnull (strstr (shown_sync_status (), "Synced"));
      g_assert_nonnull (strstr (shown_sync_status (), "next sync in"));
      g_assert_cmpuint (count_shown_labels (GTK_WIDGET (window), shown_sync_status ()), ==, 1);
      /* Wide, the header has the view switcher; narrow, the title alone. */
      g_assert_cmpint (adw_view_switcher_title_get_title_visible (title), ==, widths[i] < 600);
      g_assert_cmpstr (adw_view_switcher_title_get_subtitle (title), ==, "");
      if (height < 0)
        height = gtk_widget_get_height (label);
      g_assert_cmpint (gtk_widget_get_height (label), ==, height);
      save_screenshot (name);
    }
  resize_main_window (1200, 760);
}

/* Sales orders created in the sandbox's TradeGecko so far. */
static guint
count_sales_order_posts (void)
{
  g_autoptr(JsonNode) log = relay_sandbox_dup_request_log (sandbox);
  JsonArray *entries = json_object_get_array_member (json_node_get_object (log), "requests");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "api"), "tradegecko") == 0 &&
          g_strcmp0 (json_object_get_string_member (entry, "path"), "/orders") == 0 &&
          g_strcmp0 (json_object_get_string_member (entry, "method"), "POST") == 0)
        n++;
    }

  return n;
}

static AdwMessageDialog *
preview (RelayWindow *window)
{
  guint toasts = relay_window_get_n_toasts (window);
  AdwMessageDialog *dialog;

  /* A dialog, never a toast (the preview failing). */
  g_action_group_activate_action (relay_window_get_order_actions (window), "preview", NULL);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL ||
                            relay_window_get_n_toasts (window) != toasts, 10);
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, toasts);
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)), 5);

  return dialog;
}

static RelayStage
stage_of_id (const char *squarespace_id)
{
  g_autoptr(RelayOrderRow) row = relay_store_find_order (store (), squarespace_id, NULL);

  return row != NULL ? row->stage : RELAY_N_STAGES;
}

/* The line-by-line preview inside the Preview dialog. */
static RelayOrderPreview *
dialog_preview (AdwMessageDialog *dialog)
{
  GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (adw_message_dialog_get_extra_child (dialog)));

  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  g_assert_true (RELAY_IS_ORDER_PREVIEW (child));
  return RELAY_ORDER_PREVIEW (child);
}

static gboolean
preview_decides (RelayOrderPreview    *widget,
                 RelayPreviewDecision  decision)
{
  RelayPreview *shown = relay_order_preview_get_preview (widget);

  return shown != NULL && relay_preview_get_decision (shown) == decision;
}

static void
save_dialog_screenshot (AdwMessageDialog *dialog,
                        const char       *name)
{
  g_autofree char *path = NULL;

  relay_test_wait_until_settled (GTK_WIDGET (dialog));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (dialog)), 5);
  path = relay_test_save_screenshot (GTK_WIDGET (dialog), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Preview of a rejected order is not a dead end: the failing line is marked,
 * the matched one says so, and Add Alias on the failing line fixes it in place. */
static void
test_preview_rejected_order (void)
{
  RelayWindow *window = main_window ();
  g_autoptr(RelayOrderRow) priya = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog;
  RelayOrderPreview *widget;
  GtkWidget *failing;
  GtkWidget *add_alias;
  GtkWindow *alias_dialog;
  GtkCheckButton *variant_check;
  const char *payload;
  guint posts;

  /* A new order: one tea TradeGecko does not know, one it does. */
  node = json_from_string ("{\"customerEmail\": \"priya@example.com\", \"testmode\": false,"
                           " \"billingAddress\": {\"firstName\": \"Priya\", \"lastName\": \"Shah\", \"address1\": \"9 Quay Rd\","
                           "   \"city\": \"Springfield\", \"state\": \"IL\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
                           " \"shippingAddress\": {\"firstName\": \"Priya\", \"lastName\": \"Shah\", \"address1\": \"9 Quay Rd\","
                           "   \"city\": \"Springfield\", \"state\": \"IL\", \"countryCode\": \"US\", \"postalCode\": \"62701\"},"
                           " \"lineItems\": [{\"sku\": \"TEA-GEN-99\", \"variantId\": \"var-gen-100g\", \"productName\": \"Genmaicha\", \"quantity\": 1,"
                           "   \"variantOptions\": [{\"optionName\": \"Weight\", \"value\": \"100 g\"}],"
                           "   \"unitPricePaid\": {\"value\": \"12.00\", \"currency\": \"USD\"}},"
                           "  {\"sku\": \"TEA-SEN-50\", \"productName\": \"Sencha\", \"quantity\": 2,"
                           "   \"unitPricePaid\": {\"value\": \"8.00\", \"currency\": \"USD\"}}]}", &error);
  g_assert_no_error (error);
  id = relay_sandbox_add_squarespace_order (sandbox, json_node_get_object (node), &error);
  g_assert_no_error (error);
  sync_now ();
  RELAY_TEST_ITERATE_UNTIL ((priya = relay_store_find_order (store (), id, NULL)) != NULL &&
                            priya->stage == RELAY_STAGE_REJECTED, 30);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  posts = count_sales_order_posts ();

  relay_window_show_order (window, priya->squarespace_id);
  g_assert_true (g_action_group_get_action_enabled (relay_window_get_order_actions (window), "preview"));
  dialog = preview (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Preview as TradeGecko Order");
  widget = dialog_preview (dialog);
  g_assert_true (preview_decides (widget, RELAY_PREVIEW_WAIT));
  g_assert_nonnull (strstr (relay_order_preview_get_status (widget), "would wait"));
  g_assert_nonnull (strstr (relay_order_preview_get_status (widget), "TEA-GEN-99"));

  /* The failing line is highlighted and offers the fix; the other is marked matched. */
  failing = relay_order_preview_get_line_row (widget, 0);
  g_assert_true (gtk_widget_has_css_class (failing, "failing-line"));
  g_assert_false (gtk_widget_has_css_class (failing, "matched-line"));
  g_assert_true (gtk_widget_has_css_class (relay_order_preview_get_line_row (widget, 1), "matched-line"));
  g_assert_null (relay_test_find_named (relay_order_preview_get_line_row (widget, 1), "add-alias"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), RELAY_TYPE_ORDER_PREVIEW,
                                                                          "payload_expander"))));
  save_dialog_screenshot (dialog, "dialog-preview-rejected");

  /* Add Alias on that line: the one alias dialog, for its SKU, over the preview. */
  add_alias = relay_test_find_named (failing, "add-alias");
  g_assert_nonnull (add_alias);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (add_alias)), ==, "preview.add-alias");
  gtk_widget_activate (add_alias);
  RELAY_TEST_ITERATE_UNTIL ((alias_dialog = relay_test_find_window_of_type (RELAY_TYPE_ALIAS_DIALOG)) != NULL &&
                            gtk_widget_get_mapped (GTK_WIDGET (alias_dialog)), 5);
  g_assert_true (gtk_window_get_transient_for (alias_dialog) == GTK_WINDOW (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (alias_dialog), RELAY_TYPE_ALIAS_DIALOG, "store_sku_entry"))), ==, "TEA-GEN-99");
  /* The same choice as the window's own Add Alias: the SKU (the default), or this variant alone. */
  variant_check = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (alias_dialog), RELAY_TYPE_ALIAS_DIALOG, "variant_check"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (variant_check)));
  g_assert_nonnull (strstr (gtk_check_button_get_label (variant_check), "Weight: 100 g"));
  g_assert_false (gtk_check_button_get_active (variant_check));
  gtk_check_button_set_active (variant_check, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (alias_dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry")), "TEA-SEN-200");
  RELAY_TEST_ITERATE_UNTIL (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (alias_dialog), "add"), 10);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (alias_dialog), "add");

  /* The alias is for that variant, not for every item with the SKU. */
  {
    g_autofree char *variant_alias = relay_store_lookup_item_alias (store (), "variant:var-gen-100g", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (variant_alias, ==, "TEA-SEN-200");
    g_assert_null (relay_store_lookup_item_alias (store (), "TEA-GEN-99", NULL));
  }

  /* The same dialog previews again: every line matched, and the exact body it would send. */
  RELAY_TEST_ITERATE_UNTIL (preview_decides (widget, RELAY_PREVIEW_SEND), 30);
  g_assert_cmpint (((RelayPreviewLine *) g_ptr_array_index (relay_preview_get_lines (relay_order_preview_get_preview (widget)), 0))->rule,
                   ==, RELAY_MATCH_VARIANT_ALIAS);
  g_assert_true (gtk_widget_has_css_class (relay_order_preview_get_line_row (widget, 0), "matched-line"));
  g_assert_true (gtk_widget_has_css_class (relay_order_preview_get_line_row (widget, 1), "matched-line"));
  g_assert_null (relay_test_find_named (GTK_WIDGET (widget), "add-alias"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), RELAY_TYPE_ORDER_PREVIEW,
                                                                         "payload_expander"))));
  payload = relay_preview_get_payload (relay_order_preview_get_preview (widget));
  {
    g_autoptr(JsonNode) body = json_from_string (payload, &error);
    JsonObject *order;
    JsonArray *items;

    g_assert_no_error (error);
    order = json_object_get_object_member (json_node_get_object (body), "order");
    items = json_object_get_array_member (order, "order_line_items");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "variant_id"), >, 0);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 1), "variant_id"), >, 0);
    g_assert_cmpstr (json_object_get_string_member (order, "order_number"), ==, priya->cust_ref);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (widget), RELAY_TYPE_ORDER_PREVIEW,
                                                                                   "payload_label"))), ==, payload);
  }
  g_assert_nonnull (strstr (payload, "9 Quay Rd"));
  gtk_expander_set_expanded (GTK_EXPANDER (gtk_widget_get_template_child (GTK_WIDGET (widget), RELAY_TYPE_ORDER_PREVIEW,
                                                                          "payload_expander")), TRUE);
  save_dialog_screenshot (dialog, "dialog-preview-fixed");
  gtk_window_destroy (GTK_WINDOW (dialog));
  RELAY_TEST_ITERATE_UNTIL (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG) == NULL, 5);

  /* The preview itself sent nothing; the alias retried the order, and the sync it asked for delivered it. */
  RELAY_TEST_ITERATE_UNTIL (stage_of_id (id) == RELAY_STAGE_AT_TRADEGECKO, 30);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  g_assert_cmpuint (count_sales_order_posts (), ==, posts + 1);
}

/* With test orders set to Skip, the preview of a test order says it is not sent, not "a draft". */
static void
test_preview_skipped_test_order (void)
{
  RelayWindow *window = main_window ();
  g_autoptr(RelayOrderRow) test_order = find_order_of ("merchant+test");
  AdwMessageDialog *dialog;
  RelayOrderPreview *widget;

  g_assert_nonnull (test_order);
  g_assert_true (test_order->testmode);
  g_assert_cmpstr (g_settings_get_string (relay_application_get_settings (app), "test-orders"), ==, "skip");
  relay_window_show_order (window, test_order->squarespace_id);
  g_assert_true (g_action_group_get_action_enabled (relay_window_get_order_actions (window), "preview"));

  dialog = preview (window);
  widget = dialog_preview (dialog);
  g_assert_true (preview_decides (widget, RELAY_PREVIEW_SKIP));
  g_assert_nonnull (strstr (relay_order_preview_get_status (widget), "This test order is skipped"));
  g_assert_nonnull (strstr (relay_order_preview_get_status (widget), "not sent to TradeGecko"));
  g_assert_null (strstr (relay_order_preview_get_status (widget), "draft tagged"));
  g_assert_null (relay_preview_get_payload (relay_order_preview_get_preview (widget)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), RELAY_TYPE_ORDER_PREVIEW,
                                                                          "payload_expander"))));
  gtk_window_destroy (GTK_WINDOW (dialog));
  RELAY_TEST_ITERATE_UNTIL (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG) == NULL, 5);
}

/* The alias dialog's match row for @sku, if shown. */
static GtkWidget *
find_match_row (GtkListBox *matches,
                const char *sku)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (matches)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), sku) == 0)
      return row;

  return NULL;
}

static void
test_alias_fixes_rejected_order (void)
{
  RelayWindow *window = main_window ();
  GActionGroup *order_actions = relay_window_get_order_actions (window);
  g_autoptr(RelayOrderRow) hannah = find_order_of ("Hannah");
  RelayOrderDetail *detail;
  AdwMessageDialog *dialog;
  GtkLabel *status;
  GtkListBox *matches;
  GtkWidget *sencha_200;
  g_autofree char *text = NULL;

  relay_window_show_order (window, hannah->squarespace_id);
  detail = RELAY_ORDER_DETAIL (gtk_widget_get_template_child (GTK_WIDGET (window), RELAY_TYPE_WINDOW, "order_detail"));
  g_assert_nonnull (strstr (relay_order_detail_get_problem (detail), "TEA-MATCHA-CER"));
  save_screenshot ("window-rejected-demo-order");

  g_action_group_activate_action (order_actions, "add-alias", NULL);
  RELAY_TEST_ITERATE_UNTIL ((dialog = ADW_MESSAGE_DIALOG (relay_test_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG))) != NULL, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "store_sku_entry"))), ==, "TEA-MATCHA-CER");
  /* The TradeGecko SKU is looked up as it is typed: a typo cannot be saved. */
  status = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "status_label"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry")), "TEA-SEN-2000");
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (gtk_label_get_label (status), "No active TradeGecko item has exactly this SKU") == 0, 10);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  /* Part of a product name finds the variants to pick from; picking one fills the SKU in. */
  matches = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "matches"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry")), "sench");
  RELAY_TEST_ITERATE_UNTIL ((sencha_200 = find_match_row (matches, "TEA-SEN-200")) != NULL, 10);
  g_assert_nonnull (find_match_row (matches, "TEA-SEN-50"));
  g_assert_null (find_match_row (matches, "TEA-ASS-200"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (matches)));
  {
    /* The stock shown is TradeGecko's available stock now (some is committed to earlier orders). */
    g_autoptr(JsonNode) state = relay_sandbox_dup_state (sandbox);
    JsonArray *variants = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state), "tradegecko"),
                                                        "variants");
    g_autofree char *expected = NULL;

    for (guint i = 0; i < json_array_get_length (variants); i++)
      {
        JsonObject *variant = json_array_get_object_element (variants, i);

        if (g_strcmp0 (json_object_get_string_member (variant, "sku"), "TEA-SEN-200") == 0)
          expected = g_strdup_printf ("Japanese Sencha — 200 g · %" G_GINT64_FORMAT " available",
                                      (gint64) g_ascii_strtoll (json_object_get_string_member (variant, "available_stock"), NULL, 10));
      }
    g_assert_nonnull (expected);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sencha_200)), ==, expected);
  }
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (dialog)), 5);
  {
    g_autofree char *path = relay_test_save_screenshot (GTK_WIDGET (dialog), "dialog-add-alias-search");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  gtk_widget_activate (GTK_WIDGET (sencha_200));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), RELAY_TYPE_ALIAS_DIALOG, "tradegecko_sku_entry"))), ==, "TEA-SEN-200");
  RELAY_TEST_ITERATE_UNTIL (g_str_has_prefix (gtk_label_get_label (status), "TradeGecko: Japanese Sencha"), 10);
  /* The search follows the picked SKU: only that variant is left. */
  RELAY_TEST_ITERATE_UNTIL (find_match_row (matches, "TEA-SEN-50") == NULL && find_match_row (matches, "TEA-SEN-200") != NULL, 10);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  relay_test_wait_until_settled (GTK_WIDGET (dialog));
  RELAY_TEST_ITERATE_UNTIL (widget_renders (GTK_WIDGET (dialog)), 5);
  {
    g_autofree char *path = relay_test_save_screenshot (GTK_WIDGET (dialog), "dialog-add-alias-checked");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  adw_message_dialog_response (dialog, "add");

  /* Retried at once and delivered by the cycle the alias asked for. */
  RELAY_TEST_ITERATE_UNTIL (stage_of ("Hannah") == RELAY_STAGE_AT_TRADEGECKO, 30);
  RELAY_TEST_ITERATE_UNTIL (relay_order_detail_get_problem (detail) == NULL, 5);
  RELAY_TEST_ITERATE_UNTIL (detail_shows (detail, "Delivered to TradeGecko"), 5);
  text = relay_order_detail_dup_text (detail);
  g_assert_nonnull (strstr (text, "TEA-MATCHA-CER → TradeGecko TEA-SEN-200"));
  g_assert_nonnull (strstr (text, "Queued again"));
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
}

static void
test_sync_now_reads_tracking (void)
{
  RelayWindow *window = main_window ();
  g_autoptr(RelayOrderRow) marcus = find_order_of ("Marcus");
  g_autoptr(JsonObject) shipment = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.sync-now");
  guint requests;

  g_assert_cmpstr (accels[0], ==, "<Control>r");

  /* The warehouse ships Marcus's order in TradeGecko. */
  json_object_set_string_member (shipment, "tracking_company", "UPS");
  json_object_set_string_member (shipment, "tracking_number", "1ZDEMO0001");
  json_object_set_string_member (shipment, "tracking_url", "https://www.ups.com/track?tracknum=1ZDEMO0001");
  g_assert_cmpint (relay_sandbox_ship_tradegecko_order (sandbox, marcus->tradegecko_order_id, shipment, &error), >, 0);
  g_assert_no_error (error);

  requests = relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO);
  g_action_group_activate_action (G_ACTION_GROUP (window), "sync-now", NULL);
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO) > requests, 10);
  RELAY_TEST_ITERATE_UNTIL (stage_of ("Marcus") == RELAY_STAGE_CONFIRMED, 30);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);

  /* All four flows are now on screen, and the tracking is in the list. */
  RELAY_TEST_ITERATE_UNTIL (relay_window_get_flow_count (window, "confirmed") >= 1, 5);
  relay_window_show_order (window, marcus->squarespace_id);
  save_screenshot ("window-tracking-sent");
}

/* Sales orders in TradeGecko per order placed: every reference exactly once. */
static guint
count_sales_orders_for (const char *squarespace_id)
{
  g_autoptr(RelayOrderRow) row = relay_store_find_order (store (), squarespace_id, NULL);
  g_autoptr(JsonNode) state = relay_sandbox_dup_state (sandbox);
  JsonArray *orders = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                                    "tradegecko"), "orders");
  guint n = 0;

  g_assert_nonnull (row);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (orders, i), "reference_number"),
                   row->cust_po_no) == 0)
      n++;
  return n;
}

static void
process_exited_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

/* `order-relay sync --once` from cron while the window is open, over slow
 * TradeGecko writes: while the command line syncs, the window says so and
 * starts no cycle of its own; then it syncs; nothing is sent twice. */
static void
test_another_process_syncing (void)
{
  RelaySyncEngine *engine = relay_application_get_engine (app);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  gint64 pid;

  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("cron%u@example.com", i);

      g_ptr_array_add (ids, add_sandbox_order (email, "CB-ETH-250", FALSE));
    }
  relay_sandbox_add_fault (sandbox, RELAY_SANDBOX_API_TRADEGECKO, "POST", "/orders",
                           RELAY_SANDBOX_FAULT_DELAY, 700, 3);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_SQUARESPACE_URL", relay_sandbox_get_squarespace_url (sandbox), TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDER_RELAY_TRADEGECKO_URL", relay_sandbox_get_tradegecko_url (sandbox), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ORDER_RELAY_BIN"), "sync", "--once", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, process_exited_cb, &exited);
  pid = g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  RELAY_TEST_ITERATE_UNTIL (relay_sync_engine_find_lock_holder (store ()) == pid || exited, 20);
  g_assert_false (exited);

  /* Sync now in the window: it waits for the other process and says why. */
  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (relay_sync_engine_get_other_sync_pid (engine) == pid || exited, 20);
  g_assert_false (exited);
  g_assert_false (relay_sync_engine_get_busy (engine));
  save_screenshot ("window-another-process-syncing");

  RELAY_TEST_ITERATE_UNTIL (exited, 30);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* Then the window syncs again on its own, and finds nothing left to send. */
  RELAY_TEST_ITERATE_UNTIL (relay_sync_engine_get_other_sync_pid (engine) == 0 && engine_idle (), 30);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *customer = g_strdup_printf ("cron%u@", i);

      RELAY_TEST_ITERATE_UNTIL (stage_of (customer) == RELAY_STAGE_AT_TRADEGECKO, 10);
      g_assert_cmpuint (count_sales_orders_for (g_ptr_array_index (ids, i)), ==, 1);
    }
}

static void
test_preferences_change_the_engine (void)
{
  GSettings *settings = relay_application_get_settings (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(RelayOrderRow) row = NULL;

  /* By default test orders are skipped (the demo's test order was); now they go as drafts. */
  g_assert_cmpint (stage_of ("merchant+test"), ==, RELAY_STAGE_SKIPPED);
  g_settings_set_string (settings, "test-orders", "draft");
  id = add_sandbox_order ("second+test@example.com", "CB-ETH-250", TRUE);

  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (stage_of ("second+test") != RELAY_N_STAGES && stage_of ("second+test") != RELAY_STAGE_NEW, 30);
  row = relay_store_find_order (store (), id, &error);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->stage_reason, ==, NULL);
  g_assert_cmpint (row->stage, ==, RELAY_STAGE_AT_TRADEGECKO);
  g_assert_true (row->testmode);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  g_settings_reset (settings, "test-orders");
}

static const char *
health_of (const char  *store_id,
           const char **action)
{
  return relay_window_get_store_health (main_window (), store_id, action);
}

static void
test_store_problem_shows_the_way_out (void)
{
  RelayWindow *window = main_window ();
  const char *action = NULL;
  guint requests;
  guint toasts = relay_window_get_n_toasts (window);

  /* The Squarespace site expires: the merchant is told what to do, with a button to sync again. */
  relay_sandbox_set_site_expired (sandbox, TRUE);
  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (g_str_has_prefix (health_of ("squarespace", NULL) ? health_of ("squarespace", NULL) : "",
                                              "Squarespace needs attention"), 30);
  g_assert_nonnull (strstr (health_of ("squarespace", &action), "Renew"));
  g_assert_cmpstr (action, ==, "app.sync-now");
  g_assert_null (health_of ("tradegecko", NULL));
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  save_screenshot ("window-store-problem");

  relay_sandbox_set_site_expired (sandbox, FALSE);
  requests = relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE);
  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE) > requests, 10);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  /* Resolved: the banner is withdrawn; the problem never became a toast. */
  RELAY_TEST_ITERATE_UNTIL (health_of ("squarespace", NULL) == NULL, 10);
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, toasts);
}

/* TradeGecko answers 503 for a while: one banner that stays, no toasts, and a
 * subtitle that says when the last try was and when the next one really is. */
static void
test_outage_is_one_banner (void)
{
  RelayWindow *window = main_window ();
  guint toasts = relay_window_get_n_toasts (window);
  g_autofree char *message = NULL;
  const char *subtitle;

  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  relay_sandbox_add_fault (sandbox, RELAY_SANDBOX_API_TRADEGECKO, NULL, NULL, RELAY_SANDBOX_FAULT_STATUS, 503, 100000);
  for (guint i = 0; i < 3; i++)
    {
      guint requests = relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO);

      sync_now ();
      RELAY_TEST_ITERATE_UNTIL (relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_TRADEGECKO) > requests, 30);
      RELAY_TEST_ITERATE_UNTIL (engine_idle (), 60);
      RELAY_TEST_ITERATE_UNTIL (health_of ("tradegecko", NULL) != NULL, 10);
      if (message == NULL)
        message = g_strdup (health_of ("tradegecko", NULL));
      g_assert_cmpstr (health_of ("tradegecko", NULL), ==, message);
    }
  g_assert_true (g_str_has_prefix (message, "TradeGecko needs attention"));
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, toasts);

  subtitle = shown_sync_status ();
  g_assert_nonnull (strstr (subtitle, "last try"));
  g_assert_nonnull (strstr (subtitle, "next try in"));
  /* The next try is the engine's, backed off: never sooner than it really is. */
  {
    gint64 next = relay_sync_engine_get_next_sync (relay_application_get_engine (app));

    g_assert_cmpint (next, >, g_get_real_time () / G_USEC_PER_SEC);
  }
  save_screenshot ("window-outage-banner");

  relay_sandbox_clear_faults (sandbox);
  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (health_of ("tradegecko", NULL) == NULL, 60);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  subtitle = shown_sync_status ();
  g_assert_null (strstr (subtitle, "last try"));
  g_assert_nonnull (strstr (subtitle, "next sync in"));
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, toasts);
}

/* Every order's id and stage, to see that nothing moved. */
static char *
dup_stages (void)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GString *stages = g_string_new (NULL);

  keys = relay_store_dup_order_keys (store (), 0, NULL, RELAY_ORDER_SORT_CREATED, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, >, 0);
  rows = relay_store_dup_orders_by_keys (store (), (const gint64 *) (gpointer) keys->data, keys->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (stages, "%s:%d:%s\n", row->squarespace_id, row->stage,
                              row->stage_reason != NULL ? row->stage_reason : "");
    }

  return g_string_free (stages, FALSE);
}

static void
test_revoked_key_asks_to_reconnect (void)
{
  RelayWindow *window = main_window ();
  g_autofree char *stages_before = NULL;
  g_autofree char *stages_after = NULL;
  g_autofree char *id = NULL;
  guint requests;
  guint toasts = relay_window_get_n_toasts (window);

  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  /* A new order is waiting: a revoked key must not let it (or anything else) move. */
  id = add_sandbox_order ("revoked+order@example.com", "CB-ETH-250", FALSE);
  stages_before = dup_stages ();

  /* The merchant revokes the Squarespace key in the store's settings. */
  relay_sandbox_revoke_key (sandbox, RELAY_SANDBOX_SQUARESPACE_KEY);
  requests = relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE);
  sync_now ();
  {
    const char *action = NULL;

    RELAY_TEST_ITERATE_UNTIL (health_of ("squarespace", &action) != NULL &&
                              g_strcmp0 (action, "app.reconnect-store::squarespace") == 0, 30);
    g_assert_true (g_str_has_prefix (health_of ("squarespace", NULL), "Squarespace needs attention"));
  }
  g_assert_cmpuint (relay_sandbox_get_request_count (sandbox, RELAY_SANDBOX_API_SQUARESPACE), >, requests);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);

  stages_after = dup_stages ();
  g_assert_cmpstr (stages_after, ==, stages_before);
  g_assert_cmpint (stage_of ("revoked+order"), ==, RELAY_N_STAGES);

  /* The banner's Reconnect opens that store's page directly, not the whole setup. */
  {
    RelaySetupWizard *wizard;

    g_action_group_activate_action (G_ACTION_GROUP (app), "reconnect-store", g_variant_new_string ("squarespace"));
    RELAY_TEST_ITERATE_UNTIL ((wizard = RELAY_SETUP_WIZARD (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD))) != NULL &&
                              gtk_widget_get_mapped (GTK_WIDGET (wizard)), 10);
    g_assert_cmpstr (relay_setup_wizard_get_visible_page_name (wizard), ==, "squarespace");
    gtk_window_destroy (GTK_WINDOW (wizard));
    RELAY_TEST_ITERATE_UNTIL (relay_test_find_window_of_type (RELAY_TYPE_SETUP_WIZARD) == NULL, 5);
  }

  /* A new key (here: the old one given back) and the shop syncs again. */
  relay_sandbox_restore_key (sandbox, RELAY_SANDBOX_SQUARESPACE_KEY);
  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (stage_of ("revoked+order") != RELAY_N_STAGES, 30);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  /* The banner is withdrawn once the store answers again; nothing was a toast. */
  RELAY_TEST_ITERATE_UNTIL (health_of ("squarespace", NULL) == NULL, 30);
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, toasts);
}

static void
test_background_keeps_syncing (void)
{
  GSettings *settings = relay_application_get_settings (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  RelayWindow *window;

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  gtk_window_close (GTK_WINDOW (main_window ()));
  RELAY_TEST_ITERATE_UNTIL (main_window () == NULL, 5);
  g_assert_true (relay_application_get_in_background (app));

  /* A new order with an unknown SKU arrives while the window is closed. */
  id = add_sandbox_order ("late.buyer@example.com", "NOT-IN-TRADEGECKO", FALSE);

  sync_now ();
  RELAY_TEST_ITERATE_UNTIL (stage_of ("late.buyer") == RELAY_STAGE_REJECTED, 30);
  row = relay_store_find_order (store (), id, &error);
  expected = g_strdup_printf ("Order #%s needs attention", row->order_number);
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (relay_application_get_last_notification (app), expected) == 0, 5);
  /* Really sent to the desktop. */
  RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (shown_notification, expected) == 0, 5);
  RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);

  /* A second one: one notification for both, not one each. */
  {
    g_autofree char *second = add_sandbox_order ("later.buyer@example.com", "ALSO-NOT-IN-TRADEGECKO", FALSE);

    sync_now ();
    RELAY_TEST_ITERATE_UNTIL (stage_of ("later.buyer") == RELAY_STAGE_REJECTED, 30);
    RELAY_TEST_ITERATE_UNTIL (g_strcmp0 (shown_notification, "2 orders need attention") == 0, 5);
    RELAY_TEST_ITERATE_UNTIL (engine_idle (), 30);
  }

  /* Clicking the notification opens the window on that order. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-order", g_variant_new_string (id));
  RELAY_TEST_ITERATE_UNTIL ((window = main_window ()) != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  g_assert_cmpstr (relay_window_get_shown_order (window), ==, id);
  g_assert_false (relay_application_get_in_background (app));
  g_settings_reset (settings, "run-in-background");
  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_iterate_pending ();
}


static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  static guint32 next_id = 1;

  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_free (shown_notification);
      shown_notification = g_strdup (summary);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", next_id++));
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    {
      const char *capabilities[] = { "body", "actions", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
    }
  else if (g_strcmp0 (method_name, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                NULL, NULL, NULL, NULL);
  /* Owned once a round trip shows it. */
  while (!owned)
    {
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      g_main_context_iteration (NULL, FALSE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *state = NULL;
  GSettings *settings;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  start_notification_server ();

  sandbox = relay_sandbox_new ();
  relay_sandbox_start (sandbox, &error);
  g_assert_no_error (error);
  relay_sandbox_load_demo (sandbox);

  dir = test_make_temp_dir ();
  data_home = g_build_filename (dir, "order-relay", NULL);
  state = g_build_filename (data_home, "state.db", NULL);
  g_free (data_home);
  data_home = g_strdup (dir);
  app = relay_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  relay_application_set_state_path (app, state);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* Connected to the sandbox, as the wizard leaves it. */
  settings = relay_application_get_settings (app);
  g_settings_set_string (settings, "squarespace-url", relay_sandbox_get_squarespace_url (sandbox));
  g_settings_set_string (settings, "tradegecko-url", relay_sandbox_get_tradegecko_url (sandbox));
  g_settings_set_uint (settings, "initial-lookback-days", 60);
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 760);
  test_store_keys (relay_sandbox_get_squarespace_url (sandbox), RELAY_SANDBOX_SQUARESPACE_KEY,
                   relay_sandbox_get_tradegecko_url (sandbox), RELAY_SANDBOX_TRADEGECKO_TOKEN);

  g_test_add_func ("/window-sync/first-cycle", test_first_cycle);
  g_test_add_func ("/window-sync/status-in-sight-at-every-width", test_status_in_sight_at_every_width);
  g_test_add_func ("/window-sync/preview-rejected-order", test_preview_rejected_order);
  g_test_add_func ("/window-sync/preview-skipped-test-order", test_preview_skipped_test_order);
  g_test_add_func ("/window-sync/alias-fixes-rejected-order", test_alias_fixes_rejected_order);
  g_test_add_func ("/window-sync/sync-now-reads-tracking", test_sync_now_reads_tracking);
  g_test_add_func ("/window-sync/another-process-syncing", test_another_process_syncing);
  g_test_add_func ("/window-sync/preferences-change-the-engine", test_preferences_change_the_engine);
  g_test_add_func ("/window-sync/store-problem-shows-the-way-out", test_store_problem_shows_the_way_out);
  g_test_add_func ("/window-sync/outage-is-one-banner", test_outage_is_one_banner);
  g_test_add_func ("/window-sync/revoked-key-asks-to-reconnect", test_revoked_key_asks_to_reconnect);
  g_test_add_func ("/window-sync/background-keeps-syncing", test_background_keeps_syncing);

  status = g_test_run ();
  g_clear_object (&app);
  relay_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  {
    g_autofree char *inner = g_build_filename (dir, "order-relay", NULL);

    test_remove_state_dir (inner);
  }
  test_remove_state_dir (dir);
  g_free (data_home);
  return status;
}
