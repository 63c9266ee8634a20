// Running tradingd in the foreground until SIGTERM/SIGINT.
#pragma once

#include "config/config.h"

namespace tradingd::daemon {

// Returns the process exit code. Refuses to start (exit 1) on a bad config, an unreachable database or a
// schema version that differs from this binary's.
int run(const config::LoadOptions& options);

}  // namespace tradingd::daemon
