/* relay-mapping.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-json.h"
#include "relay-mapping.h"

/* The rules that turn a Squarespace order into a TradeGecko sales order and a
 * TradeGecko fulfillment into a Squarespace shipment. Pure functions of their
 * input, except the cust_ref uniqueness check against the store. */

#define MIN_HASH_LENGTH   4
#define MAX_ATTEMPTS      100
#define SHIPMENT_FIELD_MAX 100

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

/* ------------------------------------------------------------------------ */
/* SKU resolution                                                            */

/* The TradeGecko SKU a line asks for: an alias of its Squarespace variant
 * first (Squarespace SKUs need not be unique, squarespace-api.md §8 item 11),
 * then an alias of its SKU, then the SKU itself. */
static const char *
lookup_sku (GHashTable           *aliases,
            const RelayOrderLine *line,
            RelayMatchRule       *rule)
{
  const char *alias = NULL;

  *rule = RELAY_MATCH_SKU;
  if (aliases == NULL)
    return line->sku;

  if (line->variant_id != NULL)
    {
      g_autofree char *key = g_strconcat (RELAY_ALIAS_VARIANT_PREFIX, line->variant_id, NULL);

      alias = g_hash_table_lookup (aliases, key);
      if (alias != NULL)
        {
          *rule = RELAY_MATCH_VARIANT_ALIAS;
          return alias;
        }
    }
  alias = line->sku != NULL ? g_hash_table_lookup (aliases, line->sku) : NULL;
  if (alias != NULL)
    {
      *rule = RELAY_MATCH_SKU_ALIAS;
      return alias;
    }
  return line->sku;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * relay_mapping_dup_needed_skus:
 * @order: an order
 * @aliases: (nullable) (element-type utf8 utf8): store SKU → TradeGecko SKU
 *
 * Returns: (transfer full): the distinct TradeGecko SKUs the order's physical
 *   lines need, sorted, for one batched `GET /variants?sku[]=…`
 */
char **
relay_mapping_dup_needed_skus (RelayOrder *order,
                               GHashTable *aliases)
{
  g_autoptr(GPtrArray) skus = g_ptr_array_new ();
  GPtrArray *lines;

  g_return_val_if_fail (RELAY_IS_ORDER (order), NULL);

  lines = relay_order_get_lines (order);
  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      const char *sku;
      RelayMatchRule rule;
      gboolean seen = FALSE;

      if (!line->is_physical)
        continue;
      sku = lookup_sku (aliases, line, &rule);
      if (sku == NULL)
        continue;
      for (guint j = 0; j < skus->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (skus, j), sku) == 0;
      if (!seen)
        g_ptr_array_add (skus, g_strdup (sku));
    }

  g_ptr_array_sort (skus, compare_strings);
  g_ptr_array_add (skus, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&skus), FALSE);
}

void
relay_resolution_free (RelayResolution *resolution)
{
  if (resolution == NULL)
    return;

  g_clear_object (&resolution->order);
  g_clear_pointer (&resolution->lines, g_ptr_array_unref);
  g_free (resolution->rejection);
  g_free (resolution);
}

static void
append_unique (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    {
      if (strcmp (g_ptr_array_index (names, i), name) == 0)
        return;
    }
  g_ptr_array_add (names, (gpointer) name);
}

static char *
join_names (GPtrArray *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (names, i));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * relay_mapping_resolve_lines:
 * @order: an order
 * @aliases: (nullable) (element-type utf8 utf8): store SKU → TradeGecko SKU
 * @variants: (nullable): TradeGecko variant objects found for the needed SKUs
 * @error: return location for a #GError
 *
 * Matches every physical line to exactly one **active** variant whose `sku`
 * equals the line's SKU (after the alias) byte for byte. Digital lines are
 * left out. The result's @rejection names the SKUs that are unknown,
 * ambiguous (several active variants) or missing on a physical line.
 *
 * Returns: (transfer full): the resolution, or %NULL with
 *   %RELAY_ERROR_MALFORMED_RESPONSE when a matching variant has no id
 */
RelayResolution *
relay_mapping_resolve_lines (RelayOrder  *order,
                             GHashTable  *aliases,
                             JsonArray   *variants,
                             GError     **error)
{
  g_autoptr(RelayResolution) resolution = g_new0 (RelayResolution, 1);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
  g_autoptr(GPtrArray) ambiguous = g_ptr_array_new ();
  g_autoptr(GPtrArray) no_sku = g_ptr_array_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *lines;
  gboolean physical = FALSE;

  g_return_val_if_fail (RELAY_IS_ORDER (order), NULL);

  resolution->order = g_object_ref (order);
  resolution->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_resolved_line_free);

  lines = relay_order_get_lines (order);
  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      const char *wanted;
      gint64 variant_id = 0;
      guint matches = 0;
      RelayLineStatus status;
      RelayMatchRule rule;
      RelayResolvedLine *resolved;

      if (line->is_service)
        {
          g_ptr_array_add (resolution->lines,
                           relay_resolved_line_new (line->id, line->sku, NULL, 0, line->quantity, RELAY_LINE_SERVICE));
          continue;
        }
      if (!line->is_physical)
        {
          g_ptr_array_add (resolution->lines,
                           relay_resolved_line_new (line->id, NULL, NULL, 0, line->quantity, RELAY_LINE_DIGITAL));
          continue;
        }
      physical = TRUE;

      wanted = lookup_sku (aliases, line, &rule);
      if (wanted == NULL)
        {
          append_unique (no_sku, line->product_name != NULL ? line->product_name : line->id);
          g_ptr_array_add (resolution->lines,
                           relay_resolved_line_new (line->id, NULL, NULL, 0, line->quantity, RELAY_LINE_NO_SKU));
          continue;
        }

      for (guint j = 0; variants != NULL && j < json_array_get_length (variants); j++)
        {
          JsonNode *node = json_array_get_element (variants, j);
          JsonObject *variant;
          JsonNode *id;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          variant = json_node_get_object (node);
          if (g_strcmp0 (relay_json_get_string (variant, "sku"), wanted) != 0 ||
              g_strcmp0 (relay_json_get_string (variant, "status"), "active") != 0)
            continue;

          id = json_object_get_member (variant, "id");
          if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64 ||
              json_node_get_int (id) <= 0)
            {
              g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("TradeGecko sent variant %s without a valid id"), wanted);
              return NULL;
            }
          /* The same variant twice in a batched answer is still one variant. */
          if (matches == 0 || json_node_get_int (id) != variant_id)
            matches++;
          variant_id = json_node_get_int (id);
        }

      if (matches == 1)
        status = RELAY_LINE_RESOLVED;
      else if (matches == 0)
        {
          status = RELAY_LINE_UNKNOWN_SKU;
          variant_id = 0;
          append_unique (unknown, wanted);
        }
      else
        {
          status = RELAY_LINE_AMBIGUOUS_SKU;
          variant_id = 0;
          append_unique (ambiguous, wanted);
        }

      resolved = relay_resolved_line_new (line->id, line->sku, wanted, variant_id, line->quantity, status);
      resolved->rule = rule;
      g_ptr_array_add (resolution->lines, resolved);
    }

  if (unknown->len > 0)
    {
      g_autofree char *names = join_names (unknown);
      g_ptr_array_add (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "TradeGecko has no active item with SKU %s",
                                                              "TradeGecko has no active items with SKUs %s",
                                                              unknown->len), names));
    }
  if (ambiguous->len > 0)
    {
      g_autofree char *names = join_names (ambiguous);
      g_ptr_array_add (reasons, g_strdup_printf (_("Several active TradeGecko items share the SKU %s"), names));
    }
  if (no_sku->len > 0)
    {
      g_autofree char *names = join_names (no_sku);
      g_ptr_array_add (reasons, g_strdup_printf (_("No SKU in Squarespace for %s"), names));
    }
  if (reasons->len > 0)
    {
      g_ptr_array_add (reasons, NULL);
      resolution->rejection = g_strjoinv ("; ", (char **) reasons->pdata);
    }

  resolution->nothing_to_ship = !physical;
  return g_steal_pointer (&resolution);
}

/* ------------------------------------------------------------------------ */
/* Sales order                                                               */

static void
set_optional_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
}

static JsonObject *
build_address (const RelayAddress *address,
               const char         *label,
               const char         *email)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "label", label);
  set_optional_string (object, "first_name", address->first_name);
  set_optional_string (object, "last_name", address->last_name);
  set_optional_string (object, "address1", address->address1);
  set_optional_string (object, "address2", address->address2);
  set_optional_string (object, "city", address->city);
  set_optional_string (object, "state", address->state);
  set_optional_string (object, "zip_code", address->postal_code);
  set_optional_string (object, "country_code", address->country_code);
  set_optional_string (object, "phone_number", address->phone);
  set_optional_string (object, "email", email);

  return object;
}

static void
append_pairs (GString    *notes,
              GPtrArray  *pairs)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      RelayLabelValue *pair = g_ptr_array_index (pairs, i);

      g_string_append_printf (notes, "%s%s: %s", i > 0 ? "; " : "",
                              pair->label != NULL ? pair->label : "", pair->value != NULL ? pair->value : "");
    }
}

/* Notes are what the warehouse and the accountant read on the sales order:
 * the merchant's internal notes first, then each line's options and
 * customizations, then the buyer's checkout-form answers (a gift message). */
static char *
build_notes (RelayResolution *resolution)
{
  g_autoptr(GString) notes = g_string_new (NULL);
  GPtrArray *lines = relay_order_get_lines (resolution->order);
  GPtrArray *form = relay_order_get_form_submission (resolution->order);
  GPtrArray *internal = relay_order_get_internal_notes (resolution->order);

  for (guint i = 0; i < internal->len; i++)
    g_string_append_printf (notes, _("Merchant note: %s\n"), (const char *) g_ptr_array_index (internal, i));

  for (guint i = 0; i < lines->len; i++)
    {
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      const char *name = line->product_name != NULL ? line->product_name : line->id;

      if (line->variant_options->len == 0 && line->customizations->len == 0)
        continue;

      g_string_append_printf (notes, "%s", name);
      if (line->sku != NULL)
        g_string_append_printf (notes, " (%s)", line->sku);
      g_string_append (notes, ": ");
      append_pairs (notes, line->variant_options);
      if (line->variant_options->len > 0 && line->customizations->len > 0)
        g_string_append (notes, "; ");
      append_pairs (notes, line->customizations);
      g_string_append_c (notes, '\n');
    }

  if (form->len > 0)
    {
      g_string_append (notes, _("Checkout form: "));
      append_pairs (notes, form);
      g_string_append_c (notes, '\n');
    }

  if (notes->len > 0 && notes->str[notes->len - 1] == '\n')
    g_string_truncate (notes, notes->len - 1);

  return notes->len > 0 ? g_string_free (g_steal_pointer (&notes), FALSE) : NULL;
}

static const char *
shipping_label (const RelaySalesOrderOptions *options,
                const char                   *method)
{
  const char *mapped = NULL;

  if (method != NULL && options != NULL && options->shipping_methods != NULL)
    mapped = g_hash_table_lookup (options->shipping_methods, method);

  if (mapped != NULL)
    return mapped;
  return method != NULL ? method : _("Shipping");
}

static const char *
line_type_of (RelaySalesLineKind kind)
{
  switch (kind)
    {
    case RELAY_SALES_LINE_SHIPPING:
      return "shipping";
    case RELAY_SALES_LINE_DISCOUNT:
      return "discount";
    case RELAY_SALES_LINE_ROUNDING:
      return "rounding";
    case RELAY_SALES_LINE_PRODUCT:
    case RELAY_SALES_LINE_SERVICE:
    default:
      return "product";
    }
}

/* One `order_line_items` entry (tradegecko-api.md §7.3): a variant line, or a
 * freeform line (`freeform`, `line_type`, `label`) for everything that is not
 * stock: services, digital items, shipping, discounts, rounding. */
static JsonObject *
sales_line_json (const RelaySalesLine *line,
                 const char           *currency,
                 gboolean              with_tax)
{
  JsonObject *object = json_object_new ();
  RelayMoney price;
  g_autofree char *text = NULL;

  relay_money_init (&price, line->unit_price, currency);
  text = relay_money_format (&price);

  if (line->kind == RELAY_SALES_LINE_PRODUCT && line->variant_id > 0)
    json_object_set_int_member (object, "variant_id", line->variant_id);
  else
    {
      json_object_set_boolean_member (object, "freeform", TRUE);
      json_object_set_string_member (object, "line_type", line_type_of (line->kind));
      json_object_set_string_member (object, "label", line->label != NULL ? line->label : "");
    }
  json_object_set_int_member (object, "quantity", line->quantity);
  json_object_set_string_member (object, "price", text);

  if (with_tax)
    {
      json_object_set_int_member (object, "tax_type_id", line->tax_type_id);
      if (line->has_rate_override)
        {
          g_autofree char *rate = relay_tax_format_rate (line->rate_override);

          json_object_set_string_member (object, "tax_rate_override", rate);
        }
    }

  return object;
}

static char *
line_label (const RelayOrderLine *line,
            const char           *kind)
{
  const char *name = line->product_name != NULL ? line->product_name : line->id;

  return line->sku != NULL ? g_strdup_printf ("%s (%s, %s)", name, line->sku, kind)
                           : g_strdup_printf ("%s (%s)", name, kind);
}

/* The sales order's lines in domain terms, before tax: variant lines for
 * stock, freeform lines for the rest, so that the lines add up to what the
 * buyer paid. */
static GPtrArray *
collect_sales_lines (RelayResolution              *resolution,
                     const RelaySalesOrderOptions *options)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sales_line_free);
  RelayOrder *source = resolution->order;
  GPtrArray *lines = relay_order_get_lines (source);
  GPtrArray *shipping_lines = relay_order_get_shipping_lines (source);
  GPtrArray *discounts = relay_order_get_discount_lines (source);
  gboolean tax_shipping = options->tax == NULL || options->tax->tax_shipping;

  for (guint i = 0; i < resolution->lines->len; i++)
    {
      RelayResolvedLine *resolved = g_ptr_array_index (resolution->lines, i);
      RelayOrderLine *line = g_ptr_array_index (lines, i);
      RelaySalesLine *sales;

      if (resolved->status == RELAY_LINE_RESOLVED)
        {
          sales = relay_sales_line_new (RELAY_SALES_LINE_PRODUCT, NULL, (int) i, line->quantity,
                                        line->unit_price.minor, TRUE);
          sales->variant_id = resolved->variant_id;
        }
      else if (resolved->status == RELAY_LINE_SERVICE || resolved->status == RELAY_LINE_DIGITAL)
        {
          g_autofree char *label = line_label (line, resolved->status == RELAY_LINE_SERVICE ? _("service")
                                                                                            : _("digital"));

          sales = relay_sales_line_new (RELAY_SALES_LINE_SERVICE, label, (int) i, line->quantity,
                                        line->unit_price.minor, TRUE);
        }
      else
        continue;
      g_ptr_array_add (out, sales);
    }

  if (shipping_lines->len > 0)
    {
      for (guint i = 0; i < shipping_lines->len; i++)
        {
          RelayShippingLine *line = g_ptr_array_index (shipping_lines, i);

          g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_SHIPPING, shipping_label (options, line->method),
                                                      -1, 1, line->amount.minor, tax_shipping));
        }
    }
  else if (relay_order_get_shipping_total (source)->minor != 0)
    g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_SHIPPING, _("Shipping"), -1, 1,
                                                relay_order_get_shipping_total (source)->minor, tax_shipping));

  /* Squarespace discounts come off before tax, so the discount line is taxed
   * (negatively) like the goods. */
  if (discounts->len > 0)
    {
      for (guint i = 0; i < discounts->len; i++)
        {
          RelayDiscountLine *line = g_ptr_array_index (discounts, i);
          const char *label = line->name != NULL ? line->name : (line->promo_code != NULL ? line->promo_code : _("Discount"));

          if (line->amount.minor != 0)
            g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_DISCOUNT, label, -1, 1,
                                                        -line->amount.minor, TRUE));
        }
    }
  else if (relay_order_get_discount_total (source)->minor != 0)
    g_ptr_array_add (out, relay_sales_line_new (RELAY_SALES_LINE_DISCOUNT, _("Discount"), -1, 1,
                                                -relay_order_get_discount_total (source)->minor, TRUE));

  return out;
}

/**
 * relay_mapping_plan_tax:
 * @resolution: a resolution without rejection
 * @options: the settings, with the account's facts
 * @error: return location for a #GError
 *
 * The sales order's lines with their tax types and rates, and TradeGecko's
 * total next to Squarespace's (relay_tax_plan_new()). Checks first that the
 * TradeGecko account has the order's currency.
 *
 * Returns: (transfer full): the plan, or %NULL with %RELAY_ERROR_REJECTED
 */
RelayTaxPlan *
relay_mapping_plan_tax (RelayResolution              *resolution,
                        const RelaySalesOrderOptions *options,
                        GError                      **error)
{
  RelayOrder *source;
  const char *currency;

  g_return_val_if_fail (resolution != NULL && RELAY_IS_ORDER (resolution->order), NULL);
  g_return_val_if_fail (options != NULL && options->account != NULL, NULL);

  source = resolution->order;
  currency = relay_order_get_currency (source);

  /* tradegecko-api.md §7.2 (currency note): an order in a currency the
   * account lacks fails; the sales guide's fix is to add the currency. */
  if (!relay_account_facts_has_currency (options->account, currency))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("TradeGecko has no %s currency; add %s under Currencies in TradeGecko, then retry the order"),
                   currency, currency);
      return NULL;
    }

  return relay_tax_plan_new (collect_sales_lines (resolution, options),
                             relay_order_get_tax_interpretation (source) == RELAY_TAX_INCLUSIVE,
                             relay_order_get_tax_total (source), relay_order_get_grand_total (source),
                             options->account, options->tax, error);
}

/**
 * relay_mapping_dup_issued_at:
 * @order: an order
 * @account: (nullable): the TradeGecko account
 *
 * Returns: (transfer full): the order's date (`YYYY-MM-DD`) in the
 *   account's time zone (tradegecko-api.md §9 `time_zone`), or in UTC when
 *   the account has none (or one GLib does not know)
 */
char *
relay_mapping_dup_issued_at (RelayOrder              *order,
                             const RelayAccountFacts *account)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (RELAY_IS_ORDER (order), NULL);

  if (account != NULL && account->time_zone != NULL)
    zone = g_time_zone_new_identifier (account->time_zone);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (relay_order_get_created_on (order), zone);
  return g_date_time_format (local, "%Y-%m-%d");
}

/**
 * relay_mapping_build_sales_order:
 * @resolution: a resolution without rejection, of an order with references
 * @options: (nullable): the customer ids and settings
 * @error: return location for a #GError
 *
 * The body of `POST /orders`: `{"order": {...}}` with the variant lines, a
 * freeform line per service or digital item, per shipping option and (with a
 * negative price) per promotion, the merchant's notes, options,
 * customizations and form answers in `notes`, and, with the account's facts,
 * every line's `tax_type_id` (relay_mapping_plan_tax()), `issued_at` in the
 * account's time zone and the chosen `stock_location_id`. Test orders become
 * drafts tagged `test`.
 *
 * Returns: (transfer full): the body, or %NULL with %RELAY_ERROR_REJECTED when
 *   the order cannot be delivered (unresolved lines, nothing to ship, no street
 *   address for a new customer)
 */
JsonNode *
relay_mapping_build_sales_order (RelayResolution              *resolution,
                                 const RelaySalesOrderOptions *options,
                                 GError                      **error)
{
  static const RelaySalesOrderOptions defaults = { 0 };
  g_autoptr(JsonObject) order = json_object_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(RelayTaxPlan) plan = NULL;
  g_autoptr(GPtrArray) untaxed = NULL;
  g_autofree char *issued_at = NULL;
  g_autofree char *notes = NULL;
  JsonArray *tags;
  JsonArray *items;
  RelayOrder *source;
  const RelayAddress *shipping;
  const RelayAddress *billing;
  GPtrArray *sales_lines;
  gboolean test = FALSE;

  g_return_val_if_fail (resolution != NULL && RELAY_IS_ORDER (resolution->order), NULL);

  if (options == NULL)
    options = &defaults;
  source = resolution->order;

  if (resolution->rejection != NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED, resolution->rejection);
      return NULL;
    }
  if (resolution->nothing_to_ship)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("Order %s has only digital items or services; there is nothing to ship"),
                   relay_order_get_order_number (source));
      return NULL;
    }
  if (relay_order_get_cust_ref (source) == NULL || relay_order_get_cust_po_no (source) == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                   _("Order %s has no reference yet"), relay_order_get_order_number (source));
      return NULL;
    }

  shipping = relay_order_get_shipping_address (source);
  billing = relay_order_get_billing_address (source);
  if (options->shipping_address_id == 0 && shipping->address1 == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("Order %s has no street in its shipping address"), relay_order_get_order_number (source));
      return NULL;
    }

  if (options->account != NULL)
    {
      plan = relay_mapping_plan_tax (resolution, options, error);
      if (plan == NULL)
        return NULL;
      sales_lines = plan->lines;
    }
  else
    sales_lines = untaxed = collect_sales_lines (resolution, options);

  test = relay_order_get_testmode (source);
  issued_at = relay_mapping_dup_issued_at (source, options->account);

  json_object_set_string_member (order, "order_number", relay_order_get_cust_ref (source));
  json_object_set_string_member (order, "reference_number", relay_order_get_cust_po_no (source));
  json_object_set_string_member (order, "issued_at", issued_at);
  set_optional_string (order, "email", relay_order_get_customer_email (source));
  set_optional_string (order, "phone_number", relay_order_get_customer_phone (source));
  switch (relay_order_get_tax_interpretation (source))
    {
    case RELAY_TAX_EXCLUSIVE:
      json_object_set_string_member (order, "tax_treatment", "exclusive");
      break;
    case RELAY_TAX_INCLUSIVE:
      json_object_set_string_member (order, "tax_treatment", "inclusive");
      break;
    case RELAY_TAX_UNKNOWN:
    default:
      /* The plan reads an order without priceTaxInterpretation as exclusive;
       * leaving it out would let the account's default decide instead. */
      if (plan != NULL)
        json_object_set_string_member (order, "tax_treatment", "exclusive");
      break;
    }
  json_object_set_string_member (order, "currency_iso", relay_order_get_currency (source));
  json_object_set_string_member (order, "status", options->draft || test ? "draft" : "active");
  set_optional_string (order, "source_url", options->source_url);
  /* Named on every order, so the warehouse is never left to chance: the
   * merchant's choice, else the account's primary location (§9). */
  if (options->stock_location_id > 0)
    json_object_set_int_member (order, "stock_location_id", options->stock_location_id);
  else if (options->account != NULL && options->account->primary_location_id > 0)
    json_object_set_int_member (order, "stock_location_id", options->account->primary_location_id);

  tags = json_array_new ();
  json_array_add_string_element (tags, "squarespace");
  if (test)
    json_array_add_string_element (tags, "test");
  json_object_set_array_member (order, "tags", tags);

  if (options->company_id > 0)
    {
      json_object_set_int_member (order, "company_id", options->company_id);
      if (options->shipping_address_id > 0)
        json_object_set_int_member (order, "shipping_address_id", options->shipping_address_id);
      else
        json_object_set_object_member (order, "shipping_address",
                                       build_address (shipping, _("Shipping"), relay_order_get_customer_email (source)));
      if (options->billing_address_id > 0)
        json_object_set_int_member (order, "billing_address_id", options->billing_address_id);
    }
  else
    {
      JsonObject *company = json_object_new ();
      const char *name = relay_order_get_customer_name (source);

      if (name == NULL)
        name = relay_order_get_customer_email (source);
      json_object_set_string_member (company, "name",
                                     name != NULL ? name : relay_order_get_cust_ref (source));
      json_object_set_string_member (company, "company_type", "consumer");
      set_optional_string (company, "email", relay_order_get_customer_email (source));
      set_optional_string (company, "phone_number", relay_order_get_customer_phone (source));
      json_object_set_object_member (order, "company", company);
      json_object_set_object_member (order, "shipping_address",
                                     build_address (shipping, _("Shipping"), relay_order_get_customer_email (source)));
      /* TradeGecko bills the shipping address unless told otherwise. */
      if (billing->address1 != NULL && !relay_address_equal (shipping, billing))
        json_object_set_object_member (order, "billing_address",
                                       build_address (billing, _("Billing"), relay_order_get_customer_email (source)));
    }

  items = json_array_new ();
  for (guint i = 0; i < sales_lines->len; i++)
    json_array_add_object_element (items, sales_line_json (g_ptr_array_index (sales_lines, i),
                                                           relay_order_get_currency (source), plan != NULL));

  json_object_set_array_member (order, "order_line_items", items);

  notes = build_notes (resolution);
  set_optional_string (order, "notes", notes);

  json_object_set_object_member (body, "order", g_steal_pointer (&order));
  return json_node_init_object (json_node_alloc (), body);
}

/**
 * relay_mapping_match_rule_text:
 * @rule: how a line found its TradeGecko SKU
 *
 * Returns: (transfer none): e.g. `by variant alias`, for previews
 */
const char *
relay_mapping_match_rule_text (RelayMatchRule rule)
{
  switch (rule)
    {
    case RELAY_MATCH_VARIANT_ALIAS:
      return _("by variant alias");
    case RELAY_MATCH_SKU_ALIAS:
      return _("by SKU alias");
    case RELAY_MATCH_SKU:
    default:
      return _("by SKU");
    }
}

/**
 * relay_mapping_dup_totals_summary:
 * @resolution: the resolution the plan was made from
 * @plan: a tax plan
 *
 * Returns: (transfer full): one paragraph for the order's timeline: both
 *   totals side by side, then each line's tax
 */
char *
relay_mapping_dup_totals_summary (RelayResolution    *resolution,
                                  const RelayTaxPlan *plan)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *squarespace_total = relay_money_format_display (&plan->squarespace_total);
  g_autofree char *squarespace_tax = relay_money_format_display (&plan->squarespace_tax);
  g_autofree char *tradegecko_total = relay_money_format_display (&plan->tradegecko_total);
  g_autofree char *tradegecko_tax = relay_money_format_display (&plan->tradegecko_tax);
  GPtrArray *lines = relay_order_get_lines (resolution->order);

  g_return_val_if_fail (resolution != NULL && plan != NULL, NULL);

  g_string_append_printf (text, _("Squarespace %s (tax %s) · TradeGecko %s (tax %s, %s). Tax per line:"),
                          squarespace_total, squarespace_tax, tradegecko_total, tradegecko_tax,
                          plan->tax_type.name != NULL ? plan->tax_type.name : "?");
  for (guint i = 0; i < plan->lines->len; i++)
    {
      const RelaySalesLine *line = g_ptr_array_index (plan->lines, i);
      const RelayOrderLine *source = line->source_index >= 0 && (guint) line->source_index < lines->len
                                     ? g_ptr_array_index (lines, line->source_index) : NULL;
      const char *name = source != NULL && source->product_name != NULL ? source->product_name : line->label;
      RelayMoney tax;
      g_autofree char *tax_text = NULL;

      relay_money_init (&tax, line->tax, plan->squarespace_total.currency);
      tax_text = relay_money_format_display (&tax);
      g_string_append_printf (text, "%s %s %s", i > 0 ? ";" : "", name != NULL ? name : "?", tax_text);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------------------ */
/* Shipments back to Squarespace                                             */

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
dup_member_string (JsonObject *object,
                   const char *member)
{
  const char *value = relay_json_get_string (object, member);
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

/**
 * relay_mapping_build_shipment:
 * @fulfillment: a TradeGecko fulfillment object
 * @carriers: (nullable) (element-type utf8 utf8): TradeGecko carrier → Squarespace carrier
 * @error: return location for a #GError
 *
 * One Squarespace shipment (`shipDate`, `carrierName`, `service`,
 * `trackingNumber`, `trackingUrl`). The carrier goes through the carrier map
 * (exact, then ignoring case) and is `Other` when TradeGecko has none;
 * `service` falls back to the delivery type, else null; text is cut to
 * Squarespace's 100 characters; the tracking URL is kept only when it is, or
 * can be made, a valid http(s) URL. The date is `shipped_at`, else
 * `packed_at`, else `updated_at`.
 *
 * Returns: (transfer full): the shipment, or %NULL with %RELAY_ERROR_REJECTED
 *   when there is no tracking number (or it is too long to post) and
 *   %RELAY_ERROR_MALFORMED_RESPONSE when there is no usable date
 */
JsonObject *
relay_mapping_build_shipment (JsonObject  *fulfillment,
                              GHashTable  *carriers,
                              GError     **error)
{
  g_autoptr(JsonObject) shipment = json_object_new ();
  g_autofree char *tracking_number = NULL;
  g_autofree char *carrier = NULL;
  g_autofree char *service = NULL;
  g_autofree char *url = NULL;
  g_autofree char *raw_url = NULL;
  g_autofree char *ship_date = NULL;
  g_autoptr(GDateTime) when = NULL;
  const char *date_members[] = { "shipped_at", "packed_at", "updated_at" };

  g_return_val_if_fail (fulfillment != NULL, NULL);

  tracking_number = dup_member_string (fulfillment, "tracking_number");
  if (tracking_number == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                           _("The TradeGecko shipment has no tracking number"));
      return NULL;
    }
  if (g_utf8_strlen (tracking_number, -1) > SHIPMENT_FIELD_MAX)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_REJECTED,
                   _("The tracking number %.20s… is longer than Squarespace accepts (100 characters)"),
                   tracking_number);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (date_members) && when == NULL; i++)
    {
      g_autofree char *text = dup_member_string (fulfillment, date_members[i]);

      if (text != NULL)
        when = relay_parse_iso8601 (text);
    }
  if (when == NULL)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The TradeGecko shipment %s has no shipping date"), tracking_number);
      return NULL;
    }
  ship_date = relay_format_iso8601_millis (when);

  carrier = dup_member_string (fulfillment, "tracking_company");
  if (carrier != NULL && carriers != NULL)
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
      if (mapped != NULL)
        {
          g_free (carrier);
          carrier = g_strdup (mapped);
        }
    }
  if (carrier == NULL)
    carrier = g_strdup ("Other");

  service = dup_member_string (fulfillment, "service");
  if (service == NULL)
    service = dup_member_string (fulfillment, "delivery_type");

  raw_url = dup_member_string (fulfillment, "tracking_url");
  url = relay_mapping_normalize_tracking_url (raw_url);

  json_object_set_string_member (shipment, "shipDate", ship_date);
  json_object_set_string_member (shipment, "carrierName", (carrier = clip (carrier)));
  if (service != NULL)
    json_object_set_string_member (shipment, "service", (service = clip (service)));
  else
    json_object_set_null_member (shipment, "service");
  json_object_set_string_member (shipment, "trackingNumber", tracking_number);
  if (url != NULL)
    json_object_set_string_member (shipment, "trackingUrl", url);

  return g_steal_pointer (&shipment);
}

/* The line items of @fulfillment: sideloaded ones that point at it, or the
 * ones embedded in it. */
static GPtrArray *
fulfillment_items (JsonObject *fulfillment,
                   JsonArray  *sideloaded)
{
  GPtrArray *items = g_ptr_array_new ();
  gint64 id = relay_json_get_int (fulfillment, "id", 0);
  JsonArray *embedded = json_object_has_member (fulfillment, "fulfillment_line_items") &&
                        JSON_NODE_HOLDS_ARRAY (json_object_get_member (fulfillment, "fulfillment_line_items"))
                        ? json_object_get_array_member (fulfillment, "fulfillment_line_items") : NULL;
  JsonArray *source = embedded != NULL ? embedded : sideloaded;

  for (guint i = 0; source != NULL && i < json_array_get_length (source); i++)
    {
      JsonNode *node = json_array_get_element (source, i);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if (embedded != NULL || relay_json_get_int (item, "fulfillment_id", -1) == id)
        g_ptr_array_add (items, item);
    }

  return items;
}

/* TradeGecko sends quantities as decimal strings ("1.0"), sometimes numbers;
 * anything negative or beyond RELAY_ORDER_MAX_QUANTITY is not a shipment line. */
static gboolean
item_quantity (JsonObject  *item,
               gint64      *out_milli,
               GError     **error)
{
  JsonNode *node = json_object_get_member (item, "quantity");
  gint64 milli = -1;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 whole = json_node_get_int (node);

      if (whole >= 0 && whole <= RELAY_ORDER_MAX_QUANTITY)
        milli = whole * 1000;
    }
  else if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           !relay_decimal_parse (json_node_get_string (node), 3, &milli, NULL))
    milli = -1;

  if (milli >= 0 && milli <= RELAY_ORDER_MAX_QUANTITY * 1000)
    {
      *out_milli = milli;
      return TRUE;
    }

  g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                       _("A TradeGecko shipment line has no valid quantity"));
  return FALSE;
}

/**
 * relay_mapping_is_fully_shipped:
 * @resolved_lines: (element-type RelayResolvedLine): the order's lines as delivered
 * @fulfillments: TradeGecko fulfillment objects of the order
 * @fulfillment_line_items: (nullable): sideloaded fulfillment line items
 *   (or %NULL when each fulfillment embeds its own)
 * @count_packed: whether `packed` fulfillments count as shipped
 * @error: return location for a #GError
 *
 * Whether every delivered line's quantity is covered by shipped fulfillment
 * lines of the same variant (matched by `variant_id`, else `variant_sku`).
 * Void and deleted fulfillments never count.
 *
 * Returns: %TRUE when everything shipped; %FALSE otherwise or on error
 */
gboolean
relay_mapping_is_fully_shipped (GPtrArray  *resolved_lines,
                                JsonArray  *fulfillments,
                                JsonArray  *fulfillment_line_items,
                                gboolean    count_packed,
                                GError    **error)
{
  g_autoptr(GHashTable) needed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) by_sku = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (resolved_lines != NULL, FALSE);

  for (guint i = 0; i < resolved_lines->len; i++)
    {
      RelayResolvedLine *line = g_ptr_array_index (resolved_lines, i);
      gint64 *remaining;

      if (line->status != RELAY_LINE_RESOLVED || line->variant_id == 0)
        continue;
      remaining = g_hash_table_lookup (needed, &line->variant_id);
      if (remaining == NULL)
        {
          remaining = g_new0 (gint64, 1);
          g_hash_table_insert (needed, g_memdup2 (&line->variant_id, sizeof (gint64)), remaining);
        }
      *remaining += line->quantity * 1000;
      if (line->tradegecko_sku != NULL)
        g_hash_table_insert (by_sku, line->tradegecko_sku, &line->variant_id);
    }

  if (g_hash_table_size (needed) == 0)
    return FALSE;

  for (guint i = 0; fulfillments != NULL && i < json_array_get_length (fulfillments); i++)
    {
      JsonNode *node = json_array_get_element (fulfillments, i);
      JsonObject *fulfillment;
      const char *status;
      g_autoptr(GPtrArray) items = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      fulfillment = json_node_get_object (node);
      status = relay_json_get_string (fulfillment, "status");
      if (g_strcmp0 (status, "fulfilled") != 0 && !(count_packed && g_strcmp0 (status, "packed") == 0))
        continue;

      items = fulfillment_items (fulfillment, fulfillment_line_items);
      for (guint j = 0; j < items->len; j++)
        {
          JsonObject *item = g_ptr_array_index (items, j);
          gint64 variant_id = relay_json_get_int (item, "variant_id", 0);
          const char *sku = relay_json_get_string (item, "variant_sku");
          gint64 *remaining = variant_id != 0 ? g_hash_table_lookup (needed, &variant_id) : NULL;
          gint64 quantity;

          if (remaining == NULL && sku != NULL && g_hash_table_lookup (by_sku, sku) != NULL)
            remaining = g_hash_table_lookup (needed, g_hash_table_lookup (by_sku, sku));
          if (remaining == NULL)
            continue;
          if (!item_quantity (item, &quantity, error))
            return FALSE;
          *remaining -= quantity;
        }
    }

  g_hash_table_iter_init (&iter, needed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (*(gint64 *) value > 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * relay_mapping_dup_lines_summary:
 * @fulfillment: a TradeGecko fulfillment object
 * @fulfillment_line_items: (nullable): sideloaded fulfillment line items
 *
 * Returns: (transfer full) (nullable): e.g. `2 × MUG-BLK, 1 × TEE-L`, for the store
 */
char *
relay_mapping_dup_lines_summary (JsonObject *fulfillment,
                                 JsonArray  *fulfillment_line_items)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);

  g_return_val_if_fail (fulfillment != NULL, NULL);

  items = fulfillment_items (fulfillment, fulfillment_line_items);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      const char *sku = relay_json_get_string (item, "variant_sku");
      gint64 milli = 0;
      g_autofree char *quantity = NULL;

      if (!item_quantity (item, &milli, NULL))
        continue;
      quantity = milli % 1000 == 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, milli / 1000)
                                   : relay_decimal_format (milli, 3);
      g_string_append_printf (summary, "%s%s × %s", summary->len > 0 ? ", " : "", quantity, sku != NULL ? sku : "?");
    }

  return summary->len > 0 ? g_string_free (g_steal_pointer (&summary), FALSE) : NULL;
}
