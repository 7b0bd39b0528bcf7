/* wg_widget.c - one mounted widget (see wg_widget.h).
 *
 * A thin router: it owns the configuration, the panel, the availability
 * poll, the typing throttle and the validation of what the user types, and
 * hands everything else to the chat (with its video) or the call, which
 * push to the same effect list. Keeping the rules here and the machines
 * unaware of each other is why each machine stays testable on its own. */
#include "wg_widget.h"

#include <string.h>

#include "c2c_str.h"
#include "wg_err.h"

/* ---- attribute parsers ---- */

/* One accepted spelling of an attribute's value. Each attribute is a table
 * of these, ended by a NULL name, read by one lookup. */
struct attr_name {
    const char *name; /* lowercase */
    int value;
};

static const struct attr_name mode_names[] = {
    {"call", WG_MODE_CALL},
    {"chat", WG_MODE_CHAT},
    {"video", WG_MODE_VIDEO},
    {NULL, 0},
};

/* Languages: wg_parse_locale drops the region first. */
static const struct attr_name locale_names[] = {
    {"en", WG_LOCALE_EN},
    {"es", WG_LOCALE_ES},
    {"fr", WG_LOCALE_FR},
    {"de", WG_LOCALE_DE},
    {"pt", WG_LOCALE_PT},
    {"ja", WG_LOCALE_JA},
    {NULL, 0},
};

static const struct attr_name theme_names[] = {
    {"auto", WG_THEME_AUTO},
    {"light", WG_THEME_LIGHT},
    {"dark", WG_THEME_DARK},
    {NULL, 0},
};

/* "" is the bare attribute: it asks for hiding. */
static const struct attr_name hide_names[] = {
    {"", WG_HIDE_HIDE},       {"hide", WG_HIDE_HIDE},   {"true", WG_HIDE_HIDE},
    {"grey", WG_HIDE_GREY},   {"gray", WG_HIDE_GREY},   {"disable", WG_HIDE_GREY},
    {"false", WG_HIDE_NEVER}, {"never", WG_HIDE_NEVER}, {NULL, 0},
};

static char lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* s[0..len) equals lit, ignoring ASCII case. */
static bool is(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (len != n || (!s && len))
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lit[i])
            return false;
    return true;
}

/* The value of table's entry named s[0..len) (ASCII case ignored), or
 * WG_E_INVAL when there is none. */
static int lookup(const struct attr_name *table, const char *s, size_t len)
{
    for (const struct attr_name *e = table; e->name; e++)
        if (is(s, len, e->name))
            return e->value;
    return WG_E_INVAL;
}

int wg_parse_mode(const char *s, size_t len)
{
    return lookup(mode_names, s, len);
}

int wg_parse_locale(const char *s, size_t len)
{
    /* The language is what comes before a region ("es-MX", "ES_es"). */
    size_t lang = 0;
    while (s && lang < len && s[lang] != '-' && s[lang] != '_')
        lang++;
    return lookup(locale_names, s, lang);
}

int wg_parse_theme(const char *s, size_t len)
{
    return lookup(theme_names, s, len);
}

int wg_parse_hide(const char *s, size_t len)
{
    return lookup(hide_names, s, len);
}

/* ---- set-up ---- */

static bool chat_mode(const struct wg_widget *w)
{
    return w->mode == WG_MODE_CHAT || w->mode == WG_MODE_VIDEO;
}

static int check_config(const struct wg_widget_config *cfg, char *e164, size_t e164_size)
{
    if ((unsigned)cfg->mode > WG_MODE_VIDEO || (unsigned)cfg->locale >= WG_LOCALE_COUNT ||
        (unsigned)cfg->hide > WG_HIDE_GREY || (!cfg->label && cfg->label_len))
        return WG_E_INVAL;
    e164[0] = '\0';
    if (!cfg->number || cfg->number_len == 0)
        return WG_OK;
    /* Whatever is wrong with it, for the page's author it is a bad number. */
    if (wg_call_normalize_number(cfg->number, cfg->number_len, e164, e164_size) < 0)
        return WG_E_INVAL;
    return WG_OK;
}

/* Copies the label, cut at a NUL or at the last whole UTF-8 character that
 * fits. */
static void copy_label(struct wg_widget *w, const char *s, size_t len)
{
    const char *nul = len ? memchr(s, 0, len) : NULL;
    if (nul)
        len = (size_t)(nul - s);
    size_t n = len < sizeof(w->label) - 1 ? len : sizeof(w->label) - 1;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* s[n] continues a character: do not split it */
    if (n)
        memcpy(w->label, s, n);
    w->label[n] = '\0';
}

/* Only a widget that hides or greys out uses the answer: the others never
 * ask (every page view of every site would otherwise poll every 15 s). */
static bool polls(const struct wg_widget *w)
{
    return w->hide != WG_HIDE_NEVER || w->floating;
}

static void poll_availability(struct wg_widget *w)
{
    wg_fx_push(&w->fx, WG_FX_HTTP_AVAILABILITY, WG_OWNER_WIDGET, 0);
    w->avail_in_flight = true;
    w->avail_next_ms = 0;
}

int wg_widget_init(struct wg_widget *w, const struct wg_widget_config *cfg, int64_t now_ms)
{
    if (!w || !cfg)
        return WG_E_INVAL;
    char e164[WG_CALL_E164_MAX + 1];
    int r = check_config(cfg, e164, sizeof(e164));
    if (r < 0)
        return r;
    memset(w, 0, sizeof(*w));
    w->focus = "";
    w->mode = cfg->mode;
    w->locale = cfg->locale;
    size_t texts_len = 0;
    const char *texts = wg_i18n_builtin(cfg->locale, &texts_len);
    if (texts)
        wg_texts_index(&w->texts, texts, texts_len);
    w->hide = cfg->hide;
    w->has_number = e164[0] != '\0';
    memcpy(w->number, e164, sizeof(e164));
    copy_label(w, cfg->label, cfg->label_len);
    w->agents_available = -1;
    w->typing_sent_ms = INT64_MIN;
    w->now_ms = now_ms;
    wg_fx_init(&w->fx);
    wg_transcript_init(&w->transcript, w->entries, WG_WIDGET_MESSAGES, w->text_arena,
                       sizeof(w->text_arena));
    wg_chat_init(&w->chat, &w->transcript, &w->fx);
    wg_call_init(&w->call, &w->fx);
    if (polls(w))
        poll_availability(w);
    if (cfg->resume)
        wg_widget_resume(w, now_ms); /* a call widget has nothing to resume */
    return WG_OK;
}

int wg_widget_texts(struct wg_widget *w, const char *table, size_t len)
{
    return w ? wg_texts_index(&w->texts, table, len) : WG_E_INVAL;
}

bool wg_widget_rating(const struct wg_widget *w)
{
    return w && chat_mode(w) && w->chat.ct.state == WG_CHAT_ENDED && w->chat.ct.agent_name[0] &&
           (w->rating.state == WG_RATE_ASK || w->rating.state == WG_RATE_SENDING);
}

int wg_widget_resume(struct wg_widget *w, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    if (!chat_mode(w))
        return WG_E_STATE;
    w->now_ms = now_ms;
    int r = wg_chat_resume(&w->chat, now_ms);
    if (r == WG_OK) {
        w->open = true;
        wg_rating_reset(&w->rating);
    }
    return r;
}

bool wg_widget_away(const struct wg_widget *w)
{
    return w && chat_mode(w) && w->agents_available == 0 && !wg_widget_busy(w) &&
           (w->floating || w->hide == WG_HIDE_GREY);
}

int wg_widget_layout(struct wg_widget *w, bool floating, bool open)
{
    if (!w)
        return WG_E_INVAL;
    bool polled = polls(w);
    w->floating = floating;
    if (!polled && polls(w) && !w->avail_in_flight)
        poll_availability(w);
    if (floating && open)
        w->open = true;
    if (w->open)
        w->unread = 0;
    return WG_OK;
}

int wg_widget_identity_changed(struct wg_widget *w, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    if (chat_mode(w))
        wg_chat_drop(&w->chat, now_ms);
    else
        wg_call_drop(&w->call, now_ms);
    w->open = false;
    w->typing_sent_ms = INT64_MIN;
    w->input_error = 0;
    w->input_error_action = WG_ACT_NONE;
    wg_rating_reset(&w->rating);
    wg_seen_reset(&w->seen, NULL, 0);
    return WG_OK;
}

/* After an input that can change what the customer sees: sent, or the
 * panel open and focused, means they have seen the chat (wg_seen.h). */
static int seen(struct wg_widget *w, bool sent)
{
    return wg_seen_update(&w->seen, &w->transcript, &w->fx, sent || (w->open && w->focused));
}

void wg_widget_ref_agent(struct wg_widget *w, const char *name)
{
    if (w && w->ref_started)
        c2c_copy_str(w->ref_agent, sizeof(w->ref_agent), name);
}

void wg_widget_seen_stored(struct wg_widget *w, const char *id, size_t len)
{
    if (w)
        wg_seen_reset(&w->seen, id, len);
}

int wg_widget_focus(struct wg_widget *w, bool focused, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    w->focused = focused;
    return seen(w, false);
}

/* ---- user actions ---- */

static bool reference_ok(const char *s, size_t len)
{
    if (!s || len != WG_WIDGET_REFERENCE_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* TYPING: at most one HTTP_TYPING per WG_WIDGET_TYPING_EVERY_MS, and only
 * into a live chat; never an error (it is a hint, not a request the user
 * made). */
static int typing(struct wg_widget *w, int64_t now_ms)
{
    if (!wg_chat_live(&w->chat))
        return WG_OK;
    if (w->typing_sent_ms != INT64_MIN && now_ms - w->typing_sent_ms < WG_WIDGET_TYPING_EVERY_MS)
        return WG_OK;
    wg_fx_push(&w->fx, WG_FX_HTTP_TYPING, WG_OWNER_CHAT, 0);
    w->typing_sent_ms = now_ms;
    return WG_OK;
}

/* The rating step's actions, while it is shown (wg_widget_rating). */
static int rate_action(struct wg_widget *w, enum wg_action a, const char *text, size_t len)
{
    if (!wg_widget_rating(w))
        return WG_E_STATE;
    if (a == WG_ACT_RATE)
        return wg_rating_pick(&w->rating, text, len);
    if (a == WG_ACT_RATE_SKIP)
        return wg_rating_skip(&w->rating);
    return wg_rating_send(&w->rating, &w->fx, text, len);
}

static int chat_action(struct wg_widget *w, enum wg_action a, const char *text, size_t len,
                       int64_t now_ms)
{
    struct wg_chat *c = &w->chat;
    int r;
    if (a == WG_ACT_RATE || a == WG_ACT_RATE_SEND || a == WG_ACT_RATE_SKIP)
        return rate_action(w, a, text, len);
    if (a == WG_ACT_START || a == WG_ACT_REFERENCE || a == WG_ACT_REFERENCE_OFFERED)
        wg_rating_reset(&w->rating);
    switch (a) {
    case WG_ACT_START:
        w->open = true;
        w->confirm_end = false;
        w->ref_started = false;
        w->ref_agent[0] = '\0';
        return wg_chat_start(c, NULL, 0, now_ms);
    case WG_ACT_REFERENCE_OFFERED:
        text = w->offered_ref;
        len = strlen(text);
        if (!len)
            return WG_E_STATE;
        /* fall through */
    case WG_ACT_REFERENCE:
        w->open = true;
        w->confirm_end = false;
        if (!reference_ok(text, len))
            return WG_E_INVAL;
        r = wg_chat_start(c, text, len, now_ms);
        w->ref_started = r == WG_OK;
        w->ref_agent[0] = '\0';
        if (r == WG_OK)
            w->offered_ref[0] = '\0';
        return r;
    case WG_ACT_SEND:
        return wg_chat_send(c, text, len, now_ms);
    case WG_ACT_TYPING:
        return typing(w, now_ms);
    case WG_ACT_END_ASK:
    case WG_ACT_END_CANCEL:
        if (!wg_chat_live(c))
            return WG_E_STATE;
        w->confirm_end = a == WG_ACT_END_ASK;
        return WG_OK;
    case WG_ACT_TRANSCRIPT:
        if (c->ct.state != WG_CHAT_ENDED || !wg_transcript_count(&w->transcript))
            return WG_E_STATE;
        return wg_fx_push(&w->fx, WG_FX_DOWNLOAD, WG_OWNER_CHAT, 0) ? WG_OK : WG_E_FULL;
    case WG_ACT_END:
        w->confirm_end = false;
        return wg_chat_end(c, now_ms);
    case WG_ACT_VIDEO_JOIN:
        return wg_video_join(&c->video, &w->fx, now_ms);
    case WG_ACT_VIDEO_DECLINE:
        return wg_video_decline(&c->video, &w->fx);
    case WG_ACT_CAMERA:
        return wg_video_camera_toggle(&c->video, &w->fx);
    case WG_ACT_VIDEO_END:
        r = wg_video_end(&c->video, &w->fx);
        wg_chat_video_lines(c);
        return r;
    default:
        return WG_E_STATE; /* a call's action */
    }
}

static int call_action(struct wg_widget *w, enum wg_action a, const char *text, size_t len,
                       int64_t now_ms)
{
    struct wg_call *c = &w->call;
    switch (a) {
    case WG_ACT_DIAL:
        w->open = true;
        if (w->has_number)
            return wg_call_dial(c, w->number, strlen(w->number), now_ms);
        return wg_call_dial(c, text, len, now_ms);
    case WG_ACT_KEY:
        if (!text || len != 1)
            return WG_E_KEY;
        return wg_call_press(c, text[0], now_ms);
    case WG_ACT_MUTE:
        return wg_call_mute_toggle(c, now_ms);
    case WG_ACT_HANGUP:
        return wg_call_hangup(c, now_ms);
    default:
        return WG_E_STATE; /* a chat's action */
    }
}

/* Where the user acts next once the panel opens (see wg_widget_action). */
static const char *open_focus(const struct wg_widget *w)
{
    if (chat_mode(w)) {
        int s = w->chat.ct.state;
        return s == WG_CHAT_IDLE || s == WG_CHAT_ENDED ? "chat-start" : "chat-input";
    }
    int s = w->call.ct.state;
    if (s == WG_CALL_IDLE || s == WG_CALL_ENDED)
        return w->has_number ? "dial" : "number-input";
    return wg_call_live(&w->call) ? "hangup" : "mute";
}

/* The focus target after the accepted action a, or NULL to leave focus. */
static const char *focus_after(const struct wg_widget *w, enum wg_action a)
{
    switch (a) {
    case WG_ACT_TOGGLE:
        return w->open ? open_focus(w) : "launcher";
    case WG_ACT_CLOSE:
        return "launcher";
    case WG_ACT_START:
    case WG_ACT_REFERENCE:
    case WG_ACT_REFERENCE_OFFERED:
    case WG_ACT_VIDEO_DECLINE:
    case WG_ACT_VIDEO_END:
        return "chat-input";
    case WG_ACT_VIDEO_JOIN:
        return "camera";
    case WG_ACT_END_ASK:
        return "end-no";
    case WG_ACT_END_CANCEL:
        return "chat-input";
    case WG_ACT_END:
        return wg_widget_rating(w) ? "rate-1" : "chat-start";
    case WG_ACT_RATE_SEND:
    case WG_ACT_RATE_SKIP:
        return "chat-start";
    case WG_ACT_DIAL:
        return "hangup";
    default:
        return NULL;
    }
}

static void want_focus(struct wg_widget *w, const char *part)
{
    if (!part)
        return;
    w->focus = part;
    w->focus_seq++;
}

/* The c2c:error code of a rejected input: what was wrong with it, or why
 * it could not be taken now. */
static const char *input_error_code(enum wg_action a, int err)
{
    if (err == WG_E_STATE || err == WG_E_BUSY || err == WG_E_FULL)
        return wg_err_name(err);
    switch (a) {
    case WG_ACT_DIAL:
        return "number";
    case WG_ACT_SEND:
        return "message";
    case WG_ACT_REFERENCE:
    case WG_ACT_REFERENCE_OFFERED:
        return "reference";
    default:
        return wg_err_name(err);
    }
}

int wg_widget_offer_reference(struct wg_widget *w, const char *code, size_t len)
{
    if (!w)
        return WG_E_INVAL;
    if (!reference_ok(code, len))
        return WG_E_INVAL;
    enum wg_chat_state s = w->chat.ct.state;
    if (!chat_mode(w) || (s != WG_CHAT_IDLE && s != WG_CHAT_ENDED))
        return WG_E_STATE;
    memcpy(w->offered_ref, code, len);
    w->offered_ref[len] = '\0';
    w->open = true;
    want_focus(w, "ref-accept");
    return WG_OK;
}

int wg_widget_action(struct wg_widget *w, enum wg_action a, const char *text, size_t len,
                     int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    int r;
    if (a == WG_ACT_TOGGLE) {
        w->open = !w->open;
        r = WG_OK;
    } else if (a == WG_ACT_CLOSE) {
        w->open = false;
        r = WG_OK;
    } else if (a <= WG_ACT_NONE || a >= WG_ACT_COUNT) {
        r = WG_E_INVAL;
    } else {
        r = chat_mode(w) ? chat_action(w, a, text, len, now_ms)
                         : call_action(w, a, text, len, now_ms);
    }
    if (r < 0) {
        w->input_error = r;
        w->input_error_action = a;
        const char *code = input_error_code(a, r);
        wg_fx_push_copy(&w->fx, WG_FX_NOTIFY_ERROR, WG_OWNER_WIDGET, 0, code, strlen(code));
        return r;
    }
    w->input_error = 0;
    w->input_error_action = WG_ACT_NONE;
    if (w->open)
        w->unread = 0;
    want_focus(w, focus_after(w, a));
    seen(w, a == WG_ACT_SEND);
    return r;
}

/* ---- server answers ---- */

int wg_widget_start_ok(struct wg_widget *w, bool resumed, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    return chat_mode(w) ? wg_chat_start_ok(&w->chat, resumed, now_ms) : WG_E_STATE;
}

int wg_widget_dial_ok(struct wg_widget *w, const char *meeting_id, const char *transaction_id,
                      const char *join_token, bool bridged, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    if (chat_mode(w))
        return WG_E_STATE;
    int r = wg_call_dial_ok(&w->call, meeting_id, transaction_id, join_token, bridged, now_ms);
    if (r < 0 && r != WG_E_STATE) {
        /* An answer the call cannot use (an empty or over-long id or token)
         * is the server's fault: end the dial, which releases the
         * microphone, rather than leave it DIALING for ever. */
        wg_call_dial_failed(&w->call, WG_CONTACT_ERR_SERVER, now_ms);
    }
    return r;
}

int wg_widget_transcript_page(struct wg_widget *w, const struct wg_msg *msgs, size_t n, bool more,
                              int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    if (!chat_mode(w))
        return WG_E_STATE;
    int r = wg_chat_transcript_page(&w->chat, msgs, n, more, now_ms);
    seen(w, false);
    return r;
}

/* An availability answer, good or bad, schedules the next poll (when the
 * widget polls at all). */
static void availability_done(struct wg_widget *w, int64_t now_ms)
{
    w->avail_in_flight = false;
    w->avail_next_ms = polls(w) ? now_ms + WG_WIDGET_AVAIL_MS : 0;
}

int wg_widget_availability(struct wg_widget *w, int agents_available, int64_t now_ms)
{
    if (!w || agents_available < 0)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    availability_done(w, now_ms);
    int changed = w->agents_available != agents_available;
    w->agents_available = agents_available;
    return changed;
}

int wg_widget_request_ok(struct wg_widget *w, enum wg_fx_kind req, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    switch (req) {
    case WG_FX_HTTP_SEND:
        return chat_mode(w) ? wg_chat_send_ok(&w->chat, now_ms) : WG_E_STATE;
    case WG_FX_HTTP_DIGITS:
        return chat_mode(w) ? WG_E_STATE
                            : wg_call_digits_done(&w->call, true, WG_CONTACT_ERR_NONE, now_ms);
    case WG_FX_HTTP_HANGUP:
        return chat_mode(w) ? WG_E_STATE : wg_call_end_ok(&w->call, now_ms);
    case WG_FX_HTTP_RATE:
        return wg_rating_done(&w->rating, WG_CONTACT_ERR_NONE);
    case WG_FX_HTTP_TYPING:
    case WG_FX_HTTP_DISCONNECT:
    case WG_FX_HTTP_VIDEO_END:
    case WG_FX_HTTP_VIDEO_DECLINE:
        return WG_OK; /* the machine already moved on when it asked */
    default:
        return WG_E_INVAL; /* not a request, or one with its own answer function */
    }
}

/* A resume after a reload that finds no open chat (the stored flag was
 * stale) puts the widget back as if the page had just loaded: the panel the
 * resume opened closes, and nothing is shown as an error. */
static int start_failed(struct wg_widget *w, enum wg_contact_error err, int64_t now_ms)
{
    bool resume = w->chat.resume_only;
    int r = wg_chat_start_failed(&w->chat, err, now_ms);
    if (r == WG_OK && resume && err == WG_CONTACT_ERR_NO_CHAT)
        w->open = false;
    return r;
}

static int chat_request_failed(struct wg_widget *w, enum wg_fx_kind req, enum wg_contact_error err,
                               int64_t now_ms)
{
    switch (req) {
    case WG_FX_HTTP_START:
        return start_failed(w, err, now_ms);
    case WG_FX_HTTP_SEND:
        return wg_chat_send_failed(&w->chat, err, now_ms);
    case WG_FX_HTTP_TRANSCRIPT:
        return wg_chat_transcript_failed(&w->chat, err, now_ms);
    case WG_FX_HTTP_RATE:
        return wg_rating_done(&w->rating, err);
    case WG_FX_HTTP_TYPING:        /* a hint; the stream tells if the chat ended */
    case WG_FX_HTTP_DISCONNECT:    /* the chat is ENDED here already */
    case WG_FX_HTTP_VIDEO_END:     /* the video is over here already */
    case WG_FX_HTTP_VIDEO_DECLINE: /* so is the offer */
        return WG_OK;
    default:
        return WG_E_STATE; /* a call's request */
    }
}

static int call_request_failed(struct wg_widget *w, enum wg_fx_kind req, enum wg_contact_error err,
                               int64_t now_ms)
{
    switch (req) {
    case WG_FX_HTTP_DIAL:
        return wg_call_dial_failed(&w->call, err, now_ms);
    case WG_FX_HTTP_DIGITS:
        return wg_call_digits_done(&w->call, false, err, now_ms);
    case WG_FX_HTTP_HANGUP:
        return wg_call_end_failed(&w->call, err, now_ms);
    default:
        return WG_E_STATE; /* a chat's request */
    }
}

int wg_widget_request_failed(struct wg_widget *w, enum wg_fx_kind req, enum wg_contact_error err,
                             int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    if (req == WG_FX_HTTP_AVAILABILITY) {
        availability_done(w, now_ms); /* the last answer stays shown */
        return WG_OK;
    }
    if (req < WG_FX_HTTP_START || req > WG_FX_HTTP_RATE)
        return WG_E_INVAL;
    return chat_mode(w) ? chat_request_failed(w, req, err, now_ms)
                        : call_request_failed(w, req, err, now_ms);
}

/* ---- streams and media ---- */

/* The start of every stream and media input: w is there, its time becomes
 * now_ms, and owner names this widget's part: chat_part (CHAT for the
 * stream, VIDEO for media) in chat/video mode, CALL in call mode. 0,
 * WG_E_STATE (the other mode's) or WG_E_INVAL. */
static int route_input(struct wg_widget *w, enum wg_owner owner, enum wg_owner chat_part,
                       int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    if (owner == chat_part)
        return chat_mode(w) ? WG_OK : WG_E_STATE;
    if (owner == WG_OWNER_CALL)
        return chat_mode(w) ? WG_E_STATE : WG_OK;
    return WG_E_INVAL;
}

int wg_widget_stream_open(struct wg_widget *w, enum wg_owner owner, int64_t now_ms)
{
    int r = route_input(w, owner, WG_OWNER_CHAT, now_ms);
    if (r < 0)
        return r;
    return owner == WG_OWNER_CHAT ? wg_chat_stream_open(&w->chat, now_ms)
                                  : wg_call_stream_open(&w->call, now_ms);
}

int wg_widget_stream_error(struct wg_widget *w, enum wg_owner owner, int64_t now_ms)
{
    int r = route_input(w, owner, WG_OWNER_CHAT, now_ms);
    if (r < 0)
        return r;
    return owner == WG_OWNER_CHAT ? wg_chat_stream_error(&w->chat, now_ms)
                                  : wg_call_stream_error(&w->call, now_ms);
}

/* The agent's new messages (NOTIFY_MESSAGE: live ones, never a replay)
 * pushed since fx index `from` count as unread while the panel is closed. */
static void count_unread(struct wg_widget *w, size_t from)
{
    for (size_t i = from; i < w->fx.count && !w->open; i++)
        if (w->fx.items[i].kind == WG_FX_NOTIFY_MESSAGE && w->fx.items[i].arg == WG_ROLE_AGENT &&
            w->unread < 99)
            w->unread++;
}

int wg_widget_event(struct wg_widget *w, enum wg_owner owner, const struct wg_event *ev,
                    int64_t now_ms)
{
    int r = route_input(w, owner, WG_OWNER_CHAT, now_ms);
    if (r < 0)
        return r;
    if (owner != WG_OWNER_CHAT)
        return wg_call_event(&w->call, ev, now_ms);
    size_t before = w->fx.count;
    r = wg_chat_event(&w->chat, ev, now_ms);
    count_unread(w, before);
    wg_chat_video_lines(&w->chat);
    seen(w, false);
    return r;
}

int wg_widget_signal(struct wg_widget *w, enum wg_owner owner, int64_t id, enum wg_signal_type type,
                     const char *payload, size_t len, int64_t now_ms)
{
    /* The video's signals arrive on the chat's stream: either name will do. */
    int r = route_input(w, owner == WG_OWNER_VIDEO ? WG_OWNER_CHAT : owner, WG_OWNER_CHAT, now_ms);
    if (r < 0)
        return r;
    if (owner == WG_OWNER_CALL)
        return wg_call_signal(&w->call, id, type, payload, len, now_ms);
    r = wg_chat_signal(&w->chat, id, type, payload, len, now_ms);
    wg_chat_video_lines(&w->chat); /* a `bye` ends the video */
    return r;
}

int wg_widget_media_ready(struct wg_widget *w, enum wg_owner owner, int64_t now_ms)
{
    int r = route_input(w, owner, WG_OWNER_VIDEO, now_ms);
    if (r < 0)
        return r;
    if (owner == WG_OWNER_CALL)
        return wg_call_media_ready(&w->call, now_ms);
    /* The video's media come with its peer (RTC_START, MEDIA_CAMERA): the
     * bridge may say so, nothing waits for it. */
    return wg_video_has_peer(&w->chat.video) ? WG_OK : WG_E_STATE;
}

/* VIDEO: a failure while the camera is on, other than of the connection,
 * is the camera's: the video goes on without it. Anything else (the
 * microphone when joining, the peer connection) ends the video. */
static int video_media_failed(struct wg_widget *w, enum wg_media_error err)
{
    struct wg_video *v = &w->chat.video;
    bool camera = v->camera_on && err != WG_MEDIA_ERR_FAILED;
    int r = camera ? wg_video_camera_failed(v, err) : wg_video_media_failed(v, err, &w->fx);
    if (r < 0)
        return r;
    const char *code = wg_media_error_code(err, camera);
    if (code[0])
        wg_fx_push_copy(&w->fx, WG_FX_NOTIFY_ERROR, WG_OWNER_VIDEO, 0, code, strlen(code));
    return WG_OK;
}

int wg_widget_media_failed(struct wg_widget *w, enum wg_owner owner, enum wg_media_error err,
                           int64_t now_ms)
{
    int r = route_input(w, owner, WG_OWNER_VIDEO, now_ms);
    if (r < 0)
        return r;
    if (owner == WG_OWNER_CALL)
        return wg_call_media_failed(&w->call, err, now_ms);
    r = video_media_failed(w, err);
    wg_chat_video_lines(&w->chat);
    return r;
}

int wg_widget_media_active(struct wg_widget *w, enum wg_owner owner, int64_t now_ms)
{
    int r = route_input(w, owner, WG_OWNER_VIDEO, now_ms);
    if (r < 0)
        return r;
    if (owner == WG_OWNER_CALL)
        return wg_call_media_active(&w->call, now_ms);
    r = wg_video_media_active(&w->chat.video);
    wg_chat_video_lines(&w->chat);
    return r;
}

/* ---- time ---- */

int wg_widget_tick(struct wg_widget *w, int64_t now_ms)
{
    if (!w)
        return WG_E_INVAL;
    w->now_ms = now_ms;
    int changed = chat_mode(w) ? wg_chat_tick(&w->chat, now_ms) : wg_call_tick(&w->call, now_ms);
    /* While busy, the poll waits: the answer would not change what is shown,
     * and it saves the server the requests. */
    if (polls(w) && !w->avail_in_flight && w->avail_next_ms && now_ms >= w->avail_next_ms &&
        !wg_widget_busy(w))
        poll_availability(w);
    return changed;
}

/* ---- state ---- */

bool wg_widget_busy(const struct wg_widget *w)
{
    if (chat_mode(w))
        return w->chat.ct.state != WG_CHAT_IDLE && w->chat.ct.state != WG_CHAT_ENDED;
    return w->call.ct.state != WG_CALL_IDLE && w->call.ct.state != WG_CALL_ENDED;
}

const char *wg_widget_state_name(const struct wg_widget *w)
{
    if (!w)
        return "unknown";
    return chat_mode(w) ? wg_chat_state_name(w->chat.ct.state) : wg_call_state_name(w->call.ct.state);
}
