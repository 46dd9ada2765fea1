import ARModel

/// How one table of a user's export maps onto the canonical table: the file that holds it,
/// other column names, date and amount styles, and constant values for missing columns.
public struct TableMapping: Sendable, Equatable {
    /// The file, relative to the configuration's folder (or absolute).
    public var file: String?
    /// With a PostgreSQL source: the table or view that holds it (`schema.name`, or a name in
    /// the source's schema), or a query returning its columns.
    public var relation: String?
    public var query: String?
    /// Canonical column name -> the export's header name.
    public var columns: [String: String] = [:]
    public var dateFormat: DateFormat?
    public var amountStyle: AmountParser?
    /// Canonical column name -> a value used for every row (e.g. currency: EUR).
    public var constants: [String: String] = [:]
    /// invoices only: customer attribute -> the invoice export's header, used when there is
    /// no customers.csv (e.g. region: countryCode).
    public var customerColumns: [String: String] = [:]

    public init() {}
}

/// The `mapping` section of arlens.yml.
public struct LedgerMapping: Sendable, Equatable {
    public var tables: [TableName: TableMapping] = [:]
    /// Exports read in place (`preset:` or `exports:`): they make the ledger's invoices,
    /// payments, adjustments, applications and customers.
    public var exports: [ExportSource] = []
    /// Defaults for the tables this mapping names (`mapping.<table>:`); when it names none
    /// and reads no export, for every table (a whole folder written in one style). Beside named tables, a table the
    /// mapping does not name is a native ARLens file (a hand-made fx_rates.csv next to a mapped
    /// export) and is read in the ledger format: ISO dates, canonical amounts. The defaults
    /// never leak into it (issue 25: a global `DD.MM.YYYY` rejected every row of such a file).
    public var dateFormat: DateFormat = .iso
    public var amountStyle: AmountParser = .canonical
    /// `true`/`yes`/`1`... extra words read as true or false in boolean columns.
    public init() {}

    public func table(_ t: TableName) -> TableMapping { tables[t] ?? TableMapping() }
    public func dateFormat(_ t: TableName) -> DateFormat {
        guard let m = tables[t] else { return tables.isEmpty && exports.isEmpty ? dateFormat : .iso }
        return m.dateFormat ?? dateFormat
    }
    public func amountStyle(_ t: TableName) -> AmountParser {
        guard let m = tables[t] else { return tables.isEmpty && exports.isEmpty ? amountStyle : .canonical }
        return m.amountStyle ?? amountStyle
    }
}
