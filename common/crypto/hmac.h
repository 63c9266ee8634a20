// HMAC-SHA256 (RFC 2104): the JWT HS256 signature, and available to anything else that needs a keyed digest.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace tradingd::crypto {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<std::uint8_t, kSha256Size>;

// Throws CryptoError only if OpenSSL fails internally; any key length is accepted, as RFC 2104 allows.
Sha256Digest hmac_sha256(ByteView key, ByteView data);
inline Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
    return hmac_sha256(as_bytes(key), as_bytes(data));
}
// Lowercase hex of the digest: the form Binance's request signatures use.
std::string hmac_sha256_hex(ByteView key, ByteView data);
inline std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    return hmac_sha256_hex(as_bytes(key), as_bytes(data));
}

}  // namespace tradingd::crypto
