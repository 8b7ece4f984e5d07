import Foundation

/// What the header line says about the run: the machine, the build and the code measured.
struct RunInfo: Encodable {
    var cores: Int
    var configuration: String
    var date: String
    var commit: String?
    var seed: UInt64
    var quick: Bool

    static func current(seed: UInt64, quick: Bool) -> RunInfo {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return RunInfo(cores: ProcessInfo.processInfo.activeProcessorCount, configuration: configuration,
                       date: ISO8601DateFormatter().string(from: Date()), commit: gitCommit(), seed: seed, quick: quick)
    }

    var line: String {
        "gloss-bench: \(cores) cores, \(configuration) build, \(date), commit \(commit ?? "unknown"), seed \(seed)"
            + (quick ? ", quick sizes" : "")
    }

    /// The commit checked out in the current directory, "+dirty" when files differ from it.
    private static func gitCommit() -> String? {
        guard let head = try? ChildProcess.run("/usr/bin/env", ["git", "rev-parse", "--short=10", "HEAD"]) else { return nil }
        let commit = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commit.isEmpty else { return nil }
        let status = try? ChildProcess.run("/usr/bin/env", ["git", "status", "--porcelain", "--untracked-files=no"])
        let dirty = !(status?.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true)
        return commit + (dirty ? "+dirty" : "")
    }
}
