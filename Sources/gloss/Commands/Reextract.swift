import ArgumentParser
import Foundation
import GlossCore
import GlossExtraction

struct Reextract: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "reextract",
        abstract: "Extract articles again from their kept originals with this version's extractor, locating every highlight again.",
        discussion: """
            Only articles whose original this store keeps can be extracted again ('gloss original' \
            writes it out); the others are listed as skipped. A highlight whose passage is gone \
            from the new text is kept as an orphan ('gloss orphans').
            """)
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The articles' ids, or unique prefixes of them.", valueName: "article"), completion: Completions.articles)
    var articles: [String] = []
    @Flag(help: "Extract every article in the store again.")
    var all = false

    func validate() throws {
        if articles.isEmpty && !all { throw ValidationError("give the ids of the articles to extract again, or --all") }
        if !articles.isEmpty && all { throw ValidationError("give article ids or --all, not both") }
    }

    /// What happened to one article.
    struct Outcome: Encodable {
        enum Status: String, Encodable {
            /// The new extraction changed the text (or title); highlights were located again.
            case updated
            /// The new extraction gave the same text and title.
            case unchanged
            /// The store keeps no original for the article.
            case skipped
            /// The original could not be read or extracted; the article is as it was.
            case failed
        }
        var id: String
        var title: String
        var status: Status
        var reanchored: Int?
        var orphaned: Int?
        var reason: String?
    }

    /// `--json`: the counts, then every article's outcome.
    struct Summary: Encodable {
        var updated = 0, unchanged = 0, skipped = 0, failed = 0
        var articles: [Outcome] = []
    }

    func run(store: Store) async throws {
        let targets: [(id: String, title: String)] = try all
            ? store.articles().map { ($0.id, $0.title) }
            : articles.map { prefix in
                let id = try store.articleID(prefix: prefix)
                return (id, try store.article(id).title)
            }
        var summary = Summary()
        let progress = all && Terminal.isStderrTTY && !targets.isEmpty
        for (index, target) in targets.enumerated() {
            if progress { FileHandle.standardError.write(Data("\rreextracting \(index + 1)/\(targets.count)…".utf8)) }
            let outcome = try Self.reextract(target.id, title: target.title, store: store)
            switch outcome.status {
            case .updated: summary.updated += 1
            case .unchanged: summary.unchanged += 1
            case .skipped: summary.skipped += 1
            case .failed: summary.failed += 1
            }
            summary.articles.append(outcome)
        }
        if progress { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
        if output.json {
            try Output.json(summary)
        } else {
            try printSummary(summary, store: store)
        }
        if summary.failed > 0 || (!all && summary.skipped > 0) { throw ExitCode(1) }
    }

    /// Extracts one article again from its original and replaces its text with the result.
    /// Failures to read or extract the original are the article's outcome, not an error: the
    /// other articles are still done. A failure of the store itself stops the command.
    static func reextract(_ id: String, title: String, store: Store) throws -> Outcome {
        var outcome = Outcome(id: id, title: title, status: .failed)
        let record: OriginalRecord, bytes: [UInt8]
        do {
            (record, bytes) = try store.original(of: id)
        } catch OriginalError.noOriginal {
            outcome.status = .skipped
            outcome.reason = "no original kept: added by hand, imported without its page, or synced from another replica"
            return outcome
        } catch let error as OriginalError {
            outcome.reason = error.description
            return outcome
        }
        let extracted: ExtractedArticle
        do {
            extracted = try extract(record, bytes)
        } catch {
            outcome.reason = "the extractor finds no article in it now: \(error.description)"
            return outcome
        }
        let result: AddResult
        do {
            result = try store.replaceText(of: id, with: extracted)
        } catch GlossError.emptyText {
            outcome.reason = "the extractor finds no text in it now"
            return outcome
        }
        outcome.title = result.title
        outcome.status = result.status == .updated ? .updated : .unchanged
        if result.status == .updated { (outcome.reanchored, outcome.orphaned) = (result.reanchored, result.orphaned) }
        return outcome
    }

    /// The article in an original, read as it was when it was kept.
    static func extract(_ record: OriginalRecord, _ bytes: [UInt8]) throws(ExtractionError) -> ExtractedArticle {
        if record.format == .html { return try ArticleExtractor.extract(html: bytes, charset: record.charset) }
        return try ArticleExtractor.extract(data: Data(bytes), filename: record.source, format: record.format)
    }

    private func printSummary(_ summary: Summary, store: Store) throws {
        let short = try store.shortIDs(summary.articles.map(\.id))
        for outcome in summary.articles {
            let id = short(outcome.id)
            switch outcome.status {
            case .updated:
                print("updated  \(id)  \(outcome.title): new text; \(outcome.reanchored ?? 0) highlight(s) located again, \(outcome.orphaned ?? 0) orphaned\((outcome.orphaned ?? 0) > 0 ? " (see 'gloss orphans')" : "")")
            case .unchanged:
                if !all { print("unchanged  \(id)  \(outcome.title): the extractor gives the same text") }
            case .skipped:
                print("skipped  \(id)  \(outcome.title): \(outcome.reason ?? "")")
            case .failed:
                print("failed   \(id)  \(outcome.title): \(outcome.reason ?? "")")
            }
        }
        if all {
            print("\(summary.articles.count) article(s): \(summary.updated) updated, \(summary.unchanged) unchanged, \(summary.skipped) skipped (no original), \(summary.failed) failed")
        }
    }
}
