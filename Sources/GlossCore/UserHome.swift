import Foundation

/// The user's home folder, as shells and XDG tools read it: `$HOME` when it is set, else the
/// account's. Foundation on Linux reads the account's alone (`homeDirectoryForCurrentUser`,
/// `expandingTildeInPath`), so a session run with a HOME of its own (a test, a sandbox, a second
/// profile) would otherwise share the account's store.
public enum UserHome {
    /// `environment` nil reads the process's.
    public static func directory(_ environment: [String: String]? = nil) -> String {
        if let home = (environment ?? ProcessInfo.processInfo.environment)["HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }

    /// `path` with a leading `~` or `~/` read as this home folder (`~name` as that user's).
    public static func expandingTilde(_ path: String, environment: [String: String]? = nil) -> String {
        if path == "~" { return directory(environment) }
        if path.hasPrefix("~/") { return directory(environment) + path.dropFirst() }
        return (path as NSString).expandingTildeInPath
    }
}
