import Foundation
import GlossCore
import GlossExtraction
import GlossTestSupport
import Testing

/// Issue 3 end to end, with the real binary: two machines, a shared folder, the example articles.
@Suite(.serialized) struct SyncCLITests {
    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures")!.path
    }

    @Test func concurrentEditsAreListedResolvedAndSettledEverywhere() throws {
        let cli = CLI()
        defer { cli.remove() }
        let laptop = ["--store", cli.home + "/laptop"]
        let desktop = ["--store", cli.home + "/desktop"]
        let shared = cli.home + "/Dropbox/gloss"
        try FileManager.default.createDirectory(atPath: cli.home + "/Dropbox", withIntermediateDirectories: true)
        #expect(try cli.run(["init", "--name", "laptop"] + laptop).status == 0)
        #expect(try cli.run(["init", "--name", "desktop"] + desktop).status == 0)

        let added = try #require(try cli.json(["add", Self.fixture("reuters-migration"), Self.fixture("ap-migration-talks")] + laptop) as? [[String: Any]])
        let article = try #require(added.first?["id"] as? String)
        let highlight = try #require(try cli.json(["highlight", article, "record migration at their shared border", "--note", "Cooperation matters."] + laptop) as? [String: Any])
        let id = try #require(highlight["id"] as? String)
        #expect(try cli.run(["sync", shared] + laptop).status == 0)
        let first = try #require(try cli.json(["sync", shared] + desktop) as? [String: Any])
        #expect(first["received"] as? Int == 3)

        // Apart: both rewrite the note; both tag the highlight.
        #expect(try cli.run(["edit", id, "--note", "The laptop says: a joint statement, nothing binding."] + laptop).status == 0)
        #expect(try cli.run(["edit", id, "--note", "The desktop says: watch the sponsorship numbers."] + desktop).status == 0)
        #expect(try cli.run(["tag", id, "policy"] + laptop).status == 0)
        #expect(try cli.run(["tag", id, "follow-up"] + desktop).status == 0)

        #expect(try cli.run(["sync", shared] + laptop).status == 0)
        let meet = try #require(try cli.json(["sync", shared] + desktop) as? [String: Any])
        #expect((meet["newConflicts"] as? [[String: Any]])?.first?["field"] as? String == "note")
        #expect(try cli.run(["sync", shared] + laptop).status == 0)

        for store in [laptop, desktop] {
            let conflicts = try #require(try cli.json(["conflicts"] + store) as? [[String: Any]])
            #expect(conflicts.count == 1)
            let siblings = try #require(conflicts.first?["siblings"] as? [[String: Any]])
            #expect(Set(siblings.compactMap { $0["replicaName"] as? String }) == ["laptop", "desktop"])
            #expect(siblings.filter { $0["isShown"] as? Bool == true }.count == 1)
            let tags = try #require(try cli.json(["annotations"] + store) as? [[String: Any]]).first?["tags"] as? [String]
            #expect(tags == ["follow-up", "policy"])
        }
        let human = try cli.run(["conflicts"] + desktop)
        #expect(human.stdout.contains("laptop") && human.stdout.contains("desktop") && human.stdout.contains("note"))

        // Resolve by hand in an "editor", on the desktop; the laptop learns it by syncing.
        let editor = try cli.write("editor.sh", "#!/bin/sh\nprintf 'Both: a joint statement; watch the numbers.\\n' > \"$1\"\n")
        chmod(editor, 0o755)
        let resolved = try cli.run(["resolve", String(id.prefix(8)), "--edit"] + desktop, environment: ["EDITOR": editor])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(try cli.run(["sync", shared] + desktop).status == 0)
        #expect(try cli.run(["sync", shared] + laptop).status == 0)

        var digests: Set<String> = []
        for store in [laptop, desktop] {
            #expect(try (cli.json(["conflicts"] + store) as? [Any])?.isEmpty == true)
            let note = try (cli.json(["annotations"] + store) as? [[String: Any]])?.first?["note"] as? String
            #expect(note == "Both: a joint statement; watch the numbers.")
            digests.insert(try #require((try cli.json(["status"] + store) as? [String: Any])?["digest"] as? String))
        }
        #expect(digests.count == 1)
    }

    @Test func resolveRejectsBadChoicesAndChangesNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let store = ["--store", cli.home + "/s"]
        let file = try cli.write("a.txt", article)
        let id = try #require((try cli.json(["add", file] + store) as? [[String: Any]])?.first?["id"] as? String)
        let none = try cli.run(["resolve", id, "--keep", "1"] + store)
        #expect(none.status == 1 && none.stderr.contains("has no conflict"))
        #expect(try cli.run(["resolve", id] + store).status == 64)
        #expect(try cli.run(["resolve", id, "--keep", "1", "--value", "x"] + store).status == 64)
        let notAFolder = try cli.run(["sync", file] + store)
        #expect(notAFolder.status == 1 && notAFolder.stderr.contains("not a folder"))
    }

    /// A folder that cannot be made says why: its parent is missing, or this user may not write
    /// there (the superuser may write anywhere on an ordinary disk, so it tries /sys, where Linux
    /// refuses even it). Nothing is made, and the store is unchanged.
    @Test func aSyncFolderThatCannotBeMadeSaysWhy() throws {
        let cli = CLI()
        defer { cli.remove() }
        let store = ["--store", cli.home + "/s"]
        #expect(try cli.run(["init"] + store).status == 0)
        let missing = try cli.run(["sync", cli.home + "/no/such/parent"] + store)
        #expect(missing.status == 1 && missing.stderr.contains("its parent folder does not exist"), "\(missing.stderr)")
        let locked = cli.home + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        chmod(locked, 0o555)
        defer { chmod(locked, 0o755) }
        let parent = geteuid() == 0 ? "/sys" : locked
        let denied = try cli.run(["sync", parent + "/gloss-shared"] + store)
        #expect(denied.status == 1 && denied.stderr.contains("permission denied"), "\(denied.stderr)")
        #expect(!denied.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: parent + "/gloss-shared"))
    }

    /// A sync killed with SIGKILL at random moments, while writing and while applying, leaves
    /// every store valid; the next syncs converge with nothing lost.
    @Test func syncKilledAtRandomMomentsLosesNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let pathA = cli.home + "/a.sqlite", pathB = cli.home + "/b.sqlite"
        let shared = cli.home + "/shared"
        var rng = SplitMix64(seed: 2026)
        var kills = 0
        var round = 0
        // The longest wait before a kill, in ms. A sync that finished before its kill shortens it,
        // so the kills keep landing inside syncs however fast the machine is at the moment.
        var longestDelay: UInt64 = 150
        while kills < 24 && round < 40 {
            round += 1
            // New work on A between kills (through the library, to keep the test quick).
            let a = try Store(path: pathA)
            let id = try a.addArticle(ExtractedArticle(title: "Round \(round)", text: prose(&rng, sentences: 40), format: .plainText)).id
            let words = try a.article(id).text.split(separator: " ")
            for i in stride(from: 0, to: min(words.count - 4, 600), by: 3) {
                _ = try a.highlight(articleID: id, quote: words[i...i + 2].joined(separator: " "), occurrence: 1, note: "n\(i)")
            }
            try a.close()
            for path in [pathA, pathB] {
                let delay = Double(rng.next() % longestDelay) / 1000
                if try cli.runAndKill(["sync", shared, "--store", path], after: delay) {
                    kills += 1
                } else {
                    longestDelay = max(10, longestDelay * 2 / 3)
                }
                let store = try Store(path: path)
                #expect(try store.checkIntegrity() == "ok", "round \(round): \(path) damaged")
                try store.close()
            }
        }
        #expect(kills >= 20, "only \(kills) syncs were still running when killed")
        for path in [pathA, pathB, pathA] {
            #expect(try cli.run(["sync", shared, "--store", path]).status == 0)
        }
        let (a, b) = (try Store(path: pathA), try Store(path: pathB))
        #expect(try a.digest() == b.digest())
        #expect(try a.status().counts.changes == b.status().counts.changes)
        #expect(try b.annotations().count == a.annotations().count && a.annotations().count > 1000)
    }
}
