public import GlossWeb
public import GlossCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What can go wrong while syncing, as facts: which folder, file or server, what was being done,
/// and what went wrong. The descriptions say it in words; a front end adds what to do about it
/// in its own terms (which option passes a token, say).
public enum SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The shared folder at `path` could not be used for `action`.
    case folder(path: String, action: FolderAction, problem: FileProblem)
    /// A bundle file that cannot be applied; nothing from it was.
    case bundleInvalid(file: String, defect: BundleDefect)
    /// A bundle written by a newer Gloss, in a format version this one does not read.
    case bundleTooNew(file: String, version: Int)
    /// A snapshot file that cannot be used; `problem` says why. A sync steps over it.
    case snapshotInvalid(file: String, problem: String)
    /// A sync target that is neither a folder path nor an http(s) URL with a host.
    case notAServerURL(String)
    /// No token was given for the server at `url`, and none is saved for it.
    case noToken(url: String)
    /// The server could not be reached, after retrying.
    case unreachable(url: String, failure: WebClient.Failure)
    /// The server refused the token; `serverSays` is its message.
    case unauthorized(url: String, serverSays: String)
    /// The server does not speak this protocol version; `server` is the one it speaks, when known.
    case protocolMismatch(url: String, server: Int?)
    /// The server answered a request with an error status; `serverSays` is its message.
    case rejected(url: String, status: Int, serverSays: String)
    /// The server's answer cannot be read.
    case badAnswer(url: String, status: Int, defect: AnswerDefect)
    /// The library at `place` is encrypted and this replica holds no key: nothing was applied
    /// or written.
    case libraryEncrypted(place: String)
    /// This replica's keys are not the keys the library at `place` is sealed with (`published`
    /// names those): another library's key. Nothing was applied or written.
    case wrongKey(place: String, held: [String], published: [String])
    /// A sealed change pulled from the server at `place` did not open (`problem` says why): it
    /// was skipped, and the rest applied.
    case sealedChangeSkipped(place: String, replica: String, counter: UInt64, problem: SealedChangeProblem)
    /// Changes of `replica` (counters `counters`, at most a few listed) from `place` that could
    /// not be checked against their writer's signature (their batch did not arrive whole, or they
    /// came unsigned): they were left out, and the rest applied.
    case changesUnverified(place: String, replica: String, counters: [UInt64], count: Int)
    /// The server at `url` refused this encrypted library's sealed changes or keys (`serverSays`
    /// is its message): they are not sent in the clear instead.
    case sealingRefused(url: String, serverSays: String)
    /// The key file beside the store cannot be used; `problem` says why.
    case keyFile(path: String, problem: String)
    /// The original of `article` at `origin` was not taken or sent (`problem` says why); the
    /// sync went on without it.
    case originalSkipped(origin: String, article: String, problem: String)
    /// The peer at `place` does not carry originals: they stay where they are.
    case originalsNotCarried(place: String)
    /// A list of originals that cannot be used (`problem` says why): none of its originals was
    /// taken.
    case originalsListInvalid(file: String, problem: String)

    /// What went wrong, in words, with every control or format character from outside (a file
    /// name, a server's message) escaped: see ``printable(_:)``.
    public var description: String { Self.printable(words) }

    private var words: String {
        switch self {
        case .folder(let path, .create, .isAFile):
            "cannot sync through \(path): it is a file, not a folder"
        case .folder(let path, let action, .permissionDenied):
            "cannot \(action.rawValue) \(path): permission denied (\(action.refusal))"
        case .folder(let path, let action, let problem):
            "cannot \(action.rawValue) \(path): \(problem)"
        case .bundleInvalid(let file, .plaintextAfterEncryption(let count)):
            "skipped \(count) change\(count == 1 ? "" : "s") of \(file): \(BundleDefect.plaintextAfterEncryption(changes: count)); the others were applied"
        case .bundleInvalid(let file, let defect):
            "skipped \(file): \(defect); nothing from it was applied"
        case .bundleTooNew(let file, let version):
            "skipped \(file): it is bundle format version \(version), newer than this gloss reads (\(BundleCodec.newestVersionRead)); upgrade gloss to read it"
        case .snapshotInvalid(let file, let problem):
            "skipped the snapshot \(file): \(problem)"
        case .notAServerURL(let text):
            "'\(text)' is not an http(s) URL with a host"
        case .noToken(let url):
            "no token for \(url): the server needs one, and none is saved for it"
        case .unreachable(let url, .refused):
            "cannot reach \(url): nothing answers there (is the server running, and is the port right?)"
        case .unreachable(let url, .insecure):
            "cannot reach \(url): \(WebClient.Failure.insecure.reason) (check the https address and the server's certificate)"
        case .unreachable(let url, let failure):
            "cannot reach \(url): \(failure.reason)"
        case .unauthorized(let url, let message):
            "\(url) refused the token: \(message)"
        case .protocolMismatch(let url, let server):
            "\(url) does not speak this gloss's sync protocol (v\(SyncProtocol.version))\(server.map { "; it speaks v\($0)" } ?? ""): run the same gloss version on both ends"
        case .rejected(let url, let status, let message):
            "\(url) answered \(status): \(message)"
        case .badAnswer(let url, let status, let defect):
            "\(url) answered \(status), but \(defect)"
        case .libraryEncrypted(let place):
            "the library at \(place) is encrypted, and this replica holds none of its keys. Run 'gloss encryption join' with the recovery key (or the passphrase), then sync again; nothing was applied or written"
        case .wrongKey(let place, let held, let published):
            "the library at \(place) is sealed with key\(published.count == 1 ? "" : "s") \(published.joined(separator: ", ")), and this replica holds \(held.joined(separator: ", ")): the key joined is another library's. Nothing was applied or written"
        case .changesUnverified(let place, let replica, let counters, let count):
            "left out \(count) change\(count == 1 ? "" : "s") of \(replica.prefix(8)) from \(place) (\(counters.map(String.init).joined(separator: ", "))\(count > counters.count ? ", …" : "")): not signed by that replica, or part of a signed batch that did not arrive whole, so they could not be checked; nothing from them was applied"
        case .sealedChangeSkipped(let place, let replica, let counter, let problem):
            "skipped the change \(replica.prefix(8)):\(counter) from \(place): \(problem); nothing from it was applied"
        case .sealingRefused(let url, let says):
            "\(url) does not take this encrypted library (\(says)). An encrypted library is never sent in the clear, so its changes were not sent: the server needs the library's key, or a gloss version that relays sealed changes"
        case .keyFile(let path, let problem):
            "cannot use the key file \(path): \(problem)"
        case .originalSkipped(let origin, let article, let problem):
            "skipped the original of article \(article.prefix(12)) at \(origin): \(problem)"
        case .originalsNotCarried(let place):
            "\(place) does not carry originals: they stay in this store (changes were synced as usual)"
        case .originalsListInvalid(let file, let problem):
            "skipped the list of originals \(file): \(problem); none of its originals was taken"
        }
    }
}

extension SyncError {
    /// `text` (which may hold a file name found in a shared folder or a server's message, chosen
    /// by anyone) with every control, format or separator character written as `\u{…}`, so
    /// printing it cannot move the cursor, recolour or clear a terminal, or reorder the line.
    public static func printable(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// What was being done with a sync folder when it failed; the raw value reads in a sentence.
public enum FolderAction: String, Hashable, Sendable {
    case create = "create the sync folder"
    case list = "list the sync folder"
    case createSubfolder = "create this replica's subfolder"
    case write = "write a bundle into"
    case listReplica = "list the replica folder"

    /// What a "permission denied" means for this action.
    var refusal: String {
        switch self {
        case .create: "this user may not write in its parent folder"
        case .list, .listReplica: "this user may not read it"
        case .createSubfolder, .write: "this user may not write in it"
        }
    }
}

/// Why a file system operation failed, from its errno.
public enum FileProblem: Hashable, Sendable, CustomStringConvertible {
    /// A file stands where a folder should be.
    case isAFile
    /// A symbolic link stands where this replica's own folder should be: writing through it
    /// would put files wherever it points.
    case isASymlink
    /// A symbolic link that points at nothing.
    case brokenLink
    /// The folder above does not exist.
    case parentMissing
    /// Something on the way is a file, not a folder.
    case parentNotAFolder
    /// This user may not do it there (EACCES, EPERM).
    case permissionDenied
    /// The file system is mounted read-only.
    case readOnly
    /// No space (or quota) left.
    case diskFull
    /// Any other errno.
    case system(code: Int32)

    public init(errno code: Int32) {
        switch code {
        case EEXIST: self = .isAFile
        case ENOENT: self = .parentMissing
        case ENOTDIR: self = .parentNotAFolder
        case EACCES, EPERM: self = .permissionDenied
        case EROFS: self = .readOnly
        case ENOSPC, EDQUOT: self = .diskFull
        default: self = .system(code: code)
        }
    }

    public var description: String {
        switch self {
        case .isAFile: "a file of that name is in the way"
        case .isASymlink: "it is a symbolic link, and gloss writes only into a real folder of its own"
        case .brokenLink: "it is a symbolic link to nothing"
        case .parentMissing: "its parent folder does not exist"
        case .parentNotAFolder: "a part of the path is a file, not a folder"
        case .permissionDenied: "permission denied"
        case .readOnly: "the disk is mounted read-only"
        case .diskFull: "the disk is full"
        case .system(let code): String(cString: strerror(code))
        }
    }
}

/// Why a bundle file cannot be applied.
public enum BundleDefect: Hashable, Sendable, CustomStringConvertible {
    /// Its name is not `<time>-<sha256>.glb`.
    case unexpectedName
    /// Reading it failed.
    case unreadable(FileProblem)
    /// Not a regular file: a folder, a device, a FIFO (or a link to one).
    case notARegularFile
    /// Larger, as stored, than `limit` bytes.
    case tooLarge(limit: Int)
    /// Its SHA-256 is not the one its name carries.
    case checksumMismatch
    /// Neither zstd nor gzip data.
    case notCompressed
    /// Compressed data that is damaged or cut short, in `coding`.
    case damaged(coding: String)
    /// Expands past `limit` bytes.
    case expandsTooFar(limit: Int)
    /// Its JSON does not read; `detail` says where and what.
    case malformed(detail: String)
    /// Whole JSON, but not a Gloss bundle.
    case notABundle
    /// Its `covers` does not match the changes it holds.
    case coversMismatch
    /// It holds a change no honest replica writes (stamped far in the future, say); the defect
    /// says which and why.
    case invalidChange(GlossError.ChangeDefect)
    /// A sealed bundle whose seal does not open under the key it names: altered, cut short,
    /// or spliced.
    case sealBroken
    /// A sealed bundle whose envelope does not match where it lies (another replica's folder,
    /// another time in its name): moved or replayed.
    case misplaced(detail: String)
    /// A sealed bundle under key `id`, which this replica does not hold (yet).
    case unknownKey(id: String)
    /// A plaintext bundle in an encrypted library holding `changes` changes written after it was
    /// encrypted: those are not applied (the rest are).
    case plaintextAfterEncryption(changes: Int)
    /// Found invalid by an earlier sync for the reason `detail`, and not read again: the file
    /// has not changed since (same size and modification time).
    case stillInvalid(detail: String)

    public var description: String {
        switch self {
        case .unexpectedName: "not a Gloss bundle (unexpected name)"
        case .unreadable(let problem): "cannot be read (\(problem))"
        case .notARegularFile: "not a regular file (a folder, a device or a FIFO), so not read"
        case .tooLarge(let limit): "larger than \(limit >> 20) MiB"
        case .checksumMismatch: "its SHA-256 does not match its name (truncated or corrupted)"
        case .notCompressed: "neither zstd nor gzip data"
        case .damaged(let coding): "damaged \(coding) data"
        case .expandsTooFar(let limit): "expands past \(limit >> 20) MiB"
        case .malformed(let detail): "malformed bundle JSON (\(detail))"
        case .notABundle: "not a Gloss bundle"
        case .coversMismatch: "its 'covers' does not match its changes"
        case .invalidChange(let defect): "it holds an invalid change (\(defect))"
        case .stillInvalid(let detail): "\(detail), as found before; not read again until the file changes"
        case .sealBroken: "its seal does not open (the file was altered, cut short or spliced)"
        case .misplaced(let detail): "its sealed envelope \(detail) (moved or replayed)"
        case .unknownKey(let id): "it is sealed under key \(id), which this replica does not hold; run 'gloss encryption join' with the recovery key"
        case .plaintextAfterEncryption(let count):
            "it holds \(count) change\(count == 1 ? "" : "s") written in the clear after the library was encrypted, which anyone who can write the folder could have made; its writer must join the library and run 'gloss encryption seal-folder'"
        }
    }
}

/// Why a server's answer cannot be read.
public enum AnswerDefect: Hashable, Sendable, CustomStringConvertible {
    /// Whole, but not the Gloss message the request asks for.
    case notAGlossMessage
    /// In a Content-Encoding this Gloss does not read.
    case unknownCoding(String)
    /// Expands past `limit` bytes.
    case expandsTooFar(limit: Int)
    /// Says `coding` but is not whole data in it.
    case damaged(coding: String)
    /// A Gloss message holding something no honest server sends (a counter past its range, a
    /// change stamped far in the future); `detail` says what.
    case invalid(detail: String)

    public var description: String {
        switch self {
        case .notAGlossMessage: "the answer is not a Gloss message (is this a Gloss server?)"
        case .unknownCoding(let name): "the answer is in '\(name)', which this version of Gloss does not read"
        case .expandsTooFar(let limit): "the answer expands past \(limit >> 20) MiB"
        case .damaged(let coding): "the answer says \(coding) but is not whole \(coding) data"
        case .invalid(let detail): "the answer is refused: \(detail)"
        }
    }
}

extension SyncError {
    /// One warning per replica for `changes` left out unchecked (see ``changesUnverified``).
    static func unverified(_ changes: [Change], place: String) -> [SyncError] {
        Dictionary(grouping: changes, by: \.dot.replica).sorted { $0.key < $1.key }.map { replica, group in
            let counters = Array(Set(group.map(\.dot.counter))).sorted()
            return .changesUnverified(place: place, replica: replica.rawValue, counters: Array(counters.prefix(5)), count: counters.count)
        }
    }
}
