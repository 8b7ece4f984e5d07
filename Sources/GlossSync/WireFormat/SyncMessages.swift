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

/// A page of changes. An encrypted library's travel sealed (``SealedChange``): in JSON they
/// share the `changes` array with plain ones, after them.
public struct PullResponse: Hashable, Sendable {
    public var changes: [Change]
    public var sealed: [SealedChange] = []
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
/// An encrypted library's are `sealed` (``SealedChange``), in the same `changes` array.
public struct PushRequest: Hashable, Sendable {
    public var changes: [Change]
    public var sealed: [SealedChange]
    public var names: [String: String]

    public init(changes: [Change], sealed: [SealedChange] = [], names: [String: String]) {
        self.changes = changes
        self.sealed = sealed
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

/// `GET /v1/keys`, and the answer to `PUT /v1/keys`: what each replica of an encrypted library
/// published about its keys through this server (never a key). Empty for a library in the clear.
public struct PublishedKeysResponse: Hashable, Sendable, Codable {
    public var published: [PublishedKeys]

    public init(published: [PublishedKeys]) { self.published = published }
}

/// The body of every error response.
public struct ErrorResponse: Hashable, Sendable, Codable {
    public struct Detail: Hashable, Sendable, Codable { public var message: String }
    public var error: Detail
}

// MARK: - Codable (the wire codec is `WireJSON`; these read and write the same documents)

/// One element of a `changes` array, plain or sealed, as `Codable` reads and writes it.
private enum ChangeElement: Codable {
    case plain(Change)
    case sealed(SealedChange)

    private enum Probe: String, CodingKey { case k, s }

    init(from decoder: any Decoder) throws {
        let probe = try decoder.container(keyedBy: Probe.self)
        self = probe.contains(.k) || probe.contains(.s) ? .sealed(try SealedChange(from: decoder)) : .plain(try Change(from: decoder))
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .plain(let change): try change.encode(to: encoder)
        case .sealed(let change): try change.encode(to: encoder)
        }
    }

    static func elements(_ plain: [Change], _ sealed: [SealedChange]) -> [ChangeElement] {
        plain.map(ChangeElement.plain) + sealed.map(ChangeElement.sealed)
    }

    static func split(_ elements: [ChangeElement]) -> ([Change], [SealedChange]) {
        var plain: [Change] = [], sealed: [SealedChange] = []
        for element in elements {
            switch element {
            case .plain(let change): plain.append(change)
            case .sealed(let change): sealed.append(change)
            }
        }
        return (plain, sealed)
    }
}

extension PushRequest: Codable {
    private enum CodingKeys: String, CodingKey { case changes, names }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (changes, sealed) = ChangeElement.split(try c.decode([ChangeElement].self, forKey: .changes))
        names = try c.decode([String: String].self, forKey: .names)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ChangeElement.elements(changes, sealed), forKey: .changes)
        try c.encode(names, forKey: .names)
    }
}

extension PullResponse: Codable {
    private enum CodingKeys: String, CodingKey { case changes, next, more, names }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (changes, sealed) = ChangeElement.split(try c.decode([ChangeElement].self, forKey: .changes))
        next = try c.decode(Int64.self, forKey: .next)
        more = try c.decode(Bool.self, forKey: .more)
        names = try c.decode([String: String].self, forKey: .names)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ChangeElement.elements(changes, sealed), forKey: .changes)
        try c.encode(next, forKey: .next)
        try c.encode(more, forKey: .more)
        try c.encode(names, forKey: .names)
    }
}
