// Injected failures for client tests: 5xx replies (before or after the request took effect), connections
// held past the client's timeout, and connections closed without a reply.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <httplib.h>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "pipeline.h"

namespace fake {

std::optional<Fault> take_fault(World& w, const std::string& method, const std::string& path,
                                const Params& p) {
    for (auto it = w.faults.begin(); it != w.faults.end(); ++it) {
        if (!it->method.empty() && it->method != method) continue;
        if (it->path != "*" && it->path != path) continue;
        // Binance exempts reduce-only and close-position orders from -1008 throttling.
        if (it->variant == "throttle" &&
            (p.value_or("reduceOnly", "") == "true" || p.value_or("closePosition", "") == "true"))
            continue;
        Fault f = *it;
        if (--it->remaining <= 0) w.faults.erase(it);
        ++w.counters.faults_fired;
        return f;
    }
    return std::nullopt;
}

void apply_fault(const Fault& f, const httplib::Request& req, httplib::Response& res, std::int64_t now) {
    if (f.action == "hang") {
        // The client sees nothing until its own timeout; then the socket is closed without a reply.
        std::this_thread::sleep_for(std::chrono::milliseconds(f.hold_ms));
        drop_connection(req);
        return;
    }
    if (f.action == "drop") {
        drop_connection(req);
        return;
    }
    res.status = f.status;
    if (!f.body.empty()) {
        res.set_content(f.body, "application/json");
    } else if (f.code != 0) {
        res.set_content(Json{{"code", f.code}, {"msg", f.msg}}.dump(), "application/json");
    } else if (f.status == 502) {
        res.set_content(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
            "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            "text/html");
    } else if (f.status == 503 && f.variant == "throttle") {
        res.set_content(Json{{"code", -1008},
                             {"msg",
                              "Request throttled by system-level protection. Reduce-only/close-position "
                              "orders are exempt. Please try again."}}
                            .dump(),
                        "application/json");
    } else if (f.status == 503) {
        // Shape observed in real 503 replies: no "code" field.
        std::string msg = f.variant == "unavailable"
                              ? "Service Unavailable."
                              : "Unknown error, please check your request or try again later.";
        res.set_content(Json{{"timestamp", now}, {"path", req.path}, {"msg", msg}}.dump(),
                        "application/json");
    } else {
        res.set_content(
            Json{{"code", -1000}, {"msg", "An unknown error occured while processing the request."}}.dump(),
            "application/json");
    }
}

namespace {

// The address of a socket as text, for IPv4 and IPv6 alike.
bool endpoint(const sockaddr_storage& a, std::string& host, int& port) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
        auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
        inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof buf);
        port = ntohs(v4->sin_port);
    } else if (a.ss_family == AF_INET6) {
        auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
        inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof buf);
        port = ntohs(v6->sin6_port);
    } else {
        return false;
    }
    host = buf;
    return true;
}

}  // namespace

// httplib does not hand handlers their socket. The connection is found by its address pair among this
// process's descriptors and shut down (not closed: httplib still owns the descriptor and will close it).
void drop_connection(const httplib::Request& req) {
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return;
    while (dirent* e = readdir(dir)) {
        char* end = nullptr;
        long fd = std::strtol(e->d_name, &end, 10);
        if (*end != '\0' || fd < 0) continue;
        struct stat st {};
        if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
        sockaddr_storage peer{}, local{};
        socklen_t pl = sizeof peer, ll = sizeof local;
        if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &pl) != 0) continue;
        if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &ll) != 0) continue;
        std::string peer_host, local_host;
        int peer_port = 0, local_port = 0;
        if (!endpoint(peer, peer_host, peer_port) || !endpoint(local, local_host, local_port)) continue;
        if (peer_port == req.remote_port && local_port == req.local_port && peer_host == req.remote_addr) {
            shutdown(static_cast<int>(fd), SHUT_RDWR);
            break;
        }
    }
    closedir(dir);
}

}  // namespace fake
