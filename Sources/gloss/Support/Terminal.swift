import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about where output goes, and ANSI styling that only appears on a terminal.
enum Terminal {
    static let isStdoutTTY = isatty(STDOUT_FILENO) == 1
    static let isStderrTTY = isatty(STDERR_FILENO) == 1
    /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    static let colors = isStdoutTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    /// The width to wrap to: the terminal's, else $COLUMNS, else 80; at least 20.
    static var width: Int {
        var size = winsize()
        if isStdoutTTY, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return max(20, Int(size.ws_col))
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return max(20, columns)
        }
        return 80
    }

    static func style(_ text: String, _ codes: String) -> String {
        colors ? "\u{1b}[\(codes)m\(text)\u{1b}[0m" : text
    }
    static func bold(_ text: String) -> String { style(text, "1") }
    static func dim(_ text: String) -> String { style(text, "2") }

    static func printError(_ message: String) {
        let prefix = isStderrTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil ? "\u{1b}[31merror:\u{1b}[0m" : "error:"
        FileHandle.standardError.write(Data("\(prefix) \(message)\n".utf8))
    }

    static func printNote(_ message: String) {
        FileHandle.standardError.write(Data("note: \(message)\n".utf8))
    }

    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}
