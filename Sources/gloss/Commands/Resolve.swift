import ArgumentParser
import Foundation
import GlossCore

struct Resolve: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Settle a conflict: keep one value, give a new one, or edit them in $EDITOR.",
        discussion: "The resolution covers every value in the conflict, syncs like any change, and clears the conflict on every replica.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The conflicted article's or annotation's id (or unique prefix).", valueName: "id"), completion: Completions.ids)
    var id: String
    @Option(help: "Which field, when the item has several conflicts (e.g. note, title, deleted).")
    var field: String?
    @Option(help: "Keep value N, as 'gloss conflicts' numbers them.")
    var keep: Int?
    @Option(help: "Replace every value with this text.")
    var value: String?
    @Flag(help: "Open $EDITOR (else $VISUAL, else vi) with every value, and keep what you save.")
    var edit = false

    func validate() throws {
        let chosen = [keep != nil, value != nil, edit].filter { $0 }.count
        if chosen != 1 { throw ValidationError("choose one of --keep N, --value TEXT or --edit") }
    }

    func run(store: Store) async throws {
        let (_, entity) = try store.entity(prefix: id)
        let candidates = try store.conflicts().filter { $0.entityID == entity && (field == nil || $0.field == field) }
        guard let conflict = candidates.first else {
            throw CLIError("\(try store.short(entity)) has no conflict\(field.map { " on '\($0)'" } ?? ""). See 'gloss conflicts'.")
        }
        guard candidates.count == 1 else {
            throw CLIError("\(try store.short(entity)) has conflicts on \(candidates.map(\.field).joined(separator: ", ")): say which with --field")
        }
        let resolution: Resolution
        if let keep {
            resolution = .keep(keep)
        } else if let value {
            resolution = .value(value)
        } else {
            resolution = .value(try Editor.edit(conflict))
        }
        try store.resolve(entityID: entity, field: conflict.field, resolution)
        if output.json { return try Output.json(["resolved": entity, "field": conflict.field]) }
        print("resolved \(conflict.field) of \(try store.short(entity)); sync to settle it everywhere")
    }
}

/// Lets a person merge a conflict's values by hand in their editor.
enum Editor {
    static func edit(_ conflict: Conflict) throws -> String {
        guard conflict.field != Fields.deleted else {
            throw CLIError("a delete conflict is settled with --keep N (the delete, or an edit to keep the item)")
        }
        var text = """
            # Resolve the conflict on '\(conflict.field)' of \(conflict.entityID).
            # Edit this file into the value to keep. Lines starting with '#' are ignored.
            # Save an empty file to cancel.

            """
        for (index, sibling) in conflict.siblings.enumerated() {
            text += "# ---- value \(index + 1), from \(sibling.replicaName ?? sibling.replica.short)\n"
            text += (sibling.value.string ?? sibling.value.description) + "\n"
        }
        let path = NSTemporaryDirectory() + "gloss-resolve-\(UUID().uuidString).md"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ProcessInfo.processInfo.environment
        let editor = environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["VISUAL"] ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "sh", path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            throw CLIError("cannot start the editor '\(editor)': \(error.localizedDescription). Set $EDITOR.")
        }
        guard process.terminationStatus == 0 else { throw CLIError("the editor exited with status \(process.terminationStatus); nothing was resolved") }
        let edited = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let kept = edited.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !kept.isEmpty else { throw CLIError("the file was saved empty: nothing was resolved") }
        return kept
    }
}
