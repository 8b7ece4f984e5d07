import Foundation
import GlossCompression
import GlossCore
@testable import GlossSync
import GlossTestSupport
import Testing

/// How bundles and HTTP bodies name and tell apart their codings (the codecs themselves are
/// GlossCompressionTests').
@Suite struct ContentCodingTests {
    /// Each coding's output is recognised by its first bytes; plain JSON and nothing are neither.
    @Test(arguments: ContentCoding.allCases)
    func codingsAreRecognisedByTheirFirstBytes(_ coding: ContentCoding) throws {
        for sample in [Data(), Data("{}".utf8), Data((0..<2_000).map { "word \($0 % 13) " }.joined().utf8)] {
            let compressed = try coding.compress(sample)
            #expect(ContentCoding.detect(compressed) == coding)
            #expect(try coding.expand(compressed, limit: sample.count) == sample)
        }
        #expect(ContentCoding.detect(Data("{\"format\":\"gloss-bundle\"}".utf8)) == nil)
        #expect(ContentCoding.detect(Data()) == nil)
    }

    @Test func headersNameCodings() throws {
        #expect(ContentCoding.best(accepting: "zstd, gzip") == .zstd)
        #expect(ContentCoding.best(accepting: "gzip") == .gzip)
        #expect(ContentCoding.best(accepting: "GZIP;q=0.8, deflate") == .gzip)
        #expect(ContentCoding.best(accepting: "zstd;q=0, gzip") == .gzip)
        #expect(ContentCoding.best(accepting: "zstd;q=0.0") == nil)
        #expect(ContentCoding.best(accepting: "*") == .zstd)
        #expect(ContentCoding.best(accepting: "br, identity") == nil)
        #expect(ContentCoding.best(accepting: nil) == nil)
        #expect(try ContentCoding.named(nil) == nil)
        #expect(try ContentCoding.named("identity") == nil)
        #expect(try ContentCoding.named(" Zstd ") == .zstd)
        #expect(try ContentCoding.named("x-gzip") == .gzip)
        #expect(throws: ContentCoding.Unsupported(name: "br")) { try ContentCoding.named("br") }
    }

    /// Bundles are written in zstd; a gzip bundle, as versions before zstd wrote, still reads.
    @Test func bundlesAreZstdAndGzipOnesStillRead() async throws {
        var simulation = try Simulation(seed: 7, replicas: 2)
        _ = try await simulation.run(steps: 20)
        let store = simulation.stores[0]
        let bundle = ChangeBundle(replica: store.replicaID, created: 1, names: try store.replicaNames(),
                                  changes: try store.changes(since: VersionVector()))
        let (data, sha) = try BundleCodec.encode(bundle)
        #expect(ContentCoding.detect(data) == .zstd)
        let old = try ContentCoding.gzip.compress(try ContentCoding.zstd.expand(data, limit: 1 << 24))
        #expect(try BundleCodec.decode(old, expectedSHA256: BundleCodec.sha256(old), file: "old.glb") == bundle)
        #expect(try BundleCodec.decode(data, expectedSHA256: sha, file: "new.glb") == bundle)
    }
}
