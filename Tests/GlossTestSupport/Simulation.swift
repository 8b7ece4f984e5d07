import Crypto
public import GlossCore
import Foundation
import GlossExtraction
public import GlossSync

/// A seeded run of random operations on several replicas, with random exchanges between random
/// pairs — direct (shuffled, duplicated, in chunks that leave gaps), through an in-memory sync
/// session, through a shared folder (which writes snapshots and compacts as `gloss sync DIR`
/// does, with a small threshold), and by a snapshot of one merged into another — and new
/// replicas joining from the folder's snapshot. The same seed replays the same run.
public struct Simulation {
    public enum Delivery: CaseIterable, Sendable { case direct, session, folder, snapshot }

    /// Folder syncs write a snapshot every few changes, so runs take, merge and compact many.
    public static let folderPolicy = FolderPolicy(snapshotAfter: 12)
    /// Replicas that joined during the run from the folder's snapshot.
    public private(set) var joined = 0
    /// Snapshots merged into a replica directly.
    public private(set) var snapshotsMerged = 0
    /// Bundles removed by compaction in folder syncs.
    public private(set) var bundlesRemoved = 0

    public var rng: SplitMix64
    public let directory: TemporaryDirectory
    public private(set) var stores: [Store] = []
    public let seed: UInt64
    let deliveries: [Delivery]
    let texts: [String]
    /// Bundle files read by folder syncs, for checks on what a sync reads.
    public private(set) var bundlesRead = 0
    /// Whether an adversary takes part, injecting forged, rewritten and out-of-range changes.
    let adversary: Bool
    /// The adversary's injections, and those a replica took instead of refusing (each a line
    /// saying what it was and where).
    public private(set) var injections = 0
    public private(set) var accepted: [String] = []
    /// Issue 19: the library is encrypted, every replica holding its key (newcomers join with the
    /// recovery key), so folder syncs write and read sealed bundles; replicas rotate the key.
    public let encrypted: Bool
    /// The recovery key newcomers join with, when encrypted.
    var recoveryKey = ""
    /// Key rotations made during the run.
    public private(set) var rotations = 0

    public init(seed: UInt64, replicas: Int, deliveries: [Delivery] = Delivery.allCases, adversary: Bool = false,
                encrypted: Bool = false, directory: TemporaryDirectory = TemporaryDirectory()) throws {
        self.seed = seed
        self.encrypted = encrypted
        self.directory = directory
        self.deliveries = deliveries
        self.adversary = adversary
        rng = SplitMix64(seed: seed)
        var textRNG = SplitMix64(seed: seed &+ 1)
        texts = (0..<4).map { _ in prose(&textRNG, sentences: 6) }
        for index in 0..<replicas {
            stores.append(try directory.store("r\(index)", seed: seed &* 31 &+ UInt64(index)))
        }
        if encrypted, let first = stores.first {
            recoveryKey = try LibraryEncryption.enable(first).recoveryKey
            for store in stores.dropFirst() { _ = try LibraryEncryption.join(store, with: .recoveryKey(recoveryKey), folder: nil) }
        }
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
    }

    mutating func randomStore() -> Store { stores[Int(rng.next() % UInt64(stores.count))] }

    /// One random user action on a random replica, or an exchange (or, with an adversary, an
    /// injection).
    public mutating func step() async throws {
        if adversary, rng.next() % 5 == 0 { return try await inject() }
        let store = randomStore()
        let articles = try store.articles()
        let annotations = try store.annotations()
        switch rng.next() % 12 {
        case 0, 1:
            let text = pick(texts)!
            _ = try store.addArticle(ExtractedArticle(title: String(text.prefix(20)), text: text, format: .plainText))
        case 2, 3:
            guard let article = pick(articles) else { return }
            let words = try store.article(article.id).text.split(separator: " ")
            let start = Int(rng.next() % UInt64(max(1, words.count - 3)))
            let quote = words[start..<min(words.count, start + 3)].joined(separator: " ")
            _ = try store.highlight(articleID: article.id, quote: quote, occurrence: 1,
                                    note: rng.next() % 2 == 0 ? "first thought on \(quote)" : nil)
        case 4:
            guard let article = pick(articles) else { return }
            _ = try store.addNote(articleID: article.id, text: "thought \(rng.next() % 1000)")
        case 5, 6:
            // Edit one word of the note, so concurrent edits sometimes merge cleanly.
            guard let annotation = pick(annotations) else { return }
            var words = (annotation.note ?? "a fresh note").split(separator: " ").map(String.init)
            words[Int(rng.next() % UInt64(words.count))] = "w\(rng.next() % 50)"
            try store.editAnnotation(annotation.id, note: words.joined(separator: " "),
                                     color: rng.next() % 3 == 0 ? pick(Store.colors) : nil)
        case 7:
            guard let id = pick(annotations.map(\.id) + articles.map(\.id)) else { return }
            try store.setTags(id, [pick(["red", "blue", "green"])!], remove: rng.next() % 3 == 0)
        case 8:
            guard let id = pick(annotations.map(\.id) + (rng.next() % 4 == 0 ? articles.map(\.id) : [])) else { return }
            try store.delete(id)
        case 10 where encrypted && rng.next() % 4 == 0:
            _ = try LibraryEncryption.rotate(store, now: 1_800_000_000_000 + rng.next() % 1_000_000)
            rotations += 1
        case 9 where deliveries.contains(.folder) && stores.count < 7 && rng.next() % 4 == 0:
            // A new machine joins through the folder.
            let newcomer = try directory.store("r\(stores.count)", seed: seed &* 31 &+ UInt64(stores.count))
            if encrypted { _ = try LibraryEncryption.join(newcomer, with: .recoveryKey(recoveryKey), folder: nil) }
            stores.append(newcomer)
            if try await folderSync(newcomer).upkeep.joinedFrom != nil { joined += 1 }
        default:
            try await exchange()
        }
    }

    /// Moves changes between two random replicas by a random delivery.
    public mutating func exchange() async throws {
        let to = randomStore()
        let from = randomStore()
        switch pick(deliveries)! {
        case .direct:
            let base = rng.next() % 3 == 0 ? VersionVector() : try to.versionVector()
            // Whole signed batches (a receiver checks a batch whole), some dropped, some twice.
            var batches = try from.changes(since: base).wholeBatches().filter { _ in rng.next() % 4 != 0 }
            batches += batches.filter { _ in rng.next() % 3 == 0 }
            batches = batches.shuffled(seed: &rng)
            while !batches.isEmpty {
                let size = Int(rng.next() % 3) + 1
                try to.apply(Array(batches.prefix(size).joined()).shuffled(seed: &rng))
                batches.removeFirst(min(size, batches.count))
            }
        case .session:
            _ = try await SyncSession(store: to, peer: StoreTransport(from)).run()
        case .folder:
            try await folderSync(to)
        case .snapshot:
            let path = directory.path + "/snapshot-\(rng.next()).sqlite"
            _ = try from.writeSnapshot(to: path)
            _ = try to.mergeSnapshot(at: path, applySlice: Int(rng.next() % 7) + 1)
            try? FileManager.default.removeItem(atPath: path)
            snapshotsMerged += 1
        }
    }

    /// The adversary bends a change a replica holds — rewrites it under its dot, puts its counter
    /// or clock out of range, empties it, or writes it at its writer's next counter unsigned or
    /// signed with a key of its own — and hands it to that replica directly (beside duplicates of
    /// honest changes) or, when it is not a rewrite, drops it into the shared folder under a
    /// replica id of its own. Every injection must be refused and change nothing.
    mutating func inject() async throws {
        let to = randomStore()
        let held = try to.changes(since: VersionVector())
        guard let honest = pick(held) else { return }
        var bent = honest.unsigned
        let kind = rng.next() % 8
        if kind >= 6 {
            // A change in the name of a replica `to` holds the key of, at its next counter:
            // unsigned, or signed with a key of the adversary's own.
            guard try to.publicKey(of: honest.dot.replica) != nil else { return }
            let next = (try to.versionVector())[honest.dot.replica] + 1 + rng.next() % 3
            bent.dot = Dot(replica: honest.dot.replica, counter: next)
            if kind == 7 {
                bent.signature = try BatchSignature.forged(for: [bent])
            }
        }
        switch kind {
        case 0: bent.hlc = HLC(rawValue: honest.hlc.rawValue &+ 1 &+ rng.next() % 1000)
        case 1: bent.ops = [FieldOp(field: honest.ops[0].field, value: .string("forged \(rng.next() % 100)"))]
        case 2: bent.dot = Dot(replica: honest.dot.replica, counter: 0)
        case 3: bent.dot = Dot(replica: honest.dot.replica, counter: Dot.maxCounter &+ 1 &+ rng.next() % 1000)
        case 4: bent.hlc = HLC(rawValue: UInt64.max &- rng.next() % 1000)
        case 5: bent.ops = []
        default: break
        }
        injections += 1
        let what = "injection \(injections) (kind \(kind), \(bent.dot))"
        let before = try to.digest()
        if kind >= 2, rng.next() % 2 == 0 {
            let hex = String(format: "%016llx%016llx", rng.next(), rng.next())
            let adversaryID = ReplicaID(hex)!
            let folder = try FolderTransport(directory: directory.path + "/shared", replica: adversaryID)
            // A bundle the writer itself will not write is refused already.
            guard (try? await folder.push([bent], names: [:])) != nil else { return }
            let transport = try FolderTransport(directory: directory.path + "/shared", replica: to.replicaID)
            let report = try await SyncSession(store: to, peer: transport).run()
            if !report.warnings.contains(where: { $0.description.contains(hex.prefix(8)) }) {
                accepted.append(what + " through the folder, without a warning naming its bundle")
            }
            if try to.digest() != before, report.received == 0 { accepted.append(what + " changed the store through the folder") }
            return
        }
        do {
            try to.apply((held.filter { _ in rng.next() % 4 == 0 } + [bent]).shuffled(seed: &rng))
            accepted.append(what + " applied directly")
        } catch GlossError.invalidChange {
            if try to.digest() != before { accepted.append(what + " refused, but the store changed") }
        }
    }

    /// One `gloss sync DIR` of `store` through the simulation's shared folder, snapshots and
    /// compaction included.
    @discardableResult
    public mutating func folderSync(_ store: Store) async throws -> SyncOutcome {
        let outcome = try await SyncSession.sync(store, with: .folder(path: directory.path + "/shared"), policy: Self.folderPolicy)
        bundlesRead += outcome.bundlesRead
        bundlesRemoved += outcome.upkeep.bundlesRemoved
        return outcome
    }

    /// A common starting point, so most steps act on something: every replica adds the same
    /// article on its own (one article after sync), and the first one's highlights reach all.
    public mutating func start() throws {
        for store in stores {
            _ = try store.addArticle(ExtractedArticle(title: "Shared", text: texts[0], format: .plainText))
        }
        let first = stores[0]
        let id = try first.articles()[0].id
        let words = texts[0].split(separator: " ")
        for start in [2, 12, 22] where start + 2 < words.count {
            _ = try first.highlight(articleID: id, quote: words[start...start + 2].joined(separator: " "),
                                    occurrence: 1, note: "note on \(words[start])")
        }
        for store in stores.dropFirst() { try store.apply(try first.changes(since: store.versionVector())) }
    }

    /// Starts, runs `steps` random steps, then delivers everything everywhere until nothing moves.
    public mutating func run(steps: Int) async throws -> Verdict {
        try start()
        for _ in 0..<steps { try await step() }
        try await settle()
        return try verdict()
    }

    /// Full exchanges until every replica holds the same changes (merges of concurrent note
    /// edits made on arrival are changes too, so this can take more than one round).
    public mutating func settle() async throws {
        for _ in 0..<6 {
            for store in stores { try await folderSync(store) }
            for to in stores {
                for from in stores where from.path != to.path {
                    try to.apply(Array(try from.changes(since: try to.versionVector()).wholeBatches().shuffled(seed: &rng).joined()))
                }
            }
            if Set(try stores.map { try $0.versionVector() }).count == 1 { return }
        }
    }

    /// What the run ended with.
    public struct Verdict: Sendable {
        /// The first line where two replicas' exports differ, nil when all are equal.
        public var difference: String?
        /// Writes neither shown, nor kept as a listed sibling, nor causally overwritten.
        public var lost: [String]
        public var changes: Int
        public var conflicts: Int
    }

    /// The tag counts a store keeps (derived rows, v13) against a count of its visible items'
    /// tags: nil when they agree.
    static func tagCountMismatch(_ store: Store) throws -> String? {
        var expected: [String: Int] = [:]
        for article in try store.articles() { for tag in article.tags { expected[tag, default: 0] += 1 } }
        var cursor: ListingCursor?
        repeat {
            let page = try store.annotationPage(AnnotationFilter(), after: cursor, limit: 500)
            for annotation in page.items { for tag in annotation.tags { expected[tag, default: 0] += 1 } }
            cursor = page.next
        } while cursor != nil
        let kept = Dictionary(uniqueKeysWithValues: try store.tagCounts().map { ($0.name, $0.count) })
        return kept == expected ? nil : "\(store.replicaID.short): tag counts \(kept), its items' tags \(expected)"
    }

    public func verdict() throws -> Verdict {
        let exports = try stores.map { String(decoding: try $0.exportJSON(), as: UTF8.self) }
        var difference: String?
        if let other = exports.first(where: { $0 != exports[0] }) {
            let (a, b) = (exports[0].split(separator: "\n"), other.split(separator: "\n"))
            let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            difference = "line \(line + 1): \(line < a.count ? a[line] : "(end)") | \(line < b.count ? b[line] : "(end)")"
        }
        if Set(try stores.map { try $0.versionVector() }).count != 1 { difference = difference ?? "version vectors differ" }
        for store in stores { difference = try difference ?? Self.tagCountMismatch(store) }
        let store = stores[0]
        let all = try store.changes(since: VersionVector())
        return Verdict(difference: difference, lost: try Oracle.lostWrites(in: store, changes: all),
                       changes: all.count, conflicts: try store.conflicts().count)
    }
}

/// An independent statement of "nothing lost", computed from the change log alone: a write is
/// alive unless some write's context covers it. Every alive note must be the note shown, or be
/// listed among the conflict's siblings; every alive tag must be shown.
enum Oracle {
    static func lostWrites(in store: Store, changes: [Change]) throws -> [String] {
        var writes: [String: [(dot: Dot, value: FieldValue?)]] = [:]
        var covered: [String: VersionVector] = [:]
        var kinds: [String: EntityType] = [:]
        for change in changes {
            kinds[change.entityID] = change.entityType
            for op in change.ops {
                let key = change.entityID + "\u{0}" + op.field
                writes[key, default: []].append((change.dot, op.value))
                covered[key, default: VersionVector()].formUnion(op.context)
            }
        }
        let export = try store.export()
        let annotations = Dictionary(uniqueKeysWithValues: export.annotations.map { ($0.id, $0) })
        let articles = Dictionary(uniqueKeysWithValues: export.articles.map { ($0.id, $0) })
        let conflicts = try store.conflicts()
        var lost: [String] = []
        for (key, list) in writes {
            let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            let (id, field) = (parts[0], parts[1])
            let alive = list.filter { $0.value != nil && !covered[key]!.covers($0.dot) }
            guard !alive.isEmpty else { continue }
            let distinct = Set(alive.map { $0.value! })
            let visible = annotations[id] != nil || articles[id] != nil
            if field == Fields.note, let annotation = annotations[id] {
                if distinct.count == 1 {
                    if FieldValue(annotation.note) != distinct.first! { lost.append("\(id) note \(distinct.first!) not shown") }
                } else {
                    let listed = Set(conflicts.first { $0.entityID == id && $0.field == field }?.siblings.map(\.value) ?? [])
                    if listed != distinct { lost.append("\(id) note siblings \(distinct) listed as \(listed)") }
                }
            }
            if field.hasPrefix(Fields.tagPrefix), visible {
                let tag = String(field.dropFirst(Fields.tagPrefix.count))
                let tags = annotations[id]?.tags ?? articles[id]?.tags ?? []
                if !tags.contains(tag) { lost.append("\(id) tag \(tag) not shown") }
            }
            if !visible, kinds[id] != nil, field != Fields.deleted {
                // Hidden: only a delete that saw this write may hide it.
                let deleteKey = id + "\u{0}" + Fields.deleted
                let deletes = (writes[deleteKey] ?? []).filter { $0.value == .bool(true) && !covered[deleteKey]!.covers($0.dot) }
                let seen = changes.filter { c in deletes.contains { $0.dot == c.dot } }
                    .flatMap(\.ops).filter { $0.field == Fields.deleted }
                    .reduce(into: VersionVector()) { $0.formUnion($1.context) }
                for write in alive where !seen.covers(write.dot) {
                    lost.append("\(id) hidden although \(field) written at \(write.dot) was not seen by its delete")
                }
            }
        }
        return lost.sorted()
    }
}

extension Array where Element == Change {
    /// These changes grouped by signed batch: each change inside a batch whose signature is among
    /// them goes with that batch; every other change is a group of its own. Groups keep order.
    public func wholeBatches() -> [[Change]] {
        var groups: [[Change]] = []
        var start = 0
        while start < count {
            let end = start + Array(self[start...]).batchSafeCut(atMost: 1)
            groups.append(Array(self[start..<end]))
            start = end
        }
        return groups
    }
}

extension BatchSignature {
    /// `batches` (each one writer's consecutive counters, in order) signed under one key made up
    /// on the spot, each batch's signature on its last change, one after the other: a history as
    /// a writer whose key that is would hand it on. A writer's id made from its own key becomes
    /// ``ReplicaID/fromBeforeSignatures`` (no other key can sign for it).
    public static func signed(batches: [[Change]]) throws -> [Change] {
        let key = Curve25519.Signing.PrivateKey()
        var signed: [Change] = []
        for batch in batches where !batch.isEmpty {
            var batch = batch.map { change in
                var copy = change.unsigned
                copy.dot.replica = copy.dot.replica.fromBeforeSignatures
                return copy
            }
            batch[batch.count - 1].signature = try forged(for: batch, with: key)
            signed += batch
        }
        return signed
    }

    /// A signature over `changes` (one writer's consecutive counters) with a key made up on the
    /// spot: well formed, verifying, but not the writer's.
    public static func forged(for changes: [Change]) throws -> BatchSignature {
        try forged(for: changes, with: Curve25519.Signing.PrivateKey())
    }

    static func forged(for changes: [Change], with key: Curve25519.Signing.PrivateKey) throws -> BatchSignature {
        let first = changes[0].dot.counter, last = changes[changes.count - 1].dot.counter
        let message = BatchSignature.message(replica: changes[0].dot.replica, first: first, last: last, changes: changes)
        return BatchSignature(first: first, key: Array(key.publicKey.rawRepresentation), signature: Array(try key.signature(for: message)))
    }
}

extension ReplicaID {
    /// For an id made from a signing key (which no other key can sign for), the same id with
    /// another first byte: a random id, as replicas had before they signed, whose key a receiver
    /// trusts on first use. Other ids are returned as they are.
    public var fromBeforeSignatures: ReplicaID {
        isKeyDerived ? ReplicaID("5e" + rawValue.dropFirst(2))! : self
    }
}
