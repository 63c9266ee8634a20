// `tradingd worker --fd N`: one bot's process, started by the daemon's supervisor (docs/worker-protocol.md).
#pragma once

namespace tradingd::worker {

// Returns the exit code: 0 after a requested stop, nonzero when the bot could not go on (the supervisor
// restarts it).
int worker_main(int argc, char** argv);

}  // namespace tradingd::worker
