import Foundation
import GlossCore
import GlossSync

/// W3: A and B in sync with a history of N changes; A makes one new change; the time to bring
/// it to B, in-process and as `gloss sync` commands. What matters is how little the time grows
/// with N.
enum IncrementalSync {
    /// One size's figures, kept for the ratio rows.
    private struct Timings {
        var size: Int
        var inProcess: Double
        var pull: Double
    }

    static func measure(_ bench: Bench) async throws -> [Figure] {
        let history = try bench.history ?? History(bench: bench)
        bench.history = history
        var rows: [Figure] = []
        var timings: [Timings] = []
        for size in bench.sizes.w3.sorted() {
            let label = "W3 @" + short(size)
            bench.progress.say("\(label): a history of \(Unit.grouped(Double(size))) changes")
            try await history.grow(to: size, progress: bench.progress, label: label)
            let (sizeRows, sizeTimings) = try await measure(bench, history: history, label: label)
            rows += sizeRows
            timings.append(sizeTimings)
        }
        if let small = timings.first, let large = timings.last, timings.count > 1 {
            let atSize = small.size <= 10_000 && large.size >= 1_000_000
            let name = "@" + short(small.size)
            rows.append(Figure(workload: "W3", name: "in-process time @\(short(large.size)) / \(name)",
                            value: large.inProcess / small.inProcess, unit: .times,
                            baseline: Baseline(name: name, value: small.inProcess * 1000, unit: .milliseconds),
                            ratio: large.inProcess / small.inProcess, target: .atMost(1.5), size: large.size, atTargetSize: atSize))
            rows.append(Figure(workload: "W3", name: "gloss sync pull @\(short(large.size)) / \(name)",
                            value: large.pull / small.pull, unit: .times,
                            baseline: Baseline(name: name, value: small.pull * 1000, unit: .milliseconds),
                            ratio: large.pull / small.pull, target: .atMost(1.5), size: large.size, atTargetSize: atSize))
        }
        return rows
    }

    private static func measure(_ bench: Bench, history: History, label: String) async throws -> ([Figure], Timings) {
        let size = history.changes
        let a = history.library
        let bPath = bench.path("w3-b.sqlite")
        let b = try history.replica(at: bPath)
        let repetitions = bench.sizes.repetitions

        // In-process: A pushes its one new change into the folder, B pulls it.
        bench.progress.say("\(label): one change, in-process")
        var inProcess: [Double] = []
        for round in Rounds(repetitions: repetitions) {
            try a.record(a.drafts(1), batch: 1)
            let seconds = try await Stopwatch.time {
                _ = try await bench.folderSync(a.store, history.folder)
                try FullSync.expect(try await bench.folderSync(b, history.folder).received, 1, "B in-process")
            }.seconds
            if round > 0 { inProcess.append(seconds) }  // round 0 warms up
        }
        let commit = Stopwatch.median(try bench.floor.singleRowCommitSeconds(samples: repetitions * 4))

        // Commands: `gloss sync` on A pushes it, `gloss sync` on B pulls it.
        bench.progress.say("\(label): one change, gloss sync")
        var push: [Double] = [], pull: [Double] = [], start: [Double] = []
        for round in Rounds(repetitions: repetitions) {
            try a.record(a.drafts(1), batch: 1)
            let pushed = try bench.runGloss(["sync", history.folder, "--store", a.path, "--json"])
            let pulled = try bench.runGloss(["sync", history.folder, "--store", bPath, "--json"])
            try FullSync.expect(try received(pulled.output), 1, "B's gloss sync")
            let started = try bench.runGloss(["log", "--limit", "1", "--store", bPath])
            if round > 0 {
                push.append(pushed.seconds)
                pull.append(pulled.seconds)
                start.append(started.seconds)
            }
        }
        try b.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: bPath + suffix) }

        let at = "@" + short(size)
        let startBaseline = Baseline(name: "gloss log", value: Stopwatch.median(start) * 1000, unit: .milliseconds)
        let timings = Timings(size: size, inProcess: Stopwatch.median(inProcess), pull: Stopwatch.median(pull))
        let row = { (figure: String, seconds: Double, baseline: Baseline, target: Double) in
            Figure(workload: "W3", name: figure, value: seconds * 1000, unit: .milliseconds, baseline: baseline,
                ratio: seconds * 1000 / baseline.value, target: .atMost(target), size: size, atTargetSize: size >= 10_000)
        }
        return ([
            row("1 change in-process \(at)", timings.inProcess,
                Baseline(name: "SQLite commit", value: commit * 1000, unit: .milliseconds), 20),
            row("gloss sync push \(at)", Stopwatch.median(push), startBaseline, 60),
            row("gloss sync pull \(at)", timings.pull, startBaseline, 60),
        ], timings)
    }

    /// The `received` count of `gloss sync --json`'s summary.
    static func received(_ output: String) throws -> Int {
        struct Summary: Decodable { var received: Int }
        guard let start = output.firstIndex(of: "{"),
              let summary = try? JSONDecoder().decode(Summary.self, from: Data(output[start...].utf8)) else {
            throw BenchError.invalidSetup("gloss sync --json printed no summary: \(output.prefix(300))")
        }
        return summary.received
    }

    /// 10k, 1M: a size as the issue writes it.
    static func short(_ size: Int) -> String {
        if size >= 1_000_000 && size.isMultiple(of: 100_000) { return Unit.decimal(Double(size) / 1e6, digits: size.isMultiple(of: 1_000_000) ? 0 : 1) + "M" }
        if size >= 1_000 && size.isMultiple(of: 100) { return Unit.decimal(Double(size) / 1e3, digits: size.isMultiple(of: 1_000) ? 0 : 1) + "k" }
        return String(size)
    }
}
