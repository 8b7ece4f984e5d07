import AsyncHTTPClient
import Foundation
import GlossCore
import NIOCore
import NIOHTTP1

/// W10: the reader's server times (issue 16). The real router (`buildRouter`, what `gloss serve`
/// runs) on a real loopback server in this process, sent one request at a time over HTTP with a
/// bearer token; each request is timed in the server, from the router receiving it (its head
/// read) to its response built, not yet written: middleware, token check, routing, store work and
/// JSON. Three requests, p50 and p95 over `sizes.w10Requests` of each after a warm-up:
///
/// 1. the library page, `GET /api/v1/articles?limit=50`, over `sizes.w10` articles;
/// 2. the reader page, `GET /api/v1/articles/ID` of one long article (`sizes.w10Bytes` of text)
///    carrying `sizes.w10Highlights` highlights;
/// 3. the highlight round trip, `POST /api/v1/annotations` of a passage of that article, a
///    different passage each time.
///
/// Each beside what the CLI does for the same data, in this process and interleaved with it:
/// `Store.articles(tag:each:)` stopped after 50 plus their short ids (`gloss list` reads every
/// article and has no limit, so the whole command would not be the same data); `Store.article`
/// plus `Store.annotations(articleID:)` (what `gloss show` reads); `Store.highlight(articleID:
/// quote:occurrence:)` of the same passage (what `gloss highlight` does).
enum ReaderServer {
    static func measure(_ bench: Bench) async throws -> [Figure] {
        let sizes = bench.sizes
        let count = sizes.w10, requests = sizes.w10Requests
        bench.progress.say("W10: a library of \(Unit.grouped(Double(count))) articles")
        let library = try Library(path: bench.path("w10.sqlite"), corpus: Corpus(seed: bench.seed &+ 10), articles: 0)
        var corpus = Corpus(seed: bench.seed &+ 100)
        for index in 0..<count {
            try library.add(corpus.article())
            if index.isMultiple(of: 100) { bench.progress.update("W10: \(Unit.grouped(Double(index))) of \(Unit.grouped(Double(count))) articles") }
        }
        bench.progress.done()
        let long = try library.add(corpus.article(bytes: sizes.w10Bytes))
        try library.record(library.drafts(sizes.w10Highlights, of: long), batch: sizes.w10Highlights)
        let store = library.store
        let token = try store.createToken(name: "gloss-bench").token

        // The passages highlighted in (3), chosen now: the server gets their position, the CLI's
        // path their quote and which of its occurrences.
        let passages = try library.drafts(requests + 1, of: long).map { draft -> (range: Range<Int>, quote: String, occurrence: Int) in
            guard let anchor = draft.anchor,
                  let index = long.locator.occurrences(of: anchor.exact).firstIndex(where: { $0.lowerBound == anchor.start }) else {
                throw BenchError.invalidSetup("a generated passage cannot be found again by its quote")
            }
            return (anchor.start..<anchor.end, anchor.exact, index + 1)
        }

        let server = try await LoopbackServer.start(store: store)
        let client = Client(base: server.url + "/api/v1", token: token, times: server.times)

        bench.progress.say("W10: library page, \(requests) requests")
        var library50: [Double] = [], list50: [Double] = []
        for round in Rounds(repetitions: requests, budget: 120) {
            let (body, ms) = try await client.send(.GET, "/articles?limit=50", expect: 200)
            let seconds = try Stopwatch.time { () throws -> Int in
                var page: [ArticleSummary] = []
                do {
                    try store.articles { summary in
                        page.append(summary)
                        if page.count == 50 { throw Enough() }
                    }
                } catch is Enough {}
                _ = try store.shortIDs(page.map(\.id))
                return page.count
            }
            if round == 0 {
                try expect(try listLength("articles", in: body), min(50, count + 1), "the library page's articles")
                try expect(seconds.value, min(50, count + 1), "the articles the CLI's path read")
            } else {
                library50.append(ms)
                list50.append(seconds.seconds * 1000)
            }
        }

        bench.progress.say("W10: reader page, \(requests) requests")
        var reader: [Double] = [], show: [Double] = []
        for round in Rounds(repetitions: requests, budget: 120) {
            let (body, ms) = try await client.send(.GET, "/articles/" + long.id, expect: 200)
            let seconds = try Stopwatch.time {
                _ = try store.article(long.id)
                return try store.annotations(articleID: long.id).count
            }
            if round == 0 {
                try expect(try listLength("annotations", in: body), sizes.w10Highlights, "the reader page's highlights")
                try expect(seconds.value, sizes.w10Highlights, "the highlights the CLI's path read")
            } else {
                reader.append(ms)
                show.append(seconds.seconds * 1000)
            }
        }

        bench.progress.say("W10: highlight round trip, \(requests) requests")
        var post: [Double] = [], highlight: [Double] = []
        for round in Rounds(repetitions: requests, budget: 120) {
            let passage = passages[round]
            let body = #"{"articleId":"\#(long.id)","start":\#(passage.range.lowerBound),"end":\#(passage.range.upperBound),"contentHash":"\#(long.contentHash)"}"#
            let (answer, ms) = try await client.send(.POST, "/annotations", body: body, expect: 201)
            let seconds = try Stopwatch.time {
                try store.highlight(articleID: long.id, quote: passage.quote, occurrence: passage.occurrence)
            }
            if round == 0 {
                guard let made = try JSONSerialization.jsonObject(with: answer) as? [String: Any],
                      let annotation = made["annotation"] as? [String: Any],
                      annotation["start"] as? Int == passage.range.lowerBound, annotation["end"] as? Int == passage.range.upperBound,
                      seconds.value.anchor?.start == passage.range.lowerBound, seconds.value.anchor?.end == passage.range.upperBound else {
                    throw BenchError.invalidSetup("the server and the CLI's path did not highlight the passage asked for")
                }
            } else {
                post.append(ms)
                highlight.append(seconds.seconds * 1000)
            }
        }
        await server.stop()
        try store.close()

        let grouped = Unit.grouped(Double(count))
        let longAtSize = sizes.w10Bytes >= 50_000 && sizes.w10Highlights >= 500
        let kb = "\(sizes.w10Bytes / 1000) KB, \(sizes.w10Highlights) highlights"
        return rows("GET articles?limit=50, \(grouped) articles", library50, "store: first 50 + short ids", list50,
                    target: 30, size: count, atSize: count >= 10_000)
            + rows("GET articles/ID, \(kb)", reader, "store: article + annotations", show,
                   target: 50, size: sizes.w10Highlights, atSize: longAtSize)
            + rows("POST annotations, \(kb)", post, "store: highlight(quote:)", highlight,
                   target: 20, size: sizes.w10Highlights, atSize: longAtSize)
    }

    /// A p50 row against `target` milliseconds and a p95 row, each beside its baseline's.
    private static func rows(_ name: String, _ samples: [Double], _ baselineName: String, _ baseline: [Double],
                             target: Double, size: Int, atSize: Bool) -> [Figure] {
        [(50.0, Target.atMost(target) as Target?), (95.0, nil)].map { p, target in
            let value = Stopwatch.percentile(p, of: samples), floor = Stopwatch.percentile(p, of: baseline)
            return Figure(workload: "W10", name: "\(name), p\(Int(p))", value: value, unit: .milliseconds,
                          baseline: Baseline(name: baselineName, value: floor, unit: .milliseconds), ratio: value / floor,
                          target: target, size: size, atTargetSize: atSize)
        }
    }

    private struct Enough: Error {}

    private static func listLength(_ key: String, in body: Data) throws -> Int {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any], let items = object[key] as? [Any] else {
            throw BenchError.invalidSetup("the server's answer has no '\(key)' list")
        }
        return items.count
    }

    private static func expect(_ got: Int, _ wanted: Int, _ what: String) throws {
        guard got == wanted else { throw BenchError.invalidSetup("\(what): \(got), not \(wanted)") }
    }

    /// Sends API requests one at a time and reads the server's time for each.
    private struct Client {
        let base: String
        let token: String
        let times: RequestTimes

        /// The answer's body and the milliseconds the server spent on the request.
        func send(_ method: HTTPMethod, _ path: String, body: String? = nil, expect status: Int) async throws -> (Data, Double) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer " + token)
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            _ = times.take()
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let answer = try await response.body.collect(upTo: 64 << 20)
            let taken = times.take()
            guard Int(response.status.code) == status, taken.count == 1 else {
                throw BenchError.invalidSetup("\(method) \(path) answered \(response.status.code) (\(String(buffer: answer).prefix(300))) after \(taken.count) requests in the server")
            }
            return (Data(answer.readableBytesView), taken[0])
        }
    }
}
