import Foundation
import GlossExtraction

/// W9: extraction time in process, per page: the readability test pages as saved HTML, and the
/// team's multilingual pages as plain text copied from a browser. Each page is extracted once to
/// warm up, then timed `rounds` times; a figure is the median over pages of each page's median.
/// Not in the default run: it reads page sets from the source tree (`--pages`, `--texts`).
enum Extraction {
    static let defaultPages = "../shared/corpora/readability-test-pages"
    static let defaultTexts = "Tests/GlossExtractionTests/Fixtures/multilingual"

    static func measure(_ bench: Bench, pages: String?, texts: String?) throws -> [Figure] {
        let rounds = max(3, bench.sizes.repetitions)
        var rows: [Figure] = []
        for (label, folder, file) in [("HTML pages", pages ?? defaultPages, "source.html"),
                                      ("plain-text pages", texts ?? defaultTexts, "source.txt")] {
            let inputs = try self.inputs(in: folder, file: file)
            bench.progress.say("W9: \(inputs.count) \(label), \(rounds) rounds each")
            var medians: [Double] = []
            for (name, data) in inputs {
                _ = try? ArticleExtractor.extract(data: data, filename: name)
                var samples: [Double] = []
                for _ in 0..<rounds {
                    samples.append(Stopwatch.time { _ = try? ArticleExtractor.extract(data: data, filename: name) }.seconds)
                }
                medians.append(Stopwatch.median(samples))
            }
            medians.sort()
            let p90 = medians[min(medians.count - 1, Int(Double(medians.count) * 0.9))]
            rows.append(Figure(workload: "W9", name: "extract, median of \(inputs.count) \(label)", value: Stopwatch.median(medians) * 1000,
                               unit: .milliseconds, baseline: nil, ratio: nil, target: .atMost(5), size: inputs.count, atTargetSize: true))
            rows.append(Figure(workload: "W9", name: "extract, p90 of \(inputs.count) \(label)", value: p90 * 1000,
                               unit: .milliseconds, baseline: nil, ratio: nil, target: nil, size: inputs.count, atTargetSize: true))
        }
        return rows
    }

    /// Each subfolder's `file`, by the subfolder's name.
    private static func inputs(in folder: String, file: String) throws -> [(String, Data)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw BenchError.invalidSetup("W9: no page set at \(folder) (run from the repository, or pass --pages/--texts)")
        }
        let inputs = names.sorted().compactMap { name -> (String, Data)? in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name + "/" + file) else { return nil }
            return (file, data)
        }
        guard !inputs.isEmpty else { throw BenchError.invalidSetup("W9: \(folder) holds no \(file)") }
        return inputs
    }
}
