import Foundation
import GlossTestSupport
import Testing
@testable import GlossExtraction

@Suite struct EPUBExtractorTests {
    @Test func aBookGivesItsMetadataAndChaptersInSpineOrderWithHeadings() throws {
        let article = try ArticleExtractor.extract(data: EPUBFixture.book(), filename: "book.epub")
        #expect(article.format == .epub)
        #expect(article.title == "The Lighthouse Keepers")
        #expect(article.byline == "Ada Marsh, Tomas Reed")
        #expect(article.siteName == "Harbor Press")
        #expect(article.published == "2019-03-14")
        #expect(article.text == """
            # Chapter One: The First Lamp

            The keeper climbed the hundred steps each evening to light the lamp.

            Ships passing the reef counted on its beam.

            # Storm Season

            In November the gales came in from the northwest without warning.

            The keepers logged every barometer reading in a ledger bound with oilcloth.
            """)
    }

    @Test func aZipIsReadAsABookWhateverItsName() throws {
        let article = try ArticleExtractor.extract(data: EPUBFixture.book(), filename: "download.bin")
        #expect(article.title == "The Lighthouse Keepers")
        let unnamed = try ArticleExtractor.extract(data: EPUBFixture.book(), filename: nil)
        #expect(unnamed.text == article.text)
    }

    @Test func anEPUB2BookTakesChapterTitlesFromItsNCX() throws {
        let package = EPUBFixture.package
            .replacingOccurrences(of: #"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>"#,
                                  with: #"<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>"#)
            .replacingOccurrences(of: "<spine>", with: #"<spine toc="ncx">"#)
        let ncx = """
            <?xml version="1.0"?>
            <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
              <navPoint id="a"><navLabel><text>The First Lamp</text></navLabel><content src="Text/chapter1.xhtml"/></navPoint>
              <navPoint id="b"><navLabel><text>Weather</text></navLabel><content src="Text/chapter%202.xhtml"/></navPoint>
            </navMap></ncx>
            """
        var files = EPUBFixture.files().filter { $0.path != "OEBPS/nav.xhtml" && $0.path != "OEBPS/content.opf" }
        files += [("OEBPS/content.opf", package), ("OEBPS/toc.ncx", ncx)]
        let article = try ArticleExtractor.extract(data: EPUBFixture.zip(files), filename: "book.epub")
        #expect(article.text.contains("# Weather\n\nIn November"))
    }

    @Test func fontObfuscationIsNotDRM() throws {
        let book = try EPUBFixture.zip(EPUBFixture.files(encryption: EPUBFixture.fontObfuscation))
        #expect(try ArticleExtractor.extract(data: book, filename: "book.epub").title == "The Lighthouse Keepers")
    }

    @Test func badBooksGetAnErrorNamingWhatIsWrong() throws {
        let book = try EPUBFixture.book()
        let noPackage = EPUBFixture.files().filter { $0.path != "OEBPS/content.opf" }
        let noChapter = EPUBFixture.files().filter { $0.path != "OEBPS/Text/chapter 2.xhtml" }
        let cases: [(Data, ExtractionError)] = [
            (book.prefix(book.count / 2), .damagedEPUB(reason: "the zip's directory cannot be read (the file is truncated or corrupt)")),
            (try EPUBFixture.zip([("notes.txt", "not a book")]),
             .notEPUB(reason: "the zip has no META-INF/container.xml (nor a mimetype entry naming application/epub+zip)")),
            (try EPUBFixture.zip(noPackage), .damagedEPUB(reason: "the EPUB's package file OEBPS/content.opf is missing")),
            (try EPUBFixture.zip(noChapter), .damagedEPUB(reason: "the chapter OEBPS/Text/chapter 2.xhtml listed in the spine is missing")),
            (try EPUBFixture.zip(EPUBFixture.files(encryption: EPUBFixture.drmEncryption)), .encryptedEPUB),
            (Data("plain words".utf8), .notEPUB(reason: "the file is not a zip archive")),
        ]
        for (data, expected) in cases {
            #expect(throws: expected) { try ArticleExtractor.extract(data: data, filename: "book.epub") }
        }
    }

    @Test func aCorruptEntryIsDamageNotATrap() throws {
        var bytes = [UInt8](try EPUBFixture.book())
        // Flip bytes inside the deflated package file: its checksum (or its stream) must fail.
        let marker = Array("OEBPS/content.opf".utf8)
        let header = try #require((0..<(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        for offset in (header + marker.count + 10)..<(header + marker.count + 60) { bytes[offset] ^= 0x5A }
        #expect(throws: ExtractionError.self) { try ArticleExtractor.extract(data: Data(bytes), filename: "book.epub") }
    }

    @Test func aDirectoryPointingPastTheEndIsDamageNotATrap() throws {
        // ZIPFoundation's in-memory archive traps when it seeks past the end of its data.
        var bytes = [UInt8](try EPUBFixture.book())
        let directory = try #require((0..<(bytes.count - 4)).first { bytes[$0..<($0 + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) })
        bytes.replaceSubrange((directory + 42)..<(directory + 46), with: [0xF0, 0xFF, 0xFF, 0x7F])
        #expect(throws: ExtractionError.damagedEPUB(reason: "the zip's directory cannot be read (the file is truncated or corrupt)")) {
            try ArticleExtractor.extract(data: Data(bytes), filename: "book.epub")
        }
    }

    @Test func aDataDescriptorPastTheEndIsDamageNotATrap() throws {
        // Found by scripts/fuzz-epub: a stored entry flagged as followed by a data descriptor,
        // with an unpacked size past the end, sends ZIPFoundation's seek past the end.
        var bytes = [UInt8](try EPUBFixture.book())
        let directory = try #require((0..<(bytes.count - 4)).first { bytes[$0..<($0 + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) })
        bytes[directory + 8] |= 0x08
        bytes.replaceSubrange((directory + 24)..<(directory + 28), with: [0xC9, 0x00, 0x2E, 0x00])
        #expect(throws: ExtractionError.damagedEPUB(reason: "the zip's directory cannot be read (the file is truncated or corrupt)")) {
            try ArticleExtractor.extract(data: Data(bytes), filename: "book.epub")
        }
    }

    @Test func aZipBombIsRefusedWithinTheLimit() throws {
        let chapter = "<html><body><p>" + String(repeating: "a", count: EPUBArchive.maximumEntrySize + 1) + "</p></body></html>"
        var files = EPUBFixture.files().filter { $0.path != "OEBPS/Text/chapter1.xhtml" }
        files.append(("OEBPS/Text/chapter1.xhtml", chapter))
        let book = try EPUBFixture.zip(files)
        #expect(book.count < 1_048_576)
        #expect(throws: ExtractionError.epubTooLarge(reason: "OEBPS/Text/chapter1.xhtml unpacks to more than 32 MB")) {
            try ArticleExtractor.extract(data: book, filename: "book.epub")
        }
    }

    @Test func everyTruncationAndByteFlipEndsInAnArticleOrAnError() throws {
        let book = [UInt8](try EPUBFixture.book())
        // A fixed xorshift sequence, so a failure replays.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for length in stride(from: 0, to: book.count, by: 7) {
            _ = try? ArticleExtractor.extract(data: Data(book.prefix(length)), filename: "book.epub")
        }
        for _ in 0..<300 {
            var damaged = book
            for _ in 0..<3 { damaged[Int(next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: next()) }
            _ = try? ArticleExtractor.extract(data: Data(damaged), filename: "book.epub")
        }
    }
}
