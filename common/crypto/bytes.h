// The byte types every crypto function takes and returns, and the one exception type for OpenSSL failures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tradingd::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Text and bytes are the same octets; these views make that explicit at call sites without copying.
inline ByteView as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Thrown only when OpenSSL itself fails (out of memory, broken provider): never for bad input, a wrong
// password or a forged token, which are ordinary return values.
class CryptoError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws CryptoError carrying `what` and the first entry of OpenSSL's error queue (which it then clears).
[[noreturn]] void throw_openssl_error(const char* what);

}  // namespace tradingd::crypto
