// Encoding and decoding of the .tdbak format described in backup_format.h.
#include "store/backup_format.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "store/gzip_file.h"

namespace tradingd::store {
namespace {

constexpr std::string_view kMagic = "tradingd-backup 1\n";
constexpr std::uint32_t kMaxValueBytes = 64u << 20;  // MEDIUMTEXT holds 16 MiB; more means a damaged file
constexpr std::size_t kMaxManifestBytes = 16u << 20;

}  // namespace

std::string manifest_to_json(const Manifest& m) {
    nlohmann::json tables = nlohmann::json::array();
    for (const ManifestTable& t : m.tables)
        tables.push_back({{"name", t.name},
                          {"columns", t.columns},
                          {"rows", t.rows},
                          {"checksum", t.checksum},
                          {"next_id", t.next_id}});
    return nlohmann::json{{"format_version", m.format_version},
                          {"created_at", m.created_at},
                          {"backend", m.backend},
                          {"source", m.source},
                          {"schema_version", m.schema_version},
                          {"checksum_algorithm", "sha256-normalised-rows-v1"},
                          {"tables", tables}}
        .dump();
}

Manifest manifest_from_json(const std::string& text) {
    try {
        const auto j = nlohmann::json::parse(text);
        Manifest m;
        m.format_version = j.at("format_version").get<int>();
        if (m.format_version != Manifest::kFormatVersion)
            throw CorruptBackup("backup format version " + std::to_string(m.format_version) +
                                " is not supported by this tradingctl (it reads version 1)");
        m.created_at = j.at("created_at").get<std::string>();
        m.backend = j.at("backend").get<std::string>();
        m.source = j.value("source", "");
        m.schema_version = j.at("schema_version").get<int>();
        for (const auto& t : j.at("tables")) {
            ManifestTable table{t.at("name").get<std::string>(),
                                t.at("columns").get<std::vector<std::string>>(),
                                t.at("rows").get<std::int64_t>(), t.at("checksum").get<std::string>(),
                                t.at("next_id").get<std::int64_t>()};
            if (table.rows < 0 || table.columns.empty())
                throw CorruptBackup("table " + table.name + " is malformed");
            m.tables.push_back(std::move(table));
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw CorruptBackup(std::string("the manifest is malformed: ") + e.what());
    }
}

// ---- writing ----

BackupWriter::BackupWriter(const std::string& path, const Manifest& manifest) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    try {
        gzip_ = std::make_unique<GzipWriter>([this](const std::uint8_t* data, std::size_t size) {
            file_sha_.update(data, size);
            for (std::size_t done = 0; done < size;) {
                const ssize_t n = ::write(fd_, data + done, size - done);
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
                done += static_cast<std::size_t>(n);
            }
            bytes_ += size;
        });
        put(kMagic.data(), kMagic.size());
        const std::string json = manifest_to_json(manifest) + "\n";
        put(json.data(), json.size());
    } catch (...) {
        ::close(fd_);  // no destructor runs for a constructor that throws
        ::unlink(path.c_str());
        throw;
    }
}

BackupWriter::~BackupWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!finished_) ::unlink(path_.c_str());
}

void BackupWriter::put(const void* data, std::size_t size) {
    payload_sha_.update(data, size);
    gzip_->write(data, size);
}

void BackupWriter::add_row(const Row& row) {
    std::string record(1, 'R');
    for (const Cell& cell : row) {
        if (!cell) {
            record += '\0';
            continue;
        }
        if (cell->size() > kMaxValueBytes)
            throw std::runtime_error("a value larger than 64 MiB cannot be backed up");
        const auto n = static_cast<std::uint32_t>(cell->size());
        record += '\1';
        for (int shift = 0; shift < 32; shift += 8) record += static_cast<char>((n >> shift) & 0xff);
        record += *cell;
    }
    put(record.data(), record.size());
}

std::string BackupWriter::finish() {
    auto digest = payload_sha_.finish();
    const char tag = 'E';
    gzip_->write(&tag, 1);  // the trailer is not part of what it hashes
    gzip_->write(digest.data(), digest.size());
    gzip_->finish();
    if (::fsync(fd_) != 0) throw std::runtime_error("cannot flush " + path_ + ": " + std::strerror(errno));
    if (::close(fd_) != 0) {
        fd_ = -1;
        throw std::runtime_error("cannot close " + path_ + ": " + std::strerror(errno));
    }
    fd_ = -1;
    finished_ = true;
    return file_sha_.finish_hex();
}

// ---- reading ----

BackupReader::BackupReader(const std::string& path) : path_(path), buffer_(1 << 16) {
    try {
        gzip_ = std::make_unique<GzipReader>(path);
    } catch (const GzipError& e) {
        corrupt(e.what());
    }
    std::string magic(kMagic.size(), '\0');
    read_exact(magic.data(), magic.size());
    if (magic != kMagic) corrupt("not a tradingd backup (no 'tradingd-backup 1' header)");
    try {
        manifest_ = manifest_from_json(read_line(kMaxManifestBytes));
    } catch (const CorruptBackup& e) {
        corrupt(e.what());
    }
}

BackupReader::~BackupReader() = default;

void BackupReader::corrupt(const std::string& why) const {
    throw CorruptBackup(path_ + ": " + why);
}

void BackupReader::read_exact(void* out, std::size_t size, bool hash) {
    auto* dst = static_cast<char*>(out);
    while (size > 0) {
        if (pos_ == end_) {
            pos_ = 0;
            try {
                end_ = gzip_->read(buffer_.data(), buffer_.size());
            } catch (const GzipError& e) {
                end_ = 0;
                corrupt(e.what());
            }
            if (end_ == 0) corrupt("the file is truncated: its content ends early");
        }
        const std::size_t n = std::min(size, end_ - pos_);
        std::memcpy(dst, buffer_.data() + pos_, n);
        if (hash) payload_sha_.update(buffer_.data() + pos_, n);
        pos_ += n;
        dst += n;
        size -= n;
    }
}

std::string BackupReader::read_line(std::size_t max) {
    std::string line;
    for (char c = 0;;) {
        read_exact(&c, 1);
        if (c == '\n') return line;
        if (line.size() >= max) corrupt("the manifest line is too long");
        line += c;
    }
}

void BackupReader::read_row(Row& row, std::size_t columns) {
    char tag = 0;
    read_exact(&tag, 1);
    if (tag != 'R')
        corrupt(tag == 'E' ? "the file has fewer rows than its manifest lists" : "a row record is damaged");
    row.resize(columns);
    for (Cell& cell : row) {
        char present = 0;
        read_exact(&present, 1);
        if (present == '\0') {
            cell.reset();
            continue;
        }
        if (present != '\1') corrupt("a value record is damaged");
        unsigned char len[4];
        read_exact(len, sizeof len);
        const std::uint32_t n =
            len[0] | len[1] << 8 | len[2] << 16 | static_cast<std::uint32_t>(len[3]) << 24;
        if (n > kMaxValueBytes) corrupt("a value record is damaged (impossible length)");
        cell.emplace(n, '\0');
        read_exact(cell->data(), n);
    }
}

void BackupReader::finish() {
    auto expected = payload_sha_.finish();  // of everything read so far, before the trailer
    char tag = 0;
    read_exact(&tag, 1, false);
    if (tag != 'E') corrupt("the file has more rows than its manifest lists");
    unsigned char stored[32];
    read_exact(stored, sizeof stored, false);
    if (std::memcmp(stored, expected.data(), sizeof stored) != 0)
        corrupt("the content does not match its SHA-256 trailer");
    char extra = 0;
    std::size_t more = pos_ < end_ ? 1 : 0;
    try {
        if (!more) more = gzip_->read(&extra, 1);  // 0 also verifies gzip's CRC-32 and length
    } catch (const GzipError& e) {
        corrupt(e.what());
    }
    if (more) corrupt("the file has unexpected data after its trailer");
}

}  // namespace tradingd::store
