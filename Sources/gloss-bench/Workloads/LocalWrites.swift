/// W1: highlights recorded through the library, each its own change, against the same rows
/// inserted into a plain SQLite table.
enum LocalWrites {
    static func measure(_ bench: Bench) throws -> [Figure] {
        let count = bench.sizes.w1, batch = bench.sizes.batch
        bench.progress.say("W1: a store with \(bench.sizes.articles) articles")
        let library = try Library(path: bench.path("w1-a.sqlite"), corpus: Corpus(seed: bench.seed), articles: bench.sizes.articles)
        let drafts = library.drafts(count)
        bench.progress.say("W1: the plain SQLite floor, \(Unit.grouped(Double(count))) rows")
        let floor = try bench.floorSeconds(rows: count) { drafts }
        bench.progress.say("W1: recording \(Unit.grouped(Double(count))) highlights, \(Unit.grouped(Double(batch))) a call")
        let seconds = try library.record(drafts, batch: batch)
        bench.library = library

        let rate = Double(count) / seconds, floorRate = Double(count) / floor
        return [Figure(workload: "W1", name: "record() \(Unit.grouped(Double(count))) highlights, \(Unit.grouped(Double(batch)))/call",
                    value: rate, unit: .perSecond,
                    baseline: Baseline(name: "plain SQLite insert", value: floorRate, unit: .perSecond),
                    ratio: floorRate / rate, target: .atLeast(100_000, ratio: 3),
                    size: count, atTargetSize: count >= 100_000)]
    }
}
