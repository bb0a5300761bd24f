// Snappy's C API (Debian's libsnappy-dev) for KafkaCompression's snappy codec.
#ifndef SKIFF_CSNAPPY_SHIM_H
#define SKIFF_CSNAPPY_SHIM_H

#include <snappy-c.h>

#endif
