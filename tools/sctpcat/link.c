/* link.c - sctpcat's link options on a live association: per-stream
 * scheduler values, and a line saying what was agreed. */
#include "cat.h"

static bool any_link_opt(const struct link_opts *o)
{
    return o->sched >= 0 || o->intl || o->auth || o->reconfig;
}

int cat_link_up(const struct cat_config *c, sctpng_socket *s, sctpng_assoc_t assoc)
{
    char err[300];
    if (link_apply_assoc(&c->link, s, assoc, err, sizeof(err)) < 0) {
        cat_err("%s", err);
        return -1;
    }
    if (!any_link_opt(&c->link))
        return 0;
    bool warn;
    link_describe(&c->link, s, assoc, &warn, err, sizeof(err));
    /* Something asked for and not in use is said even without -v: a
     * test run on a link that silently lacks it would mislead. */
    if (warn)
        cat_err("assoc %d: %s", (int)assoc, err);
    else
        cat_note(c, "assoc %d: %s", (int)assoc, err);
    return 0;
}
