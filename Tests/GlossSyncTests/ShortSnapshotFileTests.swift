import Foundation
import GlossCore
import GlossSync
import GlossTestSupport
import Testing

/// A snapshot file shorter than its first line (a copy cut short, or anyone's few bytes named
/// like one) is stepped over with a warning: reading its header used to trap on the slice past
/// the bytes there were.
@Suite struct ShortSnapshotFileTests {
    let directory = TemporaryDirectory()

    @Test(arguments: ["", "G", "GLOSS", "GLOSS-SNAPSHOT", "GLOSS-SNAPSHOT\n"])
    func aFolderSnapshotCutInsideItsFirstLineIsSkipped(_ text: String) async throws {
        let folder = directory.path + "/shared"
        let writer = String(repeating: "ab", count: 16)
        try FileManager.default.createDirectory(atPath: folder + "/" + writer, withIntermediateDirectories: true)
        let name = writer + "/snapshot-0000000000001.glsnap"
        #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8)))
        let store = try directory.store("joiner", seed: 1)
        let outcome = try await SyncSession.sync(store, with: .folder(path: folder))
        #expect(outcome.upkeep.joinedFrom == nil)
        #expect(outcome.report.warnings == [.snapshotInvalid(file: name, problem: "it is not a Gloss snapshot")], "\(outcome.report.warnings)")
    }
}
