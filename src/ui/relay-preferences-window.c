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
#include "relay-money.h"
#include "relay-tax.h"
#include "relay-preferences-window.h"
#include "relay-stock.h"
#include "relay-sync-stock.h"
#include "relay-ui-utils.h"

/*
 * The window is a template (data/ui/relay-preferences-window.ui): every control
 * whose name is a GSettings key is bound to that key here, with the range and
 * the choices the schema gives (the engine reads them at each cycle). The
 * merchant's maps live in the state store: their rows are listed under each
 * group's add row and rebuilt when the store says they changed.
 */
/* A setting that keeps a TradeGecko location id, chosen by the location's name once the
 * account's locations are known; until then (or for a location it does not list) its number. */
typedef struct
{
  const char  *key;
  AdwComboRow *row;
  GtkWidget   *number_row;
  GArray      *ids;             /* (element-type gint64): the id behind each choice, 0 first */
} LocationChoice;

enum
{
  LOCATION_SHIPS_ORDERS,        /* stock-location-id */
  LOCATION_STOCK_SYNC,          /* stock-sync-location-id */
  N_LOCATION_CHOICES
};

struct _RelayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Owned */
  GSettings            *settings;
  RelayStore           *store;
  GPtrArray            *map_rows;        /* rows shown for the maps, rebuilt on change */
  GPtrArray            *tax_rate_rows;   /* rows shown for tax-rate-types, rebuilt on change */
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;     /* the stock permission check */
  GCancellable         *account_cancellable;
  RelaySyncEngine      *engine;          /* nullable: asks the store before stock sync goes on */
  char                 *stock_subtitle;
  RelayAccountFacts    *account;         /* TradeGecko's tax types, once read */
  GtkStringList        *tax_type_names;  /* the account's tax types, in its order */
  gboolean              filling;         /* a choice row is being filled, not chosen */
  GPtrArray            *locations;       /* (element-type RelayLocation): the account's, once read */
  LocationChoice        location_choices[N_LOCATION_CHOICES];

  /* Template children */
  AdwPreferencesGroup  *aliases_group;
  AdwPreferencesGroup  *methods_group;
  AdwPreferencesGroup  *carriers_group;
  GtkEditable          *alias_from;
  GtkEditable          *alias_to;
  GtkEditable          *method_from;
  GtkEditable          *method_to;
  GtkEditable          *carrier_from;
  GtkEditable          *carrier_to;
  GtkWidget            *prefix_row;
  GtkWidget            *charset_row;
  GtkWidget            *login_row;
  GtkSwitch            *background_switch;
  GtkSwitch            *stock_switch;
  AdwActionRow         *stock_row;
  AdwComboRow          *tax_type_row;
  GtkWidget            *tax_type_number_row;
  AdwComboRow          *stock_location_row;
  GtkWidget            *stock_location_number_row;
  AdwComboRow          *stock_sync_location_row;
  GtkWidget            *stock_sync_location_number_row;
  AdwPreferencesGroup  *tax_rates_group;
  GtkEditable          *tax_rate_entry;
  GtkDropDown          *tax_rate_type_dropdown;

  guint                 n_aliases;
};

G_DEFINE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The action target of the add and remove buttons of each map. */
typedef enum
{
  MAP_ALIASES,
  MAP_METHODS,
  MAP_CARRIERS,
} MapKind;

static void rebuild_maps (RelayPreferencesWindow *self);

/* ------------------------------------------------------------------------ */
/* Controls bound to settings                                                */

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

/* What the schema allows @key when its range is of @kind ("enum": the nicks, "range": the
 * lowest and highest value), else %NULL. */
static GVariant *
dup_key_range (GSettingsSchemaKey *key,
               const char         *kind)
{
  g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
  const char *range_kind;
  GVariant *allowed;

  g_variant_get (range, "(&sv)", &range_kind, &allowed);
  if (g_str_equal (range_kind, kind))
    return allowed;
  g_variant_unref (allowed);
  return NULL;
}

/* A combo row lists the enum's choices in the schema's order. */
static void
bind_combo_row (RelayPreferencesWindow *self,
                GtkWidget              *row,
                GSettingsSchemaKey     *key)
{
  g_autoptr(GVariant) choices = dup_key_range (key, "enum");
  char **nicks;

  g_assert (choices != NULL);
  nicks = g_variant_dup_strv (choices, NULL);
  g_assert (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))) == g_strv_length (nicks));
  g_settings_bind_with_mapping (self->settings, g_settings_schema_key_get_name (key), row, "selected",
                                G_SETTINGS_BIND_DEFAULT, enum_to_selected, selected_to_enum, nicks,
                                (GDestroyNotify) g_strfreev);
}

/* A spin button takes the key's range (ids without a maximum: up to G_MAXINT32). */
static void
bind_spin_button (RelayPreferencesWindow *self,
                  GtkSpinButton          *spin,
                  GSettingsSchemaKey     *key)
{
  g_autoptr(GVariant) limits = dup_key_range (key, "range");
  double min = 0, max = G_MAXINT32;

  if (limits != NULL)
    {
      g_autoptr(GVariant) low = g_variant_get_child_value (limits, 0);
      g_autoptr(GVariant) high = g_variant_get_child_value (limits, 1);

      if (g_variant_is_of_type (low, G_VARIANT_TYPE_UINT32))
        min = g_variant_get_uint32 (low), max = g_variant_get_uint32 (high);
      else if (g_variant_is_of_type (low, G_VARIANT_TYPE_INT64))
        min = g_variant_get_int64 (low), max = MIN (g_variant_get_int64 (high), G_MAXINT32);
    }
  gtk_spin_button_set_range (spin, min, max);
  g_settings_bind (self->settings, g_settings_schema_key_get_name (key), spin, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
bind_controls (RelayPreferencesWindow *self,
               GSettingsSchema        *schema,
               GtkWidget              *widget)
{
  const char *name = gtk_widget_get_name (widget);

  /* The stock switch asks Squarespace before it turns on (setup_stock_sync_row). */
  if (g_settings_schema_has_key (schema, name) && !ADW_IS_ENTRY_ROW (widget) && widget != GTK_WIDGET (self->stock_switch))
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, name);

      if (GTK_IS_SWITCH (widget))
        g_settings_bind (self->settings, name, widget, "active", G_SETTINGS_BIND_DEFAULT);
      else if (GTK_IS_SPIN_BUTTON (widget))
        bind_spin_button (self, GTK_SPIN_BUTTON (widget), key);
      else if (ADW_IS_COMBO_ROW (widget))
        {
          bind_combo_row (self, widget, key);
          relay_combo_row_show_whole_values (ADW_COMBO_ROW (widget));
        }
      else
        g_error ("No binding for the %s of setting %s", G_OBJECT_TYPE_NAME (widget), name);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    bind_controls (self, schema, child);
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

static void
bind_settings (RelayPreferencesWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *prefix = g_settings_get_string (self->settings, "cust-ref-prefix");
  g_autofree char *charset = g_settings_get_string (self->settings, "cust-ref-charset");

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  bind_controls (self, schema, GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->prefix_row), prefix);
  gtk_editable_set_text (GTK_EDITABLE (self->charset_row), charset);
  /* Starting hidden only makes sense for an app that keeps running without its window. */
  g_object_bind_property (self->background_switch, "active", self->login_row, "sensitive", G_BINDING_SYNC_CREATE);
}

/* ------------------------------------------------------------------------ */
/* The merchant's maps                                                       */

static void
remove_map_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gboolean removed = FALSE;
  const char *key;
  guint32 kind;

  g_variant_get (parameter, "(u&s)", &kind, &key);
  switch ((MapKind) kind)
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
      g_return_if_reached ();
    }

  if (!removed)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
}

static void
add_map_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  GtkEditable *from, *to;
  gboolean added = FALSE;

  switch ((MapKind) g_variant_get_uint32 (parameter))
    {
    case MAP_ALIASES:
      from = self->alias_from, to = self->alias_to;
      added = relay_store_set_item_alias (self->store, gtk_editable_get_text (from), gtk_editable_get_text (to), &error);
      break;
    case MAP_METHODS:
      from = self->method_from, to = self->method_to;
      added = relay_store_set_shipping_method (self->store, gtk_editable_get_text (from), gtk_editable_get_text (to), &error);
      break;
    case MAP_CARRIERS:
      from = self->carrier_from, to = self->carrier_to;
      added = relay_store_set_carrier (self->store, gtk_editable_get_text (from), gtk_editable_get_text (to), &error);
      break;
    default:
      g_return_if_reached ();
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
              GHashTable             *map)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  if (map == NULL)
    return;

  keys = g_hash_table_get_keys_as_array (map, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s → %s", (char *) keys[i], (char *) g_hash_table_lookup (map, keys[i]));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_tooltip_text (button, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.remove-map");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(us)", (guint32) kind, (char *) keys[i]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->map_rows, g_object_ref (row));
    }
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

  add_map_rows (self, self->aliases_group, MAP_ALIASES, aliases);
  add_map_rows (self, self->methods_group, MAP_METHODS, methods);
  add_map_rows (self, self->carriers_group, MAP_CARRIERS, carriers);
}

/* ------------------------------------------------------------------------ */
/* Tax types by name                                                         */

static char *
dup_tax_type_name (const RelayTaxType *type)
{
  g_autofree char *rate = relay_tax_format_rate (type->rate);

  /* Translators: a TradeGecko tax type and its rate, e.g. "VAT 20 (20 %)" */
  return g_strdup_printf (_("%s (%s %%)"), type->name != NULL ? type->name : "?", rate);
}

/* What the merchant reads for tax type @id: its name once TradeGecko's are known. */
static char *
dup_tax_type_label (RelayPreferencesWindow *self,
                    gint64                  id)
{
  const RelayTaxType *type = self->account != NULL ? relay_account_facts_find_tax_type (self->account, id) : NULL;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (type != NULL)
    return dup_tax_type_name (type);
  if (self->account != NULL)
    return g_strdup_printf (_("Tax type number %s, which TradeGecko does not have"), number);
  return g_strdup_printf (_("Tax type number %s"), number);
}

static void
rebuild_tax_rates (RelayPreferencesWindow *self)
{
  g_autoptr(GVariant) map = g_settings_get_value (self->settings, "tax-rate-types");
  GVariantIter iter;
  const char *rate;
  gint64 type_id;

  for (guint i = 0; i < self->tax_rate_rows->len; i++)
    adw_preferences_group_remove (self->tax_rates_group, g_ptr_array_index (self->tax_rate_rows, i));
  g_ptr_array_set_size (self->tax_rate_rows, 0);

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&sx}", &rate, &type_id))
    {
      g_autofree char *title = g_strdup_printf (_("%s %% in Squarespace"), rate);
      g_autofree char *subtitle = dup_tax_type_label (self, type_id);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (button, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.remove-tax-rate");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", rate);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->tax_rates_group, row);
      g_ptr_array_add (self->tax_rate_rows, g_object_ref (row));
    }
}

static void
fill_tax_types (RelayPreferencesWindow *self)
{
  const RelayTaxType *fallback = relay_account_facts_find_tax_type (self->account, self->account->default_tax_type_id);
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  g_autofree char *fallback_name = fallback != NULL ? dup_tax_type_name (fallback) : NULL;
  g_autofree char *first = fallback_name != NULL ? g_strdup_printf (_("TradeGecko’s default (%s)"), fallback_name)
                                                 : g_strdup (_("TradeGecko’s default tax type"));
  gint64 chosen = g_settings_get_int64 (self->settings, "tax-type-id");
  guint selected = 0;

  gtk_string_list_splice (self->tax_type_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tax_type_names)), NULL);
  gtk_string_list_append (choices, first);
  for (guint i = 0; i < self->account->tax_types->len; i++)
    {
      const RelayTaxType *type = g_ptr_array_index (self->account->tax_types, i);
      g_autofree char *name = dup_tax_type_name (type);

      gtk_string_list_append (choices, name);
      gtk_string_list_append (self->tax_type_names, name);
      if (type->id == chosen)
        selected = i + 1;
    }

  self->filling = TRUE;
  adw_combo_row_set_model (self->tax_type_row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (self->tax_type_row, selected);
  self->filling = FALSE;
  /* A number TradeGecko does not have stays editable as a number. */
  gtk_widget_set_visible (GTK_WIDGET (self->tax_type_row), chosen == 0 || selected > 0);
  gtk_widget_set_visible (self->tax_type_number_row, chosen != 0 && selected == 0);
  rebuild_tax_rates (self);
}

static void
tax_type_selected_cb (RelayPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->tax_type_row);

  if (self->filling || self->account == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  g_settings_set_int64 (self->settings, "tax-type-id",
                        selected == 0 ? 0 : ((RelayTaxType *) g_ptr_array_index (self->account->tax_types, selected - 1))->id);
}

/* ------------------------------------------------------------------------ */
/* Locations by name                                                         */

/* What 0 means for @choice, in the schema's words, with the primary location's name once known. */
static char *
dup_location_default_label (RelayPreferencesWindow *self,
                            const LocationChoice   *choice)
{
  if (choice == &self->location_choices[LOCATION_STOCK_SYNC])
    return g_strdup (_("All locations"));

  for (guint i = 0; self->account != NULL && i < self->locations->len; i++)
    {
      const RelayLocation *location = g_ptr_array_index (self->locations, i);

      if (location->id == self->account->primary_location_id && location->label != NULL)
        /* Translators: the setting's 0, with the name of the location TradeGecko then uses */
        return g_strdup_printf (_("TradeGecko’s primary location (%s)"), location->label);
    }
  return g_strdup (_("TradeGecko’s primary location"));
}

/* Only active locations that hold stock are offered: orders and stock come from those. */
static void
fill_location_choice (RelayPreferencesWindow *self,
                      LocationChoice         *choice)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *first = dup_location_default_label (self, choice);
  gint64 chosen = g_settings_get_int64 (self->settings, choice->key);
  gint64 none = 0;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_array_set_size (choice->ids, 0);
  g_array_append_val (choice->ids, none);
  gtk_string_list_append (names, first);
  for (guint i = 0; i < self->locations->len; i++)
    {
      const RelayLocation *location = g_ptr_array_index (self->locations, i);

      if (!location->active || !location->holds_stock || location->label == NULL)
        continue;
      g_array_append_val (choice->ids, location->id);
      gtk_string_list_append (names, location->label);
    }
  for (guint i = 0; i < choice->ids->len; i++)
    if (g_array_index (choice->ids, gint64, i) == chosen)
      selected = i;

  self->filling = TRUE;
  adw_combo_row_set_model (choice->row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (choice->row, selected != GTK_INVALID_LIST_POSITION ? selected : 0);
  self->filling = FALSE;
  /* A number TradeGecko does not offer (archived, no stock, gone) stays editable as a number,
   * and says why it is not a name. */
  gtk_widget_set_visible (GTK_WIDGET (choice->row), selected != GTK_INVALID_LIST_POSITION);
  gtk_widget_set_visible (choice->number_row, selected == GTK_INVALID_LIST_POSITION);
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, chosen);
      g_autofree char *subtitle = g_strdup_printf (_("TradeGecko has no active location holding stock with number %s; "
                                                     "0 chooses “%s”"), number, first);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (choice->number_row), subtitle);
    }
}

static void
fill_location_choices (RelayPreferencesWindow *self)
{
  if (self->locations == NULL)
    return;
  for (guint i = 0; i < N_LOCATION_CHOICES; i++)
    fill_location_choice (self, &self->location_choices[i]);
}

static void
location_selected_cb (AdwComboRow            *row,
                      GParamSpec             *pspec,
                      RelayPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;
  for (guint i = 0; i < N_LOCATION_CHOICES; i++)
    {
      LocationChoice *choice = &self->location_choices[i];

      if (choice->row == row && selected < choice->ids->len)
        g_settings_set_int64 (self->settings, choice->key, g_array_index (choice->ids, gint64, selected));
    }
}

/* One of TradeGecko's answers is in: the locations are offered by name (the account's
 * primary one is what 0 means). Closed meanwhile, or TradeGecko unreachable: the numbers stay. */
static void
tradegecko_answered (RelayPreferencesWindow *self,
                     const char             *what,
                     const GError           *error)
{
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("TradeGecko's %s could not be read: %s", what, error->message);
      return;
    }
  fill_location_choices (self);
}

static void
locations_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RelayPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *locations = relay_order_destination_list_locations_finish (RELAY_ORDER_DESTINATION (object), result, &error);

  if (locations != NULL)
    {
      g_clear_pointer (&self->locations, g_ptr_array_unref);
      self->locations = locations;
    }
  tradegecko_answered (self, "locations", error);
}

static void
setup_location_choice (RelayPreferencesWindow *self,
                       guint                   index,
                       const char             *key,
                       AdwComboRow            *row,
                       GtkWidget              *number_row)
{
  LocationChoice *choice = &self->location_choices[index];

  choice->key = key;
  choice->row = row;
  choice->number_row = number_row;
  choice->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  relay_combo_row_show_whole_values (row);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (location_selected_cb), self, 0);
}

static void
account_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelayPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  RelayAccountFacts *account = relay_order_destination_get_account_finish (RELAY_ORDER_DESTINATION (object), result, &error);

  if (account != NULL)
    {
      g_clear_pointer (&self->account, relay_account_facts_free);
      self->account = account;
      fill_tax_types (self);
    }
  tradegecko_answered (self, "tax types", error);
}

/* @builder gets every saved rate → tax type but @rate: to add it anew or to drop it. */
static void
init_tax_rates_without (GVariantBuilder *builder,
                        GSettings       *settings,
                        const char      *rate)
{
  g_autoptr(GVariant) map = g_settings_get_value (settings, "tax-rate-types");
  GVariantIter iter;
  const char *rate_text;
  gint64 type_id;

  g_variant_builder_init (builder, G_VARIANT_TYPE ("a{sx}"));
  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&sx}", &rate_text, &type_id))
    if (g_strcmp0 (rate_text, rate) != 0)
      g_variant_builder_add (builder, "{sx}", rate_text, type_id);
}

static void
add_tax_rate_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (self->tax_rate_entry)));
  g_autofree char *normalized = NULL;
  g_autofree char *message = NULL;
  guint type = gtk_drop_down_get_selected (self->tax_rate_type_dropdown);
  GVariantBuilder builder;
  gint64 rate;

  g_strdelimit (text, ",", '.');
  if (!relay_decimal_parse (text, RELAY_TAX_RATE_EXPONENT, &rate, NULL) || rate < 0 || rate >= 100 * 10000)
    message = g_strdup_printf (_("“%s” is not a tax rate in percent, such as 20 or 8.875"), text);
  else if (self->account == NULL || type == GTK_INVALID_LIST_POSITION || type >= self->account->tax_types->len)
    message = g_strdup (_("Choose a TradeGecko tax type for the rate"));
  if (message != NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
      return;
    }

  /* The same rate written differently (“20.0”) replaces the one saved. */
  normalized = relay_tax_format_rate (rate);
  init_tax_rates_without (&builder, self->settings, normalized);
  g_variant_builder_add (&builder, "{sx}", normalized,
                         ((RelayTaxType *) g_ptr_array_index (self->account->tax_types, type))->id);
  g_settings_set_value (self->settings, "tax-rate-types", g_variant_builder_end (&builder));
  gtk_editable_set_text (self->tax_rate_entry, "");
}

static void
remove_tax_rate_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (widget);
  GVariantBuilder builder;

  init_tax_rates_without (&builder, self->settings, g_variant_get_string (parameter, NULL));
  g_settings_set_value (self->settings, "tax-rate-types", g_variant_builder_end (&builder));
}

/**
 * relay_preferences_window_set_destination:
 * @self: a #RelayPreferencesWindow
 * @destination: the connected TradeGecko account
 *
 * Reads the account's tax types and locations, so the tax type, the rate →
 * tax type map and the two locations are chosen by name rather than by number.
 */
void
relay_preferences_window_set_destination (RelayPreferencesWindow *self,
                                          RelayOrderDestination  *destination)
{
  g_return_if_fail (RELAY_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (RELAY_IS_ORDER_DESTINATION (destination));

  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  self->account_cancellable = g_cancellable_new ();
  relay_order_destination_get_account_async (destination, self->account_cancellable, account_read_cb, g_object_ref (self));
  relay_order_destination_list_locations_async (destination, self->account_cancellable, locations_read_cb,
                                                g_object_ref (self));
}

/* ------------------------------------------------------------------------ */
/* Stock sync: on only once the Squarespace key may change stock            */

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
  adw_action_row_set_subtitle (self->stock_row, self->stock_subtitle);
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

/* The template's row, with the subtitle it says while nothing is being asked. */
static void
setup_stock_sync_row (RelayPreferencesWindow *self)
{
  self->stock_subtitle = g_strdup (adw_action_row_get_subtitle (self->stock_row));
  stock_sync_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::stock-sync", G_CALLBACK (stock_sync_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stock_switch, "state-set", G_CALLBACK (stock_sync_state_set_cb), self, 0);
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
import_aliases_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  run_chooser (RELAY_PREFERENCES_WINDOW (widget), FALSE);
}

static void
export_aliases_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  run_chooser (RELAY_PREFERENCES_WINDOW (widget), TRUE);
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
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->stock_subtitle, g_free);
  g_clear_pointer (&self->account, relay_account_facts_free);
  g_clear_object (&self->tax_type_names);
  g_clear_pointer (&self->locations, g_ptr_array_unref);
  for (guint i = 0; i < N_LOCATION_CHOICES; i++)
    g_clear_pointer (&self->location_choices[i].ids, g_array_unref);
  g_clear_pointer (&self->map_rows, g_ptr_array_unref);
  g_clear_pointer (&self->tax_rate_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (relay_preferences_window_parent_class)->dispose (object);
}

static void
relay_preferences_window_class_init (RelayPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/orderrelay/OrderRelay/ui/relay-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, aliases_group);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, methods_group);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, carriers_group);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, alias_from);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, alias_to);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, method_from);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, method_to);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, carrier_from);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, carrier_to);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, charset_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, login_row);
  gtk_widget_class_bind_template_child_full (widget_class, "run-in-background", FALSE,
                                             G_STRUCT_OFFSET (RelayPreferencesWindow, background_switch));
  gtk_widget_class_bind_template_child_full (widget_class, "stock-sync", FALSE,
                                             G_STRUCT_OFFSET (RelayPreferencesWindow, stock_switch));
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, stock_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, tax_type_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, tax_type_number_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, stock_location_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, stock_location_number_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, stock_sync_location_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, stock_sync_location_number_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, tax_rates_group);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, tax_rate_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, tax_rate_type_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, cust_ref_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, tax_type_selected_cb);

  gtk_widget_class_install_action (widget_class, "prefs.add-map", "u", add_map_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-map", "(us)", remove_map_action);
  gtk_widget_class_install_action (widget_class, "prefs.add-tax-rate", NULL, add_tax_rate_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-tax-rate", "s", remove_tax_rate_action);
  gtk_widget_class_install_action (widget_class, "prefs.import-aliases", NULL, import_aliases_action);
  gtk_widget_class_install_action (widget_class, "prefs.export-aliases", NULL, export_aliases_action);
}

static void
relay_preferences_window_init (RelayPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->map_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->tax_rate_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->tax_type_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->tax_rate_type_dropdown, G_LIST_MODEL (self->tax_type_names));
  relay_combo_row_show_whole_values (self->tax_type_row);
  setup_location_choice (self, LOCATION_SHIPS_ORDERS, "stock-location-id", self->stock_location_row,
                         self->stock_location_number_row);
  setup_location_choice (self, LOCATION_STOCK_SYNC, "stock-sync-location-id", self->stock_sync_location_row,
                         self->stock_sync_location_number_row);
  relay_label_unnamed_parts (GTK_WIDGET (self));
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
  bind_settings (self);
  setup_stock_sync_row (self);
  rebuild_maps (self);
  rebuild_tax_rates (self);
  g_signal_connect_object (settings, "changed::tax-rate-types", G_CALLBACK (rebuild_tax_rates), self, G_CONNECT_SWAPPED);

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
