// Journal calls as worker requests (docs/worker-protocol.md).
#include "worker/ipc_journal.h"

#include "bots/record_json.h"

namespace tradingd::worker {

using nlohmann::json;

std::int64_t IpcJournal::create_position(const bot::PositionRecord& intent) {
    json result = link_.request("create_position", bots::position_to_json(intent));
    if (!result.contains("id") || !result["id"].is_number_integer())
        throw bot::JournalError("create_position: the daemon's reply has no id");
    return result["id"].get<std::int64_t>();
}

void IpcJournal::update_position(const bot::PositionRecord& position) {
    link_.request("update_position", bots::position_to_json(position));
}

void IpcJournal::record_order(const bot::OrderRecord& order) {
    link_.request("record_order", bots::order_to_json(order));
}

void IpcJournal::event(const bot::Event& event) {
    json payload = json::parse(event.payload_json, nullptr, false);
    if (payload.is_discarded()) payload = {{"text", event.payload_json}};
    json msg = {{"type", "event"}, {"kind", event.kind}, {"payload", std::move(payload)}};
    if (event.notify)
        msg["notify"] = {
            {"type", event.notify->type}, {"title", event.notify->title}, {"message", event.notify->message}};
    try {
        link_.send(std::move(msg));
    } catch (const ChannelClosed&) {
        // Best effort by contract; the next durable call reports the dead socket.
    }
}

}  // namespace tradingd::worker
