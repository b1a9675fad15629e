/* relay-mapping-reference.c — RelayMapping and the short reference (`cust_ref`)
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

/* The short, unique reference an order carries in TradeGecko: the only rule
 * that depends on more than its input (the store, for uniqueness). */

#define MIN_HASH_LENGTH   4
#define MAX_ATTEMPTS      100

struct _RelayMapping
{
  GObject     parent_instance;

  /* Owned */
  RelayStore *store;
  char       *prefix;
  guint       max_length;
  char       *charset;
  gboolean    allowed[128];
};

G_DEFINE_FINAL_TYPE (RelayMapping, relay_mapping, G_TYPE_OBJECT)

/* "A-Z0-9-": ranges and single characters; a dash that ends the string (or
 * cannot form a range) is itself allowed. */
static gboolean
parse_charset (const char  *charset,
               gboolean     allowed[128],
               GError     **error)
{
  gsize len = strlen (charset);
  gboolean any = FALSE;

  memset (allowed, 0, sizeof (gboolean) * 128);

  for (gsize i = 0; i < len; i++)
    {
      unsigned char first = (unsigned char) charset[i];

      if (first >= 128 || !g_ascii_isgraph (first))
        goto invalid;

      if (i + 2 < len && charset[i + 1] == '-')
        {
          unsigned char last = (unsigned char) charset[i + 2];

          if (last >= 128 || !g_ascii_isgraph (last) || last < first)
            goto invalid;
          for (unsigned c = first; c <= last; c++)
            allowed[c] = TRUE;
          i += 2;
        }
      else
        {
          allowed[first] = TRUE;
        }
      any = TRUE;
    }

  if (any)
    return TRUE;

invalid:
  g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
               _("“%s” is not a valid set of reference characters; write ranges and single characters, as in “A-Z0-9-”"),
               charset);
  return FALSE;
}

/* Upper case; characters outside the set are kept in lower case when only
 * that is allowed, and dropped otherwise. */
static char *
normalize (const gboolean  allowed[128],
           const char     *text)
{
  GString *out = g_string_new (NULL);

  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      unsigned char upper = (unsigned char) g_ascii_toupper (*p);
      unsigned char lower = (unsigned char) g_ascii_tolower (*p);

      if (*p >= 128)
        continue;
      if (allowed[upper])
        g_string_append_c (out, (char) upper);
      else if (allowed[lower])
        g_string_append_c (out, (char) lower);
    }

  return g_string_free (out, FALSE);
}

static char *
dup_alphabet (const gboolean allowed[128])
{
  static const char preferred[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  GString *alphabet = g_string_new (NULL);

  for (const char *p = preferred; *p != '\0'; p++)
    {
      if (allowed[(unsigned char) *p])
        g_string_append_c (alphabet, *p);
      else if (allowed[(unsigned char) g_ascii_tolower (*p)])
        g_string_append_c (alphabet, g_ascii_tolower (*p));
    }

  /* A set without letters and digits still makes references, just less readable ones. */
  if (alphabet->len < 2)
    {
      g_string_truncate (alphabet, 0);
      for (unsigned c = 33; c < 127; c++)
        {
          if (allowed[c])
            g_string_append_c (alphabet, (char) c);
        }
    }

  return g_string_free (alphabet, FALSE);
}

/* @length digits of SHA-256(@seed) written in @alphabet. */
static char *
hash_digits (const char *seed,
             const char *alphabet,
             guint       length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  guint base = (guint) strlen (alphabet);
  GString *out = g_string_new (NULL);

  g_checksum_update (checksum, (const guchar *) seed, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);

  for (guint d = 0; d < length; d++)
    {
      guint remainder = 0;

      /* Long division of the 256-bit number by the base. */
      for (gsize i = 0; i < digest_len; i++)
        {
          guint value = (remainder << 8) | digest[i];

          digest[i] = (guint8) (value / base);
          remainder = value % base;
        }
      g_string_append_c (out, alphabet[remainder]);
    }

  return g_string_free (out, FALSE);
}

/* Whether @candidate is free for @squarespace_id. */
static gboolean
reference_is_free (RelayMapping  *self,
                   const char    *candidate,
                   const char    *squarespace_id,
                   gboolean      *free_out,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;

  if (self->store == NULL)
    {
      *free_out = TRUE;
      return TRUE;
    }

  owner = relay_store_dup_cust_ref_owner (self->store, candidate, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *free_out = owner == NULL || g_strcmp0 (owner, squarespace_id) == 0;
  return TRUE;
}

static void
relay_mapping_finalize (GObject *object)
{
  RelayMapping *self = (RelayMapping *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->charset, g_free);

  G_OBJECT_CLASS (relay_mapping_parent_class)->finalize (object);
}

static void
relay_mapping_class_init (RelayMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_mapping_finalize;
}

static void
relay_mapping_init (RelayMapping *self)
{
  self->prefix = g_strdup (RELAY_MAPPING_DEFAULT_PREFIX);
  self->max_length = RELAY_MAPPING_DEFAULT_MAX_LENGTH;
  self->charset = g_strdup (RELAY_MAPPING_DEFAULT_CHARSET);
  parse_charset (self->charset, self->allowed, NULL);
}

/**
 * relay_mapping_new:
 * @store: (nullable): the store short references are checked against
 *
 * Returns: (transfer full): a mapping with the default reference rules
 *   (prefix `SQ-`, at most 12 characters of `A-Z0-9-`)
 */
RelayMapping *
relay_mapping_new (RelayStore *store)
{
  RelayMapping *self;

  g_return_val_if_fail (store == NULL || RELAY_IS_STORE (store), NULL);

  self = g_object_new (RELAY_TYPE_MAPPING, NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  return self;
}

/**
 * relay_mapping_set_cust_ref_rules:
 * @self: a #RelayMapping
 * @prefix: the reference prefix (GSettings `cust-ref-prefix`)
 * @max_length: the longest reference (`cust-ref-max-length`), at least 1
 * @charset: allowed characters (`cust-ref-charset`), e.g. `A-Z0-9-`
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the rules are valid and now in use; on %FALSE the old
 *   rules stay
 */
gboolean
relay_mapping_set_cust_ref_rules (RelayMapping  *self,
                                  const char    *prefix,
                                  guint          max_length,
                                  const char    *charset,
                                  GError       **error)
{
  gboolean allowed[128];

  g_return_val_if_fail (RELAY_IS_MAPPING (self), FALSE);
  g_return_val_if_fail (prefix != NULL && charset != NULL, FALSE);

  if (max_length == 0)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                           _("The longest reference must be at least one character"));
      return FALSE;
    }

  if (!parse_charset (charset, allowed, error))
    return FALSE;

  g_free (self->prefix);
  self->prefix = g_strdup (prefix);
  g_free (self->charset);
  self->charset = g_strdup (charset);
  self->max_length = max_length;
  memcpy (self->allowed, allowed, sizeof allowed);

  return TRUE;
}

/**
 * relay_mapping_dup_cust_ref:
 * @self: a #RelayMapping
 * @squarespace_id: the Squarespace order id
 * @order_number: the Squarespace order number
 * @error: return location for a #GError
 *
 * The short reference (TradeGecko `order_number`): the prefix and the order
 * number, upper-cased, with characters outside the set dropped. When that
 * does not fit the maximum length, has no characters of the order number
 * left, or is taken by another order, it is the prefix followed by base-N
 * digits of a SHA-256 of the Squarespace id (N = the letters and digits
 * allowed), trimmed to fit; on a collision the hash of `id#1`, `id#2`… is
 * tried, so the result depends only on the inputs and the store. A reference
 * the store already holds for this order is returned unchanged.
 *
 * Returns: (transfer full): the reference, or %NULL with an error
 */
char *
relay_mapping_dup_cust_ref (RelayMapping  *self,
                            const char    *squarespace_id,
                            const char    *order_number,
                            GError       **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *number = NULL;
  g_autofree char *alphabet = NULL;
  gsize prefix_len;
  guint hash_len;
  gboolean is_free = FALSE;

  g_return_val_if_fail (RELAY_IS_MAPPING (self), NULL);
  g_return_val_if_fail (squarespace_id != NULL && order_number != NULL, NULL);

  if (self->store != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RelayOrderRow) row = relay_store_find_order (self->store, squarespace_id, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (row != NULL && row->cust_ref != NULL)
        return g_strdup (row->cust_ref);
    }

  prefix = normalize (self->allowed, self->prefix);
  number = normalize (self->allowed, order_number);

  if (*number != '\0' && strlen (prefix) + strlen (number) <= self->max_length)
    {
      g_autofree char *natural = g_strconcat (prefix, number, NULL);

      if (!reference_is_free (self, natural, squarespace_id, &is_free, error))
        return NULL;
      if (is_free)
        return g_steal_pointer (&natural);
    }

  alphabet = dup_alphabet (self->allowed);
  if (strlen (alphabet) < 2)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_INVALID_REQUEST,
                   _("The reference characters “%s” are too few to make unique references"), self->charset);
      return NULL;
    }

  /* Keep at least a few hash digits, shortening the prefix if it must. */
  prefix_len = strlen (prefix);
  if (self->max_length >= prefix_len + MIN_HASH_LENGTH)
    hash_len = self->max_length - (guint) prefix_len;
  else
    hash_len = MIN (MIN_HASH_LENGTH, self->max_length);
  prefix[MIN (prefix_len, self->max_length - hash_len)] = '\0';

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autofree char *seed = attempt == 0 ? g_strdup (squarespace_id)
                                           : g_strdup_printf ("%s#%u", squarespace_id, attempt);
      g_autofree char *digits = hash_digits (seed, alphabet, hash_len);
      g_autofree char *candidate = g_strconcat (prefix, digits, NULL);

      if (!reference_is_free (self, candidate, squarespace_id, &is_free, error))
        return NULL;
      if (is_free)
        return g_steal_pointer (&candidate);
    }

  g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
               _("No free short reference was found for order %s; allow a longer reference or more characters"),
               order_number);
  return NULL;
}

/**
 * relay_mapping_assign_references:
 * @self: a #RelayMapping
 * @order: an order
 * @error: return location for a #GError
 *
 * Sets the order's `cust_po_no` (the full Squarespace order number) and
 * `cust_ref` (relay_mapping_dup_cust_ref()).
 *
 * Returns: %TRUE on success
 */
gboolean
relay_mapping_assign_references (RelayMapping  *self,
                                 RelayOrder    *order,
                                 GError       **error)
{
  g_autofree char *cust_ref = NULL;

  g_return_val_if_fail (RELAY_IS_MAPPING (self), FALSE);
  g_return_val_if_fail (RELAY_IS_ORDER (order), FALSE);

  cust_ref = relay_mapping_dup_cust_ref (self, relay_order_get_squarespace_id (order),
                                         relay_order_get_order_number (order), error);
  if (cust_ref == NULL)
    return FALSE;

  relay_order_set_references (order, relay_order_get_order_number (order), cust_ref);
  return TRUE;
}
