// A real fake-binance child process for client tests: started on a free port, driven through its /_fake/
// admin API, stopped (and reaped) when the test ends.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "exchange/binance_client.h"
#include "exchange/http_transport.h"

namespace tradingd::test {

inline constexpr const char* kFakeKey = "testkey-0123456789abcdef";
inline constexpr const char* kFakeSecret = "testsecret-fedcba9876543210";

class FakeBinance {
  public:
    // Starts `fake-binance --listen 127.0.0.1:0 --account KEY:SECRET:BALANCE --seed SEED` and waits for its
    // "listening on" and "stream on" lines. Throws if the binary does not start within a few seconds.
    explicit FakeBinance(std::string balance = "10000", unsigned seed = 7);
    ~FakeBinance();
    FakeBinance(const FakeBinance&) = delete;
    FakeBinance& operator=(const FakeBinance&) = delete;

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    // The user data stream (WebSocket) listener: ws://127.0.0.1:PORT, paths /private/ws/<listenKey>.
    std::string stream_base() const { return "ws://127.0.0.1:" + std::to_string(stream_port_); }

    // POST (or GET) an admin command; throws on anything but HTTP 200.
    nlohmann::json admin(std::string_view method, std::string_view path,
                         const nlohmann::json& body = nullptr);
    nlohmann::json state() { return admin("GET", "/_fake/state"); }
    // The single account's orders / algo orders from /_fake/state.
    nlohmann::json orders() { return state()["accounts"][0]["orders"]; }
    nlohmann::json algo_orders() { return state()["accounts"][0]["algo_orders"]; }
    // How many requests the fake received for "METHOD /path".
    long requests(const std::string& method_and_path);
    long total_requests();

    // A client config pointing here: no waiting for budget room (a refusal shows at once), 5 s timeouts.
    exchange::BinanceConfig config() const;

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    int stream_port_ = 0;
    exchange::HttpTransport admin_;
};

exchange::ApiCredentials fake_credentials(std::string_view secret = kFakeSecret,
                                          std::string_view key = kFakeKey);

// Orders in a /_fake/state list whose client id is `id`.
int count_with_client_id(const nlohmann::json& orders, std::string_view id);

}  // namespace tradingd::test
