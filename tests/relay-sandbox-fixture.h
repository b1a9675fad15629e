/* relay-sandbox-fixture.h — the sandbox, a state file and a context over them
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-context.h"
#include "relay-sandbox.h"
#include "relay-squarespace.h"
#include "relay-tradegecko.h"

G_BEGIN_DECLS

/*
 * What the engine, stock, network, command-line and window tests share: the sandbox with a scenario,
 * a private directory with the state file, settings in memory naming the
 * sandbox's addresses, and a #RelayContext over them that reads the keys
 * from the (real, test-session) keyring as the app does. The borrowed fields
 * are the context's and are valid between relay_sandbox_fixture_open() and
 * relay_sandbox_fixture_close().
 */
typedef struct
{
  char             *dir;
  char             *db_path;
  RelaySandbox     *sandbox;
  GSettings        *settings;
  RelayContext     *context;

  /* Borrowed from the context while it is open */
  RelayStore       *store;
  RelaySquarespace *squarespace;
  RelayTradegecko  *tradegecko;
  RelaySyncEngine  *engine;

  guint             problems;      /* the engine's connection-problem signals */
} RelaySandboxFixture;

void relay_sandbox_fixture_set_up_sandbox (RelaySandboxFixture *self,
                                           const char          *name,
                                           const char          *scenario);
void relay_sandbox_fixture_set_up    (RelaySandboxFixture *self,
                                      const char          *name,
                                      const char          *scenario);
void relay_sandbox_fixture_load      (RelaySandboxFixture *self,
                                      const char          *scenario);
void relay_sandbox_fixture_store_key (RelaySandboxFixture *self,
                                      RelayService         service,
                                      const char          *key);
void relay_sandbox_fixture_open      (RelaySandboxFixture *self);
void relay_sandbox_fixture_close     (RelaySandboxFixture *self);
void relay_sandbox_fixture_tear_down (RelaySandboxFixture *self,
                                      gconstpointer        data);
guint relay_sandbox_fixture_count_requests (RelaySandboxFixture *self,
                                            const char          *method,
                                            const char          *path);

G_END_DECLS
