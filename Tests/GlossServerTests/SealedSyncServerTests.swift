import Foundation
import GlossCore
import GlossExtraction
import GlossSync
import GlossTestSupport
import Testing

/// `gloss serve` as a trusted replica of an encrypted library: with the key it opens what
/// clients push sealed, seals what it answers, and learns their rotations; without it, it
/// refuses sealed changes and keys, and a client sends nothing in the clear instead.
@Suite struct SealedSyncServerTests {
    let directory = TemporaryDirectory()

    static func sync(_ store: Store, _ server: LiveServer) async throws -> SyncReport {
        try await SyncSession.sync(store, with: try SyncTarget(server.url), token: .use(server.token)).report
    }

    @Test func aServerWithTheKeyOpensSealedPushesSealsItsPagesAndLearnsRotations() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        let recovery = try LibraryEncryption.enable(a).recoveryKey
        for store in [b, server.store] { _ = try LibraryEncryption.join(store, with: .recoveryKey(recovery), folder: nil) }
        let article = try a.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .plainText))
        _ = try a.addNote(articleID: article.id, text: "a private note")
        #expect(try await Self.sync(a, server).sent == 2)
        #expect(try server.store.digest() == a.digest(), "the server opened what a pushed")
        #expect(try await Self.sync(b, server).received == 2)
        #expect(try b.digest() == a.digest())
        // Its pages are sealed: a client without the key is refused them, and applies nothing.
        let keyless = try directory.store("keyless", seed: 3)
        await #expect(throws: SyncError.libraryEncrypted(place: server.url)) {
            _ = try await SyncSession(store: keyless, peer: try HTTPTransport(url: server.url, token: server.token)).run()
        }
        #expect(try keyless.articles().isEmpty)
        // A rotation on a reaches the server through a's published keys.
        let rotation = try LibraryEncryption.rotate(a)
        _ = try a.addNote(articleID: article.id, text: "under the new key")
        _ = try await Self.sync(a, server)
        #expect(try KeyFile.load(for: server.store)?.current == rotation.id)
        _ = try await Self.sync(b, server)
        #expect(try b.digest() == a.digest())
        #expect(try KeyFile.load(for: b)?.current == rotation.id)
    }

    @Test func aServerWithoutTheKeyIsSentNothingInTheClear() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let a = try directory.store("a", seed: 1)
        _ = try LibraryEncryption.enable(a)
        _ = try a.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .plainText))
        let error = await #expect(throws: SyncError.self) { try await Self.sync(a, server) }
        guard case .sealingRefused(let url, let says)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(url == server.url && says.contains("gloss encryption join"), "\(says)")
        #expect("\(error!)".contains("never sent in the clear"))
        #expect(try server.store.articles().isEmpty)
        // A push of sealed changes straight to it is refused, naming why.
        let key = try #require(try KeyFile.load(for: a))
        let transport = try HTTPTransport(url: server.url, token: server.token, keys: key)
        await #expect { _ = try await transport.push(try a.changes(since: VersionVector()), names: [:]) } throws: { error in
            guard case SyncError.sealingRefused(_, let says) = error else { return false }
            return says.contains("holds no key")
        }
        #expect(try server.store.articles().isEmpty)
    }
}
