/// Every failure the gateway reports to a caller: what went wrong, in words a caller can act on, and the
/// HTTP status that goes with it. Renderers for each wire format turn it into that format's error body.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. A struct rather than an enum, so new kinds don't break callers' switches.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidRequest, unauthorized, forbidden, notFound, modelNotFound, payloadTooLarge
            case rateLimited, upstreamError, upstreamTimeout, upstreamUnreachable, clientDisconnected, internalError
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Malformed JSON or an invalid field (400).
        public static let invalidRequest = Kind(.invalidRequest)
        /// No or unknown API key (401).
        public static let unauthorized = Kind(.unauthorized)
        /// A valid key without the right (403).
        public static let forbidden = Kind(.forbidden)
        public static let notFound = Kind(.notFound)
        /// The model name matches no configured model or provider (404).
        public static let modelNotFound = Kind(.modelNotFound)
        public static let payloadTooLarge = Kind(.payloadTooLarge)
        /// The upstream, or a gateway limit, refused for rate or budget (429).
        public static let rateLimited = Kind(.rateLimited)
        /// The upstream failed or answered with something unreadable (502).
        public static let upstreamError = Kind(.upstreamError)
        public static let upstreamTimeout = Kind(.upstreamTimeout)
        public static let upstreamUnreachable = Kind(.upstreamUnreachable)
        /// The caller went away before the answer was complete (recorded, never sent).
        public static let clientDisconnected = Kind(.clientDisconnected)
        public static let internalError = Kind(.internalError)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    public var message: String
    /// The request field at fault, for `invalidRequest`.
    public var field: String?
    /// The status the upstream answered with, when the failure came from there.
    public var upstreamStatus: Int?
    /// The upstream's `retry-after`, passed on with a 429.
    public var retryAfter: String?

    public init(
        _ kind: Kind,
        _ message: String,
        field: String? = nil,
        upstreamStatus: Int? = nil,
        retryAfter: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.field = field
        self.upstreamStatus = upstreamStatus
        self.retryAfter = retryAfter
    }

    public static func invalidField(_ field: String, _ message: String) -> GatewayError {
        GatewayError(.invalidRequest, message, field: field)
    }

    public var httpStatus: Int {
        switch kind {
        case .invalidRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound, .modelNotFound: 404
        case .payloadTooLarge: 413
        case .rateLimited: 429
        case .upstreamTimeout: 504
        case .upstreamError, .upstreamUnreachable: 502
        case .clientDisconnected: 499
        default: 500
        }
    }

    public var description: String { "\(kind): \(message)" }
}
