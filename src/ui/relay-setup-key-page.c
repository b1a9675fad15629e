/* relay-setup-key-page.c — what both "Connect …" pages share
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-credentials.h"
#include "relay-error.h"
#include "relay-setup-key-page.h"
#include "relay-setup-wizard-private.h"

typedef enum
{
  STATUS_NONE,
  STATUS_SUCCESS,
  STATUS_ERROR,
  STATUS_INFO,
} Status;

typedef struct
{
  /* Template widgets */
  AdwPreferencesGroup *instructions_group;
  AdwPreferencesGroup *stored_group;
  AdwActionRow        *stored_row;
  AdwPasswordEntryRow *key_row;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;
  GtkButton           *stop_button;
  GtkButton           *verify_button;

  /* Borrowed */
  GtkWidget           *instructions;

  /* Owned */
  GCancellable        *cancellable;
  char                *verified_key;
  char                *verified_name;
  char                *stored_name;
  char                *status_text;
  Status               status;
  gboolean             looked_up;
  gboolean             stored;
  gboolean             disposed;
} RelaySetupKeyPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RelaySetupKeyPage, relay_setup_key_page, RELAY_TYPE_SETUP_PAGE)

enum {
  PROP_0,
  PROP_INSTRUCTIONS,
  PROP_KEY_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static RelaySetupStore
get_store (RelaySetupKeyPage *self)
{
  const char *store = RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->store;

  return g_str_equal (store, "tradegecko") ? RELAY_SETUP_STORE_TRADEGECKO : RELAY_SETUP_STORE_SQUARESPACE;
}

static RelayService
get_service (RelaySetupKeyPage *self)
{
  return get_store (self) == RELAY_SETUP_STORE_TRADEGECKO ? RELAY_SERVICE_TRADEGECKO : RELAY_SERVICE_SQUARESPACE;
}

static RelayCredentials *
get_credentials (RelaySetupKeyPage *self)
{
  return _relay_setup_wizard_get_credentials (relay_setup_page_get_wizard (RELAY_SETUP_PAGE (self)));
}

/* An answer may arrive after the page was disposed or the wizard closed. */
static gboolean
is_gone (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  return priv->disposed || relay_setup_page_get_wizard (RELAY_SETUP_PAGE (self)) == NULL;
}

static const char *
get_entry_text (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  return gtk_editable_get_text (GTK_EDITABLE (priv->key_row));
}

/* Pasted keys often carry a stray space or line break. */
static char *
dup_entered_key (RelaySetupKeyPage *self)
{
  return g_strstrip (g_strdup (get_entry_text (self)));
}

static gboolean
entry_holds_verified_key (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  g_autofree char *key = dup_entered_key (self);

  return priv->verified_key != NULL && g_str_equal (key, priv->verified_key);
}

static void
show_status (RelaySetupKeyPage *self,
             Status             status,
             const char        *title,
             const char        *detail)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  static const char * const icons[] = {
    [STATUS_NONE] = NULL,
    [STATUS_SUCCESS] = "emblem-ok-symbolic",
    [STATUS_ERROR] = "dialog-error-symbolic",
    [STATUS_INFO] = "dialog-information-symbolic",
  };
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped_detail = NULL;

  priv->status = status;
  g_clear_pointer (&priv->status_text, g_free);
  if (status != STATUS_NONE)
    priv->status_text = g_strdup_printf ("%s\n%s", title, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->status_row), status != STATUS_NONE);
  if (status == STATUS_NONE)
    return;

  /* Row titles and subtitles are markup; names and server text are not. */
  escaped_title = g_markup_escape_text (title, -1);
  escaped_detail = detail ? g_markup_escape_text (detail, -1) : NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (priv->status_row), escaped_title);
  adw_action_row_set_subtitle (priv->status_row, escaped_detail ? escaped_detail : "");

  gtk_image_set_from_icon_name (priv->status_icon, icons[status]);
  gtk_widget_remove_css_class (GTK_WIDGET (priv->status_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (priv->status_icon), "error");
  if (status == STATUS_SUCCESS)
    gtk_widget_add_css_class (GTK_WIDGET (priv->status_icon), "success");
  else if (status == STATUS_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (priv->status_icon), "error");

  /* Screen readers announce the outcome of a check without moving focus. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->status_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail ? detail : "",
                                  -1);
}

static void
update_state (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  RelaySetupPage *page = RELAY_SETUP_PAGE (self);
  RelaySetupWizard *wizard = relay_setup_page_get_wizard (page);
  g_autofree char *key = dup_entered_key (self);
  gboolean busy = relay_setup_page_get_busy (page);
  gboolean pending = entry_holds_verified_key (self);
  const char *connection;

  relay_setup_page_set_complete (page, pending || (*key == '\0' && priv->stored_name != NULL));
  relay_setup_page_set_can_verify (page, *key != '\0' && !pending);

  gtk_widget_set_visible (GTK_WIDGET (priv->stored_group), priv->stored);
  gtk_widget_set_visible (GTK_WIDGET (priv->stop_button), busy);
  /* Read-only rather than insensitive: a focused GtkText made insensitive
   * never gets its focus-out (GTK 4.8), and keyboard focus stays put. */
  gtk_editable_set_editable (GTK_EDITABLE (priv->key_row), !busy && !relay_setup_page_get_applying (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "key.disconnect",
                                 priv->stored && !busy && !relay_setup_page_get_applying (page));

  if (priv->stored_name != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("Connected to “%s”. Paste a new key below to replace it, "
                                                     "or disconnect to remove it."), priv->stored_name);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (priv->stored_row, escaped);
    }

  connection = pending ? priv->verified_name : priv->stored_name;
  if (wizard != NULL)
    _relay_setup_wizard_set_connection (wizard, get_store (self), connection);
}

static void
set_busy (RelaySetupKeyPage *self,
          gboolean           busy)
{
  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), busy);
  update_state (self);
}

static GCancellable *
restart_cancellable (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  RelaySetupWizard *wizard = relay_setup_page_get_wizard (RELAY_SETUP_PAGE (self));

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();

  /* Closing the wizard stops whatever the page is doing. */
  if (wizard != NULL)
    g_cancellable_connect (_relay_setup_wizard_get_cancellable (wizard),
                           G_CALLBACK (g_cancellable_cancel),
                           g_object_ref (priv->cancellable), g_object_unref);

  return priv->cancellable;
}

static char *
describe_error (RelaySetupKeyPage *self,
                const GError      *error)
{
  RelaySetupKeyPageClass *klass = RELAY_SETUP_KEY_PAGE_GET_CLASS (self);

  if (klass->describe_error != NULL)
    return klass->describe_error (self, error);

  return relay_setup_key_page_describe_common_error (self, error);
}

/* Verifying what the merchant pasted */

static void
entered_key_verified_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RelaySetupKeyPage) self = user_data;
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *more = NULL;
  g_autofree char *detail = NULL;

  name = RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->verify_key_finish (self, result, &error);
  if (is_gone (self))
    return;

  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);

  if (error != NULL)
    {
      g_autofree char *advice = NULL;

      g_clear_pointer (&priv->verified_key, g_free);
      g_clear_pointer (&priv->verified_name, g_free);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_status (self, STATUS_INFO, _("Verification stopped"),
                       _("The key was not checked. Press Verify to try again."));
        }
      else
        {
          advice = describe_error (self, error);
          /* relay_error_is_transient(): the service, not the key, is the problem. */
          show_status (self, STATUS_ERROR,
                       relay_error_is_transient (error) ? _("The key could not be checked")
                                                        : _("This key does not work"),
                       advice);
        }

      update_state (self);
      return;
    }

  g_free (priv->verified_name);
  priv->verified_name = g_steal_pointer (&name);

  title = g_strdup_printf (_("Connected to “%s”"), priv->verified_name);
  if (RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->describe_success != NULL)
    more = RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->describe_success (self);
  detail = g_strconcat (_("The key works. It is saved in your keyring when you press Next."),
                        more != NULL ? " " : "", more, NULL);
  show_status (self, STATUS_SUCCESS, title, detail);
  update_state (self);
}

static void
relay_setup_key_page_verify (RelaySetupPage *page)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (page);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  g_autofree char *key = dup_entered_key (self);
  g_autofree char *detail = NULL;
  GCancellable *cancellable;

  if (*key == '\0' || relay_setup_page_get_busy (page))
    return;

  cancellable = restart_cancellable (self);

  g_free (priv->verified_key);
  priv->verified_key = g_strdup (key);
  g_clear_pointer (&priv->verified_name, g_free);

  detail = g_strdup_printf (_("Asking %s who this key belongs to."),
                            RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->display_name);
  show_status (self, STATUS_INFO, _("Verifying…"), detail);
  set_busy (self, TRUE);

  /* Until verified_name is set, entry_holds_verified_key() is not enough to
   * complete the page: busy keeps Next disabled meanwhile. */
  RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->verify_key_async (self, key, cancellable,
                                                          entered_key_verified_cb,
                                                          g_object_ref (self));
}

static void
relay_setup_key_page_stop (RelaySetupPage *page)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (page);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
}

/* The key already in the keyring (when the wizard is re-run) */

static void
stored_key_verified_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(RelaySetupKeyPage) self = user_data;
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  name = RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->verify_key_finish (self, result, &error);
  if (is_gone (self))
    return;

  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);

  if (error != NULL)
    {
      g_autofree char *advice = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_status (self, STATUS_INFO, _("The stored key was not checked"),
                       _("Go back and forth to check it again, or paste a new key."));
        }
      else
        {
          advice = describe_error (self, error);
          show_status (self, STATUS_ERROR, _("The stored key does not work"), advice);
        }
    }
  else
    {
      g_free (priv->stored_name);
      priv->stored_name = g_steal_pointer (&name);
      show_status (self, STATUS_NONE, NULL, NULL);
    }

  update_state (self);
}

static void
stored_key_looked_up_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(RelaySetupKeyPage) self = user_data;
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  RelaySetupKeyPageClass *klass = RELAY_SETUP_KEY_PAGE_GET_CLASS (self);
  RelaySetupWizard *wizard;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = relay_credentials_lookup_finish (RELAY_CREDENTIALS (object), result, &error);
  wizard = relay_setup_page_get_wizard (RELAY_SETUP_PAGE (self));
  if (priv->disposed || wizard == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);
      show_status (self, STATUS_ERROR, _("The keyring cannot be read"), error->message);
      update_state (self);
      return;
    }

  if (key == NULL)
    {
      priv->stored = FALSE;
      relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);
      if (relay_setup_wizard_get_demo (wizard) && *get_entry_text (self) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (priv->key_row), klass->demo_key);
      update_state (self);
      return;
    }

  priv->stored = TRUE;
  show_status (self, STATUS_INFO, _("Checking the stored key…"), NULL);
  update_state (self);
  klass->verify_key_async (self, key, priv->cancellable, stored_key_verified_cb, g_object_ref (self));
}

static void
relay_setup_key_page_shown (RelaySetupPage *page)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (page);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  GCancellable *cancellable;

  gtk_widget_grab_focus (GTK_WIDGET (priv->key_row));

  /* Looked up once; again only while a stored key has not passed its check
   * (stopped, or the network was down), so coming back retries it. */
  if (relay_setup_page_get_busy (page) ||
      (priv->looked_up && !(priv->stored && priv->stored_name == NULL)))
    {
      update_state (self);
      return;
    }
  priv->looked_up = TRUE;

  cancellable = restart_cancellable (self);
  set_busy (self, TRUE);
  relay_credentials_lookup_async (get_credentials (self),
                                  get_service (self),
                                  RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->get_url (self),
                                  cancellable,
                                  stored_key_looked_up_cb,
                                  g_object_ref (self));
}

/* Keeping the verified key */

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySetupKeyPage *self = g_task_get_source_object (task);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (!relay_credentials_store_finish (RELAY_CREDENTIALS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (is_gone (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  priv->stored = TRUE;
  g_free (priv->stored_name);
  priv->stored_name = g_steal_pointer (&priv->verified_name);
  g_clear_pointer (&priv->verified_key, g_free);

  /* The key now lives in the keyring only. */
  gtk_editable_set_text (GTK_EDITABLE (priv->key_row), "");
  show_status (self, STATUS_NONE, NULL, NULL);
  update_state (self);

  g_task_return_boolean (task, TRUE);
}

static void
relay_setup_key_page_apply_async (RelaySetupPage      *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (page);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  RelaySetupKeyPageClass *klass = RELAY_SETUP_KEY_PAGE_GET_CLASS (self);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_setup_key_page_apply_async);

  if (!entry_holds_verified_key (self) || priv->verified_name == NULL)
    {
      /* Moving on with the key that is already stored. */
      g_task_return_boolean (task, TRUE);
      return;
    }

  update_state (self);
  relay_credentials_store_async (get_credentials (self),
                                 get_service (self),
                                 klass->get_url (self),
                                 priv->verified_key,
                                 cancellable,
                                 key_stored_cb,
                                 g_steal_pointer (&task));
}

static gboolean
relay_setup_key_page_apply_finish (RelaySetupPage  *page,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Removing the stored key */

static void
key_cleared_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RelaySetupKeyPage) self = user_data;
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  relay_credentials_clear_finish (RELAY_CREDENTIALS (object), result, &error);
  if (is_gone (self))
    return;

  relay_setup_page_set_busy (RELAY_SETUP_PAGE (self), FALSE);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, STATUS_ERROR, _("The key could not be removed"), error->message);
      update_state (self);
      return;
    }

  priv->stored = FALSE;
  g_clear_pointer (&priv->stored_name, g_free);
  show_status (self, STATUS_INFO, _("Disconnected"),
               _("The key was removed from your keyring. Paste a key to connect again."));
  update_state (self);
}

static void
key_disconnect_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (widget);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);
  GCancellable *cancellable;

  if (!priv->stored || relay_setup_page_get_busy (RELAY_SETUP_PAGE (self)))
    return;

  cancellable = restart_cancellable (self);
  set_busy (self, TRUE);
  relay_credentials_clear_async (get_credentials (self),
                                 get_service (self),
                                 RELAY_SETUP_KEY_PAGE_GET_CLASS (self)->get_url (self),
                                 cancellable,
                                 key_cleared_cb,
                                 g_object_ref (self));
}

static void
key_changed_cb (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_assert (RELAY_IS_SETUP_KEY_PAGE (self));

  /* A key edited after its check must be checked again. */
  if (priv->verified_key != NULL && !entry_holds_verified_key (self) &&
      !relay_setup_page_get_busy (RELAY_SETUP_PAGE (self)))
    {
      g_clear_pointer (&priv->verified_key, g_free);
      g_clear_pointer (&priv->verified_name, g_free);
      show_status (self, STATUS_NONE, NULL, NULL);
    }

  update_state (self);
}

static void
key_activated_cb (RelaySetupKeyPage *self)
{
  g_assert (RELAY_IS_SETUP_KEY_PAGE (self));

  /* Enter verifies a new key, or moves on once it is verified. */
  if (relay_setup_page_get_can_verify (RELAY_SETUP_PAGE (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.verify", NULL);
  else if (relay_setup_page_get_complete (RELAY_SETUP_PAGE (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
relay_setup_key_page_dispose (GObject *object)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (object);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  priv->disposed = TRUE;
  g_cancellable_cancel (priv->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SETUP_KEY_PAGE);

  G_OBJECT_CLASS (relay_setup_key_page_parent_class)->dispose (object);
}

static void
relay_setup_key_page_finalize (GObject *object)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (object);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->verified_key, g_free);
  g_clear_pointer (&priv->verified_name, g_free);
  g_clear_pointer (&priv->stored_name, g_free);
  g_clear_pointer (&priv->status_text, g_free);

  G_OBJECT_CLASS (relay_setup_key_page_parent_class)->finalize (object);
}

static void
relay_setup_key_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (object);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_INSTRUCTIONS:
      g_value_set_object (value, priv->instructions);
      break;

    case PROP_KEY_TITLE:
      g_value_set_string (value, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (priv->key_row)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_setup_key_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RelaySetupKeyPage *self = RELAY_SETUP_KEY_PAGE (object);
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_INSTRUCTIONS:
      relay_setup_key_page_set_instructions (self, g_value_get_object (value));
      break;

    case PROP_KEY_TITLE:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (priv->key_row), g_value_get_string (value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (priv->key_row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, g_value_get_string (value),
                                      -1);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_setup_key_page_class_init (RelaySetupKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  RelaySetupPageClass *page_class = RELAY_SETUP_PAGE_CLASS (klass);

  object_class->dispose = relay_setup_key_page_dispose;
  object_class->finalize = relay_setup_key_page_finalize;
  object_class->get_property = relay_setup_key_page_get_property;
  object_class->set_property = relay_setup_key_page_set_property;

  page_class->shown = relay_setup_key_page_shown;
  page_class->verify = relay_setup_key_page_verify;
  page_class->stop = relay_setup_key_page_stop;
  page_class->apply_async = relay_setup_key_page_apply_async;
  page_class->apply_finish = relay_setup_key_page_apply_finish;

  /**
   * RelaySetupKeyPage:instructions:
   *
   * The steps that tell the merchant where to find the key.
   */
  properties[PROP_INSTRUCTIONS] =
    g_param_spec_object ("instructions", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupKeyPage:key-title:
   *
   * The label of the key entry, with a mnemonic.
   */
  properties[PROP_KEY_TITLE] =
    g_param_spec_string ("key-title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-key-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, instructions_group);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, stored_group);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, stored_row);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, key_row);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, status_row);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, status_icon);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, stop_button);
  gtk_widget_class_bind_template_child_private (widget_class, RelaySetupKeyPage, verify_button);

  gtk_widget_class_install_action (widget_class, "key.disconnect", NULL, key_disconnect_action);
}

static void
relay_setup_key_page_init (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (priv->key_row, "changed", G_CALLBACK (key_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->key_row, "entry-activated", G_CALLBACK (key_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::applying", G_CALLBACK (update_state), NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "key.disconnect", FALSE);
}

/**
 * relay_setup_key_page_describe_common_error:
 * @self: a #RelaySetupKeyPage
 * @error: what verifying a key failed with
 *
 * Returns: (transfer full): advice the merchant can act on
 */
char *
relay_setup_key_page_describe_common_error (RelaySetupKeyPage *self,
                                            const GError      *error)
{
  RelaySetupKeyPageClass *klass;
  const char *service;

  g_return_val_if_fail (RELAY_IS_SETUP_KEY_PAGE (self), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  klass = RELAY_SETUP_KEY_PAGE_GET_CLASS (self);
  service = klass->display_name;

  if (error->domain != RELAY_ERROR)
    return g_strdup (error->message);

  switch ((RelayError) error->code)
    {
    case RELAY_ERROR_NETWORK:
      if (!g_network_monitor_get_network_available (g_network_monitor_get_default ()))
        return g_strdup (_("Your computer is offline. Connect to the internet, then press Verify again."));
      /* Translators: the first %s is TradeGecko or Squarespace, the second its address */
      return g_strdup_printf (_("%s could not be reached at %s. Check your internet connection; if it works, "
                                "the service may be down — try again in a few minutes."),
                              service, klass->get_url (self));

    case RELAY_ERROR_UNAUTHORIZED:
      return g_strdup_printf (_("%s refused this key. Check that you copied all of it, or create a new key "
                                "and paste that one."), service);

    case RELAY_ERROR_SERVER:
      return g_strdup_printf (_("%s is having trouble right now. Your key was not rejected; try again in a few minutes."),
                              service);

    case RELAY_ERROR_RATE_LIMITED:
      return g_strdup_printf (_("%s asked Order Relay to slow down. Wait a minute, then press Verify again."),
                              service);

    case RELAY_ERROR_MALFORMED_RESPONSE:
    case RELAY_ERROR_NOT_FOUND:
      return g_strdup_printf (_("The service at %s does not answer like %s. Check the address in the settings."),
                              klass->get_url (self), service);

    case RELAY_ERROR_FORBIDDEN:
    case RELAY_ERROR_SITE_EXPIRED:
    case RELAY_ERROR_INVALID_REQUEST:
    case RELAY_ERROR_NOT_CONNECTED:
    case RELAY_ERROR_INSECURE_URL:
    case RELAY_ERROR_STATE:
    case RELAY_ERROR_REJECTED:
    case RELAY_ERROR_KEYRING:
    default:
      /* The core's messages are already written for the merchant. */
      return g_strdup (error->message);
    }
}

/**
 * relay_setup_key_page_get_instructions:
 * @self: a #RelaySetupKeyPage
 *
 * Returns: (transfer none) (nullable): the instructions widget
 */
GtkWidget *
relay_setup_key_page_get_instructions (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_KEY_PAGE (self), NULL);

  return priv->instructions;
}

void
relay_setup_key_page_set_instructions (RelaySetupKeyPage *self,
                                       GtkWidget         *instructions)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_return_if_fail (RELAY_IS_SETUP_KEY_PAGE (self));
  g_return_if_fail (!instructions || GTK_IS_WIDGET (instructions));

  if (priv->instructions == instructions)
    return;

  if (priv->instructions != NULL)
    adw_preferences_group_remove (priv->instructions_group, priv->instructions);

  priv->instructions = instructions;

  if (instructions != NULL)
    adw_preferences_group_add (priv->instructions_group, instructions);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTRUCTIONS]);
}

/**
 * relay_setup_key_page_get_stored:
 * @self: a #RelaySetupKeyPage
 *
 * Returns: whether a key for this store is in the keyring
 */
gboolean
relay_setup_key_page_get_stored (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_KEY_PAGE (self), FALSE);

  return priv->stored;
}

/**
 * relay_setup_key_page_get_status:
 * @self: a #RelaySetupKeyPage
 *
 * Returns: (transfer none) (nullable): the outcome of the last check as shown,
 *   title and advice separated by a newline, or %NULL when nothing is shown
 */
const char *
relay_setup_key_page_get_status (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_KEY_PAGE (self), NULL);

  return priv->status_text;
}

/**
 * relay_setup_key_page_get_failed:
 * @self: a #RelaySetupKeyPage
 *
 * Returns: whether the page shows an error
 */
gboolean
relay_setup_key_page_get_failed (RelaySetupKeyPage *self)
{
  RelaySetupKeyPagePrivate *priv = relay_setup_key_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_KEY_PAGE (self), FALSE);

  return priv->status == STATUS_ERROR;
}
