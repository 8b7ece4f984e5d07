/// Why a page could not be fetched. Each message names the address, the problem and what to do.
public enum FetchError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case unreachable(url: String, reason: String)
    case status(url: String, code: Int)
    case timedOut(url: String, seconds: Double)
    case tooLarge(url: String, limit: Int)
    case notHTML(url: String, contentType: String)
    case tooManyRedirects(url: String, limit: Int)
    /// The address (or one it redirects to) is on this machine or a private network, which a
    /// fetch of addresses from elsewhere does not reach.
    case privateAddress(url: String, host: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "\(url) is not an http or https address: give a full URL such as https://example.com/story"
        case .unreachable(let url, let reason):
            "cannot fetch \(url): \(reason)"
        case .status(let url, let code):
            "\(url) answered \(code) (\(Self.meaning(of: code))): check the address, or save the page from a browser and add the file"
        case .timedOut(let url, let seconds):
            "\(url) did not answer within \(Self.format(seconds)): try again later or with a longer --timeout"
        case .tooLarge(let url, let limit):
            "\(url) is larger than \(limit / 1_048_576) MB, more than Gloss reads: save just the article and add that file"
        case .notHTML(let url, let contentType):
            "\(url) is \(contentType), not a web page: Gloss adds HTML pages from the web (download other files and add them)"
        case .privateAddress(let url, let host):
            "\(url) leads to \(host), an address on this machine or a private network: addresses that came from an import or another replica are not fetched there (add such a page yourself by its address)"
        case .tooManyRedirects(let url, let limit):
            "\(url) redirects more than \(limit) times (a redirect loop?): open it in a browser and add the address it ends at"
        }
    }

    private static func meaning(of code: Int) -> String {
        switch code {
        case 401, 403: "access refused"
        case 404, 410: "no such page"
        case 429: "too many requests"
        case 500...599: "the server failed"
        default: "not a page"
        }
    }

    private static func format(_ seconds: Double) -> String {
        let number = seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
        return number + (seconds == 1 ? " second" : " seconds")
    }
}
