/* routes.h - registration functions for each route group in api/.
 *
 * One file per group; each adds its routes to the app's router with the app
 * as context. Handlers only see the request and the app, never sockets. */
#ifndef EDGE_ROUTES_H
#define EDGE_ROUTES_H

#include "app.h"

/* GET /healthz and GET /metrics. */
void edge_routes_ops(edge_app *app);
/* GET {api-prefix}me: the verified identity of the caller. */
void edge_routes_identity(edge_app *app);
/* startChatContact and the participant API (message, event, transcript,
 * disconnect, events). */
void edge_routes_chat(edge_app *app);
/* Click-to-call: dial, update (DTMF, hang up), participant/signal. */
void edge_routes_calls(edge_app *app);
/* Video escalation of a chat: participant/video (offer, end). */
void edge_routes_video(edge_app *app);
/* Agent status, queue, accept, end, history; public availability. */
void edge_routes_agents(edge_app *app);
/* The agent's live console: agent/events (SSE), agent/contacts (restore),
 * agent/transcript (history, read-only). */
void edge_routes_agent_stream(edge_app *app);
/* Agents' private notes on a contact: agent/notes (POST add, GET list). */
void edge_routes_agent_notes(edge_app *app);
/* GET /demo/token (only registered with --demo). */
void edge_routes_demo(edge_app *app);

#endif
