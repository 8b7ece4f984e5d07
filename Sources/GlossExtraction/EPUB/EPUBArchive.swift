import Foundation
import ZIPFoundation

/// An EPUB's zip archive, held in memory and read within limits: at most ``maximumEntries``
/// entries, ``maximumEntrySize`` bytes unpacked from one entry and ``maximumTotalSize`` from all,
/// so a zip bomb is refused after reading no more than the limit.
///
/// ZIPFoundation reads the central directory (paths, sizes, checksums, methods) once every offset
/// in it is checked to lie inside the input. The bytes of an entry are taken from the input at its
/// local header and inflated through a provider that ends with the entry's data: ZIPFoundation's
/// own reader loops forever on a deflate stream that runs to the end of the file.
package struct EPUBArchive {
    static let maximumEntries = 10_000
    static let maximumEntrySize = 32 * 1_048_576
    static let maximumTotalSize = 256 * 1_048_576

    private let bytes: [UInt8]
    /// The entries by path; the first of two with one path wins.
    private let entries: [String: (entry: Entry, offset: Int)]
    /// Bytes unpacked so far.
    private var unpacked = 0

    /// Opens the zip; throws when it is no zip or its directory is damaged or too large.
    package init(_ bytes: [UInt8]) throws(ExtractionError) {
        guard bytes.count <= Self.maximumTotalSize else {
            throw .epubTooLarge(reason: "the file is \(bytes.count / 1_048_576) MB, more than the \(Self.maximumTotalSize / 1_048_576) MB Gloss reads")
        }
        guard bytes.starts(with: EPUBExtractor.zipSignature) else {
            throw .notEPUB(reason: "the file is not a zip archive")
        }
        let offsets = try Self.dataOffsets(in: bytes)
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .damagedEPUB(reason: "the zip's directory cannot be read (the file is truncated or corrupt)")
        }
        var entries: [String: (entry: Entry, offset: Int)] = [:]
        for (entry, offset) in zip(archive, offsets) where entries[entry.path] == nil {
            entries[entry.path] = (entry, offset)
        }
        self.bytes = bytes
        self.entries = entries
    }

    package func contains(_ path: String) -> Bool {
        entries[path] != nil
    }

    /// The paths of the archive's entries, sorted.
    package var paths: [String] { entries.keys.sorted() }

    /// The unpacked bytes of the entry at `path`, nil when there is none; throws when the entry is
    /// damaged (truncated, corrupt, a checksum that does not match) or past the limits.
    package mutating func read(_ path: String) throws(ExtractionError) -> [UInt8]? {
        guard let (entry, start) = entries[path] else { return nil }
        guard entry.type == .file else { return nil }
        guard entry.uncompressedSize <= UInt64(Self.maximumEntrySize) else {
            throw .epubTooLarge(reason: "\(path) unpacks to more than \(Self.maximumEntrySize / 1_048_576) MB")
        }
        guard entry.compressedSize <= UInt64(bytes.count - start) else {
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

    /// Where each entry's data starts, in the central directory's order, after checking that
    /// every offset ZIPFoundation will seek to lies inside the input: its in-memory archive traps
    /// on a seek past the end (a damaged directory), so a damaged zip must not reach it.
    private static func dataOffsets(in bytes: [UInt8]) throws(ExtractionError) -> [Int] {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let damaged = ExtractionError.damagedEPUB(reason: "the zip's directory cannot be read (the file is truncated or corrupt)")
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4B50 }),
              // ZIPFoundation refuses a record whose comment runs past the end, and leaks the
              // archive's memory when it refuses.
              end + 22 + u16(end + 20) <= bytes.count else { throw damaged }
        if end >= 20, u32(end - 20) == 0x0706_4B50 {
            throw .epubTooLarge(reason: "the zip is in the ZIP64 format, which only archives over 4 GB need")
        }
        let count = u16(end + 10)
        guard count <= maximumEntries else { throw .epubTooLarge(reason: "the zip holds more than \(maximumEntries) files") }
        var position = u32(end + 16)
        var offsets: [Int] = []
        for _ in 0..<count {
            guard position + 46 <= end, u32(position) == 0x0201_4B50 else { throw damaged }
            let (flags, method, compressed, uncompressed, local) =
                (u16(position + 8), u16(position + 10), u32(position + 20), u32(position + 24), u32(position + 42))
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                throw .epubTooLarge(reason: "the zip is in the ZIP64 format, which only archives over 4 GB need")
            }
            position += 46 + u16(position + 28) + u16(position + 30) + u16(position + 32)
            guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else { throw damaged }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            // ZIPFoundation seeks to a data descriptor past the stored size (the unpacked one
            // when the entry is not compressed).
            let stored = method == 0 ? uncompressed : compressed
            guard start + compressed <= bytes.count, flags & 8 == 0 || start + stored <= bytes.count else { throw damaged }
            offsets.append(start)
        }
        return offsets
    }

    /// Why an entry's bytes could not be had; the caller says which entry.
    private struct Unreadable: Error {}
}
