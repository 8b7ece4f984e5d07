import PropertyBased
import Testing
@testable import GlossCore
import GlossTestSupport

/// The laws of DESIGN.md's replication model, on the primitives: merges are commutative,
/// associative and idempotent, so any delivery order, duplicates included, converges.
@Suite struct ReplicationLawTests {
    static let replicas = (1...3).map { ReplicaID(randomBytes: [UInt8](repeating: UInt8($0), count: 16)) }

    /// Random writes to one register: each replica's counters increase, contexts cover only
    /// events written before, as real writers' do.
    static func writes(seed: UInt64) -> [(FieldOp, Dot, HLC)] {
        var rng = SplitMix64(seed: seed)
        var counters = [ReplicaID: UInt64]()
        var written: [Dot] = []
        return (0..<Int(rng.next() % 12 + 1)).map { step in
            let replica = replicas[Int(rng.next() % 3)]
            counters[replica, default: 0] += 1
            let dot = Dot(replica: replica, counter: counters[replica]!)
            var context = VersionVector()
            for seen in written where rng.next() % 2 == 0 { context.include(seen) }
            written.append(dot)
            let value: FieldValue? = rng.next() % 5 == 0 ? nil : .string("v\(rng.next() % 3)")
            return (FieldOp(field: "f", value: value, context: context), dot, HLC(rawValue: UInt64(step) << 16))
        }
    }

    static func merged(_ writes: [(FieldOp, Dot, HLC)]) -> Register {
        var register = Register()
        for (op, dot, hlc) in writes { register.apply(op, dot: dot, hlc: hlc) }
        return register
    }

    @Test func registerMergeIsCommutative() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed ^ 0x5eed)
            let writes = Self.writes(seed: seed)
            #expect(Self.merged(writes) == Self.merged(writes.shuffled(seed: &rng)), "seed \(seed)")
        }
    }

    @Test func registerMergeIsIdempotent() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let writes = Self.writes(seed: seed)
            let duplicated = (writes + writes.filter { _ in rng.next() % 2 == 0 }).shuffled(seed: &rng)
            #expect(Self.merged(writes) == Self.merged(duplicated), "seed \(seed)")
        }
    }

    @Test func registerKeepsExactlyTheUncoveredWrites() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let writes = Self.writes(seed: seed)
            let overwritten = writes.reduce(into: VersionVector()) { $0.formUnion($1.0.context) }
            let expected = Set(writes.filter { $0.0.value != nil && !overwritten.covers($0.1) }.map(\.1))
            #expect(Set(Self.merged(writes).values.map(\.dot)) == expected, "seed \(seed)")
        }
    }

    @Test func storedBinaryFormRoundTripsAndRefusesDamage() async throws {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let writes = Self.writes(seed: seed)
            let registers = ["f": Self.merged(writes), "tag:x": Self.merged(Array(writes.prefix(2))),
                             "anchor": Register()]
            let ops = writes.map(\.0) + [FieldOp(field: "o", value: .object(["n": .int(-Int64(seed % 1000)), "s": .string("é\u{0}x"),
                                                                          "b": .bool(true), "z": .null, "in": .object([:])]))]
            let encodedOps = BinaryCoding.encode(ops)
            let encodedRegisters = BinaryCoding.encode(registers)
            #expect((try? BinaryCoding.decodeOps(DatabaseBytes(bytes: encodedOps))) == ops, "seed \(seed)")
            #expect((try? BinaryCoding.decodeRegisters(DatabaseBytes(bytes: encodedRegisters))) == registers, "seed \(seed)")
            // Every truncation is refused rather than read as something else.
            for cut in [1, encodedOps.count / 2, encodedOps.count - 1] where cut < encodedOps.count {
                #expect(throws: (any Error).self) { try BinaryCoding.decodeOps(DatabaseBytes(bytes: Array(encodedOps.prefix(cut)))) }
            }
        }
        // Stores written before the binary form hold JSON text; it still reads.
        let legacy = try Coding.encode([FieldOp(field: "note", value: .string("old"))])
        #expect(try BinaryCoding.decodeOps(DatabaseBytes(bytes: Array(legacy.utf8))) == [FieldOp(field: "note", value: .string("old"))])
    }

    @Test func versionVectorUnionIsALattice() async {
        func vector(_ rng: inout SplitMix64) -> VersionVector {
            VersionVector(Dictionary(uniqueKeysWithValues: Self.replicas.map { ($0, rng.next() % 4) }))
        }
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let (a, b, c) = (vector(&rng), vector(&rng), vector(&rng))
            #expect(a.union(b) == b.union(a))
            #expect(a.union(b).union(c) == a.union(b.union(c)))
            #expect(a.union(a) == a)
            #expect(a.union(b).dominates(a) && a.union(b).dominates(b))
        }
    }

    @Test func hlcTicksForwardEvenWhenTheWallClockStalls() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...1_000_000), Gen.uint64(in: 0...1_000_000)) { start, now in
            let clock = HLC(milliseconds: start, logical: 7)
            let next = clock.tick(now: now)
            #expect(next > clock)
            #expect(next.milliseconds >= now)
            #expect(clock.receiving(next) == next && next.receiving(clock) == next)
        }
    }
}
