// Blocking Unix-socket client with a deadline on every read and write.
#include "control/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tradingd::control {

Client::Client(const std::string& socket_path, int timeout_ms) : timeout_ms_(timeout_ms) {
    sockaddr_un addr{};
    if (socket_path.size() >= sizeof addr.sun_path)
        throw Unreachable("control socket path too long: " + socket_path);
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw Unreachable(std::string("socket: ") + std::strerror(errno));
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        int err = errno;
        ::close(fd_);
        fd_ = -1;
        throw Unreachable("cannot connect to " + socket_path + ": " + std::strerror(err));
    }
}

Client::~Client() {
    if (fd_ >= 0) ::close(fd_);
}

void Client::send_all(const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, timeout_ms_) <= 0) throw std::runtime_error("timed out sending to the daemon");
        ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw std::runtime_error(std::string("send to daemon failed: ") + std::strerror(errno));
        }
        off += static_cast<std::size_t>(n);
    }
}

std::string Client::read_line() {
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        pollfd p{fd_, POLLIN, 0};
        int pr = ::poll(&p, 1, timeout_ms_);
        if (pr == 0) throw std::runtime_error("timed out waiting for the daemon's reply");
        if (pr < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        char buf[65536];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n == 0) throw std::runtime_error("the daemon closed the connection");
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw std::runtime_error(std::string("recv from daemon failed: ") + std::strerror(errno));
        }
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

std::string Client::call_raw(const std::string& line) {
    try {
        send_all(line + "\n");
    } catch (const std::runtime_error&) {
        // The daemon may have refused us before reading (busy, too large): its reply says why.
        try {
            return read_line();
        } catch (const std::runtime_error&) {
        }
        throw;
    }
    return read_line();
}

Reply Client::call(const std::string& command, const nlohmann::json& args) {
    long id = next_id_++;
    Reply r = parse_reply(call_raw(encode(Request{id, command, args})));
    if (r.id != nlohmann::json(id)) throw std::runtime_error("reply id does not match the request");
    return r;
}

}  // namespace tradingd::control
