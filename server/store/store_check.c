/* store_check.c - the argument checks shared by the store's fronts
 * (store_check.h). */
#include "store/store_check.h"

#include <string.h>

#include "store/store.h"

#define EVENT_TYPE_MAX sizeof(((edge_event *)0)->type) /* including the NUL */

int edge__store_text_ok(const char *s, int required)
{
    if (s == NULL)
        return required ? EDGE_STORE_EINVAL : 0;
    size_t n = strnlen(s, EDGE_STORE_TEXT_MAX);
    if (n >= EDGE_STORE_TEXT_MAX || (required && n == 0))
        return EDGE_STORE_EINVAL;
    return 0;
}

int edge__store_id_ok(const char *s)
{
    if (s == NULL)
        return EDGE_STORE_EINVAL;
    size_t n = strnlen(s, EDGE_STORE_ID_MAX);
    return n == 0 || n >= EDGE_STORE_ID_MAX ? EDGE_STORE_EINVAL : 0;
}

int edge__store_list_ok(const void *out, size_t cap, size_t *count)
{
    if (count == NULL)
        return EDGE_STORE_EINVAL;
    *count = 0;
    return cap > 0 && out == NULL ? EDGE_STORE_EINVAL : 0;
}

int edge__store_content_type_ok(const char *t)
{
    if (t == NULL)
        return EDGE_STORE_EINVAL;
    return strcmp(t, "text/plain") == 0 || strcmp(t, "text/markdown") == 0 ? 0 : EDGE_STORE_EINVAL;
}

int edge__store_message_send_ok(const edge_message_send *in)
{
    if (in == NULL || edge__store_id_ok(in->participant_id) ||
        edge__store_content_type_ok(in->content_type) || in->content == NULL ||
        in->event_json == NULL || in->event_type == NULL || in->event_type[0] == '\0' ||
        strnlen(in->event_type, EVENT_TYPE_MAX) >= EVENT_TYPE_MAX)
        return EDGE_STORE_EINVAL;
    size_t len = strlen(in->content);
    if (len == 0 || len > in->max_bytes)
        return EDGE_STORE_EINVAL;
    if (in->client_token != NULL) {
        size_t n = strnlen(in->client_token, EDGE_STORE_CLIENT_TOKEN_MAX + 1);
        if (n == 0 || n > EDGE_STORE_CLIENT_TOKEN_MAX)
            return EDGE_STORE_EINVAL;
    }
    return 0;
}

int edge__store_event_ok(const edge_event_in *e)
{
    if (edge__store_id_ok(e->participant_id) ||
        (e->contact_id != NULL && edge__store_id_ok(e->contact_id)) || e->type == NULL ||
        e->type[0] == '\0' || strnlen(e->type, EVENT_TYPE_MAX) >= EVENT_TYPE_MAX)
        return EDGE_STORE_EINVAL;
    return 0;
}
