/* json.h - a small streaming JSON writer for -J: objects, arrays,
 * numbers and strings, indented, commas handled. */
#ifndef SCTPNG_TOOLS_PERF_JSON_H
#define SCTPNG_TOOLS_PERF_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

struct jw {
    FILE *f;
    int depth;
    bool first[JW_MAX_DEPTH]; /* nothing written yet at this level */
};

void jw_init(struct jw *w, FILE *f);

/* `key` names the member inside an object; NULL inside arrays and for
 * the top-level value. */
void jw_obj(struct jw *w, const char *key);
void jw_arr(struct jw *w, const char *key);
void jw_end(struct jw *w, char close); /* '}' or ']' */
void jw_str(struct jw *w, const char *key, const char *v);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_num(struct jw *w, const char *key, double v); /* null if not finite */
void jw_bool(struct jw *w, const char *key, bool v);

/* Finish the document (newline, flush). */
void jw_done(struct jw *w);

#endif
