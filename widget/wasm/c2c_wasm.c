/* c2c_wasm.c - the wasm exports over the widget core (see c2c_wasm.h and
 * docs/widget.md, "The wasm interface").
 *
 * Each mounted widget is one malloc'd struct c2c_glue: the core's struct
 * wg_widget first (so the pointer the bridge holds is both), then what only
 * the glue needs - the view it last built, the JSON writer's buffer, the
 * transcript page being collected, and a scratch area where (ptr, len)
 * strings from the bridge get the NUL the core's NUL-terminated fields
 * need. Every export checks its widget and enum arguments, converts the
 * doubles, and forwards to one wg_widget_* call; c2c_output serializes the
 * effects and the view and only then clears the effects, so an output that
 * ran out of memory loses nothing.
 *
 * Out of memory: there is no dedicated code in wg_err.h, so the glue
 * reports WG_E_FULL (return value, or c2c_last_error for the exports that
 * return a pointer). */
#include "c2c_wasm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "wg_err.h"
#include "wg_plain.h"
#include "wg_view.h"
#include "wg_widget.h"

#define C2C_PAGE_MAX 100   /* transcript items per page (the server's MaxResults cap) */
#define C2C_SCRATCH 1024   /* NUL-terminated copies for one call (at most ~600 bytes) */
#define C2C_REASON_MAX 128 /* a contact.state Reason; the machines truncate it further */
#define C2C_MAX_EXACT 9007199254740992.0 /* 2^53: doubles are exact integers up to here */

/* One transcript item, copied out of the input buffer until the page is done. */
struct c2c_page_item {
    char *id, *name, *ctype, *content; /* malloc'd, NUL-terminated */
    size_t content_len;
    int64_t seq, time_ms;
    enum wg_role role;
};

struct c2c_glue {
    struct wg_widget w; /* first: c2c_widget_new returns &glue->w */
    struct wg_view view;
    struct json_out out;
    struct c2c_page_item page[C2C_PAGE_MAX];
    struct wg_msg page_msgs[C2C_PAGE_MAX];
    size_t page_n;
    char scratch[C2C_SCRATCH];
    size_t scratch_used;
    char *text; /* c2c_transcript_text's last answer (malloc'd) */
    char *texts; /* the locale's table (c2c_locale; malloc'd), or NULL */
};

/* The module's only statics. The input buffer belongs to the module, not
 * to a widget: the bridge writes a call's strings before the call, and
 * there is one wasm memory and one thread. c2c_last_error reports why
 * c2c_widget_new (or another pointer-returning export) gave NULL, when
 * there is no widget to keep the reason in. */
static char *input_buf;
static size_t input_cap;
static int last_error;

static struct c2c_glue *glue_of(struct wg_widget *w)
{
    return (struct c2c_glue *)(void *)w; /* w is the glue's first member */
}

/* A time or an id from JS: NaN is 0, and beyond 2^53 is clamped (no double
 * there is an exact integer, and the cast must stay defined). */
static int64_t to_i64(double d)
{
    if (d != d)
        return 0;
    if (d > C2C_MAX_EXACT)
        d = C2C_MAX_EXACT;
    if (d < -C2C_MAX_EXACT)
        d = -C2C_MAX_EXACT;
    return (int64_t)d;
}

static bool owner_ok(int owner)
{
    return owner >= WG_OWNER_WIDGET && owner <= WG_OWNER_VIDEO;
}

static bool role_ok(int role)
{
    return role >= WG_ROLE_UNKNOWN && role <= WG_ROLE_SYSTEM;
}

/* s[0..len) NUL-terminated in the scratch, cut to fit cap bytes (NUL
 * included) at a UTF-8 character boundary. "" for NULL or no room. */
static const char *cstr(struct c2c_glue *g, const char *s, size_t len, size_t cap)
{
    if (!s || cap == 0 || cap > C2C_SCRATCH - g->scratch_used)
        return "";
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* s[len] continues a character: cut before it starts */
    }
    char *out = g->scratch + g->scratch_used;
    memcpy(out, s, len);
    out[len] = '\0';
    g->scratch_used += len + 1;
    return out;
}

/* The glue for an export, with its scratch emptied; NULL for a NULL w. */
static struct c2c_glue *begin(struct wg_widget *w)
{
    if (!w)
        return NULL;
    struct c2c_glue *g = glue_of(w);
    g->scratch_used = 0;
    return g;
}

/* ---- the buffer, parsers, lifetime ----------------------------------------- */

char *c2c_buffer(size_t size)
{
    if (size <= input_cap && input_buf)
        return input_buf;
    size_t cap = input_cap * 2 > size ? input_cap * 2 : size;
    if (cap < 256)
        cap = 256;
    char *p = realloc(input_buf, cap);
    if (!p) {
        last_error = WG_E_FULL;
        return NULL; /* the old buffer stays valid */
    }
    input_buf = p;
    input_cap = cap;
    return p;
}

int c2c_parse_mode(const char *s, size_t len)
{
    int r = wg_parse_mode(s, len);
    return r < 0 ? -1 : r;
}

int c2c_parse_locale(const char *s, size_t len)
{
    int r = wg_parse_locale(s, len);
    return r < 0 ? -1 : r;
}

int c2c_parse_theme(const char *s, size_t len)
{
    int r = wg_parse_theme(s, len);
    return r < 0 ? -1 : r;
}

int c2c_parse_hide(const char *s, size_t len)
{
    int r = wg_parse_hide(s, len);
    return r < 0 ? -1 : r;
}

static void page_free(struct c2c_glue *g)
{
    for (size_t i = 0; i < g->page_n; i++) {
        free(g->page[i].id);
        free(g->page[i].name);
        free(g->page[i].ctype);
        free(g->page[i].content);
    }
    g->page_n = 0;
}

struct wg_widget *c2c_widget_new(int mode, int locale, int hide, int resume, const char *number,
                                 size_t number_len, const char *label, size_t label_len,
                                 double now_ms)
{
    if (mode < WG_MODE_CALL || mode > WG_MODE_VIDEO || locale < 0 || locale >= WG_LOCALE_COUNT ||
        hide < WG_HIDE_NEVER || hide > WG_HIDE_GREY) {
        last_error = WG_E_INVAL;
        return NULL;
    }
    struct c2c_glue *g = calloc(1, sizeof(*g));
    if (!g) {
        last_error = WG_E_FULL;
        return NULL;
    }
    json_out_init(&g->out);
    struct wg_widget_config cfg = {.mode = (enum wg_mode)mode,
                                   .locale = (enum wg_locale)locale,
                                   .hide = (enum wg_hide)hide,
                                   .number = number,
                                   .number_len = number_len,
                                   .label = label,
                                   .label_len = label_len,
                                   .resume = resume != 0};
    int rc = wg_widget_init(&g->w, &cfg, to_i64(now_ms));
    if (rc < 0) {
        free(g);
        last_error = rc;
        return NULL;
    }
    last_error = 0;
    return &g->w;
}

void c2c_widget_free(struct wg_widget *w)
{
    if (!w)
        return;
    struct c2c_glue *g = glue_of(w);
    page_free(g);
    json_out_free(&g->out);
    free(g->text);
    free(g->texts);
    free(g);
}

int c2c_locale(struct wg_widget *w, const char *table, size_t len)
{
    if (!w || !table || !len)
        return WG_E_INVAL;
    struct c2c_glue *g = glue_of(w);
    char *copy = malloc(len);
    if (!copy)
        return WG_E_FULL;
    memcpy(copy, table, len);
    int rc = wg_widget_texts(w, copy, len);
    if (rc < 0) {
        free(copy);
        return rc;
    }
    free(g->texts);
    g->texts = copy;
    return WG_OK;
}

int c2c_last_error(void)
{
    return last_error;
}

/* ---- user actions and answers ----------------------------------------------- */

int c2c_action(struct wg_widget *w, int action, const char *text, size_t len, double now_ms)
{
    if (!begin(w) || action <= WG_ACT_NONE || action >= WG_ACT_COUNT)
        return WG_E_INVAL;
    return wg_widget_action(w, (enum wg_action)action, len ? text : NULL, len, to_i64(now_ms));
}

int c2c_identity_changed(struct wg_widget *w, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_identity_changed(w, to_i64(now_ms));
}

int c2c_resume(struct wg_widget *w, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_resume(w, to_i64(now_ms));
}

int c2c_layout(struct wg_widget *w, int floating, int open)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_layout(w, floating != 0, open != 0);
}

int c2c_offer_reference(struct wg_widget *w, const char *code, size_t len)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_offer_reference(w, code, len);
}

const char *c2c_transcript_text(struct wg_widget *w)
{
    struct c2c_glue *g = begin(w);
    if (!g) {
        last_error = WG_E_INVAL;
        return NULL;
    }
    size_t n = wg_plain_transcript(w, NULL, 0);
    free(g->text);
    g->text = malloc(n + 1);
    if (!g->text) {
        last_error = WG_E_FULL;
        return NULL;
    }
    wg_plain_transcript(w, g->text, n + 1);
    return g->text;
}

int c2c_start_ok(struct wg_widget *w, int resumed, const char *seen, size_t seen_len,
                 const char *ref_agent, size_t ref_agent_len, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g)
        return WG_E_INVAL;
    const char *id = cstr(g, seen, seen_len, WG_TR_ID_MAX);
    wg_widget_seen_stored(w, id, seen_len < WG_TR_ID_MAX ? strlen(id) : 0);
    wg_widget_ref_agent(w, cstr(g, ref_agent, ref_agent_len, WG_TR_NAME_MAX));
    return wg_widget_start_ok(w, resumed != 0, to_i64(now_ms));
}

int c2c_dial_ok(struct wg_widget *w, const char *meeting_id, size_t meeting_len,
                const char *transaction_id, size_t transaction_len, const char *join_token,
                size_t token_len, int bridged, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g)
        return WG_E_INVAL;
    /* The core's own rule (wg_call_dial_ok): too long is refused, not cut. */
    if (meeting_len >= WG_CALL_ID_MAX || transaction_len >= WG_CALL_ID_MAX ||
        token_len >= WG_CALL_TOKEN_MAX)
        return WG_E_TOO_LONG;
    const char *m = cstr(g, meeting_id, meeting_len, WG_CALL_ID_MAX);
    const char *t = cstr(g, transaction_id, transaction_len, WG_CALL_ID_MAX);
    const char *k = cstr(g, join_token, token_len, WG_CALL_TOKEN_MAX);
    return wg_widget_dial_ok(w, m, t, k, bridged != 0, to_i64(now_ms));
}

int c2c_availability(struct wg_widget *w, int agents_available, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_availability(w, agents_available, to_i64(now_ms));
}

int c2c_request_ok(struct wg_widget *w, int req, double now_ms)
{
    if (!begin(w) || req <= WG_FX_NONE || req >= WG_FX_KIND_COUNT)
        return WG_E_INVAL;
    return wg_widget_request_ok(w, (enum wg_fx_kind)req, to_i64(now_ms));
}

int c2c_request_failed(struct wg_widget *w, int req, int err, double now_ms)
{
    if (!begin(w) || req <= WG_FX_NONE || req >= WG_FX_KIND_COUNT || err < 0)
        return WG_E_INVAL;
    return wg_widget_request_failed(w, (enum wg_fx_kind)req, (enum wg_contact_error)err,
                                    to_i64(now_ms));
}

/* ---- transcript pages -------------------------------------------------------- */

static char *dup_n(const char *s, size_t len)
{
    if (!s)
        len = 0;
    char *p = malloc(len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

int c2c_transcript_item(struct wg_widget *w, const char *id, size_t id_len, double seq,
                        double time_ms, int role, const char *name, size_t name_len,
                        const char *ctype, size_t ctype_len, const char *content,
                        size_t content_len)
{
    struct c2c_glue *g = begin(w);
    if (!g || !role_ok(role))
        return WG_E_INVAL;
    if (g->page_n == C2C_PAGE_MAX)
        return WG_E_FULL;
    struct c2c_page_item *it = &g->page[g->page_n];
    *it = (struct c2c_page_item){.id = dup_n(id, id_len),
                                 .name = dup_n(name, name_len),
                                 .ctype = dup_n(ctype, ctype_len),
                                 .content = dup_n(content, content_len),
                                 .content_len = content_len,
                                 .seq = to_i64(seq),
                                 .time_ms = to_i64(time_ms),
                                 .role = (enum wg_role)role};
    if (!it->id || !it->name || !it->ctype || !it->content) {
        free(it->id);
        free(it->name);
        free(it->ctype);
        free(it->content);
        return WG_E_FULL;
    }
    g->page_n++;
    return 0;
}

int c2c_transcript_done(struct wg_widget *w, int more, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g)
        return WG_E_INVAL;
    for (size_t i = 0; i < g->page_n; i++) {
        const struct c2c_page_item *it = &g->page[i];
        g->page_msgs[i] = (struct wg_msg){it->id,   it->seq,   it->time_ms, it->role,
                                          it->name, it->ctype, it->content, it->content_len};
    }
    int rc = wg_widget_transcript_page(w, g->page_msgs, g->page_n, more != 0, to_i64(now_ms));
    page_free(g);
    return rc;
}

/* ---- streams and events ------------------------------------------------------ */

int c2c_stream_open(struct wg_widget *w, int owner, double now_ms)
{
    if (!begin(w) || !owner_ok(owner))
        return WG_E_INVAL;
    return wg_widget_stream_open(w, (enum wg_owner)owner, to_i64(now_ms));
}

int c2c_focus(struct wg_widget *w, int focused, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_focus(w, focused != 0, to_i64(now_ms));
}

int c2c_stream_error(struct wg_widget *w, int owner, double now_ms)
{
    if (!begin(w) || !owner_ok(owner))
        return WG_E_INVAL;
    return wg_widget_stream_error(w, (enum wg_owner)owner, to_i64(now_ms));
}

/* An event of kind with its id; the caller fills the kind's fields. */
static struct wg_event event_of(enum wg_event_kind kind, double id)
{
    struct wg_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.kind = kind;
    ev.id = to_i64(id);
    return ev;
}

int c2c_ev_state(struct wg_widget *w, int owner, double id, int state, const char *reason,
                 size_t reason_len, int sip_status, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g || !owner_ok(owner) || state < WG_CS_QUEUED || state >= WG_CS_COUNT)
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_CONTACT_STATE, id);
    ev.contact_state = (enum wg_contact_state)state;
    ev.reason = reason_len ? cstr(g, reason, reason_len, C2C_REASON_MAX) : NULL;
    ev.sip_status = sip_status;
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_queue(struct wg_widget *w, int owner, double id, int position, int depth, int wait_s,
                 double now_ms)
{
    if (!begin(w) || !owner_ok(owner))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_QUEUE, id);
    ev.position = position;
    ev.queue_depth = depth;
    ev.est_wait_s = wait_s;
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_joined(struct wg_widget *w, int owner, double id, int role, const char *name,
                  size_t name_len, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g || !owner_ok(owner) || !role_ok(role))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_PARTICIPANT_JOINED, id);
    ev.role = (enum wg_role)role;
    ev.display_name = cstr(g, name, name_len, WG_TR_NAME_MAX);
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_message(struct wg_widget *w, int owner, double id, const char *msg_id, size_t msg_id_len,
                   double seq, double time_ms, int role, const char *name, size_t name_len,
                   const char *ctype, size_t ctype_len, const char *content, size_t content_len,
                   double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g || !owner_ok(owner) || !role_ok(role))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_MESSAGE, id);
    /* Cut to what the transcript keeps anyway (wg_transcript.h). */
    ev.message = (struct wg_msg){cstr(g, msg_id, msg_id_len, WG_TR_ID_MAX),
                                 to_i64(seq),
                                 to_i64(time_ms),
                                 (enum wg_role)role,
                                 cstr(g, name, name_len, WG_TR_NAME_MAX),
                                 cstr(g, ctype, ctype_len, WG_TR_CTYPE_MAX),
                                 content_len ? content : NULL,
                                 content_len};
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_typing(struct wg_widget *w, int owner, double id, int role, const char *name,
                  size_t name_len, double time_ms, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g || !owner_ok(owner) || !role_ok(role))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_TYPING, id);
    ev.time_ms = to_i64(time_ms);
    ev.role = (enum wg_role)role;
    ev.display_name = cstr(g, name, name_len, WG_TR_NAME_MAX);
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_read(struct wg_widget *w, int owner, double id, int role, const char *msg_id,
                size_t msg_id_len, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g || !owner_ok(owner) || !role_ok(role))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_READ, id);
    ev.role = (enum wg_role)role;
    ev.message_id = cstr(g, msg_id, msg_id_len, WG_TR_ID_MAX);
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_dtmf(struct wg_widget *w, int owner, double id, int digit, int role, double now_ms)
{
    if (!begin(w) || !owner_ok(owner) || !role_ok(role) || digit < 0 || digit > 127)
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_DTMF, id);
    ev.digit = (char)digit;
    ev.role = (enum wg_role)role;
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_dtmf_play(struct wg_widget *w, int owner, double id, const char *digits,
                     size_t digits_len, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g || !owner_ok(owner))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_DTMF_PLAY, id);
    /* Longer than the core plays is refused there; cut here, it still is. */
    ev.digits = cstr(g, digits, digits_len, WG_DTMF_CHUNK_MAX + 2);
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_video_offer(struct wg_widget *w, double id, const char *name, size_t name_len,
                       int screen_share, double now_ms)
{
    struct c2c_glue *g = begin(w);
    if (!g)
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_VIDEO_OFFER, id);
    ev.display_name = cstr(g, name, name_len, WG_TR_NAME_MAX);
    ev.screen_share = screen_share != 0;
    return wg_widget_event(w, WG_OWNER_CHAT, &ev, to_i64(now_ms)); /* offers ride the chat */
}

int c2c_ev_video_ended(struct wg_widget *w, double id, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_VIDEO_ENDED, id);
    return wg_widget_event(w, WG_OWNER_CHAT, &ev, to_i64(now_ms));
}

int c2c_ev_transferring(struct wg_widget *w, double id, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_TRANSFERRING, id);
    return wg_widget_event(w, WG_OWNER_CHAT, &ev, to_i64(now_ms));
}

int c2c_ev_other(struct wg_widget *w, int owner, double id, double now_ms)
{
    if (!begin(w) || !owner_ok(owner))
        return WG_E_INVAL;
    struct wg_event ev = event_of(WG_EV_OTHER, id);
    return wg_widget_event(w, (enum wg_owner)owner, &ev, to_i64(now_ms));
}

int c2c_ev_signal(struct wg_widget *w, int owner, double id, int type, const char *payload,
                  size_t payload_len, double now_ms)
{
    if (!begin(w) || !owner_ok(owner) || type < WG_SIG_OFFER || type > WG_SIG_UNHOLD)
        return WG_E_INVAL;
    return wg_widget_signal(w, (enum wg_owner)owner, to_i64(id), (enum wg_signal_type)type,
                            payload_len ? payload : NULL, payload_len, to_i64(now_ms));
}

/* ---- media and time ------------------------------------------------------------ */

int c2c_media_ready(struct wg_widget *w, int owner, double now_ms)
{
    if (!begin(w) || !owner_ok(owner))
        return WG_E_INVAL;
    return wg_widget_media_ready(w, (enum wg_owner)owner, to_i64(now_ms));
}

int c2c_media_failed(struct wg_widget *w, int owner, int err, double now_ms)
{
    if (!begin(w) || !owner_ok(owner) || err < WG_MEDIA_ERR_NONE || err > WG_MEDIA_ERR_FAILED)
        return WG_E_INVAL;
    return wg_widget_media_failed(w, (enum wg_owner)owner, (enum wg_media_error)err,
                                  to_i64(now_ms));
}

int c2c_media_active(struct wg_widget *w, int owner, double now_ms)
{
    if (!begin(w) || !owner_ok(owner))
        return WG_E_INVAL;
    return wg_widget_media_active(w, (enum wg_owner)owner, to_i64(now_ms));
}

int c2c_tick(struct wg_widget *w, double now_ms)
{
    if (!begin(w))
        return WG_E_INVAL;
    return wg_widget_tick(w, to_i64(now_ms));
}

/* ---- output ------------------------------------------------------------------ */

static const char *node_kind_name(enum wg_node_kind k)
{
    static const char *const names[] = {
        [WG_NODE_GROUP] = "group",   [WG_NODE_BUTTON] = "button", [WG_NODE_TEXT] = "text",
        [WG_NODE_ALERT] = "alert",   [WG_NODE_LOG] = "log",       [WG_NODE_ITEM] = "item",
        [WG_NODE_INPUT] = "input",   [WG_NODE_AUDIO] = "audio",   [WG_NODE_VIDEO] = "video",
        [WG_NODE_DIALOG] = "dialog", [WG_NODE_RADIO] = "radio"};
    if ((unsigned)k >= sizeof(names) / sizeof(names[0]) || !names[k])
        return "unknown";
    return names[k];
}

static void put_str(struct json_out *j, const char *key, const char *value)
{
    json_out_key(j, key);
    json_out_cstring(j, value);
}

static void put_int(struct json_out *j, const char *key, int64_t value)
{
    json_out_key(j, key);
    json_out_int(j, value);
}

static void put_bool(struct json_out *j, const char *key, bool value)
{
    json_out_key(j, key);
    json_out_bool(j, value);
}

static void write_fx(struct json_out *j, const struct wg_fx *fx)
{
    json_out_object_begin(j);
    put_str(j, "kind", wg_fx_kind_name(fx->kind));
    put_str(j, "owner", wg_owner_name(fx->owner));
    put_int(j, "arg", fx->arg);
    json_out_key(j, "text");
    json_out_string(j, fx->text, fx->text ? fx->text_len : 0);
    json_out_object_end(j);
}

/* Every field, always, so the bridge never tests for presence. */
static void write_node(struct json_out *j, const struct wg_node *n)
{
    json_out_object_begin(j);
    put_str(j, "kind", node_kind_name(n->kind));
    put_str(j, "part", n->part);
    put_str(j, "key", n->key);
    put_int(j, "parent", n->parent);
    json_out_key(j, "text");
    json_out_string(j, n->text, n->text ? n->text_len : 0);
    put_str(j, "name", n->name);
    put_str(j, "label", n->label);
    put_str(j, "variant", n->variant);
    put_str(j, "tone", n->tone);
    put_int(j, "action", n->action);
    put_int(j, "arg", n->arg);
    put_str(j, "owner", wg_owner_name(n->owner));
    put_bool(j, "enabled", n->enabled);
    put_bool(j, "live", n->live);
    put_int(j, "pressed", n->pressed);
    put_int(j, "expanded", n->expanded);
    put_int(j, "maxLength", n->max_len);
    put_bool(j, "numeric", n->numeric);
    put_bool(j, "multiline", n->multiline);
    put_int(j, "time", n->time_ms);
    put_bool(j, "cont", n->cont);
    put_str(j, "receipt", n->receipt);
    json_out_key(j, "links");
    json_out_array_begin(j);
    for (size_t i = 0; i < 2u * n->link_count; i++)
        json_out_int(j, n->links[i]);
    json_out_array_end(j);
    json_out_object_end(j);
}

static void write_view(struct json_out *j, const struct wg_view *v)
{
    json_out_object_begin(j);
    put_bool(j, "hidden", v->hidden);
    put_int(j, "omitted", (int64_t)v->messages_omitted);
    json_out_key(j, "nodes");
    json_out_array_begin(j);
    for (size_t i = 0; i < v->count; i++)
        write_node(j, &v->nodes[i]);
    json_out_array_end(j);
    put_str(j, "focus", v->focus);
    put_int(j, "focusSeq", v->focus_seq);
    json_out_object_end(j);
}

/* {"state", "fx", "fxOverflow", "view"}: fxOverflow says effects were lost
 * (a machine bug, which the bridge logs). */
static void write_document(struct json_out *j, const struct wg_widget *w, const struct wg_view *v)
{
    json_out_object_begin(j);
    put_str(j, "state", wg_widget_state_name(w));
    json_out_key(j, "fx");
    json_out_array_begin(j);
    for (size_t i = 0; i < w->fx.count; i++)
        write_fx(j, &w->fx.items[i]);
    json_out_array_end(j);
    put_bool(j, "fxOverflow", w->fx.overflow);
    json_out_key(j, "view");
    write_view(j, v);
    json_out_object_end(j);
}

const char *c2c_output(struct wg_widget *w)
{
    struct c2c_glue *g = begin(w);
    if (!g) {
        last_error = WG_E_INVAL;
        return NULL;
    }
    wg_view_build(w, &g->view);
    json_out_reset(&g->out);
    write_document(&g->out, w, &g->view);
    const char *s = json_out_finish(&g->out);
    if (!s) {
        last_error = WG_E_FULL; /* effects kept: the next output sends them */
        return NULL;
    }
    wg_fx_clear(&w->fx);
    return s;
}
