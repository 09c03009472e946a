import AsyncHTTPClient
import ConcordCore

/// Turns transport failures and upstream error statuses into errors a caller can act on.
enum UpstreamFailure {
    /// - Parameter streaming: the answer had started; a transport failure now means it broke off.
    static func gatewayError(for error: any Error, model: ModelConfig, streaming: Bool = false) -> GatewayError {
        if let error = error as? GatewayError { return error }
        if error is CancellationError {
            return GatewayError(.clientDisconnected, "The caller went away before the answer was complete.")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout:
                return GatewayError(
                    .upstreamTimeout,
                    "The upstream did not answer within \(formatted(model.timeoutSeconds)) s."
                )
            case .cancelled:
                return GatewayError(.clientDisconnected, "The caller went away before the answer was complete.")
            case .remoteConnectionClosed:
                return GatewayError(
                    .upstreamError, "The upstream closed the connection before the answer was complete.")
            case .connectTimeout:
                return GatewayError(.upstreamUnreachable, "The upstream could not be reached: connection timed out.")
            default:
                break
            }
        }
        if streaming {
            return GatewayError(.upstreamError, "The upstream's answer broke off before it was complete: \(error).")
        }
        return GatewayError(.upstreamUnreachable, "The upstream could not be reached: \(error).")
    }

    /// An upstream's non-2xx answer. Rate limits pass through as 429 with `retry-after`; a refused provider
    /// key is the gateway's misconfiguration (502), not the caller's fault; other 4xx mean the request was
    /// wrong for that upstream (400); anything else is a bad gateway.
    static func gatewayError(status: Int, message: String?, retryAfter: String?) -> GatewayError {
        let detail = message ?? "no message"
        switch status {
        case 429:
            return GatewayError(
                .rateLimited,
                "The upstream is rate limiting: \(detail)",
                upstreamStatus: status,
                retryAfter: retryAfter
            )
        case 401, 403:
            return GatewayError(
                .upstreamError,
                "The upstream refused the gateway's provider key (\(status)): \(detail)",
                upstreamStatus: status
            )
        case 400, 404, 409, 413, 422:
            return GatewayError(
                .invalidRequest, "The upstream rejected the request (\(status)): \(detail)", upstreamStatus: status)
        default:
            return GatewayError(.upstreamError, "The upstream failed (\(status)): \(detail)", upstreamStatus: status)
        }
    }

    private static func formatted(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    }
}
