package import GRDB
import GRDBSQLite

/// The store's hot statements, reads and writes, bound and stepped through SQLite's C API.
///
/// Every change runs about ten statements, and a pull page or a listing reads thousands of rows. Through `StatementArguments` each value was boxed
/// in an existential, copied into an array and bound inside nested closures, and that cost more
/// than SQLite's own work. Here values go straight from Swift to `sqlite3_bind_*`. The statements
/// are still GRDB's (prepared once per connection, finalized with it), and run inside GRDB's
/// transactions; GRDB's observers do not see writes made this way (Gloss registers none).
/// Package-wide, so that the benchmark's schema floor writes the store's rows the same way.
package struct DirectBinding {
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 1

    fileprivate init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
        sqlite3_reset(handle)
    }

    /// The statement's text, for an error (GRDB trims it on every read: too slow for each run).
    private var sql: String { statement.sql }

    package mutating func bind(_ value: String?) {
        defer { index += 1 }
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { utf8 in
            // An empty buffer may have no address, which SQLite would read as NULL.
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                sqlite3_bind_text(handle, index, "", 0, DirectBinding.transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { chars in
                _ = sqlite3_bind_text(handle, index, chars, Int32(utf8.count), DirectBinding.transient)
            }
        }
    }

    package mutating func bind(_ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    package mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    package mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    package mutating func bind(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count),
                                  DirectBinding.transient)
        }
        index += 1
    }

    /// Steps through every row, handing each to `body` to read its columns, and resets the
    /// statement.
    func forEachRow(_ db: Database, _ body: (DirectRow) throws -> Void) throws {
        try rows(db) { row in
            try body(row)
            return true
        }
    }

    /// Steps through the rows while `body` returns true, and resets the statement.
    func rows(_ db: Database, while body: (DirectRow) throws -> Bool) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_ROW: if try !body(DirectRow(handle: handle)) { return }
            case SQLITE_DONE: return
            default:
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
        }
    }

    /// SQLite copies what is bound: the Swift buffers live only as long as each call.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

/// The current row of a statement stepped by ``DirectBinding/forEachRow(_:_:)``; columns count from 0.
struct DirectRow {
    fileprivate let handle: OpaquePointer

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : int(column)
    }

    func text(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    /// A BLOB's bytes, or a TEXT column's UTF-8 (older stores kept some values as JSON text).
    func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let blob = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: blob, count: count))
    }
}

extension Database {
    /// Runs a query, values bound directly, handing each row to `body`.
    func forEachRow(_ sql: String, _ bind: (inout DirectBinding) -> Void = { _ in },
                    _ body: (DirectRow) throws -> Void) throws {
        var binding = DirectBinding(try cachedStatement(sql: sql))
        bind(&binding)
        try binding.forEachRow(self, body)
    }

    /// Runs a query, values bound directly, handing rows to `body` while it returns true.
    func rows(_ sql: String, _ bind: (inout DirectBinding) -> Void = { _ in },
              while body: (DirectRow) throws -> Bool) throws {
        var binding = DirectBinding(try cachedStatement(sql: sql))
        bind(&binding)
        try binding.rows(self, while: body)
    }

    /// Runs a write statement, prepared once per connection, with values bound directly.
    package func write(_ sql: String, _ bind: (inout DirectBinding) -> Void = { _ in }) throws {
        try forEachRow(sql, bind) { _ in }
    }

    /// The first column of a query's (only) row as an integer; nil when there is no row or it is NULL.
    func int(_ sql: String, _ bind: (inout DirectBinding) -> Void = { _ in }) throws -> Int64? {
        var value: Int64?
        try forEachRow(sql, bind) { row in if value == nil { value = row.optionalInt(0) } }
        return value
    }
}
