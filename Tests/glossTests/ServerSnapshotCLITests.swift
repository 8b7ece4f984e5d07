import Foundation
import GlossTestSupport
import Testing

/// Issue 17 through the real binaries: `gloss sync URL` on an empty store starts from the
/// snapshot `gloss serve` hands out, says so, and ends as the library is; a wrong token is one
/// clear error, a non-zero exit and an unchanged store.
@Suite(.serialized) struct ServerSnapshotCLITests {
    @Test func anEmptyStoreStartsFromTheServersSnapshot() throws {
        let cli = CLI()
        defer { cli.remove() }
        let serverStore = cli.home + "/server"
        let token = try cli.run(["token", "create", "--name", "everyone", "--store", serverStore]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(cli, store: serverStore)
        defer { server.stop() }
        let (a, b) = (["--store", cli.home + "/a"], ["--store", cli.home + "/b"])
        for (store, name) in [(a, "a"), (b, "b")] { try cli.run(["init", "--name", name] + store) }
        let id = try #require((try cli.json(["add", SyncCLITests.fixture("ap-migration-talks")] + a) as? [[String: Any]])?.first?["id"] as? String)
        try cli.run(["highlight", id, "Jake Sullivan", "--note", "who led it"] + a)
        #expect(try cli.run(["sync", server.url, "--token", token] + a).status == 0)

        let wrong = try cli.run(["sync", server.url, "--token", "gloss_wrong"] + b)
        #expect(wrong.status == 1 && wrong.stderr.contains("refused the token"), "\(wrong.stderr)")
        let counts = try #require((try cli.json(["status"] + b) as? [String: Any])?["counts"] as? [String: Any])
        #expect(counts["changes"] as? Int == 0, "the store is unchanged")

        let joined = try cli.run(["sync", server.url, "--token", token] + b)
        #expect(joined.status == 0 && joined.stderr.isEmpty, "\(joined.stderr)")
        #expect(joined.stdout.contains("started from the snapshot \(server.url)/v1/snapshot"), "\(joined.stdout)")
        var digests: Set<String> = []
        for store in [a, b, ["--store", serverStore]] {
            digests.insert(try #require((try cli.json(["status"] + store) as? [String: Any])?["digest"] as? String))
        }
        #expect(digests.count == 1)
        #expect(try (cli.json(["annotations"] + b) as? [[String: Any]])?.first?["note"] as? String == "who led it")
    }
}
