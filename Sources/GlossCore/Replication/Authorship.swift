/// The rules by which a receiver takes a replica's changes only as that replica signed them
/// (``BatchSignature``), shared by every receiver: a store, and a relay that reads changes in
/// the clear. A receiver looks up what ``lookups(for:)`` names, then calls ``check(_:trusted:held:)``.
///
/// - A signed batch is checked whole, against the changes that arrived and those the receiver
///   holds. Its key must be the one the writer's id is made from (``ReplicaID/init(signingKey:)``),
///   for every replica made since replicas sign; for an older replica's random id, the key the
///   receiver trusts for it or, when it has none, the batch's own, which it then trusts (trust on
///   first use).
/// - A change no verified batch covers is taken only when the receiver holds it already (a
///   duplicate): every replica signs everything it hands on, its history before signatures
///   included, so an unsigned new change is one its writer did not sign.
public enum Authorship {
    /// What a receiver must look up before checking `changes`.
    public struct Lookups: Sendable {
        /// Per signed batch's writer, the counters of the batch that did not arrive: the receiver
        /// gives those it holds.
        public var members: [ReplicaID: [UInt64]] = [:]
        /// Changes no signature among `changes` covers: the receiver says which it holds.
        public var unsigned: [Dot] = []
        /// Every writer of `changes`: the receiver gives the key it trusts for each.
        public var writers: Set<ReplicaID> = []
    }

    /// What a receiver records once `changes` are taken.
    public struct Verified: Sendable {
        /// Keys of writers the receiver had none for, from their first verified batch.
        public var learned: [ReplicaID: [UInt8]] = [:]
        /// Every batch checked: its writer, last counter and signature.
        public var batches: [(replica: ReplicaID, last: UInt64, signature: BatchSignature)] = []
    }

    /// See ``Lookups``.
    public static func lookups(for changes: [Change]) throws -> Lookups {
        var lookups = Lookups()
        let index = try Index(changes)
        for change in changes {
            lookups.writers.insert(change.dot.replica)
            if index.covers(change.dot) == nil { lookups.unsigned.append(change.dot) }
        }
        for (replica, batches) in index.batches {
            for batch in batches {
                let missing = (batch.first...batch.last).filter { index.arrived[replica]?[$0] == nil }
                if !missing.isEmpty { lookups.members[replica, default: []] += missing }
            }
        }
        return lookups
    }

    /// Checks `changes`, given the keys the receiver `trusted` per writer, the changes it holds
    /// among those ``lookups(for:)`` named (`held`, by dot; for the unsigned ones only whether it
    /// holds them matters).
    /// - Throws: `GlossError.invalidChange` naming the first change that fails.
    public static func check(_ changes: [Change], trusted: [ReplicaID: [UInt8]], held: [Dot: Change]) throws -> Verified {
        var verified = Verified()
        var keys = trusted
        let index = try Index(changes)
        for (replica, batches) in index.batches.sorted(by: { $0.key < $1.key }) {
            for batch in batches {
                let dot = Dot(replica: replica, counter: batch.last)
                // An id made from a key names its key; another id's key is the one first trusted.
                if replica.isKeyDerived, ReplicaID(signingKey: batch.signature.key) != replica {
                    throw GlossError.invalidChange(.signedByAnotherKey(dot))
                }
                if let key = keys[replica], key != batch.signature.key { throw GlossError.invalidChange(.signedByAnotherKey(dot)) }
                var members: [Change] = []
                members.reserveCapacity(Int(batch.last - batch.first + 1))
                for counter in batch.first...batch.last {
                    let member = Dot(replica: replica, counter: counter)
                    guard let change = index.arrived[replica]?[counter] ?? held[member] else {
                        throw GlossError.invalidChange(.incompleteBatch(dot, first: batch.first))
                    }
                    members.append(change)
                }
                guard batch.signature.verifies(replica: replica, last: batch.last, changes: members) else {
                    throw GlossError.invalidChange(.badSignature(dot))
                }
                if keys[replica] == nil {
                    keys[replica] = batch.signature.key
                    verified.learned[replica] = batch.signature.key
                }
                verified.batches.append((replica, batch.last, batch.signature))
            }
        }
        for change in changes where index.covers(change.dot) == nil && held[change.dot] == nil {
            throw GlossError.invalidChange(.unsigned(change.dot))
        }
        return verified
    }

    /// The signed batches among some changes, and the changes by dot.
    package struct Index {
        package struct Batch { package var first: UInt64; package var last: UInt64; var signature: BatchSignature }
        package var batches: [ReplicaID: [Batch]] = [:]
        var arrived: [ReplicaID: [UInt64: Change]] = [:]

        package init(_ changes: [Change]) throws {
            var ends = Set<Dot>()
            for change in changes {
                arrived[change.dot.replica, default: [:]][change.dot.counter] = change
                guard let signature = change.signature else { continue }
                let last = change.dot.counter
                guard signature.isWellFormed, signature.first >= 1, signature.first <= last,
                      last - signature.first < BatchSignature.maxLength else {
                    throw GlossError.invalidChange(.malformedSignature(change.dot))
                }
                // A second signature for one batch end is ignored; found by set, since a hostile
                // page may hold a hundred thousand one-change batches of one replica.
                guard ends.insert(change.dot).inserted else { continue }
                batches[change.dot.replica, default: []].append(Batch(first: signature.first, last: last, signature: signature))
            }
            for key in batches.keys { batches[key]?.sort { $0.last < $1.last } }
        }

        /// The batch among these changes that covers `dot`, if any.
        package func covers(_ dot: Dot) -> Batch? {
            guard let list = batches[dot.replica] else { return nil }
            var low = 0, high = list.count
            while low < high {
                let middle = (low + high) / 2
                if list[middle].last < dot.counter { low = middle + 1 } else { high = middle }
            }
            return low < list.count && list[low].first <= dot.counter ? list[low] : nil
        }
    }
}
