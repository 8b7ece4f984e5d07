import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// The parsers of link exports (Pocket, Instapaper, bookmarks) and of Omnivore's highlight files.
struct LinkImportTests {
    static let bookmarks = """
        <!DOCTYPE NETSCAPE-Bookmark-file-1>
        <DL><p>
            <DT><H3 ADD_DATE="1680000000">Sea &amp; Sky</H3>
            <DL><p>
                <DT><A HREF="https://example.org/a?x=1&amp;y=2" ADD_DATE="1680000100" TAGS="one, two">A &#8217;quoted&#x2019; title</A>
            </DL><p>
            <DT><A HREF="https://example.org/b" ADD_DATE="1680000200000">B</A>
        </DL><p>
        """

    @Test func bookmarksKeepFoldersTagsTimesAndDecodeEntities() throws {
        let document = try AnnotationImport.parse(Data(Self.bookmarks.utf8))
        let links = try document.links.map { try $0.get() }
        #expect(links.map(\.url) == ["https://example.org/a?x=1&y=2", "https://example.org/b"])
        #expect(links[0].title == "A \u{2019}quoted\u{2019} title")
        #expect(links[0].tags == ["Sea & Sky", "one", "two"])
        #expect(links[1].tags.isEmpty)
        // Seconds, and milliseconds (which some browsers write), both read as milliseconds.
        #expect(links.map(\.savedAt) == [1_680_000_100_000, 1_680_000_200_000])
    }

    /// A file nesting folders thousands deep, with a link at the bottom of each, gives each link
    /// at most its innermost folders as tags, not thousands (which made hundreds of millions of
    /// tag strings from a megabyte).
    @Test func deeplyNestedFoldersGiveBoundedTags() throws {
        var text = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        for i in 0..<3_000 { text += "<DT><H3>F\(i)</H3><DL><p><DT><A HREF=\"https://example.org/\(i)\" TAGS=\"\((0..<50).map { "t\($0)" }.joined(separator: ","))\">L</A>\n" }
        let document = try AnnotationImport.parse(Data(text.utf8))
        let links = try document.links.map { try $0.get() }
        #expect(links.count == 3_000)
        #expect(links.allSatisfy { $0.tags.count <= ImportedLink.maxTags })
        #expect(links.last?.tags.prefix(8) == ["F2992", "F2993", "F2994", "F2995", "F2996", "F2997", "F2998", "F2999"])
    }

    @Test func omnivoreHighlightFilesGiveQuotesLabelsAndNotes() {
        let markdown = "> First quote \n\n#work #to read\n\nA note\n\nover two paragraphs\n\n> Second line one\n> \nline two \n\n> Third \n\n#only-labels"
        #expect(OmnivoreExport.highlights(markdown) == [
            .init(quote: "First quote", labels: ["work", "to read"], note: "A note\n\nover two paragraphs"),
            .init(quote: "Second line one\n\nline two", labels: [], note: nil),
            .init(quote: "Third", labels: ["only-labels"], note: nil),
        ])
        #expect(OmnivoreExport.highlights("Just a note on the page\n\n") == [.init(quote: nil, labels: [], note: "Just a note on the page")])
    }

    @Test func eachFormatIsToldByItsContent() throws {
        let pocketCSV = "title,url,time_added,tags,status\nT,https://example.org/t,1700000000,a|b,archive\n"
        let instapaper = "URL,Title,Selection,Folder,Timestamp\nhttps://example.org/i,I,,Starred,1700000000\n"
        let pocketHTML = "<!DOCTYPE html><html><head><title>Pocket Export</title></head><body><h1>Unread</h1><ul>"
            + "<li><a href=\"https://example.org/p\" time_added=\"1700000000\" tags=\"x\">P</a></li></ul></body></html>"
        let csv = try #require(try AnnotationImport.parse(Data(pocketCSV.utf8)).links.first?.get())
        #expect(csv.tags == ["a", "b"] && csv.isArchived)
        let star = try #require(try AnnotationImport.parse(Data(instapaper.utf8)).links.first?.get())
        #expect(star.isStarred && !star.isArchived)
        let html = try #require(try AnnotationImport.parse(Data(pocketHTML.utf8)).links.first?.get())
        #expect(html.url == "https://example.org/p" && html.tags == ["x"] && !html.isArchived)
    }

    /// Links are written many to a transaction: one that comes twice in a file is imported once,
    /// and a second import of the file adds nothing.
    @Test func aLinkTwiceInAFileIsImportedOnce() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let csv = "title,url,time_added,tags,status\nA,https://example.org/a,1700000000,,unread\nB,https://example.org/b,1700000001,,unread\n"
            + "A again,https://example.org/a?utm_source=x,1700000002,,unread\n"
        let first = try store.importAnnotations(try AnnotationImport.parse(Data(csv.utf8)))
        #expect(first.items.map(\.status) == [.imported, .imported, .alreadyPresent] && first.articlesAdded == 2)
        #expect(first.items[0].id == first.items[2].id)
        let again = try store.importAnnotations(try AnnotationImport.parse(Data(csv.utf8)))
        #expect(again.items.map(\.status) == [.alreadyPresent, .alreadyPresent, .alreadyPresent] && again.articlesAdded == 0)
        #expect(try store.articles().count == 2)
    }

    /// Every prefix of each file (a download cut short) parses without trapping, and gives each
    /// item one number.
    @Test(arguments: [bookmarks, "title,url,time_added,tags,status\n\"T,https://example.org/t,1,a,unread\nU,https://example.org/u,2,,unread\n"])
    func truncatedFilesParseWithoutTrapping(_ text: String) throws {
        let scalars = Array(text.unicodeScalars)
        for end in 0...scalars.count {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[..<end])
            guard let document = try? AnnotationImport.parse(Data(String(prefix).utf8)) else { continue }
            let numbers = (document.linkNumbers ?? document.links.indices.map { $0 + 1 }) + (document.numbers ?? [])
            #expect(Set(numbers).count == numbers.count)
        }
    }

    /// A zip cut anywhere, or with any byte changed, is read without trapping: as an Omnivore
    /// export with failed items, or refused whole.
    @Test func damagedZipsNeverTrap() throws {
        let entries: [(String, String)] = [("metadata_0_to_1.json", #"[{"slug":"s","title":"T","url":"https://example.org/s"}]"#),
                                           ("content/s.html", "<p>Some text of the page that is long enough to be read as an article by the extractor.</p>"),
                                           ("highlights/s.md", "> Some text of the page ")]
        let zip = ZipWriter.stored(entries)
        for end in stride(from: 0, through: zip.count, by: 7) {
            _ = try? AnnotationImport.parse(Data(zip[..<end]))
        }
        for at in stride(from: 0, to: zip.count, by: 5) {
            var damaged = zip
            damaged[at] ^= 0x5A
            _ = try? AnnotationImport.parse(Data(damaged))
        }
        let whole = try AnnotationImport.parse(Data(zip))
        #expect(whole.links.count == 1 && whole.items.count == 1)
        // Another zip (an EPUB, say) is named for what it is not.
        let other = try AnnotationImport.parse(Data(ZipWriter.stored([("mimetype", "application/epub+zip")])))
        #expect(other.links.count == 1 && "\(other.links[0])".contains("not an Omnivore export"))
    }
}

/// Writes a zip of stored (uncompressed) entries, for tests.
enum ZipWriter {
    static func stored(_ entries: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = [], directory: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int, _ a: inout [UInt8]) { u16(v & 0xFFFF, &a); u16(v >> 16 & 0xFFFF, &a) }
        for (name, text) in entries {
            let data = Array(text.utf8), path = Array(name.utf8)
            let crc = Int(Data(data).crc32Value)
            let offset = out.count
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0, &out)
            u32(crc, &out); u32(data.count, &out); u32(data.count, &out); u16(path.count, &out); u16(0, &out)
            out += path + data
            u32(0x0201_4B50, &directory); u16(20, &directory); u16(20, &directory); u16(0, &directory); u16(0, &directory)
            u16(0, &directory); u16(0, &directory); u32(crc, &directory); u32(data.count, &directory); u32(data.count, &directory)
            u16(path.count, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory)
            u32(0, &directory); u32(offset, &directory)
            directory += path
        }
        let start = out.count
        out += directory
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(directory.count, &out); u32(start, &out); u16(0, &out)
        return out
    }
}

extension Data {
    /// CRC-32 (the zip polynomial), bit by bit: small inputs only.
    var crc32Value: UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in self {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
