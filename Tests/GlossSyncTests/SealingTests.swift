import Crypto
import Foundation
@testable import GlossSync
import GlossCore
import GlossTestSupport
import PropertyBased
import Testing

/// Issue 19: the cipher and the KDF through our wrappers, against their published vectors; the
/// seal's binding; recovery keys a person types.
@Suite struct SealingTests {
    static func bytes(_ hex: String) -> [UInt8] { Hex.bytes(hex.filter { !$0.isWhitespace })! }

    /// RFC 8439, section 2.8.2: the AEAD_CHACHA20_POLY1305 example.
    @Test func chaChaPolyMatchesRFC8439() throws {
        let key = try #require(LibraryKey(bytes: (0x80...0x9f).map { UInt8($0) }))
        let nonce = try ChaChaPoly.Nonce(data: Self.bytes("070000004041424344454647"))
        let aad = Self.bytes("50515253c0c1c2c3c4c5c6c7")
        let plaintext = Data("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let ciphertext = Self.bytes("""
            d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b
            1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
            3ff4def08e4b7a9de576d26586cec64b6116
            """)
        let tag = Self.bytes("1ae10b594f09e26a7e902ecbd0600691")
        let box = try Seal.seal(plaintext, under: key, binding: aad, nonce: nonce)
        #expect(Array(box) == Self.bytes("070000004041424344454647") + ciphertext + tag)
        #expect(Seal.open(box, under: key, binding: aad) == plaintext)
    }

    /// RFC 7914, section 12: the first three scrypt vectors (the fourth, N = 2^20, takes seconds).
    @Test(arguments: [
        ("", "", 4, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        ("password", "NaCl", 10, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        ("pleaseletmein", "SodiumChloride", 14, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
    ])
    func scryptMatchesRFC7914(_ vector: (String, String, Int, Int, Int, String)) throws {
        let (password, salt, logN, r, p, expected) = vector
        // Our wrapper derives 32 bytes: the vectors' first 32 (scrypt's output is a PBKDF2 stream).
        let derived = try PassphraseWrap.derive(password, salt: Data(salt.utf8), cost: .init(logN: logN, r: r, p: p))
        #expect(derived.withBytes { Hex.string($0) } == String(expected.prefix(64)))
    }

    /// Seal and open round-trip, and changing any byte of the box or its associated data, or
    /// cutting the box short, makes it fail to open.
    @Test func flippingAnyByteFailsToOpen() async throws {
        let key = LibraryKey.generate()
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let plaintext = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let aad = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let pick = Int(rng.next() % 10_000)
            let box = try! Seal.seal(plaintext, under: key, binding: aad)
            #expect(Seal.open(box, under: key, binding: aad) == Data(plaintext))
            var bent = box
            bent[bent.startIndex + pick % box.count] ^= UInt8(1 << (pick % 8))
            #expect(Seal.open(bent, under: key, binding: aad) == nil)
            if !aad.isEmpty {
                var otherAAD = aad
                otherAAD[pick % aad.count] ^= 0x01
                #expect(Seal.open(box, under: key, binding: otherAAD) == nil)
            }
            #expect(Seal.open(box.dropLast(1 + pick % 5), under: key, binding: aad) == nil)
            #expect(Seal.open(box, under: LibraryKey.generate(), binding: aad) == nil)
        }
    }

    @Test func noNonceRepeats() throws {
        let key = LibraryKey.generate()
        let nonces = Set(try (0..<2_000).map { _ in try Seal.seal(Data("same".utf8), under: key, binding: Data()).prefix(12) })
        #expect(nonces.count == 2_000)
    }

    @Test func recoveryKeyRoundTripsAndReadsForgivingly() throws {
        for _ in 0..<50 {
            let key = LibraryKey.generate()
            let text = RecoveryKey.text(of: key)
            #expect(text.count == 56 + 13)
            #expect(try RecoveryKey.key(from: text).sameKey(as: key))
            // Lowercase, spaces instead of dashes, O for 0 and l for 1.
            let sloppy = text.lowercased().replacingOccurrences(of: "-", with: " ")
                .replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l")
            #expect(try RecoveryKey.key(from: sloppy).sameKey(as: key))
        }
    }

    @Test func aMistypedCharacterIsCaughtAndItsGroupNamed() throws {
        var named = 0
        for trial in 0..<40 {
            let text = Array(RecoveryKey.text(of: LibraryKey.generate()))
            let positions = text.indices.filter { text[$0] != "-" }
            let position = positions[trial % positions.count]
            var typo = text
            let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
            typo[position] = alphabet.first { $0 != text[position] && $0 != "0" && $0 != "1" }!
            do {
                _ = try RecoveryKey.key(from: String(typo))
                Issue.record("a typo at \(position) was accepted")
            } catch .mistypedGroup(let group, _) {
                #expect(group == position / 5 + 1)
                named += 1
            } catch {
                #expect(error == .checksumMismatch)
            }
        }
        #expect(named >= 36)
        #expect(throws: RecoveryKey.Problem.wrongLength(55)) { try RecoveryKey.key(from: String(RecoveryKey.text(of: .generate()).dropLast())) }
        #expect(throws: RecoveryKey.Problem.badCharacter("U", group: 1)) { try RecoveryKey.key(from: "U" + RecoveryKey.text(of: .generate()).dropFirst()) }
    }

    @Test func aKeyNeverPrints() {
        let key = LibraryKey.generate()
        let hex = key.withBytes { Hex.string($0) }
        for text in [String(describing: key), String(reflecting: key), "\(key)", "\([key])", "\(Keyring(first: key))"] {
            #expect(!text.contains(hex))
            // Nor a part of it, in hex or base64 (the id it prints is an HMAC of it, not a prefix).
            #expect(!text.contains(hex.prefix(16)))
            #expect(!text.contains(key.withBytes { Data($0).base64EncodedString() }.prefix(16)))
            #expect(text.contains(key.id))
        }
    }

    @Test func passphraseWrapOpensOnlyWithThePassphrase() throws {
        let key = LibraryKey.generate()
        let wrap = try PassphraseWrap.wrap(key, passphrase: "correct horse", cost: .init(logN: 10))
        #expect(try wrap.unwrap(passphrase: "correct horse")?.sameKey(as: key) == true)
        #expect(try wrap.unwrap(passphrase: "correct horsf") == nil)
        var bent = wrap
        bent.key = LibraryKey.generate().id
        #expect(try bent.unwrap(passphrase: "correct horse") == nil)
        bent = wrap
        bent.logN = 40
        #expect(throws: PassphraseWrap.Malformed.self) { try bent.unwrap(passphrase: "correct horse") }
        // A forged wrap cannot ask for more than Gloss ever writes (N = 2^20, r = 8, p = 1).
        for (logN, r, p) in [(21, 8, 1), (20, 16, 1), (10, 8, 2)] {
            bent = wrap
            (bent.logN, bent.r, bent.p) = (logN, r, p)
            #expect(throws: PassphraseWrap.Malformed.self) { try bent.unwrap(passphrase: "correct horse") }
        }
        // Of many published wraps, the one most replicas publish is tried first, and only a few.
        let forged = (0..<10).map { _ in try! PassphraseWrap.wrap(.generate(), passphrase: "x", cost: .init(logN: 1)) }
        let tried = PassphraseWrap.likeliestFirst(forged + [wrap, wrap, wrap])
        #expect(tried.count == 3 && tried.first == wrap)
    }

    @Test func rotationsAreLearnedAlongTheChain() throws {
        let first = LibraryKey.generate()
        var a = Keyring(first: first)
        try a.rotate(now: 10)
        try a.rotate(now: 20)
        var b = Keyring(first: first)
        let learned = b.learn(from: [a.published(by: "a")])
        #expect(learned)
        #expect(b.keys.map(\.id) == a.keys.map(\.id))
        #expect(b.current == a.current)
        // A forged record naming the first key, dated after every rotation, does not take new
        // writes back to it: it does not open, so it is not kept.
        var forged = a.published(by: "a")
        forged.rotations.append(KeyRotation(id: first.id, by: a.current, created: 1_000, sealed: a.rotations[0].sealed))
        var c = Keyring(first: first)
        _ = c.learn(from: [forged])
        #expect(c.current == a.current && c.rotations.count == 2)
        // A keyring holding an unrelated key learns nothing from them.
        var stranger = Keyring(first: .generate())
        let strangerLearned = stranger.learn(from: [a.published(by: "a")])
        #expect(!strangerLearned)
        #expect(stranger.keys.count == 1)
    }
}
