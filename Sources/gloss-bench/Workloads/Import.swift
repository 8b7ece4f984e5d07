import GlossCore

/// W1's import figure: W1's highlights exported as W3C Web Annotations and imported into an
/// empty store (the file parsed, its articles added, every highlight located in its article's
/// text and recorded), against W1's own write rate measured in the same run.
enum Import {
    static func measure(_ bench: Bench, writeRate: Double) throws -> [Figure] {
        guard let library = bench.library else { throw BenchError.invalidSetup("the import figure needs W1's store") }
        let file = try library.store.exportW3C()
        let count = try AnnotationImport.parse(file).items.count
        let store = try Store(path: bench.path("w1-import.sqlite"))
        bench.progress.say("W1: importing \(Unit.grouped(Double(count))) highlights from a W3C export")
        let (report, seconds) = try Stopwatch.time { try store.importAnnotations(try AnnotationImport.parse(file)) }
        let imported = report.items.count { $0.status == .imported }
        guard imported == count else {
            throw BenchError.invalidSetup("the import placed \(imported) of \(count) highlights")
        }
        let rate = Double(count) / seconds
        return [Figure(workload: "W1", name: "import \(Unit.grouped(Double(count))) W3C highlights into an empty store",
                       value: rate, unit: .perSecond,
                       baseline: Baseline(name: "W1 record() in this run", value: writeRate, unit: .perSecond),
                       ratio: writeRate / rate, target: .atLeast(writeRate / 2),
                       size: count, atTargetSize: count >= 100_000)]
    }
}
