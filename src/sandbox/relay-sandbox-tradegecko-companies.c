/* relay-sandbox-tradegecko-companies.c — TradeGecko companies and addresses: validation,
 * creation, POST /companies and POST /addresses
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaviour follows the TradeGecko API reference as docs/sandbox.md (“TradeGecko”) restates it,
 * section by section; where the reference leaves a choice open, the choice is named in a comment
 * here and marked UNCONFIRMED there.
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-tradegecko-private.h"

static const char * const company_types[] = { "business", "supplier", "consumer", NULL };

JsonObject *
sandbox_tg_company_new (RelaySandbox *self,
                        JsonObject   *given)
{
  JsonObject *company = json_object_new ();
  g_autofree char *now = now_text ();
  static const char * const optional[] = {
    "email", "phone_number", "company_code", "description", "fax", "website", "tax_number", NULL
  };
  gint64 id;

  if (!sandbox_get_int_member (given, "id", &id))
    id = self->tg_next_id++;
  else
    self->tg_next_id = MAX (self->tg_next_id, id + 1);

  json_object_set_int_member (company, "id", id);
  json_object_set_string_member (company, "created_at", now);
  json_object_set_string_member (company, "updated_at", now);
  json_object_set_string_member (company, "name", sandbox_get_string_member (given, "name"));
  json_object_set_string_member (company, "company_type", sandbox_get_string_member (given, "company_type"));
  for (guint i = 0; optional[i] != NULL; i++)
    set_string_or_null (company, optional[i], sandbox_get_string_member (given, optional[i]));
  json_object_set_string_member (company, "status", "active");
  if (json_object_has_member (given, "tags") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (given, "tags")))
    json_object_set_member (company, "tags", json_node_copy (json_object_get_member (given, "tags")));
  else
    json_object_set_array_member (company, "tags", json_array_new ());
  json_object_set_null_member (company, "default_price_list_id");
  json_object_set_null_member (company, "default_payment_term_id");
  json_object_set_null_member (company, "default_tax_type_id");
  json_object_set_null_member (company, "assignee_id");
  json_object_set_array_member (company, "address_ids", json_array_new ());
  json_object_set_array_member (company, "contact_ids", json_array_new ());
  json_object_set_array_member (company, "note_ids", json_array_new ());
  return company;
}

static JsonObject *
address_new (RelaySandbox *self,
             JsonObject   *given,
             gint64        company_id)
{
  JsonObject *address = json_object_new ();
  g_autofree char *now = now_text ();
  static const char * const optional[] = {
    "label", "first_name", "last_name", "company_name", "address1", "address2", "suburb", "city",
    "state", "zip_code", "country", "country_code", "phone_number", "email", NULL
  };
  gint64 id;

  if (!sandbox_get_int_member (given, "id", &id))
    id = self->tg_next_id++;
  else
    self->tg_next_id = MAX (self->tg_next_id, id + 1);

  json_object_set_int_member (address, "id", id);
  json_object_set_string_member (address, "created_at", now);
  json_object_set_string_member (address, "updated_at", now);
  json_object_set_int_member (address, "company_id", company_id);
  for (guint i = 0; optional[i] != NULL; i++)
    set_string_or_null (address, optional[i], sandbox_get_string_member (given, optional[i]));
  json_object_set_string_member (address, "status", "active");
  return address;
}

static char *
field_name (const char *prefix,
            const char *field)
{
  return prefix ? g_strconcat (prefix, ".", field, NULL) : g_strdup (field);
}

void
sandbox_tg_validate_company (JsonObject *given,
                             JsonObject *errors,
                             const char *prefix)
{
  const char *name = sandbox_get_string_member (given, "name");
  const char *type = sandbox_get_string_member (given, "company_type");
  g_autofree char *name_field = field_name (prefix, "name");
  g_autofree char *type_field = field_name (prefix, "company_type");

  if (name == NULL || *name == '\0')
    sandbox_tg_add_error (errors, name_field, "can't be blank");
  if (type == NULL || *type == '\0')
    sandbox_tg_add_error (errors, type_field, "can't be blank");
  else if (!g_strv_contains (company_types, type))
    sandbox_tg_add_error (errors, type_field, "is not included in the list");
}

static gboolean
label_taken (RelaySandbox *self,
             gint64        company_id,
             const char   *label)
{
  GPtrArray *of_company = sandbox_index_lookup_int (&self->tg_addresses_by_company, company_id);

  for (guint i = 0; label != NULL && of_company != NULL && i < of_company->len; i++)
    {
      JsonObject *address = g_ptr_array_index (of_company, i);

      if (g_strcmp0 (sandbox_get_string_member (address, "label"), label) == 0)
        return TRUE;
    }
  return FALSE;
}

/* company_id < 0: a company created in the same request, so no label can clash yet. */
void
sandbox_tg_validate_address (RelaySandbox *self,
                             JsonObject   *given,
                             gint64        company_id,
                             JsonObject   *errors,
                             const char   *prefix)
{
  const char *address1 = sandbox_get_string_member (given, "address1");
  g_autofree char *address1_field = field_name (prefix, "address1");
  g_autofree char *label_field = field_name (prefix, "label");

  if (address1 == NULL || *address1 == '\0')
    sandbox_tg_add_error (errors, address1_field, "can't be blank");
  if (company_id >= 0 && label_taken (self, company_id, sandbox_get_string_member (given, "label")))
    sandbox_tg_add_error (errors, label_field, "has already been taken");
}

JsonObject *
sandbox_tg_store_address (RelaySandbox *self,
                          JsonObject   *given,
                          gint64        company_id)
{
  JsonObject *address = address_new (self, given, company_id);
  JsonObject *company = sandbox_index_find_int (&self->tg_companies_by_id, company_id);

  g_ptr_array_add (self->tg_addresses, address);
  if (company != NULL)
    append_id (company, "address_ids", json_object_get_int_member (address, "id"));
  return address;
}

void
sandbox_tg_post_company (RelaySandbox      *self,
                         SoupServerMessage *msg,
                         SandboxReply      *reply)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *given = sandbox_tg_parse_wrapped_body (msg, "company", &root, reply);
  JsonObject *company;

  if (given == NULL)
    return;
  sandbox_tg_validate_company (given, errors, NULL);
  if (json_object_get_size (errors) > 0)
    {
      sandbox_tg_reply_unprocessable (errors, reply);
      return;
    }

  json_object_remove_member (given, "id");
  company = sandbox_tg_company_new (self, given);
  g_ptr_array_add (self->tg_companies, company);
  sandbox_tg_reply_record ("company", company, 201, reply);
}

void
sandbox_tg_post_address (RelaySandbox      *self,
                         SoupServerMessage *msg,
                         SandboxReply      *reply)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *given = sandbox_tg_parse_wrapped_body (msg, "address", &root, reply);
  gint64 company_id = -1;

  if (given == NULL)
    return;

  if (!json_object_has_member (given, "company_id") || JSON_NODE_HOLDS_NULL (json_object_get_member (given, "company_id")))
    sandbox_tg_add_error (errors, "company_id", "can't be blank");
  else if (!sandbox_get_int_member (given, "company_id", &company_id) ||
           sandbox_index_find_int (&self->tg_companies_by_id, company_id) == NULL)
    {
      sandbox_tg_add_error (errors, "company_id", "is invalid");
      company_id = -1;
    }
  sandbox_tg_validate_address (self, given, company_id, errors, NULL);
  if (json_object_get_size (errors) > 0)
    {
      sandbox_tg_reply_unprocessable (errors, reply);
      return;
    }

  json_object_remove_member (given, "id");
  sandbox_tg_reply_record ("address", sandbox_tg_store_address (self, given, company_id), 201, reply);
}
