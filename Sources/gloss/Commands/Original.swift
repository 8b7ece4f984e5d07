import ArgumentParser
import Foundation
import GlossCore
import GlossExtraction

struct Original: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "original",
        abstract: "Write out the page, EPUB or PDF an article was extracted from, as it was saved.",
        discussion: """
            'gloss add' keeps each file, web page or standard input it reads beside the store, \
            compressed, so 'gloss reextract' can read it again with a newer extractor. Articles \
            saved without one (text typed by hand, an import that carries no page) or that \
            came by sync from a replica that does not send its originals have none.

            --sync on|off sets whether this store sends its originals through sync (off unless \
            turned on: they are large). A sync sends the other side the originals it lacks of \
            articles both hold, after the changes, sealed when the library is encrypted; a \
            store takes the originals another sends whatever its own setting. A relay carries \
            no originals.
            """)
    static let createsStore = false

    /// The setting's two values.
    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The article's id, or a unique prefix of it.", valueName: "article"), completion: Completions.articles)
    var article: String?
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write the original to this file instead of standard output.", valueName: "file"))
    var destination: String?
    @Option(help: "Whether this store's originals travel through sync: on or off (off by default).")
    var sync: Switch?

    func validate() throws {
        if article == nil && sync == nil { throw ValidationError("give the id of the article whose original to write out, or --sync on|off") }
        if article != nil && sync != nil { throw ValidationError("--sync is a setting of the store: give it without an article") }
        if destination != nil && article == nil { throw ValidationError("--output needs the id of the article whose original to write out") }
    }

    /// `--json`: what is kept of the original, and where its file is.
    struct View: Encodable {
        var original: OriginalRecord
        var file: String?
        var writtenTo: String?
    }

    func run(store: Store) async throws {
        if let sync { return try set(sync, store) }
        let id = try store.articleID(prefix: article ?? "")
        let record: OriginalRecord, bytes: [UInt8]
        do {
            (record, bytes) = try store.original(of: id)
        } catch let error as OriginalError {
            throw CLIError(try Self.advice(for: error, store: store))
        }
        if let destination {
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: destination), options: .atomic)
            } catch {
                throw CLIError("\(destination): cannot write the original there (\(error.localizedDescription))")
            }
        }
        if output.json {
            return try Output.json(View(original: record, file: store.originalsFile(record), writtenTo: destination))
        }
        guard destination == nil else {
            return print("wrote \(destination!)  (\(record.format.rawValue), \(record.size) bytes\(record.source.map { ", from \($0)" } ?? ""))")
        }
        if Terminal.isStdoutTTY && [.pdf, .epub].contains(record.format) {
            throw CLIError("the original is \(record.format == .pdf ? "a PDF" : "an EPUB"), which a terminal cannot show: write it to a file with --output FILE, or redirect standard output")
        }
        FileHandle.standardOutput.write(Data(bytes))
    }

    private func set(_ value: Switch, _ store: Store) throws {
        try store.setSyncsOriginals(value == .on)
        if output.json { return try Output.json(["syncOriginals": value.rawValue]) }
        print(value == .on
              ? "originals will travel through sync from this store: each sync sends the other side those it lacks."
              : "originals stay in this store; they do not travel through sync.")
    }

    /// The message for a failure to read an article's original, with what to do about it.
    static func advice(for error: OriginalError, store: Store) throws -> String {
        switch error {
        case .noOriginal:
            // The replica that saved the page decides whether it travels: its setting, not this one's.
            let travel = "An original travels through sync only from a replica whose setting sends it ('gloss original --sync on' there), and not through a relay."
            return error.description + " " + travel + " To keep one here, add the page or file again with 'gloss add'."
        case .fileMissing, .damaged:
            return error.description + " Add the page or file again with 'gloss add' to keep it again."
        case .folder, .noFolder:
            return error.description
        }
    }
}

extension Store {
    /// The path of the file an original is kept in, for showing.
    func originalsFile(_ record: OriginalRecord) -> String? {
        originalsFolder?.filePath(record.sha256)
    }
}
