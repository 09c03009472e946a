import ConcordCore
import ConcordWire
import Foundation
public import Hummingbird
import Logging
import NIOCore

/// Turns every failure into a clear error response in the shape the caller's SDK expects: Anthropic's
/// on `/v1/messages`, OpenAI's everywhere else. Nothing unexpected reaches the caller as a stack trace.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBodyBytes: Int

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = gatewayError(for: error)
            if failure.kind == .internalError {
                context.logger.error("Request failed unexpectedly", metadata: ["error": "\(String(reflecting: error))"])
            }
            return GatewayErrorResponse.response(for: failure, path: request.uri.path)
        }
    }

    private func gatewayError(for error: any Error) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case is NIOTooManyBytesError:
            return GatewayError(.payloadTooLarge, "The request body is larger than the limit of \(maxBodyBytes) bytes.")
        case let error as HTTPError:
            switch error.status.code {
            case 404: return GatewayError(.notFound, error.body ?? "No such endpoint.")
            case 405: return GatewayError(.notFound, "That method is not supported on this endpoint.")
            case 413: return GatewayError(.payloadTooLarge, error.body ?? "The request body is too large.")
            case 400..<500: return GatewayError(.invalidRequest, error.body ?? "The request is invalid.")
            default: return GatewayError(.internalError, "The gateway failed unexpectedly.")
            }
        default:
            return GatewayError(.internalError, "The gateway failed unexpectedly.")
        }
    }
}

/// Error responses in each wire format.
enum GatewayErrorResponse {
    static let unauthorized = GatewayError(
        .unauthorized,
        "Missing or invalid API key. Send 'Authorization: Bearer <key>' (or 'x-api-key: <key>')."
    )

    static func response(for error: GatewayError, path: String, headers extra: HTTPFields = [:]) -> Response {
        let body =
            path.hasPrefix("/v1/messages")
            ? AnthropicMessagesFormat.encodeError(error)
            : OpenAIChatFormat.encodeError(error)
        var headers = extra
        headers[.contentType] = "application/json"
        if let retryAfter = error.retryAfter { headers[.retryAfter] = retryAfter }
        return Response(
            status: HTTPResponse.Status(code: error.httpStatus),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(data: body))
        )
    }
}
