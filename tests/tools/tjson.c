/* tjson.c - see tjson.h. Recursive descent; strings keep \u escapes
 * only for ASCII (enough for the documents sctpperf writes). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tjson.h"

struct rd {
    const char *p;
    bool bad;
};

static struct tj *value(struct rd *r);

static void ws(struct rd *r)
{
    while (isspace((unsigned char)*r->p))
        r->p++;
}

static struct tj *node(enum tj_type t)
{
    struct tj *v = calloc(1, sizeof(*v));
    if (v)
        v->type = t;
    return v;
}

static char *string(struct rd *r)
{
    if (*r->p != '"') {
        r->bad = true;
        return NULL;
    }
    r->p++;
    size_t cap = strlen(r->p) + 1, n = 0;
    char *s = malloc(cap);
    while (s && *r->p && *r->p != '"') {
        char c = *r->p++;
        if (c == '\\') {
            c = *r->p++;
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
            else if (c == 'u') {
                c = (char)strtol((char[]){r->p[0], r->p[1], r->p[2], r->p[3], 0}, NULL, 16);
                r->p += 4;
            }
        }
        s[n++] = c;
    }
    if (!s || *r->p != '"') {
        free(s);
        r->bad = true;
        return NULL;
    }
    r->p++;
    s[n] = '\0';
    return s;
}

static void add_kid(struct rd *r, struct tj *parent, struct tj *kid)
{
    struct tj **k = realloc(parent->kids, (parent->nkids + 1) * sizeof(*k));
    if (!k || !kid) {
        r->bad = true;
        tj_free(kid);
        return;
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
}

static struct tj *container(struct rd *r, bool obj)
{
    struct tj *v = node(obj ? TJ_OBJ : TJ_ARR);
    r->p++;
    ws(r);
    if (*r->p == (obj ? '}' : ']')) {
        r->p++;
        return v;
    }
    while (!r->bad) {
        ws(r);
        char *key = NULL;
        if (obj) {
            key = string(r);
            ws(r);
            if (*r->p++ != ':')
                r->bad = true;
        }
        struct tj *kid = r->bad ? NULL : value(r);
        if (kid)
            kid->key = key;
        else
            free(key);
        add_kid(r, v, kid);
        ws(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p++ != (obj ? '}' : ']'))
            r->bad = true;
        break;
    }
    return v;
}

static struct tj *literal(struct rd *r)
{
    static const struct {
        const char *w;
        enum tj_type t;
        double n;
    } lits[] = {{"true", TJ_BOOL, 1}, {"false", TJ_BOOL, 0}, {"null", TJ_NULL, 0}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i].w);
        if (strncmp(r->p, lits[i].w, n) == 0) {
            r->p += n;
            struct tj *v = node(lits[i].t);
            if (v)
                v->num = lits[i].n;
            return v;
        }
    }
    char *end;
    double d = strtod(r->p, &end);
    if (end == r->p) {
        r->bad = true;
        return NULL;
    }
    r->p = end;
    struct tj *v = node(TJ_NUM);
    if (v)
        v->num = d;
    return v;
}

static struct tj *value(struct rd *r)
{
    ws(r);
    if (*r->p == '{' || *r->p == '[')
        return container(r, *r->p == '{');
    if (*r->p == '"') {
        struct tj *v = node(TJ_STR);
        if (v)
            v->str = string(r);
        return v;
    }
    return literal(r);
}

struct tj *tj_parse(const char *text)
{
    struct rd r = {text, false};
    struct tj *v = value(&r);
    ws(&r);
    if (r.bad || *r.p != '\0') {
        tj_free(v);
        return NULL;
    }
    return v;
}

void tj_free(struct tj *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nkids; i++)
        tj_free(v->kids[i]);
    free(v->kids);
    free(v->str);
    free(v->key);
    free(v);
}

const struct tj *tj_get(const struct tj *v, const char *path)
{
    char part[64];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(part))
            return NULL;
        memcpy(part, path, n);
        part[n] = '\0';
        path += n + (path[n] == '.');
        const struct tj *next = NULL;
        if (v->type == TJ_ARR && isdigit((unsigned char)part[0])) {
            size_t i = strtoul(part, NULL, 10);
            next = i < v->nkids ? v->kids[i] : NULL;
        } else if (v->type == TJ_OBJ) {
            for (size_t i = 0; i < v->nkids && !next; i++)
                if (v->kids[i]->key && strcmp(v->kids[i]->key, part) == 0)
                    next = v->kids[i];
        }
        v = next;
    }
    return v;
}

double tj_num(const struct tj *root, const char *path)
{
    const struct tj *v = tj_get(root, path);
    return v && (v->type == TJ_NUM || v->type == TJ_BOOL) ? v->num : NAN;
}

const char *tj_str(const struct tj *root, const char *path)
{
    const struct tj *v = tj_get(root, path);
    return v && v->type == TJ_STR ? v->str : NULL;
}
