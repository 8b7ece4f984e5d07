import Foundation
import Testing

/// Every id a listing prints can be typed back, however close together the items were made.
@Suite(.serialized) struct IDsCLITests {
    /// The first column of each row of a table (the header left out).
    static func firstColumn(_ table: String) -> [String] {
        table.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func printedIDsTypeBackAfterABurstOfAnnotations() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        #expect(try cli.run(["add", file]).status == 0)
        let listed = Self.firstColumn(try cli.run(["list"]).stdout)
        let articleID = try #require(listed.first)
        #expect(listed.count == 1 && articleID.count >= 8)
        let fullID = try #require((try cli.json(["list"]) as? [[String: Any]])?.first?["id"] as? String)

        // One import makes 30 notes within the same second; they share at least 9 digits.
        let items = (0..<30).map { n in
            """
            {"type": "Annotation", "motivation": "commenting", "body": {"type": "TextualBody", "value": "Burst note \(n)"},
             "gloss:article": "\(fullID)", "target": {"source": "urn:gloss:article"}}
            """
        }
        let payload = try cli.write("burst.jsonld", """
            {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "first": {"items": [\(items.joined(separator: ","))]}}
            """)
        let imported = try cli.run(["import", payload])
        #expect(imported.status == 0, "\(imported.stderr)")
        for n in 0..<5 {
            #expect(try cli.run(["note", articleID, "Typed note \(n)"]).status == 0)
        }

        let annotations = try cli.run(["annotations"])
        let printed = Self.firstColumn(annotations.stdout)
        #expect(printed.count == 35, "\(annotations.stdout)")
        #expect(Set(printed).count == printed.count, "every printed id is different")
        #expect(printed.contains { $0.filter { $0 != "-" }.count > 8 }, "a burst needs longer prefixes than 8 digits")
        for (index, id) in printed.enumerated() {
            let edited = try cli.run(["edit", id, "--note", "Edited \(index)"])
            #expect(edited.status == 0, "edit \(id): \(edited.stderr)")
            let dashless = id.filter { $0 != "-" }
            #expect(try cli.run(["tag", dashless, "typed-back"]).status == 0, "tag \(dashless)")
        }
        let dashlessDelete = try cli.run(["delete", printed[0].filter { $0 != "-" }])
        #expect(dashlessDelete.status == 0, "\(dashlessDelete.stderr)")
        for line in try cli.run(["log", "--limit", "10"]).stdout.split(separator: "\n").dropFirst() {
            let words = line.split(separator: " ")
            let type = try #require(words.firstIndex { $0 == "annotation" || $0 == "article" })
            #expect(try cli.run(["log", "--id", String(words[type + 1])]).status == 0, "log --id \(words[type + 1])")
        }
        let searched = try cli.run(["search", "Edited"])
        for line in searched.stdout.split(separator: "\n") where !line.hasPrefix(" ") {
            let id = String(try #require(line.split(separator: " ").first))
            #expect(try cli.run(["delete", id]).status == 0, "delete \(id)")
        }
        // What is left, as listed now, is what `show` prints beside each note.
        let shown = try cli.run(["show", articleID])
        let remaining = Self.firstColumn(try cli.run(["annotations"]).stdout)
        #expect(shown.status == 0 && !remaining.isEmpty)
        for id in remaining { #expect(shown.stdout.contains("(\(id))"), "show lacks \(id)") }
    }
}
