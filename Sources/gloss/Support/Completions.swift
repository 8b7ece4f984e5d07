import ArgumentParser
import Foundation
import GlossCore

/// Shell completions (`gloss --generate-completion-script bash|zsh|fish`) for what lives in the
/// store: the shell runs `gloss` itself, which reads the store the command line names (its
/// `--store`, else the default) without creating one. They are quick, and quiet when anything
/// fails: no store, no match, a damaged file.
enum Completions {
    static let ids = CompletionKind.custom { words, index, _ in ids(words, index, of: nil) }
    static let articles = CompletionKind.custom { words, index, _ in ids(words, index, of: .article) }
    static let annotations = CompletionKind.custom { words, index, _ in ids(words, index, of: .annotation) }
    static let tags = CompletionKind.custom { words, index, _ in
        withStore(words) { try $0.tagNames(prefix: typed(words, index)) }
    }
    static let colors = CompletionKind.list(Store.colors)

    /// Ids starting with what was typed, each as short as the store lets it be.
    private static func ids(_ words: [String], _ index: Int, of type: EntityType?) -> [String] {
        let prefix = typed(words, index)
        return withStore(words) { store in
            let ids = try store.ids(prefix: prefix, of: type, limit: 100)
            let short = try store.shortIDs(ids)
            return ids.map { id in short(id).hasPrefix(prefix) ? short(id) : id }
        }
    }

    /// The word being completed.
    private static func typed(_ words: [String], _ index: Int) -> String {
        words.indices.contains(index) ? words[index] : ""
    }

    /// `body`'s answer on the store the command line names, or nothing.
    private static func withStore(_ words: [String], _ body: (Store) throws -> [String]) -> [String] {
        var option: String?
        for (index, word) in words.enumerated() {
            if word == "--store", index + 1 < words.count { option = words[index + 1] }
            if word.hasPrefix("--store=") { option = String(word.dropFirst("--store=".count)) }
        }
        guard let location = try? StoreLocator.locate(option: option, create: false),
              let store = try? Store(path: location.database, concurrentReads: false) else { return [] }
        defer { try? store.close() }
        return (try? body(store)) ?? []
    }
}
