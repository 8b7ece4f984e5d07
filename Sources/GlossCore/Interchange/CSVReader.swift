import Foundation

/// Reads comma-separated values as RFC 4180 describes them (https://www.rfc-editor.org/rfc/rfc4180):
/// fields in double quotes may hold commas, line breaks and doubled quotes (`""`); CRLF or LF
/// ends a record; a leading byte order mark is ignored.
///
/// Written here rather than taken from a package (SwiftCSV, CSV.swift) because an import must
/// go on past a damaged record and say on which line it was: those readers either swallow the
/// rest of the file into the field a stray quote opens or stop at the first error. Here a damaged
/// record is returned as a failure naming its line, and reading resumes on the next line.
struct CSVReader {
    /// One record: its fields, or why it cannot be read; `line` is where it starts (1-based).
    struct Record {
        var line: Int
        var fields: Result<[String], CSVError>
    }

    struct CSVError: Error, Equatable {
        var reason: String
    }

    /// Every record of `text`, blank lines skipped.
    static func records(_ text: String) -> [Record] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var records: [Record] = []
        var at = 0
        var line = 1
        while at < scalars.count {
            let startLine = line, startAt = at
            var fields: [String] = []
            var field = String.UnicodeScalarView()
            var failure: String?
            var ended = false
            // One record: fields until an unquoted line break or the end.
            fieldLoop: while at <= scalars.count {
                if at == scalars.count { fields.append(String(field)); ended = true; break }
                if scalars[at] == "\"" && field.isEmpty {
                    // A quoted field: up to the quote not doubled.
                    at += 1
                    var closed = false
                    while at < scalars.count {
                        let c = scalars[at]
                        if c == "\"" {
                            if at + 1 < scalars.count && scalars[at + 1] == "\"" { field.append("\""); at += 2; continue }
                            at += 1
                            closed = true
                            break
                        }
                        if c == "\n" { line += 1 }
                        field.append(c)
                        at += 1
                    }
                    if !closed {
                        failure = "the quote that opens a field on line \(startLine) is never closed"
                        break fieldLoop
                    }
                    // After the closing quote: a comma, a line break, or the end.
                    if at == scalars.count { fields.append(String(field)); ended = true; break }
                    switch scalars[at] {
                    case ",": fields.append(String(field)); field = .init(); at += 1
                    case "\r" where at + 1 < scalars.count && scalars[at + 1] == "\n":
                        fields.append(String(field)); at += 2; line += 1; ended = true; break fieldLoop
                    case "\n": fields.append(String(field)); at += 1; line += 1; ended = true; break fieldLoop
                    default:
                        failure = "a quotation mark inside a quoted field on line \(line) is not doubled"
                        break fieldLoop
                    }
                    continue
                }
                switch scalars[at] {
                case ",": fields.append(String(field)); field = .init(); at += 1
                case "\r" where at + 1 < scalars.count && scalars[at + 1] == "\n":
                    fields.append(String(field)); at += 2; line += 1; ended = true; break fieldLoop
                case "\n": fields.append(String(field)); at += 1; line += 1; ended = true; break fieldLoop
                case "\"":
                    failure = "a quotation mark on line \(line) is inside a field that is not quoted"
                    break fieldLoop
                case let c: field.append(c); at += 1
                }
            }
            if let failure {
                // Resume on the line after the one where the record went wrong (or after the
                // record's first line, for a quote never closed: the rest may be sound).
                let resumeLine = failure.contains("never closed") ? startLine + 1 : line + 1
                records.append(Record(line: startLine, fields: .failure(CSVError(reason: failure))))
                at = start(ofLine: resumeLine, in: scalars, from: startAt, line: startLine)
                line = resumeLine
                continue
            }
            if !ended || fields == [""] { continue }
            records.append(Record(line: startLine, fields: .success(fields)))
        }
        return records
    }

    /// Where line `number` (1-based) of `scalars` starts, or the end, counting from `at`, which
    /// is on line `line`.
    private static func start(ofLine number: Int, in scalars: [Unicode.Scalar], from at: Int, line: Int) -> Int {
        var line = line
        var at = at
        while line < number && at < scalars.count {
            if scalars[at] == "\n" { line += 1 }
            at += 1
        }
        return at
    }
}

extension CSVReader {
    /// The lowercased names of the first line's comma-separated fields (quotes and a byte order
    /// mark removed): enough to tell one CSV export from another.
    static func headerNames(_ text: String) -> Set<String> {
        var firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        while firstLine.first == "\u{FEFF}" { firstLine.removeFirst() }
        return Set(firstLine.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased() })
    }
}
