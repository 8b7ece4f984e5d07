import GlossCore

/// W5 and W6: search latency over many articles, and `gloss list`'s wall time over the same store.
enum Search {
    /// A query as a person types it, and the same words as an FTS5 match for the floor.
    private struct Query {
        var text: String
        var match: String
    }

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
        let word = { (rank: Int) in Query(text: v[rank], match: "\"\(v[rank])\"") }
        let pair = { (first: Int, second: Int) in
            Query(text: "\(v[first]) \(v[second])", match: "\"\(v[first])\" \"\(v[second])\"")
        }
        let queries = [
            word(50), word(200), word(500), word(1_000), word(3_000), word(8_000),
            pair(100, 400), pair(30, 2_000),
            Query(text: String(v[150].prefix(4)) + "*", match: "\"\(v[150].prefix(4))\"*"),
            Query(text: "\(v[300]) in:titles", match: "{title} : (\"\(v[300])\")"),
            word(3),
        ]
        bench.progress.say("W5: \(queries.count) queries × \(bench.sizes.repetitions * 4) over \(Unit.grouped(Double(count))) articles")
        var samples: [Double] = [], floorSamples: [Double] = []
        for round in Rounds(repetitions: bench.sizes.repetitions * 4) {
            for query in queries {
                let (hits, seconds) = try Stopwatch.time { try store.search(query.text).count }
                let (floorHits, floorSeconds) = try Stopwatch.time { try floor.search(query.match) }
                guard hits == floorHits else {
                    throw BenchError.invalidSetup("'\(query.text)' found \(hits) in the store but \(floorHits) in the floor")
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
