import Foundation
import GlossCore
import GlossExtraction
@testable import GlossRelay
import GlossSync
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The storages every conformance test runs against. PostgreSQL comes from
/// `GLOSS_TEST_POSTGRES_URL` (`scripts/with-postgres`); without it its cases are left out with a
/// loud message, except under `CI=true`, where they run and fail.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["GLOSS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The backends to run: PostgreSQL only when there is one, or under CI (where its absence fails).
    static let available: [Backend] = {
        if postgresURL != nil || isCI { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data("""
            ################################################################################
            GlossRelayTests: GLOSS_TEST_POSTGRES_URL is not set, so the PostgreSQL backend is NOT TESTED.
            Run the tests inside scripts/with-postgres (as 'make test' does) to test it.
            ################################################################################

            """.utf8))
        return [.sqlite]
    }()

    /// A fresh, empty storage: a new SQLite file in `directory`, or a new PostgreSQL schema.
    /// `reopen` opens a second storage over the same data (a second relay process's).
    func make(in directory: TemporaryDirectory) async throws -> (storage: any RelayStorage, reopen: @Sendable () async throws -> any RelayStorage) {
        switch self {
        case .sqlite:
            let path = directory.path + "/relay-\(UUID().uuidString).sqlite"
            return (try SQLiteRelayStorage(path: path), { try SQLiteRelayStorage(path: path) })
        case .postgres:
            guard let url = Self.postgresURL else {
                Issue.record("CI=true and GLOSS_TEST_POSTGRES_URL is not set: the PostgreSQL backend must be tested in CI (scripts/with-postgres)")
                throw CancellationError()
            }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            // Every suite of the network group starts at once, each test migrating a schema of
            // its own on a cluster just started, on two cores: on a slow machine the first
            // migrations waited past the relay's 15 s start timeout (twice in three runs on one
            // machine). What a wrong URL does in time is RelayDatabaseTests' to check.
            let storage = try await PostgresRelayStorage(url: url, schema: String(schema), maxConnections: 4, startTimeout: 60)
            return (storage, { try await PostgresRelayStorage(url: url, schema: String(schema), maxConnections: 4, startTimeout: 60) })
        }
    }
}

/// A relay over one backend, with a user, a library and tokens to call it with.
struct RelayHarness {
    let directory: TemporaryDirectory
    let storage: any RelayStorage
    let reopen: @Sendable () async throws -> any RelayStorage
    let admin: RelayAdmin
    let configuration: RelayConfiguration

    init(_ backend: Backend, configuration: RelayConfiguration = RelayConfiguration()) async throws {
        directory = TemporaryDirectory()
        (storage, reopen) = try await backend.make(in: directory)
        admin = RelayAdmin(storage: storage)
        self.configuration = configuration
    }

    /// A new user with one library and a token for it.
    func library(_ user: String, readOnly: Bool = false) async throws -> (library: RelayLibrary, token: String) {
        _ = try await admin.addUser(user)
        let library = try await admin.addLibrary(user: user, name: "main")
        return (library, try await admin.createToken(user: user, library: "main", readOnly: readOnly).token)
    }

    func app(over storage: (any RelayStorage)? = nil) -> some ApplicationProtocol {
        Application(router: buildRelayRouter(storage: storage ?? self.storage, configuration: configuration))
    }
}

/// What a relay answered.
struct Answer: Sendable {
    var status: HTTPResponse.Status
    var body: String
    var headers: HTTPFields

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try MessageCoding.decode(type, from: Data(body.utf8))
    }
}

extension TestClientProtocol {
    /// Calls the relay as the sync client does (JSON, uncompressed), with `token` when given.
    func call(_ method: HTTPRequest.Method, _ path: String, token: String?, body: Data? = nil,
              headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            var buffer = response.body
            var text = String(buffer: buffer)
            if response.headers[.contentEncoding] != nil, let coding = try? ContentCoding.named(response.headers[.contentEncoding]),
               let bytes = buffer.readBytes(length: buffer.readableBytes), let expanded = try? coding.expand(Data(bytes), limit: 64 << 20) {
                text = String(decoding: expanded, as: UTF8.self)
            }
            return Answer(status: response.status, body: text, headers: response.headers)
        }
    }

    func push(_ changes: [Change], token: String?, names: [String: String] = [:]) async throws -> Answer {
        try await call(.post, "/v1/push", token: token, body: try MessageCoding.encode(PushRequest(changes: changes, names: names)))
    }

    func pull(since: VersionVector = VersionVector(), after: Int64 = 0, limit: Int? = nil, token: String?) async throws -> Answer {
        try await call(.post, "/v1/pull", token: token, body: try MessageCoding.encode(PullRequest(since: since, after: after, limit: limit)))
    }

    func vector(token: String?) async throws -> Answer {
        try await call(.get, "/v1/vector", token: token)
    }

    /// Every change the relay holds for `token`'s library, page by page.
    func pullAll(token: String, since: VersionVector = VersionVector(), limit: Int? = nil) async throws -> [Change] {
        var changes: [Change] = [], after: Int64 = 0
        while true {
            let answer = try await pull(since: since, after: after, limit: limit, token: token)
            #expect(answer.status == .ok, "\(answer.body)")
            let page = try answer.decode(PullResponse.self)
            changes += page.changes
            guard page.more else { return changes }
            after = page.next
        }
    }
}

extension TemporaryDirectory {
    /// The changes of a new store holding `articles` articles, each signed alone (a batch of
    /// one), so that a test may push any of them on its own.
    func changesSignedOneByOne(_ name: String, seed: UInt64, articles: Int) throws -> [Change] {
        let source = try store(name, seed: seed, articles: articles)
        try source.signOwnChanges(batchLength: 1)
        return try source.changes(since: VersionVector())
    }

    /// A store holding `articles` articles: that many changes, all by one replica.
    func store(_ name: String, seed: UInt64, articles: Int) throws -> Store {
        let store = try self.store(name, seed: seed)
        for i in 0..<articles {
            _ = try store.addArticle(ExtractedArticle(title: "\(name) \(i)", text: "Article \(i) of \(name). " + String(repeating: "The council met about the bridge. ", count: 3),
                                                      format: .plainText))
        }
        return store
    }
}
