// Internal to libtradingd_crypto: the HMAC-SHA256 (RFC 2104) under JWT HS256. Not a public API: Binance
// request signing has its own in exchange/signing.h, and one public HMAC per concern is enough.
#pragma once

#include <array>

#include "crypto/bytes.h"

namespace tradingd::crypto::detail {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<std::uint8_t, kSha256Size>;

// Any key length, the empty key included, as RFC 2104 allows. Throws CryptoError only if OpenSSL fails.
Sha256Digest hmac_sha256(ByteView key, ByteView data);

}  // namespace tradingd::crypto::detail
