/* relay-store-private.h — for tests only
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-store.h"

G_BEGIN_DECLS

/* Called inside a transition's transaction after each write, with a name such
 * as "finish_delivery:order". Crash-safety tests kill the process there. */
typedef void (*RelayStoreStepHook) (RelayStore *store,
                                    const char *step,
                                    gpointer    user_data);

void     relay_store_set_step_hook   (RelayStore         *self,
                                      RelayStoreStepHook  hook,
                                      gpointer            user_data);
char    *relay_store_explain_query   (RelayStore         *self,
                                      int                 stage,
                                      const char         *search,
                                      gboolean            with_cursor,
                                      GError            **error);
char    *relay_store_explain_order_keys (RelayStore     *self,
                                         RelayOrderSort  sort,
                                         gboolean        descending,
                                         GError        **error);
RelayStore *relay_store_open_at_version (const char         *path,
                                         int                 version,
                                         GError            **error);

G_END_DECLS
