/* errors.c - error text and version. */
#include <string.h>

#include "sctpng.h"

SCTPNG_API const char *sctpng_version(void)
{
    return SCTPNG_VERSION_STRING;
}

SCTPNG_API const char *sctpng_strerror(int err)
{
    if (err < 0)
        err = -err;
    if (err == 0)
        return "Success";
    /* strerror() is not thread-safe for unknown codes; strerrordesc_np is,
     * and returns NULL for those. */
    const char *text = strerrordesc_np(err);
    return text ? text : "Unknown error";
}
