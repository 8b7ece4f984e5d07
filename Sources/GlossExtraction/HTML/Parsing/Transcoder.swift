#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts text in another encoding to UTF-8 with iconv, as a browser decodes: a byte sequence
/// the encoding cannot read becomes U+FFFD and decoding goes on.
enum Transcoder {
    /// Whether iconv can read the encoding.
    static func knows(_ encoding: String) -> Bool {
        guard let converter = open(encoding) else { return false }
        iconv_close(converter)
        return true
    }

    /// The bytes as UTF-8, or nil when iconv does not know the encoding.
    static func utf8(from bytes: some Collection<UInt8>, encoding: String) -> [UInt8]? {
        guard let converter = open(encoding) else { return nil }
        defer { iconv_close(converter) }
        var input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        input.withUnsafeMutableBufferPointer { source in
            chunk.withUnsafeMutableBufferPointer { target in
                var inPointer = UnsafeMutableRawPointer(source.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = source.count
                while inLeft > 0 {
                    var outPointer = UnsafeMutableRawPointer(target.baseAddress)?.assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    let failure = result == -1 ? errno : 0
                    output.append(contentsOf: target[0..<(target.count - outLeft)])
                    guard result == -1, failure != E2BIG else { continue }
                    // An invalid or truncated sequence: one replacement character, one byte skipped.
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                    iconv(converter, nil, nil, nil, nil)
                }
                var outPointer = UnsafeMutableRawPointer(target.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = target.count
                iconv(converter, nil, nil, &outPointer, &outLeft)
                output.append(contentsOf: target[0..<(target.count - outLeft)])
            }
        }
        return output
    }

    private static func open(_ encoding: String) -> iconv_t? {
        let converter = iconv_open("UTF-8", encoding)
        guard let converter, Int(bitPattern: converter) != -1 else { return nil }
        return converter
    }
}
