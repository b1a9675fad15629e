/* relay-json.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than anything either API sends (an order nests about six levels). */
#define RELAY_JSON_MAX_DEPTH 64

gboolean    relay_json_validate    (const char  *data,
                                    gsize        length,
                                    guint        max_depth,
                                    GError     **error);
JsonNode   *relay_json_parse       (const char  *data,
                                    gsize        length,
                                    GError     **error);
char       *relay_json_to_string   (JsonNode    *node);
const char *relay_json_get_string  (JsonObject  *object,
                                    const char  *member);
char       *relay_json_dup_first_string (JsonObject         *object,
                                         const char * const *members);
gint64      relay_json_get_int     (JsonObject  *object,
                                    const char  *member,
                                    gint64       default_value);
gint64      relay_json_get_id      (JsonObject  *object,
                                    const char  *member);
JsonArray  *relay_json_get_array   (JsonObject  *object,
                                    const char  *member);
JsonObject *relay_json_array_get_object (JsonArray *array,
                                         guint      index);

G_END_DECLS
