// Randomness from OpenSSL's CSPRNG, hex and base64url codecs, and a constant-time comparison.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace tradingd::crypto {

// `n` bytes from RAND_bytes; throws CryptoError if the CSPRNG cannot deliver (never returns weak bytes).
Bytes random_bytes(std::size_t n);
// `n_bytes` random bytes as 2*n_bytes lowercase hex digits (what `openssl rand -hex N` prints).
std::string random_hex(std::size_t n_bytes);

// Lowercase hex.
std::string hex_encode(ByteView data);
inline std::string hex_encode(std::string_view data) {
    return hex_encode(as_bytes(data));
}
// Accepts upper or lower case; nullopt on odd length or any non-hex character.
std::optional<Bytes> hex_decode(std::string_view hex);

// RFC 4648 §5 alphabet without '=' padding, as JWT (RFC 7515 §2) requires.
std::string base64url_encode(ByteView data);
inline std::string base64url_encode(std::string_view data) {
    return base64url_encode(as_bytes(data));
}
// Strict: nullopt on padding, whitespace, characters outside the alphabet, an impossible length (4k+1), or
// non-zero trailing bits, so that every byte string has exactly one accepted encoding.
std::optional<Bytes> base64url_decode(std::string_view text);

// Compares contents in time independent of where they differ. Lengths are treated as public: unequal lengths
// return false after the same amount of work as comparing `a` with itself.
bool constant_time_equal(ByteView a, ByteView b);
inline bool constant_time_equal(std::string_view a, std::string_view b) {
    return constant_time_equal(as_bytes(a), as_bytes(b));
}

}  // namespace tradingd::crypto
