/* Deterministic message contents, so a receiver can check every byte of a
 * message knowing only its flow seed, its number and the byte offset.
 * Shared by the simulator and the interop tests. */
#ifndef SCTPNG_SIM_PAYLOAD_H
#define SCTPNG_SIM_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

/* Writes bytes [off, off + len) of message `id` into buf. */
void payload_fill(uint8_t *buf, size_t len, uint64_t seed, uint32_t id, size_t off);

/* Checks bytes [off, off + len) of message `id` in buf; returns the index in
 * buf of the first wrong byte, or len if all are right. */
size_t payload_check(const uint8_t *buf, size_t len, uint64_t seed, uint32_t id, size_t off);

#endif
