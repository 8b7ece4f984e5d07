/// How `gloss relay` listens and what it accepts.
public struct RelayConfiguration: Sendable {
    /// The address to bind: loopback unless told otherwise.
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    /// The largest request body accepted as sent (compressed or not); 413 past it.
    public var maxRequestBytes: Int
    /// The largest a compressed request body may expand to; 413 past it.
    public var maxExpandedBytes: Int
    /// The most changes one pull page returns.
    public var maxPageChanges: Int
    /// The most change bytes one pull page of more than one change holds.
    public var maxPageBytes: Int
    /// How long a connection may send nothing before it is closed.
    public var idleTimeout: Duration
    /// The most connections open at once; past it, new ones wait in the listen queue.
    public var maxConnections: Int
    /// What a person's libraries may hold together, unless their own quota says otherwise.
    public var quota: RelayQuota
    /// Requests per second one token may make, on average, to one relay process (nil: no
    /// limit); past it, 429 with Retry-After.
    public var rateLimit: Double?
    /// Requests one token may make at once above `rateLimit`.
    public var rateBurst: Int
    /// How long a request's database work may take before the relay answers 503 (the client
    /// retries) rather than wait on: a query on a connection the database has just closed may
    /// never be answered.
    public var storageTimeout: Duration
    /// The largest snapshot file a replica may upload; 413 past it.
    public var maxSnapshotBytes: Int
    /// How many snapshots a library keeps: its newest few (an older one serves a download that
    /// began before a newer one was finished).
    public var snapshotsKept: Int
    /// Bytes per stored chunk of a snapshot: what an upload or a download holds in memory.
    public var snapshotChunkBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 8418, maxRequestBytes: Int = 32 << 20,
                maxExpandedBytes: Int = 64 << 20, maxPageChanges: Int = 5_000, maxPageBytes: Int = 4 << 20,
                idleTimeout: Duration = .seconds(30), maxConnections: Int = 512, quota: RelayQuota = .unlimited,
                rateLimit: Double? = 50, rateBurst: Int = 200, storageTimeout: Duration = .seconds(20),
                maxSnapshotBytes: Int = 1 << 30, snapshotsKept: Int = 2, snapshotChunkBytes: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.maxRequestBytes = maxRequestBytes
        self.maxExpandedBytes = maxExpandedBytes
        self.maxPageChanges = max(1, maxPageChanges)
        self.maxPageBytes = maxPageBytes
        self.idleTimeout = idleTimeout
        self.maxConnections = max(1, maxConnections)
        self.quota = quota
        self.rateLimit = rateLimit.flatMap { $0 > 0 ? $0 : nil }
        self.rateBurst = max(1, rateBurst)
        self.storageTimeout = storageTimeout
        self.maxSnapshotBytes = max(0, maxSnapshotBytes)
        self.snapshotsKept = max(1, snapshotsKept)
        self.snapshotChunkBytes = max(1, snapshotChunkBytes)
    }
}
