import Foundation

/// A hand-built ledger around Monday 2026-06-08 (ISO week 24). Cash received:
///   2026-05-08 P1 A 100.00 (on A1)      2026-06-01 P2 B 250.00 (on B0)
///   2026-06-05 P5 C  50.00 (unapplied)  2026-06-08 P3 A 300.00 (on A1), P4 B 100.00 (unapplied),
///                                                  P6 D 700.00 (on D1)
/// A2 (due Fri 06-05) and B1 (due Sun 06-07, disputed on Sat 06-06) become overdue over the
/// weekend; C1's dispute is resolved on 06-08; A promised 300.00 for 06-08 (kept), C 100.00
/// for 06-05 (paid 50.00: broken).
public enum ClerkLedger {
    public static let files: [String: String] = [
        "customers.csv": """
            customer_id,name,credit_limit,terms_days,email,phone,address
            A,Alpha,2000.00,30,ap@alpha.example,+1 555 0100,1 Alpha Road
            B,Beta,,30,beta-at-example,call me,2 Beta Road
            C,Gamma,,30,,,
            D,Delta,,30,ap@delta.example,+1 555 0103,4 Delta Road

            """,
        "invoices.csv": """
            invoice_id,customer_id,issue_date,due_date,amount,po_number
            A1,A,2026-04-01,2026-05-01,1000.00,
            A2,A,2026-05-06,2026-06-05,500.00,
            B0,B,2026-04-15,2026-05-15,400.00,
            B1,B,2026-05-08,2026-06-07,300.00,
            B2,B,2026-05-09,2026-06-08,200.00,
            C1,C,2026-02-01,2026-03-03,800.00,
            D1,D,2026-04-20,2026-05-20,700.00,PO-1
            D2,D,2026-06-01,2026-07-01,1234.00,PO-2

            """,
        "payments.csv": """
            payment_id,customer_id,received_date,amount
            P1,A,2026-05-08,100.00
            P2,B,2026-06-01,250.00
            P3,A,2026-06-08,300.00
            P4,B,2026-06-08,100.00
            P5,C,2026-06-05,50.00
            P6,D,2026-06-08,700.00

            """,
        "applications.csv": """
            payment_id,invoice_id,amount
            P1,A1,100.00
            P2,B0,250.00
            P3,A1,300.00
            P6,D1,700.00

            """,
        "disputes.csv": """
            dispute_id,invoice_id,opened_date,resolved_date,amount,reason
            DS1,B1,2026-06-06,,300.00,pricing
            DS2,C1,2026-05-01,2026-06-08,800.00,quantity

            """,
        "activities.csv": """
            activity_id,customer_id,invoice_id,date,collector,kind,promised_date,promised_amount,note
            AC1,A,,2026-06-01,Ann,promise,2026-06-08,300.00,
            AC2,C,,2026-06-01,Ann,promise,2026-06-05,100.00,
            AC3,B,,2026-05-20,Ann,promise,2026-06-04,250.00,

            """,
        "purchase_orders.csv": """
            po_number,customer_id,date,amount
            PO-1,D,2026-04-01,1000.00
            PO-2,D,2026-05-01,5000.00

            """,
        "arlens.yml": "policy: {po_required: [D]}\n",
    ]
}
