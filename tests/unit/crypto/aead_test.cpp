// AES-256-GCM: published known answers for the primitive, then the sealed-blob format's promises: fresh
// nonces, tamper evidence, agent binding through AAD, and key rotation.
#include <catch2/catch.hpp>

#include <algorithm>

#include "crypto/aead.h"
#include "crypto/random.h"

using namespace tradingd::crypto;

namespace {

Bytes unhex(std::string_view hex) {
    auto bytes = hex_decode(hex);
    REQUIRE(bytes);
    return *bytes;
}

struct GcmVector {
    const char* name;
    std::string_view key, iv, plaintext, aad, ciphertext, tag;
};

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)" (revised 2005, submitted to NIST), Appendix B,
// the AES-256 test cases 14, 15 and 16.
const GcmVector kGcmSpecVectors[] = {
    {"GCM spec test case 14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"GCM spec test case 15", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf"
     "5aa0de"
     "657ba637b391aafd255",
     "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6"
     "393ba7a"
     "0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"GCM spec test case 16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf"
     "5aa0de"
     "657ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6"
     "393ba7a"
     "0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    // NIST CAVP gcmEncryptExtIV256.rsp (Keylen 256, IVlen 96, PTlen 128, AADlen 160, Taglen 128), Count 0.
    {"NIST CAVP gcmEncryptExtIV256", "83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a",
     "0b459724904e010a46901cf3", "33d893a2114ce06fc15d55e454cf90c3",
     "794a14ccd178c8ebfd1379dc704c5e208f9d8424", "cc66bee423e3fcd4c0865715e9586696",
     "0fb291bd3dba94a1dfd8b286cfb97ac5"},
};

Keyring keyring_with(std::uint32_t id, const Bytes& key) {
    Keyring ring;
    ring.add(id, SecretBytes(Bytes(key)));
    REQUIRE(ring.set_current(id));
    return ring;
}

const std::string kApiSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

}  // namespace

TEST_CASE("aes256gcm_encrypt reproduces published known answers", "[crypto][aead][kat]") {
    for (const auto& v : kGcmSpecVectors) {
        INFO(v.name);
        const auto out = aes256gcm_encrypt(unhex(v.key), unhex(v.iv), unhex(v.plaintext), unhex(v.aad));
        CHECK(hex_encode(out.ciphertext) == v.ciphertext);
        CHECK(hex_encode(out.tag) == v.tag);

        const auto back =
            aes256gcm_decrypt(unhex(v.key), unhex(v.iv), unhex(v.ciphertext), unhex(v.aad), unhex(v.tag));
        REQUIRE(back);
        CHECK(hex_encode(back->bytes()) == v.plaintext);
    }
}

TEST_CASE("aes256gcm_decrypt rejects a wrong tag and wrong sizes", "[crypto][aead]") {
    const auto& v = kGcmSpecVectors[2];
    Bytes tag = unhex(v.tag);
    tag[0] ^= 1;
    CHECK_FALSE(aes256gcm_decrypt(unhex(v.key), unhex(v.iv), unhex(v.ciphertext), unhex(v.aad), tag));
    CHECK_FALSE(aes256gcm_decrypt(unhex(v.key), unhex(v.iv), unhex(v.ciphertext), unhex(v.aad),
                                  ByteView(unhex(v.tag)).first(12)));  // truncated tag
    CHECK_THROWS_AS(aes256gcm_encrypt(Bytes(16), Bytes(12), Bytes{}, Bytes{}), std::invalid_argument);
    CHECK_THROWS_AS(aes256gcm_encrypt(Bytes(32), Bytes(16), Bytes{}, Bytes{}), std::invalid_argument);
}

TEST_CASE("a sealed API secret opens with the same keyring and AAD", "[crypto][aead]") {
    const Keyring ring = keyring_with(7, random_bytes(32));
    const Bytes blob = seal(ring, as_bytes(kApiSecret), as_bytes("agent:42"));

    CHECK(blob.size() == kSealedOverhead + kApiSecret.size());
    CHECK(blob[0] == kSealedBlobVersion);
    CHECK(key_id_of(blob) == 7u);
    // The plaintext does not appear in the blob.
    CHECK(std::search(blob.begin(), blob.end(), kApiSecret.begin(), kApiSecret.end()) == blob.end());

    const auto opened = open(ring, blob, as_bytes("agent:42"));
    REQUIRE(opened);
    CHECK(as_chars(opened->bytes()) == kApiSecret);
}

TEST_CASE("a blob copied to another agent's row fails to open", "[crypto][aead]") {
    const Keyring ring = keyring_with(1, random_bytes(32));
    const Bytes blob_of_agent_42 = seal(ring, as_bytes(kApiSecret), as_bytes("agent:42"));
    CHECK_FALSE(open(ring, blob_of_agent_42, as_bytes("agent:43")));
    CHECK_FALSE(open(ring, blob_of_agent_42, as_bytes("agent:4")));
    CHECK_FALSE(open(ring, blob_of_agent_42, as_bytes("")));
    CHECK(open(ring, blob_of_agent_42, as_bytes("agent:42")));
}

TEST_CASE("two seals of the same plaintext use different nonces", "[crypto][aead]") {
    const Keyring ring = keyring_with(1, random_bytes(32));
    const Bytes a = seal(ring, as_bytes(kApiSecret), as_bytes("agent:1"));
    const Bytes b = seal(ring, as_bytes(kApiSecret), as_bytes("agent:1"));
    const ByteView nonce_a = ByteView(a).subspan(kSealedHeaderSize, kGcmNonceSize);
    const ByteView nonce_b = ByteView(b).subspan(kSealedHeaderSize, kGcmNonceSize);
    CHECK_FALSE(std::equal(nonce_a.begin(), nonce_a.end(), nonce_b.begin()));
    CHECK(a != b);
}

TEST_CASE("flipping any single bit of a blob makes it fail to open", "[crypto][aead]") {
    const Keyring ring = keyring_with(0x01020304, random_bytes(32));
    const Bytes blob = seal(ring, as_bytes("api-secret-0123456789"), as_bytes("agent:9"));
    REQUIRE(open(ring, blob, as_bytes("agent:9")));
    int opened = 0;
    for (std::size_t byte = 0; byte < blob.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes tampered = blob;
            tampered[byte] ^= static_cast<std::uint8_t>(1u << bit);
            if (open(ring, tampered, as_bytes("agent:9"))) ++opened;
        }
    }
    CHECK(opened == 0);
}

TEST_CASE("truncated, extended or foreign blobs fail closed", "[crypto][aead]") {
    const Keyring ring = keyring_with(1, random_bytes(32));
    const Bytes blob = seal(ring, as_bytes("secret"), as_bytes("agent:1"));
    for (std::size_t n = 0; n < blob.size(); ++n) {
        CHECK_FALSE(open(ring, ByteView(blob).first(n), as_bytes("agent:1")));
    }
    Bytes longer = blob;
    longer.push_back(0);
    CHECK_FALSE(open(ring, longer, as_bytes("agent:1")));
    CHECK_FALSE(key_id_of(Bytes(5, 0)));
    Bytes future_version = blob;
    future_version[0] = 2;
    CHECK_FALSE(key_id_of(future_version));
    CHECK_FALSE(open(ring, future_version, as_bytes("agent:1")));
}

TEST_CASE("an empty plaintext seals and opens", "[crypto][aead]") {
    const Keyring ring = keyring_with(1, random_bytes(32));
    const Bytes blob = seal(ring, ByteView{}, as_bytes("agent:1"));
    CHECK(blob.size() == kSealedOverhead);
    const auto opened = open(ring, blob, as_bytes("agent:1"));
    REQUIRE(opened);
    CHECK(opened->empty());
}

TEST_CASE("key rotation: old blobs open while both keys are held, new seals use the current key",
          "[crypto][aead][rotation]") {
    const Bytes old_key = random_bytes(32);
    Keyring ring = keyring_with(1, old_key);
    const Bytes old_blob = seal(ring, as_bytes(kApiSecret), as_bytes("agent:5"));

    ring.add(2, SecretBytes(random_bytes(32)));
    REQUIRE(ring.set_current(2));
    const Bytes new_blob = seal(ring, as_bytes(kApiSecret), as_bytes("agent:5"));
    CHECK(key_id_of(old_blob) == 1u);
    CHECK(key_id_of(new_blob) == 2u);
    CHECK(open(ring, old_blob, as_bytes("agent:5")));
    CHECK(open(ring, new_blob, as_bytes("agent:5")));

    // Re-seal the old blob under the current key, then retire key 1.
    const auto plain = open(ring, old_blob, as_bytes("agent:5"));
    REQUIRE(plain);
    const Bytes resealed = seal(ring, plain->bytes(), as_bytes("agent:5"));
    ring.remove(1);
    CHECK(ring.ids() == std::vector<std::uint32_t>{2});
    CHECK_FALSE(open(ring, old_blob, as_bytes("agent:5")));  // unknown key id
    CHECK(open(ring, resealed, as_bytes("agent:5")));
}

TEST_CASE("a blob whose key id is rewritten to another held key fails", "[crypto][aead][rotation]") {
    Keyring ring = keyring_with(1, random_bytes(32));
    ring.add(2, SecretBytes(random_bytes(32)));
    Bytes blob = seal(ring, as_bytes("secret"), as_bytes("agent:1"));
    blob[4] = 2;
    CHECK(key_id_of(blob) == 2u);
    CHECK_FALSE(open(ring, blob, as_bytes("agent:1")));
}

TEST_CASE("the keyring refuses keys that are not 32 bytes and seals only with a current key",
          "[crypto][aead]") {
    Keyring ring;
    CHECK_THROWS_AS(ring.add(1, SecretBytes(Bytes(16))), std::invalid_argument);
    CHECK_FALSE(ring.set_current(1));
    CHECK_THROWS_AS(seal(ring, as_bytes("x"), as_bytes("agent:1")), std::logic_error);
    CHECK_THROWS_AS(seal(Bytes(31), 1, as_bytes("x"), as_bytes("agent:1")), std::invalid_argument);
}
