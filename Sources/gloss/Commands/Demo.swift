import ArgumentParser
import Foundation
import GlossCore
import GlossSync

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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
        _ = try laptop.highlight(articleID: ids[1], quote: "Officials also discussed other economic and security issues", color: "green")
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

        step("A second machine syncs and converges")
        let desktop = try Store(path: root + "/desktop.sqlite")
        try desktop.setReplicaName("desktop")
        let report = try await SyncSession(store: desktop, peer: StoreTransport(laptop)).run()
        print("  desktop received \(report.received) changes; digests equal: \(try desktop.digest() == laptop.digest())")

        step("Both edit the same note while apart, then sync")
        try laptop.editAnnotation(first.id, note: "Cooperation — the laptop's reading.")
        try desktop.editAnnotation(first.id, note: "Cooperation — the desktop's reading.")
        try desktop.setTags(first.id, ["policy"])
        let back = try await SyncSession(store: desktop, peer: StoreTransport(laptop)).run()
        print("  sent \(back.sent), received \(back.received), new conflicts: \(back.newConflicts.map { "\(Output.short($0.entityID)).\($0.field)" })")
        for conflict in try laptop.conflicts() {
            print("  conflict on \(conflict.field) of \(Output.short(conflict.entityID)), nothing lost:")
            for sibling in conflict.siblings {
                print("    \(sibling.isShown ? "*" : " ") \(sibling.replicaName ?? sibling.replica.short): \(sibling.value)")
            }
        }
        let tags = try laptop.annotation(first.id).tags
        print("  tags merged without conflict: \(tags.map { "#" + $0 }.joined(separator: " "))")
        print("  digests equal: \(try desktop.digest() == laptop.digest())  (\(try laptop.digest().prefix(16))…)")

        print("\nTry it yourself: gloss --help, or run the commands above with --store \(root)/laptop.sqlite")
    }
}
