import GlossCore

/// A failure the CLI itself detects (files, arguments beyond what the parser checks), and the one
/// place where the libraries' facts become advice: which command or flag to use next.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - The store's place

extension CLIError {
    /// Where a store's place came from, as a person would correct it.
    static func origin(_ location: StoreLocator.Location) -> String {
        switch location.source {
        case .option: "given with --store"
        case .glossHome: "GLOSS_HOME is set to \(location.given)"
        case .xdgDataHome: "from XDG_DATA_HOME"
        case .home: "the default place"
        }
    }

    /// `--store PATH` when the command needs it to reach the same store, else nothing.
    static func storeFlag(_ location: StoreLocator.Location) -> String {
        location.source == .option ? " --store \(location.given)" : ""
    }

    /// What to correct when the place is wrong.
    static func correction(_ location: StoreLocator.Location) -> String {
        switch location.source {
        case .option: "give --store the path of an existing store"
        case .glossHome: "set GLOSS_HOME to an existing store"
        case .xdgDataHome: "set GLOSS_HOME or XDG_DATA_HOME to an existing store's place"
        case .home: "give --store or set GLOSS_HOME to use a store elsewhere"
        }
    }

    static func noStore(_ location: StoreLocator.Location) -> CLIError {
        CLIError("there is no Gloss store at \(location.given) (\(origin(location))). Create one with 'gloss init\(storeFlag(location))' or 'gloss add FILE\(storeFlag(location))', or \(correction(location)).")
    }

    static func missingFolder(_ folder: String, _ location: StoreLocator.Location) -> CLIError {
        CLIError("cannot create a store at \(location.given): the folder \(folder) does not exist (\(origin(location))). Create that folder first, or \(correction(location)).")
    }

    static func notAFolder(_ path: String, _ location: StoreLocator.Location) -> CLIError {
        CLIError("cannot create a store at \(location.given): \(path) is a file, not a folder (\(origin(location))).")
    }
}

// MARK: - Advice on the libraries' errors

enum Advice {
    /// `error`'s message with what to do next, in this CLI's commands and flags; `location` is
    /// the store the command opened, when it opened one.
    static func message(for error: GlossError, store location: StoreLocator.Location?) -> String {
        let fix = location.map { CLIError.correction($0) } ?? "give --store the path of a Gloss store"
        switch error {
        case .notAGlossStore:
            return error.description + " Point Gloss at a store, or at a new path to create one: \(fix)."
        case .storeDamaged:
            let flag = location.map(CLIError.storeFlag) ?? ""
            return error.description + " Restore the file from a backup, or make a new store and sync it from another replica that holds your library ('gloss sync FOLDER-OR-URL --store NEW-STORE'), then use that one\(flag.isEmpty ? "" : " instead of\(flag)")."
        case .unknownID:
            return error.description + " List them with 'gloss list' or 'gloss annotations'."
        case .quoteNotFound:
            return error.description + " Copy the words exactly as 'gloss show' prints them."
        case .ambiguousQuote(let quote, let count):
            return "\"\(quote)\" occurs \(count) times. Say which with --occurrence 1…\(count), or quote more words."
        case .occurrenceOutOfRange(let requested, let count):
            return "--occurrence \(requested) is out of range: the quote occurs \(count) time\(count == 1 ? "" : "s")."
        case .noConflict(let id, let field):
            return "\(id) has no conflict on '\(field)'. See 'gloss conflicts'."
        case .conflictValueOutOfRange(_, let values):
            return "--keep takes 1…\(values): the conflict has \(values) values, as 'gloss conflicts' numbers them."
        case .deleteConflictNeedsAChoice(let values):
            return "a delete conflict is settled with --keep 1…\(values) (the delete, or an edit to keep the item)."
        case .emptySearch:
            return error.description + " For example: gloss search 'bridge tag:history'."
        case .importNotUTF8, .importNotJSON:
            return error.description + ". 'gloss import' reads W3C Web Annotation JSON-LD, Hypothesis JSON exports and Gloss JSON exports ('gloss export --format json')."
        default:
            return error.description
        }
    }
}
