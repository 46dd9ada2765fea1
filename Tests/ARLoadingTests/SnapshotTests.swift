import Dispatch
import Foundation
@testable import ARLoading
import ARModel
import Testing

/// The ledger snapshot (LedgerCache): the same ledger and report as the CSVs give, and any
/// snapshot that does not match them exactly is ignored and replaced.
@Suite struct SnapshotTests {
    /// A temporary copy of the hand-made ledger (every table) plus a rejected invoice row, and
    /// a per-user cache folder of its own.
    final class Copy: @unchecked Sendable {
        let path: String
        let user: String
        init() {
            path = TempLedger.folder([:], prefix: "arlens-snap-")
            user = TempLedger.folder([:], prefix: "arlens-snap-user-")
            let fm = FileManager.default
            for f in try! fm.contentsOfDirectory(atPath: handmadeLedgerPath) {
                try! fm.copyItem(atPath: handmadeLedgerPath + "/" + f, toPath: path + "/" + f)
            }
            var inv = try! String(contentsOfFile: path + "/invoices.csv", encoding: .utf8)
            let header = inv.split(separator: "\n")[0].split(separator: ",")
            // A row whose amount has too many decimals: rejected, and must stay reported.
            inv += header.map { $0 == "invoice_id" ? "INV-BAD" : $0 == "customer_id" ? "C001" : $0 == "amount" ? "1.234"
                                : $0 == "issue_date" ? "2026-01-05" : "" }.joined(separator: ",") + "\n"
            try! inv.write(toFile: path + "/invoices.csv", atomically: true, encoding: .utf8)
        }
        deinit {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: user)
        }

        var config: ConfigurationFile { try! LedgerLoader.configuration(directory: path) }
        var tables: Set<TableName> { Set(TableName.allCases) }

        func load() throws -> (LoadResult, LedgerCache.Outcome) {
            try LedgerCache.load(directory: path, config: config, tables: tables, userFolder: user) { () throws(LoadError) in
                try LedgerLoader.load(directory: path, config: config)
            }
        }

        var snapshot: String { LedgerCache.localFolder(path) + "/" + LedgerCache.fileName(path, tables: tables) }
    }

    /// Everything a snapshot holds, as bytes: equal bytes, equal ledgers and reports.
    static func bytes(_ r: LoadResult) throws -> [UInt8] {
        var out: [UInt8] = []
        let w = SnapshotWriter { out += $0 }
        try r.ledger.write(to: w)
        try r.report.write(to: w)
        _ = try w.finish()
        return out
    }

    @Test func aSecondLoadReadsTheSnapshotAndGivesTheSameLedgerAndReport() throws {
        let c = Copy()
        let (first, o1) = try c.load()
        #expect(o1 == .miss(written: true))
        #expect(FileManager.default.fileExists(atPath: c.snapshot))
        let (second, o2) = try c.load()
        #expect(o2 == .hit)
        #expect(try Self.bytes(first) == Self.bytes(second))
        #expect(second.report.rejections.map(\.message) == ["invoices.csv:\(first.report.rejections[0].line): column 'amount': '1.234': more decimals than USD allows (2)"])
        #expect(second.report.rejections == first.report.rejections)
        #expect(second.report.files == first.report.files)
        #expect(second.report.findings == first.report.findings)
        #expect(second.report.notes == first.report.notes)
        #expect(second.ledger.invoices.ids.find("INV-BAD") == nil)
        #expect(second.ledger.invoices.count == first.ledger.invoices.count)
        #expect(second.ledger.invoices.ids.find(first.ledger.invoices.ids[3]) == 3)
        #expect(second.ledger.fxRates.rates.count == first.ledger.fxRates.rates.count)
        // Nothing but the snapshot in the cache folder: no temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: LedgerCache.localFolder(c.path)) == [LedgerCache.fileName(c.path, tables: c.tables)])
    }

    /// Every stored property of every table is in its column list, so none is left out of
    /// the snapshot (or of compaction).
    @Test func everyTableListsEveryColumn() {
        func check<T: ColumnarTable>(_ t: T) {
            #expect(Mirror(reflecting: t).children.count == T.columns.count, "\(T.self)")
        }
        check(CustomerTable()); check(InvoiceTable()); check(PaymentTable()); check(ApplicationTable())
        check(AdjustmentTable()); check(DisputeTable()); check(ActivityTable()); check(PurchaseOrderTable())
        // The ledger's own fields: its nine tables, base currency and four flags.
        #expect(Mirror(reflecting: Ledger(baseCurrency: .USD)).children.count == 14)
    }

    @Test func aChangedFileMakesTheSnapshotStale() throws {
        let c = Copy()
        _ = try c.load()
        var pay = try String(contentsOfFile: c.path + "/payments.csv", encoding: .utf8)
        pay = pay.replacingOccurrences(of: "\n", with: "\r\n")   // same content for a reader, other bytes
        try pay.write(toFile: c.path + "/payments.csv", atomically: true, encoding: .utf8)
        let (_, o) = try c.load()
        #expect(o == .rejected("stale: the ledger or its configuration changed", written: true))
        #expect(try c.load().1 == .hit)
    }

    @Test func anEditOfTheSameSizeIsSeen() throws {
        let c = Copy()
        _ = try c.load()
        let p = c.path + "/invoices.csv"
        let before = LedgerCache.fileStamp(p).split(separator: " ")
        let text = try String(contentsOfFile: p, encoding: .utf8)
        // One digit of the rejected row's amount: the same size, other content.
        try text.replacingOccurrences(of: "1.234", with: "1.235").write(toFile: p, atomically: false, encoding: .utf8)
        let after = LedgerCache.fileStamp(p).split(separator: " ")
        #expect(after[0] == before[0])
        // The content hash alone tells them apart (size, time, inode aside).
        #expect(after[3] != before[3])
        let (loaded, o) = try c.load()
        #expect(o == .rejected("stale: the ledger or its configuration changed", written: true))
        #expect(loaded.report.rejections.first?.value == "1.235")
    }

    @Test func aChangedConfigurationMakesTheSnapshotStale() throws {
        let c = Copy()
        _ = try c.load()
        let yml = try String(contentsOfFile: c.path + "/arlens.yml", encoding: .utf8)
        try (yml + "\n# a comment\n").write(toFile: c.path + "/arlens.yml", atomically: true, encoding: .utf8)
        #expect(try c.load().1 == .rejected("stale: the ledger or its configuration changed", written: true))
    }

    @Test func aTruncatedSnapshotIsIgnoredAndRebuilt() throws {
        let c = Copy()
        let (first, _) = try c.load()
        let h = try #require(FileHandle(forUpdatingAtPath: c.snapshot))
        let size = try h.seekToEnd()
        try h.truncate(atOffset: size - 100)
        try h.close()
        let (second, o) = try c.load()
        guard case .rejected(let why, written: true) = o else { Issue.record("\(o)"); return }
        #expect(why.hasPrefix("truncated"))
        #expect(try Self.bytes(first) == Self.bytes(second))
        #expect(try c.load().1 == .hit)
    }

    @Test func aDamagedSnapshotIsIgnoredAndRebuilt() throws {
        let c = Copy()
        let (first, _) = try c.load()
        var data = try Data(contentsOf: URL(fileURLWithPath: c.snapshot))
        data[data.count - 40] ^= 0x10
        try data.write(to: URL(fileURLWithPath: c.snapshot))
        let (second, o) = try c.load()
        #expect(o == .rejected("damaged: the checksum does not match", written: true))
        #expect(try Self.bytes(first) == Self.bytes(second))
        #expect(try c.load().1 == .hit)
    }

    @Test func aSnapshotOfAnotherFormatVersionIsIgnoredAndRebuilt() throws {
        let c = Copy()
        _ = try c.load()
        var data = try Data(contentsOf: URL(fileURLWithPath: c.snapshot))
        data[8] = UInt8(truncatingIfNeeded: LedgerCache.formatVersion + 1)
        try data.write(to: URL(fileURLWithPath: c.snapshot))
        #expect(try c.load().1 == .rejected("format version \(LedgerCache.formatVersion + 1), this ARLens reads \(LedgerCache.formatVersion)", written: true))
        // Not a snapshot at all.
        try Data("hello, this is not a snapshot of anything at all; just text.".utf8).write(to: URL(fileURLWithPath: c.snapshot))
        #expect(try c.load().1 == .rejected("not an ARLens snapshot", written: true))
        #expect(try c.load().1 == .hit)
    }

    /// A flipped bit anywhere in the columns, not only near the end, is seen.
    @Test func aBitFlippedInTheMiddleIsSeen() throws {
        let c = Copy()
        let (first, _) = try c.load()
        var data = try Data(contentsOf: URL(fileURLWithPath: c.snapshot))
        data[data.count / 2] ^= 0x01
        try data.write(to: URL(fileURLWithPath: c.snapshot))
        let (second, o) = try c.load()
        #expect(o == .rejected("damaged: the checksum does not match", written: true))
        #expect(try Self.bytes(first) == Self.bytes(second))
    }

    /// Read from a snapshot, the columns stay in the mapped file: they are ordinary arrays,
    /// equal to the loaded ones, and changing one changes a copy, never the file or the
    /// other holders.
    @Test func columnsLeftInTheMappedFileAreOrdinaryArrays() throws {
        #expect(InPlaceArray.available)
        let c = Copy()
        let (first, _) = try c.load()
        let (second, o) = try c.load()
        #expect(o == .hit)
        let kept = second.ledger.invoices.amount
        var changed = second.ledger.invoices.amount
        changed[0] += 1
        changed.append(5)
        #expect(kept == first.ledger.invoices.amount)
        #expect(changed.count == kept.count + 1 && changed[0] == kept[0] + 1)
        #expect(try Self.bytes(first) == Self.bytes(second))
        #expect(try c.load().0.ledger.invoices.amount == first.ledger.invoices.amount)
    }

    @Test func anInPlaceArrayIsCopiedWhenChanged() throws {
        // Never freed, as in-place arrays' storage never is.
        let room = UnsafeMutableRawPointer.allocate(byteCount: InPlaceArray.headerSize + 16, alignment: 16)
        (room + InPlaceArray.headerSize).initializeMemory(as: Int32.self, repeating: 3, count: 4)
        let a: [Int32] = try #require(InPlaceArray.make(room, count: 4))
        var b = a
        b[1] = 9
        b.append(4)
        #expect(a == [3, 3, 3, 3] && b == [3, 9, 3, 3, 4])
        #expect((room + InPlaceArray.headerSize + 4).load(as: Int32.self) == 3)
        #expect(a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) } == UnsafeRawPointer(room + InPlaceArray.headerSize))
    }

    /// A ledger folder that cannot hold the cache folder: the snapshot goes to the per-user
    /// folder, and is read from there.
    @Test func anUnwritableLedgerFolderUsesThePerUserFolder() throws {
        let c = Copy()
        // A file where the cache folder would be: creating it fails as on a read-only folder.
        try Data().write(to: URL(fileURLWithPath: LedgerCache.localFolder(c.path)))
        let (first, o1) = try c.load()
        #expect(o1 == .miss(written: true))
        let name = LedgerCache.fileName(c.path, tables: c.tables)
        #expect(FileManager.default.fileExists(atPath: c.user + "/" + name))
        let (second, o2) = try c.load()
        #expect(o2 == .hit)
        #expect(try Self.bytes(first) == Self.bytes(second))
    }

    /// Loads running at the same time each read a whole snapshot or none: every one gives
    /// the same ledger.
    @Test func concurrentLoadsNeverSeeHalfASnapshot() throws {
        let c = Copy()
        let reference = try Self.bytes(LedgerLoader.load(directory: c.path))
        let results = ResultSlots<[UInt8]>(8)
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            results.set(i, (try? Self.bytes(c.load().0)) ?? [])
        }
        #expect(results.values.allSatisfy { $0 == reference })
        #expect(try FileManager.default.contentsOfDirectory(atPath: LedgerCache.localFolder(c.path)).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func clearRemovesTheSnapshotsAndStatusListsThem() throws {
        let c = Copy()
        _ = try c.load()
        // The test's own per-user folder, as its loads use (whatever ARLENS_CACHE_DIR says).
        let entries = LedgerCache.entries(directory: c.path, config: c.config, userFolder: c.user)
        #expect(entries.count == 1)
        #expect(entries.first?.current == true)
        #expect(try LedgerCache.clear(directory: c.path, config: c.config, userFolder: c.user) == 1)
        #expect(!FileManager.default.fileExists(atPath: LedgerCache.localFolder(c.path)))
        #expect(try c.load().1 == .miss(written: true))
    }
}
