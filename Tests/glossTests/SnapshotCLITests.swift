import Foundation
import GlossCore
import GlossExtraction
import GlossTestSupport
import Testing

/// Issue 17 through the real binary: three replicas share a folder, one is away while thousands
/// of changes happen and compactions run, then returns and converges; a new machine joins from
/// the snapshot; and syncs killed while they snapshot and compact leave a folder everyone can
/// still sync from.
@Suite struct SnapshotCLITests {
    /// Adds an article with `highlights` highlights to the store at `path` (through the library,
    /// to keep the test quick): 1 + highlights changes.
    func write(_ path: String, round: Int, highlights: Int, rng: inout SplitMix64) throws {
        let store = try Store(path: path)
        let id = try store.addArticle(ExtractedArticle(title: "Round \(round)", text: prose(&rng, sentences: 220), format: .plainText)).id
        let words = try store.article(id).text.split(separator: " ")
        var made = 0
        for i in stride(from: 0, to: words.count - 4, by: 3) where made < highlights {
            _ = try store.highlight(articleID: id, quote: words[i...i + 2].joined(separator: " "), occurrence: 1, note: "r\(round) n\(i)")
            made += 1
        }
        try store.close()
    }

    func files(_ folder: String, _ suffix: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(suffix) }
    }

    @Test func aReplicaAwayWhileTheFolderCompactsReturnsAndConverges() throws {
        let cli = CLI()
        defer { cli.remove() }
        let shared = cli.home + "/shared"
        let (a, b, c) = (cli.home + "/a.sqlite", cli.home + "/b.sqlite", cli.home + "/c.sqlite")
        let policy = ["--snapshot-after", "1000", "--horizon-days", "0"]
        var rng = SplitMix64(seed: 17)
        try write(a, round: 0, highlights: 20, rng: &rng)
        for path in [a, b, c] { #expect(try cli.run(["sync", shared, "--store", path] + policy).status == 0) }
        // c is away while a and b make about 5,000 changes, syncing as they go.
        var snapshotsWritten = 0, removed = 0
        for round in 1...10 {
            try write(round % 2 == 0 ? a : b, round: round, highlights: 500, rng: &rng)
            for path in [a, b] {
                let outcome = try #require(try cli.json(["sync", shared, "--store", path] + policy) as? [String: Any])
                if outcome["snapshotWritten"] is String { snapshotsWritten += 1 }
                removed += outcome["bundlesRemoved"] as? Int ?? 0
            }
        }
        #expect(snapshotsWritten >= 2 && removed > 0, "snapshots \(snapshotsWritten), bundles removed \(removed)")
        #expect(files(shared, ".glsnap").count <= 2, "\(files(shared, ".glsnap"))")
        // c returns: what it lacks is partly in bundles no more, so it takes it from the snapshot.
        let back = try #require(try cli.json(["sync", shared, "--store", c] + policy) as? [String: Any])
        #expect((back["received"] as? Int ?? 0) > 4_000)
        for path in [a, b, c] { #expect(try cli.run(["sync", shared, "--store", path] + policy).status == 0) }
        let digests = try [a, b, c].map { try Store(path: $0).digest() }
        #expect(Set(digests).count == 1)
        // A new machine joins from the snapshot, and can list and search at once.
        let d = cli.home + "/d.sqlite"
        let joined = try #require(try cli.json(["sync", shared, "--store", d] + policy) as? [String: Any])
        #expect(joined["joinedFrom"] is String)
        #expect(try Store(path: d).digest() == digests[0])
        let listed = try #require(try cli.json(["list", "--store", d]) as? [[String: Any]])
        #expect(listed.count == 11)
        #expect(try cli.run(["search", "r5", "--store", d]).status == 0)
        let replicas = try #require(try cli.json(["replicas", "--store", d]) as? [[String: Any]])
        #expect(replicas.count >= 3)
        // Every writer's key came with its signed changes; the newcomer made its own at its sync.
        // (A replica known only from what it published in the folder has signed nothing.)
        let writers = replicas.filter { ($0["changes"] as? Int ?? 0) > 0 || $0["isLocal"] as? Bool == true }
        let keyed = writers.filter { ($0["signingKey"] as? String)?.count == 44 }
        #expect(writers.count >= 3 && keyed.count == writers.count, "\(replicas)")
        #expect(Set(keyed.compactMap { $0["signingKey"] as? String }).count == writers.count)
    }

    /// Syncs killed with SIGKILL while they write snapshots and compact: every store stays valid,
    /// the folder stays one every replica (and a newcomer) syncs from, and nothing is lost.
    @Test func syncKilledWhileSnapshottingAndCompactingLeavesAUsableFolder() throws {
        let cli = CLI()
        defer { cli.remove() }
        let shared = cli.home + "/shared"
        let (a, b) = (cli.home + "/a.sqlite", cli.home + "/b.sqlite")
        let policy = ["--snapshot-after", "100", "--horizon-days", "0"]
        var rng = SplitMix64(seed: 1717)
        var kills = 0, round = 0
        var longestDelay: UInt64 = 200
        while kills < 12 && round < 30 {
            round += 1
            try write(round % 3 == 0 ? b : a, round: round, highlights: 150, rng: &rng)
            for path in [a, b] {
                let delay = Double(rng.next() % longestDelay) / 1000
                if try cli.runAndKill(["sync", shared, "--store", path] + policy, after: delay) {
                    kills += 1
                } else {
                    longestDelay = max(10, longestDelay * 2 / 3)
                }
                let store = try Store(path: path)
                #expect(try store.checkIntegrity() == "ok", "round \(round): \(path) damaged")
                try store.close()
            }
        }
        #expect(kills >= 8, "only \(kills) syncs were still running when killed")
        let c = cli.home + "/c.sqlite"
        for path in [a, b, a, b, c] {
            let result = try cli.run(["sync", shared, "--store", path] + policy)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let stores = try [a, b, c].map { try Store(path: $0) }
        #expect(Set(try stores.map { try $0.digest() }).count == 1)
        #expect(try stores[2].annotations().count == (try stores[0].annotations().count))
    }
}
