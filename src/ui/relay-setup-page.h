/* relay-setup-page.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_SETUP_PAGE (relay_setup_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (RelaySetupPage, relay_setup_page, RELAY, SETUP_PAGE, AdwBin)

typedef struct _RelaySetupWizard RelaySetupWizard;

/**
 * RelaySetupPageClass:
 * @shown: the page became the visible one
 * @verify: start checking what the merchant entered (a key); the page sets
 *   #RelaySetupPage:busy while it runs
 * @stop: cancel a running @verify
 * @apply_async: keep what the page collected (store a key, write settings);
 *   the wizard moves on only when it succeeds
 * @apply_finish: finishes @apply_async
 *
 * A step of the setup wizard, in the style of gnome-initial-setup's GisPage.
 */
struct _RelaySetupPageClass
{
  AdwBinClass parent_class;

  void     (*shown)        (RelaySetupPage       *self);
  void     (*verify)       (RelaySetupPage       *self);
  void     (*stop)         (RelaySetupPage       *self);
  void     (*apply_async)  (RelaySetupPage       *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*apply_finish) (RelaySetupPage       *self,
                            GAsyncResult         *result,
                            GError              **error);

  /*< private >*/
  gpointer padding[8];
};

const char       *relay_setup_page_get_title      (RelaySetupPage       *self);
void              relay_setup_page_set_title      (RelaySetupPage       *self,
                                                   const char           *title);
gboolean          relay_setup_page_get_complete   (RelaySetupPage       *self);
void              relay_setup_page_set_complete   (RelaySetupPage       *self,
                                                   gboolean              complete);
gboolean          relay_setup_page_get_applying   (RelaySetupPage       *self);
gboolean          relay_setup_page_get_busy       (RelaySetupPage       *self);
void              relay_setup_page_set_busy       (RelaySetupPage       *self,
                                                   gboolean              busy);
gboolean          relay_setup_page_get_can_verify (RelaySetupPage       *self);
void              relay_setup_page_set_can_verify (RelaySetupPage       *self,
                                                   gboolean              can_verify);
RelaySetupWizard *relay_setup_page_get_wizard     (RelaySetupPage       *self);
void              relay_setup_page_shown          (RelaySetupPage       *self);
void              relay_setup_page_verify         (RelaySetupPage       *self);
void              relay_setup_page_stop           (RelaySetupPage       *self);
void              relay_setup_page_apply_async    (RelaySetupPage       *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          relay_setup_page_apply_finish   (RelaySetupPage       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
