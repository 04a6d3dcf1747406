#include "tf1hub/kernels/flat_key_map.h"

#include <farmhash.h>
#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace tf1hub {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

uint64_t FlatKeyHash(std::string_view key) { return util::Hash64(key.data(), key.size()); }

void* AllocateHugePageBlock(size_t bytes, size_t align) {
  if (bytes < kHugePage) return ::operator new(bytes, std::align_val_t(align));
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  if (rounded < bytes) throw std::bad_alloc();
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure only costs speed
#endif
  return p;
}

void FreeHugePageBlock(void* p, size_t bytes, size_t align) {
  if (p == nullptr) return;
  if (bytes < kHugePage) {
    ::operator delete(p, std::align_val_t(align));
    return;
  }
  std::free(p);
}

}  // namespace tf1hub
