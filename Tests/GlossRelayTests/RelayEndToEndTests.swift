import Foundation
import GlossTestSupport
import Testing

/// The real `gloss` binary: a relay on a SQLite file, administered and synced through the way a
/// person would, with stores that sync through it, and through a folder beside it.
@Suite(.serialized) struct RelayEndToEndTests {
    let directory = TemporaryDirectory()

    @Test func twoStoresConvergeThroughARelayAndWithAThirdThatAlsoSyncsThroughAFolder() async throws {
        let database = directory.path + "/relay.sqlite"
        let gloss = Gloss(home: directory.path)
        try gloss.ok(["relay", "user", "add", "alice", "--database", database])
        try gloss.ok(["relay", "library", "add", "alice", "books", "--database", database])
        let created = try gloss.json(["relay", "token", "create", "alice", "--database", database])
        let token = try #require(created["token"] as? String)
        let listed = try gloss.run(["relay", "token", "list", "--json", "--database", database])
        #expect(listed.status == 0 && listed.stdout.contains("\"library\" : \"books\"") && !listed.stdout.contains(token))

        let relay = try gloss.startRelay(database: database)
        defer { relay.stop() }
        let url = relay.url
        let folder = directory.path + "/shared"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        // a and b sync only through the relay; c only through the folder; d through both.
        for (i, name) in ["a", "b", "c", "d"].enumerated() {
            let store = directory.path + "/" + name
            try gloss.ok(["init", "--store", store, "--name", name])
            let file = directory.path + "/\(name).txt"
            try Data("Article by \(name)\n\nThe council met on day \(i) to talk about the bridge, the budget and the harbor.\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            try gloss.ok(["add", "--store", store, file])
        }
        let viaRelay = { (name: String) in try gloss.ok(["sync", "--store", self.directory.path + "/" + name, url, "--token", token]) }
        let viaFolder = { (name: String) in try gloss.ok(["sync", "--store", self.directory.path + "/" + name, folder]) }
        for _ in 0..<2 {
            try viaRelay("a")
            try viaRelay("b")
            try viaFolder("c")
            try viaFolder("d")
            try viaRelay("d")
        }
        try viaRelay("a")
        try viaRelay("b")
        try viaFolder("c")

        var digests: [String: String] = [:]
        for name in ["a", "b", "c", "d"] {
            let status = try gloss.json(["status", "--store", directory.path + "/" + name])
            digests[name] = status["digest"] as? String
            #expect((status["counts"] as? [String: Any])?["articles"] as? Int == 4, "\(name): \(status)")
        }
        #expect(Set(digests.values).count == 1, "\(digests)")

        // A read-only token pulls and is refused a push, naming why.
        let reader = try #require(try gloss.json(["relay", "token", "create", "alice", "--read-only", "--database", database])["token"] as? String)
        let e = directory.path + "/e"
        try gloss.ok(["init", "--store", e, "--name", "e"])
        try gloss.ok(["sync", "--store", e, url, "--token", reader])
        let file = directory.path + "/e.txt"
        try Data("Article by e\n\nA reader's own note about the river.\n".utf8).write(to: URL(fileURLWithPath: file))
        try gloss.ok(["add", "--store", e, file])
        let refused = try gloss.run(["sync", "--store", e, url, "--token", reader])
        #expect(refused.status != 0 && refused.stderr.contains("403") && refused.stderr.contains("read-only"), "\(refused.stderr)")

        // A revoked token is refused from the next request on, by the running relay.
        let id = try #require(created["id"] as? String)
        try gloss.ok(["relay", "token", "revoke", id, "--database", database])
        let revoked = try gloss.run(["sync", "--store", directory.path + "/a", url, "--token", token])
        #expect(revoked.status != 0 && revoked.stderr.contains("refused the token"), "\(revoked.stderr)")

        // SIGTERM stops it cleanly.
        relay.stop()
        #expect(relay.process.terminationReason == .exit && relay.process.terminationStatus == 0)
    }

    /// An encrypted library through a relay, as a person runs it: enabled with a passphrase on
    /// one machine, joined on another with the passphrase and the relay's URL; a machine without
    /// the key is told so and changes nothing.
    @Test func anEncryptedLibrarySyncsThroughARelayAndAMachineJoinsWithThePassphrase() throws {
        let database = directory.path + "/sealed.sqlite"
        let gloss = Gloss(home: directory.path)
        try gloss.ok(["relay", "user", "add", "carol", "--database", database])
        try gloss.ok(["relay", "library", "add", "carol", "notes", "--database", database])
        let token = try #require(try gloss.json(["relay", "token", "create", "carol", "--database", database])["token"] as? String)
        let relay = try gloss.startRelay(database: database)
        defer { relay.stop() }
        let (a, b, c) = (directory.path + "/sealed-a", directory.path + "/sealed-b", directory.path + "/sealed-c")
        for store in [a, b, c] { try gloss.ok(["init", "--store", store]) }
        let file = directory.path + "/private.txt"
        try Data("A private piece\n\nThe lamplighter counted seventeen gulls over the harbor.\n".utf8).write(to: URL(fileURLWithPath: file))
        try gloss.ok(["add", "--store", a, file])
        let enabled = try gloss.run(["encryption", "enable", "--passphrase", "--store", a], input: "correct horse battery\n")
        #expect(enabled.status == 0, "\(enabled.stderr)")
        try gloss.ok(["sync", "--store", a, relay.url, "--token", token])

        let keyless = try gloss.run(["sync", "--store", c, relay.url, "--token", token])
        #expect(keyless.status != 0 && keyless.stderr.contains("encrypted") && keyless.stderr.contains("gloss encryption join"), "\(keyless.stderr)")
        let wrong = try gloss.run(["encryption", "join", "--passphrase", "--store", b, relay.url, "--token", token], input: "wrong horse battery\n")
        #expect(wrong.status != 0 && wrong.stderr.contains("passphrase"), "\(wrong.stderr)")
        let joined = try gloss.run(["encryption", "join", "--passphrase", "--store", b, relay.url, "--token", token], input: "correct horse battery\n")
        #expect(joined.status == 0, "\(joined.stderr)")
        try gloss.ok(["sync", "--store", b, relay.url, "--token", token])
        let digests = try [a, b].map { try gloss.json(["status", "--store", $0])["digest"] as? String }
        #expect(digests[0] != nil && digests[0] == digests[1])
        let stored = [database, database + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(stored.contains("relay_change"), "the check reads the relay's database")
        #expect(!stored.contains("seventeen gulls") && !stored.contains("A private piece"))
    }

    @Test func administrationErrorsSayWhatIsWrong() throws {
        let database = directory.path + "/admin.sqlite"
        let gloss = Gloss(home: directory.path)
        try gloss.ok(["relay", "user", "add", "bob", "--database", database])
        let again = try gloss.run(["relay", "user", "add", "bob", "--database", database])
        #expect(again.status == 1 && again.stderr.contains("already a user named 'bob'"), "\(again.stderr)")
        let noLibrary = try gloss.run(["relay", "token", "create", "bob", "--database", database])
        #expect(noLibrary.status == 1 && noLibrary.stderr.contains("no library"), "\(noLibrary.stderr)")
        let nobody = try gloss.run(["relay", "library", "add", "carol", "x", "--database", database])
        #expect(nobody.status == 1 && nobody.stderr.contains("no user named 'carol'"), "\(nobody.stderr)")
        let unknown = try gloss.run(["relay", "token", "revoke", "nope", "--database", database])
        #expect(unknown.status == 1 && unknown.stderr.contains("no token has the id 'nope'"), "\(unknown.stderr)")
    }
}

/// Runs the built `gloss` binary with a private Gloss home.
struct Gloss: Sendable {
    let home: String
    var environment: [String: String] = [:]

    static var binary: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gloss").path,
            Bundle.main.bundleURL.appendingPathComponent("gloss").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("gloss").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The environment a `gloss` child runs in: this harness's home, no colour, no relay database
    /// but the one `environment` names.
    var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GLOSS_HOME"] = home + "/home"
        environment["NO_COLOR"] = "1"
        environment["GLOSS_RELAY_DATABASE"] = nil
        for (key, value) in self.environment { environment[key] = value }
        return environment
    }

    private func process(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = childEnvironment
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        return process
    }

    /// Runs `gloss arguments`, with `input` as its standard input (else none).
    func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let process = process(arguments)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let pipe = input.map { _ in Pipe() }
        process.standardInput = pipe ?? FileHandle.nullDevice
        try process.run()
        if let pipe, let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func ok(_ arguments: [String]) throws {
        let result = try run(arguments)
        #expect(result.status == 0, "gloss \(arguments.joined(separator: " ")): \(result.stderr)")
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments + ["--json"])
        #expect(result.status == 0, "gloss \(arguments.joined(separator: " ")): \(result.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// A running `gloss relay` on a free port.
    final class RunningRelay: Sendable {
        let process: Process
        let url: String
        init(process: Process, url: String) {
            self.process = process
            self.url = url
        }

        /// SIGTERM, as an operator stops it, and waits for it to exit; SIGKILL after `patience`
        /// seconds (a relay that never finishes a request must fail its test, not hang it).
        func stop(patience: Double = 15) {
            if process.isRunning { process.terminate() }
            let deadline = Date(timeIntervalSinceNow: patience)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill() }
            process.waitUntilExit()
        }

        /// SIGKILL: the relay dies without finishing anything.
        func kill() {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Starts `gloss relay` on `port` (0: a free one) and waits until it listens.
    func startRelay(database: String? = nil, port: Int = 0, options: [String] = []) throws -> RunningRelay {
        let process = process(["relay", "--port", String(port)] + (database.map { ["--database", $0] } ?? []) + options)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "gloss relay: listening on http://127.0.0.1:PORT"
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw RelayDidNotStart(output: text)
        }
        let url = text[range.lowerBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return RunningRelay(process: process, url: url)
    }

    struct RelayDidNotStart: Error { var output: String }
}
