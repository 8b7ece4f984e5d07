import ArgumentParser
import GlossCore
import GlossExtraction

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print what importing a file or web page would store, without storing it.")

    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The file or web address to read; '-' reads standard input.", valueName: "file-or-url"))
    var file: String
    @Option(help: "Read the input as this format instead of guessing: text, markdown, html or pdf.")
    var format: SourceFormat?
    @OptionGroup var fetch: FetchOptions

    mutating func run() async throws {
        let command = self
        try await Failure.report {
            let article = try await Input.article(command.file, format: command.format, timeout: command.fetch.timeout)
            if command.output.json {
                try Output.json(article)
                return
            }
            let fields: [(String, String?)] = [
                ("Title", article.title), ("Byline", article.byline), ("Site", article.siteName),
                ("Published", article.published), ("Section", article.section), ("Dateline", article.dateline),
                ("URL", article.url), ("Tags", article.tags.isEmpty ? nil : article.tags.joined(separator: ", ")),
            ]
            for (label, value) in fields { if let value { print("\(Terminal.bold(label + ":")) \(value)") } }
            print()
            print(TextWrapper.wrap(article.text, width: min(Terminal.width, 100)))
        }
    }
}
