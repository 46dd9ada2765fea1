#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE     /* mremap */
#endif
#include "CSupport.h"
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__linux__)
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

int arlens_rename_exchange(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
    (void)a; (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

void *arlens_map_anonymous(size_t size) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void *arlens_map_grow(void *p, size_t old, size_t size) {
#if defined(__linux__)
    void *q = mremap(p, old, size, MREMAP_MAYMOVE);
    return q == MAP_FAILED ? NULL : q;
#else
    void *q = arlens_map_anonymous(size);
    if (q == NULL) return NULL;
    memcpy(q, p, old < size ? old : size);
    munmap(p, old);
    return q;
#endif
}

size_t arlens_find_text_escape(const uint8_t *p, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i bs = _mm_set1_epi8('\\'), q = _mm_set1_epi8('"');
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(p + i)), b = _mm_loadu_si128((const __m128i *)(p + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(p + i + 32)), d = _mm_loadu_si128((const __m128i *)(p + i + 48));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, bs), _mm_cmpeq_epi8(a, q)),
                                                _mm_or_si128(_mm_cmpeq_epi8(b, bs), _mm_cmpeq_epi8(b, q))),
                                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, bs), _mm_cmpeq_epi8(c, q)),
                                                _mm_or_si128(_mm_cmpeq_epi8(d, bs), _mm_cmpeq_epi8(d, q))));
        if (_mm_movemask_epi8(hit) != 0) break;      /* found in this block: the byte loop finds where */
    }
#endif
    for (; i < n; i++) {
        if (p[i] == '\\' || p[i] == '"') return i;
    }
    return n;
}

static inline uint64_t arlens_mix(uint64_t h, uint64_t w) {
    h ^= w;
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 32);
}

uint64_t arlens_checksum(const void *p, size_t n, uint64_t seed) {
    const unsigned char *b = (const unsigned char *)p;
    uint64_t h0 = seed ^ 0x9E3779B97F4A7C15ULL, h1 = seed ^ 0xC2B2AE3D27D4EB4FULL;
    uint64_t h2 = seed ^ 0x165667B19E3779F9ULL, h3 = seed ^ 0x27D4EB2F165667C5ULL;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w0, w1, w2, w3;
        memcpy(&w0, b + i, 8); memcpy(&w1, b + i + 8, 8);
        memcpy(&w2, b + i + 16, 8); memcpy(&w3, b + i + 24, 8);
        h0 = arlens_mix(h0, w0); h1 = arlens_mix(h1, w1);
        h2 = arlens_mix(h2, w2); h3 = arlens_mix(h3, w3);
    }
    uint64_t h = arlens_mix(h0, h1 + 0x9E3779B97F4A7C15ULL);
    h = arlens_mix(h, h2);
    h = arlens_mix(h, h3);
    for (; i + 8 <= n; i += 8) { uint64_t w; memcpy(&w, b + i, 8); h = arlens_mix(h, w); }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, b + i, n - i);
        h = arlens_mix(h, w ^ ((uint64_t)(n - i) << 56));
    }
    h = arlens_mix(h, (uint64_t)n);
    h ^= h >> 29; h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 32);
}

int arlens_pool_slots_bad(const uint64_t *slots, size_t count, uint32_t n) {
    uint64_t bad = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t v = slots[i];
        uint32_t id = (uint32_t)v;
        /* Not empty, and its id 0 (a tag with no string) or above n. */
        bad |= (uint64_t)((uint32_t)(id - 1u) >= n) & (uint64_t)(v != 0);
    }
    return bad != 0;
}

size_t arlens_count_byte(const void *p, size_t n, uint8_t b) {
    const uint8_t *s = (const uint8_t *)p;
    size_t total = 0;
    /* A simple loop the compiler vectorises, in blocks counted in 32 bits. */
    while (n > 0) {
        size_t k = n < 4080 ? n : 4080;
        uint32_t c = 0;
        for (size_t i = 0; i < k; i++) c += s[i] == b;
        total += c;
        s += k;
        n -= k;
    }
    return total;
}
