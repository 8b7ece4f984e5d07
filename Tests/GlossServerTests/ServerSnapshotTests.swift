import AsyncHTTPClient
import Foundation
import GlossCore
import GlossExtraction
import GlossServer
import GlossSync
import GlossTestSupport
import GlossWeb
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

/// Issue 17, servers: `gloss serve` hands a joining client a snapshot of its store
/// (`GET /v1/snapshot`), so an empty store starts from it and pulls only what came after; a
/// snapshot that cannot be used falls back to the pull with one warning, a server without one
/// silently.
@Suite struct ServerSnapshotTests {
    let directory = TemporaryDirectory()

    /// A writer with `notes` notes on one article, synced to `server`.
    func history(_ server: LiveServer, notes: Int, seed: UInt64 = 1) async throws -> (Store, String) {
        let writer = try directory.store("writer", seed: seed)
        let id = try writer.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .plainText)).id
        for i in 0..<notes { _ = try writer.addNote(articleID: id, text: "note \(i)") }
        _ = try await SyncSession.sync(writer, with: try SyncTarget(server.url), token: .use(server.token))
        return (writer, id)
    }

    func join(_ name: String, _ server: LiveServer, seed: UInt64) async throws -> (Store, SyncOutcome) {
        let store = try directory.store(name, seed: seed)
        return (store, try await SyncSession.sync(store, with: try SyncTarget(server.url), token: .use(server.token)))
    }

    @Test func aJoinFromTheServersSnapshotEndsAsAJoinByPullAndPullsOnlyWhatCameAfter() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let (writer, article) = try await history(server, notes: 300)
        // The first joiner makes the server write its snapshot: it pulls nothing more.
        let (first, joined) = try await join("first", server, seed: 2)
        #expect(joined.upkeep.joinedFrom == server.url + "/v1/snapshot")
        #expect(joined.upkeep.mergedFromSnapshot == 301 && joined.report.received == 301)
        #expect(joined.report.warnings.isEmpty, "\(joined.report.warnings)")
        #expect(try first.digest() == server.store.digest())
        // Twenty changes later the same snapshot is served (within `snapshotRefreshAfter`):
        // the next joiner takes 301 changes from it and pulls the 20.
        for i in 0..<20 { _ = try writer.addNote(articleID: article, text: "later \(i)") }
        _ = try await SyncSession.sync(writer, with: try SyncTarget(server.url), token: .use(server.token))
        let (second, outcome) = try await join("second", server, seed: 3)
        #expect(outcome.upkeep.mergedFromSnapshot == 301)
        #expect(outcome.report.received - outcome.upkeep.mergedFromSnapshot == 20, "pulled after the snapshot")
        // A join by pull alone ends the same, having pulled all 321.
        let pulled = try directory.store("pulled", seed: 4)
        let byPull = try await SyncSession(store: pulled, peer: try HTTPTransport(url: server.url, token: server.token)).run()
        #expect(byPull.received == 321)
        #expect(try second.digest() == pulled.digest() && pulled.digest() == server.store.digest())
        #expect(try second.articles().map(\.id) == pulled.articles().map(\.id))
        #expect(second.replicaID != server.store.replicaID, "a joiner keeps its own identity")
        // The file is kept beside the server's store, private, and one at a time.
        let folder = server.store.path + ".snapshots"
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("served-") }.count == 1)
        // A store that holds changes does not fetch a snapshot.
        _ = try writer.addNote(articleID: article, text: "one more")
        _ = try await SyncSession.sync(writer, with: try SyncTarget(server.url), token: .use(server.token))
        let again = try await SyncSession.sync(first, with: try SyncTarget(server.url), token: .use(server.token))
        #expect(again.upkeep.joinedFrom == nil && again.report.received == 21)
    }

    /// Past `snapshotRefreshAfter` changes the server makes its snapshot again, and removes the
    /// older file.
    @Test func theServerMakesItsSnapshotAgainOnceTheStoreHasMoved() async throws {
        let server = try await LiveServer.start(directory, configuration: ServerConfiguration(port: 0, snapshotRefreshAfter: 10))
        defer { server.stop() }
        let (writer, article) = try await history(server, notes: 5)
        _ = try await join("first", server, seed: 2)
        for i in 0..<12 { _ = try writer.addNote(articleID: article, text: "later \(i)") }
        _ = try await SyncSession.sync(writer, with: try SyncTarget(server.url), token: .use(server.token))
        let (second, outcome) = try await join("second", server, seed: 3)
        #expect(outcome.upkeep.mergedFromSnapshot == 18 && outcome.report.received == 18)
        #expect(try second.digest() == server.store.digest())
        let files = try FileManager.default.contentsOfDirectory(atPath: server.store.path + ".snapshots")
        #expect(files.filter { $0.hasPrefix("served-") }.count == 1)
    }

    /// A server started again serves the file its earlier run made, while it fits.
    @Test func aRestartedServerServesTheFileItMadeBefore() async throws {
        let first = try await LiveServer.start(directory)
        _ = try await history(first, notes: 5)
        _ = try await join("a", first, seed: 2)
        first.stop()
        let folder = first.store.path + ".snapshots"
        let made = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(made.count == 1 && made[0].hasPrefix("served-"))
        let again = try await LiveServer.start(directory)
        defer { again.stop() }
        let (b, outcome) = try await join("b", again, seed: 3)
        #expect(outcome.upkeep.mergedFromSnapshot == 6 && outcome.report.warnings.isEmpty)
        #expect(try b.digest() == again.store.digest())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == made, "not made again")
    }

    enum Damage: String, CaseIterable, Sendable {
        /// Bytes changed after the server measured them: the download's SHA-256 does not match.
        case onTheWay
        /// A file whose body does not match its own header's checksum, sent with a true digest.
        case inTheFile
        /// Not a snapshot at all.
        case notASnapshot
        /// Cut short inside its first line.
        case cutInsideTheMagicLine
    }

    @Test(arguments: Damage.allCases)
    func aDamagedSnapshotFallsBackToThePullWithOneWarning(_ damage: Damage) async throws {
        let served = Mutex<(Data, [UInt8])?>(nil)
        let server = try await LiveServer.start(directory) { request, context, routes in
            guard request.uri.path == "/v1/snapshot", let (bytes, sha256) = served.withLock({ $0 }) else {
                return try await routes.respond(to: request, context: context)
            }
            var digest = sha256
            if damage == .onTheWay { digest[0] ^= 1 }
            return Response(status: .ok, headers: [.contentType: ServerSnapshot.mediaType,
                                                   HTTPField.Name(ServerSnapshot.digestHeader)!: ServerSnapshot.digestValue(digest)],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        defer { server.stop() }
        _ = try await history(server, notes: 40)
        let folder = URL(fileURLWithPath: directory.path + "/made")
        _ = try ServerSnapshot.write(server.store, into: folder, name: "s.glsnap", keys: nil)
        var bytes = try Data(contentsOf: folder.appendingPathComponent("s.glsnap"))
        switch damage {
        case .onTheWay: break
        case .inTheFile: bytes[bytes.count - 40] ^= 0xff
        case .notASnapshot: bytes = Data("<html>a proxy's error page</html>".utf8)
        case .cutInsideTheMagicLine: bytes = Data("GLOSS".utf8)
        }
        let damaged = directory.path + "/damaged.glsnap"
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let sha256 = try ServerSnapshot.measure(fileAt: damaged).sha256
        served.withLock { $0 = (bytes, sha256) }
        let (store, outcome) = try await join("joiner", server, seed: 2)
        #expect(outcome.upkeep.joinedFrom == nil)
        #expect(outcome.report.warnings.count == 1, "\(outcome.report.warnings)")
        guard case .snapshotInvalid(let file, let problem)? = outcome.report.warnings.first else {
            Issue.record("\(outcome.report.warnings)")
            return
        }
        #expect(file == server.url + "/v1/snapshot")
        switch damage {
        case .onTheWay: #expect(problem.contains("SHA-256 the server sent"), "\(problem)")
        case .inTheFile: #expect(problem.contains("checksum"), "\(problem)")
        case .notASnapshot, .cutInsideTheMagicLine: #expect(problem.contains("not a Gloss snapshot"), "\(problem)")
        }
        #expect(outcome.report.received == 41)
        #expect(try store.digest() == server.store.digest())
        // Nothing is left beside the store.
        let left = try FileManager.default.contentsOfDirectory(atPath: store.path + ".snapshots")
        #expect(left.isEmpty, "\(left)")
    }

    /// A download stops at the client's bound, announced or not, and leaves no file behind.
    @Test func aSnapshotLargerThanTheClientTakesIsRefused() async throws {
        let unannounced = Mutex(false)
        let server = try await LiveServer.start(directory) { request, context, routes in
            var response = try await routes.respond(to: request, context: context)
            if request.uri.path == "/v1/snapshot", unannounced.withLock({ $0 }) { response.headers[.contentLength] = nil }
            return response
        }
        defer { server.stop() }
        _ = try await history(server, notes: 40)
        let transport = try HTTPTransport(url: server.url, token: server.token)
        for hidden in [false, true] {
            unannounced.withLock { $0 = hidden }
            let path = directory.path + "/large-\(hidden).glsnap"
            await #expect(throws: SyncError.snapshotInvalid(file: server.url + "/v1/snapshot",
                                                            problem: "it is larger than 1000 bytes, the most this client takes")) {
                _ = try await transport.downloadSnapshot(to: path, limit: 1_000)
            }
            #expect(!hidden || FileManager.default.fileExists(atPath: path) == true, "the caller removes what a failure left")
        }
        #expect(try await transport.downloadSnapshot(to: directory.path + "/whole.glsnap") != nil)
    }

    /// A download whose file cannot be made says so, not that the server cannot be reached.
    @Test func aDownloadThatCannotBeWrittenSaysWhy() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        _ = try await history(server, notes: 3)
        let taken = directory.path + "/taken.glsnap"
        #expect(FileManager.default.createFile(atPath: taken, contents: Data("someone else's".utf8)))
        let error = await #expect(throws: SyncError.self) {
            _ = try await HTTPTransport(url: server.url, token: server.token).downloadSnapshot(to: taken)
        }
        guard case .snapshotInvalid(_, let problem)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(problem.contains("could not be written beside the store (File exists)"), "\(problem)")
        #expect(FileManager.default.contents(atPath: taken) == Data("someone else's".utf8))
    }

    /// A download or upload a killed sync left beside the store is removed an hour on; a
    /// recent one (another sync's, running now) stays; the folder is kept private.
    @Test func filesAKilledSyncLeftAreRemovedAnHourOn() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        _ = try await history(server, notes: 3)
        let store = try directory.store("joiner", seed: 2)
        let folder = store.path + ".snapshots"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for name in ["download-old.glsnap", "upload-old.glsnap", "download-recent.glsnap"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("partial".utf8)))
        }
        for name in ["download-old.glsnap", "upload-old.glsnap"] {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7_200)], ofItemAtPath: folder + "/" + name)
        }
        let outcome = try await SyncSession.sync(store, with: try SyncTarget(server.url), token: .use(server.token))
        #expect(outcome.upkeep.joinedFrom != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["download-recent.glsnap"])
        // A folder found open to others is made private before anything is written in it.
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o700)
    }

    /// A server without `/v1/snapshot` (an older Gloss, or one that answers 404) is pulled from
    /// as before, without a word.
    @Test func aServerWithoutTheEndpointIsPulledFromSilently() async throws {
        let server = try await LiveServer.start(directory) { request, context, routes in
            guard !request.uri.path.hasPrefix("/v1/snapshot") else { return Response(status: .notFound) }
            return try await routes.respond(to: request, context: context)
        }
        defer { server.stop() }
        _ = try await history(server, notes: 10)
        let (store, outcome) = try await join("joiner", server, seed: 2)
        #expect(outcome.report.warnings.isEmpty && outcome.upkeep.joinedFrom == nil, "\(outcome.report.warnings)")
        #expect(outcome.report.received == 11)
        #expect(try store.digest() == server.store.digest())
    }

    /// A wrong token gets one clear error, and the store is unchanged; an empty server offers
    /// no snapshot.
    @Test func aWrongTokenIsRefusedAndAnEmptyServerOffersNone() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let store = try directory.store("joiner", seed: 2)
        let empty = try HTTPTransport(url: server.url, token: server.token)
        #expect(try await empty.downloadSnapshot(to: directory.path + "/none.glsnap") == nil)
        _ = try await history(server, notes: 3)
        let wrong = try HTTPTransport(url: server.url, token: "gloss_wrong")
        await #expect(throws: SyncError.unauthorized(url: server.url, serverSays: "the bearer token is not valid on this server: make a new one there")) {
            _ = try await wrong.downloadSnapshot(to: directory.path + "/wrong.glsnap")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/wrong.glsnap"))
        let error = await #expect(throws: SyncError.self) {
            _ = try await SyncSession.sync(store, with: try SyncTarget(server.url), token: .use("gloss_wrong"))
        }
        #expect(error?.description.contains("token") == true, "\(String(describing: error))")
        #expect(try store.isEmpty())
    }

    /// An encrypted library's server holds the key and seals what it answers: its snapshot is
    /// sealed too (format 2, under the current key), and a joiner holding the key starts from it.
    @Test func anEncryptedLibrarysSnapshotIsSealed() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let writer = try directory.store("writer", seed: 1)
        let recovery = try LibraryEncryption.enable(writer).recoveryKey
        _ = try LibraryEncryption.join(server.store, with: .recoveryKey(recovery), folder: nil)
        let id = try writer.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .plainText)).id
        for i in 0..<30 { _ = try writer.addNote(articleID: id, text: "a private note \(i)") }
        _ = try await SyncSession.sync(writer, with: try SyncTarget(server.url), token: .use(server.token))
        let joiner = try directory.store("joiner", seed: 2)
        _ = try LibraryEncryption.join(joiner, with: .recoveryKey(recovery), folder: nil)
        let outcome = try await SyncSession.sync(joiner, with: try SyncTarget(server.url), token: .use(server.token))
        #expect(outcome.report.warnings.isEmpty, "\(outcome.report.warnings)")
        #expect(outcome.upkeep.mergedFromSnapshot == 31)
        #expect(try joiner.digest() == writer.digest())
        // What went over the wire: format 2 under the library's current key.
        let path = directory.path + "/fetched.glsnap"
        let sha = try await HTTPTransport(url: server.url, token: server.token).downloadSnapshot(to: path)
        #expect(sha != nil)
        let header = try ServerSnapshot.header(ofFileAt: URL(fileURLWithPath: path), displayName: "fetched")
        let current = try KeyFile.load(for: server.store)?.current
        #expect(header.format == 2 && header.key == current)
        // A client of the library that holds no key is told so before any snapshot is fetched.
        let keyless = try directory.store("keyless", seed: 3)
        await #expect(throws: SyncError.libraryEncrypted(place: server.url)) {
            _ = try await SyncSession.sync(keyless, with: try SyncTarget(server.url), token: .use(server.token))
        }
        #expect(try keyless.isEmpty())
    }
}
