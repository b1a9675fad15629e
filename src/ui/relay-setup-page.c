/* relay-setup-page.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-setup-page.h"
#include "relay-setup-wizard.h"

typedef struct
{
  char     *title;
  gboolean  complete;
  gboolean  applying;
  gboolean  busy;
  gboolean  can_verify;
} RelaySetupPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (RelaySetupPage, relay_setup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_APPLYING,
  PROP_BUSY,
  PROP_CAN_VERIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_applying (RelaySetupPage *self,
              gboolean        applying)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  applying = !!applying;
  if (priv->applying == applying)
    return;

  priv->applying = applying;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);
}

static void
relay_setup_page_real_apply_async (RelaySetupPage      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  /* Pages that only show information have nothing to keep. */
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_setup_page_real_apply_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
relay_setup_page_real_apply_finish (RelaySetupPage  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
page_applied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RelaySetupPage *self = RELAY_SETUP_PAGE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  set_applying (self, FALSE);

  if (!RELAY_SETUP_PAGE_GET_CLASS (self)->apply_finish (self, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
relay_setup_page_finalize (GObject *object)
{
  RelaySetupPage *self = RELAY_SETUP_PAGE (object);
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);

  G_OBJECT_CLASS (relay_setup_page_parent_class)->finalize (object);
}

static void
relay_setup_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelaySetupPage *self = RELAY_SETUP_PAGE (object);
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;

    case PROP_APPLYING:
      g_value_set_boolean (value, priv->applying);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;

    case PROP_CAN_VERIFY:
      g_value_set_boolean (value, priv->can_verify);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_setup_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RelaySetupPage *self = RELAY_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      relay_setup_page_set_title (self, g_value_get_string (value));
      break;

    case PROP_COMPLETE:
      relay_setup_page_set_complete (self, g_value_get_boolean (value));
      break;

    case PROP_BUSY:
      relay_setup_page_set_busy (self, g_value_get_boolean (value));
      break;

    case PROP_CAN_VERIFY:
      relay_setup_page_set_can_verify (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_setup_page_class_init (RelaySetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_setup_page_finalize;
  object_class->get_property = relay_setup_page_get_property;
  object_class->set_property = relay_setup_page_set_property;

  klass->apply_async = relay_setup_page_real_apply_async;
  klass->apply_finish = relay_setup_page_real_apply_finish;

  /**
   * RelaySetupPage:title:
   *
   * The step's name, shown in the wizard's header bar.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupPage:complete:
   *
   * Whether the merchant may go on to the next step.
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupPage:applying:
   *
   * Whether the page is keeping what it collected (see relay_setup_page_apply_async()).
   */
  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupPage:busy:
   *
   * Whether the page is checking something (a key) and can be stopped.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RelaySetupPage:can-verify:
   *
   * Whether the page has something to verify right now.
   */
  properties[PROP_CAN_VERIFY] =
    g_param_spec_boolean ("can-verify", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_setup_page_init (RelaySetupPage *self)
{
}

const char *
relay_setup_page_get_title (RelaySetupPage *self)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), NULL);

  return priv->title;
}

void
relay_setup_page_set_title (RelaySetupPage *self,
                            const char     *title)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  /* A page offers actions (page.*): AT-SPI lists it, so it carries its title. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title != NULL ? title : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
relay_setup_page_get_complete (RelaySetupPage *self)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), FALSE);

  return priv->complete;
}

void
relay_setup_page_set_complete (RelaySetupPage *self,
                               gboolean        complete)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;

  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

gboolean
relay_setup_page_get_applying (RelaySetupPage *self)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), FALSE);

  return priv->applying;
}

gboolean
relay_setup_page_get_busy (RelaySetupPage *self)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), FALSE);

  return priv->busy;
}

void
relay_setup_page_set_busy (RelaySetupPage *self,
                           gboolean        busy)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  busy = !!busy;
  if (priv->busy == busy)
    return;

  priv->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
relay_setup_page_get_can_verify (RelaySetupPage *self)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), FALSE);

  return priv->can_verify;
}

void
relay_setup_page_set_can_verify (RelaySetupPage *self,
                                 gboolean        can_verify)
{
  RelaySetupPagePrivate *priv = relay_setup_page_get_instance_private (self);

  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  can_verify = !!can_verify;
  if (priv->can_verify == can_verify)
    return;

  priv->can_verify = can_verify;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_VERIFY]);
}

/**
 * relay_setup_page_get_wizard:
 * @self: a #RelaySetupPage
 *
 * Returns: (transfer none) (nullable): the wizard the page is part of
 */
RelaySetupWizard *
relay_setup_page_get_wizard (RelaySetupPage *self)
{
  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), NULL);

  return (RelaySetupWizard *) gtk_widget_get_ancestor (GTK_WIDGET (self), RELAY_TYPE_SETUP_WIZARD);
}

void
relay_setup_page_shown (RelaySetupPage *self)
{
  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  if (RELAY_SETUP_PAGE_GET_CLASS (self)->shown)
    RELAY_SETUP_PAGE_GET_CLASS (self)->shown (self);
}

void
relay_setup_page_verify (RelaySetupPage *self)
{
  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  if (RELAY_SETUP_PAGE_GET_CLASS (self)->verify && relay_setup_page_get_can_verify (self))
    RELAY_SETUP_PAGE_GET_CLASS (self)->verify (self);
}

void
relay_setup_page_stop (RelaySetupPage *self)
{
  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));

  if (RELAY_SETUP_PAGE_GET_CLASS (self)->stop && relay_setup_page_get_busy (self))
    RELAY_SETUP_PAGE_GET_CLASS (self)->stop (self);
}

/**
 * relay_setup_page_apply_async:
 * @self: a #RelaySetupPage
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the page has kept what it collected
 * @user_data: data for @callback
 *
 * Keeps what the page collected; #RelaySetupPage:applying is %TRUE meanwhile.
 */
void
relay_setup_page_apply_async (RelaySetupPage      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_SETUP_PAGE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_setup_page_apply_async);

  if (relay_setup_page_get_applying (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The page is already being applied");
      return;
    }

  set_applying (self, TRUE);
  RELAY_SETUP_PAGE_GET_CLASS (self)->apply_async (self, cancellable, page_applied_cb, g_steal_pointer (&task));
}

gboolean
relay_setup_page_apply_finish (RelaySetupPage  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (RELAY_IS_SETUP_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
