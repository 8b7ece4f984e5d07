import ArgumentParser
import Foundation
import GlossCore
import GlossServer
import Logging

struct Open: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Read and annotate in the browser: starts the web reader on this machine (or joins the one running) and signs you in.",
        discussion: "Prints a one-time sign-in link (valid for 10 minutes) and opens it in the browser when a display is available. The reader stays up until Ctrl-C. Other browsers sign in with a token from 'gloss token create'.")
    static let concurrentReads = true
    static let busyTimeout = Serve.busyTimeout

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("An article to open (its id or a unique prefix); else the library.", valueName: "article"),
              completion: Completions.articles)
    var article: String?
    @Option(help: "The port to listen on when a reader must be started (0 picks a free one).")
    var port = 0
    @Flag(help: "Print the link only; do not start a browser.")
    var noBrowser = false

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
    }

    func run(store: Store) async throws {
        let next = try article.map { "/articles/" + (try store.articleID(prefix: $0)) } ?? "/"
        if let running = await RunningServer.find(store) {
            try announce(base: running.url, next: next, store: store, started: false)
            return
        }
        var logger = Logger(label: "gloss.open")
        logger.logLevel = ProcessInfo.processInfo.environment["GLOSS_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .notice
        defer { RunningServer.unregister(store) }
        let command = self
        try await runServer(store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: port), logger: logger) { port in
            let base = "http://127.0.0.1:\(port)"
            RunningServer.register(store, url: base)
            do {
                try command.announce(base: base, next: next, store: store, started: true)
            } catch {
                Terminal.printError("could not make a sign-in link: \(error)")
            }
        }
    }

    /// Prints the sign-in link (and opens it when a browser can be shown).
    private func announce(base: String, next: String, store: Store, started: Bool) throws {
        let code = try store.createLoginCode()
        var components = URLComponents(string: base + "/login")!
        components.queryItems = [URLQueryItem(name: "code", value: code)] + (next == "/" ? [] : [URLQueryItem(name: "next", value: next)])
        let link = components.string!
        let heading = started ? "gloss open: the reader is at \(base) (Ctrl-C stops it)" : "gloss open: the reader is already running at \(base)"
        FileHandle.standardOutput.write(Data("\(heading)\nsign in: \(link)\n".utf8))
        if !noBrowser { Browser.open(link) }
    }
}

/// Opens a link in the person's browser when there is a display to show it on.
enum Browser {
    static func open(_ link: String) {
        let environment = ProcessInfo.processInfo.environment
        #if os(macOS)
        let opener = "/usr/bin/open"
        #else
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return }
        let opener = "/usr/bin/xdg-open"
        #endif
        guard FileManager.default.isExecutableFile(atPath: opener) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [link]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }
}
