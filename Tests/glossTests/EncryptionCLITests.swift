import Foundation
import GlossTestSupport
import Testing

/// Issue 19 with the real binary: enable, join by recovery key and by passphrase, refusals that
/// change nothing, and no key material in anything gloss prints.
@Suite(.serialized) struct EncryptionCLITests {
    @Test func aLibraryIsEncryptedJoinedAndNeverPrintsItsKey() throws {
        let cli = CLI()
        defer { cli.remove() }
        let laptop = ["--store", cli.home + "/laptop"], desktop = ["--store", cli.home + "/desktop"]
        let phone = ["--store", cli.home + "/phone"]
        let shared = cli.home + "/shared"
        var printed = ""
        func run(_ arguments: [String], stdin: String? = nil) throws -> CLI.Result {
            let result = try cli.run(arguments, stdin: stdin.map { Data($0.utf8) })
            printed += result.stdout + result.stderr
            return result
        }
        for store in [laptop, desktop, phone] { #expect(try run(["init"] + store).status == 0) }
        #expect(try run(["add", SyncCLITests.fixture("reuters-migration")] + laptop).status == 0)

        // Enable, with a passphrase read from standard input (not a terminal here).
        let enable = try run(["encryption", "enable", "--passphrase", "--json"] + laptop, stdin: "a passphrase of words\n")
        #expect(enable.status == 0, "\(enable.stderr)")
        let enabled = try #require(try JSONSerialization.jsonObject(with: Data(enable.stdout.utf8)) as? [String: Any])
        let recovery = try #require(enabled["recoveryKey"] as? String)
        #expect(recovery.count == 69 && enabled["passphrase"] as? Bool == true)
        let keyFile = cli.home + "/laptop/gloss.sqlite.keys"
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
        let again = try run(["encryption", "enable"] + laptop)
        #expect(again.status == 1 && again.stderr.contains("already encrypted"))
        #expect(try run(["sync", shared] + laptop).status == 0)

        // Without the key: refused, and neither the store nor the folder changes.
        let digest = try #require(try cli.json(["status"] + desktop) as? [String: Any])["digest"] as? String
        let listing = try FileManager.default.subpathsOfDirectory(atPath: shared).sorted()
        let refused = try run(["sync", shared] + desktop)
        #expect(refused.status == 1 && refused.stderr.contains("gloss encryption join"), "\(refused.stderr)")
        #expect(try #require(try cli.json(["status"] + desktop) as? [String: Any])["digest"] as? String == digest)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: shared).sorted() == listing)

        // A typo in the recovery key is named by its group, and saves nothing.
        var typo = Array(recovery)
        typo[6] = typo[6] == "Z" ? "Y" : "Z"
        let mistyped = try run(["encryption", "join"] + desktop, stdin: String(typo) + "\n")
        #expect(mistyped.status == 1 && mistyped.stderr.contains("group 2"), "\(mistyped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.home + "/desktop/gloss.sqlite.keys"))
        let joined = try run(["encryption", "join", shared] + desktop, stdin: recovery + "\n")
        #expect(joined.status == 0, "\(joined.stderr)")
        let synced = try #require(try cli.json(["sync", shared] + desktop) as? [String: Any])
        #expect(synced["received"] as? Int == 1)

        // The phone joins with the passphrase; a wrong one first.
        let wrong = try run(["encryption", "join", "--passphrase", shared] + phone, stdin: "not the passphrase\n")
        #expect(wrong.status == 1 && wrong.stderr.contains("passphrase does not open"))
        #expect(try run(["encryption", "join", "--passphrase", shared] + phone, stdin: "a passphrase of words\n").status == 0)
        #expect(try run(["encryption", "rotate"] + phone).status == 0)
        #expect(try run(["sync", shared] + phone).status == 0)
        #expect(try run(["sync", shared] + laptop).status == 0)
        let status = try #require(try cli.json(["encryption", "status"] + laptop) as? [String: Any])
        #expect(status["encrypted"] as? Bool == true && (status["keys"] as? [String])?.count == 2)
        let human = try run(["encryption", "status"] + laptop)
        #expect(human.stdout.contains("Encrypted"))

        // No key, in any form, in anything printed after 'enable' showed the recovery key once.
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: keyFile))) as? [String: Any])
        let keys = try #require(stored["keys"] as? [[String: Any]]).compactMap { $0["key"] as? String }
        #expect(!keys.isEmpty)
        for export in [["export", "--format", "w3c"], ["export", "--format", "markdown", "--output", cli.home + "/md"], ["export"], ["status", "--json"]] {
            _ = try run(export + laptop)
        }
        for file in try FileManager.default.subpathsOfDirectory(atPath: cli.home + "/md") {
            printed += (try? String(contentsOfFile: cli.home + "/md/" + file, encoding: .utf8)) ?? ""
        }
        let afterEnable = printed.replacingOccurrences(of: enable.stdout, with: "")
        for secret in keys + [recovery, recovery.replacingOccurrences(of: "-", with: "")] {
            #expect(!afterEnable.contains(secret))
        }
    }
}
