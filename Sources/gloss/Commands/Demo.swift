import ArgumentParser
import Foundation
import GlossCore
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
        try await Failure.report { try await command.tour() }
    }

    private func step(_ title: String, _ command: String? = nil) {
        print("\n" + Terminal.bold("▸ " + title))
        if let command { print(Terminal.dim("  $ " + command)) }
    }

    private func folderSync(_ store: Store, _ folder: String) async throws -> SyncReport {
        try await SyncSession.sync(store, with: .folder(path: folder)).report
    }

    private func tour() async throws {
        let root = directory ?? NSTemporaryDirectory() + "gloss-demo-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.removeItem(atPath: root + "/laptop.sqlite")
        try? FileManager.default.removeItem(atPath: root + "/desktop.sqlite")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let laptop = try Store(path: root + "/laptop.sqlite")
        try laptop.setReplicaName("laptop")
        print("Gloss demo — stores in \(root)")

        step("Import two articles copied from news pages, boilerplate and all", "gloss add reuters-migration.txt ap-migration-talks.txt")
        var ids: [String] = []
        for (name, bytes) in [("reuters-migration.txt", PackageResources.reuters_migration_txt),
                              ("ap-migration-talks.txt", PackageResources.ap_migration_talks_txt)] {
            let extracted = try ArticleExtractor.extract(data: Data(bytes), filename: name)
            let result = try laptop.addArticle(extracted)
            ids.append(result.id)
            let meta = [extracted.siteName, extracted.dateline, extracted.published].compactMap { $0 }.joined(separator: " · ")
            print("  added \(Output.short(result.id))  \(result.title)  [\(meta)]")
            let raw = String(decoding: bytes, as: UTF8.self)
            print(Terminal.dim("        kept \(extracted.text.count) of \(raw.count) characters; the rest was page furniture"))
        }
        let again = try laptop.addArticle(try ArticleExtractor.extract(data: Data(PackageResources.reuters_migration_txt), filename: "again.txt"))
        print("  adding the first again: \(again.status == .alreadyPresent ? "already saved, nothing changed" : "\(again.status)")")

        step("Highlight passages, with a note and a tag", "gloss highlight \(Output.short(ids[0])) \"record migration at their shared border\" --note …")
        let first = try laptop.highlight(articleID: ids[0], quote: "record migration at their shared border",
                                         note: "The core claim: cooperation, not unilateral measures.", tags: ["migration"])
        let second = try laptop.highlight(articleID: ids[1], quote: "Officials also discussed other economic and security issues", color: "green")
        _ = try laptop.addNote(articleID: ids[1], text: "Compare with the Reuters piece from 2023.")
        print("  highlighted \(Output.short(first.id)) at characters \(first.anchor!.start)–\(first.anchor!.end), with a note")

        step("Read it", "gloss show \(Output.short(ids[0]))")
        let article = try laptop.article(ids[0])
        let shown = ArticleRenderer(article: article, annotations: try laptop.annotations(articleID: ids[0]),
                                    colors: Terminal.colors, width: min(Terminal.width, 90)).render()
        print(shown.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))

        step("Search titles, text, quotes and notes", "gloss search cooperation")
        for hit in try laptop.search("cooperation") {
            let snippet = hit.snippet.replacingOccurrences(of: SearchHit.matchStart, with: "[").replacingOccurrences(of: SearchHit.matchEnd, with: "]")
            print("  \(Output.short(hit.id)) (\(hit.kind.rawValue)) \(Output.truncate(snippet, 80))")
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
        try laptop.editAnnotation(first.id, note: "Cooperation — the laptop's reading.")
        try desktop.editAnnotation(first.id, note: "Cooperation — the desktop's reading.")
        try desktop.setTags(first.id, ["policy"])
        _ = try await folderSync(desktop, folder)
        let met = try await folderSync(laptop, folder)
        _ = try await folderSync(desktop, folder)
        print("  new conflicts on the laptop: \(met.newConflicts.map { "\(Output.short($0.entityID)) \($0.field)" })")
        print(Terminal.dim("  $ gloss conflicts"))
        for conflict in try laptop.conflicts() {
            print("  \(Output.short(conflict.entityID))  \(conflict.field) — nothing lost, every replica shows the * value meanwhile:")
            for (index, sibling) in conflict.siblings.enumerated() {
                print("    \(sibling.isShown ? "*" : " ")\(index + 1)  \(sibling.value)  (\(sibling.replicaName ?? sibling.replica.short))")
            }
        }
        print("  tags merged without a conflict: \(Output.tags(try laptop.annotation(first.id).tags))")

        step("Resolve it on one machine; the resolution syncs like any change", "gloss resolve \(Output.short(first.id)) --keep 1")
        try laptop.resolve(entityID: first.id, field: Fields.note, .keep(1))
        _ = try await folderSync(laptop, folder)
        _ = try await folderSync(desktop, folder)
        print("  conflicts left: laptop \(try laptop.conflicts().count), desktop \(try desktop.conflicts().count)")
        print("  note everywhere: \"\(try desktop.annotation(first.id).note ?? "")\"")
        print("  digests equal: \(try desktop.digest() == laptop.digest())  (\(try laptop.digest().prefix(16))…)")

        step("Edits to different words of one note merge by themselves (three-way merge)")
        try laptop.editAnnotation(second.id, note: "Talks covered migration, the economy and COVID.")
        _ = try await folderSync(laptop, folder)
        _ = try await folderSync(desktop, folder)
        try laptop.editAnnotation(second.id, note: "Talks covered illegal migration, the economy and COVID.")
        try desktop.editAnnotation(second.id, note: "Talks covered migration, the economy and the COVID-19 response.")
        for store in [desktop, laptop, desktop] { _ = try await folderSync(store, folder) }
        print("  laptop:  \"\(try laptop.annotation(second.id).note ?? "")\"")
        print("  desktop: \"\(try desktop.annotation(second.id).note ?? "")\"")
        print("  conflicts: \(try laptop.conflicts().count); digests equal: \(try desktop.digest() == laptop.digest())")
        try laptop.close()
        try desktop.close()

        print("\nTry it yourself: gloss --help, or run the commands above with --store \(root)/laptop.sqlite")
    }
}
