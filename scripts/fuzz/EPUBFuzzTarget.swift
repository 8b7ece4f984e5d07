// libFuzzer entry for the EPUB extractor, built by scripts/fuzz-epub together with the GlossExtraction
// sources (not part of the package): every input must end in an article or an error.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEPUBExtraction(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? EPUBExtractor.extract(bytes)
    return 0
}
