import ArgumentParser
import Foundation
import GlossCore
import GlossExtraction
import GlossFetch

struct Fetch: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch the pages of articles waiting for their text, and locate their highlights in it.",
        discussion: "Articles imported as links (Pocket, Instapaper, Omnivore, bookmarks) or made for a book's highlights wait for their text. 'gloss fetch' fetches every waiting article that has a web address (or the ones named), a few at a time, starting requests to one site --delay seconds apart, and stores each text as it arrives: an interrupted fetch loses nothing, and running it again fetches what still waits. Highlights kept as orphans are located in the new text. Pages that cannot be fetched are listed with the reason, and wait still. The addresses came from import files or other replicas, so none that leads to this machine or its private network is fetched unless --allow-private-addresses says so.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("Articles to fetch (ids or unique prefixes); default: every waiting article with a web address.", valueName: "article"),
              completion: Completions.articles)
    var articles: [String] = []
    @Option(help: "Pages fetched at once (1 to 16).")
    var concurrency = 4
    @Option(help: "Seconds between two requests to the same site.")
    var delay = 1.0
    @Option(help: "Seconds to wait for each page.")
    var timeout = 30.0
    @Flag(help: "Also fetch addresses on this machine or its private network (a home wiki, say).")
    var allowPrivateAddresses = false

    func validate() throws {
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 16") }
        guard delay >= 0, delay <= 60 else { throw ValidationError("--delay must be between 0 and 60 seconds") }
        guard timeout > 0, timeout <= PageFetcher.longestTimeout else {
            throw ValidationError("--timeout must be more than 0 and at most \(Int(PageFetcher.longestTimeout)) seconds")
        }
    }

    /// What happened to one article.
    struct Outcome: Encodable {
        enum Status: String, Encodable { case fetched, failed, notWaiting }
        var id: String
        var title: String
        var url: String?
        var status: Status
        var error: String?
        /// Highlights located in the new text, and those still not in it (orphans).
        var reanchored = 0
        var orphaned = 0
    }

    struct Summary: Encodable {
        var fetched = 0
        var failed = 0
        var notWaiting = 0
        var articles: [Outcome] = []
    }

    func run(store: Store) async throws {
        var summary = Summary()
        var targets: [(id: String, title: String, url: String)] = []
        if articles.isEmpty {
            targets = try store.waitingArticles().compactMap { article in article.url.map { (article.id, article.title, $0) } }
        } else {
            for prefix in articles {
                let article = try store.article(try store.articleID(prefix: prefix))
                if !article.isWaiting {
                    summary.articles.append(Outcome(id: article.id, title: article.title, url: article.url, status: .notWaiting,
                                                    error: "it has its text already"))
                } else if let url = article.url {
                    targets.append((article.id, article.title, url))
                } else {
                    summary.articles.append(Outcome(id: article.id, title: article.title, url: nil, status: .failed,
                                                    error: "it has no web address to fetch: add its text with 'gloss add --replace \(prefix) FILE'"))
                }
            }
        }
        let progress = ProgressLine(label: "fetching", total: targets.count)
        let fetcher = PageFetcher(timeout: timeout, publicOnly: !allowPrivateAddresses)
        let pacer = HostPacer(delay: .milliseconds(Int(delay * 1000)))
        await withTaskGroup(of: (Int, Result<ExtractedArticle, any Error>).self) { group in
            var next = 0
            func start() {
                guard next < targets.count else { return }
                let index = next, url = targets[index].url
                next += 1
                group.addTask {
                    await pacer.wait(for: URL(string: url)?.host?.lowercased() ?? url)
                    do {
                        return (index, .success(try await fetcher.article(at: url)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<concurrency { start() }
            var done = 0
            while let (index, result) = await group.next() {
                start()
                let target = targets[index]
                var outcome = Outcome(id: target.id, title: target.title, url: target.url, status: .fetched)
                do {
                    // Stored as it arrives: a fetch cut short keeps every page it had.
                    var article = try result.get()
                    article.url = nil
                    let added = try store.replaceText(of: target.id, with: article)
                    outcome.title = added.title
                    outcome.reanchored = added.reanchored
                    outcome.orphaned = added.orphaned
                } catch {
                    outcome.status = .failed
                    outcome.error = "\(error)"
                }
                summary.articles.append(outcome)
                done += 1
                progress.update(done)
            }
        }
        progress.finish()
        summary.fetched = summary.articles.count { $0.status == .fetched }
        summary.failed = summary.articles.count { $0.status == .failed }
        summary.notWaiting = summary.articles.count { $0.status == .notWaiting }
        if output.json {
            try Output.json(summary)
        } else {
            let short = try store.shortIDs(summary.articles.map(\.id))
            for outcome in summary.articles where outcome.status != .fetched {
                let message = "\(short(outcome.id)) \(outcome.title): \(outcome.error ?? outcome.status.rawValue)"
                if outcome.status == .failed { Terminal.printError(message) } else { Terminal.printWarning(message) }
            }
            if targets.isEmpty && summary.articles.isEmpty {
                print("No article waits for its text.")
            } else {
                let located = summary.articles.reduce(0) { $0 + $1.reanchored }
                let orphans = summary.articles.reduce(0) { $0 + $1.orphaned }
                print("fetched \(summary.fetched), failed \(summary.failed)"
                      + (located + orphans > 0 ? "; highlights located \(located), still orphaned \(orphans)" : ""))
            }
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// Spaces requests to one site: each waits until `delay` after the one before it to that host.
actor HostPacer {
    let delay: Duration
    private var next: [String: ContinuousClock.Instant] = [:]

    init(delay: Duration) {
        self.delay = delay
    }

    func wait(for host: String) async {
        let now = ContinuousClock.now
        let at = max(now, next[host] ?? now)
        next[host] = at + delay
        if at > now { try? await Task.sleep(until: at, clock: .continuous) }
    }
}
