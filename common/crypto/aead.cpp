// AES-256-GCM through OpenSSL's EVP interface, and the versioned, key-id-tagged blob format in aead.h.
#include "crypto/aead.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

#include "crypto/openssl_handles.h"
#include "crypto/random.h"

namespace tradingd::crypto {

namespace {

void check_sizes(ByteView key, ByteView nonce) {
    if (key.size() != kDataKeySize) throw std::invalid_argument("AES-256-GCM key must be 32 bytes");
    if (nonce.size() != kGcmNonceSize) throw std::invalid_argument("AES-256-GCM nonce must be 12 bytes");
}

int as_int_length(std::size_t n) {
    // API key material is tiny; refuse sizes EVP's int lengths cannot carry rather than truncate them.
    if (n > INT_MAX) throw std::invalid_argument("AES-256-GCM input too large");
    return static_cast<int>(n);
}

detail::CipherCtx new_gcm_context() {
    detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throw_openssl_error("EVP_CIPHER_CTX_new failed");
    return ctx;
}

std::array<std::uint8_t, kSealedHeaderSize> header_for(std::uint32_t key_id) {
    return {kSealedBlobVersion, static_cast<std::uint8_t>(key_id >> 24),
            static_cast<std::uint8_t>(key_id >> 16), static_cast<std::uint8_t>(key_id >> 8),
            static_cast<std::uint8_t>(key_id)};
}

// What GCM authenticates besides the ciphertext: the blob header, then the caller's AAD.
// (Sized up front and copied into: g++ 12 raises a false -Warray-bounds on vector::insert here.)
Bytes full_aad(ByteView header, ByteView aad) {
    Bytes out(header.size() + aad.size());
    std::copy(aad.begin(), aad.end(), std::copy(header.begin(), header.end(), out.begin()));
    return out;
}

}  // namespace

GcmCiphertext aes256gcm_encrypt(ByteView key, ByteView nonce, ByteView plaintext, ByteView aad) {
    check_sizes(key, nonce);
    auto ctx = new_gcm_context();
    // The default GCM IV length in OpenSSL is already 12 bytes, which is the one length GCM handles without
    // hashing the IV; nothing to set.
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) {
        throw_openssl_error("EVP_EncryptInit_ex(AES-256-GCM) failed");
    }
    int len = 0;
    if (!aad.empty() &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), as_int_length(aad.size())) != 1) {
        throw_openssl_error("EVP_EncryptUpdate(AAD) failed");
    }
    GcmCiphertext out;
    out.ciphertext.resize(plaintext.size());
    int written = 0;
    if (!plaintext.empty()) {
        if (EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &len, plaintext.data(),
                              as_int_length(plaintext.size())) != 1) {
            throw_openssl_error("EVP_EncryptUpdate failed");
        }
        written = len;
    }
    // GCM is a stream mode: Final writes nothing, but it must run to compute the tag.
    if (EVP_EncryptFinal_ex(ctx.get(), out.ciphertext.data() + written, &len) != 1) {
        throw_openssl_error("EVP_EncryptFinal_ex failed");
    }
    if (static_cast<std::size_t>(written + len) != plaintext.size())
        throw CryptoError("AES-256-GCM length mismatch");
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize), out.tag.data()) !=
        1) {
        throw_openssl_error("EVP_CTRL_GCM_GET_TAG failed");
    }
    return out;
}

std::optional<SecretBytes> aes256gcm_decrypt(ByteView key, ByteView nonce, ByteView ciphertext, ByteView aad,
                                             ByteView tag) {
    check_sizes(key, nonce);
    // A short tag would make forgery easier; only the full 16 bytes is ever written, so only that is
    // accepted.
    if (tag.size() != kGcmTagSize) return std::nullopt;
    auto ctx = new_gcm_context();
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1) {
        throw_openssl_error("EVP_DecryptInit_ex(AES-256-GCM) failed");
    }
    int len = 0;
    if (!aad.empty() &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), as_int_length(aad.size())) != 1) {
        throw_openssl_error("EVP_DecryptUpdate(AAD) failed");
    }
    // Decrypt straight into wiped-on-destruction memory: on a tag mismatch the unauthenticated plaintext is
    // destroyed with it and never reaches the caller.
    SecretBytes plain = SecretBytes::zeroed(ciphertext.size());
    if (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), plain.mutable_data(), &len, ciphertext.data(),
                                                 as_int_length(ciphertext.size())) != 1) {
        throw_openssl_error("EVP_DecryptUpdate failed");
    }
    const int written = ciphertext.empty() ? 0 : len;
    // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only copies from it.
    std::array<std::uint8_t, kGcmTagSize> expected_tag{};
    std::copy(tag.begin(), tag.end(), expected_tag.begin());
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                            expected_tag.data()) != 1) {
        throw_openssl_error("EVP_CTRL_GCM_SET_TAG failed");
    }
    std::array<std::uint8_t, 16> final_block{};  // GCM writes nothing here; OpenSSL just wants a buffer
    if (EVP_DecryptFinal_ex(ctx.get(), final_block.data(), &len) != 1) {
        // The tag did not verify: an expected outcome, so leave nothing on this thread's OpenSSL error queue
        // for an unrelated later caller to misreport.
        ERR_clear_error();
        return std::nullopt;
    }
    if (static_cast<std::size_t>(written) != ciphertext.size() || len != 0) {
        throw CryptoError("AES-256-GCM length mismatch");
    }
    return plain;
}

void Keyring::add(std::uint32_t id, SecretBytes key) {
    if (key.size() != kDataKeySize) throw std::invalid_argument("data key must be 32 bytes");
    keys_.insert_or_assign(id, std::move(key));
}

bool Keyring::set_current(std::uint32_t id) {
    if (!keys_.contains(id)) return false;
    current_ = id;
    return true;
}

void Keyring::remove(std::uint32_t id) {
    keys_.erase(id);
    if (current_ == id) current_.reset();
}

const SecretBytes* Keyring::find(std::uint32_t id) const {
    auto it = keys_.find(id);
    return it == keys_.end() ? nullptr : &it->second;
}

std::vector<std::uint32_t> Keyring::ids() const {
    std::vector<std::uint32_t> out;
    for (const auto& [id, key] : keys_) out.push_back(id);
    return out;
}

Bytes seal(ByteView key, std::uint32_t key_id, ByteView plaintext, ByteView aad) {
    if (key.size() != kDataKeySize) throw std::invalid_argument("data key must be 32 bytes");
    const auto header = header_for(key_id);
    const Bytes nonce = random_bytes(kGcmNonceSize);
    const GcmCiphertext sealed = aes256gcm_encrypt(key, nonce, plaintext, full_aad(header, aad));

    Bytes blob(kSealedOverhead + sealed.ciphertext.size());
    auto out = std::copy(header.begin(), header.end(), blob.begin());
    out = std::copy(nonce.begin(), nonce.end(), out);
    out = std::copy(sealed.ciphertext.begin(), sealed.ciphertext.end(), out);
    std::copy(sealed.tag.begin(), sealed.tag.end(), out);
    return blob;
}

Bytes seal(const Keyring& keyring, ByteView plaintext, ByteView aad) {
    const auto id = keyring.current_id();
    if (!id) throw std::logic_error("keyring has no current data key");
    return seal(keyring.find(*id)->bytes(), *id, plaintext, aad);
}

std::optional<std::uint32_t> key_id_of(ByteView blob) {
    if (blob.size() < kSealedOverhead || blob[0] != kSealedBlobVersion) return std::nullopt;
    return std::uint32_t{blob[1]} << 24 | std::uint32_t{blob[2]} << 16 | std::uint32_t{blob[3]} << 8 |
           blob[4];
}

std::optional<SecretBytes> open(const Keyring& keyring, ByteView blob, ByteView aad) {
    const auto id = key_id_of(blob);
    if (!id) return std::nullopt;
    const SecretBytes* key = keyring.find(*id);
    if (!key) return std::nullopt;

    const ByteView header = blob.first(kSealedHeaderSize);
    const ByteView nonce = blob.subspan(kSealedHeaderSize, kGcmNonceSize);
    const ByteView ciphertext =
        blob.subspan(kSealedHeaderSize + kGcmNonceSize, blob.size() - kSealedOverhead);
    const ByteView tag = blob.last(kGcmTagSize);
    return aes256gcm_decrypt(key->bytes(), nonce, ciphertext, full_aad(header, aad), tag);
}

}  // namespace tradingd::crypto
