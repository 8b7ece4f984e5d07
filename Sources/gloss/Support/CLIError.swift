/// A failure the CLI itself detects (files, arguments beyond what the parser checks).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
