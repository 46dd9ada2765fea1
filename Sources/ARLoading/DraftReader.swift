import ARModel
import Foundation

/// Draft invoices read for `arlens precheck`: the rows that parsed, with the ledger's customer
/// indices, and every row that did not, as a rejection naming file, line, column and value.
public struct DraftBatch: Sendable {
    public var invoices: InvoiceTable
    public var rejections: [Rejection]
    /// The file as messages name it.
    public var file: String
    /// Records read (parsed and rejected).
    public var read: Int
}

/// Reads a file of draft invoices with the loader's own invoices reader: the columns of
/// invoices.csv, or the invoices mapping of arlens.yml (names, date format, amount style), and
/// the same checks (a customer the ledger does not know, more decimals than the currency
/// allows, an impossible date, a repeated invoice_id are rejections). Nothing else is read.
public enum DraftReader {
    public static func read(path: String, config: ConfigurationFile, ledger: Ledger) throws(LoadError) -> DraftBatch {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .fileNotFound(path) }
        if isDir.boolValue { throw .unreadable(path, "is a folder; give the CSV file of draft invoices") }
        let reader = try TableReader(table: .invoices, path: path, displayName: path, mapping: config.mapping)
        let ctx = CustomerContext(master: ledger.customers, implicitCurrency: ledger.baseCurrency,
                                  defaultTerms: Int32(config.configuration.defaultTermsDays), masterFile: "the ledger's customers")
        let staged = TableParsers.invoices(reader, ctx)
        return DraftBatch(invoices: staged.table, rejections: reader.rejections.sorted { $0.line < $1.line },
                          file: path, read: reader.read)
    }
}
