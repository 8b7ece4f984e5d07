import ArgumentParser

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
