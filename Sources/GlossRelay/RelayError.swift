/// What a relay refuses or fails at, with the facts a person needs to correct it.
public enum RelayError: Error, Equatable, Sendable, CustomStringConvertible {
    case userExists(String)
    case unknownUser(String)
    case libraryExists(user: String, library: String)
    case unknownLibrary(user: String, library: String)
    /// A token was asked for without naming a library, and the user has none or several.
    case libraryNeeded(user: String, libraries: [String])
    case invalidName(String)
    /// A push holds a dot the library (or the push itself) holds with other bytes.
    case rewritten(replica: String, counter: Int64)
    /// A change breaks a rule every store holds changes to (the detail says which).
    case invalidChange(String)
    /// A push's batches of `replica` are signed under another key than the one the library
    /// keeps for it (one another push stored first).
    case signedByAnotherKey(replica: String)
    /// A push would take its owner past a quota: which limit, what it allows, what is used and
    /// what the push adds.
    case quotaExceeded(limit: String, allowed: Int64, used: Int64, adding: Int64)
    /// Keeping an uploaded snapshot would take the library's owner past their quota of bytes.
    case snapshotOverQuota(allowed: Int64)
    /// A library's published keys would pass `limit` bytes in all.
    case keysTooLarge(limit: Int)
    /// A library has `limit` snapshot uploads under way already.
    case snapshotUploadsUnderWay(limit: Int)
    case badDatabaseLocation(String, reason: String)
    /// The database answered with an error, or not at all.
    case database(String)

    public var description: String {
        switch self {
        case .userExists(let name): "there is already a user named '\(name)'"
        case .unknownUser(let name): "there is no user named '\(name)'"
        case .libraryExists(let user, let library): "\(user) already has a library named '\(library)'"
        case .unknownLibrary(let user, let library): "\(user) has no library named '\(library)'"
        case .libraryNeeded(let user, let libraries):
            libraries.isEmpty ? "\(user) has no library yet: add one first"
                : "\(user) has several libraries (\(libraries.joined(separator: ", "))): say which one the token grants"
        case .invalidName(let name): "'\(name.prefix(80))' is not a usable name: use 1 to 64 letters, digits, '.', '_' or '-'"
        case .rewritten(let replica, let counter):
            "change \(replica.prefix(8)):\(counter) (replica \(replica), counter \(counter)) is already on the relay with different content; history is never rewritten, so nothing from this push was stored"
        case .invalidChange(let detail): detail
        case .signedByAnotherKey(let replica):
            "replica \(replica)'s changes are signed with a key other than the one this relay holds for that replica (two machines claim one replica id, or one is forged), so nothing from this push was stored"
        case .quotaExceeded(let limit, let allowed, _, _):
            // Not what the owner holds: that counts every library of theirs, and a token for one
            // must learn nothing of the others.
            "this push would take the library's owner past this relay's quota of \(allowed) \(limit), so nothing from it was stored: ask the relay's operator for a larger quota"
        case .snapshotOverQuota(let allowed):
            "keeping this snapshot would take the library's owner past this relay's quota of \(allowed) bytes, so it was not kept: the library's changes are synced, and new devices pull them; ask the relay's operator for a larger quota"
        case .keysTooLarge(let limit):
            "the library's published keys would pass \(limit >> 20) MiB in all on this relay, so these were not stored"
        case .snapshotUploadsUnderWay(let limit):
            "\(limit == 1 ? "a snapshot upload" : "\(limit) snapshot uploads") of this library \(limit == 1 ? "is" : "are") under way already, so this one was not kept: a later sync tries again"
        case .badDatabaseLocation(let location, let reason): "cannot use '\(location)' as the relay's database: \(reason)"
        case .database(let detail): "the relay's database failed: \(detail)"
        }
    }

    /// Whether `name` may name a user or a library: 1 to 64 of letters, digits, `.`, `_`, `-`.
    static func check(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
        guard !name.isEmpty, name.count <= 64, allowed else { throw RelayError.invalidName(name) }
    }
}
