import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockUpstream
import Testing

/// The two chat routes, so fault tests can run against both wire formats.
enum MockRoute: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case openAI
    case anthropic

    var testDescription: String { rawValue }

    var path: String {
        switch self {
        case .openAI: "/v1/chat/completions"
        case .anthropic: "/v1/messages"
        }
    }

    func headers(key: String? = "provider-key") -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        guard let key else { return headers }
        switch self {
        case .openAI:
            headers[.authorization] = "Bearer \(key)"
        case .anthropic:
            headers[HTTPField.Name("x-api-key")!] = key
            headers[HTTPField.Name("anthropic-version")!] = "2023-06-01"
        }
        return headers
    }

    /// A minimal valid request in this route's format.
    func body(model: String, stream: Bool = false, question: String = "Hello there, mock!") -> String {
        switch self {
        case .openAI:
            #"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"user","content":"\#(question)"}]}"#
        case .anthropic:
            #"{"model":"\#(model)","max_tokens":256,"stream":\#(stream),"messages":[{"role":"user","content":"\#(question)"}]}"#
        }
    }

    /// The `error.type` both formats put in their error bodies.
    func errorType(in body: [String: Any]) -> String? {
        if self == .anthropic, body.string("type") != "error" { return nil }
        return body.object("error")?.string("type")
    }
}

/// The app under test: the real application, driven without a socket.
func withMockUpstream<Value: Sendable>(_ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws
    -> Value
{
    try await buildMockUpstream(MockUpstreamConfiguration()).test(.router, test)
}

extension TestClientProtocol {
    func post(_ route: MockRoute, _ body: String, key: String? = "provider-key") async throws -> TestResponse {
        try await execute(
            uri: route.path, method: .post, headers: route.headers(key: key), body: ByteBuffer(string: body))
    }
}
