import Foundation
import GlossCore
import GlossSync
import GlossTestSupport
import Testing

/// A bundle that gives a dot another change than the one the store holds is named and stepped
/// over, never applied and never the end of the sync.
@Suite struct ForgedDotFolderTests {
    let directory = TemporaryDirectory()

    @Test func aBundleRewritingAHeldDotIsReportedByNameAndTheSyncGoesOn() async throws {
        let shared = directory.path + "/shared"
        let a = try directory.storeWithHighlight("a", seed: 1)
        _ = try await directory.folderSync(a, through: shared)
        // Someone who can write into the folder drops in A's highlight, rewritten, under C's name.
        var forged = try a.changes(since: VersionVector())[1].unsigned
        forged.hlc = HLC(rawValue: forged.hlc.rawValue + 1)
        let c = try directory.store("c", seed: 3)
        _ = try await FolderTransport(directory: shared, replica: c.replicaID).push([forged], names: [:])

        let d = try directory.store("d", seed: 4)
        let (report, _, _) = try await directory.folderSync(d, through: shared)
        let refused = report.warnings.filter {
            if case .bundleInvalid(_, .invalidChange(.rewritten(forged.dot))) = $0 { true } else { false }
        }
        #expect(refused.count == 1, "\(report.warnings)")
        #expect(refused.first?.description.contains(String(c.replicaID.rawValue.prefix(8))) == true, "\(refused)")
        // The next sync goes on as well; D covers the dot by now, so the bundle has nothing for it.
        #expect(try await directory.folderSync(d, through: shared).report.received == 0)
        // D holds A's two changes, one version of the rewritten dot among them (the one it read first).
        #expect(try d.status().counts.changes == 2)
    }
}
