// A blocking control-socket client (tradingctl, tests): one connection, one request at a time.
#pragma once

#include <stdexcept>
#include <string>

#include "control/protocol.h"

namespace tradingd::control {

// The daemon could not be reached at all (no socket, refused, permission): tradingctl exits 3.
class Unreachable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Client {
  public:
    // Connects at once; throws Unreachable.
    Client(const std::string& socket_path, int timeout_ms);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Sends one request and waits for its reply. Throws std::runtime_error on a broken or slow connection.
    Reply call(const std::string& command, const nlohmann::json& args = nlohmann::json::object());
    // Sends a raw line (tests of malformed input) and returns the raw reply line.
    std::string call_raw(const std::string& line);

  private:
    void send_all(const std::string& data);
    std::string read_line();

    int fd_ = -1;
    int timeout_ms_;
    long next_id_ = 1;
    std::string buffer_;
};

}  // namespace tradingd::control
