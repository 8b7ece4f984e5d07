import GlossCore
import GlossSync

/// Authorship: the relay takes a plain change only as its writer signed it, by the rules every
/// store keeps (``Authorship``), so a token holder cannot push a change in another replica's name
/// and so take that replica's next counter on the relay.
///
/// Sealed changes (an encrypted library's) are not checked: the relay holds no key and cannot read
/// them. Each receiver checks them once it has opened them, and refuses what their writer did not
/// sign; until then such a change can hold its dot on the relay.
extension RelayController {
    /// Checks a push's plain `changes` against what `library` holds: the key the relay keeps for
    /// each writer, and the held changes of any signed batch that arrived split (an honest client
    /// never splits one; only then are stored changes read). Returns the keys the push's batches
    /// taught the relay, by replica id, for the push to keep with its changes.
    /// - Throws: ``RelayError/invalidChange(_:)`` naming the first change that fails.
    static func checkAuthorship(_ changes: [Change], in library: Int64, storage: any RelayStorage) async throws -> [String: [UInt8]] {
        guard !changes.isEmpty else { return [:] }
        do {
            let lookups = try Authorship.lookups(for: changes)
            let members = lookups.members.flatMap { replica, counters in counters.map { Dot(replica: replica, counter: $0) } }
            let stored = try await storage.authorship(of: library, writers: lookups.writers.map(\.rawValue), dots: members + lookups.unsigned)
            var trusted: [ReplicaID: [UInt8]] = [:]
            for replica in lookups.writers {
                if let key = stored.keys[replica.rawValue] { trusted[replica] = key }
            }
            var held: [Dot: Change] = [:]
            // For an unsigned change only whether the relay holds its dot matters: with other
            // bytes the push is refused as rewritten history (409) when it is stored.
            let unsigned = Set(lookups.unsigned)
            for change in changes where unsigned.contains(change.dot) && stored.held[change.dot] != nil {
                held[change.dot] = change
            }
            for dot in members {
                // A sealed change held at a plain batch's place does not read: the batch stays incomplete.
                guard let bytes = stored.held[dot], let change = try? WireJSON.decodeChange(bytes), change.dot == dot else { continue }
                held[dot] = change
            }
            let verified = try Authorship.check(changes, trusted: trusted, held: held)
            return Dictionary(uniqueKeysWithValues: verified.learned.map { ($0.key.rawValue, $0.value) })
        } catch GlossError.invalidChange(let defect) {
            throw RelayError.invalidChange("a change is refused, so nothing from this push was stored: \(defect)")
        }
    }
}
