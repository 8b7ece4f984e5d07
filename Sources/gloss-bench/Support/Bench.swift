import Foundation
import GlossCore
import GlossSync
import Logging

/// What every workload shares: the sizes, a scratch directory, the seed, the floor, and the stores
/// one workload builds and the next reuses.
final class Bench {
    let sizes: Sizes
    let seed: UInt64
    let scratch: URL
    let progress: Progress
    let floor: SQLiteFloor
    let syncLogger: Logger
    private let glossOption: String?

    /// W1's store, kept for W2 when the sizes agree.
    var library: Library?
    /// W3's growing history, kept for W7.
    var history: History?
    /// W2J's folder, kept for W2C.
    var joinFolderCache: JoinFolder?
    /// Lines a workload adds under the table: what it measured beside its figures.
    var notes: [String] = []
    private var floorSeconds: [Int: Double] = [:]

    init(sizes: Sizes, seed: UInt64, scratch: URL, progress: Progress, gloss: String?) {
        self.sizes = sizes
        self.seed = seed
        self.scratch = scratch
        self.progress = progress
        floor = SQLiteFloor(directory: scratch)
        var logger = Logger(label: "gloss-bench.sync")
        logger.logLevel = .error
        syncLogger = logger
        glossOption = gloss
    }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// The SQLite floor for `rows` highlights: the median of three runs, remembered by row count.
    func floorSeconds(rows: Int, drafts: () -> [AnnotationDraft]) throws -> Double {
        if let known = floorSeconds[rows] { return known }
        let rows = drafts()
        let seconds = Stopwatch.median(try (0..<3).map { _ in try floor.insertSeconds(rows) })
        floorSeconds[rows.count] = seconds
        return seconds
    }

    /// A store with `sizes.articles` articles and `highlights` highlights: W1's when it has that
    /// many, else a new one.
    func library(highlights: Int, label: String) throws -> Library {
        if let library, library.changes == sizes.articles + highlights { return library }
        progress.say("\(label): building a store of \(Unit.grouped(Double(highlights))) highlights")
        let library = try Library(path: path("\(label.lowercased())-a.sqlite"), corpus: Corpus(seed: seed), articles: sizes.articles)
        try library.grow(by: highlights, batch: 10_000, progress: progress, label: label)
        return library
    }

    /// A sync through `folder` with the folder transport, as `gloss sync DIR` runs it.
    func folderSync(_ store: Store, _ folder: String, policy: FolderPolicy = .standard) async throws -> SyncReport {
        try await SyncSession.sync(store, with: .folder(path: folder), policy: policy, logger: syncLogger).report
    }

    /// The `gloss` executable the command workloads run: `--gloss`, else the one built beside this one.
    func gloss() throws -> String {
        if let glossOption { return glossOption }
        let beside = URL(fileURLWithPath: try ChildProcess.ownExecutable()).deletingLastPathComponent().appendingPathComponent("gloss").path
        guard FileManager.default.isExecutableFile(atPath: beside) else {
            throw BenchError(description: "no gloss executable beside gloss-bench (\(beside)): build it with 'swift build --product gloss' in the same configuration (-c release), or pass --gloss PATH")
        }
        return beside
    }

    /// Runs `gloss` with `arguments`, timing it.
    func runGloss(_ arguments: [String]) throws -> ChildProcess.Outcome {
        try ChildProcess.run(try gloss(), arguments)
    }

    /// Runs `gloss` with `arguments`, reading its own peak memory (through a small spawner).
    func runGlossMeasuringMemory(_ arguments: [String]) throws -> ChildProcess.Outcome {
        try ChildProcess.measuringMemory(try gloss(), arguments)
    }
}

/// How big each workload is: the sizes, `--quick`'s tiny ones, or what the options say.
struct Sizes {
    var w1: Int
    var batch: Int
    var articles: Int
    var w2: Int
    var w3: [Int]
    var w5: Int
    var w7: Int
    /// W8: the history a new replica pulls, with and without 60 more replicas.
    var w8: Int
    /// Repetitions of the small timings (each after a warm-up).
    var repetitions: Int
    /// W2J and W2C: `gloss sync --snapshot-after` (nil: the default policy, 10,000).
    var snapshotAfter: Int?
    /// W2C: the recent changes made after the history, spread over the replicas.
    var recent: Int
    /// W10: the articles in the library, the long article's bytes and highlights, and the
    /// requests of each kind timed (each after a warm-up).
    var w10: Int
    var w10Bytes: Int
    var w10Highlights: Int
    var w10Requests: Int
    /// W11: the changes pushed through the relay and pulled back, and the clients syncing at
    /// once, each making `w11Rounds` syncs.
    var w11: Int
    var w11Clients: Int
    var w11Rounds: Int
    /// W11: the clients that share one library (its devices).
    var w11LibraryClients: Int
    /// W11: seconds from one of a client's syncs to its next in the paced run (the clients start
    /// spread over the first interval), as devices syncing on a timer do; a second run has every
    /// client sync back to back, which measures what one relay process sustains.
    var w11Interval: Double

    static let full = Sizes(w1: 100_000, batch: 1_000, articles: 300, w2: 100_000, w3: [10_000, 100_000, 1_000_000],
                            w5: 10_000, w7: 1_000_000, w8: 300_000, repetitions: 5, snapshotAfter: nil, recent: 1_000,
                            w10: 10_000, w10Bytes: 50_000, w10Highlights: 500, w10Requests: 200,
                            w11: 100_000, w11Clients: 50, w11Rounds: 20, w11LibraryClients: 5, w11Interval: 1)
    /// Small enough for a debug build in CI: seconds, not a measurement.
    static let quick = Sizes(w1: 200, batch: 100, articles: 10, w2: 200, w3: [100, 300],
                             w5: 50, w7: 300, w8: 300, repetitions: 1, snapshotAfter: 100, recent: 30,
                             w10: 50, w10Bytes: 10_000, w10Highlights: 50, w10Requests: 10,
                             w11: 300, w11Clients: 4, w11Rounds: 2, w11LibraryClients: 2, w11Interval: 0.05)
}
