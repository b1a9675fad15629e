/* relay-autostart.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "relay-autostart.h"

/* "Start at login" is written one of two ways:
 *
 * - Sandboxed (Flatpak, Snap), the user's autostart folder is out of reach and
 *   the Background portal writes the entry: RequestBackground with autostart.
 * - Installed on the host (the Debian package), the app writes an XDG autostart
 *   entry itself. The portal is not used there even when it runs: Debian 12's
 *   xdg-desktop-portal cannot tell which host app is asking, so it has no id to
 *   name the entry after.
 *
 * A portal that is missing or answers with an error falls back to the file. */

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND  "org.freedesktop.portal.Background"
#define PORTAL_REQUEST     "org.freedesktop.portal.Request"

typedef struct
{
  gboolean         enabled;
  GDBusConnection *bus;
  char            *request_path;
  guint            response_id;
} PortalCall;

static void
portal_call_free (PortalCall *call)
{
  if (call->response_id != 0)
    g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
  g_clear_object (&call->bus);
  g_free (call->request_path);
  g_free (call);
}

/**
 * relay_autostart_dup_file_path:
 *
 * Returns: (transfer full): where the XDG autostart entry is written
 */
char *
relay_autostart_dup_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

static gboolean
running_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP") != NULL;
}

/* ------------------------------------------------------------------------ */
/* The XDG autostart entry                                                   */

static gboolean
write_autostart_file (GError **error)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *path = relay_autostart_dup_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *exec = g_strdup_printf ("%s --background", BINDIR "/order-relay");

  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, "Order Relay");
  /* The name the session's startup settings show. */
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Syncs orders between Squarespace and TradeGecko without a window"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_key_file_save_to_file (entry, path, error);
}

static gboolean
remove_autostart_file (GError **error)
{
  g_autofree char *path = relay_autostart_dup_file_path ();

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not remove %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
autostart_file_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  PortalCall *call = task_data;
  gboolean enabled = call->enabled;
  GError *error = NULL;

  if (enabled ? write_autostart_file (&error) : remove_autostart_file (&error))
    {
      g_debug ("Start at login %s: %s", enabled ? "written" : "removed", "autostart file");
      g_task_return_int (task, RELAY_AUTOSTART_FILE);
    }
  else
    g_task_return_error (task, error);
}

/* A small file, but still off the main loop: the window never waits on a disk. */
static void
set_with_file (GTask *task)
{
  g_task_run_in_thread (task, autostart_file_thread);
}

/* ------------------------------------------------------------------------ */
/* The Background portal                                                     */

static void
portal_response_cb (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  GTask *task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart = FALSE;
  guint32 response;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "autostart", "b", &autostart);
  g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
  call->response_id = 0;

  /* 0: granted, 1: the user said no, 2: anything else. */
  if (response == 0 && autostart == call->enabled)
    {
      g_debug ("Start at login %s: %s", call->enabled ? "granted" : "withdrawn", "Background portal");
      g_task_return_int (task, RELAY_AUTOSTART_PORTAL);
    }
  else if (response == 1 || response == 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                             "%s", _("Starting at login was not allowed"));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "%s", _("The desktop could not set Order Relay to start at login"));
  g_object_unref (task);
}

static void
portal_requested_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_debug ("Background portal refused the request (%s): writing the autostart file", error->message);
      g_dbus_connection_signal_unsubscribe (call->bus, call->response_id);
      call->response_id = 0;
      set_with_file (task);
      g_object_unref (task);
    }
  /* Otherwise the answer comes as the Response signal: the task's ref is its. */
}

static void
request_background (GTask *task)
{
  PortalCall *call = g_task_get_task_data (task);
  g_autofree char *sender = NULL;
  g_autofree char *token = g_strdup_printf ("order_relay_%u", g_random_int ());
  const char *commandline[] = { "order-relay", "--background", NULL };
  GVariantBuilder options;

  /* The request's path is known before the call, so the answer cannot be missed. */
  sender = g_strdup (g_dbus_connection_get_unique_name (call->bus) + 1);
  g_strdelimit (sender, ".", '_');
  call->request_path = g_strdup_printf ("%s/request/%s/%s", PORTAL_OBJECT_PATH, sender, token);
  call->response_id = g_dbus_connection_signal_subscribe (call->bus, PORTAL_BUS_NAME, PORTAL_REQUEST, "Response",
                                                          call->request_path, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                                          portal_response_cb, task, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Order Relay keeps orders moving between your stores while its window is closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (call->enabled));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (call->bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_BACKGROUND, "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task), portal_requested_cb, task);
}

static void
portal_version_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_debug ("No Background portal (%s): writing the autostart file", error->message);
      set_with_file (task);
      g_object_unref (task);
      return;
    }

  request_background (task);
}

static void
session_bus_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->bus = g_bus_get_finish (result, &error);
  if (call->bus == NULL)
    {
      set_with_file (task);
      g_object_unref (task);
      return;
    }

  /* Asking for the interface's version tells whether the portal has it at all. */
  g_dbus_connection_call (call->bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", PORTAL_BACKGROUND, "version"), G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task), portal_version_cb, task);
}

/**
 * relay_autostart_set_async:
 * @enabled: whether the app starts (hidden, syncing) at login
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Writes, or removes, what starts Order Relay at login: through the
 * Background portal when sandboxed, an XDG autostart entry otherwise.
 */
void
relay_autostart_set_async (gboolean             enabled,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PortalCall *call = g_new0 (PortalCall, 1);

  g_task_set_source_tag (task, relay_autostart_set_async);
  call->enabled = enabled;
  g_task_set_task_data (task, call, (GDestroyNotify) portal_call_free);

  if (!running_sandboxed ())
    {
      set_with_file (task);
      return;
    }

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, session_bus_cb, g_steal_pointer (&task));
}

/**
 * relay_autostart_set_finish:
 * @result: the #GAsyncResult
 * @method: (out) (optional): how it was written
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the app starts at login (or no longer does) as asked
 */
gboolean
relay_autostart_set_finish (GAsyncResult          *result,
                            RelayAutostartMethod  *method,
                            GError               **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  if (method != NULL)
    *method = (RelayAutostartMethod) value;
  return TRUE;
}
