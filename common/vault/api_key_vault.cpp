// Sealing and opening agents' API keys. The plaintext is [u16 key length][key][secret], built and read in
// wiping buffers so the secret never sits in an ordinary string.
#include "vault/api_key_vault.h"

#include <stdexcept>

#include "crypto/random.h"
#include "util/log.h"

namespace tradingd::vault {
namespace {

std::string aad_for(std::int64_t agent_id) {
    return "tradingd/api-key/v1/agent=" + std::to_string(agent_id);
}

crypto::SecretBytes pack(const std::string& api_key, const crypto::SecretString& api_secret) {
    if (api_key.size() > 0xffff) throw std::invalid_argument("API key too long");
    auto out = crypto::SecretBytes::zeroed(2 + api_key.size() + api_secret.size());
    auto* p = out.mutable_data();
    p[0] = static_cast<std::uint8_t>(api_key.size() >> 8);
    p[1] = static_cast<std::uint8_t>(api_key.size() & 0xff);
    std::copy(api_key.begin(), api_key.end(), p + 2);
    std::copy(api_secret.data(), api_secret.data() + api_secret.size(), p + 2 + api_key.size());
    return out;
}

std::optional<ApiCredentials> unpack(const crypto::SecretBytes& plain) {
    if (plain.size() < 2) return std::nullopt;
    const auto* p = plain.data();
    std::size_t key_len = (static_cast<std::size_t>(p[0]) << 8) | p[1];
    if (plain.size() < 2 + key_len) return std::nullopt;
    ApiCredentials c;
    c.api_key.assign(reinterpret_cast<const char*>(p + 2), key_len);
    c.api_secret = crypto::SecretString(
        std::string_view(reinterpret_cast<const char*>(p + 2 + key_len), plain.size() - 2 - key_len));
    return c;
}

store::Blob to_blob(const crypto::Bytes& bytes) {
    return store::Blob{bytes};
}

}  // namespace

crypto::Keyring keyring_from(const config::Secrets& secrets) {
    crypto::Keyring ring;
    for (const auto* key : {&secrets.previous_data_key, &secrets.data_key}) {
        if (!*key) continue;
        auto raw = crypto::hex_decode((*key)->hex);
        if (!raw) throw std::invalid_argument("data key is not hex");
        ring.add((*key)->id, crypto::SecretBytes(std::move(*raw)));
    }
    if (secrets.data_key) ring.set_current(secrets.data_key->id);
    return ring;
}

std::string mask_api_key(const std::string& api_key) { return log::mask(api_key); }

std::int64_t link_api_key(store::Repository& repo, const crypto::Keyring& keys, std::int64_t agent_id,
                          const std::string& api_key, const crypto::SecretString& api_secret) {
    auto plain = pack(api_key, api_secret);
    auto blob = crypto::seal(keys, plain.bytes(), crypto::as_bytes(aad_for(agent_id)));
    store::Transaction tx(repo.connection());
    repo.revoke_api_keys(agent_id);
    auto id = repo.add_api_key(agent_id, mask_api_key(api_key), *keys.current_id(), to_blob(blob));
    tx.commit();
    return id;
}

std::optional<ApiCredentials> load_api_key(store::Repository& repo, const crypto::Keyring& keys,
                                           std::int64_t agent_id) {
    auto row = repo.active_api_key(agent_id);
    if (!row) return std::nullopt;
    auto plain = crypto::open(keys, row->ciphertext.bytes, crypto::as_bytes(aad_for(agent_id)));
    if (!plain)
        throw std::runtime_error("the stored API key of agent " + std::to_string(agent_id) +
                                 " does not decrypt with the configured data keys");
    auto creds = unpack(*plain);
    if (!creds)
        throw std::runtime_error("the stored API key of agent " + std::to_string(agent_id) + " is malformed");
    return creds;
}

std::int64_t reencrypt_all(store::Repository& repo, const crypto::Keyring& keys) {
    const auto current = keys.current_id();
    if (!current) throw std::logic_error("no current data key");
    store::Transaction tx(repo.connection());
    std::int64_t changed = 0;
    for (const auto& row : repo.all_api_keys()) {
        if (row.data_key_id == static_cast<std::int64_t>(*current)) continue;
        const auto aad = aad_for(row.agent_id);
        auto plain = crypto::open(keys, row.ciphertext.bytes, crypto::as_bytes(aad));
        if (!plain)
            throw std::runtime_error("API key row " + std::to_string(row.id) +
                                     " does not decrypt with the configured data keys; nothing was changed");
        auto blob = crypto::seal(keys, plain->bytes(), crypto::as_bytes(aad));
        repo.replace_api_key_ciphertext(row.id, *current, to_blob(blob));
        ++changed;
    }
    tx.commit();
    return changed;
}

}  // namespace tradingd::vault
