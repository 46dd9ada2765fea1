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
        // A cache prefetch hint and the CSV block classifier (no Swift spelling for them).
        .target(name: "CSupport"),
        // CSV reading, the ledger schema, arlens.yml, the loader and its report.
        .target(
            name: "ARLoading",
            dependencies: ["ARModel", "CSupport", "CPostgres", .product(name: "Yams", package: "Yams")]
        ),
        // libpq, the PostgreSQL client library (Debian's libpq-dev), seen only by ARLoading's
        // PostgreSQL source, export and pushdown.
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The analyses: pure functions of (ledger, as-of, configuration). No I/O, no clock.
        .target(name: "ARAnalytics", dependencies: ["ARModel"]),
        // The synthetic ledger generator: realistic AR behaviour with known, injected anomalies.
        .target(name: "ARSynthetic", dependencies: ["ARModel", "AROutput"]),
        // Output formats shared by the command line and the pack: ordered JSON, text tables,
        // injection-safe CSV, atomic files.
        .target(name: "AROutput", dependencies: ["CSupport"]),
        // Charts as data: spec -> scales -> Scene. Knows nothing about receivables or Cairo.
        .target(name: "ChartKit"),
        // The monthly management pack and the letters: sections from analysis results, HTML
        // through Mustache templates, PDF through ChartKit scenes on a Canvas, CSV, JSON, XLSX.
        // Atomic, deterministic output. Knows neither the loader nor Cairo.
        .target(
            name: "ARReport",
            dependencies: [
                "ARModel", "ARAnalytics", "AROutput", "ChartKit",
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
        // The Canvas that draws with Cairo (ChartKit's protocol), passed in by the command line.
        .target(name: "CairoRendering", dependencies: ["CCairo", "CDeflate", "ChartKit"]),
        // The application: a loaded ledger (Workspace) with one method per job, the defaults
        // and checks the jobs share, and results that render as table, CSV or JSON. Drawing
        // comes in through ChartKit's Canvas, so nothing here needs Cairo.
        .target(
            name: "ARLensKit",
            dependencies: ["ARModel", "ARLoading", "ARAnalytics", "AROutput", "ARReport", "ARSynthetic", "ChartKit"]
        ),
        // The command line: arguments in, one ARLensKit call, the result out.
        .executableTarget(
            name: "arlens",
            dependencies: [
                "ARLensKit", "ARModel", "ARLoading", "ARAnalytics", "AROutput", "ARReport", "ARSynthetic", "CairoRendering",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: load-speed and memory figures on a large ledger.
        .executableTarget(
            name: "arlens-bench", dependencies: ["ARModel", "ARLoading", "ARAnalytics", "ChartKit", "CairoRendering"],
            path: "Sources/ARLensBench"),

        // What the tests share: temporary ledgers and the repository's fixture folders.
        .target(name: "ARTestSupport", dependencies: ["ARLoading", "ARModel"], path: "Tests/ARTestSupport"),
        // `make fuzz`: libFuzzer targets for the CSV scanner, amounts, dates, the loader and
        // arlens.yml; built plainly it replays the committed corpus (`make fuzz-replay`).
        .executableTarget(name: "arlens-fuzz", dependencies: ["ARModel", "ARLoading", "CSupport"], path: "fuzz/Sources"),

        .testTarget(name: "ARModelTests", dependencies: ["ARModel"]),
        .testTarget(name: "ARLoadingTests", dependencies: ["ARModel", "ARLoading", "ARAnalytics", "ARTestSupport"]),
        .testTarget(name: "ARAnalyticsTests", dependencies: ["ARAnalytics", "ARLoading", "ARModel", "ARSynthetic", "ARTestSupport"]),
        .testTarget(name: "ARSyntheticTests", dependencies: ["ARSynthetic", "ARLoading", "ARAnalytics", "ARModel", "ARTestSupport"]),
        .testTarget(name: "AROutputTests", dependencies: ["AROutput", "ARTestSupport"]),
        .testTarget(name: "ARReportTests", dependencies: ["ARReport", "ARLoading", "ARAnalytics", "ARModel", "CairoRendering", "ARTestSupport",
                                                          .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ChartKitTests", dependencies: ["ChartKit"], exclude: ["Goldens"]),
        .testTarget(name: "CairoRenderingTests", dependencies: ["CairoRendering", "ChartKit"]),
        .testTarget(name: "ARLensCLITests", dependencies: ["arlens", "ARTestSupport"]),
        .testTarget(name: "ARLensKitTests", dependencies: ["ARLensKit", "ARModel", "ARLoading", "ARAnalytics", "ARReport", "ChartKit", "ARTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
