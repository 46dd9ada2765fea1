import Foundation
import Testing
@testable import ARModel
@testable import ARLoading

/// The loader reads plain records (one line, unquoted, ASCII) through `CSVScanner.nextPlain`
/// and everything else through `CSVScanner.next`. These tests hold the fast path to what the
/// full scanner gives, record by record and row by row, on inputs made to mix both.
@Suite struct FastPathTests {
    /// A small deterministic generator (tests must give the same input every run).
    struct Mix {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Records the way the loader reads them: the fast path first, `next` when it declines.
    /// Each is (line, range, fields as text) or (line, reason).
    static func read(_ bytes: [UInt8], fast: Bool, delimiter: UInt8 = 44) -> [String] {
        bytes.withUnsafeBytes { raw in
            var s = CSVScanner(bytes: raw, delimiter: delimiter)
            var fields: [CSVField] = []
            // Every field to a slot of its own (the loader's mapping when it copies fields).
            let most = 512
            let slots = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: most + 1)
            let dest = UnsafeMutablePointer<Int>.allocate(capacity: most + 1)
            for k in 0...most { dest[k] = k }
            defer { slots.deallocate(); dest.deallocate() }
            var cursor = CSVBlockCursor()
            var out: [String] = []
            func text(_ f: CSVField) -> String { s.withValue(f) { String(decoding: $0, as: UTF8.self) } + (f.quoted ? "(q)" : "") }
            while true {
                let start = s.position
                if fast, let n = s.nextPlain(into: slots, dest: dest, lastField: most, &cursor, maxRecord: 40) {
                    let texts = (0..<n).map { String(decoding: slots[$0], as: UTF8.self) }
                    out.append("\(s.line - 1) \(start..<(s.position - 1)) " + texts.joined(separator: "|"))
                    continue
                }
                guard let r = s.next(&fields) else { break }
                switch r {
                case .record(let line, let range): out.append("\(line) \(range) " + fields.map(text).joined(separator: "|"))
                case .malformed(let line, let field, let reason, _): out.append("\(line) malformed \(field): \(reason)")
                }
            }
            return out
        }
    }

    /// Random texts over an alphabet of everything the scanner treats specially (quotes,
    /// CR, LF, blank and padded lines, tabs, NUL, UTF-8, long values), of every length up to
    /// a few blocks: the fast path reads the same records, lines and fields as `next`.
    @Test func fastPathReadsWhatTheFullScannerReads() {
        let pieces: [[UInt8]] = ["a", "bc", "2026-01-31", "12.50", ",", ",", ",", "\n", "\n", "\r\n", "\r", "\"", "\"\"",
                                 " ", "  ", "\t", "\u{0}", "é", "x,y\n", "\n\n", "   \n", String(repeating: "v", count: 45)].map { Array($0.utf8) }
        var mix = Mix(state: 21)
        for round in 0..<3000 {
            var bytes: [UInt8] = []
            // Mostly plain rows, with a special piece now and then.
            let length = mix.next(400)
            while bytes.count < length {
                let k = mix.next(10) < 8 ? [0, 1, 2, 3, 4, 7, 18][mix.next(7)] : mix.next(pieces.count)
                bytes += pieces[k]
            }
            if round % 3 == 0 { bytes = Array("\u{FEFF}".utf8) + bytes }
            for delimiter in [UInt8(44), 9] {
                let full = Self.read(bytes, fast: false, delimiter: delimiter)
                let fast = Self.read(bytes, fast: true, delimiter: delimiter)
                #expect(fast == full, "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                if fast != full { return }
            }
        }
    }

    /// Plain rows on either side of every kind of odd one, at offsets across the 64-byte
    /// blocks: the staged invoices and every rejection (file, line, column, value, reason)
    /// are the same with the fast path on and off.
    @Test func invoicesParseTheSameWithAndWithoutTheFastPath() throws {
        let header = "invoice_id,customer_id,invoice_number,issue_date,due_date,amount,currency,po_number,created_by,created_at\n"
        let odd = [
            "I%,C1,,2026-01-10,2026-02-09,\"1,200.00\",USD,,ann,2026-01-10T08:00:00\n",         // quoted amount with a comma
            "I%,C1,,2026-01-10,,100.00,USD,\"PO\nwith a line break\",ann,\n",                   // quoted line break
            "I%,C1,,2026-01-10,,100.00,USD,PO-\"x\",bob,2026-01-10 09:15:00\n",                 // a quote inside a value
            "I%,C1,,2026-01-10,,100.00,USD,P\u{0}O,ann,\n",                                     // NUL byte
            "I%,C1,,2026-01-10,,100.00,EUR,Réf,ann,\n",                                        // UTF-8, another currency
            "I%,C1,,2026-01-10,,100.00,USD,,ann,\r\n",                                         // CRLF
            "\n   \n",                                                                      // blank lines
            "I%,C1,,2026-02-30,,100.00,USD,,ann,\n",                                           // no such date
            "I%,C1,,2026-01-10,,100.005,USD,,ann,\n",                                          // too many decimals
            "I%,C1,,2026-01-10,,-5,USD,,ann,\n",                                               // negative
            "I%,C1,,2026-01-10,,1e3,USD,,ann,\n",                                              // not an amount
            "I%,C1,,2026-01-10,,100.00,usd,,ann,2026-01-10T25:00:00\n",                        // bad time
            "I%,C9,,2026-01-10,,100.00,USD,,ann,\n",                                           // unknown customer
            "I1,C1,,2026-01-11,,100.00,USD,,ann,\n",                                           // duplicate id
            "I%,C1,,2026-01-10,,100.00,USD\n",                                                 // too few fields
            "I%,C1,,2026-01-10,,  7.25 ,USD, padded ,ann,\n",                                  // padded values
            "I%,C1,,1800-01-10,,100.00,USD,,ann,\n",                                           // date out of range
            "I%,C1,\"\",2026-01-10,,100.00,USD,,ann,\n",                                       // empty quoted value
            "I%,C1,,2026-01-10,,100.00,USD,\"never closed,ann,\n",                             // a quote never closed
        ]
        var mix = Mix(state: 7)
        for variant in 0..<12 {
            var text = header
            var n = 0
            for _ in 0..<300 {
                n += 1
                if mix.next(4) == 0 {
                    text += odd[mix.next(odd.count)].replacingOccurrences(of: "%", with: "\(n)")
                } else {
                    let day = 1 + mix.next(3)
                    text += "I\(n),C\(1 + mix.next(2)),\(n),2026-01-0\(day),,\(mix.next(100000) + 1).\(mix.next(90) + 10),USD,PO\(mix.next(9)),\(["ann", "bob"][mix.next(2)]),2026-01-0\(day)T10:\(10 + mix.next(50)):00\n"
                }
            }
            if variant % 2 == 1 { text.removeLast() }      // no final line break
            let t = TempLedger(["invoices.csv": text, "customers.csv": Fixture.customers])
            let mapping = LedgerMapping()
            func parse(fast: Bool) throws -> (StagedInvoices, [Rejection], Int) {
                let customers = try TableReader(table: .customers, path: t.path + "/customers.csv", displayName: "customers.csv", mapping: mapping)
                let master = TableParsers.customers(customers, implicit: .USD, defaultTerms: 30).table
                let ctx = CustomerContext(master: master, implicitCurrency: .USD, defaultTerms: 30, masterFile: "customers.csv")
                let r = try TableReader(table: .invoices, path: t.path + "/invoices.csv", displayName: "invoices.csv", mapping: mapping)
                r.plainFastPath = fast
                let s = TableParsers.invoices(r, ctx)
                return (s, r.rejections, r.read)
            }
            let (a, ra, na) = try parse(fast: true)
            let (b, rb, nb) = try parse(fast: false)
            #expect(na == nb)
            #expect(ra == rb, "variant \(variant)")
            #expect(ra.count > 10)
            #expect(a.table.ids.strings == b.table.ids.strings)
            #expect(a.table.count > 150)
            #expect(a.table.customer == b.table.customer)
            #expect(a.table.issueDate == b.table.issueDate)
            #expect(a.table.dueDate == b.table.dueDate)
            #expect(a.table.amount == b.table.amount)
            #expect(a.table.currency == b.table.currency)
            #expect(a.table.createdAt == b.table.createdAt)
            #expect(a.table.line == b.table.line)
            #expect((0..<a.table.count).map { a.table.poNumber[$0] } == (0..<b.table.count).map { b.table.poNumber[$0] })
            #expect((0..<a.table.count).map { a.table.number[$0] } == (0..<b.table.count).map { b.table.number[$0] })
            #expect(a.table.createdBy == b.table.createdBy && a.table.symbols.strings == b.table.symbols.strings)
        }
    }

    /// When the fast path cannot write each field straight into its column (a mapping that
    /// reads one header for two columns, or invoices' `customer_columns`, read by field
    /// index), it copies the fields: the staged invoices, their customer attributes and every
    /// rejection are still the same with it on and off, padded fields and rows of the wrong
    /// length included.
    @Test func mappedFieldsParseTheSameWithAndWithoutTheFastPath() throws {
        let header = "inv,cust,num,issue,amount,cur,region,terms\n"
        var text = header
        var mix = Mix(state: 11)
        for n in 1...400 {
            switch mix.next(12) {
            case 0: text += "I\(n),C\(n % 7), \(n),2026-01-05,10.00,USD,EU,30\n"         // padded: `next` trims it
            case 1: text += "I\(n),C\(n % 7),\(n),2026-01-05,10.00,USD\n"                // too few fields
            case 2: text += "I\(n),C\(n % 7),\(n),2026-01-05,10.00,USD,EU,30,x\n"        // too many
            case 3: text += "I\(n),C\(n % 7),\(n),2026-01-05,10.00,USD,EU,ten\n"         // bad terms
            case 4: text += "I\(n),C\(n % 7),\(n),2026-01-05,\"1,000.00\",USD,EU,30\n"    // quoted
            default: text += "I\(n),C\(n % 7),\(n),2026-01-0\(1 + mix.next(9)),\(mix.next(9999) + 1).\(10 + mix.next(90)),USD,R\(mix.next(3)),\(mix.next(60))\n"
            }
        }
        let t = TempLedger(["invoices.csv": text])
        var plainMap = TableMapping()
        plainMap.columns = ["invoice_id": "inv", "customer_id": "cust", "invoice_number": "num", "issue_date": "issue",
                            "amount": "amount", "currency": "cur"]
        var attrs = plainMap
        attrs.customerColumns = ["region": "region", "terms_days": "terms"]
        var shared = plainMap
        shared.columns["po_number"] = "num"        // one header read by two columns
        for tm in [plainMap, attrs, shared] {
            var mapping = LedgerMapping()
            mapping.tables[.invoices] = tm
            let ctx = CustomerContext(master: nil, implicitCurrency: .USD, defaultTerms: 30, masterFile: "customers.csv")
            func parse(fast: Bool) throws -> (StagedInvoices, [Rejection], Int) {
                let r = try TableReader(table: .invoices, path: t.path + "/invoices.csv", displayName: "invoices.csv", mapping: mapping)
                r.plainFastPath = fast
                let s = TableParsers.invoices(r, ctx)
                return (s, r.rejections, r.read)
            }
            let (a, ra, na) = try parse(fast: true)
            let (b, rb, nb) = try parse(fast: false)
            #expect(na == 400 && nb == 400)
            #expect(ra == rb)
            #expect(ra.count > 60)
            #expect(a.table.count == b.table.count && a.table.count > 200)
            #expect(a.table.ids.strings == b.table.ids.strings)
            #expect(a.table.customer == b.table.customer && a.localCustomers.strings == b.localCustomers.strings)
            #expect(a.table.issueDate == b.table.issueDate)
            #expect(a.table.amount == b.table.amount)
            #expect((0..<a.table.count).map { a.table.number[$0] } == (0..<b.table.count).map { b.table.number[$0] })
            #expect((0..<a.table.count).map { a.table.poNumber[$0] } == (0..<b.table.count).map { b.table.poNumber[$0] })
            #expect(a.customerAttributes == b.customerAttributes)
            if !tm.customerColumns.isEmpty { #expect(a.customerAttributes.count == 7) }
            if tm.columns["po_number"] != nil {
                #expect((0..<a.table.count).allSatisfy { a.table.poNumber[$0] == a.table.number[$0] && !a.table.number[$0].isEmpty })
            }
        }
    }

    /// The string hash reads a value's last bytes as two overlapping loads: it is still the
    /// word-at-a-time hash of the bytes (snapshots keep hash tags), for every length, and the
    /// byte comparison agrees with a plain one.
    @Test func stringHashAndComparisonReadEveryByte() {
        func reference(_ p: [UInt8]) -> UInt32 {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
            var i = 0
            while i < p.count {
                var w: UInt64 = 0
                for k in 0..<min(8, p.count - i) { w |= UInt64(p[i + k]) << (8 * UInt64(k)) }
                h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i += 8
            }
            h = (h ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
            return UInt32(truncatingIfNeeded: h ^ (h >> 32))
        }
        var mix = Mix(state: 3)
        for n in 1...40 {
            for _ in 0..<20 {
                let a = (0..<n).map { _ in UInt8(mix.next(256)) }
                #expect(a.withUnsafeBufferPointer { StringPool.hash($0) } == reference(a), "length \(n)")
                for k in 0..<n {
                    var b = a
                    b[k] ^= UInt8(1 + mix.next(255))
                    #expect(a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { memcmpBytes(x.baseAddress!, $0.baseAddress!, n) } } == false)
                    #expect(b.withUnsafeBufferPointer { StringPool.hash($0) } == reference(b))
                }
                #expect(a.withUnsafeBufferPointer { x in a.map { $0 }.withUnsafeBufferPointer { memcmpBytes(x.baseAddress!, $0.baseAddress!, n) } })
            }
        }
        // Pools built from such strings find each of them, and none of their one-byte changes.
        var pool = StringPool()
        let words = (1...300).map { k in Array("W\(k * 7919 % 100_003)-\(String(repeating: "x", count: k % 13))".utf8) }
        for w in words { w.withUnsafeBufferPointer { _ = pool.intern($0) } }
        for (k, w) in words.enumerated() {
            #expect(w.withUnsafeBufferPointer { pool.find($0) } == Int32(k))
            var c = w
            c[c.count - 1] ^= 0x40
            #expect(c.withUnsafeBufferPointer { pool.find($0) } == nil)
        }
    }

    /// Dates of one month in a row (read from the ISO month table, without the calendar) are
    /// still checked like any other (a day the month lacks, month 13, day 0, the range).
    @Test func datesOfAMonthAlreadySeenAreCheckedLikeAnyOther() throws {
        let days = ["2026-02-28", "2026-02-29", "2026-02-01", "2026-02-30", "2026-13-01", "2026-00-10", "2026-01-00",
                    "2026-01-31", "2024-02-29", "2199-12-31", "2200-01-01", "2199-12-30"]
        var text = "invoice_id,customer_id,issue_date,amount\n"
        for (k, d) in days.enumerated() { text += "I\(k),C1,\(d),10.00\n" }
        let t = TempLedger(["invoices.csv": text, "customers.csv": Fixture.customers])
        let r = try t.load()
        #expect(r.report.rejections.map { "\($0.line) \($0.value ?? "") \($0.reason)" } == [
            "3 2026-02-29 no such date", "5 2026-02-30 no such date", "6 2026-13-01 no such date",
            "7 2026-00-10 not a date in the format YYYY-MM-DD", "8 2026-01-00 no such date",
            "12 2200-01-01 date outside the accepted range 1900-01-01 to 2199-12-31",
        ])
        #expect(r.ledger.invoices.issueDate.map(\.description) == ["2026-02-28", "2026-02-01", "2026-01-31", "2024-02-29", "2199-12-31", "2199-12-30"])
    }

    /// The ISO month table answers exactly the texts the full parser accepts in range, with
    /// the same day: every year 1899 to 2200, months 00 to 14, days 00 to 39. Everything it
    /// leaves (nil) is for the full parser: an impossible or out-of-range date.
    @Test func isoMonthTableAgreesWithTheCalendar() {
        let memo = RowMemo(columns: 1)
        defer { memo.deallocate() }
        var answered = 0, left = 0
        for year in 1899...2200 {
            for month in 0...14 {
                for day in 0...39 {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    let bytes = Array(text.utf8)
                    let fast = bytes.withUnsafeBufferPointer { memo.isoDay($0) }
                    let full = bytes.withUnsafeBufferPointer { Day.parseISO($0) }.flatMap { ValueLimits.dates.contains($0) ? $0 : nil }
                    if fast != full { Issue.record("\(text): table \(String(describing: fast)), parser \(String(describing: full))") }
                    if fast == nil { left += 1 } else { answered += 1 }
                }
            }
        }
        // 300 years of days (73 leap years: 1900, 2100 are not), and the rest left to the parser.
        #expect(answered == 300 * 365 + 73)
        #expect(left == 302 * 15 * 40 - answered)
        // Not ten bytes, or not digits and dashes where the layout has them: left too.
        for text in ["2024-1-05", "2024/01/05", " 2024-01-05", "2024-01-05 ", "20240105", "2024-01-5x", "-024-01-05",
                     "2024--1-05", "2024-01-05T10:00", "２024-01-05", "2O24-01-05", "",
                     "2024-1:-05", "202/-01-05", "2024-01-0:", "2024-01-/5", "2024:01-05", "2024-01:05", "2024-01-\u{7F}5",
                     "20\u{B2}4-01-05", "2024-0\u{0}-05", "2024-01-05\u{0}"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { memo.isoDay($0) } == nil, "\(text)")
        }
    }

    /// Dates read through the month table are rejected as before when they are impossible,
    /// out of range or in another layout (file, line, column, value, reason), and the others
    /// keep their days, leap days and range ends included.
    @Test func isoDatesAtTheEdgesReadAsBefore() throws {
        let days = ["1900-01-01", "1899-12-31", "1900-02-29", "2000-02-29", "2100-02-29", "2024-02-29", "2023-02-29",
                    "2199-12-31", "2200-01-01", "0000-01-01", "9999-12-31", "2024-04-31", "2024-12-32", "2024-1-05",
                    "2024/01/05", "2024-01-05T10:00", "1970-01-01", "1969-12-31"]
        var text = "invoice_id,customer_id,issue_date,amount\n"
        for (k, d) in days.enumerated() { text += "I\(k),C1,\(d),10.00\n" }
        let t = TempLedger(["invoices.csv": text, "customers.csv": Fixture.customers])
        let r = try t.load()
        #expect(r.report.rejections.map { "\($0.file) \($0.line) \($0.column ?? "") \($0.value ?? "") \($0.reason)" } == [
            "invoices.csv 3 issue_date 1899-12-31 date outside the accepted range 1900-01-01 to 2199-12-31",
            "invoices.csv 4 issue_date 1900-02-29 no such date",
            "invoices.csv 6 issue_date 2100-02-29 no such date",
            "invoices.csv 8 issue_date 2023-02-29 no such date",
            "invoices.csv 10 issue_date 2200-01-01 date outside the accepted range 1900-01-01 to 2199-12-31",
            "invoices.csv 11 issue_date 0000-01-01 no such date",
            "invoices.csv 12 issue_date 9999-12-31 date outside the accepted range 1900-01-01 to 2199-12-31",
            "invoices.csv 13 issue_date 2024-04-31 no such date",
            "invoices.csv 14 issue_date 2024-12-32 no such date",
            "invoices.csv 15 issue_date 2024-1-05 not a date in the format YYYY-MM-DD",
            "invoices.csv 16 issue_date 2024/01/05 not a date in the format YYYY-MM-DD",
            "invoices.csv 17 issue_date 2024-01-05T10:00 not a date in the format YYYY-MM-DD",
        ])
        #expect(r.ledger.invoices.issueDate.map(\.description) == ["1900-01-01", "2000-02-29", "2024-02-29", "2199-12-31", "1970-01-01", "1969-12-31"])
        #expect(r.ledger.invoices.issueDate.map(\.number) == [-25567, 11016, 19782, 84005, 0, -1])
    }

    /// Empty dates: an empty optional one is nil (due_date: issue plus the customer's 30 days),
    /// an empty required one is rejected as before, and an optional one is checked like any.
    @Test func emptyAndOptionalISODates() throws {
        let text = "invoice_id,customer_id,issue_date,due_date,amount\nI1,C1,,2024-01-01,10.00\n"
            + "I2,C1,2024-01-01,,10.00\nI3,C1,2024-01-01,2024-02-30,10.00\nI4,C1,2024-01-31,2024-03-01,10.00\n"
        let t = TempLedger(["invoices.csv": text, "customers.csv": Fixture.customers])
        let r = try t.load()
        #expect(r.report.rejections.map { "\($0.line) \($0.column ?? "") \($0.value ?? "-") \($0.reason)" } == [
            "2 issue_date - is empty, but required", "4 due_date 2024-02-30 no such date",
        ])
        #expect(r.ledger.invoices.dueDate.map(\.description) == ["2024-01-31", "2024-03-01"])
    }

    /// The plain-amount reader agrees with the canonical parser wherever it answers, and
    /// leaves to it everything it does not read.
    @Test func plainAmountsAreWhatTheParserReads() throws {
        let samples = ["0", "5", "-5", "12.5", "12.50", "12.505", "0012.30", "-0", "-0.00", "1.", ".5", "+5", "1,000.00",
                       "999999999999999", "9999999999999999", "99999999999999999999", "12.0000", "7.1234", "7.12345", " 7", "-",
                       "1e5", "12.3.4", "١٢"]
        for text in samples {
            for digits in 0...4 {
                var t = text
                let (fast, full) = t.withUTF8 { p in
                    (Row.plainAmount(p, digits: digits), try? AmountParser.canonical.parse(p, digits: digits))
                }
                if let fast { #expect(fast == full, "\(text) at \(digits) decimals") }
            }
        }
        // The loader's reader: the same answers, and none past the accepted range (the full
        // parser words that error).
        let memo = RowMemo(columns: 1)
        defer { memo.deallocate() }
        for text in samples + ["9999999999999", "999999999999.99", "-999999999999.99", "99999999999999.5"] {
            for digits in 0...6 {
                var t = text
                let (fast, plain) = t.withUTF8 { (memo.plainAmount($0, digits: digits), Row.plainAmount($0, digits: digits)) }
                let limit = ValueLimits.maxWholeUnits.magnitude * UInt64(Money.powersOfTen[digits])
                #expect(fast == plain.flatMap { $0.magnitude < limit ? $0 : nil }, "\(text) at \(digits) decimals")
            }
        }
        var t = "123.45"
        #expect(t.withUTF8 { Row.plainAmount($0, digits: 2) } == 12345)
        #expect(t.withUTF8 { Row.plainAmount($0, digits: 4) } == 1234500)
        #expect(t.withUTF8 { Row.plainAmount($0, digits: 1) } == nil)
    }
}
