public import ConcordCore
public import ConcordGateway
import Foundation

/// A small, real agent loop on the in-process gateway: the router agent asks the model where a request
/// should go (a tool call), runs the tool, reports the result back to the model, and hands the request
/// off to the chat agent. Every call is recorded in one trace, the router's first call the parent of the rest.
public struct RouterAgent: Sendable {
    let gateway: Gateway
    let model: String
    let chatAgent: ChatAgent

    public init(gateway: Gateway, model: String, chatAgent: ChatAgent) {
        self.gateway = gateway
        self.model = model
        self.chatAgent = chatAgent
    }

    /// What the loop produced, with the trace its calls are in.
    public struct Outcome: Sendable {
        public var destination: String
        public var answer: String
        public var traceID: String
        public var rootCallID: String
    }

    static let routeTool = ToolDefinition(
        name: "route_to",
        description: "Choose the agent that should handle the user's request.",
        parameters: .object([
            "type": .string("object"),
            "properties": .object([
                "destination": .object([
                    "type": .string("string"), "enum": .array([.string("chat"), .string("search")]),
                ])
            ]),
        ])
    )

    public func handle(_ message: String, userID: String? = nil) async throws -> Outcome {
        try await CallScope.run(as: .agent, named: "router-agent", userID: userID) {
            let question = [
                ChatMessage(role: .system, text: "You route user requests to the right agent. Call route_to."),
                ChatMessage(role: .user, text: message),
            ]
            let request = ChatRequest(model: model, messages: question, tools: [Self.routeTool], toolChoice: .required)
            return try await gateway.chat(request) { routed in
                let call = routed.response.toolCalls.first
                let destination = call.map { Self.destination(from: $0.arguments) } ?? "chat"
                if let call {
                    // Tell the model what the tool did; this call is a child of the routing call.
                    let report = ChatRequest(
                        model: model,
                        messages: question + [
                            ChatMessage(role: .assistant, content: [], toolCalls: [call]),
                            ChatMessage(role: .tool, content: [.text("routed to \(destination)")], toolCallID: call.id),
                        ],
                        tools: [Self.routeTool]
                    )
                    _ = try await gateway.chat(report)
                }
                let answer = try await chatAgent.answer(message)
                return Outcome(
                    destination: destination, answer: answer, traceID: routed.traceID, rootCallID: routed.callID)
            }
        }
    }

    /// The tool's one job: read where to go. Anything unreadable goes to the chat agent.
    static func destination(from arguments: String) -> String {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(arguments.utf8)),
            let destination = object["destination"]?.stringValue, ["chat", "search"].contains(destination)
        else { return "chat" }
        return destination
    }
}
