// Internal to libtradingd_crypto: unique_ptr owners for the OpenSSL handles it uses, so that no early return
// or exception can leak one.
#pragma once

#include <openssl/evp.h>

#include <memory>

namespace tradingd::crypto::detail {

template <auto Free>
struct OpenSslFree {
    template <class T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, OpenSslFree<&EVP_CIPHER_CTX_free>>;
using Mac = std::unique_ptr<EVP_MAC, OpenSslFree<&EVP_MAC_free>>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, OpenSslFree<&EVP_MAC_CTX_free>>;

}  // namespace tradingd::crypto::detail
