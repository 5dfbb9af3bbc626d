/* report_link.c - the link options in sctpperf's report: what the
 * association agreed to, and with --stats each association's counters
 * under the keys of tools/common/assocstats.h. */
#include "report.h"

void report_link_text(FILE *out, const struct perf_result *r)
{
    char line[1024];
    for (size_t i = 0; i < r->nastats; i++)
        if (r->astats[i].valid)
            fprintf(out, "stats assoc %zu: %s\n", i + 1,
                    astats_line(&r->astats[i], line, sizeof(line)));
}

void report_link_json_start(struct jw *w, const struct perf_result *r)
{
    if (r->link)
        jw_str(w, "link", r->link);
}

void report_link_json_end(struct jw *w, const struct perf_result *r)
{
    if (!r->astats)
        return;
    jw_arr(w, "assoc_stats");
    for (size_t i = 0; i < r->nastats; i++) {
        const struct astats *a = &r->astats[i];
        if (!a->valid)
            continue;
        jw_obj(w, NULL);
        jw_u64(w, "assoc", i + 1);
        for (size_t k = 0; k < astats_count(a); k++)
            if (astats_value(a, k) != SCTPNG_STAT_NONE) /* kept by this backend */
                jw_u64(w, astats_key(k), astats_value(a, k));
        jw_end(w, '}');
    }
    jw_end(w, ']');
}
