import ArgumentParser
import GlossFetch

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store: a directory (holding gloss.sqlite) or a database file. Default: $GLOSS_HOME, else $XDG_DATA_HOME/gloss, else ~/.local/share/gloss.",
        valueName: "path"))
    var store: String?
}

/// `--json` for commands that print data.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}

/// How long a command that fetches web pages (`add`, `extract`) waits for one.
struct FetchOptions: ParsableArguments {
    @Option(help: "Seconds to wait for a web page, redirects and body included, before giving up (at most a day).")
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard timeout <= PageFetcher.longestTimeout else {
            throw ValidationError("--timeout is at most \(Int(PageFetcher.longestTimeout)) seconds (a day)")
        }
    }
}
