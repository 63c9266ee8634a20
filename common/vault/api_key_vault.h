// Agents' exchange API keys at rest: sealed with AES-256-GCM under the current data key, bound to the
// agent by the associated data, so a blob copied to another agent's row does not decrypt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.h"
#include "crypto/aead.h"
#include "crypto/secret.h"
#include "store/repository.h"

namespace tradingd::vault {

struct ApiCredentials {
    std::string api_key;  // not secret on its own, but only its mask is ever shown
    crypto::SecretString api_secret;
};

// The data keys from the environment: the current one, and the previous one during a rotation.
crypto::Keyring keyring_from(const config::Secrets& secrets);

// "abcd…wxyz": the only form of an API key that leaves the daemon.
std::string mask_api_key(const std::string& api_key);

// Encrypts and stores a new active key for the agent (older ones are revoked). Returns the row id.
std::int64_t link_api_key(store::Repository& repo, const crypto::Keyring& keys, std::int64_t agent_id,
                          const std::string& api_key, const crypto::SecretString& api_secret);

// Decrypts the agent's active key; nullopt when none is linked. Throws when the blob does not open
// (wrong data key, or tampered): that is a configuration or integrity fault, never a normal outcome.
std::optional<ApiCredentials> load_api_key(store::Repository& repo, const crypto::Keyring& keys,
                                           std::int64_t agent_id);

// Re-encrypts every stored key under the keyring's current key, in one transaction. Returns the number of
// rows re-encrypted (rows already under the current key are left alone).
std::int64_t reencrypt_all(store::Repository& repo, const crypto::Keyring& keys);

}  // namespace tradingd::vault
