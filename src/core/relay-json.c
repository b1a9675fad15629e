/* relay-json.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading and writing JSON that came from a server we do not control. json-glib
 * parses recursively (a deep enough `[[[…` overflows the stack), leaks on some
 * malformed input, and writes a
 * double such as 1e22 as `1e+22.0`, which no parser reads back; these helpers
 * close both holes and read members without CRITICALs when a server sends a
 * member of the wrong type.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "relay-error.h"
#include "relay-json.h"

typedef enum
{
  WANT_VALUE,
  WANT_VALUE_OR_CLOSE,   /* just after '[' */
  WANT_KEY,
  WANT_KEY_OR_CLOSE,     /* just after '{' */
  WANT_COLON,
  WANT_COMMA_OR_CLOSE,   /* after a value; at the top level only the end may follow */
} Want;

static gsize
skip_space (const char *data,
            gsize       length,
            gsize       i)
{
  while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
    i++;
  return i;
}

/* The four hex digits at @i. */
static gboolean
scan_unicode_escape (const char *data,
                     gsize       length,
                     gsize       i,
                     gunichar   *unit)
{
  *unit = 0;
  if (length < 4 || i > length - 4)
    return FALSE;
  for (guint k = 0; k < 4; k++)
    {
      if (!g_ascii_isxdigit (data[i + k]))
        return FALSE;
      *unit = *unit * 16 + (gunichar) g_ascii_xdigit_value (data[i + k]);
    }
  return TRUE;
}

/* @i is at the opening quote; on success it is just past the closing one. */
static gboolean
scan_string (const char *data,
             gsize       length,
             gsize      *i)
{
  for (gsize j = *i + 1; j < length; j++)
    {
      guchar c = (guchar) data[j];

      if (c == '"')
        {
          *i = j + 1;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        continue;
      if (++j >= length)
        return FALSE;
      if (data[j] == 'u')
        {
          gunichar unit;

          if (!scan_unicode_escape (data, length, j + 1, &unit))
            return FALSE;
          j += 4;
          /* json-glib refuses a lone surrogate: so does this, before it parses. */
          if (unit >= 0xdc00 && unit <= 0xdfff)
            return FALSE;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (j + 2 >= length || data[j + 1] != '\\' || data[j + 2] != 'u' ||
                  !scan_unicode_escape (data, length, j + 3, &unit) || unit < 0xdc00 || unit > 0xdfff)
                return FALSE;
              j += 6;
            }
        }
      else if (strchr ("\"\\/bfnrt", data[j]) == NULL || data[j] == '\0')
        return FALSE;
    }
  return FALSE;
}

static gsize
skip_digits (const char *data,
             gsize       length,
             gsize       i)
{
  while (i < length && g_ascii_isdigit (data[i]))
    i++;
  return i;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
scan_number (const char *data,
             gsize       length,
             gsize      *i)
{
  gsize j = *i, start;

  if (j < length && data[j] == '-')
    j++;
  if (j < length && data[j] == '0')
    j++;
  else if (j < length && g_ascii_isdigit (data[j]))
    j = skip_digits (data, length, j);
  else
    return FALSE;

  if (j < length && data[j] == '.')
    {
      start = ++j;
      if ((j = skip_digits (data, length, j)) == start)
        return FALSE;
    }
  if (j < length && (data[j] == 'e' || data[j] == 'E'))
    {
      j++;
      if (j < length && (data[j] == '+' || data[j] == '-'))
        j++;
      start = j;
      if ((j = skip_digits (data, length, j)) == start)
        return FALSE;
    }
  *i = j;
  return TRUE;
}

static gboolean
scan_scalar (const char *data,
             gsize       length,
             gsize      *i)
{
  static const char * const literals[] = { "true", "false", "null" };
  char c = data[*i];

  if (c == '"')
    return scan_string (data, length, i);
  if (c == '-' || g_ascii_isdigit (c))
    return scan_number (data, length, i);
  for (guint k = 0; k < G_N_ELEMENTS (literals); k++)
    {
      gsize n = strlen (literals[k]);

      if (length - *i >= n && memcmp (data + *i, literals[k], n) == 0)
        {
          *i += n;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * relay_json_validate:
 * @data: JSON text (need not be valid, nor NUL-terminated)
 * @length: its length in bytes
 * @max_depth: how many arrays and objects may nest (at most 1024)
 * @error: return location for a #GError
 *
 * Checks that @data is one JSON value (RFC 8259) nesting at most @max_depth
 * deep, in one pass with an explicit stack: no recursion, so a nesting bomb is
 * refused before the recursive json-glib parser sees it. Only valid text
 * reaches json-glib, whose error paths leak what they had built (found by
 * tests/fuzz/fuzz-http-json).
 *
 * Returns: %TRUE when valid; otherwise %FALSE with %RELAY_ERROR_MALFORMED_RESPONSE
 */
gboolean
relay_json_validate (const char  *data,
                     gsize        length,
                     guint        max_depth,
                     GError     **error)
{
  char stack[1024];
  guint depth = 0;
  Want want = WANT_VALUE;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (max_depth <= sizeof stack, FALSE);

  while ((i = skip_space (data, length, i)) < length)
    {
      char c = data[i];

      if ((c == ']' && want == WANT_VALUE_OR_CLOSE) || (c == '}' && want == WANT_KEY_OR_CLOSE) ||
          (want == WANT_COMMA_OR_CLOSE && depth > 0 &&
           ((c == ']' && stack[depth - 1] == '[') || (c == '}' && stack[depth - 1] == '{'))))
        {
          depth--;
          i++;
          want = WANT_COMMA_OR_CLOSE;
        }
      else if (want == WANT_VALUE || want == WANT_VALUE_OR_CLOSE)
        {
          if (c == '[' || c == '{')
            {
              if (depth >= max_depth)
                {
                  g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                               _("The JSON nests deeper than %u levels"), max_depth);
                  return FALSE;
                }
              stack[depth++] = c;
              i++;
              want = c == '[' ? WANT_VALUE_OR_CLOSE : WANT_KEY_OR_CLOSE;
            }
          else if (scan_scalar (data, length, &i))
            want = WANT_COMMA_OR_CLOSE;
          else
            break;
        }
      else if (want == WANT_KEY || want == WANT_KEY_OR_CLOSE)
        {
          if (c != '"' || !scan_string (data, length, &i))
            break;
          want = WANT_COLON;
        }
      else if (want == WANT_COLON && c == ':')
        {
          i++;
          want = WANT_VALUE;
        }
      else if (want == WANT_COMMA_OR_CLOSE && depth > 0 && c == ',')
        {
          i++;
          want = stack[depth - 1] == '[' ? WANT_VALUE : WANT_KEY;
        }
      else
        break;
    }

  if (i >= length && depth == 0 && want == WANT_COMMA_OR_CLOSE)
    return TRUE;

  {
    /* Formatted first, so xgettext sees the whole sentence. */
    g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, MIN (i, length));

    g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE, _("The JSON is not valid (at byte %s)"), offset);
  }
  return FALSE;
}

/**
 * relay_json_parse:
 * @data: JSON text from a server
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Parses @data after relay_json_validate() with %RELAY_JSON_MAX_DEPTH.
 *
 * Returns: (transfer full): the root node, or %NULL with
 *   %RELAY_ERROR_MALFORMED_RESPONSE
 */
JsonNode *
relay_json_parse (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!relay_json_validate (data, length, RELAY_JSON_MAX_DEPTH, error))
    return NULL;
  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE, _("The JSON is too long"));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, &parse_error))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("The JSON is not valid: %s"), parse_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE, _("The JSON is empty"));
      return NULL;
    }
  return root;
}

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double, still read as a
 * double (1.0, not 1). JSON has no infinity: a value out of range becomes null
 * rather than text that cannot be read again. */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  g_ascii_dtostr (buffer, sizeof buffer, value);
  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_string (out, name);
            g_string_append_c (out, ':');
            append_node (out, member);
          }
        g_string_append_c (out, '}');
        break;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * relay_json_to_string:
 * @node: a JSON tree (from relay_json_parse() or built in code)
 *
 * Like json_to_string() without pretty-printing, except that every number is
 * written so that it reads back (json-glib 1.6 writes 1e22 as `1e+22.0`).
 * Members keep their order.
 *
 * Returns: (transfer full): compact JSON text
 */
char *
relay_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}

/**
 * relay_json_get_string:
 * @object: a JSON object
 * @member: a member name
 *
 * Returns: (nullable): the member's text; %NULL when it is missing, null or
 *   not a string (never a CRITICAL for an object or array)
 */
const char *
relay_json_get_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * relay_json_dup_first_string:
 * @object: a JSON object
 * @members: (array zero-terminated=1): member names, the preferred first
 *
 * Returns: (transfer full) (nullable): the text of the first of @members
 *   that is a string and not empty
 */
char *
relay_json_dup_first_string (JsonObject         *object,
                             const char * const *members)
{
  g_return_val_if_fail (object != NULL, NULL);

  for (guint i = 0; members[i] != NULL; i++)
    {
      const char *value = relay_json_get_string (object, members[i]);

      if (value != NULL && *value != '\0')
        return g_strdup (value);
    }
  return NULL;
}

/**
 * relay_json_get_int:
 * @object: a JSON object
 * @member: a member name
 * @default_value: what a missing member, or one that is not an integer, reads as
 *
 * Returns: the member's integer value (a double is not an integer here)
 */
gint64
relay_json_get_int (JsonObject *object,
                    const char *member,
                    gint64      default_value)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, default_value);

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;
  return json_node_get_int (node);
}

/**
 * relay_json_get_id:
 * @object: (nullable): a JSON object
 * @member: a member name
 *
 * An id as TradeGecko may send it: an integer or a string of digits.
 *
 * Returns: the id; 0 when @object is %NULL or the member is missing or neither
 */
gint64
relay_json_get_id (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return 0;
}

/**
 * relay_json_get_array:
 * @object: (nullable): a JSON object
 * @member: a member name
 *
 * Returns: (transfer none) (nullable): the member when it is an array, else %NULL
 */
JsonArray *
relay_json_get_array (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/**
 * relay_json_array_get_object:
 * @array: a JSON array
 * @index: an index below the array's length
 *
 * json_array_get_object_element() logs a critical for an element that is not
 * an object; a list from a server may hold anything, so its readers skip such
 * elements quietly instead.
 *
 * Returns: (transfer none) (nullable): the element when it is an object, else %NULL
 */
JsonObject *
relay_json_array_get_object (JsonArray *array,
                             guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
