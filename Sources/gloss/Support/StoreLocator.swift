import Foundation
import GlossCore

/// Where the store lives: `--store`, else `$GLOSS_HOME`, else `$XDG_DATA_HOME/gloss`, else
/// `~/.local/share/gloss`. A directory holds `gloss.sqlite`; a path to a file is the database.
enum StoreLocator {
    static let fileName = "gloss.sqlite"

    /// What chose the store's place, so a message can name what to correct.
    enum Source: Equatable {
        case option, glossHome, xdgDataHome, home
    }

    /// A store's database file, and what chose it.
    struct Location: Equatable {
        /// The path as given (tilde expanded): a directory, or the database file itself.
        var given: String
        /// The database file.
        var database: String
        var source: Source
    }

    /// The store's location. With `create`, a missing store's own directory is made (for `--store`
    /// and GLOSS_HOME its parent must exist: a typing mistake is reported, not built; the default
    /// place is made whole, as any XDG application makes its data folder); without it, a store
    /// that is not there is an error, and nothing is made.
    static func locate(option: String?, create: Bool,
                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Location {
        let (raw, source): (String, Source)
        if let option, !option.isEmpty {
            (raw, source) = (option, .option)
        } else if let home = environment["GLOSS_HOME"], !home.isEmpty {
            (raw, source) = (home, .glossHome)
        } else if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            (raw, source) = (data + "/gloss", .xdgDataHome)
        } else {
            (raw, source) = (UserHome.directory(environment) + "/.local/share/gloss", .home)
        }
        let given = UserHome.expandingTilde(raw, environment: environment)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory)
        let isFile = exists ? !isDirectory.boolValue : [".sqlite", ".db", ".gloss"].contains(where: given.hasSuffix)
        let location = Location(given: given, database: isFile ? given : given + "/" + fileName, source: source)
        if FileManager.default.fileExists(atPath: location.database) { return location }
        guard create else { throw CLIError.noStore(location) }
        let directory = isFile ? parent(of: given) : given
        try makeDirectory(directory.isEmpty ? "." : directory, for: location)
        return location
    }

    /// The folder holding `path`: "" for a bare name, "/" for a name at the root. (NSString's
    /// `deletingLastPathComponent` traps on a one-letter relative path in Foundation on Linux.)
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let head = trimmed[..<slash]
        return head.isEmpty ? "/" : String(head)
    }

    private static func makeDirectory(_ path: String, for location: Location) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError.notAFolder(path, location) }
            return
        }
        let parent = parent(of: path)
        let madeWhole = location.source == .home || location.source == .xdgDataHome
        if !madeWhole, !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            throw CLIError.missingFolder(parent, location)
        }
        do {
            // Owner only (0700): the folder holds the store, its log and the saved tokens.
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: madeWhole,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError("cannot create the store's folder \(path): \(error.localizedDescription)")
        }
    }
}
