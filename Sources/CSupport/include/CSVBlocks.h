#ifndef ARLENS_CSVBLOCKS_H
#define ARLENS_CSVBLOCKS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The bytes of a 64-byte block of CSV that matter to the loader's fast path, as bit masks
/// (bit i is byte i).
typedef struct {
    /// Field ends: the delimiter.
    uint64_t delimiters;
    /// Record ends: LF.
    uint64_t newlines;
    /// Bytes the fast path leaves to the full scanner: `"`, CR, NUL and bytes >= 0x80
    /// (UTF-8 to validate).
    uint64_t special;
    /// Padding a field may be trimmed of: space, and tab unless tab is the delimiter.
    uint64_t pad;
} arlens_csv_block;

/// Classifies the 64 bytes at `p` (all of them must be readable). SSE2 where the compiler
/// has it (every x86-64), otherwise one byte at a time.
static inline arlens_csv_block arlens_csv_classify(const uint8_t *p, uint8_t delimiter) {
    arlens_csv_block r;
    /* A tab delimiter is no padding: the second pad byte is then a space again. */
    const uint8_t tab = delimiter == '\t' ? ' ' : '\t';
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter), lf = _mm_set1_epi8('\n');
    const __m128i q = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    const __m128i sp = _mm_set1_epi8(' '), tb = _mm_set1_epi8((char)tab);
    uint64_t s = 0, n = 0, x = 0, pd = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        uint64_t a = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, d));
        uint64_t l = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        __m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, zero));
        uint64_t b = (uint16_t)_mm_movemask_epi8(_mm_or_si128(odd, v));   /* v: its high bits */
        uint64_t c = (uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tb)));
        s |= a << (16 * k);
        n |= l << (16 * k);
        x |= b << (16 * k);
        pd |= c << (16 * k);
    }
    r.delimiters = s;
    r.newlines = n;
    r.special = x;
    r.pad = pd;
#else
    uint64_t s = 0, n = 0, x = 0, pd = 0;
    for (int i = 0; i < 64; i++) {
        uint8_t c = p[i];
        if (c == delimiter) s |= (uint64_t)1 << i;
        else if (c == '\n') n |= (uint64_t)1 << i;
        if (c == '"' || c == '\r' || c == 0 || c >= 0x80) x |= (uint64_t)1 << i;
        if (c == ' ' || c == tab) pd |= (uint64_t)1 << i;
    }
    r.delimiters = s;
    r.newlines = n;
    r.special = x;
    r.pad = pd;
#endif
    return r;
}

#endif
