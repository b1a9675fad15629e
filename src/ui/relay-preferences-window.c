/* relay-preferences-window.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-mapping.h"
#include "relay-preferences-window.h"
#include "relay-sync-stock.h"

/*
 * Every setting is bound to GSettings (the engine reads them at each cycle);
 * the merchant's maps live in the state store and are edited in place.
 */
struct _RelayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Owned */
  GSettings            *settings;
  RelayStore           *store;
  GPtrArray            *map_rows;        /* rows shown for the maps, rebuilt on change */
  GtkFileChooserNative *chooser;
  RelaySyncEngine      *engine;          /* nullable: asks the store before stock sync goes on */
  GCancellable         *cancellable;

  /* Borrowed: groups whose rows list the maps */
  AdwPreferencesGroup  *aliases_group;
  AdwPreferencesGroup  *methods_group;
  AdwPreferencesGroup  *carriers_group;
  GtkWidget            *prefix_row;
  GtkWidget            *charset_row;
  GtkSwitch            *stock_switch;
  AdwActionRow         *stock_row;
  guint                 n_aliases;
};

G_DEFINE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef enum
{
  MAP_ALIASES,
  MAP_METHODS,
  MAP_CARRIERS,
} MapKind;

static void rebuild_maps (RelayPreferencesWindow *self);

/* ------------------------------------------------------------------------ */
/* Rows bound to settings                                                    */

static GtkWidget *
add_switch_row (AdwPreferencesGroup *group,
                GSettings           *settings,
                const char          *key,
                const char          *title,
                const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_name (toggle, key);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, row);

  return toggle;
}

static GtkWidget *
add_spin_row (AdwPreferencesGroup *group,
              GSettings           *settings,
              const char          *key,
              const char          *title,
              const char          *subtitle,
              double               min,
              double               max)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, key);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, row);

  return spin;
}

static gboolean
enum_to_selected (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_strcmp0 (nicks[i], nick) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
selected_to_enum (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[selected]);
}

static GtkWidget *
add_combo_row (AdwPreferencesGroup *group,
               GSettings           *settings,
               const char          *key,
               const char          *title,
               const char          *subtitle,
               const char * const  *nicks,
               const char * const  *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  gtk_widget_set_name (row, key);
  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                enum_to_selected, selected_to_enum, (gpointer) nicks, NULL);
  adw_preferences_group_add (group, row);

  return row;
}

/* The reference rules are checked as a whole before they are saved. */
static void
cust_ref_applied_cb (AdwEntryRow            *row,
                     RelayPreferencesWindow *self)
{
  g_autoptr(RelayMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *charset = NULL;
  const char *key = gtk_widget_get_name (GTK_WIDGET (row));

  prefix = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->prefix_row)));
  charset = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->charset_row)));

  if (self->store != NULL)
    {
      mapping = relay_mapping_new (self->store);
      if (!relay_mapping_set_cust_ref_rules (mapping, prefix, g_settings_get_uint (self->settings, "cust-ref-max-length"),
                                             charset, &error))
        {
          gtk_widget_add_css_class (GTK_WIDGET (row), "error");
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
          return;
        }
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  g_settings_set_string (self->settings, key, gtk_editable_get_text (GTK_EDITABLE (row)));
}

static GtkWidget *
add_entry_row (AdwPreferencesGroup    *group,
               RelayPreferencesWindow *self,
               const char             *key,
               const char             *title)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *value = g_settings_get_string (self->settings, key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
  gtk_widget_set_name (row, key);
  g_signal_connect_object (row, "apply", G_CALLBACK (cust_ref_applied_cb), self, 0);
  adw_preferences_group_add (group, row);

  return row;
}

/* ------------------------------------------------------------------------ */
/* The merchant's maps                                                       */

static void
remove_clicked_cb (GtkButton              *button,
                   RelayPreferencesWindow *self)
{
  MapKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "map-kind"));
  const char *key = g_object_get_data (G_OBJECT (button), "map-key");
  g_autoptr(GError) error = NULL;
  gboolean removed = FALSE;

  switch (kind)
    {
    case MAP_ALIASES:
      removed = relay_store_remove_item_alias (self->store, key, &error);
      break;
    case MAP_METHODS:
      removed = relay_store_remove_shipping_method (self->store, key, &error);
      break;
    case MAP_CARRIERS:
      removed = relay_store_remove_carrier (self->store, key, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!removed)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

static void
add_clicked_cb (GtkButton              *button,
                RelayPreferencesWindow *self)
{
  MapKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "map-kind"));
  GtkEditable *from = g_object_get_data (G_OBJECT (button), "from-entry");
  GtkEditable *to = g_object_get_data (G_OBJECT (button), "to-entry");
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  switch (kind)
    {
    case MAP_ALIASES:
      added = relay_store_set_item_alias (self->store, gtk_editable_get_text (from), gtk_editable_get_text (to), &error);
      break;
    case MAP_METHODS:
      added = relay_store_set_shipping_method (self->store, gtk_editable_get_text (from), gtk_editable_get_text (to), &error);
      break;
    case MAP_CARRIERS:
      added = relay_store_set_carrier (self->store, gtk_editable_get_text (from), gtk_editable_get_text (to), &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!added)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  gtk_editable_set_text (from, "");
  gtk_editable_set_text (to, "");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

static void
add_map_rows (RelayPreferencesWindow *self,
              AdwPreferencesGroup    *group,
              MapKind                 kind,
              GHashTable             *map,
              const char             *from_hint,
              const char             *to_hint)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;
  GtkWidget *row;
  GtkWidget *from;
  GtkWidget *to;
  GtkWidget *button;

  if (map != NULL)
    {
      keys = g_hash_table_get_keys_as_array (map, &n_keys);
      qsort (keys, n_keys, sizeof (gpointer), compare_strings);
    }

  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s → %s", (char *) keys[i], (char *) g_hash_table_lookup (map, keys[i]));

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_tooltip_text (button, _("Remove"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data (G_OBJECT (button), "map-kind", GUINT_TO_POINTER (kind));
      g_object_set_data_full (G_OBJECT (button), "map-key", g_strdup (keys[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->map_rows, g_object_ref (row));
    }

  row = adw_action_row_new ();
  from = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (from), from_hint);
  gtk_widget_set_valign (from, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (from, TRUE);
  to = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (to), to_hint);
  gtk_widget_set_valign (to, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (to, TRUE);
  button = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_tooltip_text (button, _("Add"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "map-kind", GUINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (button), "from-entry", from);
  g_object_set_data (G_OBJECT (button), "to-entry", to);
  g_signal_connect_object (button, "clicked", G_CALLBACK (add_clicked_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), from);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), to);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->map_rows, g_object_ref (row));
}

static void
rebuild_maps (RelayPreferencesWindow *self)
{
  g_autoptr(GHashTable) aliases = NULL;
  g_autoptr(GHashTable) methods = NULL;
  g_autoptr(GHashTable) carriers = NULL;

  for (guint i = 0; i < self->map_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->map_rows, i);
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));

      if (group != NULL)
        adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->map_rows, 0);

  if (self->store == NULL)
    return;

  aliases = relay_store_dup_item_aliases (self->store, NULL);
  methods = relay_store_dup_shipping_methods (self->store, NULL);
  carriers = relay_store_dup_carriers (self->store, NULL);
  self->n_aliases = aliases != NULL ? g_hash_table_size (aliases) : 0;

  add_map_rows (self, self->aliases_group, MAP_ALIASES, aliases, _("Squarespace SKU"), _("TradeGecko SKU"));
  add_map_rows (self, self->methods_group, MAP_METHODS, methods, _("Squarespace method"), _("TradeGecko label"));
  add_map_rows (self, self->carriers_group, MAP_CARRIERS, carriers, _("TradeGecko carrier"), _("Squarespace carrier"));
}

/* ------------------------------------------------------------------------ */
/* CSV import and export of the item aliases                                 */

static void
import_response_cb (GtkNativeDialog        *chooser,
                    int                     response,
                    RelayPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (!g_file_load_contents (file, NULL, &contents, NULL, NULL, &error) ||
          !relay_preferences_window_import_aliases (self, contents, &n, &error))
        message = g_strdup (error->message);
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u alias imported", "%u aliases imported", n), n);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
    }

  g_clear_object (&self->chooser);
}

static void
export_response_cb (GtkNativeDialog        *chooser,
                    int                     response,
                    RelayPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      csv = relay_preferences_window_export_aliases (self, &error);
      if (csv == NULL ||
          !g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      else
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Item aliases exported")));
    }

  g_clear_object (&self->chooser);
}

static void
run_chooser (RelayPreferencesWindow *self,
             gboolean                save)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (save ? _("Export Item Aliases") : _("Import Item Aliases"),
                                               GTK_WINDOW (self),
                                               save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                               save ? _("_Export") : _("_Import"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "item-aliases.csv");
  g_signal_connect_object (self->chooser, "response",
                           save ? G_CALLBACK (export_response_cb) : G_CALLBACK (import_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_clicked_cb (RelayPreferencesWindow *self)
{
  run_chooser (self, FALSE);
}

static void
export_clicked_cb (RelayPreferencesWindow *self)
{
  run_chooser (self, TRUE);
}

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Stock sync: on only once the Squarespace key may change stock            */

#define STOCK_SYNC_SUBTITLE N_("Variants without a TradeGecko match, and unlimited ones, are never changed")

static void
stock_sync_changed_cb (RelayPreferencesWindow *self)
{
  gboolean on = g_settings_get_boolean (self->settings, "stock-sync");

  gtk_switch_set_active (self->stock_switch, on);
  gtk_switch_set_state (self->stock_switch, on);
}

static void
reconnect_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  GApplication *app = g_application_get_default ();

  if (app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "reconnect-store"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "reconnect-store", g_variant_new_string ("squarespace"));
}

static gboolean
reset_stock_switch_idle (gpointer user_data)
{
  stock_sync_changed_cb (user_data);
  return G_SOURCE_REMOVE;
}

/* Squarespace keys cannot be edited (squarespace-api.md §1.3): say how to make one that may
 * change stock, and offer to reconnect with it. */
static void
explain_key_without_inventory (RelayPreferencesWindow *self)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Squarespace Key Cannot Change Stock"),
                                              _("Stock sync stays off: the API key Order Relay uses does not have "
                                                "Inventory set to Read and Write, and Squarespace keys cannot be "
                                                "changed. In Squarespace, open Settings → Developer Tools → Developer "
                                                "API Keys and generate a new key with Orders and Inventory set to Read "
                                                "and Write and Products set to Read Only. Then reconnect Squarespace "
                                                "with the new key and turn stock sync on again."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"),
                                    "reconnect", _("_Reconnect Squarespace…"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response::reconnect", G_CALLBACK (reconnect_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stock_access_checked_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RelayPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean allowed = relay_sync_engine_check_stock_access_finish (RELAY_SYNC_ENGINE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stock_switch), TRUE);
  adw_action_row_set_subtitle (self->stock_row, _(STOCK_SYNC_SUBTITLE));
  if (allowed)
    {
      g_settings_set_boolean (self->settings, "stock-sync", TRUE);
      stock_sync_changed_cb (self);
      return;
    }

  stock_sync_changed_cb (self);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Squarespace could not be asked whether the key may change stock, so "
                                                 "stock sync stays off: %s"), error->message);

      adw_action_row_set_subtitle (self->stock_row, text);
      return;
    }
  adw_action_row_set_subtitle (self->stock_row, _("Off: the Squarespace key cannot change stock"));
  explain_key_without_inventory (self);
}

/* Turning it on asks Squarespace first (asynchronously); the switch shows the request until
 * the answer and then stays off unless the key may write inventory. Off is always allowed. */
static gboolean
stock_sync_state_set_cb (GtkSwitch              *toggle,
                         gboolean                state,
                         RelayPreferencesWindow *self)
{
  if (!state || g_settings_get_boolean (self->settings, "stock-sync"))
    {
      g_settings_set_boolean (self->settings, "stock-sync", state);
      return FALSE;
    }
  if (self->engine == NULL)
    {
      adw_action_row_set_subtitle (self->stock_row, _("Connect Squarespace and TradeGecko first"));
      g_idle_add_full (G_PRIORITY_DEFAULT, reset_stock_switch_idle, g_object_ref (self), g_object_unref);
      return TRUE;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  adw_action_row_set_subtitle (self->stock_row, _("Asking Squarespace whether the key may change stock…"));
  relay_sync_engine_check_stock_access_async (self->engine, self->cancellable, stock_access_checked_cb,
                                              g_object_ref (self));
  return TRUE;
}

static void
add_stock_sync_row (RelayPreferencesWindow *self,
                    AdwPreferencesGroup    *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Set Squarespace stock"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(STOCK_SYNC_SUBTITLE));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_name (toggle, "stock-sync");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (group, row);

  self->stock_row = ADW_ACTION_ROW (row);
  self->stock_switch = GTK_SWITCH (toggle);
  stock_sync_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::stock-sync", G_CALLBACK (stock_sync_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (toggle, "state-set", G_CALLBACK (stock_sync_state_set_cb), self, 0);
}

static void
build (RelayPreferencesWindow *self)
{
  static const char *status_nicks[] = { "active", "draft", NULL };
  static const char *test_nicks[] = { "skip", "draft", NULL };
  static const char *posting_nicks[] = { "when-complete", "each-shipment", NULL };
  const char *status_labels[] = { _("Active"), _("Draft"), NULL };
  const char *test_labels[] = { _("Skip them"), _("Send as drafts"), NULL };
  const char *posting_labels[] = { _("When every item shipped"), _("At each shipment"), NULL };
  AdwPreferencesPage *page;
  AdwPreferencesGroup *group;
  GtkWidget *buttons;
  GtkWidget *button;
  GtkWidget *background;
  GtkWidget *login;

  /* General */
  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (page, _("General"));
  adw_preferences_page_set_icon_name (page, "emblem-system-symbolic");

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Sync"));
  add_spin_row (group, self->settings, "poll-interval-minutes", _("Sync every (minutes)"),
                _("How often new orders and shipments are looked for"), 1, 1440);
  add_spin_row (group, self->settings, "initial-lookback-days", _("First sync looks back (days)"),
                _("Open orders modified within this many days are retrieved"), 1, 365);
  background = add_switch_row (group, self->settings, "run-in-background", _("Run in background"),
                               _("Keep syncing after the window is closed"));
  login = add_switch_row (group, self->settings, "start-at-login", _("Start at login"),
                          _("Start without a window when you log in, and sync"));
  /* Starting hidden only makes sense for an app that keeps running without its window. */
  g_object_bind_property (background, "active", gtk_widget_get_ancestor (login, ADW_TYPE_ACTION_ROW), "sensitive",
                          G_BINDING_SYNC_CREATE);
  add_spin_row (group, self->settings, "stale-sync-warning-hours", _("Warn when not synced for (hours)"),
                _("Said when the window opens; 0 never warns"), 0, 720);
  add_switch_row (group, self->settings, "notify-problems", _("Notify about problems"),
                  _("A desktop notification for rejected orders and connection problems"));
  adw_preferences_page_add (page, group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("TradeGecko Orders"));
  add_combo_row (group, self->settings, "tradegecko-order-status", _("New orders are"),
                 _("Draft orders do not commit stock until you review them"), status_nicks, status_labels);
  add_combo_row (group, self->settings, "test-orders", _("Squarespace test orders"),
                 NULL, test_nicks, test_labels);
  self->prefix_row = add_entry_row (group, self, "cust-ref-prefix", _("Short reference prefix"));
  add_spin_row (group, self->settings, "cust-ref-max-length", _("Short reference length"),
                _("The longest reference TradeGecko receives"), 4, 64);
  self->charset_row = add_entry_row (group, self, "cust-ref-charset", _("Short reference characters"));
  adw_preferences_page_add (page, group);

  /* Ids as TradeGecko shows them: the setup's test order offers the tax types by name. */
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Tax, Payment and Stock"));
  add_spin_row (group, self->settings, "tax-type-id", _("Tax type (id)"),
                _("0 uses TradeGecko’s default sales-order tax type"), 0, G_MAXINT32);
  add_switch_row (group, self->settings, "tax-shipping", _("Tax shipping"),
                  _("Shipping carries the order’s tax rate; off sends it at 0 %"));
  add_switch_row (group, self->settings, "mark-paid-orders", _("Mark paid orders paid"),
                  _("Orders paid in Squarespace are invoiced and paid in TradeGecko"));
  add_spin_row (group, self->settings, "stock-location-id", _("Stock location (id)"),
                _("0 sends the account’s primary location"), 0, G_MAXINT32);
  adw_preferences_page_add (page, group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Shipments"));
  add_switch_row (group, self->settings, "notify-customer", _("E-mail the customer"),
                  _("Squarespace tells the buyer about each shipment"));
  add_combo_row (group, self->settings, "shipment-posting", _("Send tracking"),
                 _("Squarespace marks the whole order fulfilled at the first shipment"), posting_nicks, posting_labels);
  add_switch_row (group, self->settings, "count-packed-shipments", _("Count packed shipments"),
                  _("Treat packed shipments with tracking as shipped"));
  adw_preferences_page_add (page, group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Stock"));
  adw_preferences_group_set_description (group, _("Squarespace shows what TradeGecko has available, less the units of "
                                                  "orders not yet at TradeGecko and the buffer. Needs a Squarespace "
                                                  "key with Inventory set to Read and Write."));
  add_stock_sync_row (self, group);
  add_spin_row (group, self->settings, "stock-sync-location-id", _("TradeGecko location"),
                _("The location’s id; 0 adds up every location"), 0, G_MAXINT32);
  add_spin_row (group, self->settings, "stock-buffer", _("Safety buffer (units)"),
                _("Held back from the store for each variant"), 0, 100000);
  add_spin_row (group, self->settings, "stock-sync-every-minutes", _("Set stock every (minutes)"),
                _("0: in every sync"), 0, 1440);
  adw_preferences_page_add (page, group);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);

  /* Maps */
  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (page, _("Aliases and Maps"));
  adw_preferences_page_set_icon_name (page, "view-list-symbolic");

  self->aliases_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->aliases_group, _("Item Aliases"));
  adw_preferences_group_set_description (self->aliases_group,
                                         _("A Squarespace SKU, or variant:ID for one variant of a shared SKU, that has another SKU in TradeGecko"));
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  button = gtk_button_new_with_mnemonic (_("_Import…"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (import_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_mnemonic (_("_Export…"));
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (export_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), button);
  adw_preferences_group_set_header_suffix (self->aliases_group, buttons);
  adw_preferences_page_add (page, self->aliases_group);

  self->methods_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->methods_group, _("Shipping Methods"));
  adw_preferences_group_set_description (self->methods_group,
                                         _("The TradeGecko shipping label for each Squarespace method"));
  adw_preferences_page_add (page, self->methods_group);

  self->carriers_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->carriers_group, _("Carriers"));
  adw_preferences_group_set_description (self->carriers_group,
                                         _("The Squarespace carrier name for each TradeGecko carrier"));
  adw_preferences_page_add (page, self->carriers_group);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);

  rebuild_maps (self);
}

static void
relay_preferences_window_dispose (GObject *object)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->map_rows, g_ptr_array_unref);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (relay_preferences_window_parent_class)->dispose (object);
}

static void
relay_preferences_window_class_init (RelayPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_preferences_window_dispose;
}

static void
relay_preferences_window_init (RelayPreferencesWindow *self)
{
  self->map_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 720);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), TRUE);
}

RelayPreferencesWindow *
relay_preferences_window_new (GSettings  *settings,
                              RelayStore *store)
{
  RelayPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (store == NULL || RELAY_IS_STORE (store), NULL);

  self = g_object_new (RELAY_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  if (store != NULL)
    {
      self->store = g_object_ref (store);
      g_signal_connect_object (store, "maps-changed", G_CALLBACK (rebuild_maps), self, G_CONNECT_SWAPPED);
    }
  build (self);

  return self;
}

static char *
unquote (const char *field)
{
  g_autofree char *text = g_strstrip (g_strdup (field));
  gsize len = strlen (text);

  if (len >= 2 && text[0] == '"' && text[len - 1] == '"')
    {
      g_autoptr(GString) unquoted = g_string_new_len (text + 1, len - 2);
      g_string_replace (unquoted, "\"\"", "\"", 0);
      return g_string_free (g_steal_pointer (&unquoted), FALSE);
    }

  return g_steal_pointer (&text);
}

/**
 * relay_preferences_window_import_aliases:
 * @self: a #RelayPreferencesWindow
 * @csv: `store_sku,tradegecko_sku` lines, an optional header first
 * @n_imported: (out) (optional): how many aliases were saved
 * @error: return location for a #GError
 *
 * Checks every line first: a file with one bad line imports nothing and the
 * error names the line.
 *
 * Returns: %TRUE when every alias was saved
 */
gboolean
relay_preferences_window_import_aliases (RelayPreferencesWindow  *self,
                                         const char              *csv,
                                         guint                   *n_imported,
                                         GError                 **error)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (RELAY_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (csv != NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;

  lines = g_strsplit_set (csv, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      char *from;
      char *to;

      if (*g_strstrip (lines[i]) == '\0')
        continue;

      fields = g_strsplit (lines[i], ",", -1);
      from = g_strv_length (fields) == 2 ? unquote (fields[0]) : NULL;
      to = g_strv_length (fields) == 2 ? unquote (fields[1]) : NULL;
      if (i == 0 && from != NULL && g_ascii_strcasecmp (from, "store_sku") == 0)
        {
          g_free (from);
          g_free (to);
          continue;
        }
      if (from == NULL || to == NULL || *from == '\0' || *to == '\0')
        {
          g_free (from);
          g_free (to);
          g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                       _("Line %u is not “Squarespace SKU,TradeGecko SKU”; nothing was imported"), i + 1);
          return FALSE;
        }
      g_ptr_array_add (pairs, from);
      g_ptr_array_add (pairs, to);
    }

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      if (!relay_store_set_item_alias (self->store, g_ptr_array_index (pairs, i), g_ptr_array_index (pairs, i + 1), error))
        return FALSE;
      if (n_imported != NULL)
        (*n_imported)++;
    }

  return TRUE;
}

/**
 * relay_preferences_window_export_aliases:
 * @self: a #RelayPreferencesWindow
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the aliases as CSV with a header, sorted
 */
char *
relay_preferences_window_export_aliases (RelayPreferencesWindow  *self,
                                         GError                 **error)
{
  g_autoptr(GHashTable) aliases = NULL;
  g_autofree gpointer *keys = NULL;
  GString *csv;
  guint n = 0;

  g_return_val_if_fail (RELAY_IS_PREFERENCES_WINDOW (self), NULL);

  aliases = relay_store_dup_item_aliases (self->store, error);
  if (aliases == NULL)
    return NULL;

  keys = g_hash_table_get_keys_as_array (aliases, &n);
  qsort (keys, n, sizeof (gpointer), compare_strings);

  csv = g_string_new ("store_sku,tradegecko_sku\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%s,%s\n", (char *) keys[i], (char *) g_hash_table_lookup (aliases, keys[i]));

  return g_string_free (csv, FALSE);
}

guint
relay_preferences_window_get_n_aliases (RelayPreferencesWindow *self)
{
  g_return_val_if_fail (RELAY_IS_PREFERENCES_WINDOW (self), 0);

  return self->n_aliases;
}

/**
 * relay_preferences_window_set_engine:
 * @engine: (nullable): the running engine, which asks Squarespace whether its key may change
 *   stock before stock sync is turned on; without one stock sync cannot be turned on
 */
void
relay_preferences_window_set_engine (RelayPreferencesWindow *self,
                                     RelaySyncEngine        *engine)
{
  g_return_if_fail (RELAY_IS_PREFERENCES_WINDOW (self));

  g_set_object (&self->engine, engine);
}
