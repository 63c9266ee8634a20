// The user-data-stream WebSocket server on Boost.Beast, one I/O thread. A timer publishes every few tens of
// milliseconds what StreamLedger found changed, closes streams whose listenKey died (after a
// listenKeyExpired event) and carries out /_fake/stream {drop} requests.
#include "stream_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdio>
#include <deque>
#include <set>
#include <thread>

#include "stream_events.h"

namespace fake {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// "/private/ws/KEY", "/ws/KEY" or "/private/ws?listenKey=KEY"; empty if the target names none.
std::string listen_key_of(std::string_view target) {
    for (std::string_view prefix : {"/private/ws/", "/ws/"}) {
        if (target.substr(0, prefix.size()) == prefix) {
            std::string_view rest = target.substr(prefix.size());
            return std::string(rest.substr(0, rest.find('?')));
        }
    }
    const auto at = target.find("listenKey=");
    if (target.substr(0, 11) != "/private/ws" || at == std::string_view::npos) return {};
    std::string_view rest = target.substr(at + 10);
    return std::string(rest.substr(0, rest.find('&')));
}

}  // namespace

struct Session;

struct StreamServer::Impl {
    Impl(App& a, StreamOptions o) : app(a), options(o), acceptor(ioc), timer(ioc) {}

    void accept();
    void schedule();
    void tick();

    App& app;
    StreamOptions options;
    net::io_context ioc{1};
    tcp::acceptor acceptor;
    net::steady_timer timer;
    std::thread thread;
    StreamLedger ledger;
    std::set<std::shared_ptr<Session>> sessions;
    StreamCounters counters;
    std::int64_t drops_seen = 0;  // World::stream_drops_requested carried out so far
};

struct Session : std::enable_shared_from_this<Session> {
    Session(StreamServer::Impl& s, tcp::socket socket) : server(s), ws(std::move(socket)) {}

    void start() {
        beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(10));
        http::async_read(
            ws.next_layer(), buffer, request,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
    }

    void on_request(beast::error_code ec) {
        if (ec) return;
        const auto target = request.target();
        listen_key = listen_key_of(std::string_view(target.data(), target.size()));
        const std::int64_t now = server.app.now();
        server.app.world.with([&](World& w) {
            epoch = w.epoch;
            for (const auto& [key, a] : w.accounts) {
                if (!listen_key.empty() && a.listen_key == listen_key && a.listen_key_expiry > now)
                    account = key;
            }
        });
        if (account.empty() || !websocket::is_upgrade(request)) return refuse();
        beast::get_lowest_layer(ws).expires_never();
        websocket::stream_base::timeout t{};
        t.handshake_timeout = std::chrono::seconds(10);
        // Beast pings after one idle period without a frame from the client and gives up after a second.
        t.idle_timeout = std::chrono::seconds(server.options.ping_interval_s);
        t.keep_alive_pings = true;
        ws.set_option(t);
        ws.async_accept(request, [self = shared_from_this()](beast::error_code e) { self->on_accept(e); });
    }

    void refuse() {
        auto res =
            std::make_shared<http::response<http::string_body>>(http::status::bad_request, request.version());
        res->set(http::field::content_type, "application/json");
        res->body() = R"({"code":-1125,"msg":"This listenKey does not exist."})";
        res->prepare_payload();
        http::async_write(
            ws.next_layer(), *res, [self = shared_from_this(), res](beast::error_code, std::size_t) {
                beast::error_code ignored;
                beast::get_lowest_layer(self->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
            });
    }

    void on_accept(beast::error_code ec) {
        if (ec) return;
        server.sessions.insert(shared_from_this());
        ++server.counters.connections_total;
        read();
    }

    void read() {  // the client sends nothing we act on; reading keeps pongs and close frames flowing
        ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->gone();
            self->buffer.consume(self->buffer.size());
            self->read();
        });
    }

    void send(std::string text) {
        if (closing) return;
        outbox.push_back(std::move(text));
        if (!writing) write();
    }

    void write() {
        if (outbox.empty()) {
            writing = false;
            if (close_after_flush) close_gracefully();
            return;
        }
        writing = true;
        ws.text(true);
        ws.async_write(net::buffer(outbox.front()),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                           if (ec) return self->gone();
                           ++self->server.counters.messages;
                           self->outbox.pop_front();
                           self->write();
                       });
    }

    // Sends `last` (listenKeyExpired) and then closes the stream the way Binance does.
    void finish(std::string last) {
        send(std::move(last));
        close_after_flush = true;
        closing = true;
        if (!writing) close_gracefully();
    }

    void close_gracefully() {
        ws.async_close(websocket::close_code::normal,
                       [self = shared_from_this()](beast::error_code) { self->gone(); });
    }

    void drop() {  // no close frame: what a network failure looks like to the client
        closing = true;
        beast::error_code ignored;
        beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws).socket().close(ignored);
        gone();
    }

    void gone() { server.sessions.erase(shared_from_this()); }

    StreamServer::Impl& server;
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    std::string account, listen_key;
    std::int64_t epoch = 0;  // of the World whose listenKey it connected with
    std::deque<std::string> outbox;
    bool writing = false, closing = false, close_after_flush = false;
};

void StreamServer::Impl::accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec) return;
        std::make_shared<Session>(*this, std::move(socket))->start();
        accept();
    });
}

void StreamServer::Impl::schedule() {
    timer.expires_after(std::chrono::milliseconds(options.publish_interval_ms));
    timer.async_wait([this](beast::error_code ec) {
        if (ec) return;
        tick();
        schedule();
    });
}

void StreamServer::Impl::tick() {
    const std::int64_t now = app.now();
    std::vector<StreamEvent> events;
    std::vector<std::shared_ptr<Session>> dead;
    bool drop_all = false;
    std::vector<std::shared_ptr<Session>> stale;
    app.world.with([&](World& w) {
        ledger.collect(app, w, now, events);
        drop_all = w.stream_drops_requested != drops_seen;
        drops_seen = w.stream_drops_requested;
        for (const auto& s : sessions) {
            if (s->epoch != w.epoch) {  // its key belonged to a World that /_fake/reset replaced
                stale.push_back(s);
                continue;
            }
            auto it = w.accounts.find(s->account);
            const bool alive = it != w.accounts.end() && it->second.listen_key == s->listen_key &&
                               it->second.listen_key_expiry > now;
            if (!alive && !s->closing) dead.push_back(s);
        }
        counters.connections_open = static_cast<std::int64_t>(sessions.size() - stale.size());
        w.stream = counters;
    });
    for (const auto& s : stale) s->drop();  // before a drop request, so that counts only live ones
    if (drop_all) {
        for (const auto& s : std::vector<std::shared_ptr<Session>>(sessions.begin(), sessions.end())) {
            counters.dropped += s->closing ? 0 : 1;  // one already closing (listenKeyExpired) is not news
            s->drop();
        }
    }
    for (const auto& s : dead) {
        ++counters.expired;
        s->finish(listen_key_expired_json(s->listen_key, now).dump());
    }
    for (const StreamEvent& e : events) {
        std::string text;
        for (const auto& s : sessions) {
            if (s->account != e.account || s->closing) continue;
            if (text.empty()) text = e.body.dump();
            s->send(text);
        }
    }
}

StreamServer::StreamServer(App& app, StreamOptions options) : impl_(std::make_unique<Impl>(app, options)) {}

StreamServer::~StreamServer() {
    stop();
}

int StreamServer::bind(const std::string& host, int port) {
    beast::error_code ec;
    tcp::endpoint at(net::ip::make_address(host, ec), static_cast<unsigned short>(port));
    if (ec) return -1;
    impl_->acceptor.open(at.protocol(), ec);
    if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) impl_->acceptor.bind(at, ec);
    if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return -1;
    return impl_->acceptor.local_endpoint().port();
}

void StreamServer::start() {
    impl_->accept();
    impl_->schedule();
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

void StreamServer::stop() {
    impl_->ioc.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace fake
