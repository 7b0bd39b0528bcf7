/* wg_fx.h - the effects the widget core asks the bridge to perform.
 *
 * Every state machine of the widget (chat, call, video inside the chat, the
 * widget around them) appends to ONE list owned by the widget, so the bridge
 * drains one list, in order, after every input. An effect names what to do
 * (kind), for which part of the widget (owner: which event stream, which
 * peer connection) and carries one number and one text. Texts are copied
 * into the list's own arena, so they stay valid until wg_fx_clear whatever
 * the caller does with its input buffers.
 *
 * Fixed capacity, no allocation. A push that does not fit sets `overflow`
 * and is lost: the bridge drains after every input, so that only happens
 * when a machine has a bug, and the bridge logs it. */
#ifndef WG_FX_H
#define WG_FX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_FX_MAX 48         /* effects pending before the bridge drains */
#define WG_FX_ARENA 49152    /* text bytes pending (a 16 KiB signal, 8 KiB messages) */

enum wg_fx_kind {
    WG_FX_NONE = 0,
    WG_FX_HTTP_AVAILABILITY, /* GET /api/availability?queue= */
    WG_FX_HTTP_START,        /* POST /api/startChatContact; text: code or ""; arg 1: ResumeOnly */
    WG_FX_HTTP_SEND,         /* POST /api/participant/message {Content: text} */
    WG_FX_HTTP_TYPING,       /* POST /api/participant/event (typing) */
    WG_FX_HTTP_TRANSCRIPT,   /* POST /api/participant/transcript, NextToken = arg (0: none) */
    WG_FX_HTTP_DISCONNECT,   /* POST /api/participant/disconnect */
    WG_FX_HTTP_DIAL,         /* POST /api/dial {toNumber: text (E.164)} */
    WG_FX_HTTP_DIGITS,       /* POST /api/update {update: digit, digit: text}; arg 0: also play
                                them in-band (RTCDTMFSender), arg 1: not (a phone bridge: the
                                server asks for them with RTC_DTMF when they go in-band) */
    WG_FX_HTTP_HANGUP,       /* POST /api/update {update: end} */
    WG_FX_HTTP_VIDEO_END,    /* POST /api/participant/video {Action: end} */
    WG_FX_HTTP_VIDEO_DECLINE, /* POST /api/participant/video {Action: decline} */
    WG_FX_HTTP_RATE,         /* POST /api/participant/rating {Score: arg, Comment: text} */
    WG_FX_SSE_OPEN,          /* open owner's event stream, Last-Event-ID = arg (0: none) */
    WG_FX_SSE_CLOSE,         /* close owner's event stream */
    WG_FX_MEDIA_ACQUIRE,     /* getUserMedia for owner: arg 1 camera too, 0 microphone only */
    WG_FX_MEDIA_MUTE,        /* arg 1: mute owner's microphone track, 0: unmute */
    WG_FX_MEDIA_CAMERA,      /* arg 1: turn owner's camera on (acquire if needed), 0: off */
    WG_FX_RTC_START,         /* create owner's RTCPeerConnection as the offerer, signal the offer;
                                arg 0: audio and a video transceiver (video), arg 1: audio only,
                                the end of candidates signalled (a call bridged to a phone) */
    WG_FX_RTC_OFFER,         /* text: offer payload JSON: set it, answer, signal the answer */
    WG_FX_RTC_ANSWER,        /* text: answer payload JSON: setRemoteDescription */
    WG_FX_RTC_CANDIDATE,     /* text: candidate payload JSON: addIceCandidate */
    WG_FX_RTC_BYE,           /* close owner's RTCPeerConnection and release its media */
    WG_FX_RTC_DTMF,          /* text: digits to play in-band through owner's RTCDTMFSender, after
                                any still playing */
    WG_FX_STORE_ACTIVE,      /* remember (arg 1) or forget (arg 0) that a chat is open, for resume */
    WG_FX_NOTIFY_STATE,      /* dispatch c2c:state, detail.state = text */
    WG_FX_NOTIFY_MESSAGE,    /* dispatch c2c:message; text = content, arg = role */
    WG_FX_NOTIFY_ENDED,      /* dispatch c2c:ended, detail.reason = text */
    WG_FX_NOTIFY_ERROR,      /* dispatch c2c:error, detail.code = text */
    WG_FX_DOWNLOAD,          /* offer c2c_transcript_text (wg_plain_transcript) as a text file */
    WG_FX_STORE_SEEN,        /* text: the Id of the newest message the customer has seen of the
                                chat: store it per widget and contact (wg_seen.h) */
    WG_FX_KIND_COUNT
};

/* Which part of the widget an effect (or an input) is about. */
enum wg_owner {
    WG_OWNER_WIDGET = 0, /* availability, notifications */
    WG_OWNER_CHAT,       /* the chat: its event stream and requests */
    WG_OWNER_CALL,       /* the call: its event stream, requests and audio peer */
    WG_OWNER_VIDEO       /* the video escalation inside a chat: its peer and camera */
};

struct wg_fx {
    enum wg_fx_kind kind;
    enum wg_owner owner;
    int64_t arg;
    const char *text; /* NUL-terminated, in the list's arena; "" when none */
    size_t text_len;
};

struct wg_fx_list {
    struct wg_fx items[WG_FX_MAX];
    size_t count;
    bool overflow;
    char arena[WG_FX_ARENA];
    size_t arena_used;
};

/* Empty. */
void wg_fx_init(struct wg_fx_list *l);

/* Appends an effect without text. Returns it, or NULL (overflow set). */
struct wg_fx *wg_fx_push(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner,
                         int64_t arg);

/* Appends an effect with a copy of text[0..len) (NUL added). Returns 0, or
 * WG_E_FULL when the items or the arena are full (nothing appended,
 * overflow NOT set: the caller decides), WG_E_INVAL for NULL text with len. */
int wg_fx_push_text(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner, int64_t arg,
                    const char *text, size_t len);

/* As wg_fx_push_text, for the effects a machine cannot hold back (a state
 * change, a notification): one that does not fit sets `overflow` and is
 * lost, as with wg_fx_push. NULL text is "". Returns 0 or WG_E_FULL. */
int wg_fx_push_copy(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner, int64_t arg,
                    const char *text, size_t len);

/* True when n more effects with text_bytes bytes of text in all (not
 * counting their NULs; one is reserved per effect) would fit. */
bool wg_fx_room(const struct wg_fx_list *l, size_t n, size_t text_bytes);

/* Forgets every effect and frees the arena (overflow is cleared too). */
void wg_fx_clear(struct wg_fx_list *l);

/* Stable lowercase names ("http_start", "sse_open", ...; "chat", "call",
 * ...) for the bridge's JSON and for logs; "unknown" otherwise. */
const char *wg_fx_kind_name(enum wg_fx_kind kind);
const char *wg_owner_name(enum wg_owner owner);

#endif
