/* RFC 4820 PAD chunk codec (pad.h). */
#include <string.h>

#include "engine/pad.h"

int pw_pad_to(struct pkt_writer *w, size_t total)
{
    if ((total & 3) || (w->len & 3) || total < w->len + CHUNK_HDR_LEN || total > w->cap)
        return -1;
    size_t n = total - w->len - CHUNK_HDR_LEN;
    uint8_t *v = pw_chunk(w, CT_PAD, 0, n);
    if (!v)
        return -1;
    memset(v, 0, n); /* RFC 4820: any value; ours never leaks memory */
    return 0;
}

int chunk_pad_decode(const struct chunk *c, uint16_t *padding)
{
    if (c->type != CT_PAD)
        return -1;
    *padding = c->vlen;
    return 0;
}
