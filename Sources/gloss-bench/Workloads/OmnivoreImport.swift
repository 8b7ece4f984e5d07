import Foundation
import GlossCore
import ZIPFoundation

/// W1's Omnivore figure (issue 20): saved pages with their highlights, written as the zip
/// Omnivore's "Export data" makes (`metadata_*.json`, `content/SLUG.html`, `highlights/SLUG.md`),
/// imported into an empty store: each page extracted as `gloss add page.html` does, each
/// highlight found by its quote. Against importing the same articles and highlights from the W3C
/// export of the store that import made, in the same run. The target: within 2×.
///
/// The pages are W1's articles, each saved several times with a line of its own (so no two are
/// the same article), up to 2,000 (fewer at small sizes), with W1's highlights of that article.
enum OmnivoreImport {
    static let items = 2_000

    static func measure(_ bench: Bench) throws -> [Figure] {
        guard let library = bench.library, !library.articles.isEmpty else { throw BenchError.invalidSetup("the Omnivore figure needs W1's store") }
        let count = min(items, max(20, bench.sizes.w1 / 50))
        let zipPath = bench.path("w1-omnivore.zip")
        try? FileManager.default.removeItem(atPath: zipPath)
        let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
        var entries: [[String: Any]] = []
        var highlights = 0
        for i in 0..<count {
            let stored = library.articles[i % library.articles.count]
            let article = try library.store.article(stored.id)
            let slug = "saved-\(i)"
            let title = "\(article.title) (\(i))"
            let paragraphs = article.text.components(separatedBy: "\n").filter { !$0.isEmpty }
            let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(escape(title))</title></head><body><article><h1>\(escape(title))</h1>"
                + paragraphs.map { "<p>\(escape($0))</p>" }.joined() + "<p>Saved copy \(i) of this page.</p></article></body></html>"
            try add(Data(html.utf8), as: "content/\(slug).html", to: archive)
            var markdown: [String] = []
            for annotation in try library.store.annotations(articleID: stored.id).prefix(3) {
                guard let exact = annotation.anchor?.exact, !exact.contains("\n") else { continue }
                var block = "> " + exact
                if !annotation.tags.isEmpty { block += "\n\n" + annotation.tags.map { "#" + $0.replacingOccurrences(of: " ", with: "-") }.joined(separator: " ") }
                if let note = annotation.note, !note.isEmpty { block += "\n\n" + note }
                markdown.append(block)
            }
            highlights += markdown.count
            try add(Data(markdown.joined(separator: "\n\n").utf8), as: "highlights/\(slug).md", to: archive)
            entries.append(["id": UUID().uuidString.lowercased(), "slug": slug, "title": title, "author": article.byline ?? "",
                            "url": "https://example.org/saved/\(i)", "state": "SUCCEEDED", "labels": [String](),
                            "savedAt": "2024-10-0\(1 + i % 9)T12:00:00.000Z"])
        }
        for start in stride(from: 0, to: entries.count, by: 20) {
            let chunk = Array(entries[start..<min(entries.count, start + 20)])
            try add(try JSONSerialization.data(withJSONObject: chunk), as: "metadata_\(start)_to_\(start + chunk.count).json", to: archive)
        }
        let zip = try Data(contentsOf: URL(fileURLWithPath: zipPath))
        bench.progress.say("W1: importing an Omnivore zip of \(Unit.grouped(Double(count))) pages and \(Unit.grouped(Double(highlights))) highlights")
        let store = try Store(path: bench.path("w1-omnivore.sqlite"))
        let (report, seconds) = try Stopwatch.time { try store.importAnnotations(try AnnotationImport.parse(zip)) }
        let placed = report.items.count { $0.status == .imported }
        guard report.articlesAdded == count, placed >= highlights else {
            throw BenchError.invalidSetup("the Omnivore import made \(report.articlesAdded) of \(count) articles and placed \(placed) of \(highlights) highlights")
        }
        // The same articles and highlights, as W3C Web Annotations with their articles embedded.
        let w3c = try store.exportW3C()
        let again = try Store(path: bench.path("w1-omnivore-w3c.sqlite"))
        let (w3cReport, w3cSeconds) = try Stopwatch.time { try again.importAnnotations(try AnnotationImport.parse(w3c)) }
        guard w3cReport.items.count(where: { $0.status == .imported }) == highlights else {
            throw BenchError.invalidSetup("the W3C import of the Omnivore store placed \(w3cReport.items.count { $0.status == .imported }) of \(highlights) highlights")
        }
        return [Figure(workload: "W1", name: "import an Omnivore zip of \(Unit.grouped(Double(count))) pages, \(Unit.grouped(Double(highlights))) highlights",
                       value: seconds, unit: .seconds,
                       baseline: Baseline(name: "the same as W3C JSON", value: w3cSeconds, unit: .seconds),
                       ratio: seconds / w3cSeconds, target: .ratio(atMost: 2),
                       size: count, atTargetSize: count >= items)]
    }

    private static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
