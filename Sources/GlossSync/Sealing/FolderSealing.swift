public import Foundation
public import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// What `gloss encryption seal-folder` did.
public struct SealFolderReport: Hashable, Sendable, Codable {
    /// This replica's plaintext bundles replaced by sealed ones.
    public var bundlesSealed = 0
    /// This replica's plaintext snapshots removed (their changes go out sealed in the sync after,
    /// which may write a sealed snapshot in their place).
    public var snapshotsRemoved = 0
    /// Changes the sync after wrote sealed, because only a removed snapshot held them.
    public var changesRewritten = 0
    /// This replica's originals in the clear removed, with their list (the sync after sends
    /// them again sealed when the store's setting sends originals).
    public var originalsRemoved = 0
    public var place = ""
}

extension LibraryEncryption {
    /// Replaces this replica's own plaintext bundles in the folder at `path` with sealed ones,
    /// one file at a time (the sealed file is written whole before the plaintext one goes, so a
    /// stop at any point leaves every change in the folder), removes its plaintext snapshots,
    /// then syncs, which writes sealed what only those snapshots held. Other replicas' files
    /// are theirs to replace.
    public static func sealFolder(_ store: Store, path: String) async throws -> SealFolderReport {
        guard let keyring = try KeyFile.load(for: store) else { throw EncryptionError.notEncrypted }
        let transport = try FolderTransport(directory: path, replica: store.replicaID, keys: keyring)
        let directory = transport.directory
        let own = directory.appendingPathComponent(store.replicaID.rawValue)
        var report = SealFolderReport(place: directory.path)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: own.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        for file in files where file.hasSuffix("." + FolderTransport.fileExtension) {
            let url = own.appendingPathComponent(file)
            let key = store.replicaID.rawValue + "/" + file
            guard let data = FileManager.default.contents(atPath: url.path), Self.isPlaintext(data) else { continue }
            // A file that does not read is left for a sync to report, not sealed.
            guard let bundle = try? BundleCodec.decode(data, expectedSHA256: nil, file: key) else { continue }
            let (sealed, sha) = try BundleCodec.seal(bundle, json: WireJSON.encode(bundle), under: keyring.sealing)
            let name = String(format: "%013llu", bundle.created) + "-" + sha + "." + FolderTransport.fileExtension
            try FolderTransport.writeAtomically(sealed, to: own, name: name)
            try store.saveCheckpoint(SyncCheckpoint(peer: transport.peer,
                                                    values: [store.replicaID.rawValue + "/" + name: WireJSON.encodeCovers(bundle.covers)]))
            unlink(url.path)
            report.bundlesSealed += 1
        }
        for file in files where file.hasSuffix("." + SnapshotFile.fileExtension) {
            let url = own.appendingPathComponent(file)
            guard (try? SnapshotFile.header(at: url, displayName: file))?.header.format != SnapshotFile.sealedFormat else { continue }
            if unlink(url.path) == 0 { report.snapshotsRemoved += 1 }
        }
        report.originalsRemoved = FolderOriginals.removeInTheClear(in: own)
        if report.snapshotsRemoved > 0 || report.bundlesSealed > 0 || report.originalsRemoved > 0 {
            report.changesRewritten = try await SyncSession.sync(store, with: .folder(path: path)).report.sent
        }
        return report
    }

    /// Whether `data` is a bundle file in the clear (format version 1).
    static func isPlaintext(_ data: Data) -> Bool {
        (BundleCodec.formatVersion(of: data) ?? SealedBundle.version) < SealedBundle.version
    }
}
