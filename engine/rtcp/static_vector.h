// Fixed-capacity vector for parsed RTCP contents: lives inline, never allocates.
#pragma once

#include <array>
#include <cstddef>
#include <span>

namespace rc::rtcp {

template <class T, size_t N>
class StaticVector {
 public:
  static constexpr size_t kCapacity = N;
  bool push_back(const T& v) noexcept {
    if (size_ == N) return false;
    items_[size_++] = v;
    return true;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == N; }
  void clear() { size_ = 0; }
  const T& operator[](size_t i) const { return items_[i]; }
  T& operator[](size_t i) { return items_[i]; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }
  std::span<const T> span() const { return {items_.data(), size_}; }

 private:
  std::array<T, N> items_{};
  size_t size_ = 0;
};

}  // namespace rc::rtcp
