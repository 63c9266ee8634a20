// The fake's user data stream: a WebSocket listener on its own port serving /private/ws/<listenKey> (and the
// legacy /ws/<listenKey>). Beast stays inside stream_server.cpp; this header is all main.cpp sees.
#pragma once

#include <memory>
#include <string>

#include "app.h"

namespace fake {

struct StreamOptions {
    int ping_interval_s = 180;  // Binance pings every 3 minutes
    int publish_interval_ms = 50;
};

class StreamServer {
  public:
    StreamServer(App& app, StreamOptions options);
    ~StreamServer();
    StreamServer(const StreamServer&) = delete;
    StreamServer& operator=(const StreamServer&) = delete;

    int bind(const std::string& host, int port);  // port 0: any free port; returns the port, or -1
    void start();                                 // serves on its own thread until stop()
    void stop();

    struct Impl;  // public only so the .cpp's session type can name it

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace fake
