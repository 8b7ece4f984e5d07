public import ArgumentParser
import Foundation
import GlossCore
import GlossExtraction
import GlossFetch

struct Add: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Save articles from files (plain text, Markdown, HTML or PDF), web pages (http or https URLs), or '-' for standard input.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("Files or web addresses to import; '-' reads standard input.", valueName: "file-or-url"))
    var files: [String]
    @Option(help: "Read the input as this format instead of guessing: text, markdown, html or pdf.")
    var format: SourceFormat?
    @Option(help: "The article's URL, when the input does not say.")
    var url: String?
    @Option(name: .customLong("tag"), help: "Tag the article (repeatable).", completion: Completions.tags)
    var tags: [String] = []
    @Option(help: ArgumentHelp("Replace this article's text with the file's (a better extraction, a corrected copy), keeping its id and locating its highlights again.", valueName: "id"), completion: Completions.articles)
    var replace: String?
    @OptionGroup var fetch: FetchOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to add, or '-' for standard input") }
        if url != nil && files.count > 1 { throw ValidationError("--url applies to one article; add files one at a time") }
        if replace != nil && files.count > 1 { throw ValidationError("--replace takes one file: the article's new text") }
    }

    func run(store: Store) async throws {
        var results: [AddResult] = []
        var failures = 0
        for file in files {
            do {
                let input = try await Input.read(file, format: format, timeout: fetch.timeout)
                var article = input.article
                if let url { article.url = url }
                article.tags += tags
                let result: AddResult
                if let replace {
                    result = try store.replaceText(of: store.articleID(prefix: replace), with: article)
                    if !tags.isEmpty { try store.setTags(result.id, tags) }
                } else {
                    result = try store.addArticle(article)
                }
                results.append(result)
                keep(input.original, of: result, in: store, from: file)
                if !output.json {
                    let short = try store.short(result.id)
                    switch result.status {
                    case .added: print("added    \(short)  \(result.title)")
                    case .alreadyPresent: print("already saved  \(short)  \(result.title) (nothing changed)")
                    case .restored: print("restored \(short)  \(result.title)")
                    case .updated:
                        print("updated  \(short)  \(result.title): new text; \(result.reanchored) highlight(s) located again, \(result.orphaned) orphaned (see 'gloss orphans')")
                    }
                }
            } catch {
                // One file's failure is reported and the others are still added.
                guard let message = Failure.message(for: error, store: nil) else { throw error }
                failures += 1
                Terminal.printError(error is GlossError || error is ExtractionError ? "\(file): \(message)" : message)
            }
        }
        if output.json { try Output.json(results) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Keeps the bytes the article was read from beside its text (for `gloss original` and
    /// `gloss reextract`), unless the article was already saved with an original. A failure
    /// here is a warning: the text is saved either way.
    private func keep(_ original: SourceBytes, of result: AddResult, in store: Store, from file: String) {
        do {
            try store.keepOriginal(original, for: result, replacing: replace != nil)
        } catch {
            Terminal.printWarning("\(file): saved the text but not the original it came from: \(error)")
        }
    }
}

extension SourceFormat: ExpressibleByArgument {}

/// Reading an input file (or web page) the way `add` and `extract` do.
enum Input {
    /// The article in a file, or in the web page at an http(s) address. Warns on standard error
    /// when the article keeps only a small share of a large input.
    static func article(_ source: String, format: SourceFormat?, timeout: Double) async throws -> ExtractedArticle {
        try await read(source, format: format, timeout: timeout).article
    }

    /// The bytes an article was read from, as `gloss add` keeps them.
    /// `article(_:format:timeout:)`, with the bytes the article was read from.
    static func read(_ source: String, format: SourceFormat?, timeout: Double) async throws -> (article: ExtractedArticle, original: SourceBytes) {
        if let scheme = otherScheme(source) {
            throw CLIError("\(source): Gloss does not fetch '\(scheme):' addresses, only http and https; save the page as a file and add that")
        }
        let article: ExtractedArticle
        let original: SourceBytes
        if PageFetcher.isWebAddress(source) {
            guard format == nil || format == .html else {
                throw CLIError("\(source): web pages are read as HTML; drop --format")
            }
            let page: FetchedPage
            (article, page) = try await PageFetcher(timeout: timeout).articleAndPage(at: source)
            original = SourceBytes(bytes: page.bytes, format: .html, source: page.url.absoluteString, charset: page.charset)
        } else {
            let data: Data
            (article, data) = try extract(source, format: format)
            original = SourceBytes(bytes: [UInt8](data), format: article.format,
                                source: source == "-" ? nil : URL(fileURLWithPath: source).lastPathComponent)
        }
        if let warning = partialWarning(article, source: source == "-" ? "standard input" : source) {
            Terminal.printWarning(warning)
        }
        return (article, original)
    }

    /// What to say when the article is a small share of a large input, and how to keep more.
    static func partialWarning(_ article: ExtractedArticle, source: String) -> String? {
        guard let coverage = article.coverage, coverage.isPartial else { return nil }
        let kept = "\(source): kept \(grouped(coverage.keptCharacters)) of \(grouped(coverage.inputCharacters)) characters "
            + "(\(percent(coverage.share))); the rest did not read as article text"
        switch article.format {
        case .plainText:
            return kept + ". To keep the whole text as written, add it with --format markdown."
        case .html:
            return kept + ". If the article is missing, save the article's own page (or its reader view) and add that."
        case .markdown, .pdf, .epub:
            return kept + "."
        }
    }

    private static func grouped(_ number: Int) -> String {
        number.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    private static func percent(_ share: Double) -> String {
        let value = share * 100
        return value < 1 ? String(format: "%.2f%%", value) : String(format: "%.0f%%", value)
    }

    /// The scheme of an address that is not http(s) ("ftp" for `ftp://host/file`), unless a file
    /// of that name exists; nil for a file name or a web address.
    static func otherScheme(_ source: String) -> String? {
        guard let colon = source.range(of: "://"), !PageFetcher.isWebAddress(source),
              !FileManager.default.fileExists(atPath: source) else { return nil }
        let scheme = source[..<colon.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return scheme.lowercased()
    }

    /// The article in a file (or standard input, '-'), and the bytes it was read from.
    static func extract(_ file: String, format: SourceFormat?) throws -> (article: ExtractedArticle, data: Data) {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw CLIError("\(file): no such file")
            }
            guard !isDirectory.boolValue else { throw CLIError("\(file): is a directory; give the article files in it") }
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CLIError("\(file): cannot be read (check its permissions)")
            }
            data = contents
        }
        do {
            return (try ArticleExtractor.extract(data: data, filename: file == "-" ? nil : file, format: format), data)
        } catch {
            throw CLIError("\(file == "-" ? "standard input" : file): \(error.description)")
        }
    }
}
