// AES-256-GCM sealing of API key material at rest, with a key id in every blob so data keys can be rotated.
//
// Blob format, version 1 (all of it is authenticated):
//   offset 0   1 byte   version = 0x01
//   offset 1   4 bytes  key id, unsigned big-endian
//   offset 5   12 bytes nonce, fresh from the CSPRNG for every seal
//   offset 17  n bytes  ciphertext (same length as the plaintext)
//   offset 17+n 16 bytes GCM tag
// Random 96-bit nonces are safe for up to 2^32 seals per key (NIST SP 800-38D §8.3); API keys number in the
// thousands, and rotation starts a new key's count.
// The GCM associated data is the 5-byte header followed by the caller's AAD, so the version and key id cannot
// be altered either. Callers pass the owning agent's id (and the field) as AAD: a blob copied to another
// agent's row, or from the key column to the secret column, then fails to open.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/secret.h"

namespace tradingd::crypto {

inline constexpr std::size_t kDataKeySize = 32;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;
inline constexpr std::uint8_t kSealedBlobVersion = 1;
inline constexpr std::size_t kSealedHeaderSize = 1 + 4;
inline constexpr std::size_t kSealedOverhead = kSealedHeaderSize + kGcmNonceSize + kGcmTagSize;

// Low level, for known-answer tests and the sealing below. The caller owns nonce uniqueness: never reuse a
// nonce with the same key (GCM then leaks the XOR of plaintexts and the authentication key).
struct GcmCiphertext {
    Bytes ciphertext;
    std::array<std::uint8_t, kGcmTagSize> tag{};
};
// Throws std::invalid_argument for a key that is not 32 bytes or a nonce that is not 12 bytes.
GcmCiphertext aes256gcm_encrypt(ByteView key, ByteView nonce, ByteView plaintext, ByteView aad);
// nullopt if the tag does not match (wrong key, nonce, AAD, or any altered byte).
std::optional<SecretBytes> aes256gcm_decrypt(ByteView key, ByteView nonce, ByteView ciphertext, ByteView aad,
                                             ByteView tag);

// Data keys by id: open() accepts a blob under any key held here; seal() uses the current one. Rotation: add
// the new key, make it current, re-seal every blob, then drop the old key.
class Keyring {
  public:
    // Throws std::invalid_argument unless the key is exactly 32 bytes. Replaces a key with the same id.
    void add(std::uint32_t id, SecretBytes key);
    // false if no key with that id is held.
    bool set_current(std::uint32_t id);
    void remove(std::uint32_t id);

    std::optional<std::uint32_t> current_id() const { return current_; }
    const SecretBytes* find(std::uint32_t id) const;
    std::vector<std::uint32_t> ids() const;

  private:
    std::map<std::uint32_t, SecretBytes> keys_;
    std::optional<std::uint32_t> current_;
};

// Seals under `key` (32 bytes) and records `key_id` in the blob. Throws std::invalid_argument for a bad key
// size.
Bytes seal(ByteView key, std::uint32_t key_id, ByteView plaintext, ByteView aad);
// Seals under the keyring's current key; throws std::logic_error if none is set.
Bytes seal(const Keyring& keyring, ByteView plaintext, ByteView aad);
// Fails closed: nullopt for a truncated blob, an unknown version or key id, a wrong AAD, or any altered bit.
std::optional<SecretBytes> open(const Keyring& keyring, ByteView blob, ByteView aad);
// The key id recorded in a blob (for finding blobs still under an old key), or nullopt if it is not a blob.
std::optional<std::uint32_t> key_id_of(ByteView blob);

}  // namespace tradingd::crypto
