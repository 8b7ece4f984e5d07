public import GlossCore
import GlossSync

/// Turns a push's changes into what a storage keeps: each change's canonical bytes, each dot once.
public enum RelayPush {
    /// The changes of a push, each dot once, in the order sent, and how many repeats were dropped.
    /// - Throws: ``RelayError/rewritten(replica:counter:)`` when the push holds one dot twice with
    ///   different content.
    public static func prepare(_ changes: [Change]) throws -> (changes: [StoredChange], repeats: Int) {
        var seen: [Dot: [UInt8]] = [:]
        var stored: [StoredChange] = []
        stored.reserveCapacity(changes.count)
        for change in changes {
            guard change.dot.counter >= 1, change.dot.counter <= Dot.maxCounter else {
                throw RelayError.invalidChange("change \(change.dot) has a counter outside 1…\(Dot.maxCounter)")
            }
            let bytes = CanonicalChange.bytes(of: change)
            if let held = seen[change.dot] {
                guard held == bytes else { throw RelayError.rewritten(replica: change.dot.replica.rawValue, counter: Int64(change.dot.counter)) }
                continue
            }
            seen[change.dot] = bytes
            stored.append(StoredChange(replica: change.dot.replica.rawValue, counter: Int64(change.dot.counter), bytes: bytes))
        }
        return (stored, changes.count - stored.count)
    }
}

/// The one spelling of a change the relay keeps and hands back: the wire format's JSON object
/// for it (sorted keys, no spaces), as a push or pull page carries it, so a pull page is the
/// stored bytes joined by commas.
public enum CanonicalChange {
    private static let prefix = Array(#"{"changes":["#.utf8)
    private static let suffix = Array(#"],"names":{}}"#.utf8)

    /// The JSON of `change`: what `WireJSON` writes for it inside a message.
    public static func bytes(of change: Change) -> [UInt8] {
        let message = WireJSON.encode(PushRequest(changes: [change], names: [:]))
        // The message is the prefix, the change, the suffix: WireJSON writes nothing else for a
        // push of one change with no names.
        return Array(message[prefix.count..<(message.count - suffix.count)])
    }
}
