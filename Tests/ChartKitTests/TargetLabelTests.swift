import Testing
@testable import ChartKit

/// The target line's label goes where no series line or marker crosses it.
@Suite struct TargetLabelTests {
    // A 40 × 10 label on a target line at y = 100, plot from x = 0 to 400, tried every 20.
    func spot(_ lines: [[Point?]]) -> Point {
        LineChart.clearSpot(width: 40, height: 10, lineY: 100, from: 0, to: 400, step: 20, avoiding: lines)
    }

    @Test func nothingInTheWayKeepsTheLeftEndAbove() {
        #expect(spot([[Point(0, 300), Point(400, 300)]]) == Point(0, 96))
    }

    @Test func aLineCrossingAtTheLeftMovesItRight() {
        // Steep from (10, 50) to (30, 150): it crosses the boxes at x 0 and 20 above and below;
        // the box at 40 (with its 3-point margin, from 37) is clear.
        #expect(spot([[Point(10, 50), Point(30, 150), Point(400, 150)]]) == Point(40, 96))
    }

    @Test func aLineJustAboveTheTargetPutsItBelow() {
        // At y 95 the line runs through the box above (86 to 98) all the way along; below
        // (102 to 114) is clear: the baseline sits 4 below the line plus 0.8 of the height.
        #expect(spot([[Point(0, 95), Point(400, 95)]]) == Point(0, 112))
    }

    @Test func aMarkerAloneBlocksItsSpot() {
        // A lone point (no segment) inside the first box above and below.
        #expect(spot([[Point(20, 96)], [Point(20, 106)]]) == Point(40, 96))
    }

    @Test func blockedEverywhereFallsBackToTheLeftEndAbove() {
        #expect(spot([[Point(0, 95), Point(400, 95)], [Point(0, 108), Point(400, 108)]]) == Point(0, 96))
    }
}
