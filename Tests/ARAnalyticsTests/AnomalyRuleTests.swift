import ARLoading
import ARModel
import Foundation
import Testing
@testable import ARAnalytics

/// Hand-built ledgers for the rules that judge a document against the customer's (or the
/// user's) own habits: for each, a case the rule must flag, with its severity and message, and
/// the normal case it must leave alone. Severities are worked out in the comments:
/// `severity(base, amount) = base + log10(amount in whole units) / 40` (at most +0.15).

/// One CSV file from a header and rows.
private func csv(_ header: String, _ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

/// The ISO date `n` days after `from`.
private func date(_ from: String, _ n: Int) -> String { (Day(iso: from)! + n).description }

/// All findings of `rule` on a ledger written from `files` (approval threshold 10,000.00).
private func findings(_ files: [String: String], _ rule: AnomalyRule) throws -> [AnomalyFinding] {
    let t = Timeline(try ledger(files).ledger)
    return AnomalyRules(t, approvalThreshold: 1_000_000).run().filter { $0.rule == rule }
}

private func approx(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-4 }

private func evidence(_ f: AnomalyFinding, _ key: String) -> String? { f.evidence.first { $0.0 == key }?.1 }

private let invoiceHeader = "invoice_id,customer_id,issue_date,amount,po_number,created_by,created_at"

/// An invoice row: id, customer, date, amount, PO, user, time of entry (HH:MM on the issue date).
private func invoice(_ id: String, _ c: String, _ d: String, _ amount: String, po: String = "", by: String = "ana",
                     at time: String = "10:00", on entered: String? = nil) -> String {
    "\(id),\(c),\(d),\(amount),\(po),\(by),\(entered ?? d)T\(time)"
}

@Suite struct DuplicateRuleTests {
    /// A: six POs with one invoice each, then PO-3 billed again ten days later for the same
    /// amount. B: a blanket PO with ten invoices of different amounts. K: a standing order, the
    /// same amount on one PO every week. E: amounts that almost never repeat, then the same
    /// amount twice on one day. F: catalogue prices, repeated all the time.
    static let files: [String: String] = {
        var rows: [String] = []
        let a = ["1210.40", "1875.25", "2345.10", "990.75", "1433.60", "2710.05"]
        for (k, amount) in a.enumerated() {
            rows.append(invoice("A0\(k + 1)", "A", date("2026-01-05", 14 * k), amount, po: "PO-\(k + 1)"))
        }
        rows.append(invoice("A07", "A", date("2026-01-05", 28 + 10), "2345.10", po: "PO-3"))
        for k in 0..<10 {
            rows.append(invoice("B\(k + 10)", "B", date("2026-01-05", 7 * k), String(format: "%.2f", 1500.35 + 61.3 * Double(k)), po: "BL-9"))
            rows.append(invoice("K\(k + 10)", "K", date("2026-01-05", 7 * k), "1512.40", po: "K-BL"))
        }
        for k in 0..<21 {
            rows.append(invoice("E\(k + 10)", "E", date("2026-01-05", 5 * k), String(format: "%.2f", 800 + 37.13 * Double(k))))
        }
        // E31 repeats E30 (amount 800 + 37.13 × 20 = 1,542.60, the same day), entered by someone else.
        rows.append(invoice("E31", "E", date("2026-01-05", 100), "1542.60", by: "ben", at: "15:00"))
        let prices = ["480.00", "1250.00", "315.50", "2200.00"]
        for k in 0..<20 {
            rows.append(invoice("F\(k + 10)", "F", date("2026-01-05", 3 * k), prices[k % 4]))
        }
        // F29 (2,200.00 on day 57, ana at 10:00) again: by ben an hour later, by ana three hours
        // later, and by ana half an hour later.
        rows.append(invoice("F30", "F", date("2026-01-05", 57), "2200.00", by: "ben", at: "11:00"))
        rows.append(invoice("F31", "F", date("2026-01-05", 57), "2200.00", by: "ana", at: "13:00"))
        rows.append(invoice("F32", "F", date("2026-01-05", 57), "2200.00", by: "ana", at: "10:30"))
        return [
            "customers.csv": csv("customer_id,name", ["A,Alpha", "B,Beta", "K,Kappa", "E,Epsilon", "F,Phi"]),
            "invoices.csv": csv(invoiceHeader, rows),
        ]
    }()

    /// Reuse alone is never flagged: only A's PO-3 billed twice for the same amount within 30
    /// days, in a customer whose other PO invoices never repeat an amount.
    @Test func duplicatePOFlagsTheRepeatNotTheBlanketOrder() throws {
        let found = try findings(DuplicateRuleTests.files, .duplicatePO)
        #expect(found.map(\.documents) == [["A03", "A07"]])
        let f = try #require(found.first)
        // 0.7 + log10(2,345.10) / 40 = 0.7 + 0.0843
        #expect(approx(f.severity, 0.784254))
        #expect(f.amount == 234_510)
        // A's other six invoices never repeat an amount (A03's twin A07 is the one judged).
        #expect(f.message == "purchase order PO-3 is billed on A03 and again on A07 10 days later for the same amount, 2,345.10; only 0% of this customer's other 6 invoices repeat an amount")
        #expect(evidence(f, "customer_repeat_rate") == "0%")
    }

    /// E's amounts repeat in 2 of 22 invoices (9%): the same amount on one day is a duplicate
    /// whoever entered it. F's catalogue prices repeat in every invoice: the same amount on one
    /// day is a duplicate only when one user entered it twice within two hours (F29 and F32).
    @Test func duplicateInvoiceJudgedByTheCustomersRepeatRate() throws {
        let found = try findings(DuplicateRuleTests.files, .duplicateInvoice)
        #expect(found.map(\.documents) == [["E30", "E31"], ["F29", "F32"]])
        let e = found[0], f = found[1]
        // 0.9 + log10(1,542.60) / 40 = 0.9 + 0.0797
        #expect(approx(e.severity, 0.979706))
        // The habit is judged without the invoice under suspicion: E's other 21 invoices never repeat.
        #expect(e.message == "E31 repeats E30: same customer, amount 1,542.60 and date; only 0% of this customer's other 21 invoices repeat an amount")
        #expect(evidence(e, "customer_repeat_rate") == "9%")
        // 0.8 + log10(2,200) / 40 = 0.8 + 0.0836
        #expect(approx(f.severity, 0.883561))
        // Without applications.csv nothing says what F paid; F30 and F31 are that same day's.
        #expect(f.message == "F32 repeats F29: same customer, amount 2,200.00 and date; 100% of this customer's other 22 invoices repeat an amount, but both were entered by the same user within two hours, and it was never otherwise billed one amount twice in a day")
        #expect(evidence(f, "customer_same_day_repeats") == "0" && evidence(f, "paid_by_customer") == "unknown")
        // Nothing of A's, B's or K's: their repeated amounts are another day's, under a customer
        // who repeats amounts.
        #expect(try findings(DuplicateRuleTests.files, .nearDuplicateInvoice).isEmpty)
    }

    /// F's catalogue prices of whole hundreds (1,250.00 and 2,200.00) are its habit, not round
    /// amounts to look at.
    @Test func catalogueRoundPricesAreNotFlagged() throws {
        let f = try findings(DuplicateRuleTests.files, .roundAmount)
        #expect(f.isEmpty, "\(f.map(\.message))")
    }

    /// With purchase_orders.csv: C's PO C-PO1 for 5,000.00 billed 5,152.40 by two invoices is
    /// flagged on the second; D's blanket PO for 20,000.00 billed by eight invoices within its
    /// amount is not.
    @Test func duplicatePOBilledBeyondItsAmount() throws {
        var rows = [invoice("C01", "C", "2026-02-02", "2612.30", po: "C-PO1"), invoice("C02", "C", "2026-02-22", "2540.10", po: "C-PO1"),
                    invoice("C03", "C", "2026-03-02", "1845.20", po: "C-PO2"), invoice("C04", "C", "2026-03-09", "2230.75", po: "C-PO3")]
        var total = 0.0
        for k in 0..<8 {
            let amount = 2100 + 83.45 * Double(k)
            total += amount
            rows.append(invoice("D\(k + 10)", "D", date("2026-01-05", 9 * k), String(format: "%.2f", amount), po: "D-BL"))
        }
        #expect(total < 20_000)
        let files = [
            "customers.csv": csv("customer_id,name", ["C,Gamma", "D,Delta"]),
            "invoices.csv": csv(invoiceHeader, rows),
            "purchase_orders.csv": csv("po_number,customer_id,amount",
                                       ["C-PO1,C,5000.00", "C-PO2,C,1845.20", "C-PO3,C,2230.75", "D-BL,D,20000.00"]),
        ]
        let found = try findings(files, .duplicatePO)
        #expect(found.map(\.documents) == [["C01", "C02"]])
        let f = try #require(found.first)
        // 0.7 + log10(2,540.10) / 40 = 0.7 + 0.0851
        #expect(approx(f.severity, 0.785121))
        #expect(f.message == "purchase order C-PO1 for 5000.00 has been billed 5152.40 with C02, 2 invoices; C01 bills it too; no other PO of this customer is billed beyond its amount")
        #expect(evidence(f, "invoices_on_po") == "2")
    }

    /// Blanket POs. P's PO P-BL for 10,000.00 is billed by five invoices of different amounts,
    /// 11,560.30 in all: run 15.6% past its amount, which is a matter for whoever raises POs
    /// (po_amount_mismatch, 0.3, on the invoice that crossed 10%), not a PO billed twice. Q's
    /// blanket PO Q-BL carries five invoices of different amounts, then Q03 again to the cent
    /// six days later: a delivery billed twice, although Q-BL stays within its amount.
    @Test func blanketPOsOverbilledOrBilledTwice() throws {
        let p = ["2104.10", "2397.55", "2251.80", "2466.35", "2340.50"]
        let q = ["1310.25", "1522.40", "1187.65", "1409.90", "1276.15"]
        var rows: [String] = []
        for k in 0..<5 {
            rows.append(invoice("P0\(k + 1)", "P", date("2026-01-05", 7 * k), p[k], po: "P-BL"))
            rows.append(invoice("Q0\(k + 1)", "Q", date("2026-01-05", 7 * k), q[k], po: "Q-BL"))
        }
        rows.append(invoice("Q06", "Q", date("2026-01-05", 14 + 6), "1187.65", po: "Q-BL"))
        let files = [
            "customers.csv": csv("customer_id,name", ["P,Pi", "Q,Qoppa"]),
            "invoices.csv": csv(invoiceHeader, rows),
            "purchase_orders.csv": csv("po_number,customer_id,amount", ["P-BL,P,10000.00", "Q-BL,Q,20000.00"]),
        ]
        let dup = try findings(files, .duplicatePO)
        #expect(dup.map(\.documents) == [["Q03", "Q06"]])
        let f = try #require(dup.first)
        // 0.7 + log10(1,187.65) / 40 = 0.7 + 0.0769
        #expect(approx(f.severity, 0.776866))
        #expect(f.message == "purchase order Q-BL is billed on Q03 and again on Q06 6 days later for the same amount, 1,187.65; only 0% of this customer's other 5 invoices repeat an amount")
        // P: 2,104.10 + 2,397.55 + 2,251.80 + 2,466.35 = 9,219.80, within; P05 takes it to 11,560.30.
        let over = try findings(files, .poAmountMismatch)
        #expect(over.map(\.documents) == [["P05"]])
        let m = try #require(over.first)
        #expect(m.severity == 0.3)
        #expect(m.message == "blanket purchase order P-BL for 10000.00 has been billed 11560.30 with P05, invoice 5 on it; no other PO of this customer is billed beyond its amount")
    }
}

@Suite struct AmountRuleTests {
    /// G pays a retainer of 5,000.00 twice a month, entered by ana and ben in turn. H's amounts
    /// are never whole, then carl enters 7,000.00 and 9,950.00 (just under the 10,000.00
    /// approval threshold) for it.
    static let files: [String: String] = {
        var rows: [String] = []
        for k in 0..<20 {
            rows.append(invoice("G\(k + 10)", "G", date("2025-06-01", 15 * k), "5000.00", by: k % 2 == 0 ? "ana" : "ben"))
        }
        for k in 0..<12 {
            rows.append(invoice("H\(k + 10)", "H", date("2025-06-01", 20 * k), String(format: "%.2f", 1234.56 + 97.31 * Double(k)),
                                by: k % 2 == 0 ? "ana" : "ben"))
        }
        rows.append(invoice("H22", "H", "2026-01-12", "7000.00", by: "carl"))
        rows.append(invoice("H23", "H", "2026-01-19", "9950.00", by: "carl"))
        return [
            "customers.csv": csv("customer_id,name", ["G,Gamma retainer", "H,Eta"]),
            "invoices.csv": csv(invoiceHeader, rows),
        ]
    }()

    @Test func roundAmountsJudgedByTheCustomersOwnRate() throws {
        let found = try findings(AmountRuleTests.files, .roundAmount)
        // Not one of G's twenty round retainer invoices; H22 is.
        #expect(found.map(\.documents) == [["H22"]])
        let f = try #require(found.first)
        // 0.5 + log10(7,000) / 40 = 0.5 + 0.0961
        #expect(approx(f.severity, 0.596127))
        #expect(f.message == "H22 for 7,000.00 is a round amount, entered by carl without a PO; 0 of the 12 invoices other users entered for this customer are whole hundreds")
        #expect(evidence(f, "customer_round_rate") == "0%")
    }

    /// R's amounts carry cents; carl bills its monthly retainer of 3,000.00 on the first working
    /// day of six months in a row, and once 3,000.00 on 17 October. The retainer is billed at a
    /// regular monthly cadence: not flagged. The 17 October one is not part of it: flagged.
    @Test func aMonthlyRetainerIsNotARoundAmountToLookAt() throws {
        var rows: [String] = []
        for k in 0..<12 {
            rows.append(invoice("R\(k + 10)", "R", date("2025-06-03", 14 * k), String(format: "%.2f", 1834.27 + 51.13 * Double(k)),
                                by: k % 2 == 0 ? "ana" : "ben"))
        }
        for (k, d) in ["2025-06-02", "2025-07-01", "2025-08-01", "2025-09-01", "2025-10-01", "2025-11-03"].enumerated() {
            rows.append(invoice("RF\(k + 1)", "R", d, "3000.00", by: "carl"))
        }
        rows.append(invoice("RX", "R", "2025-10-17", "3000.00", by: "carl"))
        let files = ["customers.csv": csv("customer_id,name", ["R,Rho"]), "invoices.csv": csv(invoiceHeader, rows)]
        let found = try findings(files, .roundAmount)
        #expect(found.map(\.documents) == [["RX"]])
        let f = try #require(found.first)
        // 0.5 + log10(3,000) / 40 = 0.5 + 0.0869
        #expect(approx(f.severity, 0.586928))
        #expect(f.message == "RX for 3,000.00 is a round amount, entered by carl without a PO; 0 of the 12 invoices other users entered for this customer are whole hundreds")
    }

    /// S's six invoices by ana and ben carry cents and none comes near the threshold; carl then
    /// enters four amounts just under it. His own four must not make each other normal: the
    /// habit is the six invoices other users entered.
    @Test func oneUsersAmountsDoNotMakeTheirOwnHabit() throws {
        var rows: [String] = []
        for k in 0..<6 {
            rows.append(invoice("S\(k + 10)", "S", date("2026-01-05", 9 * k), String(format: "%.2f", 1422.18 + 63.7 * Double(k)),
                                by: k % 2 == 0 ? "ana" : "ben"))
        }
        for (k, amount) in ["9950.00", "9870.00", "9880.00", "9920.00"].enumerated() {
            rows.append(invoice("SX\(k + 1)", "S", date("2026-03-02", 11 * k), amount, by: "carl"))
        }
        let files = ["customers.csv": csv("customer_id,name", ["S,Sigma"]), "invoices.csv": csv(invoiceHeader, rows)]
        let found = try findings(files, .thresholdAmount)
        #expect(found.map(\.documents).sorted { $0[0] < $1[0] } == [["SX1"], ["SX2"], ["SX3"], ["SX4"]])
        let f = try #require(found.first { $0.documents == ["SX2"] })
        // 0.65 + log10(9,870) / 40 = 0.65 + 0.0999
        #expect(approx(f.severity, 0.749858))
        #expect(f.message == "SX2 for 9,870.00 is just under the 10,000.00 approval threshold, entered by carl without a PO; 0 of the 6 invoices other users entered for this customer fall just under the threshold")
    }

    @Test func amountJustUnderTheThreshold() throws {
        let found = try findings(AmountRuleTests.files, .thresholdAmount)
        #expect(found.map(\.documents) == [["H23"]])
        let f = try #require(found.first)
        // 0.65 + log10(9,950) / 40 = 0.65 + 0.0999
        #expect(approx(f.severity, 0.749946))
        #expect(f.message == "H23 for 9,950.00 is just under the 10,000.00 approval threshold, entered by carl without a PO; 0 of the 12 invoices other users entered for this customer fall just under the threshold")
    }

    /// Segment "trade": five customers with ten invoices of about 500 each (the peer group), L
    /// with three invoices, one of them 38,450.00, and N with three ordinary ones. Segment
    /// "big": J with fourteen invoices of about 1,000, then 41,236.50; K with fourteen of about
    /// 1,000 among which 15,310.00 and 24,870.00 (big projects now and then).
    @Test func outliersAgainstOwnHistoryOrPeers() throws {
        var rows: [String] = []
        var customers = ["J,Iota,big", "K,Kappa,big", "L,Lambda,trade", "N,Nu,trade"]
        for m in 1...5 {
            customers.append("M\(m),Mu \(m),trade")
            for k in 0..<10 {
                rows.append(invoice("M\(m)-\(k)", "M\(m)", date("2025-03-01", 30 * k + m), String(format: "%.2f", 450 + 11.7 * Double(k) + 3.1 * Double(m))))
            }
        }
        rows += [invoice("L01", "L", "2025-05-04", "520.10"), invoice("L02", "L", "2025-07-04", "480.30"),
                 invoice("L03", "L", "2025-09-04", "38450.00"),
                 invoice("N01", "N", "2025-05-04", "610.20"), invoice("N02", "N", "2025-07-04", "575.80"),
                 invoice("N03", "N", "2025-09-04", "640.45")]
        for k in 0..<14 {
            let amount = String(format: "%.2f", 940 + 9.25 * Double(k))
            rows.append(invoice("J\(k + 10)", "J", date("2025-03-01", 20 * k), amount))
            rows.append(invoice("K\(k + 10)", "K", date("2025-03-01", 20 * k), k == 4 ? "15310.00" : amount))
        }
        rows.append(invoice("J24", "J", "2026-01-15", "41236.50"))
        rows.append(invoice("K24", "K", "2026-01-15", "24870.00"))
        let files = ["customers.csv": csv("customer_id,name,segment", customers), "invoices.csv": csv(invoiceHeader, rows)]
        let found = try findings(files, .amountOutlier)
        #expect(found.map(\.documents) == [["J24"], ["L03"]])
        // J: 15 invoices; median 1,004.75 (J17, the eighth smallest); robust sd of the log
        // amounts (1.4826 × MAD) 0.0536; ln(41,236.50 / 1,004.75) / 0.0536 = 69.3 deviations:
        // severity 0.3 + 0.04 × 64.3, capped at 0.6. L: 3 invoices, judged against the 56 of
        // segment trade (median 517.80, robust sd 0.0889): 48.5 deviations.
        let j = found[0], l = found[1]
        #expect(evidence(j, "compared_with") == "customer")
        #expect(evidence(j, "customer_median") == "1,004.75")
        #expect(j.severity == 0.6)
        #expect(j.message.hasPrefix("J24 for 41,236.50 is 69.3 robust deviations"))
        #expect(evidence(j, "robust_z_log") == "69.3")
        #expect(evidence(l, "robust_z_log") == "48.5")
        #expect(j.message.hasSuffix("robust deviations (log scale) above the usual: this customer's median is 1,004.75 and its largest other invoice 1,060.25"))
        #expect(evidence(l, "compared_with") == "segment")
        #expect(l.message.hasSuffix("above the usual: this customer has only 3 invoices; its segment's median is 517.80"))
        #expect(l.severity == 0.6)
    }
}

@Suite struct EntryRuleTests {
    /// sam works a Saturday shift (4 of 20 invoices); ana enters at office hours, and once at
    /// 23:30.
    @Test func offHoursJudgedByTheUsersOwnHabit() throws {
        var rows: [String] = []
        // 2026-01-05 is a Monday; +5 is Saturday.
        for k in 0..<20 {
            let d = k % 5 == 0 ? date("2026-01-05", 7 * k + 5) : date("2026-01-05", 7 * k + 1)
            rows.append(invoice("S\(k + 10)", "S", d, String(format: "%.2f", 700 + 13.1 * Double(k)), by: "sam", at: "09:30"))
            rows.append(invoice("T\(k + 10)", "T", date("2026-01-05", 7 * k + 2), String(format: "%.2f", 900 + 17.9 * Double(k)), by: "ana", at: "11:15"))
        }
        rows.append(invoice("T30", "T", "2026-03-04", "1234.50", by: "ana", at: "23:30"))
        let files = ["customers.csv": csv("customer_id,name", ["S,Sigma", "T,Tau"]), "invoices.csv": csv(invoiceHeader, rows)]
        let found = try findings(files, .offHoursEntry)
        #expect(found.map(\.documents) == [["T30"]])
        let f = try #require(found.first)
        #expect(f.severity == 0.35)
        #expect(f.message == "T30 was entered at night (2026-03-04T23:30:00) by ana, who enters 4.8% of 21 invoices at night")
    }
}

@Suite struct CreditAfterPaymentTests {
    /// P's invoice X1 (10,000.00) is paid 6,000.00 on 03-02 (posted by cashbot, the automatic
    /// cash application) and amy, an account manager who never posts cash, credits the other
    /// 4,000.00 on 03-05 without an approver. Q's X2 (1,000.00) is paid 980.00 and the 20.00
    /// deduction credited by amy with an approval: ordinary. R's X3 (2,000.00) is paid 1,500.00
    /// by a payment carl posted, and carl credits the 500.00 left. S has twenty invoices of
    /// 1,000.00 with a 50.00 pricing credit each (5%): the usual size of a pricing credit.
    static let files: [String: String] = {
        var invoices = ["X1,P,2026-02-10,10000.00", "X2,Q,2026-02-10,1000.00", "X3,R,2026-02-10,2000.00"]
        var adjustments = ["CM1,P,X1,2026-03-05,credit_memo,4000.00,pricing,amy,",
                           "CM2,Q,X2,2026-03-06,credit_memo,20.00,pricing,amy,boss",
                           "CM3,R,X3,2026-03-09,credit_memo,500.00,pricing,carl,boss"]
        for k in 0..<20 {
            invoices.append("Y\(k + 10),S,\(date("2026-01-05", 3 * k)),1000.00")
            adjustments.append("CS\(k + 10),S,Y\(k + 10),\(date("2026-01-20", 3 * k)),credit_memo,50.00,pricing,amy,boss")
        }
        return [
            "customers.csv": csv("customer_id,name", ["P,Pi", "Q,Qoppa", "R,Rho", "S,Sigma"]),
            "invoices.csv": csv("invoice_id,customer_id,issue_date,amount", invoices),
            "payments.csv": csv("payment_id,customer_id,received_date,amount,posted_date,posted_by",
                                ["PAY1,P,2026-03-02,6000.00,2026-03-02,cashbot", "PAY2,Q,2026-03-03,980.00,2026-03-03,cashbot",
                                 "PAY3,R,2026-03-06,1500.00,2026-03-06,carl"]),
            "applications.csv": csv("payment_id,invoice_id,amount,applied_date",
                                    ["PAY1,X1,6000.00,2026-03-02", "PAY2,X2,980.00,2026-03-03", "PAY3,X3,1500.00,2026-03-06"]),
            "adjustments.csv": csv("adjustment_id,customer_id,invoice_id,date,kind,amount,reason,created_by,approved_by", adjustments),
        ]
    }()

    @Test func creditAfterAShortPaymentWithoutACashPostingCreator() throws {
        let found = try findings(CreditAfterPaymentTests.files, .creditAfterPayment)
        #expect(found.map(\.documents) == [["X3", "PAY3", "CM3"], ["X1", "PAY1", "CM1"]])
        let carl = found[0], amy = found[1]
        // CM1: 0.55 + 0.1 (40% of the invoice, above the 5% most pricing credits take) + 0.05
        // (no approver) + log10(4,000) / 40 = 0.70 + 0.0901; amy posts no cash.
        #expect(approx(amy.severity, 0.790051))
        #expect(evidence(amy, "creator_posts_cash") == "no")
        #expect(amy.message == "CM1 credits the 4,000.00 that payment PAY1 left open on X1, 40% of the invoice, more than 90% of the ledger's pricing credits take, 3 days later, raised by amy without approval; the only such credit for this customer")
        // CM3: 0.55 + 0.15 (carl also posts payments) + 0.1 (25% of the invoice) + log10(500) / 40.
        #expect(approx(carl.severity, 0.867474))
        #expect(evidence(carl, "creator_posts_cash") == "yes")
        #expect(carl.message == "CM3 credits the 500.00 that payment PAY3 left open on X3, 25% of the invoice, more than 90% of the ledger's pricing credits take, 3 days later, raised by carl, who also posts payments; the only such credit for this customer")
        // CM2, a 2% deduction credited by someone who posts no cash, is not among them.
    }
}

/// duplicate_payment: the same payer, amount and reference within a week is a payment made
/// twice, unless applications.csv shows each one settling its own invoice in full (a catalogue
/// customer paying two invoices of one price).
@Suite struct DuplicatePaymentRuleTests {
    static let invoices = csv("invoice_id,customer_id,issue_date,amount", ["I1,C,2026-01-05,750.00", "I2,C,2026-01-06,750.00", "I3,C,2026-01-07,750.00"])

    @Test func twoInvoicesPaidAreNotOnePaidTwice() throws {
        let payments = csv("payment_id,customer_id,received_date,amount,reference",
                           ["P1,C,2026-02-02,750.00,PAYMENT - THANK YOU", "P2,C,2026-02-03,750.00,PAYMENT - THANK YOU"])
        let own = try findings(["invoices.csv": Self.invoices, "payments.csv": payments,
                                "applications.csv": csv("payment_id,invoice_id,amount", ["P1,I1,750.00", "P2,I2,750.00"])], .duplicatePayment)
        #expect(own.isEmpty)
        // The second payment settles nothing: it is the first paid again.
        let twice = try findings(["invoices.csv": Self.invoices, "payments.csv": payments,
                                  "applications.csv": csv("payment_id,invoice_id,amount", ["P1,I1,750.00"])], .duplicatePayment)
        #expect(twice.map(\.documents) == [["P1", "P2"]])
        // 0.8 + log10(750) / 40 = 0.8 + 0.0719
        #expect(approx(twice[0].severity, 0.871877))
        #expect(twice[0].message == "P2 repeats P1: same payer, amount 750.00 and reference")
        // Both applied to the same invoice: paid twice.
        let same = try findings(["invoices.csv": Self.invoices, "payments.csv": payments,
                                 "applications.csv": csv("payment_id,invoice_id,amount", ["P1,I1,750.00", "P2,I1,750.00"])], .duplicatePayment)
        #expect(same.map(\.documents) == [["P1", "P2"]])
    }
}

/// What the customer's own records say is normal, beyond its amounts: a round invoice it paid
/// from its own money, price-grid amounts that are digit shuffles of each other, list prices
/// meeting the same amount on a PO, a PO amount that was only an estimate.
@Suite struct CustomerRecordTests {
    /// H's twelve invoices by ana and ben carry cents. carl then enters four round or
    /// threshold amounts: H22 paid in full by H, H23 half paid by H, H24 paid with X's money
    /// (lapping), H25 unpaid. The customer paying an invoice acknowledges it (the auditor's
    /// test of subsequent receipts): only H24 and H25 are left to look at.
    @Test func aRoundAmountTheCustomerPaidIsASale() throws {
        var rows: [String] = []
        for k in 0..<12 {
            rows.append(invoice("H\(k + 10)", "H", date("2025-06-01", 20 * k), String(format: "%.2f", 1234.56 + 97.31 * Double(k)),
                                by: k % 2 == 0 ? "ana" : "ben"))
        }
        rows.append(invoice("H22", "H", "2026-01-12", "7000.00", by: "carl"))
        rows.append(invoice("H23", "H", "2026-01-19", "9950.00", by: "carl"))
        rows.append(invoice("H24", "H", "2026-01-26", "8000.00", by: "carl"))
        rows.append(invoice("H25", "H", "2026-02-02", "6000.00", by: "carl"))
        rows.append(invoice("X10", "X", "2026-01-05", "812.40", by: "ana"))
        let files = [
            "customers.csv": csv("customer_id,name", ["H,Eta", "X,Xi"]),
            "invoices.csv": csv(invoiceHeader, rows),
            "payments.csv": csv("payment_id,customer_id,received_date,amount",
                                ["P1,H,2026-02-10,7000.00", "P2,H,2026-02-20,4975.00", "P3,X,2026-02-24,8000.00"]),
            "applications.csv": csv("payment_id,invoice_id,amount", ["P1,H22,7000.00", "P2,H23,4975.00", "P3,H24,8000.00"]),
        ]
        let round = try findings(files, .roundAmount)
        #expect(round.map(\.documents) == [["H24"], ["H25"]])
        // 0.5 + log10(8,000) / 40 = 0.5 + 0.0976
        #expect(approx(round[0].severity, 0.597577))
        #expect(try findings(files, .thresholdAmount).isEmpty)
        // Without applications.csv (automatic cash application fills the oldest invoices) the
        // rule does not lean on who paid what: all four are looked at.
        var auto = files
        auto["applications.csv"] = nil
        #expect(try findings(auto, .roundAmount).count == 3)
        #expect(try findings(auto, .thresholdAmount).map(\.documents) == [["H23"]])
    }

    /// W buys at list prices of whole hundreds. ana enters 3,400.00 and 4,300.00 on one day:
    /// a re-keying. 2,400.00 and 4,200.00 on one day by two users, or 1,500.00 and 1,050.00
    /// three days apart, are the shuffles a price grid produces. V's 5,077.51 keyed again as
    /// 0577.51 (the leading 5 swapped with the 0) reads 577.51.
    @Test func reKeyedAmounts() throws {
        var rows: [String] = []
        let prices = ["1200.00", "1500.00", "1800.00", "2100.00"]
        for k in 0..<12 {
            rows.append(invoice("W\(k + 10)", "W", date("2025-06-02", 15 * k), prices[k % 4], by: k % 2 == 0 ? "ana" : "ben"))
        }
        rows += [invoice("W30", "W", "2026-01-12", "3400.00", by: "ana", at: "10:00"),
                 invoice("W31", "W", "2026-01-12", "4300.00", by: "ana", at: "15:00"),
                 invoice("W32", "W", "2026-02-09", "2400.00", by: "ana"),
                 invoice("W33", "W", "2026-02-09", "4200.00", by: "ben"),
                 invoice("W34", "W", "2026-03-09", "1500.00", by: "ana"),
                 invoice("W35", "W", "2026-03-12", "1050.00", by: "ana"),
                 invoice("V10", "V", "2026-01-26", "5077.51", by: "ana", at: "09:00"),
                 invoice("V11", "V", "2026-01-26", "577.51", by: "ana", at: "17:30")]
        let files = ["customers.csv": csv("customer_id,name", ["W,Omega", "V,Digamma"]), "invoices.csv": csv(invoiceHeader, rows)]
        let found = try findings(files, .nearDuplicateInvoice)
        #expect(found.map(\.documents) == [["W30", "W31"], ["V10", "V11"]])
        // 0.75 + log10(4,300) / 40 = 0.75 + 0.0908; 0.75 + log10(577.51) / 40 = 0.75 + 0.0690
        #expect(approx(found[0].severity, 0.840837) && approx(found[1].severity, 0.819039))
        #expect(found[0].message == "W31 looks like W30 entered again: amounts 3,400.00 and 4,300.00 differ by two transposed digits, entered the same day by the same user")
        #expect(found[1].message == "V11 looks like V10 entered again: amounts 5,077.51 and 577.51 differ by two transposed digits (the leading digit swapped with a zero, which drops), entered the same day by the same user")
    }

    /// Y bills list prices (whole units) with one PO per invoice; Y09 bills Y-PO8 again for
    /// Y08's amount five days later. At list prices the same amount comes up by chance: not
    /// flagged (A's cents in DuplicateRuleTests are). Z's PO for 1,000.00 is overrun by its
    /// first invoice alone: an estimate, run past its amount (po_amount_mismatch), not a PO
    /// billed twice.
    @Test func listPricesAndEstimatedPOs() throws {
        var rows: [String] = []
        for (k, a) in ["1125.00", "1350.00", "975.00", "1480.00", "1210.00", "1045.00", "1390.00", "1160.00"].enumerated() {
            rows.append(invoice("Y0\(k + 1)", "Y", date("2026-01-05", 10 * k), a, po: "Y-PO\(k + 1)"))
        }
        rows.append(invoice("Y09", "Y", date("2026-01-05", 75), "1160.00", po: "Y-PO8"))
        rows += [invoice("Z01", "Z", "2025-05-05", "2419.80", po: "Z-PO1"), invoice("Z02", "Z", "2025-05-12", "1237.11", po: "Z-PO1")]
        let files = [
            "customers.csv": csv("customer_id,name", ["Y,Upsilon", "Z,Zeta"]),
            "invoices.csv": csv(invoiceHeader, rows),
            "purchase_orders.csv": csv("po_number,customer_id,amount",
                                       (1...8).map { "Y-PO\($0),Y,5000.00" } + ["Z-PO1,Z,1000.00"]),
        ]
        #expect(try findings(files, .duplicatePO).isEmpty)
        let over = try findings(files, .poAmountMismatch)
        #expect(over.map(\.documents) == [["Z02"]])
        #expect(over.first?.message == "purchase order Z-PO1 (an estimate: its first invoice alone overran it) for 1000.00 has been billed 3656.91 with Z02, invoice 2 on it; no other PO of this customer is billed beyond its amount")
    }

    /// M01 is entered twice (M02, the same day: duplicate_invoice), which takes PO M-1 past its
    /// amount; M-3 is then billed twice. A customer with two POs billed beyond their amount does
    /// it normally, but the one a reported duplicate overran says nothing of how M orders.
    @Test func aReportedDuplicateDoesNotMakeAHabit() throws {
        let rows = [invoice("M01", "M", "2026-01-05", "2210.35", po: "M-1"), invoice("M02", "M", "2026-01-05", "2210.35", po: "M-1", at: "10:20"),
                    invoice("M03", "M", "2026-01-19", "1975.60", po: "M-2"), invoice("M04", "M", "2026-02-02", "1830.40", po: "M-3"),
                    invoice("M05", "M", "2026-02-12", "1420.75", po: "M-3")]
        let files = [
            "customers.csv": csv("customer_id,name", ["M,Mu"]),
            "invoices.csv": csv(invoiceHeader, rows),
            "purchase_orders.csv": csv("po_number,customer_id,amount", ["M-1,M,2210.35", "M-2,M,1975.60", "M-3,M,1830.40"]),
        ]
        #expect(try findings(files, .duplicateInvoice).map(\.documents) == [["M01", "M02"]])
        let found = try findings(files, .duplicatePO)
        #expect(found.map(\.documents) == [["M04", "M05"]])
        // 0.7 + log10(1,420.75) / 40 = 0.7 + 0.0788
        #expect(approx(found[0].severity, 0.778813))
        #expect(found[0].message == "purchase order M-3 for 1830.40 has been billed 3251.15 with M05, 2 invoices; M04 bills it too; no other PO of this customer is billed beyond its amount")
    }
}

/// self_cleared_invoice: an invoice its creator made disappear. K buys at catalogue prices of
/// whole hundreds without POs and pays every invoice: ana and ben entered ten of them
/// (1,000.00 to 5,500.00), each paid by K. carl enters K60 for 5,000.00 on 2026-03-02, K never
/// pays it, and carl credits the full 5,000.00 on 03-22 ("billing_error") with nobody's
/// approval: an amount exactly like K's real ones, given away by what happened to it. dan
/// enters M1 for 1,200.00; M pays 800.00 and dan credits the other 400.00 for a return: the
/// same clerk crediting his own invoice, but the customer paid for it, so a sale.
@Suite struct SelfClearedInvoiceTests {
    static let files: [String: String] = {
        var invoices: [String] = [], payments: [String] = [], applications: [String] = []
        for k in 0..<10 {
            let id = "K\(k + 10)", amount = "\(1000 + 500 * k).00", day = date("2025-10-06", 14 * k)
            invoices.append(invoice(id, "K", day, amount, by: k % 2 == 0 ? "ana" : "ben"))
            payments.append("PK\(k + 10),K,\(date(day, 30)),\(amount)")
            applications.append("PK\(k + 10),\(id),\(amount)")
        }
        invoices.append(invoice("K60", "K", "2026-03-02", "5000.00", by: "carl"))
        invoices.append(invoice("M1", "M", "2026-03-03", "1200.00", by: "dan"))
        payments.append("PM1,M,2026-04-01,800.00")
        applications.append("PM1,M1,800.00")
        return [
            "customers.csv": csv("customer_id,name", ["K,Kappa", "M,Mu"]),
            "invoices.csv": csv(invoiceHeader, invoices),
            "payments.csv": csv("payment_id,customer_id,received_date,amount", payments),
            "applications.csv": csv("payment_id,invoice_id,amount", applications),
            "adjustments.csv": csv("adjustment_id,customer_id,invoice_id,date,kind,amount,reason,created_by,approved_by",
                                   ["CM1,K,K60,2026-03-22,credit_memo,5000.00,billing_error,carl,",
                                    "CM2,M,M1,2026-03-20,credit_memo,400.00,return,dan,"]),
        ]
    }()

    @Test func anInvoiceClearedByItsOwnCreatorUnpaid() throws {
        let found = try findings(Self.files, .selfClearedInvoice)
        #expect(found.map(\.documents) == [["K60", "CM1"]])
        let f = found[0]
        // 0.4 + 0.1 (no approver) + log10(5,000) / 40 = 0.5 + 0.0925; carl cleared only this one.
        #expect(approx(f.severity, 0.592474))
        #expect(f.amount == 500_000)
        #expect(evidence(f, "paid_by_customer") == "0.00")
        #expect(evidence(f, "cleared_by_creator") == "5,000.00")
        #expect(evidence(f, "approved_by") == "none")
        #expect(evidence(f, "customer_credited_unpaid") == "0 of 10")
        #expect(f.message == "K60 for 5,000.00, entered by carl, was credited by carl without approval 20 days later and never paid by the customer; none of the 10 other invoices of this customer were credited in full without being paid")
        // The amount rules rightly see nothing odd in it: K's amounts are whole hundreds.
        #expect(try findings(Self.files, .roundAmount).isEmpty)
    }

    @Test func aReturnCreditedOnAnInvoiceTheCustomerPaidInPartIsNot() throws {
        // M1 is not found: M paid two thirds of it before dan credited the returned rest.
        #expect(!(try findings(Self.files, .selfClearedInvoice)).contains { $0.documents.contains("M1") })
        // With carl's credit approved by the controller, once at this customer, it is a
        // correction a second person looked at: not reported either.
        var files = Self.files
        files["adjustments.csv"] = files["adjustments.csv"]!.replacingOccurrences(of: "billing_error,carl,", with: "billing_error,carl,vic")
        #expect(try findings(files, .selfClearedInvoice).isEmpty)
    }
}

/// What the customer did with two invoices that look alike: a customer pays both of two
/// orders, and an invoice entered twice once. G buys at catalogue prices (every amount
/// repeats) and pays its invoices through applications.csv.
@Suite struct CustomerAcknowledgedTests {
    /// G's twelve catalogue invoices (one a day, every 5 days, ana and ben), all paid. Then, each
    /// pair entered by ana half an hour apart: G40 and G41 (1,250.00 on 03-02), both paid: two
    /// orders. G42 and G43 (2,200.00 on 03-16), only G42 paid: flagged, with G's two other days
    /// of two equal amounts (03-02, 03-30) said. G44 and G45 (480.00 on 03-30), neither paid yet: G has
    /// been billed one amount twice in a day on two other days, so not flagged. J (the same
    /// prices, never twice in a day) with J20 and J21 (1,250.00 on 03-30), neither paid: flagged.
    static let files: [String: String] = {
        var invoices: [String] = [], payments: [String] = [], applications: [String] = []
        let prices = ["480.00", "1250.00", "315.50", "2200.00"]
        func paid(_ id: String, _ c: String, _ amount: String, _ day: String) {
            payments.append("P\(id),\(c),\(date(day, 20)),\(amount)")
            applications.append("P\(id),\(id),\(amount)")
        }
        for k in 0..<12 {
            let day = date("2025-12-01", 5 * k), id = "G\(k + 10)"
            invoices.append(invoice(id, "G", day, prices[k % 4], by: k % 2 == 0 ? "ana" : "ben"))
            paid(id, "G", prices[k % 4], day)
            invoices.append(invoice("J\(k + 30)", "J", day, prices[k % 4], by: "ben"))
        }
        for (a, b, amount, day, pay) in [("G40", "G41", "1250.00", "2026-03-02", [true, true]),
                                         ("G42", "G43", "2200.00", "2026-03-16", [true, false]),
                                         ("G44", "G45", "480.00", "2026-03-30", [false, false])] {
            invoices.append(invoice(a, "G", day, amount, at: "10:00"))
            invoices.append(invoice(b, "G", day, amount, at: "10:30"))
            if pay[0] { paid(a, "G", amount, day) }
            if pay[1] { paid(b, "G", amount, day) }
        }
        invoices += [invoice("J20", "J", "2026-03-30", "1250.00", at: "09:00"), invoice("J21", "J", "2026-03-30", "1250.00", at: "09:40")]
        return [
            "customers.csv": csv("customer_id,name", ["G,Gimel", "J,Iota"]),
            "invoices.csv": csv(invoiceHeader, invoices),
            "payments.csv": csv("payment_id,customer_id,received_date,amount", payments),
            "applications.csv": csv("payment_id,invoice_id,amount", applications),
        ]
    }()

    @Test func twoOrdersArePaidAnInvoiceEnteredTwiceOnce() throws {
        let found = try findings(Self.files, .duplicateInvoice)
        #expect(found.map(\.documents) == [["G42", "G43"], ["J20", "J21"]])
        // 0.8 + log10(2,200) / 40 = 0.8 + 0.0836; 0.8 + log10(1,250) / 40 = 0.8 + 0.0774
        #expect(approx(found[0].severity, 0.883561) && approx(found[1].severity, 0.877424))
        #expect(found[0].message == "G43 repeats G42: same customer, amount 2,200.00 and date; 100% of this customer's other 17 invoices repeat an amount, but both were entered by the same user within two hours, the customer paid (or disputed as an order) only G42, though it was billed one amount twice in a day on 2 other days")
        #expect(evidence(found[0], "paid_by_customer") == "G42" && evidence(found[0], "customer_same_day_repeats") == "2")
        #expect(found[1].message == "J21 repeats J20: same customer, amount 1,250.00 and date; 100% of this customer's other 13 invoices repeat an amount, but both were entered by the same user within two hours, the customer paid (or disputed as an order) neither, and it was never otherwise billed one amount twice in a day")
    }

    /// W's list prices: ana enters 3,400.00 and 4,300.00 on one day. Unpaid, a re-keying to look
    /// at; W paid both in full, two sales (a copy keyed wrong is disputed or left unpaid).
    @Test func transposedAmountsBothPaidAreTwoSales() throws {
        var rows: [String] = [], payments: [String] = [], applications: [String] = []
        let prices = ["1200.00", "1500.00", "1800.00", "2100.00"]
        for k in 0..<12 {
            rows.append(invoice("W\(k + 10)", "W", date("2025-06-02", 15 * k), prices[k % 4], by: k % 2 == 0 ? "ana" : "ben"))
        }
        rows += [invoice("W30", "W", "2026-01-12", "3400.00", at: "10:00"), invoice("W31", "W", "2026-01-12", "4300.00", at: "15:00")]
        payments.append("PW30,W,2026-02-10,3400.00"); applications.append("PW30,W30,3400.00")
        var files = ["customers.csv": csv("customer_id,name", ["W,Omega"]), "invoices.csv": csv(invoiceHeader, rows),
                     "payments.csv": csv("payment_id,customer_id,received_date,amount", payments),
                     "applications.csv": csv("payment_id,invoice_id,amount", applications)]
        let found = try findings(files, .nearDuplicateInvoice)
        #expect(found.map(\.documents) == [["W30", "W31"]])
        #expect(found.first?.message == "W31 looks like W30 entered again: amounts 3,400.00 and 4,300.00 differ by two transposed digits, entered the same day by the same user; the customer paid (or disputed as an order) only W30")
        payments.append("PW31,W,2026-02-11,4300.00"); applications.append("PW31,W31,4300.00")
        files["payments.csv"] = csv("payment_id,customer_id,received_date,amount", payments)
        files["applications.csv"] = csv("payment_id,invoice_id,amount", applications)
        #expect(try findings(files, .nearDuplicateInvoice).isEmpty)
    }

    /// N buys at catalogue prices; ana enters N40 and N41 (2,200.00) twenty minutes apart. N pays
    /// N40 and disputes N41's price: an order it placed, not flagged. Disputed as a duplicate
    /// billing instead, it is.
    @Test func aDisputeAboutTheGoodsAcknowledgesTheOrder() throws {
        var rows: [String] = []
        let prices = ["480.00", "1250.00", "315.50", "2200.00"]
        for k in 0..<12 { rows.append(invoice("N\(k + 10)", "N", date("2025-12-01", 5 * k), prices[k % 4], by: "ben")) }
        rows += [invoice("N40", "N", "2026-03-16", "2200.00", at: "10:00"), invoice("N41", "N", "2026-03-16", "2200.00", at: "10:20")]
        func files(_ reason: String) -> [String: String] {
            ["customers.csv": csv("customer_id,name", ["N,Nu"]), "invoices.csv": csv(invoiceHeader, rows),
             "payments.csv": csv("payment_id,customer_id,received_date,amount", ["PN40,N,2026-04-10,2200.00"]),
             "applications.csv": csv("payment_id,invoice_id,amount", ["PN40,N40,2200.00"]),
             "disputes.csv": csv("dispute_id,invoice_id,opened_date,resolved_date,amount,reason,outcome", ["D1,N41,2026-03-25,,2200.00,\(reason),"])]
        }
        #expect(try findings(files("pricing"), .duplicateInvoice).isEmpty)
        let found = try findings(files("duplicate billing"), .duplicateInvoice)
        #expect(found.map(\.documents) == [["N40", "N41"]])
        #expect(found.first?.message == "N41 repeats N40: same customer, amount 2,200.00 and date; 100% of this customer's other 13 invoices repeat an amount, but both were entered by the same user within two hours, the customer paid (or disputed as an order) only N40, and it was never otherwise billed one amount twice in a day")
    }

    /// A's PO-3 billed again ten days later for the same amount (DuplicateRuleTests) is a
    /// delivery billed twice, unless A paid both: then two deliveries it took up.
    @Test func aPOBilledTwiceForTheSameAmountAndPaidTwiceIsTwoDeliveries() throws {
        var files = DuplicateRuleTests.files
        files["payments.csv"] = csv("payment_id,customer_id,received_date,amount", ["PA3,A,2026-03-01,2345.10", "PA7,A,2026-03-20,2345.10"])
        files["applications.csv"] = csv("payment_id,invoice_id,amount", ["PA3,A03,2345.10"])
        #expect(try findings(files, .duplicatePO).map(\.documents) == [["A03", "A07"]])
        files["applications.csv"] = csv("payment_id,invoice_id,amount", ["PA3,A03,2345.10", "PA7,A07,2345.10"])
        #expect(try findings(files, .duplicatePO).isEmpty)
    }

    /// Q has four other invoices, two of them 1,200.00: a customer whose amounts repeat, however
    /// short its history, so Q05 (1,200.00 again, five days after Q03) is not flagged. R's four
    /// other amounts all differ: R05 repeating R04 five days later is.
    @Test func twoOfFewInvoicesSharingAnAmountMakeARepeatingCustomer() throws {
        let rows = [invoice("Q01", "Q", "2026-01-05", "900.00"), invoice("Q02", "Q", "2026-01-20", "1200.00"),
                    invoice("Q03", "Q", "2026-02-10", "1200.00"), invoice("Q04", "Q", "2026-02-12", "750.00"),
                    invoice("Q05", "Q", "2026-02-15", "1200.00", by: "ben"),
                    invoice("R01", "R", "2026-01-05", "900.00"), invoice("R02", "R", "2026-01-20", "1100.00"),
                    invoice("R03", "R", "2026-02-02", "1300.00"), invoice("R04", "R", "2026-02-10", "1200.00"),
                    invoice("R05", "R", "2026-02-15", "1200.00", by: "ben")]
        let files = ["customers.csv": csv("customer_id,name", ["Q,Qoppa", "R,Rho"]), "invoices.csv": csv(invoiceHeader, rows)]
        let found = try findings(files, .nearDuplicateInvoice)
        #expect(found.map(\.documents) == [["R04", "R05"]])
        #expect(found.first?.message == "R05 looks like R04 entered again: the same amount 5 days apart, and only 0% of this customer's other 4 invoices repeat an amount")
    }

    /// P has 120 POs, one invoice each at the PO's amount; P-7 and P-50 are each billed again ten
    /// days later for another amount. Two over-billed POs of 120 (under 2%) are not P's habit:
    /// both are flagged. S, with ten POs, over-bills two of them (20%): its habit, not flagged.
    @Test func overBilledPOsAreAHabitOnlyAsAShareOfTheCustomersPOs() throws {
        var rows: [String] = [], pos: [String] = []
        for k in 1...120 {
            let amount = String(format: "%.2f", 1000 + 7.31 * Double(k))
            rows.append(invoice(String(format: "P%03d", k), "P", date("2025-01-06", 3 * k), amount, po: "P-\(k)"))
            pos.append("P-\(k),P,\(amount)")
        }
        rows += [invoice("P901", "P", date("2025-01-06", 31), "812.40", po: "P-7"),
                 invoice("P902", "P", date("2025-01-06", 160), "933.10", po: "P-50")]
        for k in 1...10 {
            let amount = String(format: "%.2f", 2000 + 11.7 * Double(k))
            rows.append(invoice("S\(k + 10)", "S", date("2025-01-06", 20 * k), amount, po: "S-\(k)"))
            pos.append("S-\(k),S,\(amount)")
        }
        rows += [invoice("S91", "S", date("2025-01-06", 50), "410.00", po: "S-2"), invoice("S92", "S", date("2025-01-06", 150), "395.25", po: "S-7")]
        let files = ["customers.csv": csv("customer_id,name", ["P,Pi", "S,Sigma"]), "invoices.csv": csv(invoiceHeader, rows),
                     "purchase_orders.csv": csv("po_number,customer_id,amount", pos)]
        let found = try findings(files, .duplicatePO)
        // Ranked by severity: 0.7 + log10(933.10) / 40 = 0.7 + 0.0742, then 0.7 + log10(812.40) / 40 = 0.7 + 0.0727.
        #expect(found.map(\.documents) == [["P050", "P902"], ["P007", "P901"]])
        #expect(approx(found[0].severity, 0.774249) && approx(found[1].severity, 0.772743))
        // P-7: 1,051.17 + 812.40 = 1,863.57.
        #expect(found[1].message == "purchase order P-7 for 1051.17 has been billed 1863.57 with P901, 2 invoices; P007 bills it too; 1 other of its 120 POs is billed beyond its amount, not a habit")
    }
}
