import ArgumentParser
import Foundation
import GlossCore

struct Export: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the library in a canonical, deterministic form.")
    static let createsStore = false

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, w3c, markdown }

    @OptionGroup var global: GlobalOptions
    @Option(help: "json: the canonical export (equal on replicas holding the same changes); w3c: a W3C Web Annotation collection (JSON-LD); markdown: one file per article into --output DIR.")
    var format: Format = .json
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output (for markdown: the folder to write into).")
    var output: String?

    func validate() throws {
        if format == .markdown && output == nil { throw ValidationError("--format markdown writes a folder: give it with --output DIR") }
    }

    func run(store: Store) async throws {
        if format == .markdown, let output { return try writeMarkdown(store, to: output) }
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

extension Export {
    /// Writes one file per article, replacing the file an earlier export made for the same
    /// article (found by the id in its name, however long) even when the title changed since.
    func writeMarkdown(_ store: Store, to folder: String) throws {
        let canonical = try store.export()
        let files = MarkdownExport.files(articles: canonical.articles, annotations: canonical.annotations)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let names = Set(files.map(\.name))
            var written = 0, updated = 0
            for file in files {
                let earlier = existing.filter { name in
                    MarkdownExport.articleIDPrefix(inFileName: name).map { file.articleID.hasPrefix($0) } ?? false
                }
                for old in earlier where !names.contains(old) {
                    try FileManager.default.removeItem(atPath: folder + "/" + old)
                }
                let path = folder + "/" + file.name
                let previous = FileManager.default.contents(atPath: path)
                if previous == Data(file.contents.utf8) { continue }
                if previous != nil || !earlier.isEmpty { updated += 1 } else { written += 1 }
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            }
            FileHandle.standardError.write(Data("\(folder): \(written) new, \(updated) updated, \(files.count - written - updated) unchanged\n".utf8))
        } catch {
            throw CLIError("cannot write into \(folder): \(error.localizedDescription)")
        }
    }
}
