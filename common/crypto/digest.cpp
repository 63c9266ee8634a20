// SHA-256 via OpenSSL's one-shot EVP_Digest.
#include "crypto/digest.h"

#include <openssl/evp.h>

#include "crypto/random.h"

namespace tradingd::crypto {

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throw CryptoError("SHA-256 failed");
    return hex_encode(ByteView(digest, len));
}

}  // namespace tradingd::crypto
