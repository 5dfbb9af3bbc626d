/* tjson.h - a tiny JSON reader for the tools tests: parse a document
 * into a tree and look values up by path ("end.sum_sent.bytes",
 * "intervals.0.seconds"). Test code only: it allocates freely. */
#ifndef SCTPNG_TESTS_TOOLS_TJSON_H
#define SCTPNG_TESTS_TOOLS_TJSON_H

#include <stdbool.h>
#include <stddef.h>

enum tj_type { TJ_NULL, TJ_BOOL, TJ_NUM, TJ_STR, TJ_ARR, TJ_OBJ };

struct tj {
    enum tj_type type;
    double num; /* TJ_NUM, TJ_BOOL (0/1) */
    char *str;  /* TJ_STR */
    char *key;  /* member name inside an object */
    struct tj **kids;
    size_t nkids; /* TJ_ARR, TJ_OBJ */
};

/* Parse `text` (the whole of it must be one value). NULL if malformed. */
struct tj *tj_parse(const char *text);
void tj_free(struct tj *v);

/* The value at a dotted path (numbers index arrays); NULL if absent. */
const struct tj *tj_get(const struct tj *root, const char *path);

/* The number at `path`, or NaN when it is absent or not a number. */
double tj_num(const struct tj *root, const char *path);

/* The string at `path`, or NULL. */
const char *tj_str(const struct tj *root, const char *path);

#endif
