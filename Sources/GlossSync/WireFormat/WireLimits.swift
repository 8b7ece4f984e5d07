/// How much one message may hold: the limits a reader holds every bundle, push and pull page
/// to, so a small hostile body cannot take gigabytes (`Schema/README.md` lists them), and the
/// size writers keep their pages under, well inside them.
///
/// Pages are counted in changes (5,000 a folder bundle, 2,000 a push or a client's pull page),
/// so writers also split a page whose JSON passes ``pageBytes``: a page of a few large articles
/// goes as several.
public enum WireLimits {
    /// The most JSON a writer puts in one message holding more than one change: a page larger
    /// than this goes as several (one change larger than this still goes alone).
    public static let pageBytes = 4 << 20
    /// The most a message's JSON may take, expanded: 16 pages.
    public static let maxExpandedBytes = 64 << 20
    /// The largest bundle file read, compressed as stored; larger ones are refused by their size.
    public static let maxBundleFileBytes = 32 << 20
    /// The most array elements and object members one message may hold, counted at every depth
    /// as it is read. A highlight takes about 50, a tag 4, so a page of ``pageBytes`` holds at
    /// most about 600,000 (7 bytes each, a page of nothing but tags) and usually 300,000.
    public static let maxItems = 1_000_000
    /// The longest one string may be, in UTF-8 bytes (escapes expanded): the largest page Gloss
    /// fetches is 32 MiB, so any text extracted from it fits.
    public static let maxStringBytes = 32 << 20
    /// The deepest a value may be nested (the message itself is depth 0).
    public static let maxDepth = 64
}
