import CCairo
import CDeflate
import Foundation

/// Writes a cairo image as PNG: 8-bit RGB (alpha when the image has any), the Up filter, and
/// zlib at a fast level. Charts are mostly flat colour, so this is several times faster than
/// cairo's own PNG writer at a similar size, and the bytes are the same run to run.
enum PNGEncoder {
    static func encode(_ surface: OpaquePointer, level: Int32 = 3) throws(CairoError) -> Data {
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { throw CairoError(CAIRO_STATUS_NULL_POINTER, "reading pixels") }
        // Opaque images (every chart on its white background) drop the alpha channel.
        var opaque = true
        for y in 0..<h where opaque {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w where row[x] >> 24 != 0xFF { opaque = false; break }
        }
        let bpp = opaque ? 3 : 4
        let rowBytes = 1 + w * bpp
        var raw = [UInt8](repeating: 0, count: rowBytes * h)
        var previous = [UInt8](repeating: 0, count: w * bpp)
        var current = [UInt8](repeating: 0, count: w * bpp)
        raw.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<w {
                    let p = row[x]
                    var a = p >> 24, r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                    if !opaque && a != 0 && a != 0xFF {
                        // Cairo stores premultiplied colour.
                        r = (r * 255 + a / 2) / a; g = (g * 255 + a / 2) / a; b = (b * 255 + a / 2) / a
                    }
                    if a == 0 { r = 0; g = 0; b = 0 }
                    let o = x * bpp
                    current[o] = UInt8(r); current[o + 1] = UInt8(g); current[o + 2] = UInt8(b)
                    if !opaque { current[o + 3] = UInt8(a) } else { a = 0xFF }
                }
                let base = y * rowBytes
                out[base] = 2  // Up
                for i in 0..<(w * bpp) { out[base + 1 + i] = current[i] &- previous[i] }
                swap(&previous, &current)
            }
        }
        var out = Data()
        out.append(contentsOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(be32(UInt32(w))); ihdr.append(be32(UInt32(h)))
        ihdr.append(contentsOf: [8, opaque ? 2 : 6, 0, 0, 0])
        chunk("IHDR", ihdr, into: &out)
        chunk("IDAT", try deflate(raw, level: level), into: &out)
        chunk("IEND", Data(), into: &out)
        return out
    }

    static func be32(_ v: UInt32) -> Data { Data([UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]) }

    static func chunk(_ type: String, _ body: Data, into out: inout Data) {
        out.append(be32(UInt32(body.count)))
        var typed = Data(type.utf8)
        typed.append(body)
        out.append(typed)
        let crc = typed.withUnsafeBytes { p in crc32(0, p.bindMemory(to: Bytef.self).baseAddress, uInt(typed.count)) }
        out.append(be32(UInt32(crc)))
    }

    static func deflate(_ input: [UInt8], level: Int32) throws(CairoError) -> Data {
        var stream = z_stream()
        guard deflateInit_(&stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CairoError(CAIRO_STATUS_NO_MEMORY, "starting zlib")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { outp in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = outp.baseAddress
                stream.avail_out = uInt(outp.count)
                return CDeflate.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw CairoError(CAIRO_STATUS_NO_MEMORY, "compressing a PNG") }
        return Data(output.prefix(Int(stream.total_out)))
    }
}
