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

    /// Whether a replica holding `total` changes writes a snapshot (into a folder, or up to a
    /// relay) where the newest one holds `newest`.
    public func wantsSnapshot(holding total: UInt64, newest: UInt64) -> Bool {
        total >= UInt64(snapshotAfter) && total >= newest.addingSaturated(UInt64(snapshotAfter))
    }
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
    /// The library's keys when it is encrypted: snapshots are written sealed (format 2) and
    /// opened with them, and the published vector leaves out the replica's name.
    var keys: Keyring? = nil

    struct Snapshot {
        var key: String
        var url: URL
        var header: SnapshotHeader
        /// What its change log really holds, once this store has read it (this sync or an
        /// earlier one, remembered by the file's size and time): never the header's word.
        var held: VersionVector?
        /// What it is taken to hold until it is read: its header's claim.
        var claimed: VersionVector { held ?? header.versionVector }
        var total: UInt64 { claimed.total }
    }

    var ownFolder: URL { directory.appendingPathComponent(store.replicaID.rawValue) }

    /// Every readable snapshot in the folder, the one holding most changes first, with what
    /// this store found each holds when it read it before.
    func snapshots(_ warnings: inout [SyncError]) throws -> [Snapshot] {
        let remembered = try store.checkpoint(peer: peer).values
        var found: [Snapshot] = []
        for (entry, folder) in replicaFolders() {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where file.hasSuffix("." + SnapshotFile.fileExtension) && !file.hasPrefix(".") {
                let key = entry + "/" + file
                let url = folder.appendingPathComponent(file)
                do {
                    let (header, _) = try SnapshotFile.header(at: url, displayName: key)
                    found.append(Snapshot(key: key, url: url, header: header,
                                          held: Self.checkedVector(remembered[Self.checkedKey(key)], of: url)))
                } catch let error as SyncError {
                    warnings.append(error)
                }
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

    // MARK: - What a snapshot holds, checked

    /// Where the folder's checkpoint records what a snapshot was found to hold.
    static func checkedKey(_ key: String) -> String { "snapshot:" + key }

    /// The vector `recorded` says the file at `url` holds, while the file is the one that was
    /// read (same size and time); nil otherwise.
    static func checkedVector(_ recorded: String?, of url: URL) -> VersionVector? {
        guard let parts = recorded?.split(separator: " ", maxSplits: 2), parts.count == 3,
              let stamp = FileStamp(path: url.path), "\(stamp.size)" == parts[0], "\(stamp.modified)" == parts[1] else { return nil }
        return try? JSONDecoder().decode(VersionVector.self, from: Data(parts[2].utf8))
    }

    /// Remembers that the file at `url` holds `vector`.
    private func recordChecked(_ snapshot: Snapshot, holds vector: VersionVector) throws {
        guard let stamp = FileStamp(path: snapshot.url.path) else { return }
        let json = String(decoding: try JSONEncoder().encode(vector), as: UTF8.self)
        try store.saveCheckpoint(SyncCheckpoint(peer: peer, values: [Self.checkedKey(snapshot.key): "\(stamp.size) \(stamp.modified) \(json)"]))
    }

    /// What `snapshot` holds, read from its body once per file.
    private func check(_ snapshot: Snapshot, _ warnings: inout [SyncError]) -> VersionVector? {
        if let held = snapshot.held { return held }
        let temporary = store.path + ".snapshot-\(UUID().uuidString)"
        defer { Self.removeDatabase(temporary) }
        do {
            _ = try SnapshotFile.expand(snapshot.url, displayName: snapshot.key, to: temporary, keys: keys)
            let held = try Store.snapshotVector(at: temporary)
            try recordChecked(snapshot, holds: held)
            return held
        } catch {
            warnings.append(Self.invalid(snapshot, error))
            return nil
        }
    }

    /// Any failure of a snapshot as the warning that steps over it.
    static func invalid(_ snapshot: Snapshot, _ error: any Error) -> SyncError {
        if let error = error as? SyncError { return error }
        return .snapshotInvalid(file: snapshot.key, problem: (error as? GlossError)?.description ?? "it could not be read (\(error))")
    }

    // MARK: - Before the sync: joining

    /// An empty store starts from the newest snapshot it can read (falling back to older ones,
    /// then to the bundles), and records as read the bundles that snapshot lists whose every
    /// change the store then holds.
    func joinIfEmpty(_ upkeep: inout FolderUpkeep) throws {
        removeAbandonedTemporaries()
        guard try store.isEmpty() else { return }
        for snapshot in try snapshots(&upkeep.warnings) {
            do {
                let merge = try merge(snapshot)
                guard merge.joined else { continue }
                upkeep.joinedFrom = snapshot.key
                let holds = try store.versionVector()
                let read = snapshot.header.bundles.filter { FolderTransport.decodeCovers($0.value)?.isCovered(by: holds) == true }
                try store.saveCheckpoint(SyncCheckpoint(peer: peer, values: read))
                return
            } catch {
                upkeep.warnings.append(Self.invalid(snapshot, error))
            }
        }
    }

    /// Merges in what `snapshot` holds (`SnapshotFile.merge`), and remembers what that is.
    private func merge(_ snapshot: Snapshot) throws -> SnapshotMerge {
        let merge = try SnapshotFile.merge(snapshot.url, displayName: snapshot.key, into: store, keys: keys)
        try recordChecked(snapshot, holds: merge.held)
        return merge
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// Expanded snapshots left beside the store by a sync killed mid-way (an hour old or more).
    private func removeAbandonedTemporaries() {
        let url = URL(fileURLWithPath: store.path)
        let folder = url.deletingLastPathComponent().path, prefix = url.lastPathComponent + ".snapshot-"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasPrefix(prefix) {
            let path = folder + "/" + file
            if let stamp = FileStamp(path: path), stamp.modified / 1_000_000 + 3_600_000 < Int64(now) { unlink(path) }
        }
    }

    // MARK: - After the sync

    func afterSync(_ upkeep: inout FolderUpkeep) throws {
        removeAbandonedTemporaries()
        var snapshots = try snapshots(&upkeep.warnings)
        var ours = try store.versionVector()
        // Changes whose bundles are gone are in a snapshot: take them from each that holds (or,
        // unread yet, claims) some this store lacks. Each file is read once: what it really
        // holds is remembered, so a header that claims more than its body costs one read.
        for index in snapshots.indices where !ours.dominates(snapshots[index].claimed) {
            do {
                let merge = try merge(snapshots[index])
                snapshots[index].held = merge.held
                upkeep.mergedFromSnapshot += merge.received
                upkeep.newConflicts += merge.newConflicts
                ours = try store.versionVector()
            } catch {
                upkeep.warnings.append(Self.invalid(snapshots[index], error))
            }
        }
        snapshots.sort { ($0.total, $0.header.created) > ($1.total, $1.header.created) }
        try publish(ours)

        // A new snapshot when the store holds enough more than the folder's newest really does.
        let newest = snapshots.first.flatMap { check($0, &upkeep.warnings) }?.total ?? 0
        let total = ours.total
        var checked: (snapshot: Snapshot, holds: VersionVector)?
        if policy.wantsSnapshot(holding: total, newest: newest) {
            let written = try writeSnapshot()
            upkeep.snapshotWritten = written.key
            snapshots.insert(written, at: 0)
            checked = (written, written.header.versionVector)
        }
        try compact(snapshots: snapshots, checked: checked, ours: ours, upkeep: &upkeep)
    }

    /// Writes `vector.json` in this replica's subfolder.
    private func publish(_ vector: VersionVector) throws {
        let published = PublishedVector(replica: store.replicaID, name: keys != nil ? nil : try? store.replicaName(), versionVector: vector,
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
        for (key, value) in try store.checkpoint(peer: peer).values where FileManager.default.fileExists(atPath: directory.path + "/" + key) {
            if let covers = FolderTransport.decodeCovers(value), covers.isCovered(by: info.versionVector) { bundles[key] = value }
        }
        let name = SnapshotFile.name(created: info.created)
        try SnapshotFile.write(databaseAt: temporary, info: info, bundles: bundles, to: ownFolder, name: name,
                               scratch: temporary + ".zst", sealing: keys?.sealing, signer: store)
        let key = store.replicaID.rawValue + "/" + name
        let url = ownFolder.appendingPathComponent(name)
        let written = Snapshot(key: key, url: url, header: try SnapshotFile.header(at: url, displayName: key).header, held: info.versionVector)
        try recordChecked(written, holds: info.versionVector)
        return written
    }

    // MARK: - Compaction

    /// Removes this replica's bundles that a snapshot holds (by what its body was found to hold)
    /// and every active replica has, and its snapshots that another holds all of.
    private func compact(snapshots: [Snapshot], checked: (snapshot: Snapshot, holds: VersionVector)?, ours: VersionVector,
                         upkeep: inout FolderUpkeep) throws {
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
        // Gone by this person's word or another replica's: they hold nothing back. (A forged
        // word can only make a replica that returns catch up from the snapshot: a bundle goes
        // only when a snapshot whose body was read holds it.)
        let retired = try store.retiredReplicas().union(seen.values.flatMap(\.retired))
        // A replica syncing here lately that publishes no vector (an older Gloss): its holdings
        // are unknown, so nothing of ours is removed.
        guard silent.allSatisfy(retired.contains) else { return }
        let others = seen.values.filter { !retired.contains($0.replica) && now <= $0.updated &+ policy.horizon }.map(\.versionVector)

        // A snapshot to rely on: the one written now, else the newest, by what its body holds.
        guard let candidate = checked?.snapshot ?? snapshots.first else { return }
        let ownFiles = (try? FileManager.default.contentsOfDirectory(atPath: ownFolder.path)) ?? []
        let remembered = try store.checkpoint(peer: peer).values
        let claimed = candidate.claimed
        let removable = ownFiles.filter { $0.hasSuffix("." + FolderTransport.fileExtension) && !$0.hasPrefix(".") }
            .filter { file in
                guard let value = remembered[me.rawValue + "/" + file], let covers = FolderTransport.decodeCovers(value) else { return false }
                return covers.isCovered(by: claimed) && covers.isCovered(by: ours) && others.allSatisfy { covers.isCovered(by: $0) }
            }
        let replaced = snapshots.filter { $0.key.hasPrefix(me.rawValue + "/") && $0.key != candidate.key && claimed.dominates($0.claimed) }
        // Its body is read only when something would go, and once per file.
        guard !removable.isEmpty || !replaced.isEmpty else { return }
        guard let holds = checked?.holds ?? check(candidate, &upkeep.warnings) else { return }
        for file in removable {
            guard let covers = FolderTransport.decodeCovers(remembered[me.rawValue + "/" + file] ?? ""), covers.isCovered(by: holds) else { continue }
            if unlink(ownFolder.appendingPathComponent(file).path) == 0 { upkeep.bundlesRemoved += 1 }
        }
        for snapshot in replaced where holds.dominates(snapshot.claimed) {
            if unlink(snapshot.url.path) == 0 { upkeep.snapshotsRemoved += 1 }
        }
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

extension VersionVector {
    /// How many changes the vector covers (saturating: a vector read from a file may name any
    /// counters).
    package var total: UInt64 { entries.values.reduce(0) { $0.addingSaturated($1) } }
}

extension UInt64 {
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

extension SyncSession {
    /// Writes a snapshot of `store` into the shared folder at `path` now, publishes what the
    /// store holds there, and compacts as a sync would. Returns the snapshot's key.
    public static func writeSnapshot(_ store: Store, intoFolder path: String) throws -> (key: String, upkeep: FolderUpkeep) {
        let transport = try FolderTransport(directory: path, replica: store.replicaID)
        let keys = try FolderKeys.keyring(for: store, syncingWith: transport.directory)
        if let keys { try FolderKeys.publish(keys, replica: store.replicaID, in: transport.directory) }
        let maintenance = FolderMaintenance(store: store, directory: transport.directory, peer: transport.peer,
                                            policy: FolderPolicy(snapshotAfter: Int.max),
                                            now: UInt64(Date().timeIntervalSince1970 * 1000), keys: keys)
        let written = try maintenance.writeSnapshot()
        var upkeep = FolderUpkeep(snapshotWritten: written.key)
        try maintenance.afterSync(&upkeep)
        return (written.key, upkeep)
    }
}
