// fork + exec of a worker. Between fork and exec the child of a multi-threaded daemon may only make
// async-signal-safe calls, so argv and envp are built before the fork.
#include "bots/worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

namespace tradingd::bots {

namespace {
constexpr int kWorkerFd = 3;
}

SpawnedWorker spawn_worker(const std::string& log_level) {
    int sv[2];
    // Both ends close-on-exec: neither may leak into other children; the child re-opens its end as fd 3
    // without the flag (dup2 clears it).
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::system_error(errno, std::generic_category(), "socketpair");
    const std::string parent = std::to_string(::getpid());
    const std::string fd_text = std::to_string(kWorkerFd);
    const std::string level = "TRADINGD_LOG_LEVEL=" + log_level;
    std::vector<char*> argv = {const_cast<char*>("tradingd"),
                               const_cast<char*>("worker"),
                               const_cast<char*>("--fd"),
                               const_cast<char*>(fd_text.c_str()),
                               const_cast<char*>("--parent"),
                               const_cast<char*>(parent.c_str()),
                               nullptr};
    std::vector<char*> envp = {const_cast<char*>(level.c_str()), const_cast<char*>("TZ=UTC"), nullptr};

    const pid_t pid = ::fork();
    if (pid < 0) {
        int e = errno;
        ::close(sv[0]);
        ::close(sv[1]);
        throw std::system_error(e, std::generic_category(), "fork");
    }
    if (pid == 0) {
        // Child: async-signal-safe calls only.
        if (sv[1] == kWorkerFd) {
            ::fcntl(kWorkerFd, F_SETFD, 0);
        } else if (::dup2(sv[1], kWorkerFd) < 0) {
            ::_exit(126);
        }
        // Every other descriptor (database, control and HTTP sockets, other workers' sockets) stays behind.
        ::close_range(kWorkerFd + 1, ~0U, 0);
        rlimit none{0, 0};
        ::setrlimit(RLIMIT_CORE, &none);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        sigset_t all;
        ::sigemptyset(&all);
        ::sigprocmask(SIG_SETMASK, &all, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        ::execve("/proc/self/exe", argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(sv[1]);
    return {pid, sv[0]};
}

std::optional<std::int64_t> resident_bytes(pid_t pid) {
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    std::int64_t size = 0, resident = 0;
    if (!(statm >> size >> resident)) return std::nullopt;
    return resident * ::sysconf(_SC_PAGESIZE);
}

std::string describe_exit(int status) {
    if (WIFSIGNALED(status)) {
        const char* name = ::sigabbrev_np(WTERMSIG(status));
        return std::string("signal SIG") + (name ? name : std::to_string(WTERMSIG(status)).c_str());
    }
    if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
    return "status " + std::to_string(status);
}

std::string exit_cause(int status) {
    if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGKILL ? "killed" : "crashed";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "stopped";
    return "exited";
}

}  // namespace tradingd::bots
