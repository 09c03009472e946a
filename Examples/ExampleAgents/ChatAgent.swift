import ConcordCore
public import ConcordGateway

/// Answers a request, streaming the answer from the model as it is written.
public struct ChatAgent: Sendable {
    let gateway: Gateway
    let model: String

    public init(gateway: Gateway, model: String) {
        self.gateway = gateway
        self.model = model
    }

    public func answer(_ message: String) async throws -> String {
        try await CallScope.run(as: .agent, named: "chat-agent") {
            let request = ChatRequest(
                model: model,
                messages: [
                    ChatMessage(role: .system, text: "You are a helpful assistant."),
                    ChatMessage(role: .user, text: message),
                ],
                stream: true
            )
            var answer = ""
            for try await event in try await gateway.openStream(request).events {
                if case .textDelta(let text) = event { answer += text }
            }
            return answer
        }
    }
}
