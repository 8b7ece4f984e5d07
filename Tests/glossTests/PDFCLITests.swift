import Foundation
import GlossTestSupport
import Testing

/// `gloss add paper.pdf` with the real binary: the cleaned text takes highlights and searches
/// like any article's; a damaged or scanned PDF is refused and the store is left as it was.
@Suite(.serialized) struct PDFCLITests {
    static let paper = TestPDF.document(
        pages: [
            TestPDF.Page(
                header: "Proceedings of the Harbor Society 1887",
                paragraphs: [["The harbor council kept careful infor-", "mation about the old bridge and its repairs."]],
                footer: "1"
            ),
            TestPDF.Page(
                header: "Proceedings of the Harbor Society 1888",
                paragraphs: [["Engineers surveyed the deck every winter and wrote down what they found."]],
                footer: "2"
            ),
        ],
        title: "Harbor Records",
        author: "Ada Reader"
    )

    func write(_ cli: CLI, _ name: String, _ data: Data) throws -> String {
        let path = cli.home + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    #if os(Linux)
    /// poppler-glib and the libraries behind it are loaded by the command that reads a PDF, not by
    /// every command at start-up (the dynamic loader lists what it loads under `LD_DEBUG=libs`).
    @Test func popplerIsLoadedOnlyByACommandThatReadsAPDF() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try write(cli, "paper.pdf", Self.paper)
        let trace = ["LD_DEBUG": "libs"]

        let version = try cli.run(["--version"], environment: trace)
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stderr.contains("libc.so"), "LD_DEBUG gave no trace: \(version.stderr)")
        #expect(!version.stderr.contains("libpoppler"), "\(version.stderr)")

        let added = try cli.run(["add", file], environment: trace)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stderr.contains("libpoppler-glib"), "\(added.stderr)")
    }
    #endif

    @Test func aPDFIsAddedHighlightedAcrossARepairedWordAndSearched() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try write(cli, "paper.pdf", Self.paper)

        let added = try #require(try cli.json(["add", file]) as? [[String: Any]])
        let id = try #require(added.first?["id"] as? String)
        #expect(added.first?["title"] as? String == "Harbor Records")

        let highlight = try cli.run(["highlight", id, "careful information about the old bridge", "--note", "Kept well"])
        #expect(highlight.status == 0, "\(highlight.stderr)")
        let shown = try cli.run(["show", id, "--width", "200"])
        #expect(shown.stdout.contains("==careful information about the old bridge==[1]"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("Proceedings of the Harbor Society"))

        let hits = try #require(try cli.json(["search", "information"]) as? [[String: Any]])
        #expect(hits.contains { $0["kind"] as? String == "article" }, "\(hits)")
        let byNote = try #require(try cli.json(["search", "Kept"]) as? [[String: Any]])
        #expect(byNote.first?["kind"] as? String == "annotation")

        // A revised PDF replaces the text; the highlight is located again in it.
        let revised = try write(cli, "revised.pdf", TestPDF.document(
            pages: [TestPDF.Page(paragraphs: [["Foreword.", "The harbor council kept careful infor-", "mation about the old bridge."]])],
            title: "Harbor Records"))
        let replaced = try cli.run(["add", revised, "--replace", id])
        #expect(replaced.status == 0 && replaced.stdout.contains("1 highlight(s) located again, 0 orphaned"), "\(replaced.stdout)\(replaced.stderr)")
        #expect(try cli.run(["show", id, "--width", "200"]).stdout.contains("==careful information about the old bridge==[1]"))
    }

    @Test func damagedAndScannedPDFsAreRefusedAndChangeNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let good = try write(cli, "paper.pdf", Self.paper)
        #expect(try cli.run(["add", good]).status == 0)
        let before = try cli.run(["status", "--json"])

        let damaged = try write(cli, "damaged.pdf", Self.paper.prefix(Self.paper.count / 3))
        let scan = try write(cli, "scan.pdf", TestPDF.document(pages: [TestPDF.Page(drawing: TestPDF.imageOnly)]))
        let refusedDamaged = try cli.run(["add", damaged])
        let refusedScan = try cli.run(["add", scan])
        let extracted = try cli.run(["extract", scan])

        #expect(refusedDamaged.status != 0)
        #expect(refusedDamaged.stderr.contains("damaged.pdf: the PDF cannot be read"), "\(refusedDamaged.stderr)")
        #expect(refusedScan.status != 0)
        #expect(refusedScan.stderr.contains("scan.pdf: the PDF has no text layer"), "\(refusedScan.stderr)")
        #expect(refusedScan.stderr.contains("OCR"))
        #expect(extracted.status != 0 && extracted.stderr.contains("no text layer"))
        let after = try cli.run(["status", "--json"])
        #expect(after.stdout == before.stdout)
    }
}
