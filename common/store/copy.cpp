// Copying a database table by table: refuse what is unsafe, load in batches, carry the counters over, verify.
#include "store/copy.h"

#include <algorithm>

#include "store/migrations.h"
#include "store/migrator.h"

namespace tradingd::store {

std::vector<TableCheck> compare_databases(Connection& source, Connection& target,
                                          const std::vector<TableLayout>& layouts, int batch) {
    std::vector<TableCheck> checks;
    for (const TableLayout& layout : layouts) {
        TableDigest s = digest_table(source, layout, batch);
        TableDigest t = digest_table(target, layout, batch);
        checks.push_back({std::string(layout.table->name), s.rows, t.rows, s.checksum, t.checksum});
    }
    return checks;
}

namespace {

void copy_table(Connection& source, Connection& target, const TableLayout& layout,
                const TransferOptions& options) {
    const std::int64_t total = count_rows(source, *layout.table);
    TableReader reader(source, layout, options.batch);
    TableLoader loader(target, layout, options.batch);
    Row row;
    while (reader.next(row)) {
        loader.add(row);
        if (options.progress && loader.rows() % options.batch == 0)
            options.progress(layout.table->name, loader.rows(), total);
    }
    loader.finish();
    if (options.progress) options.progress(layout.table->name, loader.rows(), total);
    continue_auto_increment(target, *layout.table, next_auto_increment(source, *layout.table));
}

}  // namespace

TransferReport copy_database(Connection& source, Connection& target, const TransferOptions& options) {
    ReadSnapshot snapshot(source);
    const int version = schema_version(source);
    if (version != latest_schema_version())
        throw Error(ErrorKind::schema, "the source " + source.describe() + " is at schema version " +
                                           std::to_string(version) + ", this binary's is " +
                                           std::to_string(latest_schema_version()) +
                                           ": run `tradingctl db migrate` on it first, then copy");
    const std::vector<TableLayout> layouts = live_data_layouts(source);
    for (const TableSpec& t : table_catalog()) {
        if (t.data &&
            std::none_of(layouts.begin(), layouts.end(), [&](auto& l) { return l == TableLayout::full(t); }))
            throw Error(ErrorKind::schema,
                        "the source's table " + std::string(t.name) + " does not match this binary's schema");
    }
    prepare_target(target, version, options.replace, "copy from " + source.describe());

    try {
        for (const TableLayout& layout : layouts) copy_table(source, target, layout, options);
    } catch (const Error& e) {
        std::string outcome = "; the target was emptied again";
        try {
            empty_data_tables(target);
        } catch (const Error&) {
            outcome = "; the target may hold part of the data: copy again with --replace";
        }
        throw Error(e.kind(), std::string("copy failed: ") + e.what() + outcome);
    }
    TransferReport report{version, compare_databases(source, target, layouts, options.batch)};
    finish_load(target, report);
    return report;
}

}  // namespace tradingd::store
