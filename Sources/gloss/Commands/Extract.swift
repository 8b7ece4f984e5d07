import ArgumentParser
import GlossCore

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what importing a file would store, without storing it.")

    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The file to read; '-' reads standard input.", valueName: "file"))
    var file: String
    @Option(help: "Read the input as this format instead of guessing: text, markdown or html.")
    var format: SourceFormat?

    mutating func run() async throws {
        let command = self
        try await Failure.report {
            let article = try Input.extract(command.file, format: command.format)
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
