/// One line of the table: a figure, the baseline measured beside it in the same run, their
/// ratio, and the target.
struct Figure: Encodable {
    /// "W1" … "W7".
    var workload: String
    /// What was measured, in a few words.
    var name: String
    var value: Double
    var unit: Unit
    /// The cost the figure is compared with, measured in the same run.
    var baseline: Baseline?
    /// How many times the baseline's cost the figure is: time / time, bytes / bytes, and for a
    /// rate, the baseline's rate / the figure's. 1 is the baseline's own cost.
    var ratio: Double?
    var target: Target?
    /// The size the figure was measured at (changes, articles), and whether that is the size its
    /// target is set for: a target met at a smaller size says little.
    var size: Int
    var atTargetSize: Bool

    var passes: Bool? {
        target.map { $0.isMet(value: value, ratio: ratio) }
    }

    enum CodingKeys: String, CodingKey {
        case workload, name = "figure", value, unit, baseline, ratio, target, size
        case atTargetSize = "at_target_size", passes
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workload, forKey: .workload)
        try c.encode(name, forKey: .name)
        try c.encode(value, forKey: .value)
        try c.encode(unit, forKey: .unit)
        try c.encodeIfPresent(baseline, forKey: .baseline)
        try c.encodeIfPresent(ratio, forKey: .ratio)
        try c.encodeIfPresent(target, forKey: .target)
        try c.encode(size, forKey: .size)
        try c.encode(atTargetSize, forKey: .atTargetSize)
        try c.encodeIfPresent(passes, forKey: .passes)
    }
}

/// What a figure is compared with: the same work done the plainest way, measured beside it.
struct Baseline: Encodable {
    /// What it is, in a few words ("plain SQLite insert").
    var name: String
    var value: Double
    var unit: Unit
}

/// The unit of a figure, and how the table prints one.
enum Unit: String, Encodable {
    case perSecond = "per_second"
    case seconds
    case milliseconds
    case bytes
    case megabytes
    /// A plain ratio, e.g. time(1M) / time(10k).
    case times

    func format(_ value: Double) -> String {
        switch self {
        case .perSecond: Unit.grouped(value) + "/s"
        case .seconds: Unit.decimal(value, digits: value < 1 ? 3 : value < 10 ? 2 : 1) + " s"
        case .milliseconds: Unit.decimal(value, digits: value < 10 ? 2 : value < 100 ? 1 : 0) + " ms"
        case .bytes: Unit.decimal(value, digits: value < 10 ? 1 : 0) + " B"
        case .megabytes: Unit.decimal(value, digits: value < 10 ? 1 : 0) + " MB"
        case .times: Unit.decimal(value, digits: 2) + "×"
        }
    }

    static func decimal(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        guard digits > 0 else { return grouped(rounded) }
        let whole = rounded.rounded(.towardZero)
        var fraction = String(Int(((abs(rounded - whole)) * scale).rounded()))
        while fraction.count < digits { fraction = "0" + fraction }
        return (rounded < 0 && whole == 0 ? "-" : "") + grouped(whole) + "." + fraction
    }

    /// An integer with thin thousands separators: 100,000.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()).magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index).isMultiple(of: 3) { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// The bound on a figure, and optionally on its ratio to the baseline.
struct Target: Encodable {
    enum Bound: String, Encodable { case atMost = "at_most", atLeast = "at_least" }
    var bound: Bound
    /// The bound on the figure itself; nil when the issue bounds only the ratio (W11: within 3×
    /// PostgreSQL's COPY).
    var value: Double?
    /// The most the ratio may be, when the issue bounds it too (W1: within 3× the floor).
    var maxRatio: Double?

    enum CodingKeys: String, CodingKey { case bound, value, maxRatio = "max_ratio" }

    static func atMost(_ value: Double, ratio: Double? = nil) -> Target { Target(bound: .atMost, value: value, maxRatio: ratio) }
    static func atLeast(_ value: Double, ratio: Double? = nil) -> Target { Target(bound: .atLeast, value: value, maxRatio: ratio) }
    /// A bound on the ratio alone: the figure at most `ratio` times its baseline.
    static func ratio(atMost ratio: Double) -> Target { Target(bound: .atMost, value: nil, maxRatio: ratio) }

    func isMet(value: Double, ratio: Double?) -> Bool {
        let valueMet = self.value.map { bound == .atMost ? value <= $0 : value >= $0 } ?? true
        guard let maxRatio else { return valueMet }
        return valueMet && (ratio.map { $0 <= maxRatio } ?? false)
    }

    func format(_ unit: Unit) -> String {
        let ratio = maxRatio.map { "≤ " + Unit.times.format($0) }
        guard let value else { return ratio ?? "—" }
        return (bound == .atMost ? "≤ " : "≥ ") + unit.format(value) + (ratio.map { ", " + $0 } ?? "")
    }
}
