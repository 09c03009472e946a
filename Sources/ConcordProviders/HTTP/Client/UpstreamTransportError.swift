/// Why an upstream exchange failed below HTTP: the connection, a timer, or the peer.
public enum UpstreamTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not `http://` or `https://` with a host.
    case invalidURL(String)
    /// No connection within the connect timeout.
    case connectTimeout
    /// The connection (or its TLS handshake) failed.
    case connectionFailed(String)
    /// No response head before the call's deadline.
    case deadlineExceeded
    /// Nothing read for the read timeout while the answer was being received.
    case readTimeout
    /// The upstream closed the connection before the answer was complete.
    case remoteClosed
    /// The answer is larger than the caller accepts.
    case bodyTooLarge(limit: Int)
    /// The caller stopped waiting (its task was cancelled).
    case cancelled
    /// The client is shut down.
    case shutDown

    public var description: String {
        switch self {
        case .invalidURL(let url): "not an http(s) URL: \(url)"
        case .connectTimeout: "connection timed out"
        case .connectionFailed(let reason): reason
        case .deadlineExceeded: "no answer before the deadline"
        case .readTimeout: "nothing received within the read timeout"
        case .remoteClosed: "the upstream closed the connection"
        case .bodyTooLarge(let limit): "the answer is larger than \(limit) bytes"
        case .cancelled: "cancelled"
        case .shutDown: "the upstream client is shut down"
        }
    }
}
