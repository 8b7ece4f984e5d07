import Foundation
import GlossCore
import GlossTestSupport
import PropertyBased
import Testing

/// Issue 3's proof: five replicas, random operations, random syncs between random pairs through
/// direct delivery (shuffled, duplicated), in-memory sessions, a shared folder (writing snapshots
/// and compacting) and snapshots merged directly, with new replicas joining from the folder. After the final
/// round every replica's digest is equal and no write is lost. GLOSS_SEEDS sets how many seeds
/// (CI runs 200); GLOSS_SEED=N replays one.
@Suite struct SimulationTests {
    static let seedCount = ProcessInfo.processInfo.environment["GLOSS_SEEDS"].flatMap(Int.init) ?? 200

    @Test func fiveReplicasConvergeAndLoseNothing() async {
        if let replay = ProcessInfo.processInfo.environment["GLOSS_SEED"].flatMap(UInt64.init) {
            return await Self.simulate(seed: replay)
        }
        await propertyCheck(count: Self.seedCount, input: Gen.uint64()) { seed in await Self.simulate(seed: seed) }
    }

    static func simulate(seed: UInt64) async {
        do {
            var simulation = try Simulation(seed: seed, replicas: 5)
            let verdict = try await simulation.run(steps: 40)
            #expect(verdict.difference == nil, "seed \(seed) (replay with GLOSS_SEED=\(seed)): replicas differ at \(verdict.difference ?? "")")
            #expect(verdict.lost.isEmpty, "seed \(seed) (replay with GLOSS_SEED=\(seed)): lost \(verdict.lost)")
        } catch {
            Issue.record("seed \(seed) (replay with GLOSS_SEED=\(seed)): \(error)")
        }
    }

    /// Issue 15: an adversary injects rewritten, out-of-range and empty changes, directly and
    /// through the shared folder. Every injection is refused (and a folder one reported by its
    /// bundle's name), and the honest replicas still converge and lose nothing.
    @Test func injectionsAreRefusedAndHonestReplicasStillConverge() async throws {
        var injections = 0
        for seed in UInt64(1)...12 {
            var simulation = try Simulation(seed: seed, replicas: 4, adversary: true)
            let verdict = try await simulation.run(steps: 40)
            injections += simulation.injections
            #expect(simulation.accepted.isEmpty, "seed \(seed): \(simulation.accepted)")
            #expect(verdict.difference == nil, "seed \(seed): replicas differ at \(verdict.difference ?? "")")
            #expect(verdict.lost.isEmpty, "seed \(seed): lost \(verdict.lost)")
        }
        #expect(injections > 50)
    }

    @Test func runsProduceConflictsAndMerges() async throws {
        // The simulation is only a proof if concurrency actually happens in it.
        var conflicts = 0
        var changes = 0
        var joined = 0, merged = 0, removed = 0
        for seed in UInt64(1)...10 {
            var simulation = try Simulation(seed: seed, replicas: 5)
            let verdict = try await simulation.run(steps: 40)
            conflicts += verdict.conflicts
            changes += verdict.changes
            joined += simulation.joined
            merged += simulation.snapshotsMerged
            removed += simulation.bundlesRemoved
        }
        #expect(conflicts > 0)
        #expect(changes > 200)
        // Issue 17: snapshots are taken and merged, replicas join, and the folder compacts.
        #expect(joined > 0 && merged > 0 && removed > 0, "joined \(joined), merged \(merged), removed \(removed)")
    }
}
