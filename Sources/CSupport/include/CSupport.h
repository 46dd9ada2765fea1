#ifndef ARLENS_CSUPPORT_H
#define ARLENS_CSUPPORT_H

/// Asks the CPU to start loading the cache line at `p`: used to hide the memory latency of
/// hash-table probes (the slot for a key is fetched while the rest of its row is parsed).
static inline void arlens_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// An offset shared between two threads (where one stops reading a table the other reads
/// the rest of): read and written whole, with acquire and release ordering.
#include <stdint.h>
static inline int64_t arlens_atomic_load(const int64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void arlens_atomic_store(int64_t *p, int64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

/// Atomically exchanges the two paths (renameat2 with RENAME_EXCHANGE): both must exist.
/// Returns 0, or -1 with errno set (ENOSYS or EINVAL where the system or file system cannot).
#include <stddef.h>
#include <stdint.h>
int arlens_rename_exchange(const char *a, const char *b);

/// Anonymous private memory of `size` bytes (zero-filled pages, allocated as they are first
/// written); NULL with errno set when it cannot be had. Freed with munmap.
void *arlens_map_anonymous(size_t size);

/// The anonymous mapping `p` of `old` bytes grown to `size` bytes, its contents kept: on Linux
/// by mremap (the pages move without a copy), elsewhere a new mapping, a copy and munmap of
/// the old one. NULL with errno set (the old mapping is then left as it was).
void *arlens_map_grow(void *p, size_t old, size_t size);

/// The offset of the first backslash or double quote in the `n` bytes at `p`, or `n`: COPY's
/// text format (DELIMITER ',', NULL '') is, byte for byte, its csv format up to there. SSE2
/// where the compiler has it, 64 bytes at a time.
size_t arlens_find_text_escape(const uint8_t *p, size_t n);

/// A 64-bit checksum of `n` bytes (four independent multiply-xor lanes over 8-byte words,
/// then the tail): fast enough to verify a few hundred megabytes of snapshot per call
/// without being the bottleneck. Not cryptographic: it detects truncation and corruption.
uint64_t arlens_checksum(const void *p, size_t n, uint64_t seed);

/// True when some slot of a string pool's table is neither empty (0) nor names a string
/// 1...n in its low 32 bits: what a snapshot's pool is checked for before any lookup.
/// Branch-free over the whole table (half of a table's slots are empty, at random).
int arlens_pool_slots_bad(const uint64_t *slots, size_t count, uint32_t n);

/// How many of the `n` bytes at `p` equal `b` (the line feeds before a point of a file).
size_t arlens_count_byte(const void *p, size_t n, uint8_t b);

/// libFuzzer's driver (in the fuzzer runtime; only the `make fuzz` build refers to it).
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// The CSV block classifier of the loader's fast path.
#include "CSVBlocks.h"

#endif
