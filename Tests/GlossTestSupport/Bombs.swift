public import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossSync

/// The process's peak resident memory so far, in bytes.
public func peakMemory() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

/// `head`, `count` times `item` joined by commas, then `tail`, as zstd frames one after the other
/// (a body or bundle may hold several), so a test never holds the expanded text: a few MiB of
/// items compress to a few hundred bytes, and are repeated as they are.
public func zstdBomb(head: String, item: String, count: Int, tail: String) throws -> Data {
    let perFrame = (1 << 20) / (item.utf8.count + 1)
    let frame = try ContentCoding.zstd.compress(Data(String(repeating: "," + item, count: perFrame).utf8))
    var body = try ContentCoding.zstd.compress(Data((head + item).utf8))
    var left = count - 1
    while left >= perFrame {
        body += frame
        left -= perFrame
    }
    body += try ContentCoding.zstd.compress(Data((String(repeating: "," + item, count: left) + tail).utf8))
    return body
}
