/* provider.h - the contact-center side, behind one interface.
 *
 * Routes in api/ parse and validate requests, then call a provider; they
 * never touch the store or the event hub themselves. The embedded "local"
 * provider (provider/local_*.c) runs the contact center inside the edge on
 * the state store. A cloud provider (Amazon Connect chat, Amazon Chime SDK
 * meetings) implements the same operations by calling those services, and
 * the routes do not change. Every operation but a few is asynchronous
 * (started with an edge_provider_call, answered through its callback; see
 * "the asynchronous seam" below).
 *
 * Errors are the contact center's vocabulary, shared with the store
 * (EDGE_STORE_E* in store/store.h); api/contact_errors.c maps them to HTTP.
 * The abuse limits (dials, messages, reference-code redeems, one live call)
 * are the provider's rules, kept in the store so that they hold across
 * nodes sharing one; an operation refused by one answers
 * EDGE_STORE_ELIMITED and says which limit and for how long in an
 * edge_limited the caller passes.
 * Identities passed in are always verified ones (auth/identity.h). */
#ifndef EDGE_PROVIDER_H
#define EDGE_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include "auth/identity.h"
#include "auth/participant_token.h"
#include "common/rate.h"
#include "http/response.h"
#include "provider/agent_lists.h"
#include "store/store.h"

typedef struct edge_provider edge_provider;

/* Errors only a provider returns (the store never does), next to EDGE_STORE_E*. */
enum {
    EDGE_PROVIDER_EFORBIDDEN = -20,    /* the caller is not a party to the contact */
    EDGE_PROVIDER_ENOTCONNECTED = -21, /* the call has no agent yet */
    EDGE_PROVIDER_ENOCHAT = -22        /* a resume-only start: the caller has no open chat */
};

/* Why and for how long an operation was refused with EDGE_STORE_ELIMITED. */
typedef struct edge_limited {
    const char *limit;     /* static: "dials", "live_calls", "messages", "redeems" */
    int64_t retry_after_s; /* whole seconds, at least 1 */
} edge_limited;

#define EDGE_NOTE_MAX_BYTES 4000   /* one private note, UTF-8 bytes */
#define EDGE_NOTES_PER_CONTACT 200 /* notes on one contact */

/* The abuse limits a provider applies (0 / max 0 = no limit). */
typedef struct edge_provider_limits {
    edge_rate dials;                  /* dial attempts per identity */
    edge_rate messages;               /* messages per participant */
    edge_rate redeems;                /* reference-code redeems per identity and per network */
    int max_live_calls;               /* calls not ended per identity at once */
    int64_t max_messages_per_contact; /* past it a contact takes no more (EDGE_STORE_ECAP) */
    int64_t personal_queue_ms;        /* a personal queue's contact falls back after this */
} edge_provider_limits;

/* What startChatContact asks for (already validated by the route). */
typedef struct edge_chat_request {
    const char *display_name;    /* ParticipantDetails.DisplayName */
    const char *attributes_json; /* NULL or a JSON object text */
    const char *initial_message; /* NULL or text */
    const char *reference_id;    /* NULL or an agent's ad-hoc code (Attributes.videoReferenceId) */
    const char *client_addr;     /* the client's address as text (redeems are limited per
                                    network), or NULL */
} edge_chat_request;

typedef struct edge_chat_started {
    char contact_id[EDGE_STORE_ID_MAX];
    char participant_id[EDGE_STORE_ID_MAX];
    char participant_token[EDGE_PTOKEN_MAX];
    char previous_contact_id[EDGE_STORE_ID_MAX]; /* "" when none */
    int resumed;
    int redeemed; /* 1 when this start redeemed a reference code (a new chat) */
    char reference_agent_name[EDGE_STORE_TEXT_MAX]; /* then its agent's name, "" if unknown */
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
    char bridge[8]; /* "" for a call to agents, "SIP" for one bridged to a phone system */
} edge_call_started;

/* Video escalation of a connected contact (provider op video). */
typedef enum edge_video_action {
    EDGE_VIDEO_OFFER,  /* the agent offers video (and maybe screen share) */
    EDGE_VIDEO_END,    /* either side stops it; the chat goes on */
    EDGE_VIDEO_DECLINE /* the customer turns the offer down; the chat goes on */
} edge_video_action;

/* Counters a provider keeps for /metrics. */
typedef struct edge_provider_stats {
    uint64_t retention_purged; /* contacts deleted by retention since start */
} edge_provider_stats;

/* What a route wants to do with a ParticipantToken (provider op
 * participant_auth): a token's life depends on it once its contact ends. */
typedef enum edge_participant_use {
    EDGE_PARTICIPANT_LIVE,      /* take part: send, signal, video, events, disconnect */
    EDGE_PARTICIPANT_TRANSCRIPT /* read the transcript (POST participant/transcript) */
} edge_participant_use;

/* One of an agent's open contacts, with a fresh ParticipantToken (agent_contacts). */
typedef struct edge_agent_contact {
    edge_contact contact; /* owned: release with edge_contact_free */
    char participant_id[EDGE_STORE_ID_MAX];
    char participant_token[EDGE_PTOKEN_MAX];
    int64_t accepted_ms; /* when the agent joined it */
} edge_agent_contact;

/* What a console needs besides its contacts (agent_contacts). */
typedef struct edge_agent_console {
    int status;            /* the agent's status now: EDGE_AGENT_* (store.h) */
    int64_t last_event_id; /* the agent stream's newest event, read before the rest: open the
                            * stream with it as Last-Event-ID and nothing is missed */
} edge_agent_console;

/* Is anyone there? (the widget's cheap capacity check) */
typedef struct edge_availability {
    int agents_available;
    size_t queue_depth; /* contacts waiting in the queue */
} edge_availability;

/* ---- the asynchronous seam -----------------------------------------------
 *
 * Every contact-center operation is started, then completes later through a
 * callback, so nothing on the loop ever waits for a gateway or a shared
 * store. One shape for every op: the caller fills an edge_provider_call
 * (done, opaque, now_ms, deadline_ms) and passes it with the op's arguments
 * and result pointers; the provider answers by edge_provider_call_done(c,
 * rc) with rc 0 or a negative EDGE_STORE_E* / EDGE_PROVIDER_E* code (and
 * c->limited for EDGE_STORE_ELIMITED).
 *
 * The contract, for every provider:
 * - Arguments (identities, strings, requests) are borrowed for the start
 *   call only: a backend that completes later copies what it keeps. Result
 *   pointers and c stay the caller's and valid until done fires or the
 *   caller cancels; results are written only just before done.
 * - done fires exactly once per started call, unless cancelled. It may fire
 *   inside the start call (the local provider does: it completes before
 *   returning, except for what it hands to a bridge) or on a later loop
 *   turn, never from another thread. Callers must be correct for both.
 * - Deadline: a call still running at c->deadline_ms completes with
 *   EDGE_PROVIDER_ETIMEDOUT (or its real answer) soon after; a provider
 *   never keeps a call forever, so the caller's memory is always returned.
 * - Cancel: ops->cancel(p, c) (through edge_provider_cancel) before done;
 *   afterwards the provider never touches c again. Whether the work itself
 *   is undone depends on the backend: a request already sent may still
 *   take effect (as when a client goes away after sending).
 *
 * Synchronous on purpose, and why:
 * - events_serve / agent_events_serve: they turn the response into a stream
 *   (http/stream.h) at once; a backend feeds the stream from its own
 *   subscription after it opens. The route runs them after an
 *   asynchronous participant_auth, on the deferred response when the auth
 *   answered later (a deferred response may become a stream).
 * - tick, stats, destroy: housekeeping on the provider's own timers. */

/* Errors of the seam itself, next to EDGE_STORE_E* and EDGE_PROVIDER_E*. */
enum {
    EDGE_PROVIDER_ETIMEDOUT = -23, /* no answer by the call's deadline */
    EDGE_PROVIDER_EGATEWAY = -24   /* a gateway the op needs (the SIP bridge's Janus) is not
                                      reachable; nothing was created */
};

typedef struct edge_provider_call edge_provider_call;
typedef void (*edge_provider_done_fn)(edge_provider_call *c);

struct edge_provider_call {
    /* the caller's, set before the start */
    edge_provider_done_fn done; /* fires once with rc set, unless cancelled */
    void *opaque;               /* the caller's */
    int64_t now_ms;             /* the operation's time (wall clock, ms) */
    int64_t deadline_ms;        /* answer by then (wall clock, ms) */
    /* the provider's */
    int rc;                /* 0 or a negative error, set by edge_provider_call_done */
    edge_limited limited;  /* which limit and for how long, with EDGE_STORE_ELIMITED */
    void *backend;         /* a backend's in-flight state for cancel, or NULL */
};

/* Complete c: set c->rc = rc and fire c->done (which may free c). The
 * provider must not touch c afterwards. */
void edge_provider_call_done(edge_provider_call *c, int rc);

/* Forget a call started on p that has not completed (ops->cancel, when the
 * provider has one). No callback fires after it. */
void edge_provider_cancel(edge_provider *p, edge_provider_call *c);

typedef struct edge_provider_ops {
    /* Who holds this ParticipantToken, and may it still be used for use
     * at now_ms? 0 and *out, or ENOTFOUND (answered like an unknown
     * token) for a token that is malformed, forged, names no participant,
     * or has expired. The rule, kept against the store so it survives
     * restarts: while the contact is open and the participant in it, any
     * use. An agent's token dies when the contact ends or the agent
     * leaves it. A customer's lives on for the transcript grace after the
     * end (0: not at all): TRANSCRIPT reads go on; LIVE uses pass too and
     * get the answers an ended contact gives (409 contact_ended, the
     * event stream's replay), so nothing the widget sees changes until
     * the grace is over. The token is an HMAC over the participant id
     * (auth/participant_token.h), checked with the node's key before
     * anything is read: a forged one never reaches the store. Then the
     * participant and its contact are read (the seam's rules: done once,
     * at the call's time c->now_ms; EUNAVAILABLE / ETIMEDOUT when the
     * store cannot answer). token is borrowed for the start call. */
    void (*participant_auth)(edge_provider *p, edge_provider_call *c, const char *token,
                             size_t len, edge_participant_use use, edge_participant *out);
    /* One open chat per identity (who->sub): resume it or start one. A
     * start that would redeem a reference code takes one redeem of who and
     * one of req->client_addr's network first: ELIMITED with c->limited
     * when either is spent. A code that does not exist or is bound to
     * another email is ENOTFOUND alike (EMISMATCH never comes back), so
     * only the code's own email learns it was used (ECONFLICT) or has
     * expired (EEXPIRED). */
    void (*chat_start)(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                       const edge_chat_request *req, edge_chat_started *out);
    /* Only resume who's open chat (startChatContact with ResumeOnly): 0
     * with *out as chat_start fills it (resumed = 1), or
     * EDGE_PROVIDER_ENOCHAT when there is none; never creates anything. */
    void (*chat_resume)(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                        edge_chat_started *out);
    /* A participant sends a message; everyone in the contact gets an event.
     * The message and its events are stored atomically: on an error
     * nothing of it is stored, ever. client_token (NULL or 1..500 bytes,
     * Amazon Connect's ClientToken): a retry with one this participant
     * already used stores nothing and answers the original message in
     * *out (also after a restart). EBUSY / EFULL when the store cannot
     * write right now; ELIMITED with c->limited past the participant's
     * message rate; ECAP once the contact holds its cap of messages. *out
     * is the caller's to release (edge_message_free) after a 0. */
    void (*chat_send)(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                      const char *content_type, const char *content, const char *client_token,
                      edge_message *out);
    /* typing or read (message_id for read), relayed to the other side. */
    void (*chat_signal)(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                        const char *type, const char *message_id);
    /* A page of the transcript of who's contact: messages after after_seq,
     * at most cap, ascending; *more when there are further ones. The
     * caller releases the *count messages filled (also after an error). */
    void (*chat_transcript)(edge_provider *p, edge_provider_call *c, const edge_participant *who,
                            int64_t after_seq, edge_message *out, size_t cap, size_t *count,
                            int *more);
    /* The customer rates their contact: score 1..5, comment NULL or up to
     * EDGE_RATING_COMMENT_MAX_BYTES bytes (validated by the route), open or
     * ended (the route authorizes for EDGE_PARTICIPANT_TRANSCRIPT, so the
     * transcript grace bounds it). Once per contact (the store's rule):
     * ECONFLICT after the first. EDGE_PROVIDER_EFORBIDDEN for anyone but
     * the contact's customer. The contact's agent's feed hears
     * "contact.rated" {ContactId, Score, Comment?}. */
    void (*chat_rate)(edge_provider *p, edge_provider_call *c, const edge_participant *who,
                      int score, const char *comment);
    /* The participant leaves: the contact ends for everyone; transcript kept. */
    void (*chat_disconnect)(edge_provider *p, edge_provider_call *c, const edge_participant *who);
    /* A new queued call for who (calls are never resumed). ELIMITED with
     * c->limited past who's dial rate, or while who has a call that has
     * not ended (limit "live_calls"). A call to a number a bridge claims
     * (provider/bridge.h: the SIP bridge) is the bridge's: out->bridge
     * names it, and EDGE_PROVIDER_EGATEWAY says its gateway is not
     * reachable (nothing was created). */
    void (*call_start)(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                       const edge_call_request *req, edge_call_started *out);
    /* DTMF from who, the call's customer or its agent: each digit, in order,
     * to the other side. ENOTFOUND (no such call), EDGE_PROVIDER_EFORBIDDEN,
     * ESTATE (ended), EDGE_PROVIDER_ENOTCONNECTED (no agent yet). */
    void (*call_digits)(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                        const char *contact_id, const char *digits);
    /* who (customer or agent) hangs up: the call ends for everyone. Errors
     * as call_digits, except that a waiting call may be ended. */
    void (*call_end)(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                     const char *contact_id);
    /* WebRTC signaling: relay {Type, Payload} (payload_json, never read) to
     * the other participants of from's contact. ESTATE once it has ended,
     * EDGE_PROVIDER_ENOTCONNECTED while nobody else is there. */
    void (*call_signal)(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                        const char *type, const char *payload_json);
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
    void (*video)(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                  edge_video_action action, int screen_share);
    /* Agents (who->is_agent is checked by the routes). */
    /* status: EDGE_AGENT_AVAILABLE (offered contacts), EDGE_AGENT_AWAY
     * (signed in and watching, offered nothing; the presence grace does
     * not take an Away agent offline) or EDGE_AGENT_OFFLINE. Every console
     * of the agent hears "agent.status" {Status}. */
    void (*agent_set_status)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                             int status);
    /* Waiting contacts in service order, up to cap: of queue, or with queue
     * "" the agent's personal queue first, then the default one. Another
     * agent's personal queue lists as empty: its contacts are that agent's
     * alone until they fall back to the default queue. */
    void (*agent_queue)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                        const char *queue, edge_contact *out, size_t cap, size_t *count);
    /* A reference code for attendee_email, valid ttl_s: a chat started with
     * it goes first in line, in the agent's personal queue when
     * to_agent_queue, else in the default queue. */
    void (*adhoc_create)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                         const char *attendee_email, int to_agent_queue, int64_t ttl_s,
                         edge_adhoc_route *out);
    /* Take a waiting contact; of several agents racing, exactly one wins
     * (the others get ECONFLICT). A ringing call only by the agent it
     * rings (others: ECONFLICT). A contact waiting in another agent's
     * personal queue is ENOTFOUND. */
    void (*agent_accept)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                         const char *contact_id, edge_joined *out);
    /* Turn down a call ringing this agent: it rings the next idle agent
     * (never this one), or ends with reason "agent_rejected" when there is
     * none. ENOTFOUND, ECONFLICT when it does not ring this agent, ESTATE
     * once ended. */
    void (*agent_reject)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                         const char *contact_id);
    /* End a contact the agent is connected to (ENOTFOUND for others'). */
    void (*agent_end)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                      const char *contact_id);
    /* The agent's contacts, newest first, up to cap. */
    void (*agent_history)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                          edge_contact *out, size_t cap, size_t *count);
    /* A console's starting point: *console (status, the agent stream's
     * newest event id) and the agent's open contacts (accepted, not
     * ended), oldest first, up to cap, each with the agent's participant id
     * and a fresh token. The caller releases the *count contacts filled. */
    void (*agent_contacts)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                           edge_agent_console *console, edge_agent_contact *out, size_t cap,
                           size_t *count);
    /* A transcript page (as chat_transcript) of a contact this agent
     * accepted, ended or not; ENOTFOUND for anyone else's. */
    void (*agent_transcript)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                             const char *contact_id, int64_t after_seq, edge_message *out,
                             size_t cap, size_t *count, int *more);
    /* Add an agent's private note (text, 1..EDGE_NOTE_MAX_BYTES bytes) to
     * a contact this agent accepted, open or ended: ENOTFOUND for anyone
     * else's, ECAP past EDGE_NOTES_PER_CONTACT. A note is never a message
     * or a participant event: customers never see it; the agent's own
     * feed hears "contact.note" {ContactId, NoteId}. *out as
     * edge_store_note_add (released by the caller with edge_note_free). */
    void (*agent_note_add)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                           const char *contact_id, const char *content, edge_note *out);
    /* A contact's notes, oldest first, up to cap, for its agent only
     * (ENOTFOUND otherwise); release each with edge_note_free. */
    void (*agent_notes)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                        const char *contact_id, edge_note *out, size_t cap, size_t *count);
    /* Hand a connected chat or browser call of this agent's on (ENOTFOUND
     * for anyone else's, ESTATE when it is not connected): with
     * to_agent_sub, to that agent, who must be available and not this one
     * (ECONFLICT otherwise): it waits in their personal queue, and a call
     * rings them; else to to_queue ("" the default queue), where it waits
     * (a call in the default queue is offered as every call is). The
     * customer's side hears "contact.transferring" {ContactId, To: "AGENT"
     * or "QUEUE"}, then contact.state QUEUED, and "participant.joined"
     * when the next agent accepts; that agent's ParticipantToken reads the
     * whole transcript. This agent's participant leaves (their token stops
     * working) and their feed hears "contact.transferred" {ContactId}. */
    void (*agent_transfer)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                           const char *contact_id, const char *to_queue,
                           const char *to_agent_sub);
    /* Where this agent may transfer to: the available agents but them, by
     * name (up to cap), and the queues where contacts wait, the default ""
     * first (up to qcap; personal queues are nobody else's). */
    void (*agent_transfer_targets)(edge_provider *p, edge_provider_call *c,
                                   const edge_identity *agent, edge_agent_entry *agents,
                                   size_t cap, size_t *count,
                                   char (*queues)[EDGE_STORE_TEXT_MAX], size_t qcap,
                                   size_t *qcount);
    /* The wrap-up of a contact this agent accepted (ENOTFOUND for anyone
     * else's): end it first if it is still open (as agent_end), then
     * record disposition (a code of agent_dispositions' list, EINVAL for
     * any other; NULL none) with the contact and add note as a private
     * note (as agent_note_add; NULL none). An ended contact takes its
     * wrap-up too. */
    void (*agent_wrapup)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                         const char *contact_id, const char *disposition, const char *note);
    /* The disposition a contact of this agent's was closed with, into code
     * ("" none); ENOTFOUND for anyone else's. */
    void (*agent_disposition)(edge_provider *p, edge_provider_call *c,
                              const edge_identity *agent, const char *contact_id,
                              char code[EDGE_STORE_TEXT_MAX]);
    /* The disposition codes agents pick from: *list is the provider's own
     * (valid while it lives), never empty. */
    void (*agent_dispositions)(edge_provider *p, edge_provider_call *c,
                               const edge_identity *agent, const edge_disposition **list,
                               size_t *count);
    /* Canned responses: the shared ones first (*shared of them, ids
     * "shared-N"), then the agent's own, oldest first, up to cap in all;
     * the caller releases each with edge_canned_free. */
    void (*agent_canned)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                         edge_canned *out, size_t cap, size_t *count, size_t *shared);
    /* Add one of the agent's own (title 1..EDGE_STORE_TEXT_MAX - 1 bytes,
     * content 1..EDGE_CANNED_MAX_BYTES: else EINVAL; ECAP past
     * EDGE_CANNED_PER_AGENT); *out released with edge_canned_free. */
    void (*agent_canned_add)(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                             const char *title, const char *content, edge_canned *out);
    /* Delete one of the agent's own; ENOTFOUND for anyone else's and for
     * the shared ones. */
    void (*agent_canned_delete)(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *id);
    /* Answer res with the agent's own event stream (SSE): queue changes,
     * offers and their withdrawal, contacts assigned and ended, customers
     * coming and going. While one is open the agent counts as present. */
    void (*agent_events_serve)(edge_provider *p, const edge_identity *agent,
                               int64_t last_event_id, edge_response *res);
    /* Is anyone there? (no identity: the widget asks before showing itself) */
    void (*availability)(edge_provider *p, edge_provider_call *c, const char *queue,
                         edge_availability *out);
    /* Forget c, started on p and not yet completed (the client went away):
     * after it returns p never calls c->done nor writes c's results. NULL
     * for a provider that never leaves a call pending (the local one has
     * one for the calls it hands to a bridge). */
    void (*cancel)(edge_provider *p, edge_provider_call *c);
    /* Answer res with the participant's live event stream (SSE). */
    void (*events_serve)(edge_provider *p, const edge_participant *who, int64_t last_event_id,
                         edge_response *res);
    /* Housekeeping, called about once a second: e.g. ending calls that
     * waited too long for an agent, personal queues falling back, queue
     * positions held back by the once-a-second rule, deleting contacts
     * past retention. Returns 0 or an error (logged). */
    int (*tick)(edge_provider *p, int64_t now_ms);
    /* Fill *out with the provider's counters (for /metrics). */
    void (*stats)(edge_provider *p, edge_provider_stats *out);
    void (*destroy)(edge_provider *p);
} edge_provider_ops;

/* A provider is a struct whose first member is this; backends embed it. */
struct edge_provider {
    const edge_provider_ops *ops;
};

/* How the embedded contact center behaves; every duration in ms, 0 turns
 * the rule off. */
typedef struct edge_local_settings {
    int64_t no_agent_timeout_ms; /* calls still waiting for an agent end ("no_agent") */
    int64_t ring_timeout_ms;     /* a ring unanswered this long rings the next idle agent */
    int64_t agent_away_ms;       /* an available agent with no stream open goes offline */
    int64_t caller_gone_ms;      /* a call whose caller has no stream open ends ("caller_gone") */
    int64_t retention_ms;        /* contacts ended longer ago are deleted by the tick */
    int64_t transcript_grace_ms; /* a customer's token reads the transcript this long after
                                    the end (see participant_auth) */
    edge_provider_limits limits; /* the abuse limits (all zero: none) */
    const edge_agent_lists *lists; /* borrowed: dispositions and shared canned responses;
                                      NULL: the built-in dispositions, none shared */
} edge_local_settings;

/* The embedded contact center on the state store. astore (the state behind
 * the asynchronous interface, store/store_async.h: every op and job runs
 * on it; SQLite's adapter, or Redis shared by several nodes), hub and key
 * are borrowed and must outlive it; settings is copied; it installs the hub's
 * presence hook. Calls still waiting for an agent after
 * no_agent_timeout_ms end with reason "no_agent"; a call ringing an agent
 * for ring_timeout_ms goes back to the queue and rings the next idle
 * agent; contacts that ended more than retention_ms ago are deleted by the
 * tick, a batch at a time; limits are the abuse limits. now_ms is the
 * start time: nobody has a stream open on this node yet, so the store's
 * presence_reset runs (a job): on SQLite everyone counts as away from
 * then; on Redis, where presence is counted per node, only the streams
 * this node held before are forgotten. */
struct edge_hub;
struct edge_store_async;
edge_provider *edge_provider_local_create(struct edge_store_async *astore, struct edge_hub *hub,
                                          const edge_ptoken_key *key,
                                          const edge_local_settings *settings, int64_t now_ms);

#endif
