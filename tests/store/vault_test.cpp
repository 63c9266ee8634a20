// Encrypted API keys in a real store on both backends: bound to their agent, readable across a data-key
// rotation, never stored in clear.
#include <catch2/catch.hpp>

#include "crypto/random.h"
#include "store/migrator.h"
#include "store_fixture.h"
#include "vault/api_key_vault.h"

using namespace tradingd;

namespace {

config::Secrets secrets_with(std::uint32_t id, std::optional<std::uint32_t> previous_id = std::nullopt) {
    config::Secrets s;
    s.data_key = config::Secrets::DataKey{id, std::string(64, static_cast<char>('0' + id))};
    if (previous_id)
        s.previous_data_key =
            config::Secrets::DataKey{*previous_id, std::string(64, static_cast<char>('0' + *previous_id))};
    return s;
}

}  // namespace

TEST_CASE("an API key round-trips, is stored sealed, and only its mask is kept in clear", "[vault]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    store::Repository repo(s.conn());
    auto agent = repo.create_agent(repo.create_user("k@x.io", "h", "agent"), "K");
    const std::string key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    const crypto::SecretString secret(
        std::string_view("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));
    auto keys = vault::keyring_from(secrets_with(1));
    vault::link_api_key(repo, keys, agent, key, secret);

    auto row = repo.active_api_key(agent);
    REQUIRE(row);
    CHECK(row->key_masked ==
          "vmPU\xE2\x80\xA6"
          "Eh8A");
    std::string stored(row->ciphertext.bytes.begin(), row->ciphertext.bytes.end());
    CHECK(stored.find(key) == std::string::npos);
    CHECK(stored.find(std::string(secret.view())) == std::string::npos);

    auto loaded = vault::load_api_key(repo, keys, agent);
    REQUIRE(loaded);
    CHECK(loaded->api_key == key);
    CHECK(loaded->api_secret.view() == secret.view());

    // Linking again revokes the old key: one active key per agent.
    vault::link_api_key(repo, keys, agent, key, secret);
    CHECK(repo.all_api_keys().size() == 2);
    CHECK(repo.active_api_key(agent)->id == repo.all_api_keys().back().id);
}

TEST_CASE("a sealed key copied to another agent's row does not decrypt", "[vault]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    store::Repository repo(s.conn());
    auto alice = repo.create_agent(repo.create_user("a@x.io", "h", "agent"), "A");
    auto mallory = repo.create_agent(repo.create_user("m@x.io", "h", "agent"), "M");
    auto keys = vault::keyring_from(secrets_with(1));
    vault::link_api_key(repo, keys, alice, "AAAAaaaaBBBBbbbbCCCCcccc",
                        crypto::SecretString(std::string_view("secret-of-alice-123")));
    auto blob = repo.active_api_key(alice)->ciphertext;
    repo.add_api_key(mallory, "copied", 1, blob);
    CHECK_THROWS_WITH(vault::load_api_key(repo, keys, mallory), Catch::Contains("does not decrypt"));
    CHECK(vault::load_api_key(repo, keys, alice));
}

TEST_CASE("re-encryption moves every key to the new data key in one pass", "[vault]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    store::Repository repo(s.conn());
    auto old_keys = vault::keyring_from(secrets_with(1));
    std::vector<std::int64_t> agents;
    for (int i = 0; i < 5; ++i) {
        auto a = repo.create_agent(repo.create_user("u" + std::to_string(i) + "@x.io", "h", "agent"), "U");
        vault::link_api_key(repo, old_keys, a, "KEYkeyKEYkey" + std::to_string(i) + "xxxxxxxx",
                            crypto::SecretString(std::string_view("sec-" + std::to_string(i) + "-abcdefgh")));
        agents.push_back(a);
    }
    auto rotating = vault::keyring_from(secrets_with(2, 1));
    CHECK(vault::reencrypt_all(repo, rotating) == 5);
    CHECK(vault::reencrypt_all(repo, rotating) == 0);  // a second run finds nothing left to do
    auto new_only = vault::keyring_from(secrets_with(2));
    for (std::size_t i = 0; i < agents.size(); ++i) {
        auto c = vault::load_api_key(repo, new_only, agents[i]);
        REQUIRE(c);
        CHECK(c->api_secret.view() == "sec-" + std::to_string(i) + "-abcdefgh");
        CHECK(repo.active_api_key(agents[i])->data_key_id == 2);
    }
    CHECK_THROWS(vault::load_api_key(repo, old_keys, agents[0]));  // the old key alone no longer opens them
}
