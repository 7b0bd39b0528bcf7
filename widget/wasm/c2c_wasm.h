/* c2c_wasm.h - the functions the WebAssembly module exports to the
 * JavaScript bridge (widget/js/core.js), over the pure core (widget/core).
 *
 * Why this layer exists: the core takes C structs and int64 times; the
 * bridge can only pass numbers. So strings travel through one input buffer
 * in the module's memory (the bridge writes UTF-8 there and passes
 * pointer + length), times and ids travel as doubles (exact up to 2^53),
 * and after every input the bridge calls c2c_output, which serializes the
 * pending effects and the new view to one JSON document and clears the
 * effects. The shapes are documented in docs/widget.md ("The wasm
 * interface").
 *
 * This file is built by emcc (widget/build.sh) and also natively, for the
 * unit tests of the serialization. No emscripten.h: exports are chosen on
 * the emcc command line. Ownership: c2c_widget_new allocates one widget
 * (malloc; the glue is the only allocating code of the widget), which the
 * bridge frees with c2c_widget_free when it unmounts. */
#ifndef C2C_WASM_H
#define C2C_WASM_H

#include <stddef.h>
#include <stdint.h>

struct wg_widget;

/* The input buffer: at least `size` bytes, valid until the next call of
 * c2c_buffer (which may move it). NULL when memory is exhausted. */
char *c2c_buffer(size_t size);

/* Attribute parsers over (ptr, len) in the buffer: the enum value or -1. */
int c2c_parse_mode(const char *s, size_t len);
int c2c_parse_locale(const char *s, size_t len);
int c2c_parse_theme(const char *s, size_t len);
int c2c_parse_hide(const char *s, size_t len);

/* A new widget; number/label may be (NULL, 0). Returns NULL when out of
 * memory or when wg_widget_init refused the config (c2c_last_error then
 * says why, e.g. a bad number). */
struct wg_widget *c2c_widget_new(int mode, int locale, int hide, int resume, const char *number,
                                 size_t number_len, const char *label, size_t label_len,
                                 double now_ms);
void c2c_widget_free(struct wg_widget *w);
int c2c_last_error(void);

/* The texts of the widget's locale: the bytes of its file (c2c.<tag>.<hash>.txt,
 * widget/locales/), copied (the glue owns the copy until the widget is
 * freed) and indexed (wg_widget_texts). Call before the first output. 0,
 * WG_E_INVAL (not a complete table: the texts stay as they were) or
 * WG_E_FULL. */
int c2c_locale(struct wg_widget *w, const char *table, size_t len);

/* User actions (wg_widget_action). */
int c2c_action(struct wg_widget *w, int action, const char *text, size_t len, double now_ms);

/* The page gave a token for another user (wg_widget_identity_changed), and
 * that user's own resume flag is stored (wg_widget_resume). */
int c2c_identity_changed(struct wg_widget *w, double now_ms);
int c2c_resume(struct wg_widget *w, double now_ms);

/* The layout and the stored panel state (wg_widget_layout): floating and
 * open are 0 or 1. */
int c2c_layout(struct wg_widget *w, int floating, int open);

/* The page URL's reference code (wg_widget_offer_reference). */
int c2c_offer_reference(struct wg_widget *w, const char *code, size_t len);

/* The transcript as text (wg_plain_transcript), NUL-terminated, valid
 * until the next call; NULL when out of memory. For FX_DOWNLOAD. */
const char *c2c_transcript_text(struct wg_widget *w);

/* Answers. req is a wg_fx_kind; err a wg_contact_error. start_ok: seen
 * is the Id stored from the chat's STORE_SEEN ("": none), ref_agent the
 * answer's ReferenceAgentName ("": none). dial_ok: bridged
 * is 1 when the answer's Meeting says `Bridge: SIP`. */
int c2c_start_ok(struct wg_widget *w, int resumed, const char *seen, size_t seen_len,
                 const char *ref_agent, size_t ref_agent_len, double now_ms);
int c2c_dial_ok(struct wg_widget *w, const char *meeting_id, size_t meeting_len,
                const char *transaction_id, size_t transaction_len, const char *join_token,
                size_t token_len, int bridged, double now_ms);
int c2c_availability(struct wg_widget *w, int agents_available, double now_ms);
int c2c_request_ok(struct wg_widget *w, int req, double now_ms);
int c2c_request_failed(struct wg_widget *w, int req, int err, double now_ms);

/* A transcript page: items one by one, then done (which merges them, and
 * asks for the next page when more). At most 100 items per page. */
int c2c_transcript_item(struct wg_widget *w, const char *id, size_t id_len, double seq,
                        double time_ms, int role, const char *name, size_t name_len,
                        const char *ctype, size_t ctype_len, const char *content,
                        size_t content_len);
int c2c_transcript_done(struct wg_widget *w, int more, double now_ms);

/* Stream progress; owner is a wg_owner. */
int c2c_stream_open(struct wg_widget *w, int owner, double now_ms);
int c2c_stream_error(struct wg_widget *w, int owner, double now_ms);
/* Focus came into the widget (1) or left it (0). */
int c2c_focus(struct wg_widget *w, int focused, double now_ms);

/* Stream events; id is the SSE id (0: none). role is a wg_role.
 * ev_state: sip_status is the event's SipStatus (0: none). */
int c2c_ev_state(struct wg_widget *w, int owner, double id, int state, const char *reason,
                 size_t reason_len, int sip_status, double now_ms);
int c2c_ev_queue(struct wg_widget *w, int owner, double id, int position, int depth, int wait_s,
                 double now_ms);
int c2c_ev_joined(struct wg_widget *w, int owner, double id, int role, const char *name,
                  size_t name_len, double now_ms);
int c2c_ev_message(struct wg_widget *w, int owner, double id, const char *msg_id,
                   size_t msg_id_len, double seq, double time_ms, int role, const char *name,
                   size_t name_len, const char *ctype, size_t ctype_len, const char *content,
                   size_t content_len, double now_ms);
/* time_ms: the event's AbsoluteTime (0: unknown); an old one is ignored. */
int c2c_ev_typing(struct wg_widget *w, int owner, double id, int role, const char *name,
                  size_t name_len, double time_ms, double now_ms);
int c2c_ev_dtmf(struct wg_widget *w, int owner, double id, int digit, int role, double now_ms);
/* dtmf.play: a phone bridge asks for Digits to be played in-band. */
int c2c_ev_dtmf_play(struct wg_widget *w, int owner, double id, const char *digits,
                     size_t digits_len, double now_ms);
/* The other side read a message (msg_id: its Id, the event's MessageId). */
int c2c_ev_read(struct wg_widget *w, int owner, double id, int role, const char *msg_id,
                size_t msg_id_len, double now_ms);
int c2c_ev_video_offer(struct wg_widget *w, double id, const char *name, size_t name_len,
                       int screen_share, double now_ms);
int c2c_ev_video_ended(struct wg_widget *w, double id, double now_ms);
/* contact.transferring: the chat's agent handed it on. */
int c2c_ev_transferring(struct wg_widget *w, double id, double now_ms);
int c2c_ev_other(struct wg_widget *w, int owner, double id, double now_ms);
int c2c_ev_signal(struct wg_widget *w, int owner, double id, int type, const char *payload,
                  size_t payload_len, double now_ms);

/* Media progress; err is a wg_media_error. */
int c2c_media_ready(struct wg_widget *w, int owner, double now_ms);
int c2c_media_failed(struct wg_widget *w, int owner, int err, double now_ms);
int c2c_media_active(struct wg_widget *w, int owner, double now_ms);

int c2c_tick(struct wg_widget *w, double now_ms);

/* Serializes {"state", "fx": [...], "view": {...}} (docs/widget.md), clears
 * the effects, and returns the NUL-terminated JSON (valid until the next
 * c2c_output); *len is not needed: the bridge reads up to the NUL.
 * NULL when memory is exhausted. */
const char *c2c_output(struct wg_widget *w);

#endif
