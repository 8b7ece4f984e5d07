public import Foundation
public import GlossCore
public import Logging

/// What a sync runs against, as a person names it: a shared folder's path, or a server's
/// http(s) URL.
public enum SyncTarget: Hashable, Sendable {
    case folder(path: String)
    /// A server's base URL, without a trailing slash.
    case server(URL)

    /// A server when `text` starts with `http://` or `https://`, else a folder.
    /// - Throws: `SyncError.notAServerURL` for an http(s) URL without a host.
    public init(_ text: String) throws {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            self = .folder(path: text)
            return
        }
        guard let url = HTTPTransport.serverURL(text) else { throw SyncError.notAServerURL(text) }
        self = .server(url)
    }
}

/// Which token a sync with a server presents.
public enum ServerToken: Hashable, Sendable {
    /// This token, saved for the server once a sync with it succeeds.
    case save(String)
    /// This token, for this sync only.
    case use(String)
    /// The token saved for the server.
    case saved
}

/// What `SyncSession.sync(_:with:)` did.
public struct SyncOutcome: Equatable, Sendable {
    public var report: SyncReport
    /// Where it synced: the folder's full path, or the server's URL.
    public var place: String
    /// Bundle files read and written (a folder; 0 for a server).
    public var bundlesRead = 0
    public var bundlesWritten = 0
    /// Snapshots and compaction (a folder).
    public var upkeep = FolderUpkeep()
    /// Originals moved after the changes (its warnings are in `report` too).
    public var originals = OriginalsReport()
}

extension SyncSession {
    /// Syncs `store` with `target` through the transport that suits it: a ``FolderTransport``
    /// for a folder, an ``HTTPTransport`` for a server, with the token `token` says (and, for
    /// ``ServerToken/save(_:)``, saves it for the server once the sync succeeds). An encrypted
    /// library's keys are checked against what the folder or server publishes first, and its
    /// changes travel sealed.
    /// - Throws: `SyncError` (`.noToken` when a server needs a token and none is saved).
    /// A folder sync also joins an empty store from the folder's newest snapshot, takes from a
    /// snapshot what the folder's bundles no longer hold, and writes snapshots and compacts as
    /// `policy` says (``FolderMaintenance``). A server sync joins an empty store from the
    /// server's snapshot, and uploads one to a relay as `policy` says (``ServerSnapshot``).
    public static func sync(_ store: Store, with target: SyncTarget, token: ServerToken = .saved,
                            policy: FolderPolicy = .standard,
                            progress: (@Sendable (SyncProgress) -> Void)? = nil,
                            logger: Logger = Logger(label: "gloss.sync")) async throws -> SyncOutcome {
        switch target {
        case .folder(let path):
            let keys = try FolderKeys.keyring(for: store, syncingWith: try FolderTransport.folder(at: path))
            let transport = try FolderTransport(directory: path, replica: store.replicaID, keys: keys)
            let maintenance = FolderMaintenance(store: store, directory: transport.directory, peer: transport.peer, policy: policy,
                                                now: UInt64(Date().timeIntervalSince1970 * 1000), keys: keys)
            if let keys { try FolderKeys.publish(keys, replica: store.replicaID, in: transport.directory) }
            var upkeep = FolderUpkeep()
            try maintenance.joinIfEmpty(&upkeep)
            var report = try await SyncSession(store: store, peer: transport, logger: logger).run()
            let originals = try await OriginalsSync.afterChanges(
                store, peer: transport, originals: FolderOriginals(directory: transport.directory, replica: store.replicaID, keys: keys),
                place: transport.directory.path, logger: logger)
            report.warnings += originals.warnings
            do {
                try maintenance.afterSync(&upkeep)
            } catch let error as SyncError {
                upkeep.warnings.append(error)
            }
            if let settled = try Keyring.settlingBounds(keys, of: store) {
                try FolderKeys.publish(settled, replica: store.replicaID, in: transport.directory)
            }
            report.received += upkeep.mergedFromSnapshot
            report.newConflicts = try store.standing(report.newConflicts + upkeep.newConflicts)
            // A file stepped over before the sync and again after it is named once.
            var named: [SyncError] = []
            for warning in upkeep.warnings where !named.contains(warning) { named.append(warning) }
            upkeep.warnings = named
            report.warnings += upkeep.warnings
            try store.recordSync(with: transport.directory.path)
            return SyncOutcome(report: report, place: transport.directory.path,
                               bundlesRead: await transport.bundlesRead, bundlesWritten: await transport.bundlesWritten, upkeep: upkeep,
                               originals: originals)
        case .server(let url):
            let place = url.absoluteString
            let presented: String
            switch token {
            case .save(let given), .use(let given): presented = given
            case .saved: presented = try store.savedRemote(place)?.token ?? ""
            }
            let keys = try await HTTPTransport(url: place, token: presented).keyring(for: store)
            let transport = try HTTPTransport(url: place, token: presented, keys: keys, progress: progress)
            var upkeep = FolderUpkeep()
            let joined = try await joinFromServer(store, through: transport, keys: keys, upkeep: &upkeep)
            var report = try await SyncSession(store: store, peer: transport, logger: logger).run()
            let originals = try await OriginalsSync.afterChanges(store, peer: transport, place: place, logger: logger)
            report.warnings += originals.warnings
            if let settled = try Keyring.settlingBounds(keys, of: store) {
                try await transport.publish(settled.published(by: store.replicaID.rawValue))
            }
            await offerSnapshot(of: store, to: transport, keys: keys, policy: policy, joined: joined, upkeep: &upkeep)
            report.received += upkeep.mergedFromSnapshot
            report.newConflicts = try store.standing(report.newConflicts + upkeep.newConflicts)
            report.warnings = upkeep.warnings + report.warnings
            if case .save(let given) = token { try store.saveRemote(place, token: given) }
            try store.recordSync(with: place)
            return SyncOutcome(report: report, place: place, upkeep: upkeep, originals: originals)
        }
    }
}
