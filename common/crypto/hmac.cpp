// HMAC-SHA256 for JWT HS256, through OpenSSL 3's EVP_MAC interface (HMAC_CTX is deprecated there).
#include "crypto/hmac_internal.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/openssl_handles.h"

namespace tradingd::crypto::detail {

namespace {

// Fetching the algorithm walks the provider tables; do it once. EVP_MAC objects are safe to share between
// threads once fetched, and each call gets its own EVP_MAC_CTX.
EVP_MAC* hmac_algorithm() {
    static const Mac mac = [] {
        Mac m(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
        if (!m) throw_openssl_error("EVP_MAC_fetch(HMAC) failed");
        return m;
    }();
    return mac.get();
}

}  // namespace

Sha256Digest hmac_sha256(ByteView key, ByteView data) {
    MacCtx ctx(EVP_MAC_CTX_new(hmac_algorithm()));
    if (!ctx) throw_openssl_error("EVP_MAC_CTX_new failed");

    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
    static const std::uint8_t kEmpty = 0;
    const std::uint8_t* key_ptr = key.empty() ? &kEmpty : key.data();
    if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1) throw_openssl_error("EVP_MAC_init failed");
    if (!data.empty() && EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1) {
        throw_openssl_error("EVP_MAC_update failed");
    }
    Sha256Digest out{};
    std::size_t len = 0;
    if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
        throw_openssl_error("EVP_MAC_final failed");
    }
    return out;
}

}  // namespace tradingd::crypto::detail
