/// What can go wrong while syncing. Each message names the problem and what to do.
public enum SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    case folderUnusable(path: String, reason: String)
    case bundleInvalid(file: String, reason: String)
    case bundleTooNew(file: String, version: Int)
    case unreachable(url: String, reason: String)
    case unauthorized(url: String, reason: String)
    case protocolMismatch(url: String, server: Int?)
    case rejected(url: String, status: Int, message: String)

    public var description: String {
        switch self {
        case .folderUnusable(let path, let reason):
            "cannot sync through \(path): \(reason)"
        case .bundleInvalid(let file, let reason):
            "skipped \(file): \(reason); nothing from it was applied"
        case .bundleTooNew(let file, let version):
            "skipped \(file): it is bundle format version \(version), newer than this gloss reads (\(ChangeBundle.currentVersion)); upgrade gloss to read it"
        case .unreachable(let url, let reason):
            "cannot reach \(url): \(reason)"
        case .unauthorized(let url, let reason):
            "\(url) refused the token: \(reason)"
        case .protocolMismatch(let url, let server):
            "\(url) does not speak this gloss's sync protocol (v\(SyncProtocol.version))\(server.map { "; it speaks v\($0)" } ?? ""): run the same gloss version on both ends"
        case .rejected(let url, let status, let message):
            "\(url) answered \(status): \(message)"
        }
    }
}
