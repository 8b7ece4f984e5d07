import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
import GlossExtraction

/// The CSV reader, the Kindle clippings and Readwise CSV parsers, and what the store makes of
/// their items (articles waiting for their text, orphans that re-anchor).
@Suite struct HighlightImportTests {
    let directory = TemporaryDirectory()

    // MARK: - CSV

    @Test func csvReadsQuotedFieldsDoubledQuotesLineBreaksAndABOM() {
        let records = CSVReader.records("\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3")
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records.map { try? $0.fields.get() } == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
    }

    @Test func csvReportsABrokenQuoteByLineAndReadsOn() {
        let records = CSVReader.records("h\n\"fine\"\n\"a \"bad\" one\"\n\"after\"\n\"never closed\nlast")
        #expect(records.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(records.map { try? $0.fields.get() } == [["h"], ["fine"], nil, ["after"], nil, ["last"]])
        guard case .failure(let error) = records[2].fields else { Issue.record("not a failure"); return }
        #expect(error.reason.contains("line 3"))
    }

    // MARK: - Kindle

    static let clippings = """
        \u{FEFF}The Lighthouse Keeper (Quill, Ada)
        - Your Highlight on page 12 | Location 120-122 | Added on Monday, 4 March 2024 10:11:12

        The lamp must be lit
        ==========
        The Lighthouse Keeper (Quill, Ada)
        - Your Highlight on page 12 | Location 120-125 | Added on Monday, 4 March 2024 10:12:40

        The lamp must be lit before the boats come in.
        ==========
        The Lighthouse Keeper (Quill, Ada)
        - Your Note on page 12 | Location 125 | Added on Monday, 4 March 2024 10:13:05

        Compare the log.
        ==========
        The Lighthouse Keeper (Quill, Ada)
        - Your Note on page 40 | Location 900 | Added on Monday, 4 March 2024 10:14:00

        A note on no highlight.
        ==========
        Old Kindle Book
        - Highlight Loc. 1234-36  | Added on Tuesday, March 5, 2024 9:01:00 PM

        An old firmware clipping.
        ==========

        """

    @Test func kindleCollapsesRehighlightsAndAttachesNotes() throws {
        #expect(AnnotationImport.recognizesKindle(Self.clippings))
        let document = try AnnotationImport.parse(Data(Self.clippings.utf8))
        let items = document.items.compactMap { try? $0.get() }
        #expect(document.numbers == [2, 4, 5])
        #expect(items.map(\.kind) == [.highlight, .note, .highlight])
        #expect(items[0].exact == "The lamp must be lit before the boats come in.")
        #expect(items[0].note == "Compare the log.")
        #expect(items[0].work == ImportedWork(title: "The Lighthouse Keeper", author: "Quill, Ada"))
        #expect(items[0].created == 1_709_547_160_000)
        #expect(items[1].note == "A note on no highlight.")
        #expect(items[2].work == ImportedWork(title: "Old Kindle Book", author: nil))
        #expect(items[2].created == 1_709_672_460_000)
        #expect(document.merged.map(\.item) == [1, 3])
        #expect(document.merged.allSatisfy { $0.status == .merged && $0.id == items[0].id })
        #expect(KindleClippings.location("- highlight loc. 1234-36 | added") == 1234...1236)
        // Stable ids: the same file gives the same ids.
        #expect(try AnnotationImport.parse(Data(Self.clippings.utf8)).items.compactMap { try? $0.get().id } == items.map(\.id))
    }

    @Test func kindleNamesAClippingWhoseSeparatorIsMissing() throws {
        let damaged = """
            Book (Author)
            - Your Highlight on page 1 | Location 10-11 | Added on Monday, 4 March 2024 09:00:00

            First.
            Book (Author)
            - Your Highlight on page 2 | Location 20-21 | Added on Monday, 4 March 2024 09:01:00

            Second.
            ==========
            Book (Author)
            - Your Highlight on page 3 | Location 30-31 | Added on Monday, 4 March 2024 09:02:00

            Third.
            ==========
            """
        let document = try AnnotationImport.parse(Data(damaged.utf8))
        #expect(document.numbers == [1, 2])
        guard case .failure(let error) = document.items[0] else { Issue.record("not a failure"); return }
        #expect(error.description.contains("line 1") && error.description.contains("line 5") && error.description.contains("=========="))
        #expect((try? document.items[1].get())?.exact == "Third.")
    }

    // MARK: - Readwise

    static let readwise = """
        Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags
        "A passage, with a comma.",The Lighthouse Keeper,Ada Quill,B0,"My note",Yellow,"favorite, Night Watch",location,125,2024-03-04 10:12:40+00:00,fiction
        ,Salt and Stone,Bram Ostrander,,Only a note,,,page,7,2024-03-05,
        "No book",,,,,,,,,,
        "Too few fields",Salt and Stone
        """

    @Test func readwiseKeepsNoteTagsColourAndTimeAndNamesBadRows() throws {
        let document = try AnnotationImport.parse(Data(Self.readwise.utf8))
        let first = try document.items[0].get()
        #expect(first.exact == "A passage, with a comma." && first.note == "My note" && first.color == "yellow")
        #expect(first.tags == ["favorite", "Night Watch"])
        #expect(first.created == 1_709_547_160_000)
        #expect(first.work == ImportedWork(title: "The Lighthouse Keeper", author: "Ada Quill", tags: ["fiction"]))
        let second = try document.items[1].get()
        #expect(second.kind == .note && second.exact == nil && second.note == "Only a note" && second.created == 1_709_596_800_000)
        #expect(document.items.count == 4)
        #expect(document.items[2...].allSatisfy { if case .failure = $0 { true } else { false } })
    }

    @Test func readwiseImportCSVWithAURLIsRecognized() throws {
        let csv = "Highlight,Title,Author,URL,Note,Location,Date\nQuoted words,A Page,,https://example.com/page?utm_source=x,,,2024-01-02T03:04:05Z\n"
        let item = try AnnotationImport.parse(Data(csv.utf8)).items[0].get()
        #expect(item.work?.url == "https://example.com/page?utm_source=x")
        #expect(item.created == 1_704_164_645_000)
    }

    /// Every prefix of each file (a truncated copy) parses without trapping, and every entry it
    /// holds is an item, a merged one or a named failure.
    @Test(arguments: [clippings, readwise])
    func truncatedFilesParseWithoutTrapping(_ text: String) throws {
        let scalars = Array(text.unicodeScalars)
        for end in stride(from: 0, through: scalars.count, by: 3) {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[..<end])
            guard let document = try? AnnotationImport.parse(Data(String(prefix).utf8)) else { continue }
            let numbers = (document.numbers ?? Array(document.items.indices.map { $0 + 1 })) + document.merged.map(\.item)
            #expect(Set(numbers).count == numbers.count)
        }
    }

    // MARK: - Store

    @Test func aBookWithoutTextWaitsAndItsHighlightsReanchorWhenTheTextArrives() throws {
        let store = try directory.store()
        let document = try AnnotationImport.parse(Data(Self.clippings.utf8))
        let report = try store.importAnnotations(document)
        #expect(report.articlesAdded == 2)
        #expect(report.items.map(\.status) == [.merged, .imported, .merged, .imported, .imported])
        let orphans = try store.orphans()
        #expect(orphans.count == 2)
        let book = try #require(try store.articles().first { $0.title == "The Lighthouse Keeper" })
        // It waits for its text: no body, no words, nothing of it in the search index but its title.
        #expect(book.waiting == true && book.words == 0)
        #expect(try store.article(book.id).isWaiting && store.article(book.id).text.isEmpty)
        #expect(try store.search("library").isEmpty)
        #expect(try !store.search("Lighthouse").isEmpty)

        // Again: nothing changes.
        let again = try store.importAnnotations(try AnnotationImport.parse(Data(Self.clippings.utf8)))
        #expect(again.articlesAdded == 0)
        #expect(again.items.map(\.status) == [.merged, .alreadyPresent, .merged, .alreadyPresent, .alreadyPresent])

        // The text arrives: the highlight is located in it and is no orphan any more.
        let text = "Chapter one.\n\nThe lamp must be lit before the boats come in. The keeper knew it."
        _ = try store.replaceText(of: book.id, with: ExtractedArticle(title: nil, text: text, format: .plainText))
        let highlight = try #require(try store.annotations(articleID: book.id).first { $0.kind == .highlight })
        #expect(highlight.anchor?.start == 14)
        #expect(try store.orphans().count == 1)
        #expect(try !store.article(book.id).isWaiting)
        #expect(try store.articles().first { $0.id == book.id }?.waiting == nil)
    }

    /// A W3C export carries a waiting article without text, saying it waits; importing it into
    /// an empty store gives the same article, waiting, with its orphans.
    @Test func aW3CExportCarriesWaitingArticles() throws {
        let store = try directory.store("a", seed: 1)
        _ = try store.importAnnotations(try AnnotationImport.parse(Data(Self.clippings.utf8)))
        let exported = try store.exportW3C()
        let other = try directory.store("b", seed: 2)
        let report = try other.importAnnotations(try AnnotationImport.parse(exported))
        #expect(report.articleProblems.isEmpty && report.articlesAdded == 2, "\(report.articleProblems)")
        #expect(try other.articles().map(\.id).sorted() == store.articles().map(\.id).sorted())
        #expect(try other.articles().allSatisfy { $0.waiting == true })
        #expect(try other.orphans().count == store.orphans().count)
    }

    /// The waiting mark is a replicated field like any other: a peer shows the article waiting,
    /// the text added on either side ends the wait on both, and a backup restores it.
    @Test func theWaitingStateSyncsMergesAndRestores() throws {
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let link = ImportedLink(url: "https://example.org/later", title: "Read later", tags: ["queue"], savedAt: 1_700_000_000_000)
        #expect(try a.addWaitingArticle(link).status == .added)
        #expect(try a.addWaitingArticle(link).status == .alreadyPresent)
        try b.apply(a.changes(since: b.versionVector()))
        let id = try #require(try b.articles().first?.id)
        #expect(try b.article(id).isWaiting && b.article(id).tags == ["queue"])
        // Both import the same link while apart; then b gets the text.
        _ = try b.addWaitingArticle(link)
        let added = try b.addArticle(ExtractedArticle(title: "Read later", url: "https://example.org/later",
                                                      text: "The page's text, at last.", format: .plainText))
        #expect(added.status == .updated)
        try a.apply(b.changes(since: a.versionVector()))
        try b.apply(a.changes(since: b.versionVector()))
        #expect(try !a.article(id).isWaiting && a.article(id).text == "The page's text, at last.")
        #expect(try a.export() == b.export())

        let c = try directory.store("c", seed: 3)
        _ = try c.addWaitingArticle(ImportedLink(url: "https://example.org/other", title: nil))
        let restored = try directory.store("d", seed: 4)
        _ = try restored.importAnnotations(ImportDocument(articles: [], items: [], backup: try c.export()))
        #expect(try restored.export() == c.export())
        #expect(try restored.articles().first?.waiting == true && restored.articles().first?.title == "https://example.org/other")
    }

    @Test func aHighlightOfABookTheStoreHoldsIsAnchoredThere() throws {
        let store = try directory.store()
        let id = try store.addArticle(ExtractedArticle(title: "The Lighthouse Keeper", byline: "Quill, Ada",
                                                       text: "The lamp must be lit before the boats come in. Always.", format: .plainText)).id
        let report = try store.importAnnotations(try AnnotationImport.parse(Data(Self.clippings.utf8)))
        #expect(report.articlesAdded == 1)
        let highlight = try #require(try store.annotations(articleID: id).first { $0.kind == .highlight })
        let hash = try store.article(id).contentHash
        #expect(highlight.anchor?.start == 0 && highlight.anchor?.contentHash == hash)
    }
}

extension AnnotationImport {
    static func recognizesKindle(_ text: String) -> Bool { KindleClippings.recognizes(text) }
}
