// CRC-32C with the processor's own instruction (SSE 4.2 `crc32` on x86-64, the CRC extension on
// 64-bit Arm). Swift has no way to emit these instructions, so BrokerCore calls this C shim and
// keeps its portable table-driven implementation for processors without them.
#ifndef SKIFF_CRC32C_H
#define SKIFF_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has a CRC-32C instruction that `skiff_crc32c_hw_update` uses, else 0.
int skiff_crc32c_hw_available(void);

/// Continues a CRC-32C over `length` bytes at `bytes`. `crc` is the raw register value (already
/// inverted by the caller: pass ~0 to start, invert the result to finish). Call only when
/// `skiff_crc32c_hw_available()` returned 1.
uint32_t skiff_crc32c_hw_update(uint32_t crc, const void *bytes, size_t length);

#endif
