/* DCEP codec: see dcep.h. */
#include "dcep.h"

#include <errno.h>
#include <string.h>

static bool known_type(uint8_t t)
{
    switch (t & 0x7F) {
    case DCEP_RELIABLE:
    case DCEP_PARTIAL_RELIABLE_RX:
    case DCEP_PARTIAL_RELIABLE_TM:
        return true;
    default:
        return false;
    }
}

int dcep_parse_open(const uint8_t *b, size_t len, struct dcep_open *o)
{
    if (len < DCEP_OPEN_HEADER || b[0] != DCEP_OPEN || !known_type(b[1]))
        return -EBADMSG;
    o->channel_type = b[1];
    o->priority = (uint16_t)(b[2] << 8 | b[3]);
    o->reliability = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
    o->label_len = (uint16_t)(b[8] << 8 | b[9]);
    o->protocol_len = (uint16_t)(b[10] << 8 | b[11]);
    if ((size_t)o->label_len + o->protocol_len > len - DCEP_OPEN_HEADER)
        return -EBADMSG;
    o->label = b + DCEP_OPEN_HEADER;
    o->protocol = o->label + o->label_len;
    return 0;
}

int dcep_write_open(uint8_t *out, size_t cap, const struct dcep_open *o)
{
    size_t n = DCEP_OPEN_HEADER + (size_t)o->label_len + o->protocol_len;
    if (n > cap)
        return -ENOBUFS;
    out[0] = DCEP_OPEN;
    out[1] = o->channel_type;
    out[2] = (uint8_t)(o->priority >> 8);
    out[3] = (uint8_t)o->priority;
    for (int i = 0; i < 4; i++)
        out[4 + i] = (uint8_t)(o->reliability >> (24 - 8 * i));
    out[8] = (uint8_t)(o->label_len >> 8);
    out[9] = (uint8_t)o->label_len;
    out[10] = (uint8_t)(o->protocol_len >> 8);
    out[11] = (uint8_t)o->protocol_len;
    if (o->label_len)
        memcpy(out + DCEP_OPEN_HEADER, o->label, o->label_len);
    if (o->protocol_len)
        memcpy(out + DCEP_OPEN_HEADER + o->label_len, o->protocol, o->protocol_len);
    return (int)n;
}

bool dcep_is_ack(const uint8_t *buf, size_t len)
{
    return len >= 1 && buf[0] == DCEP_ACK;
}

uint32_t dcep_ppid_for(bool binary, size_t len)
{
    if (len == 0)
        return binary ? PPID_BINARY_EMPTY : PPID_STRING_EMPTY;
    return binary ? PPID_BINARY : PPID_STRING;
}

int dcep_ppid_kind(uint32_t ppid, bool *empty)
{
    *empty = ppid == PPID_STRING_EMPTY || ppid == PPID_BINARY_EMPTY;
    switch (ppid) {
    case PPID_DCEP:
        return 0;
    case PPID_STRING:
    case PPID_STRING_PART:
    case PPID_STRING_EMPTY:
        return 1;
    case PPID_BINARY:
    case PPID_BINARY_PART:
    case PPID_BINARY_EMPTY:
        return 2;
    default:
        return -1;
    }
}
