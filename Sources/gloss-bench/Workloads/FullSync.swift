import Foundation
import GlossCore
import GlossSync
import GRDB

/// W2 and W4: replica B, which already has a history of its own, receives all of A's changes,
/// end to end (A's sync, then B's: B pulls A's changes and pushes its own, each committed),
/// through a folder and over HTTP; and the bytes that crossed per change.
enum FullSync {
    /// Each receiving replica records a tenth of W2's size as highlights of its own (10,000 by
    /// default) before the clock starts, on articles of its own: issue 17 measures W2 "into a
    /// replica that already has its own history".
    static let ownArticles = 30

    /// A receiving replica at `path` with a history of its own, never synced.
    static func receiver(_ bench: Bench, _ path: String, seed offset: UInt64) throws -> Store {
        let own = try Library(path: path, corpus: Corpus(seed: bench.seed &+ offset), articles: ownArticles)
        try own.grow(by: max(100, bench.sizes.w2 / 10), batch: 1_000, progress: bench.progress, label: "W2 receiver")
        return own.store
    }

    static func measure(_ bench: Bench) async throws -> [Figure] {
        let library = try bench.library(highlights: bench.sizes.w2, label: "W2")
        let changes = library.changes
        let size = Unit.grouped(Double(changes))
        bench.progress.say("W2: the SQLite floor for \(size) rows")
        let floor = try bench.floorSeconds(rows: bench.sizes.w2) { library.drafts(bench.sizes.w2) }
        let floorBaseline = Baseline(name: "SQLite floor", value: floor, unit: .seconds)
        let payload = Baseline(name: "field bytes", value: Double(library.payloadBytes) / Double(changes), unit: .bytes)
        let atSize = changes >= 100_000
        // Issue 17 measures W2 against the schema floor, in the same run: as many highlights'
        // rows as B receives (`SchemaFloor`, as W1's: highlights drawn from A's corpus, of A's
        // articles, with ops of the sizes A logged), by plain SQL into a store made as A's
        // started.
        bench.progress.say("W2: the schema floor for \(size) changes' rows")
        let opsBytes = try await DatabaseQueue(path: library.path).read { db in
            try Int.fetchAll(db, sql: "SELECT length(ops) FROM change WHERE entity_type = 'annotation' ORDER BY seq")
        }
        let schemaFloor = try SchemaFloor(directory: bench.scratch).recordSeconds(library.drafts(opsBytes.count), opsBytes: opsBytes,
                                                                                  batch: bench.sizes.batch) { path in
            _ = try Library(path: path, corpus: Corpus(seed: bench.seed), articles: bench.sizes.articles)
        }

        // Bundles only: past 10,000 changes a sync would also write a snapshot and B join from
        // it, which W2J measures on its own.
        let bundlesOnly = FolderPolicy(snapshotAfter: Int.max)
        bench.progress.say("W2: \(size) changes through a folder")
        let folder = bench.path("w2-folder")
        let folderReplica = try receiver(bench, bench.path("w2-b-folder.sqlite"), seed: 101)
        let folderSeconds = try await Stopwatch.time {
            _ = try await bench.folderSync(library.store, folder, policy: bundlesOnly)
            try expect(try await bench.folderSync(folderReplica, folder, policy: bundlesOnly).received, changes, "B through the folder")
        }.seconds
        // A's bundles only: B's own history went into the folder too.
        let folderBytes = try bundleBytes(in: folder + "/" + library.store.replicaID.rawValue)
        // Issue 15: what checking every batch signature of the history costs, on its own (hashing
        // each change's canonical bytes, one Ed25519 verification per batch), beside the sync
        // that did it on the way (A signed its history in the same sync).
        let received = try folderReplica.changes(since: VersionVector()).filter { $0.dot.replica != folderReplica.replicaID }
        let checkSeconds = try Stopwatch.time {
            let verified = try Authorship.check(received, trusted: [:], held: [:])
            try expect(verified.batches.count > 0 ? changes : 0, changes, "batches checked")
        }.seconds

        // Issue 19: the same through a folder with the library encrypted, against the plaintext
        // run above: A seals every bundle, B opens them. A's key file is removed afterwards, so
        // the HTTP run below is the plaintext one it always was.
        bench.progress.say("W2: \(size) changes through a folder, sealed")
        let sealedFolder = bench.path("w2-folder-sealed")
        let sealedReplica = try receiver(bench, bench.path("w2-b-folder-sealed.sqlite"), seed: 102)
        let recovery = try LibraryEncryption.enable(library.store).recoveryKey
        defer { try? FileManager.default.removeItem(atPath: KeyFile.path(for: library.store.path)) }
        _ = try LibraryEncryption.join(sealedReplica, with: .recoveryKey(recovery), folder: nil)
        let sealedSeconds = try await Stopwatch.time {
            _ = try await bench.folderSync(library.store, sealedFolder, policy: bundlesOnly)
            try expect(try await bench.folderSync(sealedReplica, sealedFolder, policy: bundlesOnly).received, changes, "B through the sealed folder")
        }.seconds
        try FileManager.default.removeItem(atPath: KeyFile.path(for: library.store.path))
        let sealedBytes = try bundleBytes(in: sealedFolder + "/" + library.store.replicaID.rawValue)

        bench.progress.say("W2: \(size) changes over HTTP on 127.0.0.1")
        let serverStore = try Store(path: bench.path("w2-server.sqlite"))
        let token = try serverStore.createToken(name: "gloss-bench").token
        let server = try await LoopbackServer.start(store: serverStore)
        let httpReplica = try receiver(bench, bench.path("w2-b-http.sqlite"), seed: 103)
        let sync = { (store: Store) in
            try await SyncSession(store: store, peer: try HTTPTransport(url: server.url, token: token), logger: bench.syncLogger).run()
        }
        var pushBytes = 0, answeredBeforeB = 0
        let httpSeconds: Double
        do {
            httpSeconds = try await Stopwatch.time {
                _ = try await sync(library.store)
                pushBytes = server.bytes.total
                answeredBeforeB = server.bytes.responses
                try expect(try await sync(httpReplica).received, changes, "B over HTTP")
            }.seconds
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        // What the server sent B (its pull); B's push of its own history went the other way.
        let pullBytes = server.bytes.responses - answeredBeforeB
        let bytesRow = { (name: String, bytes: Int) in
            Figure(workload: "W4", name: name, value: Double(bytes) / Double(changes), unit: .bytes, baseline: payload,
                   ratio: Double(bytes) / Double(library.payloadBytes), target: .atMost(200), size: changes, atTargetSize: atSize)
        }

        return [
            Figure(workload: "W2", name: "full sync \(size) changes, folder", value: folderSeconds, unit: .seconds,
                baseline: floorBaseline, ratio: folderSeconds / floor, target: .atMost(4.0), size: changes, atTargetSize: atSize),
            Figure(workload: "W2", name: "full sync \(size) changes, HTTP", value: httpSeconds, unit: .seconds,
                baseline: floorBaseline, ratio: httpSeconds / floor, target: .atMost(6.0), size: changes, atTargetSize: atSize),
            // The targets against what writing B's rows alone costs here: a target below it is
            // out of reach of any replay on this machine.
            Figure(workload: "W2", name: "  folder, against the schema floor", value: folderSeconds, unit: .seconds,
                   baseline: Baseline(name: "schema floor, same rows", value: schemaFloor, unit: .seconds),
                   ratio: folderSeconds / schemaFloor, target: nil, size: changes, atTargetSize: atSize),
            Figure(workload: "W2", name: "  HTTP, against the schema floor", value: httpSeconds, unit: .seconds,
                   baseline: Baseline(name: "schema floor, same rows", value: schemaFloor, unit: .seconds),
                   ratio: httpSeconds / schemaFloor, target: nil, size: changes, atTargetSize: atSize),
            Figure(workload: "W2", name: "checking every signature of \(size) changes", value: checkSeconds, unit: .seconds,
                   baseline: Baseline(name: "plaintext folder", value: folderSeconds, unit: .seconds),
                   ratio: checkSeconds / folderSeconds, target: .ratio(atMost: 0.1), size: changes, atTargetSize: atSize),
            Figure(workload: "W2", name: "full sync \(size) changes, folder, sealed", value: sealedSeconds, unit: .seconds,
                   baseline: Baseline(name: "plaintext folder", value: folderSeconds, unit: .seconds),
                   ratio: sealedSeconds / folderSeconds, target: .ratio(atMost: 1.1), size: changes, atTargetSize: atSize),
            bytesRow("bytes/change, folder bundles", folderBytes),
            bytesRow("bytes/change, sealed folder bundles", sealedBytes),
            // Over HTTP every change crosses twice, A to the server and the server to B: each leg on its own.
            bytesRow("bytes/change, HTTP push A→server", pushBytes),
            bytesRow("bytes/change, HTTP pull server→B", pullBytes),
        ]
    }

    /// The bytes of every bundle file under `folder`.
    static func bundleBytes(in folder: String) throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let file = enumerator?.nextObject() as? String {
            guard file.hasSuffix("." + FolderTransport.fileExtension) else { continue }
            total += (try FileManager.default.attributesOfItem(atPath: folder + "/" + file)[.size] as? Int) ?? 0
        }
        return total
    }

    static func expect(_ received: Int, _ expected: Int, _ who: String) throws {
        guard received == expected else { throw BenchError.invalidSetup("\(who) received \(received) changes, not \(expected)") }
    }
}
