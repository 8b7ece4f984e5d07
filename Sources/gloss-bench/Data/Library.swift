import Foundation
import GlossCore
import GlossExtraction

/// A store filled with generated articles and highlights through the public API: W1's store, and
/// replica A of the sync workloads.
final class Library {
    let path: String
    private(set) var store: Store
    private(set) var articles: [StoredArticle] = []
    /// Changes in the store's log (one per article, one per highlight).
    private(set) var changes = 0
    /// The uncompressed bytes of every field written, for the W4 floor.
    private(set) var payloadBytes = 0
    private var corpus: Corpus

    /// Opens a new store at `path` and adds `articles` generated articles.
    init(path: String, corpus: Corpus, articles count: Int) throws {
        self.path = path
        self.corpus = corpus
        store = try Store(path: path)
        for _ in 0..<count { try add(self.corpus.article()) }
    }

    /// Deletes the store's files (the library is not used again; its open connections keep
    /// them readable until it goes).
    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Adds `extracted`, which must be new, and returns it as the store saved it.
    @discardableResult
    func add(_ extracted: ExtractedArticle) throws -> StoredArticle {
        let added = try store.addArticle(extracted)
        guard added.status == .added else { throw BenchError.invalidSetup("generated article \(articles.count) repeats another") }
        let saved = try store.article(added.id)
        let stored = StoredArticle(id: saved.id, contentHash: saved.contentHash, utf8: Array(saved.text.utf8),
                                   locator: QuoteLocator(text: saved.text),
                                   payloadBytes: saved.title.utf8.count + saved.text.utf8.count)
        articles.append(stored)
        payloadBytes += stored.payloadBytes
        changes += 1
        return stored
    }

    /// `count` new highlights of `article`, not yet recorded.
    func drafts(_ count: Int, of article: StoredArticle) -> [AnnotationDraft] {
        (0..<count).map { _ in corpus.highlight(of: article) }
    }

    /// `count` new highlights of random articles, not yet recorded.
    func drafts(_ count: Int) -> [AnnotationDraft] {
        (0..<count).map { _ in corpus.highlight(of: corpus.pick(articles)) }
    }

    /// Records `drafts` with `Store.record`, `batch` to a call (one transaction each). Returns
    /// the seconds spent recording.
    @discardableResult
    func record(_ drafts: [AnnotationDraft], batch: Int) throws -> Double {
        var seconds = 0.0
        var offset = 0
        while offset < drafts.count {
            let slice = Array(drafts[offset..<min(drafts.count, offset + batch)])
            seconds += try Stopwatch.time { _ = try store.record(slice) }.seconds
            offset += slice.count
        }
        changes += drafts.count
        payloadBytes += drafts.reduce(0) { $0 + $1.payloadBytes }
        return seconds
    }

    /// Records `count` more highlights in batches, generating them a batch at a time, with
    /// progress; for histories too large to hold as drafts.
    func grow(by count: Int, batch: Int, progress: Progress, label: String) throws {
        var done = 0
        while done < count {
            let step = min(batch, count - done)
            try record(drafts(step), batch: step)
            done += step
            progress.update("\(label): \(Unit.grouped(Double(done))) of \(Unit.grouped(Double(count))) highlights")
        }
        progress.done()
    }

    /// Closes the store so its file alone holds everything (a copy of it is then a whole store),
    /// runs `body`, and opens it again.
    func whileClosed(_ body: () throws -> Void) throws {
        try store.close()
        try body()
        store = try Store(path: path)
    }
}
