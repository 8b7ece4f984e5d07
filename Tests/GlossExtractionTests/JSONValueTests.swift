import Testing
@testable import GlossExtraction

/// The JSON reader behind JSON-LD metadata.
struct JSONValueTests {
    @Test func readsWhatJSONLDUses() {
        let value = JSONValue(parsing: #" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00\n", "a": 0} "#)
        #expect(value?["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(value?["b"]?.string == "x\"é😀\n")
    }

    @Test func refusesBrokenAndHostileJSON() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "\"\\u12\"", "tru", "[1] 2", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)] {
            #expect(JSONValue(parsing: text) == nil, "\(text.prefix(20))")
        }
        #expect(JSONValue(parsing: "\"\\ud800\"")?.string == "\u{FFFD}")
    }
}
