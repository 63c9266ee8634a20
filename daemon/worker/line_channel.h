// The worker's end of the socketpair: blocking JSON-lines I/O with a deadline on reads. Not thread-safe;
// the worker is one thread.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace tradingd::worker {

// The daemon's end closed (or the line was malformed beyond use): the worker must exit.
class ChannelClosed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class LineChannel {
  public:
    explicit LineChannel(int fd) : fd_(fd) {}
    ~LineChannel();
    LineChannel(const LineChannel&) = delete;
    LineChannel& operator=(const LineChannel&) = delete;

    // Writes one object as one line; throws ChannelClosed when the daemon is gone.
    void send(const nlohmann::json& message);
    // The next message, or nullopt when none arrived within `timeout`. Throws ChannelClosed on EOF.
    std::optional<nlohmann::json> receive(std::chrono::milliseconds timeout);

  private:
    std::optional<nlohmann::json> take_line();

    int fd_;
    std::string buffer_;
};

inline constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;

}  // namespace tradingd::worker
