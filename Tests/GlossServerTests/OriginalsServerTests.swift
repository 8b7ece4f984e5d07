import Foundation
import GlossCompression
import GlossCore
import GlossExtraction
@testable import GlossServer
import GlossSync
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Issue 20 through `gloss serve`: originals go up and come down by `/v1/originals` when the
/// sending store's setting is on, byte for byte and once, checked before they are kept, and
/// sealed both ways in an encrypted library.
@Suite struct OriginalsServerTests {
    let directory = TemporaryDirectory()

    static let page = Array("""
        <html><head><title>Harbor lights</title></head><body><article><h1>Harbor lights</h1>
        <p>The periwinkle lamps of the quartermaster's pier were lit again after the winter storms.</p>
        </article></body></html>
        """.utf8)

    static func withOriginal(_ store: Store) throws -> String {
        let id = try store.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .html)).id
        try store.keepOriginal(page, of: id, format: .html, source: "https://example.org/harbor-lights", charset: "utf-8")
        return id
    }

    static func sync(_ store: Store, _ server: LiveServer) async throws -> SyncOutcome {
        try await SyncSession.sync(store, with: try SyncTarget(server.url), token: .use(server.token))
    }

    @Test func originalsGoUpAndComeDownOnceWhenTheSendersSettingIsOn() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        let id = try Self.withOriginal(a)

        // Off: the changes go, the original stays.
        #expect(try await Self.sync(a, server).originals.sent == 0)
        #expect(try server.store.originalRecord(of: id) == nil)

        try a.setSyncsOriginals(true)
        let up = try await Self.sync(a, server)
        #expect(up.originals.sent == 1 && up.report.warnings.isEmpty, "\(up.report.warnings)")
        #expect(try server.store.original(of: id).bytes == Self.page)
        #expect(try server.store.originalRecord(of: id) == a.originalRecord(of: id))

        // The server's setting is off: b gets the article, not its original.
        let withheld = try await Self.sync(b, server)
        #expect(withheld.report.received > 0 && withheld.originals.received == 0)
        #expect(throws: OriginalError.noOriginal(articleID: id)) { try b.original(of: id) }

        try server.store.setSyncsOriginals(true)
        let down = try await Self.sync(b, server)
        #expect(down.originals.received == 1 && down.report.warnings.isEmpty, "\(down.report.warnings)")
        #expect(try b.original(of: id).bytes == Self.page)

        // Again: nothing either way.
        try b.setSyncsOriginals(true)
        for store in [a, b] {
            let again = try await Self.sync(store, server)
            #expect(again.originals.sent == 0 && again.originals.received == 0)
        }
    }

    @Test func anUploadWhoseBytesAreNotItsEntrysIsRefusedAndNothingIsKept() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let a = try directory.store("a", seed: 1)
        let id = try Self.withOriginal(a)
        _ = try await Self.sync(a, server)
        let record = try #require(try a.originalRecord(of: id))
        let transport = try HTTPTransport(url: server.url, token: server.token)
        do {
            _ = try await transport.sendOriginal(record, bytes: Array(Self.page.reversed()))
            Issue.record("the server kept bytes that are not the original's")
        } catch let problem as OriginalsProblem {
            #expect(problem.description.contains("422") && problem.description.contains("SHA-256"), "\(problem)")
        }
        #expect(try server.store.originalRecord(of: id) == nil)
        #expect(try await transport.sendOriginal(record, bytes: Self.page))
        #expect(try server.store.original(of: id).bytes == Self.page)
    }

    @Test func theRoutesNeedTheTokenAndAServerThatDoesNotSendSaysSo() async throws {
        let store = try directory.store("server", seed: 9)
        let token = try store.createToken(name: "test").token
        let id = try Self.withOriginal(store)
        let app = buildApplication(store: store, configuration: ServerConfiguration(), logger: .init(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/originals", method: .get) { #expect($0.status == .unauthorized) }
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            try await client.execute(uri: "/v1/originals/" + id, method: .get, headers: auth) { #expect($0.status == .forbidden) }
            try store.setSyncsOriginals(true)
            try await client.execute(uri: "/v1/originals/" + id, method: .get, headers: auth) { response in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(OriginalResponse.self, from: Data(response.body.readableBytesView))
                #expect(try Codecs.zstdExpand(Array(try #require(Data(base64Encoded: answer.data))), limit: 1 << 20) == Self.page)
            }
            try await client.execute(uri: "/v1/originals/" + String(repeating: "0", count: 32), method: .get, headers: auth) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func inAnEncryptedLibraryTheListAndTheBytesTravelSealed() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let a = try directory.store("a", seed: 1), b = try directory.store("b", seed: 2)
        let recovery = try LibraryEncryption.enable(a).recoveryKey
        for store in [b, server.store] { _ = try LibraryEncryption.join(store, with: .recoveryKey(recovery), folder: nil) }
        let id = try Self.withOriginal(a)
        for store in [a, server.store] { try store.setSyncsOriginals(true) }
        #expect(try await Self.sync(a, server).originals.sent == 1)
        #expect(try server.store.original(of: id).bytes == Self.page)
        let down = try await Self.sync(b, server)
        #expect(down.originals.received == 1 && down.report.warnings.isEmpty, "\(down.report.warnings)")
        #expect(try b.original(of: id).bytes == Self.page)

        // What the server answers holds neither the page nor its address; an upload in the clear
        // is refused.
        let app = buildApplication(store: server.store, configuration: ServerConfiguration(), logger: .init(label: "test"))
        let auth: HTTPFields = [.authorization: "Bearer \(server.token)", .contentType: "application/json"]
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/originals", method: .get, headers: auth) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && text.contains("\"sealed\"") && !text.contains("example.org") && !text.contains(id), "\(text)")
            }
            try await client.execute(uri: "/v1/originals/" + id, method: .get, headers: auth) { response in
                let answer = try JSONDecoder().decode(OriginalResponse.self, from: Data(response.body.readableBytesView))
                #expect(answer.key != nil)
                #expect((try? Codecs.zstdExpand(Array(Data(base64Encoded: answer.data) ?? Data()), limit: 1 << 20)) == nil)
            }
            let c = try directory.store("c", seed: 3)
            let other = try c.addArticle(ExtractedArticle(title: "Other", text: sampleText + " other", format: .html)).id
            try c.keepOriginal(Self.page, of: other, format: .html)
            let record = try #require(try c.originalRecord(of: other))
            let clear = OriginalUpload(manifest: try OriginalsManifest(replica: "", entries: [OriginalEntry(record)], keys: nil),
                                       data: Data(try Codecs.zstdCompress(Self.page)).base64EncodedString(), key: nil)
            try await client.execute(uri: "/v1/originals/" + id, method: .put, headers: auth,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(clear))) { response in
                #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            }
        }
    }

    /// A server that answers another page's bytes for an original (damaged, or hostile): the
    /// client names it in a warning and keeps nothing; the changes are synced.
    @Test func anOriginalAServerAnswersWrongIsSkippedWithAWarning() async throws {
        let server = try await LiveServer.start(directory, name: "hostile") { request, context, routes in
            guard request.method == .get, request.uri.path.hasPrefix("/v1/originals/") else {
                return try await routes.respond(to: request, context: context)
            }
            let forged = OriginalResponse(data: Data(try Codecs.zstdCompress(Array(Self.page.reversed()))).base64EncodedString(), key: nil)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(forged))))
        }
        defer { server.stop() }
        let id = try Self.withOriginal(server.store)
        try server.store.setSyncsOriginals(true)
        let b = try directory.store("b", seed: 2)
        let outcome = try await Self.sync(b, server)
        #expect(outcome.report.received > 0 && outcome.originals.received == 0)
        #expect(try b.originalRecord(of: id) == nil)
        #expect(outcome.report.warnings.count == 1 && outcome.report.warnings[0].description.contains("SHA-256")
                && outcome.report.warnings[0].description.contains("/v1/originals/" + id), "\(outcome.report.warnings)")
    }
}
