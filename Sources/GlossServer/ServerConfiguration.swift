/// How `gloss serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind: loopback unless told otherwise.
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    /// The largest request body accepted as sent (compressed or not); 413 past it.
    public var maxRequestBytes: Int
    /// The largest a compressed request body may expand to; 413 past it. By default what every
    /// reader of the wire format allows (`WireLimits.maxExpandedBytes`).
    public var maxExpandedBytes: Int
    /// The most changes one pull page returns.
    public var maxPageChanges: Int
    /// The most JSON one pull page of more than one change holds: by default
    /// `WireLimits.pageBytes`, well within what a client reads.
    public var maxPageBytes: Int
    /// How long a connection may send nothing before it is closed: between requests (keep-alive),
    /// and while a request's header or body is still arriving, so a client that sends half a
    /// header and stops cannot hold a socket. A request being answered is never cut off.
    public var idleTimeout: Duration
    /// The most connections open at once; past it, new ones wait in the listen queue until one
    /// closes, so idle clients cannot use up the process's files.
    public var maxConnections: Int
    /// The snapshot handed to joining clients is made again once the store holds this many
    /// changes more than it (a joiner pulls at most about this many after it).
    public var snapshotRefreshAfter: Int

    public init(host: String = "127.0.0.1", port: Int = 8417, maxRequestBytes: Int = 32 << 20,
                maxExpandedBytes: Int = 64 << 20, maxPageChanges: Int = 5_000, maxPageBytes: Int = 4 << 20,
                idleTimeout: Duration = .seconds(30), maxConnections: Int = 128,
                snapshotRefreshAfter: Int = 1_000) {
        self.host = host
        self.port = port
        self.maxRequestBytes = maxRequestBytes
        self.maxExpandedBytes = maxExpandedBytes
        self.maxPageChanges = maxPageChanges
        self.maxPageBytes = maxPageBytes
        self.idleTimeout = idleTimeout
        self.maxConnections = max(1, maxConnections)
        self.snapshotRefreshAfter = max(0, snapshotRefreshAfter)
    }
}
