/// A function the model may call.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The JSON Schema of the arguments, passed to the provider untouched.
    public var parameters: JSONValue

    public init(name: String, description: String? = nil, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// How the model may use the tools it was offered.
public enum ToolChoice: Sendable, Hashable {
    case auto
    case none
    /// The model must call some tool.
    case required
    /// The model must call this tool.
    case tool(name: String)
}

/// A tool call made by the model. `arguments` is JSON text, as OpenAI sends it.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// The shape the caller wants the answer in.
public enum ResponseFormat: Sendable, Hashable {
    case text
    case jsonObject
    case jsonSchema(name: String, schema: JSONValue, strict: Bool?)
}
