// The control socket: a Unix stream socket speaking newline-delimited JSON, one handler per command.
#pragma once

#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace tradingd::daemon {

class DaemonContext;

class ControlServer {
  public:
    ControlServer(boost::asio::io_context& io, DaemonContext& ctx);
    ~ControlServer();

    // Binds the socket (mode 0660, group from control.socket_group) and starts accepting.
    // Throws std::runtime_error when the path is in use by a live daemon or cannot be created.
    void listen();
    // Stops accepting, closes every client and removes the socket file.
    void close();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::daemon
