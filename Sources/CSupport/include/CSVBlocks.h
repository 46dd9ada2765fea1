#ifndef ARLENS_CSVBLOCKS_H
#define ARLENS_CSVBLOCKS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The bytes of a 64-byte block of CSV that matter to the loader's fast path, as bit masks
/// (bit i is byte i).
typedef struct {
    /// Field and record ends: the delimiter and LF.
    uint64_t structural;
    /// Bytes the fast path leaves to the full scanner: `"`, CR, NUL and bytes >= 0x80
    /// (UTF-8 to validate).
    uint64_t special;
} arlens_csv_block;

/// Classifies the 64 bytes at `p` (all of them must be readable). SSE2 where the compiler
/// has it (every x86-64), otherwise one byte at a time.
static inline arlens_csv_block arlens_csv_classify(const uint8_t *p, uint8_t delimiter) {
    arlens_csv_block r;
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter), lf = _mm_set1_epi8('\n');
    const __m128i q = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    uint64_t s = 0, x = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        uint64_t a = (uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)));
        __m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, zero));
        uint64_t b = (uint16_t)_mm_movemask_epi8(_mm_or_si128(odd, v));   /* v: its high bits */
        s |= a << (16 * k);
        x |= b << (16 * k);
    }
    r.structural = s;
    r.special = x;
#else
    uint64_t s = 0, x = 0;
    for (int i = 0; i < 64; i++) {
        uint8_t c = p[i];
        if (c == delimiter || c == '\n') s |= (uint64_t)1 << i;
        if (c == '"' || c == '\r' || c == 0 || c >= 0x80) x |= (uint64_t)1 << i;
    }
    r.structural = s;
    r.special = x;
#endif
    return r;
}

#endif
