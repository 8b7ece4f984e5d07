import Foundation
import PropertyBased
import Testing
@testable import GlossCore

/// Replicas that exchange changes directly — shuffled, duplicated, in chunks that leave gaps —
/// end with identical state once each holds every change. Seeds replay exactly; set
/// GLOSS_SEEDS to run more of them.
@Suite struct ConvergenceTests {
    static let seedCount = ProcessInfo.processInfo.environment["GLOSS_SEEDS"].flatMap(Int.init) ?? 40

    @Test func replicasConvergeUnderShuffledDuplicatedDelivery() async {
        if let replay = ProcessInfo.processInfo.environment["GLOSS_SEED"].flatMap(UInt64.init) {
            return Self.simulate(seed: replay)
        }
        await propertyCheck(count: Self.seedCount, input: Gen.uint64()) { seed in Self.simulate(seed: seed) }
    }

    /// One seeded run; a failure names its seed (replay it with GLOSS_SEED=…).
    static func simulate(seed: UInt64) {
        do {
            var simulation = try Simulation(seed: seed, replicas: 4)
            try simulation.run(steps: 40)
        } catch {
            Issue.record("seed \(seed) (replay with GLOSS_SEED=\(seed)): \(error)")
        }
    }

    @Test func aBatchAppliedInAnyOrderOrTwiceGivesTheSameState() throws {
        let directory = TemporaryDirectory()
        var simulation = try Simulation(seed: 7, replicas: 3, directory: directory)
        for _ in 0..<30 { try simulation.randomOperation() }
        let all = try simulation.stores.flatMap { try $0.changes(since: VersionVector()) }
        var rng = SplitMix64(seed: 99)
        var digests: Set<String> = []
        for attempt in 0..<4 {
            let fresh = try directory.store("fresh\(attempt)", seed: 1000 + UInt64(attempt))
            let order = all.shuffled(seed: &rng)
            let first = try fresh.apply(order)
            let second = try fresh.apply(order.shuffled(seed: &rng))
            #expect(second.applied == 0 && second.duplicates == order.count)
            #expect(first.applied == Set(order.map(\.dot)).count)
            digests.insert(try fresh.digest())
        }
        #expect(digests.count == 1)
    }

    @Test func anInvalidChangeRejectsTheWholeBatch() throws {
        let directory = TemporaryDirectory()
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        _ = try a.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        var changes = try a.changes(since: VersionVector())
        var bad = changes[0]
        bad.dot.counter = 2
        bad.entityID = "../../etc/passwd"
        changes.append(bad)
        let before = try b.digest()
        #expect(throws: (any Error).self) { try b.apply(changes) }
        #expect(try b.digest() == before)
        #expect(try b.status().counts.changes == 0)
    }
}

/// A seeded run of random operations on several stores with random direct exchanges.
struct Simulation {
    var rng: SplitMix64
    let directory: TemporaryDirectory
    var stores: [Store] = []
    let seed: UInt64
    let texts: [String]

    init(seed: UInt64, replicas: Int, directory: TemporaryDirectory = TemporaryDirectory()) throws {
        self.seed = seed
        self.directory = directory
        rng = SplitMix64(seed: seed)
        var textRNG = SplitMix64(seed: seed &+ 1)
        texts = (0..<4).map { _ in prose(&textRNG, sentences: 6) }
        for index in 0..<replicas {
            stores.append(try directory.store("r\(index)", seed: seed &* 31 &+ UInt64(index)))
        }
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
    }

    mutating func randomOperation() throws {
        let store = stores[Int(rng.next() % UInt64(stores.count))]
        let articles = try store.articles()
        let annotations = try store.annotations()
        switch rng.next() % 10 {
        case 0, 1:
            let text = pick(texts)!
            _ = try store.addArticle(ExtractedArticle(title: String(text.prefix(20)), text: text, format: .plainText))
        case 2, 3:
            guard let article = pick(articles) else { return }
            let words = try store.article(article.id).text.split(separator: " ")
            let start = Int(rng.next() % UInt64(max(1, words.count - 3)))
            let quote = words[start..<min(words.count, start + 3)].joined(separator: " ")
            _ = try store.highlight(articleID: article.id, quote: quote, occurrence: 1, note: rng.next() % 2 == 0 ? "note \(rng.next() % 100)" : nil)
        case 4:
            guard let article = pick(articles) else { return }
            _ = try store.addNote(articleID: article.id, text: "thought \(rng.next() % 1000)")
        case 5, 6:
            guard let annotation = pick(annotations) else { return }
            try store.editAnnotation(annotation.id, note: "edit \(rng.next() % 4)", color: pick(Store.colors))
        case 7:
            guard let id = pick(annotations.map(\.id) + articles.map(\.id)) else { return }
            try store.setTags(id, [pick(["red", "blue", "green"])!], remove: rng.next() % 3 == 0)
        case 8:
            guard let annotation = pick(annotations) else { return }
            try store.delete(annotation.id)
        default:
            try exchange()
        }
    }

    /// Sends a random subset of one store's changes to another in a shuffled, duplicated order,
    /// in chunks — so the receiver sees gaps and repeats.
    mutating func exchange() throws {
        let from = stores[Int(rng.next() % UInt64(stores.count))]
        let to = stores[Int(rng.next() % UInt64(stores.count))]
        let base = rng.next() % 3 == 0 ? VersionVector() : try to.versionVector()
        var changes = try from.changes(since: base).filter { _ in rng.next() % 4 != 0 }
        changes += changes.filter { _ in rng.next() % 3 == 0 }
        changes = changes.shuffled(seed: &rng)
        while !changes.isEmpty {
            let size = Int(rng.next() % 5) + 1
            try to.apply(Array(changes.prefix(size)))
            changes.removeFirst(min(size, changes.count))
        }
    }

    mutating func run(steps: Int) throws {
        for _ in 0..<steps { try randomOperation() }
        // Final round: everyone sends everything to everyone, shuffled.
        for to in stores {
            for from in stores where from.path != to.path {
                try to.apply(try from.changes(since: VersionVector()).shuffled(seed: &rng))
            }
        }
        let exports = try stores.map { String(decoding: try $0.exportJSON(), as: UTF8.self) }
        if let other = exports.first(where: { $0 != exports[0] }) {
            let (a, b) = (exports[0].split(separator: "\n"), other.split(separator: "\n"))
            let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("seed \(seed): exports differ at line \(line + 1):\n  \(line < a.count ? a[line] : "(end)")\n  \(line < b.count ? b[line] : "(end)")")
        }
        let vectors = try stores.map { try $0.versionVector() }
        #expect(Set(vectors).count == 1, "seed \(seed): version vectors differ")
        let counts = try stores.map { try $0.status().counts.changes }
        #expect(Set(counts).count == 1, "seed \(seed): change counts differ")
    }
}
