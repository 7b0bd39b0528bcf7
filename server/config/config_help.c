/* config_help.c - the --help text, generated from the option table.
 *
 * Every line comes from a row of edge__config_options[] (config.c): the flag,
 * its placeholder, its help sentence, then its default and range on a line
 * of their own, so the text can never drift from what the parser accepts.
 * Only layout lives here: the fixed preamble and footer and word wrapping at
 * a fixed column. */
#include "config/config.h"
#include "config/config_internal.h"

#include "common/buf.h"

#include <stdio.h>
#include <string.h>

#define HELP_INDENT 30 /* column where --help descriptions start */
#define HELP_WIDTH 100 /* --help wraps descriptions at this column */

/* Write text word by word, wrapping at HELP_WIDTH with continuation lines
 * indented to HELP_INDENT; the cursor starts at column HELP_INDENT. */
static void print_wrapped(FILE *out, const char *text)
{
    size_t col = HELP_INDENT;

    while (*text != '\0') {
        size_t len;
        while (*text == ' ')
            text++;
        len = strcspn(text, " ");
        if (len == 0)
            break;
        if (col > HELP_INDENT && col + 1 + len > HELP_WIDTH) {
            fprintf(out, "\n%*s", HELP_INDENT, "");
            col = HELP_INDENT;
        } else if (col > HELP_INDENT) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, len, out);
        col += len;
        text += len;
    }
    fputc('\n', out);
}

/* The row's default and range, e.g. "Default: 16k. Range: 1k to 1m.", for
 * a line of its own under the description so that it never wraps apart. */
static void describe_value(const edge__config_opt *o, edge_buf *b)
{
    char lo[32], hi[32];

    if (o->def != NULL) {
        edge_buf_appendf(b, "Default: %s.", o->def);
    } else if (o->def_list != NULL) {
        edge_buf_append_str(b, "Default:");
        for (size_t j = 0; o->def_list[j] != NULL; j++)
            edge_buf_appendf(b, "%s %s", j > 0 ? "," : "", o->def_list[j]);
        edge_buf_append_str(b, ".");
    } else if (o->type == EDGE__OPT_BOOL) {
        edge_buf_append_str(b, "Default: off.");
    } else if (o->type != EDGE__OPT_HELP && o->type != EDGE__OPT_CONFIG) {
        edge_buf_append_str(b, "Default: none.");
    }
    if (edge__config_is_number(o->type))
        edge_buf_appendf(b, " Range: %s to %s.",
                         edge__config_format_number(lo, sizeof lo, o->type, o->min),
                         edge__config_format_number(hi, sizeof hi, o->type, o->max));
}

void edge_config_print_help(FILE *out)
{
    edge_buf line = EDGE_BUF_INIT;

    fputs("Usage: c2c-edge [OPTIONS]\n\n"
          "Each option is --name VALUE or --name=VALUE. Later sources win: defaults, then the\n"
          "--config file, then the command line. A repeatable option given on the command line\n"
          "replaces the file's list instead of adding to it.\n\n"
          "Options:\n",
          out);
    for (size_t i = 0; i < edge__config_n_options; i++) {
        const edge__config_opt *o = &edge__config_options[i];
        edge_buf_reset(&line);
        edge_buf_appendf(&line, "  %s--%s", o->type == EDGE__OPT_HELP ? "-h, " : "", o->name);
        if (o->arg != NULL)
            edge_buf_appendf(&line, " %s", o->arg);
        if (line.len + 2 > HELP_INDENT)
            fprintf(out, "%s\n%*s", line.data, HELP_INDENT, "");
        else
            fprintf(out, "%-*s", HELP_INDENT, line.data);
        print_wrapped(out, o->help);
        edge_buf_reset(&line);
        describe_value(o, &line);
        if (line.len > 0) {
            fprintf(out, "%*s", HELP_INDENT, "");
            print_wrapped(out, line.data);
        }
    }
    fputs("\nSizes are bytes, or KiB with a k suffix and MiB with an m suffix (16k, 1m).\n", out);
    edge_buf_free(&line);
}
