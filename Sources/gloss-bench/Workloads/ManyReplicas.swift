import Foundation
import GlossCore
import GlossSync

/// W8: a new replica's first pull of a long history, from a library where 60 other replicas each
/// wrote one change before it, against the same pull from a library without them. Anyone with a
/// token can add a replica with one push, so what a pull costs must follow the changes sent and
/// the replicas, not replicas × history.
enum ManyReplicas {
    static let extraReplicas = 60

    static func measure(_ bench: Bench) async throws -> [Figure] {
        let size = bench.sizes.w8
        let label = "W8 @" + IncrementalSync.short(size)
        bench.progress.say("\(label): a history of \(Unit.grouped(Double(size))) changes, alone")
        let plain = try library(bench, name: "w8-plain", extras: 0, size: size, label: label)
        bench.progress.say("\(label): the same history after \(extraReplicas) one-change replicas")
        let crowded = try library(bench, name: "w8-crowded", extras: extraReplicas, size: size, label: label)

        var alone: [Double] = [], withExtras: [Double] = []
        for round in Rounds(repetitions: min(bench.sizes.repetitions, 3)) {
            bench.progress.say("\(label): fresh pulls, round \(round + 1)")
            let a = try await pull(bench, from: plain, expecting: plain.changes)
            let b = try await pull(bench, from: crowded, expecting: crowded.changes)
            alone.append(a)
            withExtras.append(b)
        }
        let baseline = Stopwatch.median(alone), figure = Stopwatch.median(withExtras)
        let at = "@" + IncrementalSync.short(size), atSize = size >= 300_000
        let alonePull = Baseline(name: "pull without them", value: baseline, unit: .seconds)
        return [
            Figure(workload: "W8", name: "fresh pull, \(extraReplicas) more replicas / none \(at)", value: figure / baseline,
                   unit: .times, baseline: alonePull, ratio: figure / baseline, target: .atMost(1.2), size: size,
                   atTargetSize: atSize),
            Figure(workload: "W8", name: "fresh pull with \(extraReplicas) more replicas \(at)", value: figure, unit: .seconds,
                   baseline: alonePull, ratio: figure / baseline, target: nil, size: size, atTargetSize: atSize),
        ]
    }

    /// A library of `size` highlights (plus its articles) in which `extras` replicas each saved
    /// one article first, so their changes sit at the start of the log, before all of its history.
    private static func library(_ bench: Bench, name: String, extras: Int, size: Int, label: String) throws -> Library {
        let library = try Library(path: bench.path(name + ".sqlite"), corpus: Corpus(seed: bench.seed &+ 8),
                                  articles: bench.sizes.articles)
        var corpus = Corpus(seed: bench.seed &+ 80)
        for index in 0..<extras {
            let path = bench.path("\(name)-extra-\(index).sqlite")
            let extra = try Store(path: path)
            _ = try extra.addArticle(corpus.article())
            try library.store.apply(try extra.changes(since: VersionVector()))
            try extra.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try library.grow(by: size, batch: 10_000, progress: bench.progress, label: label)
        return library
    }

    /// Seconds for a new store to pull everything from `library` in pages of a server's size.
    private static func pull(_ bench: Bench, from library: Library, expecting total: Int) async throws -> Double {
        let path = bench.path("w8-new.sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let fresh = try Store(path: path)
        let (report, seconds) = try await Stopwatch.time {
            try await SyncSession(store: fresh, peer: StoreTransport(library.store, pageSize: 5_000)).run()
        }
        try fresh.close()
        guard report.received >= total else {
            throw BenchError.invalidSetup("the new replica received \(report.received) of \(total) changes")
        }
        return seconds
    }
}
