// Zstandard (Debian's libzstd-dev) for KafkaCompression's zstd codec. The content-size sentinels
// are macros of an expression, which Swift does not import, so they are wrapped.
#ifndef SKIFF_CZSTD_SHIM_H
#define SKIFF_CZSTD_SHIM_H

#include <zstd.h>

static inline unsigned long long skiff_zstd_contentsize_unknown(void) { return ZSTD_CONTENTSIZE_UNKNOWN; }
static inline unsigned long long skiff_zstd_contentsize_error(void) { return ZSTD_CONTENTSIZE_ERROR; }

#endif
