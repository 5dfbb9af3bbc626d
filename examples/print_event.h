/* print_event.h - one line of text for an sctpng_event (examples only). */
#ifndef EXAMPLES_PRINT_EVENT_H
#define EXAMPLES_PRINT_EVENT_H

#include <stdio.h>

#include "sctpng.h"

void print_event(FILE *out, const char *who, const sctpng_event *ev);

#endif
