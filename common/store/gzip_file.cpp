// gzip streams on zlib (linked as ZLIB::ZLIB).
#include "store/gzip_file.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace tradingd::store {

struct ZStream {
    z_stream s{};
    bool ready = false;
};

namespace {

constexpr std::size_t kChunk = 1 << 16;
constexpr int kGzipWindow = 15 + 16;  // 32 KiB window, gzip wrapper (header, CRC-32, length)

}  // namespace

GzipWriter::GzipWriter(Sink sink) : sink_(std::move(sink)), z_(std::make_unique<ZStream>()), out_(kChunk) {
    in_.reserve(kChunk);
    if (deflateInit2(&z_->s, 6, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw GzipError("cannot start gzip compression");
    z_->ready = true;
}

GzipWriter::~GzipWriter() {
    if (z_->ready) deflateEnd(&z_->s);
}

void GzipWriter::write(const void* data, std::size_t size) {
    if (finished_) throw GzipError("write after the end of the gzip stream");
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    in_.insert(in_.end(), bytes, bytes + size);
    if (in_.size() >= kChunk) deflate_buffered(Z_NO_FLUSH);
}

void GzipWriter::finish() {
    if (finished_) return;
    deflate_buffered(Z_FINISH);
    finished_ = true;
}

void GzipWriter::deflate_buffered(int flush) {
    z_stream& s = z_->s;
    s.next_in = in_.data();
    s.avail_in = static_cast<uInt>(in_.size());
    int rc = Z_OK;
    do {
        s.next_out = out_.data();
        s.avail_out = static_cast<uInt>(out_.size());
        rc = deflate(&s, flush);
        if (rc == Z_STREAM_ERROR) throw GzipError("gzip compression failed");
        if (const std::size_t have = out_.size() - s.avail_out; have > 0) sink_(out_.data(), have);
    } while (s.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    in_.clear();
}

GzipReader::GzipReader(const std::string& path)
    : file_(std::fopen(path.c_str(), "rb")), z_(std::make_unique<ZStream>()), in_(kChunk) {
    if (!file_) throw GzipError("cannot open " + path + ": " + std::strerror(errno));
    if (inflateInit2(&z_->s, kGzipWindow) != Z_OK) throw GzipError("cannot start gzip decompression");
    z_->ready = true;
}

GzipReader::~GzipReader() {
    if (z_->ready) inflateEnd(&z_->s);
}

std::size_t GzipReader::read(void* out, std::size_t size) {
    if (ended_ || size == 0) return 0;
    z_stream& s = z_->s;
    s.next_out = static_cast<Bytef*>(out);
    s.avail_out = static_cast<uInt>(size);
    while (s.avail_out > 0) {
        if (s.avail_in == 0) {
            const std::size_t n = std::fread(in_.data(), 1, in_.size(), file_.get());
            if (n == 0 && std::ferror(file_.get()))
                throw GzipError(std::string("cannot read the file: ") + std::strerror(errno));
            if (n == 0) throw GzipError("the file is truncated: the compressed stream ends early");
            s.next_in = in_.data();
            s.avail_in = static_cast<uInt>(n);
        }
        const int rc = inflate(&s, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            ended_ = true;
            if (s.avail_in > 0 || std::fgetc(file_.get()) != EOF)
                throw GzipError("the file has unexpected data after the end of its compressed stream");
            break;
        }
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR)
            throw GzipError(std::string("the file is corrupt: ") +
                            (s.msg ? s.msg : "invalid compressed data"));
        if (rc == Z_MEM_ERROR) throw GzipError("out of memory while decompressing");
        // Z_OK, or Z_BUF_ERROR: more input is needed and the loop reads it.
    }
    return size - s.avail_out;
}

}  // namespace tradingd::store
