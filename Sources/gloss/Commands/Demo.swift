import ArgumentParser
import Foundation
import GlossCore
import GlossCompression
import GlossExtraction
import GlossSync

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show Gloss at work on two example articles, in a throwaway directory.")

    @Option(help: ArgumentHelp("Keep the demo's stores in this directory instead of a temporary one.", valueName: "dir"))
    var directory: String?

    mutating func run() async throws {
        let command = self
        let root = directory ?? NSTemporaryDirectory() + "gloss-demo-\(UUID().uuidString.prefix(8))"
        // A temporary directory goes when the tour ends, however it ends; one given stays.
        defer { if command.directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        try await Failure.report { try await command.tour(in: root) }
    }

    /// How a person runs this binary again: `gloss` when the shell finds this one by that name,
    /// else its path.
    static var invocation: String {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { folder in
            URL(fileURLWithPath: String(folder) + "/gloss").resolvingSymlinksInPath().path == path
        }
        return onPath ? "gloss" : path
    }

    private func step(_ title: String, _ command: String? = nil) {
        print("\n" + Terminal.bold("▸ " + title))
        if let command { print(Terminal.dim("  $ " + command)) }
    }

    /// How many files under `folder` hold `text`, each read expanded when it is zstd.
    private static func filesHolding(_ text: String, in folder: String) -> Int {
        var count = 0
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let file = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
            let expanded = (try? Codecs.zstdExpand([UInt8](data), limit: 1 << 26)).map { Data($0) } ?? data
            if String(decoding: expanded, as: UTF8.self).contains(text) { count += 1 }
        }
        return count
    }

    private func folderSync(_ store: Store, _ folder: String) async throws -> SyncReport {
        try await SyncSession.sync(store, with: .folder(path: folder)).report
    }

    private func tour(in root: String) async throws {
        try? FileManager.default.removeItem(atPath: root + "/laptop.sqlite")
        try? FileManager.default.removeItem(atPath: root + "/desktop.sqlite")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let laptop = try Store(path: root + "/laptop.sqlite")
        try laptop.setReplicaName("laptop")
        print("Gloss demo — stores in \(root)\(directory == nil ? " (removed at the end; keep them with --directory DIR)" : "")")

        step("Import two articles copied from news pages, boilerplate and all", "gloss add reuters-migration.txt ap-migration-talks.txt")
        var ids: [String] = []
        for (name, bytes) in [("reuters-migration.txt", PackageResources.reuters_migration_txt),
                              ("ap-migration-talks.txt", PackageResources.ap_migration_talks_txt)] {
            let extracted = try ArticleExtractor.extract(data: Data(bytes), filename: name)
            let result = try laptop.addArticle(extracted)
            ids.append(result.id)
            let meta = [extracted.siteName, extracted.dateline, extracted.published].compactMap { $0 }.joined(separator: " · ")
            print("  added \(try laptop.short(result.id))  \(result.title)  [\(meta)]")
            let raw = String(decoding: bytes, as: UTF8.self)
            print(Terminal.dim("        kept \(extracted.text.count) of \(raw.count) characters; the rest was page furniture"))
        }
        let again = try laptop.addArticle(try ArticleExtractor.extract(data: Data(PackageResources.reuters_migration_txt), filename: "again.txt"))
        print("  adding the first again: \(again.status == .alreadyPresent ? "already saved, nothing changed" : "\(again.status)")")

        step("Highlight passages, with a note and a tag", "gloss highlight \(try laptop.short(ids[0])) \"record migration at their shared border\" --note …")
        let first = try laptop.highlight(articleID: ids[0], quote: "record migration at their shared border",
                                         note: "The core claim: cooperation, not unilateral measures.", tags: ["migration"])
        let second = try laptop.highlight(articleID: ids[1], quote: "Officials also discussed other economic and security issues", color: "green")
        _ = try laptop.addNote(articleID: ids[1], text: "Compare with the Reuters piece from 2023.")
        print("  highlighted \(try laptop.short(first.id)) at characters \(first.anchor!.start)–\(first.anchor!.end), with a note")

        step("Read it", "gloss show \(try laptop.short(ids[0]))")
        let article = try laptop.article(ids[0])
        let annotations = try laptop.annotations(articleID: ids[0])
        let shown = ArticleRenderer(article: article, annotations: annotations, short: try laptop.shortIDs(annotations.map(\.id)),
                                    colors: Terminal.colors, width: min(Terminal.width, 90)).render()
        print(shown.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))

        step("Search titles, text, quotes and notes", "gloss search cooperation")
        for hit in try laptop.search("cooperation") {
            let snippet = hit.snippet.replacingOccurrences(of: SearchHit.matchStart, with: "[").replacingOccurrences(of: SearchHit.matchEnd, with: "]")
            print("  \(try laptop.short(hit.id)) (\(hit.kind.rawValue)) \(Output.truncate(snippet, 80))")
        }

        step("A second machine syncs through a shared folder (a USB stick, Syncthing, Dropbox)",
             "gloss sync ~/Dropbox/gloss   # on each machine")
        let folder = root + "/shared-folder"
        let desktop = try Store(path: root + "/desktop.sqlite")
        try desktop.setReplicaName("desktop")
        let out = try await folderSync(laptop, folder)
        let back = try await folderSync(desktop, folder)
        print("  laptop wrote \(out.sent) changes; desktop received \(back.received); digests equal: \(try desktop.digest() == laptop.digest())")

        step("Both edit the same note while apart, and tag it; then both sync")
        let firstID = try laptop.short(first.id)
        print(Terminal.dim("  laptop$  gloss edit \(firstID) --note \"Cooperation — the laptop's reading.\""))
        try laptop.editAnnotation(first.id, note: "Cooperation — the laptop's reading.")
        print(Terminal.dim("  desktop$ gloss edit \(firstID) --note \"Cooperation — the desktop's reading.\""))
        try desktop.editAnnotation(first.id, note: "Cooperation — the desktop's reading.")
        print(Terminal.dim("  desktop$ gloss tag \(firstID) policy"))
        try desktop.setTags(first.id, ["policy"])
        print(Terminal.dim("  both$    gloss sync ~/Dropbox/gloss"))
        _ = try await folderSync(desktop, folder)
        let met = try await folderSync(laptop, folder)
        _ = try await folderSync(desktop, folder)
        let metShort = try laptop.shortIDs(met.newConflicts.map(\.entityID))
        print("  new conflicts on the laptop: \(met.newConflicts.map { "\(metShort($0.entityID)) \($0.field)" }.joined(separator: ", "))")
        print(Terminal.dim("  $ gloss conflicts"))
        for conflict in try laptop.conflicts() {
            print("  \(try laptop.short(conflict.entityID))  \(conflict.field) — nothing lost, every replica shows the * value meanwhile:")
            for (index, sibling) in conflict.siblings.enumerated() {
                print("    \(sibling.isShown ? "*" : " ")\(index + 1)  \(sibling.value)  (\(sibling.replicaName ?? sibling.replica.short))")
            }
        }
        print("  tags merged without a conflict: \(Output.tags(try laptop.annotation(first.id).tags))")

        step("Resolve it on one machine; the resolution syncs like any change", "gloss resolve \(try laptop.short(first.id)) --keep 1")
        try laptop.resolve(entityID: first.id, field: Fields.note, .keep(1))
        _ = try await folderSync(laptop, folder)
        _ = try await folderSync(desktop, folder)
        print("  conflicts left: laptop \(try laptop.conflicts().count), desktop \(try desktop.conflicts().count)")
        print("  note everywhere: \"\(try desktop.annotation(first.id).note ?? "")\"")
        print("  digests equal: \(try desktop.digest() == laptop.digest())  (\(try laptop.digest().prefix(16))…)")

        step("Edits to different words of one note merge by themselves (three-way merge)")
        let base = "Talks covered migration, the economy and COVID."
        try laptop.editAnnotation(second.id, note: base)
        _ = try await folderSync(laptop, folder)
        _ = try await folderSync(desktop, folder)
        print("  both hold:      \"\(base)\"")
        let laptopEdit = "Talks covered illegal migration, the economy and COVID."
        let desktopEdit = "Talks covered migration, the economy and the COVID-19 response."
        print("  laptop makes:   \"\(laptopEdit)\"")
        print("  desktop makes:  \"\(desktopEdit)\"")
        try laptop.editAnnotation(second.id, note: laptopEdit)
        try desktop.editAnnotation(second.id, note: desktopEdit)
        print(Terminal.dim("  both$ gloss sync ~/Dropbox/gloss"))
        for store in [desktop, laptop, desktop] { _ = try await folderSync(store, folder) }
        print("  laptop now:     \"\(try laptop.annotation(second.id).note ?? "")\"")
        print("  desktop now:    \"\(try desktop.annotation(second.id).note ?? "")\"")
        print("  conflicts: \(try laptop.conflicts().count); digests equal: \(try desktop.digest() == laptop.digest())")

        step("Someone who can write the shared folder forges a note in the laptop's name: refused, by name")
        // A change at the laptop's next counter, as a folder writer without the laptop's key
        // would make one, dropped into the folder under a replica id of the forger's own.
        var forged = try laptop.changes(since: VersionVector()).last { $0.dot.replica == laptop.replicaID }!.unsigned
        forged.dot.counter = try laptop.versionVector()[laptop.replicaID] + 1
        forged.entityType = .annotation
        forged.entityID = second.id
        forged.ops = [FieldOp(field: Fields.note, value: .string("Forged: the laptop never wrote this."))]
        let forger = ReplicaID(String(repeating: "f0", count: 16))!
        _ = try await FolderTransport(directory: folder, replica: forger).push([forged], names: [:])
        let refused = try await folderSync(desktop, folder)
        for warning in refused.warnings { print("  desktop: \(warning.description)") }
        print("  note on the desktop: \"\(try desktop.annotation(second.id).note ?? "")\" (each machine signs what it writes; the forger has no key of the laptop's)")

        step("Encrypt the library end to end: the folder's host reads nothing", "gloss encryption enable")
        let recovery = try LibraryEncryption.enable(laptop).recoveryKey
        print("  recovery key (shown once; write it down): \(recovery)")
        print(Terminal.dim("  desktop$ gloss encryption join   # asks for the recovery key"))
        _ = try LibraryEncryption.join(desktop, with: .recoveryKey(recovery), folder: nil)
        let secret = "Private thought: compare with the 2019 accord."
        try laptop.editAnnotation(second.id, note: secret)
        let sealedFolder = root + "/encrypted-folder"
        print(Terminal.dim("  both$ gloss sync ~/Dropbox/gloss-private"))
        _ = try await folderSync(laptop, sealedFolder)
        _ = try await folderSync(desktop, sealedFolder)
        print("  desktop reads the note: \"\(try desktop.annotation(second.id).note ?? "")\"")
        let earlier = "Talks covered"
        print("  files holding \"\(earlier)…\": \(Self.filesHolding(earlier, in: folder)) in the first folder (synced in the clear), \(Self.filesHolding(earlier, in: sealedFolder)) in the encrypted one (the whole history, sealed)")
        let stranger = try Store(path: root + "/stranger.sqlite")
        do {
            _ = try await folderSync(stranger, sealedFolder)
        } catch let error as SyncError {
            print("  a machine without the key: \(error.description)")
        }
        try stranger.close()
        try laptop.close()
        try desktop.close()

        print("\nTry it yourself: \(Self.invocation) --help" + (directory == nil
            ? " (run '\(Self.invocation) demo --directory DIR' to keep the demo's stores and look around)"
            : ", or run the commands above with --store \(root)/laptop.sqlite"))
    }
}
