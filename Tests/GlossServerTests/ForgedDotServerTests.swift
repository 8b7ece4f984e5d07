import Foundation
import GlossCore
import GlossExtraction
import GlossServer
import GlossSync
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A token holder pushing a change under a dot the server holds, with other content: 409, and
/// nothing from the push is applied. Pushing the same change again stays a harmless duplicate.
@Suite struct ForgedDotServerTests {
    let directory = TemporaryDirectory()

    @Test func aPushRewritingAHeldDotIs409AndChangesNothing() async throws {
        let store = try directory.store("server", seed: 9)
        let token = try store.createToken(name: "test").token
        let app = buildApplication(store: store, configuration: ServerConfiguration(), logger: .init(label: "test"))
        let source = try directory.storeWithArticle("source", seed: 3)
        let changes = try source.changes(since: VersionVector())
        try store.apply(changes)
        let digest = try store.digest()
        var forged = changes[0].unsigned
        forged.hlc = HLC(rawValue: forged.hlc.rawValue + 1)

        let bodies = try [changes, [forged]].map {
            String(decoding: try MessageCoding.encode(PushRequest(changes: $0, names: [:])), as: UTF8.self)
        }
        let answers = try await app.test(.router) { client in
            var answers: [(HTTPResponse.Status, String)] = []
            for body in bodies {
                answers.append(try await client.execute(uri: "/v1/push", method: .post,
                                                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                        body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) })
            }
            return answers
        }
        #expect(answers[0].0 == .ok && answers[0].1.contains("\"duplicates\":1"), "\(answers[0])")
        #expect(answers[1].0 == .conflict, "\(answers[1])")
        #expect(answers[1].1.contains("differs from the change"), "\(answers[1].1)")
        #expect(try store.digest() == digest)
    }
}

extension TemporaryDirectory {
    /// A store holding one article: one change.
    func storeWithArticle(_ name: String, seed: UInt64) throws -> Store {
        let store = try self.store(name, seed: seed)
        _ = try store.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText))
        return store
    }
}
