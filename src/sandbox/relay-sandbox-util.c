/* relay-sandbox-util.c — query strings, dates, money and JSON helpers of the sandbox
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

static void
sandbox_param_free (gpointer data)
{
  SandboxParam *param = data;

  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

/* soup_form_decode() keeps only the last of repeated keys; `sku[]=a&sku[]=b` needs them all. */
GPtrArray *
sandbox_params_parse (const char *raw_query)
{
  GPtrArray *params = g_ptr_array_new_with_free_func (sandbox_param_free);
  g_auto(GStrv) pairs = NULL;

  if (raw_query == NULL || *raw_query == '\0')
    return params;

  pairs = g_strsplit (raw_query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      SandboxParam *param;
      char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*pairs[i] == '\0')
        continue;

      g_strdelimit (pairs[i], "+", ' ');
      eq = strchr (pairs[i], '=');
      if (eq != NULL)
        {
          *eq = '\0';
          value = g_uri_unescape_string (eq + 1, NULL);
        }
      name = g_uri_unescape_string (pairs[i], NULL);
      if (name == NULL)
        continue;

      param = g_new0 (SandboxParam, 1);
      param->name = g_steal_pointer (&name);
      param->value = value ? g_steal_pointer (&value) : g_strdup ("");
      g_ptr_array_add (params, param);
    }

  return params;
}

const char *
sandbox_params_get (GPtrArray  *params,
                    const char *name)
{
  for (guint i = 0; i < params->len; i++)
    {
      SandboxParam *param = g_ptr_array_index (params, i);

      if (g_str_equal (param->name, name))
        return param->value;
    }

  return NULL;
}

gboolean
sandbox_params_has (GPtrArray  *params,
                    const char *name)
{
  return sandbox_params_get (params, name) != NULL;
}

/* Every value of `name`, `name[]` and comma lists in either, blanks dropped (TradeGecko ignores
 * blank parameters). Returns NULL when the filter is absent or blank. */
GPtrArray *
sandbox_params_get_all (GPtrArray  *params,
                        const char *name)
{
  g_autofree char *array_name = g_strconcat (name, "[]", NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < params->len; i++)
    {
      SandboxParam *param = g_ptr_array_index (params, i);
      g_auto(GStrv) parts = NULL;

      if (!g_str_equal (param->name, name) && !g_str_equal (param->name, array_name))
        continue;

      parts = g_strsplit (param->value, ",", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          g_strstrip (parts[j]);
          if (*parts[j] != '\0')
            g_ptr_array_add (values, g_strdup (parts[j]));
        }
    }

  if (values->len == 0)
    return NULL;

  return g_steal_pointer (&values);
}

gint64
sandbox_now_ms (void)
{
  return g_get_real_time () / 1000;
}

char *
sandbox_format_iso8601_ms (gint64 unix_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) (unix_ms % 1000));
}

char *
sandbox_format_date (gint64 unix_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_ms / 1000);

  return g_date_time_format (dt, "%Y-%m-%d");
}

/* ISO 8601 with an explicit zone ("Z" or an offset); a date without a zone is not UTC. */
gboolean
sandbox_parse_iso8601 (const char *text,
                       gint64     *unix_ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;

  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;

  *unix_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

guint
sandbox_currency_exponent (const char *currency)
{
  static const char * const zero_decimal[] = {
    "JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX", "XAF", "XOF", "PYG", NULL
  };

  if (currency != NULL && g_strv_contains (zero_decimal, currency))
    return 0;

  return 2;
}

char *
sandbox_money_format (gint64      minor,
                      const char *currency)
{
  guint exponent = sandbox_currency_exponent (currency);
  const char *sign = minor < 0 ? "-" : "";
  guint64 magnitude = minor < 0 ? (guint64) -minor : (guint64) minor;

  if (exponent == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, magnitude);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", sign, magnitude / 100, (guint) (magnitude % 100));
}

/* Strict: the currency's exact number of decimals, as Squarespace writes them. */
gboolean
sandbox_money_parse (const char *value,
                     const char *currency,
                     gint64     *minor)
{
  guint exponent = sandbox_currency_exponent (currency);
  gint64 result = 0;
  gboolean negative = FALSE;
  const char *p = value;
  guint decimals = 0;
  gboolean seen_point = FALSE;
  gboolean seen_digit = FALSE;

  if (value == NULL)
    return FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (*p == '.' && !seen_point)
        {
          seen_point = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (seen_point)
        decimals++;
      seen_digit = TRUE;
      if (result > G_MAXINT64 / 10 - 10)
        return FALSE;
      result = result * 10 + (*p - '0');
    }

  if (!seen_digit || decimals != exponent || (seen_point && exponent == 0))
    return FALSE;

  *minor = negative ? -result : result;
  return TRUE;
}

JsonObject *
sandbox_money_new (gint64      minor,
                   const char *currency)
{
  JsonObject *money = json_object_new ();
  g_autofree char *value = sandbox_money_format (minor, currency);

  json_object_set_string_member (money, "value", value);
  json_object_set_string_member (money, "currency", currency);
  return money;
}

/* TradeGecko numbers: a JSON number or a decimal string, kept as ten-thousandths so no money
 * ever goes through a double. */
gboolean
sandbox_decimal_parse (JsonNode *node,
                       gint64   *e4)
{
  g_autofree char *text = NULL;
  const char *p;
  gint64 whole = 0;
  gint64 fraction = 0;
  guint decimals = 0;
  gboolean negative = FALSE;
  gboolean seen_digit = FALSE;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *e4 = json_node_get_int (node) * 10000;
      return TRUE;
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        /* The wire already carried a decimal text; print it back the shortest way. */
        text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.4f", json_node_get_double (node)));
      }
      break;
    case G_TYPE_STRING:
      text = g_strstrip (g_strdup (json_node_get_string (node)));
      break;
    default:
      return FALSE;
    }

  p = text;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > G_MAXINT64 / 100000)
        return FALSE;
      whole = whole * 10 + (*p - '0');
      seen_digit = TRUE;
    }
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        {
          if (decimals < 4)
            {
              fraction = fraction * 10 + (*p - '0');
              decimals++;
            }
          seen_digit = TRUE;
        }
    }
  if (*p != '\0' || !seen_digit)
    return FALSE;
  for (; decimals < 4; decimals++)
    fraction *= 10;

  *e4 = (whole * 10000 + fraction) * (negative ? -1 : 1);
  return TRUE;
}

/* "189.0", "12.4", "0.125": TradeGecko's way of writing numbers as strings. */
char *
sandbox_decimal_format (gint64 e4)
{
  const char *sign = e4 < 0 ? "-" : "";
  guint64 magnitude = e4 < 0 ? (guint64) -e4 : (guint64) e4;
  g_autofree char *fraction = g_strdup_printf ("%04u", (guint) (magnitude % 10000));
  gsize len = strlen (fraction);

  while (len > 1 && fraction[len - 1] == '0')
    fraction[--len] = '\0';

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", sign, magnitude / 10000, fraction);
}

char *
sandbox_random_hex (RelaySandbox *self,
                    guint         length)
{
  GString *hex = g_string_sized_new (length);

  for (guint i = 0; i < length; i++)
    g_string_append_c (hex, "0123456789abcdef"[g_rand_int_range (self->rand, 0, 16)]);

  return g_string_free (hex, FALSE);
}

/* json_node_copy() shares objects; callers on other threads need their own tree. */
JsonNode *
sandbox_deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return json_from_string (text, NULL);
}

JsonObject *
sandbox_object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = sandbox_node_from_object (object);
  g_autoptr(JsonNode) copy = sandbox_deep_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

/* A linear scan, for the short per-account lists (tax types, currencies,
 * locations); the lists that grow with orders have a SandboxIndex. */
JsonObject *
sandbox_find_by_int_id (GPtrArray *objects,
                        gint64     id)
{
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);

      if (json_object_get_int_member_with_default (object, "id", -1) == id)
        return object;
    }

  return NULL;
}

/* The first of @objects whose string @member is @value (a linear scan, for short lists). */
JsonObject *
sandbox_find_by_string_member (GPtrArray  *objects,
                               const char *member,
                               const char *value)
{
  for (guint i = 0; value != NULL && i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);

      if (g_strcmp0 (sandbox_get_string_member (object, member), value) == 0)
        return object;
    }

  return NULL;
}

void
sandbox_index_init (SandboxIndex *index,
                    GPtrArray   **table,
                    const char   *member)
{
  index->table = table;
  index->member = member;
  index->seen = NULL;
  index->indexed = 0;
  index->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
}

void
sandbox_index_clear (SandboxIndex *index)
{
  g_clear_pointer (&index->seen, g_ptr_array_unref);
  g_clear_pointer (&index->rows, g_hash_table_unref);
}

/* The member as text (ints in decimal), or NULL when absent or of another type. */
char *
sandbox_member_text (JsonObject *object,
                     const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

static void
index_catch_up (SandboxIndex *index)
{
  GPtrArray *table = *index->table;

  if (table != index->seen || table->len < index->indexed)
    {
      g_clear_pointer (&index->seen, g_ptr_array_unref);
      g_hash_table_remove_all (index->rows);
      index->seen = g_ptr_array_ref (table);
      index->indexed = 0;
    }

  for (; index->indexed < table->len; index->indexed++)
    {
      JsonObject *object = g_ptr_array_index (table, index->indexed);
      char *key = sandbox_member_text (object, index->member);
      GPtrArray *rows;

      if (key == NULL)
        continue;
      rows = g_hash_table_lookup (index->rows, key);
      if (rows == NULL)
        {
          rows = g_ptr_array_new ();
          g_hash_table_insert (index->rows, key, rows);
        }
      else
        g_free (key);
      g_ptr_array_add (rows, object);
    }
}

/* Borrowed; NULL when no row has @key. */
GPtrArray *
sandbox_index_lookup (SandboxIndex *index,
                      const char   *key)
{
  if (key == NULL)
    return NULL;
  index_catch_up (index);
  return g_hash_table_lookup (index->rows, key);
}

GPtrArray *
sandbox_index_lookup_int (SandboxIndex *index,
                          gint64        key)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, key);
  return sandbox_index_lookup (index, text);
}

/* The first row (in table order) with @key, as a linear search would find it. */
JsonObject *
sandbox_index_find (SandboxIndex *index,
                    const char   *key)
{
  GPtrArray *rows = sandbox_index_lookup (index, key);

  return rows != NULL ? g_ptr_array_index (rows, 0) : NULL;
}

JsonObject *
sandbox_index_find_int (SandboxIndex *index,
                        gint64        key)
{
  GPtrArray *rows = sandbox_index_lookup_int (index, key);

  return rows != NULL ? g_ptr_array_index (rows, 0) : NULL;
}

gboolean
sandbox_get_int_member (JsonObject *object,
                        const char *name,
                        gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;
  char *end = NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  text = json_node_get_string (node);
  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

/* NULL for a missing member, a JSON null or a non-string. */
const char *
sandbox_get_string_member (JsonObject *object,
                           const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

void
sandbox_reply_set (SandboxReply *reply,
                   guint         status,
                   JsonNode     *body)
{
  g_clear_pointer (&reply->body, json_node_unref);
  reply->status = status;
  reply->body = body;
}

JsonNode *
sandbox_node_from_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return node;
}

JsonNode *
sandbox_node_from_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, array);
  return node;
}

JsonNode *
sandbox_node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
sandbox_node_take_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

JsonArray *
sandbox_array_of (GPtrArray *objects)
{
  JsonArray *array = json_array_sized_new (objects->len);

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));

  return array;
}
