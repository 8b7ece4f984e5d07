@testable import GlossRelay
import Testing

/// How the relay's endpoints bound the storage work they wait for.
struct RelayControllerTests {
    @Test func storageWorkThatNeverAnswersEndsInADatabaseErrorOnTime() async throws {
        let start = ContinuousClock.now
        // Work that ignores cancellation and never returns, as a query PostgresNIO wrote to a
        // connection that had just closed.
        await #expect(throws: RelayError.self) {
            try await RelayController.within(.milliseconds(200)) { () async throws -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 1
            }
        }
        // Ended, not left waiting forever (the work never returns). The bound leaves room for the
        // network group's other suites: on a slow two-core machine a 200 ms deadline took 5.7 and
        // 6.4 s to fire in two runs (ninth session).
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func storageWorkThatAnswersInTimeGivesItsResultOrError() async throws {
        #expect(try await RelayController.within(.seconds(5)) { 42 } == 42)
        await #expect(throws: RelayError.self) {
            try await RelayController.within(.seconds(5)) { () async throws -> Int in throw RelayError.database("down") }
        }
    }
}
