import Foundation
import GlossCompression
import GlossCore
@testable import GlossSync
import GlossTestSupport
import Testing

/// zstd and gzip: what bundles and HTTP bodies are written and read in.
@Suite struct ContentCodingTests {
    /// Text like a bundle's (repetitive JSON), and bytes that do not compress.
    static let samples: [Data] = {
        var generator = SplitMix64(seed: 11)
        let noise = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let json = Data((0..<20_000).map { "{\"n\":\($0),\"f\":\"note\",\"v\":{\"s\":\"word \($0 % 97)\"}}," }.joined().utf8)
        return [Data(), Data("{}".utf8), json, noise]
    }()

    @Test(arguments: ContentCoding.allCases)
    func roundTripsAndIsRecognised(_ coding: ContentCoding) throws {
        for sample in Self.samples {
            let compressed = try coding.compress(sample)
            #expect(ContentCoding.detect(compressed) == coding)
            #expect(try coding.expand(compressed, limit: sample.count) == sample)
        }
        #expect(ContentCoding.detect(Data("{\"format\":\"gloss-bundle\"}".utf8)) == nil)
        #expect(ContentCoding.detect(Data()) == nil)
    }

    /// A small body that expands past the limit stops there, in either coding; exactly the limit is fine.
    @Test(arguments: ContentCoding.allCases)
    func expandingStopsAtTheLimit(_ coding: ContentCoding) throws {
        let zeros = Data(repeating: 0, count: 4 << 20)
        let compressed = try coding.compress(zeros)
        #expect(compressed.count < 64 << 10)
        #expect(throws: ContentCoding.Failure.tooLarge) { try coding.expand(compressed, limit: (4 << 20) - 1) }
        #expect(throws: ContentCoding.Failure.tooLarge) { try coding.expand(compressed, limit: 1_000) }
        #expect(try coding.expand(compressed, limit: 4 << 20) == zeros)
    }

    /// Cut short, one byte changed, or not this coding at all: damage, never a wrong result.
    @Test(arguments: ContentCoding.allCases)
    func damageIsReported(_ coding: ContentCoding) throws {
        let sample = Self.samples[2]
        let compressed = try coding.compress(sample)
        var flipped = compressed
        flipped[flipped.count / 2] ^= 0x20
        for bad in [compressed.prefix(compressed.count / 2), compressed.dropLast(1), flipped, Data("not compressed".utf8), Data()] {
            #expect(throws: ContentCoding.Failure.corrupt) { try coding.expand(Data(bad), limit: 1 << 24) }
        }
    }

    /// Two frames (zstd) or members (gzip) one after the other, as a concatenating tool writes
    /// them, read as one body; anything else after the end is damage.
    @Test(arguments: ContentCoding.allCases)
    func partsFollowOneAnother(_ coding: ContentCoding) throws {
        let first = Data("first half, ".utf8), second = Data("second half".utf8)
        let joined = try coding.compress(first) + coding.compress(second)
        #expect(try coding.expand(joined, limit: 1 << 10) == first + second)
        #expect(throws: ContentCoding.Failure.corrupt) { try coding.expand(try coding.compress(first) + Data("junk".utf8), limit: 1 << 10) }
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
