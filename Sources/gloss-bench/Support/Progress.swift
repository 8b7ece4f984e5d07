import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the bench is doing, on standard error and only on a terminal: a piped run stays quiet.
struct Progress: Sendable {
    let enabled: Bool

    init(enabled: Bool = isatty(2) == 1) { self.enabled = enabled }

    /// Starts a new line of progress.
    func say(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K" + text + "\n"))
    }

    /// Rewrites the current line.
    func update(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K" + text))
    }

    /// Clears a line `update` left.
    func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
    }
}

private extension Data {
    init(_ text: String) { self.init(text.utf8) }
}
