// Software prefetch for kernels whose reads are scattered over memory far
// larger than the caches (embedding rows, hash table slots): asking for the
// next items while the current ones are processed overlaps the misses.
//
// An asm statement on x86-64, because GCC 12 at -O2/-O3 deletes loops of
// __builtin_prefetch in some inlined contexts (seen in segment_reduction.h's
// lambdas); elsewhere __builtin_prefetch.
#ifndef TF1HUB_KERNELS_PREFETCH_H_
#define TF1HUB_KERNELS_PREFETCH_H_

#include <cstdint>

namespace tf1hub {

// Into all cache levels, for reading.
inline void Prefetch(const void* p) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

// Every 64-byte line of [p, p + bytes).
inline void PrefetchBytes(const void* p, int64_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (int64_t b = 0; b < bytes; b += 64) Prefetch(c + b);
}

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_PREFETCH_H_
