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
        var change = try source.changes(since: VersionVector())[0]
        bend(&change)
        return change
    }

    @Test func applyRefusesCountersPast2To63AndClocksADayAhead() throws {
        let store = try directory.store("a", seed: 1)
        let now = store.environment.now()
        let bends: [(inout Change) -> Void] = [
            { $0.dot.counter = Dot.maxCounter + 1 },
            { $0.dot.counter = .max },
            { $0.hlc = HLC(rawValue: .max) },
            { $0.hlc = HLC(milliseconds: now + HLC.maxLead + 60_000, logical: 0) },
        ]
        for bend in bends {
            let bad = try change(bend)
            #expect(throws: GlossError.self) { try store.apply([bad]) }
        }
        #expect(try store.status().counts.changes == 0)
    }

    /// The largest counter there is, and a version vector past it, are handled without a trap.
    @Test func theLargestCounterIsAcceptedAndAVectorPastItCoversEverything() throws {
        let store = try directory.store("a", seed: 1)
        let top = try change { $0.dot.counter = Dot.maxCounter }
        #expect(try store.apply([top]).applied == 1)
        #expect(try store.changes(since: VersionVector()) == [top])
        #expect(try store.changes(since: VersionVector([top.dot.replica: .max])).isEmpty)
        #expect(try store.changes(since: VersionVector([top.dot.replica: Dot.maxCounter - 1])) == [top])
    }
}
