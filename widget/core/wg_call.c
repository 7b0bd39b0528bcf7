/* wg_call.c - the click-to-call state machine (see wg_call.h for the
 * contract).
 *
 * Every input function first checks that it applies, then changes state and
 * appends effects (owner WG_OWNER_CALL) to the widget's list; nothing here
 * performs I/O or reads a clock. The keypad queue is wg_dtmf's, and the
 * event stream with its backoff (which also times the digits' retries) is
 * wg_stream's, so both behave exactly as they do for chat. */
#include "wg_call.h"

#include <string.h>

#include "c2c_str.h"
#include "wg_err.h"

static void push(struct wg_call *c, enum wg_fx_kind kind, int64_t arg)
{
    wg_contact_push(&c->ct, kind, arg);
}

static void set_state(struct wg_call *c, enum wg_call_state s)
{
    if (s != WG_CALL_CONNECTED)
        c->on_hold = false; /* a transfer or the end: nobody holds it any more */
    wg_contact_set_state(&c->ct, (int)s, wg_call_state_name(s));
}

bool wg_call_live(const struct wg_call *c)
{
    return c->ct.state == WG_CALL_QUEUED || c->ct.state == WG_CALL_RINGING ||
           c->ct.state == WG_CALL_CONNECTED || (c->ct.state == WG_CALL_DIALING && c->bridged);
}

/* Releases the peer connection and the microphone, when either is held. */
static void close_media(struct wg_call *c)
{
    if (c->media != WG_MEDIA_NONE || c->mic_held)
        push(c, WG_FX_RTC_BYE, 0);
    c->media = WG_MEDIA_NONE;
    c->mic_held = false;
}

static void to_ended(struct wg_call *c, const char *reason)
{
    close_media(c);
    c->on_hold = false;
    /* Digits not yet sent can never be sent now; an answer still in flight
     * is ignored (wg_call_digits_done returns WG_E_STATE). */
    wg_dtmf_init(&c->dtmf);
    c->digits_attempt = 0;
    c->digits_retry_at_ms = 0;
    c->hanging_up = false;
    c->media_pending = false;
    wg_contact_end(&c->ct, WG_CALL_ENDED, wg_call_state_name(WG_CALL_ENDED), reason);
}

/* Per-call state, cleared at init and at each new dial. */
static void reset_call(struct wg_call *c)
{
    wg_contact_reset(&c->ct);
    c->media = WG_MEDIA_NONE;
    c->media_pending = false;
    c->mic_held = false;
    c->media_error = WG_MEDIA_ERR_NONE;
    c->muted = false;
    c->on_hold = false;
    c->hanging_up = false;
    c->digits_attempt = 0;
    c->digits_retry_at_ms = 0;
    c->number[0] = c->meeting_id[0] = c->transaction_id[0] = c->join_token[0] = '\0';
    c->remote_digit = 0;
    c->bridged = false;
    c->sip_status = 0;
    wg_dtmf_init(&c->dtmf);
}

void wg_call_init(struct wg_call *c, struct wg_fx_list *fx)
{
    if (!c)
        return;
    memset(c, 0, sizeof(*c));
    wg_contact_init(&c->ct, fx, WG_OWNER_CALL);
    reset_call(c);
}

int wg_call_normalize_number(const char *in, size_t len, char *out, size_t out_size)
{
    if (!in || !out || out_size <= WG_CALL_E164_MAX)
        return WG_E_INVAL;
    if (len > WG_CALL_NUMBER_INPUT_MAX)
        return WG_E_TOO_LONG;
    char kept[WG_CALL_NUMBER_INPUT_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = in[i];
        if (ch == ' ' || ch == '(' || ch == ')' || ch == '-' || ch == '.')
            continue;
        if (!(ch >= '0' && ch <= '9') && !(ch == '+' && n == 0))
            return WG_E_INVAL; /* letters, NUL, a '+' not in front */
        kept[n++] = ch;
    }
    kept[n] = '\0';
    if (n == 0)
        return WG_E_EMPTY;
    /* As the server does it: 10 bare digits are a North American number;
     * any other bare digits get the '+' they lack; then E.164 rules. */
    if (kept[0] != '+' && n == 10) {
        memcpy(out, "+1", 2);
        memcpy(out + 2, kept, n + 1);
        return WG_OK;
    }
    const char *digits_at = kept[0] == '+' ? kept + 1 : kept;
    size_t digits = strlen(digits_at);
    if (digits > 15)
        return WG_E_TOO_LONG;
    if (digits < WG_CALL_E164_MIN_DIGITS || digits_at[0] == '0')
        return WG_E_INVAL;
    out[0] = '+';
    memcpy(out + 1, digits_at, digits + 1);
    return WG_OK;
}

int wg_call_dial(struct wg_call *c, const char *number, size_t len, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CALL_IDLE && c->ct.state != WG_CALL_ENDED)
        return WG_E_STATE;
    char e164[WG_CALL_E164_MAX + 1];
    int r = wg_call_normalize_number(number, len, e164, sizeof(e164));
    if (r < 0)
        return r;
    c->ct.now_ms = now_ms;
    reset_call(c);
    memcpy(c->number, e164, sizeof(e164));
    set_state(c, WG_CALL_DIALING);
    c->media_pending = true;
    push(c, WG_FX_MEDIA_ACQUIRE, 0);
    return WG_OK;
}

int wg_call_media_ready(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CALL_DIALING || !c->media_pending)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->media_pending = false;
    c->mic_held = true;
    wg_fx_push_copy(c->ct.fx, WG_FX_HTTP_DIAL, WG_OWNER_CALL, 0, c->number, strlen(c->number));
    return WG_OK;
}

static void set_media_error(struct wg_call *c, enum wg_media_error err)
{
    c->media_error = err;
    if (err != WG_MEDIA_ERR_NONE)
        wg_contact_notify(&c->ct, WG_FX_NOTIFY_ERROR, 0, wg_media_error_code(err, false));
}

int wg_call_media_failed(struct wg_call *c, enum wg_media_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    bool asking = c->ct.state == WG_CALL_DIALING && c->media_pending;
    if (!asking && !wg_call_live(c))
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    set_media_error(c, err);
    if (asking)
        to_ended(c, "microphone");
    else
        close_media(c);
    return WG_OK;
}

static int check_field(const char *s, size_t cap)
{
    if (!s || !s[0])
        return WG_E_INVAL;
    return strlen(s) < cap ? WG_OK : WG_E_TOO_LONG;
}

int wg_call_dial_ok(struct wg_call *c, const char *meeting_id, const char *transaction_id,
                    const char *join_token, bool bridged, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CALL_DIALING || c->media_pending || c->bridged)
        return WG_E_STATE;
    int r;
    /* A cut id or token would be useless to the server: reject, not truncate. */
    if ((r = check_field(meeting_id, sizeof(c->meeting_id))) < 0 ||
        (r = check_field(transaction_id, sizeof(c->transaction_id))) < 0 ||
        (r = check_field(join_token, sizeof(c->join_token))) < 0)
        return r;
    c->ct.now_ms = now_ms;
    c2c_copy_str(c->meeting_id, sizeof(c->meeting_id), meeting_id);
    c2c_copy_str(c->transaction_id, sizeof(c->transaction_id), transaction_id);
    c2c_copy_str(c->join_token, sizeof(c->join_token), join_token);
    c->ct.last_error = WG_CONTACT_ERR_NONE;
    c->bridged = bridged;
    if (!bridged)
        set_state(c, WG_CALL_QUEUED);
    wg_stream_start(&c->ct.stream, c->ct.fx, WG_OWNER_CALL, c->ct.last_event_id);
    if (bridged) {
        /* The gateway answers offers: ours goes out with the microphone. */
        push(c, WG_FX_RTC_START, 1);
        c->media = WG_MEDIA_NEGOTIATING;
    }
    return WG_OK;
}

int wg_call_dial_failed(struct wg_call *c, enum wg_contact_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CALL_DIALING || c->media_pending || c->bridged)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    wg_contact_set_error(&c->ct, err);
    to_ended(c, "error");
    return WG_OK;
}

int wg_call_hangup(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!wg_call_live(c))
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    if (c->hanging_up)
        return WG_OK; /* one HTTP_END is enough */
    c->hanging_up = true;
    push(c, WG_FX_HTTP_HANGUP, 0);
    return WG_OK;
}

int wg_call_end_ok(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state == WG_CALL_ENDED)
        return WG_OK; /* the ENDED event came first */
    if (!wg_call_live(c) || !c->hanging_up)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    to_ended(c, "customer_hangup");
    return WG_OK;
}

int wg_call_end_failed(struct wg_call *c, enum wg_contact_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state == WG_CALL_ENDED)
        return WG_OK;
    if (!wg_call_live(c) || !c->hanging_up)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    wg_contact_set_error(&c->ct, err);
    if (err == WG_CONTACT_ERR_ENDED) {
        to_ended(c, "customer_hangup");
        return WG_OK;
    }
    c->hanging_up = false;
    return WG_OK;
}

int wg_call_drop(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (wg_call_live(c) && !c->hanging_up)
        push(c, WG_FX_HTTP_HANGUP, 0);
    close_media(c);
    wg_contact_drop(&c->ct, now_ms);
    reset_call(c);
    set_state(c, WG_CALL_IDLE);
    return WG_OK;
}

/* Hands the queued digits to one request, unless one is in flight or a
 * retry is waiting for its time. Returns 1 when HTTP_DIGITS was emitted. */
static int pump_digits(struct wg_call *c)
{
    if (c->ct.state != WG_CALL_CONNECTED || c->dtmf.in_flight || c->digits_retry_at_ms)
        return 0;
    if (wg_dtmf_pending(&c->dtmf) == 0)
        return 0;
    if (!wg_fx_room(c->ct.fx, 1, WG_DTMF_CHUNK_MAX)) {
        /* No room: the digits stay queued and go out on the next press,
         * answer or tick. */
        if (c->ct.fx)
            c->ct.fx->overflow = true;
        return 0;
    }
    char digits[WG_DTMF_CHUNK_MAX + 1];
    int n = wg_dtmf_take(&c->dtmf, digits, sizeof(digits), WG_DTMF_CHUNK_MAX);
    if (n <= 0)
        return 0;
    /* A bridged call's digits are played in-band only when the server asks
     * (dtmf.play): it knows whether the far end takes them that way. */
    wg_fx_push_text(c->ct.fx, WG_FX_HTTP_DIGITS, WG_OWNER_CALL, c->bridged ? 1 : 0, digits,
                    (size_t)n);
    return 1;
}

int wg_call_press(struct wg_call *c, char key, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CALL_CONNECTED)
        return WG_E_STATE;
    int r = wg_dtmf_press(&c->dtmf, key);
    if (r < 0)
        return r;
    c->ct.now_ms = now_ms;
    pump_digits(c);
    return WG_OK;
}

/* Forgets every digit still queued, through wg_dtmf's own take/confirm so
 * that its queue stays consistent; the digits shown stay. */
static void drop_digits(struct wg_call *c)
{
    char digits[WG_DTMF_CHUNK_MAX + 1];
    while (wg_dtmf_take(&c->dtmf, digits, sizeof(digits), WG_DTMF_CHUNK_MAX) > 0)
        wg_dtmf_done(&c->dtmf, true);
}

int wg_call_digits_done(struct wg_call *c, bool ok, enum wg_contact_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!c->dtmf.in_flight)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    wg_dtmf_done(&c->dtmf, ok);
    if (ok) {
        c->digits_attempt = 0;
        pump_digits(c);
        return WG_OK;
    }
    wg_contact_set_error(&c->ct, err);
    if (err == WG_CONTACT_ERR_ENDED) {
        to_ended(c, "contact_ended");
        return WG_OK;
    }
    if (err == WG_CONTACT_ERR_AUTH || err == WG_CONTACT_ERR_REJECTED) {
        /* The same request would be refused the same way every time: give
         * the digits up (last_error tells the user) rather than retry them
         * for ever. Later presses go out as usual. */
        drop_digits(c);
        c->digits_attempt = 0;
        c->digits_retry_at_ms = 0;
        return WG_OK;
    }
    c->digits_retry_at_ms = wg_stream_retry_at(&c->digits_attempt, now_ms);
    return WG_OK;
}

int wg_call_mute_toggle(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state == WG_CALL_IDLE || c->ct.state == WG_CALL_ENDED)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->muted = !c->muted;
    push(c, WG_FX_MEDIA_MUTE, c->muted ? 1 : 0);
    return WG_OK;
}

int wg_call_media_active(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!wg_call_live(c) || c->media != WG_MEDIA_NEGOTIATING)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->media = WG_MEDIA_ACTIVE;
    return WG_OK;
}

int wg_call_stream_open(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    /* A reopen needs no backfill: the events replay from Last-Event-ID. */
    int r = wg_contact_stream_open(&c->ct, wg_call_live(c), now_ms);
    return r < 0 ? r : WG_OK;
}

int wg_call_stream_error(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    return wg_contact_stream_error(&c->ct, wg_call_live(c), now_ms);
}

int wg_call_tick(struct wg_call *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    int changed = wg_contact_tick(&c->ct, now_ms);
    if (c->digits_retry_at_ms && now_ms >= c->digits_retry_at_ms)
        c->digits_retry_at_ms = 0;
    if (pump_digits(c))
        changed = 1;
    return changed;
}

/* dtmf.play: the digits, canonical, to the bridge's RTCDTMFSender; only
 * for a bridged call with a peer, and only when every digit is a key. */
static int play_digits(struct wg_call *c, const char *digits)
{
    if (!c->bridged || c->media == WG_MEDIA_NONE || !digits)
        return 0;
    char keys[WG_DTMF_CHUNK_MAX + 1];
    size_t n = strlen(digits);
    if (n == 0 || n > WG_DTMF_CHUNK_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(keys[i] = wg_dtmf_key(digits[i])))
            return 0;
    wg_fx_push_copy(c->ct.fx, WG_FX_RTC_DTMF, WG_OWNER_CALL, 0, keys, n);
    return 0; /* nothing shown changes */
}

static int on_contact_state(struct wg_call *c, const struct wg_event *ev)
{
    int before = c->ct.state;
    switch (ev->contact_state) {
    case WG_CS_QUEUED:
        set_state(c, WG_CALL_QUEUED);
        break;
    case WG_CS_RINGING:
        set_state(c, WG_CALL_RINGING);
        break;
    case WG_CS_CONNECTED:
        set_state(c, WG_CALL_CONNECTED);
        pump_digits(c);
        break;
    case WG_CS_ENDED:
        c->sip_status = ev->sip_status > 0 && ev->sip_status < 700 ? ev->sip_status : 0;
        /* After our own hang-up the server says customer_hangup; keep
         * that meaning even if the event came without a reason. */
        to_ended(c, ev->reason && ev->reason[0] ? ev->reason
                    : c->hanging_up           ? "customer_hangup"
                                              : "");
        return 1;
    case WG_CS_DIALING: /* a bridged call is DIALING from its answer on */
    case WG_CS_COUNT:
        break;
    }
    return c->ct.state != before;
}

int wg_call_event(struct wg_call *c, const struct wg_event *ev, int64_t now_ms)
{
    if (!c || !ev)
        return WG_E_INVAL;
    c->ct.now_ms = now_ms;
    if (!wg_call_live(c))
        return 0; /* a late frame from a stream we closed */
    wg_contact_note_id(&c->ct, ev->id);
    switch (ev->kind) {
    case WG_EV_CONTACT_STATE:
        return on_contact_state(c, ev);
    case WG_EV_DTMF_PLAY:
        return play_digits(c, ev->digits);
    case WG_EV_QUEUE:
    case WG_EV_PARTICIPANT_JOINED:
        return wg_contact_event(&c->ct, ev);
    case WG_EV_DTMF: {
        char k = wg_dtmf_key(ev->digit);
        if (!k || ev->role == WG_ROLE_CUSTOMER)
            return 0;
        c->remote_digit = k;
        return 1;
    }
    default:
        return 0;
    }
}

int wg_call_signal(struct wg_call *c, int64_t id, enum wg_signal_type type, const char *payload,
                   size_t payload_len, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    int r = wg_contact_signal(&c->ct, wg_call_live(c), true, id, type, payload, payload_len,
                              now_ms);
    if (r <= 0)
        return r;
    if (type >= WG_SIG_HOLD) {
        bool hold = type == WG_SIG_HOLD && c->ct.state == WG_CALL_CONNECTED;
        if (hold == c->on_hold)
            return 0;
        c->on_hold = hold;
        return 1;
    }
    if (type == WG_SIG_BYE) {
        if (c->media == WG_MEDIA_NONE)
            return 0; /* no peer yet: the microphone stays for the offer */
        close_media(c);
        return 1;
    }
    enum wg_fx_kind kind = type == WG_SIG_OFFER    ? WG_FX_RTC_OFFER
                           : type == WG_SIG_ANSWER ? WG_FX_RTC_ANSWER
                                                   : WG_FX_RTC_CANDIDATE;
    wg_fx_push_text(c->ct.fx, kind, WG_OWNER_CALL, 0, payload ? payload : "",
                    payload ? payload_len : 0);
    if (type != WG_SIG_CANDIDATE && c->media == WG_MEDIA_NONE)
        c->media = WG_MEDIA_NEGOTIATING;
    return 1;
}

const char *wg_call_state_name(enum wg_call_state s)
{
    switch (s) {
    case WG_CALL_IDLE:
        return "idle";
    case WG_CALL_DIALING:
        return "dialing";
    case WG_CALL_QUEUED:
        return "queued";
    case WG_CALL_RINGING:
        return "ringing";
    case WG_CALL_CONNECTED:
        return "connected";
    case WG_CALL_ENDED:
        return "ended";
    }
    return "unknown";
}
