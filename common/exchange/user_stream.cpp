// The user data stream's connection loop: one thread; per connection an Asio io_context runs the WebSocket
// (Beast, plain or TLS) and the keepalive timer until the connection ends, then the loop waits out a
// backoff and starts over. The listenKey is kept out of every message this file produces.
#include "exchange/user_stream.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "exchange/binance_rest.h"
#include "util/guarded.h"

namespace tradingd::exchange {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

struct StreamUrl {
    bool tls = false;
    std::string host, port, prefix;  // prefix: any path before /private/ws/<key>
};

StreamUrl parse_url(const std::string& url) {
    StreamUrl u;
    std::string_view rest = url;
    if (rest.substr(0, 6) == "wss://") {
        u.tls = true;
        rest.remove_prefix(6);
    } else if (rest.substr(0, 5) == "ws://") {
        rest.remove_prefix(5);
    } else {
        throw std::invalid_argument("exchange.stream_url must start with ws:// or wss://");
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) u.prefix = std::string(rest.substr(slash));
    while (!u.prefix.empty() && u.prefix.back() == '/') u.prefix.pop_back();
    const auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    u.port =
        colon == std::string_view::npos ? (u.tls ? "443" : "80") : std::string(authority.substr(colon + 1));
    if (u.host.empty()) throw std::invalid_argument("exchange.stream_url has no host");
    return u;
}

}  // namespace

struct UserStream::Impl {
    Impl(UserStream& o, BinanceConfig rest_config, crypto::SecretString api_key, WeightBudget& budget,
         UserStreamSettings s, Callback cb)
        : owner(o),
          rest(std::move(rest_config), budget, ApiCredentials{std::move(api_key), crypto::SecretString()}),
          settings(std::move(s)),
          url(parse_url(settings.stream_url)),
          on_event(std::move(cb)) {}

    void run();
    bool ensure_key();
    void keepalive();
    template <class Ws>
    void serve(Ws& ws, const std::function<void(std::function<void(beast::error_code)>)>& secure);
    void on_text(const std::string& text);
    void deliver(const UserStreamEvent& e);
    bool wait(std::chrono::milliseconds d);  // false when stopping

    UserStream& owner;
    BinanceRest rest;  // used on the stream thread only
    UserStreamSettings settings;
    StreamUrl url;
    Callback on_event;
    std::string key;  // the listenKey; empty: POST for one
    // One io_context per connection, dropped with it: whatever Beast still had pending dies unrun, and
    // the next connection starts clean. `ioc` is the stream thread's; `current` is for stop() (mutex).
    net::io_context* ioc = nullptr;
    std::shared_ptr<net::io_context> current;
    // The current connection's steps (io thread only); cleared when it ends.
    std::function<void()> close_now, read_next, keepalive_next;
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;  // under mutex
    Guarded<UserStreamStats> stats;
};

void UserStream::Impl::deliver(const UserStreamEvent& e) {
    try {
        on_event(e);
    } catch (...) {  // the caller's problem must not end the stream
    }
}

bool UserStream::Impl::wait(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    wake.wait_for(lock, d, [this] { return stopping; });
    return !stopping;
}

bool UserStream::Impl::ensure_key() {
    if (!key.empty()) return true;
    auto reply =
        rest.call(RestCall{"POST", "/fapi/v1/listenKey", {}, Security::none, 1, Priority::essential});
    if (!reply || !reply->is_object() || !reply->contains("listenKey") || !(*reply)["listenKey"].is_string())
        return false;
    key = (*reply)["listenKey"].get<std::string>();
    stats.with([](UserStreamStats& s) { ++s.keys_created; });
    return !key.empty();
}

void UserStream::Impl::keepalive() {
    auto reply = rest.call(RestCall{"PUT", "/fapi/v1/listenKey", {}, Security::none, 1, Priority::essential});
    if (reply) {
        stats.with([](UserStreamStats& s) { ++s.keepalives; });
    } else if (reply.error().code == -1125) {  // the key died: a new one, and a new connection for it
        key.clear();
        if (close_now) close_now();
    }  // anything else: try again at the next keepalive, well inside the key's 60 minutes
}

void UserStream::Impl::on_text(const std::string& text) {
    if (text.find("\"listenKeyExpired\"") != std::string::npos) {
        key.clear();
        if (close_now) close_now();
        return;
    }
    auto parsed = parse_user_stream_event(text);
    if (!parsed) {
        stats.with([](UserStreamStats& s) { ++s.malformed; });
        return;
    }
    if (!*parsed) return;
    stats.with([](UserStreamStats& s) { ++s.events; });
    deliver(**parsed);
}

// One connection on an already created stream: TCP connect, `secure` (TLS handshake or nothing), the
// WebSocket handshake, then reads and keepalives until something ends it. Runs inside ioc.run(); the
// handlers capture only `this` and per-connection objects that live until ioc.run() returns.
template <class Ws>
void UserStream::Impl::serve(Ws& ws,
                             const std::function<void(std::function<void(beast::error_code)>)>& secure) {
    auto resolver = std::make_shared<tcp::resolver>(*ioc);
    auto buffer = std::make_shared<beast::flat_buffer>();
    auto timer = std::make_shared<net::steady_timer>(*ioc);
    auto& lowest = beast::get_lowest_layer(ws);
    close_now = [this, &lowest, timer] {
        timer->cancel();
        beast::error_code ignored;
        lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest.socket().close(ignored);
        ioc->stop();  // this connection is over, whatever Beast still has scheduled
    };
    keepalive_next = [this, timer] {
        timer->expires_after(settings.keepalive);
        timer->async_wait([this](beast::error_code ec) {
            if (ec) return;
            keepalive();
            if (!key.empty()) keepalive_next();
        });
    };
    read_next = [this, &ws, buffer] {
        ws.async_read(*buffer, [this, buffer](beast::error_code ec, std::size_t) {
            if (ec) return close_now();
            on_text(beast::buffers_to_string(buffer->data()));
            buffer->consume(buffer->size());
            read_next();
        });
    };
    const std::string target = url.prefix + "/private/ws/" + key;
    lowest.expires_after(settings.connect_timeout);
    resolver->async_resolve(url.host, url.port,
                            [this, &ws, &lowest, secure, resolver, target](
                                beast::error_code ec, tcp::resolver::results_type found) {
                                if (ec) return;
                                lowest.async_connect(found, [this, &ws, &lowest, secure, target](
                                                                beast::error_code ec2, const tcp::endpoint&) {
                                    if (ec2) return;
                                    secure([this, &ws, &lowest, target](beast::error_code ec3) {
                                        if (ec3) return close_now();
                                        lowest.expires_never();
                                        websocket::stream_base::timeout t{};
                                        t.handshake_timeout = settings.connect_timeout;
                                        t.idle_timeout = settings.idle_timeout;
                                        t.keep_alive_pings = true;
                                        ws.set_option(t);
                                        const std::string host = url.host + ":" + url.port;
                                        ws.async_handshake(host, target, [this](beast::error_code ec4) {
                                            if (ec4) return close_now();
                                            owner.connected_ = true;
                                            stats.with([](UserStreamStats& s) { ++s.connects; });
                                            deliver(StreamResync{"user data stream connected"});
                                            keepalive_next();
                                            read_next();
                                        });
                                    });
                                });
                            });
}

void UserStream::Impl::run() {
    auto backoff = settings.reconnect_min;
    while (wait(std::chrono::milliseconds(0))) {
        const auto began = std::chrono::steady_clock::now();
        auto context = std::make_shared<net::io_context>(1);
        bool go = false;
        {
            std::lock_guard lock(mutex);
            go = !stopping;
            if (go) current = context;
        }
        if (go && ensure_key() && wait(std::chrono::milliseconds(0))) {
            ioc = context.get();
            if (url.tls) {
                ssl::context tls(ssl::context::tls_client);
                tls.set_default_verify_paths();
                tls.set_verify_mode(ssl::verify_peer);
                websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(*ioc, tls);
                // SNI, and the certificate must name the host we asked for.
                SSL_set_tlsext_host_name(ws.next_layer().native_handle(), url.host.c_str());
                ws.next_layer().set_verify_callback(ssl::host_name_verification(url.host));
                serve(ws, [&ws](std::function<void(beast::error_code)> next) {
                    ws.next_layer().async_handshake(ssl::stream_base::client, std::move(next));
                });
                ioc->run();
                close_now = read_next = keepalive_next = nullptr;
            } else {
                websocket::stream<beast::tcp_stream> ws(*ioc);
                serve(ws, [](std::function<void(beast::error_code)> next) { next({}); });
                ioc->run();
                close_now = read_next = keepalive_next = nullptr;
            }
        }
        {
            std::lock_guard lock(mutex);
            current.reset();
        }
        const bool was_connected = owner.connected_.exchange(false);
        if (was_connected) stats.with([](UserStreamStats& s) { ++s.drops; });
        // A connection that lasted a while was healthy: reconnect soon. Repeated failures back off.
        if (std::chrono::steady_clock::now() - began > std::chrono::seconds(10))
            backoff = settings.reconnect_min;
        if (!wait(backoff)) break;
        backoff = std::min(backoff * 2, settings.reconnect_max);
    }
}

UserStream::UserStream(BinanceConfig rest, crypto::SecretString api_key, WeightBudget& budget,
                       UserStreamSettings settings, Callback on_event)
    : impl_(std::make_unique<Impl>(*this, std::move(rest), std::move(api_key), budget, std::move(settings),
                                   std::move(on_event))) {}

UserStream::~UserStream() {
    stop();
}

void UserStream::start() {
    if (impl_->thread.joinable()) return;
    impl_->thread = std::thread([this] { impl_->run(); });
}

void UserStream::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
        // run() returns; the connection's socket closes when its stream object goes out of scope.
        if (impl_->current) impl_->current->stop();
    }
    impl_->wake.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
}

UserStreamStats UserStream::stats() const {
    return impl_->stats.with([](const UserStreamStats& s) { return s; });
}

}  // namespace tradingd::exchange
