// Accepts control clients; each gets a coroutine that reads a line, dispatches it, writes the reply.
// Every read and write has a deadline, lines are bounded, and the number of clients is capped.
#include "control_server.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/asio.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "commands/registry.h"
#include "control/client.h"
#include "daemon_context.h"
#include "util/log.h"

namespace tradingd::daemon {
namespace asio = boost::asio;
using asio::local::stream_protocol;
using control::ErrorCode;
using control::Reply;

namespace {

struct Session {
    explicit Session(stream_protocol::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    stream_protocol::socket socket;
    asio::steady_timer timer;
    bool timed_out = false;
};

// Arms the per-session deadline: when it fires, pending I/O is cancelled and the session says why.
void arm(const std::shared_ptr<Session>& s, std::chrono::milliseconds after) {
    s->timer.expires_after(after);
    s->timer.async_wait([weak = std::weak_ptr<Session>(s)](boost::system::error_code ec) {
        if (ec) return;
        if (auto s = weak.lock()) {
            s->timed_out = true;
            boost::system::error_code ignored;
            s->socket.cancel(ignored);
        }
    });
}

gid_t lookup_group(const std::string& name) {
    if (name.empty()) return static_cast<gid_t>(-1);
    struct group* g = ::getgrnam(name.c_str());
    if (!g) throw std::runtime_error("control.socket_group: no such group '" + name + "'");
    return g->gr_gid;
}

bool user_in_group(uid_t uid, gid_t gid) {
    struct passwd* pw = ::getpwuid(uid);
    if (!pw) return false;
    int n = 64;
    std::vector<gid_t> groups(n);
    if (::getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &n) < 0) {
        groups.resize(n);
        if (::getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &n) < 0) return false;
    }
    return std::find(groups.begin(), groups.begin() + n, gid) != groups.begin() + n;
}

}  // namespace

struct ControlServer::Impl {
    Impl(asio::io_context& io, DaemonContext& c) : io(io), ctx(c), acceptor(io) {}

    asio::io_context& io;
    DaemonContext& ctx;
    stream_protocol::acceptor acceptor;
    std::string path;
    gid_t group = static_cast<gid_t>(-1);
    std::set<std::shared_ptr<Session>> sessions;
    std::shared_ptr<spdlog::logger> logger = log::get("control");

    bool peer_allowed(int fd) {
        ucred cred{};
        socklen_t len = sizeof cred;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
        if (cred.uid == 0 || cred.uid == ::geteuid()) return true;
        gid_t g = group != static_cast<gid_t>(-1) ? group : ::getegid();
        if (cred.gid == g || user_in_group(cred.uid, g)) return true;
        logger->warn("refused control client uid={} pid={}: not in the socket's group", cred.uid, cred.pid);
        return false;
    }

    asio::awaitable<void> write_line(std::shared_ptr<Session> s, std::string line) {
        line += '\n';
        arm(s, std::chrono::milliseconds(ctx.config()->settings.control_idle_timeout_ms));
        boost::system::error_code ec;
        co_await asio::async_write(s->socket, asio::buffer(line),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) s->socket.close(ec);
    }

    // Says why and ends the session. The client may still be sending its request: half-close, then read and
    // drop input up to its end of line, so it gets to read the reply instead of a broken pipe. Bounded in
    // time.
    asio::awaitable<void> refuse(std::shared_ptr<Session> s, std::string reply) {
        co_await write_line(s, std::move(reply));
        boost::system::error_code ec;
        s->socket.shutdown(stream_protocol::socket::shutdown_send, ec);
        std::array<char, 65536> scratch;
        while (!ec) {
            arm(s, std::chrono::milliseconds(1000));
            std::size_t n = co_await s->socket.async_read_some(asio::buffer(scratch),
                                                               asio::redirect_error(asio::use_awaitable, ec));
            if (s->timed_out || std::memchr(scratch.data(), '\n', n)) break;
        }
    }

    asio::awaitable<void> serve(std::shared_ptr<Session> s) {
        const auto cfg = ctx.config();
        const auto& settings = cfg->settings;
        if (!peer_allowed(s->socket.native_handle())) {
            co_await refuse(s, encode(Reply::failure(nullptr, ErrorCode::permission_denied,
                                                     "not allowed to use the control socket")));
            co_return;
        }
        if (sessions.size() > static_cast<std::size_t>(settings.control_max_clients)) {
            co_await refuse(
                s, encode(Reply::failure(nullptr, ErrorCode::busy, "too many control clients; try again")));
            co_return;
        }
        std::string buffer;
        const auto max_line = static_cast<std::size_t>(ctx.config()->settings.control_max_line_bytes);
        while (s->socket.is_open()) {
            const auto idle = std::chrono::milliseconds(ctx.config()->settings.control_idle_timeout_ms);
            arm(s, idle);
            boost::system::error_code ec;
            std::size_t n =
                co_await asio::async_read_until(s->socket, asio::dynamic_buffer(buffer, max_line + 1), '\n',
                                                asio::redirect_error(asio::use_awaitable, ec));
            if (s->timed_out) {
                co_await write_line(s, encode(Reply::failure(nullptr, ErrorCode::timeout,
                                                             "no complete request within " +
                                                                 std::to_string(idle.count()) + " ms")));
                co_return;
            }
            if (ec == asio::error::not_found) {
                co_await refuse(s, encode(Reply::failure(
                                       nullptr, ErrorCode::too_large,
                                       "request line longer than " + std::to_string(max_line) + " bytes")));
                co_return;
            }
            if (ec) co_return;  // client closed or reset
            std::string line = buffer.substr(0, n - 1);
            buffer.erase(0, n);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.find_first_not_of(" \t") == std::string::npos) continue;
            co_await write_line(s, dispatch(line, ctx));
        }
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            boost::system::error_code ec;
            auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) {
                logger->warn("accept failed: {}", ec.message());
                continue;
            }
            auto s = std::make_shared<Session>(std::move(socket));
            sessions.insert(s);
            asio::co_spawn(io, serve(s), [this, s](std::exception_ptr e) {
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        logger->error("control session failed: {}", ex.what());
                    }
                }
                boost::system::error_code ignored;
                s->timer.cancel(ignored);
                s->socket.close(ignored);
                sessions.erase(s);
            });
        }
    }
};

ControlServer::ControlServer(asio::io_context& io, DaemonContext& ctx)
    : impl_(std::make_unique<Impl>(io, ctx)) {}

ControlServer::~ControlServer() {
    close();
}

void ControlServer::listen() {
    namespace fs = std::filesystem;
    const auto cfg = impl_->ctx.config();
    const auto& settings = cfg->settings;
    impl_->path = settings.control_socket;
    impl_->group = lookup_group(settings.control_socket_group);
    fs::path path(impl_->path);
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    if (fs::exists(fs::symlink_status(path))) {
        if (!fs::is_socket(fs::symlink_status(path)))
            throw std::runtime_error(impl_->path + " exists and is not a socket; refusing to replace it");
        try {
            control::Client probe(impl_->path, 1000);
            throw std::runtime_error("another tradingd is already listening on " + impl_->path);
        } catch (const control::Unreachable&) {
            fs::remove(path);  // stale socket left by a crash
        }
    }
    mode_t old = ::umask(0117);  // the socket is born 0660: no window with wider permissions
    boost::system::error_code ec;
    impl_->acceptor.open(stream_protocol(), ec);
    if (!ec) impl_->acceptor.bind(stream_protocol::endpoint(impl_->path), ec);
    ::umask(old);
    if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + impl_->path + ": " + ec.message());
    if (impl_->group != static_cast<gid_t>(-1) &&
        ::chown(impl_->path.c_str(), static_cast<uid_t>(-1), impl_->group) != 0)
        throw std::runtime_error("cannot give " + impl_->path + " to group " + settings.control_socket_group +
                                 ": " + std::strerror(errno));
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    impl_->logger->info("listening on {}", impl_->path);
}

void ControlServer::close() {
    if (!impl_->acceptor.is_open()) return;
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
    for (const auto& s : impl_->sessions) s->socket.close(ec);
    std::error_code fs_ec;
    std::filesystem::remove(impl_->path, fs_ec);
}

}  // namespace tradingd::daemon
