import Foundation
import GlossCore
import GlossExtraction
import GlossTestSupport
import Testing

/// A running `gloss serve` process.
final class ServerProcess {
    let process = Process()
    let url: String
    let port: Int

    init(_ cli: CLI, store: String, port: Int = 0) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--port", String(port), "--store", store]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else { throw CLIError("gloss serve did not start: \(text)") }
        url = String(text[range.lowerBound...])
        self.port = Int(url.split(separator: ":").last ?? "") ?? 0
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite(.serialized) struct ServeCLITests {
    @Test func threeReplicasThroughTheServerAndAFolderConverge() throws {
        let cli = CLI()
        defer { cli.remove() }
        let serverStore = cli.home + "/server"
        let token = try cli.run(["token", "create", "--name", "everyone", "--store", serverStore]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("gloss_"))
        let server = try ServerProcess(cli, store: serverStore)
        defer { server.stop() }
        let (a, b, c) = (["--store", cli.home + "/a"], ["--store", cli.home + "/b"], ["--store", cli.home + "/c"])
        let folder = cli.home + "/usb"
        for (store, name) in [(a, "a"), (b, "b"), (c, "c")] { try cli.run(["init", "--name", name] + store) }

        let id = try #require((try cli.json(["add", SyncCLITests.fixture("ap-migration-talks")] + a) as? [[String: Any]])?.first?["id"] as? String)
        let highlight = try #require((try cli.json(["highlight", id, "Jake Sullivan", "--note", "who led it"] + a) as? [String: Any])?["id"] as? String)
        // a ↔ server with --token (saved), b ↔ server with GLOSS_TOKEN, b ↔ folder ↔ c.
        #expect(try cli.run(["sync", server.url, "--token", token] + a).status == 0)
        #expect(try cli.run(["sync", server.url] + b, environment: ["GLOSS_TOKEN": token]).status == 0)
        #expect(try cli.run(["sync", folder] + b).status == 0)
        #expect(try cli.run(["sync", folder] + c).status == 0)
        #expect(try (cli.json(["annotations"] + c) as? [Any])?.count == 1)

        // A conflict made over HTTP: a and b rewrite the note apart.
        try cli.run(["edit", highlight, "--note", "a: Sullivan led it"] + a)
        try cli.run(["edit", highlight, "--note", "b: Sullivan and Mayorkas led it"] + b)
        #expect(try cli.run(["sync", server.url] + a).status == 0)   // saved token
        let meet = try #require(try cli.run(["sync", server.url, "--json"] + b, environment: ["GLOSS_TOKEN": token]).stdout.data(using: .utf8))
        #expect(((try JSONSerialization.jsonObject(with: meet) as? [String: Any])?["newConflicts"] as? [Any])?.count == 1)
        #expect(try cli.run(["resolve", highlight, "--value", "Sullivan and Mayorkas led it"] + b).status == 0)
        #expect(try cli.run(["sync", server.url] + b, environment: ["GLOSS_TOKEN": token]).status == 0)
        #expect(try cli.run(["sync", folder] + b).status == 0)
        #expect(try cli.run(["sync", folder] + c).status == 0)
        #expect(try cli.run(["sync", server.url] + a).status == 0)

        var digests: Set<String> = []
        for store in [a, b, c, ["--store", serverStore]] {
            #expect(try (cli.json(["conflicts"] + store) as? [Any])?.isEmpty == true)
            digests.insert(try #require((try cli.json(["status"] + store) as? [String: Any])?["digest"] as? String))
        }
        #expect(digests.count == 1)
        let note = try (cli.json(["annotations"] + c) as? [[String: Any]])?.first?["note"] as? String
        #expect(note == "Sullivan and Mayorkas led it")
    }

    @Test func badTokenAndUnreachableServerFailClearlyAndChangeNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let serverStore = cli.home + "/server"
        let token = try cli.run(["token", "create", "--store", serverStore]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(cli, store: serverStore)
        defer { server.stop() }
        let store = ["--store", cli.home + "/a"]
        let wrong = try cli.run(["sync", server.url, "--token", "gloss_wrong"] + store)
        #expect(wrong.status == 1 && wrong.stderr.contains("refused the token"))
        let none = try cli.run(["sync", server.url] + ["--store", cli.home + "/b"])
        #expect(none.status == 1 && none.stderr.contains("no token") && none.stderr.contains("--token"), "\(none.stderr)")
        let health = try cli.run(["status", "--json"] + store)
        #expect(health.status == 0)
        // A token is saved once a sync with it succeeds; a wrong one given later does not replace it.
        #expect(try cli.run(["sync", server.url + "/", "--token", token] + store).status == 0)
        #expect(try cli.run(["sync", server.url, "--token", "gloss_wrong"] + store).status == 1)
        let saved = try cli.run(["sync", server.url] + store)
        #expect(saved.status == 0, "\(saved.stderr)")
        // Saved tokens are listed by server, never shown, and can be forgotten.
        let listed = try #require(try cli.json(["token", "saved"] + store) as? [[String: Any]])
        #expect(listed.map { $0["url"] as? String } == [server.url] && listed.allSatisfy { $0["token"] == nil })
        #expect(!(try cli.run(["token", "saved"] + store).stdout.contains(token)))
        #expect(try cli.run(["token", "forget", server.url + "/"] + store).status == 0)
        let forgotten = try cli.run(["sync", server.url] + store)
        #expect(forgotten.status == 1 && forgotten.stderr.contains("no token"))
        let again = try cli.run(["token", "forget", server.url] + store)
        #expect(again.status == 1 && again.stderr.contains("no token is saved"))
    }

    @Test func revokingAnUnknownTokenSaysHowToListThem() throws {
        let cli = CLI()
        defer { cli.remove() }
        let store = ["--store", cli.home + "/server"]
        let made = try #require(try cli.json(["token", "create", "--name", "laptop"] + store) as? [String: Any])
        let id = try #require(made["id"] as? String)
        let unknown = try cli.run(["token", "revoke", "zz"] + store)
        #expect(unknown.status == 1 && unknown.stderr.contains("gloss token list"), "\(unknown.stderr)")
        let revoked = try cli.run(["token", "revoke", id] + store)
        #expect(revoked.status == 0 && revoked.stdout.contains("laptop"))
        #expect(try cli.run(["token", "list"] + store).stdout.contains("No tokens"))
    }

    /// The server killed with SIGKILL mid-push loses nothing it acknowledged; the client's
    /// retry, against the restarted server, completes the sync.
    @Test func serverKilledMidPushLosesNothingAndTheRetryCompletes() throws {
        let cli = CLI()
        defer { cli.remove() }
        let serverStore = cli.home + "/server.sqlite"
        let notes = 12_000
        let token = try cli.run(["token", "create", "--store", serverStore]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let clientPath = cli.home + "/client.sqlite"
        do {
            let client = try Store(path: clientPath)
            let id = try client.addArticle(ExtractedArticle(title: "Many notes", text: sampleText, format: .plainText)).id
            // Three pages of pushes, so the server can be killed between them.
            _ = try client.record((0..<notes).map { AnnotationDraft(articleID: id, kind: .note, note: "note \($0)") })
            try client.close()
        }
        var server = try ServerProcess(cli, store: serverStore)
        let port = server.port
        let sync = Process()
        sync.executableURL = URL(fileURLWithPath: CLI.binary)
        sync.arguments = ["sync", server.url, "--token", token, "--store", clientPath, "--json"]
        let output = Pipe()
        sync.standardOutput = output
        sync.standardError = FileHandle.nullDevice
        try sync.run()
        // Kill the server once the first page has landed, while the rest is on its way.
        var landed = 0
        let deadline = Date().addingTimeInterval(120)
        while sync.isRunning, landed == 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            let status = try cli.run(["status", "--json", "--store", serverStore])
            let counts = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["counts"] as? [String: Any]
            landed = counts?["changes"] as? Int ?? 0
        }
        let wasPushing = sync.isRunning && landed < notes + 1
        server.kill()
        do {
            let check = try Store(path: serverStore)
            #expect(try check.checkIntegrity() == "ok")
            try check.close()
        }
        server = try ServerProcess(cli, store: serverStore, port: port)
        defer { server.stop() }
        sync.waitUntilExit()
        #expect(wasPushing, "the push had finished before the kill; the test proved nothing")
        #expect(sync.terminationStatus == 0, "the client's retry did not complete the sync")
        let (client, remote) = (try Store(path: clientPath), try Store(path: serverStore))
        #expect(try remote.versionVector().dominates(client.versionVector()))
        #expect(try remote.status().counts.changes == notes + 1)
    }
}
