/* Invariant checker of the engine's state (DESIGN.md: "invariant checks
 * after every engine call in debug builds").
 *
 * Built when SCTPNG_ENGINE_CHECK is defined: CMake defines it for Debug and
 * sanitizer builds, with -DSCTPNG_ENGINE_CHECK=ON, and always for the
 * sctpng_engine_checked library the engine's unit tests, the simulator and
 * the fuzzers link. Then every public engine function ends with a full
 * check of its endpoint (ENG_CHECK), and ENG_ASSERT guards module borders.
 * Without the define both macros compile to nothing. */
#ifndef SCTPNG_ENGINE_CHECK_H
#define SCTPNG_ENGINE_CHECK_H

struct sctpng_eng;

/* Called once per broken invariant with a one-line description (which
 * invariant, which association, where). The default hook prints the line
 * to stderr and calls abort(); tests install their own to count. */
typedef void (*sctpng__check_hook_fn)(void *ctx, const char *msg);

/* These exist only in libraries built with SCTPNG_ENGINE_CHECK
 * (sctpng_engine_checked always). */
/* Installs fn (NULL: the default hook). Process-wide: checking is a test
 * and debug facility, not a per-endpoint feature. */
void sctpng__check_set_hook(sctpng__check_hook_fn fn, void *ctx);
/* Checks every invariant of the endpoint and its associations; returns the
 * number broken (each reported to the hook). */
unsigned sctpng__check_endpoint(const struct sctpng_eng *ep);
/* Reports a failed assertion to the hook. */
void sctpng__check_fail(const char *what, const char *file, int line);

void sctpng__check_cleanup(const struct sctpng_eng *const *ep);

#ifdef SCTPNG_ENGINE_CHECK

#define ENG_CHECK(ep) ((void)sctpng__check_endpoint(ep))
/* Declares a variable whose scope end checks ep: on every return path of a
 * public function, after its result is computed. */
#define ENG_CHECK_ON_RETURN(ep)                                                                    \
    __attribute__((cleanup(sctpng__check_cleanup), unused))                                        \
    const struct sctpng_eng *const eng_checked_ = (ep)
#define ENG_ASSERT(c) ((c) ? (void)0 : sctpng__check_fail(#c, __FILE__, __LINE__))
#else
#define ENG_CHECK(ep)           ((void)(ep))
#define ENG_CHECK_ON_RETURN(ep) ((void)(ep))
#define ENG_ASSERT(c)           ((void)0)
#endif

#endif
