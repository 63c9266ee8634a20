// The HTTP front of the fake: one dispatcher for every Binance path (count, delay, route, weigh, fault,
// authenticate, handle, add headers) and one for the /_fake/ admin commands.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "app.h"
#include "routes.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace fake {

class FakeServer {
  public:
    FakeServer(App& app, int threads, bool log_requests);
    ~FakeServer();

    int bind(const std::string& host, int port);  // port 0: any free port; returns the port, or -1
    void run();                                   // serves until stop(); also drives the matching loop
    void stop();

  private:
    void dispatch(const httplib::Request& req, httplib::Response& res);
    void admin(const httplib::Request& req, httplib::Response& res);
    void fail(const Fault& f, const httplib::Request& req, httplib::Response& res, const Ctx& ctx);

    App& app_;
    bool log_requests_;
    std::unique_ptr<httplib::Server> http_;
    std::map<std::string, Route> routes_;      // by "METHOD /path"
    std::map<std::string, AdminRoute> admin_;  // by "METHOD /path"
};

}  // namespace fake
