// Blocking JSON-lines over a stream socket, with poll() for the read deadline.
#include "worker/line_channel.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tradingd::worker {

LineChannel::~LineChannel() {
    if (fd_ >= 0) ::close(fd_);
}

void LineChannel::send(const nlohmann::json& message) {
    std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    std::size_t off = 0;
    while (off < line.size()) {
        // MSG_NOSIGNAL: a closed peer is an error to handle here, not a SIGPIPE that kills the worker.
        ssize_t n = ::send(fd_, line.data() + off, line.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw ChannelClosed(std::string("daemon socket write failed: ") + std::strerror(errno));
        off += static_cast<std::size_t>(n);
    }
}

std::optional<nlohmann::json> LineChannel::take_line() {
    auto nl = buffer_.find('\n');
    if (nl == std::string::npos) {
        if (buffer_.size() > kMaxLineBytes) throw ChannelClosed("line from the daemon longer than 16 MiB");
        return std::nullopt;
    }
    std::string line = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) throw ChannelClosed("malformed line from the daemon");
    return parsed;
}

std::optional<nlohmann::json> LineChannel::receive(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto line = take_line()) return line;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          std::chrono::steady_clock::now());
        if (left.count() < 0) left = std::chrono::milliseconds(0);
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw ChannelClosed(std::string("poll failed: ") + std::strerror(errno));
        if (r == 0) return std::nullopt;
        char chunk[65536];
        ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) throw ChannelClosed("the daemon closed the socket");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace tradingd::worker
