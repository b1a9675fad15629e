/* relay-money.c
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "relay-error.h"
#include "relay-money.h"

/* Decimal strings are parsed digit by digit into integers: a price must come
 * back out exactly as it went in, which `double` cannot promise. */

#define MAX_EXPONENT 4

typedef struct
{
  const char *code;
  guint       exponent;
} CurrencyExponent;

/* ISO 4217 minor units that differ from the usual two. */
static const CurrencyExponent exponents[] = {
  { "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 },
  { "JPY", 0 }, { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 },
  { "UGX", 0 }, { "UYI", 0 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 },
  { "XOF", 0 }, { "XPF", 0 },
  { "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 },
  { "OMR", 3 }, { "TND", 3 },
  { "CLF", 4 }, { "UYW", 4 },
};

/**
 * relay_money_is_valid_currency:
 * @currency: (nullable): a string
 *
 * Returns: %TRUE if @currency looks like an ISO 4217 code (three capital letters)
 */
gboolean
relay_money_is_valid_currency (const char *currency)
{
  if (currency == NULL || strlen (currency) != 3)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      if (currency[i] < 'A' || currency[i] > 'Z')
        return FALSE;
    }

  return TRUE;
}

/**
 * relay_money_currency_exponent:
 * @currency: an ISO 4217 code
 *
 * Returns: how many decimals the currency has (0 for JPY, 3 for KWD, 2 for most)
 */
guint
relay_money_currency_exponent (const char *currency)
{
  g_return_val_if_fail (currency != NULL, 2);

  for (guint i = 0; i < G_N_ELEMENTS (exponents); i++)
    {
      if (strcmp (exponents[i].code, currency) == 0)
        return exponents[i].exponent;
    }

  return 2;
}

/**
 * relay_decimal_parse:
 * @text: a decimal string such as `"12.50"`, `"-1.00"` or `"3"`
 * @exponent: how many decimals the result keeps
 * @out_scaled: (out): @text × 10^@exponent
 * @error: return location for a #GError
 *
 * Parses a plain decimal number exactly. More decimals than @exponent are
 * accepted only when they are zeros (`"1.0"` is fine for a whole quantity,
 * `"1.005"` is not a USD amount). No exponents, no thousands separators,
 * no spaces.
 *
 * Returns: %TRUE on success; %FALSE with %RELAY_ERROR_MALFORMED_RESPONSE
 */
gboolean
relay_decimal_parse (const char  *text,
                     guint        exponent,
                     gint64      *out_scaled,
                     GError     **error)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 value = 0;
  guint integer_digits = 0;
  guint fraction_digits = 0;
  const guint64 limit = G_MAXINT64 / 10;

  g_return_val_if_fail (exponent <= 18, FALSE);
  g_return_val_if_fail (out_scaled != NULL, FALSE);

  if (text == NULL || *text == '\0')
    goto malformed;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  for (; g_ascii_isdigit (*p); p++, integer_digits++)
    {
      if (value > limit)
        goto malformed;
      value = value * 10 + (guint64) (*p - '0');
    }

  if (integer_digits == 0)
    goto malformed;

  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++, fraction_digits++)
        {
          if (fraction_digits >= exponent)
            {
              /* Only trailing zeros may go beyond the currency's precision. */
              if (*p != '0')
                goto malformed;
              continue;
            }
          if (value > limit)
            goto malformed;
          value = value * 10 + (guint64) (*p - '0');
        }
      if (fraction_digits == 0)
        goto malformed;
    }

  if (*p != '\0')
    goto malformed;

  for (guint i = MIN (fraction_digits, exponent); i < exponent; i++)
    {
      if (value > limit)
        goto malformed;
      value *= 10;
    }

  if (value > (guint64) G_MAXINT64)
    goto malformed;

  *out_scaled = negative ? -(gint64) value : (gint64) value;
  return TRUE;

malformed:
  g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
               _("“%s” is not a number with at most %u decimals"),
               text != NULL ? text : "", exponent);
  return FALSE;
}

/**
 * relay_decimal_format:
 * @scaled: a number times 10^@exponent
 * @exponent: how many decimals to write
 *
 * Returns: (transfer full): @scaled as a decimal string, e.g. `"12.00"`, `"-0.05"`, `"123"`
 */
char *
relay_decimal_format (gint64 scaled,
                      guint  exponent)
{
  guint64 magnitude;
  guint64 divisor = 1;
  g_autofree char *fraction = NULL;

  g_return_val_if_fail (exponent <= 18, NULL);

  magnitude = scaled < 0 ? (guint64) (-(scaled + 1)) + 1 : (guint64) scaled;
  for (guint i = 0; i < exponent; i++)
    divisor *= 10;

  if (exponent == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, scaled < 0 ? "-" : "", magnitude);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          scaled < 0 ? "-" : "",
                          magnitude / divisor, (int) exponent, magnitude % divisor);
}

/**
 * relay_money_init:
 * @money: the money to fill
 * @minor: amount in minor units
 * @currency: an ISO 4217 code
 */
void
relay_money_init (RelayMoney *money,
                  gint64      minor,
                  const char *currency)
{
  g_return_if_fail (money != NULL);
  g_return_if_fail (relay_money_is_valid_currency (currency));

  money->minor = minor;
  memcpy (money->currency, currency, 4);
}

/**
 * relay_money_parse:
 * @value: a decimal string as Squarespace and TradeGecko send it (`"12.00"`, JPY `"123"`)
 * @currency: an ISO 4217 code
 * @out: (out): the money
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %FALSE with %RELAY_ERROR_MALFORMED_RESPONSE
 */
gboolean
relay_money_parse (const char  *value,
                   const char  *currency,
                   RelayMoney  *out,
                   GError     **error)
{
  gint64 minor;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!relay_money_is_valid_currency (currency))
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("“%s” is not a currency code"), currency != NULL ? currency : "");
      return FALSE;
    }

  if (!relay_decimal_parse (value, relay_money_currency_exponent (currency), &minor, NULL) ||
      minor > RELAY_MONEY_MAX_MINOR || minor < -RELAY_MONEY_MAX_MINOR)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("“%s” is not an amount of %s"), value != NULL ? value : "", currency);
      return FALSE;
    }

  relay_money_init (out, minor, currency);
  return TRUE;
}

/**
 * relay_money_format:
 * @money: the money
 *
 * Returns: (transfer full): the amount as a decimal string with the currency's
 *   precision, as TradeGecko takes it (`"12.00"`, `"123"`, `"1.250"`)
 */
char *
relay_money_format (const RelayMoney *money)
{
  g_return_val_if_fail (money != NULL, NULL);

  return relay_decimal_format (money->minor, relay_money_currency_exponent (money->currency));
}

/**
 * relay_money_format_display:
 * @money: the money
 *
 * Returns: (transfer full): the amount followed by its code, e.g. `"12.00 USD"`
 */
char *
relay_money_format_display (const RelayMoney *money)
{
  g_autofree char *amount = NULL;

  g_return_val_if_fail (money != NULL, NULL);

  amount = relay_money_format (money);
  return g_strdup_printf ("%s %s", amount, money->currency);
}

/**
 * relay_money_add:
 * @a: an amount
 * @b: an amount in the same currency
 * @out: (out): @a + @b (may be @a or @b)
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %RELAY_ERROR_MALFORMED_RESPONSE when the currencies
 *   differ or the sum overflows
 */
gboolean
relay_money_add (const RelayMoney  *a,
                 const RelayMoney  *b,
                 RelayMoney        *out,
                 GError           **error)
{
  gint64 sum;

  g_return_val_if_fail (a != NULL && b != NULL && out != NULL, FALSE);

  if (strcmp (a->currency, b->currency) != 0)
    {
      g_set_error (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                   _("Cannot add amounts in %s and %s"), a->currency, b->currency);
      return FALSE;
    }

  if (__builtin_add_overflow (a->minor, b->minor, &sum))
    {
      g_set_error_literal (error, RELAY_ERROR, RELAY_ERROR_MALFORMED_RESPONSE,
                           _("An amount of money is too large"));
      return FALSE;
    }

  relay_money_init (out, sum, a->currency);
  return TRUE;
}

/**
 * relay_money_equal:
 * @a: an amount
 * @b: an amount
 *
 * Returns: %TRUE if both have the same currency and value
 */
gboolean
relay_money_equal (const RelayMoney *a,
                   const RelayMoney *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->minor == b->minor && strcmp (a->currency, b->currency) == 0;
}
