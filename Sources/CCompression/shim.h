// Zstandard (RFC 8878) and zlib's gzip (RFC 1952): what GlossSync writes and reads bundles and
// HTTP bodies in.
#include <zstd.h>
#include <zlib.h>

/// zlib's init calls are macros, which Swift cannot call. 31 = a 32 KiB window (15) + gzip (16).
static inline int gloss_gzip_deflate_init(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
}

static inline int gloss_gzip_inflate_init(z_streamp stream) {
    return inflateInit2(stream, 31);
}
