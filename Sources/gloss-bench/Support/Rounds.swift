/// The rounds of a repeated timing: round 0 warms up, then up to `repetitions` measured rounds,
/// fewer once `budget` seconds have gone (one is always measured). Today's slow commands would
/// otherwise take hours on a long history.
struct Rounds: Sequence, IteratorProtocol {
    let repetitions: Int
    let budget: Double
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var round = 0

    init(repetitions: Int, budget: Double = 60) {
        self.repetitions = repetitions
        self.budget = budget
        start = clock.now
    }

    mutating func next() -> Int? {
        guard round <= repetitions, round < 2 || (clock.now - start).seconds < budget else { return nil }
        defer { round += 1 }
        return round
    }
}
