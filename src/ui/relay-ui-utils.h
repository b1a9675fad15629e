/* relay-ui-utils.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-store.h"

G_BEGIN_DECLS

const char *relay_stage_get_label      (RelayStage  stage);
const char *relay_stage_get_icon_name  (RelayStage  stage);
const char *relay_stage_get_css_class  (RelayStage  stage);
GtkWidget  *relay_stage_badge_new      (void);
void        relay_stage_badge_update   (GtkWidget  *badge,
                                        RelayStage  stage,
                                        gboolean    has_error);
char       *relay_format_time          (gint64      unix_ms);
char       *relay_format_relative_time (gint64      unix_ms,
                                        gint64      now_ms);

char       *relay_format_money            (const RelayMoney *money);
char       *relay_format_money_for_locale (const RelayMoney *money,
                                           const char       *locale);

void        relay_label_unnamed_parts  (GtkWidget  *root);
void        relay_combo_row_show_whole_values (AdwComboRow *row);

G_END_DECLS
