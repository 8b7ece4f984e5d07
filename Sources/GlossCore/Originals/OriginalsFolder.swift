import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Crypto
import GlossCompression

/// The folder beside a store file that keeps the originals its articles were extracted from:
/// `<store file>-originals/ab/abcdef….zst`, each file the zstd-compressed bytes of one original,
/// named by the SHA-256 of the bytes before compression (so one page saved for two articles is
/// one file).
///
/// This is the only file I/O GlossCore does outside its database, and only inside this folder,
/// which belongs to the store as its `-wal` and `-shm` files do: one folder per store file, so two
/// stores in one directory never share, nor delete, each other's originals. ``Store`` uses it
/// while it holds its write lock, so a file and the rows naming it change together.
///
/// Files are written atomically (a temporary file, fsync, rename, fsync of the folder), readable
/// by their owner alone (files 0600, folders 0700), and never through a symbolic link: every step
/// below the store's own directory is opened relative to the folder above it with `O_NOFOLLOW`.
package struct OriginalsFolder: Sendable {
    /// The folder's path: the store file's, with `-originals` appended.
    package let path: String
    private let directory: String
    private let name: String

    /// The folder of the store whose database file is `storePath`.
    package init(storePath: String) {
        let url = URL(fileURLWithPath: storePath)
        directory = url.deletingLastPathComponent().path
        name = url.lastPathComponent + "-originals"
        path = url.path + "-originals"
    }

    /// The hex SHA-256 of `bytes`: the name an original is kept under.
    package static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// The path of the file holding the original whose hash is `hash`.
    package func filePath(_ hash: String) -> String {
        path + "/" + hash.prefix(2) + "/" + hash + ".zst"
    }

    /// Keeps `compressed` (the zstd form of bytes whose hash is `hash`) as that hash's file,
    /// unless a whole file of that name is already there.
    package func write(_ compressed: [UInt8], hash: String) throws(OriginalError) {
        let sub = try openSubfolder(hash, create: true)
        defer { _ = Glibc.close(sub) }
        let final = hash + ".zst"
        if let existing = try? readFile(sub, final), (try? Self.expand(existing, size: nil, hash: hash)) != nil { return }
        let temporary = ".\(hash).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp"
        let file = openat(sub, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw failure("cannot create a file in", errno) }
        var done = false
        defer { if !done { _ = unlinkat(sub, temporary, 0) } }
        var offset = 0
        while offset < compressed.count {
            let written = compressed.withUnsafeBytes { Glibc.write(file, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                _ = Glibc.close(file)
                throw failure("cannot write in", code)
            }
            offset += written
        }
        let synced = fsync(file), code = errno
        _ = Glibc.close(file)
        guard synced == 0 else { throw failure("cannot write in", code) }
        guard renameat(sub, temporary, sub, final) == 0 else { throw failure("cannot write in", errno) }
        done = true
        _ = fsync(sub)
    }

    /// The original whose hash is `hash` and whose length is `size`, checked against its hash.
    package func read(hash: String, size: Int) throws(OriginalError) -> [UInt8] {
        let sub = try openSubfolder(hash, create: false)
        defer { _ = Glibc.close(sub) }
        let compressed = try readFile(sub, hash + ".zst")
        return try Self.expand(compressed, size: size, hash: hash, path: filePath(hash))
    }

    /// Removes the file of `hash`, if there is one (and its two-letter folder, when empty).
    package func remove(hash: String) throws(OriginalError) {
        guard Self.isHash(hash) else { return }
        let sub: Int32
        do { sub = try openSubfolder(hash, create: false) } catch .fileMissing { return }
        defer { _ = Glibc.close(sub) }
        guard unlinkat(sub, hash + ".zst", 0) == 0 || errno == ENOENT else { throw failure("cannot remove a file in", errno) }
        // Fails harmlessly while the folder holds other originals.
        if let top = try? openFolder(at: nil) {
            _ = unlinkat(top, String(hash.prefix(2)), AT_REMOVEDIR)
            _ = Glibc.close(top)
        }
    }

    /// The hashes of every original file in the folder.
    package func hashes() throws(OriginalError) -> [String] {
        let top: Int32
        do { top = try openFolder(at: nil) } catch .fileMissing { return [] }
        defer { _ = Glibc.close(top) }
        var found: [String] = []
        for prefix in try entries(top) where prefix.count == 2 && prefix.allSatisfy(\.isHexDigit) {
            let sub = openat(top, prefix, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard sub >= 0 else { continue }
            defer { _ = Glibc.close(sub) }
            for entry in try entries(sub) where entry.hasSuffix(".zst") {
                let hash = String(entry.dropLast(4))
                if Self.isHash(hash), hash.hasPrefix(prefix) { found.append(hash) }
            }
        }
        return found.sorted()
    }

    // MARK: - Compression

    /// `bytes` compressed as they are kept.
    package static func compress(_ bytes: [UInt8]) throws(OriginalError) -> [UInt8] {
        do { return try Codecs.zstdCompress(bytes) } catch { throw .folder(path: "", reason: "\(error)") }
    }

    /// The bytes `compressed` holds, which must hash to `hash` (and be `size` long, when given).
    private static func expand(_ compressed: [UInt8], size: Int?, hash: String, path: String = "") throws(OriginalError) -> [UInt8] {
        // A kept original is at most what was recorded; the limit stops a file that expands further.
        guard let bytes = try? Codecs.zstdExpand(compressed, limit: size ?? Int.max / 2),
              size == nil || bytes.count == size, Self.hash(bytes) == hash else { throw .damaged(path: path) }
        return bytes
    }

    // MARK: - Files

    /// True for 64 lowercase hex digits: anything else never names a file here.
    package static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The open top folder (`sub` nil), created when `create`; fails on a symbolic link.
    private func openFolder(at sub: String?, create: Bool = false) throws(OriginalError) -> Int32 {
        let parent = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { throw failure("cannot open the store's directory for", errno) }
        defer { _ = Glibc.close(parent) }
        return try openChild(parent, name, create: create)
    }

    /// The open two-letter folder of `hash`.
    private func openSubfolder(_ hash: String, create: Bool) throws(OriginalError) -> Int32 {
        guard Self.isHash(hash) else { throw .damaged(path: path + "/" + hash) }
        let top = try openFolder(at: nil, create: create)
        defer { _ = Glibc.close(top) }
        return try openChild(top, String(hash.prefix(2)), create: create)
    }

    private func openChild(_ parent: Int32, _ child: String, create: Bool) throws(OriginalError) -> Int32 {
        var descriptor = openat(parent, child, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor < 0 && errno == ENOENT {
            guard create else { throw .fileMissing(path: path + "/" + child) }
            guard mkdirat(parent, child, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create", errno) }
            descriptor = openat(parent, child, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            if errno == ELOOP || errno == ENOTDIR {
                throw .folder(path: path, reason: "a symbolic link or a file stands where a folder should be; originals are never written through one")
            }
            throw failure("cannot open", errno)
        }
        return descriptor
    }

    /// The whole content of the file `file` in the open folder `folder`. Without blocking: a
    /// pipe in its place reads as empty (and so as damaged), a folder fails to read.
    private func readFile(_ folder: Int32, _ file: String) throws(OriginalError) -> [UInt8] {
        let descriptor = openat(folder, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw .fileMissing(path: path + "/" + file) }
            if errno == ELOOP { throw .folder(path: path, reason: "\(file) is a symbolic link; originals are never read through one") }
            throw failure("cannot read", errno)
        }
        defer { _ = Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = block.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { return bytes }
                throw failure("cannot read", errno)
            }
            if count == 0 { return bytes }
            bytes += block[..<count]
        }
    }

    /// The names in the open folder `folder` (which stays open).
    private func entries(_ folder: Int32) throws(OriginalError) -> [String] {
        let copy = dup(folder)
        guard copy >= 0, let stream = fdopendir(copy) else { throw failure("cannot list", errno) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private func failure(_ what: String, _ code: Int32) -> OriginalError {
        .folder(path: path, reason: "\(what) the folder: " + String(cString: strerror(code)))
    }
}
