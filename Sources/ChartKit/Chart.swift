/// A chart that lays itself out into a `Scene` for a size, measuring text with a measurer.
public protocol Chart: Sendable {
    func scene(size: Size, measurer: any TextMeasuring, theme: Theme) -> Scene
}

extension Chart {
    public func scene(size: Size, measurer: any TextMeasuring = ApproximateTextMeasurer()) -> Scene {
        scene(size: size, measurer: measurer, theme: .standard)
    }
}

/// Text around a chart: the title states the question, the subtitle gives the definition.
public struct ChartText: Sendable {
    public var title: String
    public var subtitle: String?
    public var footnote: String?
    public init(_ title: String, subtitle: String? = nil, footnote: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.footnote = footnote
    }
}

/// A named series of values along the categories; nil is a gap.
public struct Series: Sendable {
    public var name: String
    public var values: [Double?]
    public var color: Color?
    public init(_ name: String, _ values: [Double?], color: Color? = nil) { self.name = name; self.values = values; self.color = color }
}
