/* relay-store-customers.c — the TradeGecko customer and address cache
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define RELAY_STORE_COMPILATION

#include <stdarg.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "relay-error.h"
#include "relay-store.h"
#include "relay-store-private.h"

/* ------------------------------------------------------------------------ */
/* The TradeGecko customer cache                                             */

static gint64
lookup_id (RelayStore  *self,
           GError     **error,
           const char  *sql,
           const char  *types,
           ...)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  gint64 id = 0;
  va_list args;

  va_start (args, types);
  stmt = store_prepare_valist (self, error, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return -1;
  if (!store_step_row (self, stmt, &found, error))
    id = -1;
  else if (found)
    id = sqlite3_column_int64 (stmt, 0);

  return id;
}

/**
 * relay_store_lookup_customer:
 * @self: a #RelayStore
 * @email: the customer's e-mail, as the caller normalises it (the engine case-folds it)
 * @error: return location for a #GError
 *
 * Returns: the TradeGecko company id remembered for @email, 0 when none, or
 *   -1 with @error set
 */
gint64
relay_store_lookup_customer (RelayStore  *self,
                             const char  *email,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (email != NULL, -1);

  return lookup_id (self, error, "SELECT company_id FROM customers WHERE email = ?1", "s", email);
}

/**
 * relay_store_lookup_customer_address:
 * @self: a #RelayStore
 * @company_id: the TradeGecko company id
 * @fingerprint: the address's fingerprint (the engine's digest of name, street, postcode, country)
 * @error: return location for a #GError
 *
 * Returns: the TradeGecko address id remembered for that company and address,
 *   0 when none, or -1 with @error set
 */
gint64
relay_store_lookup_customer_address (RelayStore  *self,
                                     gint64       company_id,
                                     const char  *fingerprint,
                                     GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), -1);
  g_return_val_if_fail (fingerprint != NULL, -1);

  return lookup_id (self, error,
                    "SELECT address_id FROM customer_addresses WHERE company_id = ?1 AND fingerprint = ?2",
                    "xs", company_id, fingerprint);
}

/**
 * relay_store_remember_customers:
 * @self: a #RelayStore
 * @emails: (array length=n): the customers' e-mails
 * @company_ids: (array length=n): their TradeGecko company ids, all > 0
 * @n: how many
 * @error: return location for a #GError
 *
 * Remembers (or replaces) many customers in one transaction.
 *
 * Returns: %TRUE on success; on failure nothing is changed
 */
gboolean
relay_store_remember_customers (RelayStore         *self,
                                const char * const *emails,
                                const gint64       *company_ids,
                                guint               n,
                                GError            **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  gint64 now = store_now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || (emails != NULL && company_ids != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      if (emails[i] == NULL || emails[i][0] == '\0' || company_ids[i] <= 0)
        {
          g_autofree char *company = g_strdup_printf ("%" G_GINT64_FORMAT, company_ids[i]);

          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                       _("Cannot remember the TradeGecko customer “%s” with company id %s"
                         ": the e-mail must not be empty and the id must be positive"),
                       emails[i] != NULL ? emails[i] : "", company);
          return FALSE;
        }
    }

  if (n == 0)
    return TRUE;
  if (!store_transaction_begin (&tx, self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!store_run (self, error,
                      "INSERT INTO customers (email, company_id, updated_at) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT (email) DO UPDATE SET company_id = excluded.company_id, updated_at = excluded.updated_at",
                      "sxx", emails[i], company_ids[i], now))
        return FALSE;
    }
  return store_transaction_commit (&tx, error);
}

/**
 * relay_store_remember_customer_addresses:
 * @self: a #RelayStore
 * @company_ids: (array length=n): TradeGecko company ids, all > 0
 * @fingerprints: (array length=n): the addresses' fingerprints
 * @address_ids: (array length=n): their TradeGecko address ids, all > 0
 * @n: how many
 * @error: return location for a #GError
 *
 * Remembers (or replaces) many customer addresses in one transaction.
 *
 * Returns: %TRUE on success; on failure nothing is changed
 */
gboolean
relay_store_remember_customer_addresses (RelayStore         *self,
                                         const gint64       *company_ids,
                                         const char * const *fingerprints,
                                         const gint64       *address_ids,
                                         guint               n,
                                         GError            **error)
{
  g_auto(StoreTransaction) tx = STORE_TRANSACTION_INIT;
  gint64 now = store_now_ms ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (n == 0 || (company_ids != NULL && fingerprints != NULL && address_ids != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    {
      if (company_ids[i] <= 0 || fingerprints[i] == NULL || fingerprints[i][0] == '\0' || address_ids[i] <= 0)
        {
          g_autofree char *address = g_strdup_printf ("%" G_GINT64_FORMAT, address_ids[i]);
          g_autofree char *company = g_strdup_printf ("%" G_GINT64_FORMAT, company_ids[i]);

          g_set_error (error, RELAY_ERROR, RELAY_ERROR_STATE,
                       _("Cannot remember the TradeGecko address %s of company %s"
                         ": the ids must be positive and the fingerprint must not be empty"),
                       address, company);
          return FALSE;
        }
    }

  if (n == 0)
    return TRUE;
  if (!store_transaction_begin (&tx, self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!store_run (self, error,
                      "INSERT INTO customer_addresses (company_id, fingerprint, address_id, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4) "
                      "ON CONFLICT (company_id, fingerprint) DO UPDATE SET address_id = excluded.address_id, "
                      "updated_at = excluded.updated_at",
                      "xsxx", company_ids[i], fingerprints[i], address_ids[i], now))
        return FALSE;
    }
  return store_transaction_commit (&tx, error);
}

/**
 * relay_store_forget_customer:
 * @self: a #RelayStore
 * @email: the customer's e-mail, normalised as for relay_store_lookup_customer()
 * @error: return location for a #GError
 *
 * Forgets the company id remembered for @email (e.g. TradeGecko refused it
 * because the company was archived or merged); unknown e-mails are fine.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_store_forget_customer (RelayStore  *self,
                             const char  *email,
                             GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);

  return store_run (self, error, "DELETE FROM customers WHERE email = ?1", "s", email);
}
