/* routes.h - registration functions for each route group in api/.
 *
 * One file per group; each adds its routes to the router with the narrow
 * handler context (api/api_ctx.h) as context. Handlers only see the request
 * and that context, never sockets or the app. */
#ifndef EDGE_ROUTES_H
#define EDGE_ROUTES_H

#include "api/api_ctx.h"

/* GET /healthz and GET /metrics. */
void edge_routes_ops(edge_api_ctx *api);
/* GET {api-prefix}me: the verified identity of the caller. */
void edge_routes_identity(edge_api_ctx *api);
/* startChatContact and the participant API (message, event, transcript,
 * disconnect, events). */
void edge_routes_chat(edge_api_ctx *api);
/* Click-to-call: dial, update (DTMF, hang up), participant/signal. */
void edge_routes_calls(edge_api_ctx *api);
/* Video escalation of a chat: participant/video (offer, end). */
void edge_routes_video(edge_api_ctx *api);
/* Agent status, queue, accept, end, history; public availability. */
void edge_routes_agents(edge_api_ctx *api);
/* The agent's live console: agent/events (SSE), agent/contacts (restore),
 * agent/transcript (history, read-only). */
void edge_routes_agent_stream(edge_api_ctx *api);
/* The customer's rating of a contact: participant/rating. */
void edge_routes_rating(edge_api_ctx *api);
/* Agents' private notes on a contact: agent/notes (POST add, GET list). */
void edge_routes_agent_notes(edge_api_ctx *api);
/* Wrap-up and canned responses: agent/dispositions, agent/disposition,
 * agent/canned (GET, POST, DELETE). */
void edge_routes_agent_wrapup(edge_api_ctx *api);
/* Transfer: agent/transfer-targets, agent/transfer. */
void edge_routes_agent_transfer(edge_api_ctx *api);
/* GET /demo/token (only registered with --demo). */
void edge_routes_demo(edge_api_ctx *api);
/* GET recordings/<ContactId>: a bridged call's recording, for supervisors. */
void edge_routes_recordings(edge_api_ctx *api);

#endif
