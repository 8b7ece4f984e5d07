import ArgumentParser
import Foundation

/// The benchmark harness of issue 6: each workload's figure beside a baseline measured in the same
/// run, their ratio, and the target. BENCHMARKS.md says what each measures.
@main
struct GlossBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss-bench",
        abstract: "Measure Gloss's writes, syncs, search and memory against baselines and the issue's targets.",
        discussion: "Run it in release (swift run -c release gloss-bench, or .build/release/gloss-bench after make release, whose static Swift runtime starts each gloss command sooner): the targets are set for a release build. The command workloads (W3, W6, W7) run the gloss executable built beside this one. Data comes from --seed, so two runs measure the same work.")

    @Flag(help: "Run every workload at tiny sizes, in seconds: a check that the harness works, not a measurement.")
    var quick = false
    @Flag(help: "Print the figures as JSON instead of a table.")
    var json = false
    @Option(help: ArgumentHelp("Run only these workloads, e.g. W1,W3 (W4 comes with W2; W9, extraction, and W10, the reader's server, run only when named).", valueName: "list"))
    var only: String?
    @Option(help: "The seed every generated article, highlight and query comes from.")
    var seed: UInt64 = 6
    @Option(help: "W1: highlights recorded (default 100000).")
    var w1: Int?
    @Option(help: "W1: highlights per Store.record call, one transaction each (default 1000).")
    var batch: Int?
    @Option(help: "Articles the highlights of W1, W2, W3 and W7 anchor in (default 300).")
    var articles: Int?
    @Option(help: "W2 and W4: highlights replica B receives (default 100000).")
    var w2: Int?
    @Option(name: .customLong("w3-sizes"), help: ArgumentHelp("W3: history sizes in changes (default 10000,100000,1000000).", valueName: "list"))
    var w3Sizes: String?
    @Option(help: "W5 and W6: articles searched and listed (default 10000).")
    var w5: Int?
    @Option(help: "W7: changes in the history synced in full (default 1000000, W3's history continued).")
    var w7: Int?
    @Option(help: "W8: changes a new replica pulls, with and without 60 more replicas (default 300000).")
    var w8: Int?
    @Option(help: "W10: articles in the library the reader's server lists (default 10000).")
    var w10: Int?
    @Option(name: .customLong("w10-requests"), help: "W10: requests of each kind timed, after a warm-up (default 200).")
    var w10Requests: Int?
    @Option(help: "W11: changes pushed through a gloss relay on PostgreSQL and pulled back (default 100000).")
    var w11: Int?
    @Option(name: .customLong("w11-clients"), help: "W11: clients making incremental syncs through the relay at once (default 50).")
    var w11Clients: Int?
    @Option(name: .customLong("w11-rounds"), help: "W11: incremental syncs each client makes (default 20).")
    var w11Rounds: Int?
    @Option(name: .customLong("w11-library-clients"), help: "W11: clients syncing one library, its devices (default 5; 50 puts every client in one library).")
    var w11LibraryClients: Int?
    @Option(name: .customLong("w11-interval"), help: "W11: seconds between one client's syncs in the paced run (default 1).")
    var w11Interval: Double?
    @Option(help: ArgumentHelp("W9: a folder of saved pages, one per subfolder with source.html (default ../shared/corpora/readability-test-pages).", valueName: "dir"))
    var pages: String?
    @Option(help: ArgumentHelp("W9: a folder of plain-text pages, one per subfolder with source.txt (default the multilingual test pages).", valueName: "dir"))
    var texts: String?
    @Option(help: "Repetitions of each small timing, after a warm-up (default 5).")
    var repetitions: Int?
    @Option(help: ArgumentHelp("The gloss executable the command workloads run (default: the one beside gloss-bench).", valueName: "path"))
    var gloss: String?
    @Option(help: ArgumentHelp("Where to make the scratch stores and folders (default: the temporary directory).", valueName: "dir"))
    var scratch: String?
    @Flag(help: "Keep the scratch directory, to look at the stores afterwards.")
    var keep = false

    static let workloads = ["W1", "W2", "W2J", "W2C", "W3", "W5", "W7", "W8", "W11"]

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == ChildProcess.helperFlag { ChildProcess.helperMain(Array(arguments.dropFirst())) }
        await main(nil)
    }

    func validate() throws {
        for size in [w1, batch, w2, w5, w7, repetitions, w10, w10Requests, w11, w11Clients, w11Rounds, w11LibraryClients].compactMap({ $0 }) where size < 1 {
            throw ValidationError("sizes and repetitions must be at least 1")
        }
        if let articles, articles < 1 { throw ValidationError("--articles must be at least 1") }
        if let w11Interval, !(w11Interval > 0 && w11Interval.isFinite) { throw ValidationError("--w11-interval must be more than 0 seconds") }
        if w3Sizes != nil && (parsedW3 ?? []).isEmpty { throw ValidationError("--w3-sizes takes sizes separated by commas, e.g. 10000,100000") }
        if let unknown = selected.subtracting(Self.workloads + ["W4", "W6", "W9", "W10"]).first {
            throw ValidationError("unknown workload '\(unknown)': choose from W1 to W11, W2J and W2C")
        }
    }

    private var parsedW3: [Int]? {
        w3Sizes.map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 } }
    }

    private var selected: Set<String> {
        Set((only ?? Self.workloads.joined(separator: ",")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() })
    }

    private var sizes: Sizes {
        var sizes = quick ? Sizes.quick : Sizes.full
        sizes.w1 = w1 ?? sizes.w1
        sizes.batch = batch ?? sizes.batch
        sizes.articles = articles ?? sizes.articles
        sizes.w2 = w2 ?? sizes.w2
        sizes.w3 = parsedW3 ?? sizes.w3
        sizes.w5 = w5 ?? sizes.w5
        sizes.w7 = w7 ?? (w3Sizes == nil ? sizes.w7 : sizes.w3.max() ?? sizes.w7)
        sizes.w8 = w8 ?? sizes.w8
        sizes.repetitions = repetitions ?? sizes.repetitions
        sizes.w10 = w10 ?? sizes.w10
        sizes.w10Requests = w10Requests ?? sizes.w10Requests
        sizes.w11 = w11 ?? sizes.w11
        sizes.w11Clients = w11Clients ?? sizes.w11Clients
        sizes.w11Rounds = w11Rounds ?? sizes.w11Rounds
        sizes.w11LibraryClients = w11LibraryClients ?? sizes.w11LibraryClients
        sizes.w11Interval = w11Interval ?? sizes.w11Interval
        return sizes
    }

    func run() async throws {
        let run = RunInfo.current(seed: seed, quick: quick)
        let progress = Progress()
        progress.say(run.line)
        let base = scratch.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
        let directory = base.appendingPathComponent("gloss-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            if keep { FileHandle.standardError.write(Data("gloss-bench: kept \(directory.path)\n".utf8)) } else { try? FileManager.default.removeItem(at: directory) }
        }
        let bench = Bench(sizes: sizes, seed: seed, scratch: directory, progress: progress, gloss: gloss)
        let chosen = selected
        if chosen.contains(where: { ["W2J", "W2C", "W3", "W5", "W6", "W7"].contains($0) }) { _ = try bench.gloss() }

        var rows: [Figure] = []
        if chosen.contains("W1") {
            let writes = try LocalWrites.measure(bench)
            rows += writes
            let imports = try Import.measure(bench, writeRate: writes[0].value)
            rows += imports
            rows += try ReadwiseImport.measure(bench, w3cRate: imports[0].value)
            rows += try OmnivoreImport.measure(bench)
        }
        if chosen.contains("W2") || chosen.contains("W4") { rows += try await FullSync.measure(bench) }
        // W2C compacts the folder W2J joins: W2J first.
        if chosen.contains("W2J") { rows += try await Join.measure(bench) }
        if chosen.contains("W2C") { rows += try await Compaction.measure(bench) }
        if chosen.contains("W3") { rows += try await IncrementalSync.measure(bench) }
        if chosen.contains("W5") || chosen.contains("W6") { rows += try Search.measure(bench) }
        if chosen.contains("W7") { rows += try await SyncMemory.measure(bench) }
        if chosen.contains("W8") { rows += try await ManyReplicas.measure(bench) }
        if chosen.contains("W9") { rows += try Extraction.measure(bench, pages: pages, texts: texts) }
        if chosen.contains("W10") { rows += try await ReaderServer.measure(bench) }
        if chosen.contains("W11") { rows += try await RelaySync.measure(bench) }
        // By number, so W10 follows W9 (W2J and W2C after W2, in the order they ran).
        let number = { (workload: String) in Int(workload.dropFirst().prefix(while: \.isNumber)) ?? 0 }
        rows = rows.enumerated().sorted { (number($0.element.workload), $0.offset) < (number($1.element.workload), $1.offset) }
            .map(\.element)

        var notes = bench.notes
        if chosen.contains("W11"), !rows.contains(where: { $0.workload == "W11" }) { notes.append(RelaySync.skipped) }
        if run.configuration != "release" { notes.append("This is a \(run.configuration) build: the targets are set for release (swift run -c release gloss-bench).") }
        let report = Report(run: run, rows: rows, notes: notes)
        print(json ? try report.json() : report.table())
    }
}
