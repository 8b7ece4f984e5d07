import Foundation
import GlossCore

/// W7: the peak memory of a full sync of a long history by the `gloss sync` command: A writes
/// all of it into an empty folder (and, past the default policy's 10,000 changes, a snapshot,
/// after which it removes its bundles: no other replica is there), a new replica B reads all of
/// it (joining from that snapshot, when there is one).
enum SyncMemory {
    static func measure(_ bench: Bench) async throws -> [Figure] {
        let size = bench.sizes.w7
        let label = "W7 @" + IncrementalSync.short(size)
        // W3's history when it ran: it only grows, so W7 continues it.
        let history = try bench.history ?? History(bench: bench)
        bench.history = history
        try await history.grow(to: size, progress: bench.progress, label: label)
        let changes = history.changes
        let folder = bench.path("w7-folder"), bPath = bench.path("w7-b.sqlite")

        bench.progress.say("\(label): gloss sync pushes \(Unit.grouped(Double(changes))) changes into an empty folder")
        let push = try bench.runGlossMeasuringMemory(["sync", folder, "--store", history.library.path, "--json"])
        bench.progress.say("\(label): gloss sync pulls them into a new replica")
        let pull = try bench.runGlossMeasuringMemory(["sync", folder, "--store", bPath, "--json"])
        // A pushing at least `snapshotAfter` changes writes a snapshot, and B joins from it: B
        // then receives no change from the bundles, and holds all of them.
        let pulled = try SyncSummary(pull.output)
        if pulled.joinedFrom == nil {
            try FullSync.expect(pulled.received, changes, "B's full gloss sync")
        } else {
            try FullSync.expect(try JoinFolder.changes(in: bPath), changes, "B's join from the snapshot")
        }
        let start = try bench.runGlossMeasuringMemory(["log", "--limit", "1", "--store", bPath])

        let megabytes = { (bytes: Int) in Double(bytes) / 1e6 }
        let atSize = changes >= 1_000_000
        // Named by the size asked for, unless the history continued from W3 is much larger.
        let at = "@" + IncrementalSync.short(abs(changes - size) * 100 <= size ? size : changes)
        let memory = Baseline(name: "gloss log", value: megabytes(start.peakMemory), unit: .megabytes)
        let memoryRow = { (figure: String, outcome: ChildProcess.Outcome) in
            Figure(workload: "W7", name: figure, value: megabytes(outcome.peakMemory), unit: .megabytes, baseline: memory,
                ratio: Double(outcome.peakMemory) / Double(start.peakMemory), target: .atMost(300), size: changes, atTargetSize: atSize)
        }
        let timeRow = { (figure: String, outcome: ChildProcess.Outcome) in
            Figure(workload: "W7", name: figure, value: outcome.seconds, unit: .seconds, baseline: nil, ratio: nil,
                target: nil, size: changes, atTargetSize: atSize)
        }
        return [
            memoryRow("peak RSS, gloss sync push \(at)", push),
            memoryRow("peak RSS, gloss sync pull \(at)" + (pulled.joinedFrom == nil ? "" : " (snapshot)"), pull),
            timeRow("wall, gloss sync push \(at)", push),
            timeRow("wall, gloss sync pull \(at)" + (pulled.joinedFrom == nil ? "" : " (snapshot)"), pull),
        ]
    }
}
