// Value normalisation per column kind, the per-table checksum, and paging through a table by primary key.
#include "store/checksum.h"

#include <openssl/evp.h>

#include <charconv>
#include <limits>

namespace tradingd::store {
namespace {

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool all_digits(std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string canonical_timestamp(std::string text) {
    // 'YYYY-MM-DDTHH:MM:SS[Z|+00:00]' is the same instant as MySQL's 'YYYY-MM-DD HH:MM:SS' in UTC.
    if (text.size() >= 19 && text[4] == '-' && text[10] == 'T') text[10] = ' ';
    if (text.size() == 20 && text.back() == 'Z') text.pop_back();
    if (text.size() == 25 && text.ends_with("+00:00")) text.resize(19);
    return text;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx_);
        throw std::runtime_error("SHA-256 is unavailable");
    }
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(ctx_);
}

void Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx_, data, size) != 1) throw std::runtime_error("SHA-256 update failed");
}

std::array<std::uint8_t, 32> Sha256::finish() {
    std::array<std::uint8_t, 32> out{};
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx_, out.data(), &n) != 1 || n != out.size())
        throw std::runtime_error("SHA-256 final failed");
    return out;
}

std::string Sha256::finish_hex() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (std::uint8_t b : finish()) {
        hex += kHex[b >> 4];
        hex += kHex[b & 15];
    }
    return hex;
}

std::string canonical_decimal(std::string_view text) {
    std::string_view s = text;
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    std::int64_t exponent = 0;
    if (auto e = s.find_first_of("eE"); e != std::string_view::npos) {
        auto parsed = parse_int(s.substr(e + 1).starts_with('+') ? s.substr(e + 2) : s.substr(e + 1));
        if (!parsed || *parsed > 400 || *parsed < -400) return std::string(text);
        exponent = *parsed;
        s = s.substr(0, e);
    }
    const auto dot = s.find('.');
    std::string_view int_part = s.substr(0, dot);
    std::string_view frac_part = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    if (!all_digits(int_part) || !all_digits(frac_part) || int_part.size() + frac_part.size() == 0)
        return std::string(text);
    // All digits with the decimal point after position `point`, then the exponent shifts the point.
    std::string digits = std::string(int_part) + std::string(frac_part);
    std::int64_t point = static_cast<std::int64_t>(int_part.size()) + exponent;
    if (point < 0) {
        digits.insert(0, static_cast<std::size_t>(-point), '0');
        point = 0;
    }
    if (point > static_cast<std::int64_t>(digits.size()))
        digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
    std::string whole = digits.substr(0, static_cast<std::size_t>(point));
    std::string fraction = digits.substr(static_cast<std::size_t>(point));
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (whole.empty()) whole = "0";
    std::string out = whole + (fraction.empty() ? "" : "." + fraction);
    return negative && out != "0" ? "-" + out : out;
}

Cell normalize_cell(ColumnKind kind, Cell raw) {
    if (!raw) return raw;
    switch (kind) {
        case ColumnKind::decimal:
            return canonical_decimal(*raw);
        case ColumnKind::integer:
        case ColumnKind::boolean:
            if (auto n = parse_int(*raw)) return std::to_string(*n);
            return raw;
        case ColumnKind::timestamp:
            return canonical_timestamp(std::move(*raw));
        case ColumnKind::text:
        case ColumnKind::enumeration:
        case ColumnKind::blob:
            return raw;
    }
    return raw;
}

Cell read_cell(const Statement& st, int column, ColumnKind kind) {
    if (st.is_null(column)) return std::nullopt;
    if (kind == ColumnKind::blob) {
        Blob b = st.get_blob(column);
        return std::string(b.bytes.begin(), b.bytes.end());
    }
    return normalize_cell(kind, st.get_text(column));
}

Value cell_value(const Cell& cell, ColumnKind kind) {
    if (!cell) return nullptr;
    switch (kind) {
        case ColumnKind::integer:
        case ColumnKind::boolean:
            if (auto n = parse_int(*cell)) return *n;
            throw Error(ErrorKind::constraint, "'" + cell->substr(0, 40) + "' is not an integer");
        case ColumnKind::blob:
            return Blob{std::vector<std::uint8_t>(cell->begin(), cell->end())};
        default:
            return *cell;
    }
}

TableDigester::TableDigester(const TableLayout& layout) {
    sha_.update("table " + std::string(layout.table->name) + "\ncolumns");
    for (const ColumnSpec* c : layout.columns) sha_.update(" " + std::string(c->name));
    sha_.update("\n");
}

void TableDigester::add(const Row& row) {
    for (const Cell& cell : row) {
        if (!cell) {
            sha_.update("N");
            continue;
        }
        sha_.update("V" + std::to_string(cell->size()) + ":");
        sha_.update(*cell);
    }
    sha_.update("\n");
    ++rows_;
}

TableReader::TableReader(Connection& conn, const TableLayout& layout, int batch)
    : layout_(layout),
      page_(conn.prepare(layout.select_page_sql())),
      batch_(batch),
      // Below every real key: auto-increment ids start at 1.
      last_key_(std::numeric_limits<std::int64_t>::min()) {}

TableReader::~TableReader() = default;

bool TableReader::next(Row& row) {
    for (;;) {
        if (!page_open_) {
            if (exhausted_) return false;
            page_->bind_all(last_key_, std::int64_t{batch_});
            page_open_ = true;
            in_page_ = 0;
        }
        if (page_->step()) {
            row.resize(layout_.columns.size());
            for (std::size_t i = 0; i < row.size(); ++i)
                row[i] = read_cell(*page_, static_cast<int>(i), layout_.columns[i]->kind);
            auto key = row[0] ? parse_int(*row[0]) : std::nullopt;
            if (!key)
                throw Error(ErrorKind::other,
                            std::string(layout_.table->name) + ": a primary key is not an integer");
            last_key_ = *key;
            ++in_page_;
            return true;
        }
        page_->reset();  // ends the query, so no statement keeps a cursor open between pages
        page_open_ = false;
        if (in_page_ < batch_) exhausted_ = true;
    }
}

TableDigest digest_table(Connection& conn, const TableLayout& layout, int batch) {
    TableReader reader(conn, layout, batch);
    TableDigester digester(layout);
    Row row;
    while (reader.next(row)) digester.add(row);
    return {digester.rows(), digester.finish_hex()};
}

std::int64_t count_rows(Connection& conn, const TableSpec& table) {
    auto st = conn.prepare("SELECT COUNT(*) FROM " + quote_identifier(table.name));
    st->step();
    return st->get_int(0);
}

}  // namespace tradingd::store
