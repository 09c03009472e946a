#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is calling, and within which trace: carried in task-local storage so every gateway call made inside a
/// scope is attributed and linked without passing parameters.
public struct CallContext: Sendable, Hashable {
    public enum CallerType: String, Sendable, Hashable, Codable, CaseIterable {
        case agent, api, workflow
    }

    /// 32 lowercase hex digits (a W3C trace id).
    public var traceID: String
    /// The call this one was made on behalf of.
    public var parentCallID: String?
    public var callerType: CallerType
    public var callerName: String
    public var userID: String?

    public init(
        traceID: String = CallContext.newTraceID(),
        parentCallID: String? = nil,
        callerType: CallerType = .api,
        callerName: String = "",
        userID: String? = nil
    ) {
        self.traceID = traceID
        self.parentCallID = parentCallID
        self.callerType = callerType
        self.callerName = callerName
        self.userID = userID
    }

    /// The context of the scope the current task runs in, if any.
    @TaskLocal public static var current: CallContext?

    /// A new trace id: 32 lowercase hex digits, the first 12 the Unix time in milliseconds and the other 80 bits
    /// random, so traces begun close in time sit together in the trace index.
    public static func newTraceID() -> String {
        Hex.lowercase(timeOrderedBytes())
    }

    /// A new call id: a version-7 UUID (RFC 9562) in lowercase. Its first 48 bits are the Unix time in
    /// milliseconds and the rest random, so each new row lands at the end of the `id` index instead of at a random
    /// page of it — fewer pages written per batch as the log grows.
    public static func newCallID() -> String {
        var bytes = timeOrderedBytes()
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Hex.lowercase(bytes, dashesBefore: [4, 6, 8, 10])
    }

    /// 16 bytes: the Unix time in milliseconds (48 bits, big-endian), then 80 random bits from the system in one
    /// `getentropy` call (`SystemRandomNumberGenerator` makes one system call per 64 bits, two per id).
    private static func timeOrderedBytes() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.withUnsafeMutableBytes { buffer in
            let random = UnsafeMutableRawBufferPointer(rebasing: buffer[6...])
            guard getentropy(random.baseAddress!, random.count) != 0 else { return }
            var generator = SystemRandomNumberGenerator()
            for index in random.indices { random[index] = generator.next() }
        }
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let milliseconds = UInt64(time.tv_sec) * 1_000 + UInt64(time.tv_nsec) / 1_000_000
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * index))
        }
        return bytes
    }
}
