import ArgumentParser
import Foundation
import GlossCore
import GlossServer
import Logging

struct Serve: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve this store to other replicas over HTTP (the server is itself a replica).",
        discussion: "Serves sync, the JSON API and the web reader (at /). Binds 127.0.0.1 unless --host says otherwise. Clients and browsers need a token from 'gloss token create' ('gloss open' signs this machine's browser in for you). For TLS, run it behind a reverse proxy (see the README).")
    static let concurrentReads = true
    /// A request waits this long for a write by another process (a `gloss sync` of this store
    /// applies in transactions of about a second at most), then gets 503 with Retry-After.
    static let busyTimeout = 3.0

    @OptionGroup var global: GlobalOptions
    @Option(help: "The address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8417

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
    }

    func run(store: Store) async throws {
        if try store.tokens().isEmpty {
            Terminal.printWarning("no tokens yet, so every client will get 401: make one with 'gloss token create --name NAME'")
        }
        var logger = Logger(label: "gloss.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["GLOSS_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .notice
        let host = self.host
        defer { RunningServer.unregister(store) }
        try await runServer(store: store, configuration: ServerConfiguration(host: host, port: port), logger: logger) { port in
            // 'gloss open' joins this server rather than starting another on the same store.
            RunningServer.register(store, url: "http://\(host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host):\(port)")
            FileHandle.standardOutput.write(Data("gloss serve: listening on http://\(host):\(port)\n".utf8))
        }
    }
}
