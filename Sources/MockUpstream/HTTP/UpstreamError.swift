import Hummingbird

/// An error the mock answers with, independent of wire format; each format renders it in its own shape.
struct UpstreamError: Error, Sendable {
    enum Kind: Sendable {
        case invalidRequest
        case authentication
        case permission
        case notFound
        case requestTooLarge
        case rateLimit
        case server
        case overloaded
    }

    var status: HTTPResponse.Status
    var kind: Kind
    var message: String

    static func invalidRequest(_ message: String) -> UpstreamError {
        UpstreamError(status: .badRequest, kind: .invalidRequest, message: message)
    }

    static func authentication(_ message: String) -> UpstreamError {
        UpstreamError(status: .unauthorized, kind: .authentication, message: message)
    }

    /// The error a model name such as `error-429` asks for.
    static func injected(status code: Int, model: String) -> UpstreamError {
        let kind: Kind =
            switch code {
            case 401: .authentication
            case 403: .permission
            case 404: .notFound
            case 413: .requestTooLarge
            case 429: .rateLimit
            case 503, 529: .overloaded
            case 500...: .server
            default: .invalidRequest
            }
        let reason =
            switch kind {
            case .rateLimit: "Rate limit reached"
            case .overloaded: "The upstream is overloaded"
            case .server: "The upstream had an internal error"
            default: "The request was rejected"
            }
        let status =
            code == 529 ? HTTPResponse.Status(code: 529, reasonPhrase: "Overloaded") : HTTPResponse.Status(code: code)
        return UpstreamError(
            status: status, kind: kind, message: "\(reason) (injected by the mock upstream for model '\(model)').")
    }
}
