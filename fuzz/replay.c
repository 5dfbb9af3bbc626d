/*
 * replay: runs a fuzz target's LLVMFuzzerTestOneInput over every file of
 * its seed corpus and of its regression inputs, without libFuzzer, as an
 * ordinary test. Inputs that once crashed a target go to
 * fuzz/regressions/<target>/ so they are tried in every test run.
 * FUZZ_CORPUS and FUZZ_REGRESSIONS are set by fuzz/CMakeLists.txt.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, r;
    uint8_t *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Returns the number of inputs run; a missing directory has none. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len = 0;
        uint8_t *buf = read_file(path, &len);
        if (!buf)
            continue;
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        count++;
    }
    closedir(d);
    return count;
}

static void test_seed_corpus(void **state)
{
    (void)state;
    int n = replay_dir(FUZZ_CORPUS);
    printf("# %d seed inputs from %s\n", n, FUZZ_CORPUS);
    assert_true(n > 0);
}

static void test_regressions(void **state)
{
    (void)state;
    int n = replay_dir(FUZZ_REGRESSIONS);
    printf("# %d regression inputs from %s\n", n, FUZZ_REGRESSIONS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_corpus),
        cmocka_unit_test(test_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
