import Foundation

/// The run's header and rows, as an aligned table or as JSON.
struct Report: Encodable {
    var run: RunInfo
    var rows: [Figure]
    var notes: [String]

    func table() -> String {
        let header = ["WORKLOAD", "FIGURE", "VALUE", "BASELINE", "RATIO", "TARGET", "RESULT"]
        let lines = rows.map { row -> [String] in
            let baseline = row.baseline.map { $0.unit.format($0.value) + " " + $0.name } ?? "—"
            let result = row.passes.map { ($0 ? "pass" : "miss") + (row.atTargetSize ? "" : "*") } ?? "—"
            return [row.workload, row.name, row.unit.format(row.value), baseline,
                    row.ratio.map(Unit.times.format) ?? "—", row.target?.format(row.unit) ?? "—", result]
        }
        let widths = header.indices.map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
        let render = { (cells: [String]) in
            zip(cells, widths).enumerated().map { index, pair in
                // Numbers read best right-aligned; words left-aligned.
                let (cell, width) = pair
                let pad = String(repeating: " ", count: width - cell.count)
                return [2, 4].contains(index) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [run.line, render(header)] + lines.map(render)
        if rows.contains(where: { !$0.atTargetSize && $0.target != nil }) {
            out.append("* measured at a smaller size than the target is set for: the result says little.")
        }
        out += notes
        return out.joined(separator: "\n")
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
