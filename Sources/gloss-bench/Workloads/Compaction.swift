import Foundation
import GlossCore
import GlossSync

/// W2C: the bytes of a shared folder once compaction has settled. W2J's folder (a history of
/// `sizes.w2` highlights and the articles, its snapshot and every bundle) is synced with
/// `gloss sync` by three replicas: A, which wrote it; H, empty until now; and a new C. H and C
/// join from the snapshot and A's bundles become removable. Then `sizes.recent` more changes are
/// made, spread over the three, and each replica runs `gloss sync` in turn, round after round,
/// until a whole round changes nothing. The folder's bytes are compared with one snapshot (the
/// folder's newest) plus the bundles of the recent changes, and with the bundles a folder kept
/// before compaction (the history's and the recent ones). Last, a new replica joins the
/// compacted folder (W2J's three commands, once).
enum Compaction {
    static func measure(_ bench: Bench) async throws -> [Figure] {
        let join = try await bench.joinFolder()
        let folder = join.history.folder
        let a = join.history.library
        // The history's changes (A's library counts the recent ones it records too).
        let base = join.changes
        let replicas = [a.path, join.holdout, bench.path("w2c-c.sqlite")]
        let sync = { (path: String) in
            try SyncSummary(try bench.runGloss(["sync", folder, "--store", path, "--json"] + join.policyOptions).output)
        }
        let settle = { (label: String) throws -> Int in
            for round in 1...6 {
                bench.progress.say("W2C: \(label), round \(round) of gloss sync on the three replicas")
                var quiet = true
                for path in replicas {
                    let summary = try sync(path)
                    guard summary.warnings.isEmpty else { throw BenchError.invalidSetup("gloss sync warned: \(summary.warnings.joined(separator: "; "))") }
                    quiet = quiet && summary.quiet
                }
                if quiet { return round }
            }
            throw BenchError.invalidSetup("compaction did not settle in six rounds of syncs")
        }
        let withHistory = try JoinFolder.folderBytes(folder)
        let historyRounds = try settle("the history")
        let before = Set(try bundles(in: folder).keys)

        // The recent changes, spread over the three replicas, and pushed by one sync each.
        bench.progress.say("W2C: \(bench.sizes.recent) recent changes on the three replicas")
        let share = bench.sizes.recent / replicas.count
        for (index, path) in replicas.enumerated() {
            let count = index == 0 ? bench.sizes.recent - share * (replicas.count - 1) : share
            let drafts = a.drafts(count)
            if index == 0 {
                try a.record(drafts, batch: 100)
            } else {
                let store = try Store(path: path)
                _ = try store.record(drafts)
                try store.close()
            }
            _ = try sync(path)
        }
        let recent = try bundles(in: folder).filter { !before.contains($0.key) }
        guard !recent.isEmpty else { throw BenchError.invalidSetup("the recent changes wrote no bundles") }
        let recentBytes = recent.values.reduce(0, +)
        let recentRounds = try settle("the recent changes")

        let after = try JoinFolder.folderBytes(folder)
        let snapshots = try files(in: folder, ext: SnapshotFile.fileExtension)
        guard let newest = snapshots.max(by: { $0.key < $1.key }) else { throw BenchError.invalidSetup("no snapshot is left in the folder") }
        let ideal = newest.value + recentBytes
        let uncompacted = join.historyBundleBytes + recentBytes
        let leftover = try bundles(in: folder).count - recent.count
        guard leftover == 0 else { throw BenchError.invalidSetup("\(leftover) history bundles are left after compaction settled") }
        for path in replicas {
            let held = try JoinFolder.changes(in: path)
            guard held == base + bench.sizes.recent else { throw BenchError.invalidSetup("replica \(path) holds \(held) changes, not \(base + bench.sizes.recent)") }
        }

        // A new replica joining the compacted folder: the snapshot, then the recent bundles.
        bench.progress.say("W2C: a new replica joins the compacted folder")
        let joined = try Join.join(bench, folder: folder, store: bench.path("w2c-new.sqlite"), word: Corpus(seed: bench.seed &+ 3).vocabulary[20],
                                   options: join.policyOptions, expectSnapshot: newest.key, changes: base + bench.sizes.recent)

        let megabytes = { (bytes: Int) in Double(bytes) / 1e6 }
        let size = base + bench.sizes.recent
        let atSize = base >= 100_000 && bench.sizes.recent >= 1_000
        let history = IncrementalSync.short(base) + "+" + IncrementalSync.short(bench.sizes.recent)
        bench.progress.say("W2C: settled after \(historyRounds) and \(recentRounds) rounds; \(snapshots.count) snapshot(s), \(recent.count) recent bundle(s)")
        return [
            Figure(workload: "W2C", name: "folder \(history) compacted / (snapshot + recent)", value: Double(after) / Double(ideal), unit: .times,
                   baseline: Baseline(name: "snapshot + recent bundles", value: megabytes(ideal), unit: .megabytes),
                   ratio: Double(after) / Double(ideal), target: .atMost(1.3), size: size, atTargetSize: atSize),
            Figure(workload: "W2C", name: "folder bytes after compaction", value: megabytes(after), unit: .megabytes,
                   baseline: Baseline(name: "bundles, uncompacted", value: megabytes(uncompacted), unit: .megabytes),
                   ratio: Double(after) / Double(uncompacted), target: nil, size: size, atTargetSize: atSize),
            Figure(workload: "W2C", name: "folder bytes before compaction", value: megabytes(withHistory + recentBytes), unit: .megabytes,
                   baseline: Baseline(name: "bundles, uncompacted", value: megabytes(uncompacted), unit: .megabytes),
                   ratio: Double(withHistory + recentBytes) / Double(uncompacted), target: nil, size: size, atTargetSize: atSize),
            Figure(workload: "W2C", name: "join the compacted folder: sync+list+search", value: joined.total, unit: .seconds,
                   baseline: nil, ratio: nil, target: nil, size: size, atTargetSize: atSize),
            Figure(workload: "W2C", name: "snapshot of \(IncrementalSync.short(base)) changes", value: megabytes(join.snapshotBytes), unit: .megabytes,
                   baseline: Baseline(name: "its bundles", value: megabytes(join.historyBundleBytes), unit: .megabytes),
                   ratio: Double(join.snapshotBytes) / Double(join.historyBundleBytes), target: nil, size: base, atTargetSize: atSize),
        ]
    }

    /// Bundle files under `folder`, by their path in it, with their bytes.
    static func bundles(in folder: String) throws -> [String: Int] {
        try files(in: folder, ext: FolderTransport.fileExtension)
    }

    static func files(in folder: String, ext: String) throws -> [String: Int] {
        var found: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let file = enumerator?.nextObject() as? String {
            guard file.hasSuffix("." + ext), !(file as NSString).lastPathComponent.hasPrefix(".") else { continue }
            found[file] = try JoinFolder.bytes(of: folder + "/" + file)
        }
        return found
    }
}
