// The worker process: harden (no core dumps, no ptrace, die with the daemon), read `init`, run the bot
// until `stop`, the daemon's end closing, or an error the bot cannot trade past. One thread.
#include "worker/worker_main.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bot/bot.h"
#include "bot/journal.h"
#include "util/log.h"
#include "worker/bot_runner.h"
#include "worker/ipc_journal.h"
#include "worker/line_channel.h"
#include "worker/worker_link.h"

namespace tradingd::worker {
namespace {

using nlohmann::json;
using namespace std::chrono;

// Exit codes the supervisor logs (stable).
constexpr int kExitUsage = 2;
constexpr int kExitDaemonGone = 3;
constexpr int kExitJournal = 4;
constexpr int kExitBot = 5;

// The worker holds an agent's decrypted key: no core file may contain it, and no other process of the same
// user may ptrace it or read its memory (dumpable 0). PDEATHSIG: if the daemon dies while we block in an
// exchange call, we die too instead of trading unsupervised.
bool harden(pid_t expected_parent) {
    rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) return false;
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return false;
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return false;
    // The daemon may have died between fork and the prctl above.
    return ::getppid() == expected_parent;
}

int parse_fd(int argc, char** argv, pid_t& parent) {
    int fd = -1;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--fd") == 0) fd = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--parent") == 0) parent = static_cast<pid_t>(std::atol(argv[i + 1]));
    }
    return fd;
}

// Waiting before another start attempt: what the exchange or the weight budget said, else a doubling
// delay; never under a second (a start reads ~85 weight) nor over a minute (weight windows are minutes).
milliseconds start_retry_delay(milliseconds retry_after, int attempt) {
    const milliseconds doubling = milliseconds(1000) * (1 << std::min(attempt - 1, 6));
    const milliseconds wanted = retry_after.count() > 0 ? retry_after + milliseconds(250) : doubling;
    return std::clamp(wanted, milliseconds(1000), milliseconds(60000));
}

// Heartbeats keep flowing while it waits (the worker is not hung); true when the daemon asked it to stop,
// which it confirms at once: nothing was started, so there is nothing to cancel.
bool wait_for_stop(WorkerLink& link, milliseconds wait) {
    const auto until = steady_clock::now() + wait;
    for (auto now = steady_clock::now(); now < until; now = steady_clock::now()) {
        auto msg = link.next(duration_cast<milliseconds>(until - now));
        if (msg && msg->value("type", "") == "stop") {
            link.send({{"type", "stopped"}, {"flattened", false}});
            return true;
        }  // a scan before the bot is ready is dropped: it enters on the next one
    }
    return false;
}

int run(LineChannel& channel, const std::shared_ptr<spdlog::logger>& logger) {
    auto init = channel.receive(seconds(30));
    if (!init || init->value("type", "") != "init") {
        logger->error("no init message from the daemon (pid {})", ::getpid());
        return kExitUsage;
    }
    // Every line names the agent: the workers of all bots share the daemon's stderr/journal.
    const auto agent = init->value("agent_id", std::int64_t{0});
    const auto heartbeat = milliseconds(init->value("heartbeat_interval_ms", 5000));
    const auto poll_every = milliseconds(init->value("poll_interval_ms", 3000));
    // While a live bot's user data stream is up, fills and stops arrive on it: the regular poll can wait.
    const auto stream_poll_every = milliseconds(init->value("stream_poll_interval_ms", 0));
    WorkerLink link(channel, heartbeat);
    IpcJournal journal(link);
    std::unique_ptr<BotRunner> runner;
    try {
        runner = make_runner(*init, journal, link);
        // The key is in the Trading client now; drop the message that carried it.
        init->erase("credentials");
        json ready;
        for (int attempt = 1;; ++attempt) {
            try {
                ready = runner->start(init->value("positions", json::array()),
                                      init->value("recent_activity", json::object()));
                break;
            } catch (const bot::ExchangeUnavailable& e) {
                if (!e.transient()) throw;
                const auto wait = start_retry_delay(e.error().retry_after, attempt);
                // As an event, so the daemon logs it (named by agent) and the bot's history shows it.
                journal.event(
                    {"log",
                     json{{"message", std::string("start delayed: ") + e.what() + "; trying again in " +
                                          std::to_string(wait.count()) + " ms"}}
                         .dump(),
                     std::nullopt});
                if (wait_for_stop(link, wait)) return 0;
            }
        }
        ready["type"] = "ready";
        link.send(std::move(ready));
    } catch (const bot::JournalError& e) {
        logger->error("agent={} start: journal: {}", agent, e.what());
        return kExitJournal;
    } catch (const std::exception& e) {
        logger->error("agent={} start failed: {}", agent, e.what());
        journal.event({"error", json{{"where", "start"}, {"message", e.what()}}.dump(), std::nullopt});
        return kExitBot;
    }
    auto last_poll = steady_clock::now();
    // The stream's thread only sets a flag; the loop looks at it at least this often.
    constexpr milliseconds kStreamSlice(100);
    try {
        for (;;) {
            const auto next_poll = last_poll + (runner->quiet_on_stream() ? stream_poll_every : poll_every);
            auto wait = duration_cast<milliseconds>(next_poll - steady_clock::now());
            if (runner->has_stream()) wait = std::min(wait, kStreamSlice);
            auto msg = link.next(std::max(wait, milliseconds(0)));
            if (msg) {
                const std::string type = msg->value("type", "");
                if (type == "scan") {
                    runner->on_scan(msg->value("scan", json::object()),
                                    msg->value("scan_id", std::int64_t{0}));
                } else if (type == "stop") {
                    const bool flatten = msg->value("flatten", false);
                    runner->stop(flatten);
                    link.send({{"type", "stopped"}, {"flattened", flatten}});
                    return 0;
                } else {
                    logger->warn("agent={} ignoring a '{}' message from the daemon", agent, type);
                }
            }
            const bool pushed = runner->take_poll_request();
            if (pushed || steady_clock::now() >= next_poll) {
                runner->poll();
                last_poll = steady_clock::now();
            }
        }
    } catch (const ChannelClosed& e) {
        logger->warn("agent={} daemon gone: {}", agent, e.what());
        return kExitDaemonGone;
    } catch (const bot::JournalError& e) {
        logger->error("agent={} journal: {}", agent, e.what());
        return kExitJournal;
    } catch (const std::exception& e) {
        logger->error("agent={} bot failed: {}", agent, e.what());
        journal.event({"error", json{{"where", "loop"}, {"message", e.what()}}.dump(), std::nullopt});
        return kExitBot;
    }
}

}  // namespace

int worker_main(int argc, char** argv) {
    pid_t parent = 0;
    const int fd = parse_fd(argc, argv, parent);
    if (fd < 0 || parent <= 0) {
        std::fprintf(stderr, "tradingd worker: started by the daemon only (--fd N --parent PID)\n");
        return kExitUsage;
    }
    if (!harden(parent)) return kExitDaemonGone;
    ::signal(SIGPIPE, SIG_IGN);
    log::init(std::getenv("TRADINGD_LOG_LEVEL") ? std::getenv("TRADINGD_LOG_LEVEL") : "info", false);
    auto logger = log::get("worker");
    LineChannel channel(fd);
    return run(channel, logger);
}

}  // namespace tradingd::worker
