import ArgumentParser
import ARLoading
import ARModel
import AROutput
import Foundation

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What the ledger holds: tables, dates, currencies, billed and received totals.")

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let result = try ledger.load()
        let l = result.ledger
        var out = ""
        if let company = result.configuration.configuration.company { out += "\(company)\n" }
        if let range = l.dateRange { out += "Ledger \(ledger.data): \(range.lowerBound) to \(range.upperBound), base currency \(l.baseCurrency)\n\n" }
        var t = TextTable(["table", "rows"], align: [.left, .right])
        t.add(["customers", String(l.customers.count)])
        t.add(["invoices", String(l.invoices.count)])
        t.add(["payments", String(l.payments.count) + (l.paymentsFromInvoices ? " (from paid_date)" : "")])
        t.add(["applications", String(l.applications.count)])
        t.add(["adjustments", String(l.adjustments.count)])
        t.add(["disputes", String(l.disputes.count)])
        t.add(["activities", String(l.activities.count)])
        t.add(["purchase orders", String(l.purchaseOrders.count)])
        out += t.render() + "\n"

        var billed: [Currency: Int64] = [:], received: [Currency: Int64] = [:], applied: [Currency: Int64] = [:]
        for i in 0..<l.invoices.count { billed[l.invoices.currency[i], default: 0] += l.invoices.amount[i] }
        for i in 0..<l.payments.count { received[l.payments.currency[i], default: 0] += l.payments.amount[i] }
        for i in 0..<l.applications.count {
            applied[l.payments.currency[Int(l.applications.payment[i])], default: 0] += l.applications.amount[i]
        }
        var m = TextTable(["currency", "invoiced", "received", "applied"], align: [.left, .right, .right, .right])
        for c in Set(billed.keys).union(received.keys).sorted() {
            func f(_ v: Int64?) -> String { Money(minorUnits: v ?? 0, currency: c).groupedString }
            m.add([c.code, f(billed[c]), f(received[c]), f(applied[c])])
        }
        out += m.render()
        let r = result.report
        let findings = r.findings.count + DataQuality.findings(l).count
        out += "\n\(r.totalRead) rows read, \(r.totalRejected) rejected, \(findings) data-quality findings (arlens validate lists them)\n"
        print(out, terminator: "")
    }
}
