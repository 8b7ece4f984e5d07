public import GlossCore

/// The HTTP sync protocol's messages (`Schema/OpenAPI/openapi.json`), shared by client and server.
public enum SyncProtocol {
    /// Bumped when a message changes incompatibly; also the path prefix (`/v1`).
    public static let version = 1
    public static let prefix = "/v1"
}

/// `GET /v1/health`: up, and which protocol it speaks. Needs no token.
public struct HealthResponse: Hashable, Sendable, Codable {
    public var status = "ok"
    public var protocolVersion = SyncProtocol.version
    public init() {}
}

/// `GET /v1/vector`: who the server is and what it holds.
public struct VectorResponse: Hashable, Sendable, Codable {
    public var protocolVersion: Int
    public var replica: ReplicaID
    public var name: String
    public var versionVector: VersionVector

    public init(replica: ReplicaID, name: String, versionVector: VersionVector) {
        protocolVersion = SyncProtocol.version
        self.replica = replica
        self.name = name
        self.versionVector = versionVector
    }
}

/// `POST /v1/pull`: the changes `since` lacks, a page at a time.
public struct PullRequest: Hashable, Sendable, Codable {
    public var since: VersionVector
    /// The `next` of the previous page; 0 for the first.
    public var after: Int64
    public var limit: Int?

    public init(since: VersionVector, after: Int64 = 0, limit: Int? = nil) {
        self.since = since
        self.after = after
        self.limit = limit
    }
}

public struct PullResponse: Hashable, Sendable, Codable {
    public var changes: [Change]
    public var next: Int64
    public var more: Bool
    public var names: [String: String]

    public init(page: ChangePage, names: [String: String]) {
        changes = page.changes
        next = page.next
        more = page.more
        self.names = names
    }
}

/// `POST /v1/push`: changes for the server to apply (idempotent: a retried push is harmless).
public struct PushRequest: Hashable, Sendable, Codable {
    public var changes: [Change]
    public var names: [String: String]

    public init(changes: [Change], names: [String: String]) {
        self.changes = changes
        self.names = names
    }
}

public struct PushResponse: Hashable, Sendable, Codable {
    public var applied: Int
    public var duplicates: Int
    public var newConflicts: [ConflictRef]

    public init(_ report: ApplyReport) {
        applied = report.applied
        duplicates = report.duplicates
        newConflicts = report.newConflicts
    }
}

/// The body of every error response.
public struct ErrorResponse: Hashable, Sendable, Codable {
    public struct Detail: Hashable, Sendable, Codable { public var message: String }
    public var error: Detail
}
