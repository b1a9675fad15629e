/* relay-ui-utils.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include <locale.h>
#include <unicode/ucurr.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "relay-ui-utils.h"

static const char *stage_css_classes[RELAY_N_STAGES] = {
  [RELAY_STAGE_NEW] = "stage-new",
  [RELAY_STAGE_REJECTED] = "stage-rejected",
  [RELAY_STAGE_AT_TRADEGECKO] = "stage-at-tradegecko",
  [RELAY_STAGE_SHIPPED] = "stage-shipped",
  [RELAY_STAGE_CONFIRMED] = "stage-confirmed",
  [RELAY_STAGE_SKIPPED] = "stage-skipped",
  [RELAY_STAGE_CANCELED] = "stage-canceled",
};

static const char *stage_icons[RELAY_N_STAGES] = {
  [RELAY_STAGE_NEW] = "folder-download-symbolic",
  [RELAY_STAGE_REJECTED] = "dialog-warning-symbolic",
  [RELAY_STAGE_AT_TRADEGECKO] = "send-to-symbolic",
  [RELAY_STAGE_SHIPPED] = "package-x-generic-symbolic",
  [RELAY_STAGE_CONFIRMED] = "emblem-ok-symbolic",
  [RELAY_STAGE_SKIPPED] = "action-unavailable-symbolic",
  [RELAY_STAGE_CANCELED] = "process-stop-symbolic",
};

/**
 * relay_stage_get_label:
 * @stage: a #RelayStage
 *
 * Returns: (transfer none): what the merchant reads for @stage
 */
const char *
relay_stage_get_label (RelayStage stage)
{
  switch (stage)
    {
    case RELAY_STAGE_NEW: return _("Retrieved");
    case RELAY_STAGE_REJECTED: return _("Needs attention");
    case RELAY_STAGE_AT_TRADEGECKO: return _("At TradeGecko");
    case RELAY_STAGE_SHIPPED: return _("Shipped");
    case RELAY_STAGE_CONFIRMED: return _("Tracking sent");
    case RELAY_STAGE_SKIPPED: return _("Skipped");
    case RELAY_STAGE_CANCELED: return _("Canceled");
    case RELAY_N_STAGES:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
relay_stage_get_icon_name (RelayStage stage)
{
  g_return_val_if_fail (stage < RELAY_N_STAGES, NULL);

  return stage_icons[stage];
}

const char *
relay_stage_get_css_class (RelayStage stage)
{
  g_return_val_if_fail (stage < RELAY_N_STAGES, NULL);

  return stage_css_classes[stage];
}

/**
 * relay_stage_badge_new:
 *
 * A stage shown as colour, icon and text together (never colour alone).
 *
 * Returns: (transfer floating): the badge
 */
GtkWidget *
relay_stage_badge_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "stage-badge");
  /* The text beside it says the same: the icon is not announced on its own. */
  gtk_box_append (GTK_BOX (box), g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

void
relay_stage_badge_update (GtkWidget  *badge,
                          RelayStage  stage,
                          gboolean    has_error)
{
  GtkWidget *image = gtk_widget_get_first_child (badge);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  RelayStage shown = has_error && stage == RELAY_STAGE_NEW ? RELAY_STAGE_REJECTED : stage;

  for (guint i = 0; i < RELAY_N_STAGES; i++)
    gtk_widget_remove_css_class (badge, stage_css_classes[i]);
  gtk_widget_add_css_class (badge, stage_css_classes[shown]);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), stage_icons[shown]);
  /* A waiting order whose last attempt failed says so, with the stage it is in. */
  if (has_error && stage == RELAY_STAGE_NEW)
    gtk_label_set_label (GTK_LABEL (label), _("Retrying"));
  else
    gtk_label_set_label (GTK_LABEL (label), relay_stage_get_label (stage));
}

/**
 * relay_format_time:
 * @unix_ms: Unix milliseconds
 *
 * Returns: (transfer full): the local date and time, e.g. `2026-03-14 09:30`
 */
char *
relay_format_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_ms <= 0)
    return g_strdup ("—");

  utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/**
 * relay_format_relative_time:
 * @unix_ms: Unix milliseconds
 * @now_ms: the current time in Unix milliseconds
 *
 * Returns: (transfer full): e.g. “just now”, “2 min ago”, “3 h ago”, or the date
 */
char *
relay_format_relative_time (gint64 unix_ms,
                            gint64 now_ms)
{
  gint64 seconds = (now_ms - unix_ms) / 1000;

  if (unix_ms <= 0)
    return g_strdup (_("never"));
  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (_("%d min ago"), (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (_("%d h ago"), (int) (seconds / 3600));

  return relay_format_time (unix_ms);
}

/* "de_DE.UTF-8" → "de_DE"; NULL for the C locale, whose format is the plain one. */
static char *
dup_icu_locale (const char *posix)
{
  char *locale;
  char *dot;

  if (posix == NULL || g_str_equal (posix, "C") || g_str_equal (posix, "POSIX") || g_str_has_prefix (posix, "C."))
    return NULL;

  locale = g_strdup (posix);
  if ((dot = strpbrk (locale, ".@")) != NULL)
    *dot = '\0';

  return locale;
}

/**
 * relay_format_money_for_locale:
 * @money: the amount
 * @locale: (nullable): an ICU or POSIX locale, `de_DE`; %NULL for the plain format
 *
 * Returns: (transfer full): the amount as the locale writes money, e.g.
 *   “17.998 ¥” in de_DE; “179.98 USD” without a locale or when ICU cannot
 */
char *
relay_format_money_for_locale (const RelayMoney *money,
                               const char       *locale)
{
  g_autofree char *icu_locale = dup_icu_locale (locale);
  g_autofree char *amount = NULL;
  UErrorCode status = U_ZERO_ERROR;
  UNumberFormat *format;
  UChar currency[4];
  UChar text[64];
  int32_t length;

  g_return_val_if_fail (money != NULL, NULL);

  if (icu_locale == NULL)
    return relay_money_format_display (money);

  amount = relay_money_format (money);
  format = unum_open (UNUM_CURRENCY, NULL, 0, icu_locale, NULL, &status);
  u_charsToUChars (money->currency, currency, 3);
  currency[3] = 0;
  unum_setTextAttribute (format, UNUM_CURRENCY_CODE, currency, 3, &status);
  /* The currency's own decimals: none for yen, two for euros. */
  unum_setAttribute (format, UNUM_FRACTION_DIGITS, ucurr_getDefaultFractionDigits (currency, &status));
  length = unum_formatDecimal (format, amount, -1, text, G_N_ELEMENTS (text), NULL, &status);
  unum_close (format);
  if (U_FAILURE (status) || length <= 0 || length >= (int32_t) G_N_ELEMENTS (text))
    return relay_money_format_display (money);

  return g_utf16_to_utf8 ((const gunichar2 *) text, length, NULL, NULL, NULL);
}

/**
 * relay_format_money:
 * @money: the amount
 *
 * Returns: (transfer full): the amount in the merchant's locale (LC_MONETARY)
 */
char *
relay_format_money (const RelayMoney *money)
{
  return relay_format_money_for_locale (money, setlocale (LC_MONETARY, NULL));
}

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label != NULL ? label : "", -1);
}

/* The title of an AdwStatusPage / AdwPreferencesPage / AdwPreferencesRow names its inner part. */
static void
title_changed_cb (GObject    *owner,
                  GParamSpec *pspec,
                  GtkWidget  *inner)
{
  g_autofree char *title = NULL;

  g_object_get (owner, "title", &title, NULL);
  set_label (inner, title);
}

static gboolean
has_title (GtkWidget *widget)
{
  g_autofree char *title = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "title") == NULL)
    return FALSE;
  g_object_get (widget, "title", &title, NULL);
  return title != NULL && *title != '\0';
}

/* Named after @owner's title, or the nearest ancestor's when @owner has none
 * (a wizard page's untitled preferences page). */
static void
name_after_title (GtkWidget *owner,
                  GtkWidget *inner)
{
  for (GtkWidget *up = owner; up != NULL; up = gtk_widget_get_parent (up))
    if (has_title (up))
      {
        owner = up;
        break;
      }
  title_changed_cb (G_OBJECT (owner), NULL, inner);
  g_signal_connect_object (owner, "notify::title", G_CALLBACK (title_changed_cb), inner, 0);
}

/* A combo row's current value is a list item: named after the value shown. */
static void
combo_selection_cb (AdwComboRow *row,
                    GParamSpec  *pspec,
                    GtkWidget   *list)
{
  gpointer item = adw_combo_row_get_selected_item (row);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;
  const char *text = NULL;

  if (item != NULL && GTK_IS_STRING_OBJECT (item))
    text = gtk_string_object_get_string (item);
  else if (item != NULL && expression != NULL && gtk_expression_evaluate (expression, item, &value) &&
           G_VALUE_HOLDS_STRING (&value))
    text = g_value_get_string (&value);
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL; child = gtk_widget_get_next_sibling (child))
    set_label (child, text);
}

static void
name_combo_row (AdwComboRow *row,
                GtkWidget   *list)
{
  name_after_title (GTK_WIDGET (row), list);
  combo_selection_cb (row, NULL, list);
  g_signal_connect_object (row, "notify::selected-item", G_CALLBACK (combo_selection_cb), list, G_CONNECT_AFTER);
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = G_TYPE_CHECK_INSTANCE_TYPE (child, type) ? child : find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An entry row's icon buttons: apply (hidden unless show-apply-button) and a
 * password row's show-text toggle. */
static void
name_entry_row_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        set_label (child, _("Show Text"));
      else if (GTK_IS_BUTTON (child))
        set_label (child, _("Apply"));
      name_entry_row_buttons (child);
    }
}

/**
 * relay_label_unnamed_parts:
 * @root: a widget tree
 *
 * Names the parts libadwaita 1.2 and GTK 4.8 build inside their widgets without
 * a name a screen reader could announce (it would say "scroll pane" or a class
 * name): the scrolled window of a status or preferences page (after the page's
 * title; it takes focus when nothing inside it does), a combo row's value list
 * (after the row and the value shown) and an entry row's icon buttons.
 */
void
relay_label_unnamed_parts (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    relay_label_unnamed_parts (child);

  if (ADW_IS_STATUS_PAGE (root) || ADW_IS_PREFERENCES_PAGE (root))
    {
      GtkWidget *scroller = find_descendant (root, GTK_TYPE_SCROLLED_WINDOW);

      if (scroller != NULL)
        name_after_title (root, scroller);
    }
  else if (ADW_IS_COMBO_ROW (root))
    {
      GtkWidget *list = find_descendant (root, GTK_TYPE_LIST_VIEW);

      if (list != NULL)
        name_combo_row (ADW_COMBO_ROW (root), list);
    }
  else if (ADW_IS_ENTRY_ROW (root))
    name_entry_row_buttons (root);
}

static void
whole_value_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* The value at its whole width: the row's title and subtitle wrap instead. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
whole_value_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  GObject *value = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       GTK_IS_STRING_OBJECT (value) ? gtk_string_object_get_string (GTK_STRING_OBJECT (value)) : "");
}

/**
 * relay_combo_row_show_whole_values:
 * @row: a combo row whose model is a #GtkStringList
 *
 * libadwaita 1.2 ellipsizes the value a combo row shows (“Consumption Tax
 * 10…”): the merchant could not tell two long names apart. The value is
 * shown whole instead; the row's title and subtitle wrap to make room.
 */
void
relay_combo_row_show_whole_values (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (whole_value_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (whole_value_bind_cb), NULL);
  adw_combo_row_set_factory (row, factory);
}
