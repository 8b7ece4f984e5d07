import Foundation
import GlossCore
@testable import GlossSync
import GlossTestSupport
import Testing

/// The bundle codec and `Schema/WireFormat/bundle.schema.json` describe the same thing.
@Suite struct WireFormatTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Schema/WireFormat/bundle.schema.json").standardizedFileURL.path

    /// Issue 19: a sealed bundle's envelope matches `sealed-bundle.schema.json`, and opens to the
    /// bundle it was made from.
    @Test func sealedBundlesMatchTheirJSONSchema() async throws {
        var simulation = try Simulation(seed: 6, replicas: 2)
        _ = try await simulation.run(steps: 20)
        let store = simulation.stores[0]
        let bundle = ChangeBundle(replica: store.replicaID, created: 1_700_000_000_123, names: try store.replicaNames(),
                                  changes: try store.changes(since: VersionVector()))
        let keys = Keyring(first: .generate())
        let (data, sha) = try BundleCodec.seal(bundle, json: WireJSON.encode(bundle), under: keys.sealing)
        let placement = SealedBundle.Placement(replica: store.replicaID.rawValue, created: bundle.created)
        #expect(try BundleCodec.decode(data, expectedSHA256: sha, file: "x", keys: keys, placement: placement).bundle == bundle)
        #expect(throws: SyncError.libraryEncrypted(place: "x")) { try BundleCodec.decode(data, expectedSHA256: sha, file: "x") }
        let schema = URL(fileURLWithPath: Self.schema).deletingLastPathComponent().appendingPathComponent("sealed-bundle.schema.json").path
        try Self.validate(try ContentCoding.zstd.expand(data, limit: 1 << 24), against: schema)
    }

    /// Checks `json` against the JSON Schema at `schema` with the reference validator
    /// (python-jsonschema, Draft 2020-12), as CI has it.
    static func validate(_ json: Data, against schema: String) throws {
        let file = NSTemporaryDirectory() + "bundle-\(UUID().uuidString).json"
        try json.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
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
        process.arguments = ["python3", "-c", check, schema, file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "bundle does not match its schema: \(report)")
    }

    @Test func bundlesMatchTheirJSONSchema() async throws {
        var simulation = try Simulation(seed: 5, replicas: 3)
        _ = try await simulation.run(steps: 40)
        let store = simulation.stores[0]
        let names = try store.replicaNames()
        let bundle = ChangeBundle(replica: store.replicaID, created: 1, names: names, changes: try store.changes(since: VersionVector()))
        let (data, sha) = try BundleCodec.encode(bundle)
        #expect(try BundleCodec.decode(data, expectedSHA256: sha, file: "x") == bundle)

        #expect(ContentCoding.detect(data) == .zstd)
        try Self.validate(try ContentCoding.zstd.expand(data, limit: 1 << 24), against: Self.schema)
        #expect(bundle.changes.count > 20)
    }

    /// The hand-written codec and Foundation's `Codable` read each other's documents exactly,
    /// awkward strings included.
    @Test func wireJSONAgreesWithCodable() throws {
        let replica = try #require(ReplicaID("0123456789abcdef0123456789abcdef"))
        let other = try #require(ReplicaID("fedcba9876543210fedcba9876543210"))
        let awkward = ["plain", "quote \" and \\ back", "line\nbreak\ttab\r", "\u{1}\u{1f}ctl", "émoji 🙂 and 中文", "/slash/", ""]
        var changes: [Change] = []
        for (i, text) in awkward.enumerated() {
            changes.append(Change(
                dot: Dot(replica: i % 2 == 0 ? replica : other, counter: UInt64(i + 1)), hlc: HLC(rawValue: UInt64.max - UInt64(i)),
                entityType: i % 2 == 0 ? .annotation : .article, entityID: "id-\(i)",
                ops: [FieldOp(field: "note", value: .string(text), context: VersionVector([replica: UInt64(i), other: 3])),
                      FieldOp(field: "tag:\(text)", value: nil),
                      FieldOp(field: "anchor", value: .object(["start": .int(-Int64(i) - 9_000_000_000), "exact": .string(text),
                                                               "nested": .object(["b": .bool(i % 2 == 0), "n": .null])]))]))
        }
        let bundle = ChangeBundle(replica: replica, created: 1_700_000_000_000, names: [replica: "laptop \"A\"", other: "desk"], changes: changes)
        let ours = Data(WireJSON.encode(bundle))
        #expect(try JSONDecoder().decode(ChangeBundle.self, from: ours) == bundle)
        let theirs = try JSONEncoder().encode(bundle)
        #expect(try WireJSON.decodeBundle(theirs) == bundle)

        let push = PushRequest(changes: changes, names: ["x": "y"])
        #expect(try JSONDecoder().decode(PushRequest.self, from: Data(WireJSON.encode(push))) == push)
        #expect(try WireJSON.decodePushRequest(try JSONEncoder().encode(push)) == push)
        let pull = PullResponse(page: ChangePage(changes: changes, next: 42, more: true), names: [:])
        #expect(try WireJSON.decodePullResponse(try JSONEncoder().encode(pull)) == pull)
        #expect(try JSONDecoder().decode(PullResponse.self, from: Data(WireJSON.encode(pull))) == pull)

        // Malformed documents are refused with a reason, never misread.
        for bad in ["", "{", "{\"changes\":[}", "[1,]", "{\"a\":01}", "\"\\x\"", "{\"changes\": 1e5}", "nul", "\"\u{1}\"",
                    String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            #expect(throws: WireJSON.Malformed.self, "\(bad.prefix(20))") { try WireJSON.decodePushRequest(Array(bad.utf8)) }
        }
    }
    /// A newer version may shape its changes differently: such a bundle is reported as too new,
    /// not as damaged, even though its changes cannot be read.
    @Test func aNewerBundleWithUnreadableChangesIsTooNewNotDamaged() throws {
        let json = """
            {"changes":[{"kind":"a shape this version does not know"}],"covers":{},"created":1,"format":"\(ChangeBundle.formatName)",            "names":{},"replica":"0123456789abcdef0123456789abcdef","version":99}
            """
        let data = try ContentCoding.gzip.compress(Data(json.utf8))
        do {
            _ = try BundleCodec.decode(data, expectedSHA256: nil, file: "x.glb")
            Issue.record("a newer bundle was read")
        } catch SyncError.bundleTooNew(let file, let version) {
            #expect(file == "x.glb" && version == 99)
        }
        // The same changes at this version are damage.
        let current = json.replacingOccurrences(of: "\"version\":99", with: "\"version\":\(ChangeBundle.currentVersion)")
        let currentData = try ContentCoding.gzip.compress(Data(current.utf8))
        #expect(throws: SyncError.self) { try BundleCodec.decode(currentData, expectedSHA256: nil, file: "y.glb") }
        do {
            _ = try BundleCodec.decode(currentData, expectedSHA256: nil, file: "y.glb")
        } catch SyncError.bundleInvalid(let file, _) {
            #expect(file == "y.glb")
        } catch {
            Issue.record("a damaged bundle of this version was reported as \(error), not as damaged")
        }
    }
    /// What a folder records of each bundle it has applied reads back exactly; damage reads as nothing.
    @Test func bundleCoversRecordedInSyncStateReadBack() throws {
        let covers: [String: [[UInt64]]] = ["0123456789abcdef0123456789abcdef": [[1, 5_000], [5_002, 5_002]],
                                            "fedcba9876543210fedcba9876543210": [[7, Dot.maxCounter]]]
        let text = WireJSON.encodeCovers(covers)
        #expect(try WireJSON.decodeCovers(Array(text.utf8)) == covers)
        #expect(FolderTransport.decodeCovers(text) == DotRanges(encoded: covers))
        for bad in ["", "{", "[]", "{\"x\":[[1,2]]} extra", "{\"0123456789abcdef0123456789abcdef\":[[1,-2]]}", "{\"a\":[[1.5]]}",
                    "{\"fedcba9876543210fedcba9876543210\":[[7,18446744073709551615]]}"] {
            #expect(FolderTransport.decodeCovers(bad) == nil, "\(bad)")
        }
    }

    /// JSON Schema's `integer` is any whole number, however written: so is the reader's.
    @Test(arguments: [("38981193.0", UInt64(38_981_193)), ("1e3", 1_000), ("1.5e1", 15), ("0.0e-5", 0), ("120E-1", 12),
                      ("9223372036854775807.000", 9_223_372_036_854_775_807), ("0e999999999", 0)])
    func wholeNumbersWithAFractionOrExponentReadAsIntegers(text: String, value: UInt64) throws {
        #expect(try WireJSON.Reader.document(Array(text.utf8)).uint(text) == value)
    }

    @Test(arguments: ["1.5", "1e-1", "18446744073709551616", "1e20", "1e999999999", "-1", "0.1e1000000"])
    func otherNumbersAreNotCounters(text: String) {
        #expect(throws: WireJSON.Malformed.self) { try WireJSON.Reader.document(Array(text.utf8)).counter(text) }
    }
}
