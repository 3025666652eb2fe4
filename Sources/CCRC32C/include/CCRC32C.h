#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Advances the CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) register `crc` over `count` bytes at
/// `bytes`, with the processor's CRC-32C instruction when it has one (x86-64 SSE 4.2 `crc32`, AArch64 `crc32c*`)
/// and slicing by 8 otherwise. The register is raw: the caller applies the initial and final inversions.
uint32_t CCRC32C_update(uint32_t crc, const void *bytes, size_t count);

/// The same as `CCRC32C_update`, always with the portable slicing-by-8 tables.
uint32_t CCRC32C_updatePortable(uint32_t crc, const void *bytes, size_t count);

/// 1 when `CCRC32C_update` uses a CRC-32C instruction of this processor, 0 when it uses the tables.
int CCRC32C_hardwareAvailable(void);

#ifdef __cplusplus
}
#endif

#endif
