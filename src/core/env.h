/* env.h - the library's environment variables (env.c). Each reader returns
 * 0 (with the default when unset or empty) or -EINVAL, writing a message
 * that names the variable and its value into msg (may be NULL). */
#ifndef SCTPNG_CORE_ENV_H
#define SCTPNG_CORE_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SCTPNG_BACKEND: sets *backend for "kernel" or "udp"; leaves it for
 * unset, empty or "auto". */
int sctpng__env_backend(int *backend, char *msg, size_t len);

/* A UDP port variable: a decimal 0..65535 (1..65535 unless zero_ok). */
int sctpng__env_port(const char *name, uint16_t def, bool zero_ok, uint16_t *out, char *msg,
                     size_t len);

/* A switch: "0" or "1" (def when unset or empty). SCTPNG_UDP_GSO and
 * SCTPNG_UDP_GRO (UDP backend: UDP_SEGMENT / UDP_GRO, default 1). */
int sctpng__env_bool(const char *name, bool def, bool *out, char *msg, size_t len);

/* SCTPNG_PCAP: the capture file's path, or NULL when unset or empty. */
const char *sctpng__env_pcap(void);

#endif
