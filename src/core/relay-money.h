/* relay-money.h
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

G_BEGIN_DECLS

/**
 * RelayMoney:
 * @minor: the amount in minor units of @currency (cents for USD, yen for JPY, fils for KWD)
 * @currency: the ISO 4217 code, NUL-terminated
 *
 * An exact amount of money. Never converted through `double`.
 */
/* The largest amount accepted, in minor units (a thousand billion dollars in
 * cents): far above any order, and low enough that sums of many amounts, or an
 * amount times a quantity, cannot overflow 64 bits. */
#define RELAY_MONEY_MAX_MINOR G_GINT64_CONSTANT (100000000000000)

typedef struct
{
  gint64 minor;
  char   currency[4];
} RelayMoney;

guint    relay_money_currency_exponent (const char        *currency);
gboolean relay_money_is_valid_currency (const char        *currency);
gboolean relay_money_parse             (const char        *value,
                                        const char        *currency,
                                        RelayMoney        *out,
                                        GError           **error);
void     relay_money_init              (RelayMoney        *money,
                                        gint64             minor,
                                        const char        *currency);
char    *relay_money_format            (const RelayMoney  *money);
char    *relay_money_format_display    (const RelayMoney  *money);
gboolean relay_money_add               (const RelayMoney  *a,
                                        const RelayMoney  *b,
                                        RelayMoney        *out,
                                        GError           **error);
gboolean relay_money_equal             (const RelayMoney  *a,
                                        const RelayMoney  *b);

gboolean relay_decimal_parse           (const char        *text,
                                        guint              exponent,
                                        gint64            *out_scaled,
                                        GError           **error);
char    *relay_decimal_format          (gint64             scaled,
                                        guint              exponent);

G_END_DECLS
