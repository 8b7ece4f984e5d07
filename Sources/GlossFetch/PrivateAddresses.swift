import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension PageFetcher {
    /// The first address `host` resolves to that is on this machine or a private network, or
    /// nil when every one is public (or the name does not resolve: the fetch then says so).
    static func privateAddress(of host: String) async throws -> String? {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return try await Task.detached {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return nil }
            defer { freeaddrinfo(list) }
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                if let address = current.pointee.ai_addr, let text = Self.privateText(address) { return text }
                entry = current.pointee.ai_next
            }
            return nil
        }.value
    }

    /// The address as text when it is loopback, private, link-local, CGNAT, unspecified,
    /// multicast or unique-local (IPv4, IPv6, and IPv4 mapped into IPv6); nil when public.
    static func privateText(_ address: UnsafePointer<sockaddr>) -> String? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }
            }
            return isPrivate(ipv4: bytes) ? bytes.map(String.init).joined(separator: ".") : nil
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
            }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                let v4 = Array(bytes[12...])
                return isPrivate(ipv4: v4) ? v4.map(String.init).joined(separator: ".") : nil
            }
            let loopbackOrUnspecified = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1
            let uniqueLocal = bytes[0] & 0xfe == 0xfc
            let linkLocal = bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
            let multicast = bytes[0] == 0xff
            guard loopbackOrUnspecified || uniqueLocal || linkLocal || multicast else { return nil }
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        default:
            return nil
        }
    }

    static func isPrivate(ipv4 b: [UInt8]) -> Bool {
        b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
            || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] & 0xf0 == 16) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] & 0xc0 == 64)
    }
}
