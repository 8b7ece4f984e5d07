import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossCompression
import GlossCore
@testable import GlossSync
import GlossTestSupport
import Testing

/// Small bodies that expand, or parse, into gigabytes: each is refused while it is read, by the
/// limit it passes (`WireLimits`), long before memory grows that far.
@Suite(.serialized) struct WireLimitsTests {
    static func bundleFile(_ data: Data) -> (data: Data, sha256: String) { (data, BundleCodec.sha256(data)) }

    /// The error reading `json` as a push fails with, read on a thread of its own.
    static func pushError(_ json: [UInt8]) async -> (any Error)? {
        if case .failure(let error) = await onThreadOfItsOwn({ try WireJSON.decodePushRequest(json) }) { return error }
        return nil
    }

    @Test func aHundredMillionElementArrayInASmallBundleIsRefusedWhileExpandingWithinBoundedMemory() async throws {
        let bomb = try zstdBomb(head: "{\"changes\":[],\"names\":[", item: "0", count: 100_000_000, tail: "]}")
        #expect(bomb.count < 64 << 10)
        let before = peakMemory()
        let result = await onThreadOfItsOwn { try BundleCodec.decode(bomb, expectedSHA256: nil, file: "bomb") }
        #expect(throws: SyncError.bundleInvalid(file: "bomb", defect: .expandsTooFar(limit: WireLimits.maxExpandedBytes))) { try result.get() }
        // The process's peak, which suites running beside this one raise too: a bound that catches
        // the gigabytes these inputs took before, with room for them (alone it grows far less).
        #expect(peakMemory() - before < 1 << 30, "grew \((peakMemory() - before) >> 20) MiB")
    }

    @Test func tenMillionElementsWithinTheExpandedLimitAreRefusedByTheirCountWhileParsing() async throws {
        let bomb = try zstdBomb(head: "{\"changes\":[],\"names\":[", item: "0", count: 10_000_000, tail: "]}")
        let before = peakMemory()
        let result = await onThreadOfItsOwn { try BundleCodec.decode(bomb, expectedSHA256: nil, file: "many") }
        do {
            _ = try result.get()
            Issue.record("a document of 10 million elements was read")
        } catch SyncError.bundleInvalid("many", .malformed(let detail)) {
            #expect(detail.contains("more than 1000000 array elements and object members"), "\(detail)")
            // Stopped where the limit was passed (byte 2,000,000 or so), not at the end.
            #expect(detail.contains("at byte 20000"), "\(detail)")
        }
        // The process's peak, which suites running beside this one raise too: a bound that catches
        // the gigabytes these inputs took before, with room for them (alone it grows far less).
        #expect(peakMemory() - before < 1 << 30, "grew \((peakMemory() - before) >> 20) MiB")
    }

    @Test(arguments: ["{\"changes\":[{\"e\":\"article\",\"o\":[", "{\"changes\":[{\"x\":[", "{\"unknown\":[", "{\"covers\":{\"a\":["])
    func manyElementsAnywhereInAPushAreRefusedByTheirCount(head: String) async throws {
        let json = Array((head + String(repeating: "{},", count: WireLimits.maxItems) + "{}]}]}").utf8)
        let error = await Self.pushError(json)
        #expect(error.map { "\($0)" }?.contains("more than 1000000 array elements") == true, "\(String(describing: error))")
    }

    @Test func aLegitimatePageOfTheLargestSizeWritersSendStillReads() async throws {
        // A page just past what writers send, of changes made of tags (the most items per byte).
        let op = "{\"f\":\"tag:x\",\"v\":{\"b\":true}}"
        let change = "{\"e\":\"article\",\"i\":\"0123456789abcdef0123456789abcdef\",\"n\":1,\"o\":["
            + Array(repeating: op, count: 25).joined(separator: ",") + "],\"r\":\"0123456789abcdef0123456789abcdef\",\"t\":1}"
        let count = WireLimits.pageBytes / change.utf8.count + 1
        let json = Array(("{\"changes\":[" + Array(repeating: change, count: count).joined(separator: ",") + "],\"names\":{}}").utf8)
        #expect(json.count > WireLimits.pageBytes)
        let read = await onThreadOfItsOwn { try WireJSON.decodePushRequest(json).changes.count }
        #expect(try read.get() == count)
    }

    @Test func aStringPastTheLimitIsRefusedNamingIt() async throws {
        let letters = [UInt8](repeating: UInt8(ascii: "a"), count: WireLimits.maxStringBytes)
        let head = Array("{\"changes\":[],\"names\":{\"r\":\"".utf8), tail = Array("\"}}".utf8)
        // One byte too many: a line feed written as an escape, or one more letter.
        for text in [Array("\\n".utf8) + letters, letters + [UInt8(ascii: "a")]] {
            let error = await Self.pushError(head + text + tail)
            #expect(error.map { "\($0)" }?.contains("a string longer than 32 MiB") == true, "\(String(describing: error))")
        }
        let fits = await onThreadOfItsOwn { try WireJSON.decodePushRequest(head + letters + tail).names["r"]?.utf8.count }
        #expect(try fits.get() == WireLimits.maxStringBytes)
    }

    @Test func nestingPastTheLimitIsRefusedNamingIt() async throws {
        for key in ["names", "unknown"] {
            let json = "{\"\(key)\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
            let error = await Self.pushError(Array(json.utf8))
            #expect(error.map { "\($0)" }?.contains("nested more than 64 deep") == true, "\(String(describing: error))")
        }
    }

    @Test(arguments: ContentCoding.allCases)
    func aGibibyteZeroBombStopsAtTheLimit(coding: ContentCoding) async throws {
        let block = try coding.compress(Data(count: 1 << 20))
        let bomb = Data(repeatElement(block, count: 1024).joined())
        let before = peakMemory()
        let result = await onThreadOfItsOwn { try coding.expand(bomb, limit: WireLimits.maxExpandedBytes) }
        #expect(throws: Codecs.Failure.tooLarge) { try result.get() }
        // The process's peak, which suites running beside this one raise too: a bound that catches
        // the gigabytes these inputs took before, with room for them (alone it grows far less).
        #expect(peakMemory() - before < 1 << 30, "grew \((peakMemory() - before) >> 20) MiB")
    }
}
