/// Why a benchmark run stopped.
struct BenchError: Error, CustomStringConvertible {
    var description: String

    static func childFailed(command: String, output: String) -> BenchError {
        BenchError(description: "'\(command)' failed: \(output)")
    }

    /// The bench's own set-up did not do what a measurement relies on: the figure would be wrong.
    static func invalidSetup(_ what: String) -> BenchError {
        BenchError(description: "the benchmark's set-up is not what it measures: \(what)")
    }
}
