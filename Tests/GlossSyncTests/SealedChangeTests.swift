import Foundation
import GlossCore
import GlossExtraction
@testable import GlossSync
import GlossTestSupport
import Testing

/// A change of an encrypted library as it travels over HTTP: its wire form, what its seal binds,
/// and the messages that carry it beside plain changes.
@Suite struct SealedChangeTests {
    static func changes() throws -> [Change] {
        let directory = TemporaryDirectory()
        let store = try directory.store("a", seed: 3)
        let article = try store.addArticle(ExtractedArticle(title: "A private title", text: sampleText, format: .plainText))
        _ = try store.addNote(articleID: article.id, text: "a private note")
        return try store.changes(since: VersionVector())
    }

    @Test func itTravelsAsKeyCounterReplicaAndBoxOnlyAndOpensToTheChange() throws {
        let change = try #require(try Self.changes().first)
        let key = LibraryKey.generate()
        let sealed = try SealedChange(sealing: change, under: key)
        let json = String(decoding: WireJSON.encode(PushRequest(changes: [], sealed: [sealed], names: [:])), as: UTF8.self)
        let expected = #"{"changes":[{"k":"\#(key.id)","n":\#(change.dot.counter),"r":"\#(change.dot.replica.rawValue)","s":"\#(sealed.box.base64EncodedString())"}],"names":{}}"#
        #expect(json == expected)
        #expect(!json.contains(change.entityID) && !json.contains("A private title"))
        // The box holds the change's own wire JSON, nothing else.
        let inner = try #require(Seal.open(sealed.box, under: key,
                                           binding: SealedChange.associatedData(replica: change.dot.replica, counter: change.dot.counter, key: key.id)))
        #expect(Array(inner) == WireJSON.encode(change: change))
        #expect(try sealed.open(with: Keyring(first: key)) == change)
        // Sealed twice, two boxes: a fresh nonce each time.
        #expect(try SealedChange(sealing: change, under: key).box != sealed.box)
    }

    @Test func aBoxMovedToAnotherDotOrKeyOrChangedDoesNotOpen() throws {
        let change = try #require(try Self.changes().first)
        let key = LibraryKey.generate(), keys = Keyring(first: key)
        let sealed = try SealedChange(sealing: change, under: key)
        var moved = sealed
        moved.counter += 1
        #expect(throws: SealedChangeProblem.doesNotOpen) { try moved.open(with: keys) }
        var otherReplica = sealed
        otherReplica.replica = try #require(ReplicaID(String(repeating: "ab", count: 16)))
        #expect(throws: SealedChangeProblem.doesNotOpen) { try otherReplica.open(with: keys) }
        var flipped = sealed
        flipped.box[flipped.box.count / 2] ^= 1
        #expect(throws: SealedChangeProblem.doesNotOpen) { try flipped.open(with: keys) }
        #expect(throws: SealedChangeProblem.unknownKey(key.id)) { try sealed.open(with: Keyring(first: LibraryKey.generate())) }
        // A key holder that sealed one change under another's label is caught by the dot inside.
        let lying = SealedChange(key: key.id, replica: change.dot.replica, counter: change.dot.counter + 7,
                                 box: try Seal.seal(WireJSON.encode(change: change), under: key,
                                                    binding: SealedChange.associatedData(replica: change.dot.replica, counter: change.dot.counter + 7, key: key.id)))
        #expect(throws: SealedChangeProblem.otherDot(change.dot.description)) { try lying.open(with: keys) }
    }

    @Test func messagesCarryPlainAndSealedChangesInOneArrayBothWays() throws {
        let changes = try Self.changes()
        let key = LibraryKey.generate()
        let sealed = try changes.dropFirst().map { try SealedChange(sealing: $0, under: key) }
        let push = PushRequest(changes: [changes[0]], sealed: sealed, names: [:])
        #expect(try WireJSON.decodePushRequest(WireJSON.encode(push)) == push)
        #expect(try JSONDecoder().decode(PushRequest.self, from: Data(WireJSON.encode(push))) == push)
        #expect(try WireJSON.decodePushRequest(try JSONEncoder().encode(push)) == push)
        var pull = PullResponse(page: ChangePage(changes: [changes[0]], next: 9, more: false), names: [:])
        pull.sealed = sealed
        #expect(try WireJSON.decodePullResponse(WireJSON.encode(pull)) == pull)
        #expect(try JSONDecoder().decode(PullResponse.self, from: Data(WireJSON.encode(pull))) == pull)
    }

    @Test(arguments: [
        (#"{"k":"0123456789abcdef","n":1,"r":"REPLICA","s":"AAAA"}"#, "not a sealed box"),
        (#"{"k":"not-a-key-id","n":1,"r":"REPLICA","s":"BOX"}"#, "not a key id"),
        (#"{"k":"0123456789abcdef","n":1,"r":"REPLICA","s":"BOX","e":"article"}"#, "members of a plain one"),
        (#"{"k":"0123456789abcdef","r":"REPLICA","s":"BOX"}"#, "'n' is missing"),
    ])
    func aMalformedSealedChangeIsRefusedNamingWhy(element: String, saying: String) throws {
        let replica = String(repeating: "cd", count: 16)
        let box = Data(repeating: 7, count: 40).base64EncodedString()
        let json = #"{"changes":["# + element.replacingOccurrences(of: "REPLICA", with: replica).replacingOccurrences(of: "BOX", with: box) + #"],"names":{}}"#
        #expect { try WireJSON.decodePushRequest(Array(json.utf8)) } throws: { "\($0)".contains(saying) }
    }

    @Test func aBundleHoldingASealedChangeIsNotABundle() throws {
        let change = try #require(try Self.changes().first)
        let sealed = try SealedChange(sealing: change, under: LibraryKey.generate())
        var w = WireJSON.Writer()
        w.changes([], sealed: [sealed])
        let json = #"{"changes":"# + String(decoding: w.bytes, as: UTF8.self)
            + #","covers":{},"created":1,"format":"gloss-bundle","names":{},"replica":"\#(change.dot.replica.rawValue)","version":1}"#
        #expect { try WireJSON.decodeBundle(Array(json.utf8)) } throws: { "\($0)".contains("sealed") }
    }
}
