/* relay-alias-dialog.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-alias-dialog.h"
#include "relay-mapping.h"

/*
 * Asks for the TradeGecko SKU a Squarespace SKU stands for. The TradeGecko
 * SKU is checked as it is typed (exactly one active item must have it, so a
 * typo cannot be saved), and what is typed also searches TradeGecko's items
 * to pick from. The caller saves the alias on the "add" response. Given the
 * order line's Squarespace variant, it also offers an alias for that variant
 * alone (`variant:` and its id), for a SKU several variants share.
 */

#define SEARCH_DELAY_MS 300
#define SEARCH_MAX_ROWS 8

struct _RelayAliasDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkEditable      *store_sku_entry;
  GtkEditable      *tradegecko_sku_entry;
  GtkCheckButton   *variant_check;
  GtkLabel         *status_label;
  GtkListBox       *matches;

  /* Owned */
  RelayOrderDestination *destination;
  char             *variant_id;      /* the Squarespace variant offered, or NULL */
  GCancellable     *check_cancellable;
  GCancellable     *search_cancellable;
  guint             search_source;
  gboolean          sku_checked;     /* the TradeGecko SKU may be saved */
};

G_DEFINE_FINAL_TYPE (RelayAliasDialog, relay_alias_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
dup_stripped (GtkEditable *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

static void
update_response (RelayAliasDialog *self)
{
  g_autofree char *store_sku = dup_stripped (self->store_sku_entry);
  g_autofree char *tradegecko_sku = dup_stripped (self->tradegecko_sku_entry);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add",
                                           *store_sku != '\0' && *tradegecko_sku != '\0' && self->sku_checked);
}

static void
set_status (RelayAliasDialog *self,
            const char       *text,
            const char       *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
  gtk_label_set_label (self->status_label, text);
}

/* ------------------------------------------------------------------------ */
/* The exact check                                                           */

static void
variants_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RelayAliasDialog *self = user_data;   /* alive: closing the dialog cancels the look-up */
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(GError) error = NULL;
  const RelayVariant *found = NULL;
  guint n_active = 0;

  variants = relay_order_destination_find_variants_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  /* Only the answer for what the entry says now counts, and only while the dialog is open. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (variants == NULL)
    {
      /* TradeGecko cannot be asked now: the merchant may still save the alias. */
      g_autofree char *text = g_strdup_printf (_("Could not check in TradeGecko: %s"), error->message);

      self->sku_checked = TRUE;
      set_status (self, text, NULL);
      update_response (self);
      return;
    }

  for (guint i = 0; i < variants->len; i++)
    {
      const RelayVariant *variant = g_ptr_array_index (variants, i);

      if (variant->active)
        {
          found = variant;
          n_active++;
        }
    }

  self->sku_checked = n_active == 1;
  if (n_active == 1)
    {
      g_autofree char *label = relay_variant_dup_label (found);
      /* Translators: %s is a TradeGecko item, “Japanese Sencha — 200 g” */
      g_autofree char *text = g_strdup_printf (_("TradeGecko: %s"), label);

      set_status (self, text, "success");
    }
  else
    set_status (self, n_active == 0 ? _("No active TradeGecko item has exactly this SKU")
                                    : _("Several active TradeGecko items have this SKU"), "error");
  update_response (self);
}

static void
check_sku (RelayAliasDialog *self,
           const char       *sku)
{
  const char *skus[] = { sku, NULL };

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->sku_checked = FALSE;

  if (*sku == '\0')
    {
      set_status (self, "", NULL);
      return;
    }
  if (self->destination == NULL)
    {
      self->sku_checked = TRUE;
      set_status (self, _("Not checked: TradeGecko is not connected"), NULL);
      return;
    }

  set_status (self, _("Looking the SKU up in TradeGecko…"), NULL);
  self->check_cancellable = g_cancellable_new ();
  relay_order_destination_find_variants_async (self->destination, skus, self->check_cancellable,
                                               variants_found_cb, self);
}

/* ------------------------------------------------------------------------ */
/* The search                                                                */

static void
clear_matches (RelayAliasDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->matches))) != NULL)
    gtk_list_box_remove (self->matches, child);
  gtk_widget_set_visible (GTK_WIDGET (self->matches), FALSE);
}

static GtkWidget *
match_row_new (const RelayVariant *variant)
{
  g_autofree char *subtitle = relay_variant_dup_label (variant);
  GtkWidget *row = adw_action_row_new ();

  if (variant->available_stock != NULL)
    {
      /* Translators: a TradeGecko item's product — variant name, then its available stock. */
      g_autofree char *with_stock = g_strdup_printf (_("%s · %s available"), subtitle, variant->available_stock);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_stock);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), variant->sku);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  return row;
}

static void
variants_searched_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RelayAliasDialog *self = user_data;   /* alive: closing the dialog cancels the search */
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = 0;

  variants = relay_order_destination_search_variants_finish (RELAY_ORDER_DESTINATION (object), result, &error);
  /* A newer search replaced this one, or the dialog is closed. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_matches (self);
  if (variants == NULL)
    {
      /* The exact check below the entry says what is wrong with TradeGecko. */
      g_debug ("TradeGecko variant search failed: %s", error->message);
      return;
    }

  for (guint i = 0; i < variants->len && n_rows < SEARCH_MAX_ROWS; i++)
    {
      const RelayVariant *variant = g_ptr_array_index (variants, i);

      /* An item without a SKU cannot be the target of an alias. */
      if (variant->sku == NULL)
        continue;
      gtk_list_box_append (self->matches, match_row_new (variant));
      n_rows++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->matches), n_rows > 0);
}

static gboolean
search_cb (gpointer user_data)
{
  RelayAliasDialog *self = user_data;
  g_autofree char *query = dup_stripped (self->tradegecko_sku_entry);

  self->search_source = 0;
  if (self->destination == NULL || *query == '\0')
    {
      clear_matches (self);
      return G_SOURCE_REMOVE;
    }

  self->search_cancellable = g_cancellable_new ();
  relay_order_destination_search_variants_async (self->destination, query, self->search_cancellable,
                                                 variants_searched_cb, self);

  return G_SOURCE_REMOVE;
}

/* Searches for what the entry says now, after a pause in typing. */
static void
restart_search (RelayAliasDialog *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  /* The rows shown stay until the new answer replaces them: this may run while one is activated. */
  self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_cb, self);
}

/* ------------------------------------------------------------------------ */

static void
tradegecko_sku_changed_cb (RelayAliasDialog *self)
{
  g_autofree char *sku = dup_stripped (self->tradegecko_sku_entry);

  restart_search (self);
  check_sku (self, sku);
  update_response (self);
}

static void
match_activated_cb (RelayAliasDialog *self,
                    GtkListBoxRow    *row)
{
  g_autofree char *sku = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  /* The entry's change checks the SKU exactly, as if it was typed. */
  gtk_editable_set_text (self->tradegecko_sku_entry, sku);
  gtk_editable_set_position (self->tradegecko_sku_entry, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->tradegecko_sku_entry));
}

static void
relay_alias_dialog_dispose (GObject *object)
{
  RelayAliasDialog *self = RELAY_ALIAS_DIALOG (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->destination);
  g_clear_pointer (&self->variant_id, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_ALIAS_DIALOG);

  G_OBJECT_CLASS (relay_alias_dialog_parent_class)->dispose (object);
}

static void
relay_alias_dialog_class_init (RelayAliasDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_alias_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-alias-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayAliasDialog, store_sku_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayAliasDialog, tradegecko_sku_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayAliasDialog, variant_check);
  gtk_widget_class_bind_template_child (widget_class, RelayAliasDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, RelayAliasDialog, matches);
}

static void
relay_alias_dialog_init (RelayAliasDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add Alias"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", FALSE);

  g_signal_connect_object (self->store_sku_entry, "changed", G_CALLBACK (update_response), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tradegecko_sku_entry, "changed", G_CALLBACK (tradegecko_sku_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->matches, "row-activated", G_CALLBACK (match_activated_cb), self, G_CONNECT_SWAPPED);
}

/**
 * relay_alias_dialog_new:
 * @parent: the window it is modal over
 * @destination: (nullable): the connected TradeGecko client, to check and search SKUs
 * @store_sku: (nullable): the Squarespace SKU to fill in
 *
 * Returns: (transfer none): the dialog, owned by the window list
 */
RelayAliasDialog *
relay_alias_dialog_new (GtkWindow             *parent,
                        RelayOrderDestination *destination,
                        const char            *store_sku)
{
  RelayAliasDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (destination == NULL || RELAY_IS_ORDER_DESTINATION (destination), NULL);

  self = g_object_new (RELAY_TYPE_ALIAS_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  g_set_object (&self->destination, destination);
  gtk_editable_set_text (self->store_sku_entry, store_sku != NULL ? store_sku : "");
  /* What is missing is typed first. */
  gtk_widget_grab_focus (GTK_WIDGET (store_sku != NULL && *store_sku != '\0' ? self->tradegecko_sku_entry
                                                                             : self->store_sku_entry));

  return self;
}

/**
 * relay_alias_dialog_set_variant:
 * @self: a #RelayAliasDialog
 * @variant_id: the Squarespace variant id of the order line
 * @variant_label: (nullable): what the merchant calls it (“Size: Large”)
 *
 * Offers an alias for this variant alone, off at first: the SKU stays the
 * default, as most SKUs belong to one variant.
 */
void
relay_alias_dialog_set_variant (RelayAliasDialog *self,
                                const char       *variant_id,
                                const char       *variant_label)
{
  g_autofree char *label = NULL;

  g_return_if_fail (RELAY_IS_ALIAS_DIALOG (self));
  g_return_if_fail (variant_id != NULL && *variant_id != '\0');

  g_free (self->variant_id);
  self->variant_id = g_strdup (variant_id);
  if (variant_label != NULL && *variant_label != '\0')
    /* Translators: %s is the variant's options, e.g. "Size: Large" */
    label = g_strdup_printf (_("_Only for this variant (%s), not every item with this SKU"), variant_label);
  else
    label = g_strdup (_("_Only for this variant, not every item with this SKU"));
  gtk_check_button_set_label (self->variant_check, label);
  gtk_check_button_set_active (self->variant_check, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->variant_check), TRUE);
}

/**
 * relay_alias_dialog_dup_store_sku:
 *
 * Returns: (transfer full): the alias key: the Squarespace SKU without
 *   surrounding blanks, or `variant:` and the variant's id when the alias is
 *   for that variant alone
 */
char *
relay_alias_dialog_dup_store_sku (RelayAliasDialog *self)
{
  g_return_val_if_fail (RELAY_IS_ALIAS_DIALOG (self), NULL);

  if (self->variant_id != NULL && gtk_check_button_get_active (self->variant_check))
    return g_strconcat (RELAY_ALIAS_VARIANT_PREFIX, self->variant_id, NULL);

  return dup_stripped (self->store_sku_entry);
}

/**
 * relay_alias_dialog_dup_tradegecko_sku:
 *
 * Returns: (transfer full): the TradeGecko SKU, without surrounding blanks
 */
char *
relay_alias_dialog_dup_tradegecko_sku (RelayAliasDialog *self)
{
  g_return_val_if_fail (RELAY_IS_ALIAS_DIALOG (self), NULL);

  return dup_stripped (self->tradegecko_sku_entry);
}
