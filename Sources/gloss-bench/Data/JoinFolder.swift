import Foundation
import GlossCore
import GlossSync

/// The shared folder W2J joins and W2C compacts: replica A's history (`sizes.w2` highlights and
/// the articles) written into it as bundles, then a snapshot written by `gloss sync` on A with the
/// default policy (`sizes.snapshotAfter` at the quick sizes). A replica H synced there while still
/// empty, before the history, and not since: its published vector, active within the horizon,
/// holds every bundle back from compaction, so the folder keeps the snapshot and all its bundles.
/// A copy made just before the snapshot holds the bundles alone.
final class JoinFolder {
    let history: History
    /// H's store: empty, its vector published in the folder.
    let holdout: String
    /// The folder before the snapshot: A's bundles (and H's vector) only.
    let bundlesOnly: String
    /// The snapshot `gloss sync` wrote (its key in the folder) and its bytes.
    let snapshotKey: String
    let snapshotBytes: Int
    /// The bytes of the history's bundles.
    let historyBundleBytes: Int
    /// The `gloss sync` options that give the policy (none: the default).
    let policyOptions: [String]

    var changes: Int { history.changes }

    init(bench: Bench) async throws {
        history = try History(bench: bench, name: "join")
        policyOptions = bench.sizes.snapshotAfter.map { ["--snapshot-after", String($0)] } ?? []
        holdout = bench.path("join-h.sqlite")
        let h = try Store(path: holdout)
        _ = try await bench.folderSync(h, history.folder)
        try h.close()
        try await history.grow(to: bench.sizes.articles + bench.sizes.w2, progress: bench.progress, label: "W2J")
        bundlesOnly = bench.path("join-folder-bundles")
        try FileManager.default.copyItem(atPath: history.folder, toPath: bundlesOnly)
        historyBundleBytes = try FullSync.bundleBytes(in: bundlesOnly)

        bench.progress.say("W2J: gloss sync on A writes the folder's snapshot")
        let synced = try SyncSummary(try bench.runGloss(["sync", history.folder, "--store", history.library.path, "--json"] + policyOptions).output)
        guard let key = synced.snapshotWritten else { throw BenchError.invalidSetup("gloss sync on A wrote no snapshot into the folder") }
        guard synced.bundlesRemoved == 0 else { throw BenchError.invalidSetup("A removed \(synced.bundlesRemoved) bundles, which H lacks") }
        snapshotKey = key
        snapshotBytes = try Self.bytes(of: history.folder + "/" + key)
    }

    static func bytes(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// The bytes of every file under `folder`.
    static func folderBytes(_ folder: String) throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let file = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + file)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }

    /// The changes a store holds (the sum of its version vector).
    static func changes(in path: String) throws -> Int {
        let store = try Store(path: path)
        defer { try? store.close() }
        return Int(try store.versionVector().entries.values.reduce(0, +))
    }
}

extension Bench {
    /// W2J's folder, made once a run (W2C continues it).
    func joinFolder() async throws -> JoinFolder {
        if let joinFolderCache { return joinFolderCache }
        let made = try await JoinFolder(bench: self)
        joinFolderCache = made
        return made
    }
}

/// What `gloss sync --json` printed.
struct SyncSummary: Decodable {
    var sent: Int
    var received: Int
    var joinedFrom: String?
    var snapshotWritten: String?
    var bundlesRemoved: Int
    var snapshotsRemoved: Int
    var warnings: [String]

    init(_ output: String) throws {
        guard let start = output.firstIndex(of: "{"),
              let summary = try? JSONDecoder().decode(SyncSummary.self, from: Data(output[start...].utf8)) else {
            throw BenchError.invalidSetup("gloss sync --json printed no summary: \(output.prefix(300))")
        }
        self = summary
    }

    /// Whether the sync changed nothing in the store or the folder.
    var quiet: Bool {
        sent == 0 && received == 0 && snapshotWritten == nil && bundlesRemoved == 0 && snapshotsRemoved == 0
    }
}
