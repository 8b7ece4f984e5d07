import AsyncHTTPClient
import Foundation
import GlossCore
import GlossWeb

/// Where a running `gloss serve` or `gloss open` of a store says it listens, so that another
/// `gloss open` of the same store joins it instead of starting a second one: a small file beside
/// the store (`STORE.server`), written when the server starts and removed when it stops.
struct RunningServer: Codable {
    var pid: Int32
    /// The loopback address the server answers on, e.g. `http://127.0.0.1:8417`.
    var url: String

    static func file(for store: Store) -> String { store.path + ".server" }

    /// Records that this process serves `store` at `url`.
    static func register(_ store: Store, url: String) {
        let record = RunningServer(pid: ProcessInfo.processInfo.processIdentifier, url: url)
        guard let data = try? JSONEncoder().encode(record) else { return }
        FileManager.default.createFile(atPath: file(for: store), contents: data, attributes: [.posixPermissions: 0o600])
    }

    /// Removes this process's record (another process's is left alone).
    static func unregister(_ store: Store) {
        guard let running = recorded(store), running.pid == ProcessInfo.processInfo.processIdentifier else { return }
        try? FileManager.default.removeItem(atPath: file(for: store))
    }

    static func recorded(_ store: Store) -> RunningServer? {
        guard let data = FileManager.default.contents(atPath: file(for: store)) else { return nil }
        return try? JSONDecoder().decode(RunningServer.self, from: data)
    }

    /// The server recorded for `store`, when its process is alive and answers its health check.
    static func find(_ store: Store) async -> RunningServer? {
        guard let running = recorded(store), running.pid > 0, kill(running.pid, 0) == 0,
              let url = URL(string: running.url + "/v1/health") else { return nil }
        return await answers(url) ? running : nil
    }

    /// Whether `url` answers 200 within a second.
    private static func answers(_ url: URL) async -> Bool {
        let request = HTTPClientRequest(url: url.absoluteString)
        let answer = try? await WebClient.send(request, bodyLimit: 4096, deadline: WebClient.deadline(after: 1))
        return answer?.status == 200
    }
}
