import Foundation
import GlossCore
import GlossExtraction

/// W1's Readwise figure (issue 20): W1's highlights, up to 50,000, written as a Readwise CSV export
/// (quote, book title, author, note, colour, tags, location) and imported into a store that already holds
/// W1's articles, so each row finds its article by title and author and is located in its text;
/// against importing W1's highlights from a W3C export (W1's import figure, the same run). The
/// target: at least half that rate.
enum ReadwiseImport {
    static let rows = 50_000

    static func measure(_ bench: Bench, w3cRate: Double) throws -> [Figure] {
        guard let library = bench.library else { throw BenchError.invalidSetup("the Readwise figure needs W1's store") }
        let target = try Store(path: bench.path("w1-readwise.sqlite"))
        var written = Set<[String]>()
        var lines = ["Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags"]
        for stored in library.articles where lines.count <= rows {
            let article = try library.store.article(stored.id)
            try target.addArticle(ExtractedArticle(title: article.title, byline: article.byline, siteName: article.siteName,
                                                   text: article.text, format: .plainText))
            for annotation in try library.store.annotations(articleID: stored.id) where lines.count <= rows {
                // A row is known by its book, location and words: two highlights alike in all
                // three (W1 draws passages at random) are one row, as Readwise would export them.
                guard let anchor = annotation.anchor,
                      written.insert([article.title, article.byline ?? "", String(anchor.start), anchor.exact]).inserted else { continue }
                // The location tells apart two highlights of the same words, as a real export's does.
                let fields = [anchor.exact, article.title, article.byline ?? "", "", annotation.note ?? "", annotation.color ?? "",
                              annotation.tags.joined(separator: ","), "offset", String(anchor.start), "", ""]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
        }
        let count = lines.count - 1
        let file = Data(lines.joined(separator: "\r\n").utf8)
        bench.progress.say("W1: importing \(Unit.grouped(Double(count))) highlights from a Readwise CSV")
        let (report, seconds) = try Stopwatch.time { try target.importAnnotations(try AnnotationImport.parse(file)) }
        let imported = report.items.count { $0.status == .imported }
        guard imported == count, report.articlesAdded == 0 else {
            throw BenchError.invalidSetup("the Readwise import placed \(imported) of \(count) highlights and made \(report.articlesAdded) articles")
        }
        let rate = Double(count) / seconds
        return [Figure(workload: "W1", name: "import \(Unit.grouped(Double(count))) Readwise CSV highlights beside their articles",
                       value: rate, unit: .perSecond,
                       baseline: Baseline(name: "W1 W3C import in this run", value: w3cRate, unit: .perSecond),
                       ratio: w3cRate / rate, target: .atLeast(w3cRate / 2),
                       size: count, atTargetSize: count >= rows)]
    }

    /// A CSV field as RFC 4180 writes it: quoted, inner quotes doubled.
    private static func csvField(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
