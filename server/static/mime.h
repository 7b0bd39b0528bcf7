/* mime.h - Content-Type by file extension, and whether a type compresses.
 *
 * A fixed, const table rather than /etc/mime.types: the server only ever
 * serves the widget's own build output, so a short list we control is both
 * predictable across machines and impossible to misconfigure. */
#ifndef EDGE_STATIC_MIME_H
#define EDGE_STATIC_MIME_H

typedef struct edge_mime {
    const char *ext;  /* lower case, without the dot; "" for the default */
    const char *type; /* full Content-Type value, charset included for text */
    int compressible; /* worth looking for .br/.gz siblings */
} edge_mime;

/* The entry for the extension of name (the text after its last '.' in the
 * last path segment, compared case-insensitively). Never NULL: unknown or
 * missing extensions give application/octet-stream, not compressible. The
 * result points into a static const table. */
const edge_mime *edge_mime_lookup(const char *name);

#endif
