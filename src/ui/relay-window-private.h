/* relay-window-private.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-order-cell.h"
#include "relay-order-detail.h"
#include "relay-sku-check-view.h"
#include "relay-stock-view.h"
#include "relay-window.h"

G_BEGIN_DECLS

/* The flow header's counters: all, new, at TradeGecko, shipped, confirmed, attention, closed. */
#define RELAY_WINDOW_N_FLOWS 7

/* A store's health, shown in one persistent place until it is resolved. */
typedef struct
{
  const char  *store_id;
  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *button;
  char        *message;
  char        *action;     /* detailed: "app.reconnect-store::squarespace" */
} StoreHealth;

#define N_HEALTH_STORES 2

/* What a column's sorter says when the view asks it: which column it is. */
typedef struct
{
  RelayWindow *window;
  int          sort;
} SortProbe;

struct _RelayWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *window_title;
  AdwViewSwitcherBar   *view_switcher_bar;
  AdwViewStack         *view_stack;
  RelayStockView       *stock_view;
  RelaySkuCheckView    *sku_check_view;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkBox               *health_box;
  GtkRevealer          *stale_sync_revealer;
  GtkLabel             *stale_sync_label;
  GtkLabel             *sync_status_label;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *main_stack;
  AdwStatusPage        *not_connected_page;
  GtkButton            *connect_button;
  GtkStack             *list_stack;
  GtkColumnView        *column_view;
  AdwLeaflet           *leaflet;
  GtkStack             *detail_stack;
  GtkScrolledWindow    *detail_scroller;
  RelayOrderDetail     *order_detail;
  GtkLabel             *flow_counts[RELAY_WINDOW_N_FLOWS];
  GtkLabel             *flow_latest[RELAY_WINDOW_N_FLOWS];

  /* Built in init: one health banner per store */
  StoreHealth           health[N_HEALTH_STORES];

  /* Owned */
  GSettings            *settings;
  RelayStore           *store;
  RelayOrderListModel  *orders;
  GtkSingleSelection   *selection;
  GSimpleActionGroup   *order_actions;
  char                 *shown_order;
  char                 *last_toast;
  char                 *last_toast_action;
  guint64               counts[RELAY_WINDOW_N_FLOWS];
  guint                 refresh_source;
  guint                 n_toasts;
  guint                 flow_index;
  int                   probed_sort;   /* see column_sort_probe() */
  gint64                kept_order;    /* see replacing_rows_cb(); 0 while none */
  RelayOrderItem       *listed_early;  /* unowned: selected as listed (see select_kept_order_once_listed()) */
  gboolean              keeping_selection; /* the selection changed by the window itself */
  SortProbe             sort_probes[RELAY_N_ORDER_COLUMNS];
  gboolean              connected;
  gboolean              demo;
  gboolean              sku_check_ran;        /* with the current clients */
  gboolean              stale_sync_checked;   /* since the window was last mapped */
  gint64                stale_sync_since;     /* the last success the banner names, 0 never */
  GtkWidget            *demo_banner;    /* borrowed: in health_box */
};


/* relay-window.c */
gboolean relay_window_select_flow          (RelayWindow *self,
                                            const char  *name);
void     relay_window_apply_filter         (RelayWindow *self);
void     relay_window_refresh_now          (RelayWindow *self);

/* relay-window-views.c */
void     relay_window_init_views           (RelayWindow *self);
void     relay_window_views_update         (RelayWindow *self);
void     relay_window_views_cycle_ended    (RelayWindow *self);

/* relay-window-actions.c */
void     relay_window_install_actions      (RelayWindow *self);
void     relay_window_update_order_actions (RelayWindow *self);

G_END_DECLS
