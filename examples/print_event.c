/*
 * print_event.c - describe an event the way a person reads it: what
 * happened in words first, then the SCTP names in brackets for those who
 * look them up (RFC 6458). Numbers appear only where they mean something:
 * stream counts when an association comes up, causes when it fails.
 */
#include "print_event.h"

/* RFC 9260 section 3.3.10 error causes, as a person would say them. */
static const char *cause_text(unsigned code)
{
    static const char *texts[] = {
        [1] = "invalid stream",
        [2] = "missing mandatory parameter",
        [3] = "stale cookie",
        [4] = "out of resources",
        [5] = "unresolvable address",
        [6] = "unrecognised chunk type",
        [7] = "invalid mandatory parameter",
        [8] = "unrecognised parameters",
        [9] = "no user data",
        [10] = "cookie received while shutting down",
        [11] = "restart with new addresses",
        [12] = "aborted by the peer's application",
        [13] = "protocol violation",
    };
    return code < sizeof(texts) / sizeof(texts[0]) && texts[code] ? texts[code] : "unknown cause";
}

/* ASSOC_CHANGE: up, restarted, closed, lost or never set up. */
static void assoc_change(FILE *out, const sctpng_event *ev)
{
    unsigned os = ev->u.assoc_change.ostreams, is = ev->u.assoc_change.istreams;
    unsigned err = ev->u.assoc_change.error;
    int id = (int)ev->assoc;
    switch (ev->u.assoc_change.state) {
    case SCTPNG_COMM_UP:
        fprintf(out, "association %d is up, %u streams out and %u in [COMM_UP]", id, os, is);
        break;
    case SCTPNG_RESTART:
        fprintf(out,
                "association %d restarted (the peer came back), %u streams out and %u in [RESTART]",
                id, os, is);
        break;
    case SCTPNG_SHUTDOWN_COMP:
        fprintf(out, "association %d closed normally [SHUTDOWN_COMP]", id);
        break;
    case SCTPNG_COMM_LOST:
        if (err)
            fprintf(out, "association %d lost: the peer aborted it (cause %u, %s) [COMM_LOST]", id,
                    err, cause_text(err));
        else
            fprintf(out, "association %d lost: the peer stopped answering or aborted [COMM_LOST]",
                    id);
        break;
    case SCTPNG_CANT_STR_ASSOC:
        fprintf(out, "association %d could not be set up: no answer from the peer [CANT_STR_ASSOC]",
                id);
        break;
    default:
        fprintf(out, "association %d changed to an unknown state %d [ASSOC_CHANGE]", id,
                ev->u.assoc_change.state);
        break;
    }
}

static void peer_addr(FILE *out, const sctpng_event *ev)
{
    static const char *texts[] = {
        [SCTPNG_ADDR_AVAILABLE] = "is reachable [ADDR_AVAILABLE]",
        [SCTPNG_ADDR_UNREACHABLE] = "is unreachable [ADDR_UNREACHABLE]",
        [SCTPNG_ADDR_REMOVED] = "was removed by the peer [ADDR_REMOVED]",
        [SCTPNG_ADDR_ADDED] = "was added by the peer [ADDR_ADDED]",
        [SCTPNG_ADDR_MADE_PRIM] = "is now the primary path [ADDR_MADE_PRIM]",
        [SCTPNG_ADDR_CONFIRMED] = "is confirmed [ADDR_CONFIRMED]",
        [SCTPNG_ADDR_POTENTIALLY_FAILED] = "may have failed [ADDR_POTENTIALLY_FAILED]",
    };
    char addr[SCTPNG_ADDRSTRLEN];
    int st = ev->u.peer_addr.state;
    if (sctpng_addr_format(&ev->u.peer_addr.addr, addr, sizeof(addr)) < 0)
        snprintf(addr, sizeof(addr), "?");
    fprintf(out, "association %d: peer address %s %s", (int)ev->assoc, addr,
            st >= 0 && st <= SCTPNG_ADDR_POTENTIALLY_FAILED ? texts[st]
                                                            : "changed state [PEER_ADDR_CHANGE]");
}

void print_event(FILE *out, const char *who, const sctpng_event *ev)
{
    int id = (int)ev->assoc;
    fprintf(out, "%s: ", who);
    switch (ev->kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        assoc_change(out, ev);
        break;
    case SCTPNG_EV_PEER_ADDR_CHANGE:
        peer_addr(out, ev);
        break;
    case SCTPNG_EV_SHUTDOWN:
        fprintf(out, "association %d: the peer is closing it, no more sending [SHUTDOWN]", id);
        break;
    case SCTPNG_EV_SEND_FAILED:
        fprintf(out,
                "association %d: a message of %zu bytes on stream %u was not delivered (%s, error "
                "%u) [SEND_FAILED]",
                id, ev->u.send_failed.len, ev->u.send_failed.stream,
                ev->u.send_failed.sent ? "sent but never acknowledged" : "never sent",
                ev->u.send_failed.error);
        break;
    case SCTPNG_EV_REMOTE_ERROR:
        fprintf(out, "association %d: the peer reported an error (cause %u, %s) [REMOTE_ERROR]", id,
                ev->u.remote_error.error, cause_text(ev->u.remote_error.error));
        break;
    case SCTPNG_EV_SENDER_DRY:
        fprintf(out, "association %d: everything sent has been acknowledged [SENDER_DRY]", id);
        break;
    case SCTPNG_EV_STREAM_CHANGE:
        fprintf(out, "association %d: now %u streams out and %u in [STREAM_CHANGE]", id,
                ev->u.stream_change.ostreams, ev->u.stream_change.istreams);
        break;
    default:
        fprintf(out, "association %d: %s event", id, sctpng_event_name(ev->kind));
        break;
    }
    fputc('\n', out);
}
