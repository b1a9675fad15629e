/* sandbox-test-utils.h — raw HTTP helpers for the sandbox contract tests
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "relay-sandbox.h"

G_BEGIN_DECLS

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  JsonNode           *json;      /* NULL when the body is empty or not JSON */
} SandboxResponse;

typedef struct
{
  const char *bearer;            /* NULL: no Authorization header */
  const char *user_agent;        /* NULL: no User-Agent header */
  const char *content_type;      /* NULL: application/json when there is a body */
  const char *idempotency_key;
} SandboxRequestOptions;

SandboxResponse *sandbox_test_send          (SoupSession                 *session,
                                             const char                  *method,
                                             const char                  *url,
                                             const SandboxRequestOptions *options,
                                             const char                  *body);
void             sandbox_response_free      (SandboxResponse             *response);
JsonObject      *sandbox_response_object    (SandboxResponse             *response);
const char      *sandbox_response_header    (SandboxResponse             *response,
                                             const char                  *name);
GString         *sandbox_test_raw_exchange  (const char                  *base_url,
                                             const char                  *request);
JsonNode        *sandbox_test_parse         (const char                  *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxResponse, sandbox_response_free)

G_END_DECLS
