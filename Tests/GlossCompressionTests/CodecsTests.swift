import GlossCompression
import Synchronization
import Testing

/// zstd and gzip through libzstd and zlib: round trips, damage refused, expansion bounded.
@Suite struct CodecsTests {
    /// A way to compress and expand, for tests that hold for both.
    struct Codec: Sendable, CustomStringConvertible {
        let description: String
        let compress: @Sendable ([UInt8]) throws -> [UInt8]
        let expand: @Sendable ([UInt8], Int) throws(Codecs.Failure) -> [UInt8]
        /// The first bytes every stream in this coding starts with.
        let magic: [UInt8]
    }

    static let codecs = [
        Codec(description: "zstd", compress: Codecs.zstdCompress, expand: Codecs.zstdExpand, magic: [0x28, 0xb5, 0x2f, 0xfd]),
        Codec(description: "gzip", compress: Codecs.gzipCompress, expand: Codecs.gzipExpand, magic: [0x1f, 0x8b]),
    ]

    /// Text like a bundle's (repetitive JSON), bytes that do not compress, and the edge sizes.
    static let samples: [[UInt8]] = {
        let json = Array((0..<20_000).map { "{\"n\":\($0),\"f\":\"note\",\"v\":{\"s\":\"word \($0 % 97)\"}}," }.joined().utf8)
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255) }
        return [[], [0x7b], Array("{}".utf8), json, noise]
    }()

    @Test(arguments: codecs)
    func everySampleRoundTrips(_ codec: Codec) throws {
        for sample in Self.samples {
            let compressed = try codec.compress(sample)
            #expect(Array(compressed.prefix(codec.magic.count)) == codec.magic)
            #expect(try codec.expand(compressed, sample.count) == sample)
        }
        let json = Self.samples[3]
        #expect(try codec.compress(json).count < json.count / 10, "repetitive JSON barely shrank")
    }

    /// A small stream that expands past the limit stops there; exactly the limit is fine.
    @Test(arguments: codecs)
    func expandingStopsAtTheLimit(_ codec: Codec) throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let compressed = try codec.compress(zeros)
        #expect(compressed.count < 64 << 10)
        #expect(throws: Codecs.Failure.tooLarge) { try codec.expand(compressed, (4 << 20) - 1) }
        #expect(throws: Codecs.Failure.tooLarge) { try codec.expand(compressed, 1_000) }
        #expect(throws: Codecs.Failure.tooLarge) { try codec.expand(compressed, 0) }
        #expect(try codec.expand(compressed, 4 << 20) == zeros)
    }

    /// Cut short anywhere, one byte changed, or not this coding at all: damage, never a wrong
    /// result.
    @Test(arguments: codecs)
    func truncatedAndGarbageStreamsAreRefused(_ codec: Codec) throws {
        let sample = Self.samples[3]
        let compressed = try codec.compress(sample)
        var flipped = compressed
        flipped[flipped.count / 2] ^= 0x20
        var cuts = [compressed.count / 2, compressed.count - 1, codec.magic.count, 1]
        cuts += stride(from: 7, to: compressed.count, by: max(1, compressed.count / 13))
        for cut in cuts {
            #expect(throws: Codecs.Failure.corrupt, "cut at \(cut)") { try codec.expand(Array(compressed.prefix(cut)), 1 << 24) }
        }
        for bad in [flipped, Array("not compressed at all".utf8), [], codec.magic + [UInt8](repeating: 0xff, count: 64)] {
            #expect(throws: Codecs.Failure.corrupt) { try codec.expand(bad, 1 << 24) }
        }
    }

    /// Two frames (zstd) or members (gzip) one after the other, as a concatenating tool writes
    /// them, read as one; anything else after the end is damage.
    @Test(arguments: codecs)
    func partsFollowOneAnother(_ codec: Codec) throws {
        let first = Array("first half, ".utf8), second = Array("second half".utf8)
        let joined = try codec.compress(first) + codec.compress(second)
        #expect(try codec.expand(joined, 1 << 10) == first + second)
        #expect(throws: Codecs.Failure.corrupt) { try codec.expand(try codec.compress(first) + Array("junk".utf8), 1 << 10) }
    }

    /// The streamed zstd (snapshots) reads and writes in pieces: it gives back what went in,
    /// what the whole-buffer functions read, and stops at its limit or on damage.
    @Test func streamedZstdRoundTripsAndStopsWhereItShould() throws {
        // The last ends on a block boundary: 3 MiB of one byte, 24 full output blocks.
        for sample in Self.samples + [Array(repeating: 7, count: 3 << 20)] {
            var compressed: [UInt8] = []
            var offset = 0
            try Codecs.zstdCompressStream(read: { buffer in
                let count = min(buffer.count, sample.count - offset)
                buffer.copyBytes(from: sample[offset..<offset + count])
                offset += count
                return count
            }, write: { compressed.append(contentsOf: $0) })
            #expect(try Codecs.zstdExpand(compressed, limit: sample.count) == sample)
            func expand(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
                var out: [UInt8] = [], at = 0
                try Codecs.zstdExpandStream(limit: limit, read: { buffer in
                    let count = min(buffer.count, bytes.count - at)
                    buffer.copyBytes(from: bytes[at..<at + count])
                    at += count
                    return count
                }, write: { out.append(contentsOf: $0) })
                return out
            }
            #expect(try expand(compressed, limit: sample.count) == sample)
            if sample.count > 16 {
                #expect(throws: Codecs.Failure.tooLarge) { try expand(compressed, limit: sample.count / 2) }
                #expect(throws: Codecs.Failure.corrupt) { try expand(Array(compressed.dropLast(3)), limit: sample.count) }
            }
        }
    }

    /// Snapshots are written as frames of a set size, each saying what it expands to, and
    /// expanded on every core at once into their parts of one buffer: what went in comes back
    /// from any number of frames (one, several, a short last one, none but an empty one), the
    /// work beside it runs once, and an older writer's body (one frame of unknown size, as a
    /// stream writes it) and damage in any one frame are told apart.
    @Test func framedZstdExpandsInPartsAndRefusesDamage() throws {
        let text = Array(String(repeating: "a change's ops, a quote and a note; ", count: 2_000).utf8)
        for (sample, frameBytes) in [(text, 1 << 10), (text, 7_000), (text, 1 << 20), ([UInt8](), 1 << 10), ([UInt8](repeating: 9, count: 4 << 10), 1 << 10)] {
            var compressed: [UInt8] = []
            var offset = 0
            try Codecs.zstdCompressStream(read: { buffer in
                // Pieces smaller than a frame, as a file reads.
                let count = min(buffer.count, sample.count - offset, 3_000)
                buffer.copyBytes(from: sample[offset..<offset + count])
                offset += count
                return count
            }, write: { compressed.append(contentsOf: $0) }, frameBytes: frameBytes)
            let frames = max(1, (sample.count + frameBytes - 1) / frameBytes)
            #expect(Self.frameStarts(compressed) == frames, "\(sample.count) bytes in frames of \(frameBytes)")
            let sideRuns = Counter()
            #expect(try Self.expand(compressed, into: sample.count, alongside: { sideRuns.add() }) == sample)
            #expect(sideRuns.count == 1)
            // The one-shot reader reads every frame one after another, as older Gloss does.
            #expect(try Codecs.zstdExpand(compressed, limit: sample.count) == sample)
            guard sample.count > frameBytes else { continue }
            // A byte changed in the middle of the last frame; a buffer one byte short.
            var damaged = compressed
            damaged[damaged.count - 20] ^= 0x5a
            #expect(throws: Codecs.Failure.corrupt) { try Self.expand(damaged, into: sample.count) }
            #expect(throws: Codecs.Failure.corrupt) { try Self.expand(compressed, into: sample.count - 1) }
        }
        // One frame whose size is not in its header, as a stream writes it (snapshots before
        // frames): expanded in one call, the work beside it still run once.
        let raw = Array(text[..<1_000])
        let unsized = Self.unsizedFrame(raw)
        let sideRuns = Counter()
        #expect(try Self.expand(unsized, into: raw.count, alongside: { sideRuns.add() }) == raw)
        #expect(sideRuns.count == 1)
        #expect(throws: Codecs.Failure.corrupt) { try Self.expand(Array("not zstd".utf8), into: raw.count) }
    }

    /// A body of far more frames than its size warrants (100,000 empty frames before the one
    /// that holds the bytes, as a hostile writer could make; past `zstdFrameFloor`'s cap, so the
    /// reader takes its one-call path): the same bytes, the work beside it run once, and damage
    /// still refused.
    @Test func aBodyOfCountlessEmptyFramesExpandsAndIsChecked() throws {
        func frames(_ bytes: [UInt8]) throws -> [UInt8] {
            var out: [UInt8] = [], done = false
            try Codecs.zstdCompressStream(read: { buffer in
                guard !done else { return 0 }
                done = true
                buffer.copyBytes(from: bytes)
                return bytes.count
            }, write: { out.append(contentsOf: $0) }, frameBytes: 1 << 20)
            return out
        }
        let sample = Array(String(repeating: "a quote and a note; ", count: 500).utf8)
        let empty = try frames([])
        var body: [UInt8] = []
        body.reserveCapacity(empty.count * 100_000 + sample.count)
        for _ in 0..<100_000 { body += empty }
        body += try frames(sample)
        #expect(body.count / Codecs.zstdFrameFloor < 100_000)
        let sideRuns = Counter()
        #expect(try Self.expand(body, into: sample.count, alongside: { sideRuns.add() }) == sample)
        #expect(sideRuns.count == 1)
        body[body.count - 12] ^= 0x5a
        #expect(throws: Codecs.Failure.corrupt) { try Self.expand(body, into: sample.count) }
    }

    /// `Codecs.zstdExpand(_:into:alongside:)` into a new buffer of `count` bytes.
    static func expand(_ compressed: [UInt8], into count: Int, alongside: @escaping () -> Void = {}) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try compressed.withUnsafeBytes { input in
            try out.withUnsafeMutableBytes { try Codecs.zstdExpand(input, into: $0, alongside: alongside) }
        }
        return out
    }

    /// How many frames `stream` holds, by their magic numbers at frame starts (each frame here
    /// is a whole number of bytes the parser below walks).
    static func frameStarts(_ stream: [UInt8]) -> Int {
        var count = 0, at = 0
        let magic: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd]
        while at + 4 <= stream.count, Array(stream[at..<at + 4]) == magic {
            count += 1
            // Find the next magic after this one (compressed bytes rarely hold it by chance
            // in these samples).
            var next = at + 4
            while next + 4 <= stream.count, Array(stream[next..<next + 4]) != magic { next += 1 }
            at = next
        }
        return count
    }

    /// A zstd frame of one raw block whose header gives no content size (RFC 8878: no
    /// Frame_Content_Size, a 1 MiB window, no checksum).
    static func unsizedFrame(_ bytes: [UInt8]) -> [UInt8] {
        let block = 1 | (bytes.count << 3)
        return [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50, UInt8(block & 0xff), UInt8((block >> 8) & 0xff), UInt8(block >> 16)] + bytes
    }

    /// Counts calls from any thread.
    final class Counter: Sendable {
        private let calls = Mutex(0)
        func add() { calls.withLock { $0 += 1 } }
        var count: Int { calls.withLock { $0 } }
    }
}
