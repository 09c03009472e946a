#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Ids and timestamps in the shapes the real services use (`chatcmpl-…`, `msg_01…`, `call_…`, `toolu_01…`).
enum ResponseIdentity {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A random id: unique per answer, which is what clients and gateways key on. Each system random
    /// number yields ten characters, since every draw is a system call and benchmarks make many ids.
    static func make(_ prefix: String, length: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = Array(prefix.utf8)
        bytes.reserveCapacity(bytes.count + length)
        var bits: UInt64 = 0
        for position in 0..<length {
            if position % 10 == 0 { bits = generator.next() }
            bytes.append(alphabet[Int(bits % UInt64(alphabet.count))])
            bits /= UInt64(alphabet.count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unix seconds, as OpenAI's `created`.
    static var now: Int { Int(Date().timeIntervalSince1970) }
}
