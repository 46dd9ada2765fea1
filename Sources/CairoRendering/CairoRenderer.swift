import CCairo
import ChartKit
import Foundation

/// Scenes to PNG (at 2x for HiDPI), multi-page PDF (with fixed dates, so the same input gives
/// the same bytes) and SVG. Output is collected in memory, so callers write files atomically.
public enum CairoRenderer {
    /// The creation and modification date written into every PDF.
    public static let pdfDate = "2026-01-01T00:00:00"

    /// PNG bytes of `scene`, `scale` device pixels per scene unit.
    public static func png(_ scene: Scene, scale: Double = 2) throws(CairoError) -> Data {
        let image = try Raster(scene, scale: scale)
        return try PNGEncoder.encode(image.surface)
    }

    /// A PDF with one page per scene, each page the scene's size in points.
    public static func pdf(_ pages: [Scene], title: String = "ARLens") throws(CairoError) -> Data {
        guard let first = pages.first else { return Data() }
        let sink = ByteSink()
        let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                          first.size.width, first.size.height)!
        defer { cairo_surface_destroy(surface) }
        try CairoError.check(cairo_surface_status(surface), "creating a PDF")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, pdfDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, pdfDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, CairoContext.drawable(title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ARLens")
        do {
            let ctx = try CairoContext(surface)
            for page in pages {
                cairo_pdf_surface_set_size(surface, page.size.width, page.size.height)
                try ctx.draw(page)
                cairo_show_page(ctx.cr)
            }
            try ctx.check("writing PDF pages")
        }
        cairo_surface_finish(surface)
        try CairoError.check(cairo_surface_status(surface), "finishing the PDF")
        return sink.data
    }

    /// An SVG of `scene`.
    public static func svg(_ scene: Scene) throws(CairoError) -> Data {
        let sink = ByteSink()
        let surface = cairo_svg_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                          scene.size.width, scene.size.height)!
        defer { cairo_surface_destroy(surface) }
        try CairoError.check(cairo_surface_status(surface), "creating an SVG")
        do {
            let ctx = try CairoContext(surface)
            try ctx.draw(scene)
        }
        cairo_surface_finish(surface)
        try CairoError.check(cairo_surface_status(surface), "finishing the SVG")
        return sink.data
    }

    /// PNGs of many scenes, encoded on every core (encoding dominates chart time).
    public static func pngs(_ scenes: [Scene], scale: Double = 2) throws -> [Data] {
        final class Slots: @unchecked Sendable {
            var out: [Result<Data, CairoError>?]
            let lock = NSLock()
            init(_ n: Int) { out = Array(repeating: nil, count: n) }
        }
        let slots = Slots(scenes.count)
        DispatchQueue.concurrentPerform(iterations: scenes.count) { i in
            let r = Result { () throws(CairoError) -> Data in try png(scenes[i], scale: scale) }
            slots.lock.lock(); slots.out[i] = r; slots.lock.unlock()
        }
        return try slots.out.map { try $0!.get() }
    }
}

/// Collects the bytes cairo writes to a stream.
final class ByteSink {
    var data = Data()

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}

/// A scene drawn into pixels (an ARGB image surface owned by this object).
public final class Raster {
    let surface: OpaquePointer
    public let width: Int
    public let height: Int

    public init(_ scene: Scene, scale: Double = 2) throws(CairoError) {
        let w = Int32((scene.size.width * scale).rounded()), h = Int32((scene.size.height * scale).rounded())
        guard w > 0, h > 0, w <= 16384, h <= 16384 else { throw CairoError(CAIRO_STATUS_INVALID_SIZE, "a \(w)x\(h) image") }
        let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)!
        let status = cairo_surface_status(s)
        if status != CAIRO_STATUS_SUCCESS {
            cairo_surface_destroy(s)
            throw CairoError(status, "creating a \(w)x\(h) image")
        }
        surface = s
        width = Int(w)
        height = Int(h)
        let ctx = try CairoContext(surface)
        cairo_scale(ctx.cr, scale, scale)
        try ctx.draw(scene)
        cairo_surface_flush(surface)
    }

    deinit { cairo_surface_destroy(surface) }

    /// The pixel at (x, y) in device pixels, 0xAARRGGBB.
    public func pixel(_ x: Int, _ y: Int) -> UInt32 {
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        return (data + y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
    }
}

/// A PNG decoded by cairo (libpng), for checking what was written.
public final class PNGDecoded {
    let surface: OpaquePointer
    public let width: Int
    public let height: Int

    public init(_ png: Data) throws(CairoError) {
        final class Source { var data: Data; var offset = 0; init(_ d: Data) { data = d } }
        let source = Source(png)
        let read: cairo_read_func_t = { closure, out, length in
            guard let closure, let out else { return CAIRO_STATUS_READ_ERROR }
            let src = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard src.offset + n <= src.data.count else { return CAIRO_STATUS_READ_ERROR }
            src.data.copyBytes(to: out, from: src.offset..<(src.offset + n))
            src.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        let s = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(source).toOpaque())!
        }
        let status = cairo_surface_status(s)
        if status != CAIRO_STATUS_SUCCESS { cairo_surface_destroy(s); throw CairoError(status, "decoding a PNG") }
        surface = s
        width = Int(cairo_image_surface_get_width(s))
        height = Int(cairo_image_surface_get_height(s))
    }

    deinit { cairo_surface_destroy(surface) }

    public func pixel(_ x: Int, _ y: Int) -> UInt32 {
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        return (data + y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
    }
}
