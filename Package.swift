// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ARLens",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "arlens", targets: ["arlens"]),
        .library(name: "ARModel", targets: ["ARModel"]),
        .library(name: "ARLoading", targets: ["ARLoading"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // Pure values: Money, Currency, Day, the columnar Ledger.
        .target(name: "ARModel", dependencies: ["CSupport"]),
        // A cache prefetch hint (no Swift spelling for it).
        .target(name: "CSupport"),
        // CSV reading, the ledger schema, arlens.yml, the loader and its report.
        .target(
            name: "ARLoading",
            dependencies: ["ARModel", .product(name: "Yams", package: "Yams")]
        ),
        // The analyses: pure functions of (ledger, as-of, configuration). No I/O, no clock.
        .target(name: "ARAnalytics", dependencies: ["ARModel"]),
        // The synthetic ledger generator: realistic AR behaviour with known, injected anomalies.
        .target(name: "ARSynthetic", dependencies: ["ARModel", "AROutput"]),
        // Output formats shared by the command line and the pack: ordered JSON, text tables,
        // injection-safe CSV, atomic files.
        .target(name: "AROutput", dependencies: ["CSupport"]),
        // Charts as data: spec -> scales -> Scene. Knows nothing about receivables or Cairo.
        .target(name: "ChartKit"),
        // The monthly management pack: sections from analysis results, HTML through Mustache
        // templates, PDF through ChartKit + Cairo, CSV, JSON, XLSX. Atomic, deterministic output.
        .target(
            name: "ARReport",
            dependencies: [
                "ARModel", "ARLoading", "ARAnalytics", "AROutput", "ChartKit", "CairoRendering",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The C library, seen only by CairoRendering.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // zlib, for the PNG encoder (libpng's default settings made encoding the slowest step).
        .systemLibrary(name: "CDeflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CairoRendering", dependencies: ["CCairo", "CDeflate", "ChartKit"]),
        .executableTarget(
            name: "arlens",
            dependencies: [
                "ARModel", "ARLoading", "ARAnalytics", "AROutput", "ARReport", "ARSynthetic", "ChartKit", "CairoRendering",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: load-speed and memory figures on a large ledger.
        .executableTarget(
            name: "arlens-bench", dependencies: ["ARModel", "ARLoading", "ARAnalytics", "ChartKit", "CairoRendering"],
            path: "Sources/ARLensBench"),

        // `make fuzz`: libFuzzer targets for the CSV scanner, amounts, dates, the loader and
        // arlens.yml; built plainly it replays the committed corpus (`make fuzz-replay`).
        .executableTarget(name: "arlens-fuzz", dependencies: ["ARModel", "ARLoading", "CSupport"], path: "fuzz/Sources"),

        .testTarget(name: "ARModelTests", dependencies: ["ARModel"]),
        .testTarget(name: "ARLoadingTests", dependencies: ["ARModel", "ARLoading"]),
        .testTarget(name: "ARAnalyticsTests", dependencies: ["ARAnalytics", "ARLoading", "ARModel", "ARSynthetic"]),
        .testTarget(name: "ARSyntheticTests", dependencies: ["ARSynthetic", "ARLoading", "ARModel"]),
        .testTarget(name: "AROutputTests", dependencies: ["AROutput"]),
        .testTarget(name: "ARReportTests", dependencies: ["ARReport", "ARLoading", "ARAnalytics", "ARModel", "CairoRendering",
                                                          .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ChartKitTests", dependencies: ["ChartKit"], exclude: ["Goldens"]),
        .testTarget(name: "CairoRenderingTests", dependencies: ["CairoRendering", "ChartKit"]),
        .testTarget(name: "ARLensCLITests", dependencies: ["arlens"]),
    ],
    swiftLanguageModes: [.v6]
)
