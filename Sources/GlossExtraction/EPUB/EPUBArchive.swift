import Foundation
import ZIPFoundation

/// An EPUB's zip archive, held in memory and read within limits: at most ``maximumEntries``
/// entries, ``maximumEntrySize`` bytes unpacked from one entry and ``maximumTotalSize`` from all,
/// so a zip bomb is refused after reading no more than the limit.
///
/// ZIPFoundation reads the central directory (paths, sizes, checksums, methods). The bytes of an
/// entry are taken from the input at its local header and inflated through a provider that ends
/// with the entry's data: ZIPFoundation's own reader loops forever on a deflate stream that runs
/// to the end of the file.
struct EPUBArchive {
    static let maximumEntries = 10_000
    static let maximumEntrySize = 32 * 1_048_576
    static let maximumTotalSize = 256 * 1_048_576

    private let bytes: [UInt8]
    /// The entries by path; the first of two with one path wins.
    private let entries: [String: Entry]
    /// Where each entry's data starts in `bytes`.
    private let offsets: [String: Int]
    /// Bytes unpacked so far.
    private var unpacked = 0

    /// Opens the zip; throws when it is no zip or its directory is damaged or too large.
    init(_ bytes: [UInt8]) throws(ExtractionError) {
        guard bytes.count <= Self.maximumTotalSize else {
            throw .epubTooLarge(reason: "the file is \(bytes.count / 1_048_576) MB, more than the \(Self.maximumTotalSize / 1_048_576) MB Gloss reads")
        }
        guard bytes.starts(with: EPUBExtractor.zipSignature) else {
            throw .notEPUB(reason: "the file is not a zip archive")
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .damagedEPUB(reason: "the zip's directory cannot be read (the file is truncated or corrupt)")
        }
        var entries: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= Self.maximumEntries else {
                throw .epubTooLarge(reason: "the zip holds more than \(Self.maximumEntries) files")
            }
            if entries[entry.path] == nil { entries[entry.path] = entry }
        }
        self.bytes = bytes
        self.entries = entries
        self.offsets = Self.dataOffsets(in: bytes)
    }

    func contains(_ path: String) -> Bool {
        entries[path] != nil
    }

    /// The unpacked bytes of the entry at `path`, nil when there is none; throws when the entry is
    /// damaged (truncated, corrupt, a checksum that does not match) or past the limits.
    mutating func read(_ path: String) throws(ExtractionError) -> [UInt8]? {
        guard let entry = entries[path] else { return nil }
        guard entry.type == .file else { return nil }
        guard entry.uncompressedSize <= UInt64(Self.maximumEntrySize) else {
            throw .epubTooLarge(reason: "\(path) unpacks to more than \(Self.maximumEntrySize / 1_048_576) MB")
        }
        guard let start = offsets[path], entry.compressedSize <= UInt64(bytes.count - start) else {
            throw .damagedEPUB(reason: "the zip entry \(path) is cut short")
        }
        let size = Int(entry.compressedSize)
        var output: [UInt8] = []
        let limit = min(Self.maximumEntrySize, Self.maximumTotalSize - unpacked)
        var overLimit = false
        do {
            if entry.isCompressed {
                let input = bytes
                let chunk = 64 * 1024
                // Each chunk is exactly as long as asked (ZIPFoundation tells zlib the buffer's size,
                // not the chunk's), padded with zeros past the data; asking past the data is an error.
                _ = try Data.decompress(size: Int64(size), bufferSize: chunk, skipCRC32: true, provider: { position, length in
                    guard position >= 0, position < Int64(size) else { throw Unreadable() }
                    let from = start + Int(position)
                    let to = start + min(size, Int(position) + length)
                    var piece = Data(input[from..<to])
                    if piece.count < length { piece.append(Data(count: length - piece.count)) }
                    return piece
                }, consumer: { data in
                    guard output.count + data.count <= limit else {
                        overLimit = true
                        throw Unreadable()
                    }
                    output.append(contentsOf: data)
                })
            } else {
                guard size <= limit else {
                    overLimit = true
                    throw Unreadable()
                }
                output = Array(bytes[start..<(start + size)])
            }
        } catch {
            if overLimit {
                throw .epubTooLarge(reason: "\(path) unpacks to more than \(limit / 1_048_576) MB")
            }
            throw .damagedEPUB(reason: "the zip entry \(path) is corrupt")
        }
        guard Data(output).crc32(checksum: 0) == entry.checksum, output.count == Int(entry.uncompressedSize) else {
            throw .damagedEPUB(reason: "the zip entry \(path) is corrupt (its checksum does not match)")
        }
        unpacked += output.count
        return output
    }

    /// Where each entry's data starts (after its local header), by path: ZIPFoundation keeps the
    /// offsets to itself, so the input is searched once for local headers; the first to name a
    /// path wins.
    private static func dataOffsets(in bytes: [UInt8]) -> [String: Int] {
        var offsets: [String: Int] = [:]
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            while index + 30 <= buffer.count {
                defer { index += 1 }
                guard buffer[index] == 0x50, buffer[index + 1] == 0x4B, buffer[index + 2] == 0x03, buffer[index + 3] == 0x04 else { continue }
                let nameLength = Int(buffer[index + 26]) | Int(buffer[index + 27]) << 8
                let extraLength = Int(buffer[index + 28]) | Int(buffer[index + 29]) << 8
                let start = index + 30 + nameLength + extraLength
                guard start <= buffer.count else { continue }
                let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[(index + 30)..<(index + 30 + nameLength)]), as: UTF8.self)
                if offsets[name] == nil { offsets[name] = start }
            }
        }
        return offsets
    }

    /// Why an entry's bytes could not be had; the caller says which entry.
    private struct Unreadable: Error {}
}
