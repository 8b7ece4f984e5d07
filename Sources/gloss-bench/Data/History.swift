import Foundation
import GlossCore
import GlossSync

/// Replica A with a long history, all of it already in a shared folder: the state W3 starts from
/// and W7 syncs in full. It only grows, so W3's sizes are built one on top of the other.
final class History {
    let library: Library
    let folder: String
    /// The most changes one history bundle holds, as many syncs over time would have left.
    static let bundleChanges = 50_000

    /// A history named `name` (its store is `NAME-a.sqlite`, its folder `NAME-folder`).
    init(bench: Bench, name: String = "history") throws {
        library = try Library(path: bench.path("\(name)-a.sqlite"), corpus: Corpus(seed: bench.seed &+ 3), articles: bench.sizes.articles)
        folder = bench.path("\(name)-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    var changes: Int { library.changes }

    /// Records highlights until the log holds `total` changes, and writes the new ones into the
    /// folder as bundles of at most `bundleChanges`.
    func grow(to total: Int, progress: Progress, label: String) async throws {
        guard total > changes else { return }
        try library.grow(by: total - changes, batch: 10_000, progress: progress, label: label)
        progress.say("\(label): writing the new changes into the folder")
        let transport = try FolderTransport(directory: folder, replica: library.store.replicaID)
        _ = try await SyncSession(store: library.store, peer: transport, pushPage: Self.bundleChanges).run()
    }

    /// A replica B in sync with A: a copy of A's file, which on opening notices it is a copy and
    /// takes a fresh replica id. What it holds and what it has read from the folder are A's.
    func replica(at path: String) throws -> Store {
        try library.whileClosed {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: library.path, toPath: path)
        }
        let replica = try Store(path: path)
        guard replica.copiedFrom == library.store.replicaID else {
            throw BenchError.invalidSetup("the copy of replica A kept its id; B would write as A")
        }
        return replica
    }
}
