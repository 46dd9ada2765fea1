import ARModel
import CSupport
import Foundation

/// The invoices file read by two threads at once. It is the biggest table by far: while one
/// thread reads it from the top, the other reads payments, applications and adjustments, and
/// then (`takeTail`) the second half of what the first has left, from a line start on. The
/// first stops exactly there (`RowRange.limit`), and `joined` puts the two parts together as
/// one pass over the file makes them: the same rows, ids, symbols, lines and rejections, in
/// the same order (`TableParsers.joinInvoices`).
///
/// The split point is found by looking for a line feed, which may lie inside a quoted value;
/// so is the second part's line number, by counting line feeds. Both are checked: the first
/// part must stop exactly at the split point (it knows where its records end) on the line the
/// second part started with. Otherwise the second part is dropped and the rest of the file
/// read again from where the first stopped.
///
/// Only for files (not exports) read against a customer master: without one, customers are
/// numbered as the rows first name them, which a second part cannot know.
final class InvoiceSplit: @unchecked Sendable {
    let reader: TableReader
    let ctx: CustomerContext
    /// About how many rows the whole file has.
    let rows: Int
    /// Below this many bytes left, the tail is not worth a second part.
    static let minimumTail = 4 << 20

    private let lock = NSLock()
    /// Where the first part is: its next record's offset and line (every 1,024 records).
    private var checkpoint: (position: Int, line: Int)
    /// Where the first part stops (Int64.max: it reads to the end). Read atomically by it.
    private let limit: UnsafeMutablePointer<Int64>
    private var firstDone = false
    /// Where the second part starts, and its line (`claim`).
    private(set) var splitAt: (offset: Int, from: Int, fromLine: Int)?
    /// What each part read (each written once by the thread that read it, read by `joined`
    /// after both threads are done).
    private var first: (part: InvoicePart, range: RowRange)?
    private var second: (line: Int, part: InvoicePart, range: RowRange, seconds: Double)?
    /// Whether the split was used (false: it was not at a record boundary, the rest was read again).
    private(set) var usedSplit = false

    /// `forcedAt`: split at the first line start at or after this offset, before either part
    /// starts (tests; the second part is then read by `readForcedSecond`).
    init(_ reader: TableReader, _ ctx: CustomerContext, forcedAt: Int? = nil) {
        self.reader = reader
        self.ctx = ctx
        rows = reader.estimatedRows
        let start = reader.nextScanner
        checkpoint = (start.position, start.line)
        limit = .allocate(capacity: 1)
        limit.initialize(to: Int64.max)
        if let forcedAt { _ = claim(atOrAfter: max(forcedAt, start.position), from: start.position, line: start.line) }
    }

    deinit { limit.deallocate() }

    /// Whether `reader` may be read in two parts with `ctx`.
    static func applies(_ reader: TableReader, _ ctx: CustomerContext) -> Bool {
        ctx.hasMaster && reader.splittable
    }

    /// Sets the split point at the start of the first line at or after `offset` (none when
    /// the file ends first). Under the lock, or before the threads start.
    private func claim(atOrAfter offset: Int, from: Int, line: Int) -> Bool {
        let bytes = reader.file.bytes
        guard offset < bytes.count, let base = bytes.baseAddress else { return false }
        guard let nl = memchr(base + offset, 10, bytes.count - offset) else { return false }
        let s = UnsafeRawPointer(nl) - base + 1
        guard s < bytes.count else { return false }
        splitAt = (s, from, line)
        arlens_atomic_store(limit, Int64(s))
        return true
    }

    /// Reads the first part: from the top to the split point, or to the end when the file
    /// is not split.
    func readFirst() {
        var range = RowRange(scanner: reader.nextScanner)
        range.limit = limit
        range.progress = { [unowned self] position, line in
            self.lock.lock()
            self.checkpoint = (position, line)
            self.lock.unlock()
        }
        let part = TableParsers.invoicePart(reader, ctx, &range, rows: rows, deferIDs: true)
        range.progress = nil
        lock.lock()
        firstDone = true
        lock.unlock()
        var staged = part.staged
        let duplicates = TableParsers.finishInvoices(&staged, part, reader)
        range.tally.rejections = InvoiceSplit.merged(range.tally.rejections, duplicates)
        first = (InvoicePart(staged: staged), range)
    }

    /// For a thread with nothing else to do: when the first part still has at least
    /// `minimumTail` bytes to read, splits what it has left in two and reads the second half.
    func takeTail() {
        lock.lock()
        guard !firstDone, splitAt == nil else { lock.unlock(); return }
        let (p0, l0) = checkpoint
        let end = reader.file.bytes.count
        guard end - p0 >= InvoiceSplit.minimumTail, claim(atOrAfter: p0 + (end - p0) / 2, from: p0, line: l0) else {
            lock.unlock()
            return
        }
        lock.unlock()
        readSecond()
    }

    /// The second part of a split made before the threads started (`forcedAt`).
    func readForcedSecond() { readSecond() }

    private func readSecond() {
        guard let (s, p0, l0) = splitAt else { return }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let bytes = reader.file.bytes
        let line = l0 + arlens_count_byte(bytes.baseAddress! + p0, s - p0, 10)
        var range = RowRange(scanner: reader.scanner(at: s, line: line))
        let part = TableParsers.invoicePart(reader, ctx, &range, rows: tailRows(from: s), deferIDs: true)
        second = (line, part, range, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }

    /// About how many rows lie from `offset` to the end.
    private func tailRows(from offset: Int) -> Int {
        let n = reader.file.bytes.count
        let top = reader.nextScanner.position
        guard n > top else { return 16 }
        return Int(Double(rows) * Double(n - offset) / Double(n - top) * 1.1) + 16
    }

    /// How long the second part took to read (0 when there was none).
    var secondSeconds: Double { second?.seconds ?? 0 }

    /// The whole table, once both parts are read; the reader then holds every rejection, in
    /// line order, and its counts, as after one pass.
    func joined() -> StagedInvoices {
        guard let r1 = first?.range else { preconditionFailure("InvoiceSplit: the first part was not read") }
        // Taken out, so that the columns are appended to in place (no other copy holds them).
        var staged = first!.part.staged
        first = nil
        reader.absorb(r1.tally)
        guard let (s, _, _) = splitAt else {
            reader.finish(RowRange(scanner: r1.scanner))
            return staged
        }
        var rest: (part: InvoicePart, range: RowRange)
        if let b = second, r1.stoppedAtLimit, r1.scanner.position == s, r1.scanner.line == b.line {
            rest = (b.part, b.range)
            usedSplit = true
        } else {
            // The first part did not end at the split point (a quoted value runs over it, or
            // it was past it already), or ended on another line: the rest is read from where
            // it stopped.
            var range = RowRange(scanner: r1.scanner)
            let part = TableParsers.invoicePart(reader, ctx, &range, rows: tailRows(from: r1.scanner.position), deferIDs: true)
            rest = (part, range)
        }
        second = nil
        let duplicates = TableParsers.joinInvoices(&staged, rest.part, reader)
        rest.range.tally.rejections = InvoiceSplit.merged(rest.range.tally.rejections, duplicates)
        reader.finish(rest.range)
        return staged
    }

    /// Two lists of rejections in line order, merged in line order.
    static func merged(_ a: [Rejection], _ b: [Rejection]) -> [Rejection] {
        if b.isEmpty { return a }
        var out: [Rejection] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].line < b[j].line) { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        return out
    }
}

/// Hands out job numbers 0, 1, 2, ... to the threads that ask, each once.
final class JobQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextJob = 0
    private let count: Int
    init(_ count: Int) { self.count = count }
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextJob < count else { return nil }
        nextJob += 1
        return nextJob - 1
    }
}
