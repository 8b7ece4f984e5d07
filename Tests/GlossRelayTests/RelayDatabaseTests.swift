import Foundation
@testable import GlossRelay
import GlossTestSupport
import Testing

/// Opening the relay's database from what `--database` says: mistakes are named, quickly.
@Suite struct RelayDatabaseTests {
    @Test func aDatabaseThatDoesNotAnswerIsNamedWithinTheStartTimeoutWithoutItsPassword() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: RelayError.self) {
            _ = try await PostgresRelayStorage(url: "postgresql://relay:s3cret@127.0.0.1:1/relay?sslmode=disable", startTimeout: 2)
        }
        do {
            _ = try await PostgresRelayStorage(url: "postgresql://relay:s3cret@127.0.0.1:1/relay?sslmode=disable", startTimeout: 2)
        } catch {
            let message = "\(error)"
            #expect(message.contains("127.0.0.1:1") && message.contains("did not answer within 2 s"), "\(message)")
            #expect(!message.contains("s3cret"))
        }
        #expect(clock.now - start < .seconds(10))
    }

    @Test(arguments: [
        ("postgresql:///relay", "names no host"),
        ("postgresql://h/relay?sslmode=sometimes", "sslmode 'sometimes'"),
        ("mysql://h/relay", "not a postgresql:// URL"),
    ])
    func aURLThatIsNotOneIsRefusedSayingWhy(_ url: String, _ reason: String) throws {
        #expect(throws: RelayError.self) { try PostgresRelayStorage.configuration(url) }
        do { _ = try PostgresRelayStorage.configuration(url) } catch { #expect("\(error)".contains(reason), "\(error)") }
    }

    @Test func aFolderHoldsRelaySqliteAndAMissingFolderIsNamed() async throws {
        let directory = TemporaryDirectory()
        let storage = try await RelayDatabase.open(directory.path)
        #expect((storage as? SQLiteRelayStorage)?.path == directory.path + "/relay.sqlite")
        try await storage.close()
        await #expect(throws: RelayError.badDatabaseLocation(directory.path + "/no/such/relay.sqlite", reason: "the folder \(directory.path)/no/such does not exist")) {
            _ = try await RelayDatabase.open(directory.path + "/no/such/relay.sqlite")
        }
    }
}
