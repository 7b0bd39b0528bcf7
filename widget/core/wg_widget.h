/* wg_widget.h - one mounted widget: its configuration, its panel, and the
 * chat or call machine behind it.
 *
 * This is the single object the bridge talks to. Inputs are user actions
 * (wg_widget_action, with the action ids the view put on buttons and
 * inputs), answers to the requests the effects asked for, parsed stream
 * events, media progress and a tick; every machine inside pushes to the
 * widget's one effect list `fx`, which the bridge drains after each input.
 * Then wg_view_build (wg_view.h) says what to show.
 *
 * Modes: `call` (a dial, keypad, mute, hang-up), `chat` (start or resume,
 * messages, ad-hoc reference form, video escalation when the agent offers
 * it), `video` (a chat whose start asks the agent for video: the attribute
 * `c2cMode: video` goes with the start, and the offer is joined as in chat).
 *
 * The capacity check: a widget configured to hide or grey out (hide is not
 * WG_HIDE_NEVER) polls availability (HTTP_AVAILABILITY on init, then every
 * WG_WIDGET_AVAIL_MS while nothing is live) and, when no agent is free, the
 * view hides or greys out the launcher as configured (chat widgets, and
 * floating ones, offer to leave a message instead: wg_widget_away). Others
 * never poll.
 *
 * Caller-owned and large (the transcript store is inside); the bridge's
 * glue allocates one per mounted element. Pure C: no allocation, no I/O, no
 * clock. */
#ifndef WG_WIDGET_H
#define WG_WIDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_call.h"
#include "wg_chat.h"
#include "wg_fx.h"
#include "wg_i18n.h"
#include "wg_rating.h"
#include "wg_seen.h"
#include "wg_transcript.h"
#include "wg_video.h"

#define WG_WIDGET_MESSAGES 256       /* messages kept for display */
#define WG_WIDGET_TEXT_ARENA 131072  /* their text */
#define WG_WIDGET_LABEL_MAX 64       /* data-label, bytes with NUL (longer is truncated) */
#define WG_WIDGET_AVAIL_MS 15000     /* availability poll while nothing is live (hide only) */
#define WG_WIDGET_TYPING_EVERY_MS 3000 /* at most one typing event per 3 s */
#define WG_WIDGET_REFERENCE_LEN 8    /* ad-hoc reference codes: 8 digits */

enum wg_mode { WG_MODE_CALL = 0, WG_MODE_CHAT, WG_MODE_VIDEO };
enum wg_theme { WG_THEME_AUTO = 0, WG_THEME_LIGHT, WG_THEME_DARK };
enum wg_hide { WG_HIDE_NEVER = 0, WG_HIDE_HIDE, WG_HIDE_GREY };

/* The user actions. The view puts them on nodes; the bridge sends them back
 * with the node's `arg` (KEY: the key character) or the input's text. */
enum wg_action {
    WG_ACT_NONE = 0,
    WG_ACT_TOGGLE,       /* the launcher: open or close the panel */
    WG_ACT_CLOSE,        /* the panel's close button */
    WG_ACT_START,        /* chat/video: start (or resume) a chat */
    WG_ACT_SEND,         /* chat: send text */
    WG_ACT_TYPING,       /* chat: the user typed (throttled to HTTP_TYPING) */
    WG_ACT_END,          /* chat: end it */
    WG_ACT_DIAL,         /* call: dial the configured number, or text when none is */
    WG_ACT_KEY,          /* call: keypad press, arg/text = the key */
    WG_ACT_MUTE,         /* call: toggle the microphone */
    WG_ACT_HANGUP,       /* call: hang up */
    WG_ACT_VIDEO_JOIN,   /* chat: accept the agent's video offer */
    WG_ACT_VIDEO_DECLINE,/* chat: decline it */
    WG_ACT_CAMERA,       /* chat: toggle the camera during video */
    WG_ACT_VIDEO_END,    /* chat: end the video, go on chatting */
    WG_ACT_REFERENCE,    /* chat: start with an ad-hoc reference code = text */
    WG_ACT_END_ASK,      /* chat: "End chat": ask to confirm (END ends, END_CANCEL goes on) */
    WG_ACT_END_CANCEL,   /* chat: keep chatting */
    WG_ACT_TRANSCRIPT,   /* chat, ended: download the transcript (FX_DOWNLOAD) */
    WG_ACT_REFERENCE_OFFERED, /* chat: start with the page URL's code (wg_widget_offer_reference) */
    WG_ACT_RATE,         /* chat, ended: pick a score, arg/text = '1'..'5' (wg_widget_rating) */
    WG_ACT_RATE_SEND,    /* chat, ended: send the score with the comment = text */
    WG_ACT_RATE_SKIP,    /* chat, ended: no rating */
    WG_ACT_COUNT
};

/* Parsed data-attributes, borrowed for wg_widget_init. */
struct wg_widget_config {
    enum wg_mode mode;
    enum wg_locale locale;
    enum wg_hide hide;
    const char *number; /* data-number as written, or NULL: the user types one */
    size_t number_len;
    const char *label;  /* data-label, or NULL: the locale's default */
    size_t label_len;
    bool resume;        /* storage says a chat was open: resume it at once */
};

struct wg_widget {
    enum wg_mode mode;
    enum wg_locale locale;
    struct wg_texts texts;           /* the locale's texts (wg_widget_texts), borrowed */
    enum wg_hide hide;
    bool open;                       /* the panel is shown */
    bool floating;                   /* data-layout="floating": launcher bubble + panel */
    int unread;                      /* agent messages that came while the panel was closed */
    bool confirm_end;                /* "End this chat?" is asked (END_ASK) */
    char offered_ref[WG_WIDGET_REFERENCE_LEN + 1]; /* the page URL's code, "" none */
    bool ref_started;                /* this chat was started with a reference code */
    char ref_agent[WG_TR_NAME_MAX];  /* its issuing agent's name from the start's answer, "" */
    struct wg_rating rating;         /* the rating step of the chat (ASK until it has ended) */
    struct wg_seen seen;             /* what the customer has seen, the "New messages" marker */
    bool focused;                    /* focus is in the widget (wg_widget_focus) */
    bool has_number;                 /* number[] holds a valid configured number */
    char number[WG_CALL_E164_MAX + 1];
    char label[WG_WIDGET_LABEL_MAX];
    int agents_available;            /* -1 until the first availability answer */
    int64_t avail_next_ms;           /* when to poll availability again (0: not scheduled) */
    bool avail_in_flight;
    int64_t typing_sent_ms;          /* last HTTP_TYPING, for the throttle (INT64_MIN: none) */
    int input_error;                 /* the last rejected user input (WG_E_*), 0: none */
    const char *focus;               /* static part the user acts on next ("" none): see below */
    unsigned focus_seq;              /* bumped each time focus is asked for */
    enum wg_action input_error_action; /* which action it came from */
    int64_t now_ms;
    struct wg_fx_list fx;
    struct wg_chat chat;             /* chat and video modes (video inside: chat.video) */
    struct wg_call call;             /* call mode */
    struct wg_transcript transcript;
    struct wg_tr_entry entries[WG_WIDGET_MESSAGES];
    char text_arena[WG_WIDGET_TEXT_ARENA];
};

/* Attribute parsers (data-mode, data-locale, data-theme,
 * data-hide-when-closed). Each returns the enum value, or WG_E_INVAL for an
 * unknown value (the bridge warns and uses the default). Locales match by
 * language: "es", "es-MX" and "ES_es" are Spanish; en, es, fr, de, pt
 * ("pt-BR" too) and ja are known. hide: "" (the bare
 * attribute), "hide", "true" -> HIDE; "grey", "gray", "disable" -> GREY;
 * "false", "never" -> NEVER. */
int wg_parse_mode(const char *s, size_t len);
int wg_parse_locale(const char *s, size_t len);
int wg_parse_theme(const char *s, size_t len);
int wg_parse_hide(const char *s, size_t len);

/* Sets w up from cfg (validated: a bad number is WG_E_INVAL and nothing is
 * set up, so the bridge can warn and retry without it). Pushes
 * HTTP_AVAILABILITY unless cfg->hide is WG_HIDE_NEVER, and for cfg->resume
 * resumes as wg_widget_resume does (chat/video only). 0 or an error code. */
int wg_widget_init(struct wg_widget *w, const struct wg_widget_config *cfg, int64_t now_ms);

/* The texts of w's locale: table[0..len) as wg_texts_index takes it
 * (borrowed: the caller keeps it alive as long as w). wg_widget_init
 * indexes the compiled-in table where there is one (natively); the wasm
 * build has none, so the bridge fetches the locale's file and calls this
 * before the first view. Until then every text is "". 0 or WG_E_INVAL (the
 * texts are left as they were). */
int wg_widget_texts(struct wg_widget *w, const char *table, size_t len);

/* The bridge found the current user's "a chat is open" flag (at mount:
 * wg_widget_init's cfg->resume; after wg_widget_identity_changed, the new
 * user's own flag). Chat/video modes open the panel and resume
 * (wg_chat_resume: HTTP_START{1}, ResumeOnly). 0, WG_E_STATE (call mode:
 * calls are never resumed; or a chat is under way) or WG_E_INVAL. */
int wg_widget_resume(struct wg_widget *w, int64_t now_ms);

/* The person at the device changed: the page gave a token whose `sub` is
 * not the previous token's (the same sub is a token refresh, which the core
 * never hears of). Nothing of the previous user's may reach the new one, so
 * the mode's machine drops everything: the chat (wg_chat_drop: nothing is
 * sent, the chat stays open for its user elsewhere; stream and video peer
 * closed, transcript cleared; the user's resume flag stays theirs) or the call
 * (wg_call_drop: a live call is hung up, it belongs to the person at the
 * device). The panel closes and the last input error and the typing
 * throttle go; the configuration and the availability answer stay (they
 * are the page's). The bridge performs these effects as the previous user
 * (that user's token and contacts), then switches to the new token, calls
 * wg_widget_resume when the new user's own flag is stored, and gives the
 * core no answer to the previous user's requests. 0 or WG_E_INVAL. */
int wg_widget_identity_changed(struct wg_widget *w, int64_t now_ms);

/* The layout (data-layout): floating, a launcher bubble fixed in a corner
 * with the unread count and a panel with a header above it; else inline.
 * open: the panel's state before a reload (the bridge stores it per
 * widget), restored for a floating widget only (an inline one starts
 * closed as before). Opening clears the unread count. 0 or WG_E_INVAL. */
int wg_widget_layout(struct wg_widget *w, bool floating, bool open);

/* The page's URL carries a reference code (?c2c-ref=, or videoReferenceId):
 * chat modes with no chat under way offer to start with it (the panel
 * opens, focus on the offer's button: REFERENCE_OFFERED). 0, WG_E_INVAL (not
 * 8 digits) or WG_E_STATE (call mode, or a chat is under way). */
int wg_widget_offer_reference(struct wg_widget *w, const char *code, size_t len);

/* User: an action from the view. text/len: the input's text (SEND, DIAL
 * without a configured number, REFERENCE), the key (KEY), else NULL/0.
 * Returns 0 or the error code of the machine (also kept in input_error for
 * the view, and pushed as NOTIFY_ERROR).
 *
 * Focus: an accepted action that takes away the control the user acted on,
 * or opens or closes the panel, names the part where the user will type or
 * act next in `focus` and bumps focus_seq (the view carries both; the
 * bridge moves focus there once per focus_seq, as soon as that part is
 * shown and enabled). Opening the panel: the chat's start button, or its
 * input once a chat is under way; the call's number input (or dial button
 * with a configured number), or hang-up once a call is under way. Closing
 * it: the launcher. Start chat and a redeemed code: the chat input (which
 * takes text from STARTING on). Joining video: the camera button. Asking
 * to end: "Keep chatting" (the safe answer); keeping on: the chat input.
 * Declining or ending video: the chat input. Ending the chat: the start
 * button ("start a new chat"). Dial: hang-up. A rejected action, typing,
 * sending and keypad presses leave focus where it is. */
int wg_widget_action(struct wg_widget *w, enum wg_action a, const char *text, size_t len,
                     int64_t now_ms);

/* The chat's start answered (before wg_widget_start_ok): id[0..len) is
 * the Id the bridge stored for this widget and contact from STORE_SEEN
 * (NULL/0: none). After a reload the log then shows the "New messages"
 * marker (wg_seen.h) before the first message newer than it, until the
 * customer sends or the panel is open and focused. */
void wg_widget_seen_stored(struct wg_widget *w, const char *id, size_t len);

/* The chat's start answered (before wg_widget_start_ok) for a chat started
 * with a reference code: name is the answer's ReferenceAgentName, the
 * issuing agent's name (NULL or "": unknown; cut to WG_TR_NAME_MAX - 1
 * bytes). While the chat waits, the view says "Code accepted, connecting
 * you to <name>"; without a name, and once the agent has joined, "Code
 * accepted". Ignored unless this chat was started with a code. */
void wg_widget_ref_agent(struct wg_widget *w, const char *name);

/* Focus came into the widget (focused) or left it (or the page lost it).
 * With the panel open, the customer sees the chat: the marker goes, and
 * the newest message is stored (STORE_SEEN). Returns 1 when the marker
 * changed, 0, or WG_E_INVAL. */
int wg_widget_focus(struct wg_widget *w, bool focused, int64_t now_ms);

/* Server answers, by request kind (the effect that asked). dial_ok:
 * bridged when the answer's Meeting says `Bridge: SIP` (wg_call_dial_ok); an
 * answer wg_call_dial_ok refuses (an empty or over-long MeetingId,
 * TransactionId or JoinToken) fails the dial as
 * wg_call_dial_failed(WG_CONTACT_ERR_SERVER) does (the microphone is released)
 * and its code (WG_E_INVAL, WG_E_TOO_LONG) is returned. */
int wg_widget_start_ok(struct wg_widget *w, bool resumed, int64_t now_ms);
int wg_widget_dial_ok(struct wg_widget *w, const char *meeting_id, const char *transaction_id,
                      const char *join_token, bool bridged, int64_t now_ms);
int wg_widget_transcript_page(struct wg_widget *w, const struct wg_msg *msgs, size_t n, bool more,
                              int64_t now_ms);
int wg_widget_availability(struct wg_widget *w, int agents_available, int64_t now_ms);
/* Any other request that succeeded (SEND, TYPING, DIGITS, HANGUP, ...).
 * WG_E_INVAL for START, DIAL, TRANSCRIPT and AVAILABILITY (their answers
 * have their own functions) and for effects that are not requests. */
int wg_widget_request_ok(struct wg_widget *w, enum wg_fx_kind req, int64_t now_ms);
/* Any request that failed, as the bridge classified it: to the machine's
 * *_failed function (last_error, NOTIFY_ERROR). Failures of TYPING,
 * DISCONNECT, VIDEO_END and VIDEO_DECLINE change nothing (the machine has
 * moved on); AVAILABILITY keeps the last answer and polls again later.
 * START with WG_CONTACT_ERR_NO_CHAT after a resume: back to IDLE without an
 * error (wg_chat_start_failed) and the panel closes. */
int wg_widget_request_failed(struct wg_widget *w, enum wg_fx_kind req, enum wg_contact_error err,
                             int64_t now_ms);

/* Stream and media progress; owner says which stream or peer: CHAT or
 * CALL for streams and events (signals for the video may say VIDEO or
 * CHAT), CALL or VIDEO for media; the other mode's owner is WG_E_STATE.
 * media_failed for VIDEO: with the camera on, a DENIED/UNAVAILABLE error is
 * the camera's (wg_video_camera_failed, the video goes on); anything else
 * ends the video (wg_video_media_failed). Both push NOTIFY_ERROR{VIDEO}
 * with wg_media_error_code. */
int wg_widget_stream_open(struct wg_widget *w, enum wg_owner owner, int64_t now_ms);
int wg_widget_stream_error(struct wg_widget *w, enum wg_owner owner, int64_t now_ms);
int wg_widget_event(struct wg_widget *w, enum wg_owner owner, const struct wg_event *ev,
                    int64_t now_ms);
int wg_widget_signal(struct wg_widget *w, enum wg_owner owner, int64_t id,
                     enum wg_signal_type type, const char *payload, size_t len, int64_t now_ms);
int wg_widget_media_ready(struct wg_widget *w, enum wg_owner owner, int64_t now_ms);
int wg_widget_media_failed(struct wg_widget *w, enum wg_owner owner, enum wg_media_error err,
                           int64_t now_ms);
int wg_widget_media_active(struct wg_widget *w, enum wg_owner owner, int64_t now_ms);

/* Time passes (the bridge ticks every 250 ms or so): retries, typing
 * expiry, availability polls. Returns 1 when something shown changed. */
int wg_widget_tick(struct wg_widget *w, int64_t now_ms);

/* Out of hours: a chat widget that is floating or greys out (WG_HIDE_GREY)
 * heard that no agent is available, and no chat is under way. The view
 * then says so in words on the launcher and in the panel, and offers to
 * leave a message (an ordinary start: the chat waits in the queue for the
 * next agent) instead of a greyed-out launcher. Floating widgets poll
 * availability as WG_HIDE_GREY ones do. */
bool wg_widget_away(const struct wg_widget *w);

/* The rating step: a chat (or video) whose agent joined has ended and the
 * customer has neither sent a rating nor skipped it. The view then asks for
 * a score (RATE with '1'..'5', a radio group), an optional comment and
 * RATE_SEND (HTTP_RATE with the score as arg and the comment as text) or
 * RATE_SKIP; "Start a new chat" comes after it. A sent rating (or a 409
 * already_rated: another device of the customer's rated it) is DONE and
 * thanks the customer; any other failure asks again with the error shown.
 * Starting or resuming a chat starts the step afresh. */
bool wg_widget_rating(const struct wg_widget *w);

/* The state name for c2c:state: the call's or the chat's ("idle", ...). */
const char *wg_widget_state_name(const struct wg_widget *w);

/* A chat or call (the mode's) is being set up or is under way: neither
 * IDLE nor ENDED. The availability poll waits meanwhile, and the view never
 * hides or greys out the widget then. */
bool wg_widget_busy(const struct wg_widget *w);

#endif
