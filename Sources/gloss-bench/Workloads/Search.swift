import GlossCore
import GlossExtraction

/// W5 and W6: search latency over many articles, and `gloss list`'s wall time over the same store.
enum Search {
    static func measure(_ bench: Bench) throws -> [Figure] {
        let count = bench.sizes.w5
        var corpus = Corpus(seed: bench.seed &+ 5)
        let path = bench.path("w5.sqlite")
        let store = try Store(path: path)
        var documents: [(title: String, text: String)] = []
        for index in 0..<count {
            let article = corpus.article(paragraphs: 5)
            _ = try store.addArticle(article)
            documents.append((article.title ?? "", article.text))
            if index.isMultiple(of: 100) { bench.progress.update("W5: \(Unit.grouped(Double(index))) of \(Unit.grouped(Double(count))) articles") }
        }
        bench.progress.done()
        let floor = try SearchFloor(path: bench.path("w5-floor.sqlite"), documents: documents)
        defer { try? floor.close() }

        // What a person looks for: content words from common to rare, pairs, a prefix, a title
        // filter; and one word in nearly every article, the worst case, which the p99 shows.
        let v = corpus.vocabulary
        let queries = [
            v[50], v[200], v[500], v[1_000], v[3_000], v[8_000],
            "\(v[100]) \(v[400])", "\(v[30]) \(v[2_000])",
            v[150].prefix(4) + "*", "\(v[300]) in:titles",
            v[3],
        ]
        bench.progress.say("W5: \(queries.count) queries × \(bench.sizes.repetitions * 4) over \(Unit.grouped(Double(count))) articles")
        var samples: [Double] = [], floorSamples: [Double] = []
        for round in Rounds(repetitions: bench.sizes.repetitions * 4) {
            for query in queries {
                // The floor runs the match the store runs, on the same texts: the same ranks
                // come back (the order of equal ranks may differ; the ranks cannot).
                guard let match = Store.ftsMatch(query) else { throw BenchError.invalidSetup("'\(query)' has no words") }
                let (hits, seconds) = try Stopwatch.time { try store.search(query).map(\.rank) }
                let (floorHits, floorSeconds) = try Stopwatch.time { try floor.search(match) }
                guard hits.count == floorHits.count, zip(hits, floorHits).allSatisfy({ abs($0 - $1) <= 1e-9 * max(1, abs($1)) }) else {
                    throw BenchError.invalidSetup("'\(query)' ranked \(hits.count) results differently in the store and in the floor")
                }
                if round > 0 {  // round 0 warms the caches
                    samples.append(seconds * 1000)
                    floorSamples.append(floorSeconds * 1000)
                }
            }
        }

        bench.progress.say("W6: gloss list over \(Unit.grouped(Double(count))) articles")
        var list: [Double] = [], start: [Double] = []
        for round in Rounds(repetitions: bench.sizes.repetitions) {
            let listed = try bench.runGloss(["list", "--store", path])
            let started = try bench.runGloss(["log", "--limit", "1", "--store", path])
            if round > 0 {
                list.append(listed.seconds * 1000)
                start.append(started.seconds * 1000)
            }
        }
        try store.close()

        let atSize = count >= 10_000
        let p50 = Stopwatch.percentile(50, of: samples), p99 = Stopwatch.percentile(99, of: samples)
        let floorP50 = Stopwatch.percentile(50, of: floorSamples), floorP99 = Stopwatch.percentile(99, of: floorSamples)
        let listMedian = Stopwatch.median(list), startMedian = Stopwatch.median(start)
        let articles = Unit.grouped(Double(count))
        return [
            Figure(workload: "W5", name: "search p50, \(articles) articles", value: p50, unit: .milliseconds,
                baseline: Baseline(name: "plain FTS5", value: floorP50, unit: .milliseconds), ratio: p50 / floorP50,
                target: .atMost(5), size: count, atTargetSize: atSize),
            Figure(workload: "W5", name: "search p99, \(articles) articles", value: p99, unit: .milliseconds,
                baseline: Baseline(name: "plain FTS5", value: floorP99, unit: .milliseconds), ratio: p99 / floorP99,
                target: nil, size: count, atTargetSize: atSize),
            Figure(workload: "W6", name: "gloss list, \(articles) articles", value: listMedian, unit: .milliseconds,
                baseline: Baseline(name: "gloss log", value: startMedian, unit: .milliseconds), ratio: listMedian / startMedian,
                target: .atMost(50), size: count, atTargetSize: atSize),
        ]
    }
}
