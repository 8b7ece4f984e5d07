package import Foundation
package import GlossCompression

/// How bundles and HTTP bodies are compressed. Gloss writes Zstandard (RFC 8878) and reads it or
/// gzip, what earlier versions wrote, telling them apart by their first bytes. On the bench's
/// bundles zstd at its default level writes a quarter fewer bytes than gzip at level 9, about
/// seven times faster (BENCHMARKS.md, W2 and W4).
package enum ContentCoding: String, Sendable, CaseIterable {
    case zstd
    case gzip

    /// What Gloss writes.
    package static let written = ContentCoding.zstd
    /// What a Gloss client and server accept, best first, as an Accept-Encoding header says it.
    package static let acceptHeader = "zstd, gzip"
    /// HTTP bodies smaller than this go as they are: compressing them saves little.
    package static let smallestCompressed = 1024

    package typealias Failure = Codecs.Failure

    /// A Content-Encoding Gloss does not read.
    package struct Unsupported: Error, Sendable, Equatable {
        package let name: String
    }

    /// The coding `data` is in, by its magic number; nil for anything else (plain JSON among it).
    package static func detect(_ data: Data) -> ContentCoding? {
        let head = Array(data.prefix(4))
        if head == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        if head.count >= 2, head[0] == 0x1f, head[1] == 0x8b { return .gzip }
        return nil
    }

    /// The coding a Content-Encoding header names: nil for none (identity).
    /// - Throws: `Unsupported` for a coding Gloss does not read.
    package static func named(_ header: String?) throws(Unsupported) -> ContentCoding? {
        guard let header else { return nil }
        switch header.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "identity": return nil
        case "zstd": return .zstd
        case "gzip", "x-gzip": return .gzip
        default: throw Unsupported(name: header)
        }
    }

    /// The best coding an Accept-Encoding header allows (zstd, then gzip); nil when it allows
    /// neither, or there is no header. A coding with `q=0` is refused.
    package static func best(accepting header: String?) -> ContentCoding? {
        guard let header else { return nil }
        var allowed: Set<ContentCoding> = []
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let refused = parts.dropFirst().contains { parameter in
                parameter.hasPrefix("q=") && (Double(parameter.dropFirst(2)) ?? 1) == 0
            }
            switch parts.first {
            case "zstd" where !refused: allowed.insert(.zstd)
            case "gzip" where !refused, "x-gzip" where !refused: allowed.insert(.gzip)
            case "*" where !refused: allowed.formUnion([.zstd, .gzip])
            default: break
            }
        }
        return allCases.first(where: allowed.contains)
    }

    package func compress(_ data: Data) throws -> Data {
        switch self {
        case .zstd: Data(try Codecs.zstdCompress([UInt8](data)))
        case .gzip: Data(try Codecs.gzipCompress([UInt8](data)))
        }
    }

    /// - Throws: `Failure.tooLarge` past `limit` bytes, `Failure.corrupt` for anything else
    ///   that is not whole data in this coding.
    package func expand(_ data: Data, limit: Int) throws(Failure) -> Data {
        switch self {
        case .zstd: Data(try Codecs.zstdExpand([UInt8](data), limit: limit))
        case .gzip: Data(try Codecs.gzipExpand([UInt8](data), limit: limit))
        }
    }
}
