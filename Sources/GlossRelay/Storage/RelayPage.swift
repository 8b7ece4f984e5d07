import Foundation
import GlossCore

/// A pull page being filled, the same way by every backend: changes in arrival order up to a
/// count and (past the first) a size.
struct RelayPage {
    let after: Int64
    let limit: Int
    let maxBytes: Int
    private var changes: [[UInt8]] = []
    private var bytes = 0
    private var next: Int64
    private var more = false

    init(after: Int64, limit: Int, maxBytes: Int) {
        self.after = after
        self.limit = max(1, limit)
        self.maxBytes = maxBytes
        next = after
    }

    /// Adds the change at `seq`; false once the page is full (`more` is then set).
    mutating func add(seq: Int64, bytes change: [UInt8]) -> Bool {
        guard changes.count < limit, changes.isEmpty || bytes + change.count + 1 <= maxBytes else {
            more = true
            return false
        }
        changes.append(change)
        bytes += change.count + 1
        next = seq
        return true
    }

    var result: StoredPage { StoredPage(changes: changes, next: next, more: more) }

    /// `vector` as a JSON object of counters by replica, for a statement to look entries up in.
    static func json(_ vector: VersionVector) -> String {
        "{" + vector.sorted.map { "\"\($0.replica.rawValue)\":\($0.counter)" }.joined(separator: ",") + "}"
    }
}
