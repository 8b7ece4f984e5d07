import CompressNIO
import Foundation
import GlossCore
@testable import GlossSync
import GlossTestSupport
import NIOCore
import Testing

/// The bundle codec and `Schema/WireFormat/bundle.schema.json` describe the same thing.
@Suite struct WireFormatTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Schema/WireFormat/bundle.schema.json").standardizedFileURL.path

    @Test func bundlesMatchTheirJSONSchema() async throws {
        var simulation = try Simulation(seed: 5, replicas: 3)
        _ = try await simulation.run(steps: 40)
        let store = simulation.stores[0]
        let names = try store.replicaNames()
        let bundle = ChangeBundle(replica: store.replicaID, created: 1, names: names, changes: try store.changes(since: VersionVector()))
        let (data, sha) = try BundleCodec.encode(bundle)
        #expect(try BundleCodec.decode(data, expectedSHA256: sha, file: "x") == bundle)

        var buffer = ByteBuffer(bytes: data)
        let json = Data(try buffer.decompress(with: .gzip()).readableBytesView)
        let file = NSTemporaryDirectory() + "bundle-\(UUID().uuidString).json"
        try json.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        // The reference validator (python-jsonschema, Draft 2020-12), as CI has it.
        let check = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
            for e in errors[:5]: print(list(e.path), e.message)
            sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", check, Self.schema, file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "bundle does not match its schema: \(report)")
        #expect(bundle.changes.count > 20)
    }
}
