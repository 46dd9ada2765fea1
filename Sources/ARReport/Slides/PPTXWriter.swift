import ARModel
import ChartKit
import Foundation
import ZIPFoundation

/// A `SlideDeck` as a PowerPoint file (Office Open XML, PresentationML): 16:9, one slide
/// master with one "title only" layout, a theme in the pack's colours, a notes master, and per
/// slide its title (a real title placeholder), the takeaway as an editable text box, the
/// chart as DrawingML shapes and the speaker notes. Only the parts a deck needs are written;
/// entries carry a fixed date and a fixed order, so the same deck gives the same bytes.
public enum PPTXWriter {
    static let fixedDate = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    /// 13.333 × 7.5 inches, in points.
    public static let slideSize = Size(960, 540)
    static let textFont = "Arial"

    static let nsA = "http://schemas.openxmlformats.org/drawingml/2006/main"
    static let nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let nsP = "http://schemas.openxmlformats.org/presentationml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    static let ct = "application/vnd.openxmlformats-officedocument.presentationml."
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static var ns: String { "xmlns:a=\"\(nsA)\" xmlns:r=\"\(nsR)\" xmlns:p=\"\(nsP)\"" }

    /// The deck as .pptx bytes. Charts are laid out with `measurer` (the one the pack's
    /// charts are measured with) and `theme`.
    public static func deck(_ deck: SlideDeck, measurer: any TextMeasuring, theme: Theme = .standard) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data((header + text).utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                                 compressionMethod: .deflate) { pos, size in data.subdata(in: Int(pos)..<Int(pos) + size) }
        }
        let n = deck.slides.count
        let slideTypes = (0..<n).map { $0 + 1 }.map {
            "<Override PartName=\"/ppt/slides/slide\($0).xml\" ContentType=\"\(ct)slide+xml\"/><Override PartName=\"/ppt/notesSlides/notesSlide\($0).xml\" ContentType=\"\(ct)notesSlide+xml\"/>"
        }.joined()
        try add("[Content_Types].xml", """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="\(ct)presentation.main+xml"/><Override PartName="/ppt/presProps.xml" ContentType="\(ct)presProps+xml"/><Override PartName="/ppt/viewProps.xml" ContentType="\(ct)viewProps+xml"/><Override PartName="/ppt/tableStyles.xml" ContentType="\(ct)tableStyles+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="\(ct)slideMaster+xml"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="\(ct)slideLayout+xml"/><Override PartName="/ppt/notesMasters/notesMaster1.xml" ContentType="\(ct)notesMaster+xml"/><Override PartName="/ppt/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/ppt/theme/theme2.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>\(slideTypes)<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>
            """)
        try add("_rels/.rels", rels([("officeDocument", "ppt/presentation.xml"),
                                     ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
                                     ("extended-properties", "docProps/app.xml")]))
        try add("docProps/core.xml", """
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>\(xml(deck.title + " — " + deck.subtitle))</dc:title><dc:creator>ARLens</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>
            """)
        try add("docProps/app.xml", """
            <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>ARLens</Application><PresentationFormat>Widescreen</PresentationFormat><Slides>\(n)</Slides><Notes>\(n)</Notes></Properties>
            """)
        // The presentation: master, notes master, slides, then the parts every deck carries.
        let slideIDs = (0..<n).map { "<p:sldId id=\"\(256 + $0)\" r:id=\"rId\($0 + 10)\"/>" }.joined()
        try add("ppt/presentation.xml", """
            <p:presentation \(ns) saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst><p:sldIdLst>\(slideIDs)</p:sldIdLst><p:sldSz cx="\(DrawingML.emu(slideSize.width))" cy="\(DrawingML.emu(slideSize.height))"/><p:notesSz cx="6858000" cy="9144000"/><p:defaultTextStyle><a:lvl1pPr><a:defRPr sz="1800"><a:latin typeface="+mn-lt"/></a:defRPr></a:lvl1pPr></p:defaultTextStyle></p:presentation>
            """)
        try add("ppt/_rels/presentation.xml.rels", rels([("slideMaster", "slideMasters/slideMaster1.xml"), ("notesMaster", "notesMasters/notesMaster1.xml"),
                                                         ("theme", "theme/theme1.xml"), ("presProps", "presProps.xml"), ("viewProps", "viewProps.xml"),
                                                         ("tableStyles", "tableStyles.xml")],
                                                        extra: (0..<n).map { (10 + $0, "slide", "slides/slide\($0 + 1).xml") }))
        try add("ppt/presProps.xml", "<p:presentationPr \(ns)/>")
        try add("ppt/viewProps.xml", "<p:viewPr \(ns)><p:normalViewPr><p:restoredLeft sz=\"15620\"/><p:restoredTop sz=\"80000\"/></p:normalViewPr><p:gridSpacing cx=\"76200\" cy=\"76200\"/></p:viewPr>")
        try add("ppt/tableStyles.xml", "<a:tblStyleLst xmlns:a=\"\(nsA)\" def=\"{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}\"/>")
        try add("ppt/theme/theme1.xml", themeXML("ARLens", theme))
        try add("ppt/theme/theme2.xml", themeXML("ARLens notes", theme))
        try add("ppt/slideMasters/slideMaster1.xml", masterXML(theme))
        try add("ppt/slideMasters/_rels/slideMaster1.xml.rels", rels([("slideLayout", "../slideLayouts/slideLayout1.xml"), ("theme", "../theme/theme1.xml")]))
        try add("ppt/slideLayouts/slideLayout1.xml", layoutXML())
        try add("ppt/slideLayouts/_rels/slideLayout1.xml.rels", rels([("slideMaster", "../slideMasters/slideMaster1.xml")]))
        try add("ppt/notesMasters/notesMaster1.xml", notesMasterXML())
        try add("ppt/notesMasters/_rels/notesMaster1.xml.rels", rels([("theme", "../theme/theme2.xml")]))
        for (k, slide) in deck.slides.enumerated() {
            try add("ppt/slides/slide\(k + 1).xml", slideXML(slide, number: k + 1, of: n, deck: deck, measurer: measurer, theme: theme))
            try add("ppt/slides/_rels/slide\(k + 1).xml.rels", rels([("slideLayout", "../slideLayouts/slideLayout1.xml"),
                                                                     ("notesSlide", "../notesSlides/notesSlide\(k + 1).xml")]))
            try add("ppt/notesSlides/notesSlide\(k + 1).xml", notesXML(slide))
            try add("ppt/notesSlides/_rels/notesSlide\(k + 1).xml.rels", rels([("notesMaster", "../notesMasters/notesMaster1.xml"),
                                                                               ("slide", "../slides/slide\(k + 1).xml")]))
        }
        guard let data = archive.data else { throw PackError.write("could not build the slide deck") }
        return data
    }

    // MARK: Pieces

    /// A relationships part: (type, target) numbered rId1…, then `extra` with their own ids.
    static func rels(_ list: [(String, String)], extra: [(Int, String, String)] = []) -> String {
        func type(_ t: String) -> String { t.hasPrefix("http") ? t : rel + t }
        let items = list.enumerated().map { "<Relationship Id=\"rId\($0.offset + 1)\" Type=\"\(type($0.element.0))\" Target=\"\($0.element.1)\"/>" }
            + extra.map { "<Relationship Id=\"rId\($0.0)\" Type=\"\(type($0.1))\" Target=\"\($0.2)\"/>" }
        return "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" + items.joined() + "</Relationships>"
    }

    static func hex(_ c: Color) -> String { String(c.description.dropFirst().prefix(6)).uppercased() }

    /// Text as XML character data: markup escaped, characters XML 1.0 forbids replaced.
    static func xml(_ s: String) -> String { SVGWriter.escape(s) }

    /// One run of text.
    static func run(_ text: String, size: Double, bold: Bool = false, color: Color? = nil, font: String? = nil) -> String {
        let sz = min(max(Int((size * 100).rounded()), 100), 400_000)
        var r = "<a:r><a:rPr lang=\"en-US\" sz=\"\(sz)\"\(bold ? " b=\"1\"" : "") dirty=\"0\">"
        if let color { r += "<a:solidFill>\(DrawingML.color(color))</a:solidFill>" }
        if let font { r += "<a:latin typeface=\"\(xml(font))\" pitchFamily=\"34\" charset=\"0\"/>" }
        return r + "</a:rPr><a:t>\(xml(text))</a:t></a:r>"
    }

    /// A text box at (x, y, w, h) points holding `paragraphs` (each already `<a:p>` markup).
    static func textBox(_ id: Int, _ name: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double, _ paragraphs: String,
                        placeholder: String? = nil, anchor: String = "t", fill: Color? = nil, line: Color? = nil, inset: Double = 0) -> String {
        let ins = DrawingML.emu(inset)
        return "<p:sp><p:nvSpPr><p:cNvPr id=\"\(id)\" name=\"\(xml(name))\"/><p:cNvSpPr\(placeholder == nil ? " txBox=\"1\"" : "")>\(placeholder == nil ? "" : "<a:spLocks noGrp=\"1\"/>")</p:cNvSpPr><p:nvPr>\(placeholder ?? "")</p:nvPr></p:nvSpPr>"
            + "<p:spPr><a:xfrm><a:off x=\"\(DrawingML.emu(x))\" y=\"\(DrawingML.emu(y))\"/><a:ext cx=\"\(DrawingML.emu(w))\" cy=\"\(DrawingML.emu(h))\"/></a:xfrm><a:prstGeom prst=\"\(fill == nil ? "rect" : "roundRect")\"><a:avLst/></a:prstGeom>"
            + DrawingML.fill(fill) + (line.map { "<a:ln w=\"9525\"><a:solidFill>\(DrawingML.color($0))</a:solidFill></a:ln>" } ?? "<a:ln><a:noFill/></a:ln>") + "</p:spPr>"
            + "<p:txBody><a:bodyPr wrap=\"square\" lIns=\"\(ins)\" tIns=\"\(ins)\" rIns=\"\(ins)\" bIns=\"\(ins)\" anchor=\"\(anchor)\"><a:normAutofit/></a:bodyPr><a:lstStyle/>\(paragraphs)</p:txBody></p:sp>"
    }

    static func paragraph(_ runs: String, align: String = "l", spaceAfter: Double = 0, bullet: Bool = false) -> String {
        let indent = bullet ? " marL=\"285750\" indent=\"-285750\"" : ""
        let bu = bullet ? "<a:buFont typeface=\"Arial\"/><a:buChar char=\"•\"/>" : "<a:buNone/>"
        return "<a:p><a:pPr algn=\"\(align)\"\(indent)>\(spaceAfter > 0 ? "<a:spcAft><a:spcPts val=\"\(Int(spaceAfter * 100))\"/></a:spcAft>" : "")\(bu)</a:pPr>\(runs)</a:p>"
    }

    static func slideXML(_ s: Slide, number: Int, of total: Int, deck: SlideDeck, measurer: any TextMeasuring, theme: Theme) -> String {
        let margin = 40.0, width = slideSize.width - 2 * margin
        var shapes = ""
        var nextID = 2
        func id() -> Int { defer { nextID += 1 }; return nextID }
        let accent = theme.color(0)
        switch s.body {
        case .cover(let lines):
            shapes += "<p:sp><p:nvSpPr><p:cNvPr id=\"\(id())\" name=\"Band\"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"0\" y=\"\(DrawingML.emu(330))\"/><a:ext cx=\"\(DrawingML.emu(slideSize.width))\" cy=\"\(DrawingML.emu(8))\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>\(DrawingML.fill(accent))<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
            shapes += textBox(id(), "Title", margin, 150, width, 110, paragraph(run(s.title, size: 40, bold: true, color: theme.text)),
                              placeholder: "<p:ph type=\"ctrTitle\"/>", anchor: "b")
            shapes += textBox(id(), "Subtitle", margin, 350, width, 120,
                              lines.enumerated().map { paragraph(run($0.element, size: $0.offset == 0 ? 24 : 16, color: $0.offset == 0 ? theme.text : theme.muted), spaceAfter: 6) }.joined())
        default:
            shapes += textBox(id(), "Title", margin, 22, width, 46, paragraph(run(s.title, size: 28, bold: true, color: theme.text)),
                              placeholder: "<p:ph type=\"title\"/>", anchor: "b")
            if let t = s.takeaway {
                shapes += textBox(id(), "Takeaway", margin, 72, width, 50, paragraph(run(t, size: 15, color: theme.muted)))
            }
        }
        let top = 128.0, bottom = slideSize.height - 30
        switch s.body {
        case .cover: break
        case .tiles(let tiles):
            let cols = 3, rows = max(1, (tiles.count + cols - 1) / cols)
            let gap = 12.0, w = (width - gap * Double(cols - 1)) / Double(cols), h = min(118, (bottom - top - gap * Double(rows - 1)) / Double(rows))
            for (k, t) in tiles.enumerated() {
                let x = margin + Double(k % cols) * (w + gap), y = top + Double(k / cols) * (h + gap)
                var paras = paragraph(run(t.label, size: 12, color: theme.muted))
                paras += paragraph(run(t.value, size: 26, bold: true, color: theme.text))
                var line = ""
                if let c = t.change {
                    line += run(c + " vs last month", size: 11, color: t.changeGood.map { $0 ? theme.good : theme.bad } ?? theme.muted)
                }
                if let target = t.target {
                    line += run((line.isEmpty ? "" : " · ") + "target \(target)" + (t.status.map { ", \($0.rawValue)" } ?? ""), size: 11,
                                color: t.status == .offTarget ? theme.bad : t.status == .onTarget ? theme.good : theme.muted)
                }
                if !line.isEmpty { paras += paragraph(line) }
                let border = t.status == .offTarget ? theme.bad : t.status == .onTarget ? theme.good : theme.axis
                shapes += textBox(id(), "Tile: " + t.label, x, y, w, h, paras, anchor: "ctr", fill: Color(hex: 0xF5F7FA), line: border, inset: 10)
            }
        case .chart(let c):
            let scene = c.chart.scene(size: c.size, measurer: measurer, theme: theme)
            let scale = min(width / scene.size.width, (bottom - top) / scene.size.height)
            let x = margin + (width - scene.size.width * scale) / 2
            var d = DrawingML(nextID: nextID)
            shapes += d.group(scene, at: Point(x, top), scale: scale, name: "Chart " + c.id, description: c.alt, measurer: measurer)
            nextID = d.nextID
        case .bullets(let items):
            shapes += textBox(id(), "Points", margin + 10, top + 4, width - 20, bottom - top - 8,
                              items.map { paragraph(run($0, size: 18, color: theme.text), spaceAfter: 10, bullet: true) }.joined())
        }
        // Footer: company, month, slide number.
        shapes += textBox(id(), "Footer", margin, slideSize.height - 26, width, 18,
                          paragraph(run("\(deck.title) · \(deck.subtitle) · \(number)/\(total)", size: 9, color: theme.muted), align: "r"))
        return "<p:sld \(ns)><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\(shapes)</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    }

    static func notesXML(_ s: Slide) -> String {
        let paras = (s.notes.isEmpty ? [""] : s.notes).map { "<a:p>" + ($0.isEmpty ? "" : run($0, size: 12)) + "</a:p>" }.joined()
        return "<p:notes \(ns)><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
            + "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image\"/><p:cNvSpPr><a:spLocks noGrp=\"1\" noRot=\"1\" noChangeAspect=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"sldImg\"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>"
            + "<p:sp><p:nvSpPr><p:cNvPr id=\"3\" name=\"Notes\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"body\" idx=\"1\"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>\(paras)</p:txBody></p:sp>"
            + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    }

    static let clrMap = "bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\""

    static func placeholder(_ id: Int, _ name: String, _ ph: String, _ x: Int, _ y: Int, _ w: Int, _ h: Int) -> String {
        "<p:sp><p:nvSpPr><p:cNvPr id=\"\(id)\" name=\"\(name)\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr>\(ph)</p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"\(x)\" y=\"\(y)\"/><a:ext cx=\"\(w)\" cy=\"\(h)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang=\"en-US\"/></a:p></p:txBody></p:sp>"
    }

    static func masterXML(_ theme: Theme) -> String {
        let title = placeholder(2, "Title Placeholder", "<p:ph type=\"title\"/>", DrawingML.emu(40), DrawingML.emu(22), DrawingML.emu(880), DrawingML.emu(46))
        let body = placeholder(3, "Text Placeholder", "<p:ph type=\"body\" idx=\"1\"/>", DrawingML.emu(40), DrawingML.emu(128), DrawingML.emu(880), DrawingML.emu(382))
        let level = "<a:lvl1pPr marL=\"0\" algn=\"l\"><a:spcBef><a:spcPts val=\"600\"/></a:spcBef><a:buNone/><a:defRPr sz=\"1800\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill><a:latin typeface=\"+mn-lt\"/></a:defRPr></a:lvl1pPr>"
        return "<p:sldMaster \(ns)><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\(title)\(body)</p:spTree></p:cSld>"
            + "<p:clrMap \(clrMap)/><p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>"
            + "<p:txStyles><p:titleStyle><a:lvl1pPr algn=\"l\"><a:defRPr sz=\"2800\" b=\"1\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill><a:latin typeface=\"+mj-lt\"/></a:defRPr></a:lvl1pPr></p:titleStyle>"
            + "<p:bodyStyle>\(level)</p:bodyStyle><p:otherStyle>\(level)</p:otherStyle></p:txStyles></p:sldMaster>"
    }

    static func layoutXML() -> String {
        let title = placeholder(2, "Title 1", "<p:ph type=\"title\"/>", DrawingML.emu(40), DrawingML.emu(22), DrawingML.emu(880), DrawingML.emu(46))
        return "<p:sldLayout \(ns) type=\"titleOnly\" preserve=\"1\"><p:cSld name=\"Title Only\"><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\(title)</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    }

    static func notesMasterXML() -> String {
        let image = "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder\"/><p:cNvSpPr><a:spLocks noGrp=\"1\" noRot=\"1\" noChangeAspect=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"sldImg\" idx=\"2\"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"381000\" y=\"685800\"/><a:ext cx=\"6096000\" cy=\"3429000\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/><a:ln w=\"12700\"><a:solidFill><a:prstClr val=\"black\"/></a:solidFill></a:ln></p:spPr></p:sp>"
        let body = placeholder(3, "Notes Placeholder", "<p:ph type=\"body\" sz=\"quarter\" idx=\"1\"/>", 685800, 4343400, 5486400, 4114800)
        let level = "<a:lvl1pPr marL=\"0\" algn=\"l\"><a:defRPr sz=\"1200\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill><a:latin typeface=\"+mn-lt\"/></a:defRPr></a:lvl1pPr>"
        return "<p:notesMaster \(ns)><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\(image)\(body)</p:spTree></p:cSld><p:clrMap \(clrMap)/><p:notesStyle>\(level)</p:notesStyle></p:notesMaster>"
    }

    /// The theme: the pack's palette as the accents, its text greys as dark colours, Arial for
    /// titles and text (charts name DejaVu Sans, the font they were measured with).
    static func themeXML(_ name: String, _ t: Theme) -> String {
        func c(_ tag: String, _ color: Color) -> String { "<a:\(tag)><a:srgbClr val=\"\(hex(color))\"/></a:\(tag)>" }
        let colors = c("dk1", t.text) + c("lt1", .white) + c("dk2", t.target) + c("lt2", Color(hex: 0xF5F7FA))
            + (0..<6).map { c("accent\($0 + 1)", t.color($0)) }.joined() + c("hlink", t.color(0)) + c("folHlink", t.color(3))
        let fonts = "<a:latin typeface=\"\(textFont)\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>"
        let solid = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
        let lines = [6350, 12700, 19050].map { "<a:ln w=\"\($0)\" cap=\"flat\" cmpd=\"sng\" algn=\"ctr\">\(solid)<a:prstDash val=\"solid\"/><a:miter lim=\"800000\"/></a:ln>" }.joined()
        return "<a:theme xmlns:a=\"\(nsA)\" name=\"\(xml(name))\"><a:themeElements><a:clrScheme name=\"ARLens\">\(colors)</a:clrScheme>"
            + "<a:fontScheme name=\"ARLens\"><a:majorFont>\(fonts)</a:majorFont><a:minorFont>\(fonts)</a:minorFont></a:fontScheme>"
            + "<a:fmtScheme name=\"ARLens\"><a:fillStyleLst>\(solid)\(solid)\(solid)</a:fillStyleLst><a:lnStyleLst>\(lines)</a:lnStyleLst>"
            + "<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>"
            + "<a:bgFillStyleLst>\(solid)\(solid)\(solid)</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    }
}
