// HMAC-SHA256 through OpenSSL 3's EVP_MAC, with every handle owned by a unique_ptr.
#include "exchange/signing.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace tradingd::exchange {

namespace {

struct MacFree {
    void operator()(EVP_MAC* p) const noexcept { EVP_MAC_free(p); }
};
struct MacCtxFree {
    void operator()(EVP_MAC_CTX* p) const noexcept { EVP_MAC_CTX_free(p); }
};
using Mac = std::unique_ptr<EVP_MAC, MacFree>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

constexpr char kHex[] = "0123456789abcdef";

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

// Fetching the algorithm is the costly step; the fetched object is immutable and safe to share.
const EVP_MAC* hmac_algorithm() {
    static const Mac mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) throw std::runtime_error("OpenSSL has no HMAC implementation");
    return mac.get();
}

}  // namespace

std::string url_encode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += "0123456789ABCDEF"[c >> 4];
            out += "0123456789ABCDEF"[c & 0x0F];
        }
    }
    return out;
}

std::string build_query(const QueryParams& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out += '&';
        out += url_encode(key);
        out += '=';
        out += url_encode(value);
    }
    return out;
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view payload) {
    if (secret.empty()) throw std::invalid_argument("HMAC secret is empty");
    MacCtx ctx(EVP_MAC_CTX_new(const_cast<EVP_MAC*>(hmac_algorithm())));
    if (!ctx) throw std::runtime_error("EVP_MAC_CTX_new failed");
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t out_len = 0;
    if (EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     params) != 1 ||
        EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) !=
            1 ||
        EVP_MAC_final(ctx.get(), out, &out_len, sizeof out) != 1) {
        throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");
    }
    std::string hex;
    hex.reserve(out_len * 2);
    for (std::size_t i = 0; i < out_len; ++i) {
        hex += kHex[out[i] >> 4];
        hex += kHex[out[i] & 0x0F];
    }
    return hex;
}

std::string sign(const QueryParams& params, std::string_view secret) {
    for (const auto& param : params) {
        if (param.first == "signature") throw std::invalid_argument("parameters already contain a signature");
    }
    std::string query = build_query(params);
    const std::string signature = hmac_sha256_hex(secret, query);
    if (!query.empty()) query += '&';
    query += "signature=";
    query += signature;
    return query;
}

}  // namespace tradingd::exchange
