/* relay-json.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading and writing JSON that came from a server we do not control. json-glib
 * parses recursively (a deep enough `[[[…` overflows the stack) and writes a
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

/**
 * relay_json_check_depth:
 * @data: JSON text (need not be valid)
 * @length: its length in bytes
 * @max_depth: how many arrays and objects may nest
 * @error: return location for a #GError
 *
 * Counts nesting in one pass without recursion, so that a nesting bomb is
 * refused before a recursive parser sees it. Brackets inside strings do not count.
 *
 * Returns: %TRUE when @data nests at most @max_depth deep; otherwise %FALSE with
 *   %RELAY_ERROR_MALFORMED_RESPONSE
 */
gboolean
relay_json_check_depth (const char  *data,
                        gsize        length,
                        guint        max_depth,
                        GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("The JSON nests deeper than %u levels"), max_depth);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/**
 * relay_json_parse:
 * @data: JSON text from a server
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Parses @data after relay_json_check_depth() with %RELAY_JSON_MAX_DEPTH.
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

  if (!relay_json_check_depth (data, length, RELAY_JSON_MAX_DEPTH, error))
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
