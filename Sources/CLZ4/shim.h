// LZ4's frame API (Debian's liblz4-dev) for KafkaCompression's lz4 codec.
#ifndef SKIFF_CLZ4_SHIM_H
#define SKIFF_CLZ4_SHIM_H

#include <lz4.h>
#include <lz4frame.h>

#endif
