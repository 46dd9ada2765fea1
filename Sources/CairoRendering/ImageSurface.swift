import CCairo

/// An ARGB image surface owning its cairo handle (released in deinit). The chart backend
/// grows from here; today it proves the C library is wired in and its errors surface.
public final class ImageSurface {
    let handle: OpaquePointer
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) throws(CairoError) {
        let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        let status = cairo_surface_status(s)
        if status != CAIRO_STATUS_SUCCESS {
            cairo_surface_destroy(s)
            throw CairoError(status, "creating a \(width)x\(height) image")
        }
        handle = s
        self.width = width
        self.height = height
    }

    deinit { cairo_surface_destroy(handle) }

    /// Fills the whole surface with an opaque colour (components 0...1).
    public func fill(red: Double, green: Double, blue: Double) throws(CairoError) {
        let cr = cairo_create(handle)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, red, green, blue)
        cairo_paint(cr)
        try CairoError.check(cairo_status(cr), "painting")
        cairo_surface_flush(handle)
    }

    /// The pixel at (x, y) as 0xAARRGGBB.
    public func pixel(x: Int, y: Int) -> UInt32 {
        let stride = Int(cairo_image_surface_get_stride(handle))
        let data = cairo_image_surface_get_data(handle)!
        return (data + y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
    }

    /// Writes a PNG; a bad path or a full disk is an error.
    public func writePNG(to path: String) throws(CairoError) {
        try CairoError.check(cairo_surface_write_to_png(handle, path), "writing \(path)")
    }
}
