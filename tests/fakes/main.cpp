// fake-binance: a Binance USDⓈ-M Futures REST look-alike for tests that must not reach the real exchange.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "server.h"
#include "stream_server.h"

namespace {

bool parse_account(const std::string& spec, fake::AccountSeed& out) {
    size_t a = spec.find(':');
    if (a == std::string::npos || a == 0) return false;
    size_t b = spec.find(':', a + 1);
    out.key = spec.substr(0, a);
    out.secret = spec.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
    if (out.secret.empty()) return false;
    if (b != std::string::npos) {
        try {
            out.balance = std::stod(spec.substr(b + 1));
        } catch (const std::exception&) {
            return false;
        }
    }
    return true;
}

bool split_host_port(const std::string& spec, std::string& host, int& port) {
    size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = spec.substr(0, colon);
    port = std::atoi(spec.c_str() + colon + 1);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{
        "fake-binance: Binance USDⓈ-M Futures REST fake with a deterministic market and fault injection"};
    std::string listen = "127.0.0.1:0", stream_listen = "127.0.0.1:0";
    fake::StreamOptions stream_options;
    std::vector<std::string> account_specs;
    std::uint64_t seed = 42;
    int symbols = 160, threads = 32;
    bool log_requests = false;
    cli.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free port")
        ->capture_default_str();
    cli.add_option("--stream-listen", stream_listen,
                   "HOST:PORT of the user data stream (WebSocket); port 0 picks a free port")
        ->capture_default_str();
    cli.add_option("--stream-ping-s", stream_options.ping_interval_s,
                   "seconds between the stream's pings to an idle client")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    cli.add_option("--account", account_specs,
                   "KEY:SECRET[:USDT_BALANCE] (repeatable; balance default 10000)");
    cli.add_option("--seed", seed, "seed of the simulated market")->capture_default_str();
    cli.add_option("--symbols", symbols, "number of TRADING USDT perpetuals")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cli.add_option("--threads", threads, "HTTP worker threads")
        ->check(CLI::Range(2, 1024))
        ->capture_default_str();
    cli.add_flag("--log-requests", log_requests, "log every request to stderr");
    CLI11_PARSE(cli, argc, argv);

    std::vector<fake::AccountSeed> accounts;
    for (const std::string& spec : account_specs) {
        fake::AccountSeed a;
        if (!parse_account(spec, a)) {
            std::fprintf(stderr, "fake-binance: bad --account '%s' (want KEY:SECRET[:BALANCE])\n",
                         spec.c_str());
            return 2;
        }
        accounts.push_back(a);
    }
    std::string host, stream_host;
    int port = 0, stream_port = 0;
    if (!split_host_port(listen, host, port)) {
        std::fprintf(stderr, "fake-binance: bad --listen '%s' (want HOST:PORT)\n", listen.c_str());
        return 2;
    }
    if (!split_host_port(stream_listen, stream_host, stream_port)) {
        std::fprintf(stderr, "fake-binance: bad --stream-listen '%s' (want HOST:PORT)\n",
                     stream_listen.c_str());
        return 2;
    }

    // Signals are taken by a waiting thread, never by a handler: it only asks the server to stop.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    fake::App app(seed, symbols, accounts);
    fake::FakeServer server(app, threads, log_requests);
    int bound = server.bind(host, port);
    if (bound < 0) {
        std::fprintf(stderr, "fake-binance: cannot listen on %s\n", listen.c_str());
        return 1;
    }
    fake::StreamServer stream(app, stream_options);
    int stream_bound = stream.bind(stream_host, stream_port);
    if (stream_bound < 0) {
        std::fprintf(stderr, "fake-binance: cannot listen on %s\n", stream_listen.c_str());
        return 1;
    }
    std::thread([&server, stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        server.stop();
    }).detach();
    std::fprintf(stderr, "fake-binance: started seed=%llu symbols=%zu accounts=%zu\n",
                 static_cast<unsigned long long>(seed), app.universe.all().size(), accounts.size());
    // Two lines in one write: launchers that read only the first still see it first.
    std::printf("listening on %s:%d\nstream on %s:%d\n", host.c_str(), bound, stream_host.c_str(),
                stream_bound);
    std::fflush(stdout);
    stream.start();
    server.run();
    stream.stop();
    std::fprintf(stderr, "fake-binance: stopped\n");
    return 0;
}
