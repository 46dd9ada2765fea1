import Testing
@testable import ChartKit

@Suite struct TicksTests {
    /// Cases with known answers from the extended algorithm (R's labeling::extended; ggplot2
    /// shows the same breaks less those outside the data, e.g. 2.5, 5, 7.5, 10 for 1...10).
    @Test(arguments: [
        (0.0, 100.0, 5, [0.0, 25, 50, 75, 100]),
        (1.0, 10.0, 5, [0.0, 2.5, 5, 7.5, 10]),
        (0.97, 3.03, 3, [1.0, 2, 3]),
        (0.0, 1.0, 5, [0.0, 0.25, 0.5, 0.75, 1]),
        (-1000.0, 1000.0, 5, [-1000.0, -500, 0, 500, 1000]),
        (0.0, 4_162_200.59, 5, [0.0, 1e6, 2e6, 3e6, 4e6]),
    ])
    func extended(_ lo: Double, _ hi: Double, _ m: Int, _ expected: [Double]) {
        #expect(Ticks.extended(lo, hi, m: m) == expected)
    }

    @Test func looseTicksCoverTheData() {
        let t = Ticks.extended(33.1, 53.4, m: 5, loose: true)
        #expect(t.first! <= 33.1 && t.last! >= 53.4)
        #expect(t == [30, 35, 40, 45, 50, 55])
        let money = Ticks.extended(0, 4_162_200.59, m: 5, loose: true)
        #expect(money.last! >= 4_162_200.59)
        #expect(money == [0, 1e6, 2e6, 3e6, 4e6, 5e6] || money == [0, 2e6, 4e6, 6e6] || money == [0, 1.5e6, 3e6, 4.5e6])
        #expect(Ticks.extended(0.1, 0.3, m: 3, loose: true).allSatisfy { ($0 * 100).rounded() / 100 == $0 })
    }

    @Test func degenerateRanges() {
        #expect(!Ticks.extended(5, 5, m: 5).isEmpty)
        #expect(Ticks.extended(0, 0, m: 5, loose: true).contains(0))
        let s = LinearScale(covering: 0, 0, range: 0...100)
        #expect(s.domain == 0...1)
        #expect(s(0) == 100 && s(1) == 0)
        let neg = LinearScale(covering: -350, -20, range: 0...100)
        #expect(neg.domain.upperBound == 0)                  // zero included
        #expect(neg.domain.lowerBound <= -350)
    }

    @Test func formats() {
        let usd = ValueFormat.money(symbol: "$")
        #expect(usd.short(1_234_567) == "$1.2M")
        #expect(usd.short(850_000) == "$850K")
        #expect(usd.short(2_500) == "$2.5K")
        #expect(usd.short(-382.34) == "-$382")
        #expect(usd.short(0) == "$0")
        #expect(usd.short(2.4e9) == "$2.4B")
        #expect(usd.label(4_162_200.59) == "$4.16M")
        #expect(ValueFormat.money(symbol: "€").short(850_000) == "€850K")
        #expect(ValueFormat.money(symbol: ValueFormat.symbol(forCurrency: "JPY")).short(3_400_000) == "¥3.4M")
        #expect(ValueFormat.percent.short(12.5) == "12%")
        #expect(ValueFormat.percent.axis([10, 12.5, 15]) == ["10%", "12.5%", "15%"])
        #expect(usd.axis([1e6, 1.25e6, 1.5e6, 1.75e6]) == ["$1M", "$1.25M", "$1.5M", "$1.75M"])
        #expect(usd.axis([0, 500_000, 1e6]) == ["$0", "$500K", "$1M"])
        #expect(ValueFormat.days.axis([0, 0.5, 1]) == ["0", "0.5", "1"])
        #expect(ValueFormat.percent.short(40) == "40%")
        #expect(ValueFormat.percent.label(72.4) == "72.4%")
        #expect(ValueFormat.days.label(47.71) == "47.7")
        #expect(ValueFormat.count.label(12355) == "12,355")
    }

    @Test func thinningKeepsTheLastLabel() {
        #expect(thinnedLabels(count: 12, labelWidth: 40, step: 60) == Set(0..<12))
        let t = thinnedLabels(count: 24, labelWidth: 40, step: 20)      // every third month
        #expect(t.contains(23) && t.contains(20) && !t.contains(22) && !t.contains(21))
    }

    @Test func textFitsWithAnEllipsis() {
        let m = ApproximateTextMeasurer()
        let f = Font(size: 10)
        let s = m.fit("Customer with a very long registered name", f, 80)
        #expect(s.hasSuffix("…"))
        #expect(m.width(s, f) <= 80)
        #expect(m.fit("Short", f, 80) == "Short")
    }
}
