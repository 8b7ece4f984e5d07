import Foundation
import GlossCore
import GlossSync
import GlossTestSupport
import GRDB
import Testing

/// Saved remotes and their tokens, and how a sync target picks its transport.
@Suite struct RemoteTests {
    let directory = TemporaryDirectory()

    @Test func remotesAreSavedReplacedListedAndForgotten() throws {
        let store = try directory.store()
        #expect(try store.savedRemote("http://a.example:8417") == nil)
        try store.saveRemote("http://a.example:8417", token: "gloss_one")
        try store.saveRemote("http://b.example:8417", token: "gloss_two")
        try store.saveRemote("http://a.example:8417", token: "gloss_three")
        #expect(try store.savedRemote("http://a.example:8417")?.token == "gloss_three")
        #expect(try store.remotes().map(\.url) == ["http://a.example:8417", "http://b.example:8417"])
        #expect(try store.forgetRemote("http://a.example:8417"))
        #expect(try !store.forgetRemote("http://a.example:8417"))
        #expect(try store.remotes().map(\.token) == ["gloss_two"])
        // Remotes are not sync state: no checkpoint holds a token.
        #expect(try store.checkpoint(peer: "http:http://b.example:8417").values.isEmpty)
    }

    /// A store from before v7 kept its saved tokens as sync-state values, beside an HTTP
    /// 'pulled-through' value nothing read: opening it moves the tokens into saved remotes and
    /// leaves a folder's checkpoints alone.
    @Test func tokensSavedAsSyncStateMoveToSavedRemotes() throws {
        let store = try directory.store()
        let path = store.path
        try store.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TABLE remote;
                DELETE FROM grdb_migrations WHERE identifier = 'v7_remotes';
                INSERT INTO sync_state(peer, key, value) VALUES
                    ('http:http://a.example:8417', 'token', 'gloss_saved'),
                    ('http:http://a.example:8417', 'pulled-through', '42'),
                    ('folder:/media/usb/gloss', 'r/1-x.glb', '{}');
                """)
        }
        try queue.close()
        let reopened = try Store(path: path)
        #expect(try reopened.savedRemote("http://a.example:8417")?.token == "gloss_saved")
        #expect(try reopened.checkpoint(peer: "http:http://a.example:8417").values.isEmpty)
        #expect(try reopened.checkpoint(peer: "folder:/media/usb/gloss").values == ["r/1-x.glb": "{}"])
        #expect(try reopened.checkIntegrity() == "ok")
    }

    @Test func aTargetIsAServerOnlyWhenItIsAnHTTPURL() throws {
        #expect(try SyncTarget("HTTPS://sync.example/") == .server(try #require(URL(string: "https://sync.example"))))
        // One spelling per server, so a token saved under one is found under the others.
        for spelling in ["http://Sync.Example:80/gloss/", "HTTP://sync.example/gloss", "http://sync.example:80/gloss"] {
            #expect(try SyncTarget(spelling) == .server(try #require(URL(string: "http://sync.example/gloss"))), "\(spelling)")
        }
        #expect(try SyncTarget("https://sync.example:8443") == .server(try #require(URL(string: "https://sync.example:8443"))))
        #expect(try SyncTarget("http://127.0.0.1:8417") == .server(try #require(URL(string: "http://127.0.0.1:8417"))))
        #expect(try SyncTarget("~/Dropbox/gloss") == .folder(path: "~/Dropbox/gloss"))
        #expect(try SyncTarget("httpdocs") == .folder(path: "httpdocs"))
        #expect(throws: SyncError.notAServerURL("http://")) { try SyncTarget("http://") }
    }

    /// Without a token given or saved, a server sync stops before sending anything, with a fact
    /// the front end can turn into advice (and the message names no command-line option).
    @Test func aServerWithoutAGivenOrSavedTokenIsNoToken() async throws {
        let store = try directory.store()
        let target = try SyncTarget("http://127.0.0.1:9")
        await #expect(throws: SyncError.noToken(url: "http://127.0.0.1:9")) {
            _ = try await SyncSession.sync(store, with: target)
        }
        #expect(!SyncError.noToken(url: "http://127.0.0.1:9").description.contains("--"))
        // A saved token is the one presented: the failure is now that nothing answers.
        try store.saveRemote("http://127.0.0.1:9", token: "gloss_saved")
        do {
            _ = try await SyncSession.sync(store, with: target)
            Issue.record("port 9 answered")
        } catch let error as SyncError {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
    }
}
