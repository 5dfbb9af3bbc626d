/* kernel_env: what every interop-kernel program shares: the kernel as a
 * backend of the scenarios (UDP 9899 for the kernel's encapsulation, 9900
 * for the engine), the group set-up that checks for kernel SCTP and turns
 * the UDP encapsulation on, and the skip on kernels without it. */
#ifndef SCTPNG_INTEROP_KERNEL_ENV_H
#define SCTPNG_INTEROP_KERNEL_ENV_H

#include <stdbool.h>

#include "scenarios.h"

extern const struct backend kernel_backend;

/* True (after printing a TAP skip line) where the kernel has SCTP but no
 * UDP encapsulation (Linux < 5.11, found by its missing sysctl): the
 * program then exits 0. */
bool kernel_env_no_encap(void);

/* cmocka group fixtures: kernel SCTP must be there (else the group
 * fails: run it in the VM), UDP encapsulation on at kernel_backend's
 * port; the tear-down turns it off. */
int kernel_env_setup(void **state);
int kernel_env_teardown(void **state);
/* The same, with a sysctl switch turned on after the set-up (its name
 * `what` for the message if that fails) and off before the tear-down:
 * kernel_set_auth_enable, kernel_set_reconf_enable. */
int kernel_env_setup_with(void **state, int (*set)(bool on), const char *what);
int kernel_env_teardown_with(void **state, int (*set)(bool on));

#endif
