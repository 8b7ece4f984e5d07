import Foundation
public import GlossCore

/// A directory removed when the value goes away: every test gets fresh, real SQLite files.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "gloss-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A new store in this directory with a replayable environment.
    public func store(_ name: String = "a", seed: UInt64 = 1) throws -> Store {
        let store = try Store(path: path + "/\(name).sqlite", environment: .seeded(seed))
        try store.setReplicaName(name)
        return store
    }
}

/// Deterministic prose for tests.
public func prose(_ rng: inout SplitMix64, sentences: Int) -> String {
    let words = ["river", "council", "budget", "winter", "harbor", "signal", "orchard", "library", "vote",
                 "bridge", "market", "storm", "archive", "theory", "garden", "engine", "letter", "border"]
    return (0..<sentences).map { _ in
        let count = Int(rng.next() % 8) + 5
        let sentence = (0..<count).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
    }.joined(separator: " ")
}

extension Array {
    /// A Fisher–Yates shuffle driven by a seeded generator.
    public func shuffled(seed rng: inout SplitMix64) -> [Element] {
        var copy = self
        guard copy.count > 1 else { return copy }
        for i in stride(from: copy.count - 1, to: 0, by: -1) {
            copy.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        return copy
    }
}

/// An article every store test can quote from.
public let sampleText = """
    The harbor council met on Tuesday to vote on the winter budget for the old bridge.

    Members argued for hours about the bridge. The archive shows the bridge was built in 1887, \
    and the council has repaired it four times since.

    In the end the council approved the budget, and repairs begin in March.
    """

/// Runs `work` on a thread of its own and returns what it returned or threw: a test that keeps
/// a core busy for seconds does so off the few threads async tests share, so tests bound by
/// time (idle connections, say) running beside it are not starved. Check results after it
/// returns: `#expect` belongs to the test's own task.
public func onThreadOfItsOwn<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: Result { try work() }) }
    }
}
