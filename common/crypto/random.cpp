// CSPRNG access, hex and base64url codecs, constant-time comparison, and the OpenSSL error helper.
#include "crypto/random.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <climits>

namespace tradingd::crypto {

void throw_openssl_error(const char* what) {
    std::string message = what;
    if (unsigned long code = ERR_get_error(); code != 0) {
        std::array<char, 256> buf{};
        ERR_error_string_n(code, buf.data(), buf.size());
        message += ": ";
        message += buf.data();
    }
    ERR_clear_error();
    throw CryptoError(message);
}

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    // RAND_bytes takes an int; draw in chunks so a large request cannot be silently truncated.
    for (std::size_t done = 0; done < n;) {
        const int chunk = static_cast<int>(std::min<std::size_t>(n - done, INT_MAX));
        if (RAND_bytes(out.data() + done, chunk) != 1) throw_openssl_error("RAND_bytes failed");
        done += static_cast<std::size_t>(chunk);
    }
    return out;
}

std::string random_hex(std::size_t n_bytes) {
    Bytes raw = random_bytes(n_bytes);
    std::string hex = hex_encode(raw);
    OPENSSL_cleanse(raw.data(), raw.size());
    return hex;
}

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int base64url_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

}  // namespace

std::string hex_encode(ByteView data) {
    std::string out;
    out.reserve(data.size() * 2);
    for (std::uint8_t b : data) {
        out += kHexDigits[b >> 4];
        out += kHexDigits[b & 0x0F];
    }
    return out;
}

std::optional<Bytes> hex_decode(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    Bytes out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hex_value(hex[i]);
        const int lo = hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    return out;
}

std::string base64url_encode(ByteView data) {
    std::string out;
    out.reserve((data.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t v = std::uint32_t{data[i]} << 16 | std::uint32_t{data[i + 1]} << 8 | data[i + 2];
        out += kBase64UrlAlphabet[v >> 18 & 63];
        out += kBase64UrlAlphabet[v >> 12 & 63];
        out += kBase64UrlAlphabet[v >> 6 & 63];
        out += kBase64UrlAlphabet[v & 63];
    }
    if (const std::size_t rest = data.size() - i; rest == 1) {
        const std::uint32_t v = std::uint32_t{data[i]} << 16;
        out += kBase64UrlAlphabet[v >> 18 & 63];
        out += kBase64UrlAlphabet[v >> 12 & 63];
    } else if (rest == 2) {
        const std::uint32_t v = std::uint32_t{data[i]} << 16 | std::uint32_t{data[i + 1]} << 8;
        out += kBase64UrlAlphabet[v >> 18 & 63];
        out += kBase64UrlAlphabet[v >> 12 & 63];
        out += kBase64UrlAlphabet[v >> 6 & 63];
    }
    return out;
}

std::optional<Bytes> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    Bytes out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64url_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6 | static_cast<std::uint32_t>(v)) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(acc >> bits));
        }
    }
    // Leftover bits must be zero; otherwise two different texts would decode to the same bytes.
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

bool constant_time_equal(ByteView a, ByteView b) {
    const bool same_size = a.size() == b.size();
    // On a size mismatch, still do a full-length comparison (of `a` with itself) so the time taken does not
    // depend on the contents; the result is then discarded.
    const int diff = a.empty() ? 0 : CRYPTO_memcmp(a.data(), same_size ? b.data() : a.data(), a.size());
    return same_size & (diff == 0);
}

}  // namespace tradingd::crypto
