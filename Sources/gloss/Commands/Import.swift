import ArgumentParser
import Foundation
import GlossCore

struct Import: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import annotations: W3C Web Annotation JSON-LD or a Hypothesis JSON export.",
        discussion: "Each annotation is attached to its article (by URL or id; add the article first) and anchored in its text. Items that cannot be attached are listed, not dropped silently; importing the same file twice imports nothing new.")

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
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(data))
        if output.json {
            try Output.json(outcomes)
        } else {
            for outcome in outcomes where outcome.status == .skipped {
                Terminal.printError("item \(outcome.item): \(outcome.reason ?? "skipped")")
            }
            let count = { (status: ImportOutcome.Status) in outcomes.filter { $0.status == status }.count }
            print("imported \(count(.imported)), already present \(count(.alreadyPresent)), skipped \(count(.skipped))")
        }
        if outcomes.contains(where: { $0.status == .skipped }) { throw ExitCode(1) }
    }
}
