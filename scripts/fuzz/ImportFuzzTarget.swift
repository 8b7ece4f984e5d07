// libFuzzer entry for the importers' parsers, built by scripts/fuzz-import together with
// GlossCore's sources (not part of the package): Kindle `My Clippings.txt`, Readwise CSV (and the
// CSV reader under it), and the W3C Web Annotation / Hypothesis JSON reader behind
// `AnnotationImport.parse`. Every input must end in a document or an error, never a trap; the
// CSV reader's records must start on lines that increase and lie within the text.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportParsers(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: count))
    // Detection by content, then whichever reader claims the file (JSON by default).
    _ = try? AnnotationImport.parse(bytes)
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    // Each reader on its own, whatever the detection says.
    _ = KindleClippings.recognizes(text)
    _ = KindleClippings.parse(text)
    _ = ReadwiseCSV.recognizes(text)
    _ = ReadwiseCSV.parse(text)
    let lines = text.unicodeScalars.count(where: { $0 == "\n" || $0 == "\r" }) + 1
    var previous = 0
    for record in CSVReader.records(text) {
        guard record.line > previous, record.line <= lines else {
            fatalError("a CSV record starts at line \(record.line), after line \(previous), in a text of \(lines) lines")
        }
        previous = record.line
    }
    return 0
}
