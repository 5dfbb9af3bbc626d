/* A small seeded PRNG (splitmix64) for the simulator: every random decision
 * of a run (losses, engine random bytes, traffic) comes from a seed, so a
 * failing run is reproduced by its seed alone. Not for cryptography. */
#ifndef SCTPNG_SIM_RNG_H
#define SCTPNG_SIM_RNG_H

#include <stddef.h>
#include <stdint.h>

struct sim_rng {
    uint64_t s;
};

static inline void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
    r->s = seed;
}

static inline uint64_t sim_rng_next(struct sim_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant here. */
static inline uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
    return sim_rng_next(r) % n;
}

/* True with probability ppm / 1e6. */
static inline int sim_rng_ppm(struct sim_rng *r, uint32_t ppm)
{
    return ppm && sim_rng_below(r, 1000000) < ppm;
}

static inline void sim_rng_fill(struct sim_rng *r, uint8_t *buf, size_t len)
{
    while (len) {
        uint64_t v = sim_rng_next(r);
        for (int i = 0; i < 8 && len; i++, len--) {
            *buf++ = (uint8_t)v;
            v >>= 8;
        }
    }
}

#endif
