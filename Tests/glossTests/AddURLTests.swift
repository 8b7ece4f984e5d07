import Foundation
import Testing

/// A local web server (`Fixtures/page-server.py` on 127.0.0.1) serving pages for `gloss add URL`.
final class PageServer {
    let process = Process()
    let input = Pipe()
    let port: Int

    init() throws {
        let script = Bundle.module.url(forResource: "page-server", withExtension: "py", subdirectory: "Fixtures")!
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        port = Int(String(decoding: line, as: UTF8.self)) ?? 0
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

@Suite(.serialized) struct AddURLTests {
    /// Runs `body` with a page server and a fresh store, and stops both after.
    func withServer(_ body: (PageServer, CLI) throws -> Void) throws {
        let server = try PageServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let cli = CLI()
        defer { cli.remove() }
        try body(server, cli)
    }

    @Test func aPersonAddsAWebPage() throws { try withServer { server, cli in
        // Redirected, then saved under the canonical URL the page names.
        let added = try #require(try cli.json(["add", server.url("/moved")]) as? [[String: Any]])
        #expect(added.first?["status"] as? String == "added")
        #expect(added.first?["title"] as? String == "Harbour reopens after the storm")
        let listed = try #require(try cli.json(["list"]) as? [[String: Any]])
        #expect(listed.first?["url"] as? String == server.url("/articles/harbour-reopens"))

        let extracted = try #require(try cli.json(["extract", server.url("/story")]) as? [String: Any])
        #expect(extracted["byline"] as? String == "Mara Quinn")
        let text = try #require(extracted["text"] as? String)
        #expect(text.hasPrefix("The harbour reopened on Monday") && !text.contains("Home"))

        // The server's charset wins over the page's stale declaration.
        let latin = try #require(try cli.json(["extract", server.url("/latin")]) as? [String: Any])
        #expect((latin["text"] as? String)?.contains("Un café crème coûte trois euros") == true)
    } }

    @Test func webPagesThatCannotBeAddedGetAClearMessage() throws { try withServer { server, cli in
        let cases: [(arguments: [String], message: String)] = [
            (["add", server.url("/missing")], "answered 404 (no such page)"),
            (["add", server.url("/loop")], "redirects more than 10 times"),
            (["add", server.url("/image")], "is image/png, not a web page"),
            (["add", server.url("/huge")], "is larger than 32 MB"),
            (["add", "--timeout", "1", server.url("/slow")], "did not answer within 1 second"),
            (["add", "--timeout", "1", server.url("/stall")], "did not answer within 1 second"),
            (["add", server.url("/navigation")], "no article text was found"),
            (["add", "http://127.0.0.1:9/closed"], "cannot fetch http://127.0.0.1:9/closed"),
        ]
        for (arguments, message) in cases {
            let start = Date()
            let result = try cli.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(Date().timeIntervalSince(start) < 8, "\(arguments) took too long")
        }
        let listed = try #require(try cli.json(["list"]) as? [[String: Any]])
        #expect(listed.isEmpty)
    } }
}
