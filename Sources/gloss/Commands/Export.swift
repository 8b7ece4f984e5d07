import ArgumentParser
import Foundation
import GlossCore

struct Export: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the library in a canonical, deterministic form.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, w3c }

    @OptionGroup var global: GlobalOptions
    @Option(help: "json: the canonical export (equal on replicas holding the same changes); w3c: a W3C Web Annotation collection (JSON-LD).")
    var format: Format = .json
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func run(store: Store) async throws {
        let data = format == .json ? try store.exportJSON() : try store.exportW3C() + Data("\n".utf8)
        guard let output else { return FileHandle.standardOutput.write(data) }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CLIError("cannot write \(output): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
    }
}
