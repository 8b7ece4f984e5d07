import CompressNIO
public import Foundation
import NIOCore

/// gzip for bodies and bundles, with a bound on how far a body may expand.
public enum Gzip {
    /// Best compression: a bundle or body is written once and read by every replica, and changes
    /// are small, repetitive JSON, where level 9 saves bytes for little time.
    static let best = CompressionAlgorithm.gzip(configuration: ZlibConfiguration(compressionLevel: 9, memoryLevel: 9))

    public static func compress(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        return Data(try buffer.compress(with: best).readableBytesView)
    }

    public enum Failure: Error, Sendable {
        /// Expands past the limit given.
        case tooLarge
        /// Not gzip, or cut short.
        case corrupt
    }

    /// - Throws: `Failure.tooLarge` past `limit` bytes, `Failure.corrupt` for anything not gzip.
    public static func decompress(_ data: Data, limit: Int) throws(Failure) -> Data {
        var buffer = ByteBuffer(bytes: data)
        do {
            return Data(try buffer.decompress(with: .gzip(), maxSize: limit).readableBytesView)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge
        } catch {
            throw .corrupt
        }
    }

    /// True when `data` starts with gzip's magic number.
    public static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }
}
