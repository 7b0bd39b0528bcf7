/* wg_contact.c - one contact as the chat and the call machines share it
 * (see wg_contact.h for the contract): state changes, errors and endings
 * with their notifications, the stream's inputs, the queue and agent
 * events, and the error names. Nothing here performs I/O or reads a clock. */
#include "wg_contact.h"

#include <string.h>

#include "c2c_str.h"
#include "wg_err.h"

void wg_contact_reset(struct wg_contact *ct)
{
    wg_stream_reset(&ct->stream);
    ct->last_event_id = 0;
    ct->queue_position = ct->queue_depth = ct->est_wait_s = -1;
    ct->agent_name[0] = ct->reason[0] = '\0';
    ct->last_error = WG_CONTACT_ERR_NONE;
}

void wg_contact_init(struct wg_contact *ct, struct wg_fx_list *fx, enum wg_owner owner)
{
    memset(ct, 0, sizeof(*ct));
    ct->fx = fx;
    ct->owner = owner;
    wg_contact_reset(ct);
}

void wg_contact_push(struct wg_contact *ct, enum wg_fx_kind kind, int64_t arg)
{
    wg_fx_push(ct->fx, kind, ct->owner, arg);
}

void wg_contact_notify(struct wg_contact *ct, enum wg_fx_kind kind, int64_t arg,
                       const char *text)
{
    wg_fx_push_copy(ct->fx, kind, ct->owner, arg, text, text ? strlen(text) : 0);
}

void wg_contact_set_state(struct wg_contact *ct, int s, const char *name)
{
    if (ct->state == s)
        return;
    ct->state = s;
    wg_contact_notify(ct, WG_FX_NOTIFY_STATE, 0, name);
}

void wg_contact_set_error(struct wg_contact *ct, enum wg_contact_error err)
{
    ct->last_error = err;
    if (err != WG_CONTACT_ERR_NONE)
        wg_contact_notify(ct, WG_FX_NOTIFY_ERROR, 0, wg_contact_error_name(err));
}

void wg_contact_end(struct wg_contact *ct, int ended_state, const char *name,
                    const char *reason)
{
    c2c_copy_str(ct->reason, sizeof(ct->reason), reason);
    wg_stream_stop(&ct->stream, ct->fx, ct->owner);
    wg_contact_set_state(ct, ended_state, name);
    wg_contact_notify(ct, WG_FX_NOTIFY_ENDED, 0, ct->reason);
}

void wg_contact_drop(struct wg_contact *ct, int64_t now_ms)
{
    ct->now_ms = now_ms;
    wg_stream_stop(&ct->stream, ct->fx, ct->owner);
    wg_contact_reset(ct);
}

int wg_contact_stream_open(struct wg_contact *ct, bool live, int64_t now_ms)
{
    int r = wg_stream_report_open(&ct->stream, live);
    if (r >= 0)
        ct->now_ms = now_ms;
    return r;
}

int wg_contact_stream_error(struct wg_contact *ct, bool live, int64_t now_ms)
{
    int r = wg_stream_report_error(&ct->stream, live, ct->fx, ct->owner, now_ms);
    if (r == WG_OK)
        ct->now_ms = now_ms;
    return r;
}

int wg_contact_tick(struct wg_contact *ct, int64_t now_ms)
{
    ct->now_ms = now_ms;
    return wg_stream_tick(&ct->stream, ct->fx, ct->owner, ct->last_event_id, now_ms);
}

void wg_contact_note_id(struct wg_contact *ct, int64_t id)
{
    wg_stream_note_id(&ct->last_event_id, id);
}

int wg_contact_event(struct wg_contact *ct, const struct wg_event *ev)
{
    switch (ev->kind) {
    case WG_EV_QUEUE:
        ct->queue_position = ev->position;
        ct->queue_depth = ev->queue_depth;
        ct->est_wait_s = ev->est_wait_s;
        return 1;
    case WG_EV_PARTICIPANT_JOINED:
        if (ev->role != WG_ROLE_AGENT)
            return 0;
        c2c_copy_str(ct->agent_name, sizeof(ct->agent_name), ev->display_name);
        return 1;
    default:
        return 0;
    }
}

bool wg_signal_type_valid(enum wg_signal_type type)
{
    return type >= WG_SIG_OFFER && type <= WG_SIG_UNHOLD;
}

int wg_contact_signal(struct wg_contact *ct, bool live, bool used, int64_t id,
                      enum wg_signal_type type, const char *payload, size_t len,
                      int64_t now_ms)
{
    if (!payload && len)
        return WG_E_INVAL;
    if (!wg_signal_type_valid(type))
        return WG_E_INVAL;
    ct->now_ms = now_ms;
    if (!live)
        return 0;
    if (used && !wg_fx_room(ct->fx, 1, type >= WG_SIG_BYE ? 0 : len))
        return WG_E_FULL;
    wg_contact_note_id(ct, id);
    return used ? 1 : 0;
}

const char *wg_contact_error_name(enum wg_contact_error e)
{
    switch (e) {
    case WG_CONTACT_ERR_NONE:
        return "none";
    case WG_CONTACT_ERR_AUTH:
        return "auth";
    case WG_CONTACT_ERR_NETWORK:
        return "network";
    case WG_CONTACT_ERR_SERVER:
        return "server";
    case WG_CONTACT_ERR_REJECTED:
        return "rejected";
    case WG_CONTACT_ERR_ENDED:
        return "ended";
    case WG_CONTACT_ERR_REF_NOT_FOUND:
        return "route_not_found";
    case WG_CONTACT_ERR_REF_USED:
        return "route_used";
    case WG_CONTACT_ERR_REF_EXPIRED:
        return "route_expired";
    case WG_CONTACT_ERR_REF_EMAIL:
        return "route_email_mismatch";
    case WG_CONTACT_ERR_NUMBER:
        return "number";
    case WG_CONTACT_ERR_NO_CHAT:
        return "no_open_chat";
    case WG_CONTACT_ERR_RATED:
        return "already_rated";
    }
    return "unknown";
}
