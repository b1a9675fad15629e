/* relay-test-server.h — a scripted loopback HTTP server for the network tests
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-test-wait.h"

G_BEGIN_DECLS

/* One request as the server received it; immutable once recorded. */
typedef struct
{
  char               *method;
  char               *path;
  char               *query;            /* raw, still percent-encoded; NULL when absent */
  char               *body;             /* NUL-terminated; "" when empty */
  SoupMessageHeaders *headers;
  gint64              received_real_us; /* g_get_real_time() on arrival */
} RelayTestRequest;

typedef struct _RelayTestServer RelayTestServer;

/* Runs in the server's thread when no scripted reply is queued. Set status and body on @message. */
typedef void (*RelayTestHandler) (SoupServerMessage      *message,
                                  const RelayTestRequest *request,
                                  gpointer                user_data);

RelayTestServer        *relay_test_server_new            (void);
RelayTestServer        *relay_test_server_new_https      (GTlsCertificate  *certificate);
void                    relay_test_server_free           (RelayTestServer  *self);
const char             *relay_test_server_get_url        (RelayTestServer  *self);
void                    relay_test_server_reply          (RelayTestServer  *self,
                                                          guint             status,
                                                          const char       *body,
                                                          ...) G_GNUC_NULL_TERMINATED;
void                    relay_test_server_reply_drop     (RelayTestServer  *self);
void                    relay_test_server_reply_hang     (RelayTestServer  *self);
void                    relay_test_server_set_handler    (RelayTestServer  *self,
                                                          RelayTestHandler  handler,
                                                          gpointer          user_data);
guint                   relay_test_server_get_n_requests (RelayTestServer  *self);
const RelayTestRequest *relay_test_server_get_request    (RelayTestServer  *self,
                                                          guint             index);
guint                   relay_test_server_get_n_hanging  (RelayTestServer  *self);

void                    relay_test_reply_json            (SoupServerMessage *message,
                                                          guint              status,
                                                          const char        *body);
char                   *relay_test_query_get             (const char        *query,
                                                          const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayTestServer, relay_test_server_free)

G_END_DECLS
