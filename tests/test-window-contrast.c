/* test-window-contrast.c — every colour our stylesheets set is readable (WCAG ≥ 4.5:1) in light and dark style
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "relay-ui-utils.h"
#include "relay-test-utils.h"
#include "test-ui-orders.h"

/*
 * Each text our CSS (data/style*.css) colours is built the way the window
 * builds it, on the background it is drawn on there (a list row's view
 * background, the side pane's window background, a card, a banner), with the
 * application's stylesheets and Adwaita in light and then dark style. The
 * text's colour is the one GTK computed from the CSS; the background is the
 * pixel the renderer drew beside it, inside the widget's padding. Text colours with alpha are blended over
 * that pixel first, as the renderer does.
 */

#define MIN_CONTRAST 4.5

typedef struct
{
  const char *name;
  GtkWidget  *text;        /* whose colour is measured */
  GtkWidget  *background;  /* sampled just inside its left edge, at mid height */
} Probe;

static double
channel_luminance (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
relative_luminance (double r, double g, double b)
{
  return 0.2126 * channel_luminance (r) + 0.7152 * channel_luminance (g) + 0.0722 * channel_luminance (b);
}

static double
contrast_ratio (double l1, double l2)
{
  return (MAX (l1, l2) + 0.05) / (MIN (l1, l2) + 0.05);
}

/* The window drawn by its own renderer, as 8-bit BGRA (premultiplied, opaque here). */
static guchar *
render_window (GtkWidget *window,
               int       *width,
               int       *height,
               gsize     *stride)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar *pixels;

  *width = gtk_widget_get_width (window);
  *height = gtk_widget_get_height (window);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  *stride = (gsize) *width * 4;
  pixels = g_malloc ((gsize) *height * *stride);
  gdk_texture_download (texture, pixels, *stride);
  return pixels;
}

static double
measure (const Probe  *probe,
         GtkWidget    *window,
         const guchar *pixels,
         int           width,
         int           height,
         gsize         stride,
         GString      *report)
{
  graphene_point_t at;
  GdkRGBA fg;
  const guchar *px;
  double bg_r, bg_g, bg_b, r, g, b, ratio;
  GtkBorder padding, border;

  gtk_style_context_get_color (gtk_widget_get_style_context (probe->text), &fg);
  /* A widget's own coordinates start inside its padding: 2 px from the outer
   * left edge is background, left of any icon or text. */
  gtk_style_context_get_padding (gtk_widget_get_style_context (probe->background), &padding);
  gtk_style_context_get_border (gtk_widget_get_style_context (probe->background), &border);
  g_assert_true (gtk_widget_compute_point (probe->background, window,
                                           &GRAPHENE_POINT_INIT (2 - padding.left - border.left,
                                                                 gtk_widget_get_height (probe->background) / 2.f),
                                           &at));
  /* The sampled pixel is left of the text (and of an icon before it). */
  {
    graphene_point_t text_at;

    g_assert_true (gtk_widget_compute_point (probe->text, window, &GRAPHENE_POINT_INIT (0, 0), &text_at));
    g_assert_cmpfloat (text_at.x, >=, at.x + 2);
  }
  g_assert_cmpint ((int) at.x, <, width);
  g_assert_cmpint ((int) at.y, <, height);
  px = pixels + (gsize) at.y * stride + (gsize) at.x * 4;
  bg_b = px[0] / 255.0;
  bg_g = px[1] / 255.0;
  bg_r = px[2] / 255.0;
  r = fg.red * fg.alpha + bg_r * (1 - fg.alpha);
  g = fg.green * fg.alpha + bg_g * (1 - fg.alpha);
  b = fg.blue * fg.alpha + bg_b * (1 - fg.alpha);
  ratio = contrast_ratio (relative_luminance (r, g, b), relative_luminance (bg_r, bg_g, bg_b));
  g_string_append_printf (report, "#   %-34s text #%02x%02x%02x on #%02x%02x%02x  %.2f:1%s\n", probe->name,
                          (int) round (r * 255), (int) round (g * 255), (int) round (b * 255),
                          px[2], px[1], px[0], ratio, ratio < MIN_CONTRAST ? "  TOO LOW" : "");
  return ratio;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
add_label (GtkWidget  *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static GtkWidget *
add_box (GtkWidget  *parent,
         const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  if (css_class != NULL)
    gtk_widget_add_css_class (box, css_class);
  gtk_box_append (GTK_BOX (parent), box);
  return box;
}

/* A flow counter as relay-window.ui builds it: a toggle button in the flow header. */
static GtkWidget *
add_counter (GtkWidget  *header,
             const char *kind,
             GtkWidget **button_out)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *count = gtk_label_new ("12");

  gtk_widget_add_css_class (button, "flow-counter");
  gtk_widget_add_css_class (button, kind);
  gtk_widget_add_css_class (count, "title-2");
  gtk_widget_set_margin_start (count, 20);
  gtk_box_append (GTK_BOX (inner), count);
  gtk_button_set_child (GTK_BUTTON (button), inner);
  gtk_box_append (GTK_BOX (header), button);
  *button_out = button;
  return count;
}

static guint
build_probes (GtkWidget *content,
              Probe     *probes,
              guint      max)
{
  GtkWidget *list = add_box (content, "view");
  GtkWidget *side = add_box (content, NULL);
  GtkWidget *header = add_box (content, "flow-header");
  GtkWidget *card, *banner, *demo, *osd, *button, *count;
  guint n = 0;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (list), GTK_ORIENTATION_VERTICAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (side), GTK_ORIENTATION_VERTICAL);
  for (RelayStage stage = 0; stage < RELAY_N_STAGES; stage++)
    {
      GtkWidget *in_list = relay_stage_badge_new ();
      GtkWidget *in_side = relay_stage_badge_new ();

      relay_stage_badge_update (in_list, stage, FALSE);
      relay_stage_badge_update (in_side, stage, FALSE);
      gtk_widget_set_halign (in_list, GTK_ALIGN_START);
      gtk_widget_set_halign (in_side, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (list), in_list);
      gtk_box_append (GTK_BOX (side), in_side);
      probes[n++] = (Probe) { g_intern_string (relay_stage_get_css_class (stage)),
                              gtk_widget_get_last_child (in_list), in_list };
      {
        g_autofree char *name = g_strdup_printf ("%s (side pane)", relay_stage_get_css_class (stage));

        probes[n++] = (Probe) { g_intern_string (name), gtk_widget_get_last_child (in_side), in_side };
      }
    }

  count = add_counter (header, "flow-attention", &button);
  probes[n++] = (Probe) { "flow-attention counter", count, button };
  count = add_counter (header, "flow-confirmed", &button);
  probes[n++] = (Probe) { "flow-confirmed counter", count, button };

  card = add_box (content, "card");
  gtk_widget_add_css_class (card, "problem-card");
  probes[n++] = (Probe) { "problem-card", add_label (card, "TradeGecko has no variant", "heading"), card };
  banner = add_box (content, "health-banner");
  probes[n++] = (Probe) { "health-banner", add_label (banner, "TradeGecko needs attention", NULL), banner };
  demo = add_box (content, "demo-banner");
  probes[n++] = (Probe) { "demo-banner", add_label (demo, "This is a demo", NULL), demo };
  /* The order's failing line: an action row of a preferences group, as the
   * order detail builds it (relay-order-detail.c). */
  {
    GtkWidget *group = adw_preferences_group_new ();
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Mug, red");
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "MUG-RED → no TradeGecko item has this SKU");
    gtk_widget_add_css_class (row, "failing-line");
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    gtk_box_append (GTK_BOX (content), group);
    probes[n++] = (Probe) { "failing-line title", find_label (row, "Mug, red"), row };
  }
  osd = add_box (content, "osd");
  gtk_widget_add_css_class (osd, "sync-progress");
  gtk_widget_set_halign (osd, GTK_ALIGN_CENTER);
  probes[n++] = (Probe) { "sync-progress", add_label (osd, "Delivering: 3 of 7", "caption"), osd };

  g_assert_cmpuint (n, <=, max);
  return n;
}

static void
check_style (AdwColorScheme scheme,
             const char    *style_name)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autoptr(GString) report = g_string_new (NULL);
  g_autofree guchar *pixels = NULL;
  Probe probes[32];
  guint n, n_low = 0;
  int width, height;
  gsize stride;

  adw_style_manager_set_color_scheme (manager, scheme);
  g_assert_true (adw_style_manager_get_dark (manager) == (scheme == ADW_COLOR_SCHEME_FORCE_DARK));

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  n = build_probes (content, probes, G_N_ELEMENTS (probes));
  gtk_window_set_child (GTK_WINDOW (window), content);
  gtk_window_present (GTK_WINDOW (window));
  RELAY_TEST_ITERATE_UNTIL (gtk_widget_get_mapped (window), 10);
  RELAY_TEST_ITERATE_UNTIL (relay_test_widget_renders (window), 10);
  relay_test_wait_until_settled (window);

  {
    g_autofree char *shot_name = g_strdup_printf ("contrast-%s", style_name);
    g_autofree char *shot = relay_test_save_screenshot (window, shot_name);
    g_test_message ("screenshot %s", shot);
  }
  pixels = render_window (window, &width, &height, &stride);
  for (guint i = 0; i < n; i++)
    if (measure (&probes[i], window, pixels, width, height, stride, report) < MIN_CONTRAST)
      n_low++;

  g_print ("# contrast, %s style:\n%s", style_name, report->str);
  g_assert_cmpuint (n, >=, 21);
  g_assert_cmpuint (n_low, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_iterate_pending ();
}

static void
test_contrast_light (void)
{
  check_style (ADW_COLOR_SCHEME_FORCE_LIGHT, "light");
}

static void
test_contrast_dark (void)
{
  check_style (ADW_COLOR_SCHEME_FORCE_DARK, "dark");
}

int
main (int   argc,
      char *argv[])
{
  char *app_dir = NULL;
  g_autoptr(RelayApplication) app = NULL;

  gtk_test_init (&argc, &argv, NULL);

  /* Registering the application loads its stylesheets (style.css, style-dark.css). */
  app = test_window_app_new_in_temp_dir (&app_dir);

  g_test_add_func ("/window-contrast/light", test_contrast_light);
  g_test_add_func ("/window-contrast/dark", test_contrast_dark);

  return test_window_app_run (&app, app_dir);
}
