/* ev_state.h - the widget core tests' `contact.state` stream event, as the
 * bridge parses it, for the chat, call and widget tests alike. */
#ifndef C2C_TESTS_EV_STATE_H
#define C2C_TESTS_EV_STATE_H

#include <stdint.h>
#include <string.h>

#include "wg_contact.h"

/* A CONTACT_STATE event with SSE id `id`, contact state s and reason
 * (borrowed; NULL: none); every other field zero. */
static struct wg_event ev_state(int64_t id, enum wg_contact_state s, const char *reason)
{
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_CONTACT_STATE;
    e.id = id;
    e.contact_state = s;
    e.reason = reason;
    return e;
}

#endif
