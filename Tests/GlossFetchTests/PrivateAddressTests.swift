@testable import GlossFetch
import Testing

/// Which addresses a fetch of addresses from elsewhere refuses: this machine and private
/// networks, in IPv4, IPv6 and IPv4 mapped into IPv6; public ones pass.
@Suite struct PrivateAddressTests {
    @Test(arguments: ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                      "0.0.0.0", "224.0.0.1", "::1", "[::1]", "fe80::1", "fd00::5", "::ffff:127.0.0.1", "localhost"])
    func privateAddressesAreFound(_ host: String) async throws {
        #expect(try await PageFetcher.privateAddress(of: host) != nil, "\(host)")
    }

    @Test(arguments: ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
    func publicAddressesPass(_ host: String) async throws {
        #expect(try await PageFetcher.privateAddress(of: host) == nil, "\(host)")
    }
}
