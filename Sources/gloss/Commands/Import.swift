import ArgumentParser
import Foundation
import GlossCore

struct Import: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import annotations and saved links (W3C Web Annotation JSON-LD, Hypothesis, a Kindle 'My Clippings.txt', Readwise, Omnivore, Pocket, Instapaper, browser bookmarks) or restore a Gloss JSON export.",
        discussion: "A Gloss JSON export ('gloss export --format json') is a whole backup: imported into an empty store it rebuilds every article, annotation, tag, orphan and open conflict. Articles a Gloss export carries are added first (never over one this store has). Each annotation is then attached to its article (by id, URL, or the one article whose text holds its quote) and anchored in its text. Kindle and Readwise highlights go to the article with their book's URL or title and author, or to one made for the book that waits for its text; a quote not in the text is kept as an orphan ('gloss orphans') and located again by 'gloss add --replace ID FILE'. Kindle notes join their highlight and re-highlighted passages keep the longest (listed as merged). Links (Pocket, Instapaper, bookmarks, Omnivore items without their page) are saved as articles waiting for their text: 'gloss fetch' fetches them and locates the highlights that wait with them. Items that cannot be attached are listed, not dropped silently; importing the same file twice imports nothing new.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The file to import; '-' reads standard input.", valueName: "file"))
    var file: String

    func run(store: Store) async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw CLIError("\(file): no such file, or it cannot be read") }
            data = contents
        }
        // Timed from here: reading a large file counts towards the second before a line shows.
        let progress = ProgressLine(label: "importing", total: 0)
        let document = try AnnotationImport.parse(data)
        progress.total = document.count
        let report = try store.importAnnotations(document, progress: { progress.update($0) })
        progress.finish()
        let outcomes = report.items
        if output.json {
            try Output.json(report)
        } else {
            for problem in report.articleProblems { Terminal.printError(problem) }
            for outcome in outcomes where outcome.status == .skipped {
                Terminal.printError("item \(outcome.item): \(outcome.reason ?? "skipped")")
            }
            let count = { (status: ImportOutcome.Status) in outcomes.filter { $0.status == status }.count }
            if report.articlesAdded > 0 { print("added \(report.articlesAdded) article(s) from the file") }
            let merged = count(.merged)
            print("imported \(count(.imported)), already present \(count(.alreadyPresent)), skipped \(count(.skipped))" + (merged > 0 ? ", merged \(merged)" : ""))
        }
        if outcomes.contains(where: { $0.status == .skipped }) || !report.articleProblems.isEmpty { throw ExitCode(1) }
    }
}
