/* relay-mapping-shipment.c — a TradeGecko shipment as Squarespace takes it
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-mapping.h"

#define SHIPMENT_FIELD_MAX 100

/**
 * relay_mapping_normalize_tracking_url:
 * @url: (nullable): a tracking URL as the warehouse typed it
 *
 * Returns: (transfer full) (nullable): an absolute http(s) URL, with
 *   `https://` added to scheme-less ones like `thetracker.com/3311233`, or
 *   %NULL when it cannot be made valid
 */
char *
relay_mapping_normalize_tracking_url (const char *url)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *absolute = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (url));
  if (*trimmed == '\0' || strlen (trimmed) > 2048)
    return NULL;

  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || (unsigned char) *p < 0x20)
        return NULL;
    }

  absolute = strstr (trimmed, "://") != NULL ? g_strdup (trimmed) : g_strconcat ("https://", trimmed, NULL);
  uri = g_uri_parse (absolute, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      host == NULL || strchr (host, '.') == NULL || host[0] == '.' || host[strlen (host) - 1] == '.')
    return NULL;

  return g_steal_pointer (&absolute);
}

static char *
dup_trimmed (const char *value)
{
  g_autofree char *trimmed = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

  return trimmed != NULL && *trimmed != '\0' ? g_steal_pointer (&trimmed) : NULL;
}

static char *
clip (char *text)
{
  char *clipped;

  if (text == NULL || g_utf8_strlen (text, -1) <= SHIPMENT_FIELD_MAX)
    return text;
  clipped = g_utf8_substring (text, 0, SHIPMENT_FIELD_MAX);
  g_free (text);
  return clipped;
}

/* The carrier map's entry for @carrier: exact, then ignoring case. */
static const char *
lookup_carrier (GHashTable *carriers,
                const char *carrier)
{
  const char *mapped = g_hash_table_lookup (carriers, carrier);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, carriers);
  while (mapped == NULL && g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_ascii_strcasecmp (key, carrier) == 0)
        mapped = value;
    }
  return mapped;
}

/**
 * relay_mapping_prepare_shipment:
 * @shipment: a shipment as the destination reported it
 * @carriers: (nullable) (element-type utf8 utf8): TradeGecko carrier → Squarespace carrier
 * @error: return location for a #GError
 *
 * The parcel as Squarespace takes it: the carrier through the carrier map
 * (exact, then ignoring case), `Other` when TradeGecko has none; text trimmed
 * and cut to Squarespace's 100 characters; the tracking URL kept only when
 * it is, or can be made, a valid http(s) URL; the shipping date kept (0: not
 * known). @service stays %NULL when there is none.
 *
 * Returns: (transfer full): the shipment, or %NULL with %RELAY_ERROR_REJECTED
 *   when there is no tracking number (or it is too long to post)
 */
RelayShipment *
relay_mapping_prepare_shipment (const RelayShipment  *shipment,
                                GHashTable           *carriers,
                                GError              **error)
{
  g_autoptr(RelayShipment) prepared = g_new0 (RelayShipment, 1);
  g_autofree char *raw_url = NULL;
  const char *mapped;

  g_return_val_if_fail (shipment != NULL, NULL);

  prepared->tracking_number = dup_trimmed (shipment->tracking_number);
  if (prepared->tracking_number == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                           _("The TradeGecko shipment has no tracking number"));
      return NULL;
    }
  if (g_utf8_strlen (prepared->tracking_number, -1) > SHIPMENT_FIELD_MAX)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("The tracking number %.20s… is longer than Squarespace accepts (100 characters)"),
                   prepared->tracking_number);
      return NULL;
    }

  prepared->carrier = dup_trimmed (shipment->carrier);
  mapped = prepared->carrier != NULL && carriers != NULL ? lookup_carrier (carriers, prepared->carrier) : NULL;
  if (mapped != NULL)
    {
      g_free (prepared->carrier);
      prepared->carrier = g_strdup (mapped);
    }
  if (prepared->carrier == NULL)
    prepared->carrier = g_strdup ("Other");
  prepared->carrier = clip (prepared->carrier);
  prepared->service = clip (dup_trimmed (shipment->service));

  raw_url = dup_trimmed (shipment->tracking_url);
  prepared->tracking_url = relay_mapping_normalize_tracking_url (raw_url);

  prepared->fulfillment_id = shipment->fulfillment_id;
  prepared->squarespace_id = g_strdup (shipment->squarespace_id);
  prepared->tradegecko_order_id = shipment->tradegecko_order_id;
  prepared->status = g_strdup (shipment->status);
  prepared->shipped_at = shipment->shipped_at;
  prepared->lines_summary = g_strdup (shipment->lines_summary);
  prepared->posted_at = shipment->posted_at;
  return g_steal_pointer (&prepared);
}
