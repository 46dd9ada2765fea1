import ARLoading
import ARModel
import ARTestSupport
import Foundation
import Testing

/// The shard-local shape of the pushdown on plain PostgreSQL: the ledger tables
/// hash-partitioned by customer_id (as Citus distributes them), partitionwise join and
/// aggregation on, and the plan must aggregate each partition on its own, under the Append;
/// the answers are the same as on the unpartitioned tables.
@Suite(.serialized, .enabled(if: PostgresCluster.available, Comment(rawValue: PostgresCluster.skipReason)))
struct PushdownPartitionTests {
    @Test func aggregatesPerHashPartitionOfCustomerID() throws {
        let c = PostgresCluster.cluster
        let src = PostgresCluster.schemaName("plain"), part = PostgresCluster.schemaName("part")
        let sample = TestPaths.root + "/datasets/sample"
        let config = try ConfigurationFile.read(path: sample + "/arlens.yml")
        _ = try PGExport.run(directory: sample, config: config, to: c.url(schema: src), replace: true)
        var ddl = "CREATE SCHEMA \(part);\n"
        for t in ["customers", "invoices", "payments", "applications", "adjustments"] {
            ddl += "CREATE TABLE \(part).\(t) (LIKE \(src).\(t)) PARTITION BY HASH (customer_id);\n"
            for r in 0..<4 {
                ddl += "CREATE TABLE \(part).\(t)_p\(r) PARTITION OF \(part).\(t) FOR VALUES WITH (MODULUS 4, REMAINDER \(r));\n"
            }
            ddl += "INSERT INTO \(part).\(t) SELECT * FROM \(src).\(t);\n"
        }
        // The rates are small and read by every customer: one copy (a Citus reference table).
        ddl += "CREATE TABLE \(part).fx_rates AS SELECT * FROM \(src).fx_rates;\nANALYZE;\n"
        try c.sql(ddl)

        let plain = try PGPushdown(try PGLocation(c.url(schema: src)), base: .USD, defaultTerms: 30)
        let parted = try PGPushdown(try PGLocation(c.url(schema: part)), base: .USD, defaultTerms: 30)
        _ = try parted.execute("SET enable_partitionwise_aggregate = on; SET enable_partitionwise_join = on; SET max_parallel_workers_per_gather = 0")
        let months = MonthRangeList.months(from: YearMonth(year: 2024, month: 11), to: YearMonth(year: 2026, month: 10))
        let plan = try parted.explainMonthly(months)
        let lines = plan.split(separator: "\n").map(String.init)
        // The top of the plan is the Append of the partitions: nothing aggregates above it.
        #expect(lines.first?.trimmingCharacters(in: .whitespaces).hasPrefix("Append") == true, "\(plan)")
        // Under it, one aggregate per partition, each over its own partitions of invoices and customers.
        let aggregates = lines.filter { $0.contains("HashAggregate") || $0.contains("GroupAggregate") }
        #expect(aggregates.count == 4, "\(plan)")
        for r in 0..<4 {
            #expect(plan.contains("on invoices_p\(r)"), "\(plan)")
            #expect(plan.contains("on customers_p\(r)"), "\(plan)")
        }
        // The same sums from the partitioned tables as from the plain ones, to the cent.
        #expect(try parted.facts().blockers.isEmpty)
        // Every customer its own group, so that the sums are compared customer by customer.
        let ids = try plain.execute("SELECT customer_id FROM \(src).customers ORDER BY 1").compactMap { $0[0] }
        var group: [String: Int32] = [:]
        for (i, id) in ids.enumerated() { group[id] = Int32(i) }
        let a = try plain.monthly(months, group: group, groups: ids.count)
        let b = try parted.monthly(months, group: group, groups: ids.count)
        #expect(ids.count > 100 && a.unknownCustomer == nil)
        #expect(a.invoices.contains { $0 != 0 } && a.netChange.contains { $0 != 0 })
        #expect(a == b)
    }
}

enum MonthRangeList {
    static func months(from: YearMonth, to: YearMonth) -> [YearMonth] {
        var out: [YearMonth] = []
        var m = from
        while m <= to { out.append(m); m = m.advanced(by: 1) }
        return out
    }
}
