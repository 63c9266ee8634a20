// Starting a `tradingd worker` child: fork + exec of /proc/self/exe with its end of a socketpair as fd 3,
// an emptied environment, no core dumps, and death with the daemon. Plus what the watchdog reads about it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tradingd::bots {

struct SpawnedWorker {
    pid_t pid = -1;
    int fd = -1;  // the daemon's end (close-on-exec), to be owned by an Asio socket
};

// Throws std::system_error when socketpair or fork fails. `log_level` is the only thing passed in the
// environment; nothing secret is on argv or in the environment.
SpawnedWorker spawn_worker(const std::string& log_level);

// Resident set size in bytes from /proc/PID/statm; nullopt when the process is gone.
std::optional<std::int64_t> resident_bytes(pid_t pid);

// "crashed (SIGSEGV)", "exited 5", ... for the log; and the stable cause word: killed (SIGKILL from
// outside), crashed (any other signal), exited (a nonzero exit), stopped (exit 0).
std::string describe_exit(int wait_status);
std::string exit_cause(int wait_status);

}  // namespace tradingd::bots
