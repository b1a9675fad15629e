/* relay-sandbox.c — the sandbox object: local Squarespace and TradeGecko servers,
 * their thread, the scenario and the demo timers
 *
 * Copyright 2026 The Order Relay developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "relay-sandbox-private.h"

enum { PORT_SQUARESPACE, PORT_TRADEGECKO, PORT_CONTROL };

G_DEFINE_FINAL_TYPE (RelaySandbox, relay_sandbox, G_TYPE_OBJECT)

G_DEFINE_QUARK (relay-sandbox-error-quark, relay_sandbox_error)

/* Every lookup a request makes by id, number or parent is hashed, so that a request costs the
 * same with 100 orders as with 100,000. */
static void
sandbox_init_indexes (RelaySandbox *self)
{
  sandbox_index_init (&self->sq_orders_by_id, &self->sq_orders, "id");
  sandbox_index_init (&self->tg_variants_by_id, &self->tg_variants, "id");
  sandbox_index_init (&self->tg_companies_by_id, &self->tg_companies, "id");
  sandbox_index_init (&self->tg_addresses_by_id, &self->tg_addresses, "id");
  sandbox_index_init (&self->tg_addresses_by_company, &self->tg_addresses, "company_id");
  sandbox_index_init (&self->tg_orders_by_id, &self->tg_orders, "id");
  sandbox_index_init (&self->tg_orders_by_number, &self->tg_orders, "order_number");
  sandbox_index_init (&self->tg_lines_by_order, &self->tg_order_line_items, "order_id");
  sandbox_index_init (&self->tg_fulfillments_by_id, &self->tg_fulfillments, "id");
  sandbox_index_init (&self->tg_fulfillments_by_order, &self->tg_fulfillments, "order_id");
  sandbox_index_init (&self->tg_fulfillment_lines_by_line, &self->tg_fulfillment_line_items, "order_line_item_id");
  sandbox_index_init (&self->tg_fulfillment_lines_by_fulfillment, &self->tg_fulfillment_line_items, "fulfillment_id");
}

static void
sandbox_clear_indexes (RelaySandbox *self)
{
  SandboxIndex *indexes[] = {
    &self->sq_orders_by_id, &self->tg_variants_by_id, &self->tg_companies_by_id, &self->tg_addresses_by_id,
    &self->tg_addresses_by_company, &self->tg_orders_by_id, &self->tg_orders_by_number, &self->tg_lines_by_order,
    &self->tg_fulfillments_by_id, &self->tg_fulfillments_by_order, &self->tg_fulfillment_lines_by_line,
    &self->tg_fulfillment_lines_by_fulfillment,
  };

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    sandbox_index_clear (indexes[i]);
}

static void
relay_sandbox_reset_locked (RelaySandbox *self)
{
  g_clear_pointer (&self->revoked_keys, g_hash_table_unref);
  self->revoked_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_clear_pointer (&self->sq_in_progress, g_hash_table_unref);
  sandbox_stock_finalize (self);
  sandbox_products_finalize (self);
  self->sq_in_progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sq_visibility_lag_ms = 0;
  sandbox_squarespace_reset (self);
  sandbox_tradegecko_reset (self);
  sandbox_stock_reset (self);
  sandbox_products_reset (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The server thread                                                                          */

static SoupServer *
listen_on (guint        port,
           char       **url,
           GError     **error)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "order-relay-sandbox ", NULL);
  GSList *uris;

  /* Loopback only: IPv4 127.0.0.1, never a public interface. */
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  *url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&server);
}

static gpointer
relay_sandbox_thread (gpointer data)
{
  RelaySandbox *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sq_url = NULL;
  g_autofree char *tg_url = NULL;
  g_autofree char *control_url = NULL;
  SoupServer *sq = NULL, *tg = NULL, *control = NULL;

  g_main_context_push_thread_default (self->context);

  sq = listen_on (self->requested_ports[PORT_SQUARESPACE], &sq_url, &error);
  if (sq != NULL)
    tg = listen_on (self->requested_ports[PORT_TRADEGECKO], &tg_url, &error);
  if (tg != NULL)
    control = listen_on (self->requested_ports[PORT_CONTROL], &control_url, &error);

  if (control != NULL)
    {
      soup_server_add_handler (sq, NULL, sandbox_serve_squarespace_cb, self, NULL);
      soup_server_add_handler (tg, NULL, sandbox_serve_tradegecko_cb, self, NULL);
      soup_server_add_handler (control, NULL, sandbox_serve_control_cb, self, NULL);
    }

  g_mutex_lock (&self->mutex);
  self->started = TRUE;
  if (control != NULL)
    {
      self->squarespace_server = sq;
      self->tradegecko_server = tg;
      self->control_server = control;
      self->squarespace_url = g_steal_pointer (&sq_url);
      self->tradegecko_url = g_steal_pointer (&tg_url);
      self->control_url = g_steal_pointer (&control_url);
    }
  else
    {
      g_set_error (&self->start_error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_LISTEN,
                   "Could not listen on 127.0.0.1: %s", error->message);
      g_clear_object (&sq);
      g_clear_object (&tg);
    }
  g_cond_broadcast (&self->started_cond);
  g_mutex_unlock (&self->mutex);

  if (control != NULL)
    g_main_loop_run (self->loop);

  g_mutex_lock (&self->mutex);
  if (self->new_order_source != NULL)
    g_source_destroy (self->new_order_source);
  g_clear_pointer (&self->new_order_source, g_source_unref);
  if (self->auto_ship_source != NULL)
    g_source_destroy (self->auto_ship_source);
  g_clear_pointer (&self->auto_ship_source, g_source_unref);
  g_mutex_unlock (&self->mutex);

  sandbox_release_held (self);
  if (self->squarespace_server != NULL)
    {
      soup_server_disconnect (self->squarespace_server);
      soup_server_disconnect (self->tradegecko_server);
      soup_server_disconnect (self->control_server);
      g_clear_object (&self->squarespace_server);
      g_clear_object (&self->tradegecko_server);
      g_clear_object (&self->control_server);
    }

  /* Let pending sources (delayed answers) release what they hold. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Demo timers                                                                                */

static gboolean
new_order_tick_cb (gpointer user_data)
{
  RelaySandbox *self = user_data;
  g_autoptr(JsonObject) partial = NULL;
  g_autoptr(JsonObject) order = NULL;

  g_mutex_lock (&self->mutex);
  partial = sandbox_demo_build_order (self);
  order = sandbox_squarespace_complete_order (self, partial, NULL);
  if (order != NULL)
    g_ptr_array_add (self->sq_orders, json_object_ref (order));
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_CONTINUE;
}

static gboolean
auto_ship_tick_cb (gpointer user_data)
{
  RelaySandbox *self = user_data;

  g_mutex_lock (&self->mutex);
  sandbox_tradegecko_auto_ship (self, self->auto_ship_delay);
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_CONTINUE;
}

static void
replace_timer_locked (RelaySandbox *self,
                      GSource     **slot,
                      guint         seconds,
                      GSourceFunc   callback)
{
  if (*slot != NULL)
    g_source_destroy (*slot);
  g_clear_pointer (slot, g_source_unref);

  if (seconds == 0)
    return;

  *slot = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (*slot, callback, self, NULL);
  g_source_attach (*slot, self->context);
}

/* ------------------------------------------------------------------------------------------ */

static void
relay_sandbox_finalize (GObject *object)
{
  RelaySandbox *self = (RelaySandbox *) object;

  relay_sandbox_stop (self);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->squarespace_url, g_free);
  g_clear_pointer (&self->tradegecko_url, g_free);
  g_clear_pointer (&self->control_url, g_free);
  g_clear_pointer (&self->rand, g_rand_free);

  g_clear_pointer (&self->sq_website, json_object_unref);
  g_clear_pointer (&self->sq_keys, g_hash_table_unref);
  g_clear_pointer (&self->sq_orders, g_ptr_array_unref);
  g_clear_pointer (&self->sq_inventory, g_ptr_array_unref);
  g_clear_pointer (&self->sq_cursors, g_hash_table_unref);

  g_clear_pointer (&self->tg_tokens, g_hash_table_unref);
  g_clear_pointer (&self->tg_account, json_object_unref);
  g_clear_pointer (&self->tg_user, json_object_unref);
  g_clear_pointer (&self->tg_currencies, g_ptr_array_unref);
  g_clear_pointer (&self->tg_tax_types, g_ptr_array_unref);
  g_clear_pointer (&self->tg_locations, g_ptr_array_unref);
  g_clear_pointer (&self->tg_variants, g_ptr_array_unref);
  g_clear_pointer (&self->tg_companies, g_ptr_array_unref);
  g_clear_pointer (&self->tg_addresses, g_ptr_array_unref);
  g_clear_pointer (&self->tg_orders, g_ptr_array_unref);
  g_clear_pointer (&self->tg_order_line_items, g_ptr_array_unref);
  g_clear_pointer (&self->tg_fulfillments, g_ptr_array_unref);
  g_clear_pointer (&self->tg_fulfillment_line_items, g_ptr_array_unref);
  g_clear_pointer (&self->tg_idempotency, g_hash_table_unref);
  sandbox_clear_indexes (self);
  sandbox_stock_finalize (self);
  sandbox_products_finalize (self);

  g_clear_pointer (&self->sq_in_progress, g_hash_table_unref);
  g_clear_pointer (&self->revoked_keys, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->request_log, g_ptr_array_unref);

  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->started_cond);

  G_OBJECT_CLASS (relay_sandbox_parent_class)->finalize (object);
}

static void
relay_sandbox_class_init (RelaySandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_sandbox_finalize;
}

static void
relay_sandbox_init (RelaySandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->started_cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->rand = g_rand_new ();
  self->faults = g_ptr_array_new_with_free_func (sandbox_fault_rule_free);
  self->held = sandbox_held_array_new ();
  self->request_log = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sandbox_init_indexes (self);

  /* The documented limits: 300/min with a one-minute cool-down; 300 per 300 s windows
   * (docs/sandbox.md, both “Rate limits and their headers”). */
  self->sq_rate.limit = 300;
  self->sq_rate.window_seconds = 60;
  self->sq_rate.cooldown_seconds = 60;
  self->tg_rate.limit = 300;
  self->tg_rate.window_seconds = 300;

  relay_sandbox_reset_locked (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

RelaySandbox *
relay_sandbox_new (void)
{
  return g_object_new (RELAY_TYPE_SANDBOX, NULL);
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * relay_sandbox_set_ports:
 *
 * Ports to bind on 127.0.0.1 at start; 0 (the default) picks a free one.
 */
void
relay_sandbox_set_ports (RelaySandbox *self,
                         guint         squarespace_port,
                         guint         tradegecko_port,
                         guint         control_port)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));
  g_return_if_fail (self->thread == NULL);

  self->requested_ports[PORT_SQUARESPACE] = squarespace_port;
  self->requested_ports[PORT_TRADEGECKO] = tradegecko_port;
  self->requested_ports[PORT_CONTROL] = control_port;
}

gboolean
relay_sandbox_start (RelaySandbox  *self,
                     GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->started = FALSE;
  self->thread = g_thread_new ("relay-sandbox", relay_sandbox_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->started_cond, &self->mutex);
  ok = self->start_error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->start_error));
  g_mutex_unlock (&self->mutex);

  if (!ok)
    g_clear_pointer (&self->thread, g_thread_join);

  return ok;
}

void
relay_sandbox_stop (RelaySandbox *self)
{
  GSource *quit;

  g_return_if_fail (RELAY_IS_SANDBOX (self));

  if (self->thread == NULL)
    return;

  /* Through the thread's own loop: a quit from here could come before the
   * thread is in g_main_loop_run(), which would then never return. */
  quit = g_idle_source_new ();
  g_source_set_callback (quit, quit_loop_cb, g_main_loop_ref (self->loop), (GDestroyNotify) g_main_loop_unref);
  g_source_set_static_name (quit, "[relay-sandbox] stop");
  g_source_attach (quit, self->context);
  g_source_unref (quit);
  g_clear_pointer (&self->thread, g_thread_join);
}

const char *
relay_sandbox_get_squarespace_url (RelaySandbox *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  return self->squarespace_url;
}

const char *
relay_sandbox_get_tradegecko_url (RelaySandbox *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  return self->tradegecko_url;
}

const char *
relay_sandbox_get_control_url (RelaySandbox *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX (self), NULL);
  return self->control_url;
}

static gboolean
load_scenario_locked (RelaySandbox  *self,
                      JsonNode      *scenario,
                      GError       **error)
{
  JsonObject *root;
  JsonObject *sq = NULL;
  JsonObject *tg = NULL;

  if (scenario == NULL || !JSON_NODE_HOLDS_OBJECT (scenario))
    {
      g_set_error (error, RELAY_SANDBOX_ERROR, RELAY_SANDBOX_ERROR_INVALID,
                   "A scenario must be a JSON object with \"squarespace\" and/or \"tradegecko\"");
      return FALSE;
    }

  root = json_node_get_object (scenario);
  if (json_object_has_member (root, "squarespace"))
    sq = json_object_get_object_member (root, "squarespace");
  if (json_object_has_member (root, "tradegecko"))
    tg = json_object_get_object_member (root, "tradegecko");

  relay_sandbox_reset_locked (self);
  return sandbox_tradegecko_load (self, tg, error) &&
         sandbox_squarespace_load (self, sq, tg, error);
}

/**
 * relay_sandbox_load_scenario:
 *
 * Replaces the whole state with @scenario (see the header comment for its shape). The scenario
 * is checked on a scratch copy first: when it is invalid, @error says why and the current state
 * is kept.
 */
gboolean
relay_sandbox_load_scenario (RelaySandbox  *self,
                             JsonNode      *scenario,
                             GError       **error)
{
  g_autoptr(RelaySandbox) scratch = NULL;
  gboolean ok;

  g_return_val_if_fail (RELAY_IS_SANDBOX (self), FALSE);

  scratch = relay_sandbox_new ();
  if (!load_scenario_locked (scratch, scenario, error))
    return FALSE;

  g_mutex_lock (&self->mutex);
  ok = load_scenario_locked (self, scenario, error);
  g_mutex_unlock (&self->mutex);

  return ok;
}

void
relay_sandbox_load_demo (RelaySandbox *self)
{
  g_autoptr(JsonNode) scenario = sandbox_demo_build_scenario ();
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELAY_IS_SANDBOX (self));

  if (!relay_sandbox_load_scenario (self, scenario, &error))
    g_error ("The built-in demo scenario is invalid: %s", error->message);
}

/**
 * relay_sandbox_set_new_order_interval:
 *
 * Places a new demo order in Squarespace every @seconds (0 stops).
 */
void
relay_sandbox_set_new_order_interval (RelaySandbox *self,
                                      guint         seconds)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->new_order_interval = seconds;
  replace_timer_locked (self, &self->new_order_source, seconds, new_order_tick_cb);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_sandbox_set_auto_ship_delay:
 *
 * Ships (a `fulfilled` fulfillment with tracking) every active or finalized TradeGecko order
 * @seconds after it was created (0 stops).
 */
void
relay_sandbox_set_auto_ship_delay (RelaySandbox *self,
                                   guint         seconds)
{
  g_return_if_fail (RELAY_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->auto_ship_delay = seconds;
  replace_timer_locked (self, &self->auto_ship_source, seconds > 0 ? 1 : 0, auto_ship_tick_cb);
  g_mutex_unlock (&self->mutex);
}
