/* provider.h - the contact-center side, behind one interface.
 *
 * Routes in api/ parse and validate requests, then call a provider; they
 * never touch the store or the event hub themselves. The embedded "local"
 * provider (provider/local_*.c) runs the contact center inside the edge on
 * the state store. A cloud provider (Amazon Connect chat, Amazon Chime SDK
 * meetings) implements the same operations by calling those services, and
 * the routes do not change.
 *
 * Errors are the contact center's vocabulary, shared with the store
 * (EDGE_STORE_E* in store/store.h); api/contact_errors.c maps them to HTTP.
 * Identities passed in are always verified ones (auth/identity.h). */
#ifndef EDGE_PROVIDER_H
#define EDGE_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include "auth/identity.h"
#include "auth/participant_token.h"
#include "http/response.h"
#include "store/store.h"

typedef struct edge_provider edge_provider;

/* Errors only a provider returns (the store never does), next to EDGE_STORE_E*. */
enum {
    EDGE_PROVIDER_EFORBIDDEN = -20,    /* the caller is not a party to the contact */
    EDGE_PROVIDER_ENOTCONNECTED = -21, /* the call has no agent yet */
    EDGE_PROVIDER_ENOCHAT = -22        /* a resume-only start: the caller has no open chat */
};

/* What startChatContact asks for (already validated by the route). */
typedef struct edge_chat_request {
    const char *display_name;    /* ParticipantDetails.DisplayName */
    const char *attributes_json; /* NULL or a JSON object text */
    const char *initial_message; /* NULL or text */
    const char *reference_id;    /* NULL or an agent's ad-hoc code (Attributes.videoReferenceId) */
} edge_chat_request;

typedef struct edge_chat_started {
    char contact_id[EDGE_STORE_ID_MAX];
    char participant_id[EDGE_STORE_ID_MAX];
    char participant_token[EDGE_PTOKEN_MAX];
    char previous_contact_id[EDGE_STORE_ID_MAX]; /* "" when none */
    int resumed;
} edge_chat_started;

/* A participant who has just joined a contact (an agent accepting). */
typedef struct edge_joined {
    char contact_id[EDGE_STORE_ID_MAX];
    char participant_id[EDGE_STORE_ID_MAX];
    char participant_token[EDGE_PTOKEN_MAX];
} edge_joined;

/* What a dial asks for (normalized, checked against the dial policy and
 * given its queue by the route). */
typedef struct edge_call_request {
    const char *to_number;       /* E.164 */
    const char *queue;           /* "" = default queue */
    const char *attributes_json; /* NULL or a JSON object text */
} edge_call_request;

typedef struct edge_call_started {
    char contact_id[EDGE_STORE_ID_MAX];
    char participant_id[EDGE_STORE_ID_MAX]; /* the caller's */
    char participant_token[EDGE_PTOKEN_MAX];
} edge_call_started;

/* Video escalation of a connected contact (provider op video). */
typedef enum edge_video_action {
    EDGE_VIDEO_OFFER,  /* the agent offers video (and maybe screen share) */
    EDGE_VIDEO_END,    /* either side stops it; the chat goes on */
    EDGE_VIDEO_DECLINE /* the customer turns the offer down; the chat goes on */
} edge_video_action;

/* One of an agent's open contacts, with a fresh ParticipantToken (agent_contacts). */
typedef struct edge_agent_contact {
    edge_contact contact; /* owned: release with edge_contact_free */
    char participant_id[EDGE_STORE_ID_MAX];
    char participant_token[EDGE_PTOKEN_MAX];
} edge_agent_contact;

/* What a console needs besides its contacts (agent_contacts). */
typedef struct edge_agent_console {
    int available;         /* the agent's status now */
    int64_t last_event_id; /* the agent stream's newest event, read before the rest: open the
                            * stream with it as Last-Event-ID and nothing is missed */
} edge_agent_console;

/* Is anyone there? (the widget's cheap capacity check) */
typedef struct edge_availability {
    int agents_available;
    size_t queue_depth; /* contacts waiting in the queue */
} edge_availability;

typedef struct edge_provider_ops {
    /* Who holds this ParticipantToken? 0 and *out, or ENOTFOUND for a token
     * that is malformed, forged or names no participant. */
    int (*participant_auth)(edge_provider *p, const char *token, size_t len,
                            edge_participant *out);
    /* One open chat per identity (who->sub): resume it or start one. */
    int (*chat_start)(edge_provider *p, const edge_identity *who, const edge_chat_request *req,
                      int64_t now_ms, edge_chat_started *out);
    /* Only resume who's open chat (startChatContact with ResumeOnly): 0
     * with *out as chat_start fills it (resumed = 1), or
     * EDGE_PROVIDER_ENOCHAT when there is none; never creates anything. */
    int (*chat_resume)(edge_provider *p, const edge_identity *who, int64_t now_ms,
                       edge_chat_started *out);
    /* A participant sends a message; everyone in the contact gets an event. */
    int (*chat_send)(edge_provider *p, const edge_participant *from, const char *content_type,
                     const char *content, int64_t now_ms, edge_message *out);
    /* typing or read (message_id for read), relayed to the other side. */
    int (*chat_signal)(edge_provider *p, const edge_participant *from, const char *type,
                       const char *message_id, int64_t now_ms);
    /* A page of the transcript of who's contact: messages after after_seq,
     * at most cap, ascending; *more when there are further ones. */
    int (*chat_transcript)(edge_provider *p, const edge_participant *who, int64_t after_seq,
                           edge_message *out, size_t cap, size_t *count, int *more);
    /* The participant leaves: the contact ends for everyone; transcript kept. */
    int (*chat_disconnect)(edge_provider *p, const edge_participant *who, int64_t now_ms);
    /* A new queued call for who (calls are never resumed). */
    int (*call_start)(edge_provider *p, const edge_identity *who, const edge_call_request *req,
                      int64_t now_ms, edge_call_started *out);
    /* DTMF from who, the call's customer or its agent: each digit, in order,
     * to the other side. ENOTFOUND (no such call), EDGE_PROVIDER_EFORBIDDEN,
     * ESTATE (ended), EDGE_PROVIDER_ENOTCONNECTED (no agent yet). */
    int (*call_digits)(edge_provider *p, const edge_identity *who, const char *contact_id,
                       const char *digits, int64_t now_ms);
    /* who (customer or agent) hangs up: the call ends for everyone. Errors
     * as call_digits, except that a waiting call may be ended. */
    int (*call_end)(edge_provider *p, const edge_identity *who, const char *contact_id,
                    int64_t now_ms);
    /* WebRTC signaling: relay {Type, Payload} (payload_json, never read) to
     * the other participants of from's contact. ESTATE once it has ended,
     * EDGE_PROVIDER_ENOTCONNECTED while nobody else is there. */
    int (*call_signal)(edge_provider *p, const edge_participant *from, const char *type,
                       const char *payload_json, int64_t now_ms);
    /* Video escalation: EDGE_VIDEO_OFFER (from an agent only, else
     * EDGE_PROVIDER_EFORBIDDEN) sends "video.offer" {ContactId,
     * FromParticipantId, DisplayName, ScreenShare, AbsoluteTime},
     * EDGE_VIDEO_END (either side) "video.ended" and EDGE_VIDEO_DECLINE
     * (from the customer only, else EDGE_PROVIDER_EFORBIDDEN)
     * "video.declined", both {ContactId, FromParticipantId, FromRole,
     * AbsoluteTime}, to the other participants of from's contact. The
     * media is negotiated through call_signal; the contact itself is
     * unchanged and nothing goes into the transcript. ESTATE once it has
     * ended, EDGE_PROVIDER_ENOTCONNECTED while nobody else is there. */
    int (*video)(edge_provider *p, const edge_participant *from, edge_video_action action,
                 int screen_share, int64_t now_ms);
    /* Agents (who->is_agent is checked by the routes). */
    int (*agent_set_status)(edge_provider *p, const edge_identity *agent, int available,
                            int64_t now_ms);
    /* Waiting contacts in service order, up to cap: of queue, or with queue
     * "" the agent's personal queue first, then the default one. */
    int (*agent_queue)(edge_provider *p, const edge_identity *agent, const char *queue,
                       edge_contact *out, size_t cap, size_t *count);
    /* A reference code for attendee_email, valid ttl_s: a chat started with
     * it goes first in line, in the agent's personal queue when
     * to_agent_queue, else in the default queue. */
    int (*adhoc_create)(edge_provider *p, const edge_identity *agent, const char *attendee_email,
                        int to_agent_queue, int64_t now_ms, int64_t ttl_s,
                        edge_adhoc_route *out);
    /* Take a waiting contact; of several agents racing, exactly one wins
     * (the others get ECONFLICT). A ringing call only by the agent it
     * rings (others: ECONFLICT). */
    int (*agent_accept)(edge_provider *p, const edge_identity *agent, const char *contact_id,
                        int64_t now_ms, edge_joined *out);
    /* Turn down a call ringing this agent: it rings the next idle agent
     * (never this one), or ends with reason "agent_rejected" when there is
     * none. ENOTFOUND, ECONFLICT when it does not ring this agent, ESTATE
     * once ended. */
    int (*agent_reject)(edge_provider *p, const edge_identity *agent, const char *contact_id,
                        int64_t now_ms);
    /* End a contact the agent is connected to (ENOTFOUND for others'). */
    int (*agent_end)(edge_provider *p, const edge_identity *agent, const char *contact_id,
                     int64_t now_ms);
    /* The agent's contacts, newest first, up to cap. */
    int (*agent_history)(edge_provider *p, const edge_identity *agent, edge_contact *out,
                         size_t cap, size_t *count);
    /* A console's starting point: *console (status, the agent stream's
     * newest event id) and the agent's open contacts (accepted, not
     * ended), oldest first, up to cap, each with the agent's participant id
     * and a fresh token. */
    int (*agent_contacts)(edge_provider *p, const edge_identity *agent,
                          edge_agent_console *console, edge_agent_contact *out, size_t cap,
                          size_t *count);
    /* A transcript page (as chat_transcript) of a contact this agent
     * accepted, ended or not; ENOTFOUND for anyone else's. */
    int (*agent_transcript)(edge_provider *p, const edge_identity *agent, const char *contact_id,
                            int64_t after_seq, edge_message *out, size_t cap, size_t *count,
                            int *more);
    /* Answer res with the agent's own event stream (SSE): queue changes,
     * offers and their withdrawal, contacts assigned and ended, customers
     * coming and going. While one is open the agent counts as present. */
    void (*agent_events_serve)(edge_provider *p, const edge_identity *agent,
                               int64_t last_event_id, edge_response *res);
    int (*availability)(edge_provider *p, const char *queue, edge_availability *out);
    /* Answer res with the participant's live event stream (SSE). */
    void (*events_serve)(edge_provider *p, const edge_participant *who, int64_t last_event_id,
                         edge_response *res);
    /* Housekeeping, called about once a second: e.g. ending calls that
     * waited too long for an agent. Returns 0 or an error (logged). */
    int (*tick)(edge_provider *p, int64_t now_ms);
    void (*destroy)(edge_provider *p);
} edge_provider_ops;

/* A provider is a struct whose first member is this; backends embed it. */
struct edge_provider {
    const edge_provider_ops *ops;
};

/* The local provider's clocks, in milliseconds (0 = never). */
typedef struct edge_local_timeouts {
    int64_t no_agent_ms; /* a call still waiting for an agent ends ("no_agent") */
    int64_t ring_ms;     /* a ring unanswered goes back to the queue / the next agent */
    int64_t agent_away_ms;  /* an available agent with no stream open goes offline */
    int64_t caller_gone_ms; /* a call whose caller has no stream open ends ("caller_gone") */
} edge_local_timeouts;

/* The embedded contact center on the state store. store, hub and key are
 * borrowed and must outlive it; it installs the hub's presence hook. now_ms
 * is the start time: nobody has a stream open on this node yet, so every
 * agent and customer in the store counts as away from then. */
struct edge_hub;
edge_provider *edge_provider_local_create(edge_store *store, struct edge_hub *hub,
                                          const edge_ptoken_key *key,
                                          const edge_local_timeouts *timeouts, int64_t now_ms);

#endif
