import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs another program the way a shell would, and reads what only its parent can know: its
/// wall time from spawn to exit and its peak resident memory (`wait4`'s rusage), both for this
/// one child. Output goes to a file, so a chatty child never blocks on a full pipe.
struct ChildProcess {
    struct Outcome {
        var seconds: Double
        /// Peak resident set size in bytes (`ru_maxrss`); see `measuringMemory`.
        var peakMemory: Int
        /// Standard output and standard error together.
        var output: String
    }

    /// Runs `executable` with `arguments`, waits for it, and returns how it went.
    /// - Throws: `BenchError.childFailed` when it cannot start or exits non-zero, with its output.
    static func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString).out").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let clock = ContinuousClock()
        let start = clock.now
        let (status, usage) = try spawnAndWait(executable, arguments, actions: &actions)
        let seconds = (clock.now - start).seconds
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let exitCode = exitCode(status)
        if exitCode != 0 {
            let command = ([executable] + arguments).joined(separator: " ")
            throw BenchError.childFailed(command: command, output: "exit \(exitCode): " + output.suffix(2_000))
        }
        return Outcome(seconds: seconds, peakMemory: Int(usage.ru_maxrss) * 1024, output: output)
    }

    /// Like `run`, with a peak memory that is the child's own. Linux carries the parent's peak
    /// into a child it spawns (the high-water mark survives exec), so a child of this large process
    /// would show this process's peak. A fresh copy of this executable, still small, spawns the
    /// child instead and reports its rusage.
    static func measuringMemory(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString).rss").path
        defer { unlink(report) }
        var outcome = try run(try ownExecutable(), [helperFlag, report, executable] + arguments)
        guard let kilobytes = Int((try? String(contentsOfFile: report, encoding: .utf8)) ?? "") else {
            throw BenchError.childFailed(command: executable, output: "its peak memory was not reported")
        }
        outcome.peakMemory = kilobytes * 1024
        return outcome
    }

    /// The first argument that makes `gloss-bench` the small spawner of `measuringMemory`.
    static let helperFlag = "--spawn-child-reporting-rusage"

    /// The spawner: `gloss-bench --spawn-child-reporting-rusage REPORT EXECUTABLE ARGS…` runs the
    /// executable with this process's standard streams, writes its peak RSS (KiB) to REPORT, and
    /// exits as it did.
    static func helperMain(_ arguments: [String]) -> Never {
        guard arguments.count >= 2 else { exit(64) }
        do {
            let (status, usage) = try spawnAndWait(arguments[1], Array(arguments.dropFirst(2)), actions: nil)
            try String(usage.ru_maxrss).write(toFile: arguments[0], atomically: false, encoding: .utf8)
            exit(exitCode(status))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(70)
        }
    }

    /// This executable's path.
    static func ownExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func spawnAndWait(_ executable: String, _ arguments: [String],
                                     actions: UnsafeMutablePointer<posix_spawn_file_actions_t>?) throws -> (Int32, rusage) {
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchError.childFailed(command: executable, output: "cannot start it (\(String(cString: strerror(spawned))))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError.childFailed(command: executable, output: "wait4 failed") }
        }
        return (status, usage)
    }

    /// The exit code is bits 8…15 when the low seven bits (the killing signal) are zero.
    private static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
