/* Message contents: each 8-byte block of a message is a hash of (seed,
 * message id, block number), so bytes differ between messages, positions
 * and runs, and any byte can be recomputed on its own. */
#include "sim/payload.h"

static uint64_t block(uint64_t seed, uint32_t id, uint64_t n)
{
    uint64_t z = seed ^ ((uint64_t)id << 40) ^ n;
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint8_t byte_at(uint64_t seed, uint32_t id, size_t pos, uint64_t *cache, uint64_t *cached)
{
    uint64_t n = pos / 8;
    if (*cached != n + 1) {
        *cache = block(seed, id, n);
        *cached = n + 1;
    }
    return (uint8_t)(*cache >> (8 * (pos % 8)));
}

void payload_fill(uint8_t *buf, size_t len, uint64_t seed, uint32_t id, size_t off)
{
    uint64_t cache = 0, cached = 0;
    for (size_t i = 0; i < len; i++)
        buf[i] = byte_at(seed, id, off + i, &cache, &cached);
}

size_t payload_check(const uint8_t *buf, size_t len, uint64_t seed, uint32_t id, size_t off)
{
    uint64_t cache = 0, cached = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] != byte_at(seed, id, off + i, &cache, &cached))
            return i;
    return len;
}
