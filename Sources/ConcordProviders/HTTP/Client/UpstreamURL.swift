/// An upstream's `http` or `https` URL, split into what a connection and a request head need.
struct UpstreamURL: Hashable, Sendable {
    var isTLS: Bool
    /// The host as written, without brackets for an IPv6 literal.
    var host: String
    var port: Int
    /// The path and query, at least `/`.
    var target: String

    /// The `host` header: the host, and the port when it is not the scheme's default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Where a connection goes: requests to the same origin share a pool of connections.
    var origin: Origin { Origin(isTLS: isTLS, host: host, port: port) }

    struct Origin: Hashable, Sendable {
        var isTLS: Bool
        var host: String
        var port: Int
    }

    /// Parses `http://host[:port][/path][?query]` or `https://…`; `nil` for anything else (another scheme, user
    /// info, no host, a port out of range). Reads bytes, not characters: it runs on every upstream call.
    init?(_ string: String) {
        let utf8 = string.utf8
        let rest: Substring.UTF8View
        if utf8.starts(with: "https://".utf8) {
            isTLS = true
            rest = string.dropFirst(8).utf8
        } else if utf8.starts(with: "http://".utf8) {
            isTLS = false
            rest = string.dropFirst(7).utf8
        } else {
            return nil
        }
        let authorityEnd =
            rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = rest[authorityEnd...]
        if let fragment = path.firstIndex(of: UInt8(ascii: "#")) { path = path[..<fragment] }
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")) else { return nil }
        var hostPart = authority
        var portPart: Substring.UTF8View.SubSequence?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(Substring(hostPart))
        if let portPart {
            guard let number = Int(Substring(portPart)), (1...65_535).contains(number) else { return nil }
            port = number
        } else {
            port = isTLS ? 443 : 80
        }
        if path.isEmpty {
            target = "/"
        } else if path.first == UInt8(ascii: "?") {
            target = "/" + String(Substring(path))
        } else {
            target = String(Substring(path))
        }
    }
}
