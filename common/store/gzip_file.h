// Streaming gzip (RFC 1952) compression and strict decompression of one file, on zlib. A reader reports a
// damaged stream (zlib's CRC-32 and length check), a truncated one, or bytes after its end.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tradingd::store {

class GzipError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ZStream;  // zlib's z_stream, kept out of this header

// Compresses what it is given and hands the compressed bytes to `sink`, which may hash and store them.
class GzipWriter {
  public:
    using Sink = std::function<void(const std::uint8_t* data, std::size_t size)>;
    explicit GzipWriter(Sink sink);
    ~GzipWriter();
    GzipWriter(const GzipWriter&) = delete;
    GzipWriter& operator=(const GzipWriter&) = delete;

    void write(const void* data, std::size_t size);
    void finish();  // flushes and writes the gzip trailer; nothing may be written after it

  private:
    void deflate_buffered(int flush);

    Sink sink_;
    std::unique_ptr<ZStream> z_;
    std::vector<std::uint8_t> in_;  // small writes are gathered: deflate works best on large blocks
    std::vector<std::uint8_t> out_;
    bool finished_ = false;
};

class GzipReader {
  public:
    explicit GzipReader(const std::string& path);  // throws GzipError when the file cannot be opened
    ~GzipReader();
    GzipReader(const GzipReader&) = delete;
    GzipReader& operator=(const GzipReader&) = delete;

    // Up to `size` bytes; 0 only at the end of a complete, verified stream. Throws GzipError otherwise.
    std::size_t read(void* out, std::size_t size);

  private:
    struct FileCloser {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, FileCloser> file_;
    std::unique_ptr<ZStream> z_;
    std::vector<std::uint8_t> in_;
    bool ended_ = false;
};

}  // namespace tradingd::store
