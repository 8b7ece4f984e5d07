// libFuzzer entry for the wire format, built by scripts/fuzz-wire together with GlossSync's
// WireFormat sources and linked against the package's debug build of GlossCore (not part of the
// package): every input must end in a message or an error; a message read must write back to
// bytes that read as the same message; and the changes of a push must be refused by the
// receiver's checks or applied to a real store, never trap.

import Foundation
import GlossCore

/// The store pushes are applied to: one per process, in a temporary directory.
nonisolated(unsafe) private var store: Store? = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-fuzz-wire-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return try? Store(path: directory.appendingPathComponent("gloss.sqlite").path)
}()

/// Reads `bytes` as `decode` does, and checks that what it read writes back to the same message.
private func roundTrip<T: Equatable>(_ bytes: [UInt8], _ decode: ([UInt8]) throws -> T, _ encode: (T) -> [UInt8]) -> T? {
    guard let message = try? decode(bytes) else { return nil }
    let again = encode(message)
    guard let reread = try? decode(again) else { fatalError("wrote a message it cannot read back: \(String(decoding: again, as: UTF8.self).prefix(400))") }
    guard reread == message else { fatalError("a message changed on a round trip: \(String(decoding: again, as: UTF8.self).prefix(400))") }
    return message
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWireFormat(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = roundTrip(bytes, { try WireJSON.decodeBundle($0) }, WireJSON.encode)
    _ = roundTrip(bytes, { try WireJSON.decodePullRequest($0) }, WireJSON.encode)
    _ = roundTrip(bytes, { try WireJSON.decodePullResponse($0) }, WireJSON.encode)
    _ = try? WireJSON.decodeCovers(bytes)
    if let push = roundTrip(bytes, { try WireJSON.decodePushRequest($0) }, WireJSON.encode), let store {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let valid = push.changes.filter { Store.defect(in: $0, now: now) == nil }
        _ = try? store.apply(valid)
    }
    return 0
}
