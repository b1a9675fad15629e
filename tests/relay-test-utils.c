/* relay-test-utils.c — helpers for tests that drive real windows
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "relay-test-utils.h"

/* Lets layout, animations and idle handlers run for a while. */
void
relay_test_iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    relay_test_iterate_briefly ();
}

/* Runs everything the main context has ready, bounded: what a destroyed
 * window leaves to idle handlers and disposal is done when it returns. */
void
relay_test_iterate_pending (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_main_context_pending (NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

static void
frame_painted_cb (GdkFrameClock *clock,
                  guint         *painted)
{
  (*painted)++;
}

/* Waits until @widget's window has painted @n_frames more frames (each asked
 * for): layout and drawing of what changed before the call are done. */
void
relay_test_wait_for_frames (GtkWidget *widget,
                            guint      n_frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 0;
  gulong handler;

  if (clock == NULL || !gtk_widget_get_mapped (widget))
    {
      /* Not shown: nothing to paint, only what is pending to run. */
      relay_test_iterate_pending ();
      return;
    }

  g_object_ref (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_painted_cb), &painted);
  for (guint frame = 1; frame <= n_frames; frame++)
    {
      gtk_widget_queue_draw (widget);
      RELAY_TEST_ITERATE_UNTIL (painted >= frame, 10);
    }
  g_signal_handler_disconnect (clock, handler);
  g_object_unref (clock);
}

/* Whether anything under @widget is in the middle of a transition: a stack
 * or leaflet sliding, a revealer or flap opening or closing. */
static gboolean
is_moving (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  if (ADW_IS_LEAFLET (widget) && adw_leaflet_get_child_transition_running (ADW_LEAFLET (widget)))
    return TRUE;
  if (GTK_IS_REVEALER (widget) &&
      gtk_revealer_get_child_revealed (GTK_REVEALER (widget)) != gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return TRUE;
  if (ADW_IS_FLAP (widget))
    {
      double progress = adw_flap_get_reveal_progress (ADW_FLAP (widget));

      if (progress > 0 && progress < 1)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child) && is_moving (child))
      return TRUE;

  return FALSE;
}

/* Waits until what changed under @widget has been laid out and painted, and no
 * transition in it is still running: what a screenshot or a measurement should see. */
void
relay_test_wait_until_settled (GtkWidget *widget)
{
  relay_test_wait_for_frames (widget, 1);
  RELAY_TEST_ITERATE_UNTIL (!is_moving (widget), 10);
  relay_test_wait_for_frames (widget, 1);
}

/* Returns: (transfer none) (nullable): the first toplevel of @type */
GtkWindow *
relay_test_find_window_of_type (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

/* Returns: (transfer none) (nullable): @widget or the first widget inside it named @name
 * (the preferences name each setting's control after its key) */
GtkWidget *
relay_test_find_named (GtkWidget  *widget,
                       const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = relay_test_find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Returns: (transfer full) (nullable): what @widget draws now, %NULL before its first frame */
static GskRenderNode *
dup_render_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (!gtk_widget_get_mapped (widget) || width <= 0 || height <= 0)
    return NULL;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/**
 * relay_test_widget_renders:
 * @widget: a widget
 *
 * Returns: whether @widget has drawn a frame (right after it is mapped or
 *   changes page it may not have yet)
 */
gboolean
relay_test_widget_renders (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) node = dup_render_node (widget);

  return node != NULL;
}

/**
 * relay_test_save_screenshot:
 * @widget: a realized, drawn widget
 * @name: file name without extension
 *
 * Renders @widget with its window's renderer and saves it as a PNG in
 * `$RELAY_TEST_ARTIFACTS`, for people to look at (never compared pixel by pixel:
 * fonts and themes differ between machines).
 *
 * Returns: (transfer full): the path written
 */
char *
relay_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  const char *dir = g_getenv ("RELAY_TEST_ARTIFACTS");
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  g_assert_true (GTK_IS_WIDGET (widget));

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  /* Right after it is presented, mapped or changes page, a busy machine may not
   * have laid it out (its width is still 0) or drawn it yet: wait for a frame
   * first, and only then read the size it was drawn at. */
  RELAY_TEST_ITERATE_UNTIL ((node = dup_render_node (widget)) != NULL, 10);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  file_name = g_strdup_printf ("%s.png", name);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return g_steal_pointer (&path);
}
