/* print_event.c - describe an event the way a person reads it. */
#include "print_event.h"

static const char *assoc_state(int s)
{
    static const char *names[] = {"COMM_UP", "COMM_LOST", "RESTART", "SHUTDOWN_COMP",
                                  "CANT_STR_ASSOC"};
    return s >= 0 && s < 5 ? names[s] : "?";
}

static const char *addr_state(int s)
{
    static const char *names[] = {"AVAILABLE", "UNREACHABLE", "REMOVED", "ADDED",
                                  "MADE_PRIM", "CONFIRMED",   "PF"};
    return s >= 0 && s < 7 ? names[s] : "?";
}

void print_event(FILE *out, const char *who, const sctpng_event *ev)
{
    char addr[SCTPNG_ADDRSTRLEN];
    fprintf(out, "%s: event %s assoc %d", who, sctpng_event_name(ev->kind), (int)ev->assoc);
    switch (ev->kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        fprintf(out, " %s streams out %u in %u", assoc_state(ev->u.assoc_change.state),
                ev->u.assoc_change.ostreams, ev->u.assoc_change.istreams);
        break;
    case SCTPNG_EV_PEER_ADDR_CHANGE:
        if (sctpng_addr_format(&ev->u.peer_addr.addr, addr, sizeof(addr)) < 0)
            addr[0] = '\0';
        fprintf(out, " %s %s", addr, addr_state(ev->u.peer_addr.state));
        break;
    case SCTPNG_EV_SEND_FAILED:
        fprintf(out, " error %u stream %u, %zu bytes", ev->u.send_failed.error,
                ev->u.send_failed.stream, ev->u.send_failed.len);
        break;
    default:
        break;
    }
    fputc('\n', out);
}
