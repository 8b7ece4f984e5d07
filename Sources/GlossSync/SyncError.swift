/// What can go wrong while syncing. Each message names the problem and what to do.
public enum SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    case folderUnusable(path: String, reason: String)
    case bundleInvalid(file: String, reason: String)
    case bundleTooNew(file: String, version: Int)

    public var description: String {
        switch self {
        case .folderUnusable(let path, let reason):
            "cannot sync through \(path): \(reason)"
        case .bundleInvalid(let file, let reason):
            "skipped \(file): \(reason); nothing from it was applied"
        case .bundleTooNew(let file, let version):
            "skipped \(file): it is bundle format version \(version), newer than this gloss reads (\(ChangeBundle.currentVersion)); upgrade gloss to read it"
        }
    }
}
