import Foundation
import GlossCore
public import Logging

/// Opens the storage a `--database` value names: a `postgresql://` URL, or a SQLite file (a
/// directory holds `relay.sqlite`).
public enum RelayDatabase {
    public static let fileName = "relay.sqlite"

    public static func isPostgres(_ location: String) -> Bool {
        location.lowercased().hasPrefix("postgresql://") || location.lowercased().hasPrefix("postgres://")
    }

    public static func open(_ location: String, logger: Logger = Logger(label: "gloss.relay")) async throws -> any RelayStorage {
        if isPostgres(location) { return try await PostgresRelayStorage(url: location, logger: logger) }
        var isDirectory: ObjCBool = false
        let path = UserHome.expandingTilde(location)
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path + "/" + fileName : path
        let parent = (file as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            throw RelayError.badDatabaseLocation(location, reason: "the folder \(parent) does not exist")
        }
        return try SQLiteRelayStorage(path: file)
    }
}
