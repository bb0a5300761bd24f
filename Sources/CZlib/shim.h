// zlib (Debian's zlib1g-dev) for KafkaCompression's gzip codec. inflateInit2 and deflateInit2 are
// function-like macros, which Swift does not import, so they are wrapped in static inline functions.
#ifndef SKIFF_CZLIB_SHIM_H
#define SKIFF_CZLIB_SHIM_H

#include <zlib.h>

static inline int skiff_inflate_init2(z_stream *stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

static inline int skiff_deflate_init2(z_stream *stream, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, strategy);
}

#endif
