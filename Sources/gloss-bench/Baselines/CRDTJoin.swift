import Foundation
import GlossCore

/// W2J's outside baselines: Yrs (through its Python bindings, `pycrdt`) and Loro (`loro`) each
/// taking the same records a joining Gloss replica takes — the articles and every highlight — into
/// an empty document, in a Python child process. Each document holds a map of articles (id → map
/// of title and text) and a map of highlights (id → map of the highlight's fields, as Gloss keeps
/// a register a field). Timed, median of `repetitions`: reading the encoded state from its file,
/// a new document, and importing it (Yrs: `apply_update` of the full v1 update; Loro: `import_`
/// of its snapshot export, Loro's own join-from-snapshot); then the same import followed by
/// reading every record back (`to_py`, `get_deep_value`: what a list needs without an index);
/// and, once, replaying incremental updates of `batch` highlights each (as their writers would
/// have sent them) into an empty document. Building the documents and starting Python are not
/// timed. The packages are installed with pip when missing, as scripts/api-fuzz installs
/// schemathesis.
enum CRDTJoin {
    /// One library's times, in seconds.
    struct Library: Decodable {
        var version: String
        /// The encoded full state's bytes.
        var stateBytes: Int
        var importSeconds: Double
        var importAndReadSeconds: Double
        var replaySeconds: Double
        var replayUpdates: Int
        /// Records read back after the import: must equal what was written.
        var records: Int
    }

    struct Outcome: Decodable {
        var yrs: Library
        var loro: Library
    }

    /// Pinned: the figures in BENCHMARKS.md are for these versions (scripts/ensure-system-packages
    /// installs the same for CI, which runs W2J at --quick size).
    static let packages = ["pycrdt": "pycrdt==0.14.13", "loro": "loro==1.17.1"]

    /// Writes the records of `store` (its articles and highlights) and runs the script on them.
    static func measure(store: Store, scratch: URL, repetitions: Int, batch: Int, progress: Progress) throws -> Outcome {
        try install(progress: progress)
        let records = scratch.appendingPathComponent("w2j-records.json")
        try writeRecords(of: store, to: records)
        let script = scratch.appendingPathComponent("w2j-crdt.py")
        try Data(source.utf8).write(to: script)
        let work = scratch.appendingPathComponent("w2j-crdt")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let outcome = try ChildProcess.run("/usr/bin/env", ["python3", script.path, records.path, work.path, String(repetitions), String(batch)])
        guard let line = outcome.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let parsed = try? JSONDecoder().decode(Outcome.self, from: Data(line.utf8)) else {
            throw BenchError.invalidSetup("the Yrs and Loro script printed no figures: \(outcome.output.suffix(500))")
        }
        return parsed
    }

    /// Installs pycrdt and loro with pip unless Python already imports them.
    static func install(progress: Progress) throws {
        let missing = packages.filter { (module, _) in (try? ChildProcess.run("/usr/bin/env", ["python3", "-c", "import \(module)"])) == nil }
        guard !missing.isEmpty else { return }
        progress.say("W2J: installing the Python packages \(missing.keys.sorted().joined(separator: ", ")) (the Yrs and Loro baselines)")
        _ = try ChildProcess.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet"] + missing.values.sorted())
    }

    /// The records as JSON: `{"articles": [{id, title, text}], "highlights": [Annotation]}`.
    static func writeRecords(of store: Store, to url: URL) throws {
        struct ArticleRecord: Encodable { var id, title, text: String }
        struct Records: Encodable {
            var articles: [ArticleRecord]
            var highlights: [Annotation]
        }
        let highlights = try store.annotations()
        let articles = try Set(highlights.map(\.articleID)).sorted().map { id in
            let article = try store.article(id)
            return ArticleRecord(id: article.id, title: article.title, text: article.text)
        }
        try JSONEncoder().encode(Records(articles: articles, highlights: highlights)).write(to: url)
    }

    /// The script: `python3 SCRIPT RECORDS WORKDIR REPETITIONS BATCH`; prints one line of JSON.
    static let source = #"""
import json, os, statistics, sys, time
import loro, pycrdt
from importlib.metadata import version

records_path, work, repetitions, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(records_path) as f:
    records = json.load(f)
articles, highlights = records["articles"], records["highlights"]
total = len(articles) + len(highlights)

def fields(h):
    # One value a field, flat, as Gloss keeps a register a field.
    a = h.get("anchor") or {}
    out = {"articleID": h["articleID"], "kind": h["kind"], "exact": a.get("exact", ""), "prefix": a.get("prefix", ""),
           "suffix": a.get("suffix", ""), "start": a.get("start", 0), "end": a.get("end", 0),
           "contentHash": a.get("contentHash", ""), "color": h.get("color") or "", "note": h.get("note") or "",
           "tags": list(h.get("tags") or []), "createdAt": h["createdAt"], "modifiedAt": h["modifiedAt"]}
    return out

def chunks():
    for i in range(0, len(highlights), batch):
        yield highlights[i:i + batch]

def timed(body):
    start = time.perf_counter()
    value = body()
    return time.perf_counter() - start, value

def median_of(body):
    runs = [timed(body) for _ in range(repetitions)]
    return statistics.median(r[0] for r in runs), runs[-1][1]

def write(name, data):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    return path

def read(path):
    with open(path, "rb") as f:
        return f.read()

# Yrs (pycrdt): a v1 update of the whole document, and one update a batch as its writer made them.
def yrs():
    doc = pycrdt.Doc()
    arts = doc.get("articles", type=pycrdt.Map)
    hls = doc.get("highlights", type=pycrdt.Map)
    updates = []
    state = doc.get_state()
    with doc.transaction():
        for a in articles:
            arts[a["id"]] = pycrdt.Map({"title": a["title"], "text": a["text"]})
    updates.append(doc.get_update(state))
    for chunk in chunks():
        state = doc.get_state()
        with doc.transaction():
            for h in chunk:
                hls[h["id"]] = pycrdt.Map(fields(h))
        updates.append(doc.get_update(state))
    path = write("yrs.update", doc.get_update())
    paths = [write("yrs-%05d.update" % i, u) for i, u in enumerate(updates)]

    def join():
        d = pycrdt.Doc()
        d.apply_update(read(path))
        return d
    def join_and_read():
        d = join()
        return len(d.get("articles", type=pycrdt.Map).to_py()) + len(d.get("highlights", type=pycrdt.Map).to_py())
    def replay():
        d = pycrdt.Doc()
        for p in paths:
            d.apply_update(read(p))
        return len(d.get("articles", type=pycrdt.Map)) + len(d.get("highlights", type=pycrdt.Map))
    seconds, _ = median_of(join)
    read_seconds, count = median_of(join_and_read)
    replay_seconds, replayed = timed(replay)
    assert replayed == total, (replayed, total)
    return {"version": version("pycrdt"), "stateBytes": os.path.getsize(path), "importSeconds": seconds,
            "importAndReadSeconds": read_seconds, "replaySeconds": replay_seconds, "replayUpdates": len(paths), "records": count}

# Loro: its snapshot (state and history), and one update export a batch.
def lor():
    doc = loro.LoroDoc()
    arts = doc.get_map("articles")
    hls = doc.get_map("highlights")
    updates = []
    vv = doc.oplog_vv
    for a in articles:
        m = arts.insert_container(a["id"], loro.LoroMap())
        m.insert("title", a["title"])
        m.insert("text", a["text"])
    doc.commit()
    updates.append(doc.export(loro.ExportMode.Updates(vv)))
    for chunk in chunks():
        vv = doc.oplog_vv
        for h in chunk:
            m = hls.insert_container(h["id"], loro.LoroMap())
            for k, v in fields(h).items():
                m.insert(k, v)
        doc.commit()
        updates.append(doc.export(loro.ExportMode.Updates(vv)))
    path = write("loro.snapshot", doc.export(loro.ExportMode.Snapshot()))
    paths = [write("loro-%05d.update" % i, u) for i, u in enumerate(updates)]

    def join():
        d = loro.LoroDoc()
        d.import_(read(path))
        return d
    def join_and_read():
        value = join().get_deep_value()
        return len(value["articles"]) + len(value["highlights"])
    def replay():
        d = loro.LoroDoc()
        for p in paths:
            d.import_(read(p))
        return len(d.get_map("articles")) + len(d.get_map("highlights"))
    seconds, _ = median_of(join)
    read_seconds, count = median_of(join_and_read)
    replay_seconds, replayed = timed(replay)
    assert replayed == total, (replayed, total)
    return {"version": version("loro"), "stateBytes": os.path.getsize(path), "importSeconds": seconds,
            "importAndReadSeconds": read_seconds, "replaySeconds": replay_seconds, "replayUpdates": len(paths), "records": count}

out = {"yrs": yrs(), "loro": lor()}
for name, lib in out.items():
    assert lib["records"] == total, (name, lib["records"], total)
print(json.dumps(out))
"""#
}
