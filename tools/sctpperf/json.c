/* json.c - see json.h. */
#include <math.h>

#include "json.h"

void jw_init(struct jw *w, FILE *f)
{
    w->f = f;
    w->depth = 0;
    w->first[0] = true;
}

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Comma, newline and indentation before a member, then its key. */
static void lead(struct jw *w, const char *key)
{
    if (w->depth > 0) {
        fputs(w->first[w->depth] ? "\n" : ",\n", w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    w->first[w->depth] = false;
    if (key) {
        put_string(w->f, key);
        fputs(": ", w->f);
    }
}

static void open_level(struct jw *w, const char *key, char c)
{
    lead(w, key);
    fputc(c, w->f);
    if (w->depth + 1 < JW_MAX_DEPTH)
        w->depth++;
    w->first[w->depth] = true;
}

void jw_obj(struct jw *w, const char *key)
{
    open_level(w, key, '{');
}

void jw_arr(struct jw *w, const char *key)
{
    open_level(w, key, '[');
}

void jw_end(struct jw *w, char close)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty) {
        fputc('\n', w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    fputc(close, w->f);
}

void jw_str(struct jw *w, const char *key, const char *v)
{
    lead(w, key);
    put_string(w->f, v);
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
    lead(w, key);
    fprintf(w->f, "%llu", (unsigned long long)v);
}

void jw_num(struct jw *w, const char *key, double v)
{
    lead(w, key);
    if (isfinite(v))
        fprintf(w->f, "%.10g", v);
    else
        fputs("null", w->f);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
    lead(w, key);
    fputs(v ? "true" : "false", w->f);
}

void jw_done(struct jw *w)
{
    fputc('\n', w->f);
    fflush(w->f);
}
