// Request/reply over the worker socket. A request waits for the daemon without a deadline of its own: the
// daemon replies after its commit, and if it dies the socket closes (and PR_SET_PDEATHSIG ends us anyway).
#include "worker/worker_link.h"

#include <algorithm>

#include "bot/journal.h"

namespace tradingd::worker {

using nlohmann::json;

namespace {
std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

void WorkerLink::send(json message) {
    channel_.send(message);
}

void WorkerLink::heartbeat_if_due() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_heartbeat_ < heartbeat_interval_) return;
    last_heartbeat_ = now;
    channel_.send({{"type", "heartbeat"}, {"at_ms", wall_ms()}});
}

void WorkerLink::progress() noexcept {
    try {
        heartbeat_if_due();
    } catch (const std::exception&) {
        // The daemon is gone: the next request throws JournalError and the worker exits.
    }
}

json WorkerLink::request(const std::string& op, json args) {
    const std::int64_t id = next_id_++;
    try {
        channel_.send({{"type", "request"}, {"id", id}, {"op", op}, {"args", std::move(args)}});
        for (;;) {
            heartbeat_if_due();
            auto msg = channel_.receive(heartbeat_interval_);
            if (!msg) continue;
            if (msg->value("type", "") != "reply") {
                inbox_.push_back(std::move(*msg));
                continue;
            }
            if (msg->value("id", std::int64_t{-1}) != id) continue;  // a late reply to nothing we wait for
            if (msg->value("ok", false)) return msg->value("result", json::object());
            const auto& err = (*msg)["error"];
            throw bot::JournalError("daemon refused " + op + ": " +
                                    (err.is_object() ? err.value("message", std::string("no reason"))
                                                     : std::string("no reason")));
        }
    } catch (const ChannelClosed& e) {
        throw bot::JournalError(op + " not confirmed: " + e.what());
    }
}

std::optional<json> WorkerLink::next(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        heartbeat_if_due();
        if (!inbox_.empty()) {
            json msg = std::move(inbox_.front());
            inbox_.pop_front();
            return msg;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto msg = channel_.receive(std::min(left, heartbeat_interval_));
        if (msg) return msg;
    }
}

}  // namespace tradingd::worker
