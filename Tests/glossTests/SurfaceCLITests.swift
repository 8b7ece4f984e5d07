import Foundation
import GlossCore
import Testing

/// What a new user meets first: the version, completions, honest columns, messages that say
/// what to do, and a demo that cleans up after itself.
@Suite(.serialized) struct SurfaceCLITests {
    @Test func versionAndCompletionsAreThere() throws {
        let cli = CLI()
        defer { cli.remove() }
        let version = try cli.run(["--version"])
        #expect(version.status == 0 && version.stdout == GlossVersion.current + "\n")
        let help = try cli.run(["--help"])
        #expect(help.stdout.contains("--generate-completion-script bash|zsh|fish"))
        for shell in ["bash", "zsh", "fish"] {
            let script = try cli.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("---completion"), "\(shell)")
        }

        let file = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", file, "--tag", "city", "--tag", "civic"]) as? [[String: Any]])?.first?["id"] as? String)
        #expect(try cli.run(["note", id, "A note", "--tag", "budget"]).status == 0)
        let articles = try cli.run(["---completion", "show", "--", "positional@0", "0", "2", String(id.prefix(2))])
        #expect(articles.stdout.split(separator: "\n") == [Substring(id.prefix(8))], "\(articles.stdout) \(articles.stderr)")
        let everything = try cli.run(["---completion", "delete", "--", "positional@0", "0", "0", ""])
        #expect(everything.stdout.split(separator: "\n").count == 2)
        let tags = try cli.run(["---completion", "tag", "--", "positional@1", "1", "1", id, "c"])
        #expect(tags.stdout.split(separator: "\n") == ["city", "civic"], "\(tags.stdout)")
        // Another store through --store; none at all gives nothing, quietly, and makes nothing.
        let missing = cli.home + "/no-store-here"
        let none = try cli.run(["---completion", "show", "--", "positional@0", "0", "0", "", "--store", missing])
        #expect(none.status == 0 && none.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && none.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// With no GLOSS_HOME or XDG_DATA_HOME, the store is under `$HOME` (as shells and XDG tools
    /// read it), not the account's folder, and `~` in a path is that HOME too: a session with a
    /// HOME of its own keeps a store of its own.
    @Test func theDefaultStoreFollowsHOME() throws {
        let cli = CLI()
        defer { cli.remove() }
        let home = cli.home + "/h"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let environment = ["GLOSS_HOME": "", "XDG_DATA_HOME": "", "HOME": home]
        let file = try cli.write("harbor.txt", article)
        #expect(try cli.run(["add", file], environment: environment).status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/gloss/gloss.sqlite"))
        let status = try cli.run(["status"], environment: environment)
        #expect(status.stdout.contains(home + "/.local/share/gloss/gloss.sqlite"), "\(status.stdout)")
        #expect(try cli.run(["add", file, "--store", "~/second"], environment: environment).status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/second/gloss.sqlite"))
        // Given before the command, as `git -C` is, --store means the same.
        for leading in [["--store", home + "/second"], ["--store=" + home + "/second"]] {
            let listed = try cli.run(leading + ["list"], environment: environment)
            #expect(listed.status == 0 && listed.stdout.contains("Harbor"), "\(leading): \(listed.stderr)")
        }
    }

    @Test func aMistypedGlossHomeIsReportedNotCreated() throws {
        let cli = CLI()
        defer { cli.remove() }
        let typo = cli.home + "/stroe/nested"
        for command in [["list"], ["show", "abcdef12"], ["search", "harbor"], ["annotations"], ["export"], ["status"],
                        ["log"], ["conflicts"], ["orphans"]] {
            let result = try cli.run(command, environment: ["GLOSS_HOME": typo])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("no Gloss store at \(typo)") && result.stderr.contains("GLOSS_HOME"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("--store"), "\(command): GLOSS_HOME chose the place: \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: cli.home + "/stroe"), "\(command) made folders")
        }
        let file = try cli.write("harbor.txt", article)
        let add = try cli.run(["add", file], environment: ["GLOSS_HOME": typo])
        #expect(add.status == 1 && add.stderr.contains("the folder \(cli.home)/stroe does not exist"), "\(add.stderr)")
        #expect(add.stderr.contains("GLOSS_HOME") && !add.stderr.contains("--store"))
        #expect(!FileManager.default.fileExists(atPath: cli.home + "/stroe"))
        // A store's own folder is made when its parent is there.
        let fresh = cli.home + "/fresh-store"
        #expect(try cli.run(["add", file], environment: ["GLOSS_HOME": fresh]).status == 0)
        #expect(FileManager.default.fileExists(atPath: fresh + "/gloss.sqlite"))
        // A file that is no store, chosen by GLOSS_HOME: the advice is about GLOSS_HOME.
        let diary = try cli.write("diary.sqlite", "Dear diary.\n")
        let foreign = try cli.run(["list"], environment: ["GLOSS_HOME": diary])
        #expect(foreign.status == 1 && foreign.stderr.contains("not a Gloss store"))
        #expect(foreign.stderr.contains("GLOSS_HOME") && !foreign.stderr.contains("--store"), "\(foreign.stderr)")
        let given = try cli.run(["list", "--store", cli.home + "/elsewhere"])
        #expect(given.status == 1 && given.stderr.contains("--store") && !given.stderr.contains("GLOSS_HOME"))
    }

    @Test func aDamagedStoreSaysWhatToDo() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        for n in 0..<40 {
            #expect(try cli.run(["add", "-", "--format", "text"], stdin: Data("Article \(n)\n\n\(article) Copy \(n).".utf8)).status == 0)
        }
        _ = file
        let database = cli.home + "/store/gloss.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        #expect(bytes.count > 16_384)
        for index in stride(from: 4096, to: bytes.count, by: 7) { bytes[index] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: database))
        let result = try cli.run(["list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("damaged"), "\(result.stderr)")
        #expect(result.stderr.contains("backup") && result.stderr.contains("sync"), "\(result.stderr)")
    }

    @Test func otherSchemesAreNamedAsUnsupported() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["add", "ftp://example.com/article.txt"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("'ftp:'") && result.stderr.contains("http and https"), "\(result.stderr)")
        #expect(!result.stderr.contains("no such file"))
    }

    @Test func listCountsHighlightsAndNotesApartAndTablesKeepTags() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", file]) as? [[String: Any]])?.first?["id"] as? String)
        #expect(try cli.run(["highlight", id, "built in 1887"]).status == 0)
        #expect(try cli.run(["highlight", id, "approved the budget", "--note", "At last"]).status == 0)
        let long = String(repeating: "A long thought about bridges and budgets. ", count: 8)
        #expect(try cli.run(["note", id, long, "--tag", "keep-me-visible"]).status == 0)
        let summary = try #require((try cli.json(["list"]) as? [[String: Any]])?.first)
        #expect(summary["highlightCount"] as? Int == 2 && summary["noteCount"] as? Int == 2)
        let list = try cli.run(["list"]).stdout.split(separator: "\n")
        #expect(list.first?.contains("HIGHLIGHTS  NOTES") == true)
        #expect(list.dropFirst().first?.contains("  2           2  ") == true, "\(list)")

        let table = try cli.run(["annotations"], environment: ["COLUMNS": "70"]).stdout
        let noteRow = try #require(table.split(separator: "\n").first { $0.contains("note") && $0.contains("A long") })
        #expect(noteRow.hasSuffix("#keep-me-visible") && noteRow.contains("…"), "\(noteRow)")
        #expect(noteRow.count <= 70)
    }

    @Test func showWritesDatesOneWay() throws {
        let cli = CLI()
        defer { cli.remove() }
        let markdown = "---\ntitle: Tides\npublished: 2024-03-05T14:30:00+01:00\n---\n\nThe tide rises twice a day because the moon pulls the oceans.\n"
        let added = try cli.run(["add", "-", "--format", "markdown"], stdin: Data(markdown.utf8))
        #expect(added.status == 0, "\(added.stderr)")
        let id = try #require(IDsCLITests.firstColumn(try cli.run(["list"]).stdout).first)
        let shown = try cli.run(["show", id]).stdout
        #expect(shown.contains("2024-03-05 13:30") && !shown.contains("T14:30"), "\(shown)")
    }

    @Test func theDemoPrintsPlainlyAndCleansUp() throws {
        let cli = CLI()
        defer { cli.remove() }
        let temporary = cli.home + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let result = try cli.run(["demo"], environment: ["TMPDIR": temporary + "/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("[\""), "no raw Swift arrays")
        #expect(result.stdout.contains("laptop makes:") && result.stdout.contains("desktop makes:"))
        #expect(result.stdout.contains("laptop$  gloss edit"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "the demo left its folder behind")
        let advice = try #require(result.stdout.split(separator: "\n").last)
        #expect(advice.hasPrefix("Try it yourself: \(CLI.binary) --help") || advice.hasPrefix("Try it yourself: gloss --help"), "\(advice)")
    }

    @Test func markdownExportGivesEveryAnnotationItsOwnBlockAndCutsNamesAtWords() throws {
        let cli = CLI()
        defer { cli.remove() }
        let long = "Harbor council approves the extraordinarily complicated winter budget for the old bridge"
        let file = try cli.write("harbor.txt", article.replacingOccurrences(of: "Harbor council approves winter budget", with: long))
        let id = try #require((try cli.json(["add", file]) as? [[String: Any]])?.first?["id"] as? String)
        let burst = (0..<20).map { n in
            "{\"type\": \"Annotation\", \"gloss:article\": \"\(id)\", \"bodyValue\": \"Note \(n)\", \"target\": {\"source\": \"x\"}}"
        }
        let payload = try cli.write("burst.jsonld", "{\"type\": \"AnnotationCollection\", \"first\": {\"items\": [\(burst.joined(separator: ","))]}}")
        #expect(try cli.run(["import", payload]).status == 0)
        let vault = cli.home + "/vault"
        #expect(try cli.run(["export", "--format", "markdown", "--output", vault]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: vault)
        let name = try #require(files.first)
        #expect(files.count == 1)
        let slug = String(name[..<name.index(name.endIndex, offsetBy: -(".md".count + 9))])
        #expect(slug == "harbor-council-approves-the-extraordinarily-complicated", "\(name)")
        let text = try String(contentsOfFile: vault + "/" + name, encoding: .utf8)
        let blocks = text.split(separator: "\n").compactMap { line in line.split(separator: " ").last.flatMap { $0.hasPrefix("^") ? $0 : nil } }
        #expect(blocks.count == 20 && Set(blocks).count == 20, "\(blocks)")
    }
}
