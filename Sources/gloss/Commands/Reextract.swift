import ArgumentParser
import GlossCore

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

    /// `--json`: the counts, then every article's outcome.
    struct Summary: Encodable {
        var updated = 0, unchanged = 0, skipped = 0, failed = 0
        var articles: [ReextractOutcome] = []
    }

    func run(store: Store) async throws {
        let targets = try all ? store.articles().map(\.id) : articles.map { try store.articleID(prefix: $0) }
        var summary = Summary()
        let progress = ProgressLine(label: "reextracting", total: targets.count)
        for (index, id) in targets.enumerated() {
            progress.update(index)
            let outcome = try store.reextract(id)
            switch outcome.status {
            case .updated: summary.updated += 1
            case .unchanged: summary.unchanged += 1
            case .skipped: summary.skipped += 1
            case .failed: summary.failed += 1
            }
            summary.articles.append(outcome)
        }
        progress.finish()
        if output.json {
            try Output.json(summary)
        } else {
            try printSummary(summary, store: store)
        }
        if summary.failed > 0 || (!all && summary.skipped > 0) { throw ExitCode(1) }
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
