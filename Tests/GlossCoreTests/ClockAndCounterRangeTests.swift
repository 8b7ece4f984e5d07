@testable import GlossCore
import GlossExtraction
import GlossTestSupport
import Testing

/// Counters and clocks from other replicas are checked against their ranges: the store refuses
/// what no honest replica writes, and its own clock never wraps.
@Suite struct ClockAndCounterRangeTests {
    let directory = TemporaryDirectory()

    @Test func aClockAtItsLargestTimeSaturatesInsteadOfWrappingTo1970() {
        let top = HLC(rawValue: .max)
        #expect(top.tick(now: 1_700_000_000_000) == top)
        let nearTop = HLC(milliseconds: HLC.maxMilliseconds, logical: 5)
        #expect(nearTop.tick(now: 1_700_000_000_000) == HLC(milliseconds: HLC.maxMilliseconds, logical: 6))
    }

    /// A change from a replica whose first change it is, bent by `bend`.
    func change(_ bend: (inout Change) -> Void) throws -> Change {
        let source = try directory.store("source", seed: 3)
        _ = try source.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        var change = try source.changes(since: VersionVector())[0].unsigned
        bend(&change)
        return change
    }

    @Test func applyRefusesCountersPast2To63AndClocksADayAhead() throws {
        let store = try directory.store("a", seed: 1)
        let now = store.environment.now()
        let ahead = now + HLC.maxLead + 60_000
        // The store's clock moves on between reads, so a stamp is checked against a later `now`.
        let bends: [((inout Change) -> Void, (GlossError.ChangeDefect?, Dot) -> Bool)] = [
            ({ $0.dot.counter = Dot.maxCounter + 1 }, { if case .counterTooLarge($1)? = $0 { true } else { false } }),
            ({ $0.dot.counter = .max }, { if case .counterTooLarge($1)? = $0 { true } else { false } }),
            ({ $0.hlc = HLC(rawValue: .max) }, {
                if case .stampedAhead($1, HLC(rawValue: .max).milliseconds, let at)? = $0 { at >= now } else { false } }),
            ({ $0.hlc = HLC(milliseconds: ahead, logical: 0) }, {
                if case .stampedAhead($1, ahead, let at)? = $0 { at >= now } else { false } }),
        ]
        for (bend, expected) in bends {
            let bad = try change(bend)
            let error = #expect(throws: GlossError.self) { try store.apply([bad]) }
            guard case .invalidChange(let defect)? = error else { Issue.record("\(String(describing: error))"); continue }
            #expect(expected(defect, bad.dot), "\(defect)")
        }
        #expect(try store.status().counts.changes == 0)
    }

    /// Each rule a change must keep is named by its own defect, with the change's dot.
    @Test func eachBrokenRuleIsNamedWithTheChangesDot() throws {
        let now = try change { _ in }.hlc.milliseconds
        let bends: [((inout Change) -> Void, (Change) -> GlossError.ChangeDefect)] = [
            ({ $0.dot.counter = 0 }, { .zeroCounter($0.dot) }),
            ({ $0.ops = [] }, { .noOperation($0.dot) }),
            ({ $0.entityID = "zz" }, { .malformedID($0.dot, type: .article, id: "zz") }),
            ({ $0.ops[0].field = "" }, { .malformedFieldName($0.dot) }),
            ({ $0.ops[0].context = VersionVector([$0.dot.replica: $0.dot.counter]) }, { .seesItself($0.dot) }),
        ]
        for (bend, defect) in bends {
            let bad = try change(bend)
            #expect(Store.defect(in: bad, now: now) == defect(bad))
            #expect(throws: GlossError.invalidChange(defect(bad))) { try Store.validate(bad, now: now) }
        }
        #expect(Store.defect(in: try change { _ in }, now: now) == nil)
    }

    /// The largest counter there is, and a version vector past it, are handled without a trap.
    @Test func theLargestCounterIsAcceptedAndAVectorPastItCoversEverything() throws {
        let store = try directory.store("a", seed: 1)
        // From a replica made before replicas signed (a random id), signed by it: a batch of one,
        // under a key the store learns from it.
        var top = try change { $0.dot = Dot(replica: ReplicaID(String(repeating: "5c", count: 16))!, counter: Dot.maxCounter) }
        top.signature = try BatchSignature.forged(for: [top])
        #expect(try store.apply([top]).applied == 1)
        #expect(try store.changes(since: VersionVector()) == [top])
        #expect(try store.changes(since: VersionVector([top.dot.replica: .max])).isEmpty)
        #expect(try store.changes(since: VersionVector([top.dot.replica: Dot.maxCounter - 1])) == [top])
    }
}
