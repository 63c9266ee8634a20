// Key, permission, timestamp and HMAC-SHA256 checks, implemented independently of the project's client
// so that the two agreeing is itself a test.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <httplib.h>
#include <algorithm>
#include <cctype>

#include "app.h"
#include "pipeline.h"

namespace fake {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Splits off `signature`, which must be the last parameter of query+body. Returns the signed payload:
// the query string followed directly by the body, exactly as sent, without the signature parameter.
bool split_signature(std::string_view query, std::string_view body, std::string& payload,
                     std::string& signature) {
    std::string_view holder = body.empty() ? query : body;
    size_t amp = holder.rfind('&');
    std::string_view last = amp == std::string_view::npos ? holder : holder.substr(amp + 1);
    if (last.substr(0, 10) != "signature=") return false;
    signature = std::string(last.substr(10));
    std::string_view rest = amp == std::string_view::npos ? std::string_view{} : holder.substr(0, amp);
    payload = body.empty() ? std::string(rest) : std::string(query) + std::string(rest);
    return true;
}

[[noreturn]] void key_rejected(const std::string& ip) {
    reject(-2015, "Invalid API-key, IP, or permissions for action, request ip: " + ip, 401);
}

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view payload) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &len);
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[mac[i] >> 4];
        out += kHex[mac[i] & 15];
    }
    return out;
}

void authenticate(Ctx& ctx, const httplib::Request& req, Security security) {
    if (security == Security::None) return;
    std::string key = req.get_header_value("X-MBX-APIKEY");
    if (key.empty() || key.size() > 128) reject(-2014, "API-key format invalid.", 401);
    bool futures = ctx.path.rfind("/fapi/", 0) == 0;
    std::string secret = ctx.app.world.with([&](World& w) {
        auto it = w.accounts.find(key);
        if (it == w.accounts.end()) key_rejected(ctx.ip);
        const Restrictions& r = it->second.restrictions;
        bool ip_ok = !r.ip_restrict || r.allowed_ips.empty() ||
                     std::find(r.allowed_ips.begin(), r.allowed_ips.end(), ctx.ip) != r.allowed_ips.end();
        if (!ip_ok || !r.enable_reading || (futures && !r.enable_futures)) key_rejected(ctx.ip);
        return it->second.secret;
    });
    if (security == Security::Signed) {
        auto sent = ctx.params.integer("timestamp");
        if (!sent)
            reject(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
        std::int64_t ts = *sent;
        std::int64_t window = ctx.params.integer("recvWindow").value_or(5000);
        if (ts >= ctx.now + 1000)
            reject(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        if (ctx.now - ts > window) reject(-1021, "Timestamp for this request is outside of the recvWindow.");
        std::string_view target = req.target;
        size_t q = target.find('?');
        std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
        std::string payload, signature;
        if (!split_signature(query, req.body, payload, signature)) {
            if (!ctx.params.has("signature"))
                reject(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
            reject(-1022, "Signature for this request is not valid.");  // present, but not the last parameter
        }
        std::string expected = hmac_sha256_hex(secret, payload);
        std::string got = lower(signature);
        if (got.size() != expected.size() || CRYPTO_memcmp(got.data(), expected.data(), got.size()) != 0)
            reject(-1022, "Signature for this request is not valid.");
    }
    ctx.api_key = key;
}

}  // namespace fake
