import ARAnalytics
import ARModel
import ARReport
import ARTestSupport
import ChartKit
import Foundation
import Testing
@testable import ARLensKit

/// `arlens pack --by region`: the whole pack as without `--by`, plus one pack per region in
/// `<month>/by-region/<region>/`, each drawn from the region's part of the ledger.
@Suite struct PackByUnitTests {
    static let ws = try! Workspace(LedgerSource(directory: TestPaths.root + "/datasets/sample"), tables: nil)

    static func options(_ out: String) -> PackOptions {
        var o = PackOptions()
        o.outDirectory = out
        o.templates = TestPaths.root + "/report-templates/pack"
        return o
    }

    /// Every file under `dir` (relative paths), leaving out `skip`.
    static func files(_ dir: String, skipping skip: String? = nil) -> [String] {
        let all = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? []
        return all.filter { p in
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir)
            return !isDir.boolValue && !(skip.map { p.hasPrefix($0 + "/") } ?? false)
        }.sorted()
    }

    /// Net AR from a pack's `csv/aging_summary.csv`, in minor units (the sample is in USD).
    static func netAR(_ dir: String) throws -> Int64 {
        let csv = try String(contentsOfFile: dir + "/csv/aging_summary.csv", encoding: .utf8)
        let line = try #require(csv.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Net AR,") })
        let value = String(line.split(separator: ",", omittingEmptySubsequences: false)[1])
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 2 && parts[1].count == 2, "\(value)")
        return try #require(Int64(parts[0] + parts[1]))
    }

    @Test func onePackPerRegionBesideAnUnchangedWhole() throws {
        let base = TestTemp.path("arlens-pack-by-")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let ws = PackByUnitTests.ws
        let month = YearMonth(year: 2026, month: 10)
        let (plainDir, _, none) = try ws.pack(month: month, options: PackByUnitTests.options(base + "/plain"), canvas: RecordingCanvas())
        #expect(none.isEmpty)
        let (dir, model, units) = try ws.pack(month: month, options: PackByUnitTests.options(base + "/by"), by: .region, canvas: RecordingCanvas())
        #expect(!model.company.contains(" — region "))

        // One pack per region, named after it.
        let regions = Grouping(ws.ledger, by: .region).keys
        #expect(regions.count >= 3)
        #expect(units == regions.map { "by-region/\($0)" })
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir + "/by-region").sorted()
        #expect(entries == regions.sorted())
        let wholeFiles = PackByUnitTests.files(plainDir)
        let core = ["csv/aging_summary.csv", "index.html", "kpis.json", "pack.pdf", "pack.xlsx", "slides.pptx", "summary.pdf"]
        for unit in units {
            // Each unit's pack has every format; sections it has no data for are left out.
            let files = Set(PackByUnitTests.files(dir + "/" + unit))
            #expect(files.isSuperset(of: core) && files.isSubset(of: wholeFiles), "\(unit)")
        }

        // The whole pack is byte for byte the pack written without --by.
        #expect(PackByUnitTests.files(dir, skipping: "by-region") == wholeFiles)
        for f in wholeFiles {
            #expect(FileManager.default.contents(atPath: dir + "/" + f) == FileManager.default.contents(atPath: plainDir + "/" + f), "\(f)")
        }

        // Each region's Net AR is the whole ledger's aging row for that region, moved only by
        // cash that crossed regions (see SlidesJobTests): +applied to its documents by other
        // regions' customers, − applied by its customers to other regions' documents.
        let l = ws.ledger, asOf = month.lastDay
        let whole = Aging.compute(ws.timeline, asOf: asOf, by: .region)
        let g = Grouping(l, by: .region)
        var cross = [Int64](repeating: 0, count: g.count), foreign = [Bool](repeating: false, count: g.count)
        for k in 0..<l.applications.count where l.applications.date[k] <= asOf {
            let d = l.applications.document[k]
            guard let c = d.invoiceIndex.map({ l.invoices.customer[$0] }) ?? d.adjustmentIndex.map({ l.adjustments.customer[$0] }) else { continue }
            let p = Int(l.applications.payment[k])
            let payer = Int(g.customerGroup[Int(l.payments.customer[p])]), holder = Int(g.customerGroup[Int(c)])
            guard payer != holder else { continue }
            let docCurrency = d.invoiceIndex.map { l.invoices.currency[$0] } ?? l.adjustments.currency[d.adjustmentIndex!]
            if l.payments.currency[p] != l.baseCurrency || docCurrency != l.baseCurrency { foreign[payer] = true; foreign[holder] = true }
            cross[holder] += l.applications.amount[k]; cross[payer] -= l.applications.amount[k]
        }
        var compared = 0
        for (k, key) in regions.enumerated() where !foreign[k] {
            let row = try #require(whole.rows.first { $0.group == key })
            #expect(try PackByUnitTests.netAR(dir + "/by-region/" + key) == row.total + cross[k], "region \(key)")
            compared += 1
        }
        #expect(compared >= 3)
        #expect(try PackByUnitTests.netAR(dir) == whole.total.total)
        #expect(cross.contains { $0 != 0 })   // the sample's misapplied cash crosses regions

        // A unit's pack says which unit it is.
        let html = try String(contentsOfFile: dir + "/by-region/\(regions[0])/index.html", encoding: .utf8)
        #expect(html.contains("region \(regions[0])"))
    }

    /// A canvas that fails on its `failAt`-th PDF (1-based): the whole pack draws two PDFs.
    final class FailingCanvas: Canvas, @unchecked Sendable {
        let inner = RecordingCanvas(), failAt: Int
        private let lock = NSLock()
        private var pdfs = 0
        init(failAt: Int) { self.failAt = failAt }
        struct Failure: Error, CustomStringConvertible { var description: String { "disk full" } }
        func makeMeasurer() throws -> any TextMeasuring { try inner.makeMeasurer() }
        func png(_ scene: Scene, scale: Double) throws -> Data { try inner.png(scene, scale: scale) }
        func pngs(_ scenes: [Scene], scale: Double) throws -> [Data] { try inner.pngs(scenes, scale: scale) }
        func svg(_ scene: Scene) throws -> Data { try inner.svg(scene) }
        func pdf(_ pages: [Scene], title: String) throws -> Data {
            let n = lock.withLock { pdfs += 1; return pdfs }
            if n == failAt { throw Failure() }
            return try inner.pdf(pages, title: title)
        }
    }

    /// A failure in the third unit's pack leaves the previous month folder as it was: no whole
    /// pack, no unit packs, no staging folder.
    @Test func aFailedRunLeavesThePreviousPack() throws {
        let base = TestTemp.path("arlens-pack-by-fail-")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let month = YearMonth(year: 2026, month: 10)
        var o = PackByUnitTests.options(base)
        o.formats = [.pdf, .json]
        let (dir, _, _) = try PackByUnitTests.ws.pack(month: month, options: o, canvas: RecordingCanvas())
        let before = PackByUnitTests.files(dir)
        #expect(before.contains("pack.pdf"))
        #expect(throws: (any Error).self) {
            try PackByUnitTests.ws.pack(month: month, options: o, by: .region, canvas: FailingCanvas(failAt: 2 * 3 + 1))
        }
        #expect(PackByUnitTests.files(dir) == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/by-region"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: base) == ["2026-10"])
    }
}
