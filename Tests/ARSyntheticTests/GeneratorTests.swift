import ARLoading
import ARAnalytics
import ARModel
import Foundation
import Testing
import ARTestSupport
@testable import ARSynthetic

func tempPath() -> String { TestTemp.path("arlens-gen-") }

func generate(_ configure: (inout GeneratorOptions) -> Void = { _ in }) throws -> (String, LoadResult) {
    var o = GeneratorOptions()
    configure(&o)
    let dir = tempPath()
    _ = try LedgerGenerator.generate(o, to: dir, command: "test")
    return (dir, try LedgerLoader.load(directory: dir))
}

func csvRows(_ path: String) -> [[String: String]] {
    let text = try! String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let header = lines.removeFirst().split(separator: ",").map(String.init)
    return lines.map { line in
        // The truth files quote only the description (last column).
        var fields: [String] = []
        var rest = Substring(line)
        for k in 0..<header.count {
            if k == header.count - 1 { fields.append(String(rest)); break }
            let comma = rest.firstIndex(of: ",")!
            fields.append(String(rest[..<comma]))
            rest = rest[rest.index(after: comma)...]
        }
        return Dictionary(uniqueKeysWithValues: zip(header, fields))
    }
}

/// The sample-sized generated ledger, shared by the checks below.
let sample: (dir: String, result: LoadResult) = try! generate()

@Suite struct GeneratorTests {
    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        var o = GeneratorOptions()
        o.customers = 60
        o.months = 12
        let a = tempPath(), b = tempPath(), c = tempPath()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        _ = try LedgerGenerator.generate(o, to: a, command: "x")
        _ = try LedgerGenerator.generate(o, to: b, command: "x")
        o.seed = 43
        _ = try LedgerGenerator.generate(o, to: c, command: "x")
        let files = ["customers.csv", "invoices.csv", "payments.csv", "applications.csv", "adjustments.csv", "disputes.csv",
                     "activities.csv", "purchase_orders.csv", "fx_rates.csv", "arlens.yml", "_truth/anomalies.csv",
                     "_truth/customers.csv"]
        for f in files {
            let x = FileManager.default.contents(atPath: a + "/" + f)!
            #expect(x == FileManager.default.contents(atPath: b + "/" + f)!, "\(f) differs between two runs")
            #expect(x.count > 10)
        }
        #expect(FileManager.default.contents(atPath: a + "/invoices.csv") != FileManager.default.contents(atPath: c + "/invoices.csv"))
    }

    @Test func everyRowLoadsAndNothingIsOverApplied() {
        let r = sample.result
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.prefix(3).map(\.message))")
        #expect(r.report.findings.isEmpty, "\(r.report.findings.prefix(3).map(\.message))")
        #expect(r.ledger.customers.count == 202)            // 200 and two entered twice
        #expect((9000...15000).contains(r.ledger.invoices.count))
        for t in ["payments", "applications", "adjustments", "disputes", "activities", "purchase_orders", "fx_rates"] {
            #expect((r.report.files.first { $0.table == t }?.loaded ?? 0) > 50, "\(t) is nearly empty")
        }
        #expect(Set(r.ledger.invoices.currency).count == 4)  // USD plus EUR, GBP, JPY customers
        let kinds = Set(r.ledger.adjustments.kind)
        #expect(kinds == Set(AdjustmentKind.allCases))
        let quality = Set(DataQuality.findings(r.ledger).map(\.kind))
        #expect(quality.isSuperset(of: ["missing_email", "malformed_email", "missing_phone", "duplicate_customer_name", "missing_po"]))
    }

    @Test func truthDocumentsExist() {
        let l = sample.result.ledger
        let truth = csvRows(sample.dir + "/_truth/anomalies.csv")
        let kinds = Set(truth.map { $0["kind"]! })
        #expect(kinds == ["duplicate_invoice", "near_duplicate_invoice", "duplicate_po", "fabricated_invoice", "off_hours_entry",
                          "credit_after_payment", "self_approved_write_off", "concentrated_write_offs", "lapping",
                          "duplicate_payment"])
        for row in truth {
            for doc in row["documents"]!.split(separator: ";").map(String.init) {
                let found = l.invoices.ids.find(doc) != nil || l.payments.ids.find(doc) != nil || l.adjustments.ids.find(doc) != nil
                #expect(found, "\(row["anomaly_id"]!): \(doc) is not in the ledger")
            }
            for c in row["customers"]!.split(separator: ";").map(String.init) { #expect(l.customers.ids.find(c) != nil) }
        }
        // Lapping: a payment of one customer settles another customer's invoice.
        let lapping = truth.first { $0["kind"] == "lapping" }!
        let payments = lapping["documents"]!.split(separator: ";").compactMap { l.payments.ids.find(String($0)) }
        #expect(payments.count == 4)
        let crossed = (0..<l.applications.count).filter { k in
            payments.contains(l.applications.payment[k]) &&
                l.invoices.customer[l.applications.document[k].invoiceIndex!] != l.payments.customer[Int(l.applications.payment[k])]
        }
        #expect(crossed.count == 4)
    }

    /// The bundled sample is exactly what the command in its arlens.yml (and the README) writes.
    @Test func bundledSampleRegeneratesByteForByte() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("datasets/sample").path
        var o = GeneratorOptions()
        o.seed = 42; o.customers = 200; o.months = 24; o.endMonth = YearMonth(year: 2026, month: 10)
        let dir = tempPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try LedgerGenerator.generate(o, to: dir,
            command: "arlens generate --out datasets/sample --seed 42 --customers 200 --months 24 --end 2026-10")
        for f in try FileManager.default.subpathsOfDirectory(atPath: dir) where f.hasSuffix(".csv") || f.hasSuffix(".yml") {
            #expect(FileManager.default.contents(atPath: dir + "/" + f) == FileManager.default.contents(atPath: root + "/" + f),
                    "datasets/sample/\(f) is not what the generator writes")
        }
    }

    @Test func anomaliesCanBeTurnedOff() throws {
        let (dir, r) = try generate { $0.customers = 80; $0.months = 12; $0.anomalies = .none }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(csvRows(dir + "/_truth/anomalies.csv").isEmpty)
        #expect(r.report.rejections.isEmpty)
        let l = r.ledger
        #expect(!(0..<l.invoices.count).contains { l.invoices.symbols[l.invoices.createdBy[$0]] == "jpark" })
    }

    @Test func scaleGivesExactlyThatManyInvoices() throws {
        for level in [GeneratorOptions.AnomalyLevel.none, .some] {
            let (dir, r) = try generate { $0.invoices = 30_000; $0.customers = 250; $0.anomalies = level }
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(r.ledger.invoices.count == 30_000)
            #expect(r.report.rejections.isEmpty)
            guard level == .some else { continue }
            // 30,000 invoices plant 12 of each kind: 48 fabricated invoices, eight to a customer
            // over six customers (the sample's 16 go to two), not 24 to each of two.
            var perCustomer: [String: Int] = [:]
            for row in csvRows(dir + "/_truth/anomalies.csv") where row["kind"] == "fabricated_invoice" {
                perCustomer[row["customers"]!, default: 0] += 1
            }
            #expect(perCustomer.values.sorted() == [8, 8, 8, 8, 8, 8])
        }
    }

    /// The bundled sample's fabricated invoices: 16, eight to each of two customers.
    @Test func sampleFabricatesOnTwoCustomers() {
        var perCustomer: [String: Int] = [:]
        for row in csvRows(sample.dir + "/_truth/anomalies.csv") where row["kind"] == "fabricated_invoice" {
            perCustomer[row["customers"]!, default: 0] += 1
        }
        #expect(perCustomer.values.sorted() == [8, 8])
    }
}

/// What a credit manager would check: the behaviour is plausible and the story shows.
@Suite struct GeneratedStatisticsTests {
    let l = sample.result.ledger
    var profiles: [String: String] {
        Dictionary(uniqueKeysWithValues: csvRows(sample.dir + "/_truth/customers.csv").map { ($0["customer_id"]!, $0["profile"]!) })
    }

    /// Settlement day of each fully paid invoice (the last application).
    var settled: [Int: Day] {
        var paid = [Int64](repeating: 0, count: l.invoices.count)
        var last = [Day?](repeating: nil, count: l.invoices.count)
        for k in 0..<l.applications.count {
            guard let i = l.applications.document[k].invoiceIndex else { continue }
            paid[i] += l.applications.amount[k]
            last[i] = max(last[i] ?? l.applications.date[k], l.applications.date[k])
        }
        var out: [Int: Day] = [:]
        for i in 0..<l.invoices.count where paid[i] == l.invoices.amount[i] { out[i] = last[i]! }
        return out
    }

    func base(_ minor: Int64, _ c: Currency, _ d: Day) -> Double {
        let r = c == l.baseCurrency ? ExchangeRate.one : l.fxRates.rate(c, on: d)!
        return Double(r.convert(minor, fromDigits: c.minorDigits, toDigits: 2)) / 100
    }

    @Test func paymentHabitsByProfile() {
        let prof = profiles
        var late: [String: [Int]] = [:]
        for (i, day) in settled {
            late[prof[l.customers.ids[l.invoices.customer[i]]]!, default: []].append(day - l.invoices.dueDate[i])
        }
        func mean(_ p: String) -> Double { Double(late[p]!.reduce(0, +)) / Double(late[p]!.count) }
        let all = late.values.flatMap { $0 }
        let shareLate = Double(all.filter { $0 > 0 }.count) / Double(all.count)
        #expect((0.3...0.65).contains(shareLate), "share paid late \(shareLate)")
        #expect(mean("prompt") < 0)
        #expect(mean("prompt") < mean("slow"))
        #expect(mean("slow") < mean("chronic"))
        #expect(mean("chronic") > 30)
    }

    @Test func dsoIsBetween30And90() {
        // Net AR at the export date = documents - payments - credits, each at its own rate.
        var ar = 0.0, billed3 = 0.0
        let end = sample.result.ledger.dateRange!.upperBound
        let windowStart = YearMonth(year: 2026, month: 8).firstDay
        for i in 0..<l.invoices.count {
            let v = base(l.invoices.amount[i], l.invoices.currency[i], l.invoices.issueDate[i])
            ar += v
            if l.invoices.issueDate[i] >= windowStart { billed3 += v }
        }
        for p in 0..<l.payments.count { ar -= base(l.payments.amount[p], l.payments.currency[p], l.payments.receivedDate[p]) }
        for a in 0..<l.adjustments.count {
            let v = base(l.adjustments.amount[a], l.adjustments.currency[a], l.adjustments.date[a])
            ar += l.adjustments.kind[a].isDebit ? v : -v
            if l.adjustments.kind[a].isDebit && l.adjustments.date[a] >= windowStart { billed3 += v }
        }
        let dso = ar / billed3 * 92
        #expect(end <= Day(iso: "2026-10-31")! && end >= Day(iso: "2026-10-27")!)   // nothing after the export date
        #expect((30...90).contains(dso), "DSO \(dso)")
    }

    @Test func theStoryShows() {
        // Billing is seasonal: October and November above January and February.
        var byMonth = [Int: Double]()
        for i in 0..<l.invoices.count {
            byMonth[l.invoices.issueDate[i].month, default: 0] += base(l.invoices.amount[i], l.invoices.currency[i], l.invoices.issueDate[i])
        }
        #expect(byMonth[10]! > 1.2 * byMonth[1]!)
        #expect(byMonth[4]! > 1.1 * byMonth[2]!)
        // The deteriorating customer pays later and later.
        let c = profiles.first { $0.value == "deteriorating" && l.customers.ids.find($0.key).map { id in
            (0..<l.invoices.count).filter { l.invoices.customer[$0] == id }.count > 100 } == true }!.key
        let id = l.customers.ids.find(c)!
        var early: [Int] = [], recent: [Int] = []
        for (i, day) in settled where l.invoices.customer[i] == id {
            let dl = day - l.invoices.dueDate[i]
            if l.invoices.issueDate[i] < YearMonth(year: 2025, month: 5).firstDay { early.append(dl) }
            if l.invoices.issueDate[i] >= YearMonth(year: 2026, month: 3).firstDay { recent.append(dl) }
        }
        let e = Double(early.reduce(0, +)) / Double(early.count), r = Double(recent.reduce(0, +)) / Double(recent.count)
        #expect(r > e + 20, "deteriorating customer: \(e) days late early, \(r) recently")
    }
}
