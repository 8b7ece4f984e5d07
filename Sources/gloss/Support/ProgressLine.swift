import Foundation
import Synchronization

/// A progress line on standard error, the one every long command draws ("importing 1200/5000
/// (24%)", "pulled 40000 changes…"): shown only on a terminal (or when `GLOSS_PROGRESS=always`,
/// which tests use) and only once the work has taken more than a second, redrawn at most ten
/// times a second, and cleared at the end. Safe to update from any task.
final class ProgressLine: Sendable {
    private struct State {
        var label: String
        var total: Int?
        var drawn: ContinuousClock.Instant?
        var shown = false
    }

    private let started = ContinuousClock.now
    private let unit: String
    private let state: Mutex<State>
    private let enabled = Terminal.isStderrTTY || ProcessInfo.processInfo.environment["GLOSS_PROGRESS"] == "always"

    /// A line for `total` items (nil: not known, the count alone is shown, followed by `unit`).
    init(label: String, total: Int? = nil, unit: String = "") {
        state = Mutex(State(label: label, total: total))
        self.unit = unit
    }

    /// The total, once known.
    var total: Int? {
        get { state.withLock { $0.total } }
        set { state.withLock { $0.total = newValue } }
    }

    /// `done` items so far; `label` changes what the line says from now on (a phase).
    func update(_ done: Int, label: String? = nil) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            if let label { state.label = label }
            guard now - started > .seconds(1) else { return nil }
            if let drawn = state.drawn, now - drawn < .milliseconds(100) { return nil }
            state.drawn = now
            state.shown = true
            guard let total = state.total else { return "\r\(state.label) \(done)\(unit.isEmpty ? "" : " " + unit)…\u{1b}[K" }
            let percent = total > 0 ? " (\(done * 100 / total)%)" : ""
            return "\r\(state.label) \(done)/\(total)\(percent)\u{1b}[K"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Clears the line, if one was drawn.
    func finish() {
        if state.withLock({ $0.shown }) { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }
}
