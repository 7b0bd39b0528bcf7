/* fuzz_widget_core.c - libFuzzer target: the widget's C core through its
 * wasm exports (widget/wasm/c2c_wasm.h), built natively.
 *
 * The bridge parses server events, transcript pages and answers in JS and
 * hands the core numbers and (pointer, length) strings; a server, a proxy
 * or a broken bridge can send anything there. So the input is decoded into
 * a widget configuration and then a sequence of export calls with
 * arbitrary strings, enums (in range and out of it) and doubles (NaN,
 * infinities, 2^60 and time running backwards included). Each string sits
 * in its own allocation of exactly its length, as in the bridge's input
 * buffer no NUL follows it. After every call, as the bridge does,
 * c2c_output must give a document (never NULL) that is valid JSON in valid
 * UTF-8, and every export must answer 0, a count or a wg_err code. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c2c_wasm.h"
#include "wg_err.h"
#include "wg_widget.h"

#include "widget/wasm/json_valid.h"

/* The input, read front to back; past the end everything reads as 0. */
typedef struct reader {
    const uint8_t *p;
    size_t left;
    char *strings[8]; /* this call's strings, freed after it */
    size_t nstrings;
} reader;

static unsigned byte(reader *r)
{
    if (r->left == 0)
        return 0;
    r->left--;
    return *r->p++;
}

/* An int for an enum or a count: small values mostly, extremes sometimes. */
static int small_int(reader *r)
{
    unsigned b = byte(r);
    if (b < 240)
        return (int)b - 8; /* -8 .. 231: below, inside and above every enum */
    static const int extremes[] = {INT32_MIN, INT32_MAX, -1000000, 1000000, 65535, -65536};
    return extremes[b % 6];
}

/* A double for an id, a sequence number or a time. */
static double number(reader *r)
{
    unsigned b = byte(r);
    if (b < 200)
        return (double)b;
    switch (b) {
    case 200:
        return NAN;
    case 201:
        return INFINITY;
    case 202:
        return -INFINITY;
    case 203:
        return -1;
    case 204:
        return 1152921504606846976.0; /* 2^60: beyond the exact integers */
    case 205:
        return 1.5;
    default: {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | byte(r);
        double d;
        memcpy(&d, &v, sizeof(d));
        return d;
    }
    }
}

/* A string: a length byte (255: two more bytes of length), then the bytes,
 * copied into an allocation of exactly that size. */
static const char *str(reader *r, size_t *len)
{
    size_t n = byte(r);
    if (n == 255)
        n = byte(r) << 8 | byte(r);
    if (n > r->left)
        n = r->left;
    char *s = malloc(n ? n : 1);
    memcpy(s, r->p, n);
    r->p += n;
    r->left -= n;
    if (r->nstrings < sizeof(r->strings) / sizeof(r->strings[0]))
        r->strings[r->nstrings++] = s;
    else
        abort(); /* more strings in one call than any export takes */
    *len = n;
    return s;
}

static void free_strings(reader *r)
{
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    r->nstrings = 0;
}

static void check_rc(int rc, const char *what)
{
    if (rc < WG_E_BUSY) {
        fprintf(stderr, "fuzz: %s returned %d, not a wg_err code\n", what, rc);
        abort();
    }
}

static void check_output(struct wg_widget *w)
{
    const char *out = c2c_output(w);
    if (getenv("C2C_FUZZ_SHOW")) /* to see what an input does: C2C_FUZZ_SHOW=1 ./fuzz_x FILE */
        fprintf(stderr, "%.300s\n", out ? out : "(null)");
    if (out == NULL || !json_valid(out)) {
        fprintf(stderr, "fuzz: c2c_output gave %s: %s\n", out ? "invalid JSON" : "NULL",
                out ? out : "");
        abort();
    }
}

/* One export call decoded from r, at time now. */
static int step(struct wg_widget *w, reader *r, double now)
{
    size_t l1, l2, l3, l4;
    const char *s1, *s2, *s3, *s4;
    int a, b, c;
    double id, x, y;
    switch (byte(r) % 29) {
    case 0:
        a = small_int(r);
        s1 = str(r, &l1);
        return c2c_action(w, a, s1, l1, now);
    case 1:
        s1 = str(r, &l1);
        s2 = str(r, &l2);
        return c2c_start_ok(w, small_int(r), s1, l1, s2, l2, now);
    case 2:
        s1 = str(r, &l1);
        s2 = str(r, &l2);
        s3 = str(r, &l3);
        return c2c_dial_ok(w, s1, l1, s2, l2, s3, l3, byte(r) & 1, now);
    case 3:
        return c2c_availability(w, small_int(r), now);
    case 4:
        return c2c_request_ok(w, small_int(r), now);
    case 5:
        a = small_int(r);
        return c2c_request_failed(w, a, small_int(r), now);
    case 6:
        s1 = str(r, &l1);
        x = number(r);
        y = number(r);
        a = small_int(r);
        s2 = str(r, &l2);
        s3 = str(r, &l3);
        s4 = str(r, &l4);
        return c2c_transcript_item(w, s1, l1, x, y, a, s2, l2, s3, l3, s4, l4);
    case 7:
        return c2c_transcript_done(w, small_int(r), now);
    case 8:
        return c2c_stream_open(w, small_int(r), now);
    case 9:
        return c2c_stream_error(w, small_int(r), now);
    case 10:
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        s1 = str(r, &l1);
        return c2c_ev_state(w, a, id, b, s1, l1, small_int(r), now);
    case 11:
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        c = small_int(r);
        return c2c_ev_queue(w, a, id, b, c, small_int(r), now);
    case 12:
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        s1 = str(r, &l1);
        return c2c_ev_joined(w, a, id, b, s1, l1, now);
    case 13:
        a = small_int(r);
        id = number(r);
        s1 = str(r, &l1);
        x = number(r);
        y = number(r);
        b = small_int(r);
        s2 = str(r, &l2);
        s3 = str(r, &l3);
        s4 = str(r, &l4);
        return c2c_ev_message(w, a, id, s1, l1, x, y, b, s2, l2, s3, l3, s4, l4, now);
    case 14:
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        s1 = str(r, &l1);
        x = number(r);
        return c2c_ev_typing(w, a, id, b, s1, l1, x, now);
    case 15:
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        return c2c_ev_dtmf(w, a, id, b, small_int(r), now);
    case 16:
        id = number(r);
        s1 = str(r, &l1);
        return c2c_ev_video_offer(w, id, s1, l1, small_int(r), now);
    case 17:
        return c2c_ev_video_ended(w, number(r), now);
    case 18:
        a = small_int(r);
        return c2c_ev_other(w, a, number(r), now);
    case 19:
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        s1 = str(r, &l1);
        return c2c_ev_signal(w, a, id, b, s1, l1, now);
    case 20:
        return c2c_media_ready(w, small_int(r), now);
    case 21:
        a = small_int(r);
        return c2c_media_failed(w, a, small_int(r), now);
    case 22:
        return c2c_media_active(w, small_int(r), now);
    case 23:
        return c2c_tick(w, now);
    case 24: /* another user at the device, and that user's resume */
        return byte(r) % 2 ? c2c_identity_changed(w, now) : c2c_resume(w, now);
    case 25: /* a read receipt */
        a = small_int(r);
        id = number(r);
        b = small_int(r);
        s1 = str(r, &l1);
        return c2c_ev_read(w, a, id, b, s1, l1, now);
    case 26: /* a phone bridge's digits to play */
        a = small_int(r);
        id = number(r);
        s1 = str(r, &l1);
        return c2c_ev_dtmf_play(w, a, id, s1, l1, now);
    case 27: /* the agent handed the chat on */
        return c2c_ev_transferring(w, number(r), now);
    case 28: /* focus into or out of the widget */
        return c2c_focus(w, small_int(r), now);
    default:
        return 0; /* only the output below */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size, {0}, 0};
    int mode = small_int(&r), locale = small_int(&r), hide = small_int(&r);
    int resume = byte(&r) & 1;
    size_t nlen, llen;
    const char *number_text = str(&r, &nlen);
    const char *label = str(&r, &llen);
    double now = 1767225600000.0; /* 2026-01-01 */
    struct wg_widget *w = c2c_widget_new(mode, locale, hide, resume, nlen ? number_text : NULL,
                                         nlen, llen ? label : NULL, llen, now);
    free_strings(&r);
    if (w == NULL) {
        check_rc(c2c_last_error(), "c2c_widget_new");
        return 0;
    }
    check_output(w);
    while (r.left > 0) {
        /* Time mostly moves on by up to 25.5 s; sometimes it jumps anywhere. */
        unsigned dt = byte(&r);
        now = dt == 255 ? number(&r) : now + dt * 100.0;
        int rc = step(w, &r, now);
        free_strings(&r);
        check_rc(rc, "an export");
        check_output(w);
    }
    c2c_widget_free(w);
    return 0;
}
