/* relay-error.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "relay-error.h"

G_DEFINE_QUARK (relay-error-quark, relay_error)

/**
 * relay_error_is_transient:
 * @error: (nullable): an error
 *
 * Whether trying the same thing again later may succeed without the merchant
 * doing anything: network trouble, rate limits, server failures.
 *
 * Returns: %TRUE for errors worth retrying with backoff
 */
gboolean
relay_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != RELAY_ERROR)
    return FALSE;

  switch ((RelayError) error->code)
    {
    case RELAY_ERROR_NETWORK:
    case RELAY_ERROR_RATE_LIMITED:
    case RELAY_ERROR_SERVER:
    case RELAY_ERROR_MALFORMED_RESPONSE:
      return TRUE;

    case RELAY_ERROR_UNAUTHORIZED:
    case RELAY_ERROR_FORBIDDEN:
    case RELAY_ERROR_SITE_EXPIRED:
    case RELAY_ERROR_NOT_FOUND:
    case RELAY_ERROR_INVALID_REQUEST:
    case RELAY_ERROR_NOT_CONNECTED:
    case RELAY_ERROR_INSECURE_URL:
    case RELAY_ERROR_STATE:
    case RELAY_ERROR_REJECTED:
    case RELAY_ERROR_KEYRING:
    case RELAY_ERROR_CONFLICT:
    default:
      return FALSE;
    }
}

/**
 * relay_error_needs_attention:
 * @error: (nullable): an error
 *
 * Whether the error is about a store connection the merchant must fix
 * (a revoked or read-only key, a lapsed site, a missing key), as opposed
 * to a problem with one order or a passing outage.
 *
 * Returns: %TRUE when the connection needs the merchant
 */
gboolean
relay_error_needs_attention (const GError *error)
{
  if (error == NULL || error->domain != RELAY_ERROR)
    return FALSE;

  return error->code == RELAY_ERROR_UNAUTHORIZED ||
         error->code == RELAY_ERROR_FORBIDDEN ||
         error->code == RELAY_ERROR_SITE_EXPIRED ||
         error->code == RELAY_ERROR_NOT_CONNECTED ||
         error->code == RELAY_ERROR_INSECURE_URL ||
         error->code == RELAY_ERROR_KEYRING;
}
