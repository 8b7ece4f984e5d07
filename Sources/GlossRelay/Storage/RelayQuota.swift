/// What all of one person's libraries may hold together: bytes of changes and changes. Nil is
/// no limit. A person's own quota, where set, replaces the relay's default one limit at a time.
public struct RelayQuota: Hashable, Sendable, Codable {
    public var bytes: Int64?
    public var changes: Int64?

    public init(bytes: Int64? = nil, changes: Int64? = nil) {
        self.bytes = bytes
        self.changes = changes
    }

    public static let unlimited = RelayQuota()

    /// `own` where it sets a limit, else this.
    func overridden(by own: RelayQuota) -> RelayQuota {
        RelayQuota(bytes: own.bytes ?? bytes, changes: own.changes ?? changes)
    }

    /// Refuses a snapshot that leaves a person holding `held` bytes in all (their changes and
    /// kept snapshots, this one among them).
    /// - Throws: ``RelayError/snapshotOverQuota(allowed:)``.
    func checkSnapshot(holding held: Int64) throws {
        if let bytes, held > bytes { throw RelayError.snapshotOverQuota(allowed: bytes) }
    }

    /// Refuses a push adding `adding` changes of `addingBytes` to a person holding `used`.
    /// - Throws: ``RelayError/quotaExceeded(limit:allowed:used:adding:)``.
    func check(usedBytes: Int64, usedChanges: Int64, addingBytes: Int64, addingChanges: Int64) throws {
        guard addingChanges > 0 else { return }
        if let changes, usedChanges + addingChanges > changes {
            throw RelayError.quotaExceeded(limit: "changes", allowed: changes, used: usedChanges, adding: addingChanges)
        }
        if let bytes, usedBytes + addingBytes > bytes {
            throw RelayError.quotaExceeded(limit: "bytes", allowed: bytes, used: usedBytes, adding: addingBytes)
        }
    }
}
