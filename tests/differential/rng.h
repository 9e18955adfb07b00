// A small seeded random source whose sequence depends only on the seed
// (SplitMix64, no std:: distributions), so a seed reproduces the same
// stream with any standard library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

namespace model {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [lo, hi].
  int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
  // True with probability percent/100.
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

  // A uniformly chosen element. REQUIRES: !c.empty(). Copy the result at
  // once when `c` is a temporary.
  template <class C>
  auto& pick(C&& c) {
    auto it = std::begin(c);
    std::advance(it, static_cast<std::ptrdiff_t>(below(std::size(c))));
    return *it;
  }
  // Up to n distinct elements of v, in v's order.
  template <class T>
  std::vector<T> sample(const std::vector<T>& v, std::size_t n) {
    std::vector<T> out;
    std::size_t left = v.size();
    for (const T& x : v) {
      if (n > 0 && below(left) < n) {
        out.push_back(x);
        --n;
      }
      --left;
    }
    return out;
  }

 private:
  std::uint64_t state_;
};

}  // namespace model
