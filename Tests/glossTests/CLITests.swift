import Crypto
import Foundation
import Testing

/// Runs the built `gloss` binary the way a person would, against a temporary store.
struct CLI {
    let home: String

    static var binary: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gloss").path,
            Bundle.main.bundleURL.appendingPathComponent("gloss").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("gloss").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    init() {
        home = NSTemporaryDirectory() + "gloss-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: home) }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GLOSS_HOME"] = home + "/store"
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Starts gloss and sends it SIGKILL after `delay` seconds; true when it was still running.
    func runAndKill(_ arguments: [String], after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GLOSS_HOME"] = home + "/store"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        let running = process.isRunning
        if running { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return running
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments + ["--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func write(_ name: String, _ content: String) throws -> String {
        let path = home + "/" + name
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

let article = """
    Harbor council approves winter budget

    The harbor council met on Tuesday to vote on the winter budget for the old bridge, which has \
    needed repairs for years according to the city's own engineers.

    Members argued for hours about the bridge. The archive shows the bridge was built in 1887, and \
    the council has repaired it four times since, most recently after the storm of 2019.

    In the end the council approved the budget, and repairs begin in March when the weather allows \
    crews to work on the deck.
    """

@Suite(.serialized) struct CLITests {
    @Test func aW3CExportRebuildsAnEmptyLibraryAndAReExtractionKeepsHighlights() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", file]) as? [[String: Any]])?.first?["id"] as? String)
        #expect(try cli.run(["highlight", id, "built in 1887", "--note", "Old!"]).status == 0)
        let export = cli.home + "/notes.jsonld"
        #expect(try cli.run(["export", "--format", "w3c", "--output", export]).status == 0)

        let other = cli.home + "/other.sqlite"
        #expect(try cli.run(["init", "--store", other]).status == 0)
        let imported = try #require(try cli.json(["import", export, "--store", other]) as? [String: Any])
        #expect(imported["articlesAdded"] as? Int == 1)
        let shown = try cli.run(["show", id, "--store", other])
        #expect(shown.status == 0 && shown.stdout.contains("==built in 1887==[1]") && shown.stdout.contains("[1] Old!"))

        // A corrected extraction of the same page replaces the text; the highlight follows.
        let cleaner = try cli.write("cleaner.txt", article.replacingOccurrences(of: "met on Tuesday", with: "met late on Tuesday evening"))
        let replaced = try cli.run(["add", cleaner, "--replace", String(id.prefix(8))])
        #expect(replaced.status == 0 && replaced.stdout.contains("1 highlight(s) located again, 0 orphaned"), "\(replaced.stderr)")
        #expect(try cli.run(["show", id]).stdout.contains("==built in 1887==[1]"))
        let unknown = try cli.run(["add", cleaner, "--replace", "ffffffff"])
        #expect(unknown.status != 0 && !unknown.stderr.isEmpty)
    }

    @Test func aPersonAddsHighlightsSearchesAndExports() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        let added = try #require(try cli.json(["add", file]) as? [[String: Any]])
        let id = try #require(added.first?["id"] as? String)
        #expect(added.first?["status"] as? String == "added")

        let again = try cli.run(["add", file])
        #expect(again.status == 0 && again.stdout.contains("already saved"))

        let highlight = try cli.run(["highlight", String(id.prefix(6)), "approved the budget", "--note", "At last", "--tag", "city"])
        #expect(highlight.status == 0, "\(highlight.stderr)")
        let shown = try cli.run(["show", String(id.prefix(6)), "--width", "60"])
        #expect(shown.stdout.contains("==approved the budget==[1]"))
        #expect(shown.stdout.contains("[1] At last"))
        #expect(shown.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 })

        let hits = try #require(try cli.json(["search", "last"]) as? [[String: Any]])
        #expect(hits.first?["kind"] as? String == "annotation")

        let status = try #require(try cli.json(["status"]) as? [String: Any])
        #expect((status["counts"] as? [String: Any])?["annotations"] as? Int == 1)
        #expect(status["versionVector"] is [String: Any] && status["replica"] is String && status["name"] is String)
        let export = try cli.run(["export", "--format", "json"])
        #expect(export.status == 0)
        #expect(sha256(export.stdout) == status["digest"] as? String)

        let log = try #require(try cli.json(["log"]) as? [[String: Any]])
        #expect(log.count == 2)
        let list = try cli.run(["list", "--tag", "nothing"])
        #expect(list.status == 0 && list.stdout.contains("No article is tagged"))
    }

    @Test func standardInputAndMarkdownFrontMatter() throws {
        let cli = CLI()
        defer { cli.remove() }
        let markdown = "---\ntitle: Notes on tides\nurl: https://example.com/tides\ntags: [sea, science]\n---\n\n# Notes on tides\n\nThe tide rises twice a day because the moon pulls the oceans, and the sun helps or hinders it.\n"
        let result = try cli.run(["add", "-", "--format", "markdown", "--json"], stdin: Data(markdown.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let list = try #require(try cli.json(["list"]) as? [[String: Any]])
        #expect(list.first?["title"] as? String == "Notes on tides")
        #expect(list.first?["url"] as? String == "https://example.com/tides")
        #expect(list.first?["tags"] as? [String] == ["science", "sea"])
    }

    @Test func badInputGetsOneClearMessageAndChangesNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        #expect(try cli.run(["add", file]).status == 0)
        let digest = { try (cli.json(["status"]) as? [String: Any])?["digest"] as? String }
        let changes = { try ((cli.json(["status"]) as? [String: Any])?["counts"] as? [String: Any])?["changes"] as? Int }
        let before = (try digest(), try changes())

        let empty = try cli.write("empty.txt", "  \n\n ")
        let binary = cli.home + "/blob.bin"
        try Data([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0]).write(to: URL(fileURLWithPath: binary))
        let latin1 = cli.home + "/latin1.txt"
        try Data("caf\u{e9} cr\u{e8}me".data(using: .isoLatin1)!).write(to: URL(fileURLWithPath: latin1))
        let cases: [([String], String)] = [
            (["add", cli.home + "/missing.txt"], "no such file"),
            (["add", empty], "empty"),
            (["add", binary], "binary"),
            (["add", latin1], "UTF-8"),
            (["show", "ffffffff"], "no article or annotation"),
            (["show", "zz"], "not an id"),
            (["highlight", "fffffffff", "a submarine"], "no article or annotation"),
            (["delete", "ffffffff"], "no article or annotation"),
            (["edit", "ffffffff", "--note", "x"], "no article or annotation"),
        ]
        for (arguments, message) in cases {
            let result = try cli.run(arguments)
            #expect(result.status != 0, "\(arguments) should fail")
            #expect(result.stderr.lowercased().contains(message.lowercased()), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): one message, got \(result.stderr)")
        }
        let id = try #require((try cli.json(["list"]) as? [[String: Any]])?.first?["id"] as? String)
        let missing = try cli.run(["highlight", id, "a submarine"])
        #expect(missing.status == 1 && missing.stderr.contains("does not occur"))
        let ambiguous = try cli.run(["highlight", id, "the bridge"])
        #expect(ambiguous.status == 1 && ambiguous.stderr.contains("--occurrence"))
        let usage = try cli.run(["edit", id])
        #expect(usage.status == 64)
        #expect(try digest() == before.0 && changes() == before.1)
    }

    /// The library's facts reach a person whole, with the command to use next added by the CLI.
    @Test func libraryFactsComeWithAdvice() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", file]) as? [[String: Any]])?.first?["id"] as? String)
        let search = try cli.run(["search", "tag:history"])
        #expect(search.status == 1 && search.stderr.contains("the search has no words"), "\(search.stderr)")
        #expect(search.stderr.contains("gloss search '"), "\(search.stderr)")
        let colour = try cli.run(["highlight", id, "built in 1887", "--color", "mauve"])
        #expect(colour.status == 1 && colour.stderr.contains("unknown colour 'mauve'. Use one of: yellow, green"), "\(colour.stderr)")
        let notJSON = try cli.write("notes.json", "{\"type\": ")
        let imported = try cli.run(["import", notJSON])
        #expect(imported.status == 1 && imported.stderr.contains("not valid JSON"), "\(imported.stderr)")
        #expect(imported.stderr.contains("'gloss import' reads W3C Web Annotation JSON-LD"), "\(imported.stderr)")
        #expect(imported.stderr.split(separator: "\n").count == 1, "\(imported.stderr)")
    }

    @Test func aFileThatIsNotAGlossStoreIsRefused() throws {
        let cli = CLI()
        defer { cli.remove() }
        let path = try cli.write("diary.sqlite", "Dear diary, today I learned SQLite headers are 100 bytes long.\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try cli.run(["list", "--store", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a Gloss store"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func markdownExportWritesOneFilePerArticleAndUpdatesInPlace() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", file]) as? [[String: Any]])?.first?["id"] as? String)
        let highlight = try #require((try cli.json(["highlight", id, "approved the budget", "--note", "At last", "--tag", "city"]) as? [String: Any])?["id"] as? String)
        let vault = cli.home + "/vault"
        #expect(try cli.run(["export", "--format", "markdown", "--output", vault]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: vault)
        #expect(files.count == 1 && files[0].hasSuffix("-\(id.prefix(8)).md"))
        let text = try String(contentsOfFile: vault + "/" + files[0], encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Harbor council approves winter budget\""))
        #expect(text.contains("id: \(id)") && text.contains("> approved the budget") && text.contains("At last"))
        #expect(text.contains("#city") && text.contains("^" + highlight.prefix(8)))
        try cli.run(["edit", highlight, "--note", "Finally approved"])
        #expect(try cli.run(["export", "--format", "markdown", "--output", vault]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: vault) == files)
        #expect(try String(contentsOfFile: vault + "/" + files[0], encoding: .utf8).contains("Finally approved"))
        #expect(try cli.run(["export", "--format", "markdown"]).status == 64)
    }

    @Test func demoRunsAndShowsConvergence() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["demo", "--directory", cli.home + "/demo"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("digests equal: true"))
        #expect(!result.stdout.contains("digests equal: false"))
        // Issue 19: the encrypted folder holds nothing readable; the key holder reads it all.
        #expect(result.stdout.contains("0 in the encrypted one") && result.stdout.contains("desktop reads the note: \"Private"))
        #expect(FileManager.default.fileExists(atPath: cli.home + "/demo/laptop.sqlite"), "--directory keeps the stores")
        #expect(result.stdout.contains("--store \(cli.home)/demo/laptop.sqlite"))
    }
}

func sha256(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
