/* mime.c - the extension table behind edge_mime_lookup (see mime.h).
 *
 * Text types carry "; charset=utf-8" because our build emits UTF-8 and
 * browsers otherwise guess. Already-compressed formats (images, woff2) are
 * marked not compressible so the cache never stats siblings for them. */
#include "static/mime.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const edge_mime mime_table[] = {
    {"html", "text/html; charset=utf-8", 1},
    {"htm", "text/html; charset=utf-8", 1},
    {"js", "text/javascript; charset=utf-8", 1},
    {"mjs", "text/javascript; charset=utf-8", 1},
    {"css", "text/css; charset=utf-8", 1},
    {"wasm", "application/wasm", 1},
    {"svg", "image/svg+xml", 1},
    {"json", "application/json", 1},
    {"map", "application/json", 1},
    {"webmanifest", "application/manifest+json", 1},
    {"txt", "text/plain; charset=utf-8", 1},
    {"xml", "application/xml", 1},
    {"ico", "image/x-icon", 1}, /* usually uncompressed BMP/PNG containers */
    {"png", "image/png", 0},
    {"jpg", "image/jpeg", 0},
    {"jpeg", "image/jpeg", 0},
    {"gif", "image/gif", 0},
    {"webp", "image/webp", 0},
    {"avif", "image/avif", 0},
    {"woff2", "font/woff2", 0},
    {"woff", "font/woff", 0},
    {"mp3", "audio/mpeg", 0},
    {"ogg", "audio/ogg", 0},
    {"wav", "audio/wav", 1},
    {"gz", "application/gzip", 0},
    {"br", "application/octet-stream", 0},
};

static const edge_mime mime_default = {"", "application/octet-stream", 0};

const edge_mime *edge_mime_lookup(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot[1] == '\0')
        return &mime_default;
    for (size_t i = 0; i < sizeof(mime_table) / sizeof(mime_table[0]); i++) {
        if (strcasecmp(dot + 1, mime_table[i].ext) == 0)
            return &mime_table[i];
    }
    return &mime_default;
}
