import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossCompression
import GlossCore
@testable import GlossSync
import Testing

/// Small bodies that expand, or parse, into gigabytes: each is refused while it is read, by the
/// limit it passes (`WireLimits`), long before memory grows that far.
@Suite(.serialized) struct WireLimitsTests {
    /// The process's peak resident memory so far, in bytes.
    static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// `head`, `count` times `item` joined by commas, then `tail`, as zstd frames one after the
    /// other (a body may hold several), so a test never holds the expanded text: a few MiB of
    /// items compress to a few hundred bytes, and are repeated as they are.
    static func zstdBomb(head: String, item: String, count: Int, tail: String) throws -> Data {
        let perFrame = (1 << 20) / (item.utf8.count + 1)
        let frame = try Codecs.zstdCompress(Array(String(repeating: "," + item, count: perFrame).utf8))
        var body = try Codecs.zstdCompress(Array((head + item).utf8))
        var left = count - 1
        while left >= perFrame {
            body += frame
            left -= perFrame
        }
        body += try Codecs.zstdCompress(Array((String(repeating: "," + item, count: left) + tail).utf8))
        return Data(body)
    }

    static func bundleFile(_ data: Data) -> (data: Data, sha256: String) { (data, BundleCodec.sha256(data)) }

    @Test func aHundredMillionElementArrayInASmallBundleIsRefusedWhileExpandingWithinBoundedMemory() throws {
        let bomb = try Self.zstdBomb(head: "{\"changes\":[],\"names\":[", item: "0", count: 100_000_000, tail: "]}")
        #expect(bomb.count < 64 << 10)
        let before = Self.peakMemory()
        let start = Date()
        #expect(throws: SyncError.bundleInvalid(file: "bomb", defect: .expandsTooFar(limit: WireLimits.maxExpandedBytes))) {
            try BundleCodec.decode(bomb, expectedSHA256: nil, file: "bomb")
        }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(Self.peakMemory() - before < 256 << 20, "grew \((Self.peakMemory() - before) >> 20) MiB")
    }

    @Test func tenMillionElementsWithinTheExpandedLimitAreRefusedByTheirCountWhileParsing() throws {
        let bomb = try Self.zstdBomb(head: "{\"changes\":[],\"names\":[", item: "0", count: 10_000_000, tail: "]}")
        let before = Self.peakMemory()
        do {
            _ = try BundleCodec.decode(bomb, expectedSHA256: nil, file: "many")
            Issue.record("a document of 10 million elements was read")
        } catch SyncError.bundleInvalid("many", .malformed(let detail)) {
            #expect(detail.contains("more than 1000000 array elements and object members"), "\(detail)")
            // Stopped where the limit was passed (byte 2,000,000 or so), not at the end.
            #expect(detail.contains("at byte 20000"), "\(detail)")
        }
        #expect(Self.peakMemory() - before < 256 << 20, "grew \((Self.peakMemory() - before) >> 20) MiB")
    }

    @Test(arguments: ["{\"changes\":[{\"e\":\"article\",\"o\":[", "{\"changes\":[{\"x\":[", "{\"unknown\":[", "{\"covers\":{\"a\":["])
    func manyElementsAnywhereInAPushAreRefusedByTheirCount(head: String) throws {
        let json = head + String(repeating: "{},", count: WireLimits.maxItems) + "{}]}]}"
        do {
            _ = try WireJSON.decodePushRequest(Array(json.utf8))
            Issue.record("read")
        } catch let error as WireJSON.Malformed {
            #expect(error.description.contains("more than 1000000 array elements"), "\(error)")
        }
    }

    @Test func aLegitimatePageOfTheLargestSizeWritersSendStillReads() throws {
        // A page just past what writers send, of changes made of tags (the most items per byte).
        let op = "{\"f\":\"tag:x\",\"v\":{\"b\":true}}"
        let change = "{\"e\":\"article\",\"i\":\"0123456789abcdef0123456789abcdef\",\"n\":1,\"o\":["
            + Array(repeating: op, count: 25).joined(separator: ",") + "],\"r\":\"0123456789abcdef0123456789abcdef\",\"t\":1}"
        let count = WireLimits.pageBytes / change.utf8.count + 1
        let json = "{\"changes\":[" + Array(repeating: change, count: count).joined(separator: ",") + "],\"names\":{}}"
        #expect(json.utf8.count > WireLimits.pageBytes)
        #expect(try WireJSON.decodePushRequest(Array(json.utf8)).changes.count == count)
    }

    @Test func aStringPastTheLimitIsRefusedNamingIt() throws {
        for escaped in [false, true] {
            // One byte too many: a line feed written as an escape, or one more letter.
            let text = escaped ? "\\n" + String(repeating: "a", count: WireLimits.maxStringBytes)
                : String(repeating: "a", count: WireLimits.maxStringBytes + 1)
            let json = "{\"changes\":[],\"names\":{\"r\":\"" + text + "\"}}"
            do {
                _ = try WireJSON.decodePushRequest(Array(json.utf8))
                Issue.record("read")
            } catch let error as WireJSON.Malformed {
                #expect(error.description.contains("a string longer than 32 MiB"), "\(error)")
            }
        }
        let fits = "{\"changes\":[],\"names\":{\"r\":\"" + String(repeating: "a", count: WireLimits.maxStringBytes) + "\"}}"
        #expect(try WireJSON.decodePushRequest(Array(fits.utf8)).names["r"]?.utf8.count == WireLimits.maxStringBytes)
    }

    @Test func nestingPastTheLimitIsRefusedNamingIt() throws {
        for key in ["names", "unknown"] {
            let json = "{\"\(key)\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
            do {
                _ = try WireJSON.decodePushRequest(Array(json.utf8))
                Issue.record("read")
            } catch let error as WireJSON.Malformed {
                #expect(error.description.contains("nested more than 64 deep"), "\(error)")
            }
        }
    }

    @Test(arguments: ContentCoding.allCases)
    func aGibibyteZeroBombStopsAtTheLimit(coding: ContentCoding) throws {
        let block = try coding.compress(Data(count: 1 << 20))
        let bomb = Data(repeatElement(block, count: 1024).joined())
        let before = Self.peakMemory()
        #expect(throws: Codecs.Failure.tooLarge) { try coding.expand(bomb, limit: WireLimits.maxExpandedBytes) }
        #expect(Self.peakMemory() - before < 256 << 20, "grew \((Self.peakMemory() - before) >> 20) MiB")
    }
}
