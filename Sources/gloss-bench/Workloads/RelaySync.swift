import AsyncHTTPClient
import Foundation
import GlossCore
import GlossSync
import NIOCore
import NIOHTTP1
import PostgresNIO

/// W11: a real `gloss relay` child process on a fresh PostgreSQL database (issue 18), beside
/// PostgreSQL's own bulk paths for the same rows, measured in the same run.
///
/// 1. Push: `sizes.w11` changes of one replica (its articles and highlights, W1's generator), as
///    `gloss sync` sends them: store pages of 5,000 split into `POST /v1/push` bodies of at most
///    2,000 changes (halved while past `WireLimits.pageBytes`), compressed in the coding the
///    relay lists. The bodies are made before the clock starts: the time is the relay's (HTTP on
///    loopback, decoding, checking, the transactions), not the client's encoding. The floor is one
///    `COPY … FROM STDIN` (PostgresNIO's `copyFrom`, in this process, text format) of the same
///    rows, as the relay stores them, into a table made `LIKE relay_change INCLUDING ALL` (its
///    primary key and dot index, not its foreign key); median of three.
/// 2. Pull: all of them by a replica that has none, `POST /v1/pull` pages of 2,000 (the client's
///    page), from the first page's cursor to the last; each request timed to its body's last byte,
///    the client's decoding left outside. The floor is a plain `SELECT seq, bytes` of the same
///    rows in order, read whole through PostgresNIO (PostgresNIO has no `COPY TO`). Then the
///    same pull again after `ANALYZE relay_change`, as it runs once autovacuum has analysed the
///    new rows.
/// 3. Size: `pg_total_relation_size('relay_change')` (table, TOAST and both indexes) per change,
///    beside the changes' own JSON bytes.
/// 4. Concurrent incremental syncs: `sizes.w11Clients` clients, each its own replica, store and
///    token, `sizes.w11LibraryClients` of them to a library (each library its own person's), run
///    `sizes.w11Rounds` syncs at once, back to back: record 3 highlights, then the requests
///    `gloss sync` makes through `HTTPTransport`: `GET /v1/vector`, pull pages of what the
///    library's other devices pushed since its last sync, push its new changes. Each client has
///    its own connection, as a device would. Every request is timed at the client; p50 and p99
///    over all of them, requests per second for the relay process (which shares the machine's
///    cores with PostgreSQL and the clients), and the relay's own mean time from its /metrics.
enum RelaySync {
    static func measure(_ bench: Bench) async throws -> [Figure] {
        guard let cluster = try PostgresCluster.fromEnvironment() else {
            bench.progress.say(skipped)
            return []
        }
        let sizes = bench.sizes
        let gloss = try bench.gloss()

        bench.progress.say("W11: a history of \(Unit.grouped(Double(sizes.w11))) changes")
        let library = try Library(path: bench.path("w11-a.sqlite"), corpus: Corpus(seed: bench.seed &+ 11),
                                  articles: min(sizes.articles, sizes.w11))
        try library.grow(by: max(0, sizes.w11 - library.changes), batch: 10_000, progress: bench.progress, label: "W11")
        let changes = try library.store.changes(since: VersionVector())
        let size = changes.count

        let database = try await cluster.freshDatabase(prefix: "gloss_bench")
        bench.progress.say("W11: relay database \(database.name), \(sizes.w11Clients + 1) tokens")
        let admin = { (arguments: [String]) in try ChildProcess.run(gloss, ["relay"] + arguments + ["--database", database.url]) }
        _ = try admin(["user", "add", "bench"])
        _ = try admin(["library", "add", "bench", "main"])
        let historyToken = try token(admin(["token", "create", "bench", "--json"]).output)
        // The clients' libraries: `w11LibraryClients` devices each, every library its own person's
        // (a push holds its owner's row, so one person's libraries take pushes one at a time).
        var tokens: [String] = []
        for index in 0..<sizes.w11Clients {
            let person = "p\(index / sizes.w11LibraryClients)"
            if index % sizes.w11LibraryClients == 0 {
                _ = try admin(["user", "add", person])
                _ = try admin(["library", "add", person, "main"])
            }
            tokens.append(try token(admin(["token", "create", person, "--json"]).output))
        }
        // No rate limit: the clients sync back to back, far more often than a person's devices.
        let relay = try RelayProcess(gloss: gloss, arguments: ["--database", database.url, "--rate-limit", "0"])
        defer { relay.stop() }

        return try await cluster.withClient(database: database.name) { client in
            var rows: [Figure] = []
            let push = try await pushAll(changes, replica: library.store.replicaID, to: relay.url, token: historyToken, bench: bench)
            bench.progress.say("W11: the floor, COPY of \(Unit.grouped(Double(size))) rows")
            let copy = try await copyFloor(changes, client: client, logger: cluster.logger, repetitions: min(3, sizes.repetitions))
            rows.append(Figure(workload: "W11", name: "relay push \(IncrementalSync.short(size)) changes", value: push, unit: .seconds,
                               baseline: Baseline(name: "COPY FROM", value: copy.seconds, unit: .seconds),
                               ratio: push / copy.seconds, target: .ratio(atMost: 3), size: size, atTargetSize: size >= 100_000))

            let repetitions = min(3, sizes.repetitions)
            bench.progress.say("W11: pulling \(Unit.grouped(Double(size))) changes, \(repetitions)×")
            var pulls: [Double] = []
            for _ in 0..<repetitions { pulls.append(try await pullAll(expecting: size, from: relay.url, token: historyToken)) }
            var selects: [Double] = []
            for _ in 0..<repetitions { selects.append(try await selectFloor(expecting: size, client: client, logger: cluster.logger)) }
            let pull = Stopwatch.median(pulls), select = Stopwatch.median(selects)
            rows.append(Figure(workload: "W11", name: "relay pull \(IncrementalSync.short(size)) changes", value: pull, unit: .seconds,
                               baseline: Baseline(name: "SELECT in order", value: select, unit: .seconds),
                               ratio: pull / select, target: .ratio(atMost: 3), size: size, atTargetSize: size >= 100_000))

            // The same pull once PostgreSQL has statistics for the new rows (autovacuum takes them
            // in its own time, about a minute after a bulk load): the relay's page query then
            // walks the primary key instead of sorting every later row of the library.
            try await client.query("ANALYZE relay_change", logger: cluster.logger)
            var analyzed: [Double] = []
            for _ in 0..<repetitions { analyzed.append(try await pullAll(expecting: size, from: relay.url, token: historyToken)) }
            let pullAnalyzed = Stopwatch.median(analyzed)
            rows.append(Figure(workload: "W11", name: "relay pull \(IncrementalSync.short(size)) changes, after ANALYZE", value: pullAnalyzed, unit: .seconds,
                               baseline: Baseline(name: "SELECT in order", value: select, unit: .seconds),
                               ratio: pullAnalyzed / select, target: .ratio(atMost: 3), size: size, atTargetSize: size >= 100_000))

            let stored = try await storedSize(client: client, logger: cluster.logger)
            guard stored.rows == size else { throw BenchError.invalidSetup("the relay holds \(stored.rows) changes, not the \(size) pushed") }
            rows.append(Figure(workload: "W11", name: "relay_change bytes per change", value: stored.total / Double(size), unit: .bytes,
                               baseline: Baseline(name: "change JSON", value: stored.payload / Double(size), unit: .bytes),
                               ratio: stored.total / stored.payload, target: nil, size: size, atTargetSize: size >= 100_000))
            bench.notes.append(String(format: "W11: relay_change holds %.1f MB after the push (heap %.1f, TOAST %.1f, indexes %.1f); the database %.1f MB, the floor's table included.",
                                      stored.total / 1e6, stored.heap / 1e6, stored.toast / 1e6, stored.indexes / 1e6, stored.database / 1e6))

            // Devices syncing on a timer (the target's workload), then the same clients back to
            // back (what one relay process sustains; latency there is queueing: clients ÷ rate).
            rows += try await concurrent(bench, relay: relay, tokens: tokens, client: client, logger: cluster.logger, interval: sizes.w11Interval)
            rows += try await concurrent(bench, relay: relay, tokens: tokens, client: client, logger: cluster.logger, interval: nil)
            return rows
        }
    }

    /// The line a run without PostgreSQL prints instead of W11's figures.
    static let skipped = "W11 (the relay on PostgreSQL) skipped: no \(PostgresCluster.variable); run the bench under scripts/with-postgres, or set it to a cluster's URL."

    // MARK: - Push and pull through the relay

    /// Pushes `changes` as `gloss sync` does and returns the seconds the requests took.
    private static func pushAll(_ changes: [Change], replica: ReplicaID, to url: String, token: String, bench: Bench) async throws -> Double {
        // The real client compresses in gzip until an answer lists zstd; the bodies here are made
        // in the coding the relay lists, as every push after a sync's first request is.
        let health = try await send("GET", url + SyncProtocol.prefix + "/health", token: token, body: nil, coding: nil)
        let coding = ContentCoding.best(accepting: health.headers.first(name: "Accept-Encoding")) ?? .gzip
        let names = [replica.rawValue: "w11"]
        var bodies: [(body: (data: Data, coding: ContentCoding?), changes: Int)] = []
        // Bodies never cut a signed batch (the relay refuses a batch's changes without its
        // signature), as `gloss sync` cuts them.
        var offset = 0
        while offset < changes.count {
            // A batch is at most `BatchSignature.maxLength` changes, so a window that long past
            // the body's end holds the end of any batch the body starts.
            let window = Array(changes[offset..<min(changes.count, offset + 2_000 + Int(BatchSignature.maxLength))])
            var batch = Array(window.prefix(window.batchSafeCut(atMost: 2_000)))
            var json = WireJSON.encode(PushRequest(changes: batch, names: names))
            while json.count > WireLimits.pageBytes, batch.count > 1 {
                let cut = batch.batchSafeCut(atMost: batch.count / 2)
                guard cut < batch.count else { break }
                batch.removeLast(batch.count - cut)
                json = WireJSON.encode(PushRequest(changes: batch, names: names))
            }
            bodies.append((try compressed(Data(json), in: coding), batch.count))
            offset += batch.count
        }
        bench.progress.say("W11: pushing \(Unit.grouped(Double(changes.count))) changes in \(bodies.count) requests (\(coding.rawValue), \(Unit.grouped(Double(bodies.reduce(0) { $0 + $1.body.data.count }))) bytes)")
        var applied = 0
        let seconds = try await Stopwatch.time {
            for (body, _) in bodies {
                let answer = try await send("POST", url + SyncProtocol.prefix + "/push", token: token, body: body.data, coding: body.coding)
                applied += try MessageCoding.decode(PushResponse.self, from: answer.body).applied
            }
        }.seconds
        guard applied == changes.count else { throw BenchError.invalidSetup("the relay applied \(applied) of \(changes.count) pushed changes") }
        return seconds
    }

    /// Pulls everything as a replica that holds nothing; returns the seconds the requests took.
    private static func pullAll(expecting count: Int, from url: String, token: String) async throws -> Double {
        var seconds = 0.0, received = 0, cursor: Int64 = 0
        while true {
            let body = Data(WireJSON.encode(PullRequest(since: VersionVector(), after: cursor, limit: 2_000)))
            let (answer, time) = try await Stopwatch.time {
                try await send("POST", url + SyncProtocol.prefix + "/pull", token: token, body: body, coding: nil)
            }
            seconds += time
            var payload = answer.body
            if let coding = try ContentCoding.named(answer.headers.first(name: "Content-Encoding")) {
                payload = try coding.expand(payload, limit: WireLimits.maxExpandedBytes)
            }
            let page = try MessageCoding.decode(PullResponse.self, from: payload)
            received += page.changes.count
            guard page.more else { break }
            guard page.next > cursor else { throw BenchError.invalidSetup("the relay's pull cursor did not advance past \(cursor)") }
            cursor = page.next
        }
        guard received == count else { throw BenchError.invalidSetup("the pull brought \(received) changes, not \(count)") }
        return seconds
    }

    private struct Answer {
        var headers: HTTPHeaders
        var body: Data
    }

    /// The bench's HTTP client: a connection for every client at once (AsyncHTTPClient's shared
    /// client keeps at most 8 to a host, so 50 clients in this process would queue for them,
    /// where 50 devices each have their own), never shut down.
    private static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// One request to the relay, as `HTTPTransport` makes it; anything but 200 stops the run.
    private static func send(_ method: String, _ url: String, token: String, body: Data?, coding: ContentCoding?) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: ContentCoding.acceptHeader)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            if let coding { request.headers.add(name: "Content-Encoding", value: coding.rawValue) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(300))
        let data = Data(try await response.body.collect(upTo: 256 << 20).readableBytesView)
        guard response.status == .ok else {
            throw BenchError.childFailed(command: "\(method) \(url)", output: "\(response.status.code): " + String(decoding: data.prefix(500), as: UTF8.self))
        }
        return Answer(headers: response.headers, body: data)
    }

    // MARK: - The floor

    /// The seconds of one `COPY` of `changes`' rows into a fresh copy of `relay_change`'s shape;
    /// the median of `repetitions` runs, each into an emptied table.
    private static func copyFloor(_ changes: [Change], client: PostgresClient, logger: Logger, repetitions: Int) async throws -> (seconds: Double, bytes: Int) {
        try await client.query("CREATE TABLE floor_change (LIKE relay_change INCLUDING ALL)", logger: logger)
        // The COPY text the relay's rows would be, made before the clock starts, in 1 MiB pieces.
        let hex = Array("0123456789abcdef".utf8)
        var pieces: [ByteBuffer] = [], line: [UInt8] = [], piece: [UInt8] = []
        piece.reserveCapacity(1 << 20)
        for (index, change) in changes.enumerated() {
            let bytes = canonicalBytes(change)
            line.removeAll(keepingCapacity: true)
            line += Array("1\t\(index + 1)\t\(change.dot.replica.rawValue)\t\(change.dot.counter)\t\(bytes.count)\t\\\\x".utf8)
            for byte in bytes {
                line.append(hex[Int(byte >> 4)])
                line.append(hex[Int(byte & 0x0f)])
            }
            line.append(UInt8(ascii: "\n"))
            piece += line
            if piece.count >= 1 << 20 {
                pieces.append(ByteBuffer(bytes: piece))
                piece.removeAll(keepingCapacity: true)
            }
        }
        if !piece.isEmpty { pieces.append(ByteBuffer(bytes: piece)) }
        var samples: [Double] = []
        for _ in 0..<max(1, repetitions) {
            try await client.query("TRUNCATE floor_change", logger: logger)
            let copied = pieces
            samples.append(try await Stopwatch.time {
                try await client.withConnection { connection in
                    try await connection.copyFrom(table: "floor_change", columns: ["library_id", "seq", "replica", "counter", "size", "bytes"],
                                                  logger: logger) { writer in
                        for piece in copied { try await writer.write(piece) }
                    }
                }
            }.seconds)
        }
        var rows = 0
        for try await count in try await client.query("SELECT count(*) FROM floor_change", logger: logger).decode(Int64.self) { rows = Int(count) }
        guard rows == changes.count else { throw BenchError.invalidSetup("the COPY floor holds \(rows) rows, not \(changes.count)") }
        return (Stopwatch.median(samples), pieces.reduce(0) { $0 + $1.readableBytes })
    }

    /// The seconds to read the floor table's rows whole, in order, as the relay's page query does.
    private static func selectFloor(expecting count: Int, client: PostgresClient, logger: Logger) async throws -> Double {
        var rows = 0, bytes = 0
        let seconds = try await Stopwatch.time {
            for try await (_, change) in try await client.query("SELECT seq, bytes FROM floor_change WHERE library_id = 1 ORDER BY seq",
                                                                logger: logger).decode((Int64, ByteBuffer).self) {
                rows += 1
                bytes += change.readableBytes
            }
        }.seconds
        guard rows == count, bytes > 0 else { throw BenchError.invalidSetup("the floor's SELECT read \(rows) rows, not \(count)") }
        return seconds
    }

    /// A change's bytes as the relay stores them: its JSON object inside a push (the relay's
    /// `CanonicalChange`).
    private static func canonicalBytes(_ change: Change) -> ArraySlice<UInt8> {
        let message = WireJSON.encode(PushRequest(changes: [change], names: [:]))
        return message[#"{"changes":["#.utf8.count..<(message.count - #"],"names":{}}"#.utf8.count)]
    }

    /// What the relay's change table takes in the database.
    private static func storedSize(client: PostgresClient, logger: Logger) async throws
        -> (rows: Int, payload: Double, total: Double, heap: Double, toast: Double, indexes: Double, database: Double) {
        var result: (Int, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0)
        for try await (rows, payload, total, heap, toast, indexes, database) in try await client.query("""
            SELECT count(*), coalesce(sum(size), 0)::bigint,
                   pg_total_relation_size('relay_change'), pg_relation_size('relay_change'),
                   coalesce((SELECT pg_total_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'relay_change'::regclass AND reltoastrelid <> 0), 0),
                   pg_indexes_size('relay_change'), pg_database_size(current_database())
            FROM relay_change
            """, logger: logger).decode((Int64, Int64, Int64, Int64, Int64, Int64, Int64).self) {
            result = (Int(rows), Double(payload), Double(total), Double(heap), Double(toast), Double(indexes), Double(database))
        }
        return result
    }

    // MARK: - Concurrent incremental syncs

    /// What one client's syncs took.
    private struct ClientRun: Sendable {
        var requests: [Double] = []
        var syncs: [Double] = []
        var pushed = 0
        var pulled = 0
    }

    /// `tokens.count` clients making `w11Rounds` incremental syncs each at once: every
    /// `interval` seconds (spread over the first), or back to back without one.
    private static func concurrent(_ bench: Bench, relay: RelayProcess, tokens: [String], client: PostgresClient,
                                   logger: Logger, interval: Double?) async throws -> [Figure] {
        let sizes = bench.sizes
        let clients = tokens.count, rounds = sizes.w11Rounds, perSync = 3
        let pace = interval.map { String(format: "one sync each %g s", $0) } ?? "back to back"
        bench.progress.say("W11: \(clients) clients, \(rounds) incremental syncs each, \(pace)")
        var history = 0
        for try await count in try await client.query("SELECT count(*) FROM relay_change", logger: logger).decode(Int64.self) { history = Int(count) }
        // Each client's store (one article) and the highlights it records before each sync.
        var libraries: [Library] = []
        var drafts: [[[AnnotationDraft]]] = []
        for index in 0..<clients {
            let library = try Library(path: bench.path("w11-client-\(interval == nil ? "b" : "p")\(index).sqlite"), corpus: Corpus(seed: bench.seed &+ 1_100 &+ UInt64(index)), articles: 1)
            drafts.append((0..<rounds).map { _ in library.drafts(perSync) })
            libraries.append(library)
        }
        let url = relay.url
        let metricsBefore = try await RelayCounts.read(url)
        let cpuBefore = relay.cpuSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        let runs = try await withThrowingTaskGroup(of: ClientRun.self) { group in
            for index in 0..<clients {
                let store = libraries[index].store, mine = drafts[index], token = tokens[index]
                let times = interval.map { interval in
                    (0..<rounds).map { start + .seconds(interval * (Double(index) / Double(clients) + Double($0))) }
                }
                group.addTask { try await sync(store: store, drafts: mine, url: url, token: token, at: times) }
            }
            var runs: [ClientRun] = []
            for try await run in group { runs.append(run) }
            return runs
        }
        let wall = (clock.now - start).seconds
        let cpuAfter = relay.cpuSeconds()
        let counts = try await RelayCounts.read(url).since(metricsBefore)
        let cpu: Double? = if let cpuAfter, let cpuBefore { cpuAfter - cpuBefore } else { nil }
        for library in libraries { try library.store.close() }

        let requests = runs.flatMap(\.requests), syncs = runs.flatMap(\.syncs)
        let pushed = runs.reduce(0) { $0 + $1.pushed }, pulled = runs.reduce(0) { $0 + $1.pulled }
        guard pushed == clients * (rounds * perSync + 1) else { throw BenchError.invalidSetup("the clients pushed \(pushed) changes, not \(clients * (rounds * perSync + 1))") }
        var held = 0
        for try await count in try await client.query("SELECT count(*) FROM relay_change", logger: logger).decode(Int64.self) { held = Int(count) }
        guard held == history + pushed else { throw BenchError.invalidSetup("the relay holds \(held) changes, not \(history + pushed)") }

        let rate = Double(requests.count) / wall
        bench.notes.append("W11: the relay's /metrics over the \(clients) clients' syncs: \(counts.summary).")
        let cpuText = cpu.map { String(format: "%.1f s, %.2f ms a request", $0, $0 * 1000 / Double(requests.count)) } ?? "unknown"
        bench.notes.append(String(format: "W11: %d sync requests in %.1f s (%d syncs, %d changes pulled); relay CPU ", requests.count, wall, syncs.count, pulled) + cpuText + ".")
        let perLibrary = min(sizes.w11LibraryClients, clients)
        let label = "\(clients) clients, \(perLibrary) a library, \(pace)"
        let atSize = clients >= 50
        // The targets are for devices syncing on a timer; back to back, every request waits for
        // the others' (a closed loop: latency is clients ÷ throughput), so that run has none.
        let paced = interval != nil
        let syncMedian = Stopwatch.median(syncs) * 1000
        return [
            Figure(workload: "W11", name: "sync request p50, \(label)", value: Stopwatch.percentile(50, of: requests) * 1000, unit: .milliseconds,
                   baseline: nil, ratio: nil, target: paced ? .atMost(30) : nil, size: clients, atTargetSize: atSize),
            Figure(workload: "W11", name: "sync request p99, \(label)", value: Stopwatch.percentile(99, of: requests) * 1000, unit: .milliseconds,
                   baseline: nil, ratio: nil, target: paced ? .atMost(150) : nil, size: clients, atTargetSize: atSize),
            Figure(workload: "W11", name: "sync request mean, \(label)", value: requests.reduce(0, +) / Double(requests.count) * 1000, unit: .milliseconds,
                   baseline: Baseline(name: "in the relay (/metrics)", value: counts.meanSeconds * 1000, unit: .milliseconds),
                   ratio: requests.reduce(0, +) / Double(requests.count) / counts.meanSeconds, target: nil, size: clients, atTargetSize: atSize),
            Figure(workload: "W11", name: "whole sync (3+ requests) p50, \(label)", value: syncMedian, unit: .milliseconds,
                   baseline: nil, ratio: nil, target: nil, size: clients, atTargetSize: atSize),
            Figure(workload: "W11", name: "requests/s, one relay process, \(label)", value: rate, unit: .perSecond,
                   baseline: cpu.map { Baseline(name: "relay CPU per request", value: $0 * 1000 / Double(requests.count), unit: .milliseconds) },
                   ratio: nil, target: nil, size: clients, atTargetSize: atSize),
        ]
    }

    /// One client: for each round, record its highlights, then sync as `gloss sync` does
    /// through `HTTPTransport`, with the same requests: `GET /v1/vector`, `POST /v1/pull` pages of
    /// 2,000 of what this replica lacks, `POST /v1/push` of what the relay lacks (compressed when
    /// 1 KiB or more). Each request is timed to its answer's last byte; decoding the answer is
    /// left out. Starts as a replica in sync with the relay. With `times`, each round's sync starts at its time (at once when that has passed).
    private static func sync(store: Store, drafts: [[AnnotationDraft]], url: String, token: String,
                             at times: [ContinuousClock.Instant]?) async throws -> ClientRun {
        let base = url + SyncProtocol.prefix
        let decode = { (answer: Answer) throws -> Data in
            guard let coding = try ContentCoding.named(answer.headers.first(name: "Content-Encoding")) else { return answer.body }
            return try coding.expand(answer.body, limit: WireLimits.maxExpandedBytes)
        }
        var known = try MessageCoding.decode(VectorResponse.self, from: decode(try await send("GET", base + "/vector", token: token, body: nil, coding: nil))).versionVector
        var run = ClientRun()
        let clock = ContinuousClock()
        for (index, round) in drafts.enumerated() {
            if let times { try await Task.sleep(until: times[index], clock: clock) }
            _ = try store.record(round)
            let syncStart = clock.now
            var start = clock.now
            let vector = try await send("GET", base + "/vector", token: token, body: nil, coding: nil)
            run.requests.append((clock.now - start).seconds)
            _ = try MessageCoding.decode(VectorResponse.self, from: decode(vector))
            var cursor: Int64 = 0
            while true {
                let (body, coding) = try compressed(Data(WireJSON.encode(PullRequest(since: known, after: cursor, limit: 2_000))))
                start = clock.now
                let answer = try await send("POST", base + "/pull", token: token, body: body, coding: coding)
                run.requests.append((clock.now - start).seconds)
                let page = try MessageCoding.decode(PullResponse.self, from: decode(answer))
                for change in page.changes { known.include(change.dot) }
                run.pulled += page.changes.count
                guard page.more, page.next > cursor else { break }
                cursor = page.next
            }
            let mine = try store.changes(since: known)
            let (json, coding) = try compressed(Data(WireJSON.encode(PushRequest(changes: mine, names: [:]))))
            start = clock.now
            let answer = try await send("POST", base + "/push", token: token, body: json, coding: coding)
            run.requests.append((clock.now - start).seconds)
            let receipt = try MessageCoding.decode(PushResponse.self, from: decode(answer))
            guard receipt.applied == mine.count else { throw BenchError.invalidSetup("the relay applied \(receipt.applied) of a client's \(mine.count) changes") }
            for change in mine { known.include(change.dot) }
            run.pushed += mine.count
            run.syncs.append((clock.now - syncStart).seconds)
        }
        return run
    }

    /// A request body as the client sends it: in `coding` from ``ContentCoding/smallestCompressed``
    /// bytes on, and the coding it is in.
    private static func compressed(_ body: Data, in coding: ContentCoding = .zstd) throws -> (data: Data, coding: ContentCoding?) {
        guard body.count >= ContentCoding.smallestCompressed else { return (body, nil) }
        return (try coding.compress(body), coding)
    }

    /// The token `gloss relay token create --json` printed.
    private static func token(_ output: String) throws -> String {
        struct Created: Decodable { var token: String }
        guard let start = output.firstIndex(of: "{"),
              let created = try? JSONDecoder().decode(Created.self, from: Data(output[start...].utf8)) else {
            throw BenchError.invalidSetup("gloss relay token create --json printed no token: \(output.prefix(300))")
        }
        return created.token
    }
}

/// The relay's own request counts and times from its `GET /metrics` (Prometheus text): how many
/// answers of each route and status, and the seconds spent answering them, as the relay measures
/// them (from its middleware receiving a request to the response built).
struct RelayCounts {
    /// Requests by "METHOD route status".
    var requests: [String: Double] = [:]
    /// Seconds spent, and requests timed, by "METHOD route".
    var seconds: [String: Double] = [:]
    var timed: [String: Double] = [:]

    static func read(_ url: String) async throws -> RelayCounts {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        var counts = RelayCounts()
        for line in text.split(separator: "\n") where line.hasPrefix("gloss_relay_request") {
            guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"),
                  let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else { continue }
            var labels: [String: String] = [:]
            for pair in line[line.index(after: open)..<close].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            let route = (labels["method"] ?? "?") + " " + (labels["route"] ?? "?")
            let name = line[..<open]
            if name == "gloss_relay_requests_total" { counts.requests[route + " " + (labels["status"] ?? "?"), default: 0] += value }
            if name == "gloss_relay_request_duration_seconds_sum" { counts.seconds[route, default: 0] += value }
            if name == "gloss_relay_request_duration_seconds_count" { counts.timed[route, default: 0] += value }
        }
        return counts
    }

    /// What was counted after `earlier`.
    func since(_ earlier: RelayCounts) -> RelayCounts {
        RelayCounts(requests: requests.map { ($0, $1 - earlier.requests[$0, default: 0]) }.reduce(into: [:]) { $0[$1.0] = $1.1 },
                    seconds: seconds.map { ($0, $1 - earlier.seconds[$0, default: 0]) }.reduce(into: [:]) { $0[$1.0] = $1.1 },
                    timed: timed.map { ($0, $1 - earlier.timed[$0, default: 0]) }.reduce(into: [:]) { $0[$1.0] = $1.1 })
    }

    /// The mean seconds the relay spent on a sync request (vector, pull, push).
    var meanSeconds: Double {
        let routes = timed.keys.filter { $0.contains("/v1/") }
        let count = routes.reduce(0) { $0 + timed[$1, default: 0] }
        return count > 0 ? routes.reduce(0) { $0 + seconds[$1, default: 0] } / count : 0
    }

    /// Each route's answers by status and its mean time, on one line.
    var summary: String {
        timed.keys.filter { $0.contains("/v1/") && timed[$0, default: 0] > 0 }.sorted().map { route in
            let statuses = requests.filter { $0.key.hasPrefix(route + " ") && $0.value > 0 }
                .map { "\($0.key.dropFirst(route.count + 1)): \(Int($0.value))" }.sorted().joined(separator: ", ")
            return "\(route) (\(statuses)) mean " + String(format: "%.1f ms", seconds[route, default: 0] / timed[route, default: 1] * 1000)
        }.joined(separator: "; ")
    }
}
