import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Authentication")
struct AuthenticationTests {
    @Test(arguments: MockRoute.allCases)
    func missingKeyIs401InTheRouteErrorShape(route: MockRoute) async throws {
        try await withMockUpstream { client in
            let response = try await client.post(route, route.body(model: "mock-model"), key: nil)
            #expect(response.status == .unauthorized)
            #expect(response.receivedKey == nil)
            let body = try jsonObject(response.body)
            #expect(route.errorType(in: body) == (route == .openAI ? "invalid_request_error" : "authentication_error"))
        }
    }

    /// Current Anthropic SDKs send `Authorization: Bearer <api key>` rather than `x-api-key`.
    @Test func anthropicRouteAlsoAcceptsABearerToken() async throws {
        try await withMockUpstream { client in
            let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer sk-ant-bearer"]
            let response = try await client.execute(
                uri: MockRoute.anthropic.path, method: .post, headers: headers,
                body: ByteBuffer(string: MockRoute.anthropic.body(model: "mock-model"))
            )
            #expect(response.status == .ok)
            #expect(response.receivedKey == "sk-ant-bearer")
        }
    }

    @Test(arguments: MockRoute.allCases)
    func receivedKeyIsEchoedForGatewayTests(route: MockRoute) async throws {
        try await withMockUpstream { client in
            let response = try await client.post(route, route.body(model: "mock-model"), key: "sk-provider-123")
            #expect(response.status == .ok)
            #expect(response.receivedKey == "sk-provider-123")
        }
    }

    @Test func modelListAndHealthAnswer() async throws {
        try await withMockUpstream { client in
            let models = try await client.execute(uri: "/v1/models", method: .get, headers: MockRoute.openAI.headers())
            #expect(models.status == .ok)
            let list = try jsonObject(models.body)
            #expect(list.string("object") == "list")
            #expect(
                list.objects("data")?.contains { $0.string("id") == "mock-model" && $0.string("object") == "model" }
                    == true)

            let anonymous = try await client.execute(uri: "/v1/models", method: .get)
            #expect(anonymous.status == .unauthorized)

            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
        }
    }
}
