public import GlossCore
public import GlossSync

/// Turns a push's changes into what a storage keeps: each change's canonical bytes, each dot once.
public enum RelayPush {
    /// The changes of a push, each dot once, in the order sent (plain ones, then sealed), and how
    /// many repeats were dropped. Of a sealed dot sent twice the first is kept (see
    /// ``StoredChange/sealed``).
    /// - Throws: ``RelayError/rewritten(replica:counter:)`` when the push holds one plain dot
    ///   twice with different content.
    public static func prepare(_ changes: [Change], sealed: [SealedChange] = []) throws -> (changes: [StoredChange], repeats: Int) {
        var seen: [Dot: StoredChange] = [:]
        var stored: [StoredChange] = []
        stored.reserveCapacity(changes.count + sealed.count)
        let all = changes.map { ($0.dot, CanonicalChange.bytes(of: $0), false) }
            + sealed.map { ($0.dot, CanonicalChange.bytes(of: $0), true) }
        for (dot, bytes, isSealed) in all {
            guard dot.counter >= 1, dot.counter <= Dot.maxCounter else {
                throw RelayError.invalidChange("change \(dot) has a counter outside 1…\(Dot.maxCounter)")
            }
            let change = StoredChange(replica: dot.replica.rawValue, counter: Int64(dot.counter), bytes: bytes, sealed: isSealed)
            if let held = seen[dot] {
                guard held.bytes == bytes || held.sealed || isSealed else {
                    throw RelayError.rewritten(replica: dot.replica.rawValue, counter: Int64(dot.counter))
                }
                continue
            }
            seen[dot] = change
            stored.append(change)
        }
        return (stored, all.count - stored.count)
    }
}

/// The one spelling of a change the relay keeps and hands back: the wire format's JSON object
/// for it (sorted keys, no spaces), as a push or pull page carries it, so a pull page is the
/// stored bytes joined by commas.
public enum CanonicalChange {
    /// The JSON of `change`: what `WireJSON` writes for it inside a message.
    public static func bytes(of change: Change) -> [UInt8] { WireJSON.encode(change: change) }

    /// The JSON of a sealed change (``SealedChange``): what `WireJSON` writes for it.
    public static func bytes(of change: SealedChange) -> [UInt8] { WireJSON.encode(sealed: change) }
}
