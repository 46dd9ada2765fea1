import Foundation
import Testing
@testable import ARModel
@testable import ARLoading

/// The parsers' column builders and value memo: exactly the values appended, across growth;
/// a memo answers only what the pool answered for the same bytes.
@Suite struct ColumnBuilderTests {
    @Test func columnBuilderGivesTheValuesAppendedAcrossItsCapacity() {
        // An estimate of 3 rows (16 slots) and 1,000 rows appended: it grows six times.
        var days = ColumnBuilder<Day?>(rows: 3)
        var amounts = ColumnBuilder<Int64>(rows: 3)
        var expectedDays: [Day?] = []
        var expectedAmounts: [Int64] = []
        for i in 0..<1000 {
            let d: Day? = i % 7 == 3 ? nil : Day(number: Int32(20_000 + i))
            days.append(d)
            amounts.append(Int64(i) * 1_000_003 - 250_000)
            expectedDays.append(d)
            expectedAmounts.append(Int64(i) * 1_000_003 - 250_000)
        }
        #expect(days.count == 1000)
        #expect(days[3] == nil && days[4] == Day(number: 20_004) && amounts[999] == 999 * 1_000_003 - 250_000)
        let d = days.finish(), a = amounts.finish()
        #expect(d == expectedDays)
        #expect(a == expectedAmounts)
        #expect(a.count == 1000 && a.first == -250_000 && a[500] == 500 * 1_000_003 - 250_000)
    }

    @Test func columnBuilderWithinTheEstimateAndEmpty() {
        var ids = ColumnBuilder<Int32>(rows: 100)
        for i in 0..<40 { ids.append(Int32(i * i)) }
        #expect(ids.finish() == (0..<40).map { Int32($0 * $0) })
        var none = ColumnBuilder<Bool>(rows: 0)
        #expect(none.finish() == [])
    }

    @Test func valueMemoKeepsExactBytesOnly() {
        let memo = ValueMemo(size: 16)
        defer { memo.deallocate() }
        func recall(_ s: String) -> Int32? { Array(s.utf8).withUnsafeBufferPointer { memo.recall($0) } }
        func remember(_ s: String, _ id: Int32) { Array(s.utf8).withUnsafeBufferPointer { memo.remember($0, id) } }
        #expect(recall("akhan") == nil)
        remember("akhan", 2)
        #expect(recall("akhan") == 2)
        // Same length, one byte apart, at every position; and a prefix, a longer value.
        #expect(recall("akhao") == nil && recall("bkhan") == nil && recall("akian") == nil)
        #expect(recall("akha") == nil && recall("akhan ") == nil)
        // Every length from 1 to 16 is kept whole; 17 bytes and more never are.
        let text = "0123456789abcdefghij"
        for n in 1...16 {
            let v = String(text.prefix(n))
            remember(v, Int32(100 + n))
            #expect(recall(v) == Int32(100 + n), "length \(n)")
            var changed = Array(v.utf8)
            changed[n - 1] ^= 1
            #expect(changed.withUnsafeBufferPointer { memo.recall($0) } == nil)
        }
        remember(String(text.prefix(17)), 7)
        #expect(recall(String(text.prefix(17))) == nil)
        #expect(recall("") == nil)
    }

    /// Many more distinct values than entries (customer ids of a big master): an answer is
    /// always the id remembered for those very bytes, or none.
    @Test func valueMemoNeverAnswersWrongUnderCollisions() {
        for (size, distinct) in [(16, 5000), (1024, 5000), (1024, 500)] {
            let memo = ValueMemo(size: size)
            defer { memo.deallocate() }
            var pool = StringPool()
            let keys = (0..<distinct).map { "C\(String(format: "%05d", $0 * 7919 % 100_000))" }
            var hits = 0
            for round in 0..<3 {
                for k in keys {
                    Array(k.utf8).withUnsafeBufferPointer { v in
                        let truth = pool.intern(v).id
                        if let m = memo.recall(v) {
                            #expect(m == truth, "\(k) round \(round)")
                            hits += 1
                        } else {
                            memo.remember(v, truth)
                        }
                    }
                }
            }
            #expect(pool.count == distinct)
            #expect(hits < 2 * distinct)
            // 500 values in 1,024 entries: most stay from one round to the next.
            if distinct == 500 { #expect(hits > 300) }
        }
    }

    /// A file whose first 64 KiB has long rows, so the row estimate is far too small: the
    /// parser's columns grow many times and hold every row's values, and 40 users (more than
    /// the symbol memo's 16 entries) each keep one id.
    @Test func invoiceColumnsGrowPastTheEstimate() throws {
        var text = "invoice_id,customer_id,invoice_number,issue_date,due_date,amount,currency,po_number,created_by,created_at\n"
        let long = String(repeating: "p", count: 1200)
        var expected: [(id: String, cust: String, amount: Int64, user: String, due: Int32)] = []
        for i in 0..<3000 {
            let cust = i % 3 == 0 ? "C2" : "C1"
            let user = "user\(i * 13 % 40)"
            let amount = Int64(i) * 101 + 5
            let po = i < 60 ? long : "PO\(i)"
            text += "I\(i),\(cust),,2026-01-\(10 + i % 9),,\(amount / 100).\(String(format: "%02d", amount % 100)),USD,\(po),\(user),\n"
            expected.append(("I\(i)", cust, amount, user, Int32(i % 9)))
        }
        let t = TempLedger(["invoices.csv": text, "customers.csv": Fixture.customers])
        let mapping = LedgerMapping()
        let customers = try TableReader(table: .customers, path: t.path + "/customers.csv", displayName: "customers.csv", mapping: mapping)
        let master = TableParsers.customers(customers, implicit: .USD, defaultTerms: 30).table
        let ctx = CustomerContext(master: master, implicitCurrency: .USD, defaultTerms: 30, masterFile: "customers.csv")
        let r = try TableReader(table: .invoices, path: t.path + "/invoices.csv", displayName: "invoices.csv", mapping: mapping)
        #expect(r.estimatedRows < 1000)
        let s = TableParsers.invoices(r, ctx)
        #expect(r.rejections.isEmpty)
        #expect(s.table.count == 3000)
        #expect(s.table.line == (0..<3000).map { Int32($0 + 2) })
        #expect(s.table.amount == expected.map(\.amount))
        #expect(s.table.customer.map { master.ids[$0] } == expected.map(\.cust))
        #expect(s.table.createdBy.map { s.table.symbols[$0] } == expected.map(\.user))
        #expect(s.table.symbols.count == 40)
        let issue0 = Day(year: 2026, month: 1, day: 10)!
        #expect(s.table.issueDate == expected.map { issue0 + Int($0.due) })
        // Due dates from the customers' terms: C1 30 days, C2 45.
        #expect(s.table.dueDate == expected.map { issue0 + Int($0.due) + ($0.cust == "C1" ? 30 : 45) })
        #expect(s.explicitCurrency.count == 3000 && s.explicitCurrency.allSatisfy { $0 })
        #expect(s.table.createdAt.allSatisfy { $0 == nil } && s.table.disputed.count == 3000)
        #expect(s.table.poNumber[0] == long && s.table.poNumber[2999] == "PO2999")
    }
}
