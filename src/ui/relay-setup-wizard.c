/* relay-setup-wizard.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "relay-setup-page.h"
#include "relay-setup-page-done.h"
#include "relay-setup-page-flow.h"
#include "relay-setup-page-squarespace.h"
#include "relay-setup-page-test-order.h"
#include "relay-setup-page-tradegecko.h"
#include "relay-setup-page-welcome.h"
#include "relay-setup-wizard-private.h"
#include "relay-ui-utils.h"

struct _RelaySetupWizard
{
  AdwWindow         parent_instance;

  /* Template widgets */
  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkButton        *cancel_button;
  GtkButton        *back_button;
  GtkButton        *next_button;
  GtkSpinner       *spinner;
  GtkStack         *stack;

  /* Borrowed: the stack's pages, in order */
  GPtrArray        *pages;

  /* Owned */
  RelayContext     *context;
  GSettings        *settings;         /* the context's */
  RelayStore       *store;
  RelayCredentials *credentials;
  GCancellable     *cancellable;
  char             *squarespace_url;
  char             *tradegecko_url;
  char             *connection[2];
  AdwMessageDialog *discard_dialog;
  gboolean          demo;
  gboolean          closing;
  int               only_page;       /* reconnecting one store: the page that finishes, else -1 */
};

G_DEFINE_FINAL_TYPE (RelaySetupWizard, relay_setup_wizard, ADW_TYPE_WINDOW)


enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_STORE,
  PROP_DEMO,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static RelaySetupPage *
get_current_page (RelaySetupWizard *self)
{
  return RELAY_SETUP_PAGE (gtk_stack_get_visible_child (self->stack));
}

static guint
get_current_index (RelaySetupWizard *self)
{
  guint index = 0;

  if (!g_ptr_array_find (self->pages, get_current_page (self), &index))
    g_assert_not_reached ();

  return index;
}

static void
update_navigation (RelaySetupWizard *self)
{
  RelaySetupPage *page = get_current_page (self);
  guint index = get_current_index (self);
  gboolean first = index == 0;
  gboolean last = index + 1 == self->pages->len;
  gboolean applying = relay_setup_page_get_applying (page);
  gboolean busy = relay_setup_page_get_busy (page);
  g_autofree char *step = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", !first && !applying && !self->closing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 relay_setup_page_get_complete (page) && !applying && !busy && !self->closing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.verify",
                                 relay_setup_page_get_can_verify (page) && !applying && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.stop", busy);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !first);
  /* On the last page the stores are connected: nothing is left to cancel. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !last);
  /* The Done page has its own big "Start Syncing" button. */
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !last);
  gtk_spinner_set_spinning (self->spinner, applying || busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), applying || busy);

  /* Translators: shown under the page title, e.g. "Step 2 of 6" */
  step = self->only_page >= 0 ? g_strdup (_("Reconnect")) : g_strdup_printf (_("Step %u of %u"), index + 1, self->pages->len);
  adw_window_title_set_title (self->window_title, relay_setup_page_get_title (page));
  adw_window_title_set_subtitle (self->window_title, step);
}

static void
go_to_page (RelaySetupWizard *self,
            guint             index)
{
  RelaySetupPage *page;

  g_assert (index < self->pages->len);

  relay_setup_page_stop (get_current_page (self));

  page = g_ptr_array_index (self->pages, index);

  /* Take focus from the page being left first, so its entries get their
   * focus-out before they are hidden. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));

  /* Keyboard users land on the page's first control, not on a header button;
   * a page may move focus to its main control when shown. */
  gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);
  relay_setup_page_shown (page);
  update_navigation (self);
}

static void
finish (RelaySetupWizard *self)
{
  self->closing = TRUE;
  g_signal_emit (self, signals[FINISHED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
page_applied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RelaySetupPage *page = RELAY_SETUP_PAGE (object);
  g_autoptr(RelaySetupWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  guint index;

  if (!relay_setup_page_apply_finish (page, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _relay_setup_wizard_show_toast (self, error->message);
      if (!self->closing)
        update_navigation (self);
      return;
    }

  if (self->closing || page != get_current_page (self))
    return;

  index = get_current_index (self);
  /* Reconnecting one store ends with its page: the rest of the setup still holds. */
  if (index + 1 == self->pages->len || (int) index == self->only_page)
    finish (self);
  else
    go_to_page (self, index + 1);
}

static void
wizard_next_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (widget);
  RelaySetupPage *page = get_current_page (self);

  if (!relay_setup_page_get_complete (page) ||
      relay_setup_page_get_applying (page) ||
      relay_setup_page_get_busy (page))
    return;

  relay_setup_page_apply_async (page, self->cancellable, page_applied_cb, g_object_ref (self));
}

static void
wizard_back_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (widget);
  guint index = get_current_index (self);

  if (index == 0 || relay_setup_page_get_applying (get_current_page (self)))
    return;

  go_to_page (self, index - 1);
}

static void
wizard_verify_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (widget);

  relay_setup_page_verify (get_current_page (self));
}

static void
wizard_stop_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (widget);

  relay_setup_page_stop (get_current_page (self));
}

static gboolean
destroy_in_idle_cb (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
discard_dialog_responded_cb (RelaySetupWizard *self,
                             const char       *response,
                             AdwMessageDialog *dialog)
{
  g_assert (RELAY_IS_SETUP_WIZARD (self));

  self->discard_dialog = NULL;

  if (g_strcmp0 (response, "discard") != 0)
    return;

  self->closing = TRUE;
  g_cancellable_cancel (self->cancellable);
  update_navigation (self);

  /* The dialog still refers to its parent until its response is handled. */
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_in_idle_cb, g_object_ref (self), g_object_unref);
}

static void
wizard_cancel_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (widget);
  AdwMessageDialog *dialog;

  /* The first Escape stops a running check; the wizard stays open. */
  if (relay_setup_page_get_busy (get_current_page (self)))
    {
      relay_setup_page_stop (get_current_page (self));
      return;
    }

  if (self->discard_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->discard_dialog));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Stop Setting Up?"),
                                                       _("What you entered on this step is discarded. "
                                                         "Keys saved on earlier steps stay in your keyring; "
                                                         "change them any time with “Reconnect Stores…” in the main menu.")));
  adw_message_dialog_add_responses (dialog,
                                    "continue", _("C_ontinue Setup"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "continue");
  adw_message_dialog_set_close_response (dialog, "continue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_dialog_responded_cb), self, G_CONNECT_SWAPPED);

  self->discard_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
page_changed_cb (RelaySetupWizard *self,
                 GParamSpec       *pspec,
                 RelaySetupPage   *page)
{
  g_assert (RELAY_IS_SETUP_WIZARD (self));

  if (page == get_current_page (self) && !self->closing)
    update_navigation (self);
}

static gboolean
relay_setup_wizard_close_request (GtkWindow *window)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (window);

  if (self->closing)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.cancel", NULL);
  return GDK_EVENT_STOP;
}

static void
relay_setup_wizard_constructed (GObject *object)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (object);

  G_OBJECT_CLASS (relay_setup_wizard_parent_class)->constructed (object);

  if (self->context == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      self->context = relay_context_new (settings, TRUE);
    }
  self->settings = g_object_ref (relay_context_get_settings (self->context));
  self->credentials = g_object_ref (relay_context_get_credentials (self->context));

  go_to_page (self, 0);
}

static void
relay_setup_wizard_dispose (GObject *object)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (object);

  self->closing = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->discard_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->discard_dialog)));

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SETUP_WIZARD);
  g_clear_pointer (&self->pages, g_ptr_array_unref);

  G_OBJECT_CLASS (relay_setup_wizard_parent_class)->dispose (object);
}

static void
relay_setup_wizard_finalize (GObject *object)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_object (&self->store);
  g_clear_object (&self->credentials);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->squarespace_url, g_free);
  g_clear_pointer (&self->tradegecko_url, g_free);
  g_clear_pointer (&self->connection[RELAY_SETUP_STORE_TRADEGECKO], g_free);
  g_clear_pointer (&self->connection[RELAY_SETUP_STORE_SQUARESPACE], g_free);

  G_OBJECT_CLASS (relay_setup_wizard_parent_class)->finalize (object);
}

static void
relay_setup_wizard_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_setup_wizard_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelaySetupWizard *self = RELAY_SETUP_WIZARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_set_object (&self->context, g_value_get_object (value));
      break;

    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_setup_wizard_class_init (RelaySetupWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = relay_setup_wizard_constructed;
  object_class->dispose = relay_setup_wizard_dispose;
  object_class->finalize = relay_setup_wizard_finalize;
  object_class->get_property = relay_setup_wizard_get_property;
  object_class->set_property = relay_setup_wizard_set_property;

  window_class->close_request = relay_setup_wizard_close_request;

  /**
   * RelaySetupWizard:context:
   *
   * The app's context: its settings (the flow options and the API
   * addresses) and the keyring.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         RELAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupWizard:store:
   *
   * The state store the test-order page reads and writes item aliases in:
   * the application's own (the demo's in demo mode), never one the wizard
   * opens itself. %NULL when it could not be opened; the page says so.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RELAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupWizard:demo:
   *
   * Whether the wizard points at the sandbox with its well-known keys.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelaySetupWizard::finished:
   *
   * The merchant pressed “Start Syncing”: both stores are connected and the
   * settings are saved. The application starts the sync engine.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/relay-setup-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelaySetupWizard, stack);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, wizard_next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, wizard_back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, wizard_cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.verify", NULL, wizard_verify_action);
  gtk_widget_class_install_action (widget_class, "wizard.stop", NULL, wizard_stop_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);

  g_type_ensure (RELAY_TYPE_SETUP_PAGE_WELCOME);
  g_type_ensure (RELAY_TYPE_SETUP_PAGE_TRADEGECKO);
  g_type_ensure (RELAY_TYPE_SETUP_PAGE_SQUARESPACE);
  g_type_ensure (RELAY_TYPE_SETUP_PAGE_FLOW);
  g_type_ensure (RELAY_TYPE_SETUP_PAGE_TEST_ORDER);
  g_type_ensure (RELAY_TYPE_SETUP_PAGE_DONE);
}

static void
relay_setup_wizard_init (RelaySetupWizard *self)
{
  GtkWidget *child;

  self->only_page = -1;
  self->cancellable = g_cancellable_new ();
  self->pages = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_assert (RELAY_IS_SETUP_PAGE (child));

      g_ptr_array_add (self->pages, child);
      g_signal_connect_object (child, "notify::complete", G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (child, "notify::applying", G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (child, "notify::busy", G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (child, "notify::can-verify", G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (child, "notify::title", G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_assert (self->pages->len > 0);
  relay_label_unnamed_parts (GTK_WIDGET (self));
}

/**
 * relay_setup_wizard_new:
 * @parent: (nullable): the main window, kept behind the wizard
 * @context: (nullable): the app's context, or %NULL for one on the default settings
 * @store: (nullable): the state store item aliases are saved in, the
 *   application's; %NULL if it could not be opened
 *
 * Returns: (transfer full): a new #RelaySetupWizard, modal for @parent
 */
RelaySetupWizard *
relay_setup_wizard_new (GtkWindow    *parent,
                        RelayContext *context,
                        RelayStore   *store)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (!context || RELAY_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (!store || RELAY_IS_STORE (store), NULL);

  return g_object_new (RELAY_TYPE_SETUP_WIZARD,
                       "transient-for", parent,
                       "context", context,
                       "store", store,
                       NULL);
}

/**
 * relay_setup_wizard_set_demo:
 * @self: a #RelaySetupWizard
 * @squarespace_url: the sandbox's Squarespace address
 * @tradegecko_url: the sandbox's TradeGecko address
 *
 * Points the wizard at the sandbox and pre-fills its well-known keys. Call it
 * before the wizard is shown.
 */
void
relay_setup_wizard_set_demo (RelaySetupWizard *self,
                             const char       *squarespace_url,
                             const char       *tradegecko_url)
{
  g_return_if_fail (RELAY_IS_SETUP_WIZARD (self));
  g_return_if_fail (squarespace_url != NULL);
  g_return_if_fail (tradegecko_url != NULL);

  g_free (self->squarespace_url);
  self->squarespace_url = g_strdup (squarespace_url);
  g_free (self->tradegecko_url);
  self->tradegecko_url = g_strdup (tradegecko_url);

  if (!self->demo)
    {
      self->demo = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
}

gboolean
relay_setup_wizard_get_demo (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), FALSE);

  return self->demo;
}

/* The demo's sandbox, else the context's address (the environment's override, else the setting). */
static const char *
resolve_url (RelaySetupWizard  *self,
             char             **cached,
             RelayService       service)
{
  if (*cached == NULL)
    *cached = relay_context_dup_url (self->context, service);

  return *cached;
}

/**
 * relay_setup_wizard_get_squarespace_url:
 * @self: a #RelaySetupWizard
 *
 * The Squarespace API address keys are verified against and stored for: the
 * sandbox in demo mode, else `ORDER_RELAY_SQUARESPACE_URL`, else the
 * `squarespace-url` setting.
 *
 * Returns: (transfer none): the base URL
 */
const char *
relay_setup_wizard_get_squarespace_url (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return resolve_url (self, &self->squarespace_url, RELAY_SERVICE_SQUARESPACE);
}

/**
 * relay_setup_wizard_get_tradegecko_url:
 * @self: a #RelaySetupWizard
 *
 * Like relay_setup_wizard_get_squarespace_url(), for TradeGecko
 * (`ORDER_RELAY_TRADEGECKO_URL`, `tradegecko-url`).
 *
 * Returns: (transfer none): the base URL
 */
const char *
relay_setup_wizard_get_tradegecko_url (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return resolve_url (self, &self->tradegecko_url, RELAY_SERVICE_TRADEGECKO);
}

/**
 * relay_setup_wizard_get_settings:
 * @self: a #RelaySetupWizard
 *
 * Returns: (transfer none): the settings the wizard writes
 */
GSettings *
relay_setup_wizard_get_settings (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return self->settings;
}

/**
 * relay_setup_wizard_get_store:
 * @self: a #RelaySetupWizard
 *
 * Returns: (transfer none) (nullable): the state store the wizard was given
 */
RelayStore *
relay_setup_wizard_get_store (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return self->store;
}

/**
 * relay_setup_wizard_get_visible_page_name:
 * @self: a #RelaySetupWizard
 *
 * Returns: (transfer none): `welcome`, `tradegecko`, `squarespace`, `flow`,
 *   `test-order` or `done`
 */
const char *
relay_setup_wizard_get_visible_page_name (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
_relay_setup_wizard_set_connection (RelaySetupWizard *self,
                                    RelaySetupStore   store,
                                    const char       *name)
{
  g_return_if_fail (RELAY_IS_SETUP_WIZARD (self));
  g_return_if_fail (store <= RELAY_SETUP_STORE_SQUARESPACE);

  g_free (self->connection[store]);
  self->connection[store] = g_strdup (name);
}

const char *
_relay_setup_wizard_get_connection (RelaySetupWizard *self,
                                    RelaySetupStore   store)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);
  g_return_val_if_fail (store <= RELAY_SETUP_STORE_SQUARESPACE, NULL);

  return self->connection[store];
}

void
_relay_setup_wizard_show_toast (RelaySetupWizard *self,
                                const char       *message)
{
  g_return_if_fail (RELAY_IS_SETUP_WIZARD (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

GCancellable *
_relay_setup_wizard_get_cancellable (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return self->cancellable;
}

RelayCredentials *
_relay_setup_wizard_get_credentials (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return self->credentials;
}

RelayContext *
_relay_setup_wizard_get_context (RelaySetupWizard *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_WIZARD (self), NULL);

  return self->context;
}

/**
 * relay_setup_wizard_reconnect:
 * @self: a #RelaySetupWizard
 * @page_name: `tradegecko` or `squarespace`
 *
 * Opens the store's page directly, for a new key; the wizard finishes there.
 */
void
relay_setup_wizard_reconnect (RelaySetupWizard *self,
                              const char       *page_name)
{
  GtkWidget *page;
  guint index;

  g_return_if_fail (RELAY_IS_SETUP_WIZARD (self));

  page = gtk_stack_get_child_by_name (self->stack, page_name);
  g_return_if_fail (page != NULL);
  if (!g_ptr_array_find (self->pages, page, &index))
    g_return_if_reached ();

  self->only_page = (int) index;
  go_to_page (self, index);
}
