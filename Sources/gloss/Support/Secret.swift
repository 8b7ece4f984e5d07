import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading a secret (a passphrase, a recovery key): asked on the terminal without echo, or read
/// as one line of standard input when that is not a terminal (scripts).
enum Secret {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// One line: asked with `prompt` on standard error when standard input is a terminal.
    /// - Throws: `CLIError` when standard input ends before a line.
    static func read(_ prompt: String, what: String) throws -> String {
        if isInteractive {
            FileHandle.standardError.write(Data(prompt.utf8))
            var saved = termios()
            let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
            if canHide {
                var hidden = saved
                hidden.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
            }
            defer {
                if canHide { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let line = readLine(strippingNewline: true) else { throw CLIError("no \(what) was given") }
            return line
        }
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError("no \(what) was given: standard input ended before a line (pass it on standard input, or run on a terminal to be asked)")
        }
        return line
    }

    /// A new passphrase: asked twice on a terminal; at least 8 characters.
    static func newPassphrase() throws -> String {
        let passphrase = try read("Passphrase for the library key: ", what: "passphrase")
        guard passphrase.count >= 8 else {
            throw CLIError("the passphrase has \(passphrase.count) character\(passphrase.count == 1 ? "" : "s"); use at least 8 (a few words is best)")
        }
        if isInteractive, try read("The same passphrase again: ", what: "passphrase") != passphrase {
            throw CLIError("the two passphrases differ; nothing was changed")
        }
        return passphrase
    }
}
