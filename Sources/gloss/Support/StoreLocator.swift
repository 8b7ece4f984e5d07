import Foundation

/// Where the store lives: `--store`, else `$GLOSS_HOME`, else `$XDG_DATA_HOME/gloss`, else
/// `~/.local/share/gloss`. A directory holds `gloss.sqlite`; a path to a file is the database.
enum StoreLocator {
    static let fileName = "gloss.sqlite"

    static func databasePath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let location: String
        if let option, !option.isEmpty {
            location = option
        } else if let home = environment["GLOSS_HOME"], !home.isEmpty {
            location = home
        } else if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            location = data + "/gloss"
        } else {
            location = FileManager.default.homeDirectoryForCurrentUser.path + "/.local/share/gloss"
        }
        let expanded = (location as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue { return expanded }
        if !exists && [".sqlite", ".db", ".gloss"].contains(where: expanded.hasSuffix) {
            try createDirectory((expanded as NSString).deletingLastPathComponent)
            return expanded
        }
        try createDirectory(expanded)
        return expanded + "/" + fileName
    }

    private static func createDirectory(_ path: String) throws {
        guard !path.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create the store directory \(path): \(error.localizedDescription)")
        }
    }
}
