public import Foundation
public import GlossCore
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// When a folder sync writes a snapshot and what it keeps.
public struct FolderPolicy: Hashable, Sendable {
    /// A replica writes a snapshot into the folder when its store holds at least this many
    /// changes more than the newest snapshot there (anyone's), and at least this many in all.
    public var snapshotAfter: Int
    /// A replica whose published vector is older than this (milliseconds) no longer holds
    /// compaction back; if it returns, it catches up from a snapshot.
    public var horizon: UInt64

    public init(snapshotAfter: Int = 10_000, horizonDays: Int = 90) {
        self.snapshotAfter = max(1, snapshotAfter)
        horizon = UInt64(max(0, horizonDays)) * 86_400_000
    }

    public static let standard = FolderPolicy()
}

/// What a folder sync did besides exchanging changes.
public struct FolderUpkeep: Equatable, Sendable {
    /// The snapshot an empty store started from (its key in the folder).
    public var joinedFrom: String?
    /// Changes taken from a snapshot that the folder's bundles no longer hold.
    public var mergedFromSnapshot = 0
    public var newConflicts: [ConflictRef] = []
    /// The snapshot this sync wrote (its key in the folder).
    public var snapshotWritten: String?
    /// This replica's bundles and older snapshots removed: every active replica holds their
    /// changes and a snapshot keeps them for anyone who returns.
    public var bundlesRemoved = 0
    public var snapshotsRemoved = 0
    public var warnings: [SyncError] = []
}

/// What a replica publishes in its subfolder (`vector.json`, replaced atomically on every sync):
/// what it holds, when it last synced here, and the replicas its person said are gone.
struct PublishedVector: Codable, Sendable {
    var replica: ReplicaID
    var name: String?
    var versionVector: VersionVector
    /// Milliseconds since 1970.
    var updated: UInt64
    var retired: [ReplicaID]
}

/// Snapshots and compaction in a shared folder (Schema/Snapshot.md):
/// - an empty store joins from the newest snapshot it can read, and skips the bundles it holds;
/// - after a sync, a snapshot holding changes the store still lacks (their bundles removed) is
///   merged in;
/// - each replica publishes its version vector, writes a snapshot when enough has changed, and
///   removes its own bundles once a snapshot it has checked holds them and every active replica
///   has them, and its own snapshots once a newer one holds all they hold.
/// It only ever removes files in this replica's own subfolder, one at a time, each only when
/// the folder without it still gives every replica everything: a sync killed at any point
/// leaves a folder every replica can sync from.
struct FolderMaintenance {
    static let vectorFileName = "vector.json"
    static let maxVectorFileBytes = 4 << 20

    let store: Store
    let directory: URL
    /// The folder transport's checkpoint key (`folder:PATH`).
    let peer: String
    let policy: FolderPolicy
    let now: UInt64

    struct Snapshot {
        var key: String
        var url: URL
        var header: SnapshotHeader
        var total: UInt64 { header.versionVector.entries.values.reduce(0, +) }
    }

    var ownFolder: URL { directory.appendingPathComponent(store.replicaID.rawValue) }

    /// Every readable snapshot in the folder, the one holding most changes first.
    func snapshots(_ warnings: inout [SyncError]) -> [Snapshot] {
        var found: [Snapshot] = []
        for (entry, folder) in replicaFolders() {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where file.hasSuffix("." + SnapshotFile.fileExtension) && !file.hasPrefix(".") {
                let key = entry + "/" + file
                do {
                    let (header, _) = try SnapshotFile.header(at: folder.appendingPathComponent(file), displayName: key)
                    found.append(Snapshot(key: key, url: folder.appendingPathComponent(file), header: header))
                } catch let error as SyncError {
                    warnings.append(error)
                } catch {}
            }
        }
        return found.sorted { ($0.total, $0.header.created) > ($1.total, $1.header.created) }
    }

    /// The folder's replica subfolders, by name.
    func replicaFolders() -> [(String, URL)] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
            .filter { ReplicaID($0) != nil }
            .map { ($0, directory.appendingPathComponent($0)) }
    }

    // MARK: - Before the sync: joining

    /// An empty store starts from the newest snapshot it can read (falling back to older ones,
    /// then to the bundles), and records the bundles that snapshot holds as read.
    func joinIfEmpty(_ upkeep: inout FolderUpkeep) throws {
        guard try store.isEmpty() else { return }
        for snapshot in snapshots(&upkeep.warnings) {
            do {
                let merge = try merge(snapshot)
                guard merge.joined else { return }
                upkeep.joinedFrom = snapshot.key
                try store.saveCheckpoint(SyncCheckpoint(peer: peer, values: snapshot.header.bundles))
                return
            } catch let error as SyncError {
                upkeep.warnings.append(error)
            }
        }
    }

    /// Expands `snapshot` beside the store and merges it in.
    private func merge(_ snapshot: Snapshot) throws -> SnapshotMerge {
        let temporary = store.path + ".snapshot-\(UUID().uuidString)"
        defer { Self.removeDatabase(temporary) }
        _ = try SnapshotFile.expand(snapshot.url, displayName: snapshot.key, to: temporary)
        do {
            return try store.mergeSnapshot(at: temporary)
        } catch let error as GlossError {
            switch error {
            case .notAGlossStore, .storeDamaged, .storeUnreadable, .snapshotTooNew:
                throw SyncError.snapshotInvalid(file: snapshot.key, problem: error.description)
            default:
                throw error
            }
        }
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }

    // MARK: - After the sync

    func afterSync(_ upkeep: inout FolderUpkeep) throws {
        var snapshots = snapshots(&upkeep.warnings)
        var ours = try store.versionVector()
        // Changes whose bundles are gone are in a snapshot: take them from the newest that has
        // any this store lacks.
        for snapshot in snapshots where !ours.includes(snapshot.header.versionVector) {
            do {
                let merge = try merge(snapshot)
                upkeep.mergedFromSnapshot += merge.received
                upkeep.newConflicts += merge.newConflicts
                ours = try store.versionVector()
                break
            } catch let error as SyncError {
                upkeep.warnings.append(error)
            }
        }
        try publish(ours)

        let newest = snapshots.first
        let total = ours.entries.values.reduce(0, +)
        var checked: Snapshot?
        if total >= UInt64(policy.snapshotAfter), total >= (newest?.total ?? 0) + UInt64(policy.snapshotAfter) {
            let written = try writeSnapshot()
            upkeep.snapshotWritten = written.key
            snapshots.insert(written, at: 0)
            checked = written
        }
        try compact(snapshots: snapshots, checked: checked, ours: ours, upkeep: &upkeep)
    }

    /// Writes `vector.json` in this replica's subfolder.
    private func publish(_ vector: VersionVector) throws {
        let published = PublishedVector(replica: store.replicaID, name: try? store.replicaName(), versionVector: vector,
                                        updated: now, retired: try store.retiredReplicas().sorted { $0.rawValue < $1.rawValue })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FolderTransport.writeAtomically(try encoder.encode(published), to: ownFolder, name: Self.vectorFileName)
    }

    /// Writes a snapshot of the store into this replica's subfolder.
    func writeSnapshot() throws -> Snapshot {
        let temporary = store.path + ".snapshot-\(UUID().uuidString)"
        defer { Self.removeDatabase(temporary) }
        let info = try store.writeSnapshot(to: temporary)
        // The folder's bundles it holds every change of, as this replica's checkpoint knows them.
        var bundles: [String: String] = [:]
        for (key, value) in try store.checkpoint(peer: peer).values {
            if let covers = FolderTransport.decodeCovers(value), covers.isCovered(by: info.versionVector) { bundles[key] = value }
        }
        let name = SnapshotFile.name(created: info.created)
        try SnapshotFile.write(databaseAt: temporary, info: info, bundles: bundles, to: ownFolder, name: name,
                               scratch: temporary + ".zst")
        let key = store.replicaID.rawValue + "/" + name
        let header = try SnapshotFile.header(at: ownFolder.appendingPathComponent(name), displayName: key).header
        return Snapshot(key: key, url: ownFolder.appendingPathComponent(name), header: header)
    }

    // MARK: - Compaction

    /// Removes this replica's bundles that a checked snapshot holds and every active replica
    /// has, and its snapshots that a newer checked one holds all of.
    private func compact(snapshots: [Snapshot], checked: Snapshot?, ours: VersionVector, upkeep: inout FolderUpkeep) throws {
        let me = store.replicaID
        // What each other replica publishes here; those without a vector that synced lately.
        var seen: [ReplicaID: PublishedVector] = [:]
        var silent: [ReplicaID] = []
        for (entry, folder) in replicaFolders() {
            guard let replica = ReplicaID(entry), replica != me else { continue }
            if let published = Self.readVector(folder.appendingPathComponent(Self.vectorFileName)), published.replica == replica {
                seen[replica] = published
            } else if Self.newestModification(in: folder) &+ policy.horizon >= now {
                silent.append(replica)
            }
        }
        try store.recordPublishedVectors(seen.mapValues { ($0.updated, $0.versionVector) })
        // Gone by this person's word or another replica's: they hold nothing back.
        let retired = try store.retiredReplicas().union(seen.values.flatMap(\.retired))
        // A replica syncing here lately that publishes no vector (an older Gloss): its holdings
        // are unknown, so nothing of ours is removed.
        guard silent.allSatisfy(retired.contains) else { return }
        let others = seen.values.filter { !retired.contains($0.replica) && now <= $0.updated &+ policy.horizon }.map(\.versionVector)

        // A snapshot to rely on: the one written now, else the newest, once its bytes check out.
        guard let candidate = checked ?? snapshots.first else { return }
        let ownFiles = (try? FileManager.default.contentsOfDirectory(atPath: ownFolder.path)) ?? []
        let remembered = try store.checkpoint(peer: peer).values
        let held = candidate.header.versionVector
        let removable = ownFiles.filter { $0.hasSuffix("." + FolderTransport.fileExtension) && !$0.hasPrefix(".") }
            .filter { file in
                guard let value = remembered[me.rawValue + "/" + file], let covers = FolderTransport.decodeCovers(value) else { return false }
                return covers.isCovered(by: held) && covers.isCovered(by: ours) && others.allSatisfy { covers.isCovered(by: $0) }
            }
        let replaced = snapshots.filter { $0.key.hasPrefix(me.rawValue + "/") && $0.key != candidate.key && held.includes($0.header.versionVector) }
        // Its bytes are read only when something would go, and once per file (a sync that
        // removes nothing must not hash a snapshot of gigabytes).
        guard !removable.isEmpty || !replaced.isEmpty else { return }
        let trusted = try checked != nil || isVerified(candidate)
        guard trusted else { return }
        for file in removable where unlink(ownFolder.appendingPathComponent(file).path) == 0 { upkeep.bundlesRemoved += 1 }
        for snapshot in replaced where unlink(snapshot.url.path) == 0 { upkeep.snapshotsRemoved += 1 }
    }

    /// Whether `snapshot`'s bytes match its checksum: hashed once per file (by its size and
    /// modification time, remembered in this store's local sync state).
    private func isVerified(_ snapshot: Snapshot) throws -> Bool {
        let verifiedPeer = "snapshots:verified"
        guard let stamp = FileStamp(path: snapshot.url.path) else { return false }
        let recorded = "\(stamp.size) \(stamp.modified)"
        if try store.checkpoint(peer: verifiedPeer).values[snapshot.key] == recorded { return true }
        guard SnapshotFile.verify(snapshot.url) else { return false }
        try store.saveCheckpoint(SyncCheckpoint(peer: verifiedPeer, values: [snapshot.key: recorded]))
        return true
    }

    static func readVector(_ url: URL) -> PublishedVector? {
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxVectorFileBytes,
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(PublishedVector.self, from: data)
    }

    /// Milliseconds since 1970 of the newest file in `folder` (0 for none).
    static func newestModification(in folder: URL) -> UInt64 {
        var newest: UInt64 = 0
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            var info = stat()
            guard stat(folder.appendingPathComponent(file).path, &info) == 0 else { continue }
            newest = max(newest, UInt64(max(0, info.st_mtim.tv_sec)) * 1000)
        }
        return newest
    }
}

extension SnapshotFile {
    /// Whether the snapshot at `url` is whole: its bytes match its header's checksum.
    static func verify(_ url: URL) -> Bool {
        guard let (header, offset) = try? header(at: url, displayName: url.lastPathComponent) else { return false }
        return bodyChecksum(url, offset: offset) == header.sha256
    }
}

extension VersionVector {
    /// True when this vector covers every change `other` does.
    func includes(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }
}

extension SyncSession {
    /// Writes a snapshot of `store` into the shared folder at `path` now, publishes what the
    /// store holds there, and compacts as a sync would. Returns the snapshot's key.
    public static func writeSnapshot(_ store: Store, intoFolder path: String) throws -> (key: String, upkeep: FolderUpkeep) {
        let transport = try FolderTransport(directory: path, replica: store.replicaID)
        let maintenance = FolderMaintenance(store: store, directory: transport.directory, peer: transport.peer,
                                            policy: FolderPolicy(snapshotAfter: Int.max),
                                            now: UInt64(Date().timeIntervalSince1970 * 1000))
        let written = try maintenance.writeSnapshot()
        var upkeep = FolderUpkeep(snapshotWritten: written.key)
        try maintenance.afterSync(&upkeep)
        return (written.key, upkeep)
    }
}
