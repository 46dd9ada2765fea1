import Foundation
import Testing
@testable import CairoRendering

@Suite struct CairoTests {
    @Test func linksAndDraws() throws {
        #expect(CairoLibrary.version.split(separator: ".").count == 3)
        let s = try ImageSurface(width: 4, height: 3)
        try s.fill(red: 1, green: 0, blue: 0)
        #expect(s.pixel(x: 2, y: 1) == 0xFFFF_0000)
    }

    @Test func errorsSurfaceAsSwiftErrors() throws {
        #expect(throws: CairoError.self) { try ImageSurface(width: -5, height: 3) }
        let s = try ImageSurface(width: 2, height: 2)
        do {
            try s.writePNG(to: "/nonexistent-dir/x.png")
            Issue.record("expected a write error")
        } catch {
            #expect(error.description.hasPrefix("writing /nonexistent-dir/x.png: "))
        }
    }
}
