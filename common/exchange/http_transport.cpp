// libcurl behind HttpTransport. The one subtle part is knowing whether any byte of a request left this
// process: libcurl's debug callback reports the request head as it is written, and only then may the
// server have acted on it.
#include "exchange/http_transport.h"

#include <curl/curl.h>

#include <strings.h>
#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace tradingd::exchange {

namespace {

struct EasyFree {
    void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct SlistFree {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using EasyPtr = std::unique_ptr<CURL, EasyFree>;
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

// curl_global_init is not thread-safe on every build; the first transport does it, once.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("curl_global_init failed");
    });
}

// What the callbacks of one perform() share.
struct Exchange {
    HttpResponse* out = nullptr;
    const std::string* body = nullptr;
    std::size_t body_pos = 0;
    bool may_repeat = true;
    bool request_started = false;  // some of the request head was written to a socket
    bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* ex = static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    if (ex->out->body.size() + n > HttpTransport::kMaxBodyBytes) {
        ex->too_large = true;
        return 0;  // makes libcurl abort the transfer
    }
    ex->out->body.append(data, n);
    return n;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* ex = static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    // A status line starts a new response (after a 100 Continue, say): only the final one's headers count.
    if (line.starts_with("HTTP/")) {
        ex->out->headers.clear();
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string name(trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    ex->out->headers.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
    return n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* ex = static_cast<Exchange*>(user);
    const std::size_t n = std::min(size * count, ex->body->size() - ex->body_pos);
    std::memcpy(buffer, ex->body->data() + ex->body_pos, n);
    ex->body_pos += n;
    return n;
}

// libcurl rewinds the body only to send the request again. Refusing turns its silent resend on a dead
// reused connection into an error for requests that must not run twice.
int on_seek(void* user, curl_off_t offset, int origin) {
    auto* ex = static_cast<Exchange*>(user);
    if (!ex->may_repeat || origin != SEEK_SET || offset < 0 ||
        static_cast<std::size_t>(offset) > ex->body->size()) {
        return CURL_SEEKFUNC_FAIL;
    }
    ex->body_pos = static_cast<std::size_t>(offset);
    return CURL_SEEKFUNC_OK;
}

int on_debug(CURL*, curl_infotype type, char*, std::size_t, void* user) {
    if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT)
        static_cast<Exchange*>(user)->request_started = true;
    return 0;
}

template <class T>
void set(CURL* h, CURLoption option, T value) {
    if (curl_easy_setopt(h, option, value) != CURLE_OK) {
        throw std::runtime_error("curl_easy_setopt failed for option " + std::to_string(option));
    }
}

}  // namespace

struct HttpTransport::Handle {
    EasyPtr easy;
    char error_text[CURL_ERROR_SIZE] = {};
};

std::optional<std::string_view> HttpResponse::header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_name) return std::string_view(value);
    }
    return std::nullopt;
}

HttpTransport::HttpTransport() : handle_(std::make_unique<Handle>()) {
    init_curl_once();
    handle_->easy.reset(curl_easy_init());
    if (!handle_->easy) throw std::runtime_error("curl_easy_init failed");
}

HttpTransport::~HttpTransport() = default;
HttpTransport::HttpTransport(HttpTransport&&) noexcept = default;
HttpTransport& HttpTransport::operator=(HttpTransport&&) noexcept = default;

HttpResponse HttpTransport::perform(const HttpRequest& request) {
    CURL* h = handle_->easy.get();
    // Reset drops the previous request's options but keeps the connection cache, so keep-alive survives.
    curl_easy_reset(h);
    HttpResponse response;
    Exchange ex;
    ex.out = &response;
    ex.body = &request.body;
    ex.may_repeat = request.may_repeat;
    handle_->error_text[0] = '\0';

    set(h, CURLOPT_URL, request.url.c_str());
    set(h, CURLOPT_PROTOCOLS_STR, "http,https");
    set(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    set(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: we run in threads
    set(h, CURLOPT_TCP_NODELAY, 1L);
    set(h, CURLOPT_TCP_KEEPALIVE, 1L);
    // Servers and load balancers commonly drop idle connections after 60 s. Reusing one that is about to
    // go makes an order's outcome unknown for nothing (see may_repeat), so older ones are not reused.
    set(h, CURLOPT_MAXAGE_CONN, 50L);
    // gzip only (Binance serves it; exchangeInfo shrinks several-fold). Not "" (everything libcurl knows):
    // a server that prefers brotli at its default top quality spends ~150 ms compressing a 25 KB reply.
    set(h, CURLOPT_ACCEPT_ENCODING, "gzip");
    set(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
    set(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
    set(h, CURLOPT_ERRORBUFFER, handle_->error_text);
    set(h, CURLOPT_WRITEFUNCTION, on_body);
    set(h, CURLOPT_WRITEDATA, &ex);
    set(h, CURLOPT_HEADERFUNCTION, on_header);
    set(h, CURLOPT_HEADERDATA, &ex);
    set(h, CURLOPT_VERBOSE, 1L);  // only so that on_debug sees the request go out; nothing is printed
    set(h, CURLOPT_DEBUGFUNCTION, on_debug);
    set(h, CURLOPT_DEBUGDATA, &ex);

    // POST and PUT always carry a body, if empty (Content-Length: 0): a server may otherwise wait for one
    // until the connection closes (cpp-httplib, hence fake-binance, does for PUT /fapi/v1/listenKey).
    const bool has_body = !request.body.empty() || request.method == "POST" || request.method == "PUT";
    if (request.method == "GET") {
        set(h, CURLOPT_HTTPGET, 1L);
    } else if (has_body) {
        set(h, CURLOPT_POST, 1L);
        set(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        set(h, CURLOPT_READFUNCTION, on_read);
        set(h, CURLOPT_READDATA, &ex);
        set(h, CURLOPT_SEEKFUNCTION, on_seek);
        set(h, CURLOPT_SEEKDATA, &ex);
        if (request.method != "POST") set(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else {
        set(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    // Without a body there is nothing whose rewind could be refused, so a must-not-repeat request gets a
    // connection of its own, which libcurl never retries.
    if (!request.may_repeat && request.body.empty()) set(h, CURLOPT_FRESH_CONNECT, 1L);

    SlistPtr headers;
    auto add_header = [&headers](const std::string& line) {
        curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
        if (!grown) throw std::bad_alloc();
        (void)headers.release();
        headers.reset(grown);
    };
    add_header("Expect:");  // no 100-continue round trip
    const bool typed = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& h) {
        return strcasecmp(h.first.c_str(), "content-type") == 0;
    });
    if (has_body && !typed) add_header("Content-Type: application/x-www-form-urlencoded");
    for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
    set(h, CURLOPT_HTTPHEADER, headers.get());

    const CURLcode rc = curl_easy_perform(h);

    long connects = 0;
    if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK) connections_opened_ += connects;
    curl_off_t total_us = 0;
    if (curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total_us) == CURLE_OK) {
        response.elapsed = std::chrono::microseconds(total_us);
    }
    // The handle keeps pointers to these options; clear them before the locals they point at go away.
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);

    if (rc == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        response.status = static_cast<int>(status);
        return response;
    }
    response.failure_message = handle_->error_text[0] ? handle_->error_text : curl_easy_strerror(rc);
    if (ex.too_large) response.failure_message = "reply body larger than the transport's limit";
    if (!ex.request_started) {
        response.failure = Transport::not_sent;
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        response.failure = Transport::timed_out;
    } else {
        response.failure = Transport::connection_lost;
    }
    response.status = 0;
    response.headers.clear();
    response.body.clear();
    return response;
}

}  // namespace tradingd::exchange
