import Foundation
@testable import GlossExtraction
import GlossTestSupport
import Testing

/// PDFs written by hand (``TestPDF``) read through poppler: text, order, cleaning, metadata, refusals.
@Suite struct PDFExtractorTests {
    /// Three pages of a paper: a running header whose volume number changes, page numbers at the
    /// foot, a word hyphenated at a line end, and a paragraph running over a page break.
    static let paper = TestPDF.document(
        pages: [
            TestPDF.Page(
                header: "Journal of Marginal Notes, Vol. 12, No. 1",
                paragraphs: [
                    ["Readers have long written in the margins of", "their books, and the habit survives online."],
                    ["This study follows the infor-", "mation readers keep beside the texts they", "annotate over many years."],
                ],
                footer: "1"
            ),
            TestPDF.Page(
                header: "Journal of Marginal Notes, Vol. 12, No. 2",
                paragraphs: [
                    ["A second page opens with its own para-", "graph about quotes and anchors."],
                    ["The last paragraph of this page does not end here and"],
                ],
                footer: "Page 2 of 3"
            ),
            TestPDF.Page(
                header: "Journal of Marginal Notes, Vol. 12, No. 3",
                paragraphs: [
                    ["continues on the next page, as paragraphs do."],
                    ["Well-known results are kept as written."],
                ],
                footer: "3"
            ),
        ],
        title: "Marginalia in Practice",
        author: "Ada Reader",
        created: "D:20240315120000Z"
    )

    @Test func readsTheMetadata() throws {
        let article = try ArticleExtractor.extract(data: Self.paper, filename: "paper.pdf")

        #expect(article.format == .pdf)
        #expect(article.title == "Marginalia in Practice")
        #expect(article.byline == "Ada Reader")
        #expect(article.published == "2024-03-15T12:00:00Z")
    }

    @Test func cleansTheTextIntoParagraphsInPageOrder() throws {
        let article = try ArticleExtractor.extract(data: Self.paper, filename: "paper.pdf")

        #expect(article.text == """
            Readers have long written in the margins of their books, and the habit survives online.

            This study follows the information readers keep beside the texts they annotate over many years.

            A second page opens with its own paragraph about quotes and anchors.

            The last paragraph of this page does not end here and continues on the next page, as paragraphs do.

            Well-known results are kept as written.
            """)
    }

    @Test func dropsRunningHeadersAndPageNumbers() throws {
        let text = try ArticleExtractor.extract(data: Self.paper, filename: "paper.pdf").text

        #expect(!text.contains("Journal of Marginal Notes"))
        #expect(!text.contains("Page 2"))
        #expect(!text.split(separator: "\n").contains { $0 == "1" || $0 == "3" })
    }

    @Test(arguments: ["Microsoft Word - draft7.docx", "paper_final.pdf", "Untitled"])
    func aTitleThatNamesTheFileIsLeftOut(_ title: String) throws {
        let pdf = TestPDF.document(pages: [TestPDF.Page(paragraphs: [["Some words."]])], title: title)

        #expect(try ArticleExtractor.extract(data: pdf, filename: nil).title == nil)
        #expect(!PDFExtractor.isPlaceholderTitle("Notes on draft.docx files"))
    }

    @Test func aSinglePageKeepsItsFirstAndLastLines() throws {
        let pdf = TestPDF.document(pages: [
            TestPDF.Page(header: "A Note on Margins", paragraphs: [["One page of text, with nothing repeated."]], footer: "Draft"),
        ])

        let text = try ArticleExtractor.extract(data: pdf, filename: nil).text

        #expect(text == "A Note on Margins\n\nOne page of text, with nothing repeated.\n\nDraft")
    }

    @Test func isDetectedByItsSignatureWhateverItsName() throws {
        let article = try ArticleExtractor.extract(data: Self.paper, filename: "download.bin")

        #expect(article.format == .pdf)
        #expect(article.text.contains("information readers keep"))
    }

    @Test(arguments: [
        ("an empty page", TestPDF.Page()),
        ("a page holding only an image", TestPDF.Page(drawing: TestPDF.imageOnly)),
    ])
    func aPDFWithNoTextIsRefusedAsHavingNoTextLayer(_ label: String, page: TestPDF.Page) {
        let pdf = TestPDF.document(pages: [page, page], title: "Scanned")

        #expect(throws: ExtractionError.noTextLayer(pages: 2), "\(label)") {
            try ArticleExtractor.extract(data: pdf, filename: "scan.pdf")
        }
        #expect(ExtractionError.noTextLayer(pages: 2).description.contains("no text layer"))
        #expect(ExtractionError.noTextLayer(pages: 2).description.contains("OCR"))
    }

    @Test(arguments: [0.5, 0.25, 0.1])
    func truncatedBytesAreRefusedAsUnreadable(_ share: Double) {
        let cut = Self.paper.prefix(Int(Double(Self.paper.count) * share))

        #expect {
            try ArticleExtractor.extract(data: Data(cut), filename: "paper.pdf")
        } throws: { error in
            guard case ExtractionError.unreadablePDF = error else { return false }
            return "\(error)".contains("damaged")
        }
    }

    @Test func damagedCopiesNeverTrap() {
        var generator = ExtractionTests.SeededGenerator(seed: 0xD0C)
        var outcomes: Set<String> = []
        for _ in 0..<300 {
            var bytes = [UInt8](Self.paper)
            for _ in 0..<Int(generator.next() % 8) + 1 {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                _ = try ArticleExtractor.extract(data: Data(bytes), filename: "paper.pdf")
                outcomes.insert("read")
            } catch {
                outcomes.insert("\(error)".components(separatedBy: " (").first ?? "")
            }
        }
        #expect(outcomes.contains("read"))
    }

    @Test func aFileNamedPDFThatIsNotOneIsRefusedAsUnreadable() {
        #expect {
            try ArticleExtractor.extract(data: Data("just some words\n".utf8), filename: "notes.pdf")
        } throws: { error in
            guard case ExtractionError.unreadablePDF = error else { return false }
            return true
        }
    }

    @Test func aPasswordProtectedPDFIsRefusedAsSuch() {
        let pdf = TestPDF.document(pages: [TestPDF.Page(paragraphs: [["Secret words."]])], locked: true)

        #expect(throws: ExtractionError.encryptedPDF) {
            try ArticleExtractor.extract(data: pdf, filename: "locked.pdf")
        }
        #expect(ExtractionError.encryptedPDF.description.contains("password"))
    }

    @Test func withoutPopplerThePDFIsRefusedNamingThePackageToInstall() {
        let message = ExtractionError.pdfReaderMissing.description
        #expect(message.contains("poppler-glib"))
        #expect(message.contains("libpoppler-glib8"))
        #expect(message.contains("not installed"))
    }

    @Test func aParagraphCarriesOnIntoTheNextColumnAndWithoutLayoutEndsWithItsSentence() {
        typealias Line = PDFExtractor.Line
        let columns = [[
            Line(text: "The left column ends in the mid-", top: 700, bottom: 711),
            Line(text: "dle of a word.", top: 100, bottom: 111),
            Line(text: "A new paragraph tops the column.", top: 128, bottom: 139),
            Line(text: "Its second line.", top: 142, bottom: 153),
        ]]
        let unplaced = [[Line(text: "No layout here, so"), Line(text: "lines join until a sentence ends."), Line(text: "Then a new one.")]]

        #expect(PDFTextCleaner.clean(pages: columns)
            == "The left column ends in the middle of a word.\n\nA new paragraph tops the column. Its second line.")
        #expect(PDFTextCleaner.clean(pages: unplaced) == "No layout here, so lines join until a sentence ends.\n\nThen a new one.")
    }

    @Test func pageNumbersAreRecognised() {
        for number in ["7", "Page 7", "page 7 of 12", "7 of 12", "7/12", "- 7 -", "[7]", "p. 7"] {
            #expect(PDFTextCleaner.isPageNumber(number), "\(number)")
        }
        for line in ["7 dwarfs", "Page seven", "1999-2024 results", "Table 7", "1234567"] {
            #expect(!PDFTextCleaner.isPageNumber(line), "\(line)")
        }
    }

    @Test func hyphensAreRemovedOnlyBetweenLowerCaseLetters() {
        #expect(PDFTextCleaner.joined("the infor-", "mation") == "the information")
        #expect(PDFTextCleaner.joined("the soft\u{AD}", "hyphen") == "the softhyphen")
        #expect(PDFTextCleaner.joined("the New-", "York line") == "the New-York line")
        #expect(PDFTextCleaner.joined("covid-", "19") == "covid-19")
        #expect(PDFTextCleaner.joined("a dash -", "then") == "a dash - then")
    }
}
