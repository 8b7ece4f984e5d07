import GlossCore
import GRDB

/// W1: highlights recorded through the library, each its own change, against the schema floor
/// (the same rows written into a store's own tables by plain SQL, `SchemaFloor`), as issue 17
/// sets it, and against the same rows inserted into one plain SQLite table.
enum LocalWrites {
    static func measure(_ bench: Bench) throws -> [Figure] {
        let count = bench.sizes.w1, batch = bench.sizes.batch
        // Three rounds, each W1 into a new store and then the schema floor, each figure the
        // median of its three: a single 100,000-highlight run of either moved by a third
        // between runs on this machine (its disk's checkpoints).
        var recorded: [Double] = []
        var floors: [Double] = []
        var drafts: [AnnotationDraft] = []
        var plain = 0.0
        for round in 1...3 {
            bench.progress.say("W1, round \(round) of 3: a store with \(bench.sizes.articles) articles")
            let library = try Library(path: bench.path("w1-a-\(round).sqlite"), corpus: Corpus(seed: bench.seed), articles: bench.sizes.articles)
            drafts = library.drafts(count)
            if round == 1 {
                bench.progress.say("W1: the plain SQLite floor, \(Unit.grouped(Double(count))) rows")
                plain = try bench.floorSeconds(rows: count) { drafts }
            }
            bench.progress.say("W1, round \(round) of 3: recording \(Unit.grouped(Double(count))) highlights, \(Unit.grouped(Double(batch))) a call")
            recorded.append(try library.record(drafts, batch: batch))
            // The floor logs ops of the sizes the store logged for these very highlights.
            let opsBytes = try DatabaseQueue(path: library.path).read { db in
                try Int.fetchAll(db, sql: "SELECT length(ops) FROM change WHERE entity_type = 'annotation' ORDER BY seq")
            }
            guard opsBytes.count == count else { throw BenchError.invalidSetup("W1 logged \(opsBytes.count) highlights of \(count)") }
            bench.progress.say("W1, round \(round) of 3: the schema floor, the same highlights' rows")
            floors.append(try SchemaFloor(directory: bench.scratch).recordSeconds(drafts, opsBytes: opsBytes, batch: batch) { path in
                _ = try Library(path: path, corpus: Corpus(seed: bench.seed), articles: bench.sizes.articles)
            })
            if round == 3 {
                bench.library = library  // W2 and the imports start from it
            } else {
                library.remove()
            }
        }

        let rate = Double(count) / Stopwatch.median(recorded), floorRate = Double(count) / Stopwatch.median(floors)
        let plainRate = Double(count) / plain
        let name = "record() \(Unit.grouped(Double(count))) highlights, \(Unit.grouped(Double(batch)))/call"
        bench.notes.append("W1: record() \(recorded.map { Unit.grouped(Double(count) / $0) + "/s" }.joined(separator: ", ")); "
            + "schema floor \(floors.map { Unit.grouped(Double(count) / $0) + "/s" }.joined(separator: ", ")) (three rounds, in order)")
        return [
            Figure(workload: "W1", name: name, value: rate, unit: .perSecond,
                   baseline: Baseline(name: "schema floor, same rows", value: floorRate, unit: .perSecond),
                   ratio: floorRate / rate, target: .atLeast(25_000, ratio: 1.5),
                   size: count, atTargetSize: count >= 100_000),
            Figure(workload: "W1", name: "  against one plain table", value: rate, unit: .perSecond,
                   baseline: Baseline(name: "plain SQLite insert", value: plainRate, unit: .perSecond),
                   ratio: plainRate / rate, target: nil, size: count, atTargetSize: count >= 100_000),
        ]
    }
}
