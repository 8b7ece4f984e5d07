import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossCore
import Testing

/// Inputs a person or a hostile script can hand the binary that used to do the wrong thing.
@Suite struct HostileCLITests {
    /// An empty id (or a wildcard) is no token's prefix: it used to match every token, and
    /// revoked the only one.
    @Test(arguments: ["", "*", "?", "[0-9a-f]*"])
    func revokingWithAnEmptyOrWildcardIdRevokesNothing(id: String) throws {
        let cli = CLI()
        defer { cli.remove() }
        let store = ["--store", cli.home + "/server.sqlite"]
        #expect(try cli.run(["token", "create", "--name", "only"] + store).status == 0)
        let revoke = try cli.run(["token", "revoke", id] + store)
        #expect(revoke.status != 0)
        #expect(revoke.stderr.contains("no token has the id"), "\(revoke.stderr)")
        let tokens = try #require(try cli.json(["token", "list"] + store) as? [[String: Any]])
        #expect(tokens.count == 1)
    }

    /// A store this user may not write: the sync fails before it does anything, with one clear
    /// message, and never says "synced" (it used to, then failed on SQLite's checkpoint). As root,
    /// permissions do not stop writes, so the sync runs as the user nobody (setpriv(1)).
    @Test func syncingAReadOnlyStoreFailsCleanlyBeforeSayingSynced() throws {
        let cli = CLI()
        defer { cli.remove() }
        let path = cli.home + "/store.sqlite"
        let shared = cli.home + "/shared"
        let text = try cli.write("a.txt", "A short article body for the read-only store.")
        #expect(try cli.run(["add", text, "--store", path]).status == 0)
        #expect(try cli.run(["sync", shared, "--store", path]).status == 0)
        // Anyone may make the -wal and -shm files beside it and write into the folder; the store
        // file itself is read-only to the user the sync runs as.
        for folder in [cli.home, shared] { chmod(folder, 0o777) }
        chmod(path, 0o444)

        let process = Process()
        var arguments = [CLI.binary, "sync", shared, "--store", path]
        if geteuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: arguments.removeFirst())
        }
        process.arguments = arguments
        process.environment = ["NO_COLOR": "1", "GLOSS_HOME": cli.home + "/home", "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 1)
        #expect(!stdout.contains("synced"), "\(stdout)")
        #expect(stderr.contains("read-only") && !stderr.contains("checkpoint"), "\(stderr)")
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
    }

    /// A new store is its owner's alone: its folder 0700, the database and its log 0600 (it holds
    /// notes and saved tokens; it was 0755 and 0644, readable by every user of the machine).
    @Test func aNewStoreIsReadableByItsOwnerAlone() throws {
        let cli = CLI()
        defer { cli.remove() }
        let text = try cli.write("a.txt", "A short article body for the private store.")
        let home = cli.home + "/private"
        #expect(try cli.run(["add", text], environment: ["GLOSS_HOME": home]).status == 0)
        let mode = { (path: String) -> Int? in
            (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int).flatMap { $0 }
        }
        #expect(mode(home) == 0o700)
        #expect(mode(home + "/gloss.sqlite") == 0o600)
        // While a store is open (a server keeps it open) its log files exist, with the same mode.
        let path = cli.home + "/served.sqlite"
        #expect(try cli.run(["add", text, "--store", path]).status == 0)
        #expect(mode(path) == 0o600)
        let store = try Store(path: path)
        _ = try store.articles()
        #expect(mode(path + "-wal") == 0o600 && mode(path + "-shm") == 0o600)
    }

    /// A store named by a bare relative name, one letter long or a file name, is made beside
    /// the command (Foundation's path splitting trapped on the one-letter name).
    @Test func aStoreNamedRelativelyIsMadeWhereTheCommandRuns() throws {
        let cli = CLI()
        defer { cli.remove() }
        try Data("A short article body, long enough to be saved as one.".utf8).write(to: URL(fileURLWithPath: cli.home + "/a.txt"))
        for name in ["A", "b.sqlite", "c/"] {
            let added = try cli.run(["add", "a.txt", "--store", name])
            #expect(added.status == 0, "\(name): \(added.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: cli.home + "/A/gloss.sqlite"))
        #expect(FileManager.default.fileExists(atPath: cli.home + "/b.sqlite"))
        #expect(FileManager.default.fileExists(atPath: cli.home + "/c/gloss.sqlite"))
    }
}
