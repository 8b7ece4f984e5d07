#if canImport(Glibc)
import Glibc
#endif
import GlossCore
import GlossSync
import GlossWeb
import Testing

/// SyncError carries facts; its words name the folder, file or server and what went wrong, and
/// leave advice in a front end's terms (options, commands) to the front end.
@Suite struct SyncErrorTests {
    static let everyKind: [SyncError] = {
        var errors: [SyncError] = []
        let problems: [FileProblem] = [.isAFile, .isASymlink, .brokenLink, .parentMissing, .parentNotAFolder, .permissionDenied, .readOnly, .diskFull, .system(code: EIO)]
        for action in [FolderAction.create, .list, .createSubfolder, .write, .listReplica] {
            for problem in problems { errors.append(.folder(path: "/media/usb/gloss", action: action, problem: problem)) }
        }
        let defects: [BundleDefect] = [.unexpectedName, .unreadable(.permissionDenied), .notARegularFile, .tooLarge(limit: 256 << 20), .checksumMismatch,
                                       .notCompressed, .damaged(coding: "zstd"), .expandsTooFar(limit: 1 << 30),
                                       .malformed(detail: "malformed JSON at byte 3: expected a string"), .notABundle, .coversMismatch,
                                       .invalidChange(.stampedAhead(Dot(replica: ReplicaID(String(repeating: "ab", count: 16))!, counter: 1), milliseconds: 1_800_000_000_000, now: 1_700_000_000_000)),
                                       .stillInvalid(detail: "its SHA-256 does not match its name (truncated or corrupted)")]
        errors += defects.map { .bundleInvalid(file: "r/1-x.glb", defect: $0) }
        errors += [.snapshotInvalid(file: "r/1-x.glb", problem: "its header is not readable"), .bundleTooNew(file: "r/1-x.glb", version: 9), .notAServerURL("http://"), .noToken(url: "http://h:1"),
                   .unauthorized(url: "http://h:1", serverSays: "no"), .protocolMismatch(url: "http://h:1", server: 2),
                   .protocolMismatch(url: "http://h:1", server: nil), .rejected(url: "http://h:1/v1/push", status: 422, serverSays: "bad")]
        let failures: [WebClient.Failure] = [.refused, .noSuchHost, .timedOut, .dropped, .offline, .insecure, .other("odd")]
        errors += failures.map { .unreachable(url: "http://h:1", failure: $0) }
        let answers: [AnswerDefect] = [.notAGlossMessage, .unknownCoding("br"), .expandsTooFar(limit: 1 << 30), .damaged(coding: "gzip"),
                                       .invalid(detail: "a change's 'n' is 9223372036854775808, above 2^63-1")]
        errors += answers.map { .badAnswer(url: "http://h:1/v1/pull", status: 200, defect: $0) }
        return errors
    }()

    @Test func messagesNameWhatFailedAndNoCommandOrOption() {
        for error in Self.everyKind {
            let text = error.description
            #expect(!text.contains("--") && !text.contains("'gloss ") && !text.contains("GLOSS_"), "\(text)")
            #expect(text.contains("/media/usb/gloss") || text.contains("r/1-x.glb") || text.contains("http://"), "\(text)")
        }
        #expect(Set(Self.everyKind.map(\.description)).count == Self.everyKind.count, "two different facts read the same")
    }

    @Test func errnoBecomesTheProblemItMeans() {
        #expect(FileProblem(errno: ENOENT) == .parentMissing)
        #expect(FileProblem(errno: EACCES) == .permissionDenied && FileProblem(errno: EPERM) == .permissionDenied)
        #expect(FileProblem(errno: EROFS) == .readOnly)
        #expect(FileProblem(errno: ENOSPC) == .diskFull && FileProblem(errno: EDQUOT) == .diskFull)
        #expect(FileProblem(errno: ENOTDIR) == .parentNotAFolder)
        #expect(FileProblem(errno: EIO).description == String(cString: strerror(EIO)))
        let denied = SyncError.folder(path: "/p", action: .list, problem: .permissionDenied).description
        #expect(denied.contains("may not read"), "\(denied)")
    }
}
