// Starting and stopping fake-binance for the client tests. The binary's path comes from the build
// (FAKE_BINANCE_PATH) unless the FAKE_BINANCE environment variable names another one.
#include "fake_binance_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <utility>

namespace tradingd::test {

namespace {

std::string binary_path() {
    if (const char* env = std::getenv("FAKE_BINANCE"); env && *env) return env;
#ifdef FAKE_BINANCE_PATH
    return FAKE_BINANCE_PATH;
#else
    throw std::runtime_error("set FAKE_BINANCE to the fake-binance binary");
#endif
}

int port_after(const std::string& seen, std::string_view label) {
    const auto at = seen.find(label);
    const auto eol = at == std::string::npos ? std::string::npos : seen.find('\n', at);
    if (eol == std::string::npos) return 0;
    const auto colon = seen.rfind(':', eol);
    return std::stoi(seen.substr(colon + 1, eol - colon - 1));
}

// Reads the child's stdout until "listening on HOST:PORT" and "stream on HOST:PORT"; returns both ports.
std::pair<int, int> read_ports(int fd, pid_t pid) {
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 100) > 0) {
            char buf[256];
            const ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) break;
            seen.append(buf, static_cast<std::size_t>(n));
            const int rest = port_after(seen, "listening on "), stream = port_after(seen, "stream on ");
            if (rest != 0 && stream != 0) return {rest, stream};
        }
        if (waitpid(pid, nullptr, WNOHANG) == pid) break;
    }
    throw std::runtime_error("fake-binance did not report its port; output so far: " + seen);
}

}  // namespace

FakeBinance::FakeBinance(std::string balance, unsigned seed) {
    const std::string path = binary_path();
    const std::string account = std::string(kFakeKey) + ":" + kFakeSecret + ":" + balance;
    const std::string seed_text = std::to_string(seed);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // Only async-signal-safe calls until exec. The fake must not outlive a crashed test run.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);
        dup2(out[1], STDOUT_FILENO);
        const char* argv[] = {path.c_str(), "--listen",        "127.0.0.1:0", "--account", account.c_str(),
                              "--seed",     seed_text.c_str(), "--threads",   "48",        nullptr};
        execv(path.c_str(), const_cast<char* const*>(argv));
        _exit(127);
    }
    close(out[1]);
    try {
        std::tie(port_, stream_port_) = read_ports(out[0], pid_);
    } catch (...) {
        close(out[0]);
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        throw;
    }
    close(out[0]);  // the fake prints nothing more on stdout, and ignores SIGPIPE
}

FakeBinance::~FakeBinance() {
    if (pid_ <= 0) return;
    // Close our admin connection first: the fake's shutdown waits for open keep-alive connections.
    admin_ = exchange::HttpTransport();
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // A "hang" fault may hold a worker thread for a while; do not let it hold up the test run.
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
}

nlohmann::json FakeBinance::admin(std::string_view method, std::string_view path,
                                  const nlohmann::json& body) {
    exchange::HttpRequest request;
    request.method = std::string(method);
    request.url = base_url() + std::string(path);
    if (!body.is_null()) {
        request.body = body.dump();
        request.headers.emplace_back("Content-Type", "application/json");
    }
    const auto response = admin_.perform(request);
    if (response.failure != exchange::Transport::none || response.status != 200) {
        throw std::runtime_error("fake admin " + std::string(path) + " failed: " + response.failure_message +
                                 " " + std::to_string(response.status) + " " + response.body);
    }
    return nlohmann::json::parse(response.body);
}

long FakeBinance::requests(const std::string& method_and_path) {
    const auto counters = state()["counters"]["requests"];
    return counters.contains(method_and_path) ? counters[method_and_path].get<long>() : 0;
}

long FakeBinance::total_requests() {
    const nlohmann::json counters = state()["counters"]["requests"];  // kept alive for the loop
    long total = 0;
    for (const auto& [key, n] : counters.items()) total += n.get<long>();
    return total;
}

exchange::BinanceConfig FakeBinance::config() const {
    exchange::BinanceConfig c;
    c.base_url = base_url();
    c.connect_timeout = std::chrono::milliseconds(3000);  // past one SYN retry: the fake's backlog is 5
    c.request_timeout = std::chrono::milliseconds(5000);
    c.max_budget_wait = std::chrono::milliseconds(0);
    return c;
}

exchange::ApiCredentials fake_credentials(std::string_view secret, std::string_view key) {
    return exchange::ApiCredentials{crypto::SecretString(key), crypto::SecretString(secret)};
}

int count_with_client_id(const nlohmann::json& orders, std::string_view id) {
    int n = 0;
    for (const auto& o : orders) {
        const char* field = o.contains("clientAlgoId") ? "clientAlgoId" : "clientOrderId";
        if (o.value(field, std::string()) == id) ++n;
    }
    return n;
}

}  // namespace tradingd::test
