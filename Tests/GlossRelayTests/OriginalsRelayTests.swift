import Foundation
import GlossCore
import GlossExtraction
import GlossRelay
import GlossSync
import GlossTestSupport
import Testing

/// A relay carries changes only: a client whose setting sends originals is told once, as a
/// warning, that they stay home, and the sync of the changes succeeds.
@Suite struct OriginalsRelayTests {
    @Test func aRelaySaysOnceThatItCarriesNoOriginals() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let store = try relay.directory.store("alice-laptop", seed: 7)
        for index in 0..<3 {
            let id = try store.addArticle(ExtractedArticle(title: "Piece \(index)", text: sampleText + " \(index)", format: .html)).id
            try store.keepOriginal(Array("<p>page \(index)</p>".utf8), of: id, format: .html)
        }
        try store.setSyncsOriginals(true)
        try await RelayEncryptionTests.live(relay) { url in
            let outcome = try await SyncSession.sync(store, with: try SyncTarget(url), token: .use(token))
            #expect(outcome.report.sent > 0 && !outcome.originals.carried && outcome.originals.sent == 0)
            let notes = outcome.report.warnings.filter { if case .originalsNotCarried = $0 { true } else { false } }
            #expect(notes.count == 1 && outcome.report.warnings.count == 1, "\(outcome.report.warnings)")
        }
        try await relay.storage.close()
    }
}
