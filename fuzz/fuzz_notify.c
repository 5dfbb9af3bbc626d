/* fuzz_notify.c - libFuzzer target for sctpng_event_decode().
 *
 * Build and run (from the repository root):
 *   clang -g -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DSCTPNG_BUILDING \
 *     -Iinclude -Ibuild/include -Isrc fuzz/fuzz_notify.c src/kernel/notify.c -o /tmp/fn
 *   mkdir -p /tmp/notify-corpus
 *   /tmp/fn /tmp/notify-corpus fuzz/corpus/notify -max_total_time=30
 * libFuzzer adds what it finds to the first directory, so the seeds in
 * fuzz/corpus/notify (one valid notification of each kind) stay as they are.
 *
 * Every input is decoded twice: as given, and from a copy one byte off
 * alignment (the decoder must not load through misaligned struct
 * pointers; UBSan reports it). On success every byte an event points at
 * is read, so ASan catches any range that runs past the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sctpng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void touch(const uint8_t *p, size_t n, const uint8_t *base, size_t size)
{
    if (n == 0)
        return;
    /* The range must lie inside the input; ASan checks each byte too. */
    if (p < base || n > size || (size_t)(p - base) > size - n)
        abort();
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    sink += s;
}

static void touch_event(const sctpng_event *ev, const uint8_t *base, size_t size)
{
    switch (ev->kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        touch(ev->u.assoc_change.info, ev->u.assoc_change.info_len, base, size);
        break;
    case SCTPNG_EV_REMOTE_ERROR:
        touch(ev->u.remote_error.data, ev->u.remote_error.len, base, size);
        break;
    case SCTPNG_EV_SEND_FAILED:
        touch(ev->u.send_failed.data, ev->u.send_failed.len, base, size);
        break;
    case SCTPNG_EV_STREAM_RESET:
        touch(ev->u.stream_reset.streams, ev->u.stream_reset.nstreams * 2, base, size);
        for (size_t i = 0; i <= ev->u.stream_reset.nstreams; i++)
            sink += sctpng_event_stream(ev, i);
        break;
    case SCTPNG_EV_RAW:
        touch(ev->u.raw.data, ev->u.raw.len, base, size);
        break;
    default:
        break;
    }
    sink += (unsigned)strlen(sctpng_event_name(ev->kind));
}

static void decode_one(const uint8_t *buf, size_t size)
{
    sctpng_event ev;
    int rc = sctpng_event_decode(buf, size, &ev);
    if (rc == -EBADMSG)
        return;
    if (rc != 0)
        abort();
    touch_event(&ev, buf, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode_one(data, size);
    uint8_t *odd = malloc(size + 1);
    if (!odd)
        return 0;
    if (size)
        memcpy(odd + 1, data, size);
    decode_one(odd + 1, size);
    free(odd);
    return 0;
}
