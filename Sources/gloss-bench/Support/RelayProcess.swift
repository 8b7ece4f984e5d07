import Foundation

/// A running `gloss relay` child on 127.0.0.1 and a free port: the real relay process W11 sends
/// sync requests to, as clients would.
final class RelayProcess {
    let process: Process
    /// `http://127.0.0.1:PORT`, as the relay printed it.
    let url: String

    /// Starts `gloss relay --port 0` with `arguments` and waits for its "listening on" line.
    /// - Throws: `BenchError.childFailed` with its output when it exits or prints no URL.
    init(gloss: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gloss)
        process.arguments = ["relay", "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        // "gloss relay: listening on http://127.0.0.1:PORT"
        var text = ""
        while !text.contains("\n") || !text.contains("http://") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "http://") else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw BenchError.childFailed(command: ([gloss] + process.arguments!).joined(separator: " "), output: text)
        }
        self.process = process
        url = String(text[range.lowerBound...].prefix { !$0.isWhitespace })
        // Keep reading what it says, so a chatty relay never blocks on a full pipe.
        out.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
    }

    /// The relay process's id, for reading its CPU time.
    var pid: Int32 { process.processIdentifier }

    /// SIGTERM, as an operator stops it; waits for it to exit.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The CPU seconds (user and system) the relay process has used so far, from /proc.
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
