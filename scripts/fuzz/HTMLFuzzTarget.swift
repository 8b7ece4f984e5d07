// libFuzzer entry for the HTML extractor, built by scripts/fuzz-html together with the GlossExtraction
// sources (not part of the package): every input must end in an article or an error.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTMLExtraction(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? HTMLExtractor.extract(bytes)
    _ = try? HTMLExtractor.extract(bytes, charset: "shift_jis")
    if let text = String(validating: bytes, as: UTF8.self) {
        _ = try? HTMLExtractor.extract(text: text)
    }
    return 0
}
