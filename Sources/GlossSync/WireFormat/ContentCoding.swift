import CCompression
public import Foundation

/// How bundles and HTTP bodies are compressed. Gloss writes Zstandard (RFC 8878) and reads it or
/// gzip, what earlier versions wrote, telling them apart by their first bytes. On the bench's
/// bundles zstd at its default level writes a quarter fewer bytes than gzip at level 9, about
/// seven times faster (BENCHMARKS.md, W2 and W4).
public enum ContentCoding: String, Sendable, CaseIterable {
    case zstd
    case gzip

    /// What Gloss writes.
    public static let written = ContentCoding.zstd
    /// What a Gloss client and server accept, best first, as an Accept-Encoding header says it.
    public static let acceptHeader = "zstd, gzip"

    public enum Failure: Error, Sendable, Equatable {
        /// Expands past the limit given.
        case tooLarge
        /// Not data in this coding, or cut short.
        case corrupt
    }

    /// The coding `data` is in, by its magic number; nil for anything else (plain JSON among it).
    public static func detect(_ data: Data) -> ContentCoding? {
        let head = Array(data.prefix(4))
        if head == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        if head.count >= 2, head[0] == 0x1f, head[1] == 0x8b { return .gzip }
        return nil
    }

    /// The coding a Content-Encoding header names: nil for none (identity), `.failure` for a
    /// coding Gloss does not read.
    public static func named(_ header: String?) -> Result<ContentCoding?, Failure> {
        guard let header else { return .success(nil) }
        switch header.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "identity": return .success(nil)
        case "zstd": return .success(.zstd)
        case "gzip", "x-gzip": return .success(.gzip)
        default: return .failure(.corrupt)
        }
    }

    /// The best coding an Accept-Encoding header allows (zstd, then gzip); nil when it allows
    /// neither, or there is no header. A coding with `q=0` is refused.
    public static func best(accepting header: String?) -> ContentCoding? {
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

    public func compress(_ data: Data) throws -> Data {
        switch self {
        case .zstd: try Self.zstdCompress(data)
        case .gzip: try Self.gzipCompress(data)
        }
    }

    /// - Throws: `Failure.tooLarge` past `limit` bytes, `Failure.corrupt` for anything else
    ///   that is not whole data in this coding.
    public func expand(_ data: Data, limit: Int) throws(Failure) -> Data {
        switch self {
        case .zstd: try Self.zstdExpand(data, limit: limit)
        case .gzip: try Self.gzipExpand(data, limit: limit)
        }
    }

    // MARK: - Zstandard

    /// zstd's own default level: level 9 takes four times as long for 12% fewer bytes.
    static let zstdLevel: Int32 = 3

    struct CompressionError: Error, CustomStringConvertible {
        let description: String
    }

    private static func zstdCompress(_ data: Data) throws -> Data {
        guard let context = ZSTD_createCCtx() else { throw CompressionError(description: "zstd: out of memory") }
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, zstdLevel)
        // Four bytes a frame that let a reader tell a damaged body from a whole one.
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        let source = [UInt8](data)
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(source.count))
        let written = output.withUnsafeMutableBytes { destination in
            source.withUnsafeBytes { input in
                ZSTD_compress2(context, destination.baseAddress, destination.count, input.baseAddress, input.count)
            }
        }
        guard ZSTD_isError(written) == 0 else {
            throw CompressionError(description: "zstd: " + String(cString: ZSTD_getErrorName(written)))
        }
        return Data(output[..<written])
    }

    /// Streams the frames out a block at a time, so a small body that claims (or expands to) a
    /// huge size stops at `limit` without allocating it.
    private static func zstdExpand(_ data: Data, limit: Int) throws(Failure) -> Data {
        guard let context = ZSTD_createDCtx() else { throw .corrupt }
        defer { ZSTD_freeDCtx(context) }
        let source = [UInt8](data)
        var output = Data()
        let announced = source.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        if announced < UInt64(limit) { output.reserveCapacity(Int(announced)) }
        var block = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        let failure: Failure? = source.withUnsafeBytes { raw in
            var input = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            while true {
                let (pending, produced) = block.withUnsafeMutableBytes { out in
                    var buffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    let pending = ZSTD_decompressStream(context, &buffer, &input)
                    return (pending, buffer.pos)
                }
                if ZSTD_isError(pending) != 0 { return .corrupt }
                guard output.count + produced <= limit else { return .tooLarge }
                output.append(contentsOf: block[..<produced])
                if input.pos == input.size {
                    if pending == 0 { return nil }               // every frame is whole
                    if produced < block.count { return .corrupt } // cut short
                }
            }
        }
        if let failure { throw failure }
        return output
    }

    // MARK: - gzip

    /// Best compression, for peers that read only gzip.
    static let gzipLevel: Int32 = 9

    private static func gzipCompress(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard gloss_gzip_deflate_init(&stream, gzipLevel) == Z_OK else { throw CompressionError(description: "zlib: cannot start") }
        defer { deflateEnd(&stream) }
        var source = [UInt8](data)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(source.count))))
        let result = source.withUnsafeMutableBytes { input in
            output.withUnsafeMutableBytes { destination in
                stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(input.count)
                stream.next_out = destination.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(destination.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw CompressionError(description: "zlib: deflate returned \(result)") }
        return Data(output[..<Int(stream.total_out)])
    }

    /// Like `zstdExpand`: a block at a time up to `limit`, and only a whole stream (its CRC and
    /// length checked by zlib) is a result. Members one after the other read as one body.
    private static func gzipExpand(_ data: Data, limit: Int) throws(Failure) -> Data {
        var stream = z_stream()
        guard gloss_gzip_inflate_init(&stream) == Z_OK else { throw .corrupt }
        defer { inflateEnd(&stream) }
        var source = [UInt8](data)
        var output = Data()
        var block = [UInt8](repeating: 0, count: 128 << 10)
        let failure: Failure? = source.withUnsafeMutableBytes { input in
            stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(input.count)
            while true {
                let (result, produced) = block.withUnsafeMutableBytes { out in
                    stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(out.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    return (result, out.count - Int(stream.avail_out))
                }
                guard result == Z_OK || result == Z_STREAM_END || (result == Z_BUF_ERROR && produced > 0) else { return .corrupt }
                guard output.count + produced <= limit else { return .tooLarge }
                output.append(contentsOf: block[..<produced])
                if result == Z_STREAM_END {
                    if stream.avail_in == 0 { return nil }
                    guard inflateReset(&stream) == Z_OK else { return .corrupt } // another member follows
                } else if stream.avail_in == 0 && produced < block.count {
                    return .corrupt // cut short
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
