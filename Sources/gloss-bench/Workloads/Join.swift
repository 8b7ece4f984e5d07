import Foundation
import GlossCore

/// W2J: an empty replica joins a folder whose history holds `sizes.w2` highlights (and the
/// articles), end to end through the CLI: `gloss sync DIR --store NEW`, then `gloss list` and
/// `gloss search WORD` on it, each a child process; the time is their three wall times together,
/// until the new replica can list and search. From the folder holding a snapshot and every bundle
/// (``JoinFolder``), against the same join from the bundles alone (every change replayed, what
/// W2 measured before snapshots), and against Yrs and Loro taking the same records
/// (``CRDTJoin``).
enum Join {
    struct Timing {
        var sync = 0.0, list = 0.0, search = 0.0
        var total: Double { sync + list + search }
    }

    static func measure(_ bench: Bench) async throws -> [Figure] {
        let folder = try await bench.joinFolder()
        let changes = folder.changes
        let size = Unit.grouped(Double(changes))
        let atSize = changes >= 100_000
        let word = Corpus(seed: bench.seed &+ 3).vocabulary[20]

        bench.progress.say("W2J: an empty replica joins from the snapshot (\(size) changes)")
        var timings: [Timing] = []
        for round in Rounds(repetitions: bench.sizes.repetitions) {
            let timing = try join(bench, folder: folder.history.folder, store: bench.path("w2j-new.sqlite"), word: word,
                                  options: folder.policyOptions, expectSnapshot: folder.snapshotKey, changes: changes)
            if round > 0 { timings.append(timing) }
        }
        let snapshot = Timing(sync: Stopwatch.median(timings.map(\.sync)), list: Stopwatch.median(timings.map(\.list)),
                              search: Stopwatch.median(timings.map(\.search)))
        let joined = Stopwatch.median(timings.map(\.total))

        bench.progress.say("W2J: an empty replica joins from the bundles alone (\(size) changes replayed)")
        // No snapshot is written afterwards: the baseline is the replay alone.
        let replay = try join(bench, folder: folder.bundlesOnly, store: bench.path("w2j-replay.sqlite"), word: word,
                              options: ["--snapshot-after", "1000000000"], expectSnapshot: nil, changes: changes)

        // Over HTTP: the same history's replica served by the real router (`gloss serve`'s), an
        // empty replica joining from the snapshot the server makes and hands out. The warm-up
        // round makes the server's snapshot; the rounds after it reuse it, as later joiners do.
        bench.progress.say("W2J: an empty replica joins from gloss serve's snapshot over HTTP (\(size) changes)")
        let source = folder.history.library.store
        let token = try source.createToken(name: "gloss-bench w2j").token
        let server = try await LoopbackServer.start(store: source)
        var httpTimings: [Timing] = []
        do {
            for round in Rounds(repetitions: bench.sizes.repetitions) {
                let timing = try join(bench, folder: server.url, store: bench.path("w2j-http.sqlite"), word: word,
                                      options: ["--token", token], expectSnapshot: server.url + "/v1/snapshot", changes: changes)
                if round > 0 { httpTimings.append(timing) }
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let overHTTP = Stopwatch.median(httpTimings.map(\.total))

        bench.progress.say("W2J: Yrs and Loro take the same records")
        let crdt = try CRDTJoin.measure(store: folder.history.library.store, scratch: bench.scratch,
                                        repetitions: max(1, min(3, bench.sizes.repetitions)), batch: 1_000, progress: bench.progress)

        let row = { (name: String, value: Double, baseline: Baseline?, target: Target?) in
            Figure(workload: "W2J", name: name, value: value, unit: .seconds, baseline: baseline,
                   ratio: baseline.map { value / $0.value }, target: target, size: changes, atTargetSize: atSize)
        }
        let seconds = { (name: String, value: Double) in Baseline(name: name, value: value, unit: .seconds) }
        return [
            row("join \(size) from snapshot: sync+list+search", joined, seconds("bundles only", replay.total), .atMost(1.0)),
            row("  of which gloss sync", snapshot.sync, seconds("bundles only", replay.sync), nil),
            row("join \(size) over HTTP from gloss serve's snapshot", overHTTP, seconds("from the folder's snapshot", joined), .atMost(1.0)),
            row("join from snapshot vs Yrs", joined, seconds("Yrs update+read \(crdt.yrs.version)", crdt.yrs.importAndReadSeconds), .atMost(1.0, ratio: 1.0)),
            row("join from snapshot vs Loro", joined, seconds("Loro snapshot+read \(crdt.loro.version)", crdt.loro.importAndReadSeconds), .atMost(1.0, ratio: 1.0)),
            row("Yrs apply full update (no read)", crdt.yrs.importSeconds, nil, nil),
            row("Loro import snapshot (lazy, no read)", crdt.loro.importSeconds, nil, nil),
            row("Yrs replay \(crdt.yrs.replayUpdates) updates", crdt.yrs.replaySeconds, nil, nil),
            row("Loro replay \(crdt.loro.replayUpdates) updates", crdt.loro.replaySeconds, nil, nil),
        ]
    }

    /// Joins a new store at `store` to `folder` with `gloss sync`, then lists and searches it,
    /// checking the join took every change (from the snapshot `expectSnapshot`, or from the
    /// bundles when it is nil).
    static func join(_ bench: Bench, folder: String, store: String, word: String, options: [String],
                     expectSnapshot: String?, changes: Int) throws -> Timing {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        var timing = Timing()
        let synced = try bench.runGloss(["sync", folder, "--store", store, "--json"] + options)
        timing.sync = synced.seconds
        let listed = try bench.runGloss(["list", "--store", store])
        timing.list = listed.seconds
        let searched = try bench.runGloss(["search", word, "--store", store])
        timing.search = searched.seconds

        let summary = try SyncSummary(synced.output)
        guard summary.joinedFrom == expectSnapshot else {
            throw BenchError.invalidSetup("the new replica joined from \(summary.joinedFrom ?? "no snapshot"), not \(expectSnapshot ?? "the bundles")")
        }
        guard summary.warnings.isEmpty else { throw BenchError.invalidSetup("the join warned: \(summary.warnings.joined(separator: "; "))") }
        let held = try JoinFolder.changes(in: store)
        guard held == changes else { throw BenchError.invalidSetup("the new replica holds \(held) changes, not \(changes)") }
        let lines = listed.output.split(separator: "\n").count
        guard lines >= bench.sizes.articles else { throw BenchError.invalidSetup("gloss list showed \(lines) lines for \(bench.sizes.articles) articles") }
        guard searched.output.contains(where: \.isLetter), !searched.output.lowercased().hasPrefix("no ") else {
            throw BenchError.invalidSetup("gloss search \(word) found nothing: \(searched.output.prefix(200))")
        }
        return timing
    }
}
