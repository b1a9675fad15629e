/* relay-error.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_ERROR (relay_error_quark ())

/**
 * RelayError:
 * @RELAY_ERROR_NETWORK: the service could not be reached (DNS, refused, dropped connection, timeout)
 * @RELAY_ERROR_UNAUTHORIZED: the key was refused (HTTP 401)
 * @RELAY_ERROR_FORBIDDEN: the key lacks a permission (HTTP 403), e.g. a read-only Squarespace key
 * @RELAY_ERROR_SITE_EXPIRED: the Squarespace site's subscription lapsed (HTTP 402)
 * @RELAY_ERROR_NOT_FOUND: the record does not exist (HTTP 404)
 * @RELAY_ERROR_INVALID_REQUEST: the service rejected what we sent (HTTP 400, 409, 422)
 * @RELAY_ERROR_RATE_LIMITED: too many requests (HTTP 429); try after the cool-down
 * @RELAY_ERROR_SERVER: the service failed (HTTP 5xx); safe to retry later
 * @RELAY_ERROR_MALFORMED_RESPONSE: the response was not the JSON we expected
 * @RELAY_ERROR_NOT_CONNECTED: no key is stored for the store
 * @RELAY_ERROR_INSECURE_URL: a plain http:// address that is not loopback
 * @RELAY_ERROR_STATE: the local state database failed
 * @RELAY_ERROR_REJECTED: the order cannot be delivered until the merchant acts (unknown SKU, …)
 * @RELAY_ERROR_KEYRING: the system keyring failed or is locked
 * @RELAY_ERROR_CONFLICT: the service is still working on an earlier request for the same record
 *   (HTTP 409): the outcome of ours is unknown until the record is read again
 *
 * Errors of Order Relay's core. Messages are written for the merchant: they say
 * what went wrong and what to do, and never contain a key.
 */
typedef enum
{
  RELAY_ERROR_NETWORK,
  RELAY_ERROR_UNAUTHORIZED,
  RELAY_ERROR_FORBIDDEN,
  RELAY_ERROR_SITE_EXPIRED,
  RELAY_ERROR_NOT_FOUND,
  RELAY_ERROR_INVALID_REQUEST,
  RELAY_ERROR_RATE_LIMITED,
  RELAY_ERROR_SERVER,
  RELAY_ERROR_MALFORMED_RESPONSE,
  RELAY_ERROR_NOT_CONNECTED,
  RELAY_ERROR_INSECURE_URL,
  RELAY_ERROR_STATE,
  RELAY_ERROR_REJECTED,
  RELAY_ERROR_KEYRING,
  RELAY_ERROR_CONFLICT,
} RelayError;

GQuark   relay_error_quark          (void);
gboolean relay_error_is_transient   (const GError *error);
gboolean relay_error_needs_attention (const GError *error);

G_END_DECLS
